/* GStreamer faceanon element tests: unusable model files
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

/* Model files a user may point the element at by mistake, or find broken
 * on disk: a truncated copy of the real YuNet, random bytes, an empty
 * file, a directory, an unreadable file, a valid ONNX network that is no
 * face detector, the right bytes under the wrong family's extension, and a
 * Caffe pair whose graph has the wrong output, and a file that crashes
 * OpenCV's reader under a name of the user's own. Each stops the pipeline
 * at start with an error that names the file, before one buffer leaves.
 * A model behind a path with spaces, a symlink, an upper-case extension,
 * or in bytes faceanon does not know (tried in a process of its own
 * first, whatever the application does with SIGCHLD) works.
 * (Missing files and no model at all are in test-faceanon.c.) */

/* symlink () */
#define _DEFAULT_SOURCE

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "fa-check.h"
#include "needs-yunet.h"

#define YUNET "face_detection_yunet_2023mar.onnx"
#define BLAZEFACE "face_detection_front_128x128_barracuda.onnx"

/* A model of the build's model folder, or NULL (the test then fails). */
static gchar *
installed_model (const gchar * name)
{
  const gchar *dir = g_getenv ("FACEANON_MODEL_DIR");
  gchar *path = g_build_filename (dir ? dir : FACEANON_MODEL_DIR, name, NULL);

  fail_unless (g_file_test (path, G_FILE_TEST_IS_REGULAR), "%s is not "
      "installed: run models/fetch-models.sh", path);
  return path;
}

/* Copies the first @len bytes of model @name (all with -1) to @dest. */
static void
copy_model (const gchar * name, const gchar * dest, gssize len)
{
  gchar *src = installed_model (name), *data;
  gsize size;

  fail_unless (g_file_get_contents (src, &data, &size, NULL));
  if (len >= 0)
    size = MIN (size, (gsize) len);
  fail_unless (g_file_set_contents (dest, data, size, NULL), "cannot write "
      "%s", dest);
  g_free (data);
  g_free (src);
}

/* ------------------------------------------------- a protobuf, by hand */

static void
pb_varint (GByteArray * b, guint64 v)
{
  do {
    guint8 byte = (v & 0x7f) | (v > 0x7f ? 0x80 : 0);

    g_byte_array_append (b, &byte, 1);
    v >>= 7;
  } while (v);
}

static void
pb_key (GByteArray * b, guint field, guint wire_type)
{
  pb_varint (b, (field << 3) | wire_type);
}

static void
pb_bytes (GByteArray * b, guint field, const guint8 * data, gsize len)
{
  pb_key (b, field, 2);
  pb_varint (b, len);
  g_byte_array_append (b, data, len);
}

static void
pb_string (GByteArray * b, guint field, const gchar * s)
{
  pb_bytes (b, field, (const guint8 *) s, strlen (s));
}

static void
pb_message (GByteArray * b, guint field, GByteArray * m)
{
  pb_bytes (b, field, m->data, m->len);
  g_byte_array_unref (m);
}

/* ValueInfoProto: a float tensor @name of shape 1x3x32x32. */
static GByteArray *
onnx_value_info (const gchar * name)
{
  static const gint dims[4] = { 1, 3, 32, 32 };
  GByteArray *info = g_byte_array_new (), *type = g_byte_array_new ();
  GByteArray *tensor = g_byte_array_new (), *shape = g_byte_array_new ();

  for (guint i = 0; i < 4; i++) {
    GByteArray *dim = g_byte_array_new ();

    pb_key (dim, 1, 0);         /* dim_value */
    pb_varint (dim, dims[i]);
    pb_message (shape, 1, dim);
  }
  pb_key (tensor, 1, 0);        /* elem_type FLOAT */
  pb_varint (tensor, 1);
  pb_message (tensor, 2, shape);
  pb_message (type, 1, tensor); /* tensor_type */
  pb_string (info, 1, name);
  pb_message (info, 2, type);
  return info;
}

