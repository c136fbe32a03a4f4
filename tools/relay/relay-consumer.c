/* faceanon-relay: the consumers of what the ingest makes
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

/* The RTSP media and the recording take the ingest's buffers through
 * appsrcs, each with the timestamps moved onto its own clock: the first
 * buffer of a source session is "now" there, the rest follow the source's
 * timing, and nothing goes in before an IDR picture, whose audio comes
 * with it. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "relay.h"

#include <gst/app/app.h>
#include <gst/video/video.h>

#define KEY_REQUEST_INTERVAL_US (G_USEC_PER_SEC / 2)
#define APPSRC_MAX_BYTES (4 * 1024 * 1024)
/* how much of the source's audio is kept for a consumer that starts */
#define AUDIO_BACKLOG (2 * GST_SECOND)

Consumer *
consumer_new (Relay * relay, const gchar * what, GstElement * video,
    GstElement * audio)
{
  Consumer *c = g_new0 (Consumer, 1);
  GstCaps *caps = gst_caps_from_string (VIDEO_CAPS);

  c->what = what;
  c->src[STREAM_VIDEO] = video;
  c->src[STREAM_AUDIO] = audio;
  for (guint i = 0; i < N_STREAMS; i++) {
    c->last[i] = GST_CLOCK_TIME_NONE;
    if (c->src[i] == NULL)
      continue;
    /* it queues: the sinks may wait as long as they need (a maximum
     * latency of 0 would have them warn that they cannot) */
    g_object_set (c->src[i], "is-live", TRUE, "format", GST_FORMAT_TIME,
        "do-timestamp", FALSE, "max-bytes", (guint64) APPSRC_MAX_BYTES,
        "min-latency", (gint64) 0, "max-latency", (gint64) - 1,
        "caps", i == STREAM_VIDEO ? caps : relay->audio_caps, NULL);
    /* a consumer that stalls loses its oldest data, the ingest goes on */
    gst_util_set_object_arg (G_OBJECT (c->src[i]), "leaky-type", "downstream");
  }
  gst_caps_unref (caps);
  return c;
}

void
consumer_free (Consumer * c)
{
  for (guint i = 0; i < N_STREAMS; i++)
    gst_clear_object (&c->src[i]);
  gst_clear_object (&c->splitter);
  g_free (c);
}

void
add_consumer (Relay * relay, Consumer * c)
{
  g_mutex_lock (&relay->lock);
  c->id = ++relay->next_consumer_id;
  g_ptr_array_add (relay->consumers, c);
  g_mutex_unlock (&relay->lock);
  GST_DEBUG ("consumer %u (%s) added", c->id, c->what);
}

void
remove_consumer (Relay * relay, guint id)
{
  Consumer *c = NULL;

  g_mutex_lock (&relay->lock);
  for (guint i = 0; i < relay->consumers->len; i++) {
    if (((Consumer *) g_ptr_array_index (relay->consumers, i))->id == id) {
      c = g_ptr_array_steal_index (relay->consumers, i);
      break;
    }
  }
  g_mutex_unlock (&relay->lock);
  if (c) {
    GST_DEBUG ("consumer %u (%s) removed", c->id, c->what);
    consumer_free (c);
  }
}

/* Asks the ingest's encoder for a key frame, at most twice a second: a
 * consumer that joins starts with one. Any thread; not under the lock. */
void
request_key_frame (Relay * relay)
{
  GstElement *sink = NULL;
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&relay->lock);
  if (relay->key_sink
      && now - relay->last_key_request_us >= KEY_REQUEST_INTERVAL_US) {
    sink = gst_object_ref (relay->key_sink);
    relay->last_key_request_us = now;
  }
  g_mutex_unlock (&relay->lock);
  if (sink) {
    GST_DEBUG ("asking the encoder for a key frame");
    gst_element_send_event (sink,
        gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE,
            TRUE, 0));
    gst_object_unref (sink);
  }
}

