/* GStreamer faceanon element tests
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

/* What the element gives besides masks: privacy zones, the draw method,
 * its element messages, ROI metas that follow a videoscale, a masked copy
 * of a frame that is held elsewhere, and no copy when such a frame has
 * nothing to mask. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "fa-check.h"

/* A zone in the top-left corner, where astronaut.png shows no face, is
 * masked whole; the rest outside the face's mask does not change. */
GST_START_TEST (test_privacy_zone)
{
  GstSample *sample = load_still (ASTRONAUT, GST_VIDEO_FORMAT_RGB, 0, 0);
  GstBuffer *in = gst_sample_get_buffer (sample), *out;
  GstVideoInfo info;
  GstHarness *h;
  guint8 *a, *b;
  Rect zone, right = { 400, 300, 100, 100 };
  gint w;

  info_from_sample (sample, &info);
  w = GST_VIDEO_INFO_WIDTH (&info);
  zone = (Rect) {
  0, 0, w / 4, GST_VIDEO_INFO_HEIGHT (&info) / 4};
  h = anon_harness_new (gst_sample_get_caps (sample), "privacy-zones",
      "0,0,0.25,0.25", "method", 2 /* solid */ , NULL);
  out = anon_push (h, in);
  a = to_rgb (&info, in);
  b = to_rgb (&info, out);
  fail_unless (all_color (b, w, &zone, 0x000000), "the zone is not filled");
  fail_unless (changed_fraction (a, b, w, &right, 0) == 0.0);
  g_free (a);
  g_free (b);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
  gst_sample_unref (sample);
}

GST_END_TEST;

/* method=draw outlines the face and leaves its middle as it was. */
GST_START_TEST (test_draw)
{
  GstSample *sample = load_still (ASTRONAUT, GST_VIDEO_FORMAT_RGB, 0, 0);
  GstBuffer *in = gst_sample_get_buffer (sample), *out;
  GstVideoInfo info;
  GstHarness *h;
  GArray *faces;
  guint8 *a, *b;
  Rect middle, outline;
  const Face *f;
  gint w;

  info_from_sample (sample, &info);
  w = GST_VIDEO_INFO_WIDTH (&info);
  h = anon_harness_new (gst_sample_get_caps (sample), "method", 3 /* draw */ ,
      "color", 0x00ff00, NULL);
  out = anon_push (h, in);
  faces = faces_of (out);
  fail_unless_equals_int (faces->len, 1);
  f = &g_array_index (faces, Face, 0);
  middle = rect_scale (&f->box, 0.6, w, GST_VIDEO_INFO_HEIGHT (&info));
  outline = padded_mask (&f->box, 1.5);
  a = to_rgb (&info, in);
  b = to_rgb (&info, out);
  fail_unless (changed_fraction (a, b, w, &middle, 0) == 0.0,
      "draw masked the face");
  /* the outline and label: a thin part of the area around the face */
  fail_unless (changed_fraction (a, b, w, &outline, 0) > 0.02, "no outline");
  g_free (a);
  g_free (b);
  g_array_unref (faces);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
  gst_sample_unref (sample);
}

GST_END_TEST;

/* post-messages: one "faceanon" message a frame listing the face. */
GST_START_TEST (test_messages)
{
  GstSample *sample = load_still (ASTRONAUT, GST_VIDEO_FORMAT_I420, 0, 0);
  GstBuffer *in = gst_sample_get_buffer (sample), *out;
  GstHarness *h;
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  const GstStructure *s;
  const GValue *faces;
  const GstStructure *face;
  guint x, width;
  gdouble confidence;

  h = anon_harness_new (gst_sample_get_caps (sample), "post-messages", TRUE,
      NULL);
  gst_element_set_bus (h->element, bus);
  out = anon_push (h, in);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT);
  fail_unless (msg != NULL, "no element message");
  s = gst_message_get_structure (msg);
  fail_unless (gst_structure_has_name (s, "faceanon"));
  fail_unless (gst_structure_has_field (s, "timestamp"));
  fail_unless (gst_structure_has_field (s, "running-time"));
  faces = gst_structure_get_value (s, "faces");
  fail_unless (faces != NULL && GST_VALUE_HOLDS_LIST (faces));
  fail_unless_equals_int (gst_value_list_get_size (faces), 1);
  face = gst_value_get_structure (gst_value_list_get_value (faces, 0));
  fail_unless (gst_structure_get_uint (face, "x", &x));
  fail_unless (gst_structure_get_uint (face, "width", &width));
  fail_unless (gst_structure_get_double (face, "confidence", &confidence));
  /* the face of astronaut.png is near x 180..262 */
  fail_unless (x > 150 && x < 220 && width > 50 && width < 130);
  fail_unless (confidence >= 0.5);
  gst_message_unref (msg);
  gst_buffer_unref (out);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
  gst_sample_unref (sample);
}

