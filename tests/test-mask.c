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

/* Unit tests of the masking kernels. Every frame is laid out in one buffer
 * with odd row padding, gaps between planes and guard bytes at both ends;
 * a map from byte to owning component lets each test assert that nothing
 * but the intended samples changed. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fa-mask.h"

#define GUARD 61

typedef enum
{
  FMT_I420,
  FMT_NV12,
  FMT_RGB,
  FMT_RGBX,
  FMT_GRAY
} TestFormat;

static const gchar *format_names[] = { "i420", "nv12", "rgb", "rgbx", "gray" };

typedef struct
{
  guint8 *mem;
  guint8 *orig;
  gint8 *owner;                 /* per byte: owning component, or -1 */
  gsize size;
  FaImage img;
} TestFrame;

static guint8 *
sample (const FaImage * img, gint c, gint x, gint y)
{
  const FaComp *comp = &img->comp[c];

  return comp->data + (gssize) y * comp->stride + (gssize) x * comp->pstride;
}

static TestFrame *
frame_new (TestFormat fmt, gint width, gint height, guint32 seed)
{
  TestFrame *f = g_new0 (TestFrame, 1);
  FaImage *img = &f->img;
  gint cw = (width + 1) / 2, ch = (height + 1) / 2;
  gsize off[3], planes_end;
  GRand *rand;
  guint c;
  gint x, y;

  img->width = width;
  img->height = height;
  img->model = FA_COLOR_YUV;
  img->matrix = FA_MATRIX_BT601;
  img->n_comps = 3;

  /* Strides padded by odd amounts, planes separated by gaps. */
  switch (fmt) {
    case FMT_I420:
      img->comp[0] = (FaComp) {NULL, 1, width + 19, width, height, 0, 0};
      img->comp[1] = (FaComp) {NULL, 1, cw + 11, cw, ch, 1, 1};
      img->comp[2] = (FaComp) {NULL, 1, cw + 13, cw, ch, 1, 1};
      off[0] = GUARD;
      off[1] = off[0] + (gsize) height * img->comp[0].stride + 7;
      off[2] = off[1] + (gsize) ch * img->comp[1].stride + 5;
      planes_end = off[2] + (gsize) ch * img->comp[2].stride;
      break;
    case FMT_NV12:
      img->comp[0] = (FaComp) {NULL, 1, width + 19, width, height, 0, 0};
      img->comp[1] = (FaComp) {NULL, 2, 2 * cw + 10, cw, ch, 1, 1};
      img->comp[2] = img->comp[1];
      off[0] = GUARD;
      off[1] = off[0] + (gsize) height * img->comp[0].stride + 9;
      off[2] = off[1] + 1;
      planes_end = off[1] + (gsize) ch * img->comp[1].stride;
      break;
    case FMT_RGB:
    case FMT_RGBX:
      img->model = FA_COLOR_RGB;
      for (c = 0; c < 3; c++) {
        gint ps = fmt == FMT_RGB ? 3 : 4;

        img->comp[c] = (FaComp) {NULL, ps, ps * width + 17, width, height,
            0, 0};
        off[c] = GUARD + c;
      }
      planes_end = GUARD + (gsize) height * img->comp[0].stride;
      break;
    case FMT_GRAY:
    default:
      img->model = FA_COLOR_GRAY;
      img->n_comps = 1;
      img->comp[0] = (FaComp) {NULL, 1, width + 5, width, height, 0, 0};
      off[0] = GUARD;
      planes_end = GUARD + (gsize) height * img->comp[0].stride;
      break;
  }

  f->size = planes_end + GUARD;
  f->mem = g_malloc (f->size);
  f->owner = g_malloc (f->size);
  memset (f->owner, -1, f->size);
  for (c = 0; c < img->n_comps; c++)
    img->comp[c].data = f->mem + off[c];

  for (c = 0; c < img->n_comps; c++) {
    for (y = 0; y < img->comp[c].height; y++) {
      for (x = 0; x < img->comp[c].width; x++) {
        gsize o = sample (img, c, x, y) - f->mem;

        g_assert_cmpuint (o, <, f->size);
        g_assert_cmpint (f->owner[o], ==, -1);
        f->owner[o] = c;
      }
    }
  }

  rand = g_rand_new_with_seed (seed);
  for (gsize i = 0; i < f->size; i++)
    f->mem[i] = g_rand_int_range (rand, 0, 256);
  g_rand_free (rand);
  f->orig = g_memdup2 (f->mem, f->size);

  return f;
}

static void
frame_free (TestFrame * f)
{
  g_free (f->mem);
  g_free (f->orig);
  g_free (f->owner);
  g_free (f);
}

/* Makes the current contents the reference for the untouched checks. */
static void
frame_snapshot (TestFrame * f)
{
  memcpy (f->orig, f->mem, f->size);
}

static void
frame_restore (TestFrame * f)
{
  memcpy (f->mem, f->orig, f->size);
}

static void
frame_fill_comp (TestFrame * f, gint c, guint8 v)
{
  const FaComp *comp = &f->img.comp[c];
  gint x, y;

  for (y = 0; y < comp->height; y++)
    for (x = 0; x < comp->width; x++)
      *sample (&f->img, c, x, y) = v;
}

