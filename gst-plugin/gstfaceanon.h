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

#ifndef __GST_FACE_ANON_H__
#define __GST_FACE_ANON_H__

#include <gst/gst.h>
#include <gst/video/video.h>
#include <gst/video/gstvideofilter.h>

#include "fa-anon.h"

G_BEGIN_DECLS
#define GST_TYPE_FACE_ANON (gst_face_anon_get_type ())
/* *INDENT-OFF* */
G_DECLARE_FINAL_TYPE (GstFaceAnon, gst_face_anon, GST, FACE_ANON,
    GstVideoFilter)
/* *INDENT-ON* */

/**
 * GstFaceAnonMethod:
 * @GST_FACE_ANON_METHOD_GAUSSIAN: Gaussian blur of the face region
 * @GST_FACE_ANON_METHOD_PIXELATE: blocks of the region's mean colour
 * @GST_FACE_ANON_METHOD_SOLID: fill with #GstFaceAnon:color
 * @GST_FACE_ANON_METHOD_DRAW: outline each face and show its confidence
 *   instead of masking it, for tuning (privacy zones stay masked)
 *
 * How a face region is anonymized.
 */
typedef enum
{
  GST_FACE_ANON_METHOD_GAUSSIAN = FA_METHOD_GAUSSIAN,
  GST_FACE_ANON_METHOD_PIXELATE = FA_METHOD_PIXELATE,
  GST_FACE_ANON_METHOD_SOLID = FA_METHOD_SOLID,
  GST_FACE_ANON_METHOD_DRAW = FA_METHOD_DRAW
} GstFaceAnonMethod;

/**
 * GstFaceAnonDetector:
 * @GST_FACE_ANON_DETECTOR_DNN: run the face detection network
 * @GST_FACE_ANON_DETECTOR_UPSTREAM: mask the "face"
 *   #GstVideoRegionOfInterestMeta that upstream elements put on the buffer
 *
 * Where the faces to mask come from.
 */
typedef enum
{
  GST_FACE_ANON_DETECTOR_DNN,
  GST_FACE_ANON_DETECTOR_UPSTREAM
} GstFaceAnonDetector;

/**
 * GstFaceAnonAsync:
 * @GST_FACE_ANON_ASYNC_AUTO: on for live sources, off otherwise
 * @GST_FACE_ANON_ASYNC_ON: detect on a thread of its own
 * @GST_FACE_ANON_ASYNC_OFF: detect on the streaming thread
 *
 * Whether detection may run behind the stream.
 */
typedef enum
{
  GST_FACE_ANON_ASYNC_AUTO,
  GST_FACE_ANON_ASYNC_ON,
  GST_FACE_ANON_ASYNC_OFF
} GstFaceAnonAsync;

/* privacy zones: at most this many, normalised x, y, width, height */
#define GST_FACE_ANON_MAX_ZONES 32

/**
 * GstFaceAnonMaskShape:
 * @GST_FACE_ANON_MASK_SHAPE_BOX: the whole padded rectangle
 * @GST_FACE_ANON_MASK_SHAPE_ELLIPSE: the ellipse inscribed in it
 *
 * The shape painted over each face.
 */
typedef enum
{
  GST_FACE_ANON_MASK_SHAPE_BOX = FA_SHAPE_BOX,
  GST_FACE_ANON_MASK_SHAPE_ELLIPSE = FA_SHAPE_ELLIPSE
} GstFaceAnonMaskShape;

/**
 * GstFaceAnonOnFailure:
 * @GST_FACE_ANON_ON_FAILURE_ERROR: post an error and stop the stream
 * @GST_FACE_ANON_ON_FAILURE_MASK_FRAME: mask the whole frame, warn once,
 *   and recover when the detector does
 * @GST_FACE_ANON_ON_FAILURE_DROP: drop the frame, warn once
 *
 * What happens to a frame the detector failed on. No policy lets the
 * frame out unmasked.
 */
typedef enum
{
  GST_FACE_ANON_ON_FAILURE_ERROR,
  GST_FACE_ANON_ON_FAILURE_MASK_FRAME,
  GST_FACE_ANON_ON_FAILURE_DROP
} GstFaceAnonOnFailure;

/* What a frame needs, decided before it is written to: a frame with
 * nothing to mask is not written, so one that upstream still holds (a
 * decoder's reference picture) goes on without a copy. */
