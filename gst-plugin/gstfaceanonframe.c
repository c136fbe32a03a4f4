/* GStreamer faceanon element: a frame's way through it
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

/* A frame's way through the element: decided on a read-only view (plan),
 * copied into the element's own pool only when it must be written and
 * upstream still holds it, then masked (finish). Nothing leaves unmasked
 * because something failed: the on-failure policy masks or drops it. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstfaceanon.h"
#include "fa-gst.h"

#include <math.h>
#include <string.h>

#define GST_CAT_DEFAULT gst_face_anon_debug

/* Whether the source is live (a camera): a latency query says. */
gint
gst_face_anon_upstream_is_live (GstFaceAnon * self)
{
  GstQuery *query = gst_query_new_latency ();
  gboolean live = FALSE;

  if (gst_pad_peer_query (GST_BASE_TRANSFORM_SINK_PAD (self), query))
    gst_query_parse_latency (query, &live, NULL, NULL);
  gst_query_unref (query);
  GST_INFO_OBJECT (self, "upstream is %slive", live ? "" : "not ");
  return live ? 1 : 0;
}

/* Whether @buf can be masked where it is: nobody else holds it or its
 * memory (a decoder keeps its reference pictures). */
gboolean
gst_face_anon_writable_in_place (GstBuffer * buf)
{
  if (!gst_buffer_is_writable (buf))
    return FALSE;
  for (guint i = 0; i < gst_buffer_n_memory (buf); i++)
    if (!gst_memory_is_writable (gst_buffer_peek_memory (buf, i)))
      return FALSE;
  return TRUE;
}

GstBufferPool *
gst_face_anon_make_copy_pool (GstFaceAnon * self, const GstVideoInfo * info)
{
  GstBufferPool *pool = gst_video_buffer_pool_new ();
  GstStructure *config = gst_buffer_pool_get_config (pool);
  GstCaps *caps = gst_video_info_to_caps (info);

  /* the frames in flight downstream, and one being masked */
  gst_buffer_pool_config_set_params (config, caps, info->size, 2, 0);
  gst_caps_unref (caps);
  if (!gst_buffer_pool_set_config (pool, config)
      || !gst_buffer_pool_set_active (pool, TRUE)) {
    GST_WARNING_OBJECT (self, "could not set up a buffer pool for %s",
        GST_VIDEO_INFO_NAME (info));
    gst_object_unref (pool);
    return NULL;
  }
  return pool;
}

/* A copy of @in_frame (of @inbuf, mapped for reading) that the element
 * may write, in a buffer of its own pool, laid out as the caps say, with
 * the input's timestamps, flags and metas (not the input's GstVideoMeta,
 * whose layout it does not have). NULL in *@copy on failure. */
GstFlowReturn
gst_face_anon_copy (GstFaceAnon * self, GstVideoFrame * in_frame,
    GstBuffer * inbuf, GstBuffer ** copy)
{
  GstVideoFilter *filter = GST_VIDEO_FILTER (self);
  GstVideoFrame out_frame;
  GstFlowReturn ret;
  gint64 c0 = fa_thread_cpu_us ();

  *copy = NULL;
  if (self->copy_pool == NULL)
    self->copy_pool = gst_face_anon_make_copy_pool (self, &filter->in_info);
  if (self->copy_pool == NULL) {
    /* GstBaseTransform's way, allocation and all */
    *copy = gst_buffer_copy (inbuf);
    return GST_FLOW_OK;
  }
  ret = gst_buffer_pool_acquire_buffer (self->copy_pool, copy, NULL);
  if (ret != GST_FLOW_OK)
    return ret;
  if (!gst_video_frame_map (&out_frame, &filter->in_info, *copy, GST_MAP_WRITE)) {
    gst_clear_buffer (copy);
    GST_ELEMENT_ERROR (self, RESOURCE, FAILED, (NULL),
        ("could not map a buffer of the element's own pool"));
    return GST_FLOW_ERROR;
  }
  gst_video_frame_copy (&out_frame, in_frame);
  gst_video_frame_unmap (&out_frame);
  /* as the in-place copy would, all metas but those about the memory */
  gst_buffer_copy_into (*copy, inbuf, GST_BUFFER_COPY_FLAGS |
      GST_BUFFER_COPY_TIMESTAMPS | GST_BUFFER_COPY_META, 0, -1);
  self->copy_cpu_us += fa_thread_cpu_us () - c0;
  return GST_FLOW_OK;
}

/* In place, GstBaseTransform copies a frame that someone else still holds
 * into a fresh allocation (3 MB at 1080p, every frame from a decoder).
 * Here such a frame is first looked at where it is, read only: when it
 * has nothing to mask (no face, no zone) it goes on as it is, without a
 * copy. Otherwise the copy goes into buffers of a pool of the element's
 * own, laid out as the caps say, and carries the input's timestamps,
 * flags and metas (not the input's GstVideoMeta, whose layout it does not
 * have); transform_ip then masks it by the plan made here. A buffer that
 * cannot be read as a whole frame is handed on as it is: transform_ip
 * refuses it by the on-failure policy. */
