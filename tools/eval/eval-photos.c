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

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "eval-photos.h"
#include "fa-gst.h"
#include "fa-still.h"

#include <glib/gstdio.h>
#include <errno.h>
#include <math.h>
#include <string.h>











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

gboolean
eval_photo (Eval * ev, EvalImage * im, guint index, GError ** error)
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

void
eval_photo_write_csv (Eval * ev, EvalImage * im)
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
gdouble
eval_photos_report (Eval * ev, gboolean markdown)
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
