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

/* Scene changes (src/fa-scene.c): what counts as another picture, and what
 * does not. The element test on Megamind's cuts is test_scene_cut in
 * test-tracking.c. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "fa-scene.h"

/* An I420 frame of @w x @h with padded rows, filled by @fill (x, y, comp). */
typedef guint8 (*FillFunc) (gint x, gint y, guint comp, gpointer data);

typedef struct
{
  guint8 *mem;
  FaImage img;
} Frame;

static void
frame_init (Frame * f, gint w, gint h, FillFunc fill, gpointer data)
{
  gint cw = (w + 1) / 2, ch = (h + 1) / 2;
  gsize y_size = (gsize) (w + 7) * h, c_size = (gsize) (cw + 5) * ch;

  f->mem = g_malloc (y_size + 2 * c_size);
  f->img = (FaImage) {
  .width = w,.height = h,.model = FA_COLOR_YUV,.n_comps = 3};
  f->img.comp[0] = (FaComp) {
  f->mem, 1, w + 7, w, h, 0, 0};
  f->img.comp[1] = (FaComp) {
  f->mem + y_size, 1, cw + 5, cw, ch, 1, 1};
  f->img.comp[2] = (FaComp) {
  f->mem + y_size + c_size, 1, cw + 5, cw, ch, 1, 1};
  for (guint c = 0; c < 3; c++) {
    const FaComp *comp = &f->img.comp[c];

    for (gint y = 0; y < comp->height; y++)
      for (gint x = 0; x < comp->width; x++)
        comp->data[(gsize) y * comp->stride + x] = fill (x, y, c, data);
  }
}

static guint8
fill_flat (gint x, gint y, guint comp, gpointer data)
{
  return comp == 0 ? GPOINTER_TO_INT (data) : 128;
}

/* A picture with detail: stripes and a gradient. */
static guint8
fill_picture (gint x, gint y, guint comp, gpointer data)
{
  gint shift = GPOINTER_TO_INT (data);

  if (comp > 0)
    return (guint8) (100 + ((x + shift) / 7) % 60);
  return (guint8) (((x + shift) * 3 + y) % 200 + 20);
}

static guint8
fill_noise (gint x, gint y, guint comp, gpointer data)
{
  return (guint8) g_rand_int_range (data, 0, 256);
}

static gdouble
change (Frame * a, Frame * b)
{
  FaSceneThumb ta, tb;

  fa_scene_thumb (&a->img, &ta);
  fa_scene_thumb (&b->img, &tb);
  g_assert_true (ta.valid && tb.valid);
  return fa_scene_change (&ta, &tb);
}

static void
test_same_and_light (void)
{
  Frame a, b, c;

  frame_init (&a, 640, 360, fill_flat, GINT_TO_POINTER (100));
  frame_init (&b, 640, 360, fill_flat, GINT_TO_POINTER (100));
  /* the light changes a little: the same picture */
  frame_init (&c, 640, 360, fill_flat, GINT_TO_POINTER (120));
  g_assert_cmpfloat (change (&a, &b), ==, 0.0);
  g_assert_cmpfloat (change (&a, &c), ==, 0.0);
  g_free (a.mem);
  g_free (b.mem);
  g_free (c.mem);
}

/* A picture panned by a few pixels is the same picture; another picture
 * (noise over stripes, or a flat field) is a cut. */
static void
test_motion_and_cut (void)
{
  GRand *rand = g_rand_new_with_seed (7);
  Frame a, moved, noise, flat;
  gdouble d;

  frame_init (&a, 1280, 720, fill_picture, GINT_TO_POINTER (0));
  frame_init (&moved, 1280, 720, fill_picture, GINT_TO_POINTER (4));
  frame_init (&noise, 1280, 720, fill_noise, rand);
  frame_init (&flat, 1280, 720, fill_flat, GINT_TO_POINTER (16));
  d = change (&a, &moved);
  g_test_message ("panned 4 px: %.3f", d);
  g_assert_cmpfloat (d, <, FA_SCENE_CUT);
  d = change (&a, &noise);
  g_test_message ("noise: %.3f", d);
  g_assert_cmpfloat (d, >=, FA_SCENE_CUT);
  d = change (&a, &flat);
  g_test_message ("black: %.3f", d);
  g_assert_cmpfloat (d, >=, FA_SCENE_CUT);
  g_free (a.mem);
  g_free (moved.mem);
  g_free (noise.mem);
  g_free (flat.mem);
  g_rand_free (rand);
}

/* One cell of 144 changed is 1/144 of a change. */
static void
test_one_cell (void)
{
  FaSceneThumb a, b;

  memset (&a, 0, sizeof (a));
  a.valid = TRUE;
  a.n_comps = 3;
  b = a;
  b.mean[1][17] = 200;
  g_assert_cmpfloat (fa_scene_change (&a, &b), ==, 1.0 / FA_SCENE_CELLS);
}

/* What cannot be compared is a change: the detector looks again. */
static void
test_not_comparable (void)
{
  Frame a, tiny;
  FaSceneThumb ta, tb;
  FaImage broken;

  frame_init (&a, 64, 48, fill_flat, GINT_TO_POINTER (50));
  /* a frame smaller than the grid still gives a thumbnail */
  frame_init (&tiny, 1, 1, fill_flat, GINT_TO_POINTER (50));
  g_assert_cmpfloat (change (&a, &tiny), ==, 0.0);

  fa_scene_thumb (&a.img, &ta);
  tb = ta;
  tb.valid = FALSE;
  g_assert_cmpfloat (fa_scene_change (&ta, &tb), ==, 1.0);
  tb = ta;
  tb.n_comps = 1;
  g_assert_cmpfloat (fa_scene_change (&ta, &tb), ==, 1.0);

  broken = a.img;
  broken.comp[2].data = NULL;
  fa_scene_thumb (&broken, &tb);
  g_assert_false (tb.valid);
  g_assert_cmpfloat (fa_scene_change (&ta, &tb), ==, 1.0);
  g_free (a.mem);
  g_free (tiny.mem);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scene/same-and-light", test_same_and_light);
  g_test_add_func ("/scene/motion-and-cut", test_motion_and_cut);
  g_test_add_func ("/scene/one-cell", test_one_cell);
  g_test_add_func ("/scene/not-comparable", test_not_comparable);
  return g_test_run ();
}
