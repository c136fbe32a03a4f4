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

#ifndef __FA_ANON_H__
#define __FA_ANON_H__

/* One frame's work, shared by the element and the tools so that both do
 * exactly the same thing: detect (whole frame and tiles), follow faces
 * across frames, turn them into mask regions, mask. */

#include "fa-detector.h"
#include "fa-mask.h"
#include "fa-tracker.h"

G_BEGIN_DECLS typedef struct
{
  FaMaskParams mask;
  gfloat threshold;             /* detector confidence threshold */
  gint detection_size;          /* longest side of the detector input */
  gint min_face_size;           /* faces this small are tiled for; 0: off */
  /* video: ns within which the fine tiles cover the frame, searched a
   * share per detection frame; 0: every tile on every detection */
  gint64 sweep_time;
  gboolean tracking;            /* video: follow faces between detections */
  gint64 hold_time;             /* video: ns a lost face stays masked */
  gboolean async;               /* video: detect on a thread of its own */
  gint64 max_lag;               /* async: ns the detector may fall behind */
} FaAnonParams;

typedef struct _FaAnon FaAnon;

/* With @model_path NULL there is no detector: faces come from the caller
 * (fa_anon_plan_video's @given). */
FaAnon *fa_anon_new (const gchar * model_path, GError ** error);
void fa_anon_free (FaAnon * anon);

FaDetector *fa_anon_get_detector (FaAnon * anon);

/* What the caller knows of a frame. */
typedef struct
{
  gint64 t_ns;                  /* its timestamp (buffer PTS), in ns */
  /* the detector must run on it (detect-interval's turn); it also runs
   * when the tracker holds nothing that still applies (the first frame,
   * after a reset, a jump in time or a scene cut) */
  gboolean detect;
  /* a picture on its own (a photo, an evaluation image): earlier frames
   * are forgotten and it is searched at every scale at once */
  gboolean still;
  /* not NULL: these @n_given boxes are its detections instead (faces
   * found by another element) */
  const FaBox *given;
  guint n_given;
} FaFrame;

/* A frame's work, in two steps, so that a frame with nothing to mask need
 * not be written at all. fa_anon_plan decides the frame's faces and their
 * regions (fa_anon_get_faces, fa_anon_get_regions) and only reads @img;
 * *@detected says whether the detector ran on it. The faces are those
 * followed across frames (with tracking), or the last faces detected
 * (without). On failure nothing has been decided and the frame must not
 * leave unmasked. fa_anon_paint then masks them on @img, the same picture
 * or a writable copy of it. A still image is a frame like any other, with
 * @frame->still set. */
gboolean fa_anon_plan (FaAnon * anon, const FaImage * img,
    const FaFrame * frame, const FaAnonParams * params, gboolean * detected,
    GError ** error);
void fa_anon_paint (FaAnon * anon, FaImage * img, const FaAnonParams * params);

/* The look-ahead (fa-lookahead.h): the caller holds frames for a while
 * after planning them, and what later frames find corrects their masks.
 * fa_anon_hold keeps the frame just planned (its faces, and whether it
 * began a new picture); fa_anon_held says how many are held and the
 * timestamp of the oldest; fa_anon_release makes the oldest held frame's
 * final faces and regions the current ones (fa_anon_get_faces,
 * fa_anon_paint), for @img, that frame. */
void fa_anon_hold (FaAnon * anon, gint64 t_ns, gint width, gint height,
    const FaAnonParams * params);
guint fa_anon_held (FaAnon * anon, gint64 * oldest_t_ns);
void fa_anon_release (FaAnon * anon, const FaImage * img,
    const FaAnonParams * params);
/* Forgets the held frames (flush, seek); fa_anon_reset keeps them. */
void fa_anon_drop_held (FaAnon * anon);

/* Masks the given regions (e.g. the whole frame when detection failed). */
void fa_anon_mask_regions (FaAnon * anon, FaImage * img,
    const FaMaskParams * mask, const FaRect * regions, guint n_regions);

/* With params->async, the detector runs on its own thread and this never
 * waits for it, except on the first frame (nothing to mask yet): frames
 * are masked at the tracked faces, whose hold is extended while a
 * detection is pending, and the faces found are taken up when ready.
 * Falling behind by more than params->max_lag is a failure
 * (FA_ERROR_BEHIND), like a failing detector. */

/* Between detections (detect-interval, async), a frame whose picture
 * changed since the frame last detected (a cut: fa-scene.h) is detected
 * at once, and waited for; a cut also restarts the sweep of the tiles. */

/* What the frames cost so far, from the start, as the calling (streaming)
 * thread counts it: valid until the next call. */
typedef struct
{
  guint64 detections;           /* frames the detector's faces were for */
  guint64 frame_passes;         /* network passes frames waited for */
  guint64 scene_cuts;           /* detections forced by a scene cut */
  guint n_tiles;                /* fine tiles of the current plan */
  guint rotation;               /* detection frames a sweep of them takes */
} FaAnonCounts;

const FaAnonCounts *fa_anon_get_counts (FaAnon * anon);

/* Network passes, the wall time spent in them and the CPU time of the
 * thread that ran them (microseconds: fa_detector_get_stats), from the
 * start; TRUE when they ran on the detection thread, not in the calls.
 * Waits for a running detection, so that the figures add up. */
gboolean fa_anon_get_net_stats (FaAnon * anon, guint64 * passes,
    gint64 * net_us, gint64 * net_cpu_us);

/* Forgets the faces of earlier frames: flush, seek, caps change. */
void fa_anon_reset (FaAnon * anon);

/* The faces of the last call (for video: the faces masked, i.e. tracks),
 * in frame pixels, and the regions masked for them; valid until the next
 * call. Ids are track ids (0 without tracking). */
const FaBox *fa_anon_get_faces (FaAnon * anon, guint * n_faces);
const guint *fa_anon_get_ids (FaAnon * anon, guint * n_ids);
const FaRect *fa_anon_get_regions (FaAnon * anon, guint * n_regions);

G_END_DECLS
#endif /* __FA_ANON_H__ */
