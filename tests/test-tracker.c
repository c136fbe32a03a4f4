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

/* Unit tests of the face tracker: faces followed through the frames a
 * detector misses them on, asserting what a user cares about: that they
 * stayed masked, under the same id, and that nothing lingers or flies
 * off. The tracker at the edges of its input (time going backwards or
 * jumping, faces leaving the frame, bad boxes, long runs) is in
 * test-tracker-edges.c; the scenes and their runner in tracker-check.h. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "tracker-check.h"

/* --- what the checks keep ------------------------------------------------ */

static void
keep_first_id (Scene * s)
{
  s->id[0] = first_track (s->tracker)->id;
}

static void
keep_only_id (Scene * s)
{
  g_assert_cmpuint (n_tracks (s->tracker), ==, 1);
  s->id[0] = first_track (s->tracker)->id;
}

/* --- two faces ----------------------------------------------------------- */

/* Detectors list faces in no stable order. */
static gboolean
sees_in_any_order (Scene * s)
{
  s->dets[s->i % 2] = s->truth[0];
  s->dets[1 - s->i % 2] = s->truth[1];
  s->n_dets = 2;
  return TRUE;
}

static void
check_two_faces (Scene * s)
{
  const FaBox *dets = s->dets;
  gint i = s->i;
  const FaTrack *ta, *tb;

  g_assert_cmpuint (n_tracks (s->tracker), ==, 2);
  if (i == 0) {
    g_assert_nonnull (track_with_box (s->tracker, &dets[0]));
    g_assert_nonnull (track_with_box (s->tracker, &dets[1]));
    s->id[0] = track_with_box (s->tracker, &dets[0])->id;
    s->id[1] = track_with_box (s->tracker, &dets[1])->id;
    g_assert_cmpuint (s->id[0], !=, s->id[1]);
  }

  ta = find_track (s->tracker, s->id[0]);
  tb = find_track (s->tracker, s->id[1]);
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
  g_assert_cmpint (ta->last_seen, ==, s->t);
  /* Confirmed on the second detection, not before. */
  g_assert_true (ta->confirmed == (i >= 1));
  g_assert_true (tb->confirmed == (i >= 1));
}

/* --- missed frames ------------------------------------------------------- */

static void
check_held_at_prediction (Scene * s)
{
  const Mover *m = &s->c->faces[0];
  const FaBox *face = &s->truth[0];
  gdouble lost = secs (s->t - s->last_seen);
  const FaTrack *tr;

  g_assert_cmpuint (n_tracks (s->tracker), ==, 1);
  tr = find_track (s->tracker, s->id[0]);
  g_assert_nonnull (tr);
  g_assert_false (tr->detected);
  g_assert_true (tr->confirmed);
  g_assert_cmpint (tr->last_seen, ==, s->last_seen);

  /* At the predicted place: it moved on with the face... */
  g_assert_cmpfloat (centre_x (&tr->box) - centre_x (&s->last_det), >,
      0.9 * m->vx * lost);
  g_assert_cmpfloat (fabs (centre_x (&tr->box) - centre_x (face)), <, 2.0);
  g_assert_cmpfloat (fabs (centre_y (&tr->box) - centre_y (face)), <, 0.5);
  /* ...with a mask grown by growth per second lost... */
  g_assert_cmpfloat (fabs (tr->box.w - m->w * (1 + 0.5 * lost)), <, 0.01);
  g_assert_cmpfloat (fabs (tr->box.h - m->h * (1 + 0.5 * lost)), <, 0.01);
  /* ...so the face is still masked. */
  g_assert_true (covers (&tr->box, face, 0.0));
}

/* Seen again where it really is: same id. */
static void
check_seen_again (Scene * s)
{
  const FaTrack *tr;

  g_assert_cmpuint (n_tracks (s->tracker), ==, 1);
  tr = find_track (s->tracker, s->id[0]);
  g_assert_nonnull (tr);
  g_assert_true (tr->detected);
  g_assert_true (box_equal (&tr->box, &s->truth[0]));
}

/* The detector runs on every other frame, and finds nothing. */
static gboolean
misses_every_other (Scene * s)
{
  return s->i % 2;
}

static void
check_held_for_hold_time (Scene * s)
{
  gboolean held = s->t - s->last_seen <= s->params.hold_time;

  g_assert_cmpuint (n_tracks (s->tracker), ==, held ? 1 : 0);
  if (held)
    g_assert_true (covers (&first_track (s->tracker)->box, &s->truth[0], 0.0));
  s->gone |= !held;
}

static void
check_gone (Scene * s)
{
  g_assert_true (s->gone);
}

/* --- reacquiring --------------------------------------------------------- */

