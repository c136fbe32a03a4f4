/* faceanon-eval: the pan mode
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

#ifndef __FA_EVAL_PAN_H__
#define __FA_EVAL_PAN_H__

#include "eval.h"
#include "fa-anon.h"

G_BEGIN_DECLS typedef struct
{
  gint width, height;           /* of the frames: the panning window */
  guint frames;                 /* a clip's */
  gint fps_n, fps_d;
  guint detect_interval;        /* the element's detect-interval */
  gboolean reference;           /* also run the reference */
  gint64 lookahead;             /* ns frames are held, as the element does */
} EvalPanSettings;

/* Pans a window across mosaics of @images (EvalImage) and measures, frame
 * by frame, what the element's frame work with @params masks, against a
 * reference search of every tile at full resolution on every frame, and
 * prints the table. @settings names the settings, as gst-launch would. */
gboolean eval_pan (GPtrArray * images, const gchar * model_path,
    const FaAnonParams * params, const gchar * settings,
    const EvalPanSettings * set, gboolean markdown, GError ** error);

G_END_DECLS
#endif /* __FA_EVAL_PAN_H__ */
