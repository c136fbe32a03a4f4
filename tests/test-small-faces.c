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

/* Small faces in a wide frame, as a street camera sees them: astronaut.png
 * shrunk until its face is about 20 px wide, six times across a 1080p
 * frame, one in each fine tile, far too small for the whole-frame pass.
 * The fine tiles are searched in rotation (sweep-time), so a face is
 * looked at only when its tile comes round:
 * - once found, it stays masked on every frame until its tile is searched
 *   again, even with a hold-time far shorter than the rotation;
 * - with async detection, no frame waits for the tiles: the frames that
 *   wait (the first, and those after a cut) wait for the whole-frame pass
 *   alone. */

#include "fa-check.h"
#include "needs-yunet.h"

#define W 1920
#define H 1080
#define N_FACES 6
/* astronaut.png (512 x 512, the face 82 px wide) at this size: a 20 px face */
#define SMALL 128

static GstCaps *
caps_1080p (GstVideoInfo * info)
{
  GstCaps *caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING,
      "RGB", "width", G_TYPE_INT, W, "height", G_TYPE_INT, H, "framerate",
      GST_TYPE_FRACTION, 30, 1, NULL);

  fail_unless (gst_video_info_from_caps (info, caps));
  return caps;
}

/* The frame, and where each face is in it. */
static GstBuffer *
street (const GstVideoInfo * info, Rect faces[N_FACES])
{
  GstSample *small = load_still (ASTRONAUT, GST_VIDEO_FORMAT_RGB, SMALL,
      SMALL);
  GstVideoInfo sinfo;
  GstVideoFrame from, to;
  GstBuffer *buf = gst_buffer_new_and_alloc (GST_VIDEO_INFO_SIZE (info));
  Rect face = ASTRONAUT_FACE;

  info_from_sample (small, &sinfo);
  gst_buffer_memset (buf, 0, 0x70, GST_VIDEO_INFO_SIZE (info));
  fail_unless (gst_video_frame_map (&from, &sinfo,
          gst_sample_get_buffer (small), GST_MAP_READ));
  fail_unless (gst_video_frame_map (&to, info, buf, GST_MAP_WRITE));
  for (guint i = 0; i < N_FACES; i++) {
    /* the middle of each of a 3 x 2 grid */
    gint ox = (gint) ((i % 3) * W / 3 + W / 6 - SMALL / 2);
    gint oy = (gint) ((i / 3) * H / 2 + H / 4 - SMALL / 2);

    for (gint y = 0; y < SMALL; y++)
      memcpy (GST_VIDEO_FRAME_PLANE_DATA (&to, 0) + (gsize) (oy + y) *
          GST_VIDEO_FRAME_PLANE_STRIDE (&to, 0) + ox * 3,
          GST_VIDEO_FRAME_PLANE_DATA (&from, 0) + (gsize) y *
          GST_VIDEO_FRAME_PLANE_STRIDE (&from, 0), SMALL * 3);
    faces[i].x = ox + face.x * SMALL / 512;
    faces[i].y = oy + face.y * SMALL / 512;
    faces[i].w = face.w * SMALL / 512;
    faces[i].h = face.h * SMALL / 512;
  }
  gst_video_frame_unmap (&to);
  gst_video_frame_unmap (&from);
  gst_sample_unref (small);
  return buf;
}

/* Whether a face meta of @buf lies on @r. */
static gboolean
masked_at (GstBuffer * buf, const Rect * r)
{
  GArray *faces = faces_of (buf);
  gdouble iou = 0.0;

  best_match (faces, r, &iou);
  g_array_unref (faces);
  return iou > 0.3;
}

/* hold-time 10 ms, a third of a frame; the tiles come round every few
 * frames. A face found by its tile is masked on every frame from then on:
 * between its tile's visits no search could have found it, so its hold
 * does not run. With the hold counted as the detector ran (the tracker
 * before fa_tracker_update_searched), each face showed between visits. */
