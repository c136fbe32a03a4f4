/* faceanon-relay: the ingest pipeline
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

/* Built again at every connection to the source: uridecodebin, then a
 * branch per stream linked as its pad comes (video masked by faceanon and
 * encoded, audio as it is or re-encoded), each ending in an appsink that
 * hands the buffers to the consumers. What the main thread must know
 * comes as application messages on the ingest's bus. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "relay.h"

#include <gst/app/app.h>
#include <gst/pbutils/pbutils.h>

/* a key frame every second: a client joins on one, and splitmuxsink
 * holds a whole group of pictures before the recording's muxer sees it,
 * which a kill -9 loses */
#define KEY_INTERVAL_S 1
#define RTSPSRC_LATENCY_MS 200

const gchar *const stream_names[N_STREAMS] = { "video", "audio" };

static void
ingest_post (Ingest * in, GstStructure * s)
{
  gst_element_post_message (in->pipeline,
      gst_message_new_application (GST_OBJECT (in->pipeline), s));
}

static void
ingest_post_error (Ingest * in, const GError * err)
{
  ingest_post (in, gst_structure_new ("relay-error", "text", G_TYPE_STRING,
          err->message, NULL));
}

static GstFlowReturn
on_new_sample (GstAppSink * sink, gpointer user_data)
{
  Ingest *in = user_data;
  Stream stream = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (sink),
          "relay-stream"));
  GstSample *sample = gst_app_sink_pull_sample (sink);
  const GstSegment *segment;
  GstBuffer *buf;
  GstClockTime rt;
  gboolean first;

  if (sample == NULL)
    return GST_FLOW_FLUSHING;

  g_mutex_lock (&in->lock);
  in->last_sample_us = g_get_monotonic_time ();
  first = !in->got_first[stream];
  in->got_first[stream] = TRUE;
  g_mutex_unlock (&in->lock);
  if (first)
    ingest_post (in, gst_structure_new ("relay-first-sample",
            "stream", G_TYPE_INT, stream,
            "caps", GST_TYPE_CAPS, gst_sample_get_caps (sample), NULL));

  buf = gst_sample_get_buffer (sample);
  segment = gst_sample_get_segment (sample);
  rt = buf && segment ? gst_segment_to_running_time (segment,
      GST_FORMAT_TIME, GST_BUFFER_PTS (buf)) : GST_CLOCK_TIME_NONE;
  if (buf && GST_BUFFER_DURATION_IS_VALID (buf))
    in->last_duration[stream] = GST_BUFFER_DURATION (buf);
  /* cameras send buffers without a time, or before the segment: such a
   * one follows the previous (a key frame among them must not be lost) */
  if (!GST_CLOCK_TIME_IS_VALID (rt)
      && GST_CLOCK_TIME_IS_VALID (in->last_rt[stream])) {
    rt = in->last_rt[stream] + in->last_duration[stream];
    GST_LOG ("%s buffer without a running time: taken at %" GST_TIME_FORMAT,
        stream_names[stream], GST_TIME_ARGS (rt));
  }
  if (buf && GST_CLOCK_TIME_IS_VALID (rt)) {
    in->last_rt[stream] = rt;
    relay_feed (in->relay, stream, in->session, buf, rt);
  }
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

static GstElement *
make_appsink (Ingest * in, Stream stream, GError ** error)
{
  GstAppSinkCallbacks callbacks = {.new_sample = on_new_sample };
  GstElement *sink = make_element ("appsink", stream_names[stream], error);

  if (sink == NULL)
    return NULL;
  /* a file plays at its own pace; a camera is taken as it comes */
  g_object_set (sink, "sync", !in->live, "enable-last-sample", FALSE,
      "max-buffers", 16, NULL);
  g_object_set_data (G_OBJECT (sink), "relay-stream", GINT_TO_POINTER (stream));
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, in, NULL);
  return sink;
}

/* live: late frames are dropped before faceanon, not piled up */
static void
make_leaky (GstElement * queue)
{
  g_object_set (queue, "leaky", 2, "max-size-buffers", 0, "max-size-bytes",
      0, "max-size-time", (guint64) GST_SECOND, NULL);
}

static GstElement *
make_queue (Ingest * in, GError ** error)
{
  GstElement *q = make_element ("queue", NULL, error);

  if (q && in->live)
    make_leaky (q);
  return q;
}

