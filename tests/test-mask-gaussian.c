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

/* Unit tests of the Gaussian blur kernel: what it does to flat pictures,
 * noise, a checkerboard and an impulse, and how close it comes to a
 * straightforward reference of its specification, at small and large
 * region sizes and at extreme blur factors. The frames and the case table
 * are in mask-check.h. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdlib.h>

#include "mask-check.h"

/* --- flat pictures, noise, a checkerboard --------------------------------- */

static const guint8 level[3] = { 77, 140, 201 };

static void
prepare_levels (TestFrame * f)
{
  guint c;

  for (c = 0; c < f->img.n_comps; c++)
    frame_fill_comp (f, c, level[c]);
}

/* A flat picture stays flat, right up to the frame's edges. */
static void
check_constant (const TestFrame * f, const MaskStep * step,
    const FaMaskParams * p)
{
  guint c;
  gint x, y;

  for (c = 0; c < f->img.n_comps; c++)
    for (y = 0; y < f->img.comp[c].height; y++)
      for (x = 0; x < f->img.comp[c].width; x++)
        g_assert_cmpuint (*sample (&f->img, c, x, y), ==, level[c]);
}

static void
check_noise (const TestFrame * f, const MaskStep * step, const FaMaskParams * p)
{
  guint c;
  gint x, y;

  for (c = 0; c < f->img.n_comps; c++) {
    FaRect cr;
    gdouble m0, v0, m1, v1, diff = 0;

    g_assert_true (expected_comp_rect (&f->img, c, &step->regions[0], &cr));
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
}

static void
prepare_checkerboard (TestFrame * f)
{
  gint x, y;

  for (y = 0; y < 240; y++)
    for (x = 0; x < 240; x++)
      *sample (&f->img, 0, x, y) = ((x ^ y) & 1) ? 255 : 0;
}

static void
check_checkerboard (const TestFrame * f, const MaskStep * step,
    const FaMaskParams * p)
{
  gdouble m0, v0, m1, v1;

  comp_stats (f, 0, &step->regions[0], TRUE, &m0, &v0);
  comp_stats (f, 0, &step->regions[0], FALSE, &m1, &v1);
  g_assert_cmpfloat (v1 * 1000, <, v0);
  g_assert_cmpfloat (fabs (m1 - 127.5), <, 1.0);
}

/* --- an impulse ----------------------------------------------------------- */

/* A one-sample line across the 301 x 301 frame, through (150, 150). */
static void
prepare_line (TestFrame * f, gboolean vertical)
{
  gint i;

  frame_fill_comp (f, 0, 0);
  for (i = 0; i < 301; i++) {
    if (vertical)
      *sample (&f->img, 0, 150, i) = 255;
    else
      *sample (&f->img, 0, i, 150) = 255;
  }
}

static void
prepare_vertical_line (TestFrame * f)
{
  prepare_line (f, TRUE);
}

static void
prepare_horizontal_line (TestFrame * f)
{
  prepare_line (f, FALSE);
}

/* The blurred line, which is an impulse along the other axis: the spread
 * of the response against the sigma that OpenCV derives from the kernel
 * size. */
static void
assert_impulse_spread (const TestFrame * f, const FaRect * region,
    gboolean vertical)
{
  /* 201 samples / (201 / 31.5) = 31.5: kernel 31, sigma 0.3*14+0.8 = 5 */
  const gdouble sigma = 5.0;
  gdouble m0 = 0, m1 = 0, m2 = 0, mean, var;
  gint i, j;

  /* the profile across the line, in the middle of the region */
  for (i = region->x0; i < region->x1; i++) {
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
  for (j = region->y0; j < region->y1; j++) {
    guint8 v = vertical ? *sample (&f->img, 0, 150, j) :
        *sample (&f->img, 0, j, 150);

    g_assert_cmpuint (v, ==, *sample (&f->img, 0, 150, 150));
  }
}

static void
check_vertical_impulse (const TestFrame * f, const MaskStep * step,
    const FaMaskParams * p)
{
  assert_impulse_spread (f, &step->regions[0], TRUE);
}

static void
check_horizontal_impulse (const TestFrame * f, const MaskStep * step,
    const FaMaskParams * p)
{
  assert_impulse_spread (f, &step->regions[0], FALSE);
}

/* --- the reference -------------------------------------------------------- */

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
ref_blur_line (gdouble * v, gint n, gsize stride, gint ksize, gboolean gaussian)
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

/* Where the kernel does not reach the region's edges, the blur is the
 * Gaussian's: a mean difference below @mean_below, none above @max. */
static void
assert_interior_close (const TestFrame * f, const FaRect * region,
    gdouble factor, gdouble mean_below, gint max)
{
  gdouble mean_diff;
  gint max_diff;

  compare_with_reference (f, region, factor, TRUE, TRUE, &mean_diff, &max_diff);
  g_test_message ("factor %g: gaussian, interior: mean diff %.3f, max %d",
      factor, mean_diff, max_diff);
  g_assert_cmpfloat (mean_diff, <, mean_below);
  g_assert_cmpint (max_diff, <=, max);
}

static void
check_reference (const TestFrame * f, const MaskStep * step,
    const FaMaskParams * p)
{
  const FaRect *region = &step->regions[0];
  gdouble factor = p->blur_factor, mean_diff;
  gint max_diff;

  /* the specified algorithm, up to rounding */
  compare_with_reference (f, region, factor, FALSE, FALSE, &mean_diff,
      &max_diff);
  g_test_message ("factor %g: boxes: mean diff %.3f, max %d", factor,
      mean_diff, max_diff);
  g_assert_cmpint (max_diff, <=, 1);
  g_assert_cmpfloat (mean_diff, <, 0.05);

  /* and close to the Gaussian OpenCV would have used; near the edges the
   * boxes, each replicating the previous one's edge, weigh the edge
   * samples more than one Gaussian pass does */
  compare_with_reference (f, region, factor, TRUE, FALSE, &mean_diff,
      &max_diff);
  g_test_message ("factor %g: gaussian: mean diff %.3f, max %d", factor,
      mean_diff, max_diff);
  g_assert_cmpfloat (mean_diff, <, factor >= 0.5 ? 2.5 : 8.0);
  if (factor >= 1.5)
    assert_interior_close (f, region, factor, 1.0, 10);
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
check_large (const TestFrame * f, const MaskStep * step, const FaMaskParams * p)
{
  const FaRect *region = &step->regions[0];
  gdouble factor = p->blur_factor;
  guint c;

  for (c = 0; c < f->img.n_comps; c++) {
    FaRect cr;
    gdouble *v, got, want;

    g_assert_true (expected_comp_rect (&f->img, c, region, &cr));
    v = reference_blur (f, c, &cr, factor, TRUE);
    got = detail_left (f, c, &cr, NULL);
    want = detail_left (f, c, &cr, v);
    g_test_message ("factor %g, component %u: detail left %.3f, "
        "the Gaussian's %.3f", factor, c, got, want);
    g_assert_cmpfloat (got, <=, want * 1.05 + 0.05);
    g_free (v);
  }

  /* where the kernel stays inside the region */
  if (factor >= 1.5)
    assert_interior_close (f, region, factor, 0.5, 2);
}

/* --- extreme factors ------------------------------------------------------ */

static void
check_extreme (const TestFrame * f, const MaskStep * step,
    const FaMaskParams * p)
{
  guint c;

  for (c = 0; c < 3; c++) {
    FaRect cr;
    gdouble m0, v0, m1, v1;

    g_assert_true (expected_comp_rect (&f->img, c, &step->regions[0], &cr));
    comp_stats (f, c, &cr, TRUE, &m0, &v0);
    comp_stats (f, c, &cr, FALSE, &m1, &v1);
    if (isinf (p->blur_factor)) {
      g_assert_cmpfloat (v1, ==, v0);
    } else {
      /* factors that are no number fail closed: strongest blur */
      g_assert_cmpfloat (v1 * 100, <, v0);
    }
  }
}

/* --- the cases ------------------------------------------------------------ */

/* Each step masks a fresh copy of its picture for each blur factor it
 * sweeps; the runner asserts that nothing outside the regions changed, the
 * check asserts the rest. */
/* *INDENT-OFF* */
static const MaskCase cases[] = {
  {"gaussian/constant/%s", ALL_FORMATS, 385, 289, 11, FALSE, {
    {prepare_levels, FA_METHOD_GAUSSIAN, FA_SHAPE_BOX, 0,
      REGIONS ({41, 33, 300, 250}), FACTORS (3.0, 0.5, 0.01, 20.0),
      .check = check_constant}}},
  {"gaussian/noise/%s", ALL_FORMATS, 385, 289, 21, FALSE, {
    {NULL, FA_METHOD_GAUSSIAN, FA_SHAPE_BOX, 0,
      REGIONS ({51, 33, 251, 193}), .check = check_noise}}},
  {"gaussian/checkerboard", FMT_GRAY, 240, 240, 31, FALSE, {
    {prepare_checkerboard, FA_METHOD_GAUSSIAN, FA_SHAPE_BOX, 0,
      REGIONS ({20, 20, 220, 220}), .check = check_checkerboard}}},
  /* 201 samples / (201 / 31.5) = 31.5: kernel 31, sigma 5 */
  {"gaussian/impulse", FMT_GRAY, 301, 301, 41, FALSE, {
    {prepare_vertical_line, FA_METHOD_GAUSSIAN, FA_SHAPE_BOX, 0,
      REGIONS ({50, 50, 251, 251}), FACTORS (201.0 / 31.5),
      .check = check_vertical_impulse},
    {prepare_horizontal_line, FA_METHOD_GAUSSIAN, FA_SHAPE_BOX, 0,
      REGIONS ({50, 50, 251, 251}), FACTORS (201.0 / 31.5),
      .check = check_horizontal_impulse}}},
  {"gaussian/reference/%s", ALL_FORMATS, 97, 75, 131, FALSE, {
    {NULL, FA_METHOD_GAUSSIAN, FA_SHAPE_BOX, 0,
      REGIONS ({23, 18, 84, 64}), FACTORS (3.0, 1.7, 1.0, 0.5, 0.2),
      .check = check_reference}}},
  {"gaussian/large/%s", ALL_FORMATS, 401, 307, 77, FALSE, {
    {NULL, FA_METHOD_GAUSSIAN, FA_SHAPE_BOX, 0,
      REGIONS ({37, 22, 357, 278}), FACTORS (3.0, 0.3),
      .check = check_large}}},
  /* Kernels far larger than the region stay linear in the region size and
   * flatten it; huge factors mean a kernel of 1, which is the identity. */
  {"gaussian/extreme-factors", FMT_I420, 385, 289, 51, FALSE, {
    {NULL, FA_METHOD_GAUSSIAN, FA_SHAPE_BOX, 0,
      REGIONS ({40, 40, 340, 250}),
      FACTORS (0.01, 1e-9, 0.0, -1.0, NAN, INFINITY),
      .check = check_extreme},
    /* factor 1e6: every kernel is 1 wide, the region is left as it was */
    {NULL, FA_METHOD_GAUSSIAN, FA_SHAPE_BOX, 0,
      REGIONS ({40, 40, 340, 250}), FACTORS (1e6),
      .check = check_unchanged}}},
};
/* *INDENT-ON* */

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_mask_cases (cases, G_N_ELEMENTS (cases));

  return g_test_run ();
}
