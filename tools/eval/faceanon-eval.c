/* faceanon-eval: how well faceanon hides annotated faces
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

/* Runs, on photos with annotated faces, exactly the frame work the faceanon
 * element does (fa_anon_plan, then fa_anon_paint, with the same parameters;
 * each photo is a still frame, searched at every scale) and measures which faces end up under the mask, how much of the mask
 * lies on no face, how long detection takes and, with --redetect, whether
 * a second detector still finds the faces once they are masked.
 *
 * The element is linked in and its parameters come from an element
 * instance (gst_face_anon_get_params), so every option that mirrors a
 * property has that property's name, parsing, range and default: when the
 * element's defaults change, the evaluation follows without an edit here. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstfaceanon.h"
#include "fa-gst.h"
#include "fa-model.h"
#include "fa-options.h"
#include "fa-still.h"
#include "eval.h"
#include "eval-pan.h"

#include <glib/gstdio.h>
#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The options that are element properties, in --help order: those that
 * matter for a still image, then those that matter in video (--pan). */
static const gchar *const element_props[] = {
  "model", "method", "mask-shape", "mask-scale", "blur-factor", "blocks",
  "color", "confidence-threshold", "detection-size", "min-face-size",
  "tracking", "hold-time", "detect-interval", "sweep-time", "lookahead"
};

/* how many of them a still's settings line names */
#define N_STILL_PROPS 10

#define N_ELEMENT_PROPS G_N_ELEMENTS (element_props)


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










/* Reference detections whose centre pixel lies under the mask. */
static guint
count_in_mask (const Eval * ev, const FaBox * boxes, guint n_boxes,
    gint width, gint height)
{
  guint n = 0;

  for (guint i = 0; i < n_boxes; i++) {
    gdouble cx = floor (boxes[i].x + boxes[i].w * 0.5);
    gdouble cy = floor (boxes[i].y + boxes[i].h * 0.5);

    if (cx >= 0 && cy >= 0 && cx < width && cy < height
        && ev->canvas.canvas[(gsize) cy * width + (gsize) cx] != 0)
      n++;
  }
  return n;
}

static gboolean
reference_detect (Eval * ev, const FaImage * img, GError ** error)
{
  gint size = ev->ref_size > 0 ? ev->ref_size : MAX (img->width,
      img->height);

  g_array_set_size (ev->ref_boxes, 0);
  return fa_detector_detect (ev->ref, img, size, ev->ref_threshold,
      ev->ref_boxes, error);
}

static gboolean
save_png (Eval * ev, GstBuffer * buf, GstCaps * caps, guint index,
    const gchar * path, GError ** error)
{
  GstSample *in = gst_sample_new (buf, caps, NULL, NULL);
  GstCaps *png = gst_caps_new_empty_simple ("image/png");
  GstSample *out;
  GstMapInfo map;
  gchar *base, *name, *file;
  gboolean ok;

  out = gst_video_convert_sample (in, png, GST_CLOCK_TIME_NONE, error);
  gst_sample_unref (in);
  gst_caps_unref (png);
  if (out == NULL)
    return FALSE;

  base = g_path_get_basename (path);
  name = g_strdup_printf ("%03u-%s.png", index, base);
  file = g_build_filename (ev->save_dir, name, NULL);
  gst_buffer_map (gst_sample_get_buffer (out), &map, GST_MAP_READ);
  ok = g_file_set_contents (file, (const gchar *) map.data, map.size, error);
  gst_buffer_unmap (gst_sample_get_buffer (out), &map);
  gst_sample_unref (out);
  g_free (file);
  g_free (name);
  g_free (base);
  return ok;
}

/* Luma of a pixel: the Y or grey plane, or BT.601 luma of RGB. */
static guint
luma (const FaImage * img, gint x, gint y)
{
  guint v[3];

  for (guint k = 0; k < (img->model == FA_COLOR_RGB ? 3 : 1); k++) {
    const FaComp *c = &img->comp[k];

    v[k] = c->data[(gsize) (y >> c->hsub) * c->stride +
        (gsize) (x >> c->wsub) * c->pstride];
  }
  if (img->model != FA_COLOR_RGB)
    return v[0];
  return (299 * v[0] + 587 * v[1] + 114 * v[2] + 500) / 1000;
}

/* Luma standard deviation over the footprint inside @r (clipped to the
 * frame): how much is left to see there, 0 for a flat colour. */
