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

/* Unit tests of the output decoders on constructed tensors: every family's
 * geometry worked out by hand for one known anchor, the threshold, hostile
 * values, tensors of the wrong size, NMS and the candidate cap. The res10
 * SSD model is not downloadable, so its constructed "detection_out" blob is
 * the only test its decoder gets. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "fa-decode.h"

#define EPS 1e-3f

/* A tensor owning its values, all zero to start with. */
typedef struct
{
  gfloat *values;
  FaTensor t;
} OwnedTensor;

static void
owned_init (OwnedTensor * o, gsize count)
{
  o->values = g_new0 (gfloat, MAX (count, 1));
  o->t.data = o->values;
  o->t.ndims = 2;
  o->t.shape[0] = (gint) count;
  o->t.shape[1] = 1;
  o->t.count = count;
}

static void
owned_clear (OwnedTensor * o)
{
  g_clear_pointer (&o->values, g_free);
}

static GArray *
boxes_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (FaBox));
}

static void
assert_box (const FaBox * b, gfloat x, gfloat y, gfloat w, gfloat h,
    gfloat score)
{
  g_assert_cmpfloat_with_epsilon (b->x, x, EPS);
  g_assert_cmpfloat_with_epsilon (b->y, y, EPS);
  g_assert_cmpfloat_with_epsilon (b->w, w, EPS);
  g_assert_cmpfloat_with_epsilon (b->h, h, EPS);
  g_assert_cmpfloat_with_epsilon (b->score, score, 1e-5);
}

/* ---------------------------------------------------------------- YuNet */

static const gint yunet_strides[3] = { 8, 16, 32 };

typedef struct
{
  gint in_w, in_h;
  OwnedTensor cls[3], obj[3], bbox[3];
  FaTensor t_cls[3], t_obj[3], t_bbox[3];
} YuNetOut;

static YuNetOut *
yunet_new (gint in_w, gint in_h)
{
  YuNetOut *y = g_new0 (YuNetOut, 1);

  y->in_w = in_w;
  y->in_h = in_h;
  for (guint i = 0; i < 3; i++) {
    gsize n = (gsize) (in_w / yunet_strides[i]) * (in_h / yunet_strides[i]);

    owned_init (&y->cls[i], n);
    owned_init (&y->obj[i], n);
    owned_init (&y->bbox[i], 4 * n);
  }
  return y;
}

static void
yunet_free (YuNetOut * y)
{
  for (guint i = 0; i < 3; i++) {
    owned_clear (&y->cls[i]);
    owned_clear (&y->obj[i]);
    owned_clear (&y->bbox[i]);
  }
  g_free (y);
}

/* Sets anchor (@col, @row) of stride level @level. */
static void
yunet_set (YuNetOut * y, guint level, gint col, gint row, gfloat cls,
    gfloat obj, gfloat dx, gfloat dy, gfloat lw, gfloat lh)
{
  gint cols = y->in_w / yunet_strides[level];
  gsize k = (gsize) row * cols + col;
  gfloat *b = y->bbox[level].values + 4 * k;

  y->cls[level].values[k] = cls;
  y->obj[level].values[k] = obj;
  b[0] = dx;
  b[1] = dy;
  b[2] = lw;
  b[3] = lh;
}

static gboolean
yunet_decode (YuNetOut * y, gfloat threshold, GArray * boxes, GError ** error)
{
  for (guint i = 0; i < 3; i++) {
    y->t_cls[i] = y->cls[i].t;
    y->t_obj[i] = y->obj[i].t;
    y->t_bbox[i] = y->bbox[i].t;
  }
  return fa_decode_yunet (y->t_cls, y->t_obj, y->t_bbox, y->in_w, y->in_h,
      threshold, boxes, error);
}