static guint8
orig_sample (const TestFrame * f, gint c, gint x, gint y)
{
  return f->orig[sample (&f->img, c, x, y) - f->mem];
}

/* The specification of a region in component samples, written
 * independently of the implementation. */
static gboolean
expected_comp_rect (const FaImage * img, gint c, const FaRect * r,
    FaRect * out)
{
  const FaComp *comp = &img->comp[c];
  gint sx = 1 << comp->wsub, sy = 1 << comp->hsub;
  gint x0 = MAX (r->x0, 0), y0 = MAX (r->y0, 0);
  gint x1 = MIN (r->x1, img->width), y1 = MIN (r->y1, img->height);

  if (x0 >= x1 || y0 >= y1)
    return FALSE;
  out->x0 = x0 / sx;
  out->y0 = y0 / sy;
  out->x1 = MIN ((x1 + sx - 1) / sx, comp->width);
  out->y1 = MIN ((y1 + sy - 1) / sy, comp->height);
  return out->x0 < out->x1 && out->y0 < out->y1;
}

static gboolean
in_rect (const FaRect * r, gint x, gint y)
{
  return x >= r->x0 && x < r->x1 && y >= r->y0 && y < r->y1;
}

/* Asserts that every byte that is not a sample inside one of @regions,
 * padding, gaps and guards included, still holds its original value. */
static void
assert_outside_untouched (const TestFrame * f, const FaRect * regions,
    guint n_regions)
{
  const FaImage *img = &f->img;
  gsize i;
  guint c, k;
  gint x, y;

  for (i = 0; i < f->size; i++) {
    if (f->owner[i] < 0 && f->mem[i] != f->orig[i])
      g_error ("non-sample byte %" G_GSIZE_FORMAT " was written", i);
  }

  for (c = 0; c < img->n_comps; c++) {
    for (y = 0; y < img->comp[c].height; y++) {
      for (x = 0; x < img->comp[c].width; x++) {
        gboolean inside = FALSE;

        for (k = 0; k < n_regions; k++) {
          FaRect cr;

          if (expected_comp_rect (img, c, &regions[k], &cr)
              && in_rect (&cr, x, y))
            inside = TRUE;
        }
        if (!inside && *sample (img, c, x, y) != orig_sample (f, c, x, y))
          g_error ("comp %u sample (%d,%d) outside the regions was written",
              c, x, y);
      }
    }
  }
}

static FaMaskParams
params_default (FaMethod method)
{
  FaMaskParams p;

  p.method = method;
  p.shape = FA_SHAPE_BOX;
  p.scale = 1.0;
  p.blur_factor = 3.0;
  p.blocks = 10;
  p.color = 0x000000;
  return p;
}

static void
apply (TestFrame * f, const FaMaskParams * p, const FaRect * regions,
    guint n_regions)
{
  FaMasker *m = fa_masker_new ();

  fa_masker_apply (m, &f->img, p, regions, n_regions);
  fa_masker_free (m);
}

/* Mean and variance of one component over a rectangle of its samples. */
static void
comp_stats (const TestFrame * f, gint c, const FaRect * cr, gboolean orig,
    gdouble * mean, gdouble * var)
{
  gdouble s = 0, s2 = 0, n = 0;
  gint x, y;

  for (y = cr->y0; y < cr->y1; y++) {
    for (x = cr->x0; x < cr->x1; x++) {
      gdouble v = orig ? orig_sample (f, c, x, y) :
          *sample (&f->img, c, x, y);

      s += v;
      s2 += v * v;
      n++;
    }
  }
  *mean = s / n;
  *var = s2 / n - *mean * *mean;
}

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

/* --- solid --------------------------------------------------------------- */

static void
test_solid (gconstpointer data)
{
  TestFormat fmt = GPOINTER_TO_INT (data);
  /* odd edges, one region reaching the odd bottom-right corner, overlap */
  const FaRect regions[] = {
    {37, 21, 250, 190},
    {300, 250, 385, 289},
    {200, 150, 331, 277},
  };
  FaMaskParams p = params_default (FA_METHOD_SOLID);
  TestFrame *f = frame_new (fmt, 385, 289, 1 + fmt);
  guint8 expect[3];
  guint c, k;
  gint x, y;

  f->img.matrix = FA_MATRIX_BT709;
  p.color = 0x20c040;
  fa_image_color_to_comps (&f->img, p.color, expect);
  if (f->img.model == FA_COLOR_RGB) {
    g_assert_cmpuint (expect[0], ==, 0x20);
    g_assert_cmpuint (expect[1], ==, 0xc0);
    g_assert_cmpuint (expect[2], ==, 0x40);
  }

  apply (f, &p, regions, G_N_ELEMENTS (regions));

  assert_outside_untouched (f, regions, G_N_ELEMENTS (regions));
  for (k = 0; k < G_N_ELEMENTS (regions); k++) {
    for (c = 0; c < f->img.n_comps; c++) {
      FaRect cr;

      g_assert_true (expected_comp_rect (&f->img, c, &regions[k], &cr));
      for (y = cr.y0; y < cr.y1; y++)
        for (x = cr.x0; x < cr.x1; x++)
          g_assert_cmpuint (*sample (&f->img, c, x, y), ==, expect[c]);
    }
  }

  /* the chroma of the bottom-right region reaches the last chroma sample */
  if (fmt == FMT_I420 || fmt == FMT_NV12) {
    g_assert_cmpuint (*sample (&f->img, 1, 192, 144), ==, expect[1]);
    g_assert_cmpuint (*sample (&f->img, 2, 192, 144), ==, expect[2]);
    /* x0 = 37 is odd: chroma sample 18 (luma 36..37) is covered */
    g_assert_cmpuint (*sample (&f->img, 1, 18, 10), ==, expect[1]);
    g_assert_cmpuint (*sample (&f->img, 1, 17, 10), ==,
        orig_sample (f, 1, 17, 10));
  }

  frame_free (f);
}

