/* GStreamer faceanon element: the look-ahead
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

/* With #GstFaceAnon:lookahead, a frame is planned (detected, tracked) when
 * it arrives but held, in a ring of the element's own, until it is that
 * much older than the newest frame; then the engine's look-ahead
 * (fa-lookahead.h) gives its final faces, it is masked and pushed. A frame
 * that upstream still holds is copied into the element's pool first, so
 * that nobody else's buffer is held or written. Serialized events that
 * arrive while frames are held wait behind them, in order; EOS, new caps
 * and a new segment push every held frame first; a flush drops them. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstfaceanon.h"
#include "fa-gst.h"

#include <math.h>

#define GST_CAT_DEFAULT gst_face_anon_debug

/* When the frame rate is unknown, the ring is sized for this many frames
 * a second. */
#define ASSUMED_FPS 60

/* A serialized event that came while frames were held, and how many
 * frames had been held before it. */
typedef struct
{
  GstEvent *event;
  guint64 after;
} HeldEvent;

static GstFaceAnonHeld *
held_at (GstFaceAnon * self, guint k)
{
  return &self->held[(self->held_head + k) % self->held_cap];
}

void
gst_face_anon_hold_setup (GstFaceAnon * self)
{
  const GstVideoInfo *info = &GST_VIDEO_FILTER (self)->in_info;
  gint64 lookahead;
  gdouble fps;
  guint cap;

  GST_OBJECT_LOCK (self);
  lookahead = self->lookahead;
  GST_OBJECT_UNLOCK (self);
  if (self->live < 0)
    self->live = gst_face_anon_upstream_is_live (self);
  if (lookahead < 0)
    lookahead = self->live > 0 ? 0 : GST_FACE_ANON_DEFAULT_LOOKAHEAD;
  self->hold_ns = lookahead;
  self->held_pool = NULL;

  fps = GST_VIDEO_INFO_FPS_N (info) > 0 && GST_VIDEO_INFO_FPS_D (info) > 0 ?
      (gdouble) GST_VIDEO_INFO_FPS_N (info) / GST_VIDEO_INFO_FPS_D (info) :
      ASSUMED_FPS;
  cap = (guint) ceil (lookahead / 1e9 * fps) + 1;
  if (lookahead > 0 && cap != self->held_cap) {
    g_return_if_fail (self->held_len == 0);
    g_free (self->held);
    self->held = g_new0 (GstFaceAnonHeld, cap);
    self->held_cap = cap;
    self->held_head = 0;
  }
  GST_INFO_OBJECT (self, "look-ahead %" GST_TIME_FORMAT ": at most %u "
      "frames held", GST_TIME_ARGS (lookahead), lookahead ? cap : 0);
}

void
gst_face_anon_hold_drop (GstFaceAnon * self)
{
  HeldEvent *he;

  while (self->held_len > 0) {
    gst_buffer_unref (held_at (self, 0)->buf);
    self->held_head = (self->held_head + 1) % self->held_cap;
    self->held_len--;
  }
  while ((he = g_queue_pop_head (&self->held_events))) {
    gst_event_unref (he->event);
    g_free (he);
  }
  self->held_in = self->held_out = 0;
  if (self->anon)
    fa_anon_drop_held (self->anon);
}

void
gst_face_anon_hold_free (GstFaceAnon * self)
{
  gst_face_anon_hold_drop (self);
  g_clear_pointer (&self->held, g_free);
  self->held_cap = 0;
  self->hold_ns = -1;
}

gboolean
gst_face_anon_hold_event (GstFaceAnon * self, GstEvent * event)
{
  HeldEvent *he;

  if (self->held_len == 0)
    return FALSE;
  he = g_new (HeldEvent, 1);
  he->event = event;
  he->after = self->held_in;
  g_queue_push_tail (&self->held_events, he);
  return TRUE;
}

/* Pushes the events that came before the next frame to leave. */
static void
push_events (GstFaceAnon * self, gboolean all)
{
  HeldEvent *he;

  while ((he = g_queue_peek_head (&self->held_events))
      && (all || he->after <= self->held_out)) {
    g_queue_pop_head (&self->held_events);
    gst_pad_push_event (GST_BASE_TRANSFORM_SRC_PAD (self), he->event);
    g_free (he);
  }
}

