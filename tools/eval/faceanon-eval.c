/* faceanon-eval: how well faceanon hides annotated faces
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

/* Runs, on photos with annotated faces, exactly the frame work the faceanon
 * element does (fa_anon_plan, then fa_anon_paint, with the same parameters;
 * each photo is a still frame, searched at every scale) and measures which faces end up under the mask, how much of the mask
 * lies on no face, how long detection takes and, with --redetect, whether
 * a second detector still finds the faces once they are masked.
 *
 * The element is linked in and its parameters come from an element
 * instance (gst_face_anon_get_params), so every option that mirrors a
 * property has that property's name, parsing, range and default: when the
 * element's defaults change, the evaluation follows without an edit here. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstfaceanon.h"
#include "fa-gst.h"
#include "fa-model.h"
#include "fa-options.h"
#include "fa-still.h"
#include "eval.h"
#include "eval-pan.h"
#include "eval-photos.h"

#include <glib/gstdio.h>
#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The options that are element properties, in --help order: those that
 * matter for a still image, then those that matter in video (--pan). */
static const gchar *const element_props[] = {
  "model", "method", "mask-shape", "mask-scale", "blur-factor", "blocks",
  "color", "confidence-threshold", "detection-size", "min-face-size",
  "tracking", "hold-time", "detect-interval", "sweep-time", "lookahead"
};

/* how many of them a still's settings line names */
#define N_STILL_PROPS 10

#define N_ELEMENT_PROPS G_N_ELEMENTS (element_props)


/* ---- options ---- */

static gchar *
describe_pspec (GParamSpec * pspec)
{
  /* the element's own words suit these two less well than a short note */
  if (G_IS_PARAM_SPEC_STRING (pspec))
    return g_strdup ("Face detector model file, as the element's 'model' "
        "(default: the best model installed, as the element finds it)");
  if (strcmp (pspec->name, "color") == 0)
    return g_strdup_printf ("%s (default 0x%06x)",
        g_param_spec_get_blurb (pspec),
        G_PARAM_SPEC_UINT (pspec)->default_value);
  return fa_option_describe (pspec);
}

/* FaAnonParams from the element's properties, as the element fills them
 * at the start of each frame. */
static void
params_from_element (GstElement * element, FaAnonParams * params,
    guint n_props, gchar ** settings)
{
  GString *s = g_string_new ("faceanon");

  gst_face_anon_get_params (GST_FACE_ANON (element), params);

  /* in gst-launch syntax, so a measured setting can be pasted */
  for (guint i = 1; i < n_props; i++) {
    GValue v = G_VALUE_INIT;
    gchar *str;

    g_value_init (&v, g_object_class_find_property (G_OBJECT_GET_CLASS
            (element), element_props[i])->value_type);
    g_object_get_property (G_OBJECT (element), element_props[i], &v);
    if (strcmp (element_props[i], "color") == 0)
      str = g_strdup_printf ("0x%06x", g_value_get_uint (&v));
    else
      str = fa_option_value_string (&v);
    g_string_append_printf (s, " %s=%s", element_props[i], str);
    g_free (str);
    g_value_unset (&v);
  }
  *settings = g_string_free (s, FALSE);
}

static const gchar description[] =
    "Each CSV holds annotated faces, 'image,x,y,w,h,flags' with a header "
    "row;\nimage paths are relative to the CSV's folder unless absolute.\n"
    "\n"
    "Faces flagged 'invalid' (WIDER FACE's) are left out of recall, as\n"
    "WIDER FACE's own evaluation leaves them out; a mask over one is not\n"
    "a false mask.\n"
    "\n"
    "A face counts as covered when at least 80% of its box lies under the\n"
    "mask the element would paint (box or ellipse). --redetect masks each\n"
    "image as the element does and runs a reference detector on it: a\n"
    "strong mask leaves no covered face to be found again.\n"
    "\n"
    "Exit status: 0 on success, 1 when the coverage recall is below\n"
    "--min-recall, 2 on a bad option, an unreadable CSV or image, or a\n"
    "detector failure.\n";

