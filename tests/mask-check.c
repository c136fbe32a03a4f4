/* faceanon engine tests
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

#include <string.h>

#include "mask-check.h"

#define GUARD 61

static const gchar *format_names[N_FORMATS] =
    { "i420", "nv12", "rgb", "rgbx", "gray" };

guint8 *
sample (const FaImage * img, gint c, gint x, gint y)
{
  const FaComp *comp = &img->comp[c];

  return comp->data + (gssize) y * comp->stride + (gssize) x * comp->pstride;
}

TestFrame *
frame_new (TestFormat fmt, gint width, gint height, guint32 seed)
{
  TestFrame *f = g_new0 (TestFrame, 1);
  FaImage *img = &f->img;
  gint cw = (width + 1) / 2, ch = (height + 1) / 2;
  gsize off[3], planes_end;
  GRand *rand;
  guint c;
  gint x, y;

  f->format = fmt;
  f->seed = seed;
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

void
frame_free (TestFrame * f)
{
  g_free (f->mem);
  g_free (f->orig);
  g_free (f->owner);
  g_free (f);
}

void
frame_snapshot (TestFrame * f)
{
  memcpy (f->orig, f->mem, f->size);
}

void
frame_restore (TestFrame * f)
{
  memcpy (f->mem, f->orig, f->size);
}

void
frame_fill_comp (TestFrame * f, gint c, guint8 v)
{
  const FaComp *comp = &f->img.comp[c];
  gint x, y;

  for (y = 0; y < comp->height; y++)
    for (x = 0; x < comp->width; x++)
      *sample (&f->img, c, x, y) = v;
}

guint8
orig_sample (const TestFrame * f, gint c, gint x, gint y)
{
  return f->orig[sample (&f->img, c, x, y) - f->mem];
}

gboolean
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

void
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

FaMaskParams
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

void
apply (TestFrame * f, const FaMaskParams * p, const FaRect * regions,
    guint n_regions)
{
  FaMasker *m = fa_masker_new ();

  fa_masker_apply (m, &f->img, p, regions, n_regions);
  fa_masker_free (m);
}

void
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

void
check_unchanged (const TestFrame * f, const MaskStep * step,
    const FaMaskParams * p)
{
  g_assert_cmpmem (f->mem, f->size, f->orig, f->size);
}

/* ------------------------------------------------------- case tables */

typedef struct
{
  const MaskCase *c;
  TestFormat format;
} MaskRun;

/* The run shape of every case: a fresh copy of the step's picture for each
 * value it sweeps, masked, nothing outside the regions touched, and the
 * step's own check. */
static void
run_mask_case (gconstpointer data)
{
  const MaskRun *run = data;
  const MaskCase *c = run->c;
  TestFrame *f = frame_new (run->format, c->width, c->height,
      c->seed + (c->seed_by_format ? run->format : 0));
  guint s, i;

  for (s = 0; s < G_N_ELEMENTS (c->steps) && c->steps[s].check; s++) {
    const MaskStep *step = &c->steps[s];

    g_assert_cmpuint (step->n_regions, <=, G_N_ELEMENTS (step->regions));
    g_assert_cmpuint (step->n_values, <=, G_N_ELEMENTS (step->values));
    if (step->prepare) {
      frame_restore (f);
      step->prepare (f);
      frame_snapshot (f);
    }
    for (i = 0; i < MAX (step->n_values, 1); i++) {
      FaMaskParams p = params_default (step->method);

      p.shape = step->shape;
      p.color = step->color;
      if (step->sweep == SWEEP_BLUR_FACTOR)
        p.blur_factor = step->values[i];
      else if (step->sweep == SWEEP_BLOCKS)
        p.blocks = (guint) step->values[i];
      frame_restore (f);
      apply (f, &p, step->regions, step->n_regions);
      assert_outside_untouched (f, step->regions, step->n_regions);
      step->check (f, step, &p);
    }
  }

  frame_free (f);
}

void
add_mask_cases (const MaskCase * cases, guint n_cases)
{
  guint i;
  TestFormat fmt;

  for (i = 0; i < n_cases; i++) {
    gboolean each_format = cases[i].format == ALL_FORMATS;

    g_assert_true (each_format == (strstr (cases[i].name, "%s") != NULL));

    for (fmt = 0; fmt < N_FORMATS; fmt++) {
      MaskRun *run;
      gchar *name, *path;

      if (!each_format && fmt != cases[i].format)
        continue;
      run = g_new (MaskRun, 1);
      run->c = &cases[i];
      run->format = fmt;
      name = g_strdup_printf (cases[i].name, format_names[fmt]);
      path = g_strconcat ("/mask/", name, NULL);
      g_test_add_data_func_full (path, run, run_mask_case, g_free);
      g_free (path);
      g_free (name);
    }
  }
}
