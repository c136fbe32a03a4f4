/* GStreamer faceanon element tests: bad input
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

/* What a hostile or careless stream does to the element, through
 * GstHarness and real pipelines: caps that change while PLAYING, frames of
 * 1x1 pixels and of 8192x4320, buffers shorter than their caps, property
 * values out of range or changed from other threads, faces from upstream
 * that lie outside the frame, a thousand state changes, flushing seeks and
 * an EOS before any frame. Each test asserts a clear error or a correctly
 * masked output, never a crash. Unusable model files are in
 * test-robust-models.c. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "fa-check.h"

/* astronaut.png is 512x512 */
#define ASTRONAUT_SIZE 512

/* async-detection=on (GstFaceAnonAsync, gstfaceanon.h) */
#define GST_FACE_ANON_ASYNC_ON_VALUE 1

/* Every format the element takes (FA_GST_FORMATS). */
static const GstVideoFormat all_formats[] = {
  GST_VIDEO_FORMAT_I420, GST_VIDEO_FORMAT_YV12, GST_VIDEO_FORMAT_NV12,
  GST_VIDEO_FORMAT_NV21, GST_VIDEO_FORMAT_Y42B, GST_VIDEO_FORMAT_Y444,
  GST_VIDEO_FORMAT_RGB, GST_VIDEO_FORMAT_BGR, GST_VIDEO_FORMAT_RGBx,
  GST_VIDEO_FORMAT_BGRx, GST_VIDEO_FORMAT_xRGB, GST_VIDEO_FORMAT_xBGR,
  GST_VIDEO_FORMAT_RGBA, GST_VIDEO_FORMAT_BGRA, GST_VIDEO_FORMAT_ARGB,
  GST_VIDEO_FORMAT_ABGR, GST_VIDEO_FORMAT_GRAY8
};

/* ---------------------------------------------------------------- helpers */

static GstCaps *
caps_for (GstVideoFormat format, gint width, gint height, GstVideoInfo * info)
{
  gst_video_info_set_format (info, format, width, height);
  GST_VIDEO_INFO_FPS_N (info) = 25;
  GST_VIDEO_INFO_FPS_D (info) = 1;
  return gst_video_info_to_caps (info);
}

/* A frame of deterministic noise, every byte set (padding included). */
static GstBuffer *
noise_buffer (const GstVideoInfo * info, guint seed)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, info->size, NULL);
  GstMapInfo map;

  fail_unless (gst_buffer_map (buf, &map, GST_MAP_WRITE));
  for (gsize i = 0; i < map.size; i++)
    map.data[i] = (guint8) ((i * 2654435761u + seed) >> 13);
  gst_buffer_unmap (buf, &map);
  return buf;
}

/* Where astronaut's face is once load_still() has scaled it to @width x
 * @height: videoscale keeps the picture's aspect and adds borders. */
static Rect
astronaut_face_at (gint width, gint height)
{
  const Rect face = ASTRONAUT_FACE;
  gdouble s = MIN ((gdouble) width, (gdouble) height) / ASTRONAUT_SIZE;
  gdouble ox = (width - ASTRONAUT_SIZE * s) / 2.0;
  gdouble oy = (height - ASTRONAUT_SIZE * s) / 2.0;
  Rect r;

  r.x = (gint) lround (ox + face.x * s);
  r.y = (gint) lround (oy + face.y * s);
  r.w = (gint) lround (face.w * s);
  r.h = (gint) lround (face.h * s);
  return r;
}

/* @out is @in with astronaut's face (at @face) masked: a face meta on it,
 * the face changed strongly and lost its detail, and not one byte outside
 * the masks changed. */
static void
assert_face_masked (const GstVideoInfo * info, GstBuffer * in,
    GstBuffer * out, const Rect * face, const gchar * what)
{
  gint w = GST_VIDEO_INFO_WIDTH (info);
  GArray *faces = faces_of (out), *masks;
  guint8 *rgb_in = to_rgb (info, in), *rgb_out = to_rgb (info, out);
  gdouble iou, diff, e_in, e_out;

  fail_unless (best_match (faces, face, &iou) != NULL && iou >= 0.4,
      "%s: no face meta on the face (%u metas, best IoU %.2f)", what,
      faces->len, iou);
  diff = mean_abs_diff (rgb_in, rgb_out, w, face);
  e_in = detail_energy (rgb_in, w, face);
  e_out = detail_energy (rgb_out, w, face);
  GST_INFO ("%s: face changed by %.1f, detail %.1f -> %.2f", what, diff,
      e_in, e_out);
  fail_unless (diff >= 12.0, "%s: the face changed by %.1f only", what, diff);
  fail_unless (e_out * 20.0 < e_in, "%s: the face kept its detail (%.1f -> "
      "%.1f)", what, e_in, e_out);
  masks = padded_masks (faces, DEFAULT_MASK_SCALE);
  assert_only_masks_changed (info, in, out, masks);

  g_array_unref (masks);
  g_array_unref (faces);
  g_free (rgb_in);
  g_free (rgb_out);
}

/* The element's sink pad forgot its sticky events when it went to NULL:
 * a new stream, as a source would start it. */
static void
restart_stream (GstHarness * h, GstCaps * caps)
{
  GstSegment segment;

  gst_segment_init (&segment, GST_FORMAT_TIME);
  fail_unless (gst_pad_push_event (h->srcpad,
          gst_event_new_stream_start ("robust")));
  fail_unless (gst_pad_push_event (h->srcpad, gst_event_new_caps (caps)));
  fail_unless (gst_pad_push_event (h->srcpad,
          gst_event_new_segment (&segment)));
}

/* The error, warning or info messages the element posted on @bus. */
static guint
pop_messages (GstBus * bus, GstMessageType type, GError ** first)
{
  GstMessage *msg;
  guint n = 0;

  while ((msg = gst_bus_pop_filtered (bus, type))) {
    if (n++ == 0 && first) {
      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
        gst_message_parse_error (msg, first, NULL);
      else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING)
        gst_message_parse_warning (msg, first, NULL);
    }
    gst_message_unref (msg);
  }
  return n;
}

static gdouble
seconds_since (gint64 t0)
{
  return (g_get_monotonic_time () - t0) / (gdouble) G_USEC_PER_SEC;
}

/* --------------------------------------------------- caps renegotiation */

/* The caps change while PLAYING, in resolution and in format, and back:
 * every frame is masked where the face is, in its own layout; with
 * detection on the streaming thread and on a thread of its own (a live
 * camera that changes mode while a detection runs on the old size). */
