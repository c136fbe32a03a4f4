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

#ifndef __FA_MASK_H__
#define __FA_MASK_H__

#include "fa-image.h"

G_BEGIN_DECLS

typedef enum
{
  FA_METHOD_GAUSSIAN,
  FA_METHOD_PIXELATE,
  FA_METHOD_SOLID,
  FA_METHOD_DRAW                /* not a mask: outlines, for tuning (fa-draw) */
} FaMethod;

typedef enum
{
  FA_SHAPE_BOX,
  FA_SHAPE_ELLIPSE
} FaShape;

typedef struct
{
  FaMethod method;
  FaShape shape;
  gdouble scale;                /* padding factor around the detector's box */
  gdouble blur_factor;          /* gaussian: kernel = region size / factor */
  guint blocks;                 /* pixelate: blocks x blocks cells */
  guint32 color;                /* solid: 0xRRGGBB */
} FaMaskParams;

/* Holds the scratch memory the kernels need; it grows to the largest region
 * seen and is then reused, so steady-state masking allocates nothing. */
typedef struct _FaMasker FaMasker;

FaMasker *fa_masker_new (void);
void fa_masker_free (FaMasker * masker);

/* The region a box is masked over: the box scaled by @scale about its
 * centre, rounded outwards. It is not clipped to the frame (the masker
 * clips, so that an ellipse cut by the frame edge keeps its shape). Returns
 * FALSE when nothing of it lies inside the frame or the box is not finite. */
gboolean fa_mask_region (const FaBox * box, gdouble scale, gint width,
    gint height, FaRect * out);

/* Anonymizes every region in place, on every component, honouring
 * subsampling and strides. Samples outside the regions (for the ellipse
 * shape: outside the ellipse inscribed in each region) are not written. */
void fa_masker_apply (FaMasker * masker, FaImage * img,
    const FaMaskParams * params, const FaRect * regions, guint n_regions);

G_END_DECLS

#endif /* __FA_MASK_H__ */
