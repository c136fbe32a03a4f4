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

/* Unit tests of the masking kernels: colours, regions, solid fills,
 * pixelation, the ellipse and bad input. The Gaussian blur, measured
 * against a reference of its specification, is in test-mask-gaussian.c.
 * The frames and the case table are in mask-check.h. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "mask-check.h"

/* --- colour conversion --------------------------------------------------- */

static void
assert_color (FaColorModel model, FaYuvMatrix matrix, gboolean full_range,
    guint32 rgb, guint8 e0, guint8 e1, guint8 e2)
{
  FaImage img = { 0, };
  guint8 v[3];

  img.model = model;
  img.matrix = matrix;
  img.full_range = full_range;
  fa_image_color_to_comps (&img, rgb, v);
  g_assert_cmpuint (v[0], ==, e0);
  if (model != FA_COLOR_GRAY) {
    g_assert_cmpuint (v[1], ==, e1);
    g_assert_cmpuint (v[2], ==, e2);
  }
}

static void
test_color (void)
{
  /* BT.601 limited range, the textbook values */
  assert_color (FA_COLOR_YUV, FA_MATRIX_BT601, FALSE, 0xffffff, 235, 128, 128);
  assert_color (FA_COLOR_YUV, FA_MATRIX_BT601, FALSE, 0x000000, 16, 128, 128);
  assert_color (FA_COLOR_YUV, FA_MATRIX_BT601, FALSE, 0xff0000, 81, 90, 240);
  assert_color (FA_COLOR_YUV, FA_MATRIX_BT601, FALSE, 0x00ff00, 145, 54, 34);
  assert_color (FA_COLOR_YUV, FA_MATRIX_BT601, FALSE, 0x0000ff, 41, 240, 110);
  /* BT.709 limited range */
  assert_color (FA_COLOR_YUV, FA_MATRIX_BT709, FALSE, 0xffffff, 235, 128, 128);
  assert_color (FA_COLOR_YUV, FA_MATRIX_BT709, FALSE, 0x000000, 16, 128, 128);
  assert_color (FA_COLOR_YUV, FA_MATRIX_BT709, FALSE, 0xff0000, 63, 102, 240);
  /* BT.601 full range (JFIF) */
  assert_color (FA_COLOR_YUV, FA_MATRIX_BT601, TRUE, 0xffffff, 255, 128, 128);
  assert_color (FA_COLOR_YUV, FA_MATRIX_BT601, TRUE, 0x000000, 0, 128, 128);
  assert_color (FA_COLOR_YUV, FA_MATRIX_BT601, TRUE, 0xff0000, 76, 85, 255);
  /* RGB passes through, grey is BT.601 luma */
  assert_color (FA_COLOR_RGB, FA_MATRIX_BT601, FALSE, 0x123456, 0x12, 0x34,
      0x56);
  assert_color (FA_COLOR_GRAY, FA_MATRIX_BT709, FALSE, 0xffffff, 255, 0, 0);
  assert_color (FA_COLOR_GRAY, FA_MATRIX_BT601, FALSE, 0xff0000, 76, 0, 0);
  assert_color (FA_COLOR_GRAY, FA_MATRIX_BT601, FALSE, 0x000000, 0, 0, 0);
}

/* --- fa_mask_region ------------------------------------------------------ */

static void
assert_region (gfloat x, gfloat y, gfloat w, gfloat h, gdouble scale,
    gint x0, gint y0, gint x1, gint y1)
{
  FaBox box = { x, y, w, h, 1.0f };
  FaRect r;

  g_assert_true (fa_mask_region (&box, scale, 640, 480, &r));
  g_assert_cmpint (r.x0, ==, x0);
  g_assert_cmpint (r.y0, ==, y0);
  g_assert_cmpint (r.x1, ==, x1);
  g_assert_cmpint (r.y1, ==, y1);
}

static void
assert_no_region (gfloat x, gfloat y, gfloat w, gfloat h, gdouble scale)
{
  FaBox box = { x, y, w, h, 1.0f };
  FaRect r;

  g_assert_false (fa_mask_region (&box, scale, 640, 480, &r));
}

