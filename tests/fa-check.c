/* GStreamer faceanon test helpers
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

#include <math.h>
#include <string.h>

#include "fa-check.h"

GstSample *
load_still (const gchar * path, GstVideoFormat format, gint width, gint height)
{
  GError *err = NULL;
  GstSample *sample;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    fail ("test photo '%s' is missing: install the Debian package that "
        "ships it", path);
  sample = fa_still_load (path, format, width, height, &err);
  fail_unless (sample != NULL, "cannot load '%s': %s", path,
      err ? err->message : "?");

  /* The converters leave row padding unwritten, and the tests compare
   * every byte: a copy in which every byte has a value (else valgrind
   * rightly reports the comparison of uninitialised padding). */
  {
    GstBuffer *orig = gst_sample_get_buffer (sample), *buf;
    GstVideoFrame from, to;
    GstVideoInfo info;
    GstSample *copy;

    fail_unless (gst_video_info_from_caps (&info,
            gst_sample_get_caps (sample)));
    buf = gst_buffer_new_allocate (NULL, info.size, NULL);
    gst_buffer_memset (buf, 0, 0, info.size);
    fail_unless (gst_video_frame_map (&from, &info, orig, GST_MAP_READ));
    fail_unless (gst_video_frame_map (&to, &info, buf, GST_MAP_WRITE));
    fail_unless (gst_video_frame_copy (&to, &from));
    gst_video_frame_unmap (&to);
    gst_video_frame_unmap (&from);
    gst_buffer_copy_into (buf, orig, GST_BUFFER_COPY_FLAGS |
        GST_BUFFER_COPY_TIMESTAMPS, 0, -1);
    copy = gst_sample_new (buf, gst_sample_get_caps (sample),
        gst_sample_get_segment (sample), NULL);
    gst_buffer_unref (buf);
    gst_sample_unref (sample);
    sample = copy;
  }
  return sample;
}

GPtrArray *
load_clip (const gchar * path, GstVideoFormat format, guint n_frames)
{
  GPtrArray *frames = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_sample_unref);
  GstElement *pipeline, *sink;
  GError *err = NULL;
  gchar *launch;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    fail ("test clip '%s' is missing: install the Debian package that "
        "ships it", path);
  /* a short queue, so that the rest of the clip is not decoded */
  launch = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! "
      "videoconvert ! video/x-raw,format=%s ! appsink name=sink sync=false "
      "max-buffers=2 drop=false", path, gst_video_format_to_string (format));
  pipeline = gst_parse_launch (launch, &err);
  fail_unless (pipeline != NULL, "%s", err ? err->message : "?");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE, "cannot decode '%s'", path);
  while (frames->len < n_frames) {
    GstSample *sample = NULL;

    g_signal_emit_by_name (sink, "pull-sample", &sample);
    fail_unless (sample != NULL, "'%s' has only %u frames, or could not be "
        "decoded", path, frames->len);
    fail_unless (GST_BUFFER_PTS_IS_VALID (gst_sample_get_buffer (sample)));
    g_ptr_array_add (frames, sample);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_free (launch);
  return frames;
}

void
info_from_sample (GstSample * sample, GstVideoInfo * info)
{
  fail_unless (gst_video_info_from_caps (info, gst_sample_get_caps (sample)));
}

/* A harness around a fresh faceanon with the given properties set before
 * it starts. */
GstHarness *
anon_harness_new (GstCaps * caps, const gchar * first_prop, ...)
{
  GstElement *anon = gst_element_factory_make ("faceanon", NULL);
  GstHarness *h;
  va_list args;

  fail_unless (anon != NULL, "faceanon is not in GST_PLUGIN_PATH");
  /* each frame goes out before the next comes in, as these tests pull
   * them: no look-ahead unless the test asks for one */
  g_object_set (anon, "lookahead", (gint64) 0, NULL);
  va_start (args, first_prop);
  if (first_prop)
    g_object_set_valist (G_OBJECT (anon), first_prop, args);
  va_end (args);

  h = gst_harness_new_with_element (anon, "sink", "src");
  gst_object_unref (anon);
  /* a harness calls itself live unless told; these tests feed frames the
   * way a file does, each detected before it leaves */
  gst_harness_set_live (h, FALSE);
  gst_harness_set_src_caps (h, gst_caps_ref (caps));
  return h;
}