/* The options that are not element properties. */
static gchar *format_arg, *redetect, *csv_out, *save_dir;
static gdouble redetect_threshold = 0.5, min_recall = -1.0;
static gint redetect_size;
static gboolean quiet, markdown, pan, no_reference;
static gint pan_frames = 75;
static gchar *pan_size;
static gchar **csvs;

static GOptionEntry eval_entries[] = {
  {"format", 0, 0, G_OPTION_ARG_STRING, &format_arg,
      "Video format each image is decoded to before processing, as a "
        "decoder would deliver it (default I420)", "FORMAT"},
  {"redetect", 0, 0, G_OPTION_ARG_FILENAME, &redetect,
      "Mask strength: mask each image, then count the covered faces this "
        "reference detector still finds", "MODEL"},
  {"redetect-threshold", 0, 0, G_OPTION_ARG_DOUBLE, &redetect_threshold,
      "Confidence threshold of the reference detector (default 0.5)", "X"},
  {"redetect-size", 0, 0, G_OPTION_ARG_INT, &redetect_size,
      "Longest side the reference detector works at (default 0: the "
        "image's own, full resolution)", "PIXELS"},
  {"csv-out", 0, 0, G_OPTION_ARG_FILENAME, &csv_out,
      "Write one row per annotated face: coverage, covered and, with "
        "--redetect, found before/after masking", "FILE"},
  {"save-masked", 0, 0, G_OPTION_ARG_FILENAME, &save_dir,
      "Write each image, masked as the element would, as PNG into this "
        "existing folder", "DIR"},
  {"min-recall", 0, 0, G_OPTION_ARG_DOUBLE, &min_recall,
        "Exit with status 1 when the overall coverage recall is below X",
      "X"},
  {"markdown", 0, 0, G_OPTION_ARG_NONE, &markdown,
      "Print the results as a Markdown table", NULL},
  {"pan", 0, 0, G_OPTION_ARG_NONE, &pan,
      "Video with ground truth: pan a window across mosaics of the photos "
        "and measure each frame of the element's video work (tracking, "
        "tiles spread over frames) against every tile at full resolution "
        "on every frame", NULL},
  {"pan-frames", 0, 0, G_OPTION_ARG_INT, &pan_frames,
      "--pan: frames a clip (default 75: 2.5 s at 30 fps)", "N"},
  {"no-reference", 0, 0, G_OPTION_ARG_NONE, &no_reference,
      "--pan: skip the reference run (for a sweep of settings against a "
        "reference measured once)", NULL},
  {"pan-size", 0, 0, G_OPTION_ARG_STRING, &pan_size,
      "--pan: the window, the frames' size (default 1920x1080)", "WxH"},
  {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      "No per-image progress or warnings on stderr", NULL},
  {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &csvs, NULL,
      "CSV..."},
  {NULL}
};

