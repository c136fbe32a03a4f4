/* GStreamer faceanon element tests: every format, odd strides
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

/* The element through GstHarness on a real photo in every raw format it
 * takes, at odd sizes, with padded strides and gaps between planes: the
 * face is masked where the RGB path masks it, and not one byte outside
 * the masks (padding, alpha, other pixels) changes. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "fa-check.h"
#include "fa-anon.h"

static const GstVideoFormat all_formats[] = {
  GST_VIDEO_FORMAT_I420, GST_VIDEO_FORMAT_YV12, GST_VIDEO_FORMAT_NV12,
  GST_VIDEO_FORMAT_NV21, GST_VIDEO_FORMAT_Y42B, GST_VIDEO_FORMAT_Y444,
  GST_VIDEO_FORMAT_RGB, GST_VIDEO_FORMAT_BGR, GST_VIDEO_FORMAT_RGBx,
  GST_VIDEO_FORMAT_BGRx, GST_VIDEO_FORMAT_xRGB, GST_VIDEO_FORMAT_xBGR,
  GST_VIDEO_FORMAT_RGBA, GST_VIDEO_FORMAT_BGRA, GST_VIDEO_FORMAT_ARGB,
  GST_VIDEO_FORMAT_ABGR, GST_VIDEO_FORMAT_GRAY8
};

static const struct
{
  gint w, h;
} odd_sizes[] = {
  {385, 289}, {386, 290}
};

/* The same frame with every row padded by an odd number of bytes and a
 * gap before every plane, the padding filled with a pattern. */
static GstBuffer *
repack_padded (const GstVideoInfo * info, GstBuffer * buf,
    GstVideoInfo * padded)
{
  GstVideoFrame src, dst;
  GstBuffer *out;
  gsize offset = 0;

  *padded = *info;
  for (guint p = 0; p < GST_VIDEO_INFO_N_PLANES (info); p++) {
    gint stride = GST_VIDEO_INFO_PLANE_STRIDE (info, p) + 13 + 4 * p;
    gint rows = 0;

    for (guint c = 0; c < GST_VIDEO_INFO_N_COMPONENTS (info); c++)
      if (GST_VIDEO_INFO_COMP_PLANE (info, c) == p)
        rows = MAX (rows, GST_VIDEO_INFO_COMP_HEIGHT (info, c));

    offset += 29;               /* gap before the plane */
    padded->stride[p] = stride;
    padded->offset[p] = offset;
    offset += rows * (gsize) stride;
  }
  padded->size = offset + 31;   /* and after the last */

  out = gst_buffer_new_allocate (NULL, padded->size, NULL);
  gst_buffer_memset (out, 0, 0xa5, padded->size);
  gst_buffer_add_video_meta_full (out, GST_VIDEO_FRAME_FLAG_NONE,
      GST_VIDEO_INFO_FORMAT (padded), GST_VIDEO_INFO_WIDTH (padded),
      GST_VIDEO_INFO_HEIGHT (padded), GST_VIDEO_INFO_N_PLANES (padded),
      padded->offset, padded->stride);
  fail_unless (gst_video_frame_map (&src, info, buf, GST_MAP_READ));
  fail_unless (gst_video_frame_map (&dst, padded, out, GST_MAP_WRITE));
  fail_unless (gst_video_frame_copy (&dst, &src));

  /* alpha and x bytes come out of videoconvert opaque; make them a pattern
   * no fill colour or blur would reproduce */
  if (GST_VIDEO_INFO_COMP_PSTRIDE (info, 0) == 4) {
    guint8 *data = GST_VIDEO_FRAME_PLANE_DATA (&dst, 0);
    gint stride = GST_VIDEO_FRAME_PLANE_STRIDE (&dst, 0);
    guint colour = (1 << GST_VIDEO_INFO_COMP_POFFSET (info, 0)) |
        (1 << GST_VIDEO_INFO_COMP_POFFSET (info, 1)) |
        (1 << GST_VIDEO_INFO_COMP_POFFSET (info, 2));

    for (gint y = 0; y < GST_VIDEO_INFO_HEIGHT (info); y++)
      for (gint x = 0; x < GST_VIDEO_INFO_WIDTH (info); x++)
        for (gint b = 0; b < 4; b++)
          if (!(colour & (1 << b)))
            data[(gsize) y * stride + 4 * x + b] = (guint8) (x * 7 + y * 3);
  }
  gst_video_frame_unmap (&src);
  gst_video_frame_unmap (&dst);
  return out;
}

typedef struct
{
  Footprint fp;
  guint n_faces;
} FormatRun;

/* The regions @element masks in @buf, computed by the engine it is built
 * on, with the element's own settings, as Rects. */
