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

/* The element through GstHarness, on real photos from Debian packages:
 * what a user checks is that the face is hidden (it changed, its detail is
 * gone, a detector no longer finds it), that nothing else changed by a
 * single bit, that the face is reported as a ROI meta, that a bad model
 * stops the stream with a clear error, and that the properties say what
 * they do and take effect on the next buffer. Every format and stride is
 * in test-formats.c, detector failures in test-failure.c, tracking in
 * test-tracking.c. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <glib/gstdio.h>

#include "fa-check.h"

static const Photo photos[] = {
  {"messi5", MESSI5, {225, 92, 34, 39}},
  {"astronaut", ASTRONAUT, ASTRONAUT_FACE},
  {"grace_hopper", GRACE_HOPPER, {163, 135, 200, 182}},
};

/* ---------------------------------------------------------- real photos */

static const GstVideoFormat photo_formats[] = {
  GST_VIDEO_FORMAT_RGB, GST_VIDEO_FORMAT_I420
};

GST_START_TEST (test_photo_face_hidden)
{
  const Photo *photo = &photos[__i__ / G_N_ELEMENTS (photo_formats)];
  GstVideoFormat format = photo_formats[__i__ % G_N_ELEMENTS (photo_formats)];
  GstSample *sample = load_still (photo->path, format, 0, 0);
  GstBuffer *in = gst_sample_get_buffer (sample), *out;
  GstVideoInfo info;
  GstHarness *h;
  GArray *faces, *masks, *boxes;
  const Face *face;
  gdouble iou, diff, e_in, e_out;
  guint8 *rgb_in, *rgb_out;
  gint w, full;
  gfloat score;

  info_from_sample (sample, &info);
  w = GST_VIDEO_INFO_WIDTH (&info);
  full = MAX (w, GST_VIDEO_INFO_HEIGHT (&info));
  h = anon_harness_new (gst_sample_get_caps (sample), NULL);
  out = anon_push (h, in);

  /* the face is reported, where it is, with a confidence that passed */
  faces = faces_of (out);
  face = best_match (faces, &photo->face, &iou);
  GST_INFO ("%s %s: %u faces, best IoU %.2f", photo->name,
      GST_VIDEO_INFO_NAME (&info), faces->len, iou);
  fail_unless (face != NULL && iou >= 0.4,
      "%s: no face meta on the face (%u metas, best IoU %.2f)",
      photo->name, faces->len, iou);
  fail_unless (face->confidence >= DEFAULT_THRESHOLD
      && face->confidence <= 1.0, "confidence %f", face->confidence);

  /* the face changed strongly and lost its detail */
  rgb_in = to_rgb (&info, in);
  rgb_out = to_rgb (&info, out);
  diff = mean_abs_diff (rgb_in, rgb_out, w, &photo->face);
  e_in = detail_energy (rgb_in, w, &photo->face);
  e_out = detail_energy (rgb_out, w, &photo->face);
  GST_INFO ("%s %s: mean abs diff %.1f, detail %.1f -> %.2f (/%.0f)",
      photo->name, GST_VIDEO_INFO_NAME (&info), diff, e_in, e_out,
      e_in / MAX (e_out, 1e-6));
  fail_unless (diff >= 12.0, "%s: the face changed by %.1f on average only",
      photo->name, diff);
  fail_unless (e_out * 30.0 < e_in, "%s: the face kept its detail "
      "(%.1f -> %.1f)", photo->name, e_in, e_out);

  /* nothing outside the masks changed by a single bit */
  masks = padded_masks (faces, DEFAULT_MASK_SCALE);
  assert_only_masks_changed (&info, in, out, masks);

  /* the detector finds the face in the input, at full resolution... */
  boxes = detect_faces (&info, in, NULL, full, DEFAULT_THRESHOLD);
  fail_unless (count_at (boxes, &photo->face, &score) >= 1);
  g_array_unref (boxes);

  /* ...but no longer in the output, at the element's default threshold:
   * at its default detection-size, at full resolution and at half of it */
  assert_not_redetected (photo, &info, out, NULL, 640, DEFAULT_THRESHOLD);
  assert_not_redetected (photo, &info, out, NULL, full, DEFAULT_THRESHOLD);
  assert_not_redetected (photo, &info, out, NULL, full / 2, DEFAULT_THRESHOLD);

  g_free (rgb_in);
  g_free (rgb_out);
  g_array_unref (masks);
  g_array_unref (faces);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
  gst_sample_unref (sample);
}