static void
test_region (void)
{
  FaBox box = { 10, 10, 20, 20, 1.0f };
  FaRect r;

  assert_region (100, 50, 40, 60, 1.0, 100, 50, 140, 110);
  /* scaled about the centre (120, 80) */
  assert_region (100, 50, 40, 60, 1.5, 90, 35, 150, 125);
  assert_region (100, 50, 40, 60, 0.5, 110, 65, 130, 95);
  /* rounded outwards */
  assert_region (10.2f, 10.7f, 5.5f, 5.5f, 1.0, 10, 10, 16, 17);
  assert_region (10.5f, 10.5f, 0.25f, 0.25f, 1.0, 10, 10, 11, 11);
  /* not clipped to the frame (the masker clips, keeping ellipses whole),
   * but bounded to a frame's size beyond each edge */
  assert_region (-20, -10, 50, 40, 1.0, -20, -10, 30, 30);
  assert_region (600, 450, 100, 100, 1.0, 600, 450, 700, 550);
  assert_region (-1e30f, -1e30f, 2e30f, 2e30f, 1.0, -640, -480, 1280, 960);
  assert_region (300, 200, 10, 10, 1e12, -640, -480, 1280, 960);
  /* a sliver at the edge still counts */
  assert_region (639.5f, 479.5f, 10, 10, 1.0, 639, 479, 650, 490);

  /* nothing inside the frame */
  assert_no_region (700, 100, 10, 10, 1.0);
  assert_no_region (100, -50, 10, 10, 1.0);
  assert_no_region (-30, -30, 20, 20, 1.0);
  assert_no_region (640, 480, 10, 10, 1.0);
  /* not a box */
  assert_no_region (NAN, 10, 10, 10, 1.0);
  assert_no_region (10, NAN, 10, 10, 1.0);
  assert_no_region (10, 10, NAN, 10, 1.0);
  assert_no_region (10, 10, 10, NAN, 1.0);
  assert_no_region (INFINITY, 10, 10, 10, 1.0);
  assert_no_region (10, 10, INFINITY, 10, 1.0);
  assert_no_region (-INFINITY, 10, INFINITY, 10, 1.0);
  assert_no_region (10, 10, -10, 10, 1.0);
  assert_no_region (10, 10, 10, -10, 1.0);
  assert_no_region (10, 10, 0, 10, 1.0);
  /* not a scale */
  assert_no_region (10, 10, 10, 10, 0.0);
  assert_no_region (10, 10, 10, 10, -1.0);
  assert_no_region (10, 10, 10, 10, NAN);
  assert_no_region (10, 10, 10, 10, INFINITY);

  /* not a frame */
  g_assert_false (fa_mask_region (&box, 1.0, 0, 480, &r));
  g_assert_false (fa_mask_region (&box, 1.0, 640, -1, &r));
}

/* --- the pictures a step starts from -------------------------------- */

static void
prepare_bt709 (TestFrame * f)
{
  f->img.matrix = FA_MATRIX_BT709;
}

static void
prepare_black (TestFrame * f)
{
  guint c;

  for (c = 0; c < f->img.n_comps; c++)
    frame_fill_comp (f, c, 0);
}

/* The caller says chroma has floor (385 / 2) columns. */
static void
prepare_short_chroma (TestFrame * f)
{
  f->img.comp[1].width = 192;
  f->img.comp[1].height = 144;
}

/* --- solid --------------------------------------------------------------- */

static void
check_solid (const TestFrame * f, const MaskStep * step, const FaMaskParams * p)
{
  guint8 expect[3];
  guint c, k;
  gint x, y;

  fa_image_color_to_comps (&f->img, p->color, expect);
  if (f->img.model == FA_COLOR_RGB) {
    g_assert_cmpuint (expect[0], ==, 0x20);
    g_assert_cmpuint (expect[1], ==, 0xc0);
    g_assert_cmpuint (expect[2], ==, 0x40);
  }

  for (k = 0; k < step->n_regions; k++) {
    for (c = 0; c < f->img.n_comps; c++) {
      FaRect cr;

      g_assert_true (expected_comp_rect (&f->img, c, &step->regions[k], &cr));
      for (y = cr.y0; y < cr.y1; y++)
        for (x = cr.x0; x < cr.x1; x++)
          g_assert_cmpuint (*sample (&f->img, c, x, y), ==, expect[c]);
    }
  }

  /* the chroma of the bottom-right region reaches the last chroma sample */
  if (f->format == FMT_I420 || f->format == FMT_NV12) {
    g_assert_cmpuint (*sample (&f->img, 1, 192, 144), ==, expect[1]);
    g_assert_cmpuint (*sample (&f->img, 2, 192, 144), ==, expect[2]);
    /* x0 = 37 is odd: chroma sample 18 (luma 36..37) is covered */
    g_assert_cmpuint (*sample (&f->img, 1, 18, 10), ==, expect[1]);
    g_assert_cmpuint (*sample (&f->img, 1, 17, 10), ==,
        orig_sample (f, 1, 17, 10));
  }
}