GstFlowReturn
gst_face_anon_prepare_output_buffer (GstBaseTransform * trans,
    GstBuffer * inbuf, GstBuffer ** outbuf)
{
  GstVideoFilter *filter = GST_VIDEO_FILTER (trans);
  GstFaceAnon *self = GST_FACE_ANON (trans);
  GstVideoFrame in_frame;
  GstBuffer *copy = NULL;
  GstFlowReturn ret;
  gint64 t0, c0;

  *outbuf = inbuf;
  self->planned = NULL;
  if (!filter->negotiated || gst_face_anon_writable_in_place (inbuf))
    return GST_FLOW_OK;

  if (!gst_video_frame_map (&in_frame, &filter->in_info, inbuf, GST_MAP_READ))
    return GST_FLOW_OK;
  if (!fa_gst_frame_fits (&in_frame)) {
    gst_video_frame_unmap (&in_frame);
    return GST_FLOW_OK;
  }

  t0 = g_get_monotonic_time ();
  c0 = fa_thread_cpu_us ();
  ret = gst_face_anon_plan (self, &in_frame, &self->plan);
  self->frame_cpu_us += fa_thread_cpu_us () - c0;
  self->frame_us += g_get_monotonic_time () - t0;
  if (ret != GST_FLOW_OK) {
    gst_video_frame_unmap (&in_frame);
    return ret;
  }
  self->planned = inbuf;
  if (!self->plan.paint) {
    gst_video_frame_unmap (&in_frame);
    return GST_FLOW_OK;
  }

  ret = gst_face_anon_copy (self, &in_frame, inbuf, &copy);
  gst_video_frame_unmap (&in_frame);
  self->planned = copy;
  *outbuf = copy;
  return ret;
}

/* GstVideoFilter's own transform_ip lets a buffer it cannot map as a frame
 * pass with a warning: unmasked. Here such a buffer, or one whose video
 * meta describes planes beyond its memory, never leaves. */
GstFlowReturn
gst_face_anon_transform_ip (GstBaseTransform * trans, GstBuffer * buf)
{
  GstVideoFilter *filter = GST_VIDEO_FILTER (trans);
  GstFaceAnon *self = GST_FACE_ANON (trans);
  GstVideoFrame frame;
  GstFlowReturn ret;
  gboolean planned = self->planned != NULL && self->planned == buf;
  gint64 t0, c0;

  self->planned = NULL;
  if (!filter->negotiated)
    goto not_negotiated;
  t0 = g_get_monotonic_time ();
  c0 = fa_thread_cpu_us ();
  if (planned && !self->plan.paint) {
    /* looked at in prepare_output_buffer: nothing to write */
    ret = gst_face_anon_finish (self, buf, NULL, &self->plan);
  } else {
    if (!gst_video_frame_map (&frame, &filter->in_info, buf,
            GST_MAP_READWRITE | GST_VIDEO_FRAME_MAP_FLAG_NO_REF))
      goto invalid_buffer;
    if (!fa_gst_frame_fits (&frame)) {
      gst_video_frame_unmap (&frame);
      goto invalid_buffer;
    }
    if (planned)
      ret = gst_face_anon_finish (self, buf, &frame, &self->plan);
    else
      ret = gst_face_anon_transform_frame_ip (filter, &frame);
    gst_video_frame_unmap (&frame);
  }
  self->frame_cpu_us += fa_thread_cpu_us () - c0;
  self->frame_us += g_get_monotonic_time () - t0;
  GST_OBJECT_LOCK (self);
  self->frames++;
  GST_OBJECT_UNLOCK (self);
  return ret;

  /* ERRORS */
not_negotiated:
  {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
        ("a buffer arrived before its caps"));
    return GST_FLOW_NOT_NEGOTIATED;
  }
invalid_buffer:
  return gst_face_anon_refuse_buffer (self, buf);
}

/* A buffer that does not hold the frame its caps describe never leaves:
 * an error, or dropped with a warning, as on-failure says. */