GST_START_TEST (test_renegotiate_while_playing)
{
  gboolean async = __i__ == 1;
  static const struct
  {
    GstVideoFormat format;
    gint w, h;
  } steps[] = {
    {GST_VIDEO_FORMAT_I420, 640, 480},
    {GST_VIDEO_FORMAT_RGB, 385, 289},
    {GST_VIDEO_FORMAT_NV12, 1280, 720},
    {GST_VIDEO_FORMAT_GRAY8, 321, 241},
    {GST_VIDEO_FORMAT_BGRA, 512, 512},
    {GST_VIDEO_FORMAT_I420, 640, 480},
  };
  GstHarness *h = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++) {
    GstSample *sample = load_still (ASTRONAUT, steps[i].format, steps[i].w,
        steps[i].h);
    GstBuffer *in = gst_sample_get_buffer (sample), *out;
    Rect face = astronaut_face_at (steps[i].w, steps[i].h);
    gchar *what = g_strdup_printf ("%s, step %u, %s %dx%d",
        async ? "async" : "sync", i,
        gst_video_format_to_string (steps[i].format), steps[i].w, steps[i].h);
    GstVideoInfo info;

    info_from_sample (sample, &info);
    if (h == NULL) {
      h = anon_harness_new (gst_sample_get_caps (sample), "async-detection",
          async ? GST_FACE_ANON_ASYNC_ON_VALUE : 0, NULL);
    } else {
      fail_unless_equals_int (GST_STATE (h->element), GST_STATE_PLAYING);
      gst_harness_set_src_caps (h, gst_caps_ref (gst_sample_get_caps (sample)));
    }
    /* two frames at each size: the second one is tracked */
    for (guint k = 0; k < 2; k++) {
      out = gst_harness_push_and_pull (h, copy_at (in, (2 * i + k) *
              40 * GST_MSECOND));
      fail_unless (out != NULL, "%s: no buffer out", what);
      assert_face_masked (&info, in, out, &face, what);
      gst_buffer_unref (out);
    }
    g_free (what);
    gst_sample_unref (sample);
  }
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Caps the element cannot take: a format it does not know, a size of 0 or
 * below, a size whose frame would not fit in memory, not raw video. A
 * buffer after them is not taken and does not leave, and valid caps after
 * them work. */
GST_START_TEST (test_bad_caps)
{
  static const gchar *bad[] = {
    "video/x-raw,format=YUY2,width=64,height=48,framerate=25/1",
    "video/x-raw,format=I420,width=0,height=0,framerate=25/1",
    "video/x-raw,format=I420,width=2147483647,height=2147483647,"
        "framerate=25/1",
    "video/x-raw,format=RGB,width=-5,height=10,framerate=25/1",
    "video/x-bayer,format=rggb,width=64,height=48,framerate=25/1",
  };
  GstVideoInfo info;
  GstCaps *good = caps_for (GST_VIDEO_FORMAT_I420, 64, 48, &info);
  GstHarness *h = anon_harness_new (good, NULL);
  GstBuffer *in = noise_buffer (&info, 11), *out;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    GstCaps *caps = gst_caps_from_string (bad[i]);
    GstFlowReturn ret;

    /* a caps string GStreamer cannot even parse says nothing here */
    if (caps == NULL)
      continue;
    /* a sticky event is stored even when refused: what counts is that
     * no buffer is taken with it */
    gst_pad_push_event (h->srcpad, gst_event_new_caps (caps));
    gst_caps_unref (caps);
    ret = gst_harness_push (h, copy_at (in, i * GST_SECOND));
    fail_unless (ret != GST_FLOW_OK, "'%s': a buffer was taken", bad[i]);
    fail_unless (gst_harness_try_pull (h) == NULL, "'%s': a buffer left",
        bad[i]);
  }

  /* Valid caps other than the first ones: GstVideoFilter, refused caps
   * it could not parse, stays unconfigured, and GstBaseTransform does not
   * configure it again for caps equal to the ones it had before
   * (docs/robustness.md). The stream stays stopped, closed, until then. */
  gst_caps_unref (good);
  good = caps_for (GST_VIDEO_FORMAT_I420, 66, 50, &info);
  gst_buffer_unref (in);
  in = noise_buffer (&info, 12);
  gst_harness_set_src_caps (h, gst_caps_ref (good));
  out = gst_harness_push_and_pull (h, copy_at (in, 10 * GST_SECOND));
  fail_unless (out != NULL);
  gst_buffer_unref (out);

  gst_buffer_unref (in);
  gst_caps_unref (good);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ------------------------------------------------------ degenerate sizes */

static const struct
{
  gint w, h;
} tiny_sizes[] = {
  {1, 1}, {2, 2}, {3, 3}, {1, 2}, {2, 1}, {1, 7}, {7, 1}, {3, 5}, {5, 3},
  {17, 9}, {31, 33}, {63, 1}, {65, 67}
};

/* Every colour sample of @buf is the same within its component, and every
 * other byte (padding, alpha) is the byte of @in. */
static void
assert_filled_whole (const GstVideoInfo * info, GstBuffer * in,
    GstBuffer * out, const gchar * what)
{
  const GstVideoFormatInfo *finfo = info->finfo;
  guint n_colour = GST_VIDEO_FORMAT_INFO_IS_GRAY (finfo) ? 1 : 3;
  Rect all = { 0, 0, GST_VIDEO_INFO_WIDTH (info),
    GST_VIDEO_INFO_HEIGHT (info)
  };
  GArray *rects = g_array_new (FALSE, FALSE, sizeof (Rect));
  GstVideoFrame frame;

  g_array_append_val (rects, all);
  assert_only_masks_changed (info, in, out, rects);
  g_array_unref (rects);

  fail_unless (gst_video_frame_map (&frame, info, out, GST_MAP_READ));
  for (guint c = 0; c < n_colour; c++) {
    const guint8 *data = GST_VIDEO_FRAME_COMP_DATA (&frame, c);
    gint stride = GST_VIDEO_FRAME_COMP_STRIDE (&frame, c);
    gint pstride = GST_VIDEO_FRAME_COMP_PSTRIDE (&frame, c);

    for (gint y = 0; y < GST_VIDEO_FRAME_COMP_HEIGHT (&frame, c); y++)
      for (gint x = 0; x < GST_VIDEO_FRAME_COMP_WIDTH (&frame, c); x++)
        fail_unless (data[(gsize) y * stride + (gsize) x * pstride] ==
            data[0], "%s: component %u sample (%d, %d) is %u, not the fill "
            "%u", what, c, x, y, data[(gsize) y * stride + (gsize) x *
                pstride], data[0]);
  }
  gst_video_frame_unmap (&frame);
}