GST_END_TEST;

/* A second, independent detector (YuNet-n, if models/fetch-models.sh
 * installed it) finds no face on the masked photos either. */
GST_START_TEST (test_photo_other_detector)
{
  const Photo *photo = &photos[__i__];
  const gchar *dir = g_getenv ("FACEANON_MODEL_DIR");
  gchar *model = g_build_filename (dir ? dir : ".", "yunet_n_640_640.onnx",
      NULL);
  GstSample *sample;
  GstBuffer *in, *out;
  GstVideoInfo info;
  GstHarness *h;
  GArray *boxes;
  gfloat score;
  gint full;

  if (!g_file_test (model, G_FILE_TEST_IS_REGULAR)) {
    GST_WARNING ("%s is not installed: skipping", model);
    g_free (model);
    return;
  }
  sample = load_still (photo->path, GST_VIDEO_FORMAT_I420, 0, 0);
  in = gst_sample_get_buffer (sample);
  info_from_sample (sample, &info);
  full = MAX (GST_VIDEO_INFO_WIDTH (&info), GST_VIDEO_INFO_HEIGHT (&info));

  boxes = detect_faces (&info, in, model, full, DEFAULT_THRESHOLD);
  fail_unless (count_at (boxes, &photo->face, &score) >= 1,
      "YuNet-n does not find the face of the input");
  g_array_unref (boxes);

  h = anon_harness_new (gst_sample_get_caps (sample), NULL);
  out = anon_push (h, in);
  assert_not_redetected (photo, &info, out, model, full, DEFAULT_THRESHOLD);
  assert_not_redetected (photo, &info, out, model, full / 2, DEFAULT_THRESHOLD);

  gst_buffer_unref (out);
  gst_harness_teardown (h);
  gst_sample_unref (sample);
  g_free (model);
}

GST_END_TEST;

/* A frame without a face leaves the element untouched and unannotated. */
GST_START_TEST (test_no_face_untouched)
{
  GstVideoInfo info;
  GstBuffer *in, *out;
  GstHarness *h;
  GstCaps *caps;
  GstMapInfo map;
  GArray *faces;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, 385, 289);
  caps = gst_video_info_to_caps (&info);
  in = gst_buffer_new_allocate (NULL, info.size, NULL);
  fail_unless (gst_buffer_map (in, &map, GST_MAP_WRITE));
  for (gsize i = 0; i < map.size; i++)
    map.data[i] = (guint8) ((i * 7) ^ (i >> 9));
  gst_buffer_unmap (in, &map);

  h = anon_harness_new (caps, NULL);
  out = anon_push (h, in);
  faces = faces_of (out);
  fail_unless_equals_int (faces->len, 0);
  {
    GArray *none = g_array_new (FALSE, FALSE, sizeof (Rect));

    assert_only_masks_changed (&info, in, out, none);
    g_array_unref (none);
  }

  g_array_unref (faces);
  gst_buffer_unref (out);
  gst_buffer_unref (in);
  gst_caps_unref (caps);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A face cut by the frame's edge scores lower, having half of what the
 * detector learnt a face to be: astronaut.png cropped so that only the
 * right 30 of the face's 82 columns remain, at the left edge, scores 0.47
 * with YuNet. The element takes such a face from 0.6 of its threshold, so
 * at the default 0.5 it masks what is left of it; at 0.8 (0.48 at the
 * edge) it does not, which shows the rule is what masks it. */
#define EDGE_CROP 232

