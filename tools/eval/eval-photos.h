/* faceanon-eval: the photo mode
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

#ifndef __FA_EVAL_PHOTOS_H__
#define __FA_EVAL_PHOTOS_H__

/* Each annotated photo as a still frame: planned by the element's frame
 * work, its mask's footprint scored against the faces, and, with a
 * reference detector, masked and searched again. */

#include "eval.h"
#include "fa-anon.h"
#include "fa-detector.h"

#include <gst/video/video.h>
#include <stdio.h>

G_BEGIN_DECLS

typedef struct
{
  /* settings */
  FaAnonParams params;
  gchar *settings;              /* the element's properties, as gst-launch */
  GstVideoFormat format;
  gchar *model_path;
  gchar *ref_path;
  gfloat ref_threshold;
  gint ref_size;
  gchar *save_dir;
  gboolean quiet;

  FaAnon *anon;
  FaDetector *ref;
  EvalCanvas canvas;            /* where the element writes, and faces */
  GPtrArray *images;            /* EvalImage */
  FILE *csv_out;

  /* scratch, reused from image to image */
  GArray *regions;              /* FaRect */
  GArray *ref_boxes;            /* FaBox */

  /* totals */
  guint n_detections;
  guint n_unmatched;            /* detections matching no annotation */
  guint64 footprint_px;
  guint64 false_px;             /* masked, in no face box */
  guint64 far_px;               /* masked, in no padded face box either */
  GArray *ms;                   /* gdouble, detection time per image */
  gdouble cpu_ms;               /* detection CPU time, all threads */
  guint ref_in_mask_before;     /* reference hits centred under the mask */
  guint ref_in_mask_after;
  gdouble std_before;           /* luma std-dev under each mask, summed */
  gdouble std_after;
} Eval;

/* Measures one photo into @ev's totals and its faces. */
gboolean eval_photo (Eval * ev, EvalImage * im, guint index, GError ** error);

/* Its faces as rows of --csv-out. */
void eval_photo_write_csv (Eval * ev, EvalImage * im);

/* Prints the table; returns the overall coverage recall. */
gdouble eval_photos_report (Eval * ev, gboolean markdown);

G_END_DECLS

#endif /* __FA_EVAL_PHOTOS_H__ */