/* --- gaussian ------------------------------------------------------------ */

static void
test_gaussian_constant (gconstpointer data)
{
  TestFormat fmt = GPOINTER_TO_INT (data);
  const FaRect region = { 41, 33, 300, 250 };
  const guint8 level[3] = { 77, 140, 201 };
  FaMaskParams p = params_default (FA_METHOD_GAUSSIAN);
  TestFrame *f = frame_new (fmt, 385, 289, 11);
  gdouble factors[] = { 3.0, 0.5, 0.01, 20.0 };
  guint c, i;
  gint x, y;

  for (c = 0; c < f->img.n_comps; c++)
    frame_fill_comp (f, c, level[c]);
  frame_snapshot (f);

  for (i = 0; i < G_N_ELEMENTS (factors); i++) {
    p.blur_factor = factors[i];
    apply (f, &p, &region, 1);
    for (c = 0; c < f->img.n_comps; c++)
      for (y = 0; y < f->img.comp[c].height; y++)
        for (x = 0; x < f->img.comp[c].width; x++)
          g_assert_cmpuint (*sample (&f->img, c, x, y), ==, level[c]);
    assert_outside_untouched (f, &region, 1);
  }

  frame_free (f);
}

static void
test_gaussian_noise (gconstpointer data)
{
  TestFormat fmt = GPOINTER_TO_INT (data);
  const FaRect region = { 51, 33, 251, 193 };
  FaMaskParams p = params_default (FA_METHOD_GAUSSIAN);
  TestFrame *f = frame_new (fmt, 385, 289, 21);
  guint c;
  gint x, y;

  apply (f, &p, &region, 1);
  assert_outside_untouched (f, &region, 1);

  for (c = 0; c < f->img.n_comps; c++) {
    FaRect cr;
    gdouble m0, v0, m1, v1, diff = 0;

    g_assert_true (expected_comp_rect (&f->img, c, &region, &cr));
    comp_stats (f, c, &cr, TRUE, &m0, &v0);
    comp_stats (f, c, &cr, FALSE, &m1, &v1);
    /* a blur keeps the mean and crushes the variance of white noise */
    g_assert_cmpfloat (fabs (m1 - m0), <, 3.0);
    g_assert_cmpfloat (v1 * 50, <, v0);
    for (y = cr.y0; y < cr.y1; y++)
      for (x = cr.x0; x < cr.x1; x++)
        diff += abs (*sample (&f->img, c, x, y) - orig_sample (f, c, x, y));
    diff /= (gdouble) (cr.x1 - cr.x0) * (cr.y1 - cr.y0);
    g_assert_cmpfloat (diff, >, 40.0);
  }

  frame_free (f);
}

static void
test_gaussian_checkerboard (void)
{
  const FaRect region = { 20, 20, 220, 220 };
  FaMaskParams p = params_default (FA_METHOD_GAUSSIAN);
  TestFrame *f = frame_new (FMT_GRAY, 240, 240, 31);
  gdouble m0, v0, m1, v1;
  gint x, y;

  for (y = 0; y < 240; y++)
    for (x = 0; x < 240; x++)
      *sample (&f->img, 0, x, y) = ((x ^ y) & 1) ? 255 : 0;
  frame_snapshot (f);

  apply (f, &p, &region, 1);
  assert_outside_untouched (f, &region, 1);
  comp_stats (f, 0, &region, TRUE, &m0, &v0);
  comp_stats (f, 0, &region, FALSE, &m1, &v1);
  g_assert_cmpfloat (v1 * 1000, <, v0);
  g_assert_cmpfloat (fabs (m1 - 127.5), <, 1.0);

  frame_free (f);
}

/* Blurs a one-sample line, which is an impulse along the other axis, and
 * checks the spread of the response against the sigma that OpenCV derives
 * from the kernel size. */
