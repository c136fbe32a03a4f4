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

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "fa-decode.h"

#include <math.h>
#include <stdlib.h>

/* A box is only worth keeping if every number in it is finite, it has a
 * positive size that is not absurd, and it touches the input. */
static gboolean
add_candidate (GArray * boxes, gfloat x, gfloat y, gfloat w, gfloat h,
    gfloat score, gint in_w, gint in_h)
{
  FaBox box = { x, y, w, h, score };

  if (!isfinite (x) || !isfinite (y) || !isfinite (w) || !isfinite (h)
      || !isfinite (score))
    return FALSE;
  if (w <= 0.f || h <= 0.f || w > 4.f * in_w || h > 4.f * in_h)
    return FALSE;
  if (x + w <= 0.f || y + h <= 0.f || x >= in_w || y >= in_h)
    return FALSE;
  g_array_append_val (boxes, box);
  return TRUE;
}

static gint
compare_score_desc (gconstpointer a, gconstpointer b)
{
  const FaBox *ba = a, *bb = b;

  return (ba->score < bb->score) - (ba->score > bb->score);
}

static void
cap_candidates (GArray * boxes, guint first)
{
  guint n = boxes->len - first;

  if (n <= FA_DECODE_MAX_CANDIDATES)
    return;
  qsort (&g_array_index (boxes, FaBox, first), n, sizeof (FaBox),
      compare_score_desc);
  g_array_set_size (boxes, first + FA_DECODE_MAX_CANDIDATES);
}

static gboolean
check_rows (const FaTensor * t, gsize rows, gsize cols, const gchar * what,
    GError ** error)
{
  if (t->data == NULL || t->count != rows * cols) {
    g_set_error (error, FA_ERROR, FA_ERROR_OUTPUT,
        "the detector's output %s has %" G_GSIZE_FORMAT " values where %"
        G_GSIZE_FORMAT " were expected: the model does not match its "
        "recognised family", what, t->count, rows * cols);
    return FALSE;
  }
  return TRUE;
}

static inline gfloat
clamp01 (gfloat v)
{
  /* also maps NaN to 0 */
  return v > 0.f ? (v < 1.f ? v : 1.f) : 0.f;
}

gboolean
fa_decode_yunet (const FaTensor cls[3], const FaTensor obj[3],
    const FaTensor bbox[3], gint in_w, gint in_h, gfloat threshold,
    GArray * boxes, GError ** error)
{
  static const gint strides[3] = { 8, 16, 32 };
  guint first = boxes->len;

  for (guint i = 0; i < 3; i++) {
    gint stride = strides[i];
    gint cols = in_w / stride, rows = in_h / stride;
    gsize n = (gsize) cols * rows;

    if (!check_rows (&cls[i], n, 1, "cls", error)
        || !check_rows (&obj[i], n, 1, "obj", error)
        || !check_rows (&bbox[i], n, 4, "bbox", error))
      return FALSE;

    for (gsize k = 0; k < n; k++) {
      gfloat score = sqrtf (clamp01 (cls[i].data[k]) *
          clamp01 (obj[i].data[k]));
      const gfloat *b;
      gfloat cx, cy, w, h;

      if (!(score >= threshold))
        continue;
      b = bbox[i].data + 4 * k;
      cx = ((k % cols) + b[0]) * stride;
      cy = ((k / cols) + b[1]) * stride;
      w = expf (b[2]) * stride;
      h = expf (b[3]) * stride;
      add_candidate (boxes, cx - w / 2, cy - h / 2, w, h, score, in_w, in_h);
    }
  }
  cap_candidates (boxes, first);
  return TRUE;
}

