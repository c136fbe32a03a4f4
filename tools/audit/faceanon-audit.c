/* faceanon-audit: does a face remain in an anonymized recording?
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

/* Decodes an anonymized video and looks for faces in every frame with a
 * reference detector that is not the element's own: YuNet-n at full and
 * half resolution by default, where the element runs YuNet-s at 640, so
 * that what the audit finds is not just the element's blind spots seen a
 * second time.
 *
 * With --reference, the original recording is decoded in lockstep and the
 * same reference runs on it. Only a face found again at the place of a face
 * of the original counts as remaining: a detection on a blurred patch or in
 * the background of the anonymized file is no leak, and the remaining faces
 * become a fraction of the faces there were to hide.
 *
 * Exit status: 0 clean, 1 a face remains, 2 error. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "fa-detector.h"
#include "fa-decode.h"
#include "fa-gst.h"
#include "fa-model.h"

#include <gst/gst.h>
#include <gst/app/gstappsink.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_CLEAN 0
#define EXIT_FACE_REMAINS 1
#define EXIT_ERROR 2

/* The reference, best first: YuNet-n differs from the element's YuNet-s;
 * YuNet-s at other scales than the element's still finds some of what the
 * element missed, so it is the fallback. */
#define MODEL_REFERENCE "yunet_n_640_640.onnx"
#define MODEL_FALLBACK "face_detection_yunet_2023mar.onnx"

#define DEFAULT_THRESHOLD 0.5
#define DEFAULT_SCALES "1,0.5"
#define MAX_SCALES 8
/* Above 2, a 1080p frame makes a multi-gigabyte input tensor. */
#define MAX_SCALE 2.0

/* Boxes of the scales that overlap this much are one face. */
#define MERGE_IOU 0.3f

/* An anonymized-file face is "at the place" of an original face when the
 * boxes overlap this much, or when its centre lies inside the original's
 * box (a half-masked face is often found smaller or shifted). */
#define PLACE_IOU 0.3f

/* A remaining face that keeps less than this share of the original's
 * detail at its place is most likely the detector firing on a masked head
 * (a blurred oval on shoulders), not a visible face. Reported apart, not
 * left out: only a person can tell. */
#define ON_MASK_DETAIL 0.25f

/* Frames in a row whose timestamps may disagree between the anonymized
 * file and the original before the two are taken to be out of step. */
#define TS_MAX_RUN 8

/* How many frames with a face the summary lists. */
#define MAX_LISTED 20

/* Decoder warnings shown per file. */
#define MAX_WARNINGS 5

/* Decoded frames waiting in each appsink: enough for the decoder to run
 * ahead of the detector, few enough to bound memory at 1080p. */
#define SINK_MAX_BUFFERS 4

G_DEFINE_QUARK (faceanon_audit_error, audit_error);
#define AUDIT_ERROR (audit_error_quark ())

/* One decoding pipeline: uridecodebin ! videoconvert ! appsink. */
typedef struct
{
  const gchar *path;            /* as given, for messages */
  GstElement *pipeline;
  GstElement *convert;
  GstElement *sink;
  GstBus *bus;
  gboolean linked;
  gint no_more_pads;            /* atomic: uridecodebin exposed all it will */
  guint n_warnings;

  /* the caps of the last sample and the info parsed from them */
  GstCaps *caps;
  GstVideoInfo info;

  guint64 n_frames;
  GstClockTime first_pts;
} Source;

typedef struct
{
  guint64 frame;
  GstClockTime pts;
} Listed;

typedef struct
{
  /* options */
  gchar *model_path;
  gdouble threshold;
  gdouble scales[MAX_SCALES];
  guint n_scales;
  gint64 max_frames;
  gboolean quiet;

  FaDetector *det;
  FILE *csv;

  /* per-frame scratch, reused */
  GArray *out_boxes;            /* FaBox found in the anonymized frame */
  GArray *in_boxes;             /* FaBox found in the original frame */
  GArray *remaining;            /* FaBox, the faces that count */
  GArray *detail;               /* gfloat per remaining face, --reference */

  /* totals */
  guint64 n_frames;
  guint64 n_frames_with_face;
  guint64 n_remaining;
  guint64 n_input_faces;
  guint64 n_input_frames_with_face;
  guint64 n_elsewhere;          /* anonymized-file faces at no original face */
  guint64 n_on_mask;            /* remaining faces with little detail left */
  Listed listed[MAX_LISTED];
  guint n_listed;

  /* frames whose timestamps disagree between the two files */
  guint64 n_ts_mismatch;
  guint64 ts_first_frame;
  guint ts_run;                 /* in a row, up to the current frame */
  guint64 ts_run_frame;         /* where that run began */
  GstClockTimeDiff ts_run_out, ts_run_in;
} Audit;

/* ---------------------------------------------------------------------- */
/* Decoding */

/* gst_clear_sample() is newer than GStreamer 1.22 */
static void
clear_sample (GstSample ** sample)
{
  if (*sample)
    gst_sample_unref (*sample);
  *sample = NULL;
}