static GArray *
engine_regions (GstElement * element, const GstVideoInfo * info,
    GstBuffer * buf)
{
  FaAnonParams params;
  gint method, shape;
  gdouble scale, blur_factor;
  guint blocks, color;
  gfloat threshold;
  gint detection_size;
  GArray *rects = g_array_new (FALSE, FALSE, sizeof (Rect));
  GError *err = NULL;
  gchar *path = fa_model_find_default (&err);
  FaAnon *anon;
  GstVideoFrame frame;
  const FaRect *regions;
  const FaFrame still = {.still = TRUE };
  guint n;
  FaImage img;

  memset (&params, 0, sizeof (params));
  g_object_get (element, "method", &method, "mask-shape", &shape,
      "mask-scale", &scale, "blur-factor", &blur_factor, "blocks", &blocks,
      "color", &color, "confidence-threshold", &threshold, "detection-size",
      &detection_size, NULL);
  params.mask.method = (FaMethod) method;
  params.mask.shape = (FaShape) shape;
  params.mask.scale = scale;
  params.mask.blur_factor = blur_factor;
  params.mask.blocks = blocks;
  params.mask.color = color;
  params.threshold = threshold;
  params.detection_size = detection_size;
  /* settings the element does not expose stay 0, which is "off" */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (element),
          "min-face-size"))
    g_object_get (element, "min-face-size", &params.min_face_size, NULL);

  fail_unless (path != NULL, "%s", err ? err->message : "?");
  anon = fa_anon_new (path, &err);
  fail_unless (anon != NULL, "%s", err ? err->message : "?");
  fail_unless (gst_video_frame_map (&frame, info, buf, GST_MAP_READ));
  fa_gst_image_from_frame (&frame, &img);
  fail_unless (fa_anon_plan (anon, &img, &still, &params, NULL, &err), "%s",
      err ? err->message : "?");
  gst_video_frame_unmap (&frame);
  regions = fa_anon_get_regions (anon, &n);
  for (guint i = 0; i < n; i++) {
    Rect r = { regions[i].x0, regions[i].y0, regions[i].x1 - regions[i].x0,
      regions[i].y1 - regions[i].y0
    };

    g_array_append_val (rects, r);
  }
  fa_anon_free (anon);
  g_free (path);
  return rects;
}

/* Every colour sample that covers a pixel of @rects holds one value per
 * component: the fill. */
static void
assert_filled (const GstVideoInfo * info, GstBuffer * buf, GArray * rects)
{
  const GstVideoFormatInfo *finfo = info->finfo;
  guint n_colour = GST_VIDEO_FORMAT_INFO_IS_GRAY (finfo) ? 1 : 3;
  GstVideoFrame frame;

  fail_unless (gst_video_frame_map (&frame, info, buf, GST_MAP_READ));
  for (guint c = 0; c < n_colour; c++) {
    gint ws = GST_VIDEO_FORMAT_INFO_W_SUB (finfo, c);
    gint hs = GST_VIDEO_FORMAT_INFO_H_SUB (finfo, c);
    const guint8 *data = GST_VIDEO_FRAME_COMP_DATA (&frame, c);
    gint stride = GST_VIDEO_FRAME_COMP_STRIDE (&frame, c);
    gint pstride = GST_VIDEO_FRAME_COMP_PSTRIDE (&frame, c);
    gint fill = -1;

    for (gint y = 0; y < GST_VIDEO_FRAME_COMP_HEIGHT (&frame, c); y++)
      for (gint x = 0; x < GST_VIDEO_FRAME_COMP_WIDTH (&frame, c); x++) {
        gint v = data[(gsize) y * stride + (gsize) x * pstride];

        if (!footprint_hits (rects, x << ws, y << hs, (x + 1) << ws,
                (y + 1) << hs))
          continue;
        if (fill < 0)
          fill = v;
        else if (v != fill)
          fail ("%s: component %u sample (%d, %d) of the face region is %d, "
              "not the fill %d", GST_VIDEO_INFO_NAME (info), c, x, y, v, fill);
      }
    fail_unless (fill >= 0);
  }
  gst_video_frame_unmap (&frame);
}

/* Anonymizes astronaut at @w x @h in @format with @method; checks the
 * native bytes and returns the footprint of the change in RGB. */