gboolean
fa_decode_blazeface (const FaTensor scores[2], const FaTensor regressors[2],
    gint size, gfloat threshold, GArray * boxes, GError ** error)
{
  /* MediaPipe's SSD anchors for both the front (128) and back (256)
   * models: a 16x16 grid with 2 anchors a cell, then 8x8 with 6. */
  static const gint grids[2] = { 16, 8 };
  static const gint per_cell[2] = { 2, 6 };
  guint first = boxes->len;
  /* score = sigmoid (logit); compare logits instead of computing it */
  gfloat t = CLAMP (threshold, 1e-6f, 1.f - 1e-6f);
  gfloat logit_threshold = logf (t / (1.f - t));

  for (guint i = 0; i < 2; i++) {
    gint grid = grids[i];
    gsize n = (gsize) grid * grid * per_cell[i];
    gsize stride;

    if (!check_rows (&scores[i], n, 1, "scores", error))
      return FALSE;
    if (regressors[i].data == NULL || regressors[i].count % n != 0
        || regressors[i].count / n < 4) {
      g_set_error (error, FA_ERROR, FA_ERROR_OUTPUT,
          "the detector's regressor output has %" G_GSIZE_FORMAT
          " values, not a multiple of %" G_GSIZE_FORMAT " anchors: the model "
          "does not match its recognised family", regressors[i].count, n);
      return FALSE;
    }
    stride = regressors[i].count / n;

    for (gsize k = 0; k < n; k++) {
      gfloat logit = scores[i].data[k];
      const gfloat *r;
      gsize cell;
      gfloat ax, ay, cx, cy, w, h;

      if (!(logit >= logit_threshold))
        continue;
      cell = k / per_cell[i];
      ax = ((cell % grid) + 0.5f) / grid * size;
      ay = ((cell / grid) + 0.5f) / grid * size;
      r = regressors[i].data + stride * k;
      cx = ax + r[0];
      cy = ay + r[1];
      w = r[2];
      h = r[3];
      add_candidate (boxes, cx - w / 2, cy - h / 2, w, h,
          1.f / (1.f + expf (-CLAMP (logit, -80.f, 80.f))), size, size);
    }
  }
  cap_candidates (boxes, first);
  return TRUE;
}

gboolean
fa_decode_ssd (const FaTensor * out, gint in_w, gint in_h, gfloat threshold,
    GArray * boxes, GError ** error)
{
  guint first = boxes->len;
  gsize rows;

  if (out->data == NULL || out->count % 7 != 0) {
    g_set_error (error, FA_ERROR, FA_ERROR_OUTPUT,
        "the detector's output has %" G_GSIZE_FORMAT " values, not rows of "
        "7: the model is not an SSD detector", out->count);
    return FALSE;
  }
  rows = out->count / 7;
  for (gsize k = 0; k < rows; k++) {
    const gfloat *r = out->data + 7 * k;
    gfloat x0, y0, x1, y1;

    /* rows after the last detection may be padding with image id -1 */
    if (!(r[2] >= threshold) || !(r[0] >= 0.f))
      continue;
    x0 = r[3] * in_w;
    y0 = r[4] * in_h;
    x1 = r[5] * in_w;
    y1 = r[6] * in_h;
    add_candidate (boxes, x0, y0, x1 - x0, y1 - y0, MIN (r[2], 1.f),
        in_w, in_h);
  }
  cap_candidates (boxes, first);
  return TRUE;
}

static gfloat
iou (const FaBox * a, const FaBox * b)
{
  gfloat ix = MIN (a->x + a->w, b->x + b->w) - MAX (a->x, b->x);
  gfloat iy = MIN (a->y + a->h, b->y + b->h) - MAX (a->y, b->y);
  gfloat inter, uni;

  if (ix <= 0.f || iy <= 0.f)
    return 0.f;
  inter = ix * iy;
  uni = a->w * a->h + b->w * b->h - inter;
  return uni > 0.f ? inter / uni : 0.f;
}

void
fa_boxes_nms (GArray * boxes, gfloat iou_threshold)
{
  FaBox *b = (FaBox *) boxes->data;
  guint kept = 0;

  if (boxes->len < 2)
    return;
  qsort (b, boxes->len, sizeof (FaBox), compare_score_desc);
  for (guint i = 0; i < boxes->len; i++) {
    gboolean suppressed = FALSE;

    for (guint j = 0; j < kept && !suppressed; j++)
      suppressed = iou (&b[i], &b[j]) > iou_threshold;
    if (!suppressed)
      b[kept++] = b[i];
  }
  g_array_set_size (boxes, kept);
}

void
fa_boxes_drop_contained (GArray * boxes, gfloat fraction)
{
  FaBox *b = (FaBox *) boxes->data;
  guint kept = 0;

  for (guint i = 0; i < boxes->len; i++) {
    gboolean inside = FALSE;

    for (guint j = 0; j < kept && !inside; j++) {
      gfloat ix = MIN (b[i].x + b[i].w, b[j].x + b[j].w) - MAX (b[i].x,
          b[j].x);
      gfloat iy = MIN (b[i].y + b[i].h, b[j].y + b[j].h) - MAX (b[i].y,
          b[j].y);

      inside = ix > 0.f && iy > 0.f && ix * iy > fraction * b[i].w * b[i].h;
    }
    if (!inside)
      b[kept++] = b[i];
  }
  g_array_set_size (boxes, kept);
}
