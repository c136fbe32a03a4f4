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

/* The tile schedule of a video (fa-schedule.h): whatever the frame size
 * and settings, every detection frame gets the whole-frame pass, every
 * tile is searched within the period, a small tracked face brings its
 * tile (and the tile it is heading into) forward, and a restart begins the
 * sweep from its first tile again. */

#include "fa-schedule.h"

#include <string.h>

static const struct
{
  gint w, h, det_size, min_face;
} geometries[] = {
  {1920, 1080, 640, 12},
  {1920, 1080, 640, 16},
  {3840, 2160, 640, 12},
  {3840, 2160, 640, 32},
  {1280, 720, 640, 12},
  {826, 540, 640, 6},
  {385, 289, 64, 8},
  {7680, 4320, 640, 12},
  {1080, 1920, 480, 10},
};

static const guint periods[] = { 2, 3, 5, 7, 15, 30, 60, 1000 };

/* The index in the plan (from 1) of the tile @p, or 0 for the whole frame. */
static guint
index_of (const FaPass * plan, guint n_plan, const FaPass * p)
{
  for (guint i = 0; i < n_plan; i++)
    if (memcmp (&plan[i], p, sizeof (FaPass)) == 0)
      return i;
  g_assert_not_reached ();
  return 0;
}

static FaSchedule *
configured (guint g, FaPass * plan, guint * n_plan)
{
  FaSchedule *sched = fa_schedule_new ();

  fa_schedule_configure (sched, geometries[g].w, geometries[g].h,
      geometries[g].det_size, geometries[g].min_face);
  *n_plan = fa_schedule_all (sched, plan);
  g_assert_cmpuint (*n_plan, ==, fa_schedule_n_tiles (sched) + 1);
  return sched;
}

/* Every tile within @period detection frames, from any start, the
 * whole-frame pass first every time, and at most one tile per frame more
 * than the share the period needs. */
static void
test_every_tile_within_period (void)
{
  for (guint g = 0; g < G_N_ELEMENTS (geometries); g++) {
    for (guint p = 0; p < G_N_ELEMENTS (periods); p++) {
      FaPass plan[FA_TILING_MAX_PASSES], passes[FA_TILING_MAX_PASSES];
      guint n_plan, n_tiles, period = periods[p], share;
      gint64 last[FA_TILING_MAX_PASSES];
      FaSchedule *sched = configured (g, plan, &n_plan);

      n_tiles = n_plan - 1;
      if (n_tiles == 0) {
        fa_schedule_free (sched);
        continue;
      }
      share = (n_tiles + period - 1) / period;
      for (guint i = 0; i < n_plan; i++)
        last[i] = -1;
      for (gint64 f = 0; f < 3 * (gint64) MAX (period, n_tiles) + 7; f++) {
        guint n = fa_schedule_next (sched, period, NULL, 0, 0, passes);

        g_assert_cmpuint (n, >=, 1 + share);
        g_assert_cmpuint (n, <=, 1 + share + 1);
        g_assert_cmpuint (index_of (plan, n_plan, &passes[0]), ==, 0);
        for (guint k = 1; k < n; k++)
          last[index_of (plan, n_plan, &passes[k])] = f;
        /* from frame period - 1 on, every tile was searched in the last
         * period frames */
        if (f >= period - 1)
          for (guint i = 1; i < n_plan; i++)
            g_assert_cmpint (f - last[i], <, period);
      }
      fa_schedule_free (sched);
    }
  }
}

/* A period of 0 or 1, or one shorter than the share: every tile, every
 * frame; and a still (fa_schedule_all) always. */
static void
test_short_period_searches_all (void)
{
  for (guint g = 0; g < G_N_ELEMENTS (geometries); g++) {
    FaPass plan[FA_TILING_MAX_PASSES], passes[FA_TILING_MAX_PASSES];
    guint n_plan;
    FaSchedule *sched = configured (g, plan, &n_plan);

    for (guint period = 0; period <= 1; period++) {
      g_assert_cmpuint (fa_schedule_next (sched, period, NULL, 0, 0, passes),
          ==, n_plan);
      g_assert_cmpmem (passes, n_plan * sizeof (FaPass), plan,
          n_plan * sizeof (FaPass));
    }
    g_assert_cmpuint (fa_schedule_whole (sched, passes), ==, 1);
    g_assert_cmpmem (passes, sizeof (FaPass), plan, sizeof (FaPass));
    fa_schedule_free (sched);
  }
}

/* A track too small for the whole-frame pass, in the middle of @tile, of
 * a size that tile sees. */
static FaTrack
small_track_in (FaSchedule * sched, const FaPass * tile, gfloat vx)
{
  FaTrack tr = { 0 };
  gfloat w = fa_tiling_min_face (tile) * 1.2f;

  g_assert_cmpfloat (w, <, fa_schedule_whole_min_face (sched));
  tr.id = 1;
  tr.seen.w = tr.seen.h = w;
  tr.box.x = (tile->src.x0 + tile->src.x1) / 2.0f - w / 2;
  tr.box.y = (tile->src.y0 + tile->src.y1) / 2.0f - w / 2;
  tr.box.w = tr.box.h = w;
  tr.vx = vx;
  return tr;
}

/* Over one sweep, the tile of a small tracked face is searched more
 * often than the rotation alone searches it (once), and a face as large as
 * the whole-frame pass sees brings nothing forward. */