static void
test_yunet_one_anchor (void)
{
  /* 64x32 input: 8x4 anchors at stride 8, 4x2 at 16, 2x1 at 32 */
  YuNetOut *y = yunet_new (64, 32);
  GArray *boxes = boxes_new ();
  GError *err = NULL;

  /* stride 16, cell (1, 1): centre ((1 + 0.25) * 16, (1 + 0.5) * 16) =
   * (20, 24), size (2 * 16, 1.5 * 16) = (32, 24), score sqrt (.81 * .64) */
  yunet_set (y, 1, 1, 1, 0.81f, 0.64f, 0.25f, 0.5f, logf (2.f), logf (1.5f));
  g_assert_true (yunet_decode (y, 0.5f, boxes, &err));
  g_assert_no_error (err);
  g_assert_cmpuint (boxes->len, ==, 1);
  assert_box (&g_array_index (boxes, FaBox, 0), 4.f, 12.f, 32.f, 24.f, 0.72f);

  /* the same numbers at stride 8, cell (6, 2), and stride 32, cell (1, 0) */
  g_array_set_size (boxes, 0);
  yunet_set (y, 1, 1, 1, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f);
  yunet_set (y, 0, 6, 2, 1.f, 0.64f, 0.5f, 0.5f, 0.f, logf (3.f));
  yunet_set (y, 2, 1, 0, 0.49f, 1.f, 0.f, 0.25f, logf (0.5f), 0.f);
  g_assert_true (yunet_decode (y, 0.5f, boxes, &err));
  g_assert_no_error (err);
  g_assert_cmpuint (boxes->len, ==, 2);
  /* centre (52, 20), 8 x 24, score sqrt (0.64) */
  assert_box (&g_array_index (boxes, FaBox, 0), 48.f, 8.f, 8.f, 24.f, 0.8f);
  /* centre (32, 8), 16 x 32, score sqrt (0.49) */
  assert_box (&g_array_index (boxes, FaBox, 1), 24.f, -8.f, 16.f, 32.f, 0.7f);

  yunet_free (y);
  g_array_unref (boxes);
}

static void
test_yunet_threshold (void)
{
  YuNetOut *y = yunet_new (64, 32);
  GArray *boxes = boxes_new ();
  GError *err = NULL;

  /* scores 0.3, 0.49 and 0.6: only the last passes 0.5 */
  yunet_set (y, 0, 0, 0, 0.3f, 0.3f, 0.5f, 0.5f, 0.f, 0.f);
  yunet_set (y, 0, 3, 1, 0.49f, 0.49f, 0.5f, 0.5f, 0.f, 0.f);
  yunet_set (y, 1, 2, 1, 0.6f, 0.6f, 0.5f, 0.5f, 0.f, 0.f);
  g_assert_true (yunet_decode (y, 0.5f, boxes, &err));
  g_assert_no_error (err);
  g_assert_cmpuint (boxes->len, ==, 1);
  assert_box (&g_array_index (boxes, FaBox, 0), 32.f, 16.f, 16.f, 16.f, 0.6f);

  /* a lower threshold lets all three through */
  g_array_set_size (boxes, 0);
  g_assert_true (yunet_decode (y, 0.25f, boxes, &err));
  g_assert_cmpuint (boxes->len, ==, 3);

  /* boxes already in the array are kept: results are appended */
  g_assert_true (yunet_decode (y, 0.5f, boxes, &err));
  g_assert_cmpuint (boxes->len, ==, 4);

  yunet_free (y);
  g_array_unref (boxes);
}

static void
test_yunet_hostile (void)
{
  YuNetOut *y = yunet_new (64, 32);
  GArray *boxes = boxes_new ();
  GError *err = NULL;
  gfloat nan = NAN, inf = INFINITY;

  /* stride 8 has 32 anchors: one hostile value each */
  yunet_set (y, 0, 0, 0, nan, 1.f, 0.5f, 0.5f, 0.f, 0.f);
  yunet_set (y, 0, 1, 0, 1.f, nan, 0.5f, 0.5f, 0.f, 0.f);
  yunet_set (y, 0, 2, 0, -1.f, -1.f, 0.5f, 0.5f, 0.f, 0.f);
  yunet_set (y, 0, 3, 0, 1.f, 1.f, nan, 0.5f, 0.f, 0.f);
  yunet_set (y, 0, 4, 0, 1.f, 1.f, 0.5f, inf, 0.f, 0.f);
  yunet_set (y, 0, 5, 0, 1.f, 1.f, 0.5f, 0.5f, inf, 0.f);
  yunet_set (y, 0, 6, 0, 1.f, 1.f, 0.5f, 0.5f, 0.f, nan);
  /* exp (-inf) = 0: a box of no width */
  yunet_set (y, 0, 7, 0, 1.f, 1.f, 0.5f, 0.5f, -inf, 0.f);
  /* huge: exp (30) * 8 is far beyond 4 times the input */
  yunet_set (y, 0, 0, 1, 1.f, 1.f, 0.5f, 0.5f, 30.f, 0.f);
  yunet_set (y, 0, 1, 1, 1.f, 1.f, 0.5f, 0.5f, 0.f, 1e30f);
  /* entirely outside the input */
  yunet_set (y, 0, 2, 1, 1.f, 1.f, -1e6f, 0.5f, 0.f, 0.f);
  yunet_set (y, 0, 3, 1, 1.f, 1.f, 0.5f, 1e6f, 0.f, 0.f);
  yunet_set (y, 0, 4, 1, 1.f, 1.f, -100.f, -100.f, 0.f, 0.f);
  /* scores above 1 are clamped, not trusted */
  yunet_set (y, 1, 0, 0, 5.f, 1e30f, 0.5f, 0.5f, 0.f, 0.f);

  g_assert_true (yunet_decode (y, 0.5f, boxes, &err));
  g_assert_no_error (err);
  g_assert_cmpuint (boxes->len, ==, 1);
  assert_box (&g_array_index (boxes, FaBox, 0), 0.f, 0.f, 16.f, 16.f, 1.f);

  /* nothing but hostile values: nothing, and no error */
  yunet_set (y, 1, 0, 0, inf, inf, nan, nan, nan, nan);
  g_array_set_size (boxes, 0);
  g_assert_true (yunet_decode (y, 0.5f, boxes, &err));
  g_assert_no_error (err);
  g_assert_cmpuint (boxes->len, ==, 0);

  yunet_free (y);
  g_array_unref (boxes);
}