static FormatRun
run_format (GstVideoFormat format, gint w, gint h, const gchar * method,
    gboolean padded_strides, gboolean luma_only)
{
  GstSample *sample = load_still (ASTRONAUT, format, w, h);
  GstVideoInfo info, padded;
  GstBuffer *in, *out;
  GstHarness *harness;
  GArray *faces, *masks;
  guint8 *rgb_in, *rgb_out;
  FormatRun run;

  info_from_sample (sample, &info);
  fail_unless_equals_int (GST_VIDEO_INFO_FORMAT (&info), format);
  fail_unless_equals_int (GST_VIDEO_INFO_WIDTH (&info), w);
  if (padded_strides) {
    in = repack_padded (&info, gst_sample_get_buffer (sample), &padded);
  } else {
    in = gst_buffer_ref (gst_sample_get_buffer (sample));
    padded = info;
  }

  harness = anon_harness_new (gst_sample_get_caps (sample), NULL);
  gst_util_set_object_arg (G_OBJECT (harness->element), "method", method);
  /* a colour no face pixel is near, in every format, and none of whose
   * components is 0 or 255 */
  g_object_set (harness->element, "color", 0xf018e0, NULL);
  out = anon_push (harness, in);

  faces = faces_of (out);
  run.n_faces = faces->len;
  masks = padded_masks (faces, DEFAULT_MASK_SCALE);
  assert_only_masks_changed (&padded, in, out, masks);
  g_array_unref (masks);

  /* the engine, asked on its own, gives the exact regions: nothing outside
   * them changed either, and a solid fill covers them whole, chroma
   * included */
  masks = engine_regions (harness->element, &padded, in);
  fail_unless_equals_int (masks->len, faces->len);
  assert_only_masks_changed (&padded, in, out, masks);
  if (g_str_equal (method, "solid"))
    assert_filled (&padded, out, masks);

  rgb_in = to_rgb (&padded, in);
  rgb_out = to_rgb (&padded, out);
  run.fp = footprint (rgb_in, rgb_out, w, h, 24, luma_only);

  g_free (rgb_in);
  g_free (rgb_out);
  g_array_unref (masks);
  g_array_unref (faces);
  gst_buffer_unref (out);
  gst_buffer_unref (in);
  gst_harness_teardown (harness);
  gst_sample_unref (sample);
  return run;
}

GST_START_TEST (test_formats_odd_sizes)
{
  static const gchar *methods[] = { "solid", "gaussian" };
  GstVideoFormat format = all_formats[__i__ / G_N_ELEMENTS (odd_sizes)];
  gint w = odd_sizes[__i__ % G_N_ELEMENTS (odd_sizes)].w;
  gint h = odd_sizes[__i__ % G_N_ELEMENTS (odd_sizes)].h;

  /* grey frames can only show a change of luma; the detector also sees a
   * different picture in them, so its box may move a little further */
  gboolean grey = format == GST_VIDEO_FORMAT_GRAY8;
  gint tolerance = grey ? 6 : 4;

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++) {
    FormatRun run, ref;
    gdouble ratio;

    run = run_format (format, w, h, methods[m], TRUE, grey);
    fail_unless (run.n_faces == 1, "%s %dx%d %s: %u faces",
        gst_video_format_to_string (format), w, h, methods[m], run.n_faces);
    ref = run_format (GST_VIDEO_FORMAT_RGB, w, h, methods[m], FALSE, grey);

    GST_INFO ("%s %dx%d %s: %u faces, footprint [%d,%d)x[%d,%d) %"
        G_GSIZE_FORMAT " px; RGB [%d,%d)x[%d,%d) %" G_GSIZE_FORMAT " px",
        gst_video_format_to_string (format), w, h, methods[m], run.n_faces,
        run.fp.x0, run.fp.x1, run.fp.y0, run.fp.y1, run.fp.area, ref.fp.x0,
        ref.fp.x1, ref.fp.y0, ref.fp.y1, ref.fp.area);

    fail_unless_equals_int (ref.n_faces, 1);
    /* the RGB path masks a face-sized area */
    fail_unless (ref.fp.area > 50 * 50, "RGB footprint %" G_GSIZE_FORMAT,
        ref.fp.area);

    fail_unless (ABS (run.fp.x0 - ref.fp.x0) <= tolerance
        && ABS (run.fp.x1 - ref.fp.x1) <= tolerance
        && ABS (run.fp.y0 - ref.fp.y0) <= tolerance
        && ABS (run.fp.y1 - ref.fp.y1) <= tolerance,
        "%s %dx%d %s: footprint [%d,%d)x[%d,%d), RGB's [%d,%d)x[%d,%d)",
        gst_video_format_to_string (format), w, h, methods[m], run.fp.x0,
        run.fp.x1, run.fp.y0, run.fp.y1, ref.fp.x0, ref.fp.x1, ref.fp.y0,
        ref.fp.y1);
    ratio = (gdouble) run.fp.area / ref.fp.area;
    fail_unless (ratio > 0.85 && ratio < 1.15,
        "%s %dx%d %s: masked %" G_GSIZE_FORMAT " px, RGB %" G_GSIZE_FORMAT,
        gst_video_format_to_string (format), w, h, methods[m], run.fp.area,
        ref.fp.area);
  }
}

GST_END_TEST;

static Suite *
formats_suite (void)
{
  Suite *s = suite_create ("formats");
  TCase *tc_formats = tcase_create ("formats");

  /* a DNN on a 2-core machine, run under valgrind or sanitizers too */
  tcase_set_timeout (tc_formats, 120);

  suite_add_tcase (s, tc_formats);
  tcase_add_loop_test (tc_formats, test_formats_odd_sizes, 0,
      G_N_ELEMENTS (all_formats) * G_N_ELEMENTS (odd_sizes));

  return s;
}

GST_CHECK_MAIN (formats);
