/* faceanon tests
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

/* The look-ahead as a user of the element sees it, through GstHarness with
 * timestamps: a face whose detection only comes at frame k goes out masked
 * from frame k - N; a miss between two detections is masked; the latency
 * query reports the look-ahead; EOS lets every held frame out, masked; a
 * flush drops them; a live source gets none by default; timestamps, flags
 * and metas go out unchanged, and a frame upstream still holds is not
 * written. The faces come from "face" ROI metas (detector=upstream), so
 * the test needs no model and says exactly when a face is found. */

#include "fa-check.h"

#define W 320
#define H 240
#define FPS 30
#define FRAME_NS (GST_SECOND / FPS)
#define GREEN 0x00ff00

static const Rect face = { 120, 80, 60, 60 };

static GstCaps *
caps_30fps (GstVideoInfo * info)
{
  GstCaps *caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING,
      "RGB", "width", G_TYPE_INT, W, "height", G_TYPE_INT, H, "framerate",
      GST_TYPE_FRACTION, FPS, 1, NULL);

  fail_unless (gst_video_info_from_caps (info, caps));
  return caps;
}

/* A grey frame at frame number @i, with the face as a "face" meta when
 * @found. */
static GstBuffer *
frame (const GstVideoInfo * info, gint i, gboolean found)
{
  GstBuffer *buf = gst_buffer_new_and_alloc (GST_VIDEO_INFO_SIZE (info));

  gst_buffer_memset (buf, 0, 0x80, GST_VIDEO_INFO_SIZE (info));
  GST_BUFFER_PTS (buf) = i * FRAME_NS;
  GST_BUFFER_DURATION (buf) = FRAME_NS;
  if (found)
    gst_buffer_add_video_region_of_interest_meta (buf, "face", face.x,
        face.y, face.w, face.h);
  return buf;
}

static GstHarness *
harness (GstVideoInfo * info, gint64 lookahead)
{
  GstCaps *caps = caps_30fps (info);
  GstHarness *h = anon_harness_new (caps, "lookahead", lookahead,
      "detector", 1, "method", 2, "color", GREEN, "mask-scale", 1.0,
      "hold-time", (guint64) 0, NULL);

  gst_caps_unref (caps);
  return h;
}

static gboolean
masked (const GstVideoInfo * info, GstBuffer * buf)
{
  guint8 *rgb = to_rgb (info, buf);
  gboolean all = all_color (rgb, W, &face, GREEN);

  g_free (rgb);
  return all;
}

/* Pushes @n frames (found from frame @from to @to, exclusive), then EOS;
 * returns the frames that came out, in order. */
static GPtrArray *
run (GstHarness * h, const GstVideoInfo * info, gint n, gint from, gint to)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_buffer_unref);
  GstBuffer *b;

  for (gint i = 0; i < n; i++) {
    fail_unless_equals_int (gst_harness_push (h, frame (info, i, i >= from
                && i < to)), GST_FLOW_OK);
    while ((b = gst_harness_try_pull (h)))
      g_ptr_array_add (out, b);
  }
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  while ((b = gst_harness_try_pull (h)))
    g_ptr_array_add (out, b);
  return out;
}

/* The face is found from frame 20 on; with a 0.5 s look-ahead (15
 * frames) the frames from 5 on are masked, and every frame comes out, in
 * order. Without it, only those from 20. */
GST_START_TEST (test_masked_before_first_detection)
{
  for (guint with = 0; with <= 1; with++) {
    GstVideoInfo info;
    GstHarness *h = harness (&info, with ? GST_SECOND / 2 : 0);
    GPtrArray *out = run (h, &info, 30, 20, 30);

    fail_unless_equals_int (out->len, 30);
    for (guint i = 0; i < out->len; i++) {
      GstBuffer *b = g_ptr_array_index (out, i);
      gint first = with ? 20 - 15 : 20;

      fail_unless_equals_uint64 (GST_BUFFER_PTS (b), i * FRAME_NS);
      fail_unless (masked (&info, b) == ((gint) i >= first),
          "look-ahead %s: frame %u is %smasked", with ? "0.5 s" : "0", i,
          masked (&info, b) ? "" : "not ");
    }
    g_ptr_array_unref (out);
    gst_harness_teardown (h);
  }
}

