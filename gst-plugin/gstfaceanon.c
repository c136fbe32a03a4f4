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

/**
 * SECTION:element-faceanon
 * @title: faceanon
 *
 * Finds every face in every video buffer with a DNN face detector and
 * anonymizes it in place: a strong Gaussian blur, pixelation or a solid
 * fill, over a box or an ellipse padded around the detected face.
 *
 * The element works on the frame's own layout (planar, semi-planar and
 * packed YUV and RGB, and GRAY8), so it needs no videoconvert; only a small
 * copy of the frame, whose longest side is #GstFaceAnon:detection-size, is
 * made for the detector. Each face found is attached to the buffer as a
 * #GstVideoRegionOfInterestMeta of type "face", with a "detection"
 * parameter structure holding its "confidence" (a double).
 *
 * The model is loaded when the element starts. By default it is the best
 * one installed (YuNet, else BlazeFace) in $FACEANON_MODEL_DIR or the
 * installed model folder; #GstFaceAnon:model names another, and
 * #GstFaceAnon:detector=upstream masks the faces other elements found
 * instead.
 *
 * In video, faces are tracked from frame to frame (#GstFaceAnon:tracking),
 * on the buffers' timestamps: a face the detector misses for a while (motion
 * blur, a hand, a turning head) stays masked at its predicted place for
 * #GstFaceAnon:hold-time, its mask growing. The detector may run on every
 * Nth frame only (#GstFaceAnon:detect-interval), and, for live sources, on a
 * thread of its own (#GstFaceAnon:async-detection) so that frames never wait
 * for it. Either way, a frame whose picture is another one than the frame
 * detected last (a cut) is detected at once, and waited for: the faces
 * tracked before a cut say nothing about the faces after it. A flush, a
 * seek or new caps forget the tracked faces.
 *
 * The element fails closed. A missing or unreadable model is an error at
 * start that names the file and the fix. When detection fails on a frame,
 * #GstFaceAnon:on-failure decides: stop with an error (the default), mask the
 * whole frame, or drop it; never is the frame let out unmasked.
 *
 * ## The faceanon message
 *
 * With #GstFaceAnon:post-messages, the element posts an element message
 * named "faceanon" for every frame, with these fields:
 *
 * - "timestamp", "stream-time", "running-time", "duration": G_TYPE_UINT64,
 *   the buffer's times (GST_CLOCK_TIME_NONE when unknown);
 * - "detected": G_TYPE_BOOLEAN, whether the detector ran on this frame
 *   (FALSE: the faces are tracked from earlier frames);
 * - "faces": a GST_TYPE_LIST of "face" structures, one per face masked on
 *   this frame, with "x", "y", "width", "height" (G_TYPE_UINT, frame
 *   pixels, the face's box before #GstFaceAnon:mask-scale), "confidence"
 *   (G_TYPE_DOUBLE, of its last detection) and "id" (G_TYPE_UINT, the
 *   track id; 0 with tracking off).
 *
 * The same faces are attached to the buffer as #GstVideoRegionOfInterestMeta
 * of type "face", whose id is the track id.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 filesrc location=/usr/share/doc/opencv-doc/examples/data/Megamind.avi ! decodebin ! faceanon ! videoconvert ! x264enc ! mp4mux ! filesink location=megamind-anon.mp4
 * ]| Anonymizes every face of a clip into an MP4 file.
 * |[
 * gst-launch-1.0 v4l2src ! videoconvert ! faceanon method=pixelate ! videoconvert ! autovideosink
 * ]| A webcam with pixelated faces.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstfaceanon.h"
#include "fa-gst.h"
#include "fa-model.h"

#include <math.h>
#include <string.h>

GST_DEBUG_CATEGORY (gst_face_anon_debug);
#define GST_CAT_DEFAULT gst_face_anon_debug

enum
{
  PROP_0,
  PROP_MODEL,
  PROP_METHOD,
  PROP_MASK_SHAPE,
  PROP_MASK_SCALE,
  PROP_BLUR_FACTOR,
  PROP_BLOCKS,
  PROP_COLOR,
  PROP_CONFIDENCE_THRESHOLD,
  PROP_DETECTION_SIZE,
  PROP_MIN_FACE_SIZE,
  PROP_TRACKING,
  PROP_HOLD_TIME,
  PROP_DETECT_INTERVAL,
  PROP_ON_FAILURE,
  PROP_DETECTOR,
  PROP_POST_MESSAGES,
  PROP_PRIVACY_ZONES,
  PROP_ASYNC_DETECTION,
  PROP_MAX_LAG,
  PROP_SWEEP_TIME,
  PROP_STATS,
  PROP_LOOKAHEAD
};

#define DEFAULT_PROP_MODEL NULL
#define DEFAULT_PROP_METHOD GST_FACE_ANON_METHOD_GAUSSIAN
#define DEFAULT_PROP_MASK_SHAPE GST_FACE_ANON_MASK_SHAPE_BOX
#define DEFAULT_PROP_MASK_SCALE 1.3
#define DEFAULT_PROP_BLUR_FACTOR 0.3
#define DEFAULT_PROP_BLOCKS 4
#define DEFAULT_PROP_COLOR 0x000000
#define DEFAULT_PROP_CONFIDENCE_THRESHOLD 0.5f
#define DEFAULT_PROP_DETECTION_SIZE 640
#define DEFAULT_PROP_MIN_FACE_SIZE 32
#define DEFAULT_PROP_TRACKING TRUE
#define DEFAULT_PROP_HOLD_TIME (GST_SECOND)
#define DEFAULT_PROP_DETECT_INTERVAL 1
#define DEFAULT_PROP_ON_FAILURE GST_FACE_ANON_ON_FAILURE_ERROR
#define DEFAULT_PROP_DETECTOR GST_FACE_ANON_DETECTOR_DNN
#define DEFAULT_PROP_POST_MESSAGES FALSE
#define DEFAULT_PROP_PRIVACY_ZONES NULL
#define DEFAULT_PROP_ASYNC_DETECTION GST_FACE_ANON_ASYNC_AUTO
#define DEFAULT_PROP_MAX_LAG (GST_SECOND)
#define DEFAULT_PROP_SWEEP_TIME (GST_SECOND / 2)
#define DEFAULT_PROP_LOOKAHEAD (-1)

#define DETECTION_SIZE_MIN FA_TILING_MIN_DETECTION_SIZE
#define DETECTION_SIZE_MAX 4096

#define VIDEO_CAPS GST_VIDEO_CAPS_MAKE (FA_GST_FORMATS)

static GstStaticPadTemplate gst_face_anon_src_template =
GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS (VIDEO_CAPS));

static GstStaticPadTemplate gst_face_anon_sink_template =
GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS (VIDEO_CAPS));

#define gst_face_anon_parent_class parent_class
G_DEFINE_TYPE (GstFaceAnon, gst_face_anon, GST_TYPE_VIDEO_FILTER);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (faceanon, "faceanon", GST_RANK_NONE,
    GST_TYPE_FACE_ANON, GST_DEBUG_CATEGORY_INIT (gst_face_anon_debug,
        "faceanon", 0, "faceanon"));

static void gst_face_anon_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_face_anon_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static void gst_face_anon_finalize (GObject * object);
GstBaseTransformClass *
gst_face_anon_parent_class_get (void)
{
  return GST_BASE_TRANSFORM_CLASS (parent_class);
}

static void
gst_face_anon_class_init (GstFaceAnonClass * klass)
{
  GObjectClass *gobject_class = (GObjectClass *) klass;
  GstElementClass *element_class = (GstElementClass *) klass;
  GstBaseTransformClass *trans_class = (GstBaseTransformClass *) klass;
  GstVideoFilterClass *vfilter_class = (GstVideoFilterClass *) klass;
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_PLAYING;

  gobject_class->set_property = gst_face_anon_set_property;
  gobject_class->get_property = gst_face_anon_get_property;
  gobject_class->finalize = gst_face_anon_finalize;

  /**
   * GstFaceAnon:model:
   *
   * Path of the face detector model. Unset, the best model installed is
   * used. The family is recognised from the file itself.
   */
  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "Face detector model file: YuNet or BlazeFace .onnx, or a res10 "
          "SSD .caffemodel with its .prototxt beside it. Unset: the best "
          "model installed (YuNet, else BlazeFace) in $FACEANON_MODEL_DIR or "
          FACEANON_MODEL_DIR ". Read when the element starts",
          DEFAULT_PROP_MODEL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  g_object_class_install_property (gobject_class, PROP_METHOD,
      g_param_spec_enum ("method", "Method",
          "How faces are anonymized. The default Gaussian blur is strong "
          "enough that a face detector no longer finds the face (solid is "
          "the strongest, pixelate the weakest on small faces)",
          GST_TYPE_FACE_ANON_METHOD, DEFAULT_PROP_METHOD, flags));

  g_object_class_install_property (gobject_class, PROP_MASK_SHAPE,
      g_param_spec_enum ("mask-shape", "Mask shape",
          "Shape painted over each face: the padded box, or the ellipse "
          "inscribed in it (softer look, corners of the box stay visible)",
          GST_TYPE_FACE_ANON_MASK_SHAPE, DEFAULT_PROP_MASK_SHAPE, flags));

  g_object_class_install_property (gobject_class, PROP_MASK_SCALE,
      g_param_spec_double ("mask-scale", "Mask scale",
          "Size of the mask relative to the detected face box, about its "
          "centre: above 1 also hides hair, ears and the detector's "
          "imprecision", 1.0, 4.0, DEFAULT_PROP_MASK_SCALE, flags));

  g_object_class_install_property (gobject_class, PROP_BLUR_FACTOR,
      g_param_spec_double ("blur-factor", "Blur factor",
          "gaussian: kernel size = region size / blur-factor; smaller is "
          "stronger. The default leaves almost no masked face that a second "
          "detector still finds; the OpenCV recipe's 3.0 leaves most of them "
          "(docs/benchmarks.md)", 0.1, 10.0, DEFAULT_PROP_BLUR_FACTOR, flags));

  g_object_class_install_property (gobject_class, PROP_BLOCKS,
      g_param_spec_uint ("blocks", "Blocks",
          "pixelate: the region is divided into blocks x blocks cells of "
          "mean colour; fewer is stronger. Weaker than the default blur on "
          "small faces, whatever the number (docs/benchmarks.md)", 1, 64,
          DEFAULT_PROP_BLOCKS, flags));

  g_object_class_install_property (gobject_class, PROP_COLOR,
      g_param_spec_uint ("color", "Color",
          "solid: fill colour as 0xRRGGBB", 0, 0xffffff, DEFAULT_PROP_COLOR,
          flags));

  g_object_class_install_property (gobject_class, PROP_CONFIDENCE_THRESHOLD,
      g_param_spec_float ("confidence-threshold", "Confidence threshold",
          "Detections scoring below this are ignored; a face cut by the "
          "frame's edge, which scores lower for it, counts from 0.6 of it. "
          "Lower hides more faces at the cost of more false masks", 0.05f,
          1.0f, DEFAULT_PROP_CONFIDENCE_THRESHOLD, flags));

  g_object_class_install_property (gobject_class, PROP_DETECTION_SIZE,
      g_param_spec_int ("detection-size", "Detection size",
          "Longest side, in pixels, of the downscaled copy the detector "
          "sees (never upscaled). Larger finds smaller faces and costs "
          "more; ignored by fixed-size models (BlazeFace, SSD)",
          DETECTION_SIZE_MIN, DETECTION_SIZE_MAX, DEFAULT_PROP_DETECTION_SIZE,
          flags));

  g_object_class_install_property (gobject_class, PROP_MIN_FACE_SIZE,
      g_param_spec_int ("min-face-size", "Minimum face size",
          "Width in frame pixels of the smallest face to find. When the "
          "detection-size pass alone cannot see faces this small, the frame "
          "is also searched in overlapping tiles at a finer scale; cost "
          "grows with (frame size / min-face-size)^2. 0: one pass only",
          0, 4096, DEFAULT_PROP_MIN_FACE_SIZE, flags));

  /**
   * GstFaceAnon:sweep-time:
   *
   * The fine tiles that #GstFaceAnon:min-face-size needs beyond the
   * whole-frame pass are searched a share per detection frame, in
   * rotation, so that the fine scale covers the whole frame within this
   * time. A face too small for the whole-frame pass may thus go unmasked
   * for up to this long after it appears; once found it stays masked at
   * least until its tile is searched again, and tiles holding small faces
   * are searched more often. Still images, and tracking=false, search
   * every tile at once.
   */
  g_object_class_install_property (gobject_class, PROP_SWEEP_TIME,
      g_param_spec_uint64 ("sweep-time", "Sweep time",
          "Longest time (ns) a face smaller than what the whole-frame pass "
          "sees may stay unfound: the fine tiles that min-face-size needs "
          "are searched a share per frame so that they cover the frame "
          "within this time. Longer costs less CPU a frame; 0 searches "
          "every tile on every frame", 0, 60 * GST_SECOND,
          DEFAULT_PROP_SWEEP_TIME, flags));

  g_object_class_install_property (gobject_class, PROP_TRACKING,
      g_param_spec_boolean ("tracking", "Tracking",
          "Follow faces across frames, so that a face the detector misses "
          "for a few frames (motion blur, a hand, a turning head) stays "
          "masked at its predicted place, with a mask that grows while it "
          "is lost. Off: the last faces detected stay masked until the next "
          "detection", DEFAULT_PROP_TRACKING, flags));

  g_object_class_install_property (gobject_class, PROP_HOLD_TIME,
      g_param_spec_uint64 ("hold-time", "Hold time",
          "With tracking: how long (ns, in buffer time) a face stays masked "
          "after a detection missed it (the time between detections with "
          "detect-interval does not count)", 0, 60 * GST_SECOND,
          DEFAULT_PROP_HOLD_TIME, flags));

  g_object_class_install_property (gobject_class, PROP_DETECT_INTERVAL,
      g_param_spec_uint ("detect-interval", "Detection interval",
          "Run the detector on every Nth frame and track faces in between "
          "(and at once after a scene cut); a face that enters the picture "
          "may stay unmasked for up to N-1 frames", 1, 1000,
          DEFAULT_PROP_DETECT_INTERVAL, flags));

  g_object_class_install_property (gobject_class, PROP_ON_FAILURE,
      g_param_spec_enum ("on-failure", "On failure",
          "What happens to a frame when the detector fails on it: stop the "
          "pipeline with an error, mask the whole frame (and carry on, "
          "recovering when the detector does), or drop the frame. No policy "
          "lets an unmasked frame through", GST_TYPE_FACE_ANON_ON_FAILURE,
          DEFAULT_PROP_ON_FAILURE, flags));

  g_object_class_install_property (gobject_class, PROP_DETECTOR,
      g_param_spec_enum ("detector", "Detector",
          "Where faces come from: the detection network, or the \"face\" "
          "GstVideoRegionOfInterestMeta that upstream elements attached "
          "(their \"detection\" parameter's \"confidence\" is kept); "
          "no model is loaded then", GST_TYPE_FACE_ANON_DETECTOR,
          DEFAULT_PROP_DETECTOR,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  g_object_class_install_property (gobject_class, PROP_POST_MESSAGES,
      g_param_spec_boolean ("post-messages", "Post messages",
          "Post a \"faceanon\" element message for every frame, listing "
          "the faces masked (see the element documentation for its fields)",
          DEFAULT_PROP_POST_MESSAGES, flags));

  g_object_class_install_property (gobject_class, PROP_PRIVACY_ZONES,
      g_param_spec_string ("privacy-zones", "Privacy zones",
          "Regions that are always masked, with the current method, "
          "whatever is detected: \"x,y,width,height\" in fractions of the "
          "frame (0 to 1), zones separated by ';', e.g. \"0,0,0.25,1;"
          "0.8,0.8,0.2,0.2\". At most 32. A malformed value stops the "
          "stream with an error", DEFAULT_PROP_PRIVACY_ZONES, flags));

  g_object_class_install_property (gobject_class, PROP_ASYNC_DETECTION,
      g_param_spec_enum ("async-detection", "Asynchronous detection",
          "Run the detector on a thread of its own so that frames never "
          "wait for it: they go out on time, masked where the tracked faces "
          "are predicted to be, and masks grow while a detection is late; "
          "a frame after a scene cut waits for its own detection. "
          "Needs tracking. auto: on when upstream is live (a camera)",
          GST_TYPE_FACE_ANON_ASYNC, DEFAULT_PROP_ASYNC_DETECTION, flags));

  g_object_class_install_property (gobject_class, PROP_MAX_LAG,
      g_param_spec_uint64 ("max-lag", "Maximum lag",
          "With asynchronous detection: how far (ns) the detector may fall "
          "behind the stream before it counts as a failure (see "
          "on-failure)", 0, 60 * GST_SECOND, DEFAULT_PROP_MAX_LAG, flags));

  /**
   * GstFaceAnon:lookahead:
   *
   * How long (ns) frames are held before they go out, so that a face found
   * on a later frame is masked on the held frames before it too: a person
   * walking in, a head turning, a small face whose tile came round. Its
   * mask is extrapolated back along its path, growing, until it leaves
   * the frame; a face lost and found again within the look-ahead is
   * masked on the path between the two detections. Nothing is carried
   * back across a scene cut.
   *
   * The look-ahead adds its time to the latency the element reports, and
   * holds up to that much video: at 1080p 30 fps, 1 s is 30 frames, about
   * 93 MB in I420 (frames upstream still holds are copied into a pool of
   * the element's own). EOS pushes every held frame, masked; a flush
   * drops them; new caps and a new segment push them first.
   *
   * -1 (the default): 1 s for streams that are not live (files), and none
   * for live sources (cameras), where it would delay the picture.
   */
  g_object_class_install_property (gobject_class, PROP_LOOKAHEAD,
      g_param_spec_int64 ("lookahead", "Look-ahead",
          "Hold frames this long (ns) before they go out, so that a face "
          "found later (walking in, turning, a small face found by a fine "
          "tile) is masked on the frames before it too. Adds as much "
          "latency and holds that much video (1 s at 1080p 30 fps: 30 "
          "frames, about 93 MB). -1: 1 s for files and other streams that "
          "are not live, none for live sources. Read when the stream "
          "starts", -1, 60 * GST_SECOND, DEFAULT_PROP_LOOKAHEAD,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstFaceAnon:stats:
   *
   * What the element did so far, as a "faceanon-stats" structure: "frames"
   * (G_TYPE_UINT64), "detections" (frames whose faces came from a
   * detection), "frame-passes" (network passes that frames waited for: all
   * of them in sync mode, only those after a cut in async mode),
   * "scene-cuts" (detections a cut forced), "tiles" (G_TYPE_UINT, fine
   * tiles of the current frame size) and "rotation" (G_TYPE_UINT,
   * detection frames a sweep of them takes).
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "What the element did so far: frames, detections, network passes "
          "frames waited for, scene cuts, fine tiles and the detection "
          "frames a sweep of them takes", GST_TYPE_STRUCTURE,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_set_static_metadata (element_class,
      "Face anonymizer", "Filter/Effect/Video",
      "Detects faces with a DNN and blurs, pixelates or fills them in place",
      "faceanon developers");

  gst_element_class_add_static_pad_template (element_class,
      &gst_face_anon_sink_template);
  gst_element_class_add_static_pad_template (element_class,
      &gst_face_anon_src_template);

  trans_class->start = GST_DEBUG_FUNCPTR (gst_face_anon_start);
  trans_class->prepare_output_buffer =
      GST_DEBUG_FUNCPTR (gst_face_anon_prepare_output_buffer);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_face_anon_stop);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_face_anon_sink_event);
  trans_class->generate_output =
      GST_DEBUG_FUNCPTR (gst_face_anon_generate_output);
  trans_class->query = GST_DEBUG_FUNCPTR (gst_face_anon_query);
  vfilter_class->set_info = GST_DEBUG_FUNCPTR (gst_face_anon_set_info);
  trans_class->transform_ip = GST_DEBUG_FUNCPTR (gst_face_anon_transform_ip);
  vfilter_class->transform_frame_ip =
      GST_DEBUG_FUNCPTR (gst_face_anon_transform_frame_ip);

  gst_type_mark_as_plugin_api (GST_TYPE_FACE_ANON_METHOD, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_FACE_ANON_MASK_SHAPE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_FACE_ANON_ON_FAILURE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_FACE_ANON_DETECTOR, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_FACE_ANON_ASYNC, 0);
}

static void
gst_face_anon_init (GstFaceAnon * self)
{
  self->model = g_strdup (DEFAULT_PROP_MODEL);
  self->method = DEFAULT_PROP_METHOD;
  self->mask_shape = DEFAULT_PROP_MASK_SHAPE;
  self->mask_scale = DEFAULT_PROP_MASK_SCALE;
  self->blur_factor = DEFAULT_PROP_BLUR_FACTOR;
  self->blocks = DEFAULT_PROP_BLOCKS;
  self->color = DEFAULT_PROP_COLOR;
  self->confidence_threshold = DEFAULT_PROP_CONFIDENCE_THRESHOLD;
  self->detection_size = DEFAULT_PROP_DETECTION_SIZE;
  self->min_face_size = DEFAULT_PROP_MIN_FACE_SIZE;
  self->tracking = DEFAULT_PROP_TRACKING;
  self->hold_time = DEFAULT_PROP_HOLD_TIME;
  self->detect_interval = DEFAULT_PROP_DETECT_INTERVAL;
  self->on_failure = DEFAULT_PROP_ON_FAILURE;
  self->detector = DEFAULT_PROP_DETECTOR;
  self->post_messages = DEFAULT_PROP_POST_MESSAGES;
  self->privacy_zones = g_strdup (DEFAULT_PROP_PRIVACY_ZONES);
  self->async = DEFAULT_PROP_ASYNC_DETECTION;
  self->max_lag = DEFAULT_PROP_MAX_LAG;
  self->sweep_time = DEFAULT_PROP_SWEEP_TIME;
  self->lookahead = DEFAULT_PROP_LOOKAHEAD;
  self->hold_ns = -1;
  g_queue_init (&self->held_events);
  self->live = -1;
}

static void
gst_face_anon_finalize (GObject * object)
{
  GstFaceAnon *self = GST_FACE_ANON (object);

  g_free (self->model);
  g_free (self->privacy_zones);
  g_clear_pointer (&self->upstream_faces, g_array_unref);
  g_free (self->zones_error);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_face_anon_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstFaceAnon *self = GST_FACE_ANON (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MODEL:
      g_free (self->model);
      self->model = g_value_dup_string (value);
      break;
    case PROP_METHOD:
      self->method = g_value_get_enum (value);
      break;
    case PROP_MASK_SHAPE:
      self->mask_shape = g_value_get_enum (value);
      break;
    case PROP_MASK_SCALE:
      self->mask_scale = g_value_get_double (value);
      break;
    case PROP_BLUR_FACTOR:
      self->blur_factor = g_value_get_double (value);
      break;
    case PROP_BLOCKS:
      self->blocks = g_value_get_uint (value);
      break;
    case PROP_COLOR:
      self->color = g_value_get_uint (value);
      break;
    case PROP_CONFIDENCE_THRESHOLD:
      self->confidence_threshold = g_value_get_float (value);
      break;
    case PROP_DETECTION_SIZE:
      self->detection_size = g_value_get_int (value);
      break;
    case PROP_MIN_FACE_SIZE:
      self->min_face_size = g_value_get_int (value);
      break;
    case PROP_TRACKING:
      self->tracking = g_value_get_boolean (value);
      break;
    case PROP_HOLD_TIME:
      self->hold_time = g_value_get_uint64 (value);
      break;
    case PROP_DETECT_INTERVAL:
      self->detect_interval = g_value_get_uint (value);
      break;
    case PROP_ON_FAILURE:
      self->on_failure = g_value_get_enum (value);
      break;
    case PROP_DETECTOR:
      self->detector = g_value_get_enum (value);
      break;
    case PROP_ASYNC_DETECTION:
      self->async = g_value_get_enum (value);
      break;
    case PROP_MAX_LAG:
      self->max_lag = g_value_get_uint64 (value);
      break;
    case PROP_SWEEP_TIME:
      self->sweep_time = g_value_get_uint64 (value);
      break;
    case PROP_LOOKAHEAD:
      self->lookahead = g_value_get_int64 (value);
      break;
    case PROP_POST_MESSAGES:
      self->post_messages = g_value_get_boolean (value);
      break;
    case PROP_PRIVACY_ZONES:
      g_free (self->privacy_zones);
      self->privacy_zones = g_value_dup_string (value);
      g_clear_pointer (&self->zones_error, g_free);
      gst_face_anon_parse_zones (self->privacy_zones, self->zones,
          &self->n_zones, &self->zones_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_face_anon_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstFaceAnon *self = GST_FACE_ANON (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_METHOD:
      g_value_set_enum (value, self->method);
      break;
    case PROP_MASK_SHAPE:
      g_value_set_enum (value, self->mask_shape);
      break;
    case PROP_MASK_SCALE:
      g_value_set_double (value, self->mask_scale);
      break;
    case PROP_BLUR_FACTOR:
      g_value_set_double (value, self->blur_factor);
      break;
    case PROP_BLOCKS:
      g_value_set_uint (value, self->blocks);
      break;
    case PROP_COLOR:
      g_value_set_uint (value, self->color);
      break;
    case PROP_CONFIDENCE_THRESHOLD:
      g_value_set_float (value, self->confidence_threshold);
      break;
    case PROP_DETECTION_SIZE:
      g_value_set_int (value, self->detection_size);
      break;
    case PROP_MIN_FACE_SIZE:
      g_value_set_int (value, self->min_face_size);
      break;
    case PROP_TRACKING:
      g_value_set_boolean (value, self->tracking);
      break;
    case PROP_HOLD_TIME:
      g_value_set_uint64 (value, self->hold_time);
      break;
    case PROP_DETECT_INTERVAL:
      g_value_set_uint (value, self->detect_interval);
      break;
    case PROP_ON_FAILURE:
      g_value_set_enum (value, self->on_failure);
      break;
    case PROP_DETECTOR:
      g_value_set_enum (value, self->detector);
      break;
    case PROP_ASYNC_DETECTION:
      g_value_set_enum (value, self->async);
      break;
    case PROP_MAX_LAG:
      g_value_set_uint64 (value, self->max_lag);
      break;
    case PROP_SWEEP_TIME:
      g_value_set_uint64 (value, self->sweep_time);
      break;
    case PROP_LOOKAHEAD:
      g_value_set_int64 (value, self->lookahead);
      break;
    case PROP_STATS:
      g_value_take_boxed (value, gst_structure_new ("faceanon-stats",
              "frames", G_TYPE_UINT64, self->frames,
              "detections", G_TYPE_UINT64, self->counts.detections,
              "frame-passes", G_TYPE_UINT64, self->counts.frame_passes,
              "scene-cuts", G_TYPE_UINT64, self->counts.scene_cuts,
              "tiles", G_TYPE_UINT, self->counts.n_tiles,
              "rotation", G_TYPE_UINT, self->counts.rotation, NULL));
      break;
    case PROP_POST_MESSAGES:
      g_value_set_boolean (value, self->post_messages);
      break;
    case PROP_PRIVACY_ZONES:
      g_value_set_string (value, self->privacy_zones);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

/* The engine's parameters from the properties, under the lock: the
 * streaming thread takes them once per frame, and the tools use them to do
 * exactly what the element does. */
void
gst_face_anon_get_params (GstFaceAnon * self, FaAnonParams * params)
{
  GST_OBJECT_LOCK (self);
  params->mask.method = (FaMethod) self->method;
  params->mask.shape = (FaShape) self->mask_shape;
  params->mask.scale = self->mask_scale;
  params->mask.blur_factor = self->blur_factor;
  params->mask.blocks = self->blocks;
  params->mask.color = self->color;
  params->threshold = self->confidence_threshold;
  params->detection_size = self->detection_size;
  params->min_face_size = self->min_face_size;
  params->tracking = self->tracking;
  params->hold_time = (gint64) self->hold_time;
  params->async = self->async == GST_FACE_ANON_ASYNC_ON
      || (self->async == GST_FACE_ANON_ASYNC_AUTO && self->live > 0);
  params->max_lag = (gint64) self->max_lag;
  params->sweep_time = (gint64) MIN (self->sweep_time, G_MAXINT64);
  GST_OBJECT_UNLOCK (self);
}