typedef enum
{
  GST_FACE_ANON_OUTCOME_MASK,      /* mask its faces and zones */
  GST_FACE_ANON_OUTCOME_MASK_FRAME,        /* detection failed: mask it all */
  GST_FACE_ANON_OUTCOME_DROP       /* detection failed: drop it */
} GstFaceAnonOutcome;

/* With no lookahead property set, for streams that are not live. */
#define GST_FACE_ANON_DEFAULT_LOOKAHEAD (GST_SECOND)

typedef struct
{
  GstFaceAnonOutcome outcome;
  gboolean paint;          /* the frame must be written to */
  FaAnonParams params;
  gboolean detected, upstream, post;
  FaRect zones[GST_FACE_ANON_MAX_ZONES];
  guint n_zones;
} GstFaceAnonPlan;

/* A frame held by the look-ahead, with what was decided for it. */
typedef struct
{
  GstBuffer *buf;               /* ours to write */
  gint64 t;                     /* ns, the tracker's clock */
  GstFaceAnonPlan plan;
} GstFaceAnonHeld;

struct _GstFaceAnon
{
  GstVideoFilter videofilter;

  /* properties, under the object lock */
  gchar *model;
  GstFaceAnonMethod method;
  GstFaceAnonMaskShape mask_shape;
  gdouble mask_scale;
  gdouble blur_factor;
  guint blocks;
  guint color;
  gfloat confidence_threshold;
  gint detection_size;
  gint min_face_size;
  gboolean tracking;
  guint64 hold_time;
  guint detect_interval;
  GstFaceAnonOnFailure on_failure;
  GstFaceAnonDetector detector;
  GstFaceAnonAsync async;
  guint64 max_lag;
  guint64 sweep_time;
  gint64 lookahead;             /* ns; -1: for streams that are not live */
  gboolean post_messages;
  gchar *privacy_zones;
  gdouble zones[GST_FACE_ANON_MAX_ZONES][4];
  guint n_zones;
  gchar *zones_error;      /* why privacy-zones could not be parsed */

  /* streaming state, created in start() and freed in stop() */
  FaAnon *anon;
  gint64 last_time;        /* ns, the tracker's clock */
  guint frames_since_detection;
  gboolean failing;        /* warned about the current failure run */
  GArray *upstream_faces;  /* FaBox, from upstream ROI metas */
  gint live;               /* upstream is live: -1 not asked yet */
  GstBufferPool *copy_pool;        /* frames held elsewhere are copied here */
  GstFaceAnonPlan plan;    /* of a held frame, made before its copy */
  GstBuffer *planned;      /* the buffer it was made for (no ref) */
  FaAnonCounts counts;     /* the stats property's, under the lock */
  /* the look-ahead (gstfaceanonhold.c): a ring of held frames */
  gint64 hold_ns;               /* in effect; -1 not decided yet */
  GstFaceAnonHeld *held;
  guint held_cap, held_head, held_len;
  GQueue held_events;           /* serialized events waiting behind them */
  guint64 held_in, held_out;    /* frames taken in, let out */
  GstBufferPool *held_pool;     /* upstream's pool last looked at (no ref) */
  gboolean held_pool_ok;        /* its frames may be held as they are */
  /* where the time goes, logged at stop() */
  guint64 frames;
  gint64 frame_us, frame_cpu_us, copy_cpu_us;
};

GST_ELEMENT_REGISTER_DECLARE (faceanon);
GST_DEBUG_CATEGORY_EXTERN (gst_face_anon_debug);

void gst_face_anon_get_params (GstFaceAnon * self, FaAnonParams * params);

/* gstfaceanonenums.c */
GType gst_face_anon_method_get_type (void);
GType gst_face_anon_mask_shape_get_type (void);
GType gst_face_anon_on_failure_get_type (void);
GType gst_face_anon_detector_get_type (void);
GType gst_face_anon_async_get_type (void);
#define GST_TYPE_FACE_ANON_METHOD (gst_face_anon_method_get_type ())
#define GST_TYPE_FACE_ANON_MASK_SHAPE (gst_face_anon_mask_shape_get_type ())
#define GST_TYPE_FACE_ANON_ON_FAILURE (gst_face_anon_on_failure_get_type ())
#define GST_TYPE_FACE_ANON_DETECTOR (gst_face_anon_detector_get_type ())
#define GST_TYPE_FACE_ANON_ASYNC (gst_face_anon_async_get_type ())

