/* faceanon tests
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

/* The look-ahead's corrections (fa-lookahead.h), on a face that moves at a
 * known speed: masked back from its first detection along its path, the
 * mask growing, until it leaves the frame; bridged by interpolation when
 * lost and found again; never across a cut; a frame's own faces kept. */

#include "fa-lookahead.h"
#include "fa-tracker.h"

#define W 640
#define H 480
#define FPS 30
#define SIZE 40.0
#define SPEED 60.0              /* px per second, rightwards */
#define GROWTH 0.5

static gint64
t_of (gint f)
{
  return (gint64) f *G_GINT64_CONSTANT (1000000000) / FPS;
}

/* Where the face really is on frame @f. */
static FaBox
truth (gint f, gdouble x0)
{
  FaBox b = { (gfloat) (x0 + SPEED * f / FPS), 200, SIZE, SIZE, 0.9f };

  return b;
}

/* The tracker's output for a face seen (or, @detected FALSE, predicted at
 * @box) on frame @f, last detected on frame @seen_f. */
static FaTrack
track (guint id, gint f, gboolean detected, FaBox box, gint seen_f, gdouble x0,
    gboolean moving)
{
  FaTrack tr = { 0 };

  tr.id = id;
  tr.detected = detected;
  tr.box = box;
  tr.seen = truth (seen_f, x0);
  tr.last_seen = t_of (seen_f);
  tr.score = 0.9f;
  tr.confirmed = TRUE;
  tr.vx = moving ? (gfloat) SPEED : 0.f;
  (void) f;
  return tr;
}

static gboolean
covers (const FaBox * mask, const FaBox * face, gdouble slack)
{
  return mask->x <= face->x + slack && mask->y <= face->y + slack
      && mask->x + mask->w >= face->x + face->w - slack
      && mask->y + mask->h >= face->y + face->h - slack;
}

/* The face of id @id among @faces, or NULL. */
static const FaBox *
face_of (GArray * faces, GArray * ids, guint id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, guint, i) == id)
      return &g_array_index (faces, FaBox, i);
  return NULL;
}

/* Someone walks in: not found until frame 10 (a head turning), then
 * detected on every frame. Every held frame before 10 gets the face, at
 * its real place give or take a few pixels, the mask larger going back. */
static void
test_new_face_masked_back (void)
{
  FaLookahead *la = fa_lookahead_new ();
  GArray *faces = g_array_new (FALSE, FALSE, sizeof (FaBox));
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (guint));
  gdouble prev_w = G_MAXDOUBLE;

  for (gint f = 0; f < 20; f++) {
    FaTrack tr = track (7, f, TRUE, truth (f, 100), f, 100, f > 10);

    fa_lookahead_push (la, t_of (f), &tr, f >= 10, FALSE, W, H);
  }
  g_assert_cmpuint (fa_lookahead_len (la), ==, 20);
  for (gint f = 0; f < 10; f++) {
    FaBox real = truth (f, 100);
    const FaBox *b;

    g_array_set_size (faces, 0);
    g_array_set_size (ids, 0);
    fa_lookahead_pop (la, GROWTH, faces, ids);
    b = face_of (faces, ids, 7);
    g_assert_nonnull (b);
    g_assert_true (covers (b, &real, 1.0));
    /* the mask shrinks towards the first detection */
    g_assert_cmpfloat (b->w, <, prev_w);
    prev_w = b->w;
  }
  /* from its first detection on, as the tracker gave it */
  g_array_set_size (faces, 0);
  g_array_set_size (ids, 0);
  fa_lookahead_pop (la, GROWTH, faces, ids);
  g_assert_cmpuint (faces->len, ==, 1);
  {
    FaBox at10 = truth (10, 100);

    g_assert_cmpmem (face_of (faces, ids, 7), sizeof (FaBox), &at10,
        sizeof (FaBox));
  }
  g_array_unref (faces);
  g_array_unref (ids);
  fa_lookahead_free (la);
}

/* A face entering from the left edge: masked back only while some of it
 * is still in the frame. */
