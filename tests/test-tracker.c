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

/* Unit tests of the face tracker. Faces are synthetic boxes moving along
 * known paths, so every test can say where a face really is on a frame the
 * detector missed, and assert what a user cares about: that it stayed
 * masked, under the same id, and that nothing lingers or flies off. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "fa-tracker.h"

#define SECOND G_GINT64_CONSTANT (1000000000)
#define MSECOND G_GINT64_CONSTANT (1000000)

/* Timestamp of frame @i at @fps, exact whenever i / fps is. */
static gint64
frame_time (gint i, gint fps)
{
  return i * SECOND / fps;
}

static gdouble
secs (gint64 t)
{
  return (gdouble) t / SECOND;
}

static FaBox
box_centred (gdouble cx, gdouble cy, gdouble w, gdouble h)
{
  FaBox b;

  b.x = (gfloat) (cx - w / 2);
  b.y = (gfloat) (cy - h / 2);
  b.w = (gfloat) w;
  b.h = (gfloat) h;
  b.score = 0.9f;
  return b;
}

static gdouble
centre_x (const FaBox * b)
{
  return b->x + b->w / 2.0;
}

static gdouble
centre_y (const FaBox * b)
{
  return b->y + b->h / 2.0;
}

static gboolean
box_equal (const FaBox * a, const FaBox * b)
{
  return a->x == b->x && a->y == b->y && a->w == b->w && a->h == b->h;
}

/* Whether @mask covers all of @face, give or take @slack pixels. */
static gboolean
covers (const FaBox * mask, const FaBox * face, gdouble slack)
{
  return mask->x <= face->x + slack && mask->y <= face->y + slack
      && mask->x + mask->w >= face->x + face->w - slack
      && mask->y + mask->h >= face->y + face->h - slack;
}

static gdouble
covered_fraction (const FaBox * mask, const FaBox * face)
{
  gdouble ix = MIN (mask->x + mask->w, face->x + face->w) - MAX (mask->x,
      face->x);
  gdouble iy = MIN (mask->y + mask->h, face->y + face->h) - MAX (mask->y,
      face->y);

  if (ix <= 0 || iy <= 0)
    return 0;
  return ix * iy / ((gdouble) face->w * face->h);
}

static gboolean
box_finite (const FaBox * b)
{
  return isfinite (b->x) && isfinite (b->y) && isfinite (b->w)
      && isfinite (b->h) && b->w > 0 && b->h > 0;
}

static const FaTrack *
find_track (FaTracker * tracker, guint id)
{
  const FaTrack *tracks;
  guint i, n;

  tracks = fa_tracker_get_tracks (tracker, &n);
  for (i = 0; i < n; i++)
    if (tracks[i].id == id)
      return &tracks[i];
  return NULL;
}

static const FaTrack *
track_with_box (FaTracker * tracker, const FaBox * box)
{
  const FaTrack *tracks;
  guint i, n;

  tracks = fa_tracker_get_tracks (tracker, &n);
  for (i = 0; i < n; i++)
    if (box_equal (&tracks[i].box, box))
      return &tracks[i];
  return NULL;
}

/* The only or first track; there must be one. */
static const FaTrack *
first_track (FaTracker * tracker)
{
  const FaTrack *tracks;
  guint n;

  tracks = fa_tracker_get_tracks (tracker, &n);
  g_assert_cmpuint (n, >=, 1);
  return &tracks[0];
}

static guint
n_tracks (FaTracker * tracker)
{
  guint n;

  fa_tracker_get_tracks (tracker, &n);
  return n;
}

/* A face moving at constant velocity. */
typedef struct
{
  gdouble cx, cy, vx, vy, size;
} Mover;

static FaBox
mover_at (const Mover * m, gint64 t)
{
  return box_centred (m->cx + m->vx * secs (t), m->cy + m->vy * secs (t),
      m->size, m->size);
}

