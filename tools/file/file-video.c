/* faceanon-file: a video's pipeline
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

/* filesrc ! parsebin, each stream parsebin exposes linked by what the plan
 * made of it (file.h draws it): the video decoded, turned upright, masked,
 * turned back and handed to encodebin to be encoded again; audio handed to
 * encodebin as it is (it passes it through to the muxer) or decoded for it
 * to encode; subtitles, which encodebin has no profile for, to the muxer
 * encodebin made; the rest to a fakesink. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "file.h"

/* What a stream copied as it is may run ahead of the video, which the
 * decoder, faceanon and the encoder's look-ahead hold back: with less, the
 * demuxer would wait for room in the audio queue while the video waits for
 * the demuxer. */
#define COPY_QUEUE_TIME (10 * GST_SECOND)

typedef struct
{
  App *app;
  Media *media;
  Counts *counts;
  GstElement *pipeline;
  GstElement *encodebin;
  GstElement *muxer;
  GstClockTime frame_duration;  /* for mending timestamps; NONE: unknown */
} Video;

/* Frames closer together than this are one frame time apart: no video
 * runs at a thousand frames a second. */
#define MEND_MIN_GAP GST_MSECOND

/* A video's timestamps, mended where they do not move on: parsing and
 * decoding an AVI with packed B-frames gives a frame the timestamp of the
 * one before, or one a nanosecond after it, then leaves a gap of two frame
 * times (Megamind.avi, once a second), and an encoder drops a frame that
 * is not later than the one before. Such a frame is the one after: the
 * frame rate says when, and fills the gap. Streaming thread. */
static GstPadProbeReturn
mend_timestamps (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstClockTime *last = user_data;       /* [0] the previous PTS, [1] the
                                         * frame duration */
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstClockTime pts = GST_BUFFER_PTS (buf);

  if (GST_CLOCK_TIME_IS_VALID (pts) && GST_CLOCK_TIME_IS_VALID (last[0])
      && GST_CLOCK_TIME_IS_VALID (last[1]) && pts < last[0] + MEND_MIN_GAP) {
    GST_LOG ("PTS %" GST_TIME_FORMAT " after %" GST_TIME_FORMAT ": moved on "
        "by a frame", GST_TIME_ARGS (pts), GST_TIME_ARGS (last[0]));
    buf = gst_buffer_make_writable (buf);
    GST_BUFFER_PTS (buf) = pts = last[0] + last[1];
    GST_PAD_PROBE_INFO_DATA (info) = buf;
  }
  if (GST_CLOCK_TIME_IS_VALID (pts))
    last[0] = pts;
  return GST_PAD_PROBE_OK;
}

static GstElement *
add (Video * v, const gchar * factory, GError ** error)
{
  GstElement *e = make_element (factory, error);

  if (e)
    gst_bin_add (GST_BIN (v->pipeline), e);
  return e;
}

static void
sync_all (GstElement ** elements, guint n)
{
  for (guint i = 0; i < n; i++)
    if (elements[i])
      gst_element_sync_state_with_parent (elements[i]);
}

/* Links @src to the encodebin pad of the stream profile @name. */
static gboolean
link_to_profile (Video * v, GstPad * src, const gchar * name, GError ** error)
{
  GstPad *sink = NULL;
  gboolean ok;

  g_signal_emit_by_name (v->encodebin, "request-profile-pad", name, &sink);
  if (sink == NULL) {
    g_set_error (error, FILE_ERROR, 0, "encodebin has no input for %s", name);
    return FALSE;
  }
  ok = gst_pad_link (src, sink) == GST_PAD_LINK_OK;
  if (!ok)
    g_set_error (error, FILE_ERROR, 0, "could not link %s to encodebin", name);
  gst_object_unref (sink);
  return ok;
}

static GstElement *
copy_queue (Video * v, GError ** error)
{
  GstElement *q = add (v, "queue", error);

  if (q)
    g_object_set (q, "max-size-time", (guint64) COPY_QUEUE_TIME,
        "max-size-buffers", 0, "max-size-bytes", 0, NULL);
  return q;
}

/* decodebin's pad: the raw stream, on to @next (its sink). */
static void
on_decoded (GstElement * dec, GstPad * pad, gpointer user_data)
{
  GstPad *sink = user_data;

  if (!gst_pad_is_linked (sink) && gst_pad_link (pad, sink) != GST_PAD_LINK_OK)
    GST_WARNING_OBJECT (dec, "could not link %" GST_PTR_FORMAT, pad);
}

static void
unref_pad (gpointer pad, GClosure * closure)
{
  gst_object_unref (pad);
}