GST_START_TEST (test_face_cut_by_edge)
{
  GstSample *sample = load_still (ASTRONAUT, GST_VIDEO_FORMAT_I420, 0, 0);
  GstHarness *crop, *h;
  GstBuffer *in, *out;
  GstVideoInfo info;
  GstCaps *caps;
  Rect face = ASTRONAUT_FACE, left;
  guint8 *rgb_in, *rgb_out;
  GArray *faces;
  gint w;

  /* the cropped frame, as the element gets it */
  crop = gst_harness_new_parse ("videocrop left=" G_STRINGIFY (EDGE_CROP));
  gst_harness_set_src_caps (crop, gst_caps_copy (gst_sample_get_caps (sample)));
  in = gst_harness_push_and_pull (crop,
      gst_buffer_copy_deep (gst_sample_get_buffer (sample)));
  fail_unless (in != NULL);
  caps = gst_pad_get_current_caps (crop->sinkpad);
  fail_unless (gst_video_info_from_caps (&info, caps));
  w = GST_VIDEO_INFO_WIDTH (&info);
  fail_unless_equals_int (w, 512 - EDGE_CROP);
  /* what is left of the face: 30 columns at the left edge */
  left = (Rect) {
  0, face.y, face.x + face.w - EDGE_CROP, face.h};

  for (guint i = 0; i < 2; i++) {
    gboolean strict = i == 1;
    gdouble before, after;

    h = anon_harness_new (caps, "tracking", FALSE, NULL);
    if (strict)
      g_object_set (h->element, "confidence-threshold", 0.8f, NULL);
    out = anon_push (h, in);
    faces = faces_of (out);
    rgb_in = to_rgb (&info, in);
    rgb_out = to_rgb (&info, out);
    before = detail_energy (rgb_in, w, &left);
    after = detail_energy (rgb_out, w, &left);
    GST_INFO ("threshold %s: %u faces, detail %.1f -> %.1f",
        strict ? "0.8" : "0.5", faces->len, before, after);
    if (strict) {
      fail_unless_equals_int (faces->len, 0);
      fail_unless (after == before);
    } else {
      gdouble iou;

      fail_unless (best_match (faces, &left, &iou) != NULL,
          "the face cut by the edge was not found");
      fail_unless (after < 0.05 * before, "the face cut by the edge kept "
          "its detail: %.1f of %.1f", after, before);
    }
    g_free (rgb_out);
    g_free (rgb_in);
    g_array_unref (faces);
    gst_buffer_unref (out);
    gst_harness_teardown (h);
  }

  gst_caps_unref (caps);
  gst_buffer_unref (in);
  gst_harness_teardown (crop);
  gst_sample_unref (sample);
}

GST_END_TEST;

/* ----------------------------------------------------------- bad models */

/* Each way a model can be unusable, and what the error must say about it
 * besides its path. */
static const struct
{
  const gchar *kind;
  const gchar *reason;
} bad_models[] = {
  {"missing", "does not exist"},
  {"corrupt", "could not load"},
  {"directory", "not a regular file"},
  {"unknown-extension", "not a model file"},
  {"none-installed", "fetch-models.sh"},
};

static GstPadProbeReturn
count_buffers (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  g_atomic_int_inc ((gint *) user_data);
  return GST_PAD_PROBE_OK;
}

/* TRUE if a model is installed where the element looks after
 * $FACEANON_MODEL_DIR. */
static gboolean
model_installed (void)
{
  for (guint i = 0; fa_model_preference[i]; i++) {
    gchar *path = g_build_filename (FACEANON_MODEL_DIR,
        fa_model_preference[i], NULL);
    gboolean found = g_file_test (path, G_FILE_TEST_EXISTS);

    g_free (path);
    if (found)
      return TRUE;
  }
  return FALSE;
}