GstFlowReturn
gst_face_anon_refuse_buffer (GstFaceAnon * self, GstBuffer * buf)
{
  GstVideoFilter *filter = GST_VIDEO_FILTER (self);
  GstFaceAnonOnFailure on_failure;

  GST_OBJECT_LOCK (self);
  on_failure = self->on_failure;
  GST_OBJECT_UNLOCK (self);
  if (on_failure == GST_FACE_ANON_ON_FAILURE_ERROR) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("A buffer does not hold the whole frame its caps describe, so it "
            "cannot be anonymized."), ("buffer of %" G_GSIZE_FORMAT
            " bytes for %s", gst_buffer_get_size (buf),
            GST_VIDEO_INFO_NAME (&filter->in_info)));
    return GST_FLOW_ERROR;
  }
  GST_ELEMENT_WARNING (self, STREAM, FORMAT,
      ("Dropped a buffer that does not hold the whole frame its caps "
          "describe."), ("buffer of %" G_GSIZE_FORMAT " bytes",
          gst_buffer_get_size (buf)));
  return GST_BASE_TRANSFORM_FLOW_DROPPED;
}

/* Decides what the frame needs, only reading it: the faces to mask
 * (detected, tracked or given by upstream) and the privacy zones, or, when
 * detection failed, the on-failure policy's outcome. */
GstFlowReturn
gst_face_anon_plan (GstFaceAnon * self, GstVideoFrame * frame,
    GstFaceAnonPlan * plan)
{
  FaImage img;
  FaFrame fr;
  guint n_faces, interval;
  GstFaceAnonOnFailure on_failure;
  GstClockTime pts = GST_BUFFER_PTS (frame->buffer);
  GError *err = NULL;

  fa_gst_image_from_frame (frame, &img);
  if (self->live < 0)
    self->live = gst_face_anon_upstream_is_live (self);

  /* adopt the properties once per frame; never run the network locked */
  gst_face_anon_get_params (self, &plan->params);
  GST_OBJECT_LOCK (self);
  interval = self->detect_interval;
  on_failure = self->on_failure;
  plan->post = self->post_messages;
  if (self->zones_error)
    err = g_error_new_literal (FA_ERROR, 0, self->zones_error);
  plan->n_zones = self->n_zones;
  for (guint i = 0; i < plan->n_zones; i++) {
    const gdouble *z = self->zones[i];

    plan->zones[i].x0 = (gint) floor (z[0] * img.width);
    plan->zones[i].y0 = (gint) floor (z[1] * img.height);
    plan->zones[i].x1 = (gint) ceil ((z[0] + z[2]) * img.width);
    plan->zones[i].y1 = (gint) ceil ((z[1] + z[3]) * img.height);
  }
  GST_OBJECT_UNLOCK (self);
  if (err)
    goto bad_zones;
  /* the detector property is only read in start(), which loaded none for
   * upstream detections */
  plan->upstream = fa_anon_get_detector (self->anon) == NULL;

  /* The tracker's clock is the buffer's timestamp; a buffer without one
   * is taken to follow the previous by a frame duration. */
  if (GST_CLOCK_TIME_IS_VALID (pts)) {
    self->last_time = (gint64) pts;
  } else {
    gint fps_n = GST_VIDEO_INFO_FPS_N (&frame->info);
    gint fps_d = GST_VIDEO_INFO_FPS_D (&frame->info);

    self->last_time += fps_n > 0 ? (gint64) gst_util_uint64_scale_int
        (GST_SECOND, fps_d, fps_n) : (gint64) (GST_SECOND / 30);
  }

  if (plan->upstream)
    gst_face_anon_read_upstream_faces (frame->buffer, self->upstream_faces,
        img.width, img.height);
  fr.t_ns = self->last_time;
  fr.detect = self->frames_since_detection + 1 >= interval;
  fr.still = FALSE;
  fr.given = plan->upstream ? (const FaBox *) self->upstream_faces->data : NULL;
  fr.n_given = plan->upstream ? self->upstream_faces->len : 0;
  if (!fa_anon_plan (self->anon, &img, &fr, &plan->params, &plan->detected,
          &err))
    goto detect_failed;
  self->frames_since_detection = plan->detected ? 0 :
      self->frames_since_detection + 1;
  if (self->failing) {
    GST_ELEMENT_INFO (self, STREAM, FAILED,
        ("Face detection works again."), (NULL));
    self->failing = FALSE;
  }

  GST_OBJECT_LOCK (self);
  self->counts = *fa_anon_get_counts (self->anon);
  GST_OBJECT_UNLOCK (self);
  fa_anon_get_faces (self->anon, &n_faces);
  plan->outcome = GST_FACE_ANON_OUTCOME_MASK;
  plan->paint = n_faces > 0 || plan->n_zones > 0;
  return GST_FLOW_OK;

  /* ERRORS */
bad_zones:
  {
    GST_ELEMENT_ERROR (self, LIBRARY, SETTINGS,
        ("Invalid privacy-zones property."), ("%s", err->message));
    g_clear_error (&err);
    return GST_FLOW_ERROR;
  }
detect_failed:
  {
    /* fail closed: the frame leaves masked whole, or not at all */
    switch (on_failure) {
      case GST_FACE_ANON_ON_FAILURE_MASK_FRAME:
        if (!self->failing)
          GST_ELEMENT_WARNING (self, STREAM, FAILED,
              ("Face detection failed: masking whole frames until it works "
                  "again."), ("%s", err->message));
        self->failing = TRUE;
        fa_anon_reset (self->anon);
        g_clear_error (&err);
        plan->outcome = GST_FACE_ANON_OUTCOME_MASK_FRAME;
        plan->paint = TRUE;
        return GST_FLOW_OK;
      case GST_FACE_ANON_ON_FAILURE_DROP:
        if (!self->failing)
          GST_ELEMENT_WARNING (self, STREAM, FAILED,
              ("Face detection failed: dropping frames until it works "
                  "again."), ("%s", err->message));
        self->failing = TRUE;
        fa_anon_reset (self->anon);
        g_clear_error (&err);
        plan->outcome = GST_FACE_ANON_OUTCOME_DROP;
        plan->paint = FALSE;
        return GST_FLOW_OK;
      case GST_FACE_ANON_ON_FAILURE_ERROR:
      default:
        GST_ELEMENT_ERROR (self, STREAM, FAILED,
            ("Face detection failed, so the frame cannot be anonymized."),
            ("%s%s", err->message, g_error_matches (err, FA_ERROR,
                    FA_ERROR_BEHIND) ? ": the machine is too slow for these "
                "settings; lower detection-size, raise min-face-size or "
                "sweep-time, or allow more max-lag" : ""));
        g_clear_error (&err);
        return GST_FLOW_ERROR;
    }
  }
}