static gdouble
footprint_std (const Eval * ev, const FaImage * img, const FaRect * r)
{
  gdouble sum = 0.0, sum2 = 0.0, mean;
  guint64 n = 0;

  for (gint y = MAX (r->y0, 0); y < MIN (r->y1, img->height); y++) {
    for (gint x = MAX (r->x0, 0); x < MIN (r->x1, img->width); x++) {
      guint v;

      if (ev->canvas.canvas[(gsize) y * img->width + x] == 0)
        continue;
      v = luma (img, x, y);
      sum += v;
      sum2 += (gdouble) v *v;
      n++;
    }
  }
  if (n == 0)
    return 0.0;
  mean = sum / n;
  return sqrt (MAX (sum2 / n - mean * mean, 0.0));
}

/* Masks a private copy of the frame by the plan made on the original, as
 * the element masks a frame that upstream still holds, and asks the
 * reference detector what it still finds there. */
static gboolean
mask_and_redetect (Eval * ev, EvalImage * im, guint index, GstBuffer * buf,
    GstVideoInfo * info, GstCaps * caps, GError ** error)
{
  GstBuffer *copy = gst_buffer_copy_deep (buf);
  GstVideoFrame frame, orig_frame;
  FaImage img, orig;
  gboolean ok = FALSE;

  if (!gst_video_frame_map (&frame, info, copy, GST_MAP_READWRITE)) {
    g_set_error (error, EVAL_ERROR, 0, "cannot map a copy of '%s' for "
        "writing", im->path);
    gst_buffer_unref (copy);
    return FALSE;
  }
  fa_gst_image_from_frame (&frame, &img);
  fa_anon_paint (ev->anon, &img, &ev->params);

  /* how much of the face's texture the mask leaves, for "does it still
   * look like a blur rather than a flat colour" */
  if (gst_video_frame_map (&orig_frame, info, buf, GST_MAP_READ)) {
    fa_gst_image_from_frame (&orig_frame, &orig);
    for (guint i = 0; i < ev->regions->len; i++) {
      const FaRect *r = &g_array_index (ev->regions, FaRect, i);

      ev->std_before += footprint_std (ev, &orig, r);
      ev->std_after += footprint_std (ev, &img, r);
    }
    gst_video_frame_unmap (&orig_frame);
  }

  if (ev->ref) {
    if (!reference_detect (ev, &img, error))
      goto out;
    for (guint i = 0; i < im->faces->len; i++) {
      GtFace *g = &g_array_index (im->faces, GtFace, i);

      g->score_after = eval_best_match (ev->ref_boxes, g);
      g->found_after = g->score_after > 0.0f;
    }
    ev->ref_in_mask_after += count_in_mask (ev,
        (const FaBox *) ev->ref_boxes->data, ev->ref_boxes->len, img.width,
        img.height);
  }
  ok = TRUE;

out:
  gst_video_frame_unmap (&frame);
  if (ok && ev->save_dir)
    ok = save_png (ev, copy, caps, index, im->path, error);
  gst_buffer_unref (copy);
  return ok;
}



/* Coverage of each annotated face, the falsely masked area and the
 * detections that match no face; returns the number of faces covered. */
