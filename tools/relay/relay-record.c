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
 * starts a new file every --segment-seconds and at every new session, in
 * Matroska files that a kill -9 leaves playable up to about a second
 * before it. A
 * recording that fails (a full disk) stops, its file closed; the serving
 * goes on. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "relay.h"

#include <gst/app/app.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>

#define STOP_TIMEOUT (5 * GST_SECOND)
#define RECORD_EXT "mkv"

/* Stops the recording where it is, the serving goes on: the consumer
 * first, so that nothing more is pushed, then the pipeline, which closes
 * the file. Main thread. */
static void
recorder_abandon (Relay * relay)
{
  if (relay->rec) {
    remove_consumer (relay, relay->rec->id);
    relay->rec = NULL;
  }
  if (relay->recorder_watch)
    g_source_remove (relay->recorder_watch);
  relay->recorder_watch = 0;
  if (relay->recorder) {
    gst_element_set_state (relay->recorder, GST_STATE_NULL);
    gst_clear_object (&relay->recorder);
  }
}

/* The number of a file of the recording, from its name; -1 if none. */
static gint64
file_index (const gchar * name)
{
  gchar *end;
  guint64 n;

  if (!g_str_has_prefix (name, RECORD_PREFIX))
    return -1;
  n = g_ascii_strtoull (name + strlen (RECORD_PREFIX), &end, 10);
  if (end == name + strlen (RECORD_PREFIX) || *end != '.' || n >= G_MAXUINT)
    return -1;
  return (gint64) n;
}

/* On a write error, splitmuxsink closes the file and opens the next one
 * before it stops: that one stays empty, and would only puzzle. */
static void
remove_empty_after (const gchar * dir, const gchar * file)
{
  gchar *base = g_path_get_basename (file);
  gint64 last = file_index (base);
  GDir *d = g_dir_open (dir, 0, NULL);
  const gchar *name;

  while (d && last >= 0 && (name = g_dir_read_name (d))) {
    gchar *path = g_build_filename (dir, name, NULL);
    GStatBuf st;

    if (file_index (name) > last && g_stat (path, &st) == 0
        && S_ISREG (st.st_mode) && st.st_size == 0)
      g_unlink (path);
    g_free (path);
  }
  if (d)
    g_dir_close (d);
  g_free (base);
}

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
  while ((name = g_dir_read_name (d)))
    if (file_index (name) >= 0)
      next = MAX (next, (guint) file_index (name) + 1);
  g_dir_close (d);
  return next;
}

