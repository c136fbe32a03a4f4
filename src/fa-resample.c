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

#include "fa-resample.h"

#include <math.h>
#include <string.h>

/* Per output column (or row): the two source samples to blend, in one
 * component's coordinates, and the weight of the second. */
typedef struct
{
  gint i0, i1;
  gint w8;                      /* weight of i1, in 1/256 */
} Tap;

struct _FaResampler
{
  /* taps of the current pass, per subsampling (0: full resolution, 1:
   * halved); like the rows, they only grow */
  gint content_w, content_h;
  Tap *xtaps[2], *ytaps[2];
  gint taps_w, taps_h;
  gfloat *rows;                 /* 3 rows of taps_w samples: R, G, B */
  guint16 *vrow;                /* a source row, interpolated down */
  gint vrow_len;
  guint16 *rows16;              /* 3 rows of taps_w samples, 8 fraction bits */
};

FaResampler *
fa_resampler_new (void)
{
  return g_new0 (FaResampler, 1);
}

void
fa_resampler_free (FaResampler * rs)
{
  if (rs == NULL)
    return;
  for (guint i = 0; i < 2; i++) {
    g_free (rs->xtaps[i]);
    g_free (rs->ytaps[i]);
  }
  g_free (rs->rows);
  g_free (rs->vrow);
  g_free (rs->rows16);
  g_free (rs);
}

/* Taps for @n_out output samples covering @len full-resolution pixels from
 * @offset, read from a component subsampled by 2^@sub and @n_src samples
 * long (clamped at its ends). */
static void
compute_taps (Tap * taps, gint n_out, gint offset, gint len, gint n_src,
    gint sub)
{
  gdouble scale = (gdouble) len / n_out;

  for (gint o = 0; o < n_out; o++) {
    /* output sample centre -> full-res coordinate -> component coordinate */
    gdouble f = (offset + (o + 0.5) * scale) / (1 << sub) - 0.5;
    gdouble fl = floor (f);
    gint i0 = (gint) fl;

    taps[o].w8 = (gint) lround ((f - fl) * 256.0);
    taps[o].i0 = CLAMP (i0, 0, n_src - 1);
    taps[o].i1 = CLAMP (i0 + 1, 0, n_src - 1);
  }
}

/* Makes room for the taps of this pass and computes them. Buffers only
 * grow, so the passes of a frame and the frames of a stream reuse them. */
static void
ensure_geometry (FaResampler * rs, const FaImage * img, const FaRect * src,
    gint content_w, gint content_h)
{
  if (content_w > rs->taps_w) {
    for (gint sub = 0; sub < 2; sub++)
      rs->xtaps[sub] = g_renew (Tap, rs->xtaps[sub], content_w);
    rs->rows = g_renew (gfloat, rs->rows, 3 * (gsize) content_w);
    rs->rows16 = g_renew (guint16, rs->rows16, 3 * (gsize) content_w);
    rs->taps_w = content_w;
  }
  if (img->width > rs->vrow_len) {
    rs->vrow = g_renew (guint16, rs->vrow, img->width);
    rs->vrow_len = img->width;
  }
  if (content_h > rs->taps_h) {
    for (gint sub = 0; sub < 2; sub++)
      rs->ytaps[sub] = g_renew (Tap, rs->ytaps[sub], content_h);
    rs->taps_h = content_h;
  }
  for (gint sub = 0; sub < 2; sub++) {
    compute_taps (rs->xtaps[sub], content_w, src->x0, src->x1 - src->x0,
        (img->width + (1 << sub) - 1) >> sub, sub);
    compute_taps (rs->ytaps[sub], content_h, src->y0, src->y1 - src->y0,
        (img->height + (1 << sub) - 1) >> sub, sub);
  }
  rs->content_w = content_w;
  rs->content_h = content_h;
}

/* @n samples of one output row of component @c, with 8 fraction bits:
 * bilinear, in two steps so that the heavy one vectorizes and the other
 * stays in integers: the two source rows blended down into rs->vrow over
 * the columns the taps read, then one blend of two of those per output
 * sample. */
static void
sample_row (FaResampler * rs, const FaComp * c, const Tap * xt,
    const Tap * yt, gint n, guint16 * restrict out)
{
  const guint8 *r0 = c->data + (gsize) yt->i0 * c->stride;
  const guint8 *r1 = c->data + (gsize) yt->i1 * c->stride;
  const gsize ps = c->pstride;
  const guint wy = yt->w8, wy0 = 256 - wy;
  const gint lo = xt[0].i0, hi = MAX (xt[n - 1].i0, xt[n - 1].i1);
  guint16 *restrict v = rs->vrow;

  if (ps == 1) {
    for (gint x = lo; x <= hi; x++)
      v[x] = (guint16) (r0[x] * wy0 + r1[x] * wy);
  } else {
    for (gint x = lo; x <= hi; x++)
      v[x] = (guint16) (r0[x * ps] * wy0 + r1[x * ps] * wy);
  }
  for (gint x = 0; x < n; x++) {
    guint w = (guint) xt[x].w8;

    out[x] = (guint16) ((v[xt[x].i0] * (256 - w) + v[xt[x].i1] * w) >> 8);
  }
}

