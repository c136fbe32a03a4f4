/* faceanon: GStreamer video frames as the engine's images
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

#ifndef __FA_GST_H__
#define __FA_GST_H__

/* Glue between GStreamer's video frames and the engine's image view
 * (fa-image.h), shared by the element, the tools and the tests. No element
 * here: only GstVideoFrame and GstVideoFormat. */

#include <gst/video/video.h>
#include "fa-image.h"

G_BEGIN_DECLS

/* The raw formats the element takes, for caps strings. */
#define FA_GST_FORMATS "{ I420, YV12, NV12, NV21, Y42B, Y444, RGB, BGR, " \
    "RGBx, BGRx, xRGB, xBGR, RGBA, BGRA, ARGB, ABGR, GRAY8 }"

gboolean fa_gst_format_supported (GstVideoFormat format);

/* Describes a mapped frame's colour components (never alpha or padding)
 * with the frame's own offsets, strides and subsampling. */
void fa_gst_image_from_frame (GstVideoFrame * frame, FaImage * img);

/* Whether every plane of a mapped frame, as its offsets and strides
 * describe it, lies inside the memory mapped for it: a lying GstVideoMeta
 * must not make the kernels write outside the buffer. */
gboolean fa_gst_frame_fits (GstVideoFrame * frame);

G_END_DECLS

#endif /* __FA_GST_H__ */