static void
test_tracks_bring_tiles_forward (void)
{
  for (guint g = 0; g < G_N_ELEMENTS (geometries); g++) {
    FaPass plan[FA_TILING_MAX_PASSES], passes[FA_TILING_MAX_PASSES];
    guint n_plan, period, target;
    FaSchedule *sched = configured (g, plan, &n_plan);

    /* one tile a frame: a rotation takes as many frames as there are
     * tiles */
    period = n_plan - 1;
    if (period < 4) {
      fa_schedule_free (sched);
      continue;
    }
    target = n_plan - 1;        /* the rotation's last tile */
    for (guint big = 0; big <= 1; big++) {
      FaTrack tr = small_track_in (sched, &plan[target], 0.f);
      guint visits = 0;

      if (big)
        tr.seen.w = tr.box.w = tr.box.h =
            fa_schedule_whole_min_face (sched) * 2;
      fa_schedule_restart (sched);
      for (guint f = 0; f < period; f++) {
        guint n = fa_schedule_next (sched, period, &tr, 1, 0, passes);

        for (guint k = 1; k < n; k++)
          visits += index_of (plan, n_plan, &passes[k]) == target;
      }
      if (big)
        g_assert_cmpuint (visits, ==, 1);
      else
        g_assert_cmpuint (visits, >=, 2);
    }
    fa_schedule_free (sched);
  }
}

/* A small face moving fast towards another tile brings that tile
 * forward before the face gets there. */
static void
test_heading_tile_forward (void)
{
  FaPass plan[FA_TILING_MAX_PASSES], passes[FA_TILING_MAX_PASSES];
  guint n_plan, period, from = 0, to = 0;
  FaSchedule *sched = configured (0, plan, &n_plan);
  gboolean visited = FALSE;
  FaTrack tr;

  /* two tiles side by side, the track in the first, heading right: the
   * last such pair, whose second tile the rotation reaches late */
  for (guint i = 1; i < n_plan; i++)
    for (guint j = 1; j < n_plan; j++)
      if (plan[j].src.y0 == plan[i].src.y0 && plan[j].src.x0 > plan[i].src.x0
          && plan[j].src.x0 < plan[i].src.x1) {
        from = i;
        to = j;
      }
  g_assert_cmpuint (to, >, 3);
  period = n_plan - 1;
  tr = small_track_in (sched, &plan[from], 0.f);
  /* within the lead it reaches the middle of the next tile */
  tr.vx = ((plan[to].src.x0 + plan[to].src.x1) / 2.0f -
      (plan[from].src.x0 + plan[from].src.x1) / 2.0f) / 0.25f;
  fa_schedule_restart (sched);
  /* the rotation would search it on frame to - 1; before that, beyond
   * the rotation's own tile: */
  for (guint f = 0; f + 1 < to - 1 && !visited; f++) {
    guint n = fa_schedule_next (sched, period, &tr, 1, 250000000, passes);

    for (guint k = 1 + 1; k < n; k++)
      visited |= index_of (plan, n_plan, &passes[k]) == to;
  }
  g_assert_true (visited);
  fa_schedule_free (sched);
}

/* A restart (scene cut, reset) sweeps from the first tile again; the same
 * configuration changes nothing, another one replans and restarts. */
static void
test_restart (void)
{
  for (guint g = 0; g < G_N_ELEMENTS (geometries); g++) {
    FaPass plan[FA_TILING_MAX_PASSES], passes[FA_TILING_MAX_PASSES];
    guint n_plan;
    FaSchedule *sched = configured (g, plan, &n_plan);

    if (n_plan < 3) {
      fa_schedule_free (sched);
      continue;
    }
    fa_schedule_next (sched, 1000, NULL, 0, 0, passes);
    fa_schedule_next (sched, 1000, NULL, 0, 0, passes);
    g_assert_cmpuint (index_of (plan, n_plan, &passes[1]), ==, 2);
    fa_schedule_restart (sched);
    fa_schedule_next (sched, 1000, NULL, 0, 0, passes);
    g_assert_cmpuint (index_of (plan, n_plan, &passes[1]), ==, 1);

    /* the same settings again: the sweep goes on */
    fa_schedule_configure (sched, geometries[g].w, geometries[g].h,
        geometries[g].det_size, geometries[g].min_face);
    fa_schedule_next (sched, 1000, NULL, 0, 0, passes);
    g_assert_cmpuint (index_of (plan, n_plan, &passes[1]), ==, 2);
    /* another frame size: a new plan, from its first tile */
    fa_schedule_configure (sched, geometries[g].w + 64, geometries[g].h,
        geometries[g].det_size, geometries[g].min_face);
    n_plan = fa_schedule_all (sched, plan);
    fa_schedule_next (sched, 1000, NULL, 0, 0, passes);
    if (n_plan > 1)
      g_assert_cmpuint (index_of (plan, n_plan, &passes[1]), ==, 1);
    fa_schedule_free (sched);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/schedule/every-tile-within-period",
      test_every_tile_within_period);
  g_test_add_func ("/schedule/short-period-searches-all",
      test_short_period_searches_all);
  g_test_add_func ("/schedule/tracks-bring-tiles-forward",
      test_tracks_bring_tiles_forward);
  g_test_add_func ("/schedule/heading-tile-forward", test_heading_tile_forward);
  g_test_add_func ("/schedule/restart", test_restart);
  return g_test_run ();
}
