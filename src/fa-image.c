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

/* clock_gettime() and CLOCK_THREAD_CPUTIME_ID under -std=c11 */
#define _POSIX_C_SOURCE 200809L

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "fa-image.h"

#include <math.h>
#include <time.h>

gint64
fa_thread_cpu_us (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static guint8
to_byte (gdouble v)
{
  v = floor (v + 0.5);
  return (guint8) CLAMP (v, 0.0, 255.0);
}

void
fa_image_color_to_comps (const FaImage * img, guint32 rgb, guint8 values[3])
{
  gdouble r, g, b, kr, kb, y, pb, pr;

  g_return_if_fail (img != NULL);
  g_return_if_fail (values != NULL);

  r = ((rgb >> 16) & 0xff) / 255.0;
  g = ((rgb >> 8) & 0xff) / 255.0;
  b = (rgb & 0xff) / 255.0;

  switch (img->model) {
    case FA_COLOR_RGB:
      values[0] = (rgb >> 16) & 0xff;
      values[1] = (rgb >> 8) & 0xff;
      values[2] = rgb & 0xff;
      return;
    case FA_COLOR_GRAY:
      /* Grey formats carry no matrix; BT.601 luma is what converters use. */
      values[0] = to_byte (255.0 * (0.299 * r + 0.587 * g + 0.114 * b));
      values[1] = values[2] = values[0];
      return;
    case FA_COLOR_YUV:
      break;
  }

  if (img->matrix == FA_MATRIX_BT709) {
    kr = 0.2126;
    kb = 0.0722;
  } else {
    kr = 0.299;
    kb = 0.114;
  }

  /* Y' in 0..1, Pb and Pr in -0.5..0.5, then scaled to the range. */
  y = kr * r + (1.0 - kr - kb) * g + kb * b;
  pb = (b - y) / (2.0 * (1.0 - kb));
  pr = (r - y) / (2.0 * (1.0 - kr));

  if (img->full_range) {
    values[0] = to_byte (255.0 * y);
    values[1] = to_byte (128.0 + 255.0 * pb);
    values[2] = to_byte (128.0 + 255.0 * pr);
  } else {
    values[0] = to_byte (16.0 + 219.0 * y);
    values[1] = to_byte (128.0 + 224.0 * pb);
    values[2] = to_byte (128.0 + 224.0 * pr);
  }
}
