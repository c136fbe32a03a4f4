/* faceanon-relay: the elements it needs
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

/* Every element is made with an error that names the package to install,
 * and everything is checked before the relay starts: the elements are
 * there, and faceanon starts with the --set properties. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "relay.h"

/* The Debian package of the elements that are not in gstreamer1.0-plugins-
 * base or the core, for the error that says one is missing. */
static const struct
{
  const gchar *element;
  const gchar *package;
} element_packages[] = {
  {"x264enc", "gstreamer1.0-plugins-ugly"},
  {"h264parse", "gstreamer1.0-plugins-bad"},
  {"opusparse", "gstreamer1.0-plugins-bad"},
  {"aacparse", "gstreamer1.0-plugins-good"},
  {"splitmuxsink", "gstreamer1.0-plugins-good"},
  {"matroskamux", "gstreamer1.0-plugins-good"},
  {"rtph264pay", "gstreamer1.0-plugins-good"},
  {"rtpmp4gpay", "gstreamer1.0-plugins-good"},
  {"rtpopuspay", "gstreamer1.0-plugins-good"},
  {"rtppcmapay", "gstreamer1.0-plugins-good"},
  {"rtppcmupay", "gstreamer1.0-plugins-good"},
  {"alawenc", "gstreamer1.0-plugins-good"},
  {"mulawenc", "gstreamer1.0-plugins-good"},
  {"avenc_aac", "gstreamer1.0-libav"},
  {"faceanon", "faceanon (set GST_PLUGIN_PATH to the folder of "
        "libgstfaceanon.so)"},
};

static const gchar *
package_of (const gchar * element)
{
  for (guint i = 0; i < G_N_ELEMENTS (element_packages); i++)
    if (g_str_equal (element_packages[i].element, element))
      return element_packages[i].package;
  return "gstreamer1.0-plugins-base";
}

static void
set_missing (GError ** error, const gchar * element)
{
  g_set_error (error, RELAY_ERROR, 0, "the GStreamer element %s is "
      "missing: install %s", element, package_of (element));
}

GstElement *
make_element (const gchar * factory, const gchar * name, GError ** error)
{
  GstElement *e = gst_element_factory_make (factory, name);

  if (e == NULL)
    set_missing (error, factory);
  return e;
}

gboolean
check_elements (GError ** error)
{
  static const gchar *needed[] = { "uridecodebin", "videoconvert",
    "x264enc", "h264parse", "rtph264pay", "appsrc", "appsink",
    "audioconvert", "audioresample", "opusenc", "opusparse", "rtpopuspay",
    "queue", "capsfilter", NULL
  };

  for (guint i = 0; needed[i]; i++) {
    GstElementFactory *f = gst_element_factory_find (needed[i]);

    if (f == NULL) {
      set_missing (error, needed[i]);
      return FALSE;
    }
    gst_object_unref (f);
  }
  return TRUE;
}

/* Sets the relay's own defaults, then the --set properties, on @anon.
 *
 * The defaults: detection on a thread of its own whatever the source,
 * because what the relay serves is live even when it reads a file
 * (async-detection=auto would detect on the streaming thread for files,
 * and fall behind real time on a slow machine); and --lookahead, which a
 * live source would otherwise get none of. */
void
set_faceanon (Relay * relay, GstElement * anon)
{
  gst_util_set_object_arg (G_OBJECT (anon), "async-detection", "on");
  g_object_set (anon, "lookahead", (gint64) (relay->lookahead * GST_SECOND),
      NULL);
  fa_settings_apply (relay->settings, anon);
}

/* Checks each --set PROP=VALUE against faceanon's param specs, with an
 * error that says what is wrong and what would do, then starts a faceanon
 * with them, alone: a missing model or a bad property is said now, once,
 * not at every reconnection. */
gboolean
check_faceanon (Relay * relay, GError ** error)
{
  GstElement *pipeline, *anon;
  GstStateChangeReturn ret;
  GEnumValue *method;
  GEnumClass *methods;
  gint value = 0;
  gboolean ok = TRUE;

  anon = make_element ("faceanon", NULL, error);
  if (anon == NULL)
    return FALSE;
  pipeline = gst_pipeline_new ("faceanon-check");
  gst_bin_add (GST_BIN (pipeline), anon);
  relay->settings = fa_settings_parse (anon, relay->sets, "method=pixelate",
      error);
  if (relay->settings == NULL) {
    gst_object_unref (pipeline);
    return FALSE;
  }
  set_faceanon (relay, anon);

  g_object_get (anon, "method", &value, NULL);
  methods = g_type_class_ref (G_PARAM_SPEC_VALUE_TYPE
      (g_object_class_find_property (G_OBJECT_GET_CLASS (anon), "method")));
  method = g_enum_get_value (methods, value);
  if (method && g_str_equal (method->value_nick, "draw"))
    relay_warn (relay, "--set method=draw only outlines the faces: the relay "
        "will serve them unmasked");
  g_type_class_unref (methods);

  ret = gst_element_set_state (pipeline, GST_STATE_PAUSED);
  if (ret == GST_STATE_CHANGE_FAILURE) {
    GstBus *bus = gst_element_get_bus (pipeline);
    GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    GError *err = NULL;

    if (msg)
      gst_message_parse_error (msg, &err, NULL);
    g_set_error (error, RELAY_ERROR, 0, "faceanon cannot start: %s",
        err ? err->message : "no reason given (run with GST_DEBUG=faceanon:5)");
    g_clear_error (&err);
    gst_clear_message (&msg);
    gst_object_unref (bus);
    ok = FALSE;
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  return ok;
}
