/* faceanon-file test helpers
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

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "file-check.h"

#include <glib/gstdio.h>
#include <gst/base/gsttypefindhelper.h>
#include <gst/pbutils/pbutils.h>
#include <gst/video/video.h>
#include <string.h>
#include <sys/wait.h>

const gchar *file_program;

void
run_file_program (Run * run, const gchar * const *args)
{
  GPtrArray *argv = g_ptr_array_new ();
  GError *err = NULL;
  gint wait_status;

  g_ptr_array_add (argv, (gpointer) file_program);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  fail_unless (g_spawn_sync (NULL, (gchar **) argv->pdata, NULL,
          G_SPAWN_DEFAULT, NULL, NULL, &run->out, &run->err, &wait_status,
          &err), "cannot run %s: %s", file_program, err ? err->message : "");
  run->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  g_print ("$ faceanon-file");
  for (guint i = 0; args[i]; i++)
    g_print (" %s", args[i]);
  g_print ("\n%s%s(exit status %d)\n", run->out, run->err, run->status);
  g_ptr_array_unref (argv);
}

void
run_clear (Run * run)
{
  g_free (run->out);
  g_free (run->err);
}

gchar *
scratch_new (void)
{
  GError *err = NULL;
  gchar *dir = g_dir_make_tmp ("faceanon-file-XXXXXX", &err);

  fail_unless (dir != NULL, "cannot make a scratch folder: %s",
      err ? err->message : "");
  return dir;
}

static void
remove_tree (const gchar * path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const gchar *name;

  if (dir) {
    while ((name = g_dir_read_name (dir))) {
      gchar *p = g_build_filename (path, name, NULL);

      remove_tree (p);
      g_free (p);
    }
    g_dir_close (dir);
  }
  g_remove (path);
}

void
scratch_remove (gchar * dir)
{
  if (g_getenv ("FILE_CHECK_KEEP"))
    g_print ("kept %s\n", dir);
  else
    remove_tree (dir);
  g_free (dir);
}

gchar *
scratch_copy (const gchar * dir, const gchar * src, const gchar * name)
{
  gchar *dest = g_build_filename (dir, name, NULL);
  gchar *data;
  gsize size;

  fail_unless (g_file_get_contents (src, &data, &size, NULL), "cannot read "
      "%s: install the package that has it", src);
  fail_unless (g_file_set_contents (dest, data, size, NULL), "cannot write "
      "%s", dest);
  g_free (data);
  return dest;
}

/* Runs @pipeline to its end (or error) and fails the test on an error. */
static void
play_to_end (GstElement * pipeline, const gchar * what)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;

  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE, "%s: cannot play", what);
  msg = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "%s: no end in 120 s", what);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *err = NULL;

    gst_message_parse_error (msg, &err, NULL);
    fail ("%s: %s", what, err->message);
  }
  gst_message_unref (msg);
  gst_object_unref (bus);
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

void
run_launch_line (const gchar * description)
{
  GError *err = NULL;
  GstElement *pipeline = gst_parse_launch (description, &err);

  fail_unless (pipeline != NULL, "cannot make '%s': %s", description,
      err ? err->message : "");
  play_to_end (pipeline, description);
  gst_object_unref (pipeline);
}

typedef struct
{
  GstElement *pipeline;
  const gchar *prefix;          /* of the caps of the pads to keep */
  GstPadProbeCallback probe;
  gpointer data;
} Tap;

/* A pad of parsebin or decodebin: the streams of the kind wanted go to a
 * fakesink through the probe, the others to a fakesink. */
static void
on_pad (GstElement * bin, GstPad * pad, gpointer user_data)
{
  Tap *tap = user_data;
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  GstCaps *caps = gst_pad_get_current_caps (pad);
  GstPad *sinkpad;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (tap->pipeline), sink);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  gst_pad_link (pad, sinkpad);
  if (caps && g_str_has_prefix (gst_structure_get_name
          (gst_caps_get_structure (caps, 0)), tap->prefix))
    gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_BUFFER, tap->probe,
        tap->data, NULL);
  gst_object_unref (sinkpad);
  gst_clear_caps (&caps);
  gst_element_sync_state_with_parent (sink);
}

static void
tap_file (const gchar * path, const gchar * bin, const gchar * prefix,
    GstPadProbeCallback probe, gpointer data)
{
  Tap tap = { gst_pipeline_new (NULL), prefix, probe, data };
  GstElement *src = gst_element_factory_make ("filesrc", NULL);
  GstElement *b = gst_element_factory_make (bin, NULL);

  g_object_set (src, "location", path, NULL);
  gst_bin_add_many (GST_BIN (tap.pipeline), src, b, NULL);
  fail_unless (gst_element_link (src, b));
  g_signal_connect (b, "pad-added", G_CALLBACK (on_pad), &tap);
  play_to_end (tap.pipeline, path);
  gst_object_unref (tap.pipeline);
}