/* Whether @buf (H.264, byte-stream, a whole access unit) holds an IDR
 * picture, where a decoder can start: h264parse also flags the other
 * intra pictures as key frames, and a consumer that started on one would
 * have neither the parameter sets nor a picture its decoder takes until
 * the next IDR. */
static gboolean
is_idr (GstBuffer * buf)
{
  GstMapInfo map;
  gboolean idr = FALSE;

  if (!gst_buffer_map (buf, &map, GST_MAP_READ))
    return FALSE;
  for (gsize i = 0; i + 3 < map.size && !idr; i++)
    if (map.data[i] == 0 && map.data[i + 1] == 0 && map.data[i + 2] == 1)
      idr = (map.data[i + 3] & 0x1f) == 5;
  gst_buffer_unmap (buf, &map);
  return idr;
}

/* The running time of the consumer's pipeline now, and its base time, or
 * FALSE when it is not playing (then there is no "now" to map onto). */
static gboolean
consumer_now (Consumer * c, GstClockTime * now, GstClockTime * base)
{
  GstElement *src = c->src[STREAM_VIDEO];
  GstClock *clock;

  if (GST_STATE (src) != GST_STATE_PLAYING)
    return FALSE;
  clock = gst_element_get_clock (src);
  if (clock == NULL)
    return FALSE;
  *base = gst_element_get_base_time (src);
  *now = gst_clock_get_time (clock) - *base;
  gst_object_unref (clock);
  return TRUE;
}

/* Copies @buf, at running time @rt of the session @c is mapped on, into
 * @c's appsrc, its timestamps moved onto @c's clock. Under the lock. */
static GstFlowReturn
consumer_push (Consumer * c, Stream stream, GstBuffer * buf,
    GstClockTime rt, gboolean discont)
{
  GstClockTime out_pts = (GstClockTime) MAX ((GstClockTimeDiff) rt +
      c->offset, 0);
  GstClockTimeDiff dts_delta = 0;
  GstFlowReturn ret;
  GstBuffer *out;

  /* audio from before the first picture would start the audio track
   * early: MP4 fragments have no edit list to say so, and a player would
   * play it out of step */
  if (stream == STREAM_AUDIO && out_pts < c->start)
    return GST_FLOW_OK;
  /* never back in time, whatever the source did */
  if (GST_CLOCK_TIME_IS_VALID (c->last[stream]) && out_pts <= c->last[stream])
    out_pts = c->last[stream] + 1;

  if (GST_BUFFER_DTS_IS_VALID (buf) && GST_BUFFER_PTS_IS_VALID (buf))
    dts_delta = GST_CLOCK_DIFF (GST_BUFFER_DTS (buf), GST_BUFFER_PTS (buf));
  out = gst_buffer_copy (buf);
  GST_BUFFER_PTS (out) = out_pts;
  GST_BUFFER_DTS (out) = GST_BUFFER_DTS_IS_VALID (buf) ?
      (GstClockTime) MAX ((GstClockTimeDiff) out_pts - dts_delta, 0) :
      GST_CLOCK_TIME_NONE;
  if (discont)
    GST_BUFFER_FLAG_SET (out, GST_BUFFER_FLAG_DISCONT);
  ret = gst_app_src_push_buffer (GST_APP_SRC (c->src[stream]), out);
  if (ret == GST_FLOW_OK)
    c->last[stream] = out_pts;
  return ret;
}

typedef struct
{
  GstBuffer *buf;
  GstClockTime rt;
  guint session;
} HeldAudio;

static void
held_audio_free (gpointer data)
{
  HeldAudio *h = data;

  gst_buffer_unref (h->buf);
  g_free (h);
}