GST_END_TEST;

/* The face meta follows a videoscale downstream: doubled with the frame. */
GST_START_TEST (test_meta_after_videoscale)
{
  GstSample *sample = load_still (ASTRONAUT, GST_VIDEO_FORMAT_I420, 0, 0);
  GstBuffer *in = gst_sample_get_buffer (sample), *out;
  GstHarness *h;
  GstVideoRegionOfInterestMeta *roi;

  h = gst_harness_new_parse ("faceanon lookahead=0 ! videoscale ! "
      "capsfilter caps=video/x-raw,width=1024,height=1024");
  gst_harness_set_live (h, FALSE);
  gst_harness_set_src_caps (h, gst_caps_copy (gst_sample_get_caps (sample)));
  out = gst_harness_push_and_pull (h, gst_buffer_copy (in));
  fail_unless (out != NULL);
  /* the meta survives with its box scaled (its parameters do not: 1.22's
   * transform copies the rectangle only) */
  roi = gst_buffer_get_video_region_of_interest_meta_id (out, 0);
  if (roi == NULL) {
    gpointer state = NULL;

    roi = (GstVideoRegionOfInterestMeta *) gst_buffer_iterate_meta_filtered
        (out, &state, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE);
  }
  fail_unless (roi != NULL, "no face meta after videoscale");
  fail_unless_equals_string (g_quark_to_string (roi->roi_type), "face");
  /* astronaut.png is 512x512: the face box near x 180, width 82, doubled */
  fail_unless (roi->x > 300 && roi->x < 440, "x %u", roi->x);
  fail_unless (roi->w > 100 && roi->w < 260, "w %u", roi->w);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
  gst_sample_unref (sample);
}

GST_END_TEST;

/* detector=upstream masks the faces another element found: a first
 * faceanon only draws (and attaches its metas), a second one, loading no
 * model, fills them. */
GST_START_TEST (test_upstream_faces)
{
  GstSample *sample = load_still (ASTRONAUT, GST_VIDEO_FORMAT_RGB, 0, 0);
  GstBuffer *in = gst_sample_get_buffer (sample), *out;
  GstVideoInfo info;
  GstHarness *h;
  Rect face = ASTRONAUT_FACE, inner;
  guint8 *b;

  info_from_sample (sample, &info);
  inner = rect_scale (&face, 0.5, GST_VIDEO_INFO_WIDTH (&info),
      GST_VIDEO_INFO_HEIGHT (&info));
  h = gst_harness_new_parse ("faceanon lookahead=0 method=draw ! faceanon "
      "lookahead=0 detector=upstream model=/nonexistent/not-loaded.onnx method=solid "
      "color=0x00ff00");
  gst_harness_set_live (h, FALSE);
  gst_harness_set_src_caps (h, gst_caps_copy (gst_sample_get_caps (sample)));
  out = gst_harness_push_and_pull (h, gst_buffer_copy (in));
  fail_unless (out != NULL);
  b = to_rgb (&info, out);
  fail_unless (all_color (b, GST_VIDEO_INFO_WIDTH (&info), &inner, 0x00ff00),
      "the face found upstream is not masked");
  g_free (b);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
  gst_sample_unref (sample);
}

GST_END_TEST;