static void
check_same_track_detected (Scene * s)
{
  g_assert_cmpuint (n_tracks (s->tracker), ==, 1);
  g_assert_nonnull (find_track (s->tracker, s->id[0]));
  g_assert_true (find_track (s->tracker, s->id[0])->detected);
}

static void
check_new_track (Scene * s)
{
  g_assert_cmpuint (n_tracks (s->tracker), ==, 1);
  g_assert_null (find_track (s->tracker, s->id[0]));
  g_assert_cmpuint (first_track (s->tracker)->id, >, s->id[0]);
}

static void
check_keeps_up (Scene * s)
{
  g_assert_nonnull (find_track (s->tracker, s->id[0]));
  /* Over a short loss the mask keeps up with the face. */
  if (s->t - s->last_seen <= SECOND / 5)
    g_assert_true (covers (&find_track (s->tracker, s->id[0])->box,
            &s->truth[0], 0.0));
}

static void
check_picked_up_further_on (Scene * s)
{
  /* where it was last seen, on frame 19 */
  FaBox last = mover_at (&s->c->faces[0], frame_time (19, 30));

  g_assert_cmpfloat (s->truth[0].x, >, last.x + last.w);
  check_same_track_detected (s);
}

/* --- confirmation -------------------------------------------------------- */

static void
check_masked_at_once (Scene * s)
{
  const FaTrack *tr;

  g_assert_cmpuint (n_tracks (s->tracker), ==, 1);
  tr = first_track (s->tracker);
  g_assert_false (tr->confirmed);
  g_assert_true (tr->detected);
  g_assert_true (box_equal (&tr->box, &s->truth[0]));
  s->id[0] = tr->id;
  s->prev_w = tr->box.w;
}

static void
check_grows_about_centre (Scene * s)
{
  const Mover *m = &s->c->faces[0];
  const FaTrack *tr = find_track (s->tracker, s->id[0]);

  g_assert_nonnull (tr);
  g_assert_false (tr->confirmed);
  g_assert_cmpfloat (tr->box.w, >, s->prev_w);
  g_assert_cmpfloat (fabs (tr->box.w - m->w * (1 + 0.5 * secs (s->t))), <,
      0.01);
  g_assert_cmpfloat (fabs (tr->box.h - m->h * (1 + 0.5 * secs (s->t))), <,
      0.01);
  g_assert_cmpfloat (fabs (centre_x (&tr->box) - m->cx), <, 0.01);
  g_assert_cmpfloat (fabs (centre_y (&tr->box) - m->cy), <, 0.01);
  g_assert_true (covers (&tr->box, &s->truth[0], 0.0));
  s->prev_w = tr->box.w;
}

static void
check_not_confirmed_yet (Scene * s)
{
  const FaTrack *tr = find_track (s->tracker, s->id[0]);

  g_assert_nonnull (tr);
  g_assert_false (tr->confirmed);
  g_assert_true (box_equal (&tr->box, &s->truth[0]));
}

static void
check_confirmed (Scene * s)
{
  const FaTrack *tr = find_track (s->tracker, s->id[0]);

  g_assert_nonnull (tr);
  g_assert_true (tr->confirmed);
}

static void
check_still_confirmed (Scene * s)
{
  g_assert_true (find_track (s->tracker, s->id[0])->confirmed);
}

/* confirm_hits of 1 (or less) confirms at once. */
static void
check_confirm_at_once (Scene * s)
{
  FaBox face = mover_at (&s->c->faces[0], 0);

  fa_tracker_reset (s->tracker);
  s->params.confirm_hits = 0;
  fa_tracker_update (s->tracker, 0, &face, 1, &s->params);
  g_assert_true (first_track (s->tracker)->confirmed);
}

/* --- a shrinking detection ----------------------------------------------- */

static void
check_shrinks_towards_detection (Scene * s)
{
  const FaTrack *tr;

  g_assert_cmpuint (n_tracks (s->tracker), ==, 1);
  tr = find_track (s->tracker, s->id[0]);
  g_assert_nonnull (tr);
  g_assert_true (tr->detected);
  g_assert_true (covers (&tr->box, &s->dets[0], 0.0));
  /* Shrinking towards the detection, at a bounded pace. */
  g_assert_cmpfloat (tr->box.w, <, s->prev_w);
  g_assert_cmpfloat (covered_fraction (&tr->box, &s->truth[0]), >=,
      exp (-2 * (secs (s->t - frame_time (29, 30)))) - 0.01);
  s->prev_w = tr->box.w;
}

static void
check_covers_face (Scene * s)
{
  g_assert_nonnull (find_track (s->tracker, s->id[0]));
  g_assert_true (covers (&find_track (s->tracker, s->id[0])->box,
          &s->truth[0], 0.0));
}

