/* GStreamer faceanon end-to-end test
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

/* What the first example of the element's documentation promises: a real
 * clip, decoded, anonymized and encoded into an MP4 file, with no
 * videoconvert. The file must be complete (every frame, the same size) and
 * a face detector must no longer find the faces in it. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/video/video.h>

#include "fa-data.h"
#include "needs-yunet.h"

#define MEGAMIND_FRAMES 270
/* the element's confidence-threshold default */
#define DEFAULT_THRESHOLD 0.5
#define MEGAMIND_WIDTH 720
#define MEGAMIND_HEIGHT 528

typedef struct
{
  gint frames;                  /* buffers out of the element "anon" */
  gint with_faces;              /* of which carry a "face" ROI meta scoring
                                 * at least the default threshold */
  gint width, height;
} Counts;

static GstPadProbeReturn
count_frames (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Counts *counts = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstVideoRegionOfInterestMeta *meta;
  gpointer state = NULL;
  gboolean face = FALSE;

  /* faces cut by the frame's edge are taken from 0.6 of the threshold;
   * only what scores the threshold counts as a face found again */
  while ((meta = (GstVideoRegionOfInterestMeta *)
          gst_buffer_iterate_meta_filtered (buf, &state,
              GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    GstStructure *det =
        gst_video_region_of_interest_meta_get_param (meta, "detection");
    gdouble confidence = 0.0;

    if (meta->roi_type == g_quark_from_static_string ("face") && det
        && gst_structure_get_double (det, "confidence", &confidence)
        && confidence >= DEFAULT_THRESHOLD)
      face = TRUE;
  }

  counts->frames++;
  if (face)
    counts->with_faces++;
  if (counts->width == 0) {
    GstCaps *caps = gst_pad_get_current_caps (pad);
    GstVideoInfo vinfo;

    if (caps && gst_video_info_from_caps (&vinfo, caps)) {
      counts->width = GST_VIDEO_INFO_WIDTH (&vinfo);
      counts->height = GST_VIDEO_INFO_HEIGHT (&vinfo);
    }
    gst_clear_caps (&caps);
  }
  return GST_PAD_PROBE_OK;
}

/* Runs @launch, which has a faceanon named "anon", to EOS; counts what
 * leaves the element. */
static Counts
run_to_eos (const gchar * launch)
{
  Counts counts = { 0, };
  GError *err = NULL;
  GstElement *pipeline, *anon;
  GstMessage *msg;
  GstBus *bus;
  GstPad *src;

  pipeline = gst_parse_launch (launch, &err);
  fail_unless (pipeline != NULL, "%s: %s", launch, err ? err->message : "?");
  anon = gst_bin_get_by_name (GST_BIN (pipeline), "anon");
  src = gst_element_get_static_pad (anon, "src");
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER, count_frames, &counts,
      NULL);

  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, 100 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "%s: neither EOS nor an error in 100 s", launch);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    gchar *debug = NULL;

    gst_message_parse_error (msg, &err, &debug);
    fail ("%s: error from %s: %s (%s)", launch, GST_MESSAGE_SRC_NAME (msg),
        err->message, debug);
  }
  gst_message_unref (msg);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);

  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (anon);
  gst_object_unref (pipeline);
  return counts;
}

/* The launch line that writes @mp4 from the clip through @filter. */
static gchar *
encode_launch (const gchar * filter, const gchar * mp4)
{
  return g_strdup_printf ("filesrc location=%s ! decodebin ! %s name=anon ! "
      "x264enc speed-preset=ultrafast ! mp4mux ! filesink location=%s",
      MEGAMIND, filter, mp4);
}

