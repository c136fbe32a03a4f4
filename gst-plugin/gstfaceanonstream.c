/* GStreamer faceanon element: in a stream
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

/* The element in a stream: starting (the model) and stopping, caps,
 * events, the latency it adds, and which way each buffer goes (with or
 * without the look-ahead). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstfaceanon.h"
#include "fa-gst.h"
#include "fa-model.h"

#define GST_CAT_DEFAULT gst_face_anon_debug

void
gst_face_anon_drop_copy_pool (GstFaceAnon * self)
{
  if (self->copy_pool) {
    gst_buffer_pool_set_active (self->copy_pool, FALSE);
    gst_clear_object (&self->copy_pool);
  }
}

/* Where the time of the streaming thread went, per frame: "GST_DEBUG=
 * faceanon:4" shows it when the element stops. The network's time is
 * wall time (it runs on several threads); the rest is the streaming
 * thread's CPU time, which other processes on the machine do not
 * inflate. */
static void
gst_face_anon_log_times (GstFaceAnon * self)
{
  gdouble n = (gdouble) self->frames;
  const FaAnonCounts *c = fa_anon_get_counts (self->anon);
  guint64 passes;
  gint64 net_us, net_cpu_us, outside_us;
  gboolean async =
      fa_anon_get_net_stats (self->anon, &passes, &net_us, &net_cpu_us);

  outside_us = self->copy_cpu_us + self->frame_cpu_us - (async ? 0 :
      net_cpu_us);
  GST_INFO_OBJECT (self, "%" G_GUINT64_FORMAT " frames: %.2f ms CPU a frame "
      "outside the network (copying frames held upstream %.2f ms; detector "
      "input, tracking, masking, metas %.2f ms); network %.2f passes a "
      "frame, %.2f ms a pass%s, %.2f passes a frame waited for; %u fine "
      "tiles in a sweep of %u detection frames; %" G_GUINT64_FORMAT
      " detections forced by a scene cut", self->frames,
      outside_us / 1000.0 / n, self->copy_cpu_us / 1000.0 / n,
      (outside_us - self->copy_cpu_us) / 1000.0 / n, passes / n,
      passes ? net_us / 1000.0 / passes : 0.0,
      async ? " on the detection thread" : "", c->frame_passes / n,
      c->n_tiles, c->rotation, c->scene_cuts);
}

gboolean
gst_face_anon_start (GstBaseTransform * trans)
{
  GstFaceAnon *self = GST_FACE_ANON (trans);
  GError *err = NULL;
  GstFaceAnonDetector detector;
  const FaFamily *family;
  gboolean user_model;
  gchar *path;

  GST_OBJECT_LOCK (self);
  path = g_strdup (self->model);
  detector = self->detector;
  GST_OBJECT_UNLOCK (self);

  /* nothing of an earlier run carries over */
  self->failing = FALSE;
  self->frames_since_detection = 0;
  self->last_time = 0;
  self->live = -1;
  GST_OBJECT_LOCK (self);
  self->frames = 0;
  memset (&self->counts, 0, sizeof (self->counts));
  GST_OBJECT_UNLOCK (self);
  self->frame_us = self->frame_cpu_us = self->copy_cpu_us = 0;
  /* stop() is not called after a failed start(): nothing allocated here
   * may be lost when the model does not load, so start after start */
  if (self->upstream_faces == NULL)
    self->upstream_faces = g_array_sized_new (FALSE, FALSE, sizeof (FaBox), 16);
  if (detector == GST_FACE_ANON_DETECTOR_UPSTREAM) {
    g_free (path);
    self->anon = fa_anon_new (NULL, NULL);
    GST_INFO_OBJECT (self, "masking the faces found upstream");
    return TRUE;
  }

  user_model = path != NULL && *path != '\0';
  if (!user_model) {
    g_free (path);
    path = fa_model_find_default (&err);
    if (path == NULL)
      goto no_model;
  }

  self->anon = fa_anon_new (path, &err);
  if (self->anon == NULL)
    goto load_failed;

  family = fa_detector_get_family (fa_anon_get_detector (self->anon));
  GST_INFO_OBJECT (self, "using %s face detector '%s'", family->name, path);
  /* a weaker fallback the user did not choose: say so on the bus, where
   * gst-launch-1.0 and applications show it, at every start */
  if (family->weakness && !user_model)
    GST_ELEMENT_WARNING (self, RESOURCE, NOT_FOUND,
        ("Only the %s face detector is installed: it %s.", family->name,
            family->weakness), ("using '%s'; install YuNet with "
            "models/fetch-models.sh DIR (it needs the network, or "
            "FACEANON_MODEL_MIRROR), or name a model with the 'model' "
            "property", path));
  else if (family->weakness)
    GST_WARNING_OBJECT (self, "%s %s", family->name, family->weakness);
  g_free (path);
  return TRUE;

  /* ERRORS */
no_model:
  {
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
        ("No face detection model is installed."), ("%s; or set the 'model' "
            "property to a model file", err->message));
    g_clear_error (&err);
    return FALSE;
  }
load_failed:
  {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
        ("Could not load the face detection model '%s'.", path),
        ("%s%s", err->message, user_model ? " (the file the 'model' "
            "property names; unset it to use the best model installed)" :
            " (the best model installed)"));
    g_clear_error (&err);
    g_free (path);
    return FALSE;
  }
}