GST_START_TEST (test_bad_model)
{
  const gchar *kind = bad_models[__i__].kind;
  gchar *dir = g_dir_make_tmp ("faceanon-XXXXXX", NULL);
  gchar *path = NULL, *text;
  GstElement *pipeline, *anon;
  GstStateChangeReturn ret;
  GstMessage *msg;
  GstBus *bus;
  GstPad *src;
  GError *err = NULL;
  gchar *debug = NULL;
  gchar *model_dir = g_strdup (g_getenv ("FACEANON_MODEL_DIR"));
  gint buffers = 0;

  fail_unless (dir != NULL);
  if (g_str_equal (kind, "missing")) {
    path = g_strdup ("/nonexistent/x.onnx");
  } else if (g_str_equal (kind, "corrupt")) {
    static const gchar junk[] = "not a protobuf \xff\xfe\x00\x01 at all";

    path = g_build_filename (dir, "junk.onnx", NULL);
    fail_unless (g_file_set_contents (path, junk, sizeof (junk), NULL));
  } else if (g_str_equal (kind, "directory")) {
    path = g_build_filename (dir, "model.onnx", NULL);
    fail_unless (g_mkdir (path, 0755) == 0);
  } else if (g_str_equal (kind, "unknown-extension")) {
    path = g_build_filename (dir, "model.bin", NULL);
    fail_unless (g_file_set_contents (path, "0123456789", 10, NULL));
  } else {
    /* no model property, and nothing where the element looks */
    if (model_installed ()) {
      GST_WARNING ("a model is installed in %s: skipping", FACEANON_MODEL_DIR);
      g_rmdir (dir);
      g_free (dir);
      g_free (model_dir);
      return;
    }
    g_setenv ("FACEANON_MODEL_DIR", dir, TRUE);
  }

  pipeline = gst_parse_launch ("videotestsrc num-buffers=5 ! "
      "video/x-raw,format=I420,width=64,height=48 ! faceanon name=anon ! "
      "fakesink", NULL);
  fail_unless (pipeline != NULL);
  anon = gst_bin_get_by_name (GST_BIN (pipeline), "anon");
  g_object_set (anon, "model", path, NULL);
  src = gst_element_get_static_pad (anon, "src");
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, count_buffers, &buffers, NULL);

  /* the element fails to start... */
  ret = gst_element_set_state (pipeline, GST_STATE_PLAYING);
  fail_unless_equals_int (ret, GST_STATE_CHANGE_FAILURE);

  /* ...with a resource error that names the file (or the folder searched)
   * and says what is wrong with it */
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no error on the bus");
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (anon));
  gst_message_parse_error (msg, &err, &debug);
  GST_INFO ("%s: %s (%s)", kind, err->message, debug);
  fail_unless (err->domain == GST_RESOURCE_ERROR, "error domain %s",
      g_quark_to_string (err->domain));
  text = g_ascii_strdown (debug ? debug : "", -1);
  fail_unless (strstr (err->message, path ? path : dir) != NULL
      || strstr (debug ? debug : "", path ? path : dir) != NULL,
      "the error does not name '%s': %s (%s)", path ? path : dir,
      err->message, debug);
  fail_unless (strstr (text, bad_models[__i__].reason) != NULL,
      "%s: the error does not say '%s': %s (%s)", kind,
      bad_models[__i__].reason, err->message, debug);
  g_free (text);

  /* and not one buffer got out */
  gst_element_set_state (pipeline, GST_STATE_NULL);
  fail_unless_equals_int (g_atomic_int_get (&buffers), 0);

  g_clear_error (&err);
  g_free (debug);
  gst_message_unref (msg);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (anon);
  gst_object_unref (pipeline);
  if (path && g_file_test (path, G_FILE_TEST_IS_DIR))
    g_rmdir (path);
  else if (path)
    g_unlink (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
  /* the checks after this one may run in this process (CK_FORK=no, as
   * under valgrind): they need the models again */
  if (model_dir)
    g_setenv ("FACEANON_MODEL_DIR", model_dir, TRUE);
  else
    g_unsetenv ("FACEANON_MODEL_DIR");
  g_free (model_dir);
}

GST_END_TEST;

/* ----------------------------------------------------------- properties */

GST_START_TEST (test_properties_documented)
{
  GstElement *anon = gst_element_factory_make ("faceanon", NULL);
  GParamSpec **pspecs;
  guint n, own = 0;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (anon), &n);
  for (guint i = 0; i < n; i++) {
    GParamSpec *p = pspecs[i];
    const gchar *blurb = g_param_spec_get_blurb (p);

    if (p->owner_type != G_OBJECT_TYPE (anon))
      continue;
    own++;
    fail_unless (strchr (p->name, '_') == NULL, "'%s' is not hyphenated",
        p->name);
    fail_unless (blurb != NULL && strlen (blurb) > 20,
        "property '%s' has no real blurb", p->name);
    fail_if (g_str_equal (blurb, g_param_spec_get_nick (p)),
        "property '%s': the blurb only repeats the nick", p->name);
    /* stats is the one a user only reads */
    if (g_str_equal (p->name, "stats")) {
      fail_unless ((p->flags & G_PARAM_READWRITE) == G_PARAM_READABLE);
      continue;
    }
    fail_unless ((p->flags & G_PARAM_READWRITE) == G_PARAM_READWRITE, "%s",
        p->name);
    /* only the model, whether one is loaded at all, and the look-ahead
     * (the latency the element reports) are read at start; everything
     * else applies to the next buffer */
    if (g_str_equal (p->name, "model") || g_str_equal (p->name, "detector")
        || g_str_equal (p->name, "lookahead"))
      fail_unless (p->flags & GST_PARAM_MUTABLE_READY, "%s", p->name);
    else
      fail_unless (p->flags & GST_PARAM_MUTABLE_PLAYING, "%s", p->name);
  }
  fail_unless (own >= 9, "only %u properties", own);

  g_free (pspecs);
  gst_object_unref (anon);
}