/* --- pixelate ------------------------------------------------------------ */

static void
assert_pixelated (const TestFrame * f, const FaRect * region, guint blocks)
{
  guint c;

  for (c = 0; c < f->img.n_comps; c++) {
    FaRect cr;
    gint w, h, nx, ny, i, j, x, y;

    g_assert_true (expected_comp_rect (&f->img, c, region, &cr));
    w = cr.x1 - cr.x0;
    h = cr.y1 - cr.y0;
    nx = MIN ((gint) MAX (blocks, 1), w);
    ny = MIN ((gint) MAX (blocks, 1), h);

    for (j = 0; j < ny; j++) {
      gint y0 = cr.y0 + (gint) floor ((gdouble) j * h / ny + 0.5);
      gint y1 = cr.y0 + (gint) floor ((gdouble) (j + 1) * h / ny + 0.5);

      for (i = 0; i < nx; i++) {
        gint x0 = cr.x0 + (gint) floor ((gdouble) i * w / nx + 0.5);
        gint x1 = cr.x0 + (gint) floor ((gdouble) (i + 1) * w / nx + 0.5);
        gdouble sum = 0;
        guint8 mean;

        g_assert_cmpint (x0, <, x1);
        g_assert_cmpint (y0, <, y1);
        for (y = y0; y < y1; y++)
          for (x = x0; x < x1; x++)
            sum += orig_sample (f, c, x, y);
        mean = (guint8) floor (sum / ((x1 - x0) * (y1 - y0)) + 0.5);
        for (y = y0; y < y1; y++)
          for (x = x0; x < x1; x++)
            g_assert_cmpuint (*sample (&f->img, c, x, y), ==, mean);
      }
    }
  }
}

static void
check_pixelated (const TestFrame * f, const MaskStep * step,
    const FaMaskParams * p)
{
  assert_pixelated (f, &step->regions[0], p->blocks);
}

/* --- ellipse ------------------------------------------------------------- */

/* Where the sample's centre lies, relative to the ellipse inscribed in
 * @region: < 1 inside, > 1 outside. */
static gdouble
ellipse_distance (const FaImage * img, gint c, const FaRect * region,
    gint x, gint y)
{
  gdouble px = (x + 0.5) * (1 << img->comp[c].wsub);
  gdouble py = (y + 0.5) * (1 << img->comp[c].hsub);
  gdouble cx = (region->x0 + region->x1) / 2.0;
  gdouble cy = (region->y0 + region->y1) / 2.0;
  gdouble a = (region->x1 - region->x0) / 2.0;
  gdouble b = (region->y1 - region->y0) / 2.0;

  return (px - cx) * (px - cx) / (a * a) + (py - cy) * (py - cy) / (b * b);
}

static void
check_ellipse_solid (const TestFrame * f, const MaskStep * step,
    const FaMaskParams * p)
{
  const FaRect *region = &step->regions[0];
  guint8 expect[3];
  guint c;
  gint x, y, n_in = 0;

  fa_image_color_to_comps (&f->img, p->color, expect);
  for (c = 0; c < f->img.n_comps; c++) {
    FaRect cr;

    g_assert_true (expected_comp_rect (&f->img, c, region, &cr));
    /* the corners of the box stay, the centre goes */
    g_assert_cmpuint (*sample (&f->img, c, cr.x0, cr.y0), ==, 0);
    g_assert_cmpuint (*sample (&f->img, c, cr.x1 - 1, cr.y0), ==, 0);
    g_assert_cmpuint (*sample (&f->img, c, cr.x0, cr.y1 - 1), ==, 0);
    g_assert_cmpuint (*sample (&f->img, c, cr.x1 - 1, cr.y1 - 1), ==, 0);
    g_assert_cmpuint (*sample (&f->img, c, (cr.x0 + cr.x1) / 2,
            (cr.y0 + cr.y1) / 2), ==, expect[c]);

    for (y = cr.y0; y < cr.y1; y++) {
      for (x = cr.x0; x < cr.x1; x++) {
        gdouble d = ellipse_distance (&f->img, c, region, x, y);
        guint8 v = *sample (&f->img, c, x, y);

        if (d < 0.999)
          g_assert_cmpuint (v, ==, expect[c]);
        else if (d > 1.001)
          g_assert_cmpuint (v, ==, 0);
        n_in += d <= 1.0;
      }
    }
  }
  g_assert_cmpint (n_in, >, 0);
}

