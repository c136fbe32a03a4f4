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

#include "fa-mask.h"

#include <math.h>
#include <string.h>

/* Past this kernel size the blur of any region a frame holds is already a
 * smooth wash; the cap keeps every running sum inside 31 bits. */
#define MAX_KERNEL 32767

/* The blur keeps 8 fractional bits between passes so that rounding six
 * times does not bias or band the result. */
#define FRAC_BITS 8

/* Samples per vector block; blur planes are padded to a multiple of it so
 * the column passes vectorize without a scalar tail. */
#define LANES 8

struct _FaMasker
{
  guint16 *planes;              /* two fixed-point planes for the blur */
  gsize planes_len;
  gint32 *sums;                 /* running column sums */
  gsize sums_len;
  gint *spans;                  /* per region row: first, last+1 sample */
  gsize spans_len;
  guint8 *small;                /* decimated copy of a region, for large blurs */
  gsize small_len;
  gint *small_spans;            /* its spans: every row whole */
  gsize small_spans_len;
  guint32 *acc;                 /* column sums of a block row */
  gsize acc_len;
  guint16 *hplane;              /* the blurred copy's rows, widened back */
  gsize hplane_len;
};

FaMasker *
fa_masker_new (void)
{
  return g_new0 (FaMasker, 1);
}

void
fa_masker_free (FaMasker * masker)
{
  if (masker == NULL)
    return;

  g_free (masker->planes);
  g_free (masker->sums);
  g_free (masker->spans);
  g_free (masker->small);
  g_free (masker->small_spans);
  g_free (masker->acc);
  g_free (masker->hplane);
  g_free (masker);
}

/* Scratch only grows, and by half again each time, so a face that creeps
 * closer does not cost a reallocation per frame. The old contents are never
 * needed, hence no realloc copy. */
static gpointer
grow (gpointer buf, gsize * len, gsize need, gsize elem_size)
{
  if (need <= *len)
    return buf;

  need = MAX (need, *len + *len / 2);
  g_free (buf);
  *len = need;
  return g_malloc_n (need, elem_size);
}