GST_END_TEST;

GST_START_TEST (test_properties_defaults)
{
  /* what gst-inspect-1.0 faceanon shows, serialized */
  static const struct
  {
    const gchar *name, *value;
  } defaults[] = {
    {"method", "gaussian"},
    {"mask-shape", "box"},
    {"mask-scale", "1.3"},
    {"blur-factor", "0.3"},
    {"blocks", "4"},
    {"color", "0"},
    {"confidence-threshold", "0.5"},
    {"detection-size", "640"},
    {"min-face-size", "32"},
    {"tracking", "true"},
    {"hold-time", "1000000000"},
    {"detect-interval", "1"},
    {"on-failure", "error"},
    {"detector", "dnn"},
    {"post-messages", "false"},
    {"async-detection", "auto"},
    {"max-lag", "1000000000"},
    {"sweep-time", "500000000"},
    {"lookahead", "-1"},
  };
  GstElement *anon = gst_element_factory_make ("faceanon", NULL);
  GObjectClass *klass = G_OBJECT_GET_CLASS (anon);
  gchar *model = (gchar *) "unset", *zones = (gchar *) "unset";
  GParamSpec **pspecs;
  guint n;

  /* every property of the element is in the table above */
  pspecs = g_object_class_list_properties (klass, &n);
  for (guint i = 0; i < n; i++) {
    gboolean listed = g_str_equal (pspecs[i]->name, "model")
        || g_str_equal (pspecs[i]->name, "privacy-zones")
        || g_str_equal (pspecs[i]->name, "stats");

    if (pspecs[i]->owner_type != G_OBJECT_TYPE (anon))
      continue;
    for (guint j = 0; j < G_N_ELEMENTS (defaults) && !listed; j++)
      listed = g_str_equal (pspecs[i]->name, defaults[j].name);
    fail_unless (listed, "the default of the new property '%s' is not "
        "tested: add it to this test", pspecs[i]->name);
  }
  g_free (pspecs);

  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++) {
    GParamSpec *p = g_object_class_find_property (klass, defaults[i].name);
    GValue v = G_VALUE_INIT;
    gchar *s;

    fail_unless (p != NULL, "no property '%s'", defaults[i].name);
    g_value_init (&v, p->value_type);
    g_object_get_property (G_OBJECT (anon), p->name, &v);
    /* the element starts with the default its pspec advertises */
    fail_unless (g_param_value_defaults (p, &v), "'%s' does not start at "
        "its advertised default", p->name);
    s = gst_value_serialize (&v);
    if (G_VALUE_HOLDS_DOUBLE (&v))
      fail_unless (G_APPROX_VALUE (g_value_get_double (&v),
              g_ascii_strtod (defaults[i].value, NULL), 1e-9),
          "'%s' is %s, not %s", p->name, s, defaults[i].value);
    else
      fail_unless_equals_string (s, defaults[i].value);
    g_free (s);
    g_value_unset (&v);
  }
  g_object_get (anon, "model", &model, "privacy-zones", &zones, NULL);
  fail_unless (model == NULL);
  fail_unless (zones == NULL);

  gst_object_unref (anon);
}

GST_END_TEST;