static guint
score_faces (Eval * ev, EvalImage * im, gint width, gint height,
    const FaBox * faces, guint n_faces)
{
  gsize n_px = (gsize) width * height;
  guint n_covered = 0;

  memset (ev->canvas.truth, 0, n_px);

  /* Even a perfect detection masks the padding around the face box, so
   * the area outside the boxes padded as the element pads its detections
   * is what tells false or misplaced masks apart. */
  for (guint i = 0; i < im->faces->len; i++) {
    GtFace *g = &g_array_index (im->faces, GtFace, i);
    FaBox box = { g->x, g->y, g->w, g->h, 1.0f };
    FaRect r;

    if (!fa_mask_region (&box, ev->params.mask.scale, width, height, &r))
      continue;
    /* regions may reach past the frame, for the ellipse's sake */
    r.x0 = MAX (r.x0, 0);
    r.y0 = MAX (r.y0, 0);
    r.x1 = MIN (r.x1, width);
    r.y1 = MIN (r.y1, height);
    for (gint y = r.y0; y < r.y1; y++)
      memset (ev->canvas.truth + (gsize) y * width + r.x0, 2, r.x1 - r.x0);
  }

  for (guint i = 0; i < im->faces->len; i++) {
    GtFace *g = &g_array_index (im->faces, GtFace, i);
    FaRect r;
    guint64 under = 0;

    g->inside = eval_face_pixels (g, width, height, &r);
    if (!g->inside) {
      if (!ev->quiet)
        g_printerr ("faceanon-eval: warning: a face of '%s' (%g,%g %gx%g) "
            "lies outside the %dx%d image; it is not counted\n", im->path,
            g->x, g->y, g->w, g->h, width, height);
      continue;
    }
    for (gint y = r.y0; y < r.y1; y++) {
      guint8 *c = ev->canvas.canvas + (gsize) y * width;
      guint8 *t = ev->canvas.truth + (gsize) y * width;

      for (gint x = r.x0; x < r.x1; x++) {
        under += c[x] != 0;
        t[x] = 1;
      }
    }
    g->coverage = (gdouble) under / ((gdouble) (r.x1 - r.x0) * (r.y1 - r.y0));
    g->covered = g->coverage >= COVERED_FRACTION;
    n_covered += g->covered && !g->invalid;
  }
  for (gsize i = 0; i < n_px; i++) {
    ev->footprint_px += ev->canvas.canvas[i] != 0;
    ev->false_px += ev->canvas.canvas[i] != 0 && ev->canvas.truth[i] != 1;
    ev->far_px += ev->canvas.canvas[i] != 0 && ev->canvas.truth[i] == 0;
  }

  for (guint d = 0; d < n_faces; d++) {
    gboolean matched = FALSE;

    for (guint i = 0; i < im->faces->len && !matched; i++)
      matched =
          eval_box_matches (&faces[d], &g_array_index (im->faces, GtFace, i));
    ev->n_unmatched += !matched;
  }
  return n_covered;
}

static gboolean
eval_image (Eval * ev, EvalImage * im, guint index, GError ** error)
{
  GstSample *sample;
  GstBuffer *buf;
  GstCaps *caps;
  GstVideoInfo info;
  GstVideoFrame frame;
  FaImage img;
  const FaFrame still = {.still = TRUE };
  const FaRect *regions;
  const FaBox *faces;
  guint n_regions, n_faces, n_covered = 0;
  gint64 start;
  gdouble ms = 0.0, cpu_start;
  gboolean ok = FALSE;

  sample = fa_still_load (im->path, ev->format, 0, 0, error);
  if (sample == NULL)
    return FALSE;
  buf = gst_sample_get_buffer (sample);
  caps = gst_sample_get_caps (sample);
  if (buf == NULL || caps == NULL || !gst_video_info_from_caps (&info, caps)
      || !gst_video_frame_map (&frame, &info, buf, GST_MAP_READ)) {
    g_set_error (error, EVAL_ERROR, 0, "decoding '%s' gave no usable video "
        "frame", im->path);
    gst_sample_unref (sample);
    return FALSE;
  }
  fa_gst_image_from_frame (&frame, &img);

  /* The network's first run sets itself up; a stream pays that once, so
   * it is kept out of the per-image times. */
  if (index == 0 && !fa_anon_plan (ev->anon, &img, &still, &ev->params, NULL,
          error))
    goto out;

  /* the element's work on a frame, a still one: detect now, every scale */
  cpu_start = eval_cpu_ms ();
  start = g_get_monotonic_time ();
  if (!fa_anon_plan (ev->anon, &img, &still, &ev->params, NULL, error))
    goto out;
  ms = (g_get_monotonic_time () - start) / 1000.0;
  ev->cpu_ms += eval_cpu_ms () - cpu_start;
  g_array_append_val (ev->ms, ms);

  faces = fa_anon_get_faces (ev->anon, &n_faces);
  regions = fa_anon_get_regions (ev->anon, &n_regions);
  g_array_set_size (ev->regions, 0);
  g_array_append_vals (ev->regions, regions, n_regions);
  ev->n_detections += n_faces;

  eval_canvas_paint (&ev->canvas, img.width, img.height, &ev->params.mask,
      regions, n_regions);
  n_covered = score_faces (ev, im, img.width, img.height, faces, n_faces);

  if (ev->ref) {
    if (!reference_detect (ev, &img, error))
      goto out;
    for (guint i = 0; i < im->faces->len; i++) {
      GtFace *g = &g_array_index (im->faces, GtFace, i);

      g->score_before = eval_best_match (ev->ref_boxes, g);
      g->found_before = g->score_before > 0.0f;
    }
    ev->ref_in_mask_before += count_in_mask (ev,
        (const FaBox *) ev->ref_boxes->data, ev->ref_boxes->len, img.width,
        img.height);
  }
  ok = TRUE;

out:
  gst_video_frame_unmap (&frame);
  if (ok && (ev->ref || ev->save_dir))
    ok = mask_and_redetect (ev, im, index, buf, &info, caps, error);
  gst_sample_unref (sample);

  if (ok && !ev->quiet) {
    guint n_counted = 0;

    for (guint i = 0; i < im->faces->len; i++)
      n_counted += !g_array_index (im->faces, GtFace, i).invalid;
    g_printerr ("[%3u/%u] %s: %u faces, %u covered, %u detections, "
        "%.1f ms\n", index + 1, ev->images->len, im->path, n_counted,
        n_covered, n_faces, ms);
  }
  return ok;
}