/* Adds @elements to the pipeline, links them after @pad and starts them. */
static gboolean
add_branch (Ingest * in, GstPad * pad, GstElement ** elements, guint n,
    GError ** error)
{
  GstPad *sinkpad;
  GstPadLinkReturn ret;

  for (guint i = 0; i < n; i++)
    gst_bin_add (GST_BIN (in->pipeline), elements[i]);
  for (guint i = 0; i + 1 < n; i++) {
    if (!gst_element_link (elements[i], elements[i + 1])) {
      g_set_error (error, RELAY_ERROR, 0, "cannot link %s to %s",
          GST_ELEMENT_NAME (elements[i]), GST_ELEMENT_NAME (elements[i + 1]));
      return FALSE;
    }
  }
  for (guint i = n; i > 0; i--)
    gst_element_sync_state_with_parent (elements[i - 1]);
  sinkpad = gst_element_get_static_pad (elements[0], "sink");
  ret = gst_pad_link (pad, sinkpad);
  gst_object_unref (sinkpad);
  if (GST_PAD_LINK_FAILED (ret)) {
    g_set_error (error, RELAY_ERROR, 0, "cannot link the source's %s pad: "
        "%s", GST_PAD_NAME (pad), gst_pad_link_get_name (ret));
    return FALSE;
  }
  return TRUE;
}

static gboolean
link_video (Ingest * in, GstPad * pad, GstCaps * caps, GError ** error)
{
  GstElement *e[8] = { NULL, };
  const GstStructure *s = gst_caps_get_structure (caps, 0);
  gint fps_n = 0, fps_d = 1, key_int = 60;
  GstCaps *h264;
  guint i;

  e[0] = make_queue (in, error);
  e[1] = e[0] ? make_element ("videoconvert", NULL, error) : NULL;
  e[2] = e[1] ? make_element ("faceanon", "anon", error) : NULL;
  e[3] = e[2] ? make_element ("videoconvert", NULL, error) : NULL;
  e[4] = e[3] ? make_element ("x264enc", NULL, error) : NULL;
  e[5] = e[4] ? make_element ("h264parse", NULL, error) : NULL;
  e[6] = e[5] ? make_element ("capsfilter", NULL, error) : NULL;
  e[7] = e[6] ? make_appsink (in, STREAM_VIDEO, error) : NULL;
  if (e[7] == NULL)
    goto failed;
  set_faceanon (in->relay, e[2]);

  if (gst_structure_get_fraction (s, "framerate", &fps_n, &fps_d)
      && fps_n > 0 && fps_d > 0)
    key_int = CLAMP ((KEY_INTERVAL_S * fps_n + fps_d / 2) / fps_d, 1, 600);
  gst_util_set_object_arg (G_OBJECT (e[4]), "tune", "zerolatency");
  gst_util_set_object_arg (G_OBJECT (e[4]), "speed-preset", "superfast");
  /* a key frame asked for soon after the last one is an IDR picture too
   * (x264 makes it a plain intra picture within min-keyint frames), so
   * that a client or a recording can start on it */
  g_object_set (e[4], "key-int-max", key_int, "option-string",
      "min-keyint=1", NULL);
  /* parameter sets with every key frame: a client can join at any */
  g_object_set (e[5], "config-interval", -1, NULL);
  h264 = gst_caps_from_string (VIDEO_CAPS);
  g_object_set (e[6], "caps", h264, NULL);
  gst_caps_unref (h264);

  in->anon = e[2];
  in->queue[STREAM_VIDEO] = e[0];
  in->sink[STREAM_VIDEO] = e[7];
  return add_branch (in, pad, e, G_N_ELEMENTS (e), error);

failed:
  for (i = 0; i < G_N_ELEMENTS (e); i++)
    if (e[i])
      gst_object_unref (e[i]);
  return FALSE;
}

