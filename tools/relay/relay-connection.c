/* faceanon-relay: the connection to the source
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

/* Connects (an ingest a session), watches the ingest's bus and the time
 * since its last buffer, and when the source is lost tears the ingest down
 * and tries again after a back-off. The consumers stay meanwhile. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "relay.h"

#include <string.h>

/* Reconnection: 1 s, 2 s, 4 s ... at most 30 s between tries. A session
 * that delivered video for BACKOFF_RESET starts the series over. */
#define BACKOFF_FIRST_S 1
#define BACKOFF_MAX_S 30
#define BACKOFF_RESET_US (10 * G_USEC_PER_SEC)

/* A source that gives no video this long after it was opened, or stops
 * giving it this long, is lost even if it says nothing (a camera that
 * keeps its TCP connection open but sends no more). */
#define CONNECT_TIMEOUT_S 20
#define STALL_TIMEOUT_S 10

static gboolean on_ingest_message (GstBus * bus, GstMessage * msg,
    gpointer user_data);
static void schedule_reconnect (Relay * relay);

static gboolean
ingest_start (gpointer user_data)
{
  Relay *relay = user_data;
  GstStateChangeReturn ret;
  GError *err = NULL;
  Ingest *in;

  relay->retry_id = 0;
  in = ingest_new (relay, on_ingest_message, &err);
  if (in == NULL) {
    relay_say (relay, "cannot build the ingest pipeline: %s", err->message);
    g_clear_error (&err);
    schedule_reconnect (relay);
    return G_SOURCE_REMOVE;
  }
  relay->ingest = in;
  relay_say (relay, "connecting to %s", relay->source.display);

  ret = gst_element_set_state (in->pipeline, GST_STATE_PAUSED);
  if (ret == GST_STATE_CHANGE_NO_PREROLL)
    ingest_go_live (in);
  /* a failure posts its error on the bus, which reconnects */
  if (ret != GST_STATE_CHANGE_FAILURE)
    gst_element_set_state (in->pipeline, GST_STATE_PLAYING);
  return G_SOURCE_REMOVE;
}

static void
ingest_stop (Relay * relay)
{
  if (relay->ingest == NULL)
    return;
  ingest_free (relay, relay->ingest);
  relay->ingest = NULL;
}

static void
schedule_reconnect (Relay * relay)
{
  if (relay->stopping || relay->retry_id)
    return;
  relay->retry_id = g_timeout_add_seconds (relay->backoff_s, ingest_start,
      relay);
  relay->backoff_s = MIN (relay->backoff_s * 2, BACKOFF_MAX_S);
}

/* The source is gone (or faceanon failed): tear the ingest down and try
 * again later. The consumers keep running, with no data meanwhile. */
static void
source_lost (Relay * relay, const gchar * why)
{
  Ingest *in = relay->ingest;

  if (in && in->connected_us
      && g_get_monotonic_time () - in->connected_us >= BACKOFF_RESET_US)
    relay->backoff_s = BACKOFF_FIRST_S;
  ingest_stop (relay);
  if (relay->stopping)
    return;
  relay_say (relay, "source lost (%s), reconnecting in %u s", why,
      relay->backoff_s);
  schedule_reconnect (relay);
}

static void
on_first_sample (Relay * relay, Ingest * in, const GstStructure * s)
{
  gint stream = STREAM_VIDEO;
  const GValue *v = gst_structure_get_value (s, "caps");
  const GstCaps *caps = v ? gst_value_get_caps (v) : NULL;

  gst_structure_get_int (s, "stream", &stream);
  if (stream < 0 || stream >= N_STREAMS || in->caps[stream])
    return;
  in->caps[stream] = caps ? gst_caps_copy (caps) : gst_caps_new_any ();

  if (stream == STREAM_VIDEO) {
    const GstStructure *vs = gst_caps_get_structure (in->caps[stream], 0);
    gint w = 0, h = 0, fn = 0, fd = 1;
    gchar *audio;

    gst_structure_get_int (vs, "width", &w);
    gst_structure_get_int (vs, "height", &h);
    gst_structure_get_fraction (vs, "framerate", &fn, &fd);
    in->connected_us = g_get_monotonic_time ();
    g_mutex_lock (&in->lock);
    if (!in->linked[STREAM_AUDIO])
      audio = g_strdup ("");
    else if (relay->published && relay->audio_codec == NULL)
      audio = g_strdup_printf (", audio %s left out (the stream was "
          "published without audio)", in->audio_origin ? in->audio_origin :
          "raw");
    else if (relay->published && in->audio_transcoded)
      audio = g_strdup_printf (", audio %s re-encoded to %s",
          in->audio_origin ? in->audio_origin : "raw",
          relay->audio_codec->label);
    else
      audio = g_strdup_printf (", audio %s", in->audio_origin ?
          in->audio_origin : "raw");
    g_mutex_unlock (&in->lock);
    relay_say (relay, "source connected: %s, %dx%d at %.2f fps%s%s",
        relay->source.display, w, h, fd ? (gdouble) fn / fd : 0.0, audio,
        in->live ? "" : " (not live: played at its own pace)");
    g_free (audio);

    g_mutex_lock (&relay->lock);
    gst_object_replace ((GstObject **) & relay->key_sink,
        GST_OBJECT (in->sink[STREAM_VIDEO]));
    g_mutex_unlock (&relay->lock);
  } else {
    relay_verbose (relay, "source audio: %" GST_PTR_FORMAT, in->caps[stream]);
  }
  maybe_publish (relay, in);
}

