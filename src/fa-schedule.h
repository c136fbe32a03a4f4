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

#ifndef __FA_SCHEDULE_H__
#define __FA_SCHEDULE_H__

/* Which detector passes each detection frame of a video gets. The
 * whole-frame pass runs every time; the fine tiles that min-face-size
 * needs (fa-tiling.h) are searched a share per frame, in rotation, so that
 * the fine scale covers the whole frame every @period detection frames
 * (fa_schedule_next). A tile that holds a small tracked face, or that one
 * is heading into, is visited sooner than the rotation alone would. A
 * scene cut, a reset or new geometry restarts the sweep. Stills search
 * every tile at once (fa_schedule_all). */

#include "fa-tiling.h"
#include "fa-tracker.h"

G_BEGIN_DECLS typedef struct _FaSchedule FaSchedule;

FaSchedule *fa_schedule_new (void);
void fa_schedule_free (FaSchedule * sched);

/* The frame and the settings the tiles follow from; a change replans the
 * tiles and restarts the sweep, the same ones change nothing. */
void fa_schedule_configure (FaSchedule * sched, gint width, gint height,
    gint detection_size, gint min_face_size);

/* The fine tiles of the current plan (the whole-frame pass not counted). */
guint fa_schedule_n_tiles (FaSchedule * sched);

/* The smallest face (frame pixels) the whole-frame pass finds: faces
 * smaller than this need the tiles. */
gfloat fa_schedule_whole_min_face (FaSchedule * sched);

/* The sweep starts again from its first tile (a scene cut, a reset). */
void fa_schedule_restart (FaSchedule * sched);

/* The passes of the next detection frame into @passes (room for
 * FA_TILING_MAX_PASSES), the whole-frame pass first, and how many:
 * - ceil (tiles / @period) tiles in rotation, so that every tile is visited
 *   within @period detection frames (0 or 1: every tile, every frame);
 * - at most one more, the most overdue tile that holds or is about to
 *   hold one of @tracks too small for the whole-frame pass (its motion
 *   projected @lead_ns ahead), once half a rotation (and at least four
 *   detection frames) has passed since that tile's last visit. */
guint fa_schedule_next (FaSchedule * sched, guint period,
    const FaTrack * tracks, guint n_tracks, gint64 lead_ns, FaPass * passes);

/* Every pass: the whole frame and all the tiles (a still image). */
guint fa_schedule_all (FaSchedule * sched, FaPass * passes);

/* The whole-frame pass alone (a frame that must not wait for tiles). */
guint fa_schedule_whole (FaSchedule * sched, FaPass * passes);

G_END_DECLS
#endif /* __FA_SCHEDULE_H__ */
