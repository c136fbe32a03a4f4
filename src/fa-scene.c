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

#include "fa-scene.h"

#include <stdlib.h>

/* points sampled across a cell, each way */
#define POINTS 8

/* A cell whose mean moved by more than this (of 255) in any component has
 * changed picture; motion, noise, compression and gradual light move cell
 * means by less (docs/benchmarks.md, "Scene changes"). */
#define CELL_CHANGE 24

void
fa_scene_thumb (const FaImage * img, FaSceneThumb * thumb)
{
  g_return_if_fail (img != NULL && thumb != NULL);

  thumb->valid = FALSE;
  thumb->n_comps = MIN (img->n_comps, 3);
  for (guint c = 0; c < thumb->n_comps; c++) {
    const FaComp *comp = &img->comp[c];

    if (comp->data == NULL || comp->width <= 0 || comp->height <= 0)
      return;
    for (gint cy = 0; cy < FA_SCENE_ROWS; cy++) {
      /* cell bounds in samples; 64-bit: 8K frames times 2 * POINTS */
      gint64 y0 = (gint64) cy * comp->height / FA_SCENE_ROWS;
      gint64 y1 = (gint64) (cy + 1) * comp->height / FA_SCENE_ROWS;

      for (gint cx = 0; cx < FA_SCENE_COLS; cx++) {
        gint64 x0 = (gint64) cx * comp->width / FA_SCENE_COLS;
        gint64 x1 = (gint64) (cx + 1) * comp->width / FA_SCENE_COLS;
        guint sum = 0;

        for (gint j = 0; j < POINTS; j++) {
          gint64 y = y0 + (y1 - y0) * (2 * j + 1) / (2 * POINTS);
          const guint8 *row;

          y = MIN (y, comp->height - 1);
          row = comp->data + y * comp->stride;
          for (gint i = 0; i < POINTS; i++) {
            gint64 x = x0 + (x1 - x0) * (2 * i + 1) / (2 * POINTS);

            x = MIN (x, comp->width - 1);
            sum += row[x * comp->pstride];
          }
        }
        thumb->mean[c][cy * FA_SCENE_COLS + cx] =
            (sum + POINTS * POINTS / 2) / (POINTS * POINTS);
      }
    }
  }
  thumb->valid = TRUE;
}

gdouble
fa_scene_change (const FaSceneThumb * a, const FaSceneThumb * b)
{
  guint changed = 0;

  g_return_val_if_fail (a != NULL && b != NULL, 1.0);

  if (!a->valid || !b->valid || a->n_comps != b->n_comps)
    return 1.0;
  for (guint i = 0; i < FA_SCENE_CELLS; i++) {
    for (guint c = 0; c < a->n_comps; c++) {
      if (abs ((gint) a->mean[c][i] - (gint) b->mean[c][i]) > CELL_CHANGE) {
        changed++;
        break;
      }
    }
  }
  return (gdouble) changed / FA_SCENE_CELLS;
}