static void
test_yunet_wrong_sizes (void)
{
  YuNetOut *y = yunet_new (64, 32);
  GArray *boxes = boxes_new ();
  GError *err = NULL;

  /* the outputs of a 64x32 input, read as if the input were 64x64 */
  for (guint i = 0; i < 3; i++) {
    y->t_cls[i] = y->cls[i].t;
    y->t_obj[i] = y->obj[i].t;
    y->t_bbox[i] = y->bbox[i].t;
  }
  g_assert_false (fa_decode_yunet (y->t_cls, y->t_obj, y->t_bbox, 64, 64,
          0.5f, boxes, &err));
  g_assert_error (err, FA_ERROR, FA_ERROR_OUTPUT);
  g_assert_nonnull (strstr (err->message, "cls"));
  g_clear_error (&err);

  /* one short tensor at each place in turn */
  for (guint level = 0; level < 3; level++) {
    for (guint which = 0; which < 3; which++) {
      OwnedTensor *o = which == 0 ? &y->cls[level] : which == 1 ?
          &y->obj[level] : &y->bbox[level];

      o->t.count--;
      g_assert_false (yunet_decode (y, 0.5f, boxes, &err));
      g_assert_error (err, FA_ERROR, FA_ERROR_OUTPUT);
      g_clear_error (&err);
      o->t.count++;

      /* missing data is the same failure, never a crash */
      o->t.data = NULL;
      g_assert_false (yunet_decode (y, 0.5f, boxes, &err));
      g_assert_error (err, FA_ERROR, FA_ERROR_OUTPUT);
      g_clear_error (&err);
      o->t.data = o->values;
    }
  }

  /* a tensor of 4 values where bbox needs 4 per anchor: too few */
  y->bbox[2].t.count = 2;
  g_assert_false (yunet_decode (y, 0.5f, boxes, &err));
  g_assert_error (err, FA_ERROR, FA_ERROR_OUTPUT);
  g_clear_error (&err);
  y->bbox[2].t.count = 8;

  /* and intact again, it decodes */
  g_assert_true (yunet_decode (y, 0.5f, boxes, &err));
  g_assert_no_error (err);

  yunet_free (y);
  g_array_unref (boxes);
}

/* ------------------------------------------------------------ BlazeFace */

typedef struct
{
  gint size;
  OwnedTensor scores[2], regs[2];
  FaTensor t_scores[2], t_regs[2];
} BlazeOut;

static const gint blaze_grid[2] = { 16, 8 };
static const gint blaze_per_cell[2] = { 2, 6 };

static BlazeOut *
blaze_new (gint size, gint reg_stride)
{
  BlazeOut *b = g_new0 (BlazeOut, 1);

  b->size = size;
  for (guint i = 0; i < 2; i++) {
    gsize n = (gsize) blaze_grid[i] * blaze_grid[i] * blaze_per_cell[i];

    owned_init (&b->scores[i], n);
    owned_init (&b->regs[i], n * reg_stride);
    /* far below any threshold */
    for (gsize k = 0; k < n; k++)
      b->scores[i].values[k] = -20.f;
  }
  return b;
}

