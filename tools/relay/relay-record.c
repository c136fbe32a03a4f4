/* faceanon-relay: recording what it serves
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

/* --record: one more consumer, appsrc ! h264parse ! splitmuxsink, that
 * starts a new file every --segment-seconds and at every new session. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "relay.h"

#include <gst/app/app.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>

#define STOP_TIMEOUT (5 * GST_SECOND)

/* The next free segment number in the recording folder: a restart goes on
 * after the files that are there, it never overwrites them. */
static guint
first_free_index (const gchar * dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const gchar *name;
  guint next = 0;

  if (d == NULL)
    return 0;
  while ((name = g_dir_read_name (d))) {
    gchar *end;
    guint64 n;

    if (!g_str_has_prefix (name, RECORD_PREFIX))
      continue;
    n = g_ascii_strtoull (name + strlen (RECORD_PREFIX), &end, 10);
    if (end != name + strlen (RECORD_PREFIX) && *end == '.' && n < G_MAXUINT)
      next = MAX (next, (guint) n + 1);
  }
  g_dir_close (d);
  return next;
}

static gboolean
on_recorder_message (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  Relay *relay = user_data;
  GError *err = NULL;
  gchar *dbg = NULL;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (msg, &err, &dbg);
      relay_warn (relay, "recording stopped: %s (check the space and rights in "
          "'%s'); the stream is still served", err->message, relay->record_dir);
      GST_DEBUG ("recording error details: %s", GST_STR_NULL (dbg));
      if (relay->rec) {
        remove_consumer (relay, relay->rec->id);
        relay->rec = NULL;
      }
      g_clear_error (&err);
      g_free (dbg);
      relay->recorder_watch = 0;
      return G_SOURCE_REMOVE;
    case GST_MESSAGE_ELEMENT:{
      const GstStructure *s = gst_message_get_structure (msg);

      if (gst_structure_has_name (s, "splitmuxsink-fragment-opened"))
        relay_verbose (relay, "recording into %s",
            gst_structure_get_string (s, "location"));
      break;
    }
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

gboolean
recorder_start (Relay * relay, GError ** error)
{
  gboolean mp4 = relay->audio_codec == NULL || relay->audio_codec->mp4;
  const gchar *ext = mp4 ? "mp4" : "mkv";
  gchar *launch, *location;
  GstElement *video, *audio, *mux;
  GstBus *bus;
  guint index;

  if (g_mkdir_with_parents (relay->record_dir, 0750) != 0) {
    g_set_error (error, RELAY_ERROR, 0, "cannot create the recording "
        "folder '%s': %s", relay->record_dir, g_strerror (errno));
    return FALSE;
  }
  launch = g_strdup_printf ("appsrc name=vsrc ! h264parse ! queue ! "
      "splitmuxsink name=mux muxer-factory=%s%s", mp4 ? "mp4mux" :
      "matroskamux", relay->audio_codec ?
      " appsrc name=asrc ! queue ! mux.audio_%u" : "");
  relay->recorder = gst_parse_launch (launch, error);
  g_free (launch);
  if (relay->recorder == NULL) {
    g_prefix_error (error, "cannot build the recording pipeline: ");
    return FALSE;
  }

  index = first_free_index (relay->record_dir);
  mux = gst_bin_get_by_name (GST_BIN (relay->recorder), "mux");
  /* splitmuxsink puts the index into the location itself */
  location = g_strdup_printf ("%s/" RECORD_PREFIX "%%05d.%s",
      relay->record_dir, ext);
  g_object_set (mux, "location", location, "start-index", index,
      "max-size-time", (guint64) relay->segment_seconds * GST_SECOND, NULL);
  g_free (location);

  video = gst_bin_get_by_name (GST_BIN (relay->recorder), "vsrc");
  audio = gst_bin_get_by_name (GST_BIN (relay->recorder), "asrc");
  relay->rec = consumer_new (relay, "recording", video, audio);
  relay->rec->splitter = mux;

  bus = gst_element_get_bus (relay->recorder);
  relay->recorder_watch = gst_bus_add_watch (bus, on_recorder_message, relay);
  gst_object_unref (bus);
  if (gst_element_set_state (relay->recorder, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE) {
    g_set_error (error, RELAY_ERROR, 0, "cannot start recording into '%s'",
        relay->record_dir);
    consumer_free (relay->rec);
    relay->rec = NULL;
    return FALSE;
  }
  add_consumer (relay, relay->rec);
  relay_say (relay,
      "recording into %s, from " RECORD_PREFIX "%05u.%s on: a new "
      "file every %d s and at every reconnection", relay->record_dir, index,
      ext, relay->segment_seconds);
  return TRUE;
}

/* Closes the file being written: EOS through the muxer, then stop. */
void
recorder_stop (Relay * relay)
{
  GstBus *bus;
  GstMessage *msg;

  if (relay->recorder == NULL)
    return;
  if (relay->rec) {
    GstElement *src[N_STREAMS];

    g_mutex_lock (&relay->lock);
    for (guint i = 0; i < N_STREAMS; i++)
      src[i] = relay->rec->src[i] ? gst_object_ref (relay->rec->src[i]) : NULL;
    g_mutex_unlock (&relay->lock);
    remove_consumer (relay, relay->rec->id);
    relay->rec = NULL;
    for (guint i = 0; i < N_STREAMS; i++) {
      if (src[i] == NULL)
        continue;
      gst_app_src_end_of_stream (GST_APP_SRC (src[i]));
      gst_object_unref (src[i]);
    }
    bus = gst_element_get_bus (relay->recorder);
    msg = gst_bus_timed_pop_filtered (bus, STOP_TIMEOUT,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    if (msg == NULL || GST_MESSAGE_TYPE (msg) != GST_MESSAGE_EOS)
      relay_warn (relay, "the last recorded file may be incomplete");
    gst_clear_message (&msg);
    gst_object_unref (bus);
  }
  if (relay->recorder_watch)
    g_source_remove (relay->recorder_watch);
  relay->recorder_watch = 0;
  gst_element_set_state (relay->recorder, GST_STATE_NULL);
  gst_clear_object (&relay->recorder);
}