/* --- a face off its prediction ------------------------------------------- */

static void
check_other_size_not_matched (Scene * s)
{
  g_assert_cmpuint (n_tracks (s->tracker), ==, 2);
  g_assert_false (find_track (s->tracker, s->id[0])->detected);
}

static void
check_jump_matched (Scene * s)
{
  g_assert_nonnull (find_track (s->tracker, s->id[0]));
  g_assert_true (find_track (s->tracker, s->id[0])->detected);
  g_assert_true (covers (&find_track (s->tracker, s->id[0])->box,
          &s->dets[0], 0.0));
}

/* --- crossing ------------------------------------------------------------ */

/* While the faces overlap the detector sees only the one in front. */
static gboolean
sees_front_face (Scene * s)
{
  sees_faces (s);
  if (fabs (centre_x (&s->truth[0]) - centre_x (&s->truth[1])) < 50)
    s->n_dets = 1;
  return TRUE;
}

static void
check_crossing (Scene * s)
{
  gboolean b_hidden = s->n_dets == 1;
  const FaTrack *ta, *tb;

  if (s->i == 0) {
    s->id[0] = track_with_box (s->tracker, &s->truth[0])->id;
    s->id[1] = track_with_box (s->tracker, &s->truth[1])->id;
  }
  g_assert_cmpuint (n_tracks (s->tracker), ==, 2);
  ta = find_track (s->tracker, s->id[0]);
  tb = find_track (s->tracker, s->id[1]);
  g_assert_nonnull (ta);
  g_assert_nonnull (tb);
  g_assert_true (ta->detected);
  g_assert_true (covers (&ta->box, &s->truth[0], 0.0));
  if (s->i >= 20)
    g_assert_true (box_equal (&ta->box, &s->truth[0]));
  if (b_hidden) {
    s->hidden++;
    g_assert_false (tb->detected);
    g_assert_true (covers (&tb->box, &s->truth[1], 0.0));
  } else {
    g_assert_true (tb->detected);
    g_assert_true (covers (&tb->box, &s->truth[1], 0.0));
    if (s->i >= 20)
      g_assert_true (box_equal (&tb->box, &s->truth[1]));
  }
}

/* The scene did hide one face for a while, and they did cross. */
static void
check_crossed (Scene * s)
{
  g_assert_cmpint (s->hidden, >=, 4);
  g_assert_cmpfloat (centre_x (&find_track (s->tracker, s->id[0])->box), >,
      centre_x (&find_track (s->tracker, s->id[1])->box) + 200);
}

/* --- a detection interval ------------------------------------------------ */

/* The detector runs on one frame in five, and the tracker never asks for
 * one in between. */
static gboolean
sees_every_fifth (Scene * s)
{
  g_assert_false (s->i > 0 && fa_tracker_needs_detection (s->tracker, s->t,
          &s->params));
  if (s->i % 5 != 0)
    return FALSE;
  return sees_faces (s);
}

static void
check_followed (Scene * s)
{
  const FaTrack *tr;
  guint n;

  tr = fa_tracker_get_tracks (s->tracker, &n);
  g_assert_cmpuint (n, ==, 1);
  if (s->i == 0)
    s->id[0] = tr->id;
  g_assert_cmpuint (tr->id, ==, s->id[0]);
  g_assert_true (tr->detected == s->ran);
  if (s->t >= SECOND / 2)
    g_assert_true (covers (&tr->box, &s->truth[0], 0.0));
}

/* --- the scenes ---------------------------------------------------------- */

/* What the detector sees instead of the face: the face moved a little
 * (reacquire), its lower half under a hand (partial-detection), a box of
 * a quite different size at its place and the face off its prediction
 * (centre-fallback). */
static const Mover moved = { 325, 238, 0, 0, 104, 100 };
static const Mover lower_half = { 320, 270, 0, 0, 80, 60 };
static const Mover small = { 300, 200, 0, 0, 40, 40 };
static const Mover jumped = { 345, 245, 0, 0, 100, 100 };

/* Each phase is a run of frames at the scene's rate on which the detector
 * sees the faces, misses them or does not run; checks after each frame
 * and after the phase. */