/* A decoder keeps its output frames as reference pictures, so the frame
 * the element gets is held elsewhere too: it must mask a copy, never the
 * frame itself, and make that copy in buffers of a pool of its own, not in
 * a fresh 3 MB allocation per 1080p frame. The frame here comes with a
 * video meta of padded rows (the copy has the layout of the caps), a
 * timestamp and an ROI meta of upstream's, which the copy keeps. */
#define HELD_FRAMES 6
#define HELD_PADDING 64

static GstBuffer *
held_frame (const GstVideoInfo * info, GstBuffer * src, gint i)
{
  GstVideoInfo padded = *info;
  GstVideoFrame from, to;
  GstBuffer *buf;
  gsize offset = 0;

  for (guint p = 0; p < GST_VIDEO_INFO_N_PLANES (info); p++) {
    padded.stride[p] = GST_VIDEO_INFO_PLANE_STRIDE (info, p) + HELD_PADDING;
    padded.offset[p] = offset;
    offset += (gsize) padded.stride[p] * GST_VIDEO_INFO_COMP_HEIGHT (info, p);
  }
  padded.size = offset;
  buf = gst_buffer_new_allocate (NULL, offset, NULL);
  gst_buffer_add_video_meta_full (buf, GST_VIDEO_FRAME_FLAG_NONE,
      GST_VIDEO_INFO_FORMAT (info), GST_VIDEO_INFO_WIDTH (info),
      GST_VIDEO_INFO_HEIGHT (info), GST_VIDEO_INFO_N_PLANES (info),
      padded.offset, padded.stride);
  fail_unless (gst_video_frame_map (&from, info, src, GST_MAP_READ));
  fail_unless (gst_video_frame_map (&to, &padded, buf, GST_MAP_WRITE));
  fail_unless (gst_video_frame_copy (&to, &from));
  gst_video_frame_unmap (&to);
  gst_video_frame_unmap (&from);
  GST_BUFFER_PTS (buf) = (40 + i) * GST_SECOND;
  GST_BUFFER_DURATION (buf) = GST_SECOND;
  gst_buffer_add_video_region_of_interest_meta (buf, "held", 1, 2, 3, 4);
  return buf;
}

GST_START_TEST (test_held_frame)
{
  GstSample *sample = load_still (ASTRONAUT, GST_VIDEO_FORMAT_I420, 0, 0);
  GstBuffer *outs[HELD_FRAMES];
  GstVideoInfo info;
  GstHarness *h;
  Rect face = ASTRONAUT_FACE, corner = { 0, 0, 120, 60 };
  guint distinct = 0;
  gint w;

  info_from_sample (sample, &info);
  w = GST_VIDEO_INFO_WIDTH (&info);
  h = anon_harness_new (gst_sample_get_caps (sample), NULL);
  for (gint i = 0; i < HELD_FRAMES; i++) {
    GstBuffer *held = held_frame (&info, gst_sample_get_buffer (sample), i);
    guint8 *before = to_rgb (&info, held), *out_rgb;
    GstVideoRegionOfInterestMeta *roi;
    gpointer state = NULL;
    gboolean kept = FALSE;
    guint n_faces = 0;
    GstBuffer *out;

    /* the test holds it, as a decoder would */
    out = gst_harness_push_and_pull (h, gst_buffer_ref (held));
    fail_unless (out != NULL && out != held);
    fail_unless (same_rgb (&info, held, before),
        "frame %d: the element wrote into a frame held elsewhere", i);
    fail_unless (out->pool != NULL, "frame %d: the copy is not from a pool", i);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (out), (40 + i) * GST_SECOND);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (out), GST_SECOND);
    while ((roi = (GstVideoRegionOfInterestMeta *)
            gst_buffer_iterate_meta_filtered (out, &state,
                GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
      kept |= roi->roi_type == g_quark_from_string ("held") && roi->x == 1
          && roi->y == 2 && roi->w == 3 && roi->h == 4;
      n_faces += roi->roi_type == g_quark_from_string ("face");
    }
    fail_unless (kept, "frame %d: upstream's ROI meta was lost", i);
    fail_unless (n_faces >= 1, "frame %d: no face meta", i);

    out_rgb = to_rgb (&info, out);
    fail_unless (detail_energy (out_rgb, w, &face) <
        0.05 * detail_energy (before, w, &face),
        "frame %d: the face kept its detail", i);
    fail_unless (mean_abs_diff (before, out_rgb, w, &corner) == 0.0,
        "frame %d: the copy differs from the frame away from the face", i);

    outs[i] = out;
    for (gint j = 0; j < i; j++)
      if (outs[j] == out)
        goto seen;
    distinct++;
  seen:
    /* downstream is done with it */
    gst_buffer_unref (out);
    g_free (out_rgb);
    g_free (before);
    gst_buffer_unref (held);
  }
  /* one buffer in flight at a time: the pool's two, again and again */
  fail_unless (distinct <= 2, "%u buffers for %d frames: not reused",
      distinct, HELD_FRAMES);

  gst_harness_teardown (h);
  gst_sample_unref (sample);
}

