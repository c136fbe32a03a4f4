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

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "fa-gst.h"

gboolean
fa_gst_format_supported (GstVideoFormat format)
{
  switch (format) {
    case GST_VIDEO_FORMAT_I420:
    case GST_VIDEO_FORMAT_YV12:
    case GST_VIDEO_FORMAT_NV12:
    case GST_VIDEO_FORMAT_NV21:
    case GST_VIDEO_FORMAT_Y42B:
    case GST_VIDEO_FORMAT_Y444:
    case GST_VIDEO_FORMAT_RGB:
    case GST_VIDEO_FORMAT_BGR:
    case GST_VIDEO_FORMAT_RGBx:
    case GST_VIDEO_FORMAT_BGRx:
    case GST_VIDEO_FORMAT_xRGB:
    case GST_VIDEO_FORMAT_xBGR:
    case GST_VIDEO_FORMAT_RGBA:
    case GST_VIDEO_FORMAT_BGRA:
    case GST_VIDEO_FORMAT_ARGB:
    case GST_VIDEO_FORMAT_ABGR:
    case GST_VIDEO_FORMAT_GRAY8:
      return TRUE;
    default:
      return FALSE;
  }
}

void
fa_gst_image_from_frame (GstVideoFrame * frame, FaImage * img)
{
  const GstVideoInfo *info = &frame->info;
  const GstVideoFormatInfo *finfo = info->finfo;

  img->width = GST_VIDEO_FRAME_WIDTH (frame);
  img->height = GST_VIDEO_FRAME_HEIGHT (frame);
  if (GST_VIDEO_FORMAT_INFO_IS_GRAY (finfo)) {
    img->model = FA_COLOR_GRAY;
    img->n_comps = 1;
  } else {
    /* GST_VIDEO_COMP_Y/U/V and R/G/B are both 0, 1, 2 */
    img->model = GST_VIDEO_FORMAT_INFO_IS_YUV (finfo) ? FA_COLOR_YUV :
        FA_COLOR_RGB;
    img->n_comps = 3;
  }
  img->matrix = info->colorimetry.matrix == GST_VIDEO_COLOR_MATRIX_BT709 ?
      FA_MATRIX_BT709 : FA_MATRIX_BT601;
  img->full_range = info->colorimetry.range == GST_VIDEO_COLOR_RANGE_0_255;

  for (guint c = 0; c < img->n_comps; c++) {
    FaComp *comp = &img->comp[c];

    comp->data = GST_VIDEO_FRAME_COMP_DATA (frame, c);
    comp->pstride = GST_VIDEO_FRAME_COMP_PSTRIDE (frame, c);
    comp->stride = GST_VIDEO_FRAME_COMP_STRIDE (frame, c);
    comp->width = GST_VIDEO_FRAME_COMP_WIDTH (frame, c);
    comp->height = GST_VIDEO_FRAME_COMP_HEIGHT (frame, c);
    comp->wsub = GST_VIDEO_FORMAT_INFO_W_SUB (finfo, c);
    comp->hsub = GST_VIDEO_FORMAT_INFO_H_SUB (finfo, c);
  }
}

gboolean
fa_gst_frame_fits (GstVideoFrame * frame)
{
  const GstVideoFormatInfo *finfo = frame->info.finfo;

  for (guint c = 0; c < GST_VIDEO_FRAME_N_COMPONENTS (frame); c++) {
    guint p = GST_VIDEO_FORMAT_INFO_PLANE (finfo, c);
    const guint8 *start, *end, *first, *last;
    gint h = GST_VIDEO_FRAME_COMP_HEIGHT (frame, c);
    gint w = GST_VIDEO_FRAME_COMP_WIDTH (frame, c);
    gint ps = GST_VIDEO_FRAME_COMP_PSTRIDE (frame, c);
    gint stride = GST_VIDEO_FRAME_COMP_STRIDE (frame, c);

    if (h <= 0 || w <= 0)
      continue;
    if (stride <= 0 || ps <= 0)
      return FALSE;
    /* with a video meta each plane is mapped on its own; without, the
     * whole buffer is map[0] */
    if (frame->meta == NULL)
      p = 0;
    start = frame->map[p].data;
    end = start + frame->map[p].size;
    first = GST_VIDEO_FRAME_COMP_DATA (frame, c);
    last = first + (gsize) stride *(h - 1) + (gsize) ps *(w - 1);
    if (first < start || last >= end || last < first)
      return FALSE;
  }
  return TRUE;
}
