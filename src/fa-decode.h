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

#ifndef __FA_DECODE_H__
#define __FA_DECODE_H__

/* Turning the raw output tensors of each detector family into boxes, in
 * the detector input's pixel coordinates. Plain C, so that it can be tested
 * on constructed tensors; hostile values (NaN, infinities, negative or
 * enormous sizes, more rows than expected) are skipped, never trusted. */

#include "fa-image.h"
#include "fa-net.h"

G_BEGIN_DECLS

/* Candidates beyond this many (above threshold) are dropped, lowest score
 * first, so that a broken network cannot make NMS quadratic in the frame. */
#define FA_DECODE_MAX_CANDIDATES 4096

/* YuNet (2023mar layout): per stride 8, 16, 32 the outputs cls (N x 1),
 * obj (N x 1) and bbox (N x 4), N = (in_h / stride) * (in_w / stride). */
gboolean fa_decode_yunet (const FaTensor cls[3], const FaTensor obj[3],
    const FaTensor bbox[3], gint in_w, gint in_h, gfloat threshold,
    GArray * boxes, GError ** error);

/* MediaPipe BlazeFace (SxS input): scores and regressors over 896 SSD
 * anchors, split as 16x16 cells x 2 anchors then 8x8 cells x 6 anchors. */
gboolean fa_decode_blazeface (const FaTensor scores[2],
    const FaTensor regressors[2], gint size, gfloat threshold,
    GArray * boxes, GError ** error);

/* Caffe SSD "detection_out": 1 x 1 x N x 7 rows of [image, class,
 * confidence, x0, y0, x1, y1], coordinates normalised to the input. */
gboolean fa_decode_ssd (const FaTensor * out, gint in_w, gint in_h,
    gfloat threshold, GArray * boxes, GError ** error);

/* Greedy non-maximum suppression in place: keeps the best-scoring box of
 * every group overlapping by more than @iou_threshold. */
void fa_boxes_nms (GArray * boxes, gfloat iou_threshold);

/* Drops every box of which more than @fraction of the area lies inside a
 * better-scoring box: a face cut by a tile edge, also found whole in the
 * neighbouring tile. Boxes must be sorted by score, as NMS leaves them. */
void fa_boxes_drop_contained (GArray * boxes, gfloat fraction);

G_END_DECLS

#endif /* __FA_DECODE_H__ */
