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

#ifndef __FA_TILING_H__
#define __FA_TILING_H__

/* Which detector passes a frame needs so that faces down to a given size
 * are found: one whole-frame pass at the detection size, plus, when small
 * faces need a finer scale than that, overlapping tiles at that scale. */

#include "fa-image.h"

G_BEGIN_DECLS
/* The smallest face, in detector input pixels, that YuNet finds reliably
 * (docs/benchmarks.md). A face of min-face-size pixels is brought to this. */
#define FA_TILING_FACE_AT_INPUT 10
#define FA_TILING_MAX_PASSES 64
/* Below this, tiles could not overlap enough to hold a face whole. */
#define FA_TILING_MIN_DETECTION_SIZE 64
    typedef struct
{
  FaRect src;                   /* part of the frame, in frame pixels */
  gint in_w, in_h;              /* the size it is resampled to */
} FaPass;

/* Plans the passes for a @width x @height frame: no input side is larger
 * than @detection_size, faces of @min_face_size pixels and more are brought
 * to FA_TILING_FACE_AT_INPUT pixels or more (0: no tiles), and tiles overlap
 * by more than the largest face the whole-frame pass may miss, so every
 * such face lies whole in one tile. Returns the number of passes (>= 1),
 * the whole-frame pass first. */
guint fa_tiling_plan (gint width, gint height, gint detection_size,
    gint min_face_size, FaPass * passes, guint max_passes);

/* The smallest face, in frame pixels, that @pass finds: what its scale
 * brings to FA_TILING_FACE_AT_INPUT. */
gfloat fa_tiling_min_face (const FaPass * pass);

G_END_DECLS
#endif /* __FA_TILING_H__ */