GST_END_TEST;

/* A frame held upstream with nothing to mask is not copied: it goes on as
 * the very buffer that came in (fruits.jpg, which shows no face). With a
 * privacy zone there is something to mask, and the zone is masked in a
 * copy, the held frame left as it was. */

GST_START_TEST (test_held_frame_without_faces)
{
  GstSample *sample = load_still (FRUITS, GST_VIDEO_FORMAT_I420, 0, 0);
  GstVideoInfo info;
  GstHarness *h;
  Rect zone;
  gint w, height;

  info_from_sample (sample, &info);
  w = GST_VIDEO_INFO_WIDTH (&info);
  height = GST_VIDEO_INFO_HEIGHT (&info);
  zone = (Rect) {
  0, 0, w / 4, height / 4};

  for (gint zones = 0; zones < 2; zones++) {
    h = anon_harness_new (gst_sample_get_caps (sample), "privacy-zones",
        zones ? "0,0,0.25,0.25" : "", "method", 2 /* solid */ , NULL);
    for (gint i = 0; i < 3; i++) {
      GstBuffer *held = held_frame (&info, gst_sample_get_buffer (sample), i);
      guint8 *before = to_rgb (&info, held), *out_rgb;
      GstVideoRegionOfInterestMeta *roi;
      gpointer state = NULL;
      GstBuffer *out;

      out = gst_harness_push_and_pull (h, gst_buffer_ref (held));
      fail_unless (out != NULL);
      while ((roi = (GstVideoRegionOfInterestMeta *)
              gst_buffer_iterate_meta_filtered (out, &state,
                  GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE)))
        fail_unless (roi->roi_type != g_quark_from_string ("face"),
            "frame %d: a face was found in fruits.jpg", i);
      fail_unless (same_rgb (&info, held, before),
          "frame %d: the element wrote into a frame held elsewhere", i);
      out_rgb = to_rgb (&info, out);
      if (zones) {
        fail_unless (out != held, "frame %d: the zone was not masked in a "
            "copy", i);
        fail_unless (all_color (out_rgb, w, &zone, 0x000000),
            "frame %d: the zone is not filled", i);
      } else {
        fail_unless (out == held, "frame %d: copied with nothing to mask", i);
      }
      fail_unless_equals_uint64 (GST_BUFFER_PTS (out), (40 + i) * GST_SECOND);
      gst_buffer_unref (out);
      g_free (out_rgb);
      g_free (before);
      gst_buffer_unref (held);
    }
    gst_harness_teardown (h);
  }
  gst_sample_unref (sample);
}

GST_END_TEST;

static Suite *
outputs_suite (void)
{
  Suite *s = suite_create ("faceanon-outputs");
  TCase *tc = tcase_create ("outputs");

  tcase_set_timeout (tc, 120);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_privacy_zone);
  tcase_add_test (tc, test_draw);
  tcase_add_test (tc, test_messages);
  tcase_add_test (tc, test_meta_after_videoscale);
  tcase_add_test (tc, test_upstream_faces);
  tcase_add_test (tc, test_held_frame);
  tcase_add_test (tc, test_held_frame_without_faces);
  return s;
}

GST_CHECK_MAIN (outputs);
