/* faceanon fuzzing: the detector output decoders and box merging
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

/* A libFuzzer harness (clang -fsanitize=fuzzer,address,undefined): what a
 * broken or hostile network could hand the decoders. The input picks a
 * family, the input size (tensors of the right size, or off by a few
 * values), the threshold and the tensor values (NaN, infinities, huge,
 * denormal, raw bits), then runs fa_decode_yunet, fa_decode_blazeface or
 * fa_decode_ssd, then fa_boxes_nms and fa_boxes_drop_contained on what
 * came out; or those two on boxes straight from the input. Invariants:
 * no crash; a decoder that fails says why and one that succeeds sets no
 * error; boxes already in the array are left alone; every box decoded is
 * finite with a positive size; at most FA_DECODE_MAX_CANDIDATES per call;
 * NMS keeps a subset, sorted by score, no two kept boxes overlapping by
 * more than the threshold; drop_contained keeps a subset, none mostly
 * inside a better one kept before it. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa-decode.h"

/* fa-net.cpp defines it; the decoders need nothing else of OpenCV */
G_DEFINE_QUARK (fa-error-quark, fa_error);

#define MAX_INPUT_SIDE 1024
#define MAX_SENTINELS 3

#define CHECK(cond, ...) G_STMT_START {                         \
    if (G_UNLIKELY (!(cond))) {                                 \
      fprintf (stderr, "fuzz-decode: %s:%d: %s: ", __FILE__,    \
          __LINE__, #cond);                                     \
      fprintf (stderr, __VA_ARGS__);                            \
      fputc ('\n', stderr);                                     \
      abort ();                                                 \
    }                                                           \
  } G_STMT_END

typedef struct
{
  const guint8 *data;
  gsize size, at;
  gsize values_at;              /* where tensor values start */
} Input;

static guint8
take_u8 (Input * in)
{
  return in->at < in->size ? in->data[in->at++] : 0;
}

static guint32
take_u32 (Input * in)
{
  guint32 v = 0;

  for (guint i = 0; i < 4; i++)
    v = (v << 8) | take_u8 (in);
  return v;
}

static guint
take_below (Input * in, guint n)
{
  return n > 256 ? take_u32 (in) % n : take_u8 (in) % n;
}

static gfloat
special_float (guint8 k)
{
  static const gfloat special[] = {
    0.f, -0.f, 1.f, -1.f, 0.5f, 0.9f, 0.99f, 1e-38f, 1e-45f, 1e30f, -1e30f,
    FLT_MAX, -FLT_MAX, INFINITY, -INFINITY, NAN, 88.7f, 89.f, -88.f, 80.f,
    16.f, 1e7f, -1e7f, 3e38f,
  };

  return special[k % G_N_ELEMENTS (special)];
}

/* A value: special, raw bits, or ordinary (-8..8 in small steps). */
static gfloat
take_float (Input * in)
{
  guint8 kind = take_u8 (in);

  if (kind < 48)
    return special_float (kind);
  if (kind < 80) {
    guint32 bits = take_u32 (in);
    gfloat v;

    memcpy (&v, &bits, sizeof (v));
    return v;
  }
  return ((gint16) (take_u8 (in) << 8 | take_u8 (in))) / 4096.f;
}

/* Tensor values: the rest of the input, read again from the start of the
 * values when it runs out, so that a short input still fills a big
 * tensor; all zero when there is none. */
static gfloat
next_value (Input * in)
{
  if (in->values_at >= in->size)
    return 0.f;
  if (in->at >= in->size)
    in->at = in->values_at;
  return take_float (in);
}

typedef struct
{
  gfloat *values;
  FaTensor t;
} Tensor;

/* A tensor of @count values, or of a few more or fewer when @off_by. */
static void
tensor_make (Tensor * t, Input * in, gsize count, gint off_by, gboolean null)
{
  gssize n = (gssize) count + off_by;

  n = MAX (n, 0);
  t->values = malloc (MAX (n, 1) * sizeof (gfloat));
  for (gssize i = 0; i < n; i++)
    t->values[i] = next_value (in);
  t->t.data = null ? NULL : t->values;
  t->t.ndims = 2;
  t->t.shape[0] = (gint) n;
  t->t.shape[1] = t->t.shape[2] = t->t.shape[3] = 1;
  t->t.count = n;
}

static void
tensor_clear (Tensor * t)
{
  free (t->values);
}

/* Which tensor is off by how much: mostly none. */
typedef struct
{
  gint which, by;
  gboolean null;
} Mismatch;

static Mismatch
take_mismatch (Input * in, gint n_tensors)
{
  Mismatch m = { -1, 0, FALSE };
  guint8 k = take_u8 (in);

  if (k < 24) {
    m.which = take_below (in, n_tensors);
    m.by = (gint) take_below (in, 9) - 4;
    m.null = m.by == 0;
  }
  return m;
}

static gint
off_by (const Mismatch * m, gint i)
{
  return m->which == i ? m->by : 0;
}

/* ------------------------------------------------------------ invariants */