/* A valid ONNX network that is not a face detector: y = Identity (x). */
static void
write_identity_onnx (const gchar * path)
{
  GByteArray *model = g_byte_array_new (), *graph = g_byte_array_new ();
  GByteArray *node = g_byte_array_new (), *opset = g_byte_array_new ();

  pb_string (node, 1, "x");
  pb_string (node, 2, "y");
  pb_string (node, 4, "Identity");
  pb_message (graph, 1, node);
  pb_string (graph, 2, "identity");
  pb_message (graph, 11, onnx_value_info ("x"));
  pb_message (graph, 12, onnx_value_info ("y"));
  pb_key (opset, 2, 0);
  pb_varint (opset, 13);

  pb_key (model, 1, 0);         /* ir_version */
  pb_varint (model, 7);
  pb_message (model, 7, graph);
  pb_message (model, 8, opset);
  fail_unless (g_file_set_contents (path, (const gchar *) model->data,
          model->len, NULL));
  g_byte_array_unref (model);
}

/* ------------------------------------------------------------ the cases */

/* Every one stops the pipeline at start with a resource error that names
 * the file and says what is wrong with it. */
typedef struct
{
  const gchar *kind;
  const gchar *reason;          /* what the error must say, in lower case */
} BadModel;

static const BadModel bad_models[] = {
  {"truncated-half", "damaged"},
  {"truncated-1k", "damaged"},
  /* one byte, in a tensor name a node reads: OpenCV 4.6's importer
   * crashes on this one (SIGSEGV); named as the installed model, the
   * element refuses it before OpenCV sees it */
  {"one-byte-blazeface", "damaged"},
  /* the same bytes under a name of the user's own: they crash the
   * process that tries them, not this one */
  {"one-byte-blazeface-own-name", "crashed"},
  {"empty", "could not load the network"},
  {"random-bytes", "could not load the network"},
  {"directory", "not a regular file"},
  {"unreadable", "cannot be read"},
  {"identity-onnx", "not a face detector"},
  {"blazeface-as-caffemodel", "other half"},
  {"yunet-as-prototxt", "other half"},
  {"onnx-pair-as-caffe", "could not load the network"},
  /* it loads; its output is no SSD's, which the trial run shows */
  {"caffe-wrong-output", "not an ssd"},
};

/* BlazeFace with the byte that crashes OpenCV 4.6's importer changed,
 * written to @dir as @name. */
static gchar *
write_crashing_blazeface (const gchar * dir, const gchar * name)
{
  gchar *path = g_build_filename (dir, name, NULL), *data;
  gsize len;

  copy_model (BLAZEFACE, path, -1);
  fail_unless (g_file_get_contents (path, &data, &len, NULL));
  fail_unless (len > 17784 && data[17784] == 'o', "%s is not the model "
      "this case was found on", BLAZEFACE);
  data[17784] = (gchar) 0x9a;
  fail_unless (g_file_set_contents (path, data, len, NULL));
  g_free (data);
  return path;
}

/* Makes the bad model @kind in @dir; returns the path to set, or NULL when
 * this machine cannot make it (the reason in @why). */