static void
write_csv_rows (Eval * ev, EvalImage * im)
{
  for (guint i = 0; i < im->faces->len; i++) {
    GtFace *g = &g_array_index (im->faces, GtFace, i);

    if (!eval_counted (g))
      continue;
    fprintf (ev->csv_out, "%s,%g,%g,%g,%g,%s,%.4f,%d", im->path, g->x, g->y,
        g->w, g->h, g->flags, g->coverage, g->covered);
    if (ev->ref)
      fprintf (ev->csv_out, ",%d,%d,%.3f,%.3f", g->found_before,
          g->found_after, g->score_before, g->score_after);
    fputc ('\n', ev->csv_out);
  }
}

/* ---- the report ---- */






/* Prints the table and returns the overall coverage recall. */
static gdouble
report (Eval * ev, gboolean markdown)
{
  GArray *rows = eval_table_new ();
  guint n = 0, hit = 0, bn[N_BUCKETS] = { 0 }, bhit[N_BUCKETS] = { 0 };
  guint wn[3] = { 0 }, whit[3] = { 0 }, n_invalid = 0;
  guint ref_covered = 0, ref_before = 0, ref_after = 0, ref_new = 0;
  gdouble recall, mean = 0, median = 0;
  GArray *sorted;
  FaDetector *det = fa_anon_get_detector (ev->anon);

  for (guint i = 0; i < ev->images->len; i++) {
    EvalImage *im = g_ptr_array_index (ev->images, i);

    for (guint j = 0; j < im->faces->len; j++) {
      GtFace *g = &g_array_index (im->faces, GtFace, j);

      n_invalid += g->inside && g->invalid;
      if (!eval_counted (g))
        continue;
      n++;
      hit += g->covered;
      bn[g->bucket]++;
      bhit[g->bucket] += g->covered;
      for (guint k = 0; k < 3; k++) {
        if (g->wider & (1 << k)) {
          wn[k]++;
          whit[k] += g->covered;
        }
      }
      if (g->covered) {
        ref_covered++;
        ref_before += g->found_before;
        ref_after += g->found_after;
        ref_new += g->found_after && !g->found_before;
      }
    }
  }
  recall = n ? (gdouble) hit / n : 0.0;

  sorted = g_array_copy (ev->ms);
  g_array_sort (sorted, eval_compare_doubles);
  for (guint i = 0; i < sorted->len; i++)
    mean += g_array_index (sorted, gdouble, i) / sorted->len;
  if (sorted->len > 0)
    median = sorted->len % 2 ? g_array_index (sorted, gdouble,
        sorted->len / 2) : (g_array_index (sorted, gdouble,
            sorted->len / 2 - 1) + g_array_index (sorted, gdouble,
            sorted->len / 2)) / 2;
  g_array_unref (sorted);

  eval_table_add (rows, "model",
      g_strdup (fa_detector_get_family (det)->name),
      g_path_get_basename (ev->model_path));
  eval_table_add (rows, "settings", g_strdup (""), g_strdup_printf ("%s, on %s "
          "frames", ev->settings, gst_video_format_to_string (ev->format)));
  eval_table_add (rows, "images", g_strdup_printf ("%u", ev->images->len),
      NULL);
  eval_table_add (rows, "faces", g_strdup_printf ("%u", n),
      n_invalid ?
      g_strdup_printf ("and %u flagged invalid, left out as WIDER FACE's "
          "own evaluation leaves them", n_invalid) : NULL);
  eval_table_add (rows, "detections", g_strdup_printf ("%u", ev->n_detections),
      g_strdup_printf ("%u matching no annotated face", ev->n_unmatched));
  eval_table_add_recall (rows, "coverage recall", hit, n);
  for (guint b = 0; b < N_BUCKETS; b++)
    eval_table_add_recall (rows, eval_bucket_names[b], bhit[b], bn[b]);
  for (guint k = 0; k < 3; k++) {
    gchar *metric;

    if (wn[k] == 0)
      continue;
    metric = g_strdup_printf ("recall, WIDER %s", eval_wider_names[k]);
    eval_table_add_recall (rows, metric, whit[k], wn[k]);
    g_free (metric);
  }
  eval_table_add (rows, "falsely masked area", g_strdup_printf ("%.3f",
          ev->footprint_px ? (gdouble) ev->false_px / ev->footprint_px :
          0.0), g_strdup_printf ("of %" G_GUINT64_FORMAT " masked pixels "
          "lie outside every face box", ev->footprint_px));
  eval_table_add (rows, "masked area away from faces", g_strdup_printf ("%.3f",
          ev->footprint_px ? (gdouble) ev->far_px / ev->footprint_px :
          0.0), g_strdup_printf ("outside every face box scaled by "
          "mask-scale %g", ev->params.mask.scale));
  if (ev->std_before > 0.0)
    eval_table_add (rows, "texture left under the mask",
        g_strdup_printf ("%.3f", ev->std_after / ev->std_before),
        g_strdup ("luma std-dev inside "
            "each mask, masked / original: 0 is a flat colour, 1 untouched"));
  eval_table_add (rows, "detection ms, mean", g_strdup_printf ("%.1f", mean),
      g_strdup ("per image, after one warm-up run"));
  eval_table_add (rows, "detection ms, median", g_strdup_printf ("%.1f",
          median), NULL);
  eval_table_add (rows, "detection CPU ms, mean", g_strdup_printf ("%.1f",
          ev->ms->len ? ev->cpu_ms / ev->ms->len : 0.0),
      g_strdup ("per image, all threads: steadier than the above on a busy "
          "machine"));
  if (ev->ref) {
    gchar *size = ev->ref_size > 0 ? g_strdup_printf ("%d", ev->ref_size) :
        g_strdup ("full resolution");
    gchar *base = g_path_get_basename (ev->ref_path);

    eval_table_add (rows, "reference detector",
        g_strdup (fa_detector_get_family (ev->ref)->name),
        g_strdup_printf ("%s at %s, threshold %.2f",
            base, size, ev->ref_threshold));
    g_free (base);
    g_free (size);
    eval_table_add (rows, "faces still found after masking",
        g_strdup_printf ("%u of %u", ref_after, ref_before),
        ref_new ? g_strdup_printf ("(reference finds %u of the %u covered "
            "faces before masking; %u found only after)", ref_before,
            ref_covered, ref_new) :
        g_strdup_printf ("(reference finds %u of the %u covered faces "
            "before masking)", ref_before, ref_covered));
    eval_table_add (rows, "reference hits in masked area",
        g_strdup_printf ("%u", ev->ref_in_mask_after),
        g_strdup_printf ("detections centred under the mask, any face "
            "(before masking: %u)", ev->ref_in_mask_before));
  }

  eval_table_print (rows, markdown);
  eval_table_free (rows);
  return recall;
}