static gboolean
on_recorder_message (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  Relay *relay = user_data;
  GError *err = NULL;
  gchar *dbg = NULL, *file;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (msg, &err, &dbg);
      GST_DEBUG ("recording error details: %s", GST_STR_NULL (dbg));
      file = relay->record_file ? g_strdup_printf ("%s, closed, plays up "
          "to the error", relay->record_file) : g_strdup ("no file yet");
      if (g_error_matches (err, GST_RESOURCE_ERROR,
              GST_RESOURCE_ERROR_NO_SPACE_LEFT))
        relay_warn (relay, "recording stopped: the disk of '%s' is full "
            "(%s); the stream is still served", relay->record_dir, file);
      else
        relay_warn (relay, "recording stopped: %s (%s; check the space and "
            "rights in '%s'); the stream is still served", err->message,
            file, relay->record_dir);
      g_free (file);
      g_clear_error (&err);
      g_free (dbg);
      /* this watch goes with it */
      relay->recorder_watch = 0;
      recorder_abandon (relay);
      if (relay->record_file)
        remove_empty_after (relay->record_dir, relay->record_file);
      return G_SOURCE_REMOVE;
    case GST_MESSAGE_ELEMENT:{
      const GstStructure *s = gst_message_get_structure (msg);

      if (gst_structure_has_name (s, "splitmuxsink-fragment-opened")) {
        g_free (relay->record_file);
        relay->record_file = g_strdup (gst_structure_get_string (s,
                "location"));
        relay_verbose (relay, "recording into %s", relay->record_file);
      }
      break;
    }
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

/* Links @src (an appsrc), then @parse (or none), then @queue to @split's
 * request pad @pad_name. */
static gboolean
link_to_split (GstElement * split, const gchar * pad_name, GstElement * src,
    GstElement * parse, GstElement * queue, GError ** error)
{
  GstPad *srcpad, *sinkpad = gst_element_request_pad_simple (split, pad_name);
  gboolean ok = sinkpad != NULL && gst_element_link (src, parse ? parse :
      queue);

  if (ok) {
    srcpad = gst_element_get_static_pad (queue, "src");
    ok = GST_PAD_LINK_SUCCESSFUL (gst_pad_link (srcpad, sinkpad));
    gst_object_unref (srcpad);
  }
  if (!ok)
    g_set_error (error, RELAY_ERROR, 0, "cannot link the recording's %s",
        pad_name);
  gst_clear_object (&sinkpad);
  return ok;
}

/* @factory made and added to @bin, or NULL with an error. */
static GstElement *
add_element (GstElement * bin, const gchar * factory, const gchar * name,
    GError ** error)
{
  GstElement *e = make_element (factory, name, error);

  if (e)
    gst_bin_add (GST_BIN (bin), e);
  return e;
}

/* appsrc ! h264parse ! queue ! splitmuxsink, and appsrc ! queue ! the
 * same for the audio, into @location, in Matroska: each block is on disk
 * as it comes (the file sink holds no 64 kB back), so a kill -9 or a power
 * cut loses only the group of pictures splitmuxsink holds (a second:
 * relay-ingest.c), and the file plays. (MP4 does not play at all without
 * its index; fragmented MP4 would, but mp4mux 1.22 writes into each file
 * after the first a duration that counts from the start of the first.) */
static GstElement *
recorder_new (Relay * relay, const gchar * location, guint index,
    GError ** error)
{
  GstElement *pipeline = gst_pipeline_new ("recorder");
  GstElement *vsrc, *parse, *vqueue, *split, *muxer, *sink, *asrc, *aqueue;

  if (!(split = add_element (pipeline, "splitmuxsink", "mux", error))
      || !(muxer = make_element ("matroskamux", NULL, error)))
    goto failed;
  /* splitmuxsink takes them */
  g_object_set (split, "muxer", muxer, NULL);
  if (!(sink = make_element ("filesink", NULL, error)))
    goto failed;
  g_object_set (split, "sink", sink, NULL);
  gst_util_set_object_arg (G_OBJECT (sink), "buffer-mode", "unbuffered");
  g_object_set (split, "location", location, "start-index", index,
      "max-size-time", (guint64) relay->segment_seconds * GST_SECOND, NULL);

  if (!(vsrc = add_element (pipeline, "appsrc", "vsrc", error))
      || !(parse = add_element (pipeline, "h264parse", NULL, error))
      || !(vqueue = add_element (pipeline, "queue", NULL, error)))
    goto failed;
  if (!gst_element_link (parse, vqueue)
      || !link_to_split (split, "video", vsrc, parse, vqueue, error))
    goto failed;
  if (relay->audio_codec) {
    if (!(asrc = add_element (pipeline, "appsrc", "asrc", error))
        || !(aqueue = add_element (pipeline, "queue", NULL, error))
        || !link_to_split (split, "audio_%u", asrc, NULL, aqueue, error))
      goto failed;
  }
  return pipeline;

failed:
  if (error && *error == NULL)
    g_set_error (error, RELAY_ERROR, 0, "cannot link its elements");
  gst_object_unref (pipeline);
  return NULL;
}

gboolean
recorder_start (Relay * relay, GError ** error)
{
  gchar *location;
  GstElement *video, *audio;
  GstBus *bus;
  guint index;

  if (g_mkdir_with_parents (relay->record_dir, 0750) != 0) {
    g_set_error (error, RELAY_ERROR, 0, "cannot create the recording "
        "folder '%s': %s", relay->record_dir, g_strerror (errno));
    return FALSE;
  }
  index = first_free_index (relay->record_dir);
  /* splitmuxsink puts the index into the location itself */
  location = g_strdup_printf ("%s/" RECORD_PREFIX "%%05d." RECORD_EXT,
      relay->record_dir);
  relay->recorder = recorder_new (relay, location, index, error);
  g_free (location);
  if (relay->recorder == NULL) {
    g_prefix_error (error, "cannot build the recording pipeline: ");
    return FALSE;
  }

  video = gst_bin_get_by_name (GST_BIN (relay->recorder), "vsrc");
  audio = gst_bin_get_by_name (GST_BIN (relay->recorder), "asrc");
  relay->rec = consumer_new (relay, "recording", video, audio);
  relay->rec->splitter = gst_bin_get_by_name (GST_BIN (relay->recorder), "mux");

  bus = gst_element_get_bus (relay->recorder);
  relay->recorder_watch = gst_bus_add_watch (bus, on_recorder_message, relay);
  gst_object_unref (bus);
  if (gst_element_set_state (relay->recorder, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE) {
    g_set_error (error, RELAY_ERROR, 0, "cannot start recording into '%s'",
        relay->record_dir);
    /* not added yet: freed here, and the watch with the pipeline */
    consumer_free (relay->rec);
    relay->rec = NULL;
    recorder_abandon (relay);
    return FALSE;
  }
  add_consumer (relay, relay->rec);
  relay_say (relay,
      "recording into %s, from " RECORD_PREFIX "%05u." RECORD_EXT " on: a "
      "new file every %d s and at every reconnection", relay->record_dir,
      index, relay->segment_seconds);
  return TRUE;
}

/* Closes the file being written: EOS through the muxer, then stop. */
void
recorder_stop (Relay * relay)
{
  GstBus *bus;
  GstMessage *msg;

  if (relay->recorder && relay->rec) {
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
  recorder_abandon (relay);
  g_clear_pointer (&relay->record_file, g_free);
}