static gchar *
make_bad_model (const gchar * kind, const gchar * dir, gchar ** why)
{
  gchar *path = NULL;

  if (g_str_equal (kind, "truncated-half")) {
    gchar *src = installed_model (YUNET);
    GStatBuf st;

    fail_unless (g_stat (src, &st) == 0);
    path = g_build_filename (dir, YUNET, NULL);
    copy_model (YUNET, path, st.st_size / 2);
    g_free (src);
  } else if (g_str_equal (kind, "truncated-1k")) {
    path = g_build_filename (dir, YUNET, NULL);
    copy_model (YUNET, path, 1024);
  } else if (g_str_equal (kind, "one-byte-blazeface")) {
    path = write_crashing_blazeface (dir, BLAZEFACE);
  } else if (g_str_equal (kind, "one-byte-blazeface-own-name")) {
    path = write_crashing_blazeface (dir, "my faces.onnx");
  } else if (g_str_equal (kind, "empty")) {
    path = g_build_filename (dir, "empty.onnx", NULL);
    fail_unless (g_file_set_contents (path, "", 0, NULL));
  } else if (g_str_equal (kind, "random-bytes")) {
    GRand *rand = g_rand_new_with_seed (20260);
    gsize len = 256 * 1024;
    guint32 *data = g_new (guint32, len / 4);

    for (gsize i = 0; i < len / 4; i++)
      data[i] = g_rand_int (rand);
    path = g_build_filename (dir, "random.onnx", NULL);
    fail_unless (g_file_set_contents (path, (const gchar *) data, len, NULL));
    g_free (data);
    g_rand_free (rand);
  } else if (g_str_equal (kind, "directory")) {
    path = g_build_filename (dir, "models.onnx", NULL);
    fail_unless (g_mkdir (path, 0755) == 0);
  } else if (g_str_equal (kind, "unreadable")) {
    path = g_build_filename (dir, YUNET, NULL);
    copy_model (YUNET, path, -1);
    fail_unless (g_chmod (path, 0) == 0);
    /* root reads any file: then there is nothing to test */
    if (access (path, R_OK) == 0) {
      *why = g_strdup_printf ("a file with mode 000 is still readable here "
          "(running as uid %u)", (guint) getuid ());
      g_chmod (path, 0644);
      g_unlink (path);
      g_free (path);
      return NULL;
    }
  } else if (g_str_equal (kind, "identity-onnx")) {
    path = g_build_filename (dir, "identity.onnx", NULL);
    write_identity_onnx (path);
  } else if (g_str_equal (kind, "blazeface-as-caffemodel")) {
    path = g_build_filename (dir, "face.caffemodel", NULL);
    copy_model (BLAZEFACE, path, -1);
  } else if (g_str_equal (kind, "yunet-as-prototxt")) {
    path = g_build_filename (dir, "deploy.prototxt", NULL);
    copy_model (YUNET, path, -1);
  } else if (g_str_equal (kind, "onnx-pair-as-caffe")) {
    gchar *config = g_build_filename (dir, "deploy.prototxt", NULL);

    copy_model (YUNET, config, -1);
    path = g_build_filename (dir, "face.caffemodel", NULL);
    copy_model (BLAZEFACE, path, -1);
    g_free (config);
  } else if (g_str_equal (kind, "caffe-wrong-output")) {
    /* a graph that loads, empty weights, and an output named like the
     * SSD's that is the input itself */
    static const gchar prototxt[] = "name: \"not-ssd\"\ninput: \"data\"\n"
        "input_dim: 1\ninput_dim: 3\ninput_dim: 300\ninput_dim: 300\n"
        "layer {\n  name: \"detection_out\"\n  type: \"Identity\"\n"
        "  bottom: \"data\"\n  top: \"detection_out\"\n}\n";
    gchar *config = g_build_filename (dir, "deploy.prototxt", NULL);

    fail_unless (g_file_set_contents (config, prototxt, -1, NULL));
    path = g_build_filename (dir, "face.caffemodel", NULL);
    fail_unless (g_file_set_contents (path, "", 0, NULL));
    g_free (config);
  } else {
    g_assert_not_reached ();
  }
  return path;
}

static void
remove_tree (const gchar * path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR)
      && !g_file_test (path, G_FILE_TEST_IS_SYMLINK)) {
    GDir *d = g_dir_open (path, 0, NULL);
    const gchar *name;

    while (d && (name = g_dir_read_name (d))) {
      gchar *child = g_build_filename (path, name, NULL);

      remove_tree (child);
      g_free (child);
    }
    if (d)
      g_dir_close (d);
    g_rmdir (path);
  } else {
    g_chmod (path, 0644);
    g_unlink (path);
  }
}

static GstPadProbeReturn
count_buffers (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  g_atomic_int_inc ((gint *) user_data);
  return GST_PAD_PROBE_OK;
}