GST_END_TEST;

/* Found on frames 0 to 9 and 20 to 29, missed in between (a hand), with
 * a hold-time of 0: the look-ahead masks the frames between. */
GST_START_TEST (test_miss_masked)
{
  GstVideoInfo info;
  GstHarness *h = harness (&info, GST_SECOND / 2);
  GPtrArray *out;
  GstBuffer *b;

  for (gint i = 0; i < 30; i++) {
    fail_unless_equals_int (gst_harness_push (h, frame (&info, i, i < 10
                || i >= 20)), GST_FLOW_OK);
  }
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_buffer_unref);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  while ((b = gst_harness_try_pull (h)))
    g_ptr_array_add (out, b);
  fail_unless_equals_int (out->len, 30);
  for (guint i = 0; i < out->len; i++)
    fail_unless (masked (&info, g_ptr_array_index (out, i)),
        "frame %u is not masked", i);
  g_ptr_array_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

static GstClockTime
latency_min (GstHarness * h, gboolean * live)
{
  GstQuery *q = gst_query_new_latency ();
  GstClockTime min, max;

  fail_unless (gst_pad_peer_query (h->sinkpad, q));
  gst_query_parse_latency (q, live, &min, &max);
  gst_query_unref (q);
  return min;
}

/* The latency the element reports grows by the look-ahead in effect: for a
 * live source, none unless set; set, that much. */
