/* faceanon tools: a picture file as one video frame
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

#ifndef __FA_STILL_H__
#define __FA_STILL_H__

#include <gst/video/video.h>

G_BEGIN_DECLS

/* Decodes the first frame of an image or video file into @format at
 * @width x @height (0: the file's own size), for tools and tests. */
GstSample *fa_still_load (const gchar * path, GstVideoFormat format,
    gint width, gint height, GError ** error);

G_END_DECLS

#endif /* __FA_STILL_H__ */