static GstElement *
decoder_to (Video * v, GstPad * sink, GError ** error)
{
  GstElement *dec = add (v, "decodebin", error);

  if (dec)
    g_signal_connect_data (dec, "pad-added", G_CALLBACK (on_decoded),
        gst_object_ref (sink), unref_pad, 0);
  return dec;
}

/* queue ! decodebin ! videoconvert ! videoflip ! faceanon ! videoflip */
static gboolean
link_video (Video * v, GstPad * pad, MediaStream * s, GError ** error)
{
  GstElement *e[6] = { NULL, };
  GstPad *sink, *src;
  GstClockTime *mend;
  gboolean ok;
  GstVideoOrientationMethod back;

  e[0] = copy_queue (v, error);
  e[2] = e[0] ? add (v, "videoconvert", error) : NULL;
  e[3] = e[2] ? add (v, "videoflip", error) : NULL;
  e[4] = e[3] ? element_new (v->app, v->counts, FALSE, error) : NULL;
  if (e[4])
    gst_bin_add (GST_BIN (v->pipeline), e[4]);
  e[5] = e[4] ? add (v, "videoflip", error) : NULL;
  if (e[5] == NULL)
    return FALSE;
  sink = gst_element_get_static_pad (e[2], "sink");
  e[1] = decoder_to (v, sink, error);
  if (e[1] == NULL) {
    gst_object_unref (sink);
    return FALSE;
  }
  mend = g_new (GstClockTime, 2);
  mend[0] = GST_CLOCK_TIME_NONE;
  mend[1] = v->frame_duration;
  gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_BUFFER, mend_timestamps, mend,
      g_free);
  gst_object_unref (sink);

  /* the detector sees the picture upright; the file keeps its own
   * orientation, and its rotation tag (file-mp4.c) */
  switch (v->media->orientation) {
    case GST_VIDEO_ORIENTATION_90R:
      back = GST_VIDEO_ORIENTATION_90L;
      break;
    case GST_VIDEO_ORIENTATION_90L:
      back = GST_VIDEO_ORIENTATION_90R;
      break;
    default:
      back = v->media->orientation;
      break;
  }
  g_object_set (e[3], "video-direction", v->media->orientation, NULL);
  g_object_set (e[5], "video-direction", back, NULL);

  ok = gst_element_link (e[0], e[1])
      && gst_element_link_many (e[2], e[3], e[4], e[5], NULL);
  sink = gst_element_get_static_pad (e[0], "sink");
  ok = ok && gst_pad_link (pad, sink) == GST_PAD_LINK_OK;
  gst_object_unref (sink);
  src = gst_element_get_static_pad (e[5], "src");
  ok = ok && link_to_profile (v, src, s->profile_name, error);
  gst_object_unref (src);
  sync_all (e, G_N_ELEMENTS (e));
  if (!ok && error && !*error)
    g_set_error (error, FILE_ERROR, 0, "could not link the video");
  return ok;
}

/* queue, then encodebin's input (audio) or the muxer's (subtitles); with
 * ROUTE_REENCODE a decodebin between (audio), or the text made plain
 * (subtitles). */
static gboolean
link_other (Video * v, GstPad * pad, MediaStream * s, GError ** error)
{
  GstElement *e[2] = { NULL, };
  GstPad *sink, *src = NULL, *mux_pad;
  gboolean ok = TRUE;

  e[0] = copy_queue (v, error);
  if (e[0] == NULL)
    return FALSE;
  sink = gst_element_get_static_pad (e[0], "sink");
  ok = gst_pad_link (pad, sink) == GST_PAD_LINK_OK;
  gst_object_unref (sink);

  if (s->route == ROUTE_REENCODE && s->kind == KIND_AUDIO) {
    GstPad *ebin_pad = NULL;

    g_signal_emit_by_name (v->encodebin, "request-profile-pad",
        s->profile_name, &ebin_pad);
    e[1] = ebin_pad ? decoder_to (v, ebin_pad, error) : NULL;
    if (ebin_pad)
      gst_object_unref (ebin_pad);
    ok = ok && e[1] && gst_element_link (e[0], e[1]);
  } else if (s->kind == KIND_AUDIO) {
    src = gst_element_get_static_pad (e[0], "src");
    ok = ok && link_to_profile (v, src, s->profile_name, error);
  } else {
    mux_pad = gst_element_request_pad_simple (v->muxer, "subtitle_%u");
    src = gst_element_get_static_pad (e[0], "src");
    if (s->route == ROUTE_REENCODE)
      text_convert_on (src);
    /* the caps change on the way (file-text.c) */
    ok = ok && mux_pad && gst_pad_link_maybe_ghosting_full (src, mux_pad,
        s->route == ROUTE_REENCODE ? GST_PAD_LINK_CHECK_NOTHING :
        GST_PAD_LINK_CHECK_DEFAULT);
    if (mux_pad)
      gst_object_unref (mux_pad);
  }
  if (src)
    gst_object_unref (src);
  sync_all (e, G_N_ELEMENTS (e));
  if (!ok && error && !*error)
    g_set_error (error, FILE_ERROR, 0, "could not link the %s stream (%s)",
        s->kind == KIND_AUDIO ? "audio" : "subtitle", s->codec);
  return ok;
}