/* Runs a copy of @in through @h; the output must have left the element. */
GstBuffer *
anon_push (GstHarness * h, GstBuffer * in)
{
  GstBuffer *out;

  out = gst_harness_push_and_pull (h, gst_buffer_copy_deep (in));
  fail_unless (out != NULL);
  return out;
}

GstBuffer *
copy_at (GstBuffer * buf, GstClockTime pts)
{
  GstBuffer *copy = gst_buffer_copy_deep (buf);

  GST_BUFFER_PTS (copy) = pts;
  GST_BUFFER_DTS (copy) = GST_CLOCK_TIME_NONE;
  return copy;
}

void
paint_rect (const GstVideoInfo * info, GstBuffer * buf, const Rect * r,
    guint32 rgb)
{
  const GstVideoFormatInfo *finfo = info->finfo;
  guint n_colour = GST_VIDEO_FORMAT_INFO_IS_GRAY (finfo) ? 1 : 3;
  GstVideoInfo rgb_info, tile_info;
  GstBuffer *rgb_buf, *tile_buf;
  GstVideoFrame src, dst, frame;
  GstVideoConverter *conv;
  GstMapInfo map;
  guint8 value[3];

  /* the colour in the frame's own format and colorimetry: a flat tile of
   * it, through the converter videoconvert uses */
  gst_video_info_set_format (&rgb_info, GST_VIDEO_FORMAT_RGB, 8, 8);
  gst_video_info_set_format (&tile_info, GST_VIDEO_INFO_FORMAT (info), 8, 8);
  tile_info.colorimetry = info->colorimetry;
  GST_VIDEO_INFO_FPS_N (&rgb_info) = GST_VIDEO_INFO_FPS_N (&tile_info) =
      GST_VIDEO_INFO_FPS_N (info);
  GST_VIDEO_INFO_FPS_D (&rgb_info) = GST_VIDEO_INFO_FPS_D (&tile_info) =
      GST_VIDEO_INFO_FPS_D (info);
  rgb_buf = gst_buffer_new_allocate (NULL, rgb_info.size, NULL);
  tile_buf = gst_buffer_new_allocate (NULL, tile_info.size, NULL);
  fail_unless (gst_buffer_map (rgb_buf, &map, GST_MAP_WRITE));
  for (gsize i = 0; i + 2 < map.size; i += 3) {
    map.data[i] = rgb >> 16;
    map.data[i + 1] = (rgb >> 8) & 0xff;
    map.data[i + 2] = rgb & 0xff;
  }
  gst_buffer_unmap (rgb_buf, &map);
  fail_unless (gst_video_frame_map (&src, &rgb_info, rgb_buf, GST_MAP_READ));
  fail_unless (gst_video_frame_map (&dst, &tile_info, tile_buf, GST_MAP_WRITE));
  conv = gst_video_converter_new (&rgb_info, &tile_info, NULL);
  fail_unless (conv != NULL);
  gst_video_converter_frame (conv, &src, &dst);
  gst_video_converter_free (conv);
  for (guint c = 0; c < n_colour; c++)
    value[c] = *(guint8 *) GST_VIDEO_FRAME_COMP_DATA (&dst, c);
  gst_video_frame_unmap (&src);
  gst_video_frame_unmap (&dst);
  gst_buffer_unref (rgb_buf);
  gst_buffer_unref (tile_buf);

  fail_unless (gst_video_frame_map (&frame, info, buf, GST_MAP_WRITE));
  for (guint c = 0; c < n_colour; c++) {
    gint ws = GST_VIDEO_FORMAT_INFO_W_SUB (finfo, c);
    gint hs = GST_VIDEO_FORMAT_INFO_H_SUB (finfo, c);
    guint8 *data = GST_VIDEO_FRAME_COMP_DATA (&frame, c);
    gint stride = GST_VIDEO_FRAME_COMP_STRIDE (&frame, c);
    gint pstride = GST_VIDEO_FRAME_COMP_PSTRIDE (&frame, c);
    gint x0 = MAX (r->x, 0) >> ws, y0 = MAX (r->y, 0) >> hs;
    gint x1 = MIN ((r->x + r->w + (1 << ws) - 1) >> ws,
        GST_VIDEO_FRAME_COMP_WIDTH (&frame, c));
    gint y1 = MIN ((r->y + r->h + (1 << hs) - 1) >> hs,
        GST_VIDEO_FRAME_COMP_HEIGHT (&frame, c));

    for (gint y = y0; y < y1; y++)
      for (gint x = x0; x < x1; x++)
        data[(gsize) y * stride + (gsize) x * pstride] = value[c];
  }
  gst_video_frame_unmap (&frame);
}