static void
assert_impulse_spread (gboolean vertical)
{
  /* 201 samples / (201 / 31.5) = 31.5: kernel 31, sigma 0.3*14+0.8 = 5 */
  const FaRect region = { 50, 50, 251, 251 };
  const gdouble sigma = 5.0;
  FaMaskParams p = params_default (FA_METHOD_GAUSSIAN);
  TestFrame *f = frame_new (FMT_GRAY, 301, 301, 41);
  gdouble m0 = 0, m1 = 0, m2 = 0, mean, var;
  gint i, j;

  p.blur_factor = 201.0 / 31.5;
  frame_fill_comp (f, 0, 0);
  for (i = 0; i < 301; i++) {
    if (vertical)
      *sample (&f->img, 0, 150, i) = 255;
    else
      *sample (&f->img, 0, i, 150) = 255;
  }
  frame_snapshot (f);

  apply (f, &p, &region, 1);
  assert_outside_untouched (f, &region, 1);

  /* the profile across the line, in the middle of the region */
  for (i = region.x0; i < region.x1; i++) {
    gdouble v = vertical ? *sample (&f->img, 0, i, 150) :
        *sample (&f->img, 0, 150, i);

    m0 += v;
    m1 += v * i;
    m2 += v * i * (gdouble) i;
  }
  mean = m1 / m0;
  var = m2 / m0 - mean * mean;
  g_test_message ("impulse: mass %.1f, centre %.3f, sigma %.3f", m0, mean,
      sqrt (var));

  g_assert_cmpfloat (fabs (m0 - 255.0), <, 255.0 * 0.05);
  g_assert_cmpfloat (fabs (mean - 150.0), <, 0.2);
  g_assert_cmpfloat (fabs (var / (sigma * sigma) - 1.0), <, 0.15);

  /* along its own axis the line stays constant, right up to the ends */
  for (j = region.y0; j < region.y1; j++) {
    guint8 v = vertical ? *sample (&f->img, 0, 150, j) :
        *sample (&f->img, 0, j, 150);

    g_assert_cmpuint (v, ==, *sample (&f->img, 0, 150, 150));
  }

  frame_free (f);
}

static void
test_gaussian_impulse (void)
{
  assert_impulse_spread (TRUE);
  assert_impulse_spread (FALSE);
}

/* A straightforward reference of the specification, in doubles: the OpenCV
 * kernel size and sigma, and either the three boxes fitted to that sigma or
 * the sampled Gaussian itself, with edges replicated. It costs
 * O(n * kernel), which is fine for a test. */
static gint
ref_kernel_size (gint n, gdouble factor)
{
  gint k = (gint) (n / factor);

  if (k % 2 == 0)
    k--;
  return MAX (k, 1);
}

static gdouble
ref_sigma (gint ksize)
{
  return 0.3 * ((ksize - 1) * 0.5 - 1.0) + 0.8;
}

/* Filters @n values @stride apart with @taps (2 * @radius + 1 weights),
 * edges replicated. The taps that fall beyond an end all weigh on the end
 * sample, so they are summed once (prefix sums): O(n * min(n, kernel)),
 * which keeps kernels far longer than the line cheap. */
static void
ref_filter_line (gdouble * v, gint n, gsize stride, const gdouble * taps,
    gint radius)
{
  gdouble *in = g_new (gdouble, n);
  gdouble *cum = g_new (gdouble, 2 * radius + 2);
  gint i, j;

  /* cum[k]: the sum of the first k taps */
  cum[0] = 0;
  for (j = 0; j <= 2 * radius; j++)
    cum[j + 1] = cum[j] + taps[j];
  for (i = 0; i < n; i++)
    in[i] = v[i * stride];
  for (i = 0; i < n; i++) {
    /* taps j = -radius..radius read in[i + j]; those with i + j < 0 read
     * in[0], those with i + j > n - 1 read in[n - 1] */
    gint lo = MAX (-radius, -i), hi = MIN (radius, n - 1 - i);
    gdouble s = cum[lo + radius] * in[0];

    for (j = lo; j <= hi; j++)
      s += taps[j + radius] * in[i + j];
    s += (cum[2 * radius + 1] - cum[hi + radius + 1]) * in[n - 1];
    v[i * stride] = s;
  }
  g_free (cum);
  g_free (in);
}

/* Blurs one line: either the sampled Gaussian in one go, or three boxes in
 * succession, each replicating the edges of what the previous one left. */
static void
ref_blur_line (gdouble * v, gint n, gsize stride, gint ksize,
    gboolean gaussian)
{
  gdouble sigma = ref_sigma (ksize);
  gdouble *taps;
  gint i;

  if (gaussian) {
    gint radius = ksize / 2;
    gdouble sum = 0;

    taps = g_new (gdouble, 2 * radius + 1);
    for (i = -radius; i <= radius; i++)
      sum += taps[i + radius] = exp (-i * i / (2 * sigma * sigma));
    for (i = 0; i <= 2 * radius; i++)
      taps[i] /= sum;
    ref_filter_line (v, n, stride, taps, radius);
    g_free (taps);
  } else {
    gdouble w_ideal = sqrt (12 * sigma * sigma / 3 + 1);
    gint wl = (gint) floor (w_ideal), m, b;

    if (wl % 2 == 0)
      wl--;
    m = (gint) floor ((12 * sigma * sigma - 3 * wl * wl - 12 * wl - 9)
        / (-4.0 * wl - 4) + 0.5);
    for (b = 0; b < 3; b++) {
      gint width = b < m ? wl : wl + 2;

      taps = g_new (gdouble, width);
      for (i = 0; i < width; i++)
        taps[i] = 1.0 / width;
      ref_filter_line (v, n, stride, taps, width / 2);
      g_free (taps);
    }
  }
}

/* The reference blur of component @c over its rectangle @cr, from the
 * frame's original samples: (cr->x1 - cr->x0) * (cr->y1 - cr->y0) values,
 * row by row. Free with g_free(). */