gboolean
fa_mask_region (const FaBox * box, gdouble scale, gint width, gint height,
    FaRect * out)
{
  gdouble cx, cy, hw, hh, x0, y0, x1, y1;

  g_return_val_if_fail (box != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  out->x0 = out->y0 = out->x1 = out->y1 = 0;

  if (!isfinite (box->x) || !isfinite (box->y) || !isfinite (box->w)
      || !isfinite (box->h) || !isfinite (scale))
    return FALSE;
  if (!(box->w > 0.0f) || !(box->h > 0.0f) || !(scale > 0.0))
    return FALSE;
  if (width <= 0 || height <= 0)
    return FALSE;

  cx = box->x + box->w * 0.5;
  cy = box->y + box->h * 0.5;
  hw = box->w * scale * 0.5;
  hh = box->h * scale * 0.5;

  /* Not clamped to the frame: an ellipse cut by the frame edge must keep
   * its shape, so fa_masker_apply clips. Bounded in double, since a finite
   * float box times a large scale can still be far outside gint. */
  x0 = CLAMP (floor (cx - hw), -(gdouble) width, 2.0 * width);
  y0 = CLAMP (floor (cy - hh), -(gdouble) height, 2.0 * height);
  x1 = CLAMP (ceil (cx + hw), -(gdouble) width, 2.0 * width);
  y1 = CLAMP (ceil (cy + hh), -(gdouble) height, 2.0 * height);

  /* nothing of it inside the frame */
  if (!(x0 < x1) || !(y0 < y1) || x1 <= 0.0 || y1 <= 0.0 || x0 >= width
      || y0 >= height)
    return FALSE;

  out->x0 = (gint) x0;
  out->y0 = (gint) y0;
  out->x1 = (gint) x1;
  out->y1 = (gint) y1;
  return TRUE;
}

static inline guint8 *
sample_ptr (const FaComp * c, gint x, gint y)
{
  return c->data + (gssize) y * c->stride + (gssize) x * c->pstride;
}

/* For every row of the component rectangle @cr, the run of samples that the
 * shape covers. For the ellipse, a sample is covered when its centre, in
 * full-resolution coordinates, lies inside the ellipse inscribed in @r. */
static void
compute_spans (const FaRect * r, const FaRect * cr, const FaComp * c,
    FaShape shape, gint * spans)
{
  gdouble cx, cy, a, b, sx, sy;
  gint h = cr->y1 - cr->y0;
  gint j;

  if (shape != FA_SHAPE_ELLIPSE) {
    for (j = 0; j < h; j++) {
      spans[2 * j] = cr->x0;
      spans[2 * j + 1] = cr->x1;
    }
    return;
  }

  cx = (r->x0 + (gdouble) r->x1) * 0.5;
  cy = (r->y0 + (gdouble) r->y1) * 0.5;
  a = (r->x1 - (gdouble) r->x0) * 0.5;
  b = (r->y1 - (gdouble) r->y0) * 0.5;
  sx = 1 << c->wsub;
  sy = 1 << c->hsub;

  for (j = 0; j < h; j++) {
    gdouble dy = ((cr->y0 + j + 0.5) * sy - cy) / b;
    gdouble q = 1.0 - dy * dy;
    gdouble half, lo, hi;

    spans[2 * j] = spans[2 * j + 1] = cr->x0;
    if (q < 0.0)
      continue;

    /* Samples i with (i + 0.5) * sx inside [cx - half, cx + half]. */
    half = a * sqrt (q);
    lo = ceil ((cx - half) / sx - 0.5);
    hi = floor ((cx + half) / sx - 0.5) + 1.0;
    lo = CLAMP (lo, cr->x0, cr->x1);
    hi = CLAMP (hi, lo, cr->x1);
    spans[2 * j] = (gint) lo;
    spans[2 * j + 1] = (gint) hi;
  }
}

static void
fill_comp (const FaComp * c, const FaRect * cr, const gint * spans,
    guint8 value)
{
  const gint pstride = c->pstride;
  gint x, y;

  for (y = cr->y0; y < cr->y1; y++) {
    const gint x0 = spans[2 * (y - cr->y0)];
    const gint x1 = spans[2 * (y - cr->y0) + 1];
    guint8 *p = sample_ptr (c, x0, y);

    if (pstride == 1) {
      memset (p, value, MAX (x1 - x0, 0));
      continue;
    }
    for (x = x0; x < x1; x++, p += pstride)
      *p = value;
  }
}

/* Cell @i of @cells over @n samples starts at round (i * n / cells). */
static inline gint
cell_edge (gint i, gint n, gint cells)
{
  return (gint) ((2 * (gint64) i * n + cells) / (2 * (gint64) cells));
}

static void
pixelate_comp (const FaComp * c, const FaRect * cr, const gint * spans,
    guint blocks)
{
  const gint pstride = c->pstride;
  gint w = cr->x1 - cr->x0;
  gint h = cr->y1 - cr->y0;
  gint nx, ny, i, j, x, y;

  /* Zero blocks would mean no cells; one cell is the closest honest thing. */
  blocks = MAX (blocks, 1);
  nx = blocks > (guint) w ? w : (gint) blocks;
  ny = blocks > (guint) h ? h : (gint) blocks;

  for (j = 0; j < ny; j++) {
    gint y0 = cr->y0 + cell_edge (j, h, ny);
    gint y1 = cr->y0 + cell_edge (j + 1, h, ny);

    for (i = 0; i < nx; i++) {
      gint x0 = cr->x0 + cell_edge (i, w, nx);
      gint x1 = cr->x0 + cell_edge (i + 1, w, nx);
      guint64 sum = 0, count;
      guint8 mean;

      for (y = y0; y < y1; y++) {
        const guint8 *p = sample_ptr (c, x0, y);

        for (x = x0; x < x1; x++, p += pstride)
          sum += *p;
      }
      count = (guint64) (x1 - x0) * (y1 - y0);
      mean = (guint8) ((sum + count / 2) / count);

      /* The mean is over the whole cell; the shape only limits writes. */
      for (y = y0; y < y1; y++) {
        const gint xa = MAX (x0, spans[2 * (y - cr->y0)]);
        const gint xb = MIN (x1, spans[2 * (y - cr->y0) + 1]);
        guint8 *p = sample_ptr (c, xa, y);

        for (x = xa; x < xb; x++, p += pstride)
          *p = mean;
      }
    }
  }
}

/* The odd kernel size the OpenCV recipe would use: region / factor, made
 * odd by rounding down, at least 1 (which is no blur at all). */
static gint
kernel_size (gint n, gdouble factor)
{
  gdouble k;
  gint ksize;

  /* A factor that is not a positive number must not leave a face sharp. */
  if (!(factor > 0.0))
    k = MAX_KERNEL;
  else
    k = n / factor;
  if (!(k < MAX_KERNEL))
    k = MAX_KERNEL;

  ksize = (gint) k;
  if (ksize % 2 == 0)
    ksize--;
  return MAX (ksize, 1);
}

/* The sigma cv::getGaussianKernel (ksize, 0) gives a kernel of @ksize. */
static gdouble
sigma_for_kernel (gint ksize)
{
  return 0.3 * ((ksize - 1) * 0.5 - 1.0) + 0.8;
}

/* Radii of three box filters whose cascade has the variance of a Gaussian
 * of @sigma: the widths come from the usual "boxes for gauss" fit (Kutskir,
 * after Jarosz). */
static void
boxes_for_sigma (gdouble sigma, gint radii[3])
{
  gdouble var12, w_ideal, m_ideal;
  gint wl, m, i;

  var12 = 12.0 * sigma * sigma;
  w_ideal = sqrt (var12 / 3.0 + 1.0);
  wl = (gint) floor (w_ideal);
  if (wl % 2 == 0)
    wl--;
  m_ideal = (var12 - 3.0 * wl * wl - 12.0 * wl - 9.0) / (-4.0 * wl - 4.0);
  m = (gint) CLAMP (floor (m_ideal + 0.5), 0.0, 3.0);

  for (i = 0; i < 3; i++)
    radii[i] = ((i < m ? wl : wl + 2) - 1) / 2;
}

/* One box pass down every column of a @w x @h plane, edges replicated.
 * The window is started with clamped counts rather than walked, so the cost
 * does not depend on @r even when the window is far taller than the plane.
 * Columns are independent and @w is a multiple of LANES, so the inner
 * loops vectorize without a scalar tail. */
static void
box_columns (const guint16 * restrict src, guint16 * restrict dst, gint w,
    gint h, gint r, gint32 * restrict sums)
{
  const gfloat inv = 1.0f / (2 * r + 1);
  const guint16 *row, *add, *sub;
  guint16 *out;
  gint x, y, k, lim;

  row = src;
  for (x = 0; x < w; x += LANES)
    for (k = 0; k < LANES; k++)
      sums[x + k] = (r + 1) * row[x + k];
  lim = MIN (r, h - 1);
  for (y = 1; y <= lim; y++) {
    row = src + (gsize) y * w;
    for (x = 0; x < w; x += LANES)
      for (k = 0; k < LANES; k++)
        sums[x + k] += row[x + k];
  }
  if (r > h - 1) {
    row = src + (gsize) (h - 1) * w;
    for (x = 0; x < w; x += LANES)
      for (k = 0; k < LANES; k++)
        sums[x + k] += (r - (h - 1)) * row[x + k];
  }

  for (y = 0; y < h; y++) {
    out = dst + (gsize) y * w;
    add = src + (gsize) MIN (y + r + 1, h - 1) * w;
    sub = src + (gsize) MAX (y - r, 0) * w;
    for (x = 0; x < w; x += LANES) {
      for (k = 0; k < LANES; k++) {
        out[x + k] = (guint16) (sums[x + k] * inv + 0.5f);
        sums[x + k] += add[x + k] - sub[x + k];
      }
    }
  }
}

/* Runs the boxes of @radii down the columns of @a, using @b as the other
 * buffer; returns whichever of the two holds the result. */
static guint16 *
three_boxes (guint16 * a, guint16 * b, gint w, gint h, const gint radii[3],
    gint32 * sums)
{
  guint16 *tmp;
  gint i;

  for (i = 0; i < 3; i++) {
    if (radii[i] == 0)
      continue;
    box_columns (a, b, w, h, radii[i], sums);
    tmp = a;
    a = b;
    b = tmp;
  }
  return a;
}

/* Blur of the component rectangle, reading nothing outside it, as three
 * box blurs per axis with the radii @rx and @ry: O(w * h) whatever the
 * kernel size. Both axes go through the column kernel: for the horizontal
 * passes, LANES rows at a time are stored transposed (sample x of strip row
 * k at x * LANES + k), which keeps the work in cache and the rows side by
 * side in vectors. */
static void
blur_comp_boxes (FaMasker * m, const FaComp * c, const FaRect * cr,
    const gint * spans, const gint rx[3], const gint ry[3])
{
  const gint pstride = c->pstride;
  gint w = cr->x1 - cr->x0;
  gint h = cr->y1 - cr->y0;
  gint wp = (w + LANES - 1) / LANES * LANES;
  gsize plane = (gsize) h * wp;
  gsize strip = (gsize) LANES * w;
  guint16 *a, *b, *s0, *s1, *res;
  gint x, y, k;

  if ((rx[0] | rx[1] | rx[2] | ry[0] | ry[1] | ry[2]) == 0)
    return;

  m->planes = grow (m->planes, &m->planes_len, 2 * (plane + strip),
      sizeof (guint16));
  m->sums = grow (m->sums, &m->sums_len, wp, sizeof (gint32));
  a = m->planes;
  b = a + plane;
  s0 = b + plane;
  s1 = s0 + strip;

  for (y = 0; y < h; y += LANES) {
    /* a short last strip repeats its last row rather than reading on */
    for (k = 0; k < LANES; k++) {
      const guint8 *p = sample_ptr (c, cr->x0, cr->y0 + MIN (y + k, h - 1));

      for (x = 0; x < w; x++, p += pstride)
        s0[x * LANES + k] = *p << FRAC_BITS;
    }
    res = three_boxes (s0, s1, LANES, w, rx, m->sums);
    for (k = 0; k < LANES && y + k < h; k++) {
      guint16 *row = a + (gsize) (y + k) * wp;

      for (x = 0; x < w; x++)
        row[x] = res[x * LANES + k];
      /* padding columns go down the column passes too */
      for (; x < wp; x++)
        row[x] = 0;
    }
  }

  res = three_boxes (a, b, wp, h, ry, m->sums);

  for (y = cr->y0; y < cr->y1; y++) {
    const gint x0 = spans[2 * (y - cr->y0)];
    const gint x1 = spans[2 * (y - cr->y0) + 1];
    const guint16 *row = res + (gsize) (y - cr->y0) * wp - cr->x0;
    guint8 *p = sample_ptr (c, x0, y);

    for (x = x0; x < x1; x++, p += pstride)
      *p = (guint8) MIN ((row[x] + (1 << (FRAC_BITS - 1))) >> FRAC_BITS, 255);
  }
}

/* Blurs wider than this many samples of sigma per block are computed on a
 * copy decimated into blocks (see blur_comp_decimated); the copy keeps at
 * least MIN_BLOCKS blocks across the region's shorter side. */
#define SIGMA_PER_BLOCK 4.0
#define MIN_BLOCKS 32

/* The same blur for a large sigma, computed on a copy of the rectangle
 * reduced to the means of @d x @d blocks (a grid centred on the rectangle,
 * its edges replicated outwards), blurred there with the box cascade, and
 * brought back by bilinear interpolation. The reduction and the
 * interpolation add a variance of about d^2/4, which the blur of the copy
 * leaves out; with d at most sigma/4 both are a small part of the blur.
 * The cost is two touches of each sample instead of eight. */
static void
blur_comp_decimated (FaMasker * m, const FaComp * c, const FaRect * cr,
    const gint * spans, gdouble sigma_x, gdouble sigma_y, gint d)
{
  const gint pstride = c->pstride;
  const gint w = cr->x1 - cr->x0, h = cr->y1 - cr->y0;
  const gint nx = (w + d - 1) / d, ny = (h + d - 1) / d;
  const gint ox = (nx * d - w) / 2, oy = (ny * d - h) / 2;
  const guint32 area = (guint32) d * d;
  const gdouble extra = d * d / 4.0;
  FaComp sc = { NULL, 1, nx, nx, ny, 0, 0 };
  FaRect sr = { 0, 0, nx, ny };
  guint32 *acc;
  guint16 *hp;
  gint rx[3], ry[3];
  gint x, y, i, j, k;

  m->small = grow (m->small, &m->small_len, (gsize) nx * ny, 1);
  m->small_spans = grow (m->small_spans, &m->small_spans_len,
      2 * (gsize) ny, sizeof (gint));
  m->acc = grow (m->acc, &m->acc_len, w, sizeof (guint32));
  m->hplane = grow (m->hplane, &m->hplane_len, (gsize) ny * w,
      sizeof (guint16));
  acc = m->acc;
  hp = m->hplane;
  sc.data = m->small;

  /* block means */
  for (j = 0; j < ny; j++) {
    memset (acc, 0, sizeof (guint32) * w);
    for (k = 0; k < d; k++) {
      const guint8 *p = sample_ptr (c, cr->x0,
          cr->y0 + CLAMP (j * d - oy + k, 0, h - 1));

      if (pstride == 1) {
        for (x = 0; x < w; x++)
          acc[x] += p[x];
      } else {
        for (x = 0; x < w; x++)
          acc[x] += p[(gsize) x * pstride];
      }
    }
    for (i = 0; i < nx; i++) {
      guint32 sum = 0;

      for (k = 0; k < d; k++)
        sum += acc[CLAMP (i * d - ox + k, 0, w - 1)];
      m->small[(gsize) j * nx + i] = (guint8) ((sum + area / 2) / area);
    }
    m->small_spans[2 * j] = 0;
    m->small_spans[2 * j + 1] = nx;
  }

  boxes_for_sigma (sqrt (MAX (sigma_x * sigma_x - extra, 0.0)) / d, rx);
  boxes_for_sigma (sqrt (MAX (sigma_y * sigma_y - extra, 0.0)) / d, ry);
  blur_comp_boxes (m, &sc, &sr, m->small_spans, rx, ry);

  /* bilinear back, from block centres: each row of the copy widened to
   * the rectangle's width once, then each output row one blend of two of
   * those (a loop that vectorizes) */
  for (x = 0; x < w; x++) {
    gdouble u = CLAMP ((x + ox + 0.5) / d - 0.5, 0.0, nx - 1.0);
    gint i0 = MIN ((gint) u, nx - 1), i1 = MIN (i0 + 1, nx - 1);
    guint wt = (guint) lround ((u - i0) * 256.0);

    for (j = 0; j < ny; j++) {
      const guint8 *r = m->small + (gsize) j * nx;

      hp[(gsize) j * w + x] = (guint16) (r[i0] * (256 - wt) + r[i1] * wt);
    }
  }
  for (y = cr->y0; y < cr->y1; y++) {
    const gint x0 = spans[2 * (y - cr->y0)] - cr->x0;
    const gint x1 = spans[2 * (y - cr->y0) + 1] - cr->x0;
    gdouble v = CLAMP ((y - cr->y0 + oy + 0.5) / d - 0.5, 0.0, ny - 1.0);
    gint j0 = MIN ((gint) v, ny - 1), j1 = MIN (j0 + 1, ny - 1);
    const guint wy = (guint) lround ((v - j0) * 256.0), wy0 = 256 - wy;
    const guint16 *restrict h0 = hp + (gsize) j0 * w;
    const guint16 *restrict h1 = hp + (gsize) j1 * w;
    guint8 *restrict p = sample_ptr (c, cr->x0, y);

    if (pstride == 1) {
      for (x = x0; x < x1; x++)
        p[x] = (guint8) ((h0[x] * wy0 + h1[x] * wy + (1u << 15)) >> 16);
    } else {
      for (x = x0; x < x1; x++)
        p[(gsize) x * pstride] =
            (guint8) ((h0[x] * wy0 + h1[x] * wy + (1u << 15)) >> 16);
    }
  }
}

/* Gaussian blur of the component rectangle with the kernel the OpenCV
 * recipe would use: region size / @factor on each axis. */
static void
blur_comp (FaMasker * m, const FaComp * c, const FaRect * cr,
    const gint * spans, gdouble factor)
{
  const gint w = cr->x1 - cr->x0, h = cr->y1 - cr->y0;
  gdouble sigma_x = sigma_for_kernel (kernel_size (w, factor));
  gdouble sigma_y = sigma_for_kernel (kernel_size (h, factor));
  gint d = (gint) (MIN (sigma_x, sigma_y) / SIGMA_PER_BLOCK);
  gint rx[3], ry[3];

  d = MIN (d, MIN (w, h) / MIN_BLOCKS);
  if (d >= 2) {
    blur_comp_decimated (m, c, cr, spans, sigma_x, sigma_y, d);
    return;
  }
  boxes_for_sigma (sigma_x, rx);
  boxes_for_sigma (sigma_y, ry);
  blur_comp_boxes (m, c, cr, spans, rx, ry);
}

/* The region in a component's own samples: chroma rounds outwards so it
 * covers at least every luma sample of the region. */
static gboolean
comp_rect (const FaComp * c, const FaRect * r, FaRect * cr)
{
  gint mx = (1 << c->wsub) - 1;
  gint my = (1 << c->hsub) - 1;

  cr->x0 = r->x0 >> c->wsub;
  cr->y0 = r->y0 >> c->hsub;
  cr->x1 = (r->x1 >> c->wsub) + ((r->x1 & mx) != 0);
  cr->y1 = (r->y1 >> c->hsub) + ((r->y1 & my) != 0);
  cr->x1 = MIN (cr->x1, c->width);
  cr->y1 = MIN (cr->y1, c->height);

  return cr->x0 < cr->x1 && cr->y0 < cr->y1;
}

void
fa_masker_apply (FaMasker * masker, FaImage * img,
    const FaMaskParams * params, const FaRect * regions, guint n_regions)
{
  guint8 colour[3] = { 0, 0, 0 };
  guint n_comps, i, k;

  g_return_if_fail (masker != NULL);
  g_return_if_fail (img != NULL);
  g_return_if_fail (params != NULL);
  g_return_if_fail (n_regions == 0 || regions != NULL);

  n_comps = MIN (img->n_comps, G_N_ELEMENTS (img->comp));
  if (params->method != FA_METHOD_GAUSSIAN
      && params->method != FA_METHOD_PIXELATE)
    fa_image_color_to_comps (img, params->color, colour);

  for (i = 0; i < n_regions; i++) {
    FaRect r;

    r.x0 = MAX (regions[i].x0, 0);
    r.y0 = MAX (regions[i].y0, 0);
    r.x1 = MIN (regions[i].x1, img->width);
    r.y1 = MIN (regions[i].y1, img->height);
    if (r.x0 >= r.x1 || r.y0 >= r.y1)
      continue;

    for (k = 0; k < n_comps; k++) {
      const FaComp *c = &img->comp[k];
      FaRect cr;

      /* not a component anything could be written to */
      if (c->data == NULL || c->pstride <= 0 || c->wsub < 0 || c->wsub > 8
          || c->hsub < 0 || c->hsub > 8)
        continue;
      if (!comp_rect (c, &r, &cr))
        continue;

      masker->spans = grow (masker->spans, &masker->spans_len,
          2 * (gsize) (cr.y1 - cr.y0), sizeof (gint));
      /* The ellipse belongs to the region as given, so one cut by the
       * frame edge keeps its shape rather than shrinking into what is
       * left. */
      compute_spans (&regions[i], &cr, c, params->shape, masker->spans);

      switch (params->method) {
        case FA_METHOD_GAUSSIAN:
          blur_comp (masker, c, &cr, masker->spans, params->blur_factor);
          break;
        case FA_METHOD_PIXELATE:
          pixelate_comp (c, &cr, masker->spans, params->blocks);
          break;
        case FA_METHOD_SOLID:
        default:
          /* anything else (FA_METHOD_DRAW) is no mask: fill, never leak */
          fill_comp (c, &cr, masker->spans, colour[k]);
          break;
      }
    }
  }
}