/* *INDENT-OFF* */
static const SceneCase scenes[] = {
  /* name, frame size and rate, hold times, confirm_hits, match_iou,
   * the faces, and the phases: {frames, detector, what it sees instead,
   * the check after each frame, the check after the phase} */
  {"two-faces-keep-ids", 640, 480, 30, {0}, 0, 0,
    2, {{100, 150, 120, 0, 80, 80}, {500, 300, -90, 30, 100, 100}}, {
      {60, sees_in_any_order, NULL, check_two_faces, NULL}},
    NULL},
  {"miss-five-frames", 640, 480, 30, {0}, 0, 0,
    1, {{100, 200, 150, 0, 80, 80}}, {
      {30, sees_faces, NULL, NULL, keep_only_id},
      {5, misses, NULL, check_held_at_prediction, NULL},
      {1, sees_faces, NULL, check_seen_again, NULL}},
    NULL},
  {"hold-expiry", 640, 480, 30, {SECOND, 500 * MSECOND, 2 * SECOND}, 0, 0,
    1, {{320, 240, 0, 0, 100, 100}}, {
      {10, sees_faces, NULL, NULL, NULL},
      {110, misses_every_other, NULL, check_held_for_hold_time, NULL}},
    check_gone},
  {"reacquire", 640, 480, 30, {0}, 0, 0,
    1, {{320, 240, 0, 0, 100, 100}}, {
      {10, sees_faces, NULL, NULL, keep_first_id},
      /* 0.6 s without it, shorter than the hold: the same face again */
      {18, misses, NULL, NULL, NULL},
      {1, sees_faces, &moved, NULL, check_same_track_detected},
      /* 1.2 s without it, longer than the hold: a new track */
      {36, misses, NULL, NULL, NULL},
      {1, sees_faces, NULL, NULL, check_new_track}},
    NULL},
  /* A fast face lost for 0.3 s is picked up where it went, thanks to its
   * velocity, not where it was last seen: by then it has moved further
   * than its own width. */
  {"reacquire-moving", 640, 480, 30, {0}, 0, 0,
    1, {{100, 240, 250, 0, 60, 60}}, {
      {20, sees_faces, NULL, NULL, keep_first_id},
      {9, misses, NULL, check_keeps_up, NULL},
      {1, sees_faces, NULL, NULL, check_picked_up_further_on}},
    NULL},
  {"unconfirmed-grows", 640, 480, 30, {0}, 3, 0,
    1, {{320, 240, 0, 0, 80, 100}}, {
      /* masked on its very first detection, exactly */
      {1, sees_faces, NULL, NULL, check_masked_at_once},
      /* unconfirmed and missed: held, growing about its centre */
      {4, misses, NULL, check_grows_about_centre, NULL},
      /* confirmed by the third detection, not the second */
      {1, sees_faces, NULL, NULL, check_not_confirmed_yet},
      {1, sees_faces, NULL, NULL, check_confirmed},
      /* and it stays confirmed when missed */
      {1, misses, NULL, NULL, check_still_confirmed}},
    check_confirm_at_once},
  /* A hand over the top of a tracked face: the detector now reports only
   * its lower half. The mask still covers the detection, but does not
   * suddenly unmask the rest of the face. */
  {"partial-detection", 640, 480, 30, {0}, 0, 0,
    1, {{320, 240, 0, 0, 120, 120}}, {
      {30, sees_faces, NULL, NULL, keep_first_id},
      {10, sees_faces, &lower_half, check_shrinks_towards_detection, NULL},
      {1, sees_faces, NULL, NULL, check_covers_face}},
    NULL},
  /* A face that reappears off its prediction, by more than boxes overlap
   * but with its centre inside the track's mask, is still the same face;
   * a box of a quite different size there is not. */
  {"centre-fallback", 640, 480, 30, {0}, 0, 0.2f,
    1, {{300, 200, 0, 0, 100, 100}}, {
      {10, sees_faces, NULL, NULL, keep_first_id},
      {15, misses, NULL, NULL, NULL},
      {1, sees_faces, &small, NULL, check_other_size_not_matched},
      {1, sees_faces, &jumped, NULL, check_jump_matched}},
    NULL},
  /* Two faces cross; while they overlap the detector sees only the one in
   * front. The one behind stays masked and keeps its id, and so does the
   * one in front. Not on quite the same row: two identical boxes would be
   * a coin toss. */
  {"crossing", 640, 480, 30, {0}, 0, 0,
    2, {{100, 235, 300, 0, 80, 80}, {500, 250, -300, 0, 80, 80}}, {
      {41, sees_front_face, NULL, check_crossing, NULL}},
    check_crossed},
  /* With the detector on one frame in five, the frames between follow the
   * face by its velocity and keep it covered. */
  {"detect-interval", 1280, 720, 30, {0}, 0, 0,
    1, {{200, 150, 300, 120, 90, 90}}, {
      {90, sees_every_fifth, NULL, check_followed, NULL}},
    NULL},
};
/* *INDENT-ON* */

/* --- frame rate ---------------------------------------------------------- */

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
  Mover m = { 100, 300, 200, -50, 90, 90 };
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_scenes (scenes, G_N_ELEMENTS (scenes));
  g_test_add_func ("/tracker/frame-rate-independent",
      test_frame_rate_independent);

  return g_test_run ();
}