GST_START_TEST (test_clip_to_mp4)
{
  gchar *dir = g_dir_make_tmp ("faceanon-XXXXXX", NULL);
  gchar *mp4 = g_build_filename (dir, "megamind-anon.mp4", NULL);
  gchar *ref_mp4 = g_build_filename (dir, "megamind.mp4", NULL);
  gchar *launch;
  GStatBuf st;
  Counts encoded, samples, decoded, ref_decoded;
  gint64 t0;

  if (!g_file_test (MEGAMIND, G_FILE_TEST_IS_REGULAR))
    fail ("%s is missing: install opencv-doc", MEGAMIND);

  /* the documented launch line, minus its videoconvert: the decoder's I420
   * goes straight in and straight out to the encoder */
  t0 = g_get_monotonic_time ();
  launch = encode_launch ("faceanon", mp4);
  encoded = run_to_eos (launch);
  g_free (launch);
  g_print ("anonymized %d frames in %.1f s, faces masked in %d\n",
      encoded.frames, (g_get_monotonic_time () - t0) / 1e6, encoded.with_faces);
  fail_unless_equals_int (encoded.frames, MEGAMIND_FRAMES);
  /* the clip has a face in 269 of its frames: they were found */
  fail_unless (encoded.with_faces >= MEGAMIND_FRAMES - 10,
      "faces found in %d frames only", encoded.with_faces);

  fail_unless (g_stat (mp4, &st) == 0, "%s was not written", mp4);
  fail_unless (st.st_size > 100 * 1024, "%s is only %" G_GINT64_FORMAT
      " bytes", mp4, (gint64) st.st_size);

  /* the file holds every frame */
  launch = g_strdup_printf ("filesrc location=%s ! qtdemux ! "
      "identity name=anon ! fakesink", mp4);
  samples = run_to_eos (launch);
  g_free (launch);
  fail_unless_equals_int (samples.frames, MEGAMIND_FRAMES);

  /* decoded again, it has as many frames as the same file made without
   * faceanon, at the clip's size, and a second faceanon at its default
   * detection settings (tracking off: only what it detects counts) finds
   * (almost) no face in it. (A player shows 269 frames of
   * either file: the clip ends on a not-coded VOP that avdec_mpeg4 outputs
   * with the timestamp of the frame before, and the MP4 keeps that.) */
  t0 = g_get_monotonic_time ();
  launch = g_strdup_printf ("filesrc location=%s ! decodebin ! "
      "faceanon name=anon tracking=false ! fakesink", mp4);
  decoded = run_to_eos (launch);
  g_free (launch);
  g_print ("decoded %d frames of %dx%d in %.1f s, faces found again in %d\n",
      decoded.frames, decoded.width, decoded.height,
      (g_get_monotonic_time () - t0) / 1e6, decoded.with_faces);

  launch = encode_launch ("identity", ref_mp4);
  run_to_eos (launch);
  g_free (launch);
  launch = g_strdup_printf ("filesrc location=%s ! decodebin ! "
      "identity name=anon ! fakesink", ref_mp4);
  ref_decoded = run_to_eos (launch);
  g_free (launch);

  fail_unless_equals_int (decoded.frames, ref_decoded.frames);
  fail_unless (decoded.frames >= MEGAMIND_FRAMES - 1);
  fail_unless_equals_int (decoded.width, MEGAMIND_WIDTH);
  fail_unless_equals_int (decoded.height, MEGAMIND_HEIGHT);
  /* The checker counts any detection: looked at one by one (faceanon-audit
   * on the same output), the few it finds are hair above a mask (frame 68)
   * and a hand holding a glass (frame 169), not faces. test-audit is the
   * strict check, against the original's faces. */
  fail_unless (decoded.with_faces <= 5, "a face was found again in %d of "
      "%d frames", decoded.with_faces, decoded.frames);

  g_unlink (mp4);
  g_unlink (ref_mp4);
  g_rmdir (dir);
  g_free (ref_mp4);
  g_free (mp4);
  g_free (dir);
}

GST_END_TEST;

static Suite *
pipeline_suite (void)
{
  Suite *s = suite_create ("pipeline");
  TCase *tc = tcase_create ("file");

  /* about 25 s on 2 cores; slower under valgrind or a loaded CI */
  tcase_set_timeout (tc, 240);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_clip_to_mp4);

  return s;
}

/* the masks are measured against YuNet's detections */
int
main (int argc, char **argv)
{
  gst_check_init (&argc, &argv);
  needs_yunet ("test-pipeline");
  return gst_check_run_suite (pipeline_suite (), "pipeline", __FILE__);
}
