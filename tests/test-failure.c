/* GStreamer faceanon element tests: detector failures
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

/* The element fails closed. The detector is made to fail on frames 3 to 5
 * of 8 copies of a real photo (FACEANON_INJECT_FAULTS, read when the
 * element starts), and for each on-failure policy, with tracking on and
 * off, and with the frames held upstream or not, a user checks what leaves
 * the element and what is posted on the bus: never a frame with the face
 * visible, and exactly the frames and the messages the policy promises. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "fa-check.h"

#define N_FRAMES 8
/* detector passes 3 to 5 fail; a 512x512 frame is one pass, so these are
 * frames 3 to 5 */
#define FAULTS "3-5"
#define FIRST_FAULT 3
#define LAST_FAULT 5
#define FRAME_GAP (40 * GST_MSECOND)

static const Photo astronaut = { "astronaut", ASTRONAUT, ASTRONAUT_FACE };

/* What happened to frame n (from 1) when it was pushed. */
typedef struct
{
  GstFlowReturn ret;
  GstBuffer *out;               /* what left the element, or NULL */
  guint n_errors, n_warnings, n_infos;  /* posted by faceanon meanwhile */
  GError *error, *warning;      /* the first of each */
  gchar *error_debug, *warning_debug;
} Step;

typedef struct
{
  GstSample *sample;
  GstVideoInfo info;
  GstBuffer *in;
  guint8 *rgb_in;
  gint width;
  GstHarness *h;
  GstBus *bus;
  gboolean held;                /* the frames are held upstream too */
  Step steps[N_FRAMES + 1];     /* steps[1..N_FRAMES] */
} Run;

/* A faceanon whose detector fails on frames 3 to 5, with @policy and
 * @tracking, its messages on a bus of our own. With @held, the test keeps
 * a reference to each frame it pushes, as a decoder does to its reference
 * pictures: the element then decides on the frame before it copies it. */
static void
run_start (Run * run, const gchar * policy, gboolean tracking, gboolean held)
{
  memset (run, 0, sizeof (*run));
  run->held = held;
  run->sample = load_still (ASTRONAUT, GST_VIDEO_FORMAT_I420, 0, 0);
  run->in = gst_sample_get_buffer (run->sample);
  info_from_sample (run->sample, &run->info);
  run->width = GST_VIDEO_INFO_WIDTH (&run->info);
  run->rgb_in = to_rgb (&run->info, run->in);

  /* the detector reads it when the element starts, in the harness */
  g_setenv ("FACEANON_INJECT_FAULTS", FAULTS, TRUE);
  run->h = anon_harness_new (gst_sample_get_caps (run->sample), "tracking",
      tracking, NULL);
  gst_util_set_object_arg (G_OBJECT (run->h->element), "on-failure", policy);
  run->bus = gst_bus_new ();
  gst_element_set_bus (run->h->element, run->bus);
}

static void
run_stop (Run * run)
{
  for (guint n = 1; n <= N_FRAMES; n++) {
    Step *step = &run->steps[n];

    gst_clear_buffer (&step->out);
    g_clear_error (&step->error);
    g_clear_error (&step->warning);
    g_free (step->error_debug);
    g_free (step->warning_debug);
  }
  gst_element_set_bus (run->h->element, NULL);
  gst_object_unref (run->bus);
  gst_harness_teardown (run->h);
  g_unsetenv ("FACEANON_INJECT_FAULTS");
  g_free (run->rgb_in);
  gst_sample_unref (run->sample);
}

/* Pushes the 8 frames, 40 ms apart, and records what happened to each:
 * the flow, what came out (matched by its timestamp) and the messages. */
static void
run_push_all (Run * run)
{
  for (guint n = 1; n <= N_FRAMES; n++) {
    Step *step = &run->steps[n];
    GstClockTime pts = (n - 1) * FRAME_GAP;
    GstBuffer *in = copy_at (run->in, pts), *out;
    GstMessage *msg;

    if (run->held)
      gst_buffer_ref (in);
    step->ret = gst_harness_push (run->h, in);
    if (run->held) {
      fail_unless (same_rgb (&run->info, in, run->rgb_in),
          "frame %u: the element wrote into a frame held upstream", n);
      gst_buffer_unref (in);
    }

    while ((out = gst_harness_try_pull (run->h))) {
      fail_unless (GST_BUFFER_PTS (out) == pts, "frame %u: a buffer with "
          "PTS %" GST_TIME_FORMAT " came out", n,
          GST_TIME_ARGS (GST_BUFFER_PTS (out)));
      fail_unless (step->out == NULL, "frame %u came out twice", n);
      step->out = out;
    }

    while ((msg = gst_bus_pop (run->bus))) {
      fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (run->h->element));
      switch (GST_MESSAGE_TYPE (msg)) {
        case GST_MESSAGE_ERROR:
          if (step->n_errors++ == 0)
            gst_message_parse_error (msg, &step->error, &step->error_debug);
          break;
        case GST_MESSAGE_WARNING:
          if (step->n_warnings++ == 0)
            gst_message_parse_warning (msg, &step->warning,
                &step->warning_debug);
          break;
        case GST_MESSAGE_INFO:
          step->n_infos++;
          break;
        default:
          break;
      }
      gst_message_unref (msg);
    }
    GST_INFO ("frame %u: %s, %s, %u errors, %u warnings, %u infos", n,
        gst_flow_get_name (step->ret), step->out ? "out" : "not out",
        step->n_errors, step->n_warnings, step->n_infos);
  }
}