/* Frames of 1x1 to 65x67 pixels in one format, one harness renegotiating
 * from size to size: with the defaults they leave with nothing changed
 * outside the face metas (there is no face to find); a privacy zone over
 * the whole frame fills every sample of a solid mask, chroma of 1x1 frames
 * included, and the blur, the pixelation and the ellipse get through. */
GST_START_TEST (test_tiny_frames)
{
  GstVideoFormat format = all_formats[__i__];
  static const gchar *zone_methods[] = { "gaussian", "pixelate" };
  GstHarness *h = NULL;
  guint frame = 0;

  for (guint s = 0; s < G_N_ELEMENTS (tiny_sizes); s++) {
    gint w = tiny_sizes[s].w, hh = tiny_sizes[s].h;
    GstVideoInfo info;
    GstCaps *caps = caps_for (format, w, hh, &info);
    GstBuffer *in = noise_buffer (&info, s), *out;
    gchar *what = g_strdup_printf ("%s %dx%d",
        gst_video_format_to_string (format), w, hh);
    GArray *faces, *masks;

    if (h == NULL)
      h = anon_harness_new (caps, NULL);
    else
      gst_harness_set_src_caps (h, gst_caps_ref (caps));
    g_object_set (h->element, "privacy-zones", NULL, NULL);
    gst_util_set_object_arg (G_OBJECT (h->element), "method", "gaussian");
    gst_util_set_object_arg (G_OBJECT (h->element), "mask-shape", "box");

    out = gst_harness_push_and_pull (h, copy_at (in, frame++ * GST_SECOND));
    fail_unless (out != NULL, "%s: no buffer out", what);
    faces = faces_of (out);
    masks = padded_masks (faces, DEFAULT_MASK_SCALE);
    assert_only_masks_changed (&info, in, out, masks);
    g_array_unref (masks);
    g_array_unref (faces);
    gst_buffer_unref (out);

    g_object_set (h->element, "privacy-zones", "0,0,1,1", "color", 0x3c9f21,
        NULL);
    gst_util_set_object_arg (G_OBJECT (h->element), "method", "solid");
    out = gst_harness_push_and_pull (h, copy_at (in, frame++ * GST_SECOND));
    fail_unless (out != NULL, "%s: no buffer out", what);
    assert_filled_whole (&info, in, out, what);
    gst_buffer_unref (out);

    for (guint m = 0; m < G_N_ELEMENTS (zone_methods); m++) {
      gst_util_set_object_arg (G_OBJECT (h->element), "method",
          zone_methods[m]);
      gst_util_set_object_arg (G_OBJECT (h->element), "mask-shape",
          m ? "ellipse" : "box");
      out = gst_harness_push_and_pull (h, copy_at (in, frame++ * GST_SECOND));
      fail_unless (out != NULL, "%s %s: no buffer out", what, zone_methods[m]);
      fail_unless_equals_uint64 (gst_buffer_get_size (out), info.size);
      gst_buffer_unref (out);
    }

    g_free (what);
    gst_buffer_unref (in);
    gst_caps_unref (caps);
  }
  gst_harness_teardown (h);
}

GST_END_TEST;

/* One 8192x4320 I420 frame (53 MB): it goes through in bounded time and
 * memory, and the face on it is masked. */
#define HUGE_W 8192
#define HUGE_H 4320
#define HUGE_MAX_SECONDS 90.0
#define HUGE_MAX_EXTRA_MB 1024

GST_START_TEST (test_huge_frame)
{
  GstSample *sample = load_still (ASTRONAUT, GST_VIDEO_FORMAT_I420, HUGE_W,
      HUGE_H);
  GstBuffer *in = gst_sample_get_buffer (sample), *out;
  Rect face = astronaut_face_at (HUGE_W, HUGE_H);
  GstVideoInfo info;
  GstHarness *h;
  gint64 t0, rss0, hwm;
  gdouble secs;

  info_from_sample (sample, &info);
  h = anon_harness_new (gst_sample_get_caps (sample), NULL);
  /* the frame is copied once into the harness: count that in the start */
  in = copy_at (in, 0);
  /* resets VmHWM to the current RSS (Linux 4.0 and later) */
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
  rss0 = proc_status_kb ("VmRSS:");
  t0 = g_get_monotonic_time ();
  out = gst_harness_push_and_pull (h, gst_buffer_ref (in));
  secs = seconds_since (t0);
  hwm = proc_status_kb ("VmHWM:");
  fail_unless (out != NULL);
  g_print ("8192x4320 I420: %.1f s, peak RSS %" G_GINT64_FORMAT " MB over "
      "the %" G_GINT64_FORMAT " MB before\n", secs, (hwm - rss0) / 1024,
      rss0 / 1024);
  fail_unless (secs < HUGE_MAX_SECONDS, "one 8192x4320 frame took %.0f s",
      secs);
  if (rss0 > 0 && hwm >= rss0)
    fail_unless ((hwm - rss0) / 1024 < HUGE_MAX_EXTRA_MB, "one 8192x4320 "
        "frame took %" G_GINT64_FORMAT " MB more", (hwm - rss0) / 1024);

  assert_face_masked (&info, in, out, &face, "8192x4320");

  gst_buffer_unref (out);
  gst_buffer_unref (in);
  gst_harness_teardown (h);
  gst_sample_unref (sample);
}

GST_END_TEST;

/* A buffer shorter than its caps say cannot be mapped as a frame, so it
 * cannot be masked: it must not leave (an error, or a drop with a
 * warning). GstVideoFilter's own transform_ip passes it through with a
 * warning, so the element has to catch it (fixed in 97b1035). */
