/* faceanon engine
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

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "fa-detector.h"
#include "fa-decode.h"
#include "fa-model.h"
#include "fa-model-check.h"
#include "fa-resample.h"

#include <math.h>
#include <string.h>

#define NMS_IOU 0.3f

struct _FaDetector
{
  gchar *path;
  const FaFamily *family;
  FaModelSetup setup;
  FaNet *net;

  FaResampler *resampler;
  gfloat *blob;                 /* the input; grows to the largest pass */
  gsize blob_len;

  GArray *candidates;

  /* test hook: passes fault_first..fault_last (counted from 1) fail */
  guint64 n_passes, fault_first, fault_last;

  gint64 net_us;                /* wall time spent in the network */
  gint64 net_cpu_us;            /* CPU time of the calling threads in it */
};

/* FACEANON_INJECT_FAULTS=FIRST-LAST (or FIRST- for all from FIRST) makes
 * those detector passes fail as a broken network would, so that tests can
 * check what leaves the element then. */
static void
parse_fault_injection (FaDetector * det)
{
  const gchar *env = g_getenv ("FACEANON_INJECT_FAULTS");
  gchar *end = NULL;

  if (env == NULL || *env == '\0')
    return;
  det->fault_first = g_ascii_strtoull (env, &end, 10);
  det->fault_last = det->fault_first;
  if (end && *end == '-')
    det->fault_last = end[1] ? g_ascii_strtoull (end + 1, NULL, 10) :
        G_MAXUINT64;
}

/* Loads the network of @path (with its other half for a Caffe model). */
static FaNet *
load_net (const gchar * path, gboolean caffe, GError ** error)
{
  gchar *lower = g_ascii_strdown (path, -1);
  gchar *model = NULL, *config = NULL;
  FaNet *net = NULL;

  if (caffe) {
    gboolean is_config = g_str_has_suffix (lower, ".prototxt");

    model = is_config ? fa_model_find_sibling (path, ".caffemodel") :
        g_strdup (path);
    config = is_config ? g_strdup (path) :
        fa_model_find_sibling (path, ".prototxt");
    if (model == NULL || config == NULL)
      g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
          "the Caffe model '%s' needs its other half next to it (a "
          ".prototxt with the .caffemodel): put deploy.prototxt and "
          "res10_300x300_ssd_iter_140000.caffemodel in one folder", path);
    else
      net = fa_net_new (model, config, error);
  } else {
    net = fa_net_new (path, NULL, error);
  }
  g_free (lower);
  g_free (model);
  g_free (config);
  return net;
}

/* Whether @path names a Caffe model (a .caffemodel or its .prototxt) or an
 * ONNX one; FALSE with an error when it is neither. */
static gboolean
model_kind (const gchar * path, gboolean * caffe, GError ** error)
{
  gchar *lower = g_ascii_strdown (path, -1);
  gboolean onnx = g_str_has_suffix (lower, ".onnx");

  *caffe = g_str_has_suffix (lower, ".caffemodel")
      || g_str_has_suffix (lower, ".prototxt");
  g_free (lower);
  if (!*caffe && !onnx)
    g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
        "'%s' is not a model file faceanon knows: it takes an .onnx file "
        "(YuNet, BlazeFace) or a Caffe .caffemodel with its .prototxt", path);
  return *caffe || onnx;
}

FaDetector *
fa_detector_new (const gchar * path, GError ** error)
{
  gboolean published, caffe;

  g_return_val_if_fail (path != NULL, NULL);

  if (!fa_model_check_file (path, &published, error)
      || !model_kind (path, &caffe, error))
    return NULL;
  /* OpenCV's readers can crash on a damaged file: one that is not known
   * to load (any Caffe pair: none is published) is tried in a process of
   * its own first */
  if ((caffe || !published) && !fa_model_check_in_child (path, error))
    return NULL;
  return fa_detector_load (path, error);
}

