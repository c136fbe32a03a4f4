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

#ifndef __FA_TRACKER_H__
#define __FA_TRACKER_H__

#include "fa-image.h"

G_BEGIN_DECLS
/* Keeps faces masked on the frames where the detector misses them (motion
 * blur, a hand, a turning head) or does not run (a detection interval).
 * A missed face would be a privacy leak, so the tracker only ever errs
 * towards masking more: every detection is output at once, a lost face
 * stays masked at its predicted place for hold_time with a mask that grows
 * while it is lost, and nothing is dropped for being unconfirmed.
 *
 * A track's box always covers the detection it matched on this frame; it is
 * exactly that detection once the track's motion is known, and larger for
 * a while when the detection suddenly shrank (a hand over half the face),
 * so that the rest of the face is not unmasked at once. A lost track's box
 * moves at the track's velocity and grows by growth per second lost.
 *
 * Time comes only from the timestamps passed in (nanoseconds, e.g. buffer
 * PTS), so behaviour is the same at any frame rate. */
#define FA_TRACKER_DEFAULT_HOLD_TIME    G_GINT64_CONSTANT (1000000000)
#define FA_TRACKER_DEFAULT_MATCH_IOU    0.2f
#define FA_TRACKER_DEFAULT_GROWTH       0.5f
#define FA_TRACKER_DEFAULT_CONFIRM_HITS 2
    typedef struct
{
  gint64 hold_time;             /* ns a lost track stays masked */
  gfloat match_iou;             /* IoU that pairs a detection with a track */
  gfloat growth;                /* fraction per second lost the mask grows */
  gint confirm_hits;            /* detections before a track is confirmed */
  gint frame_width;             /* tracks wholly outside the frame are */
  gint frame_height;            /* dropped; 0 when the size is unknown */
} FaTrackerParams;

typedef struct
{
  guint id;                     /* from 1, never reused by this tracker */
  FaBox box;                    /* where to mask now; see below */
  gboolean confirmed;           /* seen by confirm_hits detections */
  gboolean detected;            /* matched a detection in this update */
  gint64 last_seen;             /* ns timestamp of its last detection */
  gfloat score;                 /* of its last detection */
  FaBox seen;                   /* its last detection, at last_seen */
  gfloat vx, vy;                /* its estimated motion, px per second */
} FaTrack;

/* A part of the frame a detection searched, and the smallest face (width,
 * frame pixels) it can find there: a tile of a finer scale sees smaller
 * faces than the whole-frame pass. */
typedef struct
{
  FaRect area;
  gfloat min_face;
} FaSearch;

typedef struct _FaTracker FaTracker;

/* Fills in the defaults above for a frame of the given size. */
void fa_tracker_params_init (FaTrackerParams * params, gint frame_width,
    gint frame_height);

FaTracker *fa_tracker_new (void);
void fa_tracker_free (FaTracker * tracker);

/* Forgets every track (flush, seek, caps change). Ids keep counting. */
void fa_tracker_reset (FaTracker * tracker);

/* A frame the detector ran on, at @t_ns, with its @n_dets detections.
 * Boxes that are not finite, not positive in size or wholly outside the
 * frame are ignored. A timestamp before the previous one resets the
 * tracker first. */
void fa_tracker_update (FaTracker * tracker, gint64 t_ns,
    const FaBox * dets, guint n_dets, const FaTrackerParams * params);

/* The same, when the detection searched only @searched (@n_searched
 * areas, each down to its own face size): a track that none of them could
 * have found, a small face outside the tiles searched this time, is moved
 * as on a frame the detector did not run on, and the time until a search
 * looks where it is again does not count against its hold. Its mask thus
 * stays at least until its part of the frame is searched again. */
void fa_tracker_update_searched (FaTracker * tracker, gint64 t_ns,
    const FaBox * dets, guint n_dets, const FaSearch * searched,
    guint n_searched, const FaTrackerParams * params);

/* A frame the detector did not run on: moves every track to @t_ns and
 * drops those whose hold has expired; no track counts as detected. */
void fa_tracker_predict (FaTracker * tracker, gint64 t_ns,
    const FaTrackerParams * params);

/* Whether a frame at @t_ns must be a detection frame whatever the
 * detection interval says: after a reset, when time went backwards (the
 * next call resets) or jumped forward by more than the hold time. The
 * tracker then holds nothing that still applies, so a frame that only
 * predicts would mask nothing. */
gboolean fa_tracker_needs_detection (FaTracker * tracker, gint64 t_ns,
    const FaTrackerParams * params);

/* The tracks to mask on the frame of the last update or predict, in
 * increasing id order. Valid until the next call on @tracker. */
const FaTrack *fa_tracker_get_tracks (FaTracker * tracker, guint * n);

G_END_DECLS
#endif /* __FA_TRACKER_H__ */
