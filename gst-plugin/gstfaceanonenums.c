/* GStreamer faceanon element
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

#include "gstfaceanon.h"

/* The element's enum types: each is one table of values (value, what it
 * does as gst-inspect shows it, nick) and one registration, made once. */
#define DEFINE_ENUM_TYPE(func, type_name, ...)                           \
GType                                                                    \
func (void)                                                              \
{                                                                        \
  static GType type = 0;                                                 \
  static const GEnumValue values[] = { __VA_ARGS__, {0, NULL, NULL} };   \
                                                                         \
  if (g_once_init_enter (&type))                                         \
    g_once_init_leave (&type, g_enum_register_static (type_name, values)); \
  return type;                                                           \
}

/* *INDENT-OFF* */
DEFINE_ENUM_TYPE (gst_face_anon_method_get_type, "GstFaceAnonMethod",
    {GST_FACE_ANON_METHOD_GAUSSIAN,
        "Gaussian blur, kernel = region size / blur-factor", "gaussian"},
    {GST_FACE_ANON_METHOD_PIXELATE,
        "Pixelate into blocks x blocks cells of mean colour", "pixelate"},
    {GST_FACE_ANON_METHOD_SOLID, "Fill with a solid color", "solid"},
    {GST_FACE_ANON_METHOD_DRAW,
        "Outline faces and show their confidence, for tuning (no masking)",
        "draw"})

DEFINE_ENUM_TYPE (gst_face_anon_mask_shape_get_type, "GstFaceAnonMaskShape",
    {GST_FACE_ANON_MASK_SHAPE_BOX, "The whole padded rectangle", "box"},
    {GST_FACE_ANON_MASK_SHAPE_ELLIPSE, "The ellipse inscribed in it",
        "ellipse"})

DEFINE_ENUM_TYPE (gst_face_anon_on_failure_get_type, "GstFaceAnonOnFailure",
    {GST_FACE_ANON_ON_FAILURE_ERROR, "Post an error and stop the stream",
        "error"},
    {GST_FACE_ANON_ON_FAILURE_MASK_FRAME,
        "Mask the whole frame, warn once, recover with the detector",
        "mask-frame"},
    {GST_FACE_ANON_ON_FAILURE_DROP, "Drop the frame, warn once", "drop"})

DEFINE_ENUM_TYPE (gst_face_anon_detector_get_type, "GstFaceAnonDetector",
    {GST_FACE_ANON_DETECTOR_DNN, "Run the face detection network", "dnn"},
    {GST_FACE_ANON_DETECTOR_UPSTREAM,
        "Mask the \"face\" region-of-interest metas upstream put on the "
        "buffer", "upstream"})

DEFINE_ENUM_TYPE (gst_face_anon_async_get_type, "GstFaceAnonAsync",
    {GST_FACE_ANON_ASYNC_AUTO, "On for live sources, off otherwise", "auto"},
    {GST_FACE_ANON_ASYNC_ON, "Detect on a thread of its own", "on"},
    {GST_FACE_ANON_ASYNC_OFF, "Detect on the streaming thread", "off"})
/* *INDENT-ON* */