/* The face of frame @n is hidden: it changed strongly and lost its
 * detail. Every frame that leaves the element must pass this. */
static void
assert_face_hidden (Run * run, GstBuffer * out, guint n)
{
  guint8 *rgb_out = to_rgb (&run->info, out);
  gdouble diff, e_in, e_out;

  diff = mean_abs_diff (run->rgb_in, rgb_out, run->width, &astronaut.face);
  e_in = detail_energy (run->rgb_in, run->width, &astronaut.face);
  e_out = detail_energy (rgb_out, run->width, &astronaut.face);
  GST_INFO ("frame %u: face changed by %.1f, detail %.1f -> %.2f", n, diff,
      e_in, e_out);
  fail_unless (diff >= 12.0, "frame %u left with its face changed by %.1f "
      "on average only", n, diff);
  fail_unless (e_out * 30.0 < e_in, "frame %u left with the detail of its "
      "face (%.1f -> %.1f)", n, e_in, e_out);
  g_free (rgb_out);
}

/* Frame @n left as without any failure: a face meta on the face, the face
 * hidden, and not one byte outside its mask changed. */
static void
assert_masked_normally (Run * run, guint n)
{
  GstBuffer *out = run->steps[n].out;
  GArray *faces, *masks;
  const Face *face;
  gdouble iou;

  fail_unless (out != NULL, "frame %u did not come out", n);
  faces = faces_of (out);
  face = best_match (faces, &astronaut.face, &iou);
  fail_unless (face != NULL && iou >= 0.4, "frame %u: no face meta on the "
      "face (%u metas, best IoU %.2f)", n, faces->len, iou);
  assert_face_hidden (run, out, n);
  masks = padded_masks (faces, DEFAULT_MASK_SCALE);
  assert_only_masks_changed (&run->info, run->in, out, masks);
  g_array_unref (masks);
  g_array_unref (faces);
}

/* Frame @n left masked whole: nearly every pixel changed, the face shows
 * no detail and a detector no longer finds it. */
static void
assert_masked_whole (Run * run, guint n)
{
  GstBuffer *out = run->steps[n].out;
  Rect all = { 0, 0, run->width, GST_VIDEO_INFO_HEIGHT (&run->info) };
  guint8 *rgb_out;
  gdouble changed;

  fail_unless (out != NULL, "frame %u did not come out", n);
  rgb_out = to_rgb (&run->info, out);
  changed = changed_fraction (run->rgb_in, rgb_out, run->width, &all, 2);
  GST_INFO ("frame %u: %.1f %% of the pixels changed", n, 100.0 * changed);
  fail_unless (changed >= 0.9, "frame %u: only %.1f %% of the pixels "
      "changed: not masked whole", n, 100.0 * changed);
  assert_face_hidden (run, out, n);
  assert_not_redetected (&astronaut, &run->info, out, NULL, 640,
      DEFAULT_THRESHOLD);
  g_free (rgb_out);
}

/* A message from faceanon about the failure: a stream error that says the
 * face detection failed and carries the detector's own error. */
static void
assert_names_failure (const GError * err, const gchar * debug,
    const gchar * what)
{
  gchar *text;

  fail_unless (err != NULL);
  GST_INFO ("%s: %s (%s)", what, err->message, debug);
  fail_unless (err->domain == GST_STREAM_ERROR, "%s in domain %s", what,
      g_quark_to_string (err->domain));
  text = g_ascii_strdown (err->message, -1);
  fail_unless (strstr (text, "face detection") != NULL
      && strstr (text, "fail") != NULL, "the %s does not say that face "
      "detection failed: %s", what, err->message);
  fail_unless (debug != NULL && strstr (debug, "FACEANON_INJECT_FAULTS"),
      "the %s does not carry the detector's error: %s", what, debug);
  g_free (text);
}

static guint
count_out (Run * run)
{
  guint n_out = 0;

  for (guint n = 1; n <= N_FRAMES; n++)
    n_out += run->steps[n].out != NULL;
  return n_out;
}

/* on-failure=error: the frame the detector fails on stops the stream with
 * a stream error; the frames before it leave masked. An upstream that
 * pushes on regardless gets nothing unmasked either. */