/* gstfaceanon.c */
GstBaseTransformClass *gst_face_anon_parent_class_get (void);

/* gstfaceanonstream.c: the element in a stream */
void gst_face_anon_drop_copy_pool (GstFaceAnon * self);
gboolean gst_face_anon_start (GstBaseTransform * trans);
gboolean gst_face_anon_stop (GstBaseTransform * trans);
gboolean gst_face_anon_sink_event (GstBaseTransform * trans,
    GstEvent * event);
GstFlowReturn gst_face_anon_generate_output (GstBaseTransform * trans,
    GstBuffer ** outbuf);
gboolean gst_face_anon_query (GstBaseTransform * trans,
    GstPadDirection direction, GstQuery * query);
gboolean gst_face_anon_set_info (GstVideoFilter * filter, GstCaps * incaps,
    GstVideoInfo * in_info, GstCaps * outcaps, GstVideoInfo * out_info);

/* gstfaceanonframe.c: a frame's way through the element */
GstFlowReturn gst_face_anon_refuse_buffer (GstFaceAnon * self,
    GstBuffer * buf);
GstFlowReturn gst_face_anon_refuse_buffer (GstFaceAnon * self,
    GstBuffer * buf);
gint gst_face_anon_upstream_is_live (GstFaceAnon * self);
GstFlowReturn gst_face_anon_copy (GstFaceAnon * self, GstVideoFrame * in_frame,
    GstBuffer * inbuf, GstBuffer ** copy);
gboolean gst_face_anon_writable_in_place (GstBuffer * buf);
GstBufferPool *gst_face_anon_make_copy_pool (GstFaceAnon * self,
    const GstVideoInfo * info);
GstFlowReturn gst_face_anon_prepare_output_buffer (GstBaseTransform *
    trans, GstBuffer * inbuf, GstBuffer ** outbuf);
GstFlowReturn gst_face_anon_transform_ip (GstBaseTransform * trans,
    GstBuffer * buf);
GstFlowReturn gst_face_anon_transform_frame_ip (GstVideoFilter * filter,
    GstVideoFrame * frame);
GstFlowReturn gst_face_anon_plan (GstFaceAnon * self,
    GstVideoFrame * frame, GstFaceAnonPlan * plan);
GstFlowReturn gst_face_anon_finish (GstFaceAnon * self, GstBuffer * buf,
    GstVideoFrame * frame, GstFaceAnonPlan * plan);

/* gstfaceanonhold.c: the look-ahead */
void gst_face_anon_hold_setup (GstFaceAnon * self);
void gst_face_anon_hold_drop (GstFaceAnon * self);
void gst_face_anon_hold_free (GstFaceAnon * self);
gboolean gst_face_anon_hold_event (GstFaceAnon * self, GstEvent * event);
GstFlowReturn gst_face_anon_hold_generate (GstFaceAnon * self,
    GstBuffer * in, GstBuffer ** out);
GstFlowReturn gst_face_anon_hold_drain (GstFaceAnon * self);

/* gstfaceanonhold.c: the look-ahead */
void gst_face_anon_hold_setup (GstFaceAnon * self);
void gst_face_anon_hold_drop (GstFaceAnon * self);
void gst_face_anon_hold_free (GstFaceAnon * self);
gboolean gst_face_anon_hold_event (GstFaceAnon * self, GstEvent * event);
GstFlowReturn gst_face_anon_hold_generate (GstFaceAnon * self,
    GstBuffer * in, GstBuffer ** out);
GstFlowReturn gst_face_anon_hold_drain (GstFaceAnon * self);

/* gstfaceanonzones.c */
gboolean gst_face_anon_parse_zones (const gchar * text,
    gdouble zones[GST_FACE_ANON_MAX_ZONES][4], guint * n_zones,
    gchar ** error_message);

/* gstfaceanonmeta.c */
void gst_face_anon_attach_metas (GstBuffer * buf, const FaBox * faces,
    const guint * ids, guint n_faces, gint width, gint height);
void gst_face_anon_read_upstream_faces (GstBuffer * buf, GArray * faces,
    gint width, gint height);
GstMessage *gst_face_anon_faces_message (GstFaceAnon * self,
    GstBuffer * buf, const FaBox * faces, const guint * ids, guint n_faces,
    gint width, gint height, gboolean detected);

G_END_DECLS
#endif /* __GST_FACE_ANON_H__ */