GST_START_TEST (test_bad_model)
{
  const BadModel *bad = &bad_models[__i__];
  gchar *dir = g_dir_make_tmp ("faceanon-model-XXXXXX", NULL);
  gchar *why = NULL, *path, *debug = NULL, *text;
  GstElement *pipeline, *anon;
  GstStateChangeReturn ret;
  GstMessage *msg;
  GstBus *bus;
  GstPad *src;
  GError *err = NULL;
  gint buffers = 0;

  fail_unless (dir != NULL);
  path = make_bad_model (bad->kind, dir, &why);
  if (path == NULL) {
    g_print ("%s: skipped: %s\n", bad->kind, why);
    GST_WARNING ("%s: skipped: %s", bad->kind, why);
    g_free (why);
    remove_tree (dir);
    g_free (dir);
    return;
  }

  pipeline = gst_parse_launch ("videotestsrc num-buffers=3 ! "
      "video/x-raw,format=I420,width=64,height=48 ! faceanon name=anon ! "
      "fakesink", NULL);
  fail_unless (pipeline != NULL);
  anon = gst_bin_get_by_name (GST_BIN (pipeline), "anon");
  g_object_set (anon, "model", path, NULL);
  src = gst_element_get_static_pad (anon, "src");
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, count_buffers, &buffers, NULL);

  ret = gst_element_set_state (pipeline, GST_STATE_PLAYING);
  fail_unless_equals_int (ret, GST_STATE_CHANGE_FAILURE);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
      GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  fail_unless (msg != NULL, "%s: no error on the bus", bad->kind);
  fail_unless (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR, "%s: the "
      "stream ended without an error", bad->kind);
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (anon));
  gst_message_parse_error (msg, &err, &debug);
  GST_INFO ("%s: %s (%s)", bad->kind, err->message, debug);

  fail_unless (err->domain == GST_RESOURCE_ERROR, "%s: error domain %s",
      bad->kind, g_quark_to_string (err->domain));
  fail_unless (strstr (err->message, path) != NULL
      || strstr (debug ? debug : "", path) != NULL, "%s: the error does "
      "not name '%s': %s (%s)", bad->kind, path, err->message, debug);
  text = g_ascii_strdown (debug ? debug : "", -1);
  fail_unless (strstr (text, bad->reason) != NULL, "%s: the error does not "
      "say '%s': %s (%s)", bad->kind, bad->reason, err->message, debug);
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
  remove_tree (dir);
  g_free (path);
  g_free (dir);
}

GST_END_TEST;

/* YuNet's producer name, "pytorch", made "Pytorch": the same network in
 * bytes no checksum knows. */
static void
retouch_model (const gchar * path)
{
  gchar *data;
  gsize len;

  fail_unless (g_file_get_contents (path, &data, &len, NULL));
  fail_unless (len > 16 && memcmp (data + 4, "pytorch", 7) == 0);
  data[4] = 'P';
  fail_unless (g_file_set_contents (path, data, len, NULL));
  g_free (data);
}

/* Where a valid model may be, and still work. */
static const gchar *good_places[] = {
  "a dir with spaces/model file.onnx",
  "link to the model.onnx",
  /* bytes faceanon does not know (the producer's name changed): loaded
   * in a process of its own first, then here */
  "my own/retouched yunet.onnx",
  /* the element recognises the extension in any case (OpenCV's readNet()
   * did not: docs/robustness.md) */
  "MODEL.ONNX",
};

static void
check_model_path_works (const gchar * place)
{
  gchar *dir = g_dir_make_tmp ("faceanon-model-XXXXXX", NULL);
  gchar *path = g_build_filename (dir, place, NULL);
  gchar *parent = g_path_get_dirname (path);
  GstSample *sample = load_still (ASTRONAUT, GST_VIDEO_FORMAT_I420, 0, 0);
  GstBuffer *in = gst_sample_get_buffer (sample), *out;
  const Rect face = ASTRONAUT_FACE;
  GstVideoInfo info;
  GArray *faces;
  GstHarness *h;
  guint8 *rgb_in, *rgb_out;
  gdouble iou, diff;
  gchar *model = NULL;

  fail_unless (g_mkdir_with_parents (parent, 0755) == 0);
  if (g_str_has_prefix (place, "link")) {
    gchar *target = installed_model (YUNET);

    fail_unless (symlink (target, path) == 0, "symlink: %s",
        g_strerror (errno));
    g_free (target);
  } else {
    copy_model (YUNET, path, -1);
  }
  if (g_str_has_prefix (place, "my own"))
    retouch_model (path);

  info_from_sample (sample, &info);
  h = anon_harness_new (gst_sample_get_caps (sample), "model", path, NULL);
  out = anon_push (h, in);
  faces = faces_of (out);
  fail_unless (best_match (faces, &face, &iou) != NULL && iou >= 0.4,
      "'%s': no face meta on the face (%u metas, IoU %.2f)", place,
      faces->len, iou);
  rgb_in = to_rgb (&info, in);
  rgb_out = to_rgb (&info, out);
  diff = mean_abs_diff (rgb_in, rgb_out, GST_VIDEO_INFO_WIDTH (&info), &face);
  fail_unless (diff >= 12.0, "'%s': the face changed by %.1f only", place,
      diff);
  g_object_get (h->element, "model", &model, NULL);
  fail_unless_equals_string (model, path);

  g_free (rgb_in);
  g_free (rgb_out);
  g_free (model);
  g_array_unref (faces);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
  gst_sample_unref (sample);
  remove_tree (dir);
  g_free (parent);
  g_free (path);
  g_free (dir);
}