static void
on_pad_added (GstElement * dec, GstPad * pad, gpointer user_data)
{
  Source *src = user_data;
  GstCaps *caps;
  GstPad *sinkpad;
  gboolean video;

  if (src->linked)
    return;
  caps = gst_pad_get_current_caps (pad);
  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  video = !gst_caps_is_empty (caps) && g_str_has_prefix
      (gst_structure_get_name (gst_caps_get_structure (caps, 0)),
      "video/x-raw");
  gst_caps_unref (caps);
  if (!video)
    return;

  /* the first video stream only: a second one would be another recording */
  sinkpad = gst_element_get_static_pad (src->convert, "sink");
  src->linked = gst_pad_link (pad, sinkpad) == GST_PAD_LINK_OK;
  gst_object_unref (sinkpad);
}

/* Stops decodebin at audio and subtitle streams: they are exposed
 * undecoded and left unlinked, which decodebin's multiqueue tolerates. */
static gboolean
on_autoplug_continue (GstElement * dec, GstPad * pad, GstCaps * caps,
    gpointer user_data)
{
  const gchar *name;

  if (gst_caps_is_empty (caps) || gst_caps_is_any (caps))
    return TRUE;
  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  return !g_str_has_prefix (name, "audio/") && !g_str_has_prefix (name,
      "text/") && !g_str_has_prefix (name, "subpicture/")
      && !g_str_has_prefix (name, "subtitle/");
}

static void
on_no_more_pads (GstElement * dec, gpointer user_data)
{
  Source *src = user_data;

  g_atomic_int_set (&src->no_more_pads, 1);
}

/* Empties the bus: nobody else reads it, and tags or QoS messages would
 * pile up over a long recording. Returns TRUE on an error message, which
 * it turns into @error; shows the first warnings. */
static gboolean
error_from_bus (Source * src, GError ** error)
{
  GstMessage *msg;
  gboolean failed = FALSE;

  while (!failed && (msg = gst_bus_pop (src->bus))) {
    GError *e = NULL;
    gchar *debug = NULL;

    switch (GST_MESSAGE_TYPE (msg)) {
      case GST_MESSAGE_ERROR:
        gst_message_parse_error (msg, &e, &debug);
        g_set_error (error, AUDIT_ERROR, 0, "could not decode '%s': %s "
            "(%s: %s)", src->path, e->message, GST_MESSAGE_SRC_NAME (msg),
            debug ? debug : "no details");
        failed = TRUE;
        break;
      case GST_MESSAGE_WARNING:
        if (src->n_warnings++ < MAX_WARNINGS) {
          gst_message_parse_warning (msg, &e, &debug);
          g_printerr ("faceanon-audit: warning while decoding '%s' at frame %"
              G_GUINT64_FORMAT ": %s (%s)%s\n", src->path, src->n_frames,
              e->message, GST_MESSAGE_SRC_NAME (msg),
              src->n_warnings == MAX_WARNINGS ? "; further warnings are not "
              "shown" : "");
        }
        break;
      default:
        break;
    }
    g_clear_error (&e);
    g_free (debug);
    gst_message_unref (msg);
  }
  return failed;
}

static void
source_close (Source * src)
{
  if (src->pipeline) {
    gst_element_set_state (src->pipeline, GST_STATE_NULL);
    gst_object_unref (src->pipeline);
  }
  if (src->bus)
    gst_object_unref (src->bus);
  gst_clear_caps (&src->caps);
  memset (src, 0, sizeof (*src));
}

static GstElement *
make_element (const gchar * factory, GError ** error)
{
  GstElement *e = gst_element_factory_make (factory, NULL);

  if (e == NULL)
    g_set_error (error, AUDIT_ERROR, 0, "the GStreamer element '%s' is "
        "missing: install gstreamer1.0-plugins-base (and -good, -bad, "
        "-libav for the codecs)", factory);
  return e;
}

/* Starts decoding @path (a file name or a URI) into frames of a format the
 * engine reads: videoconvert passes the decoder's own layout through when
 * it is one of them, I420 and NV12 always are. */