/* ---- options ---- */

static gchar *
describe_pspec (GParamSpec * pspec)
{
  /* the element's own words suit these two less well than a short note */
  if (G_IS_PARAM_SPEC_STRING (pspec))
    return g_strdup ("Face detector model file, as the element's 'model' "
        "(default: the best model installed, as the element finds it)");
  if (strcmp (pspec->name, "color") == 0)
    return g_strdup_printf ("%s (default 0x%06x)",
        g_param_spec_get_blurb (pspec),
        G_PARAM_SPEC_UINT (pspec)->default_value);
  return fa_option_describe (pspec);
}

/* FaAnonParams from the element's properties, as the element fills them
 * at the start of each frame. */
static void
params_from_element (GstElement * element, FaAnonParams * params,
    guint n_props, gchar ** settings)
{
  GString *s = g_string_new ("faceanon");

  gst_face_anon_get_params (GST_FACE_ANON (element), params);

  /* in gst-launch syntax, so a measured setting can be pasted */
  for (guint i = 1; i < n_props; i++) {
    GValue v = G_VALUE_INIT;
    gchar *str;

    g_value_init (&v, g_object_class_find_property (G_OBJECT_GET_CLASS
            (element), element_props[i])->value_type);
    g_object_get_property (G_OBJECT (element), element_props[i], &v);
    if (strcmp (element_props[i], "color") == 0)
      str = g_strdup_printf ("0x%06x", g_value_get_uint (&v));
    else
      str = fa_option_value_string (&v);
    g_string_append_printf (s, " %s=%s", element_props[i], str);
    g_free (str);
    g_value_unset (&v);
  }
  *settings = g_string_free (s, FALSE);
}