int
main (int argc, char **argv)
{
  FaPropOptions *props;
  const gchar *model;
  GOptionContext *ctx;
  GObjectClass *klass;
  GstElement *element = NULL;
  GHashTable *by_path = NULL;
  GError *err = NULL;
  Eval ev = { 0 };
  gdouble recall;
  gint ret = EXIT_ERROR;

  gst_init (&argc, &argv);
  klass = g_type_class_ref (GST_TYPE_FACE_ANON);

  props = fa_prop_options_new (klass, element_props, N_ELEMENT_PROPS,
      describe_pspec);
  fa_prop_options_set_arg_description (props, "model", "PATH");

  ctx = g_option_context_new ("- measure how well faceanon hides "
      "annotated faces");
  g_option_context_set_description (ctx, description);
  g_option_context_add_main_entries (ctx,
      fa_prop_options_get_entries (props), NULL);
  g_option_context_add_main_entries (ctx, eval_entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &err))
    goto bad_option;

  if (csvs == NULL || csvs[0] == NULL) {
    g_set_error (&err, EVAL_ERROR, 0, "no annotation CSV given: pass one or "
        "more files such as data/faces/widerface-dev/boxes.csv");
    goto bad_option;
  }
  if (!(redetect_threshold > 0.0 && redetect_threshold <= 1.0)) {
    g_set_error (&err, EVAL_ERROR, 0, "--redetect-threshold %g is not in "
        "(0, 1]", redetect_threshold);
    goto bad_option;
  }
  if (redetect_size != 0 && redetect_size < 32) {
    g_set_error (&err, EVAL_ERROR, 0, "--redetect-size %d is too small: "
        "give 0 (full resolution) or at least 32", redetect_size);
    goto bad_option;
  }
  if (min_recall > 1.0) {
    g_set_error (&err, EVAL_ERROR, 0, "--min-recall %g can never be met: "
        "recall is at most 1", min_recall);
    goto bad_option;
  }
  ev.format = GST_VIDEO_FORMAT_I420;
  if (format_arg) {
    ev.format = gst_video_format_from_string (format_arg);
    if (!fa_gst_format_supported (ev.format)) {
      g_set_error (&err, EVAL_ERROR, 0, "--format %s is not a format the "
          "element takes: use one of %s", format_arg, FA_GST_FORMATS);
      goto bad_option;
    }
  }
  if (save_dir && !g_file_test (save_dir, G_FILE_TEST_IS_DIR)) {
    g_set_error (&err, EVAL_ERROR, 0, "--save-masked %s is not a folder: "
        "create it first", save_dir);
    goto bad_option;
  }

  element = gst_object_ref_sink (g_object_new (GST_TYPE_FACE_ANON, NULL));
  for (guint i = 1; i < N_ELEMENT_PROPS; i++)
    if (!fa_prop_options_set (props, element, element_props[i], &err))
      goto bad_option;
  params_from_element (element, &ev.params, pan ? N_ELEMENT_PROPS :
      N_STILL_PROPS, &ev.settings);
  if (ev.params.mask.method == FA_METHOD_DRAW) {
    g_set_error (&err, EVAL_ERROR, 0, "--method draw outlines faces instead "
        "of hiding them: there is no mask to evaluate. Choose gaussian, "
        "pixelate or solid");
    goto bad_option;
  }

  model = fa_prop_options_get_value (props, "model");
  if (model && *model)
    ev.model_path = g_strdup (model);
  else if (!(ev.model_path = fa_model_find_default (&err)))
    goto no_model;

  ev.images = g_ptr_array_new_with_free_func (eval_image_free);
  by_path = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; csvs[i]; i++)
    if (!eval_load_csv (csvs[i], ev.images, by_path, &err))
      goto failed;
  for (guint i = 0; i < ev.images->len; i++) {
    EvalImage *im = g_ptr_array_index (ev.images, i);

    if (!g_file_test (im->path, G_FILE_TEST_IS_REGULAR)) {
      g_set_error (&err, EVAL_ERROR, 0, "image '%s' (%s line %u) does not "
          "exist: correct the path in the CSV (a relative path is read from "
          "the CSV's folder) or install what provides the file", im->path,
          im->csv, im->line);
      goto failed;
    }
  }

  if (pan) {
    EvalPanSettings set = { 1920, 1080, (guint) pan_frames, 30, 1, 1,
      !no_reference, 0
    };

    if (pan_size && (sscanf (pan_size, "%dx%d", &set.width, &set.height) != 2
            || set.width < 64 || set.height < 64 || set.width % 2
            || set.height % 2)) {
      g_set_error (&err, EVAL_ERROR, 0, "--pan-size %s is not WIDTHxHEIGHT "
          "with even sides of 64 or more", pan_size);
      goto bad_option;
    }
    if (pan_frames < 2) {
      g_set_error (&err, EVAL_ERROR, 0, "--pan-frames %d: a clip needs 2 "
          "frames or more", pan_frames);
      goto bad_option;
    }
    g_object_get (element, "detect-interval", &set.detect_interval,
        "lookahead", &set.lookahead, NULL);
    /* the pan clips are files: what the element holds for them */
    if (set.lookahead < 0)
      set.lookahead = GST_FACE_ANON_DEFAULT_LOOKAHEAD;
    if (!eval_pan (ev.images, ev.model_path, &ev.params, ev.settings, &set,
            markdown, &err))
      goto failed;
    ret = EXIT_SUCCESS;
    goto out;
  }

  ev.anon = fa_anon_new (ev.model_path, &err);
  if (ev.anon == NULL) {
    g_prefix_error (&err, "--model: ");
    goto failed;
  }
  if (redetect) {
    ev.ref = fa_detector_new (redetect, &err);
    if (ev.ref == NULL) {
      g_prefix_error (&err, "--redetect: ");
      goto failed;
    }
    ev.ref_path = g_strdup (redetect);
    ev.ref_threshold = redetect_threshold;
    ev.ref_size = redetect_size;
  }
  if (csv_out) {
    ev.csv_out = g_fopen (csv_out, "w");
    if (ev.csv_out == NULL) {
      g_set_error (&err, EVAL_ERROR, 0, "cannot write --csv-out '%s': %s",
          csv_out, g_strerror (errno));
      goto failed;
    }
    fprintf (ev.csv_out, "image,x,y,w,h,flags,coverage,covered%s\n",
        ev.ref ? ",found_before,found_after,score_before,score_after" : "");
  }
  ev.save_dir = save_dir;
  ev.quiet = quiet;
  eval_canvas_init (&ev.canvas);
  ev.regions = g_array_new (FALSE, FALSE, sizeof (FaRect));
  ev.ref_boxes = g_array_new (FALSE, FALSE, sizeof (FaBox));
  ev.ms = g_array_new (FALSE, FALSE, sizeof (gdouble));

  for (guint i = 0; i < ev.images->len; i++) {
    EvalImage *im = g_ptr_array_index (ev.images, i);

    if (!eval_photo (&ev, im, i, &err))
      goto failed;
    if (ev.csv_out)
      eval_photo_write_csv (&ev, im);
  }
  recall = eval_photos_report (&ev, markdown);
  ret = EXIT_SUCCESS;
  if (min_recall >= 0.0 && recall < min_recall) {
    g_printerr ("faceanon-eval: coverage recall %.3f is below --min-recall "
        "%g\n", recall, min_recall);
    ret = EXIT_BELOW_MIN_RECALL;
  }