gboolean
gst_face_anon_stop (GstBaseTransform * trans)
{
  GstFaceAnon *self = GST_FACE_ANON (trans);

  if (self->anon && self->frames > 0)
    gst_face_anon_log_times (self);
  gst_face_anon_hold_free (self);
  g_clear_pointer (&self->anon, fa_anon_free);
  g_clear_pointer (&self->upstream_faces, g_array_unref);
  gst_face_anon_drop_copy_pool (self);
  return TRUE;
}

/* Faces of earlier frames no longer apply after a flush, a seek or a caps
 * change: the next frame is detected afresh. */
static void
gst_face_anon_reset (GstFaceAnon * self)
{
  if (self->anon)
    fa_anon_reset (self->anon);
  self->frames_since_detection = 0;
}

gboolean
gst_face_anon_sink_event (GstBaseTransform * trans, GstEvent * event)
{
  GstFaceAnon *self = GST_FACE_ANON (trans);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_FLUSH_STOP:
      gst_face_anon_hold_drop (self);
      gst_face_anon_reset (self);
      break;
    case GST_EVENT_EOS:
    case GST_EVENT_CAPS:
    case GST_EVENT_SEGMENT:
      /* the held frames belong to what came before: out, masked */
      if (self->held_len > 0)
        gst_face_anon_hold_drain (self);
      if (GST_EVENT_TYPE (event) == GST_EVENT_SEGMENT) {
        GST_DEBUG_OBJECT (trans, "new segment: forgetting tracked faces");
        gst_face_anon_reset (self);
      }
      break;
    default:
      /* behind the frames held before it */
      if (GST_EVENT_IS_SERIALIZED (event)
          && gst_face_anon_hold_event (self, event))
        return TRUE;
      break;
  }
  return gst_face_anon_parent_class_get ()->sink_event (trans, event);
}

/* Without a look-ahead, GstBaseTransform's own way (prepare_output_buffer,
 * transform_ip); with one, the frame is held and the oldest one due goes
 * out (gstfaceanonhold.c). */
GstFlowReturn
gst_face_anon_generate_output (GstBaseTransform * trans, GstBuffer ** outbuf)
{
  GstFaceAnon *self = GST_FACE_ANON (trans);
  GstBuffer *in = trans->queued_buf;

  if (in && self->hold_ns < 0 && GST_VIDEO_FILTER (self)->negotiated)
    gst_face_anon_hold_setup (self);
  if (self->hold_ns <= 0 && self->held_len == 0)
    return gst_face_anon_parent_class_get ()->generate_output (trans, outbuf);
  trans->queued_buf = NULL;
  return gst_face_anon_hold_generate (self, in, outbuf);
}

/* The look-ahead delays every frame by its time: live pipelines must know
 * it to stay in sync. */
gboolean
gst_face_anon_query (GstBaseTransform * trans, GstPadDirection direction,
    GstQuery * query)
{
  GstFaceAnon *self = GST_FACE_ANON (trans);
  gboolean live;
  GstClockTime min, max;
  gint64 lookahead;

  if (direction != GST_PAD_SRC || GST_QUERY_TYPE (query) != GST_QUERY_LATENCY)
    return gst_face_anon_parent_class_get ()->query (trans, direction, query);
  if (!gst_face_anon_parent_class_get ()->query (trans, direction, query))
    return FALSE;
  gst_query_parse_latency (query, &live, &min, &max);
  GST_OBJECT_LOCK (self);
  lookahead = self->lookahead;
  GST_OBJECT_UNLOCK (self);
  if (lookahead < 0)
    lookahead = live ? 0 : GST_FACE_ANON_DEFAULT_LOOKAHEAD;
  min += lookahead;
  if (GST_CLOCK_TIME_IS_VALID (max))
    max += lookahead;
  GST_DEBUG_OBJECT (self, "adding the look-ahead, %" GST_TIME_FORMAT
      ", to the latency", GST_TIME_ARGS (lookahead));
  gst_query_set_latency (query, live, min, max);
  return TRUE;
}

gboolean
gst_face_anon_set_info (GstVideoFilter * filter, GstCaps * incaps,
    GstVideoInfo * in_info, GstCaps * outcaps, GstVideoInfo * out_info)
{
  GstFaceAnon *self = GST_FACE_ANON (filter);

  if (!fa_gst_format_supported (GST_VIDEO_INFO_FORMAT (in_info)))
    goto invalid_format;

  gst_face_anon_reset (self);
  gst_face_anon_hold_drop (self);
  gst_face_anon_drop_copy_pool (self);
  self->live = -1;
  self->hold_ns = -1;
  GST_DEBUG_OBJECT (self, "configured for %s %dx%d",
      GST_VIDEO_INFO_NAME (in_info), GST_VIDEO_INFO_WIDTH (in_info),
      GST_VIDEO_INFO_HEIGHT (in_info));
  return TRUE;

  /* ERRORS */
invalid_format:
  {
    GST_ERROR_OBJECT (self, "unsupported format %s",
        GST_VIDEO_INFO_NAME (in_info));
    return FALSE;
  }
}