static const gchar description[] =
    "Each CSV holds annotated faces, 'image,x,y,w,h,flags' with a header "
    "row;\nimage paths are relative to the CSV's folder unless absolute.\n"
    "\n"
    "Faces flagged 'invalid' (WIDER FACE's) are left out of recall, as\n"
    "WIDER FACE's own evaluation leaves them out; a mask over one is not\n"
    "a false mask.\n"
    "\n"
    "A face counts as covered when at least 80% of its box lies under the\n"
    "mask the element would paint (box or ellipse). --redetect masks each\n"
    "image as the element does and runs a reference detector on it: a\n"
    "strong mask leaves no covered face to be found again.\n"
    "\n"
    "Exit status: 0 on success, 1 when the coverage recall is below\n"
    "--min-recall, 2 on a bad option, an unreadable CSV or image, or a\n"
    "detector failure.\n";

/* The options that are not element properties. */
static gchar *format_arg, *redetect, *csv_out, *save_dir;
static gdouble redetect_threshold = 0.5, min_recall = -1.0;
static gint redetect_size;
static gboolean quiet, markdown, pan, no_reference;
static gint pan_frames = 75;
static gchar *pan_size;
static gchar **csvs;

static GOptionEntry eval_entries[] = {
  {"format", 0, 0, G_OPTION_ARG_STRING, &format_arg,
      "Video format each image is decoded to before processing, as a "
        "decoder would deliver it (default I420)", "FORMAT"},
  {"redetect", 0, 0, G_OPTION_ARG_FILENAME, &redetect,
      "Mask strength: mask each image, then count the covered faces this "
        "reference detector still finds", "MODEL"},
  {"redetect-threshold", 0, 0, G_OPTION_ARG_DOUBLE, &redetect_threshold,
      "Confidence threshold of the reference detector (default 0.5)", "X"},
  {"redetect-size", 0, 0, G_OPTION_ARG_INT, &redetect_size,
      "Longest side the reference detector works at (default 0: the "
        "image's own, full resolution)", "PIXELS"},
  {"csv-out", 0, 0, G_OPTION_ARG_FILENAME, &csv_out,
      "Write one row per annotated face: coverage, covered and, with "
        "--redetect, found before/after masking", "FILE"},
  {"save-masked", 0, 0, G_OPTION_ARG_FILENAME, &save_dir,
      "Write each image, masked as the element would, as PNG into this "
        "existing folder", "DIR"},
  {"min-recall", 0, 0, G_OPTION_ARG_DOUBLE, &min_recall,
        "Exit with status 1 when the overall coverage recall is below X",
      "X"},
  {"markdown", 0, 0, G_OPTION_ARG_NONE, &markdown,
      "Print the results as a Markdown table", NULL},
  {"pan", 0, 0, G_OPTION_ARG_NONE, &pan,
      "Video with ground truth: pan a window across mosaics of the photos "
        "and measure each frame of the element's video work (tracking, "
        "tiles spread over frames) against every tile at full resolution "
        "on every frame", NULL},
  {"pan-frames", 0, 0, G_OPTION_ARG_INT, &pan_frames,
      "--pan: frames a clip (default 75: 2.5 s at 30 fps)", "N"},
  {"no-reference", 0, 0, G_OPTION_ARG_NONE, &no_reference,
      "--pan: skip the reference run (for a sweep of settings against a "
        "reference measured once)", NULL},
  {"pan-size", 0, 0, G_OPTION_ARG_STRING, &pan_size,
      "--pan: the window, the frames' size (default 1920x1080)", "WxH"},
  {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      "No per-image progress or warnings on stderr", NULL},
  {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &csvs, NULL,
      "CSV..."},
  {NULL}
};