static void
blaze_free (BlazeOut * b)
{
  for (guint i = 0; i < 2; i++) {
    owned_clear (&b->scores[i]);
    owned_clear (&b->regs[i]);
  }
  g_free (b);
}

/* Anchor @a of cell (@col, @row) of grid @level: logit and regressors
 * (centre offset and size, in input pixels). */
static void
blaze_set (BlazeOut * b, guint level, gint col, gint row, gint a,
    gfloat logit, gfloat dx, gfloat dy, gfloat w, gfloat h)
{
  gsize n = (gsize) blaze_grid[level] * blaze_grid[level] *
      blaze_per_cell[level];
  gsize stride = b->regs[level].t.count / n;
  gsize k = ((gsize) row * blaze_grid[level] + col) * blaze_per_cell[level]
      + a;
  gfloat *r = b->regs[level].values + stride * k;

  b->scores[level].values[k] = logit;
  r[0] = dx;
  r[1] = dy;
  r[2] = w;
  r[3] = h;
  /* keypoints follow: they must not be read as the box */
  for (gsize j = 4; j < stride; j++)
    r[j] = 1e9f;
}

static gboolean
blaze_decode (BlazeOut * b, gfloat threshold, GArray * boxes, GError ** error)
{
  for (guint i = 0; i < 2; i++) {
    b->t_scores[i] = b->scores[i].t;
    b->t_regs[i] = b->regs[i].t;
  }
  return fa_decode_blazeface (b->t_scores, b->t_regs, b->size, threshold,
      boxes, error);
}

static gfloat
sigmoid (gfloat x)
{
  return 1.f / (1.f + expf (-x));
}

static void
test_blazeface_anchors (void)
{
  BlazeOut *b = blaze_new (128, 16);
  GArray *boxes = boxes_new ();
  GError *err = NULL;

  /* 16x16 grid, cell (3, 5), 2nd anchor: anchor centre (3.5 / 16 * 128,
   * 5.5 / 16 * 128) = (28, 44), moved by (2, -4) to (30, 40) */
  blaze_set (b, 0, 3, 5, 1, 2.f, 2.f, -4.f, 20.f, 30.f);
  g_assert_true (blaze_decode (b, 0.5f, boxes, &err));
  g_assert_no_error (err);
  g_assert_cmpuint (boxes->len, ==, 1);
  assert_box (&g_array_index (boxes, FaBox, 0), 20.f, 25.f, 20.f, 30.f,
      sigmoid (2.f));

  /* 8x8 grid, cell (6, 2), 5th of 6 anchors: anchor centre (6.5 / 8 * 128,
   * 2.5 / 8 * 128) = (104, 40), moved by (-4, 6) to (100, 46) */
  g_array_set_size (boxes, 0);
  blaze_set (b, 0, 3, 5, 1, -20.f, 0.f, 0.f, 0.f, 0.f);
  blaze_set (b, 1, 6, 2, 4, 0.5f, -4.f, 6.f, 40.f, 36.f);
  g_assert_true (blaze_decode (b, 0.5f, boxes, &err));
  g_assert_no_error (err);
  g_assert_cmpuint (boxes->len, ==, 1);
  assert_box (&g_array_index (boxes, FaBox, 0), 80.f, 28.f, 40.f, 36.f,
      sigmoid (0.5f));
  blaze_free (b);

  /* the back model: same anchors over 256 pixels, regressors of 4 only */
  b = blaze_new (256, 4);
  g_array_set_size (boxes, 0);
  blaze_set (b, 0, 15, 0, 0, 3.f, 0.f, 0.f, 16.f, 16.f);
  blaze_set (b, 1, 0, 7, 5, 3.f, 0.f, 0.f, 32.f, 32.f);
  g_assert_true (blaze_decode (b, 0.5f, boxes, &err));
  g_assert_no_error (err);
  g_assert_cmpuint (boxes->len, ==, 2);
  /* (15.5 / 16 * 256, 0.5 / 16 * 256) = (248, 8) */
  assert_box (&g_array_index (boxes, FaBox, 0), 240.f, 0.f, 16.f, 16.f,
      sigmoid (3.f));
  /* (0.5 / 8 * 256, 7.5 / 8 * 256) = (16, 240) */
  assert_box (&g_array_index (boxes, FaBox, 1), 0.f, 224.f, 32.f, 32.f,
      sigmoid (3.f));
  blaze_free (b);

  g_array_unref (boxes);
}