/* Whether @buf may be held as it is, though upstream still holds it too (a
 * decoder's reference picture): unless it comes from a pool too small to
 * lend the element a look-ahead's worth of buffers, whose upstream would
 * then wait for them. Such a frame is copied at once instead; any other is
 * copied at release only if it is still not the element's alone and must
 * be written. The answer is kept per pool. */
static gboolean
can_hold (GstFaceAnon * self, GstBuffer * buf)
{
  GstStructure *config;
  guint min = 0, max = 0;

  if (buf->pool == NULL)
    return TRUE;
  if (buf->pool == self->held_pool)
    return self->held_pool_ok;
  config = gst_buffer_pool_get_config (buf->pool);
  gst_buffer_pool_config_get_params (config, NULL, NULL, &min, &max);
  gst_structure_free (config);
  self->held_pool = buf->pool;
  self->held_pool_ok = max == 0 || max >= self->held_cap + min + 2;
  GST_DEBUG_OBJECT (self, "upstream's pool holds %u to %u buffers: %s", min,
      max, self->held_pool_ok ? "frames are held as they are" :
      "frames are copied into the element's own");
  return self->held_pool_ok;
}

/* Takes @buf in: planned now, then held, ours to write. */
static GstFlowReturn
hold (GstFaceAnon * self, GstBuffer * buf)
{
  GstVideoFilter *filter = GST_VIDEO_FILTER (self);
  GstFaceAnonHeld *h;
  GstFaceAnonPlan *plan = &self->plan;
  GstVideoFrame frame;
  GstBuffer *copy = NULL;
  GstFlowReturn ret;
  gboolean keep = gst_face_anon_writable_in_place (buf)
      || can_hold (self, buf);
  gint64 t0 = g_get_monotonic_time (), c0 = fa_thread_cpu_us ();

  if (!gst_video_frame_map (&frame, &filter->in_info, buf,
          GST_MAP_READ | GST_VIDEO_FRAME_MAP_FLAG_NO_REF))
    goto invalid_buffer;
  if (!fa_gst_frame_fits (&frame)) {
    gst_video_frame_unmap (&frame);
    goto invalid_buffer;
  }
  ret = gst_face_anon_plan (self, &frame, plan);
  if (ret == GST_FLOW_OK && plan->outcome == GST_FACE_ANON_OUTCOME_DROP) {
    gst_video_frame_unmap (&frame);
    gst_buffer_unref (buf);
    return GST_FLOW_OK;
  }
  if (ret == GST_FLOW_OK) {
    fa_anon_hold (self->anon, self->last_time, frame.info.width,
        frame.info.height, &plan->params);
    if (!keep)
      ret = gst_face_anon_copy (self, &frame, buf, &copy);
  }
  gst_video_frame_unmap (&frame);
  self->frame_cpu_us += fa_thread_cpu_us () - c0;
  self->frame_us += g_get_monotonic_time () - t0;
  if (ret != GST_FLOW_OK) {
    gst_buffer_unref (buf);
    return ret;
  }
  if (copy) {
    gst_buffer_unref (buf);
    buf = copy;
  }

  g_assert (self->held_len < self->held_cap);
  h = held_at (self, self->held_len++);
  h->buf = buf;
  h->t = self->last_time;
  h->plan = *plan;
  self->held_in++;
  return GST_FLOW_OK;

  /* ERRORS */
invalid_buffer:
  {
    /* refused by the on-failure policy, as without the look-ahead */
    ret = gst_face_anon_refuse_buffer (self, buf);
    gst_buffer_unref (buf);
    return ret == GST_BASE_TRANSFORM_FLOW_DROPPED ? GST_FLOW_OK : ret;
  }
}