GST_START_TEST (test_short_buffer)
{
  GstVideoInfo info;
  GstCaps *caps = caps_for (GST_VIDEO_FORMAT_I420, 320, 240, &info);
  GstHarness *h = anon_harness_new (caps, NULL);
  GstBus *bus = gst_bus_new ();
  GstBuffer *in = noise_buffer (&info, 1), *whole, *out;
  GstFlowReturn ret;
  GError *err = NULL;

  gst_element_set_bus (h->element, bus);
  gst_buffer_resize (in, 0, info.size / 2);
  ret = gst_harness_push (h, in);
  out = gst_harness_try_pull (h);
  GST_INFO ("short buffer: %s, %s", gst_flow_get_name (ret),
      out ? "left" : "did not leave");
  fail_unless (out == NULL, "a buffer of half its size left the element "
      "(%s) without being masked", gst_flow_get_name (ret));
  fail_unless (pop_messages (bus, GST_MESSAGE_ERROR | GST_MESSAGE_WARNING,
          &err) >= 1, "nothing said about the short buffer");
  GST_INFO ("short buffer: %s", err->message);
  g_clear_error (&err);

  /* the next whole buffer is processed as usual */
  whole = noise_buffer (&info, 2);
  out = gst_harness_push_and_pull (h, gst_buffer_ref (whole));
  fail_unless (out != NULL);
  gst_buffer_unref (out);
  gst_buffer_unref (whole);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_caps_unref (caps);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A GstVideoMeta that does not describe the buffer: planes reaching past
 * its end (a row stride 64 times too large), or a frame smaller than the
 * caps (GStreamer refuses to map it, with a critical). Either way the
 * element cannot mask the frame: it must not leave, and the element must
 * not read or write outside the buffer. gst_video_frame_map() checks
 * neither where each plane ends nor stops GstVideoFilter from passing an
 * unmappable buffer on, so the element has to (fixed in 97b1035). */
GST_START_TEST (test_lying_video_meta)
{
  gboolean past_end = __i__ == 0;
  GstVideoInfo info;
  GstCaps *caps = caps_for (GST_VIDEO_FORMAT_I420, 320, 240, &info);
  GstHarness *h = anon_harness_new (caps, NULL);
  GstBuffer *in = noise_buffer (&info, 9), *out;
  gint stride[GST_VIDEO_MAX_PLANES] = { 0, };
  GstFlowReturn ret;

  for (guint p = 0; p < GST_VIDEO_INFO_N_PLANES (&info); p++)
    stride[p] = GST_VIDEO_INFO_PLANE_STRIDE (&info, p);
  if (past_end)
    stride[0] *= 64;
  else
    gst_check_add_log_filter ("GStreamer-Video", G_LOG_LEVEL_CRITICAL,
        g_regex_new ("height", 0, 0, NULL), NULL, NULL, NULL);
  gst_buffer_add_video_meta_full (in, GST_VIDEO_FRAME_FLAG_NONE,
      GST_VIDEO_FORMAT_I420, 320, past_end ? 240 : 120,
      GST_VIDEO_INFO_N_PLANES (&info), info.offset, stride);

  ret = gst_harness_push (h, in);
  out = gst_harness_try_pull (h);
  fail_unless (out == NULL, "a buffer whose video meta %s left the element "
      "(%s)", past_end ? "reaches past its end" : "is smaller than the caps",
      gst_flow_get_name (ret));

  gst_caps_unref (caps);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ------------------------------------------------------------ properties */

typedef struct
{
  guint n;
} WarningCount;

static gboolean
count_warning (const gchar * log_domain, GLogLevelFlags log_level,
    const gchar * message, gpointer user_data)
{
  ((WarningCount *) user_data)->n++;
  return TRUE;
}

/* Out-of-range values, through gst_util_set_object_arg as gst-launch sets
 * them and through g_object_set: GLib warns and keeps the old value, every
 * property stays in its range, and the element still masks. */
GST_START_TEST (test_out_of_range_properties)
{
  static const struct
  {
    const gchar *name, *value;
  } bad[] = {
    {"blocks", "0"}, {"blocks", "-5"}, {"blocks", "1000"},
    {"mask-scale", "0.5"}, {"mask-scale", "100"}, {"mask-scale", "nan"},
    {"mask-scale", "-inf"}, {"blur-factor", "0"}, {"blur-factor", "1e308"},
    {"blur-factor", "nan"}, {"confidence-threshold", "-1"},
    {"confidence-threshold", "2"}, {"confidence-threshold", "nan"},
    {"detection-size", "1"}, {"detection-size", "-640"},
    {"detection-size", "100000"}, {"detection-size", "99999999999"},
    {"min-face-size", "-1"}, {"min-face-size", "5000"},
    {"color", "0x1000000"}, {"color", "-1"}, {"hold-time", "-1"},
    {"hold-time", "999999999999999"}, {"detect-interval", "0"},
    {"detect-interval", "1001"}, {"max-lag", "-1"},
    {"method", "bogus"}, {"method", "7"}, {"mask-shape", "9"},
    {"on-failure", "-1"}, {"async-detection", "99"}, {"tracking", "maybe"},
  };
  GstSample *sample = load_still (ASTRONAUT, GST_VIDEO_FORMAT_I420, 0, 0);
  GstBuffer *in = gst_sample_get_buffer (sample), *out;
  const Rect face = ASTRONAUT_FACE;
  WarningCount warnings = { 0 };
  GstCheckLogFilter *filter;
  GParamSpec **pspecs;
  GstVideoInfo info;
  GstHarness *h;
  guint n, before;

  info_from_sample (sample, &info);
  h = anon_harness_new (gst_sample_get_caps (sample), NULL);
  filter = gst_check_add_log_filter ("GLib-GObject", G_LOG_LEVEL_WARNING,
      g_regex_new ("out of range", 0, 0, NULL), count_warning, &warnings, NULL);

  /* while PLAYING, as a user would change them */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    gst_util_set_object_arg (G_OBJECT (h->element), bad[i].name, bad[i].value);
  GST_INFO ("%u warnings for %u values", warnings.n,
      (guint) G_N_ELEMENTS (bad));
  fail_unless (warnings.n >= 20, "GLib warned %u times only", warnings.n);

  before = warnings.n;
  g_object_set (h->element, "mask-scale", NAN, NULL);
  g_object_set (h->element, "mask-scale", 0.0, NULL);
  g_object_set (h->element, "blur-factor", -1.0, NULL);
  g_object_set (h->element, "blocks", 0u, NULL);
  g_object_set (h->element, "method", 42, NULL);
  g_object_set (h->element, "mask-shape", -1, NULL);
  g_object_set (h->element, "confidence-threshold", (gfloat) INFINITY, NULL);
  g_object_set (h->element, "detection-size", G_MAXINT, NULL);
  g_object_set (h->element, "min-face-size", G_MININT, NULL);
  fail_unless_equals_int (warnings.n - before, 9);
  gst_check_remove_log_filter (filter);

  /* every property holds a value its pspec accepts */
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (h->element), &n);
  for (guint i = 0; i < n; i++) {
    GParamSpec *p = pspecs[i];
    GValue v = G_VALUE_INIT;

    if (!(p->flags & G_PARAM_READABLE))
      continue;
    g_value_init (&v, p->value_type);
    g_object_get_property (G_OBJECT (h->element), p->name, &v);
    fail_if (g_param_value_validate (p, &v), "'%s' holds a value out of its "
        "range", p->name);
    g_value_unset (&v);
  }
  g_free (pspecs);

  out = gst_harness_push_and_pull (h, copy_at (in, 0));
  fail_unless (out != NULL);
  assert_face_masked (&info, in, out, &face, "after out-of-range values");
  gst_buffer_unref (out);

  gst_harness_teardown (h);
  gst_sample_unref (sample);
}

GST_END_TEST;

/* privacy-zones is a free string: a malformed one is an element error and
 * the frame does not leave; one reaching past the frame is clipped; a
 * valid one afterwards works again. */
GST_START_TEST (test_hostile_privacy_zones)
{
  static const struct
  {
    const gchar *zones;
    gboolean valid;
  } cases[] = {
    {"nan,0,1,1", FALSE}, {"0,0,inf,1", FALSE}, {"0,0,1e308,1", FALSE},
    {"-0.5,0,1,1", FALSE}, {"0,0,0,0.5", FALSE}, {"0,0,1", FALSE},
    {"0,0,1,1,1", FALSE}, {"a,b,c,d", FALSE},
    {"0,0,1,1;junk", FALSE}, {",,,", FALSE}, {"0x1,0,1,1", TRUE},
    {"", TRUE}, {";;;", TRUE}, {" 0 , 0 , 0.1 , 0.1 ; ", TRUE},
    {"0.9,0.9,1,1", TRUE}, {"1,1,1,1", TRUE}, {"0,0,1e-300,1e-300", TRUE},
    {"0.999999,0.999999,0.000001,0.000001", TRUE},
  };
  GstVideoInfo info;
  GstCaps *caps = caps_for (GST_VIDEO_FORMAT_NV12, 161, 121, &info);
  GstHarness *h = anon_harness_new (caps, NULL);
  GstBus *bus = gst_bus_new ();
  GstBuffer *in = noise_buffer (&info, 7), *out;
  GString *many = g_string_new (NULL);
  gchar *huge;
  GError *err = NULL;
  guint frame = 0;

  gst_element_set_bus (h->element, bus);
  gst_util_set_object_arg (G_OBJECT (h->element), "method", "solid");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    GstFlowReturn ret;

    g_object_set (h->element, "privacy-zones", cases[i].zones, NULL);
    ret = gst_harness_push (h, copy_at (in, frame++ * GST_SECOND));
    out = gst_harness_try_pull (h);
    if (cases[i].valid) {
      fail_unless_equals_int (ret, GST_FLOW_OK);
      fail_unless (out != NULL, "'%s': no buffer out", cases[i].zones);
      fail_unless_equals_int (pop_messages (bus, GST_MESSAGE_ERROR, NULL), 0);
    } else {
      fail_unless_equals_int (ret, GST_FLOW_ERROR);
      fail_unless (out == NULL, "'%s': a buffer left", cases[i].zones);
      fail_unless (pop_messages (bus, GST_MESSAGE_ERROR, &err) == 1,
          "'%s': no error", cases[i].zones);
      fail_unless (err->domain == GST_LIBRARY_ERROR, "'%s': %s",
          cases[i].zones, g_quark_to_string (err->domain));
      g_clear_error (&err);
    }
    gst_clear_buffer (&out);
  }

  /* 33 zones is one too many; a megabyte of them too */
  for (guint i = 0; i < 33; i++)
    g_string_append (many, "0,0,0.01,0.01;");
  g_object_set (h->element, "privacy-zones", many->str, NULL);
  fail_unless_equals_int (gst_harness_push (h, copy_at (in,
              frame++ * GST_SECOND)), GST_FLOW_ERROR);
  fail_unless_equals_int (pop_messages (bus, GST_MESSAGE_ERROR, NULL), 1);
  huge = g_strnfill (1 << 20, ';');
  memcpy (huge, "0,0,1,1", 7);
  g_object_set (h->element, "privacy-zones", huge, NULL);
  out = gst_harness_push_and_pull (h, copy_at (in, frame++ * GST_SECOND));
  fail_unless (out != NULL);
  assert_filled_whole (&info, in, out, "a megabyte of ';'");
  gst_buffer_unref (out);

  g_free (huge);
  g_string_free (many, TRUE);
  gst_buffer_unref (in);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_caps_unref (caps);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Two threads per property set valid values as fast as they can while a
 * few hundred frames go through: every frame leaves with the face masked,
 * whatever mix of settings it was processed with. */
#define STRESS_FRAMES 300

static GstHarnessThread *
stress (GstHarness * h, const gchar * name, const gchar * value, gulong sleep)
{
  GParamSpec *p = g_object_class_find_property (G_OBJECT_GET_CLASS
      (h->element), name);
  GValue v = G_VALUE_INIT;
  GstHarnessThread *t;

  fail_unless (p != NULL, "no property %s", name);
  g_value_init (&v, p->value_type);
  fail_unless (gst_value_deserialize_with_pspec (&v, value, p), "%s=%s",
      name, value);
  t = gst_harness_stress_property_start_full (h, name, &v, sleep);
  g_value_unset (&v);
  return t;
}

GST_START_TEST (test_properties_from_threads)
{
  static const struct
  {
    const gchar *name, *a, *b;
  } props[] = {
    {"method", "pixelate", "solid"},
    {"mask-scale", "1.0", "2.5"},
    {"confidence-threshold", "0.3", "0.6"},
    {"detection-size", "256", "640"},
    {"min-face-size", "0", "24"},
    {"privacy-zones", "0,0,0.1,0.1", "0.8,0.8,0.2,0.2;0,0.9,0.1,0.1"},
  };
  GstSample *sample = load_still (ASTRONAUT, GST_VIDEO_FORMAT_I420, 256, 256);
  GstBuffer *in = gst_sample_get_buffer (sample);
  Rect face = astronaut_face_at (256, 256);
  GstHarnessThread *threads[2 * G_N_ELEMENTS (props)];
  GstVideoInfo info;
  GstHarness *h;
  guint8 *rgb_in;
  gint64 t0 = g_get_monotonic_time ();

  info_from_sample (sample, &info);
  rgb_in = to_rgb (&info, in);
  h = anon_harness_new (gst_sample_get_caps (sample), NULL);
  for (guint i = 0; i < G_N_ELEMENTS (props); i++) {
    threads[2 * i] = stress (h, props[i].name, props[i].a, 97 + 13 * i);
    threads[2 * i + 1] = stress (h, props[i].name, props[i].b, 151 + 7 * i);
  }

  for (guint n = 0; n < STRESS_FRAMES; n++) {
    GstBuffer *out = gst_harness_push_and_pull (h, copy_at (in,
            n * 40 * GST_MSECOND));
    guint8 *rgb_out;
    gdouble diff;

    fail_unless (out != NULL, "frame %u did not leave", n);
    rgb_out = to_rgb (&info, out);
    diff = mean_abs_diff (rgb_in, rgb_out, 256, &face);
    fail_unless (diff > 12.0, "frame %u left with its face changed by %.1f "
        "only", n, diff);
    g_free (rgb_out);
    gst_buffer_unref (out);
  }
  g_print ("%d frames with 12 threads setting properties: %.1f s\n",
      STRESS_FRAMES, seconds_since (t0));

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    gst_harness_stress_thread_stop (threads[i]);
  g_free (rgb_in);
  gst_harness_teardown (h);
  gst_sample_unref (sample);
}

GST_END_TEST;

/* ------------------------------------------------- faces from upstream */

static void
add_face_meta (GstBuffer * buf, guint x, guint y, guint w, guint h,
    gdouble confidence)
{
  GstVideoRegionOfInterestMeta *meta =
      gst_buffer_add_video_region_of_interest_meta (buf, "face", x, y, w, h);

  gst_video_region_of_interest_meta_add_param (meta,
      gst_structure_new ("detection", "confidence", G_TYPE_DOUBLE,
          confidence, NULL));
}

/* The value of every sample of luma plane @y in @r (clipped) is @value. */
static gboolean
luma_all (const guint8 * y, gint stride, const Rect * r, gint w, gint h,
    guint8 value)
{
  for (gint j = MAX (r->y, 0); j < MIN (r->y + r->h, h); j++)
    for (gint i = MAX (r->x, 0); i < MIN (r->x + r->w, w); i++)
      if (y[(gsize) j * stride + i] != value)
        return FALSE;
  return TRUE;
}

/* detector=upstream trusts another element's face metas. Boxes far outside
 * the frame, of zero size, reaching past it, or with a NaN or infinite
 * confidence: no crash, nothing outside the boxes changes, every box is
 * masked as far as it lies in the frame (the confidence of a face found
 * upstream is no reason to leave it clear); with tracking and without,
 * with messages that report only boxes inside the frame. */
GST_START_TEST (test_upstream_hostile_faces)
{
  gboolean tracking = __i__ == 0;
  GstVideoInfo info;
  GstCaps *caps = caps_for (GST_VIDEO_FORMAT_I420, 320, 240, &info);
  GstHarness *h = anon_harness_new (caps, "detector", 1, "tracking", tracking,
      "post-messages", TRUE, NULL);
  GstBus *bus = gst_bus_new ();
  GstBuffer *in = noise_buffer (&info, 3);
  const Rect sane = { 100, 60, 40, 40 }, nan_conf = { 20, 150, 30, 30 },
      inf_conf = { 200, 20, 30, 30 }, past = { 300, 220, 1000, 1000 };
  GstMessage *msg;
  guint n_msgs = 0;

  gst_element_set_bus (h->element, bus);
  gst_util_set_object_arg (G_OBJECT (h->element), "method", "solid");
  for (guint n = 0; n < 4; n++) {
    GstBuffer *buf = copy_at (in, n * 40 * GST_MSECOND), *out;
    GArray *rects = g_array_new (FALSE, FALSE, sizeof (Rect));
    const Rect *masked[] = { &sane, &nan_conf, &inf_conf, &past };
    GstVideoFrame frame;
    const guint8 *y;
    gint stride;

    add_face_meta (buf, G_MAXUINT, G_MAXUINT, 10, 10, 0.9);
    add_face_meta (buf, G_MAXUINT - 5, 10, 10, 10, 0.9);
    add_face_meta (buf, 10, 10, 0, 0, 0.9);
    add_face_meta (buf, 10, 10, 0, 30, 0.9);
    add_face_meta (buf, nan_conf.x, nan_conf.y, nan_conf.w, nan_conf.h, NAN);
    add_face_meta (buf, inf_conf.x, inf_conf.y, inf_conf.w, inf_conf.h,
        -INFINITY);
    add_face_meta (buf, past.x, past.y, past.w, past.h, 1e308);
    add_face_meta (buf, sane.x, sane.y, sane.w, sane.h, 0.9);
    out = gst_harness_push_and_pull (h, buf);
    fail_unless (out != NULL);

    for (guint i = 0; i < G_N_ELEMENTS (masked); i++) {
      Rect r = padded_mask (masked[i], DEFAULT_MASK_SCALE);

      g_array_append_val (rects, r);
    }
    assert_only_masks_changed (&info, in, out, rects);

    fail_unless (gst_video_frame_map (&frame, &info, out, GST_MAP_READ));
    y = GST_VIDEO_FRAME_COMP_DATA (&frame, 0);
    stride = GST_VIDEO_FRAME_COMP_STRIDE (&frame, 0);
    /* black is 16 in I420 */
    for (guint i = 0; i < G_N_ELEMENTS (masked); i++)
      fail_unless (luma_all (y, stride, masked[i], 320, 240, 16), "frame %u, "
          "tracking %d: the face at %d,%d %dx%d is not masked", n, tracking,
          masked[i]->x, masked[i]->y, masked[i]->w, masked[i]->h);
    gst_video_frame_unmap (&frame);
    g_array_unref (rects);
    gst_buffer_unref (out);
  }

  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    const GstStructure *s = gst_message_get_structure (msg);
    const GValue *faces = gst_structure_get_value (s, "faces");

    fail_unless (faces != NULL);
    for (guint i = 0; i < gst_value_list_get_size (faces); i++) {
      const GstStructure *f =
          gst_value_get_structure (gst_value_list_get_value (faces, i));
      guint x, y, w, hh;

      fail_unless (gst_structure_get (f, "x", G_TYPE_UINT, &x, "y",
              G_TYPE_UINT, &y, "width", G_TYPE_UINT, &w, "height",
              G_TYPE_UINT, &hh, NULL));
      fail_unless (x + w <= 320 && y + hh <= 240, "a face reported at %u,%u "
          "%ux%u, outside the 320x240 frame", x, y, w, hh);
    }
    n_msgs++;
    gst_message_unref (msg);
  }
  fail_unless_equals_int (n_msgs, 4);
  fail_unless_equals_int (pop_messages (bus, GST_MESSAGE_ERROR, NULL), 0);

  gst_buffer_unref (in);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_caps_unref (caps);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A face meta from upstream larger than any frame, from the origin: the
 * whole frame is masked, with tracking and without (the tracker dropped
 * boxes over 1e7 pixels wide; upstream faces are clipped to the frame
 * since 97b1035). */
GST_START_TEST (test_upstream_giant_face)
{
  gboolean tracking = __i__ == 0;
  static const guint sizes[] = { 20000000, G_MAXUINT };
  GstVideoInfo info;
  GstCaps *caps = caps_for (GST_VIDEO_FORMAT_I420, 320, 240, &info);
  GstHarness *h = anon_harness_new (caps, "detector", 1, "tracking", tracking,
      NULL);
  GstBuffer *in = noise_buffer (&info, 5);
  const Rect all = { 0, 0, 320, 240 };

  gst_util_set_object_arg (G_OBJECT (h->element), "method", "solid");
  for (guint n = 0; n < G_N_ELEMENTS (sizes); n++) {
    GstBuffer *buf = copy_at (in, n * 40 * GST_MSECOND), *out;
    GstVideoFrame frame;

    add_face_meta (buf, 0, 0, sizes[n], sizes[n], 0.9);
    out = gst_harness_push_and_pull (h, buf);
    fail_unless (out != NULL);
    fail_unless (gst_video_frame_map (&frame, &info, out, GST_MAP_READ));
    fail_unless (luma_all (GST_VIDEO_FRAME_COMP_DATA (&frame, 0),
            GST_VIDEO_FRAME_COMP_STRIDE (&frame, 0), &all, 320, 240, 16),
        "tracking %d: a face of %u x %u pixels from the origin did not mask "
        "the whole frame", tracking, sizes[n], sizes[n]);
    gst_video_frame_unmap (&frame);
    gst_buffer_unref (out);
  }

  gst_buffer_unref (in);
  gst_caps_unref (caps);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ------------------------------------------------------------ lifecycle */

/* NULL -> PLAYING -> NULL over and over: the model is loaded in start()
 * every time. Every 100 cycles a frame goes through and is masked. */
#define STATE_CYCLES 1000
#define STATE_CHECK_EVERY 100

GST_START_TEST (test_state_cycles)
{
  GstSample *sample = load_still (ASTRONAUT, GST_VIDEO_FORMAT_I420, 256, 256);
  GstBuffer *in = gst_sample_get_buffer (sample);
  GstCaps *caps = gst_sample_get_caps (sample);
  Rect face = astronaut_face_at (256, 256);
  GstVideoInfo info;
  GstHarness *h;
  gint64 t0, t_states = 0;
  gint64 rss_first = 0, rss_last = 0;

  info_from_sample (sample, &info);
  h = anon_harness_new (caps, NULL);
  t0 = g_get_monotonic_time ();
  for (guint i = 1; i <= STATE_CYCLES; i++) {
    gint64 t = g_get_monotonic_time ();

    fail_unless_equals_int (gst_element_set_state (h->element,
            GST_STATE_NULL), GST_STATE_CHANGE_SUCCESS);
    fail_unless_equals_int (gst_element_set_state (h->element,
            GST_STATE_PLAYING), GST_STATE_CHANGE_SUCCESS);
    t_states += g_get_monotonic_time () - t;

    if (i % STATE_CHECK_EVERY == 0) {
      GstBuffer *out;

      restart_stream (h, caps);
      out = gst_harness_push_and_pull (h, copy_at (in, 0));
      fail_unless (out != NULL, "cycle %u: no buffer out", i);
      assert_face_masked (&info, in, out, &face, "after state cycles");
      gst_buffer_unref (out);
      /* what a leak per cycle would show */
      if (i == STATE_CHECK_EVERY)
        rss_first = proc_status_kb ("VmRSS:");
      rss_last = proc_status_kb ("VmRSS:");
    }
  }
  g_print ("%d cycles NULL -> PLAYING -> NULL: %.1f s (%.1f ms a cycle), "
      "RSS %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT " kB from cycle %d\n",
      STATE_CYCLES, seconds_since (t0), t_states / 1000.0 / STATE_CYCLES,
      rss_first, rss_last, STATE_CHECK_EVERY);
  /* a leak of the model (hundreds of kB) every cycle would be 200 MB */
  if (RSS_TELLS_LEAKS)
    fail_unless (rss_last - rss_first < 64 * 1024, "RSS grew by %"
        G_GINT64_FORMAT " kB over %d cycles", rss_last - rss_first,
        STATE_CYCLES - STATE_CHECK_EVERY);

  gst_harness_teardown (h);
  gst_sample_unref (sample);
}

GST_END_TEST;

/* A real pipeline, PLAYING as fast as it goes, seeked with FLUSH several
 * times: each seek completes, the first frame after every flush is
 * detected afresh (the tracker forgot the faces of before, although
 * detect-interval would have it track), faces are masked throughout, and
 * the clip still ends with EOS and no error. */
/* The clip's first frames show no face the detector finds at the default
 * threshold, and with detect-interval=10 a face that then appears waits
 * for the next detection: only frames after this are counted. */
#define CLIP_FACELESS_START (300 * GST_MSECOND)

typedef struct
{
  gint buffers;
  gint late, with_faces;        /* frames after CLIP_FACELESS_START */
  gint flushes, detected_after_flush;
  gboolean flushed;             /* a FLUSH_STOP went by; no frame since */
} SeekCounts;

static GstPadProbeReturn
seek_probe_sink (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  SeekCounts *c = user_data;

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_FLUSH_STOP) {
    g_atomic_int_inc (&c->flushes);
    g_atomic_int_set (&c->flushed, TRUE);
  }
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
seek_probe_src (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  SeekCounts *c = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);

  g_atomic_int_inc (&c->buffers);
  if (GST_BUFFER_PTS (buf) < CLIP_FACELESS_START)
    return GST_PAD_PROBE_OK;
  g_atomic_int_inc (&c->late);
  if (gst_buffer_get_meta (buf, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))
    g_atomic_int_inc (&c->with_faces);
  else
    GST_INFO ("no face at %" GST_TIME_FORMAT,
        GST_TIME_ARGS (GST_BUFFER_PTS (buf)));
  return GST_PAD_PROBE_OK;
}

/* The element messages are posted from the streaming thread before the
 * frame leaves, so they are seen here in order with the flushes. */
static GstBusSyncReply
seek_sync_handler (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  SeekCounts *c = user_data;
  const GstStructure *s;
  gboolean detected = FALSE;

  if (GST_MESSAGE_TYPE (msg) != GST_MESSAGE_ELEMENT)
    return GST_BUS_PASS;
  s = gst_message_get_structure (msg);
  if (!gst_structure_has_name (s, "faceanon"))
    return GST_BUS_PASS;
  gst_structure_get_boolean (s, "detected", &detected);
  if (g_atomic_int_compare_and_exchange (&c->flushed, TRUE, FALSE) && detected)
    g_atomic_int_inc (&c->detected_after_flush);
  gst_message_unref (msg);
  return GST_BUS_DROP;
}

static void
wait_buffers (SeekCounts * c, gint n, GstBus * bus)
{
  gint target = g_atomic_int_get (&c->buffers) + n;
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_atomic_int_get (&c->buffers) < target) {
    GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

    if (msg) {
      GError *err = NULL;

      gst_message_parse_error (msg, &err, NULL);
      fail ("error while playing: %s", err->message);
    }
    fail_unless (g_get_monotonic_time () < end, "no frames for 60 s");
    g_usleep (2000);
  }
}