GST_START_TEST (test_model_path_works)
{
  check_model_path_works (good_places[__i__]);
}

GST_END_TEST;

GST_START_TEST (test_model_upper_case_extension)
{
  check_model_path_works (good_places[G_N_ELEMENTS (good_places) - 1]);
}

GST_END_TEST;

/* The element runs in applications that handle their children their own
 * way. Whatever they do with SIGCHLD, a model of the user's own that is
 * good loads, and one that crashes OpenCV is refused without a crash. */
typedef enum
{
  SIGCHLD_DEFAULT,
  SIGCHLD_IGNORED,              /* the kernel reaps: no exit status */
  SIGCHLD_REAP_ALL,             /* a handler takes every child's status */
  N_SIGCHLD_WAYS
} SigchldWay;

static const gchar *const sigchld_ways[] = { "default", "ignored",
  "reap-all"
};

static void
reap_all (int sig)
{
  while (waitpid (-1, NULL, WNOHANG) > 0);
}

/* Starts faceanon on @model: NULL when it started, else the error, whose
 * message and details are then in one. */
static GError *
start_error (const gchar * model)
{
  GstElement *pipeline = gst_parse_launch ("videotestsrc num-buffers=1 ! "
      "video/x-raw,width=64,height=48 ! faceanon name=anon ! fakesink", NULL);
  GstElement *anon = gst_bin_get_by_name (GST_BIN (pipeline), "anon");
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  GError *err = NULL;

  g_object_set (anon, "model", model, NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  fail_unless (msg != NULL, "%s: neither an error nor the end", model);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    gchar *debug = NULL, *all;

    gst_message_parse_error (msg, &err, &debug);
    all = g_strdup_printf ("%s %s", err->message, debug ? debug : "");
    g_free (err->message);
    err->message = all;
    g_free (debug);
  }
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (anon);
  gst_object_unref (pipeline);
  return err;
}

GST_START_TEST (test_model_check_in_apps)
{
  SigchldWay way = (SigchldWay) __i__;
  gchar *dir = g_dir_make_tmp ("faceanon-model-XXXXXX", NULL);
  gchar *good = g_build_filename (dir, "retouched.onnx", NULL), *bad;
  struct sigaction sa = { 0 }, old;
  GError *err;

  copy_model (YUNET, good, -1);
  retouch_model (good);
  bad = write_crashing_blazeface (dir, "mine.onnx");
  sa.sa_handler = way == SIGCHLD_IGNORED ? SIG_IGN :
      way == SIGCHLD_REAP_ALL ? reap_all : SIG_DFL;
  sa.sa_flags = SA_RESTART;
  sigemptyset (&sa.sa_mask);
  fail_unless (sigaction (SIGCHLD, &sa, &old) == 0);

  err = start_error (good);
  fail_unless (err == NULL, "SIGCHLD %s: a good model of the user's own "
      "did not start: %s", sigchld_ways[way], err ? err->message : "");
  err = start_error (bad);
  fail_unless (err != NULL, "SIGCHLD %s: the crashing model started",
      sigchld_ways[way]);
  fail_unless (err->domain == GST_RESOURCE_ERROR);
  fail_unless (strstr (err->message, bad) && strstr (err->message,
          "is damaged or not a model OpenCV can read"), "SIGCHLD %s: %s",
      sigchld_ways[way], err->message);
  g_clear_error (&err);

  sigaction (SIGCHLD, &old, NULL);
  remove_tree (dir);
  g_free (good);
  g_free (bad);
  g_free (dir);
}

GST_END_TEST;

/* Without the program that tries models in a process of their own, a
 * model of the user's own is refused with an error that says so; the
 * models faceanon installs need no trial and still load. */