static gdouble *
reference_blur (const TestFrame * f, guint c, const FaRect * cr,
    gdouble factor, gboolean gaussian)
{
  gint w = cr->x1 - cr->x0, h = cr->y1 - cr->y0, x, y;
  gdouble *v = g_new (gdouble, (gsize) w * h);

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      v[y * w + x] = orig_sample (f, c, cr->x0 + x, cr->y0 + y);
  for (y = 0; y < h; y++)
    ref_blur_line (v + y * w, w, 1, ref_kernel_size (w, factor), gaussian);
  for (x = 0; x < w; x++)
    ref_blur_line (v + x, h, w, ref_kernel_size (h, factor), gaussian);
  return v;
}

/* Compares the blur of every component of @region with the reference;
 * returns the mean and the largest absolute difference, over the whole
 * region or only where the kernel does not reach the region's edges. */
static void
compare_with_reference (const TestFrame * f, const FaRect * region,
    gdouble factor, gboolean gaussian, gboolean interior, gdouble * mean_diff,
    gint * max_diff)
{
  gdouble total = 0, count = 0;
  guint c;

  *max_diff = 0;
  for (c = 0; c < f->img.n_comps; c++) {
    FaRect cr;
    gint w, h, x, y, mx, my;
    gdouble *v;

    g_assert_true (expected_comp_rect (&f->img, c, region, &cr));
    w = cr.x1 - cr.x0;
    h = cr.y1 - cr.y0;
    v = reference_blur (f, c, &cr, factor, gaussian);

    mx = interior ? ref_kernel_size (w, factor) / 2 + 1 : 0;
    my = interior ? ref_kernel_size (h, factor) / 2 + 1 : 0;
    for (y = my; y < h - my; y++) {
      for (x = mx; x < w - mx; x++) {
        gint expect = (gint) floor (v[y * w + x] + 0.5);
        gint d = abs (*sample (&f->img, c, cr.x0 + x, cr.y0 + y) - expect);

        *max_diff = MAX (*max_diff, d);
        total += d;
        count++;
      }
    }
    g_free (v);
  }
  g_assert_cmpfloat (count, >, 0);
  *mean_diff = total / count;
}

static void
test_gaussian_reference (gconstpointer data)
{
  TestFormat fmt = GPOINTER_TO_INT (data);
  const FaRect region = { 23, 18, 84, 64 };
  const gdouble factors[] = { 3.0, 1.7, 1.0, 0.5, 0.2 };
  FaMaskParams p = params_default (FA_METHOD_GAUSSIAN);
  TestFrame *f = frame_new (fmt, 97, 75, 131);
  gdouble mean_diff;
  gint max_diff;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (factors); i++) {
    frame_restore (f);
    p.blur_factor = factors[i];
    apply (f, &p, &region, 1);
    assert_outside_untouched (f, &region, 1);

    /* the specified algorithm, up to rounding */
    compare_with_reference (f, &region, factors[i], FALSE, FALSE, &mean_diff,
        &max_diff);
    g_test_message ("factor %g: boxes: mean diff %.3f, max %d", factors[i],
        mean_diff, max_diff);
    g_assert_cmpint (max_diff, <=, 1);
    g_assert_cmpfloat (mean_diff, <, 0.05);

    /* and close to the Gaussian OpenCV would have used; near the edges the
     * boxes, each replicating the previous one's edge, weigh the edge
     * samples more than one Gaussian pass does */
    compare_with_reference (f, &region, factors[i], TRUE, FALSE, &mean_diff,
        &max_diff);
    g_test_message ("factor %g: gaussian: mean diff %.3f, max %d",
        factors[i], mean_diff, max_diff);
    g_assert_cmpfloat (mean_diff, <, factors[i] >= 0.5 ? 2.5 : 8.0);
    if (factors[i] >= 1.5) {
      compare_with_reference (f, &region, factors[i], TRUE, TRUE, &mean_diff,
          &max_diff);
      g_test_message ("factor %g: gaussian, interior: mean diff %.3f, max %d",
          factors[i], mean_diff, max_diff);
      g_assert_cmpfloat (mean_diff, <, 1.0);
      g_assert_cmpint (max_diff, <=, 10);
    }
  }

  frame_free (f);
}

/* How much detail a blur left: the mean absolute difference between
 * neighbouring samples of component @c over @cr, of the frame as it is
 * (@ref NULL) or of @ref, the reference's w x h values. */
static gdouble
detail_left (const TestFrame * f, gint c, const FaRect * cr,
    const gdouble * ref)
{
  gint w = cr->x1 - cr->x0, h = cr->y1 - cr->y0, x, y;
  gdouble total = 0;

  for (y = 0; y + 1 < h; y++) {
    for (x = 0; x + 1 < w; x++) {
      gdouble v, r, d;

      if (ref) {
        v = ref[y * w + x];
        r = ref[y * w + x + 1];
        d = ref[(y + 1) * w + x];
      } else {
        v = *sample (&f->img, c, cr->x0 + x, cr->y0 + y);
        r = *sample (&f->img, c, cr->x0 + x + 1, cr->y0 + y);
        d = *sample (&f->img, c, cr->x0 + x, cr->y0 + y + 1);
      }
      total += fabs (r - v) + fabs (d - v);
    }
  }
  return total / ((gdouble) (w - 1) * (h - 1));
}