static void
test_defaults (void)
{
  FaTrackerParams params;
  FaTracker *tracker;
  guint n = 99;

  fa_tracker_params_init (&params, 640, 480);
  g_assert_cmpint (params.hold_time, ==, SECOND);
  g_assert_cmpfloat (params.match_iou, ==, 0.2f);
  g_assert_cmpfloat (params.growth, ==, 0.5f);
  g_assert_cmpint (params.confirm_hits, ==, 2);
  g_assert_cmpint (params.frame_width, ==, 640);
  g_assert_cmpint (params.frame_height, ==, 480);

  tracker = fa_tracker_new ();
  fa_tracker_get_tracks (tracker, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_true (fa_tracker_needs_detection (tracker, 0, &params));
  fa_tracker_free (tracker);
  fa_tracker_free (NULL);
}

static void
test_two_faces_keep_ids (void)
{
  Mover a = { 100, 150, 120, 0, 80 };
  Mover b = { 500, 300, -90, 30, 100 };
  FaTrackerParams params;
  FaTracker *tracker = fa_tracker_new ();
  guint id_a = 0, id_b = 0;
  gint i;

  fa_tracker_params_init (&params, 640, 480);
  for (i = 0; i < 60; i++) {
    gint64 t = frame_time (i, 30);
    FaBox dets[2];
    const FaTrack *ta, *tb;

    /* Detectors list faces in no stable order. */
    dets[i % 2] = mover_at (&a, t);
    dets[1 - i % 2] = mover_at (&b, t);
    fa_tracker_update (tracker, t, dets, 2, &params);
    g_assert_cmpuint (n_tracks (tracker), ==, 2);

    if (i == 0) {
      g_assert_nonnull (track_with_box (tracker, &dets[0]));
      g_assert_nonnull (track_with_box (tracker, &dets[1]));
      id_a = track_with_box (tracker, &dets[0])->id;
      id_b = track_with_box (tracker, &dets[1])->id;
      g_assert_cmpuint (id_a, !=, id_b);
    }

    ta = find_track (tracker, id_a);
    tb = find_track (tracker, id_b);
    g_assert_nonnull (ta);
    g_assert_nonnull (tb);
    g_assert_true (ta->detected && tb->detected);
    /* The mask covers the detection; once the motion is known, it is
     * exactly the detection. */
    g_assert_true (covers (&ta->box, &dets[i % 2], 0.0));
    g_assert_true (covers (&tb->box, &dets[1 - i % 2], 0.0));
    if (i >= 20) {
      g_assert_true (box_equal (&ta->box, &dets[i % 2]));
      g_assert_true (box_equal (&tb->box, &dets[1 - i % 2]));
    }
    g_assert_cmpint (ta->last_seen, ==, t);
    /* Confirmed on the second detection, not before. */
    g_assert_true (ta->confirmed == (i >= 1));
    g_assert_true (tb->confirmed == (i >= 1));
  }
  fa_tracker_free (tracker);
}

static void
test_miss_five_frames (void)
{
  Mover m = { 100, 200, 150, 0, 80 };
  FaTrackerParams params;
  FaTracker *tracker = fa_tracker_new ();
  FaBox last_det = { 0, };
  gint64 last_t = 0;
  guint id = 0;
  gint i;

  fa_tracker_params_init (&params, 640, 480);
  for (i = 0; i < 30; i++) {
    last_t = frame_time (i, 30);
    last_det = mover_at (&m, last_t);
    fa_tracker_update (tracker, last_t, &last_det, 1, &params);
  }
  g_assert_cmpuint (n_tracks (tracker), ==, 1);
  id = first_track (tracker)->id;

  for (i = 30; i < 35; i++) {
    gint64 t = frame_time (i, 30);
    FaBox face = mover_at (&m, t);
    gdouble lost = secs (t - last_t);
    const FaTrack *tr;

    fa_tracker_update (tracker, t, NULL, 0, &params);
    g_assert_cmpuint (n_tracks (tracker), ==, 1);
    tr = find_track (tracker, id);
    g_assert_nonnull (tr);
    g_assert_false (tr->detected);
    g_assert_true (tr->confirmed);
    g_assert_cmpint (tr->last_seen, ==, last_t);

    /* At the predicted place: it moved on with the face... */
    g_assert_cmpfloat (centre_x (&tr->box) - centre_x (&last_det), >,
        0.9 * 150 * lost);
    g_assert_cmpfloat (fabs (centre_x (&tr->box) - centre_x (&face)), <, 2.0);
    g_assert_cmpfloat (fabs (centre_y (&tr->box) - centre_y (&face)), <, 0.5);
    /* ...with a mask grown by growth per second lost... */
    g_assert_cmpfloat (fabs (tr->box.w - 80 * (1 + 0.5 * lost)), <, 0.01);
    g_assert_cmpfloat (fabs (tr->box.h - 80 * (1 + 0.5 * lost)), <, 0.01);
    /* ...so the face is still masked. */
    g_assert_true (covers (&tr->box, &face, 0.0));
  }

  /* Seen again where it really is: same id. */
  {
    gint64 t = frame_time (35, 30);
    FaBox face = mover_at (&m, t);
    const FaTrack *tr;

    fa_tracker_update (tracker, t, &face, 1, &params);
    g_assert_cmpuint (n_tracks (tracker), ==, 1);
    tr = find_track (tracker, id);
    g_assert_nonnull (tr);
    g_assert_true (tr->detected);
    g_assert_true (box_equal (&tr->box, &face));
  }
  fa_tracker_free (tracker);
}

static void
test_hold_expiry (void)
{
  static const gint64 holds[] = { SECOND, 500 * MSECOND, 2 * SECOND };
  guint h;

  for (h = 0; h < G_N_ELEMENTS (holds); h++) {
    FaTrackerParams params;
    FaTracker *tracker = fa_tracker_new ();
    FaBox face = box_centred (320, 240, 100, 100);
    gint64 last_t = frame_time (9, 30);
    gboolean gone = FALSE;
    gint i;

    fa_tracker_params_init (&params, 640, 480);
    params.hold_time = holds[h];
    for (i = 0; i < 10; i++)
      fa_tracker_update (tracker, frame_time (i, 30), &face, 1, &params);

    for (i = 10; i < 30 * 4; i++) {
      gint64 t = frame_time (i, 30);
      gboolean held = t - last_t <= holds[h];

      if (i % 2)
        fa_tracker_update (tracker, t, NULL, 0, &params);
      else
        fa_tracker_predict (tracker, t, &params);
      g_assert_cmpuint (n_tracks (tracker), ==, held ? 1 : 0);
      if (held)
        g_assert_true (covers (&first_track (tracker)->box, &face, 0.0));
      gone |= !held;
    }
    g_assert_true (gone);
    fa_tracker_free (tracker);
  }
}

static void
test_reacquire (void)
{
  FaTrackerParams params;
  FaTracker *tracker = fa_tracker_new ();
  FaBox face = box_centred (320, 240, 100, 100);
  FaBox moved = box_centred (325, 238, 104, 100);
  guint id;
  gint i, f = 0;

  fa_tracker_params_init (&params, 640, 480);
  for (i = 0; i < 10; i++)
    fa_tracker_update (tracker, frame_time (f++, 30), &face, 1, &params);
  id = first_track (tracker)->id;

  /* 0.6 s without it, shorter than the hold: the same face again. */
  for (i = 0; i < 18; i++)
    fa_tracker_update (tracker, frame_time (f++, 30), NULL, 0, &params);
  fa_tracker_update (tracker, frame_time (f++, 30), &moved, 1, &params);
  g_assert_cmpuint (n_tracks (tracker), ==, 1);
  g_assert_nonnull (find_track (tracker, id));
  g_assert_true (find_track (tracker, id)->detected);

  /* 1.2 s without it, longer than the hold: a new track. */
  for (i = 0; i < 36; i++)
    fa_tracker_update (tracker, frame_time (f++, 30), NULL, 0, &params);
  fa_tracker_update (tracker, frame_time (f++, 30), &face, 1, &params);
  g_assert_cmpuint (n_tracks (tracker), ==, 1);
  g_assert_null (find_track (tracker, id));
  g_assert_cmpuint (first_track (tracker)->id, >, id);
  fa_tracker_free (tracker);
}

/* A fast face lost for 0.3 s is picked up where it went, thanks to its
 * velocity, not where it was last seen: by then it has moved further than
 * its own width. */
static void
test_reacquire_moving (void)
{
  Mover m = { 100, 240, 250, 0, 60 };
  FaTrackerParams params;
  FaTracker *tracker = fa_tracker_new ();
  FaBox last = { 0, };
  guint id;
  gint i;

  fa_tracker_params_init (&params, 640, 480);
  for (i = 0; i < 20; i++) {
    last = mover_at (&m, frame_time (i, 30));
    fa_tracker_update (tracker, frame_time (i, 30), &last, 1, &params);
  }
  id = first_track (tracker)->id;
  for (; i < 29; i++) {
    FaBox face = mover_at (&m, frame_time (i, 30));

    fa_tracker_update (tracker, frame_time (i, 30), NULL, 0, &params);
    g_assert_nonnull (find_track (tracker, id));
    /* Over a short loss the mask keeps up with the face. */
    if (frame_time (i, 30) - frame_time (19, 30) <= SECOND / 5)
      g_assert_true (covers (&find_track (tracker, id)->box, &face, 0.0));
  }
  {
    FaBox face = mover_at (&m, frame_time (i, 30));

    g_assert_cmpfloat (face.x, >, last.x + last.w);
    fa_tracker_update (tracker, frame_time (i, 30), &face, 1, &params);
    g_assert_cmpuint (n_tracks (tracker), ==, 1);
    g_assert_nonnull (find_track (tracker, id));
    g_assert_true (find_track (tracker, id)->detected);
  }
  fa_tracker_free (tracker);
}

typedef struct
{
  FaBox at[3];                  /* boxes at 1.2 s, 1.4 s and 1.8 s */
  gboolean present_2_0;
  gboolean present_2_1;
  guint max_id;
} RateOutcome;

/* A face seen from 0 to 1 s, then lost, at @fps. */
static void
run_at_rate (gint fps, RateOutcome * out)
{
  const gint64 samples[3] = { 12 * SECOND / 10, 14 * SECOND / 10,
    18 * SECOND / 10
  };
  Mover m = { 100, 300, 200, -50, 90 };
  FaTrackerParams params;
  FaTracker *tracker = fa_tracker_new ();
  gint i;

  fa_tracker_params_init (&params, 1280, 720);
  memset (out, 0, sizeof (*out));
  for (i = 0; frame_time (i, fps) <= 22 * SECOND / 10; i++) {
    gint64 t = frame_time (i, fps);
    FaBox face = mover_at (&m, t);
    guint n, k;
    const FaTrack *tracks;

    fa_tracker_update (tracker, t, &face, t <= SECOND ? 1 : 0, &params);
    tracks = fa_tracker_get_tracks (tracker, &n);
    g_assert_cmpuint (n, <=, 1);
    if (n == 1)
      out->max_id = MAX (out->max_id, tracks[0].id);

    for (k = 0; k < G_N_ELEMENTS (samples); k++) {
      if (t == samples[k]) {
        g_assert_cmpuint (n, ==, 1);
        out->at[k] = tracks[0].box;
      }
    }
    if (t == 2 * SECOND)
      out->present_2_0 = n == 1;
    if (t == 21 * SECOND / 10)
      out->present_2_1 = n == 1;
  }
  fa_tracker_free (tracker);
}

static void
test_frame_rate_independent (void)
{
  static const gint rates[] = { 10, 30, 60 };
  RateOutcome ref, o;
  guint r, k;

  run_at_rate (rates[0], &ref);
  g_assert_true (ref.present_2_0);
  g_assert_false (ref.present_2_1);
  g_assert_cmpuint (ref.max_id, ==, 1);
  /* The held mask did move on and grow. */
  g_assert_cmpfloat (centre_x (&ref.at[0]), >, 100 + 200 * 1.0 + 30);
  g_assert_cmpfloat (ref.at[2].w, >, ref.at[1].w);

  for (r = 1; r < G_N_ELEMENTS (rates); r++) {
    run_at_rate (rates[r], &o);
    g_assert_true (o.present_2_0);
    g_assert_false (o.present_2_1);
    g_assert_cmpuint (o.max_id, ==, 1);
    for (k = 0; k < 3; k++) {
      g_assert_cmpfloat (fabs (o.at[k].x - ref.at[k].x), <, 0.5);
      g_assert_cmpfloat (fabs (o.at[k].y - ref.at[k].y), <, 0.5);
      g_assert_cmpfloat (fabs (o.at[k].w - ref.at[k].w), <, 0.5);
      g_assert_cmpfloat (fabs (o.at[k].h - ref.at[k].h), <, 0.5);
    }
  }
}

static void
test_time_backwards (void)
{
  FaTrackerParams params;
  FaTracker *tracker = fa_tracker_new ();
  FaBox face = box_centred (320, 240, 100, 100);
  guint id;
  gint i;

  fa_tracker_params_init (&params, 640, 480);
  for (i = 0; i < 30; i++)
    fa_tracker_update (tracker, 5 * SECOND + frame_time (i, 30), &face, 1,
        &params);
  id = first_track (tracker)->id;

  /* A seek back without a flush: nothing from the future is kept. */
  g_assert_true (fa_tracker_needs_detection (tracker, 2 * SECOND, &params));
  fa_tracker_update (tracker, 2 * SECOND, &face, 1, &params);
  g_assert_cmpuint (n_tracks (tracker), ==, 1);
  g_assert_null (find_track (tracker, id));
  g_assert_cmpuint (first_track (tracker)->id, >, id);
  g_assert_false (first_track (tracker)->confirmed);

  fa_tracker_predict (tracker, 1 * SECOND, &params);
  g_assert_cmpuint (n_tracks (tracker), ==, 0);

  /* Jitter of a few ms is not a seek: the held face stays masked. */
  fa_tracker_update (tracker, 3 * SECOND, &face, 1, &params);
  id = first_track (tracker)->id;
  g_assert_false (fa_tracker_needs_detection (tracker,
          3 * SECOND - 5 * MSECOND, &params));
  fa_tracker_predict (tracker, 3 * SECOND - 5 * MSECOND, &params);
  g_assert_nonnull (find_track (tracker, id));
  fa_tracker_update (tracker, 3 * SECOND - 2 * MSECOND, NULL, 0, &params);
  g_assert_nonnull (find_track (tracker, id));
  fa_tracker_free (tracker);
}

static void
test_forward_jump (void)
{
  Mover m = { 200, 500, 600, 0, 100 };
  FaTrackerParams params;
  FaTracker *tracker = fa_tracker_new ();
  FaBox last = { 0, };
  gint64 t = 0;
  gint i;

  fa_tracker_params_init (&params, 1920, 1080);
  for (i = 0; i < 15; i++) {
    t = frame_time (i, 30);
    last = mover_at (&m, t);
    fa_tracker_update (tracker, t, &last, 1, &params);
  }

  /* A 10 s gap with the default 1 s hold: the old track is gone, on a
   * predicted frame as on a detected one, and a detection is asked for. */
  g_assert_true (fa_tracker_needs_detection (tracker, t + 10 * SECOND,
          &params));
  g_assert_false (fa_tracker_needs_detection (tracker, t + SECOND / 30,
          &params));
  fa_tracker_predict (tracker, t + 10 * SECOND, &params);
  g_assert_cmpuint (n_tracks (tracker), ==, 0);

  /* A hold longer than the gap keeps it, but never flung: at most half a
   * second of its velocity away, and finite. */
  fa_tracker_reset (tracker);
  params.hold_time = 20 * SECOND;
  for (i = 0; i < 15; i++) {
    t = frame_time (i, 30);
    last = mover_at (&m, t);
    fa_tracker_update (tracker, t, &last, 1, &params);
  }
  fa_tracker_update (tracker, t + 10 * SECOND, NULL, 0, &params);
  g_assert_cmpuint (n_tracks (tracker), ==, 1);
  {
    const FaTrack *tr = first_track (tracker);

    g_assert_true (box_finite (&tr->box));
    g_assert_cmpfloat (fabs (centre_x (&tr->box) - centre_x (&last)), <=,
        600 * 0.5);
    g_assert_cmpfloat (fabs (centre_y (&tr->box) - centre_y (&last)), <, 1.0);
    g_assert_cmpfloat (tr->box.w, >, last.w);
  }
  fa_tracker_free (tracker);
}

static void
test_reset (void)
{
  FaTrackerParams params;
  FaTracker *tracker = fa_tracker_new ();
  FaBox faces[2] = { box_centred (100, 100, 50, 50),
    box_centred (400, 300, 80, 80)
  };
  guint max_id = 0, i, n;
  const FaTrack *tracks;

  fa_tracker_params_init (&params, 640, 480);
  fa_tracker_update (tracker, 0, faces, 2, &params);
  fa_tracker_update (tracker, SECOND / 30, faces, 2, &params);
  tracks = fa_tracker_get_tracks (tracker, &n);
  g_assert_cmpuint (n, ==, 2);
  for (i = 0; i < n; i++)
    max_id = MAX (max_id, tracks[i].id);

  fa_tracker_reset (tracker);
  g_assert_cmpuint (n_tracks (tracker), ==, 0);
  g_assert_true (fa_tracker_needs_detection (tracker, SECOND / 15, &params));
  fa_tracker_predict (tracker, SECOND / 15, &params);
  g_assert_cmpuint (n_tracks (tracker), ==, 0);

  /* Ids keep counting, so nothing downstream confuses old and new. */
  fa_tracker_update (tracker, SECOND / 10, faces, 2, &params);
  tracks = fa_tracker_get_tracks (tracker, &n);
  g_assert_cmpuint (n, ==, 2);
  for (i = 0; i < n; i++) {
    g_assert_cmpuint (tracks[i].id, >, max_id);
    g_assert_false (tracks[i].confirmed);
  }
  fa_tracker_free (tracker);
}

static void
test_leave_frame (void)
{
  Mover m = { 400, 240, 600, 0, 60 };
  FaTrackerParams params;
  FaTracker *tracker = fa_tracker_new ();
  gint64 last_seen = 0;
  gboolean dropped = FALSE;
  gint i;

  fa_tracker_params_init (&params, 640, 480);
  for (i = 0; i < 30 && !dropped; i++) {
    gint64 t = frame_time (i, 30);
    FaBox face = mover_at (&m, t);
    /* Detectors lose faces that are half out of the picture. */
    gboolean seen = centre_x (&face) < 640;
    guint n;
    const FaTrack *tracks;

    fa_tracker_update (tracker, t, &face, seen ? 1 : 0, &params);
    if (seen)
      last_seen = t;
    tracks = fa_tracker_get_tracks (tracker, &n);
    g_assert_cmpuint (n, <=, 1);
    if (n == 1) {
      FaBox visible = face;

      /* Whatever is left of the face in the picture stays masked. */
      visible.w = MIN (visible.x + visible.w, 640) - visible.x;
      if (visible.w > 0)
        g_assert_true (covers (&tracks[0].box, &visible, 0.0));
      g_assert_cmpfloat (tracks[0].box.x, <, 640);
    } else {
      g_assert_cmpfloat (face.x, >=, 640);
      dropped = TRUE;
    }
  }
  /* Gone once it left, long before the hold ran out. */
  g_assert_true (dropped);
  g_assert_cmpint (frame_time (i - 1, 30) - last_seen, <, params.hold_time / 2);

  /* A box wholly outside has nothing to mask; one partly inside does. */
  fa_tracker_reset (tracker);
  {
    FaBox outside[2] = { box_centred (700, 240, 100, 100),
      box_centred (240, -60, 100, 100)
    };
    FaBox partly = box_centred (660, 240, 100, 100);

    fa_tracker_update (tracker, 0, outside, 2, &params);
    g_assert_cmpuint (n_tracks (tracker), ==, 0);
    fa_tracker_update (tracker, SECOND / 30, &partly, 1, &params);
    g_assert_cmpuint (n_tracks (tracker), ==, 1);
  }

  /* Without a frame size nothing counts as outside. */
  fa_tracker_reset (tracker);
  params.frame_width = params.frame_height = 0;
  {
    FaBox far = box_centred (5000, -3000, 100, 100);

    fa_tracker_update (tracker, 0, &far, 1, &params);
    g_assert_cmpuint (n_tracks (tracker), ==, 1);
  }
  fa_tracker_free (tracker);
}

static void
test_unconfirmed_grows (void)
{
  FaTrackerParams params;
  FaTracker *tracker = fa_tracker_new ();
  FaBox face = box_centred (320, 240, 80, 100);
  const FaTrack *tr;
  gfloat prev_w;
  guint id;
  gint i;

  fa_tracker_params_init (&params, 640, 480);
  params.confirm_hits = 3;

  /* Masked on its very first detection, exactly. */
  fa_tracker_update (tracker, 0, &face, 1, &params);
  g_assert_cmpuint (n_tracks (tracker), ==, 1);
  tr = first_track (tracker);
  g_assert_false (tr->confirmed);
  g_assert_true (tr->detected);
  g_assert_true (box_equal (&tr->box, &face));
  id = tr->id;
  prev_w = tr->box.w;

  /* Unconfirmed and missed: held, growing about its centre. */
  for (i = 1; i <= 4; i++) {
    gint64 t = frame_time (i, 30);

    fa_tracker_update (tracker, t, NULL, 0, &params);
    tr = find_track (tracker, id);
    g_assert_nonnull (tr);
    g_assert_false (tr->confirmed);
    g_assert_cmpfloat (tr->box.w, >, prev_w);
    g_assert_cmpfloat (fabs (tr->box.w - 80 * (1 + 0.5 * secs (t))), <, 0.01);
    g_assert_cmpfloat (fabs (tr->box.h - 100 * (1 + 0.5 * secs (t))), <, 0.01);
    g_assert_cmpfloat (fabs (centre_x (&tr->box) - 320), <, 0.01);
    g_assert_cmpfloat (fabs (centre_y (&tr->box) - 240), <, 0.01);
    g_assert_true (covers (&tr->box, &face, 0.0));
    prev_w = tr->box.w;
  }

  /* Confirmed by the third detection, not the second. */
  fa_tracker_update (tracker, frame_time (5, 30), &face, 1, &params);
  tr = find_track (tracker, id);
  g_assert_nonnull (tr);
  g_assert_false (tr->confirmed);
  g_assert_true (box_equal (&tr->box, &face));
  fa_tracker_update (tracker, frame_time (6, 30), &face, 1, &params);
  tr = find_track (tracker, id);
  g_assert_nonnull (tr);
  g_assert_true (tr->confirmed);
  /* And it stays confirmed when missed. */
  fa_tracker_update (tracker, frame_time (7, 30), NULL, 0, &params);
  g_assert_true (find_track (tracker, id)->confirmed);

  /* confirm_hits of 1 (or less) confirms at once. */
  fa_tracker_reset (tracker);
  params.confirm_hits = 0;
  fa_tracker_update (tracker, 0, &face, 1, &params);
  g_assert_true (first_track (tracker)->confirmed);
  fa_tracker_free (tracker);
}

static void
test_invalid_boxes (void)
{
  FaTrackerParams params;
  FaTracker *tracker = fa_tracker_new ();
  FaBox good = box_centred (200, 200, 60, 60);
  FaBox dets[8];
  const FaTrack *tracks;
  guint n, i;

  fa_tracker_params_init (&params, 640, 480);
  for (i = 0; i < G_N_ELEMENTS (dets); i++)
    dets[i] = box_centred (400, 300, 50, 50);
  dets[0].x = NAN;
  dets[1].y = INFINITY;
  dets[2].w = -50;
  dets[3].h = 0;
  dets[4].h = NAN;
  dets[5].w = INFINITY;
  dets[6].x = 1e30f;
  dets[7] = good;
  dets[7].score = NAN;

  fa_tracker_update (tracker, 0, dets, G_N_ELEMENTS (dets), &params);
  tracks = fa_tracker_get_tracks (tracker, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_true (box_equal (&tracks[0].box, &good));
  g_assert_true (isfinite (tracks[0].score));

  /* Bad boxes next to a tracked face neither pair with it nor poison it. */
  for (i = 1; i < 10; i++) {
    dets[7] = good;
    fa_tracker_update (tracker, frame_time (i, 30), dets,
        i % 3 ? G_N_ELEMENTS (dets) : 7, &params);
    tracks = fa_tracker_get_tracks (tracker, &n);
    g_assert_cmpuint (n, ==, 1);
    g_assert_true (box_finite (&tracks[0].box));
    g_assert_true (covers (&tracks[0].box, &good, 0.0));
  }

  /* Nonsense parameters are pulled back to safe ones: a NaN or negative
   * growth must not shrink a lost face's mask. */
  params.growth = NAN;
  params.match_iou = NAN;
  fa_tracker_update (tracker, frame_time (10, 30), NULL, 0, &params);
  tracks = fa_tracker_get_tracks (tracker, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_true (covers (&tracks[0].box, &good, 0.0));
  params.growth = -5;
  params.hold_time = -1;
  fa_tracker_update (tracker, frame_time (11, 30), &good, 1, &params);
  fa_tracker_update (tracker, frame_time (11, 30), NULL, 0, &params);
  tracks = fa_tracker_get_tracks (tracker, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_true (covers (&tracks[0].box, &good, 0.0));
  fa_tracker_free (tracker);
}

/* A hand over the top of a tracked face: the detector now reports only its
 * lower half. The mask still covers the detection, but does not suddenly
 * unmask the rest of the face. */
static void
test_partial_detection (void)
{
  FaTrackerParams params;
  FaTracker *tracker = fa_tracker_new ();
  FaBox face = box_centred (320, 240, 120, 120);
  FaBox part = box_centred (320, 270, 80, 60);
  gdouble prev_w = G_MAXDOUBLE;
  guint id;
  gint i;

  fa_tracker_params_init (&params, 640, 480);
  for (i = 0; i < 30; i++)
    fa_tracker_update (tracker, frame_time (i, 30), &face, 1, &params);
  id = first_track (tracker)->id;

  for (; i < 40; i++) {
    const FaTrack *tr;

    fa_tracker_update (tracker, frame_time (i, 30), &part, 1, &params);
    g_assert_cmpuint (n_tracks (tracker), ==, 1);
    tr = find_track (tracker, id);
    g_assert_nonnull (tr);
    g_assert_true (tr->detected);
    g_assert_true (covers (&tr->box, &part, 0.0));
    /* Shrinking towards the detection, at a bounded pace. */
    g_assert_cmpfloat (tr->box.w, <, prev_w);
    g_assert_cmpfloat (covered_fraction (&tr->box, &face), >=,
        exp (-2 * (secs (frame_time (i, 30) - frame_time (29, 30)))) - 0.01);
    prev_w = tr->box.w;
  }
  fa_tracker_update (tracker, frame_time (i, 30), &face, 1, &params);
  g_assert_nonnull (find_track (tracker, id));
  g_assert_true (covers (&find_track (tracker, id)->box, &face, 0.0));
  fa_tracker_free (tracker);
}

/* Every detection is in the output, exactly, however many overlap. */
static void
test_every_detection_output (void)
{
  FaTrackerParams params;
  FaTracker *tracker = fa_tracker_new ();
  FaBox dets[4] = { box_centred (300, 200, 80, 80),
    box_centred (300, 200, 80, 80),
    box_centred (305, 205, 70, 90),
    box_centred (100, 100, 40, 40)
  };
  const FaTrack *tracks;
  guint n, i, j;

  fa_tracker_params_init (&params, 640, 480);
  fa_tracker_update (tracker, 0, dets, 1, &params);
  fa_tracker_update (tracker, SECOND / 30, dets, 4, &params);
  tracks = fa_tracker_get_tracks (tracker, &n);
  g_assert_cmpuint (n, ==, 4);
  for (j = 0; j < 4; j++) {
    gboolean found = FALSE;

    for (i = 0; i < n; i++)
      found |= tracks[i].detected && box_equal (&tracks[i].box, &dets[j]);
    g_assert_true (found);
  }
  /* Ids in increasing order, none twice. */
  for (i = 1; i < n; i++)
    g_assert_cmpuint (tracks[i - 1].id, <, tracks[i].id);

  /* A detector without NMS: a pile of overlapping boxes, all masked. */
  {
    FaBox pile[300];

    for (j = 0; j < G_N_ELEMENTS (pile); j++)
      pile[j] = box_centred (300 + j % 17, 200 + j % 13, 80 + j % 7, 80);
    fa_tracker_update (tracker, SECOND / 15, pile, G_N_ELEMENTS (pile),
        &params);
    tracks = fa_tracker_get_tracks (tracker, &n);
    g_assert_cmpuint (n, >=, G_N_ELEMENTS (pile));
    for (j = 0; j < G_N_ELEMENTS (pile); j++) {
      gboolean found = FALSE;

      for (i = 0; i < n; i++)
        found |= tracks[i].detected && covers (&tracks[i].box, &pile[j], 0.0);
      g_assert_true (found);
    }
  }
  fa_tracker_free (tracker);
}

/* When two detections compete for a track, the better overlap wins it. */
static void
test_best_pair_wins (void)
{
  FaTrackerParams params;
  FaTracker *tracker = fa_tracker_new ();
  FaBox face = box_centred (300, 200, 100, 100);
  FaBox dets[3] = { box_centred (330, 200, 100, 100),
    box_centred (303, 198, 100, 100),
    box_centred (270, 210, 100, 100)
  };
  guint id;

  fa_tracker_params_init (&params, 640, 480);
  fa_tracker_update (tracker, 0, &face, 1, &params);
  id = first_track (tracker)->id;
  fa_tracker_update (tracker, SECOND / 30, dets, 3, &params);
  g_assert_cmpuint (n_tracks (tracker), ==, 3);
  g_assert_true (covers (&find_track (tracker, id)->box, &dets[1], 0.0));
  g_assert_false (covers (&find_track (tracker, id)->box, &dets[0], 0.0));
  g_assert_false (covers (&find_track (tracker, id)->box, &dets[2], 0.0));
  g_assert_nonnull (track_with_box (tracker, &dets[0]));
  g_assert_nonnull (track_with_box (tracker, &dets[2]));
  g_assert_cmpuint (track_with_box (tracker, &dets[0])->id, >, id);
  g_assert_cmpuint (track_with_box (tracker, &dets[2])->id, >, id);
  fa_tracker_free (tracker);
}

/* A face that reappears off its prediction, by more than boxes overlap
 * but with its centre inside the track's mask, is still the same face; a
 * box of a quite different size there is not. */
static void
test_centre_fallback (void)
{
  FaTrackerParams params;
  FaTracker *tracker = fa_tracker_new ();
  FaBox face = box_centred (300, 200, 100, 100);
  FaBox jumped = box_centred (345, 245, 100, 100);
  FaBox small = box_centred (300, 200, 40, 40);
  guint id;
  gint i;

  fa_tracker_params_init (&params, 640, 480);
  params.match_iou = 0.2f;
  for (i = 0; i < 10; i++)
    fa_tracker_update (tracker, frame_time (i, 30), &face, 1, &params);
  id = first_track (tracker)->id;
  for (; i < 25; i++)
    fa_tracker_update (tracker, frame_time (i, 30), NULL, 0, &params);

  fa_tracker_update (tracker, frame_time (i++, 30), &small, 1, &params);
  g_assert_cmpuint (n_tracks (tracker), ==, 2);
  g_assert_false (find_track (tracker, id)->detected);

  fa_tracker_update (tracker, frame_time (i++, 30), &jumped, 1, &params);
  g_assert_nonnull (find_track (tracker, id));
  g_assert_true (find_track (tracker, id)->detected);
  g_assert_true (covers (&find_track (tracker, id)->box, &jumped, 0.0));
  fa_tracker_free (tracker);
}

/* Two faces cross; while they overlap the detector sees only the one in
 * front. The one behind stays masked and keeps its id, and so does the
 * one in front. */
static void
test_crossing (void)
{
  /* Not on quite the same row: two identical boxes would be a coin toss. */
  Mover a = { 100, 235, 300, 0, 80 };
  Mover b = { 500, 250, -300, 0, 80 };
  FaTrackerParams params;
  FaTracker *tracker = fa_tracker_new ();
  guint id_a = 0, id_b = 0;
  gint i, hidden = 0;

  fa_tracker_params_init (&params, 640, 480);
  for (i = 0; i <= 40; i++) {
    gint64 t = frame_time (i, 30);
    FaBox dets[2] = { mover_at (&a, t), mover_at (&b, t) };
    gboolean b_hidden = fabs (centre_x (&dets[0]) - centre_x (&dets[1])) < 50;
    const FaTrack *ta, *tb;

    fa_tracker_update (tracker, t, dets, b_hidden ? 1 : 2, &params);
    if (i == 0) {
      id_a = track_with_box (tracker, &dets[0])->id;
      id_b = track_with_box (tracker, &dets[1])->id;
    }
    g_assert_cmpuint (n_tracks (tracker), ==, 2);
    ta = find_track (tracker, id_a);
    tb = find_track (tracker, id_b);
    g_assert_nonnull (ta);
    g_assert_nonnull (tb);
    g_assert_true (ta->detected);
    g_assert_true (covers (&ta->box, &dets[0], 0.0));
    if (i >= 20)
      g_assert_true (box_equal (&ta->box, &dets[0]));
    if (b_hidden) {
      hidden++;
      g_assert_false (tb->detected);
      g_assert_true (covers (&tb->box, &dets[1], 0.0));
    } else {
      g_assert_true (tb->detected);
      g_assert_true (covers (&tb->box, &dets[1], 0.0));
      if (i >= 20)
        g_assert_true (box_equal (&tb->box, &dets[1]));
    }
  }
  /* The scene did hide one face for a while, and they did cross. */
  g_assert_cmpint (hidden, >=, 4);
  g_assert_cmpfloat (centre_x (&find_track (tracker, id_a)->box), >,
      centre_x (&find_track (tracker, id_b)->box) + 200);
  fa_tracker_free (tracker);
}

/* With the detector on one frame in five, the frames between follow the
 * face by its velocity and keep it covered. */
static void
test_detect_interval (void)
{
  Mover m = { 200, 150, 300, 120, 90 };
  FaTrackerParams params;
  FaTracker *tracker = fa_tracker_new ();
  guint id = 0;
  gint i;

  fa_tracker_params_init (&params, 1280, 720);
  for (i = 0; i < 90; i++) {
    gint64 t = frame_time (i, 30);
    FaBox face = mover_at (&m, t);
    gboolean detect = i % 5 == 0;
    const FaTrack *tr;
    guint n;

    g_assert_false (i > 0 && fa_tracker_needs_detection (tracker, t, &params));
    if (detect)
      fa_tracker_update (tracker, t, &face, 1, &params);
    else
      fa_tracker_predict (tracker, t, &params);
    tr = fa_tracker_get_tracks (tracker, &n);
    g_assert_cmpuint (n, ==, 1);
    if (i == 0)
      id = tr->id;
    g_assert_cmpuint (tr->id, ==, id);
    g_assert_true (tr->detected == detect);
    if (t >= SECOND / 2)
      g_assert_true (covers (&tr->box, &face, 0.0));
  }
  fa_tracker_free (tracker);
}

/* Faces on circles: the smooth but ever-turning motion of real heads. */
typedef struct
{
  gdouble ox, oy, r, omega, phase, size;
} Circler;

static FaBox
circler_at (const Circler * c, gint64 t)
{
  gdouble a = c->phase + c->omega * secs (t);

  return box_centred (c->ox + c->r * cos (a), c->oy + c->r * sin (a),
      c->size, c->size);
}


/* Ten thousand frames of three faces, random misses and one-frame false
 * positives: the output stays bounded, the output array is never
 * reallocated, every detection is masked, ids only ever increase, and the
 * faces stay masked, even on frames that missed them. */
static void
test_steady_state (void)
{
  static const Circler faces[3] = {
    {400, 300, 200, 1.0, 0.0, 100},
    {900, 400, 150, -1.5, 1.0, 80},
    {640, 360, 300, 0.6, 2.0, 120},
  };
  FaTrackerParams params;
  FaTracker *tracker = fa_tracker_new ();
  GRand *rand = g_rand_new_with_seed (20260101);
  const FaTrack *steady = NULL;
  guint max_id = 0, max_n = 0, prev_ids[64], n_prev = 0, n_poor = 0;
  gdouble worst = 1.0, loosest = 1.0;
  gboolean ever_seen[3] = { FALSE, FALSE, FALSE };
  gint i;

  fa_tracker_params_init (&params, 1280, 720);
  for (i = 0; i < 10000; i++) {
    gint64 t = frame_time (i, 30);
    FaBox dets[4], truth[3];
    guint n_dets = 0, n_faces, n, k, j;
    const FaTrack *tracks;

    for (k = 0; k < 3; k++) {
      truth[k] = circler_at (&faces[k], t);
      if (g_rand_double (rand) >= 0.15) {
        dets[n_dets++] = truth[k];
        ever_seen[k] = TRUE;
      }
    }
    n_faces = n_dets;
    if (i % 10 == 0)
      dets[n_dets++] = box_centred (g_rand_double_range (rand, 0, 1280),
          g_rand_double_range (rand, 0, 720), 50, 50);

    fa_tracker_update (tracker, t, dets, n_dets, &params);
    tracks = fa_tracker_get_tracks (tracker, &n);

    g_assert_cmpuint (n, <=, 16);
    max_n = MAX (max_n, n);
    if (i == 100)
      steady = tracks;
    if (i > 100)
      g_assert_true (tracks == steady);

    /* Every detection is masked; a face's not by a wildly larger mask. */
    for (j = 0; j < n_dets; j++) {
      gdouble tightest = G_MAXDOUBLE;

      for (k = 0; k < n; k++)
        if (tracks[k].detected && covers (&tracks[k].box, &dets[j], 0.0))
          tightest = MIN (tightest, (gdouble) tracks[k].box.w * tracks[k].box.h
              / ((gdouble) dets[j].w * dets[j].h));
      g_assert_cmpfloat (tightest, <, G_MAXDOUBLE);
      if (j < n_faces)
        loosest = MAX (loosest, tightest);
    }
    for (k = 0; k < n; k++) {
      gboolean known = FALSE;
      guint p;

      g_assert_true (box_finite (&tracks[k].box));
      if (k > 0)
        g_assert_cmpuint (tracks[k - 1].id, <, tracks[k].id);
      for (p = 0; p < n_prev; p++)
        known |= prev_ids[p] == tracks[k].id;
      if (!known) {
        g_assert_cmpuint (tracks[k].id, >, max_id);
        max_id = tracks[k].id;
      }
    }
    n_prev = n;
    for (k = 0; k < n; k++)
      prev_ids[k] = tracks[k].id;

    /* Nothing can mask a face before its first detection. */
    for (k = 0; k < 3; k++) {
      gdouble best = 0;

      if (!ever_seen[k])
        continue;
      for (j = 0; j < n; j++)
        best = MAX (best, covered_fraction (&tracks[j].box, &truth[k]));
      worst = MIN (worst, best);
      n_poor += best < 0.95;
    }
  }
  g_test_message ("at most %u tracks, %u ids, worst face coverage %.3f, "
      "%u of 30000 below 0.95, largest mask / detection area %.3f", max_n,
      max_id, worst, n_poor, loosest);
  /* Long runs of misses on a turning head can out-run the mask by a
   * little; a padded mask (FaMaskParams.scale) covers that, not a gap. */
  g_assert_cmpfloat (worst, >=, 0.85);
  g_assert_cmpuint (n_poor, <=, 30);
  g_assert_cmpfloat (loosest, <=, 2.0);
  g_rand_free (rand);
  fa_tracker_free (tracker);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tracker/defaults", test_defaults);
  g_test_add_func ("/tracker/two-faces-keep-ids", test_two_faces_keep_ids);
  g_test_add_func ("/tracker/miss-five-frames", test_miss_five_frames);
  g_test_add_func ("/tracker/hold-expiry", test_hold_expiry);
  g_test_add_func ("/tracker/reacquire", test_reacquire);
  g_test_add_func ("/tracker/reacquire-moving", test_reacquire_moving);
  g_test_add_func ("/tracker/frame-rate-independent",
      test_frame_rate_independent);
  g_test_add_func ("/tracker/time-backwards", test_time_backwards);
  g_test_add_func ("/tracker/forward-jump", test_forward_jump);
  g_test_add_func ("/tracker/reset", test_reset);
  g_test_add_func ("/tracker/leave-frame", test_leave_frame);
  g_test_add_func ("/tracker/unconfirmed-grows", test_unconfirmed_grows);
  g_test_add_func ("/tracker/invalid-boxes", test_invalid_boxes);
  g_test_add_func ("/tracker/partial-detection", test_partial_detection);
  g_test_add_func ("/tracker/every-detection-output",
      test_every_detection_output);
  g_test_add_func ("/tracker/best-pair-wins", test_best_pair_wins);
  g_test_add_func ("/tracker/centre-fallback", test_centre_fallback);
  g_test_add_func ("/tracker/crossing", test_crossing);
  g_test_add_func ("/tracker/detect-interval", test_detect_interval);
  g_test_add_func ("/tracker/steady-state", test_steady_state);

  return g_test_run ();
}
