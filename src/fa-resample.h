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

#ifndef __FA_RESAMPLE_H__
#define __FA_RESAMPLE_H__

/* The detector's input: a part of the frame, resampled (bilinear) and
 * converted to RGB straight from the frame's own layout, then laid out
 * and normalised as the model's family wants it (FaInputSpec). */

#include "fa-family.h"
#include "fa-image.h"

G_BEGIN_DECLS typedef struct _FaResampler FaResampler;

FaResampler *fa_resampler_new (void);
void fa_resampler_free (FaResampler * rs);

/* Writes @src of @img, resampled to @content_w x @content_h, into the top
 * left of the @in_w x @in_h input tensor @blob (3 * in_w * in_h floats) as
 * @spec lays it out, and @spec's pad value everywhere else. The scratch
 * memory grows to the largest pass and is then reused. */
void fa_resampler_fill (FaResampler * rs, const FaImage * img,
    const FaRect * src, gint content_w, gint content_h, gint in_w, gint in_h,
    const FaInputSpec * spec, gfloat * blob);

G_END_DECLS
#endif /* __FA_RESAMPLE_H__ */
