/* faceanon engine
 * Copyright (C) 2026 faceanon developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Library General Public License for more details.
 */

#ifndef __FA_LOOKAHEAD_H__
#define __FA_LOOKAHEAD_H__

/* The look-ahead: frames are held for a while after they are planned, and
 * what later frames found corrects their masks before they leave.
 * - A face found at frame t (a person walking in, a head turning, a small
 *   face whose tile came round) is masked on the held frames before t, at
 *   places extrapolated backwards from its first detections, the mask
 *   growing going back as a lost face's does, until it leaves the frame.
 * - A face lost and found again is masked on the frames in between at
 *   places interpolated between the two detections, instead of where a
 *   forward prediction drifted.
 * - Nothing is carried back across a scene cut.
 * Masks are only ever added or moved onto the face's path: a frame's own
 * faces stay masked. The frames themselves are the caller's; this keeps
 * what was planned for each and works out what to paint. */

#include "fa-tracker.h"

G_BEGIN_DECLS typedef struct _FaLookahead FaLookahead;

FaLookahead *fa_lookahead_new (void);
void fa_lookahead_free (FaLookahead * la);

/* Forgets every held frame (flush, seek, new caps). */
void fa_lookahead_reset (FaLookahead * la);

/* How many frames are held. */
guint fa_lookahead_len (FaLookahead * la);

/* The timestamp of the oldest held frame; FALSE when none is held. */
gboolean fa_lookahead_oldest (FaLookahead * la, gint64 * t_ns);

/* Holds the frame at @t_ns with the @n faces the tracker gave it; @cut
 * when its picture is another one than the frame before's. The frame is
 * @width x @height. */
void fa_lookahead_push (FaLookahead * la, gint64 t_ns, const FaTrack * tracks,
    guint n, gboolean cut, gint width, gint height);

/* The oldest held frame leaves: its final faces are appended to @faces
 * (FaBox) and their track ids to @ids (guint); @growth is the share a
 * mask grows per second away from the face's detections, as a lost
 * track's does (fa-tracker.h). Nothing when no frame is held. */
void fa_lookahead_pop (FaLookahead * la, gdouble growth, GArray * faces,
    GArray * ids);

G_END_DECLS
#endif /* __FA_LOOKAHEAD_H__ */