/* The oldest held frame, masked with its final faces, into @out. */
static GstFlowReturn
release (GstFaceAnon * self, GstBuffer ** out)
{
  GstVideoFilter *filter = GST_VIDEO_FILTER (self);
  GstFaceAnonHeld *h = held_at (self, 0);
  GstBuffer *buf = h->buf;
  GstVideoFrame frame;
  GstFlowReturn ret;
  FaImage img;
  guint n_faces;
  gint64 t0 = g_get_monotonic_time (), c0 = fa_thread_cpu_us ();

  push_events (self, FALSE);
  self->held_head = (self->held_head + 1) % self->held_cap;
  self->held_len--;
  self->held_out++;

  /* its final faces; a frame with nothing to paint goes as it is */
  if (!gst_video_frame_map (&frame, &filter->in_info, buf,
          GST_MAP_READ | GST_VIDEO_FRAME_MAP_FLAG_NO_REF))
    goto map_failed;
  fa_gst_image_from_frame (&frame, &img);
  fa_anon_release (self->anon, &img, &h->plan.params);
  fa_anon_get_faces (self->anon, &n_faces);
  h->plan.paint = h->plan.outcome == GST_FACE_ANON_OUTCOME_MASK_FRAME
      || n_faces > 0 || h->plan.n_zones > 0;
  if (!h->plan.paint) {
    gst_video_frame_unmap (&frame);
    ret = gst_face_anon_finish (self, buf, NULL, &h->plan);
  } else {
    /* upstream, still holding it, is not written to: a copy is */
    if (!gst_face_anon_writable_in_place (buf)) {
      GstBuffer *copy = NULL;

      ret = gst_face_anon_copy (self, &frame, buf, &copy);
      gst_video_frame_unmap (&frame);
      gst_buffer_unref (buf);
      buf = copy;
      if (ret != GST_FLOW_OK)
        return ret;
    } else {
      gst_video_frame_unmap (&frame);
    }
    if (!gst_video_frame_map (&frame, &filter->in_info, buf,
            GST_MAP_READWRITE | GST_VIDEO_FRAME_MAP_FLAG_NO_REF))
      goto map_failed;
    ret = gst_face_anon_finish (self, buf, &frame, &h->plan);
    gst_video_frame_unmap (&frame);
  }
  self->frame_cpu_us += fa_thread_cpu_us () - c0;
  self->frame_us += g_get_monotonic_time () - t0;
  GST_OBJECT_LOCK (self);
  self->frames++;
  GST_OBJECT_UNLOCK (self);
  if (ret != GST_FLOW_OK) {
    gst_buffer_unref (buf);
    return ret;
  }
  *out = buf;
  return GST_FLOW_OK;

  /* ERRORS */
map_failed:
  {
    gst_buffer_unref (buf);
    GST_ELEMENT_ERROR (self, RESOURCE, FAILED, (NULL),
        ("could not map a held frame"));
    return GST_FLOW_ERROR;
  }
}

GstFlowReturn
gst_face_anon_hold_generate (GstFaceAnon * self, GstBuffer * in,
    GstBuffer ** out)
{
  GstFaceAnonHeld *oldest;
  GstFlowReturn ret = GST_FLOW_OK;

  *out = NULL;
  if (in) {
    ret = hold (self, in);
    if (ret != GST_FLOW_OK)
      return ret;
  }
  if (self->held_len == 0)
    return GST_FLOW_OK;
  /* due: the look-ahead's time behind the newest frame, or the ring full */
  oldest = held_at (self, 0);
  if (self->last_time - oldest->t < self->hold_ns
      && self->held_len < self->held_cap)
    return GST_FLOW_OK;
  return release (self, out);
}

GstFlowReturn
gst_face_anon_hold_drain (GstFaceAnon * self)
{
  GstFlowReturn ret = GST_FLOW_OK;

  while (self->held_len > 0 && ret == GST_FLOW_OK) {
    GstBuffer *out = NULL;

    ret = release (self, &out);
    if (ret == GST_FLOW_OK)
      ret = gst_pad_push (GST_BASE_TRANSFORM_SRC_PAD (self), out);
  }
  if (ret == GST_FLOW_OK)
    push_events (self, TRUE);
  else
    gst_face_anon_hold_drop (self);
  return ret;
}