static void
check_decoded (GArray * boxes, guint first, const FaBox * sentinels,
    gboolean ok, GError * err, const gchar * family)
{
  CHECK (ok == (err == NULL), "%s: returned %d with error %s", family, ok,
      err ? err->message : "none");
  CHECK (boxes->len >= first, "%s: boxes already there were removed",
      family);
  CHECK (first == 0 || memcmp (boxes->data, sentinels,
          first * sizeof (FaBox)) == 0, "%s: boxes already there were "
      "changed", family);
  if (!ok)
    return;
  CHECK (boxes->len - first <= FA_DECODE_MAX_CANDIDATES, "%s: %u boxes",
      family, boxes->len - first);
  for (guint i = first; i < boxes->len; i++) {
    const FaBox *b = &g_array_index (boxes, FaBox, i);

    CHECK (isfinite (b->x) && isfinite (b->y) && isfinite (b->w)
        && isfinite (b->h) && isfinite (b->score), "%s: box %u is not "
        "finite: %g %g %g %g %g", family, i, b->x, b->y, b->w, b->h,
        b->score);
    CHECK (b->w > 0.f && b->h > 0.f, "%s: box %u has size %g x %g", family,
        i, b->w, b->h);
  }
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

static gboolean
contains_box (const FaBox * set, guint n, const FaBox * b)
{
  for (guint i = 0; i < n; i++)
    if (memcmp (&set[i], b, sizeof (FaBox)) == 0)
      return TRUE;
  return FALSE;
}

/* NMS, then drop_contained, on @boxes from @first; @finite: every box is
 * (as the decoders make them), so that order and overlap can be checked. */
static void
merge_and_check (GArray * boxes, guint first, Input * in, gboolean finite)
{
  guint n = boxes->len - first;
  FaBox *before = malloc (MAX (n, 1) * sizeof (FaBox));
  gfloat iou_threshold = take_u8 (in) < 32 ? take_float (in) :
      take_below (in, 101) / 100.f;
  gfloat fraction = take_u8 (in) < 32 ? take_float (in) :
      take_below (in, 101) / 100.f;
  GArray *tail = g_array_new (FALSE, FALSE, sizeof (FaBox));
  FaBox *b;

  if (n > 0)
    memcpy (before, boxes->data + first * sizeof (FaBox), n * sizeof (FaBox));
  g_array_append_vals (tail, before, n);

  fa_boxes_nms (tail, iou_threshold);
  CHECK (tail->len <= n, "NMS added boxes");
  b = (FaBox *) tail->data;
  for (guint i = 0; i < tail->len; i++) {
    CHECK (contains_box (before, n, &b[i]), "NMS made up a box");
    if (!finite || tail->len < 2)
      continue;
    if (i > 0)
      CHECK (b[i - 1].score >= b[i].score, "NMS left the boxes unsorted");
    for (guint j = 0; j < i; j++)
      CHECK (!(iou (&b[i], &b[j]) > iou_threshold), "NMS kept boxes %u and "
          "%u overlapping by %g > %g", j, i, iou (&b[i], &b[j]),
          iou_threshold);
  }

  n = tail->len;
  if (n > 0)
    memcpy (before, tail->data, n * sizeof (FaBox));
  fa_boxes_drop_contained (tail, fraction);
  CHECK (tail->len <= n, "drop_contained added boxes");
  b = (FaBox *) tail->data;
  for (guint i = 0; i < tail->len; i++) {
    CHECK (contains_box (before, n, &b[i]), "drop_contained made up a box");
    if (!finite)
      continue;
    for (guint j = 0; j < i; j++) {
      gfloat ix = MIN (b[i].x + b[i].w, b[j].x + b[j].w) - MAX (b[i].x,
          b[j].x);
      gfloat iy = MIN (b[i].y + b[i].h, b[j].y + b[j].h) - MAX (b[i].y,
          b[j].y);

      CHECK (!(ix > 0.f && iy > 0.f && ix * iy > fraction * b[i].w * b[i].h),
          "drop_contained kept box %u mostly inside box %u", i, j);
    }
  }
  g_array_unref (tail);
  free (before);
}

/* ------------------------------------------------------------- families */

static gint
take_side (Input * in)
{
  guint8 k = take_u8 (in);

  /* mostly the multiples of 32 YuNet gets, and small ones, which run
   * fast; sometimes any size up to MAX_INPUT_SIDE, or a negative one */
  if (k < 8)
    return -(gint) take_below (in, 64);
  if (k < 128)
    return 32 * (gint) take_below (in, 11);
  if (k < 192)
    return 32 * (gint) take_below (in, MAX_INPUT_SIDE / 32 + 1);
  return (gint) take_below (in, MAX_INPUT_SIDE + 1);
}

static gboolean
fuzz_yunet (Input * in, GArray * boxes, GError ** err)
{
  static const gint strides[3] = { 8, 16, 32 };
  gint in_w = take_side (in), in_h = take_side (in);
  gfloat threshold = take_u8 (in) < 48 ? take_float (in) :
      take_below (in, 100) / 100.f;
  Mismatch m = take_mismatch (in, 9);
  Tensor cls[3], obj[3], bbox[3];
  FaTensor t_cls[3], t_obj[3], t_bbox[3];
  gboolean ok;

  in->values_at = in->at;
  for (guint i = 0; i < 3; i++) {
    gsize n = in_w > 0 && in_h > 0 ?
        (gsize) (in_w / strides[i]) * (in_h / strides[i]) : 0;

    tensor_make (&cls[i], in, n, off_by (&m, i), m.null && m.which == (gint) i);
    tensor_make (&obj[i], in, n, off_by (&m, 3 + i), m.null
        && m.which == (gint) (3 + i));
    tensor_make (&bbox[i], in, 4 * n, off_by (&m, 6 + i), m.null
        && m.which == (gint) (6 + i));
    t_cls[i] = cls[i].t;
    t_obj[i] = obj[i].t;
    t_bbox[i] = bbox[i].t;
  }
  ok = fa_decode_yunet (t_cls, t_obj, t_bbox, in_w, in_h, threshold, boxes,
      err);
  for (guint i = 0; i < 3; i++) {
    tensor_clear (&cls[i]);
    tensor_clear (&obj[i]);
    tensor_clear (&bbox[i]);
  }
  return ok;
}

static gboolean
fuzz_blazeface (Input * in, GArray * boxes, GError ** err)
{
  static const gsize anchors[2] = { 512, 384 };
  gint size = take_u8 (in) < 200 ? (take_u8 (in) & 1 ? 256 : 128) :
      (gint) take_below (in, 2048) - 16;
  gfloat threshold = take_u8 (in) < 48 ? take_float (in) :
      take_below (in, 100) / 100.f;
  gint per_anchor = take_u8 (in) < 200 ? 16 : (gint) take_below (in, 20);
  Mismatch m = take_mismatch (in, 4);
  Tensor scores[2], regs[2];
  FaTensor t_scores[2], t_regs[2];
  gboolean ok;

  in->values_at = in->at;
  for (guint i = 0; i < 2; i++) {
    tensor_make (&scores[i], in, anchors[i], off_by (&m, i), m.null
        && m.which == (gint) i);
    tensor_make (&regs[i], in, anchors[i] * per_anchor, off_by (&m, 2 + i),
        m.null && m.which == (gint) (2 + i));
    t_scores[i] = scores[i].t;
    t_regs[i] = regs[i].t;
  }
  ok = fa_decode_blazeface (t_scores, t_regs, size, threshold, boxes, err);
  for (guint i = 0; i < 2; i++) {
    tensor_clear (&scores[i]);
    tensor_clear (&regs[i]);
  }
  return ok;
}

static gboolean
fuzz_ssd (Input * in, GArray * boxes, GError ** err)
{
  gint in_w = take_side (in), in_h = take_side (in);
  gfloat threshold = take_u8 (in) < 48 ? take_float (in) :
      take_below (in, 100) / 100.f;
  gsize rows = take_u8 (in) < 16 ? take_below (in, 8000) :
      take_below (in, 256);
  Mismatch m = take_mismatch (in, 1);
  Tensor out;
  gboolean ok;

  in->values_at = in->at;
  tensor_make (&out, in, rows * 7, off_by (&m, 0), m.null);
  ok = fa_decode_ssd (&out.t, in_w, in_h, threshold, boxes, err);
  tensor_clear (&out);
  return ok;
}

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  static const gchar *names[] = { "yunet", "blazeface", "ssd" };
  Input in = { data, size, 0, size };
  guint mode = take_below (&in, 4);
  guint first = take_below (&in, MAX_SENTINELS + 1);
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (FaBox));
  FaBox sentinels[MAX_SENTINELS];
  GError *err = NULL;
  gboolean ok;

  /* boxes already in the array, which a decoder must leave alone */
  for (guint i = 0; i < first; i++)
    sentinels[i] = (FaBox) {
    -7.f - i, 3.f, 11.f, 13.f, 0.25f};
  g_array_append_vals (boxes, sentinels, first);

  switch (mode) {
    case 0:
      ok = fuzz_yunet (&in, boxes, &err);
      break;
    case 1:
      ok = fuzz_blazeface (&in, boxes, &err);
      break;
    case 2:
      ok = fuzz_ssd (&in, boxes, &err);
      break;
    default:{
      /* boxes as they come, hostile values and all: only no crash and a
       * subset are promised */
      guint n = take_below (&in, 64);

      g_array_set_size (boxes, 0);
      for (guint i = 0; i < n; i++) {
        FaBox b;

        b.x = take_float (&in);
        b.y = take_float (&in);
        b.w = take_float (&in);
        b.h = take_float (&in);
        b.score = take_float (&in);
        g_array_append_val (boxes, b);
      }
      merge_and_check (boxes, 0, &in, FALSE);
      g_array_unref (boxes);
      return 0;
    }
  }

  check_decoded (boxes, first, sentinels, ok, err, names[mode]);
  if (ok) {
    in.values_at = in.size;     /* no more wrapping around */
    merge_and_check (boxes, first, &in, TRUE);
  }
  g_clear_error (&err);
  g_array_unref (boxes);
  return 0;
}