static void
test_blazeface_threshold (void)
{
  BlazeOut *b = blaze_new (128, 16);
  GArray *boxes = boxes_new ();
  GError *err = NULL;

  /* sigmoid (-0.1) = 0.475, sigmoid (0.1) = 0.525, sigmoid (1.5) = 0.818 */
  blaze_set (b, 0, 1, 1, 0, -0.1f, 0.f, 0.f, 10.f, 10.f);
  blaze_set (b, 0, 8, 8, 1, 0.1f, 0.f, 0.f, 10.f, 10.f);
  blaze_set (b, 1, 4, 4, 3, 1.5f, 0.f, 0.f, 10.f, 10.f);
  g_assert_true (blaze_decode (b, 0.5f, boxes, &err));
  g_assert_cmpuint (boxes->len, ==, 2);
  g_array_set_size (boxes, 0);
  g_assert_true (blaze_decode (b, 0.8f, boxes, &err));
  g_assert_cmpuint (boxes->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (g_array_index (boxes, FaBox, 0).score,
      sigmoid (1.5f), 1e-5);
  g_array_set_size (boxes, 0);
  g_assert_true (blaze_decode (b, 0.4f, boxes, &err));
  g_assert_cmpuint (boxes->len, ==, 3);
  g_assert_no_error (err);

  blaze_free (b);
  g_array_unref (boxes);
}

static void
test_blazeface_hostile (void)
{
  BlazeOut *b = blaze_new (128, 16);
  GArray *boxes = boxes_new ();
  GError *err = NULL;

  blaze_set (b, 0, 0, 0, 0, NAN, 0.f, 0.f, 10.f, 10.f);
  blaze_set (b, 0, 1, 0, 0, INFINITY, NAN, 0.f, 10.f, 10.f);
  blaze_set (b, 0, 2, 0, 0, 5.f, 0.f, INFINITY, 10.f, 10.f);
  blaze_set (b, 0, 3, 0, 0, 5.f, 0.f, 0.f, -10.f, 10.f);
  blaze_set (b, 0, 4, 0, 0, 5.f, 0.f, 0.f, 10.f, 0.f);
  blaze_set (b, 0, 5, 0, 0, 5.f, 0.f, 0.f, 1e9f, 10.f);
  blaze_set (b, 0, 6, 0, 0, 5.f, 0.f, 0.f, 10.f, -INFINITY);
  blaze_set (b, 0, 7, 0, 0, 5.f, -1e6f, 0.f, 10.f, 10.f);
  /* an infinite logit is a certain face, its score 1 and finite */
  blaze_set (b, 1, 3, 3, 0, INFINITY, 0.f, 0.f, 10.f, 10.f);
  g_assert_true (blaze_decode (b, 0.5f, boxes, &err));
  g_assert_no_error (err);
  g_assert_cmpuint (boxes->len, ==, 1);
  /* (3.5 / 8 * 128) = 56 */
  assert_box (&g_array_index (boxes, FaBox, 0), 51.f, 51.f, 10.f, 10.f, 1.f);

  blaze_free (b);
  g_array_unref (boxes);
}

static void
test_blazeface_wrong_sizes (void)
{
  BlazeOut *b = blaze_new (128, 16);
  GArray *boxes = boxes_new ();
  GError *err = NULL;

  for (guint i = 0; i < 2; i++) {
    b->scores[i].t.count++;
    g_assert_false (blaze_decode (b, 0.5f, boxes, &err));
    g_assert_error (err, FA_ERROR, FA_ERROR_OUTPUT);
    g_clear_error (&err);
    b->scores[i].t.count--;

    /* not a whole number of values per anchor */
    b->regs[i].t.count--;
    g_assert_false (blaze_decode (b, 0.5f, boxes, &err));
    g_assert_error (err, FA_ERROR, FA_ERROR_OUTPUT);
    g_clear_error (&err);
    b->regs[i].t.count++;

    /* fewer than the 4 box values per anchor */
    b->regs[i].t.count = b->scores[i].t.count * 3;
    g_assert_false (blaze_decode (b, 0.5f, boxes, &err));
    g_assert_error (err, FA_ERROR, FA_ERROR_OUTPUT);
    g_clear_error (&err);
    b->regs[i].t.count = b->scores[i].t.count * 16;

    b->regs[i].t.data = NULL;
    g_assert_false (blaze_decode (b, 0.5f, boxes, &err));
    g_assert_error (err, FA_ERROR, FA_ERROR_OUTPUT);
    g_clear_error (&err);
    b->regs[i].t.data = b->regs[i].values;
  }

  /* the two grids swapped (384 anchors where 512 belong) */
  {
    FaTensor s[2] = { b->scores[1].t, b->scores[0].t };
    FaTensor r[2] = { b->regs[1].t, b->regs[0].t };

    g_assert_false (fa_decode_blazeface (s, r, 128, 0.5f, boxes, &err));
    g_assert_error (err, FA_ERROR, FA_ERROR_OUTPUT);
    g_clear_error (&err);
  }

  g_assert_true (blaze_decode (b, 0.5f, boxes, &err));
  g_assert_no_error (err);
  blaze_free (b);
  g_array_unref (boxes);
}

/* ------------------------------------------------------------------ SSD */

static FaTensor
ssd_tensor (const gfloat * rows, gsize n_rows)
{
  FaTensor t = { rows, 4, {1, 1, (gint) n_rows, 7}, n_rows * 7 };

  return t;
}

static void
test_ssd_rows (void)
{
  /* image, class, confidence, x0, y0, x1, y1 */
  const gfloat rows[] = {
    0, 1, 0.9f, 0.1f, 0.2f, 0.3f, 0.6f,
    /* below threshold */
    0, 1, 0.3f, 0.5f, 0.5f, 0.6f, 0.6f,
    /* padding after the last detection */
    -1, 1, 0.99f, 0.5f, 0.5f, 0.6f, 0.6f,
    /* confidence clamped to 1 */
    0, 1, 1.5f, 0.5f, 0.25f, 1.0f, 0.75f,
    /* negative width, no height */
    0, 1, 0.7f, 0.5f, 0.5f, 0.4f, 0.6f,
    0, 1, 0.7f, 0.5f, 0.5f, 0.6f, 0.5f,
    /* not numbers */
    0, 1, NAN, 0.1f, 0.1f, 0.2f, 0.2f,
    0, 1, 0.7f, NAN, 0.1f, 0.2f, 0.2f,
    0, 1, 0.7f, 0.1f, 0.1f, INFINITY, 0.2f,
    /* absurdly wide, right of the input */
    0, 1, 0.7f, -1e9f, 0.1f, 1e9f, 0.2f,
    0, 1, 0.7f, 1.5f, 0.1f, 1.9f, 0.2f,
  };
  FaTensor t = ssd_tensor (rows, G_N_ELEMENTS (rows) / 7);
  GArray *boxes = boxes_new ();
  GError *err = NULL;

  /* a 400 x 200 input, so that x and y scale differently */
  g_assert_true (fa_decode_ssd (&t, 400, 200, 0.5f, boxes, &err));
  g_assert_no_error (err);
  g_assert_cmpuint (boxes->len, ==, 2);
  assert_box (&g_array_index (boxes, FaBox, 0), 40.f, 40.f, 80.f, 80.f, 0.9f);
  assert_box (&g_array_index (boxes, FaBox, 1), 200.f, 50.f, 200.f, 100.f, 1.f);

  /* a lower threshold admits the 0.3 row, still not the padding */
  g_array_set_size (boxes, 0);
  g_assert_true (fa_decode_ssd (&t, 400, 200, 0.2f, boxes, &err));
  g_assert_cmpuint (boxes->len, ==, 3);
  assert_box (&g_array_index (boxes, FaBox, 1), 200.f, 100.f, 40.f, 20.f, 0.3f);

  g_array_unref (boxes);
}

static void
test_ssd_wrong_sizes (void)
{
  const gfloat rows[14] = { 0, 1, 0.9f, 0.1f, 0.1f, 0.2f, 0.2f };
  FaTensor t = ssd_tensor (rows, 2);
  GArray *boxes = boxes_new ();
  GError *err = NULL;

  t.count = 13;
  g_assert_false (fa_decode_ssd (&t, 300, 300, 0.5f, boxes, &err));
  g_assert_error (err, FA_ERROR, FA_ERROR_OUTPUT);
  g_clear_error (&err);

  t.count = 14;
  t.data = NULL;
  g_assert_false (fa_decode_ssd (&t, 300, 300, 0.5f, boxes, &err));
  g_assert_error (err, FA_ERROR, FA_ERROR_OUTPUT);
  g_clear_error (&err);

  /* no rows at all is a valid, empty output */
  t.data = rows;
  t.count = 0;
  g_assert_true (fa_decode_ssd (&t, 300, 300, 0.5f, boxes, &err));
  g_assert_no_error (err);
  g_assert_cmpuint (boxes->len, ==, 0);

  t.count = 14;
  g_assert_true (fa_decode_ssd (&t, 300, 300, 0.5f, boxes, &err));
  g_assert_cmpuint (boxes->len, ==, 1);
  assert_box (&g_array_index (boxes, FaBox, 0), 30.f, 30.f, 30.f, 30.f, 0.9f);

  g_array_unref (boxes);
}

/* ------------------------------------------------------------------ NMS */

static void
add_box (GArray * boxes, gfloat x, gfloat y, gfloat w, gfloat h, gfloat score)
{
  FaBox b = { x, y, w, h, score };

  g_array_append_val (boxes, b);
}

static void
test_nms (void)
{
  GArray *boxes = boxes_new ();

  /* the best of an overlapping pair comes second in the array */
  add_box (boxes, 1.f, 1.f, 10.f, 10.f, 0.8f);  /* IoU 81 / 119 with next */
  add_box (boxes, 0.f, 0.f, 10.f, 10.f, 0.9f);
  add_box (boxes, 50.f, 50.f, 10.f, 10.f, 0.6f);        /* disjoint */
  add_box (boxes, 12.f, 0.f, 10.f, 10.f, 0.7f); /* disjoint, near */
  add_box (boxes, 0.f, 0.f, 100.f, 100.f, 0.5f);        /* contains all */
  fa_boxes_nms (boxes, 0.3f);

  g_assert_cmpuint (boxes->len, ==, 4);
  assert_box (&g_array_index (boxes, FaBox, 0), 0.f, 0.f, 10.f, 10.f, 0.9f);
  assert_box (&g_array_index (boxes, FaBox, 1), 12.f, 0.f, 10.f, 10.f, 0.7f);
  assert_box (&g_array_index (boxes, FaBox, 2), 50.f, 50.f, 10.f, 10.f, 0.6f);
  /* its IoU with each small box is 0.01: not an overlap */
  assert_box (&g_array_index (boxes, FaBox, 3), 0.f, 0.f, 100.f, 100.f, 0.5f);
  g_array_unref (boxes);

  /* greedy: a box is only compared with boxes kept, so the third of a
   * chain survives when the middle one is suppressed */
  boxes = boxes_new ();
  add_box (boxes, 0.f, 0.f, 10.f, 10.f, 0.9f);
  add_box (boxes, 4.f, 0.f, 10.f, 10.f, 0.8f);  /* IoU 60 / 140 = 0.43 */
  add_box (boxes, 8.f, 0.f, 10.f, 10.f, 0.7f);  /* IoU 20 / 180 = 0.11 */
  fa_boxes_nms (boxes, 0.3f);
  g_assert_cmpuint (boxes->len, ==, 2);
  g_assert_cmpfloat (g_array_index (boxes, FaBox, 0).score, ==, 0.9f);
  g_assert_cmpfloat (g_array_index (boxes, FaBox, 1).score, ==, 0.7f);

  /* a looser threshold keeps the pair that overlaps by 0.43 */
  g_array_set_size (boxes, 0);
  add_box (boxes, 0.f, 0.f, 10.f, 10.f, 0.9f);
  add_box (boxes, 4.f, 0.f, 10.f, 10.f, 0.8f);
  fa_boxes_nms (boxes, 0.5f);
  g_assert_cmpuint (boxes->len, ==, 2);

  /* identical boxes: one is left */
  g_array_set_size (boxes, 0);
  for (guint i = 0; i < 10; i++)
    add_box (boxes, 5.f, 5.f, 20.f, 20.f, 0.5f + i * 0.01f);
  fa_boxes_nms (boxes, 0.3f);
  g_assert_cmpuint (boxes->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (g_array_index (boxes, FaBox, 0).score,
      0.59f, 1e-6);

  /* nothing and one box are left alone */
  g_array_set_size (boxes, 0);
  fa_boxes_nms (boxes, 0.3f);
  g_assert_cmpuint (boxes->len, ==, 0);
  add_box (boxes, 5.f, 5.f, 20.f, 20.f, 0.5f);
  fa_boxes_nms (boxes, 0.3f);
  g_assert_cmpuint (boxes->len, ==, 1);

  g_array_unref (boxes);
}

/* ------------------------------------------------------------------ cap */

static void
assert_capped (GArray * boxes, guint first, gfloat lowest_kept)
{
  g_assert_cmpuint (boxes->len, ==, first + FA_DECODE_MAX_CANDIDATES);
  /* the lowest scores were dropped, the best kept */
  for (guint i = first; i < boxes->len; i++)
    g_assert_cmpfloat (g_array_index (boxes, FaBox, i).score, >=, lowest_kept);
}

static void
test_cap_yunet (void)
{
  /* 512x512: 4096 + 1024 + 256 = 5376 anchors, every one a candidate */
  YuNetOut *y = yunet_new (512, 512);
  GArray *boxes = boxes_new ();
  GError *err = NULL;
  guint n = 0, total = 5376;
  gfloat lowest_kept;

  /* the early boxes must survive a cap that applies to this call only */
  add_box (boxes, 1.f, 1.f, 5.f, 5.f, 0.01f);
  for (guint level = 0; level < 3; level++) {
    gint cells = 512 / yunet_strides[level];

    for (gint k = 0; k < cells * cells; k++, n++) {
      /* distinct scores in [0.55, 0.95), interleaved over the levels */
      gfloat s = 0.55f + 0.4f * ((n * 7919) % total) / total;

      yunet_set (y, level, k % cells, k / cells, s * s, 1.f, 0.5f, 0.5f,
          0.f, 0.f);
    }
  }
  g_assert_true (yunet_decode (y, 0.5f, boxes, &err));
  g_assert_no_error (err);
  lowest_kept = 0.55f + 0.4f * (total - FA_DECODE_MAX_CANDIDATES) / total;
  assert_capped (boxes, 1, lowest_kept - 1e-4f);
  g_assert_cmpfloat (g_array_index (boxes, FaBox, 0).score, ==, 0.01f);

  yunet_free (y);
  g_array_unref (boxes);
}

static void
test_cap_ssd (void)
{
  guint n = FA_DECODE_MAX_CANDIDATES + 1000;
  gfloat *rows = g_new0 (gfloat, 7 * n);
  FaTensor t = ssd_tensor (rows, n);
  GArray *boxes = boxes_new ();
  GError *err = NULL;

  for (guint k = 0; k < n; k++) {
    gfloat *r = rows + 7 * k;

    r[1] = 1.f;
    /* ascending, so the dropped ones are the first rows */
    r[2] = 0.5f + 0.49f * k / n;
    r[3] = r[4] = 0.1f;
    r[5] = r[6] = 0.2f;
  }
  g_assert_true (fa_decode_ssd (&t, 300, 300, 0.5f, boxes, &err));
  g_assert_no_error (err);
  assert_capped (boxes, 0, 0.5f + 0.49f * 1000 / n);

  /* and BlazeFace, with all 896 anchors: under the cap, all kept */
  {
    BlazeOut *b = blaze_new (128, 16);

    for (guint i = 0; i < 2; i++)
      for (gsize k = 0; k < b->scores[i].t.count; k++) {
        b->scores[i].values[k] = 1.f;
        b->regs[i].values[16 * k + 2] = b->regs[i].values[16 * k + 3] = 8.f;
      }
    g_array_set_size (boxes, 0);
    g_assert_true (blaze_decode (b, 0.5f, boxes, &err));
    g_assert_cmpuint (boxes->len, ==, 896);
    blaze_free (b);
  }

  g_free (rows);
  g_array_unref (boxes);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/decode/yunet/one-anchor", test_yunet_one_anchor);
  g_test_add_func ("/decode/yunet/threshold", test_yunet_threshold);
  g_test_add_func ("/decode/yunet/hostile", test_yunet_hostile);
  g_test_add_func ("/decode/yunet/wrong-sizes", test_yunet_wrong_sizes);
  g_test_add_func ("/decode/blazeface/anchors", test_blazeface_anchors);
  g_test_add_func ("/decode/blazeface/threshold", test_blazeface_threshold);
  g_test_add_func ("/decode/blazeface/hostile", test_blazeface_hostile);
  g_test_add_func ("/decode/blazeface/wrong-sizes", test_blazeface_wrong_sizes);
  g_test_add_func ("/decode/ssd/rows", test_ssd_rows);
  g_test_add_func ("/decode/ssd/wrong-sizes", test_ssd_wrong_sizes);
  g_test_add_func ("/decode/nms", test_nms);
  g_test_add_func ("/decode/cap/yunet", test_cap_yunet);
  g_test_add_func ("/decode/cap/ssd", test_cap_ssd);

  return g_test_run ();
}
