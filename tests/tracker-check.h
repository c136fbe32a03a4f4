/* faceanon engine tests
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

#ifndef __TRACKER_CHECK_H__
#define __TRACKER_CHECK_H__

/* What the tests of the face tracker share (test-tracker.c,
 * test-tracker-edges.c). Faces are synthetic boxes moving along known
 * paths, so every test can say where a face really is on a frame the
 * detector missed. Most tests are scenes: rows of a table of SceneCase,
 * each a few phases of frames, run by one runner. */

#include "fa-tracker.h"

G_BEGIN_DECLS

#define SECOND G_GINT64_CONSTANT (1000000000)
#define MSECOND G_GINT64_CONSTANT (1000000)

/* Timestamp of frame @i at @fps, exact whenever i / fps is. */
gint64 frame_time (gint i, gint fps);
gdouble secs (gint64 t);

FaBox box_centred (gdouble cx, gdouble cy, gdouble w, gdouble h);
gdouble centre_x (const FaBox * b);
gdouble centre_y (const FaBox * b);
gboolean box_equal (const FaBox * a, const FaBox * b);

/* Whether @mask covers all of @face, give or take @slack pixels. */
gboolean covers (const FaBox * mask, const FaBox * face, gdouble slack);
gdouble covered_fraction (const FaBox * mask, const FaBox * face);
gboolean box_finite (const FaBox * b);

const FaTrack *find_track (FaTracker * tracker, guint id);
const FaTrack *track_with_box (FaTracker * tracker, const FaBox * box);
/* The only or first track; there must be one. */
const FaTrack *first_track (FaTracker * tracker);
guint n_tracks (FaTracker * tracker);

/* A face moving at constant velocity (0: one that stays put). */
typedef struct
{
  gdouble cx, cy, vx, vy, w, h;
} Mover;

FaBox mover_at (const Mover * m, gint64 t);

/* ---------------------------------------------------------------- scenes */

typedef struct _Scene Scene;

/* What the detector does on the frame @s is at: fills in @s->dets and
 * @s->n_dets, or returns FALSE when it does not run on it. */
typedef gboolean (*Detector) (Scene * s);

/* What must hold after a frame, or after a phase. */
typedef void (*SceneCheck) (Scene * s);

typedef struct
{
  gint frames;                  /* how many, at the scene's frame rate */
  Detector detector;
  const Mover *shows;           /* what the detector sees of the first face
                                 * instead of the face, or NULL */
  SceneCheck each;              /* after each frame, or NULL */
  SceneCheck end;               /* after the last one, or NULL */
} Phase;

typedef struct
{
  const gchar *name;            /* below /tracker/ */
  gint width, height, fps;
  gint64 hold_times[3];         /* the scene once with each; none: once
                                 * with the default */
  gint confirm_hits;            /* 0: the default */
  gfloat match_iou;             /* 0: the default */
  guint n_faces;
  Mover faces[2];
  Phase phases[6];              /* up to the first of no frames */
  SceneCheck end;               /* after the last phase, or NULL */
} SceneCase;

/* What a detector and a check see of the scene being run. */
struct _Scene
{
  const SceneCase *c;
  FaTracker *tracker;
  FaTrackerParams params;
  gint i;                       /* the frame, counting from 0 over the
                                 * phases; after a phase, the next one */
  gint64 t;                     /* the time of the last frame run */
  FaBox truth[2];               /* where the faces really are at t */
  FaBox dets[2];                /* what the detector reported */
  guint n_dets;
  gboolean ran;                 /* whether the detector ran (update) or
                                 * not (predict) */
  gint64 last_seen;             /* t of the last frame with a detection */
  FaBox last_det;               /* its first detection */
  gboolean stop;                /* a check ends the phase here */
  /* what the checks of a scene keep from frame to frame */
  guint id[2];                  /* the faces' tracks */
  gdouble prev_w;               /* a mask's width on an earlier frame;
                                 * G_MAXDOUBLE until a check sets it */
  gint hidden;                  /* frames a face was hidden on */
  gboolean gone;                /* a track was dropped */
};

/* The detectors most scenes need: one that sees every face (in the
 * scene's order), one that runs and finds nothing. A detector that does
 * not run on a frame returns FALSE: that frame is predicted. */
gboolean sees_faces (Scene * s);
gboolean misses (Scene * s);

/* Adds a test for each scene, run once with each of its hold times. */
void add_scenes (const SceneCase * cases, guint n_cases);

G_END_DECLS

#endif /* __TRACKER_CHECK_H__ */
