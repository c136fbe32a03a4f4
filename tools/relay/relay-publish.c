/* faceanon-relay: publishing the stream
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

/* The mount point is added once the source was seen, because the audio
 * payloader depends on the source's audio: the first session decides the
 * audio for good. Each RTSP media the shared factory prepares is a
 * consumer while it lives. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "relay.h"

/* After the first video frame, how long to wait for the audio caps before
 * publishing the stream without audio. */
#define PUBLISH_WAIT_US (5 * G_USEC_PER_SEC)

#define PT_VIDEO 96

static void
on_media_unprepared (GstRTSPMedia * media, gpointer user_data)
{
  Relay *relay = user_data;
  guint id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (media),
          "relay-consumer"));

  if (id)
    remove_consumer (relay, id);
  g_object_set_data (G_OBJECT (media), "relay-consumer", NULL);
}

static void
on_media_configure (GstRTSPMediaFactory * factory, GstRTSPMedia * media,
    gpointer user_data)
{
  Relay *relay = user_data;
  GstElement *bin = gst_rtsp_media_get_element (media);
  GstElement *video = gst_bin_get_by_name_recurse_up (GST_BIN (bin), "vsrc");
  GstElement *audio = gst_bin_get_by_name_recurse_up (GST_BIN (bin), "asrc");
  Consumer *c;

  gst_object_unref (bin);
  if (video == NULL) {
    gst_clear_object (&audio);
    return;
  }
  c = consumer_new (relay, "RTSP media", video, audio);
  add_consumer (relay, c);
  g_object_set_data (G_OBJECT (media), "relay-consumer",
      GUINT_TO_POINTER (c->id));
  g_signal_connect (media, "unprepared", G_CALLBACK (on_media_unprepared),
      relay);
  relay_verbose (relay, "a new RTSP media takes the stream");
}

/* The shared factory of the stream's RTSP media; its launch line is set
 * when the stream is published. */
GstRTSPMediaFactory *
publish_factory_new (Relay * relay)
{
  GstRTSPMediaFactory *factory = gst_rtsp_media_factory_new ();

  gst_rtsp_media_factory_set_shared (factory, TRUE);
  g_signal_connect (factory, "media-configure",
      G_CALLBACK (on_media_configure), relay);
  return factory;
}

static gchar *
media_launch (Relay * relay)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "( appsrc name=vsrc ! h264parse ! "
      "rtph264pay name=pay0 pt=%d config-interval=-1", PT_VIDEO);
  if (relay->audio_codec)
    g_string_append_printf (s, " appsrc name=asrc ! %s name=pay1 pt=%d",
        relay->audio_codec->payloader, relay->audio_codec->pt);
  g_string_append (s, " )");
  return g_string_free (s, FALSE);
}

static void
publish (Relay * relay, Ingest * in)
{
  GstCaps *audio = in->caps[STREAM_AUDIO];
  gchar *launch, *what;
  GError *err = NULL;

  g_mutex_lock (&relay->lock);
  relay->published = TRUE;
  relay->audio_caps = audio ? gst_caps_ref (audio) : NULL;
  relay->audio_codec = audio_codec_of (audio);
  g_mutex_unlock (&relay->lock);

  launch = media_launch (relay);
  GST_INFO ("media: %s", launch);
  gst_rtsp_media_factory_set_launch (relay->factory, launch);
  g_free (launch);
  gst_rtsp_mount_points_add_factory (relay->mounts, relay->path,
      g_object_ref (relay->factory));

  g_mutex_lock (&in->lock);
  if (relay->audio_codec == NULL)
    what = g_strdup ("no audio");
  else if (!in->audio_transcoded)
    what = g_strdup_printf ("audio %s, as the source sends it",
        relay->audio_codec->label);
  else if (in->audio_origin)
    what = g_strdup_printf ("audio %s, re-encoded from %s",
        relay->audio_codec->label, in->audio_origin);
  else
    what = g_strdup_printf ("audio %s, encoded from raw audio",
        relay->audio_codec->label);
  g_mutex_unlock (&in->lock);
  relay_say (relay, "serving %s (H.264 video, %s)", relay->url, what);
  g_free (what);

  if (relay->record_dir && !recorder_start (relay, &err)) {
    relay_warn (relay, "%s; the stream is served without recording",
        err->message);
    g_clear_error (&err);
  }
}

/* The stream goes public once the source was seen: video, and audio known
 * to be there with its caps, or known to be absent, or late. */
void
maybe_publish (Relay * relay, Ingest * in)
{
  gboolean audio_linked;

  if (relay->published || in->connected_us == 0)
    return;
  g_mutex_lock (&in->lock);
  audio_linked = in->linked[STREAM_AUDIO];
  g_mutex_unlock (&in->lock);
  if (in->caps[STREAM_AUDIO] || (in->no_more_pads && !audio_linked)
      || g_get_monotonic_time () - in->connected_us >= PUBLISH_WAIT_US)
    publish (relay, in);
}
