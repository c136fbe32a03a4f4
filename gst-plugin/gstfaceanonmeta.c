/* GStreamer faceanon element
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

/* What the element reads from and writes to buffers and the bus, apart
 * from pixels: the face ROI metas and the "faceanon" message (its fields
 * are documented in the element's docs block, gstfaceanon.c). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstfaceanon.h"

#include <math.h>

void
gst_face_anon_attach_metas (GstBuffer * buf, const FaBox * faces,
    const guint * ids, guint n_faces, gint width, gint height)
{
  for (guint i = 0; i < n_faces; i++) {
    const FaBox *b = &faces[i];
    gint x0 = CLAMP ((gint) floorf (b->x), 0, width);
    gint y0 = CLAMP ((gint) floorf (b->y), 0, height);
    gint x1 = CLAMP ((gint) ceilf (b->x + b->w), 0, width);
    gint y1 = CLAMP ((gint) ceilf (b->y + b->h), 0, height);
    GstVideoRegionOfInterestMeta *meta;

    if (x1 <= x0 || y1 <= y0)
      continue;
    meta = gst_buffer_add_video_region_of_interest_meta (buf, "face", x0, y0,
        x1 - x0, y1 - y0);
    /* the track id, so that a face can be followed downstream */
    if (ids[i])
      meta->id = (gint) ids[i];
    gst_video_region_of_interest_meta_add_param (meta,
        gst_structure_new ("detection", "confidence", G_TYPE_DOUBLE,
            (gdouble) b->score, NULL));
  }
}

/* The "face" ROI metas that upstream elements attached, as detections. */
void
gst_face_anon_read_upstream_faces (GstBuffer * buf, GArray * faces,
    gint width, gint height)
{
  GQuark face = g_quark_from_static_string ("face");
  gpointer state = NULL;
  GstMeta *m;

  g_array_set_size (faces, 0);
  while ((m = gst_buffer_iterate_meta_filtered (buf, &state,
              GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    GstVideoRegionOfInterestMeta *roi = (GstVideoRegionOfInterestMeta *) m;
    GstStructure *s = gst_video_region_of_interest_meta_get_param (roi,
        "detection");
    gdouble confidence = 1.0;
    FaBox b;

    if (roi->roi_type != face)
      continue;
    if (s)
      gst_structure_get_double (s, "confidence", &confidence);
    /* clipped to the frame: a box larger than any frame is the frame */
    b.x = MIN (roi->x, (guint) width);
    b.y = MIN (roi->y, (guint) height);
    b.w = MIN ((guint64) roi->x + roi->w, (guint64) width) - b.x;
    b.h = MIN ((guint64) roi->y + roi->h, (guint64) height) - b.y;
    if (b.w <= 0.f || b.h <= 0.f)
      continue;
    b.score = (gfloat) confidence;
    g_array_append_val (faces, b);
  }
}

/* The "faceanon" message of one frame (#GstFaceAnon:post-messages). */
GstMessage *
gst_face_anon_faces_message (GstFaceAnon * self, GstBuffer * buf,
    const FaBox * faces, const guint * ids, guint n_faces, gint width,
    gint height, gboolean detected)
{
  GstBaseTransform *trans = GST_BASE_TRANSFORM (self);
  GstSegment *segment = &trans->segment;
  GstClockTime ts = GST_BUFFER_PTS (buf);
  GValue list = G_VALUE_INIT;
  GstStructure *s;

  g_value_init (&list, GST_TYPE_LIST);
  for (guint i = 0; i < n_faces; i++) {
    const FaBox *b = &faces[i];
    gint x0 = CLAMP ((gint) floorf (b->x), 0, width);
    gint y0 = CLAMP ((gint) floorf (b->y), 0, height);
    gint x1 = CLAMP ((gint) ceilf (b->x + b->w), 0, width);
    gint y1 = CLAMP ((gint) ceilf (b->y + b->h), 0, height);
    GValue v = G_VALUE_INIT;

    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&v, gst_structure_new ("face",
            "x", G_TYPE_UINT, (guint) x0, "y", G_TYPE_UINT, (guint) y0,
            "width", G_TYPE_UINT, (guint) (x1 - x0),
            "height", G_TYPE_UINT, (guint) (y1 - y0),
            "confidence", G_TYPE_DOUBLE, (gdouble) b->score,
            "id", G_TYPE_UINT, ids[i], NULL));
    gst_value_list_append_and_take_value (&list, &v);
  }

  s = gst_structure_new ("faceanon",
      "timestamp", G_TYPE_UINT64, ts,
      "stream-time", G_TYPE_UINT64, gst_segment_to_stream_time (segment,
          GST_FORMAT_TIME, ts),
      "running-time", G_TYPE_UINT64, gst_segment_to_running_time (segment,
          GST_FORMAT_TIME, ts),
      "duration", G_TYPE_UINT64, GST_BUFFER_DURATION (buf),
      "detected", G_TYPE_BOOLEAN, detected, NULL);
  gst_structure_take_value (s, "faces", &list);
  return gst_message_new_element (GST_OBJECT (self), s);
}