typedef struct
{
  GByteArray *bytes;
  guint n;
} Collected;

static GstPadProbeReturn
collect (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Collected *c = user_data;
  GstMapInfo map;

  if (gst_buffer_map (GST_PAD_PROBE_INFO_BUFFER (info), &map, GST_MAP_READ)) {
    g_byte_array_append (c->bytes, map.data, map.size);
    gst_buffer_unmap (GST_PAD_PROBE_INFO_BUFFER (info), &map);
  }
  c->n++;
  return GST_PAD_PROBE_OK;
}

GBytes *
audio_frames (const gchar * path, guint * n_frames)
{
  Collected c = { g_byte_array_new (), 0 };

  tap_file (path, "parsebin", "audio/", collect, &c);
  *n_frames = c.n;
  return g_byte_array_free_to_bytes (c.bytes);
}

static GstPadProbeReturn
count (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  (*(guint *) user_data)++;
  return GST_PAD_PROBE_OK;
}

guint
count_video_frames (const gchar * path)
{
  guint n = 0;

  tap_file (path, "decodebin", "video/x-raw", count, &n);
  return n;
}

GstClockTime
file_duration (const gchar * path)
{
  GstDiscoverer *disc = gst_discoverer_new (30 * GST_SECOND, NULL);
  gchar *uri = gst_filename_to_uri (path, NULL);
  GstDiscovererInfo *info = gst_discoverer_discover_uri (disc, uri, NULL);
  GstClockTime d;

  fail_unless (info != NULL && gst_discoverer_info_get_result (info) ==
      GST_DISCOVERER_OK, "cannot discover %s", path);
  d = gst_discoverer_info_get_duration (info);
  gst_discoverer_info_unref (info);
  g_object_unref (disc);
  g_free (uri);
  return d;
}

gchar *
file_media_type (const gchar * path)
{
  GstCaps *caps;
  gchar *data, *type;
  gsize size;

  fail_unless (g_file_get_contents (path, &data, &size, NULL),
      "cannot read %s", path);
  caps = gst_type_find_helper_for_data (NULL, (guint8 *) data, size, NULL);
  g_free (data);
  fail_unless (caps != NULL, "typefind knows nothing of %s", path);
  type = g_strdup (gst_structure_get_name (gst_caps_get_structure (caps, 0)));
  gst_caps_unref (caps);
  return type;
}

void
picture_size (const gchar * path, gint * width, gint * height)
{
  GstDiscoverer *disc = gst_discoverer_new (30 * GST_SECOND, NULL);
  gchar *uri = gst_filename_to_uri (path, NULL);
  GstDiscovererInfo *info = gst_discoverer_discover_uri (disc, uri, NULL);
  GList *video;

  fail_unless (info != NULL && gst_discoverer_info_get_result (info) ==
      GST_DISCOVERER_OK, "cannot discover %s", path);
  video = gst_discoverer_info_get_video_streams (info);
  fail_unless (video != NULL, "%s holds no picture", path);
  *width = gst_discoverer_video_info_get_width (video->data);
  *height = gst_discoverer_video_info_get_height (video->data);
  gst_discoverer_stream_info_list_free (video);
  gst_discoverer_info_unref (info);
  g_object_unref (disc);
  g_free (uri);
}

static GstPadProbeReturn
take_tags (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstTagList **tags = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstTagList *t;

  if (GST_EVENT_TYPE (event) == GST_EVENT_TAG) {
    gst_event_parse_tag (event, &t);
    if (*tags == NULL)
      *tags = gst_tag_list_copy (t);
    else
      gst_tag_list_insert (*tags, t, GST_TAG_MERGE_APPEND);
  }
  return GST_PAD_PROBE_OK;
}

GstTagList *
jpeg_tags (const gchar * path)
{
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *src = gst_element_factory_make ("filesrc", NULL);
  GstElement *parse = gst_element_factory_make ("jpegparse", NULL);
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  GstTagList *tags = NULL;
  GstPad *pad;

  fail_unless (parse != NULL, "jpegparse is missing: install "
      "gstreamer1.0-plugins-bad");
  g_object_set (src, "location", path, NULL);
  gst_bin_add_many (GST_BIN (pipeline), src, parse, sink, NULL);
  fail_unless (gst_element_link_many (src, parse, sink, NULL));
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, take_tags,
      &tags, NULL);
  gst_object_unref (pad);
  play_to_end (pipeline, path);
  gst_object_unref (pipeline);
  return tags;
}

guint
count_files_named (const gchar * dir_path, const gchar * part)
{
  GDir *dir = g_dir_open (dir_path, 0, NULL);
  const gchar *name;
  guint n = 0;

  fail_unless (dir != NULL, "cannot read %s", dir_path);
  while ((name = g_dir_read_name (dir)))
    if (strstr (name, part))
      n++;
  g_dir_close (dir);
  return n;
}