/* Regions of a few hundred samples a side, as faces are at 1080p and up,
 * are blurred on a copy decimated into blocks (when sigma spans 4 samples
 * of a block or more, and 32 blocks still cross the region). That must
 * still be the specified Gaussian, not something weaker: the same where the
 * kernel stays inside the region, and nowhere more detailed. Near the
 * edges it differs: the copy replicates an edge block where the full-size
 * boxes replicate the edge row (whose noise the reference smears into
 * streaks when the kernel is as large as the region). */
static void
test_gaussian_large (gconstpointer data)
{
  TestFormat fmt = GPOINTER_TO_INT (data);
  const FaRect region = { 37, 22, 357, 278 };
  const gdouble factors[] = { 3.0, 0.3 };
  FaMaskParams p = params_default (FA_METHOD_GAUSSIAN);
  TestFrame *f = frame_new (fmt, 401, 307, 77);
  gdouble mean_diff;
  gint max_diff;
  guint i, c;

  for (i = 0; i < G_N_ELEMENTS (factors); i++) {
    frame_restore (f);
    p.blur_factor = factors[i];
    apply (f, &p, &region, 1);
    assert_outside_untouched (f, &region, 1);

    for (c = 0; c < f->img.n_comps; c++) {
      FaRect cr;
      gdouble *v, got, want;

      g_assert_true (expected_comp_rect (&f->img, c, &region, &cr));
      v = reference_blur (f, c, &cr, factors[i], TRUE);
      got = detail_left (f, c, &cr, NULL);
      want = detail_left (f, c, &cr, v);
      g_test_message ("factor %g, component %u: detail left %.3f, "
          "the Gaussian's %.3f", factors[i], c, got, want);
      g_assert_cmpfloat (got, <=, want * 1.05 + 0.05);
      g_free (v);
    }

    /* where the kernel stays inside the region */
    if (factors[i] >= 1.5) {
      compare_with_reference (f, &region, factors[i], TRUE, TRUE, &mean_diff,
          &max_diff);
      g_test_message ("factor %g: gaussian, interior: mean diff %.3f, max %d",
          factors[i], mean_diff, max_diff);
      g_assert_cmpfloat (mean_diff, <, 0.5);
      g_assert_cmpint (max_diff, <=, 2);
    }
  }

  frame_free (f);
}

/* Kernels far larger than the region stay linear in the region size and
 * flatten it; huge factors mean a kernel of 1, which is the identity. */
