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

/* The tiling plan: whatever the frame, every pixel is seen, no input is
 * larger than the detection size, and every face of min-face-size or more
 * is either big enough for the whole-frame pass or lies whole in a tile
 * that sees it at the scale it needs. */

#include "fa-tiling.h"

#include <math.h>

static void
check_plan (gint w, gint h, gint det_size, gint min_face)
{
  FaPass passes[FA_TILING_MAX_PASSES];
  guint n = fa_tiling_plan (w, h, det_size, min_face, passes,
      FA_TILING_MAX_PASSES);
  gdouble s0;

  g_assert_cmpuint (n, >=, 1);
  g_assert_cmpuint (n, <=, FA_TILING_MAX_PASSES);
  /* the first pass is the whole frame, never upscaled */
  g_assert_cmpint (passes[0].src.x0, ==, 0);
  g_assert_cmpint (passes[0].src.y0, ==, 0);
  g_assert_cmpint (passes[0].src.x1, ==, w);
  g_assert_cmpint (passes[0].src.y1, ==, h);
  g_assert_cmpint (passes[0].in_w, <=, w);
  g_assert_cmpint (passes[0].in_h, <=, h);
  s0 = (gdouble) passes[0].in_w / w;

  for (guint i = 0; i < n; i++) {
    const FaPass *p = &passes[i];

    g_assert_cmpint (p->src.x0, >=, 0);
    g_assert_cmpint (p->src.y0, >=, 0);
    g_assert_cmpint (p->src.x1, <=, w);
    g_assert_cmpint (p->src.y1, <=, h);
    g_assert_cmpint (p->src.x0, <, p->src.x1);
    g_assert_cmpint (p->src.y0, <, p->src.y1);
    g_assert_cmpint (p->in_w, >=, 1);
    g_assert_cmpint (p->in_h, >=, 1);
    g_assert_cmpint (MAX (p->in_w, p->in_h), <=, det_size);
  }

  if (n == 1) {
    /* one pass is enough only when it already sees min-face-size faces */
    if (min_face > 0 && s0 < 1.0)
      g_assert_cmpfloat (min_face * s0, >=,
          FA_TILING_FACE_AT_INPUT / 1.05 - 0.5);
    return;
  }

  /* A plan that would need far more tiles than FA_TILING_MAX_PASSES is
   * coarsened (test_bounded); the promise below holds for the others. */
  {
    gdouble t = MIN (1.0, (gdouble) FA_TILING_FACE_AT_INPUT / MAX (min_face,
            1));

    if ((w * t / det_size + 1) * (h * t / det_size + 1) * 4 >
        FA_TILING_MAX_PASSES)
      return;
  }

  /* every face from min-face-size up to what the whole pass sees lies
   * whole in some pass that sees it at FACE_AT_INPUT pixels or more: try
   * sizes on a geometric ladder and positions on a grid */
  for (gdouble f = MAX (min_face, 1); f < FA_TILING_FACE_AT_INPUT / s0;
      f *= 1.3) {
    gint face = (gint) ceil (f);
    gint step = MAX (1, MIN (w, h) / 37);

    if (face > MIN (w, h))
      break;

    for (gint y = 0; y + face <= h; y += step) {
      for (gint x = 0; x + face <= w; x += step) {
        gboolean held = FALSE;

        for (guint i = 0; i < n && !held; i++) {
          const FaPass *p = &passes[i];
          gdouble s = (gdouble) p->in_w / (p->src.x1 - p->src.x0);

          held = x >= p->src.x0 && y >= p->src.y0 && x + face <= p->src.x1
              && y + face <= p->src.y1
              && s >= MIN (1.0, FA_TILING_FACE_AT_INPUT / (face + 0.5)) * 0.9;
        }
        if (!held)
          g_error ("%dx%d det %d min %d: a %d px face at %d,%d is in no "
              "pass that sees it", w, h, det_size, min_face, face, x, y);
      }
    }
  }
}

static void
test_single_pass (void)
{
  FaPass p;

  /* 1080p at 640: the whole frame at a third, nothing else for 32 px */
  g_assert_cmpuint (fa_tiling_plan (1920, 1080, 640, 32, &p, 1), ==, 1);
  g_assert_cmpint (p.in_w, ==, 640);
  g_assert_cmpint (p.in_h, ==, 360);
  g_assert_cmpuint (fa_tiling_plan (1920, 1080, 640, 0, &p, 1), ==, 1);
  /* small frames are not upscaled */
  g_assert_cmpuint (fa_tiling_plan (320, 240, 640, 32, &p, 1), ==, 1);
  g_assert_cmpint (p.in_w, ==, 320);
  g_assert_cmpint (p.in_h, ==, 240);
  /* tiny and degenerate frames */
  g_assert_cmpuint (fa_tiling_plan (1, 1, 640, 32, &p, 1), ==, 1);
  g_assert_cmpint (p.in_w, ==, 1);
}

static void
test_tiles_appear (void)
{
  FaPass passes[FA_TILING_MAX_PASSES];
  guint n;

  /* 1080p, 16 px faces: the whole pass plus tiles at 10/16 scale */
  n = fa_tiling_plan (1920, 1080, 640, 16, passes, FA_TILING_MAX_PASSES);
  g_assert_cmpuint (n, >, 2);
  g_assert_cmpfloat ((gdouble) passes[1].in_w / (passes[1].src.x1 -
          passes[1].src.x0), >=, 10.0 / 16 - 0.01);
  /* 4K at the default 32 px needs tiles */
  n = fa_tiling_plan (3840, 2160, 640, 32, passes, FA_TILING_MAX_PASSES);
  g_assert_cmpuint (n, >, 1);
}

static void
test_coverage (void)
{
  static const gint sizes[][2] = {
    {1920, 1080}, {1080, 1920}, {3840, 2160}, {1280, 720}, {640, 480},
    {385, 289}, {8192, 4320}, {7, 5000}, {5000, 7}, {1024, 768},
  };
  static const gint dets[] = { 64, 320, 640, 1280 };
  static const gint faces[] = { 0, 8, 12, 16, 24, 32, 64 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (guint d = 0; d < G_N_ELEMENTS (dets); d++)
      for (guint f = 0; f < G_N_ELEMENTS (faces); f++)
        check_plan (sizes[i][0], sizes[i][1], dets[d], faces[f]);
}

static void
test_bounded (void)
{
  FaPass passes[4];
  guint n;

  /* room for 4 passes only: the tiles coarsen rather than overflow */
  n = fa_tiling_plan (8192, 4320, 640, 8, passes, 4);
  g_assert_cmpuint (n, >=, 1);
  g_assert_cmpuint (n, <=, 4);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tiling/single-pass", test_single_pass);
  g_test_add_func ("/tiling/tiles-appear", test_tiles_appear);
  g_test_add_func ("/tiling/coverage", test_coverage);
  g_test_add_func ("/tiling/bounded", test_bounded);
  return g_test_run ();
}