/* The audio branch: as it is when it can be, else encoded to @codec. */
static gboolean
link_audio (Ingest * in, GstPad * pad, GstCaps * caps,
    const AudioCodec * codec, const GstCaps * published, GError ** error)
{
  GstElement *e[8] = { NULL, };
  guint n = 0, i;
  gboolean raw = gst_structure_has_name (gst_caps_get_structure (caps, 0),
      "audio/x-raw");

  if (!(e[n++] = make_queue (in, error)))
    goto failed;
  if (raw) {
    GstCaps *filter;
    gint rate = 0, channels = 0;

    if (!(e[n++] = make_element ("audioconvert", NULL, error))
        || !(e[n++] = make_element ("audioresample", NULL, error))
        || !(e[n++] = make_element ("capsfilter", NULL, error)))
      goto failed;
    /* what was published: the same rate and channels again */
    filter = gst_caps_new_empty_simple ("audio/x-raw");
    if (published) {
      const GstStructure *p = gst_caps_get_structure (published, 0);

      if (gst_structure_get_int (p, "rate", &rate) && rate > 0)
        gst_caps_set_simple (filter, "rate", G_TYPE_INT, rate, NULL);
      if (gst_structure_get_int (p, "channels", &channels) && channels > 0)
        gst_caps_set_simple (filter, "channels", G_TYPE_INT, channels, NULL);
    }
    g_object_set (e[n - 1], "caps", filter, NULL);
    gst_caps_unref (filter);
    if (!(e[n++] = make_element (codec->encoder, NULL, error)))
      goto failed;
  }
  if (codec->parser && !(e[n++] = make_element (codec->parser, NULL, error)))
    goto failed;
  if (g_str_equal (codec->media_type, "audio/mpeg")) {
    GstCaps *framed = gst_caps_from_string ("audio/mpeg, "
        "stream-format=(string)raw");

    if (!(e[n++] = make_element ("capsfilter", NULL, error)))
      goto failed;
    g_object_set (e[n - 1], "caps", framed, NULL);
    gst_caps_unref (framed);
  }
  if (!(e[n++] = make_appsink (in, STREAM_AUDIO, error)))
    goto failed;

  in->queue[STREAM_AUDIO] = e[0];
  in->sink[STREAM_AUDIO] = e[n - 1];
  in->audio_transcoded = raw;
  return add_branch (in, pad, e, n, error);

failed:
  for (i = 0; i < n; i++)
    if (e[i])
      gst_object_unref (e[i]);
  return FALSE;
}

static void
link_fakesink (Ingest * in, GstPad * pad)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);

  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  add_branch (in, pad, &sink, 1, NULL);
}

static void
on_pad_added (GstElement * bin, GstPad * pad, gpointer user_data)
{
  Ingest *in = user_data;
  Relay *relay = in->relay;
  GstCaps *caps = gst_pad_get_current_caps (pad);
  const gchar *name;
  GError *err = NULL;
  gboolean ok = TRUE, used = FALSE;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  GST_DEBUG ("source pad %s: %" GST_PTR_FORMAT, GST_PAD_NAME (pad), caps);

  g_mutex_lock (&in->lock);
  if (g_str_has_prefix (name, "video/x-raw") && !in->linked[STREAM_VIDEO]) {
    in->linked[STREAM_VIDEO] = used = TRUE;
    ok = link_video (in, pad, caps, &err);
  } else if (g_str_has_prefix (name, "audio/") && !in->linked[STREAM_AUDIO]) {
    const AudioCodec *codec;
    GstCaps *published = NULL;
    gboolean published_once;

    g_mutex_lock (&relay->lock);
    published_once = relay->published;
    codec = relay->audio_codec;
    if (relay->audio_caps)
      published = gst_caps_ref (relay->audio_caps);
    g_mutex_unlock (&relay->lock);

    if (!published_once)
      codec = audio_codec_for (caps);
    if (codec) {
      in->linked[STREAM_AUDIO] = used = TRUE;
      ok = link_audio (in, pad, caps, codec, published, &err);
    }
    gst_clear_caps (&published);
  }
  g_mutex_unlock (&in->lock);

  if (!used)
    link_fakesink (in, pad);
  if (!ok) {
    ingest_post_error (in, err);
    g_clear_error (&err);
  }
  gst_caps_unref (caps);
}

/* Where decodebin stops: audio that can be sent as it is stays encoded. */
static gboolean
on_autoplug_continue (GstElement * bin, GstPad * pad, GstCaps * caps,
    gpointer user_data)
{
  Ingest *in = user_data;
  Relay *relay = in->relay;
  const GstStructure *s = gst_caps_get_structure (caps, 0);
  gboolean go_on;

  if (!g_str_has_prefix (gst_structure_get_name (s), "audio/")
      || gst_structure_has_name (s, "audio/x-raw"))
    return TRUE;

  g_mutex_lock (&in->lock);
  if (in->audio_origin == NULL && gst_caps_is_fixed (caps))
    in->audio_origin = gst_pb_utils_get_codec_description (caps);
  g_mutex_unlock (&in->lock);

  g_mutex_lock (&relay->lock);
  if (!relay->published)
    go_on = audio_codec_of (caps) == NULL;
  else if (relay->audio_caps == NULL)
    go_on = FALSE;              /* no audio was published: no decoder */
  else
    go_on = !audio_compatible (caps, relay->audio_caps);
  g_mutex_unlock (&relay->lock);
  return go_on;
}