/* How an area that is masked whatever is detected (a privacy zone, the
 * whole frame when detection failed) is painted: as a box, blurred or
 * pixelated as the faces are, and filled when the faces are only drawn. */
static FaMaskParams
area_mask (const FaMaskParams * faces)
{
  FaMaskParams m = *faces;

  if (m.method != FA_METHOD_GAUSSIAN && m.method != FA_METHOD_PIXELATE)
    m.method = FA_METHOD_SOLID;
  m.shape = FA_SHAPE_BOX;
  return m;
}

/* Carries @plan out on @buf, which is @frame mapped for writing when the
 * plan paints, and not mapped (@frame NULL) when it does not. */
GstFlowReturn
gst_face_anon_finish (GstFaceAnon * self, GstBuffer * buf,
    GstVideoFrame * frame, GstFaceAnonPlan * plan)
{
  const GstVideoInfo *info = &GST_VIDEO_FILTER (self)->in_info;
  const gint width = GST_VIDEO_INFO_WIDTH (info);
  const gint height = GST_VIDEO_INFO_HEIGHT (info);
  FaImage img;
  const FaBox *faces;
  const guint *ids;
  guint n_faces;

  g_return_val_if_fail (frame != NULL || !plan->paint, GST_FLOW_ERROR);

  if (plan->outcome == GST_FACE_ANON_OUTCOME_DROP)
    return GST_BASE_TRANSFORM_FLOW_DROPPED;
  if (frame)
    fa_gst_image_from_frame (frame, &img);
  if (plan->outcome == GST_FACE_ANON_OUTCOME_MASK_FRAME) {
    FaRect all = { 0, 0, width, height };
    FaMaskParams whole = area_mask (&plan->params.mask);

    fa_anon_mask_regions (self->anon, &img, &whole, &all, 1);
    return GST_FLOW_OK;
  }

  faces = fa_anon_get_faces (self->anon, &n_faces);
  ids = fa_anon_get_ids (self->anon, &n_faces);
  if (plan->paint) {
    fa_anon_paint (self->anon, &img, &plan->params);
    if (plan->n_zones > 0) {
      FaMaskParams zone_mask = area_mask (&plan->params.mask);

      fa_anon_mask_regions (self->anon, &img, &zone_mask, plan->zones,
          plan->n_zones);
    }
    /* upstream's faces carry their metas already; a frame with faces is
     * always painted, so always writable here */
    if (!plan->upstream)
      gst_face_anon_attach_metas (buf, faces, ids, n_faces, width, height);
  }
  if (plan->post)
    gst_element_post_message (GST_ELEMENT (self),
        gst_face_anon_faces_message (self, buf, faces, ids, n_faces, width,
            height, plan->detected));
  GST_LOG_OBJECT (self, "%s, masked %u faces",
      plan->detected ? "detected" : "tracked", n_faces);
  return GST_FLOW_OK;
}

GstFlowReturn
gst_face_anon_transform_frame_ip (GstVideoFilter * filter,
    GstVideoFrame * frame)
{
  GstFaceAnon *self = GST_FACE_ANON (filter);
  GstFaceAnonPlan plan;
  GstFlowReturn ret;

  ret = gst_face_anon_plan (self, frame, &plan);
  if (ret != GST_FLOW_OK)
    return ret;
  return gst_face_anon_finish (self, frame->buffer, frame, &plan);
}