int
main (int argc, char **argv)
{
  FaPropOptions *props;
  const gchar *model;
  GOptionContext *ctx;
  GObjectClass *klass;
  GstElement *element = NULL;
  GHashTable *by_path = NULL;
  GError *err = NULL;
  Eval ev = { 0 };
  gdouble recall;
  gint ret = EXIT_ERROR;

  gst_init (&argc, &argv);
  klass = g_type_class_ref (GST_TYPE_FACE_ANON);

  props = fa_prop_options_new (klass, element_props, N_ELEMENT_PROPS,
      describe_pspec);
  fa_prop_options_set_arg_description (props, "model", "PATH");

  ctx = g_option_context_new ("- measure how well faceanon hides "
      "annotated faces");
  g_option_context_set_description (ctx, description);
  g_option_context_add_main_entries (ctx,
      fa_prop_options_get_entries (props), NULL);
  g_option_context_add_main_entries (ctx, eval_entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &err))
    goto bad_option;

  if (csvs == NULL || csvs[0] == NULL) {
    g_set_error (&err, EVAL_ERROR, 0, "no annotation CSV given: pass one or "
        "more files such as data/faces/widerface-dev/boxes.csv");
    goto bad_option;
  }
  if (!(redetect_threshold > 0.0 && redetect_threshold <= 1.0)) {
    g_set_error (&err, EVAL_ERROR, 0, "--redetect-threshold %g is not in "
        "(0, 1]", redetect_threshold);
    goto bad_option;
  }
  if (redetect_size != 0 && redetect_size < 32) {
    g_set_error (&err, EVAL_ERROR, 0, "--redetect-size %d is too small: "
        "give 0 (full resolution) or at least 32", redetect_size);
    goto bad_option;
  }
  if (min_recall > 1.0) {
    g_set_error (&err, EVAL_ERROR, 0, "--min-recall %g can never be met: "
        "recall is at most 1", min_recall);
    goto bad_option;
  }
  ev.format = GST_VIDEO_FORMAT_I420;
  if (format_arg) {
    ev.format = gst_video_format_from_string (format_arg);
    if (!fa_gst_format_supported (ev.format)) {
      g_set_error (&err, EVAL_ERROR, 0, "--format %s is not a format the "
          "element takes: use one of %s", format_arg, FA_GST_FORMATS);
      goto bad_option;
    }
  }
  if (save_dir && !g_file_test (save_dir, G_FILE_TEST_IS_DIR)) {
    g_set_error (&err, EVAL_ERROR, 0, "--save-masked %s is not a folder: "
        "create it first", save_dir);
    goto bad_option;
  }

  element = gst_object_ref_sink (g_object_new (GST_TYPE_FACE_ANON, NULL));
  for (guint i = 1; i < N_ELEMENT_PROPS; i++)
    if (!fa_prop_options_set (props, element, element_props[i], &err))
      goto bad_option;
  params_from_element (element, &ev.params, pan ? N_ELEMENT_PROPS :
      N_STILL_PROPS, &ev.settings);
  if (ev.params.mask.method == FA_METHOD_DRAW) {
    g_set_error (&err, EVAL_ERROR, 0, "--method draw outlines faces instead "
        "of hiding them: there is no mask to evaluate. Choose gaussian, "
        "pixelate or solid");
    goto bad_option;
  }

  model = fa_prop_options_get_value (props, "model");
  if (model && *model)
    ev.model_path = g_strdup (model);
  else if (!(ev.model_path = fa_model_find_default (&err)))
    goto no_model;

  ev.images = g_ptr_array_new_with_free_func (eval_image_free);
  by_path = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; csvs[i]; i++)
    if (!eval_load_csv (csvs[i], ev.images, by_path, &err))
      goto failed;
  for (guint i = 0; i < ev.images->len; i++) {
    EvalImage *im = g_ptr_array_index (ev.images, i);

    if (!g_file_test (im->path, G_FILE_TEST_IS_REGULAR)) {
      g_set_error (&err, EVAL_ERROR, 0, "image '%s' (%s line %u) does not "
          "exist: correct the path in the CSV (a relative path is read from "
          "the CSV's folder) or install what provides the file", im->path,
          im->csv, im->line);
      goto failed;
    }
  }

  if (pan) {
    EvalPanSettings set = { 1920, 1080, (guint) pan_frames, 30, 1, 1,
      !no_reference, 0
    };

    if (pan_size && (sscanf (pan_size, "%dx%d", &set.width, &set.height) != 2
            || set.width < 64 || set.height < 64 || set.width % 2
            || set.height % 2)) {
      g_set_error (&err, EVAL_ERROR, 0, "--pan-size %s is not WIDTHxHEIGHT "
          "with even sides of 64 or more", pan_size);
      goto bad_option;
    }
    if (pan_frames < 2) {
      g_set_error (&err, EVAL_ERROR, 0, "--pan-frames %d: a clip needs 2 "
          "frames or more", pan_frames);
      goto bad_option;
    }
    g_object_get (element, "detect-interval", &set.detect_interval,
        "lookahead", &set.lookahead, NULL);
    /* the pan clips are files: what the element holds for them */
    if (set.lookahead < 0)
      set.lookahead = GST_FACE_ANON_DEFAULT_LOOKAHEAD;
    if (!eval_pan (ev.images, ev.model_path, &ev.params, ev.settings, &set,
            markdown, &err))
      goto failed;
    ret = EXIT_SUCCESS;
    goto out;
  }

  ev.anon = fa_anon_new (ev.model_path, &err);
  if (ev.anon == NULL) {
    g_prefix_error (&err, "--model: ");
    goto failed;
  }
  if (redetect) {
    ev.ref = fa_detector_new (redetect, &err);
    if (ev.ref == NULL) {
      g_prefix_error (&err, "--redetect: ");
      goto failed;
    }
    ev.ref_path = g_strdup (redetect);
    ev.ref_threshold = redetect_threshold;
    ev.ref_size = redetect_size;
  }
  if (csv_out) {
    ev.csv_out = g_fopen (csv_out, "w");
    if (ev.csv_out == NULL) {
      g_set_error (&err, EVAL_ERROR, 0, "cannot write --csv-out '%s': %s",
          csv_out, g_strerror (errno));
      goto failed;
    }
    fprintf (ev.csv_out, "image,x,y,w,h,flags,coverage,covered%s\n",
        ev.ref ? ",found_before,found_after,score_before,score_after" : "");
  }
  ev.save_dir = save_dir;
  ev.quiet = quiet;
  eval_canvas_init (&ev.canvas);
  ev.regions = g_array_new (FALSE, FALSE, sizeof (FaRect));
  ev.ref_boxes = g_array_new (FALSE, FALSE, sizeof (FaBox));
  ev.ms = g_array_new (FALSE, FALSE, sizeof (gdouble));

  for (guint i = 0; i < ev.images->len; i++) {
    EvalImage *im = g_ptr_array_index (ev.images, i);

    if (!eval_image (&ev, im, i, &err))
      goto failed;
    if (ev.csv_out)
      write_csv_rows (&ev, im);
  }
  recall = report (&ev, markdown);
  ret = EXIT_SUCCESS;
  if (min_recall >= 0.0 && recall < min_recall) {
    g_printerr ("faceanon-eval: coverage recall %.3f is below --min-recall "
        "%g\n", recall, min_recall);
    ret = EXIT_BELOW_MIN_RECALL;
  }