/* Keeps the last AUDIO_BACKLOG of the session's audio. Under the lock. */
static void
hold_audio (Relay * relay, guint session, GstBuffer * buf, GstClockTime rt)
{
  HeldAudio *h = g_new (HeldAudio, 1), *old;

  h->buf = gst_buffer_ref (buf);
  h->rt = rt;
  h->session = session;
  g_queue_push_tail (&relay->held_audio, h);
  while ((old = g_queue_peek_head (&relay->held_audio))
      && (old->session != session || rt - old->rt > AUDIO_BACKLOG))
    held_audio_free (g_queue_pop_head (&relay->held_audio));
}

/* A consumer that just started on the picture at @rt gets the audio of
 * its time that came before it: the audio arrives ahead of its pictures,
 * which faceanon and the encoder hold up. Under the lock. */
static void
push_held_audio (Relay * relay, Consumer * c, guint session, GstClockTime rt)
{
  if (c->src[STREAM_AUDIO] == NULL)
    return;
  for (GList * l = relay->held_audio.head; l; l = l->next) {
    HeldAudio *h = l->data;

    if (h->session == session && h->rt >= rt)
      consumer_push (c, STREAM_AUDIO, h->buf, h->rt, FALSE);
  }
}

void
consumers_clear (Relay * relay)
{
  for (guint i = 0; i < relay->consumers->len; i++)
    consumer_free (g_ptr_array_index (relay->consumers, i));
  g_ptr_array_set_size (relay->consumers, 0);
  g_queue_clear_full (&relay->held_audio, held_audio_free);
}

/* Hands one buffer of the ingest, at running time @rt, to every consumer.
 * Streaming thread. */
void
relay_feed (Relay * relay, Stream stream, guint session, GstBuffer * buf,
    GstClockTime rt)
{
  gboolean key, want_key = FALSE;
  gint idr = -1;                /* not looked at yet */

  key = stream == STREAM_VIDEO
      && !GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DELTA_UNIT);

  g_mutex_lock (&relay->lock);
  if (stream == STREAM_AUDIO)
    hold_audio (relay, session, buf, rt);
  for (guint i = 0; i < relay->consumers->len; i++) {
    Consumer *c = g_ptr_array_index (relay->consumers, i);
    GstClockTime now, base;
    gboolean discont = FALSE;
    GstFlowReturn ret;

    if (c->src[stream] == NULL)
      continue;
    /* nothing goes in before an IDR picture, audio included, and a new
     * session starts over: a file of the recording starts with one */
    if (c->started && c->session != session)
      c->started = FALSE;
    if (!c->started && key && idr < 0)
      idr = is_idr (buf);
    if (!c->started && (!key || !idr)) {
      want_key |= stream == STREAM_VIDEO;
      continue;
    }
    if (!consumer_now (c, &now, &base)) {
      GST_LOG ("consumer %u is not playing: %s buffer dropped", c->id,
          stream_names[stream]);
      c->started = FALSE;
      continue;
    }
    if (c->session != session || c->base_time != base) {
      /* this buffer is now; the session's later ones follow its timing */
      c->offset = GST_CLOCK_DIFF (rt, now);
      if (c->session != session && c->splitter && c->session != 0)
        g_signal_emit_by_name (c->splitter, "split-now");
      c->session = session;
      c->base_time = base;
      discont = TRUE;
      GST_DEBUG ("consumer %u: session %u mapped at %" GST_TIME_FORMAT,
          c->id, session, GST_TIME_ARGS (now));
    }
    if (c->started) {
      consumer_push (c, stream, buf, rt, discont);
      continue;
    }
    c->start = (GstClockTime) MAX ((GstClockTimeDiff) rt + c->offset, 0);
    ret = consumer_push (c, stream, buf, rt, discont);
    if (ret == GST_FLOW_OK) {
      c->started = TRUE;
      push_held_audio (relay, c, session, rt);
    } else {
      GST_LOG ("consumer %u refused a key frame: %s", c->id,
          gst_flow_get_name (ret));
      want_key = TRUE;
    }
  }
  g_mutex_unlock (&relay->lock);

  if (want_key)
    request_key_frame (relay);
}