GST_START_TEST (test_flushing_seeks)
{
  static const gdouble positions[] = { 2.0, 0.5, 8.0, 0.0, 4.4, 10.0 };
  SeekCounts c = { 0 };
  GstElement *pipeline, *anon;
  GstPad *sink, *src;
  GstMessage *msg;
  GstBus *bus;
  gchar *launch;
  gint64 t0 = g_get_monotonic_time ();

  if (!g_file_test (MEGAMIND, G_FILE_TEST_IS_REGULAR))
    fail ("%s is missing: install opencv-doc", MEGAMIND);
  launch = g_strdup_printf ("filesrc location=%s ! decodebin ! faceanon "
      "name=anon detect-interval=10 post-messages=true ! fakesink "
      "sync=false", MEGAMIND);
  pipeline = gst_parse_launch (launch, NULL);
  g_free (launch);
  fail_unless (pipeline != NULL);
  anon = gst_bin_get_by_name (GST_BIN (pipeline), "anon");
  sink = gst_element_get_static_pad (anon, "sink");
  src = gst_element_get_static_pad (anon, "src");
  gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_EVENT_FLUSH, seek_probe_sink,
      &c, NULL);
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER, seek_probe_src, &c, NULL);
  bus = gst_element_get_bus (pipeline);
  gst_bus_set_sync_handler (bus, seek_sync_handler, &c, NULL);

  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  wait_buffers (&c, 5, bus);
  for (guint i = 0; i < G_N_ELEMENTS (positions); i++) {
    fail_unless (gst_element_seek_simple (pipeline, GST_FORMAT_TIME,
            GST_SEEK_FLAG_FLUSH, positions[i] * GST_SECOND),
        "seek %u to %.1f s refused", i, positions[i]);
    msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
        GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR);
    fail_unless (msg != NULL && GST_MESSAGE_TYPE (msg) ==
        GST_MESSAGE_ASYNC_DONE, "seek %u to %.1f s did not complete", i,
        positions[i]);
    gst_message_unref (msg);
    if (i + 1 < G_N_ELEMENTS (positions))
      wait_buffers (&c, 5, bus);
  }

  msg = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no EOS in 120 s");
  fail_unless (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS, "an error at the "
      "end");
  gst_message_unref (msg);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);

  g_print ("%u flushing seeks: %d flushes, %d frames (%d of the %d after "
      "0.3 s with faces), first frame after a flush detected %d times, "
      "%.1f s\n", (guint) G_N_ELEMENTS (positions), c.flushes, c.buffers,
      c.with_faces, c.late, c.detected_after_flush, seconds_since (t0));
  fail_unless (c.flushes >= (gint) G_N_ELEMENTS (positions));
  fail_unless_equals_int (c.detected_after_flush, c.flushes);
  /* Megamind shows a face in all those frames but one */
  fail_unless (c.with_faces >= c.late - 1, "faces masked in %d of %d frames",
      c.with_faces, c.late);

  gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
  gst_object_unref (bus);
  gst_object_unref (sink);
  gst_object_unref (src);
  gst_object_unref (anon);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* An EOS before any frame, with caps and without: the EOS goes through,
 * nothing else, and nothing is posted. */
