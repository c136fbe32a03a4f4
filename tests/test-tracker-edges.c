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

/* Unit tests of the face tracker at the edges of its input: its defaults,
 * time that goes backwards or jumps, a reset, faces that leave the frame,
 * boxes that are not boxes, piles of overlapping detections and a long
 * run. Whatever comes in, every detection is masked and nothing flies
 * off. Faces followed through misses are in test-tracker.c. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>

#include "tracker-check.h"

/* --- defaults and time ------------------------------------------------ */

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

/* The detector sees @m on frames 0 to @n - 1 at 30 fps: its last
 * detection, and the time of it in @t. */
static FaBox
see_moving (FaTracker * tracker, const FaTrackerParams * params,
    const Mover * m, gint n, gint64 * t)
{
  FaBox last = { 0, };
  gint i;

  for (i = 0; i < n; i++) {
    *t = frame_time (i, 30);
    last = mover_at (m, *t);
    fa_tracker_update (tracker, *t, &last, 1, params);
  }
  return last;
}

static void
test_forward_jump (void)
{
  Mover m = { 200, 500, 600, 0, 100, 100 };
  FaTrackerParams params;
  FaTracker *tracker = fa_tracker_new ();
  FaBox last;
  gint64 t = 0;

  fa_tracker_params_init (&params, 1920, 1080);
  see_moving (tracker, &params, &m, 15, &t);

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
  last = see_moving (tracker, &params, &m, 15, &t);
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

/* --- leaving the frame -------------------------------------------------- */

/* Detectors lose faces that are half out of the picture. */
static gboolean
sees_while_in_picture (Scene * s)
{
  sees_faces (s);
  if (!(centre_x (&s->truth[0]) < 640))
    s->n_dets = 0;
  return TRUE;
}

static void
check_leaving (Scene * s)
{
  const FaBox *face = &s->truth[0];
  const FaTrack *tracks;
  guint n;

  tracks = fa_tracker_get_tracks (s->tracker, &n);
  g_assert_cmpuint (n, <=, 1);
  if (n == 1) {
    FaBox visible = *face;

    /* Whatever is left of the face in the picture stays masked. */
    visible.w = MIN (visible.x + visible.w, 640) - visible.x;
    if (visible.w > 0)
      g_assert_true (covers (&tracks[0].box, &visible, 0.0));
    g_assert_cmpfloat (tracks[0].box.x, <, 640);
  } else {
    g_assert_cmpfloat (face->x, >=, 640);
    s->gone = s->stop = TRUE;
  }
}

static void
check_left (Scene * s)
{
  FaTracker *tracker = s->tracker;
  FaTrackerParams *params = &s->params;

  /* Gone once it left, long before the hold ran out. */
  g_assert_true (s->gone);
  g_assert_cmpint (s->t - s->last_seen, <, params->hold_time / 2);

  /* A box wholly outside has nothing to mask; one partly inside does. */
  fa_tracker_reset (tracker);
  {
    FaBox outside[2] = { box_centred (700, 240, 100, 100),
      box_centred (240, -60, 100, 100)
    };
    FaBox partly = box_centred (660, 240, 100, 100);

    fa_tracker_update (tracker, 0, outside, 2, params);
    g_assert_cmpuint (n_tracks (tracker), ==, 0);
    fa_tracker_update (tracker, SECOND / 30, &partly, 1, params);
    g_assert_cmpuint (n_tracks (tracker), ==, 1);
  }

  /* Without a frame size nothing counts as outside. */
  fa_tracker_reset (tracker);
  params->frame_width = params->frame_height = 0;
  {
    FaBox far = box_centred (5000, -3000, 100, 100);

    fa_tracker_update (tracker, 0, &far, 1, params);
    g_assert_cmpuint (n_tracks (tracker), ==, 1);
  }
}

/* *INDENT-OFF* */
static const SceneCase scenes[] = {
  {"leave-frame", 640, 480, 30, {0}, 0, 0,
    1, {{400, 240, 600, 0, 60, 60}}, {
      {30, sees_while_in_picture, NULL, check_leaving, NULL}},
    check_left},
};
/* *INDENT-ON* */

/* --- bad boxes and many of them ------------------------------------------ */

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

/* A small face found by a fine tile, which the whole-frame pass cannot
 * see: between the tile's visits no search could find it, so its hold
 * does not run; it stays masked through several hold times until the tile
 * is searched again, and goes at the second visit that misses it (only
 * the latest gap between searches is forgiven, as between detections).
 * Searched by everything each time, it goes after the hold. */
static void
test_unsearched_face_held (void)
{
  const FaBox face = box_centred (100, 100, 20, 20);
  const FaSearch whole = { {0, 0, 640, 480}, 60.f };
  const FaSearch both[2] = { {{0, 0, 640, 480}, 60.f},
  {{0, 0, 320, 240}, 10.f}
  };
  FaTrackerParams params;
  FaTracker *tracker = fa_tracker_new ();

  fa_tracker_params_init (&params, 640, 480);
  params.hold_time = 100 * MSECOND;

  fa_tracker_update_searched (tracker, frame_time (0, 30), &face, 1, both, 2,
      &params);
  g_assert_cmpuint (n_tracks (tracker), ==, 1);
  /* 14 frames, 467 ms, without its tile: held */
  for (gint i = 1; i < 15; i++) {
    fa_tracker_update_searched (tracker, frame_time (i, 30), NULL, 0, &whole,
        1, &params);
    g_assert_cmpuint (n_tracks (tracker), ==, 1);
    g_assert_true (covers (&first_track (tracker)->box, &face, 0.0));
  }
  /* its tile again, and missed: one frame counts, still held */
  fa_tracker_update_searched (tracker, frame_time (15, 30), NULL, 0, both, 2,
      &params);
  g_assert_cmpuint (n_tracks (tracker), ==, 1);
  for (gint i = 16; i < 30; i++) {
    fa_tracker_update_searched (tracker, frame_time (i, 30), NULL, 0, &whole,
        1, &params);
    g_assert_cmpuint (n_tracks (tracker), ==, 1);
  }
  /* missed at the next visit as well: 16 frames since the last sight that
   * a search could have made, longer than the hold */
  fa_tracker_update_searched (tracker, frame_time (30, 30), NULL, 0, both, 2,
      &params);
  g_assert_cmpuint (n_tracks (tracker), ==, 0);

  /* searched at every scale each time (NULL): gone after the hold */
  fa_tracker_reset (tracker);
  fa_tracker_update (tracker, frame_time (100, 30), &face, 1, &params);
  for (gint i = 101; i < 105; i++)
    fa_tracker_update_searched (tracker, frame_time (i, 30), NULL, 0, NULL, 0,
        &params);
  g_assert_cmpuint (n_tracks (tracker), ==, 0);
  fa_tracker_free (tracker);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tracker/defaults", test_defaults);
  g_test_add_func ("/tracker/time-backwards", test_time_backwards);
  g_test_add_func ("/tracker/forward-jump", test_forward_jump);
  g_test_add_func ("/tracker/reset", test_reset);
  add_scenes (scenes, G_N_ELEMENTS (scenes));
  g_test_add_func ("/tracker/invalid-boxes", test_invalid_boxes);
  g_test_add_func ("/tracker/every-detection-output",
      test_every_detection_output);
  g_test_add_func ("/tracker/best-pair-wins", test_best_pair_wins);
  g_test_add_func ("/tracker/steady-state", test_steady_state);
  g_test_add_func ("/tracker/unsearched-face-held", test_unsearched_face_held);

  return g_test_run ();
}