/* The ellipse computes what the box computes, and writes only inside. */
static void
check_same_as_box (const TestFrame * ell, const MaskStep * step,
    const FaMaskParams * p)
{
  const FaRect *region = &step->regions[0];
  TestFrame *box = frame_new (ell->format, ell->img.width, ell->img.height,
      ell->seed);
  FaMaskParams box_params = *p;
  guint c;
  gint x, y;

  box_params.shape = FA_SHAPE_BOX;
  apply (box, &box_params, region, 1);

  for (c = 0; c < 3; c++) {
    FaRect cr;

    g_assert_true (expected_comp_rect (&ell->img, c, region, &cr));
    g_assert_cmpuint (*sample (&ell->img, c, cr.x0, cr.y0), ==,
        orig_sample (ell, c, cr.x0, cr.y0));
    g_assert_cmpuint (*sample (&ell->img, c, cr.x1 - 1, cr.y1 - 1), ==,
        orig_sample (ell, c, cr.x1 - 1, cr.y1 - 1));
    for (y = cr.y0; y < cr.y1; y++) {
      for (x = cr.x0; x < cr.x1; x++) {
        gdouble d = ellipse_distance (&ell->img, c, region, x, y);
        guint8 v = *sample (&ell->img, c, x, y);

        if (d < 0.999)
          g_assert_cmpuint (v, ==, *sample (&box->img, c, x, y));
        else if (d > 1.001)
          g_assert_cmpuint (v, ==, orig_sample (ell, c, x, y));
      }
    }
  }

  frame_free (box);
}

static void
check_ellipse_cut (const TestFrame * f, const MaskStep * step,
    const FaMaskParams * p)
{
  gint x, y;

  for (y = 20; y < 120; y++) {
    for (x = 0; x < 50; x++) {
      gdouble d = ellipse_distance (&f->img, 0, &step->regions[0], x, y);
      guint8 v = *sample (&f->img, 0, x, y);

      if (d < 0.999)
        g_assert_cmpuint (v, ==, 255);
      else if (d > 1.001)
        g_assert_cmpuint (v, ==, 0);
    }
  }
  /* the centre line of the face runs down the frame edge */
  g_assert_cmpuint (*sample (&f->img, 0, 0, 25), ==, 255);
  g_assert_cmpuint (*sample (&f->img, 0, 0, 114), ==, 255);
}

/* --- robustness ---------------------------------------------------------- */

static void
test_nothing_to_do (void)
{
  const FaRect outside[] = {
    {385, 0, 400, 10},
    {-50, -50, 0, 0},
    {0, 289, 385, 300},
    {100, 100, 100, 200},
    {120, 100, 110, 200},
    {100, 100, 200, 90},
  };
  FaMethod methods[] = { FA_METHOD_GAUSSIAN, FA_METHOD_PIXELATE,
    FA_METHOD_SOLID
  };
  TestFrame *f = frame_new (FMT_I420, 385, 289, 91);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (methods); i++) {
    FaMaskParams p = params_default (methods[i]);

    apply (f, &p, NULL, 0);
    apply (f, &p, outside, G_N_ELEMENTS (outside));
    p.shape = FA_SHAPE_ELLIPSE;
    apply (f, &p, outside, G_N_ELEMENTS (outside));
    g_assert_cmpmem (f->mem, f->size, f->orig, f->size);
  }

  frame_free (f);
}

static void
check_comp_bounds (const TestFrame * f, const MaskStep * step,
    const FaMaskParams * p)
{
  guint8 expect[3];
  gint x, y;

  fa_image_color_to_comps (&f->img, p->color, expect);
  for (y = 0; y < 145; y++)
    g_assert_cmpuint (*sample (&f->img, 1, 192, y), ==,
        orig_sample (f, 1, 192, y));
  for (x = 0; x < 193; x++)
    g_assert_cmpuint (*sample (&f->img, 1, x, 144), ==,
        orig_sample (f, 1, x, 144));
  g_assert_cmpuint (*sample (&f->img, 1, 191, 143), ==, expect[1]);
  g_assert_cmpuint (*sample (&f->img, 2, 192, 144), ==, expect[2]);
}