FaDetector *
fa_detector_load (const gchar * path, GError ** error)
{
  FaDetector *det;
  gchar *known;
  gboolean caffe;

  g_return_val_if_fail (path != NULL, NULL);

  if (!model_kind (path, &caffe, error))
    return NULL;

  det = g_new0 (FaDetector, 1);
  det->path = g_strdup (path);
  parse_fault_injection (det);
  det->candidates = g_array_new (FALSE, FALSE, sizeof (FaBox));
  det->resampler = fa_resampler_new ();
  det->net = load_net (path, caffe, error);
  if (det->net == NULL)
    goto fail;
  det->family = fa_family_recognise (det->net, path, caffe, &det->setup);
  if (det->family == NULL) {
    gchar *names = g_strjoinv (", ",
        (gchar **) fa_net_get_output_names (det->net));

    known = fa_family_list (caffe);
    if (caffe)
      g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
          "the Caffe model '%s' has no 'detection_out' output (its outputs "
          "are %s): it is not an SSD face detector", path, names);
    else
      g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
          "the ONNX model '%s' is not a face detector faceanon knows (its "
          "outputs are %s); it knows %s", path, names, known);
    g_free (known);
    g_free (names);
    goto fail;
  }
  return det;

fail:
  fa_detector_free (det);
  return NULL;
}

void
fa_detector_free (FaDetector * det)
{
  if (det == NULL)
    return;
  if (det->net)
    fa_net_free (det->net);
  fa_resampler_free (det->resampler);
  g_free (det->blob);
  g_array_unref (det->candidates);
  g_free (det->path);
  g_free (det);
}

const FaFamily *
fa_detector_get_family (FaDetector * det)
{
  return det->family;
}

void
fa_detector_get_stats (FaDetector * det, guint64 * passes, gint64 * net_us,
    gint64 * net_cpu_us)
{
  *passes = det->n_passes;
  *net_us = det->net_us;
  *net_cpu_us = det->net_cpu_us;
}

gint
fa_detector_get_fixed_size (FaDetector * det)
{
  return det->setup.fixed_size;
}

gboolean
fa_detector_detect_pass (FaDetector * det, const FaImage * img,
    const FaPass * pass, gfloat threshold, GArray * boxes, GError ** error)
{
  const FaRect *src = &pass->src;
  const FaFamily *fam = det->family;
  gint sw = src->x1 - src->x0, sh = src->y1 - src->y0;
  gint cw = pass->in_w, ch = pass->in_h, in_w, in_h;
  gsize blob_len;
  gfloat sx, sy;
  FaTensor outs[FA_FAMILY_MAX_OUTPUTS];
  gint shape[4];
  gint64 t0, c0;
  gboolean ok;

  g_return_val_if_fail (sw > 0 && sh > 0 && cw > 0 && ch > 0, FALSE);
  g_return_val_if_fail (src->x0 >= 0 && src->y0 >= 0 && src->x1 <= img->width
      && src->y1 <= img->height, FALSE);

  if (det->setup.fixed_size) {
    /* letterboxed into the model's own square */
    gint size = det->setup.fixed_size;
    gdouble s = (gdouble) size / MAX (sw, sh);

    cw = CLAMP ((gint) lround (sw * s), 1, size);
    ch = CLAMP ((gint) lround (sh * s), 1, size);
    in_w = in_h = size;
  } else {
    /* strided models need sides that are multiples of their stride: pad */
    gint a = MAX (fam->align, 1);

    in_w = (cw + a - 1) / a * a;
    in_h = (ch + a - 1) / a * a;
  }

  det->n_passes++;
  if (det->fault_first && det->n_passes >= det->fault_first
      && det->n_passes <= det->fault_last) {
    g_set_error (error, FA_ERROR, FA_ERROR_INFERENCE,
        "the face detection network failed: fault injected by "
        "FACEANON_INJECT_FAULTS (pass %" G_GUINT64_FORMAT ")", det->n_passes);
    return FALSE;
  }

  blob_len = (gsize) 3 *in_w * in_h;
  if (blob_len > det->blob_len) {
    g_free (det->blob);
    det->blob = g_new (gfloat, blob_len);
    det->blob_len = blob_len;
  }
  fa_resampler_fill (det->resampler, img, src, cw, ch, in_w, in_h,
      &fam->input, det->blob);

  shape[0] = 1;
  if (fam->input.layout == FA_LAYOUT_NHWC) {
    shape[1] = in_h;
    shape[2] = in_w;
    shape[3] = 3;
  } else {
    shape[1] = 3;
    shape[2] = in_h;
    shape[3] = in_w;
  }

  g_array_set_size (det->candidates, 0);
  t0 = g_get_monotonic_time ();
  c0 = fa_thread_cpu_us ();
  ok = fa_net_forward (det->net, det->blob, shape, det->setup.outputs, outs,
      error);
  det->net_cpu_us += fa_thread_cpu_us () - c0;
  det->net_us += g_get_monotonic_time () - t0;
  if (!ok || !fam->decode (outs, in_w, in_h, threshold, det->candidates, error))
    return FALSE;

  fa_boxes_nms (det->candidates, NMS_IOU);

  sx = (gfloat) cw / sw;
  sy = (gfloat) ch / sh;
  for (guint i = 0; i < det->candidates->len; i++) {
    FaBox b = g_array_index (det->candidates, FaBox, i);

    b.x = src->x0 + b.x / sx;
    b.w /= sx;
    b.y = src->y0 + b.y / sy;
    b.h /= sy;
    g_array_append_val (boxes, b);
  }
  return TRUE;
}