/* One row of the picture as R, G, B floats 0..255, into @R, @G, @B. */
static void
convert_row (FaResampler * rs, const FaImage * img, gint y, gfloat * R,
    gfloat * G, gfloat * B)
{
  const gint cw = rs->content_w;
  guint16 *S0 = rs->rows16, *S1 = S0 + cw, *S2 = S1 + cw;
  const gfloat q = 1.0f / 256.0f;

  if (img->model == FA_COLOR_GRAY) {
    sample_row (rs, &img->comp[0], rs->xtaps[0], &rs->ytaps[0][y], cw, S0);
    for (gint x = 0; x < cw; x++)
      R[x] = S0[x] * q;
    memcpy (G, R, sizeof (gfloat) * cw);
    memcpy (B, R, sizeof (gfloat) * cw);
    return;
  }
  for (guint k = 0; k < 3; k++) {
    const FaComp *c = &img->comp[k];

    sample_row (rs, c, rs->xtaps[c->wsub], &rs->ytaps[c->hsub][y], cw,
        S0 + k * cw);
  }
  if (img->model == FA_COLOR_YUV) {
    gfloat ky = 1.f, kc = 1.f, off_y = 0.f;
    gfloat rv, gu, gv, bu;

    if (!img->full_range) {
      ky = 255.f / 219.f;
      kc = 255.f / 224.f;
      off_y = 16.f;
    }
    if (img->matrix == FA_MATRIX_BT709) {
      rv = 1.5748f;
      gu = -0.187324f;
      gv = -0.468124f;
      bu = 1.8556f;
    } else {
      rv = 1.402f;
      gu = -0.344136f;
      gv = -0.714136f;
      bu = 1.772f;
    }
    for (gint x = 0; x < cw; x++) {
      gfloat Yv = (S0[x] * q - off_y) * ky;
      gfloat U = (S1[x] * q - 128.f) * kc, V = (S2[x] * q - 128.f) * kc;

      R[x] = CLAMP (Yv + rv * V, 0.f, 255.f);
      G[x] = CLAMP (Yv + gu * U + gv * V, 0.f, 255.f);
      B[x] = CLAMP (Yv + bu * U, 0.f, 255.f);
    }
  } else {
    for (gint x = 0; x < cw; x++) {
      R[x] = S0[x] * q;
      G[x] = S1[x] * q;
      B[x] = S2[x] * q;
    }
  }
}

static gboolean
is_identity (const FaInputSpec * spec, guint c)
{
  return spec->mean[c] == 0.f && spec->std[c] == 1.f;
}

void
fa_resampler_fill (FaResampler * rs, const FaImage * img, const FaRect * src,
    gint content_w, gint content_h, gint in_w, gint in_h,
    const FaInputSpec * spec, gfloat * blob)
{
  const gint W = in_w, H = in_h, cw = content_w;
  const gsize plane = (gsize) W * H;
  const gboolean bgr = spec->order == FA_ORDER_BGR;
  const gfloat pad = spec->pad;

  ensure_geometry (rs, img, src, content_w, content_h);

  for (gint y = 0; y < H; y++) {
    gsize row = (gsize) y * W;
    gint x0 = 0;

    if (y < content_h) {
      if (spec->layout == FA_LAYOUT_NCHW) {
        /* converted straight into the planes, then normalised there */
        gfloat *p[3] = { blob + row, blob + plane + row,
          blob + 2 * plane + row
        };

        if (bgr)
          convert_row (rs, img, y, p[2], p[1], p[0]);
        else
          convert_row (rs, img, y, p[0], p[1], p[2]);
        for (guint c = 0; c < 3; c++) {
          if (is_identity (spec, c))
            continue;
          for (gint x = 0; x < cw; x++)
            p[c][x] = (p[c][x] - spec->mean[c]) / spec->std[c];
        }
      } else {
        gfloat *R = rs->rows, *G = R + cw, *B = G + cw;
        const gfloat *ch[3] = { bgr ? B : R, G, bgr ? R : B };

        convert_row (rs, img, y, R, G, B);
        for (gint x = 0; x < cw; x++) {
          gfloat *px = blob + 3 * (row + x);

          for (guint c = 0; c < 3; c++)
            px[c] = (ch[c][x] - spec->mean[c]) / spec->std[c];
        }
      }
      x0 = cw;
    }

    /* padding right of the content, and the rows below it */
    if (spec->layout == FA_LAYOUT_NHWC) {
      for (gint x = x0; x < W; x++)
        blob[3 * (row + x)] = blob[3 * (row + x) + 1] =
            blob[3 * (row + x) + 2] = pad;
    } else {
      for (gint x = x0; x < W; x++)
        blob[row + x] = blob[plane + row + x] = blob[2 * plane + row + x] = pad;
    }
  }
}