static void
test_backfill_stops_at_frame_edge (void)
{
  FaLookahead *la = fa_lookahead_new ();
  GArray *faces = g_array_new (FALSE, FALSE, sizeof (FaBox));
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (guint));
  /* half in the frame on frame 15, its first detection; moved back (and
   * grown), wholly outside from frame 3 back */
  gdouble x0 = -SIZE / 2 - SPEED * 15 / FPS;

  for (gint f = 0; f < 20; f++) {
    FaTrack tr = track (3, f, TRUE, truth (f, x0), f, x0, TRUE);

    fa_lookahead_push (la, t_of (f), &tr, f >= 15, FALSE, W, H);
  }
  for (gint f = 0; f < 15; f++) {
    g_array_set_size (faces, 0);
    g_array_set_size (ids, 0);
    fa_lookahead_pop (la, GROWTH, faces, ids);
    if (f <= 2)
      g_assert_null (face_of (faces, ids, 3));
    else if (f >= 4)
      g_assert_nonnull (face_of (faces, ids, 3));
  }
  g_array_unref (faces);
  g_array_unref (ids);
  fa_lookahead_free (la);
}

/* Lost on frames 5 to 9 (a hand), the tracker's prediction drifting off;
 * found again on 10: the frames in between are masked on the path between
 * the two detections. */
static void
test_miss_bridged (void)
{
  FaLookahead *la = fa_lookahead_new ();
  GArray *faces = g_array_new (FALSE, FALSE, sizeof (FaBox));
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (guint));

  for (gint f = 0; f < 16; f++) {
    gboolean lost = f >= 5 && f < 10;
    FaBox drifted = { 400, 50, SIZE, SIZE, 0.9f };
    FaTrack tr = track (1, f, !lost, lost ? drifted : truth (f, 100),
        lost ? 4 : f, 100, TRUE);

    fa_lookahead_push (la, t_of (f), &tr, 1, FALSE, W, H);
  }
  for (gint f = 0; f < 10; f++) {
    FaBox real = truth (f, 100);
    const FaBox *b;

    g_array_set_size (faces, 0);
    g_array_set_size (ids, 0);
    fa_lookahead_pop (la, GROWTH, faces, ids);
    b = face_of (faces, ids, 1);
    g_assert_nonnull (b);
    g_assert_true (covers (b, &real, 0.5));
    if (f >= 5)
      g_assert_cmpfloat (b->y, >, 150);
  }
  g_array_unref (faces);
  g_array_unref (ids);
  fa_lookahead_free (la);
}

/* A cut at frame 5, the face found at 8: frames 5 to 7 are masked back,
 * frames before the cut (another picture) are not. And a frame's own face
 * stays on it whatever comes after. */
static void
test_no_backfill_across_cut (void)
{
  FaLookahead *la = fa_lookahead_new ();
  GArray *faces = g_array_new (FALSE, FALSE, sizeof (FaBox));
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (guint));

  for (gint f = 0; f < 12; f++) {
    FaTrack trs[2] = {
      track (1, f, TRUE, truth (f, 300), f, 300, FALSE),
      track (2, f, TRUE, truth (f, 100), f, 100, FALSE)
    };
    /* id 1 before the cut, id 2 from frame 8 */
    fa_lookahead_push (la, t_of (f), f < 5 ? &trs[0] : &trs[1],
        f < 5 || f >= 8 ? 1 : 0, f == 5, W, H);
  }
  for (gint f = 0; f < 8; f++) {
    g_array_set_size (faces, 0);
    g_array_set_size (ids, 0);
    fa_lookahead_pop (la, GROWTH, faces, ids);
    g_assert_true ((face_of (faces, ids, 1) != NULL) == (f < 5));
    g_assert_true ((face_of (faces, ids, 2) != NULL) == (f >= 5));
  }
  fa_lookahead_reset (la);
  g_assert_cmpuint (fa_lookahead_len (la), ==, 0);
  g_array_unref (faces);
  g_array_unref (ids);
  fa_lookahead_free (la);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/lookahead/new-face-masked-back",
      test_new_face_masked_back);
  g_test_add_func ("/lookahead/backfill-stops-at-frame-edge",
      test_backfill_stops_at_frame_edge);
  g_test_add_func ("/lookahead/miss-bridged", test_miss_bridged);
  g_test_add_func ("/lookahead/no-backfill-across-cut",
      test_no_backfill_across_cut);
  return g_test_run ();
}