static void
test_gaussian_extreme_factors (void)
{
  const FaRect region = { 40, 40, 340, 250 };
  FaMaskParams p = params_default (FA_METHOD_GAUSSIAN);
  TestFrame *f = frame_new (FMT_I420, 385, 289, 51);
  gdouble factors[] = { 0.01, 1e-9, 0.0, -1.0, NAN, INFINITY };
  guint c, i;

  for (i = 0; i < G_N_ELEMENTS (factors); i++) {
    frame_restore (f);
    p.blur_factor = factors[i];
    apply (f, &p, &region, 1);
    assert_outside_untouched (f, &region, 1);
    for (c = 0; c < 3; c++) {
      FaRect cr;
      gdouble m0, v0, m1, v1;

      g_assert_true (expected_comp_rect (&f->img, c, &region, &cr));
      comp_stats (f, c, &cr, TRUE, &m0, &v0);
      comp_stats (f, c, &cr, FALSE, &m1, &v1);
      if (isinf (factors[i])) {
        g_assert_cmpfloat (v1, ==, v0);
      } else {
        /* factors that are no number fail closed: strongest blur */
        g_assert_cmpfloat (v1 * 100, <, v0);
      }
    }
  }

  /* factor 1e6: every kernel is 1 wide, the region is left as it was */
  frame_restore (f);
  p.blur_factor = 1e6;
  apply (f, &p, &region, 1);
  g_assert_cmpmem (f->mem, f->size, f->orig, f->size);

  frame_free (f);
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
test_pixelate (gconstpointer data)
{
  TestFormat fmt = GPOINTER_TO_INT (data);
  const FaRect region = { 41, 27, 290, 230 };
  const FaRect small = { 101, 101, 121, 118 };
  FaMaskParams p = params_default (FA_METHOD_PIXELATE);
  TestFrame *f = frame_new (fmt, 385, 289, 61);
  guint blocks[] = { 7, 1, 16, 0 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (blocks); i++) {
    frame_restore (f);
    p.blocks = blocks[i];
    apply (f, &p, &region, 1);
    assert_outside_untouched (f, &region, 1);
    assert_pixelated (f, &region, blocks[i]);
  }

  /* more blocks than samples: one cell per sample, i.e. nothing changes */
  frame_restore (f);
  p.blocks = 1000;
  apply (f, &p, &small, 1);
  g_assert_cmpmem (f->mem, f->size, f->orig, f->size);

  /* more blocks than chroma samples but fewer than luma samples */
  p.blocks = 12;
  apply (f, &p, &small, 1);
  assert_outside_untouched (f, &small, 1);
  assert_pixelated (f, &small, 12);

  frame_free (f);
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
test_ellipse_solid (gconstpointer data)
{
  TestFormat fmt = GPOINTER_TO_INT (data);
  const FaRect region = { 40, 31, 241, 190 };
  FaMaskParams p = params_default (FA_METHOD_SOLID);
  TestFrame *f = frame_new (fmt, 385, 289, 71);
  guint8 expect[3];
  guint c;
  gint x, y, n_in = 0;

  for (c = 0; c < f->img.n_comps; c++)
    frame_fill_comp (f, c, 0);
  frame_snapshot (f);
  p.shape = FA_SHAPE_ELLIPSE;
  p.color = 0xffffff;
  fa_image_color_to_comps (&f->img, p.color, expect);

  apply (f, &p, &region, 1);
  assert_outside_untouched (f, &region, 1);

  for (c = 0; c < f->img.n_comps; c++) {
    FaRect cr;

    g_assert_true (expected_comp_rect (&f->img, c, &region, &cr));
    /* the corners of the box stay, the centre goes */
    g_assert_cmpuint (*sample (&f->img, c, cr.x0, cr.y0), ==, 0);
    g_assert_cmpuint (*sample (&f->img, c, cr.x1 - 1, cr.y0), ==, 0);
    g_assert_cmpuint (*sample (&f->img, c, cr.x0, cr.y1 - 1), ==, 0);
    g_assert_cmpuint (*sample (&f->img, c, cr.x1 - 1, cr.y1 - 1), ==, 0);
    g_assert_cmpuint (*sample (&f->img, c, (cr.x0 + cr.x1) / 2,
            (cr.y0 + cr.y1) / 2), ==, expect[c]);

    for (y = cr.y0; y < cr.y1; y++) {
      for (x = cr.x0; x < cr.x1; x++) {
        gdouble d = ellipse_distance (&f->img, c, &region, x, y);
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

  frame_free (f);
}

/* The ellipse computes what the box computes, and writes only inside. */
static void
test_ellipse_same_as_box (gconstpointer data)
{
  FaMethod method = GPOINTER_TO_INT (data);
  const FaRect region = { 40, 31, 241, 190 };
  FaMaskParams p = params_default (method);
  TestFrame *box = frame_new (FMT_I420, 385, 289, 81);
  TestFrame *ell = frame_new (FMT_I420, 385, 289, 81);
  guint c;
  gint x, y;

  apply (box, &p, &region, 1);
  p.shape = FA_SHAPE_ELLIPSE;
  apply (ell, &p, &region, 1);
  assert_outside_untouched (ell, &region, 1);

  for (c = 0; c < 3; c++) {
    FaRect cr;

    g_assert_true (expected_comp_rect (&ell->img, c, &region, &cr));
    g_assert_cmpuint (*sample (&ell->img, c, cr.x0, cr.y0), ==,
        orig_sample (ell, c, cr.x0, cr.y0));
    g_assert_cmpuint (*sample (&ell->img, c, cr.x1 - 1, cr.y1 - 1), ==,
        orig_sample (ell, c, cr.x1 - 1, cr.y1 - 1));
    for (y = cr.y0; y < cr.y1; y++) {
      for (x = cr.x0; x < cr.x1; x++) {
        gdouble d = ellipse_distance (&ell->img, c, &region, x, y);
        guint8 v = *sample (&ell->img, c, x, y);

        if (d < 0.999)
          g_assert_cmpuint (v, ==, *sample (&box->img, c, x, y));
        else if (d > 1.001)
          g_assert_cmpuint (v, ==, orig_sample (ell, c, x, y));
      }
    }
  }

  frame_free (box);
  frame_free (ell);
}

/* An ellipse whose region is cut by the frame edge keeps its own shape: the
 * part of the face inside the frame is masked as if the frame went on. */
static void
test_ellipse_cut (void)
{
  const FaRect region = { -50, 20, 50, 120 };
  FaMaskParams p = params_default (FA_METHOD_SOLID);
  TestFrame *f = frame_new (FMT_GRAY, 97, 150, 151);
  gint x, y;

  frame_fill_comp (f, 0, 0);
  frame_snapshot (f);
  p.shape = FA_SHAPE_ELLIPSE;
  p.color = 0xffffff;
  apply (f, &p, &region, 1);
  assert_outside_untouched (f, &region, 1);

  for (y = 20; y < 120; y++) {
    for (x = 0; x < 50; x++) {
      gdouble d = ellipse_distance (&f->img, 0, &region, x, y);
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

  frame_free (f);
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

/* A component smaller than the region maps to is clamped to its own size:
 * here the caller says chroma has floor (385 / 2) columns. */
static void
test_comp_bounds (void)
{
  const FaRect region = { 300, 250, 385, 289 };
  FaMaskParams p = params_default (FA_METHOD_SOLID);
  TestFrame *f = frame_new (FMT_I420, 385, 289, 141);
  guint8 expect[3];
  gint x, y;

  f->img.comp[1].width = 192;
  f->img.comp[1].height = 144;
  p.color = 0xff0000;
  fa_image_color_to_comps (&f->img, p.color, expect);
  apply (f, &p, &region, 1);
  assert_outside_untouched (f, &region, 1);

  for (y = 0; y < 145; y++)
    g_assert_cmpuint (*sample (&f->img, 1, 192, y), ==,
        orig_sample (f, 1, 192, y));
  for (x = 0; x < 193; x++)
    g_assert_cmpuint (*sample (&f->img, 1, x, 144), ==,
        orig_sample (f, 1, x, 144));
  g_assert_cmpuint (*sample (&f->img, 1, 191, 143), ==, expect[1]);
  g_assert_cmpuint (*sample (&f->img, 2, 192, 144), ==, expect[2]);

  frame_free (f);
}

/* A region larger than the frame masks the whole frame, and only it. */
static void
test_whole_frame (gconstpointer data)
{
  TestFormat fmt = GPOINTER_TO_INT (data);
  const FaRect region = { -10, -10, 1000, 1000 };
  FaMaskParams p = params_default (FA_METHOD_GAUSSIAN);
  TestFrame *f = frame_new (fmt, 97, 75, 101);
  guint c;

  apply (f, &p, &region, 1);
  assert_outside_untouched (f, &region, 1);
  for (c = 0; c < f->img.n_comps; c++) {
    FaRect cr = { 0, 0, f->img.comp[c].width, f->img.comp[c].height };
    gdouble m0, v0, m1, v1;

    comp_stats (f, c, &cr, TRUE, &m0, &v0);
    comp_stats (f, c, &cr, FALSE, &m1, &v1);
    g_assert_cmpfloat (v1 * 20, <, v0);
  }

  /* so does an ellipse around the largest region there is */
  {
    const FaRect huge = { G_MININT, G_MININT, G_MAXINT, G_MAXINT };
    guint8 expect[3];
    gint x, y;

    frame_restore (f);
    p = params_default (FA_METHOD_SOLID);
    p.shape = FA_SHAPE_ELLIPSE;
    p.color = 0x808080;
    fa_image_color_to_comps (&f->img, p.color, expect);
    apply (f, &p, &huge, 1);
    assert_outside_untouched (f, &huge, 1);
    for (c = 0; c < f->img.n_comps; c++)
      for (y = 0; y < f->img.comp[c].height; y++)
        for (x = 0; x < f->img.comp[c].width; x++)
          g_assert_cmpuint (*sample (&f->img, c, x, y), ==, expect[c]);
  }

  frame_free (f);
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

int
main (int argc, char **argv)
{
  TestFormat fmt;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mask/color", test_color);
  g_test_add_func ("/mask/region", test_region);

  for (fmt = FMT_I420; fmt <= FMT_GRAY; fmt++) {
    gchar *path;

    path = g_strdup_printf ("/mask/solid/%s", format_names[fmt]);
    g_test_add_data_func (path, GINT_TO_POINTER (fmt), test_solid);
    g_free (path);
    path = g_strdup_printf ("/mask/gaussian/constant/%s", format_names[fmt]);
    g_test_add_data_func (path, GINT_TO_POINTER (fmt), test_gaussian_constant);
    g_free (path);
    path = g_strdup_printf ("/mask/gaussian/noise/%s", format_names[fmt]);
    g_test_add_data_func (path, GINT_TO_POINTER (fmt), test_gaussian_noise);
    g_free (path);
    path = g_strdup_printf ("/mask/gaussian/reference/%s", format_names[fmt]);
    g_test_add_data_func (path, GINT_TO_POINTER (fmt), test_gaussian_reference);
    g_free (path);
    path = g_strdup_printf ("/mask/gaussian/large/%s", format_names[fmt]);
    g_test_add_data_func (path, GINT_TO_POINTER (fmt), test_gaussian_large);
    g_free (path);
    path = g_strdup_printf ("/mask/pixelate/%s", format_names[fmt]);
    g_test_add_data_func (path, GINT_TO_POINTER (fmt), test_pixelate);
    g_free (path);
    path = g_strdup_printf ("/mask/ellipse/solid/%s", format_names[fmt]);
    g_test_add_data_func (path, GINT_TO_POINTER (fmt), test_ellipse_solid);
    g_free (path);
    path = g_strdup_printf ("/mask/whole-frame/%s", format_names[fmt]);
    g_test_add_data_func (path, GINT_TO_POINTER (fmt), test_whole_frame);
    g_free (path);
  }

  g_test_add_func ("/mask/gaussian/checkerboard", test_gaussian_checkerboard);
  g_test_add_func ("/mask/gaussian/impulse", test_gaussian_impulse);
  g_test_add_func ("/mask/gaussian/extreme-factors",
      test_gaussian_extreme_factors);
  g_test_add_data_func ("/mask/ellipse/gaussian",
      GINT_TO_POINTER (FA_METHOD_GAUSSIAN), test_ellipse_same_as_box);
  g_test_add_data_func ("/mask/ellipse/pixelate",
      GINT_TO_POINTER (FA_METHOD_PIXELATE), test_ellipse_same_as_box);
  g_test_add_func ("/mask/ellipse/cut", test_ellipse_cut);
  g_test_add_func ("/mask/nothing-to-do", test_nothing_to_do);
  g_test_add_func ("/mask/comp-bounds", test_comp_bounds);
  g_test_add_func ("/mask/tiny-frames", test_tiny_frames);
  g_test_add_func ("/mask/reuse", test_reuse);

  return g_test_run ();
}