/* A stream the output leaves out: it must still flow, or the demuxer
 * waits on it. */
static void
link_nowhere (Video * v, GstPad * pad)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  GstPad *sinkpad;

  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (v->pipeline), sink);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  gst_pad_link (pad, sinkpad);
  gst_object_unref (sinkpad);
  gst_element_sync_state_with_parent (sink);
}

/* parsebin's pads. Streaming thread; an error stops the pipeline. */
static void
on_stream (GstElement * parsebin, GstPad * pad, gpointer user_data)
{
  Video *v = user_data;
  MediaStream *s = media_stream_for_pad (v->media, pad);
  GError *err = NULL;
  gboolean ok = TRUE;

  if (s == NULL || s->route == ROUTE_DROP) {
    link_nowhere (v, pad);
    return;
  }
  if (s->route == ROUTE_ANONYMIZE)
    ok = link_video (v, pad, s, &err);
  else
    ok = link_other (v, pad, s, &err);
  if (!ok) {
    GST_ELEMENT_ERROR (parsebin, CORE, NEGOTIATION, ("%s", err ? err->message
            : "could not link a stream"), (NULL));
    g_clear_error (&err);
  }
}

static GstElement *
find_muxer (GstElement * encodebin, const gchar * factory)
{
  GstIterator *it = gst_bin_iterate_elements (GST_BIN (encodebin));
  GValue item = G_VALUE_INIT;
  GstElement *found = NULL;

  while (!found && gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&item);
    GstElementFactory *f = gst_element_get_factory (e);

    if (f && g_str_equal (GST_OBJECT_NAME (f), factory))
      found = e;
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  return found;
}

gboolean
video_run (App * app, Job * job, Media * media, Plan * plan,
    const gchar * temp, Counts * counts, GError ** error)
{
  Video v = { app, media, counts, NULL, NULL, NULL, GST_CLOCK_TIME_NONE };
  GstElement *src, *parsebin, *sink;
  gboolean ok = FALSE;

  if (media->fps_n > 0 && media->fps_d > 0)
    v.frame_duration = gst_util_uint64_scale_int (GST_SECOND, media->fps_d,
        media->fps_n);

  v.pipeline = gst_pipeline_new ("faceanon-file");
  src = add (&v, "filesrc", error);
  parsebin = src ? add (&v, "parsebin", error) : NULL;
  v.encodebin = parsebin ? add (&v, "encodebin", error) : NULL;
  sink = v.encodebin ? add (&v, "filesink", error) : NULL;
  if (sink == NULL)
    goto done;
  g_object_set (src, "location", job->input, NULL);
  g_object_set (sink, "location", temp, NULL);
  /* the copy queues hold what runs ahead; encodebin's own would stall */
  g_object_set (v.encodebin, "profile", plan->profile, "queue-buffers-max", 0,
      "queue-bytes-max", 0, "queue-time-max", (guint64) COPY_QUEUE_TIME, NULL);
  v.muxer = find_muxer (v.encodebin, plan->muxer);
  if (v.muxer == NULL) {
    g_set_error (error, FILE_ERROR, 0, "encodebin could not make %s "
        "(install gstreamer1.0-plugins-good)", plan->muxer);
    goto done;
  }
  if (!gst_element_link (src, parsebin) || !gst_element_link (v.encodebin,
          sink)) {
    g_set_error (error, FILE_ERROR, 0, "could not link the pipeline");
    goto done;
  }
  g_signal_connect (parsebin, "pad-added", G_CALLBACK (on_stream), &v);

  counts->expected = media->frames;
  ok = pipeline_run (app, job, v.pipeline, counts, error);
  if (ok && plan->mp4)
    ok = mp4_restore_header (temp, job->input, error);

done:
  gst_element_set_state (v.pipeline, GST_STATE_NULL);
  gst_object_unref (v.pipeline);
  return ok;
}
