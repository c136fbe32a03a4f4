/* faceanon-eval: what its measures share
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

#ifndef __FA_EVAL_H__
#define __FA_EVAL_H__

/* What faceanon-eval's modes share: annotated faces read from CSV, how a
 * mask covers them and how a detection matches them, and a table to print
 * results in. The photo mode (faceanon-eval.c) measures stills; the pan
 * mode (eval-pan.c) measures video made from the same photos. */

#include <glib.h>
#include "fa-image.h"
#include "fa-mask.h"

G_BEGIN_DECLS
/* A face counts as hidden when this share of its box lies under the mask. */
#define COVERED_FRACTION 0.8
/* A detection is "the same face" as an annotation when the boxes overlap
 * this much, or when it is centred in the annotation at a similar size:
 * annotation styles differ (VOC boxes are tight squares), so IoU alone
 * would miss real hits. */
#define MATCH_IOU 0.3
#define MATCH_SIZE_RATIO 2.0
#define EXIT_BELOW_MIN_RECALL 1
#define EXIT_ERROR 2
/* Face widths are reported in these buckets. */
#define N_BUCKETS 5
extern const gdouble eval_bucket_limits[N_BUCKETS - 1];
extern const gchar *const eval_bucket_names[N_BUCKETS];

/* The WIDER FACE difficulty sets; a face's flags hold bit k for set k. */
extern const gchar *const eval_wider_names[3];

#define EVAL_ERROR (eval_error_quark ())
GQuark eval_error_quark (void);

typedef struct
{
  gdouble x, y, w, h;
  gchar *flags;
  guint wider;                  /* bit k: counts in wider_names[k] */
  gint bucket;                  /* index into eval_bucket_limits */
  gboolean inside;              /* some of it lies in the image */
  gboolean invalid;             /* WIDER's "invalid": not counted */
  gdouble coverage;             /* share of its pixels under the mask */
  gboolean covered;
  gboolean found_before;        /* by the reference, unmasked */
  gboolean found_after;         /* by the reference, masked */
  gfloat score_before;          /* the reference's best match, or 0 */
  gfloat score_after;
} GtFace;

typedef struct
{
  gchar *path;
  gchar *csv;                   /* where it was first listed, for messages */
  guint line;
  GArray *faces;                /* GtFace */
} EvalImage;

/* eval-data.c */
void eval_image_free (gpointer data);
gboolean eval_load_csv (const gchar * csv, GPtrArray * images,
    GHashTable * by_path, GError ** error);
gboolean eval_counted (const GtFace * g);
gboolean eval_face_pixels (const GtFace * g, gint width, gint height,
    FaRect * r);
gboolean eval_box_matches (const FaBox * d, const GtFace * g);
gfloat eval_best_match (const GArray * boxes, const GtFace * g);
gdouble eval_cpu_ms (void);

/* Where the element writes on a frame (canvas: 255), and the faces
 * (truth: 1 in a face box, 2 in its padding, filled by the caller). */
typedef struct
{
  guint8 *canvas, *truth;
  gsize len;
  FaMasker *masker;
} EvalCanvas;

void eval_canvas_init (EvalCanvas * c);
void eval_canvas_clear (EvalCanvas * c);
void eval_canvas_paint (EvalCanvas * c, gint width, gint height,
    const FaMaskParams * mask, const FaRect * regions, guint n_regions);

/* eval-table.c: rows of metric, value, detail; eval_table_add takes
 * @value and @detail (NULL: none) */
GArray *eval_table_new (void);
void eval_table_add (GArray * rows, const gchar * metric, gchar * value,
    gchar * detail);
void eval_table_add_recall (GArray * rows, const gchar * metric, guint hit,
    guint n);
void eval_table_print (GArray * rows, gboolean markdown);
void eval_table_free (GArray * rows);
gint eval_compare_doubles (gconstpointer a, gconstpointer b);

G_END_DECLS
#endif /* __FA_EVAL_H__ */