/* Every component lost most of its variance. */
static void
check_whole_blurred (const TestFrame * f, const MaskStep * step,
    const FaMaskParams * p)
{
  guint c;

  for (c = 0; c < f->img.n_comps; c++) {
    FaRect cr = { 0, 0, f->img.comp[c].width, f->img.comp[c].height };
    gdouble m0, v0, m1, v1;

    comp_stats (f, c, &cr, TRUE, &m0, &v0);
    comp_stats (f, c, &cr, FALSE, &m1, &v1);
    g_assert_cmpfloat (v1 * 20, <, v0);
  }
}

/* Every sample of the frame is the colour. */
static void
check_whole_filled (const TestFrame * f, const MaskStep * step,
    const FaMaskParams * p)
{
  guint8 expect[3];
  guint c;
  gint x, y;

  fa_image_color_to_comps (&f->img, p->color, expect);
  for (c = 0; c < f->img.n_comps; c++)
    for (y = 0; y < f->img.comp[c].height; y++)
      for (x = 0; x < f->img.comp[c].width; x++)
        g_assert_cmpuint (*sample (&f->img, c, x, y), ==, expect[c]);
}

/* Tiny and odd frames, every method, shape and a spread of parameters. */
static void
test_tiny_frames (void)
{
  const gint sizes[][2] = { {1, 1}, {2, 2}, {1, 2}, {3, 3}, {5, 1}, {3, 7} };
  FaMethod methods[] = { FA_METHOD_GAUSSIAN, FA_METHOD_PIXELATE,
    FA_METHOD_SOLID
  };
  gdouble factors[] = { 3.0, 0.01, 1e-9, 100.0 };
  FaMasker *m = fa_masker_new ();
  guint s, fmt, i, k, shape;

  for (s = 0; s < G_N_ELEMENTS (sizes); s++) {
    for (fmt = FMT_I420; fmt <= FMT_GRAY; fmt++) {
      TestFrame *f = frame_new (fmt, sizes[s][0], sizes[s][1], 111 + s);
      FaRect regions[] = {
        {0, 0, sizes[s][0], sizes[s][1]},
        {sizes[s][0] - 1, sizes[s][1] - 1, sizes[s][0], sizes[s][1]},
        {0, 0, 1, 1},
      };

      for (i = 0; i < G_N_ELEMENTS (methods); i++) {
        for (k = 0; k < G_N_ELEMENTS (factors); k++) {
          for (shape = FA_SHAPE_BOX; shape <= FA_SHAPE_ELLIPSE; shape++) {
            FaMaskParams p = params_default (methods[i]);

            p.shape = shape;
            p.blur_factor = factors[k];
            p.blocks = k;
            frame_restore (f);
            fa_masker_apply (m, &f->img, &p, regions, G_N_ELEMENTS (regions));
            assert_outside_untouched (f, regions, G_N_ELEMENTS (regions));

            /* a single sample is its own blur and its own mean */
            if (methods[i] != FA_METHOD_SOLID) {
              frame_restore (f);
              fa_masker_apply (m, &f->img, &p, &regions[2], 1);
              g_assert_cmpmem (f->mem, f->size, f->orig, f->size);
            }
          }
        }
      }
      frame_free (f);
    }
  }

  fa_masker_free (m);
}

/* The scratch memory is reused across calls: a region after a larger one
 * must come out exactly as with a fresh masker, and repeating a call must
 * repeat its result. */
static void
test_reuse (void)
{
  const FaRect big = { 0, 0, 385, 289 };
  const FaRect regions[] = { {60, 50, 190, 170}, {200, 120, 330, 260} };
  FaMethod methods[] = { FA_METHOD_GAUSSIAN, FA_METHOD_PIXELATE };
  FaMasker *reused = fa_masker_new ();
  TestFrame *a = frame_new (FMT_NV12, 385, 289, 121);
  TestFrame *b = frame_new (FMT_NV12, 385, 289, 121);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (methods); i++) {
    FaMaskParams p = params_default (methods[i]);

    p.shape = FA_SHAPE_ELLIPSE;
    frame_restore (a);
    fa_masker_apply (reused, &a->img, &p, &big, 1);
    frame_restore (a);
    fa_masker_apply (reused, &a->img, &p, regions, G_N_ELEMENTS (regions));

    frame_restore (b);
    apply (b, &p, regions, G_N_ELEMENTS (regions));
    g_assert_cmpmem (a->mem, a->size, b->mem, b->size);
    g_assert_true (memcmp (a->mem, a->orig, a->size) != 0);

    frame_restore (a);
    fa_masker_apply (reused, &a->img, &p, regions, G_N_ELEMENTS (regions));
    g_assert_cmpmem (a->mem, a->size, b->mem, b->size);
  }

  fa_masker_free (reused);
  frame_free (a);
  frame_free (b);
}

