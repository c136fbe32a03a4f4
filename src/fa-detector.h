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

#ifndef __FA_DETECTOR_H__
#define __FA_DETECTOR_H__

#include "fa-family.h"
#include "fa-image.h"
#include "fa-tiling.h"
#include "fa-tracker.h"

G_BEGIN_DECLS
/* A face detector: a model of a known family (fa-family.h) run on the
 * frame's own layout, whole or in parts (passes, fa-tiling.h). */
typedef struct _FaDetector FaDetector;

/* Loads @path and recognises its family from the file itself: the
 * extension, then the network's outputs. For a Caffe model, @path may name
 * either the .caffemodel or the .prototxt; the other is looked up next to
 * it. The file is checked first (fa_model_check_file); one that is not a
 * model faceanon installs is then loaded and tried in a process of its
 * own (fa_model_check_in_child), so that a damaged file that would crash
 * OpenCV's reader is an error instead. */
FaDetector *fa_detector_new (const gchar * path, GError ** error);

/* fa_detector_new () without the checks: loads @path in this process,
 * crash and all. For the program that tries models in a process of its
 * own (faceanon-model-check). */
FaDetector *fa_detector_load (const gchar * path, GError ** error);
void fa_detector_free (FaDetector * det);

const FaFamily *fa_detector_get_family (FaDetector * det);

/* Network passes run so far, the wall time spent in the network, and the
 * CPU time of the threads that called it while in it (microseconds; the
 * network's own worker threads are not counted). Not while another thread
 * detects with @det. */
void fa_detector_get_stats (FaDetector * det, guint64 * passes,
    gint64 * net_us, gint64 * net_cpu_us);

/* The input side the family works at when it does not take any size
 * (BlazeFace: 128 or 256, SSD: 300), or 0 when @detection_size is used. */
gint fa_detector_get_fixed_size (FaDetector * det);

/* Detects faces in @img, downscaled so that its longest side is
 * @detection_size (never upscaled), straight from the image's own layout.
 * Appends FaBox in full-frame pixels to @boxes, after NMS. */
gboolean fa_detector_detect (FaDetector * det, const FaImage * img,
    gint detection_size, gfloat threshold, GArray * boxes, GError ** error);

/* Detects faces in one pass: @pass's part of the frame resampled to its
 * input size (letterboxed into the model's square for fixed-size models).
 * Appends FaBox in full-frame pixels to @boxes, after NMS. */
gboolean fa_detector_detect_pass (FaDetector * det, const FaImage * img,
    const FaPass * pass, gfloat threshold, GArray * boxes, GError ** error);

/* Detects faces in @n passes of @img, merged (a face found by two passes
 * is one box), keeping below @threshold only faces cut by the frame's
 * edge (from 0.6 of it). @boxes must be empty. When @searched is
 * not NULL, its @n entries get each pass's area and smallest face. */
gboolean fa_detector_detect_passes (FaDetector * det, const FaImage * img,
    const FaPass * passes, guint n, gfloat threshold, GArray * boxes,
    FaSearch * searched, GError ** error);

G_END_DECLS
#endif /* __FA_DETECTOR_H__ */
