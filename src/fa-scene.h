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

#ifndef __FA_SCENE_H__
#define __FA_SCENE_H__

/* Scene changes. Between detections, faces are masked where the tracker
 * predicts them; after a cut, those places mean nothing and the faces of
 * the new picture are in none of them. A thumbnail of cell means per
 * component, compared with the thumbnail of the frame the detector last
 * looked at, tells that the picture is no longer the one detected. */

#include "fa-image.h"

G_BEGIN_DECLS

#define FA_SCENE_COLS 16
#define FA_SCENE_ROWS 9
#define FA_SCENE_CELLS (FA_SCENE_COLS * FA_SCENE_ROWS)

/* From this share of changed cells on, the picture is another one. The cuts
 * of Megamind.avi change 0.37 to 0.56 of the cells from one frame to the
 * next; motion in 30 other clips at most 0.29, and nearly always under
 * 0.08 (docs/benchmarks.md, "Scene changes"). Set low on purpose: a false
 * cut costs one detection, a missed one can show a face. */
#define FA_SCENE_CUT 0.25

typedef struct
{
  gboolean valid;
  guint n_comps;
  guint8 mean[3][FA_SCENE_CELLS];       /* per component, row by row */
} FaSceneThumb;

/* Samples @img (at most 8x8 points a cell and component: tens of
 * microseconds at any size). */
void fa_scene_thumb (const FaImage * img, FaSceneThumb * thumb);

/* The share of cells, 0..1, whose mean changed by more than a cut does to
 * a cell (in any component) from @a to @b; 1 when either is invalid or
 * they are of different kinds. */
gdouble fa_scene_change (const FaSceneThumb * a, const FaSceneThumb * b);

G_END_DECLS

#endif /* __FA_SCENE_H__ */
