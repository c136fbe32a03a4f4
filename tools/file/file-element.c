/* faceanon-file: the faceanon of each file
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

/* faceanon is checked once before any file (the --set properties, the
 * model), then made for each file with the program's defaults and the
 * --set properties, and what comes out of it counted: frames, and faces
 * masked (the GstVideoRegionOfInterestMeta of type "face" it attaches to
 * every face it masks). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "file.h"

/* The Debian package of the elements outside gstreamer1.0-plugins-base,
 * for the error that says one is missing. */
static const struct
{
  const gchar *prefix;
  const gchar *package;
} packages[] = {
  {"faceanon", "faceanon (or set GST_PLUGIN_PATH to the folder of "
        "libgstfaceanon.so)"},
  {"x264enc", "gstreamer1.0-plugins-ugly"},
  {"avenc_", "gstreamer1.0-libav"},
  {"avdec_", "gstreamer1.0-libav"},
  {"videoflip", "gstreamer1.0-plugins-good"},
  {"jpegenc", "gstreamer1.0-plugins-good"},
  {"pngenc", "gstreamer1.0-plugins-good"},
  {"jifmux", "gstreamer1.0-plugins-bad"},
  {"webpenc", "gstreamer1.0-plugins-bad"},
};

GstElement *
make_element (const gchar * factory, GError ** error)
{
  GstElement *e = gst_element_factory_make (factory, NULL);
  const gchar *package = "gstreamer1.0-plugins-base";

  if (e)
    return e;
  for (guint i = 0; i < G_N_ELEMENTS (packages); i++)
    if (g_str_has_prefix (factory, packages[i].prefix))
      package = packages[i].package;
  g_set_error (error, FILE_ERROR, 0, "the GStreamer element %s is missing: "
      "install %s", factory, package);
  return NULL;
}

/* Counts what leaves faceanon. Streaming thread. */
static GstPadProbeReturn
count_frame (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Counts *counts = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstVideoRegionOfInterestMeta *roi;
  gpointer state = NULL;
  gssize faces = 0;
  GQuark face = g_quark_from_static_string ("face");

  while ((roi = (GstVideoRegionOfInterestMeta *)
          gst_buffer_iterate_meta_filtered (buf, &state,
              GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE)))
    if (roi->roi_type == face)
      faces++;
  g_atomic_pointer_add (&counts->frames, 1);
  g_atomic_pointer_add (&counts->faces, faces);
  return GST_PAD_PROBE_OK;
}

/* The program's defaults, then the --set properties over them. A picture
 * is searched at every scale at once (sweep-time 0: no tile is left for a
 * later frame that will not come). */
static void
element_configure (App * app, GstElement * anon, gboolean still)
{
  if (still)
    g_object_set (anon, "sweep-time", (guint64) 0, NULL);
  fa_settings_apply (app->settings, anon);
}

GstElement *
element_new (App * app, Counts * counts, gboolean still, GError ** error)
{
  GstElement *anon = make_element ("faceanon", error);
  GstPad *src;

  if (anon == NULL)
    return NULL;
  element_configure (app, anon, still);
  src = gst_element_get_static_pad (anon, "src");
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER, count_frame, counts, NULL);
  gst_object_unref (src);
  return anon;
}

static void
warn_if_drawing (App * app, GstElement * anon)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (anon),
      "method");
  GValue v = G_VALUE_INIT;
  gchar *nick;

  g_value_init (&v, pspec->value_type);
  g_object_get_property (G_OBJECT (anon), "method", &v);
  nick = gst_value_serialize (&v);
  if (g_strcmp0 (nick, "draw") == 0)
    file_warn (app, "--set method=draw only outlines the faces: the files "
        "written will show them");
  g_free (nick);
  g_value_unset (&v);
}

/* Checks the --set properties against faceanon's param specs, then starts
 * a faceanon with them, alone: a missing model or a bad property is said
 * once, before any file, and so is the element's warning of a weaker model
 * (it posts it at every start; the files' pipelines do not repeat it). */
gboolean
element_check (App * app, GError ** error)
{
  GstElement *pipeline, *anon;
  GstBus *bus;
  GstMessage *msg;
  gboolean ok = TRUE;

  anon = make_element ("faceanon", error);
  if (anon == NULL)
    return FALSE;
  pipeline = gst_pipeline_new ("faceanon-check");
  gst_bin_add (GST_BIN (pipeline), anon);
  app->settings = fa_settings_parse (anon, app->sets, "method=pixelate", error);
  if (app->settings == NULL) {
    gst_object_unref (pipeline);
    return FALSE;
  }
  element_configure (app, anon, FALSE);
  warn_if_drawing (app, anon);

  bus = gst_element_get_bus (pipeline);
  if (gst_element_set_state (pipeline, GST_STATE_PAUSED) ==
      GST_STATE_CHANGE_FAILURE)
    ok = FALSE;
  while ((msg = gst_bus_pop_filtered (bus,
              GST_MESSAGE_ERROR | GST_MESSAGE_WARNING))) {
    GError *err = NULL;
    gchar *debug = NULL;

    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      gst_message_parse_error (msg, &err, &debug);
      if (ok || !error || !*error)
        g_set_error (error, FILE_ERROR, 0, "faceanon cannot start: %s (%s)",
            err->message, debug ? debug : "");
      ok = FALSE;
    } else {
      gst_message_parse_warning (msg, &err, &debug);
      file_warn (app, "%s (%s)", err->message, debug ? debug : "");
      app->model_warning = g_strdup (err->message);
    }
    g_clear_error (&err);
    g_free (debug);
    gst_message_unref (msg);
  }
  if (!ok && error && !*error)
    g_set_error (error, FILE_ERROR, 0, "faceanon cannot start (run with "
        "GST_DEBUG=faceanon:5 to see why)");
  gst_object_unref (bus);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  return ok;
}