static gboolean
from_faceanon (Ingest * in, GstMessage * msg)
{
  return in->anon && GST_MESSAGE_SRC (msg) == GST_OBJECT (in->anon);
}

static gboolean
on_ingest_message (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  Relay *relay = user_data;
  Ingest *in = relay->ingest;
  GError *err = NULL;
  gchar *dbg = NULL, *why;

  if (in == NULL || GST_MESSAGE_SRC (msg) == NULL)
    return G_SOURCE_CONTINUE;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (msg, &err, &dbg);
      if (dbg) {
        gchar *line = g_strdelimit (g_strdup (dbg), "\n", ' ');

        relay_verbose (relay, "error details: %s", line);
        g_free (line);
      }
      /* faceanon says how to fix it in the details, after the origin */
      if (from_faceanon (in, msg))
        why = g_strdup_printf ("faceanon failed: %s %s; the ingest stops so "
            "that no unmasked frame goes out", err->message,
            dbg && strchr (dbg, '\n') ? strchr (dbg, '\n') + 1 : "");
      else
        why = g_strdup_printf ("%s: %s", GST_MESSAGE_SRC_NAME (msg),
            err->message);
      g_clear_error (&err);
      g_free (dbg);
      source_lost (relay, why);
      g_free (why);
      return G_SOURCE_CONTINUE;
    case GST_MESSAGE_EOS:
      /* rtspsrc says why in a warning, then ends the stream */
      why = in->last_warning ? g_strdup_printf ("end of stream after: %s",
          in->last_warning) : g_strdup ("end of stream");
      source_lost (relay, why);
      g_free (why);
      return G_SOURCE_CONTINUE;
    case GST_MESSAGE_WARNING:
      gst_message_parse_warning (msg, &err, &dbg);
      relay_verbose (relay, "%s: %s", GST_MESSAGE_SRC_NAME (msg), err->message);
      g_free (in->last_warning);
      in->last_warning = g_strdup (err->message);
      g_clear_error (&err);
      g_free (dbg);
      break;
    case GST_MESSAGE_BUFFERING:{
      gint percent = 100;

      if (in->live)
        break;
      gst_message_parse_buffering (msg, &percent);
      if (percent < 100 && !in->buffering) {
        in->buffering = TRUE;
        gst_element_set_state (in->pipeline, GST_STATE_PAUSED);
      } else if (percent >= 100 && in->buffering) {
        in->buffering = FALSE;
        gst_element_set_state (in->pipeline, GST_STATE_PLAYING);
      }
      break;
    }
    case GST_MESSAGE_APPLICATION:{
      const GstStructure *s = gst_message_get_structure (msg);

      if (gst_structure_has_name (s, "relay-first-sample")) {
        on_first_sample (relay, in, s);
      } else if (gst_structure_has_name (s, "relay-no-more-pads")) {
        in->no_more_pads = TRUE;
        g_mutex_lock (&in->lock);
        if (!in->linked[STREAM_VIDEO]) {
          g_mutex_unlock (&in->lock);
          source_lost (relay, "the source has no video stream");
          return G_SOURCE_CONTINUE;
        }
        g_mutex_unlock (&in->lock);
        maybe_publish (relay, in);
      } else if (gst_structure_has_name (s, "relay-error")) {
        source_lost (relay, gst_structure_get_string (s, "text"));
      }
      break;
    }
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

/* Once a second: a source that went quiet is lost; late audio no longer
 * holds the publication back. */
static gboolean
on_watchdog (gpointer user_data)
{
  Relay *relay = user_data;
  Ingest *in = relay->ingest;
  gint64 now = g_get_monotonic_time (), quiet;

  if (in == NULL || in->buffering)
    return G_SOURCE_CONTINUE;
  g_mutex_lock (&in->lock);
  quiet = now - in->last_sample_us;
  g_mutex_unlock (&in->lock);

  if (in->connected_us == 0
      && now - in->started_us > CONNECT_TIMEOUT_S * G_USEC_PER_SEC) {
    source_lost (relay, "no video from the source within "
        G_STRINGIFY (CONNECT_TIMEOUT_S) " s");
  } else if (in->connected_us && quiet > STALL_TIMEOUT_S * G_USEC_PER_SEC) {
    source_lost (relay, "no data from the source for "
        G_STRINGIFY (STALL_TIMEOUT_S) " s");
  } else {
    maybe_publish (relay, in);
  }
  return G_SOURCE_CONTINUE;
}

/* Connects to the source now, and again whenever it is lost, until
 * connection_stop (). */
void
connection_start (Relay * relay)
{
  relay->backoff_s = BACKOFF_FIRST_S;
  ingest_start (relay);
  relay->watchdog_id = g_timeout_add_seconds (1, on_watchdog, relay);
}

void
connection_stop (Relay * relay)
{
  g_source_remove (relay->watchdog_id);
  if (relay->retry_id)
    g_source_remove (relay->retry_id);
  ingest_stop (relay);
}