GST_START_TEST (test_properties_while_playing)
{
  GstSample *sample = load_still (ASTRONAUT, GST_VIDEO_FORMAT_RGB, 0, 0);
  GstBuffer *in = gst_sample_get_buffer (sample), *out;
  GstVideoInfo info;
  GstHarness *h;
  GArray *faces;
  Footprint fp13, fp20;
  guint8 *rgb_in, *rgb_out;
  Rect inner;
  gint w, height;

  info_from_sample (sample, &info);
  w = GST_VIDEO_INFO_WIDTH (&info);
  height = GST_VIDEO_INFO_HEIGHT (&info);
  rgb_in = to_rgb (&info, in);
  h = anon_harness_new (gst_sample_get_caps (sample), NULL);
  fail_unless_equals_int (GST_STATE (h->element), GST_STATE_PLAYING);
  /* each buffer on its own: a tracked face would outlive threshold 1.0 */
  g_object_set (h->element, "tracking", FALSE, NULL);

  /* default: blurred, not a flat fill: many colours left */
  out = anon_push (h, in);
  faces = faces_of (out);
  fail_unless_equals_int (faces->len, 1);
  inner = inner_mask (&g_array_index (faces, Face, 0), DEFAULT_MASK_SCALE);
  rgb_out = to_rgb (&info, out);
  fail_unless (count_colors (rgb_out, w, &inner) > 200, "%u colours",
      count_colors (rgb_out, w, &inner));
  fail_if (all_color (rgb_out, w, &inner, 0x00ff00));
  fp13 = footprint (rgb_in, rgb_out, w, height, 0, FALSE);
  g_free (rgb_out);
  g_array_unref (faces);
  gst_buffer_unref (out);

  /* method=solid and a colour: the next buffer is filled with it */
  g_object_set (h->element, "color", 0x00ff00, NULL);
  gst_util_set_object_arg (G_OBJECT (h->element), "method", "solid");
  out = anon_push (h, in);
  faces = faces_of (out);
  fail_unless_equals_int (faces->len, 1);
  rgb_out = to_rgb (&info, out);
  fail_unless (all_color (rgb_out, w, &inner, 0x00ff00));
  g_free (rgb_out);
  g_array_unref (faces);
  gst_buffer_unref (out);

  /* mask-scale=2.0: the fill grows about the same centre */
  g_object_set (h->element, "mask-scale", 2.0, NULL);
  out = anon_push (h, in);
  faces = faces_of (out);
  fail_unless_equals_int (faces->len, 1);
  rgb_out = to_rgb (&info, out);
  inner = inner_mask (&g_array_index (faces, Face, 0), 2.0);
  fail_unless (all_color (rgb_out, w, &inner, 0x00ff00));
  fp20 = footprint (rgb_in, rgb_out, w, height, 0, FALSE);
  GST_INFO ("mask-scale 1.3: %d x %d, 2.0: %d x %d", fp13.x1 - fp13.x0,
      fp13.y1 - fp13.y0, fp20.x1 - fp20.x0, fp20.y1 - fp20.y0);
  fail_unless ((gdouble) (fp20.x1 - fp20.x0) / (fp13.x1 - fp13.x0) > 1.4);
  fail_unless ((gdouble) (fp20.y1 - fp20.y0) / (fp13.y1 - fp13.y0) > 1.4);
  {
    GArray *masks = padded_masks (faces, 2.0);
    assert_only_masks_changed (&info, in, out, masks);
    g_array_unref (masks);
  }
  g_free (rgb_out);
  g_array_unref (faces);
  gst_buffer_unref (out);

  /* pixelate: a blocks x blocks grid of flat cells */
  gst_util_set_object_arg (G_OBJECT (h->element), "method", "pixelate");
  g_object_set (h->element, "mask-scale", DEFAULT_MASK_SCALE, "blocks", 4,
      NULL);
  out = anon_push (h, in);
  faces = faces_of (out);
  fail_unless_equals_int (faces->len, 1);
  rgb_out = to_rgb (&info, out);
  inner = inner_mask (&g_array_index (faces, Face, 0), DEFAULT_MASK_SCALE);
  fail_unless (count_colors (rgb_out, w, &inner) <= 16, "%u colours",
      count_colors (rgb_out, w, &inner));
  fail_unless (count_colors (rgb_out, w, &inner) >= 8);
  g_free (rgb_out);
  g_array_unref (faces);
  gst_buffer_unref (out);

  /* confidence-threshold=1.0: nothing passes, nothing changes */
  g_object_set (h->element, "confidence-threshold", 1.0f, NULL);
  out = anon_push (h, in);
  faces = faces_of (out);
  fail_unless_equals_int (faces->len, 0);
  {
    GArray *none = g_array_new (FALSE, FALSE, sizeof (Rect));
    assert_only_masks_changed (&info, in, out, none);
    g_array_unref (none);
  }
  g_array_unref (faces);
  gst_buffer_unref (out);

  /* and back: the face is masked again */
  g_object_set (h->element, "confidence-threshold", 0.5f, NULL);
  out = anon_push (h, in);
  faces = faces_of (out);
  fail_unless_equals_int (faces->len, 1);
  g_array_unref (faces);
  gst_buffer_unref (out);

  g_free (rgb_in);
  gst_harness_teardown (h);
  gst_sample_unref (sample);
}