/* --- the cases ----------------------------------------------------------- */

/* Each step masks a fresh copy of its picture for each value it sweeps;
 * the runner asserts that nothing outside the regions changed, the check
 * asserts the rest. */
/* *INDENT-OFF* */
static const MaskCase cases[] = {
  /* odd edges, one region reaching the odd bottom-right corner, overlap */
  {"solid/%s", ALL_FORMATS, 385, 289, 1, TRUE, {
    {prepare_bt709, FA_METHOD_SOLID, FA_SHAPE_BOX, 0x20c040,
      REGIONS ({37, 21, 250, 190}, {300, 250, 385, 289}, {200, 150, 331, 277}),
      .check = check_solid}}},
  {"pixelate/%s", ALL_FORMATS, 385, 289, 61, FALSE, {
    {NULL, FA_METHOD_PIXELATE, FA_SHAPE_BOX, 0,
      REGIONS ({41, 27, 290, 230}), BLOCKS (7, 1, 16, 0),
      .check = check_pixelated},
    /* more blocks than samples: one cell per sample, i.e. nothing changes */
    {NULL, FA_METHOD_PIXELATE, FA_SHAPE_BOX, 0,
      REGIONS ({101, 101, 121, 118}), BLOCKS (1000),
      .check = check_unchanged},
    /* more blocks than chroma samples but fewer than luma samples */
    {NULL, FA_METHOD_PIXELATE, FA_SHAPE_BOX, 0,
      REGIONS ({101, 101, 121, 118}), BLOCKS (12),
      .check = check_pixelated}}},
  {"ellipse/solid/%s", ALL_FORMATS, 385, 289, 71, FALSE, {
    {prepare_black, FA_METHOD_SOLID, FA_SHAPE_ELLIPSE, 0xffffff,
      REGIONS ({40, 31, 241, 190}), .check = check_ellipse_solid}}},
  {"ellipse/gaussian", FMT_I420, 385, 289, 81, FALSE, {
    {NULL, FA_METHOD_GAUSSIAN, FA_SHAPE_ELLIPSE, 0,
      REGIONS ({40, 31, 241, 190}), .check = check_same_as_box}}},
  {"ellipse/pixelate", FMT_I420, 385, 289, 81, FALSE, {
    {NULL, FA_METHOD_PIXELATE, FA_SHAPE_ELLIPSE, 0,
      REGIONS ({40, 31, 241, 190}), .check = check_same_as_box}}},
  /* An ellipse whose region is cut by the frame edge keeps its own shape:
   * the part of the face inside the frame is masked as if the frame went
   * on. */
  {"ellipse/cut", FMT_GRAY, 97, 150, 151, FALSE, {
    {prepare_black, FA_METHOD_SOLID, FA_SHAPE_ELLIPSE, 0xffffff,
      REGIONS ({-50, 20, 50, 120}), .check = check_ellipse_cut}}},
  /* A component smaller than the region maps to is clamped to its own
   * size. */
  {"comp-bounds", FMT_I420, 385, 289, 141, FALSE, {
    {prepare_short_chroma, FA_METHOD_SOLID, FA_SHAPE_BOX, 0xff0000,
      REGIONS ({300, 250, 385, 289}), .check = check_comp_bounds}}},
  /* A region larger than the frame masks the whole frame, and only it. */
  {"whole-frame/%s", ALL_FORMATS, 97, 75, 101, FALSE, {
    {NULL, FA_METHOD_GAUSSIAN, FA_SHAPE_BOX, 0,
      REGIONS ({-10, -10, 1000, 1000}), .check = check_whole_blurred},
    /* so does an ellipse around the largest region there is */
    {NULL, FA_METHOD_SOLID, FA_SHAPE_ELLIPSE, 0x808080,
      REGIONS ({G_MININT, G_MININT, G_MAXINT, G_MAXINT}),
      .check = check_whole_filled}}},
};
/* *INDENT-ON* */

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mask/color", test_color);
  g_test_add_func ("/mask/region", test_region);
  add_mask_cases (cases, G_N_ELEMENTS (cases));
  g_test_add_func ("/mask/nothing-to-do", test_nothing_to_do);
  g_test_add_func ("/mask/tiny-frames", test_tiny_frames);
  g_test_add_func ("/mask/reuse", test_reuse);

  return g_test_run ();
}