GST_START_TEST (test_held_until_tile_searched_again)
{
  GstVideoInfo info;
  GstCaps *caps = caps_1080p (&info);
  Rect faces[N_FACES];
  GstBuffer *frame = street (&info, faces);
  GstHarness *h = anon_harness_new (caps, "min-face-size", 12,
      "sweep-time", (guint64) GST_SECOND, "hold-time",
      (guint64) (10 * GST_MSECOND), NULL);
  gint first[N_FACES];
  guint found = 0;
  GstStructure *stats;
  guint tiles = 0, rotation = 0;

  for (guint i = 0; i < N_FACES; i++)
    first[i] = -1;
  for (gint f = 0; f < 24; f++) {
    GstBuffer *out;

    GST_BUFFER_PTS (frame) = f * GST_SECOND / 30;
    out = anon_push (h, frame);

    for (guint i = 0; i < N_FACES; i++) {
      gboolean on = masked_at (out, &faces[i]);

      if (first[i] < 0 && on)
        first[i] = f;
      fail_unless (first[i] < 0 || on, "face %u, found on frame %d, is not "
          "masked on frame %d", i, first[i], f);
    }
    gst_buffer_unref (out);
  }
  g_object_get (h->element, "stats", &stats, NULL);
  gst_structure_get_uint (stats, "tiles", &tiles);
  gst_structure_get_uint (stats, "rotation", &rotation);
  gst_structure_free (stats);
  GST_INFO ("%u tiles, a sweep of %u frames", tiles, rotation);
  fail_unless (tiles >= N_FACES && rotation >= 3, "%u tiles, a sweep of %u "
      "frames: the faces are not left to a rotation", tiles, rotation);
  for (guint i = 0; i < N_FACES; i++)
    found += first[i] >= 0;
  /* the faces are real and found: a test of holding, not of luck */
  fail_unless (found >= N_FACES - 1, "only %u of %d small faces found",
      found, N_FACES);
  gst_buffer_unref (frame);
  gst_caps_unref (caps);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* With async detection the frames that wait, the first one and those
 * after a cut, wait for the whole-frame pass alone: every other pass, the
 * tiles among them, runs on the detection thread. */
GST_START_TEST (test_async_frames_never_wait_for_tiles)
{
  GstVideoInfo info;
  GstCaps *caps = caps_1080p (&info);
  Rect faces[N_FACES];
  GstBuffer *frame = street (&info, faces);
  GstBuffer *black = gst_buffer_new_and_alloc (GST_VIDEO_INFO_SIZE (&info));
  GstHarness *h = anon_harness_new (caps, "min-face-size", 12,
      "async-detection", 1, NULL);
  GstStructure *stats;
  guint64 frame_passes = 0, cuts = 0, detections = 0;
  guint tiles = 0;

  gst_buffer_memset (black, 0, 0, GST_VIDEO_INFO_SIZE (&info));
  /* the street until the detection thread has run a few times, a cut to
   * black, and back to the street */
  for (gint f = 0, phase = 0, in_phase = 0; phase < 3 && f < 600; f++) {
    GstBuffer *in = phase == 1 ? black : frame;
    GstBuffer *out;

    GST_BUFFER_PTS (in) = f * GST_SECOND / 30;
    out = anon_push (h, in);
    gst_buffer_unref (out);
    g_usleep (20 * 1000);
    g_object_get (h->element, "stats", &stats, NULL);
    gst_structure_get_uint64 (stats, "detections", &detections);
    gst_structure_free (stats);
    in_phase++;
    if ((phase == 0 && detections >= 4) || (phase > 0 && in_phase >= 5)) {
      phase++;
      in_phase = 0;
    }
  }
  g_object_get (h->element, "stats", &stats, NULL);
  gst_structure_get_uint64 (stats, "frame-passes", &frame_passes);
  gst_structure_get_uint64 (stats, "scene-cuts", &cuts);
  gst_structure_get_uint64 (stats, "detections", &detections);
  gst_structure_get_uint (stats, "tiles", &tiles);
  gst_structure_free (stats);
  GST_INFO ("%" G_GUINT64_FORMAT " passes waited for, %" G_GUINT64_FORMAT
      " cuts, %" G_GUINT64_FORMAT " detections, %u tiles", frame_passes, cuts,
      detections, tiles);
  fail_unless (tiles >= N_FACES);
  fail_unless (cuts >= 2, "the cuts to black and back were not seen");
  fail_unless (detections >= 4, "the detection thread did not run");
  /* the first frame and each cut: one pass each */
  fail_unless_equals_uint64 (frame_passes, 1 + cuts);
  gst_buffer_unref (frame);
  gst_buffer_unref (black);
  gst_caps_unref (caps);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
small_faces_suite (void)
{
  Suite *s = suite_create ("faceanon-small-faces");
  TCase *tc = tcase_create ("tiles");

  tcase_set_timeout (tc, 300);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_held_until_tile_searched_again);
  tcase_add_test (tc, test_async_frames_never_wait_for_tiles);
  return s;
}

int
main (int argc, char **argv)
{
  gst_check_init (&argc, &argv);
  /* 20 px faces: BlazeFace, the fallback, finds none */
  needs_yunet ("test-small-faces");
  return gst_check_run_suite (small_faces_suite (), "small-faces", __FILE__);
}