GST_START_TEST (test_on_failure_error)
{
  gboolean tracking = (__i__ & 1) == 0, held = __i__ >= 2;
  Run run;

  run_start (&run, "error", tracking, held);
  run_push_all (&run);

  for (guint n = 1; n < FIRST_FAULT; n++) {
    fail_unless_equals_int (run.steps[n].ret, GST_FLOW_OK);
    assert_masked_normally (&run, n);
    fail_unless_equals_int (run.steps[n].n_errors, 0);
  }

  /* frame 3: an error, on the bus and as the flow, and no frame */
  fail_unless_equals_int (run.steps[FIRST_FAULT].ret, GST_FLOW_ERROR);
  fail_unless (run.steps[FIRST_FAULT].out == NULL);
  fail_unless_equals_int (run.steps[FIRST_FAULT].n_errors, 1);
  assert_names_failure (run.steps[FIRST_FAULT].error,
      run.steps[FIRST_FAULT].error_debug, "error");

  /* pushed on regardless: refused while the detector fails, masked after */
  for (guint n = FIRST_FAULT + 1; n <= LAST_FAULT; n++) {
    fail_unless_equals_int (run.steps[n].ret, GST_FLOW_ERROR);
    fail_unless (run.steps[n].out == NULL, "frame %u came out", n);
  }
  for (guint n = 1; n <= N_FRAMES; n++) {
    if (run.steps[n].out)
      assert_masked_normally (&run, n);
    fail_unless_equals_int (run.steps[n].n_warnings, 0);
  }

  run_stop (&run);
}

GST_END_TEST;

/* on-failure=mask-frame: every frame leaves; those the detector fails on
 * are masked whole, with one warning for the run of failures and an info
 * when detection works again; the frames after are masked as before. */
GST_START_TEST (test_on_failure_mask_frame)
{
  gboolean tracking = (__i__ & 1) == 0, held = __i__ >= 2;
  guint warnings = 0, infos = 0;
  Run run;

  run_start (&run, "mask-frame", tracking, held);
  run_push_all (&run);

  fail_unless_equals_int (count_out (&run), N_FRAMES);
  for (guint n = 1; n <= N_FRAMES; n++) {
    fail_unless_equals_int (run.steps[n].ret, GST_FLOW_OK);
    fail_unless_equals_int (run.steps[n].n_errors, 0);
    if (n >= FIRST_FAULT && n <= LAST_FAULT)
      assert_masked_whole (&run, n);
    else
      assert_masked_normally (&run, n);
    warnings += run.steps[n].n_warnings;
    infos += run.steps[n].n_infos;
  }

  /* one warning, on the first failure; one info, on the recovery */
  fail_unless_equals_int (warnings, 1);
  fail_unless_equals_int (run.steps[FIRST_FAULT].n_warnings, 1);
  assert_names_failure (run.steps[FIRST_FAULT].warning,
      run.steps[FIRST_FAULT].warning_debug, "warning");
  fail_unless_equals_int (infos, 1);
  fail_unless_equals_int (run.steps[LAST_FAULT + 1].n_infos, 1);

  run_stop (&run);
}

GST_END_TEST;

/* on-failure=drop: the frames the detector fails on do not leave, without
 * stopping the stream, with one warning; the others leave masked. */
GST_START_TEST (test_on_failure_drop)
{
  gboolean tracking = (__i__ & 1) == 0, held = __i__ >= 2;
  guint warnings = 0, infos = 0;
  Run run;

  run_start (&run, "drop", tracking, held);
  run_push_all (&run);

  fail_unless_equals_int (count_out (&run), N_FRAMES - 3);
  for (guint n = 1; n <= N_FRAMES; n++) {
    fail_unless_equals_int (run.steps[n].ret, GST_FLOW_OK);
    fail_unless_equals_int (run.steps[n].n_errors, 0);
    if (n >= FIRST_FAULT && n <= LAST_FAULT)
      fail_unless (run.steps[n].out == NULL, "frame %u came out", n);
    else
      assert_masked_normally (&run, n);
    warnings += run.steps[n].n_warnings;
    infos += run.steps[n].n_infos;
  }

  fail_unless_equals_int (warnings, 1);
  fail_unless_equals_int (run.steps[FIRST_FAULT].n_warnings, 1);
  assert_names_failure (run.steps[FIRST_FAULT].warning,
      run.steps[FIRST_FAULT].warning_debug, "warning");
  fail_unless_equals_int (infos, 1);
  fail_unless_equals_int (run.steps[LAST_FAULT + 1].n_infos, 1);

  run_stop (&run);
}

GST_END_TEST;

static Suite *
failure_suite (void)
{
  Suite *s = suite_create ("failure");
  TCase *tc = tcase_create ("on-failure");

  /* a DNN on a 2-core machine, run under valgrind or sanitizers too */
  tcase_set_timeout (tc, 120);

  suite_add_tcase (s, tc);
  /* each with tracking on (0, 2) and off (1, 3), with the frames held
   * upstream (2, 3) or not */
  tcase_add_loop_test (tc, test_on_failure_error, 0, 4);
  tcase_add_loop_test (tc, test_on_failure_mask_frame, 0, 4);
  tcase_add_loop_test (tc, test_on_failure_drop, 0, 4);

  return s;
}

GST_CHECK_MAIN (failure);