out:
  if (ev.csv_out && fclose (ev.csv_out) != 0) {
    g_printerr ("faceanon-eval: cannot write --csv-out '%s': %s\n", csv_out,
        g_strerror (errno));
    ret = EXIT_ERROR;
  }
  fa_anon_free (ev.anon);
  fa_detector_free (ev.ref);
  eval_canvas_clear (&ev.canvas);
  if (ev.images)
    g_ptr_array_unref (ev.images);
  if (by_path)
    g_hash_table_unref (by_path);
  if (ev.regions)
    g_array_unref (ev.regions);
  if (ev.ref_boxes)
    g_array_unref (ev.ref_boxes);
  if (ev.ms)
    g_array_unref (ev.ms);
  g_free (ev.settings);
  g_free (ev.model_path);
  g_free (ev.ref_path);
  fa_prop_options_free (props);
  g_free (format_arg);
  g_free (redetect);
  g_free (csv_out);
  g_free (save_dir);
  g_free (pan_size);
  g_strfreev (csvs);
  g_option_context_free (ctx);
  if (element)
    gst_object_unref (element);
  g_type_class_unref (klass);
  gst_deinit ();
  return ret;

  /* ERRORS */
bad_option:
  {
    g_printerr ("faceanon-eval: %s\nRun 'faceanon-eval --help' for the "
        "options.\n", err->message);
    g_clear_error (&err);
    goto out;
  }
no_model:
  {
    g_printerr ("faceanon-eval: %s; or pass --model PATH\n", err->message);
    g_clear_error (&err);
    goto out;
  }
failed:
  {
    g_printerr ("faceanon-eval: %s\n", err->message);
    g_clear_error (&err);
    goto out;
  }
}