gboolean
fa_detector_detect (FaDetector * det, const FaImage * img,
    gint detection_size, gfloat threshold, GArray * boxes, GError ** error)
{
  FaPass pass;

  g_return_val_if_fail (img->width > 0 && img->height > 0, FALSE);

  /* Never upscale: a close face would grow beyond what the model sees.
   * Fixed-size models letterbox into their own size whatever this says. */
  fa_tiling_plan (img->width, img->height, detection_size, 0, &pass, 1);
  return fa_detector_detect_pass (det, img, &pass, threshold, boxes, error);
}

/* A face cut by the frame's edge shows the detector part of what it
 * learnt a face to be, and scores lower for it: the half face at the edge
 * of asl/bird.mkv scores between 0.3 and 0.5 (docs/leak-audit.md). A box
 * that reaches within EDGE_MARGIN of the frame's side of an edge is kept
 * from EDGE_FACTOR times the threshold. */
#define EDGE_FACTOR 0.6f
#define EDGE_MARGIN 0.02f

/* overlap above which boxes from different passes are one face */
#define MERGE_IOU 0.3f
#define MERGE_CONTAINED 0.7f

/* The smallest face, in frame pixels, @pass lets the model find. */
static gfloat
pass_min_face (FaDetector * det, const FaPass * pass)
{
  gint sw = pass->src.x1 - pass->src.x0, sh = pass->src.y1 - pass->src.y0;

  if (det->setup.fixed_size)
    return (gfloat) FA_TILING_FACE_AT_INPUT *MAX (sw, sh) /
      det->setup.fixed_size;
  return fa_tiling_min_face (pass);
}

gboolean
fa_detector_detect_passes (FaDetector * det, const FaImage * img,
    const FaPass * passes, guint n, gfloat threshold, GArray * boxes,
    FaSearch * searched, GError ** error)
{
  guint first = boxes->len;
  gfloat mx = MAX (EDGE_MARGIN * img->width, 2.0f);
  gfloat my = MAX (EDGE_MARGIN * img->height, 2.0f);
  guint kept;

  for (guint i = 0; i < n; i++) {
    if (!fa_detector_detect_pass (det, img, &passes[i],
            threshold * EDGE_FACTOR, boxes, error)) {
      g_array_set_size (boxes, first);
      return FALSE;
    }
    if (searched) {
      searched[i].area = passes[i].src;
      searched[i].min_face = pass_min_face (det, &passes[i]);
    }
  }
  /* below the threshold, only faces cut by the frame's edge */
  kept = first;
  for (guint i = first; i < boxes->len; i++) {
    const FaBox *b = &g_array_index (boxes, FaBox, i);

    if (b->score >= threshold || b->x < mx || b->y < my
        || b->x + b->w > img->width - mx || b->y + b->h > img->height - my)
      g_array_index (boxes, FaBox, kept++) = *b;
  }
  g_array_set_size (boxes, kept);
  if (n > 1 && first == 0) {
    fa_boxes_nms (boxes, MERGE_IOU);
    fa_boxes_drop_contained (boxes, MERGE_CONTAINED);
  }
  return TRUE;
}