GST_END_TEST;

/* Properties hammered from other threads while frames flow: every frame
 * still leaves masked, by one method or another. */
GST_START_TEST (test_properties_stress)
{
  GstSample *sample = load_still (ASTRONAUT, GST_VIDEO_FORMAT_I420, 256, 256);
  GstBuffer *in = gst_sample_get_buffer (sample);
  GstVideoInfo info;
  GstHarness *h;
  GstHarnessThread *t_method, *t_solid, *t_scale;
  GValue v_pixelate = G_VALUE_INIT, v_solid = G_VALUE_INIT;
  GParamSpec *p;
  const Rect face = { 90, 40, 41, 39 };

  info_from_sample (sample, &info);
  h = anon_harness_new (gst_sample_get_caps (sample), NULL);
  p = g_object_class_find_property (G_OBJECT_GET_CLASS (h->element), "method");
  g_value_init (&v_pixelate, p->value_type);
  g_value_init (&v_solid, p->value_type);
  fail_unless (gst_value_deserialize_with_pspec (&v_pixelate, "pixelate", p));
  fail_unless (gst_value_deserialize_with_pspec (&v_solid, "solid", p));
  t_method = gst_harness_stress_property_start_full (h, "method",
      &v_pixelate, 210);
  t_solid = gst_harness_stress_property_start_full (h, "method", &v_solid, 160);
  {
    GValue v = G_VALUE_INIT;

    g_value_init (&v, G_TYPE_DOUBLE);
    g_value_set_double (&v, 1.7);
    t_scale = gst_harness_stress_property_start_full (h, "mask-scale", &v, 130);
    g_value_unset (&v);
  }

  for (guint i = 0; i < 20; i++) {
    GstBuffer *out = anon_push (h, in);
    GArray *faces = faces_of (out);
    guint8 *rgb_in = to_rgb (&info, in), *rgb_out = to_rgb (&info, out);

    fail_unless_equals_int (faces->len, 1);
    fail_unless (mean_abs_diff (rgb_in, rgb_out, 256, &face) > 12.0);
    g_free (rgb_in);
    g_free (rgb_out);
    g_array_unref (faces);
    gst_buffer_unref (out);
  }

  gst_harness_stress_thread_stop (t_method);
  gst_harness_stress_thread_stop (t_solid);
  gst_harness_stress_thread_stop (t_scale);
  g_value_unset (&v_pixelate);
  g_value_unset (&v_solid);
  gst_harness_teardown (h);
  gst_sample_unref (sample);
}

GST_END_TEST;

static Suite *
faceanon_suite (void)
{
  Suite *s = suite_create ("faceanon");
  TCase *tc_photos = tcase_create ("photos");
  TCase *tc_errors = tcase_create ("errors");
  TCase *tc_props = tcase_create ("properties");

  /* a DNN on a 2-core machine, run under valgrind or sanitizers too */
  tcase_set_timeout (tc_photos, 120);
  tcase_set_timeout (tc_errors, 60);
  tcase_set_timeout (tc_props, 120);

  suite_add_tcase (s, tc_photos);
  tcase_add_loop_test (tc_photos, test_photo_face_hidden, 0,
      G_N_ELEMENTS (photos) * G_N_ELEMENTS (photo_formats));
  tcase_add_loop_test (tc_photos, test_photo_other_detector, 0,
      G_N_ELEMENTS (photos));
  tcase_add_test (tc_photos, test_no_face_untouched);
  tcase_add_test (tc_photos, test_face_cut_by_edge);

  suite_add_tcase (s, tc_errors);
  tcase_add_loop_test (tc_errors, test_bad_model, 0, G_N_ELEMENTS (bad_models));

  suite_add_tcase (s, tc_props);
  tcase_add_test (tc_props, test_properties_documented);
  tcase_add_test (tc_props, test_properties_defaults);
  tcase_add_test (tc_props, test_properties_while_playing);
  tcase_add_test (tc_props, test_properties_stress);

  return s;
}

GST_CHECK_MAIN (faceanon);