static void
on_no_more_pads (GstElement * bin, gpointer user_data)
{
  Ingest *in = user_data;

  ingest_post (in, gst_structure_new_empty ("relay-no-more-pads"));
}

static void
on_source_setup (GstElement * bin, GstElement * source, gpointer user_data)
{
  Ingest *in = user_data;
  const Source *src = &in->relay->source;
  GObjectClass *klass = G_OBJECT_GET_CLASS (source);

  if (src->split_credentials) {
    if (g_object_class_find_property (klass, "user-id")
        && g_object_class_find_property (klass, "user-pw")) {
      g_object_set (source, "user-id", src->user, "user-pw",
          src->password ? src->password : "", NULL);
    } else {
      GError *err = g_error_new (RELAY_ERROR, 0, "the source element %s "
          "takes no user name and password", G_OBJECT_TYPE_NAME (source));

      ingest_post_error (in, err);
      g_error_free (err);
    }
  }
  if (g_object_class_find_property (klass, "protocols")
      && g_object_class_find_property (klass, "latency")) {
    gchar *scheme = g_uri_parse_scheme (src->uri);

    /* rtspsrc: RTP over the RTSP connection, so that a camera that goes
     * away is noticed at once; UDP only when rtspu:// asks for it */
    if (scheme && (g_str_equal (scheme, "rtsp")
            || g_str_equal (scheme, "rtsps")))
      gst_util_set_object_arg (G_OBJECT (source), "protocols", "tcp");
    g_object_set (source, "latency", RTSPSRC_LATENCY_MS, NULL);
    g_free (scheme);
  }
}

/* The ingest of a new session, not started; @on_message watches its bus. */
Ingest *
ingest_new (Relay * relay, GstBusFunc on_message, GError ** error)
{
  Ingest *in = g_new0 (Ingest, 1);
  GstElement *decodebin;
  GstBus *bus;
  GstCaps *caps;

  g_mutex_init (&in->lock);
  in->relay = relay;
  in->session = ++relay->session;
  in->started_us = g_get_monotonic_time ();
  for (guint i = 0; i < N_STREAMS; i++) {
    in->last_rt[i] = GST_CLOCK_TIME_NONE;
    in->last_duration[i] = i == STREAM_VIDEO ? GST_SECOND / 25 :
        GST_SECOND / 50;
  }
  in->pipeline = gst_pipeline_new ("ingest");
  decodebin = make_element ("uridecodebin", "source", error);
  if (decodebin == NULL) {
    gst_object_unref (in->pipeline);
    g_mutex_clear (&in->lock);
    g_free (in);
    return NULL;
  }
  caps = gst_caps_from_string ("video/x-raw; audio/x-raw");
  g_object_set (decodebin, "uri", relay->source.uri, "caps", caps, NULL);
  gst_caps_unref (caps);
  g_signal_connect (decodebin, "pad-added", G_CALLBACK (on_pad_added), in);
  g_signal_connect (decodebin, "autoplug-continue",
      G_CALLBACK (on_autoplug_continue), in);
  g_signal_connect (decodebin, "no-more-pads", G_CALLBACK (on_no_more_pads),
      in);
  g_signal_connect (decodebin, "source-setup", G_CALLBACK (on_source_setup),
      in);
  gst_bin_add (GST_BIN (in->pipeline), decodebin);

  bus = gst_element_get_bus (in->pipeline);
  in->bus_watch = gst_bus_add_watch (bus, on_message, relay);
  gst_object_unref (bus);
  return in;
}

/* The source turned out live (no preroll): the appsinks take it as it
 * comes, the queues drop what is late. */
void
ingest_go_live (Ingest * in)
{
  g_mutex_lock (&in->lock);
  in->live = TRUE;
  for (guint i = 0; i < N_STREAMS; i++) {
    if (in->sink[i])
      g_object_set (in->sink[i], "sync", FALSE, NULL);
    if (in->queue[i])
      make_leaky (in->queue[i]);
  }
  g_mutex_unlock (&in->lock);
}

void
ingest_free (Relay * relay, Ingest * in)
{
  g_mutex_lock (&relay->lock);
  gst_clear_object (&relay->key_sink);
  g_mutex_unlock (&relay->lock);

  g_source_remove (in->bus_watch);
  /* joins the streaming threads: no callback runs after this */
  gst_element_set_state (in->pipeline, GST_STATE_NULL);
  gst_object_unref (in->pipeline);
  for (guint i = 0; i < N_STREAMS; i++)
    gst_clear_caps (&in->caps[i]);
  g_free (in->audio_origin);
  g_free (in->last_warning);
  g_mutex_clear (&in->lock);
  g_free (in);
}