out:
  if (ev.csv_out && fclose (ev.csv_out) != 0) {
    g_printerr ("faceanon-eval: cannot write --csv-out '%s': %s\n", csv_out,
        g_strerror (errno));
    ret = EXIT_ERROR;
  }
  fa_anon_free (ev.anon);
  fa_detector_free (ev.ref);
  eval_canvas_clear (&ev.canvas);
  if (ev.images)
    g_ptr_array_unref (ev.images);
  if (by_path)
    g_hash_table_unref (by_path);
  if (ev.regions)
    g_array_unref (ev.regions);
  if (ev.ref_boxes)
    g_array_unref (ev.ref_boxes);
  if (ev.ms)
    g_array_unref (ev.ms);
  g_free (ev.settings);
  g_free (ev.model_path);
  g_free (ev.ref_path);
  fa_prop_options_free (props);
  g_free (format_arg);
  g_free (redetect);
  g_free (csv_out);
  g_free (save_dir);
  g_free (pan_size);
  g_strfreev (csvs);
  g_option_context_free (ctx);
  if (element)
    gst_object_unref (element);
  g_type_class_unref (klass);
  gst_deinit ();
  return ret;

  /* ERRORS */
bad_option:
  {
    g_printerr ("faceanon-eval: %s\nRun 'faceanon-eval --help' for the "
        "options.\n", err->message);
    g_clear_error (&err);
    goto out;
  }
no_model:
  {
    g_printerr ("faceanon-eval: %s; or pass --model PATH\n", err->message);
    g_clear_error (&err);
    goto out;
  }
failed:
  {
    g_printerr ("faceanon-eval: %s\n", err->message);
    g_clear_error (&err);
    goto out;
  }
}
