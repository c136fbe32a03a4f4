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

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>

#include "tracker-check.h"

gint64
frame_time (gint i, gint fps)
{
  return i * SECOND / fps;
}

gdouble
secs (gint64 t)
{
  return (gdouble) t / SECOND;
}

FaBox
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

gdouble
centre_x (const FaBox * b)
{
  return b->x + b->w / 2.0;
}

gdouble
centre_y (const FaBox * b)
{
  return b->y + b->h / 2.0;
}

gboolean
box_equal (const FaBox * a, const FaBox * b)
{
  return a->x == b->x && a->y == b->y && a->w == b->w && a->h == b->h;
}

gboolean
covers (const FaBox * mask, const FaBox * face, gdouble slack)
{
  return mask->x <= face->x + slack && mask->y <= face->y + slack
      && mask->x + mask->w >= face->x + face->w - slack
      && mask->y + mask->h >= face->y + face->h - slack;
}

gdouble
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

gboolean
box_finite (const FaBox * b)
{
  return isfinite (b->x) && isfinite (b->y) && isfinite (b->w)
      && isfinite (b->h) && b->w > 0 && b->h > 0;
}

const FaTrack *
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

const FaTrack *
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

const FaTrack *
first_track (FaTracker * tracker)
{
  const FaTrack *tracks;
  guint n;

  tracks = fa_tracker_get_tracks (tracker, &n);
  g_assert_cmpuint (n, >=, 1);
  return &tracks[0];
}

guint
n_tracks (FaTracker * tracker)
{
  guint n;

  fa_tracker_get_tracks (tracker, &n);
  return n;
}

FaBox
mover_at (const Mover * m, gint64 t)
{
  return box_centred (m->cx + m->vx * secs (t), m->cy + m->vy * secs (t),
      m->w, m->h);
}

/* ---------------------------------------------------------------- scenes */

gboolean
sees_faces (Scene * s)
{
  guint k;

  for (k = 0; k < s->c->n_faces; k++)
    s->dets[k] = s->truth[k];
  s->n_dets = s->c->n_faces;
  return TRUE;
}

gboolean
misses (Scene * s)
{
  return TRUE;
}

/* The run shape of every scene: a tracker at the scene's frame size, and
 * frame after frame the detector's report of where the faces are (or no
 * detection), the checks after each. */
static void
scene_run_once (const SceneCase * c, gint64 hold_time)
{
  Scene s = { 0, };
  guint p, k;
  gint n;

  s.c = c;
  s.prev_w = G_MAXDOUBLE;
  s.tracker = fa_tracker_new ();
  fa_tracker_params_init (&s.params, c->width, c->height);
  if (hold_time)
    s.params.hold_time = hold_time;
  if (c->confirm_hits)
    s.params.confirm_hits = c->confirm_hits;
  if (c->match_iou)
    s.params.match_iou = c->match_iou;
  g_assert_cmpuint (c->n_faces, <=, G_N_ELEMENTS (c->faces));

  for (p = 0; p < G_N_ELEMENTS (c->phases) && c->phases[p].frames; p++) {
    const Phase *phase = &c->phases[p];

    s.stop = FALSE;
    for (n = 0; n < phase->frames && !s.stop; n++, s.i++) {
      s.t = frame_time (s.i, c->fps);
      for (k = 0; k < c->n_faces; k++)
        s.truth[k] = mover_at (&c->faces[k], s.t);
      s.n_dets = 0;
      s.ran = phase->detector (&s);
      if (s.ran && phase->shows) {
        g_assert_cmpuint (s.n_dets, ==, 1);
        s.dets[0] = mover_at (phase->shows, s.t);
      }
      if (s.ran)
        fa_tracker_update (s.tracker, s.t, s.n_dets ? s.dets : NULL,
            s.n_dets, &s.params);
      else
        fa_tracker_predict (s.tracker, s.t, &s.params);
      if (s.n_dets) {
        s.last_seen = s.t;
        s.last_det = s.dets[0];
      }
      if (phase->each)
        phase->each (&s);
    }
    if (phase->end)
      phase->end (&s);
  }
  if (c->end)
    c->end (&s);

  fa_tracker_free (s.tracker);
}

/* Once with each of the scene's hold times, or once with the default. */
static void
run_scene (gconstpointer data)
{
  const SceneCase *c = data;
  guint h;

  if (!c->hold_times[0])
    scene_run_once (c, 0);
  for (h = 0; h < G_N_ELEMENTS (c->hold_times) && c->hold_times[h]; h++)
    scene_run_once (c, c->hold_times[h]);
}

void
add_scenes (const SceneCase * cases, guint n_cases)
{
  guint i;

  for (i = 0; i < n_cases; i++) {
    gchar *path = g_strconcat ("/tracker/", cases[i].name, NULL);

    g_test_add_data_func (path, &cases[i], run_scene);
    g_free (path);
  }
}