static gboolean
source_open (Source * src, const gchar * path, GError ** error)
{
  GstElement *dec;
  GstCaps *caps;
  gchar *uri;

  memset (src, 0, sizeof (*src));
  src->path = path;
  src->first_pts = GST_CLOCK_TIME_NONE;

  if (gst_uri_is_valid (path)) {
    uri = g_strdup (path);
  } else {
    if (g_access (path, R_OK) != 0) {
      g_set_error (error, AUDIT_ERROR, 0, "cannot read '%s': %s", path,
          g_strerror (errno));
      return FALSE;
    }
    uri = gst_filename_to_uri (path, error);
    if (uri == NULL)
      return FALSE;
  }

  src->pipeline = gst_pipeline_new (NULL);
  dec = make_element ("uridecodebin", error);
  if (dec == NULL)
    goto fail;
  gst_bin_add (GST_BIN (src->pipeline), dec);
  src->convert = make_element ("videoconvert", error);
  if (src->convert == NULL)
    goto fail;
  gst_bin_add (GST_BIN (src->pipeline), src->convert);
  src->sink = make_element ("appsink", error);
  if (src->sink == NULL)
    goto fail;
  gst_bin_add (GST_BIN (src->pipeline), src->sink);

  /* audio and subtitles are not decoded (expose-all-streams=false would
   * make a file with an undecodable audio track an error) */
  caps = gst_caps_from_string ("video/x-raw");
  g_object_set (dec, "uri", uri, "caps", caps, NULL);
  gst_caps_unref (caps);
  g_signal_connect (dec, "autoplug-continue",
      G_CALLBACK (on_autoplug_continue), src);
  g_signal_connect (dec, "pad-added", G_CALLBACK (on_pad_added), src);
  g_signal_connect (dec, "no-more-pads", G_CALLBACK (on_no_more_pads), src);

  caps = gst_caps_from_string ("video/x-raw, format=(string)" FA_GST_FORMATS);
  g_object_set (src->sink, "caps", caps, "sync", FALSE, "max-buffers",
      SINK_MAX_BUFFERS, "drop", FALSE, "enable-last-sample", FALSE, NULL);
  gst_caps_unref (caps);
  if (!gst_element_link (src->convert, src->sink)) {
    g_set_error (error, AUDIT_ERROR, 0, "could not link videoconvert to "
        "appsink: check the GStreamer installation");
    goto fail;
  }

  src->bus = gst_element_get_bus (src->pipeline);
  if (gst_element_set_state (src->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    if (!error_from_bus (src, error))
      g_set_error (error, AUDIT_ERROR, 0, "could not start decoding '%s'",
          path);
    goto fail;
  }
  g_free (uri);
  return TRUE;

fail:
  g_free (uri);
  source_close (src);
  return FALSE;
}

/* The next frame, or TRUE with *@sample NULL at the end of the stream. */
static gboolean
source_pull (Source * src, GstSample ** sample, GError ** error)
{
  for (;;) {
    /* a decoding error stops the streaming thread before EOS: look at the
     * bus between waits, or the pull would wait for ever */
    *sample = gst_app_sink_try_pull_sample (GST_APP_SINK (src->sink),
        100 * GST_MSECOND);
    if (error_from_bus (src, error)) {
      clear_sample (sample);
      return FALSE;
    }
    if (*sample)
      break;
    /* with no video stream linked, the appsink would never see EOS */
    if (g_atomic_int_get (&src->no_more_pads) && !src->linked) {
      g_set_error (error, AUDIT_ERROR, 0, "'%s' has no video stream that "
          "GStreamer can decode: check the file, and install the "
          "gstreamer1.0-libav or -plugins-bad decoder for its codec",
          src->path);
      return FALSE;
    }
    if (gst_app_sink_is_eos (GST_APP_SINK (src->sink))) {
      if (src->n_frames == 0) {
        g_set_error (error, AUDIT_ERROR, 0, "'%s' holds no video frame that "
            "GStreamer can decode", src->path);
        return FALSE;
      }
      return TRUE;
    }
  }

  /* the caps object stays the same until the stream changes */
  if (gst_sample_get_caps (*sample) != src->caps) {
    gst_caps_replace (&src->caps, gst_sample_get_caps (*sample));
    if (src->caps == NULL || !gst_video_info_from_caps (&src->info, src->caps)) {
      g_set_error (error, AUDIT_ERROR, 0, "'%s': the decoder gave a frame "
          "without valid video caps", src->path);
      clear_sample (sample);
      return FALSE;
    }
  }
  if (src->n_frames == 0)
    src->first_pts = GST_BUFFER_PTS (gst_sample_get_buffer (*sample));
  src->n_frames++;
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Detection */

/* A decoded frame, mapped for reading, and the engine's view of it. */
typedef struct
{
  GstVideoFrame frame;
  FaImage img;
  gboolean mapped;
} Mapped;

static gboolean
map_sample (GstSample * sample, const GstVideoInfo * info, Mapped * m,
    GError ** error)
{
  m->mapped = gst_video_frame_map (&m->frame, (GstVideoInfo *) info,
      gst_sample_get_buffer (sample), GST_MAP_READ);
  if (!m->mapped) {
    g_set_error (error, AUDIT_ERROR, 0, "could not map a decoded frame");
    return FALSE;
  }
  fa_gst_image_from_frame (&m->frame, &m->img);
  return TRUE;
}

static void
unmap_sample (Mapped * m)
{
  if (m->mapped)
    gst_video_frame_unmap (&m->frame);
  m->mapped = FALSE;
}

static gboolean
detect_faces (Audit * audit, const FaImage * img, GArray * boxes,
    GError ** error)
{
  g_array_set_size (boxes, 0);
  for (guint s = 0; s < audit->n_scales; s++) {
    FaPass pass;

    pass.src.x0 = pass.src.y0 = 0;
    pass.src.x1 = img->width;
    pass.src.y1 = img->height;
    pass.in_w = MAX (1, (gint) lround (img->width * audit->scales[s]));
    pass.in_h = MAX (1, (gint) lround (img->height * audit->scales[s]));
    if (!fa_detector_detect_pass (audit->det, img, &pass,
            (gfloat) audit->threshold, boxes, error))
      return FALSE;
  }

  /* the same face seen at two scales is one face */
  fa_boxes_nms (boxes, MERGE_IOU);
  return TRUE;
}

/* Mean absolute difference between neighbouring samples of the first
 * component (luma, or red) in the box: eyes, brows and mouth make it high
 * on a face; a blurred or filled mask brings it close to 0. */
static gdouble
box_detail (const FaImage * img, gfloat x, gfloat y, gfloat w, gfloat h)
{
  const FaComp *c = &img->comp[0];
  gint x0 = CLAMP ((gint) floorf (x), 0, c->width);
  gint y0 = CLAMP ((gint) floorf (y), 0, c->height);
  gint x1 = CLAMP ((gint) ceilf (x + w), 0, c->width);
  gint y1 = CLAMP ((gint) ceilf (y + h), 0, c->height);
  guint64 sum = 0, n = 0;

  for (gint j = y0; j + 1 < y1; j++) {
    const guint8 *row = c->data + (gsize) j * c->stride;
    const guint8 *next = row + c->stride;

    for (gint i = x0; i + 1 < x1; i++) {
      gint v = row[i * c->pstride];

      sum += ABS (row[(i + 1) * c->pstride] - v) + ABS (next[i * c->pstride]
          - v);
      n += 2;
    }
  }
  return n ? (gdouble) sum / n : 0.0;
}

/* How much of the original's detail the anonymized frame keeps in the
 * middle of @b (in anonymized-frame pixels): eyes, nose and mouth. The
 * edges of the box would also count the edge of the mask, and the hair
 * or background around it, which a mask does not hide. */
static gfloat
detail_ratio (const FaImage * out, const FaImage * in, const FaBox * b)
{
  gfloat sx = (gfloat) in->width / out->width;
  gfloat sy = (gfloat) in->height / out->height;
  gfloat x = b->x + b->w / 4, y = b->y + b->h / 4, w = b->w / 2, h = b->h / 2;
  gdouble d_out = box_detail (out, x, y, w, h);
  gdouble d_in = box_detail (in, x * sx, y * sy, w * sx, h * sy);

  /* a flat original (a face in the dark) has no detail to lose */
  return (gfloat) (d_out / MAX (d_in, 1.0));
}

static gboolean
same_place (const FaBox * out, const FaBox * in)
{
  gfloat cx = out->x + out->w / 2, cy = out->y + out->h / 2;
  gfloat ix = MIN (out->x + out->w, in->x + in->w) - MAX (out->x, in->x);
  gfloat iy = MIN (out->y + out->h, in->y + in->h) - MAX (out->y, in->y);
  gfloat inter, uni;

  if (cx >= in->x && cx < in->x + in->w && cy >= in->y && cy < in->y + in->h)
    return TRUE;
  if (ix <= 0 || iy <= 0)
    return FALSE;
  inter = ix * iy;
  uni = out->w * out->h + in->w * in->h - inter;
  return uni > 0 && inter / uni >= PLACE_IOU;
}

/* Brings the original's boxes to the anonymized frame's size, should the
 * two differ (a scaled copy). */
static void
scale_boxes (GArray * boxes, const GstVideoInfo * from, const GstVideoInfo * to)
{
  gfloat sx = (gfloat) GST_VIDEO_INFO_WIDTH (to) / GST_VIDEO_INFO_WIDTH (from);
  gfloat sy = (gfloat) GST_VIDEO_INFO_HEIGHT (to) /
      GST_VIDEO_INFO_HEIGHT (from);

  if (sx == 1.f && sy == 1.f)
    return;
  for (guint i = 0; i < boxes->len; i++) {
    FaBox *b = &g_array_index (boxes, FaBox, i);

    b->x *= sx;
    b->w *= sx;
    b->y *= sy;
    b->h *= sy;
  }
}

/* ---------------------------------------------------------------------- */
/* Reporting */

/* "x y w h score" per box, and the detail ratio with --reference. */
static void
print_boxes (FILE * f, GArray * boxes, GArray * detail)
{
  for (guint i = 0; i < boxes->len; i++) {
    const FaBox *b = &g_array_index (boxes, FaBox, i);

    fprintf (f, "%s%.0f %.0f %.0f %.0f %.2f", i ? ";" : "", b->x, b->y, b->w,
        b->h, b->score);
    if (detail)
      fprintf (f, " %.2f", g_array_index (detail, gfloat, i));
  }
}

static void
report_frame (Audit * audit, guint64 index, GstClockTime pts,
    gboolean with_reference)
{
  guint n = audit->remaining->len;

  if (audit->csv) {
    if (GST_CLOCK_TIME_IS_VALID (pts))
      fprintf (audit->csv, "%" G_GUINT64_FORMAT ",%.3f,%u,", index,
          pts / (gdouble) GST_SECOND, n);
    else
      fprintf (audit->csv, "%" G_GUINT64_FORMAT ",,%u,", index, n);
    print_boxes (audit->csv, audit->remaining,
        with_reference ? audit->detail : NULL);
    if (with_reference)
      fprintf (audit->csv, ",%u", audit->in_boxes->len);
    fputc ('\n', audit->csv);
  }

  if (n == 0)
    return;
  if (audit->n_listed < MAX_LISTED) {
    audit->listed[audit->n_listed].frame = index;
    audit->listed[audit->n_listed].pts = pts;
    audit->n_listed++;
  }
  if (!audit->quiet) {
    g_print ("frame %" G_GUINT64_FORMAT " at %" GST_TIME_FORMAT ": %u face%s "
        "(x y w h score%s): ", index, GST_TIME_ARGS (pts), n, n > 1 ? "s" : "",
        with_reference ? " detail" : "");
    print_boxes (stdout, audit->remaining,
        with_reference ? audit->detail : NULL);
    g_print ("\n");
  }
}

/* Compares the frames' places in their streams, not their raw timestamps:
 * containers start at different times (edit lists, B-frame delays). Some
 * files carry a wrong timestamp here and there (Megamind.avi repeats one
 * every third frame, which an encoder then corrects), so a lone
 * disagreement is only counted; a dropped or added frame shifts every
 * frame after it, and that is an error. */
static gboolean
check_timestamps (Audit * audit, Source * out, GstClockTime out_pts,
    Source * in, GstClockTime in_pts, guint64 index, GError ** error)
{
  GstClockTimeDiff d_out, d_in, tolerance;
  gint fps_n = GST_VIDEO_INFO_FPS_N (&out->info);
  gint fps_d = GST_VIDEO_INFO_FPS_D (&out->info);

  if (!GST_CLOCK_TIME_IS_VALID (out_pts) || !GST_CLOCK_TIME_IS_VALID (in_pts)
      || !GST_CLOCK_TIME_IS_VALID (out->first_pts)
      || !GST_CLOCK_TIME_IS_VALID (in->first_pts))
    return TRUE;
  d_out = GST_CLOCK_DIFF (out->first_pts, out_pts);
  d_in = GST_CLOCK_DIFF (in->first_pts, in_pts);

  /* half a frame; Matroska rounds to the millisecond */
  tolerance = fps_n > 0 ? (GstClockTimeDiff)
      gst_util_uint64_scale_int (GST_SECOND, fps_d, 2 * fps_n) :
      20 * GST_MSECOND;
  tolerance = MAX (tolerance, 2 * GST_MSECOND);
  if (ABS (d_out - d_in) <= tolerance) {
    audit->ts_run = 0;
    return TRUE;
  }

  if (audit->ts_run == 0) {
    audit->ts_run_frame = index;
    audit->ts_run_out = d_out;
    audit->ts_run_in = d_in;
  }
  if (audit->n_ts_mismatch == 0)
    audit->ts_first_frame = index;
  audit->n_ts_mismatch++;
  if (++audit->ts_run <= TS_MAX_RUN)
    return TRUE;

  g_set_error (error, AUDIT_ERROR, 0, "from frame %" G_GUINT64_FORMAT " on, "
      "the frames are at different times in the two recordings (frame %"
      G_GUINT64_FORMAT " at %" GST_STIME_FORMAT " in '%s', at %"
      GST_STIME_FORMAT " in '%s', from each file's first frame): a frame "
      "was dropped or added, so faces cannot be compared place by place. "
      "Give the original that was anonymized, cut the same way, or audit "
      "without --reference", audit->ts_run_frame, audit->ts_run_frame,
      GST_STIME_ARGS (audit->ts_run_out), out->path,
      GST_STIME_ARGS (audit->ts_run_in), in->path);
  return FALSE;
}

static void
print_summary (Audit * audit, const gchar * input, const gchar * reference,
    gdouble seconds)
{
  g_print ("audited:                        %s\n", input);
  g_print ("reference detector:             %s at scale%s ",
      audit->model_path, audit->n_scales > 1 ? "s" : "");
  for (guint s = 0; s < audit->n_scales; s++)
    g_print ("%s%g", s ? ", " : "", audit->scales[s]);
  g_print (", threshold %.2f\n", audit->threshold);
  g_print ("frames audited:                 %" G_GUINT64_FORMAT
      " (%.1f frames/s)\n", audit->n_frames,
      seconds > 0 ? audit->n_frames / seconds : 0.0);

  if (reference) {
    g_print ("original:                       %s\n", reference);
    g_print ("faces found in the original:    %" G_GUINT64_FORMAT
        " (in %" G_GUINT64_FORMAT " frames)\n", audit->n_input_faces,
        audit->n_input_frames_with_face);
  }
  g_print ("frames that still show a face:  %" G_GUINT64_FORMAT "\n",
      audit->n_frames_with_face);
  if (audit->n_listed > 0) {
    g_print ("  %s%u:", audit->n_frames_with_face > audit->n_listed ?
        "the first " : "", audit->n_listed);
    for (guint i = 0; i < audit->n_listed; i++)
      g_print (" %" G_GUINT64_FORMAT " (%" GST_TIME_FORMAT ")",
          audit->listed[i].frame, GST_TIME_ARGS (audit->listed[i].pts));
    g_print ("\n");
  }
  if (reference) {
    g_print ("remaining faces:                %" G_GUINT64_FORMAT " of %"
        G_GUINT64_FORMAT " at original face places (%.2f%%)\n",
        audit->n_remaining, audit->n_input_faces, audit->n_input_faces ?
        100.0 * audit->n_remaining / audit->n_input_faces : 0.0);
    g_print ("  of which on a mask:           %" G_GUINT64_FORMAT " (less "
        "than %.0f%% of the original's detail left there: most likely the "
        "masked head, not a visible face)\n", audit->n_on_mask,
        100 * ON_MASK_DETAIL);
    g_print ("other detections:               %" G_GUINT64_FORMAT
        " (where the original shows no face: not counted)\n",
        audit->n_elsewhere);
    if (audit->n_ts_mismatch)
      g_print ("timestamps disagree:            in %" G_GUINT64_FORMAT
          " frames, never more than %d in a row (the first: frame %"
          G_GUINT64_FORMAT "): compared by frame index\n",
          audit->n_ts_mismatch, TS_MAX_RUN, audit->ts_first_frame);
  } else {
    g_print ("remaining faces:                %" G_GUINT64_FORMAT "\n",
        audit->n_remaining);
  }
  g_print ("verdict:                        %s\n", audit->n_remaining ?
      "a face remains" : reference && audit->n_input_faces == 0 ?
      "clean, but vacuously: the reference found no face in the original" :
      "clean");
}

/* ---------------------------------------------------------------------- */
/* Options */

static gboolean
parse_scales (Audit * audit, const gchar * text, GError ** error)
{
  gchar **parts = g_strsplit (text, ",", -1);
  gboolean ok = TRUE;

  audit->n_scales = 0;
  for (guint i = 0; parts[i] && ok; i++) {
    gchar *end;
    gdouble s = g_ascii_strtod (g_strstrip (parts[i]), &end);

    if (*parts[i] == '\0' || *end != '\0' || !(s > 0 && s <= MAX_SCALE)) {
      g_set_error (error, AUDIT_ERROR, 0, "--scales: '%s' is not a scale: "
          "give numbers above 0 and at most %g, separated by commas "
          "(for example \"1,0.5\")", parts[i], MAX_SCALE);
      ok = FALSE;
    } else if (audit->n_scales == MAX_SCALES) {
      g_set_error (error, AUDIT_ERROR, 0, "--scales: at most %d scales",
          MAX_SCALES);
      ok = FALSE;
    } else {
      audit->scales[audit->n_scales++] = s;
    }
  }
  if (ok && audit->n_scales == 0) {
    g_set_error (error, AUDIT_ERROR, 0, "--scales: no scale given");
    ok = FALSE;
  }
  g_strfreev (parts);
  return ok;
}

/* The reference model in the model directories: YuNet-n, else YuNet-s
 * with a warning that it is the element's own detector. */
static gchar *
find_reference_model (GError ** error)
{
  gchar **dirs = fa_model_dirs ();
  const gchar *names[] = { MODEL_REFERENCE, MODEL_FALLBACK };
  gchar *found = NULL, *where;

  for (guint m = 0; m < G_N_ELEMENTS (names) && !found; m++) {
    for (guint d = 0; dirs[d] && !found; d++) {
      gchar *path = g_build_filename (dirs[d], names[m], NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        found = path;
      else
        g_free (path);
    }
  }

  where = g_strjoinv ("', '", dirs);
  if (found == NULL) {
    g_set_error (error, AUDIT_ERROR, 0, "no reference model: neither %s "
        "nor %s is in '%s'. Run models/fetch-models.sh DIR and set "
        "FACEANON_MODEL_DIR=DIR, or pass --model", MODEL_REFERENCE,
        MODEL_FALLBACK, where);
  } else if (g_str_has_suffix (found, MODEL_FALLBACK)) {
    /* not an error, but it weakens the audit: say so even when quiet */
    g_printerr ("faceanon-audit: %s (YuNet-n) is not installed in '%s': "
        "falling back to YuNet-s (%s), the element's own detector, at the "
        "audit's scales. Faces both miss at the same place go unseen; "
        "install %s (models/fetch-models.sh) for an independent audit\n",
        MODEL_REFERENCE, where, found, MODEL_REFERENCE);
  }
  g_free (where);
  g_strfreev (dirs);
  return found;
}

static void
audit_clear (Audit * audit)
{
  g_clear_pointer (&audit->det, fa_detector_free);
  if (audit->csv)
    fclose (audit->csv);
  audit->csv = NULL;
  g_clear_pointer (&audit->out_boxes, g_array_unref);
  g_clear_pointer (&audit->in_boxes, g_array_unref);
  g_clear_pointer (&audit->remaining, g_array_unref);
  g_clear_pointer (&audit->detail, g_array_unref);
  g_clear_pointer (&audit->model_path, g_free);
}

/* ---------------------------------------------------------------------- */

/* Audits every frame of @out, against the same frame of @in if given. */
static gboolean
run (Audit * audit, Source * out, Source * in, GError ** error)
{
  GstSample *out_sample = NULL, *in_sample = NULL;
  Mapped mo = { 0, }, mi = { 0, };

  for (;;) {
    GstClockTime pts;
    guint64 index = audit->n_frames;

    if (audit->max_frames > 0 && index >= (guint64) audit->max_frames)
      break;
    if (!source_pull (out, &out_sample, error))
      return FALSE;
    if (in && !source_pull (in, &in_sample, error))
      goto fail;
    if (out_sample == NULL || (in && in_sample == NULL)) {
      if (out_sample || in_sample)
        g_printerr ("faceanon-audit: '%s' ends after %" G_GUINT64_FORMAT
            " frames, '%s' goes on: only the first %" G_GUINT64_FORMAT
            " frames were compared\n", out_sample ? in->path : out->path,
            index, out_sample ? out->path : in->path, index);
      clear_sample (&out_sample);
      clear_sample (&in_sample);
      break;
    }

    pts = GST_BUFFER_PTS (gst_sample_get_buffer (out_sample));
    if (!map_sample (out_sample, &out->info, &mo, error)
        || !detect_faces (audit, &mo.img, audit->out_boxes, error))
      goto fail;
    g_array_set_size (audit->remaining, 0);
    g_array_set_size (audit->detail, 0);

    if (in) {
      GstClockTime in_pts = GST_BUFFER_PTS (gst_sample_get_buffer (in_sample));

      if (!check_timestamps (audit, out, pts, in, in_pts, index, error))
        goto fail;
      if (!map_sample (in_sample, &in->info, &mi, error)
          || !detect_faces (audit, &mi.img, audit->in_boxes, error))
        goto fail;
      scale_boxes (audit->in_boxes, &in->info, &out->info);

      /* an original face remains when a face is found at its place */
      for (guint i = 0; i < audit->in_boxes->len; i++) {
        const FaBox *ib = &g_array_index (audit->in_boxes, FaBox, i);

        for (guint o = 0; o < audit->out_boxes->len; o++) {
          const FaBox *ob = &g_array_index (audit->out_boxes, FaBox, o);

          if (same_place (ob, ib)) {
            gfloat detail = detail_ratio (&mo.img, &mi.img, ob);

            g_array_append_val (audit->remaining, *ob);
            g_array_append_val (audit->detail, detail);
            if (detail < ON_MASK_DETAIL)
              audit->n_on_mask++;
            break;
          }
        }
      }
      for (guint o = 0; o < audit->out_boxes->len; o++) {
        const FaBox *ob = &g_array_index (audit->out_boxes, FaBox, o);
        gboolean placed = FALSE;

        for (guint i = 0; i < audit->in_boxes->len && !placed; i++)
          placed = same_place (ob, &g_array_index (audit->in_boxes, FaBox, i));
        if (!placed)
          audit->n_elsewhere++;
      }
      audit->n_input_faces += audit->in_boxes->len;
      if (audit->in_boxes->len > 0)
        audit->n_input_frames_with_face++;
    } else {
      g_array_append_vals (audit->remaining, audit->out_boxes->data,
          audit->out_boxes->len);
    }

    audit->n_frames++;
    audit->n_remaining += audit->remaining->len;
    if (audit->remaining->len > 0)
      audit->n_frames_with_face++;
    report_frame (audit, index, pts, in != NULL);

    unmap_sample (&mo);
    unmap_sample (&mi);
    clear_sample (&out_sample);
    clear_sample (&in_sample);
  }
  return TRUE;

fail:
  unmap_sample (&mo);
  unmap_sample (&mi);
  clear_sample (&out_sample);
  clear_sample (&in_sample);
  return FALSE;
}

int
main (int argc, char **argv)
{
  Audit audit = { 0, };
  Source out = { 0, }, in = { 0, };
  gchar *model = NULL, *reference = NULL, *csv_path = NULL, *scales = NULL;
  gdouble threshold = DEFAULT_THRESHOLD;
  gint64 max_frames = 0;
  gboolean quiet = FALSE;
  GOptionContext *ctx;
  GError *err = NULL;
  gint64 t0;
  int status = EXIT_ERROR;
  const GOptionEntry entries[] = {
    {"model", 'm', 0, G_OPTION_ARG_FILENAME, &model,
        "Reference face detector (default: " MODEL_REFERENCE " in "
          "$FACEANON_MODEL_DIR or " FACEANON_MODEL_DIR ", else "
          MODEL_FALLBACK ")", "PATH"},
    {"threshold", 't', 0, G_OPTION_ARG_DOUBLE, &threshold,
        "Reference detector confidence threshold (default 0.5)", "T"},
    {"scales", 's', 0, G_OPTION_ARG_STRING, &scales,
          "Scales of the frame the reference looks at, boxes merged "
          "(default \"" DEFAULT_SCALES "\": full and half resolution)",
        "S,S,..."},
    {"reference", 'r', 0, G_OPTION_ARG_FILENAME, &reference,
          "The original, unanonymized recording: count only faces found "
          "again where the reference finds a face in the original",
        "ORIGINAL"},
    {"csv", 'c', 0, G_OPTION_ARG_FILENAME, &csv_path,
        "Write a row per frame: frame,pts,remaining,boxes "
          "(\"x y w h score\" joined by ';'), and with --reference "
          "input_faces, each box then ending with its detail ratio "
          "(anonymized / original)", "FILE"},
    {"max-frames", 'n', 0, G_OPTION_ARG_INT64, &max_frames,
        "Audit the first N frames only (default: all)", "N"},
    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
        "Print the summary only, not every frame with a face", NULL},
    {NULL}
  };

  ctx = g_option_context_new ("ANONYMIZED-VIDEO");
  g_option_context_set_summary (ctx, "Looks for the faces that remain in "
      "an anonymized video, frame by frame, with a reference face detector "
      "other than faceanon's own.\n\nExit status: 0 clean, 1 a face "
      "remains, 2 error.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err))
    goto error;
  if (argc != 2) {
    g_set_error (&err, AUDIT_ERROR, 0, "give one anonymized video (see "
        "--help)");
    goto error;
  }
  if (!(threshold > 0 && threshold <= 1)) {
    g_set_error (&err, AUDIT_ERROR, 0, "--threshold %g is out of range: "
        "give a confidence above 0 and at most 1", threshold);
    goto error;
  }
  if (max_frames < 0) {
    g_set_error (&err, AUDIT_ERROR, 0, "--max-frames must not be negative");
    goto error;
  }
  if (!parse_scales (&audit, scales ? scales : DEFAULT_SCALES, &err))
    goto error;
  audit.threshold = threshold;
  audit.max_frames = max_frames;
  audit.quiet = quiet;

  audit.model_path = model ? g_strdup (model) : find_reference_model (&err);
  if (audit.model_path == NULL)
    goto error;
  audit.det = fa_detector_new (audit.model_path, &err);
  if (audit.det == NULL)
    goto error;
  if (fa_detector_get_fixed_size (audit.det) && audit.n_scales > 1)
    g_printerr ("faceanon-audit: %s takes only its own input size: the "
        "scales all give the same pass\n",
        fa_detector_get_family (audit.det)->name);

  if (csv_path) {
    audit.csv = g_fopen (csv_path, "w");
    if (audit.csv == NULL) {
      g_set_error (&err, AUDIT_ERROR, 0, "cannot write '%s': %s", csv_path,
          g_strerror (errno));
      goto error;
    }
    fprintf (audit.csv, "frame,pts,remaining,boxes%s\n",
        reference ? ",input_faces" : "");
  }

  audit.out_boxes = g_array_new (FALSE, FALSE, sizeof (FaBox));
  audit.in_boxes = g_array_new (FALSE, FALSE, sizeof (FaBox));
  audit.remaining = g_array_new (FALSE, FALSE, sizeof (FaBox));
  audit.detail = g_array_new (FALSE, FALSE, sizeof (gfloat));

  if (!source_open (&out, argv[1], &err))
    goto error;
  if (reference && !source_open (&in, reference, &err))
    goto error;

  t0 = g_get_monotonic_time ();
  if (!run (&audit, &out, reference ? &in : NULL, &err))
    goto error;

  if (audit.csv && fflush (audit.csv) != 0) {
    g_set_error (&err, AUDIT_ERROR, 0, "cannot write '%s': %s", csv_path,
        g_strerror (errno));
    goto error;
  }
  print_summary (&audit, argv[1], reference,
      (g_get_monotonic_time () - t0) / 1e6);
  status = audit.n_remaining ? EXIT_FACE_REMAINS : EXIT_CLEAN;
  goto done;

error:
  g_printerr ("faceanon-audit: %s\n", err->message);
  g_clear_error (&err);
done:
  source_close (&out);
  source_close (&in);
  audit_clear (&audit);
  g_option_context_free (ctx);
  g_free (model);
  g_free (reference);
  g_free (csv_path);
  g_free (scales);
  return status;
}