GST_START_TEST (test_latency_query)
{
  GstVideoInfo info;
  GstHarness *h = harness (&info, 0);
  gboolean live;
  GstClockTime base;

  gst_harness_set_live (h, TRUE);
  gst_harness_set_upstream_latency (h, 20 * GST_MSECOND);
  base = latency_min (h, &live);
  fail_unless (live);
  fail_unless_equals_uint64 (base, 20 * GST_MSECOND);
  gst_harness_teardown (h);

  /* the default, live: nothing added, and a frame goes out at once */
  h = harness (&info, -1);
  gst_harness_set_live (h, TRUE);
  gst_harness_set_upstream_latency (h, 20 * GST_MSECOND);
  fail_unless_equals_uint64 (latency_min (h, &live), 20 * GST_MSECOND);
  {
    GstBuffer *b = gst_harness_push_and_pull (h, frame (&info, 0, TRUE));

    fail_unless (b != NULL);
    gst_buffer_unref (b);
  }
  gst_harness_teardown (h);

  h = harness (&info, 300 * GST_MSECOND);
  gst_harness_set_live (h, TRUE);
  gst_harness_set_upstream_latency (h, 20 * GST_MSECOND);
  fail_unless_equals_uint64 (latency_min (h, &live), 320 * GST_MSECOND);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* With more look-ahead than the stream is long, nothing leaves until EOS,
 * which lets every frame out, masked, before the EOS itself. */
GST_START_TEST (test_eos_drains)
{
  GstVideoInfo info;
  GstHarness *h = harness (&info, 10 * GST_SECOND);
  GstEvent *ev;
  guint n = 0;

  for (gint i = 0; i < 12; i++)
    fail_unless_equals_int (gst_harness_push (h, frame (&info, i, i == 11)),
        GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  for (;;) {
    GstBuffer *b = gst_harness_try_pull (h);

    if (b == NULL)
      break;
    fail_unless (masked (&info, b), "frame %u went out unmasked", n);
    gst_buffer_unref (b);
    n++;
  }
  fail_unless_equals_int (n, 12);
  while ((ev = gst_harness_try_pull_event (h))) {
    gboolean eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;

    gst_event_unref (ev);
    if (eos)
      break;
  }
  fail_unless (ev != NULL, "no EOS after the held frames");
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A flush drops what is held: after it, only the frames pushed since come
 * out. */
GST_START_TEST (test_flush_drops)
{
  GstVideoInfo info;
  GstHarness *h = harness (&info, 10 * GST_SECOND);
  GstBuffer *b;
  guint n = 0;

  for (gint i = 0; i < 8; i++)
    fail_unless_equals_int (gst_harness_push (h, frame (&info, i, FALSE)),
        GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  gst_harness_set_src_caps (h, gst_caps_copy (gst_pad_get_current_caps
          (h->srcpad)));
  for (gint i = 100; i < 103; i++)
    fail_unless_equals_int (gst_harness_push (h, frame (&info, i, FALSE)),
        GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  while ((b = gst_harness_try_pull (h))) {
    fail_unless (GST_BUFFER_PTS (b) >= 100 * FRAME_NS,
        "a frame held before the flush came out");
    gst_buffer_unref (b);
    n++;
  }
  fail_unless_equals_int (n, 3);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Timestamps, duration and flags go out as they came, with upstream's
 * metas; a frame upstream still holds comes out as a masked copy and the
 * original is not written to. */
GST_START_TEST (test_buffers_unchanged_but_masked)
{
  GstVideoInfo info;
  GstHarness *h = harness (&info, GST_SECOND);
  GstBuffer *kept[3], *b;
  guint n = 0;

  for (gint i = 0; i < 3; i++) {
    kept[i] = frame (&info, i, TRUE);
    GST_BUFFER_FLAG_SET (kept[i], GST_BUFFER_FLAG_DISCONT);
    GST_BUFFER_OFFSET (kept[i]) = 1000 + i;
    /* held by the test too: not writable for the element */
    fail_unless_equals_int (gst_harness_push (h, gst_buffer_ref (kept[i])),
        GST_FLOW_OK);
  }
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  while ((b = gst_harness_try_pull (h))) {
    GstVideoRegionOfInterestMeta *roi =
        gst_buffer_get_video_region_of_interest_meta (b);
    guint8 *orig = to_rgb (&info, kept[n]);
    Rect all = { 0, 0, W, H };

    fail_unless (b != kept[n], "a frame upstream holds was written");
    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), n * FRAME_NS);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (b), FRAME_NS);
    fail_unless (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_DISCONT));
    fail_unless (roi != NULL && roi->x == (guint) face.x);
    fail_unless (masked (&info, b));
    /* the original: grey everywhere */
    fail_unless_equals_int (count_colors (orig, W, &all), 1);
    g_free (orig);
    gst_buffer_unref (b);
    n++;
  }
  fail_unless_equals_int (n, 3);
  for (gint i = 0; i < 3; i++)
    gst_buffer_unref (kept[i]);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* New caps let the held frames out first, masked, in the old caps. */
GST_START_TEST (test_caps_change_drains)
{
  GstVideoInfo info;
  GstHarness *h = harness (&info, 10 * GST_SECOND);
  GstCaps *small;
  GstBuffer *b;
  guint n = 0;

  for (gint i = 0; i < 4; i++)
    fail_unless_equals_int (gst_harness_push (h, frame (&info, i, TRUE)),
        GST_FLOW_OK);
  small = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "RGB",
      "width", G_TYPE_INT, W / 2, "height", G_TYPE_INT, H / 2, "framerate",
      GST_TYPE_FRACTION, FPS, 1, NULL);
  /* the caps event alone, without the segment a harness sends with it */
  fail_unless (gst_harness_push_event (h, gst_event_new_caps (small)));
  gst_caps_unref (small);
  while ((b = gst_harness_try_pull (h))) {
    fail_unless_equals_int (gst_buffer_get_size (b),
        GST_VIDEO_INFO_SIZE (&info));
    fail_unless (masked (&info, b));
    gst_buffer_unref (b);
    n++;
  }
  fail_unless_equals_int (n, 4);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
lookahead_suite (void)
{
  Suite *s = suite_create ("faceanon-lookahead");
  TCase *tc = tcase_create ("lookahead");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_masked_before_first_detection);
  tcase_add_test (tc, test_miss_masked);
  tcase_add_test (tc, test_latency_query);
  tcase_add_test (tc, test_eos_drains);
  tcase_add_test (tc, test_flush_drops);
  tcase_add_test (tc, test_buffers_unchanged_but_masked);
  tcase_add_test (tc, test_caps_change_drains);
  return s;
}

GST_CHECK_MAIN (lookahead);