GST_START_TEST (test_model_check_missing)
{
  gchar *dir = g_dir_make_tmp ("faceanon-model-XXXXXX", NULL);
  gchar *own = g_build_filename (dir, "retouched.onnx", NULL);
  gchar *installed = installed_model (YUNET);
  GError *err;

  copy_model (YUNET, own, -1);
  retouch_model (own);
  g_setenv ("FACEANON_MODEL_CHECK", "/nonexistent/faceanon-model-check", TRUE);
  err = start_error (own);
  fail_unless (err != NULL, "a model of the user's own started without "
      "the program that tries it");
  fail_unless (strstr (err->message, own) && strstr (err->message,
          "cannot be run"), "%s", err->message);
  g_clear_error (&err);
  err = start_error (installed);
  fail_unless (err == NULL, "the installed model needs no trial, yet: %s",
      err ? err->message : "");
  g_unsetenv ("FACEANON_MODEL_CHECK");

  remove_tree (dir);
  g_free (installed);
  g_free (own);
  g_free (dir);
}

GST_END_TEST;

/* A user retrying with a model that is not there, over and over: every
 * start fails with its error, and costs no memory (start() used to lose
 * its array of upstream faces, 552 bytes a time: docs/robustness.md). */
#define FAILED_STARTS 10000
#define FAILED_STARTS_FROM 1000

GST_START_TEST (test_failed_starts)
{
  GstElement *anon = gst_element_factory_make ("faceanon", NULL);
  GstBus *bus = gst_bus_new ();
  gint64 rss_from = 0, rss_to;

  /* 10000 errors and failed activations would fill the log */
  gst_debug_set_threshold_for_name ("faceanon", GST_LEVEL_ERROR);
  gst_debug_set_threshold_for_name ("GST_PADS", GST_LEVEL_ERROR);
  g_object_set (anon, "model", "/nonexistent/face.onnx", NULL);
  gst_element_set_bus (anon, bus);
  for (guint i = 1; i <= FAILED_STARTS; i++) {
    GstMessage *msg;

    fail_unless_equals_int (gst_element_set_state (anon, GST_STATE_PAUSED),
        GST_STATE_CHANGE_FAILURE);
    fail_unless_equals_int (gst_element_set_state (anon, GST_STATE_NULL),
        GST_STATE_CHANGE_SUCCESS);
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    fail_unless (msg != NULL, "start %u failed without an error", i);
    gst_message_unref (msg);
    gst_bus_set_flushing (bus, TRUE);
    gst_bus_set_flushing (bus, FALSE);
    if (i == FAILED_STARTS_FROM)
      rss_from = proc_status_kb ("VmRSS:");
  }
  rss_to = proc_status_kb ("VmRSS:");
  g_print ("%d failed starts: RSS %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT
      " kB from start %d\n", FAILED_STARTS, rss_from, rss_to,
      FAILED_STARTS_FROM);
  /* 552 bytes a start would be 4.7 MB */
  if (RSS_TELLS_LEAKS)
    fail_unless (rss_to - rss_from < 1024, "RSS grew by %" G_GINT64_FORMAT
        " kB over %d failed starts", rss_to - rss_from,
        FAILED_STARTS - FAILED_STARTS_FROM);

  gst_element_set_bus (anon, NULL);
  gst_object_unref (bus);
  gst_object_unref (anon);
}

GST_END_TEST;

static Suite *
robust_models_suite (void)
{
  Suite *s = suite_create ("robust-models");
  TCase *tc = tcase_create ("models");

  tcase_set_timeout (tc, 120);
  suite_add_tcase (s, tc);
  tcase_add_loop_test (tc, test_bad_model, 0, G_N_ELEMENTS (bad_models));
  tcase_add_loop_test (tc, test_model_path_works, 0,
      G_N_ELEMENTS (good_places) - 1);
  tcase_add_test (tc, test_model_upper_case_extension);
  tcase_add_loop_test (tc, test_model_check_in_apps, 0, N_SIGCHLD_WAYS);
  tcase_add_test (tc, test_model_check_missing);
  tcase_add_test (tc, test_failed_starts);

  return s;
}

/* damaged copies are made of YuNet, and a good model must load from the
 * places the element looks in */
int
main (int argc, char **argv)
{
  gst_check_init (&argc, &argv);
  needs_yunet ("test-robust-models");
  return gst_check_run_suite (robust_models_suite (), "robust-models",
      __FILE__);
}