GST_START_TEST (test_eos_before_frames)
{
  gboolean with_caps = __i__ == 0;
  GstVideoInfo info;
  GstCaps *caps = caps_for (GST_VIDEO_FORMAT_I420, 320, 240, &info);
  GstHarness *h;
  GstBus *bus = gst_bus_new ();
  GstEvent *ev;
  gboolean eos = FALSE;

  if (with_caps) {
    h = anon_harness_new (caps, NULL);
  } else {
    h = gst_harness_new ("faceanon");
    gst_harness_set_live (h, FALSE);
    gst_harness_play (h);
  }
  gst_element_set_bus (h->element, bus);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  while ((ev = gst_harness_try_pull_event (h))) {
    eos |= GST_EVENT_TYPE (ev) == GST_EVENT_EOS;
    gst_event_unref (ev);
  }
  fail_unless (eos, "the EOS did not go through");
  fail_unless_equals_int (gst_harness_buffers_received (h), 0);
  fail_unless_equals_int (pop_messages (bus, GST_MESSAGE_ERROR |
          GST_MESSAGE_WARNING, NULL), 0);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_caps_unref (caps);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
robust_suite (void)
{
  Suite *s = suite_create ("robust");
  TCase *tc_caps = tcase_create ("caps");
  TCase *tc_sizes = tcase_create ("sizes");
  TCase *tc_props = tcase_create ("properties");
  TCase *tc_life = tcase_create ("lifecycle");

  /* a DNN on a 2-core machine shared with other work */
  tcase_set_timeout (tc_caps, 120);
  tcase_set_timeout (tc_sizes, 180);
  tcase_set_timeout (tc_props, 180);
  tcase_set_timeout (tc_life, 240);

  suite_add_tcase (s, tc_caps);
  tcase_add_loop_test (tc_caps, test_renegotiate_while_playing, 0, 2);
  tcase_add_test (tc_caps, test_bad_caps);

  suite_add_tcase (s, tc_sizes);
  tcase_add_loop_test (tc_sizes, test_tiny_frames, 0,
      G_N_ELEMENTS (all_formats));
  tcase_add_test (tc_sizes, test_huge_frame);
  tcase_add_test (tc_sizes, test_short_buffer);
  tcase_add_loop_test (tc_sizes, test_lying_video_meta, 0, 2);

  suite_add_tcase (s, tc_props);
  tcase_add_test (tc_props, test_out_of_range_properties);
  tcase_add_test (tc_props, test_hostile_privacy_zones);
  tcase_add_test (tc_props, test_properties_from_threads);
  tcase_add_loop_test (tc_props, test_upstream_hostile_faces, 0, 2);
  tcase_add_loop_test (tc_props, test_upstream_giant_face, 0, 2);

  suite_add_tcase (s, tc_life);
  tcase_add_test (tc_life, test_state_cycles);
  tcase_add_test (tc_life, test_flushing_seeks);
  tcase_add_loop_test (tc_life, test_eos_before_frames, 0, 2);

  return s;
}

GST_CHECK_MAIN (robust);