GArray *
faces_of (GstBuffer * buf)
{
  GArray *faces = g_array_new (FALSE, FALSE, sizeof (Face));
  GstVideoRegionOfInterestMeta *meta;
  gpointer state = NULL;

  while ((meta = (GstVideoRegionOfInterestMeta *)
          gst_buffer_iterate_meta_filtered (buf, &state,
              GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    GstStructure *s;
    Face f;

    fail_unless_equals_string (g_quark_to_string (meta->roi_type), "face");
    s = gst_video_region_of_interest_meta_get_param (meta, "detection");
    fail_unless (s != NULL, "face meta without a detection structure");
    fail_unless (gst_structure_get_double (s, "confidence", &f.confidence));
    f.box.x = meta->x;
    f.box.y = meta->y;
    f.box.w = meta->w;
    f.box.h = meta->h;
    f.id = meta->id;
    g_array_append_val (faces, f);
  }
  return faces;
}

gdouble
rect_iou (const Rect * a, const Rect * b)
{
  gint ix = MIN (a->x + a->w, b->x + b->w) - MAX (a->x, b->x);
  gint iy = MIN (a->y + a->h, b->y + b->h) - MAX (a->y, b->y);
  gdouble inter;

  if (ix <= 0 || iy <= 0)
    return 0.0;
  inter = (gdouble) (ix * iy);
  return inter / ((gdouble) a->w * a->h + (gdouble) b->w * b->h - inter);
}

/* The face meta that best matches @known, or NULL. */
const Face *
best_match (GArray * faces, const Rect * known, gdouble * iou)
{
  const Face *best = NULL;

  *iou = 0.0;
  for (guint i = 0; i < faces->len; i++) {
    const Face *f = &g_array_index (faces, Face, i);
    gdouble v = rect_iou (&f->box, known);

    if (v > *iou) {
      *iou = v;
      best = f;
    }
  }
  return best;
}

Rect
rect_scale (const Rect * r, gdouble scale, gint width, gint height)
{
  gdouble cx = r->x + r->w / 2.0, cy = r->y + r->h / 2.0;
  gint x0 = MAX ((gint) floor (cx - r->w * scale / 2.0), 0);
  gint y0 = MAX ((gint) floor (cy - r->h * scale / 2.0), 0);
  gint x1 = MIN ((gint) ceil (cx + r->w * scale / 2.0), width);
  gint y1 = MIN ((gint) ceil (cy + r->h * scale / 2.0), height);
  Rect s = { x0, y0, MAX (x1 - x0, 0), MAX (y1 - y0, 0) };

  return s;
}

/* The area a face meta's mask may cover: the box scaled about its centre,
 * plus the rounding slack, as [x0, x1) x [y0, y1). */
Rect
padded_mask (const Rect * box, gdouble scale)
{
  gdouble cx = box->x + box->w / 2.0, cy = box->y + box->h / 2.0;
  gdouble hw = box->w * scale / 2.0 + MASK_SLACK;
  gdouble hh = box->h * scale / 2.0 + MASK_SLACK;
  Rect r;

  r.x = (gint) floor (cx - hw);
  r.y = (gint) floor (cy - hh);
  r.w = (gint) ceil (cx + hw) - r.x;
  r.h = (gint) ceil (cy + hh) - r.y;
  return r;
}

GArray *
padded_masks (GArray * faces, gdouble scale)
{
  GArray *rects = g_array_new (FALSE, FALSE, sizeof (Rect));

  for (guint i = 0; i < faces->len; i++) {
    Rect r = padded_mask (&g_array_index (faces, Face, i).box, scale);

    g_array_append_val (rects, r);
  }
  return rects;
}

gboolean
footprint_hits (GArray * rects, gint x0, gint y0, gint x1, gint y1)
{
  for (guint i = 0; i < rects->len; i++) {
    const Rect *r = &g_array_index (rects, Rect, i);

    if (x0 < r->x + r->w && r->x < x1 && y0 < r->y + r->h && r->y < y1)
      return TRUE;
  }
  return FALSE;
}

/* Every byte of @out that is not a colour sample inside one of @rects is
 * the byte of @in: samples outside the masks, alpha and padding bytes of
 * packed pixels, row padding and gaps between planes. Returns the number
 * of bytes compared. */
gsize
assert_only_masks_changed (const GstVideoInfo * info, GstBuffer * in,
    GstBuffer * out, GArray * rects)
{
  const GstVideoFormatInfo *finfo = info->finfo;
  guint n_colour = GST_VIDEO_FORMAT_INFO_IS_GRAY (finfo) ? 1 : 3;
  GstMapInfo im, om;
  guint8 *may_change;
  gsize compared = 0;

  fail_unless (gst_buffer_map (in, &im, GST_MAP_READ));
  fail_unless (gst_buffer_map (out, &om, GST_MAP_READ));
  fail_unless_equals_uint64 (im.size, om.size);
  may_change = g_malloc0 (im.size);

  for (guint c = 0; c < n_colour; c++) {
    gint ws = GST_VIDEO_FORMAT_INFO_W_SUB (finfo, c);
    gint hs = GST_VIDEO_FORMAT_INFO_H_SUB (finfo, c);
    gint plane = GST_VIDEO_INFO_COMP_PLANE (info, c);
    gsize base = GST_VIDEO_INFO_PLANE_OFFSET (info, plane) +
        GST_VIDEO_INFO_COMP_POFFSET (info, c);
    gint stride = GST_VIDEO_INFO_PLANE_STRIDE (info, plane);
    gint pstride = GST_VIDEO_INFO_COMP_PSTRIDE (info, c);

    for (gint y = 0; y < GST_VIDEO_INFO_COMP_HEIGHT (info, c); y++)
      for (gint x = 0; x < GST_VIDEO_INFO_COMP_WIDTH (info, c); x++)
        if (footprint_hits (rects, x << ws, y << hs, (x + 1) << ws,
                (y + 1) << hs))
          may_change[base + (gsize) y * stride + (gsize) x * pstride] = 1;
  }

  for (gsize i = 0; i < im.size; i++) {
    if (may_change[i])
      continue;
    if (im.data[i] != om.data[i])
      fail ("%s %dx%d: byte %" G_GSIZE_FORMAT " (outside every mask, or "
          "not a colour sample) changed from %u to %u",
          GST_VIDEO_INFO_NAME (info), GST_VIDEO_INFO_WIDTH (info),
          GST_VIDEO_INFO_HEIGHT (info), i, im.data[i], om.data[i]);
    compared++;
  }

  g_free (may_change);
  gst_buffer_unmap (in, &im);
  gst_buffer_unmap (out, &om);
  return compared;
}

/* @buf as packed 8-bit RGB, width * 3 bytes a row, through the same
 * GstVideoConverter as videoconvert. */
guint8 *
to_rgb (const GstVideoInfo * info, GstBuffer * buf)
{
  gint w = GST_VIDEO_INFO_WIDTH (info), h = GST_VIDEO_INFO_HEIGHT (info);
  GstVideoInfo rgb_info;
  GstVideoFrame src, dst;
  GstBuffer *rgb_buf;
  GstVideoConverter *conv;
  guint8 *rgb = g_malloc ((gsize) w * h * 3);

  gst_video_info_set_format (&rgb_info, GST_VIDEO_FORMAT_RGB, w, h);
  GST_VIDEO_INFO_FPS_N (&rgb_info) = GST_VIDEO_INFO_FPS_N (info);
  GST_VIDEO_INFO_FPS_D (&rgb_info) = GST_VIDEO_INFO_FPS_D (info);
  rgb_buf = gst_buffer_new_allocate (NULL, rgb_info.size, NULL);
  fail_unless (gst_video_frame_map (&src, info, buf, GST_MAP_READ));
  fail_unless (gst_video_frame_map (&dst, &rgb_info, rgb_buf, GST_MAP_WRITE));
  conv = gst_video_converter_new ((GstVideoInfo *) info, &rgb_info, NULL);
  fail_unless (conv != NULL);
  gst_video_converter_frame (conv, &src, &dst);
  gst_video_converter_free (conv);
  for (gint y = 0; y < h; y++)
    memcpy (rgb + (gsize) y * w * 3, (guint8 *) GST_VIDEO_FRAME_PLANE_DATA
        (&dst, 0) + (gsize) y * GST_VIDEO_FRAME_PLANE_STRIDE (&dst, 0),
        (gsize) w * 3);
  gst_video_frame_unmap (&src);
  gst_video_frame_unmap (&dst);
  gst_buffer_unref (rgb_buf);
  return rgb;
}

gboolean
same_rgb (const GstVideoInfo * info, GstBuffer * buf, const guint8 * rgb)
{
  guint8 *now = to_rgb (info, buf);
  gboolean same = memcmp (now, rgb, (gsize) GST_VIDEO_INFO_WIDTH (info) * 3 *
      GST_VIDEO_INFO_HEIGHT (info)) == 0;

  g_free (now);
  return same;
}


/* Detail in @r: the mean squared difference between neighbouring pixels. */
gdouble
detail_energy (const guint8 * rgb, gint w, const Rect * r)
{
  gdouble sum = 0.0;
  gsize n = 0;

  for (gint y = r->y; y < r->y + r->h - 1; y++) {
    for (gint x = r->x; x < r->x + r->w - 1; x++) {
      gdouble v = rgb_luma (rgb, w, x, y);
      gdouble dx = rgb_luma (rgb, w, x + 1, y) - v;
      gdouble dy = rgb_luma (rgb, w, x, y + 1) - v;

      sum += dx * dx + dy * dy;
      n++;
    }
  }
  return sum / MAX (n, 1);
}

gdouble
mean_abs_diff (const guint8 * a, const guint8 * b, gint w, const Rect * r)
{
  gdouble sum = 0.0;

  for (gint y = r->y; y < r->y + r->h; y++)
    for (gint x = r->x; x < r->x + r->w; x++)
      for (gint k = 0; k < 3; k++) {
        gsize i = 3 * ((gsize) y * w + x) + k;
        sum += ABS ((gint) a[i] - (gint) b[i]);
      }
  return sum / (3.0 * r->w * r->h);
}

gdouble
changed_fraction (const guint8 * a, const guint8 * b, gint w, const Rect * r,
    gint threshold)
{
  gsize changed = 0;

  for (gint y = r->y; y < r->y + r->h; y++)
    for (gint x = r->x; x < r->x + r->w; x++) {
      const guint8 *p = a + 3 * ((gsize) y * w + x);
      const guint8 *q = b + 3 * ((gsize) y * w + x);

      if (ABS (p[0] - q[0]) > threshold || ABS (p[1] - q[1]) > threshold
          || ABS (p[2] - q[2]) > threshold)
        changed++;
    }
  return (gdouble) changed / MAX ((gsize) r->w * r->h, 1);
}

Footprint
footprint (const guint8 * a, const guint8 * b, gint w, gint h, gint threshold,
    gboolean luma_only)
{
  Footprint f = { w, h, 0, 0, 0 };

  for (gint y = 0; y < h; y++) {
    for (gint x = 0; x < w; x++) {
      const guint8 *p = a + 3 * ((gsize) y * w + x);
      const guint8 *q = b + 3 * ((gsize) y * w + x);

      gboolean changed;

      if (luma_only)
        changed = fabs (rgb_luma (a, w, x, y) - rgb_luma (b, w, x, y)) >
            threshold;
      else
        changed = ABS (p[0] - q[0]) > threshold
            || ABS (p[1] - q[1]) > threshold || ABS (p[2] - q[2]) > threshold;
      if (changed) {
        f.x0 = MIN (f.x0, x);
        f.y0 = MIN (f.y0, y);
        f.x1 = MAX (f.x1, x + 1);
        f.y1 = MAX (f.y1, y + 1);
        f.area++;
      }
    }
  }
  return f;
}

/* A detector of its own, never fault-injected: the faces in @buf at @size
 * and @threshold. */
GArray *
detect_faces (const GstVideoInfo * info, GstBuffer * buf, const gchar * model,
    gint size, gfloat threshold)
{
  GError *err = NULL;
  gchar *path = model ? g_strdup (model) : fa_model_find_default (&err);
  FaDetector *det;
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (FaBox));
  gchar *faults = g_strdup (g_getenv ("FACEANON_INJECT_FAULTS"));
  GstVideoFrame frame;
  FaImage img;

  fail_unless (path != NULL, "%s", err ? err->message : "?");
  /* the referee must not fail where the element under test is made to */
  g_unsetenv ("FACEANON_INJECT_FAULTS");
  det = fa_detector_new (path, &err);
  if (faults)
    g_setenv ("FACEANON_INJECT_FAULTS", faults, TRUE);
  g_free (faults);
  fail_unless (det != NULL, "%s", err ? err->message : "?");
  fail_unless (gst_video_frame_map (&frame, info, buf, GST_MAP_READ));
  fa_gst_image_from_frame (&frame, &img);
  fail_unless (fa_detector_detect (det, &img, size, threshold, boxes, &err),
      "%s", err ? err->message : "?");
  gst_video_frame_unmap (&frame);
  fa_detector_free (det);
  g_free (path);
  return boxes;
}

/* How many of @boxes overlap @known at all; their best score in @score. */
guint
count_at (GArray * boxes, const Rect * known, gfloat * score)
{
  guint n = 0;

  *score = 0.f;
  for (guint i = 0; i < boxes->len; i++) {
    const FaBox *b = &g_array_index (boxes, FaBox, i);
    Rect r = { (gint) b->x, (gint) b->y, (gint) b->w, (gint) b->h };

    if (rect_iou (&r, known) > 0.1) {
      n++;
      *score = MAX (*score, b->score);
    }
  }
  return n;
}

void
assert_not_redetected (const Photo * photo, const GstVideoInfo * info,
    GstBuffer * out, const gchar * model, gint size, gfloat threshold)
{
  GArray *boxes = detect_faces (info, out, model, size, threshold);
  gfloat score;
  guint n = count_at (boxes, &photo->face, &score);

  fail_unless (n == 0, "%s %s: %s finds the masked face again (score %.2f; "
      "detection-size %d, threshold %.2f)", photo->name,
      GST_VIDEO_INFO_NAME (info), model ? model : "the default model", score,
      size, threshold);
  g_array_unref (boxes);
}


/* The colour of the pixels of @r in @rgb: TRUE if they are all @color. */
gboolean
all_color (const guint8 * rgb, gint w, const Rect * r, guint32 color)
{
  for (gint y = r->y; y < r->y + r->h; y++)
    for (gint x = r->x; x < r->x + r->w; x++) {
      const guint8 *p = rgb + 3 * ((gsize) y * w + x);

      if (p[0] != (color >> 16) || p[1] != ((color >> 8) & 0xff)
          || p[2] != (color & 0xff))
        return FALSE;
    }
  return TRUE;
}

guint
count_colors (const guint8 * rgb, gint w, const Rect * r)
{
  GHashTable *seen = g_hash_table_new (NULL, NULL);
  guint n;

  for (gint y = r->y; y < r->y + r->h; y++)
    for (gint x = r->x; x < r->x + r->w; x++) {
      const guint8 *p = rgb + 3 * ((gsize) y * w + x);

      g_hash_table_add (seen, GUINT_TO_POINTER (1 + (p[0] << 16)
              + (p[1] << 8) + p[2]));
    }
  n = g_hash_table_size (seen);
  g_hash_table_unref (seen);
  return n;
}

/* The ROI meta's box scaled by @scale about its centre, shrunk by the
 * slack: pixels certainly inside the mask. */
Rect
inner_mask (const Face * face, gdouble scale)
{
  Rect r = padded_mask (&face->box, scale);

  r.x += 2 * MASK_SLACK;
  r.y += 2 * MASK_SLACK;
  r.w -= 4 * MASK_SLACK;
  r.h -= 4 * MASK_SLACK;
  return r;
}

gint64
proc_status_kb (const gchar * field)
{
  gchar *status = NULL, *at;
  gint64 kb = -1;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  at = strstr (status, field);
  if (at)
    kb = g_ascii_strtoll (at + strlen (field), NULL, 10);
  g_free (status);
  return kb;
}
