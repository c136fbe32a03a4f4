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

#include <glib/gstdio.h>
#include <errno.h>
#include <sys/stat.h>
#include <math.h>
#include <string.h>

#define NMS_IOU 0.3f
#define SSD_SIZE 300

const gchar *const fa_model_preference[] = {
  "face_detection_yunet_2023mar.onnx",
  "yunet_n_640_640.onnx",
  "face_detection_back_256x256_barracuda.onnx",
  "face_detection_front_128x128_barracuda.onnx",
  NULL
};

/* The published bytes of the models models/fetch-models.sh installs. OpenCV
 * 4.6's ONNX importer can crash the process on a damaged file (a node input
 * naming no tensor: docs/robustness.md), and a crash is an outage that no
 * error policy covers: a file named as one of these must be that file. */
static const struct
{
  const gchar *name;
  const gchar *sha256;
} known_models[] = {
  {"face_detection_yunet_2023mar.onnx",
      "8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4"},
  {"yunet_n_640_640.onnx",
      "25a606a145a5b6d7271ae138fbd00eba91dad8b83222ae3f2c7ecd0f4a7b0e31"},
  {"face_detection_back_256x256_barracuda.onnx",
      "427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2"},
  {"face_detection_front_128x128_barracuda.onnx",
      "d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51"},
};

/* FALSE, with an error that says how to get a good copy, when @path is
 * named as a model faceanon installs but does not hold its bytes. */
static gboolean
check_known_model (const gchar * path, GError ** error)
{
  gchar *base = g_path_get_basename (path), *data = NULL, *sum = NULL;
  const gchar *want = NULL;
  GError *err = NULL;
  gsize len = 0;
  gboolean ok = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (known_models); i++)
    if (g_str_equal (base, known_models[i].name))
      want = known_models[i].sha256;
  if (want == NULL)
    goto out;

  if (!g_file_get_contents (path, &data, &len, &err)) {
    g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
        "could not read the model '%s': %s", path, err->message);
    g_clear_error (&err);
    ok = FALSE;
    goto out;
  }
  sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data,
      len);
  if (g_strcmp0 (sum, want) != 0) {
    g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
        "the model '%s' is damaged or not the published %s (sha256 %s, "
        "expected %s): install it again with models/fetch-models.sh, or "
        "give your own model another file name", path, base, sum, want);
    ok = FALSE;
  }

out:
  g_free (sum);
  g_free (data);
  g_free (base);
  return ok;
}

static const gchar *const yunet_outputs[] = {
  "cls_8", "cls_16", "cls_32", "obj_8", "obj_16", "obj_32",
  "bbox_8", "bbox_16", "bbox_32", NULL
};

static const gchar *const ssd_outputs[] = { "detection_out", NULL };

/* Per output column (or row): the two source samples to blend, in one
 * component's coordinates, and the weight of the second. */
typedef struct
{
  gint i0, i1;
  gint w8;                      /* weight of i1, in 1/256 */
} Tap;

struct _FaDetector
{
  gchar *path;
  FaFamily family;
  FaNet *net;
  gint fixed_size;
  const gchar *blaze_outputs[5];

  /* detector input; grows to the largest pass and is then reused */
  gfloat *blob;
  gsize blob_len;
  gint in_w, in_h;

  /* resampling taps of the current pass, per subsampling (0: full
   * resolution, 1: halved); they too only grow */
  gint content_w, content_h;
  Tap *xtaps[2], *ytaps[2];
  gint taps_w, taps_h;
  gfloat *rows;                 /* 3 rows of taps_w samples: R, G, B */
  guint16 *vrow;                /* a source row, interpolated down */
  gint vrow_len;
  guint16 *rows16;              /* 3 rows of taps_w samples, 8 fraction bits */

  GArray *candidates;
  FaPass passes[FA_TILING_MAX_PASSES];

  /* test hook: passes fault_first..fault_last (counted from 1) fail */
  guint64 n_passes, fault_first, fault_last;

  gint64 net_us;                /* wall time spent in the network */
  gint64 net_cpu_us;            /* CPU time of the calling threads in it */
};

const gchar *
fa_family_name (FaFamily family)
{
  switch (family) {
    case FA_FAMILY_YUNET:
      return "YuNet";
    case FA_FAMILY_BLAZEFACE:
      return "BlazeFace";
    case FA_FAMILY_SSD:
      return "res10 SSD (Caffe)";
  }
  return "unknown";
}

static gboolean
has_outputs (FaNet * net, const gchar * const *wanted)
{
  const gchar *const *names = fa_net_get_output_names (net);

  for (guint i = 0; wanted[i]; i++)
    if (!g_strv_contains (names, wanted[i]))
      return FALSE;
  return TRUE;
}

static gboolean
check_readable (const gchar * path, GError ** error)
{
  GStatBuf st;
  FILE *f;

  if (g_stat (path, &st) != 0) {
    g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
        "model file '%s' does not exist: install the models (models/"
        "fetch-models.sh) or set the 'model' property to an existing file",
        path);
    return FALSE;
  }
  if (!S_ISREG (st.st_mode)) {
    g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
        "model path '%s' is not a regular file: point 'model' at the model "
        "file itself", path);
    return FALSE;
  }
  f = g_fopen (path, "rb");
  if (f == NULL) {
    g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
        "model file '%s' cannot be read (%s): check its permissions", path,
        g_strerror (errno));
    return FALSE;
  }
  fclose (f);
  return TRUE;
}

/* The other half of a Caffe model: the first file with @ext next to it. */
static gchar *
find_sibling (const gchar * path, const gchar * ext)
{
  gchar *dir = g_path_get_dirname (path);
  GDir *d = g_dir_open (dir, 0, NULL);
  gchar *found = NULL;
  const gchar *name;

  while (d && !found && (name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ext))
      found = g_build_filename (dir, name, NULL);
  if (d)
    g_dir_close (d);
  g_free (dir);
  return found;
}

/* BlazeFace takes only its own square size; which one it is shows in the
 * output sizes of a trial run, 896 anchors in 512 + 384. */
static gboolean
probe_blazeface (FaDetector * det)
{
  const gchar *const *names = fa_net_get_output_names (det->net);
  gchar *base = g_path_get_basename (det->path);
  /* try the size the name suggests first: a wrong one makes OpenCV log */
  gboolean front = strstr (base, "128") != NULL;
  const gint sizes[2] = { front ? 128 : 256, front ? 256 : 128 };

  g_free (base);

  if (g_strv_length ((gchar **) names) != 4)
    return FALSE;
  for (guint s = 0; s < 2; s++) {
    gint shape[4] = { 1, sizes[s], sizes[s], 3 };
    gfloat *input = g_new0 (gfloat, 3 * sizes[s] * sizes[s]);
    FaTensor outs[4];
    gboolean ok = fa_net_forward (det->net, input, shape, names, outs, NULL);
    const gchar *score_names[2] = { NULL, NULL }, *reg_names[2] = {
      NULL, NULL
    };

    g_free (input);
    if (!ok)
      continue;
    for (guint i = 0; i < 4; i++) {
      if (outs[i].count == 512)
        score_names[0] = names[i];
      else if (outs[i].count == 384)
        score_names[1] = names[i];
      else if (outs[i].count == 512 * 16)
        reg_names[0] = names[i];
      else if (outs[i].count == 384 * 16)
        reg_names[1] = names[i];
    }
    if (score_names[0] && score_names[1] && reg_names[0] && reg_names[1]) {
      det->blaze_outputs[0] = score_names[0];
      det->blaze_outputs[1] = score_names[1];
      det->blaze_outputs[2] = reg_names[0];
      det->blaze_outputs[3] = reg_names[1];
      det->blaze_outputs[4] = NULL;
      det->fixed_size = sizes[s];
      return TRUE;
    }
  }
  return FALSE;
}

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

FaDetector *
fa_detector_new (const gchar * path, GError ** error)
{
  FaDetector *det;
  gchar *lower, *model = NULL, *config = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!check_readable (path, error))
    return NULL;

  det = g_new0 (FaDetector, 1);
  det->path = g_strdup (path);
  parse_fault_injection (det);
  det->candidates = g_array_new (FALSE, FALSE, sizeof (FaBox));
  lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".caffemodel")
      || g_str_has_suffix (lower, ".prototxt")) {
    gboolean is_config = g_str_has_suffix (lower, ".prototxt");

    model = is_config ? find_sibling (path, ".caffemodel") : g_strdup (path);
    config = is_config ? g_strdup (path) : find_sibling (path, ".prototxt");
    if (model == NULL || config == NULL) {
      g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
          "the Caffe model '%s' needs its other half next to it (a "
          ".prototxt with the .caffemodel): put deploy.prototxt and "
          "res10_300x300_ssd_iter_140000.caffemodel in one folder", path);
      goto fail;
    }
    det->family = FA_FAMILY_SSD;
    det->fixed_size = SSD_SIZE;
    det->net = fa_net_new (model, config, error);
    if (det->net == NULL)
      goto fail;
    if (!has_outputs (det->net, ssd_outputs)) {
      g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
          "the Caffe model '%s' has no 'detection_out' output: it is not an "
          "SSD face detector", path);
      goto fail;
    }
  } else if (g_str_has_suffix (lower, ".onnx")) {
    if (!check_known_model (path, error))
      goto fail;
    det->net = fa_net_new (path, NULL, error);
    if (det->net == NULL)
      goto fail;
    if (has_outputs (det->net, yunet_outputs)) {
      det->family = FA_FAMILY_YUNET;
    } else if (probe_blazeface (det)) {
      det->family = FA_FAMILY_BLAZEFACE;
    } else {
      gchar *names = g_strjoinv (", ",
          (gchar **) fa_net_get_output_names (det->net));

      g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
          "the ONNX model '%s' is not a face detector faceanon knows (its "
          "outputs are %s): use YuNet (face_detection_yunet_2023mar.onnx) or "
          "MediaPipe BlazeFace", path, names);
      g_free (names);
      goto fail;
    }
  } else {
    g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
        "'%s' is not a model file faceanon knows: use an .onnx file (YuNet, "
        "BlazeFace) or a Caffe .caffemodel with its .prototxt", path);
    goto fail;
  }

  g_free (lower);
  g_free (model);
  g_free (config);
  return det;

fail:
  g_free (lower);
  g_free (model);
  g_free (config);
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
  g_free (det->blob);
  for (guint i = 0; i < 2; i++) {
    g_free (det->xtaps[i]);
    g_free (det->ytaps[i]);
  }
  g_free (det->rows);
  g_free (det->vrow);
  g_free (det->rows16);
  g_array_unref (det->candidates);
  g_free (det->path);
  g_free (det);
}

FaFamily
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

const gchar *
fa_detector_get_path (FaDetector * det)
{
  return det->path;
}

gint
fa_detector_get_fixed_size (FaDetector * det)
{
  return det->fixed_size;
}

/* Taps for @n_out output samples covering @len full-resolution pixels from
 * @offset, read from a component subsampled by 2^@sub and @n_src samples
 * long (clamped at its ends). */
static void
compute_taps (Tap * taps, gint n_out, gint offset, gint len, gint n_src,
    gint sub)
{
  gdouble scale = (gdouble) len / n_out;

  for (gint o = 0; o < n_out; o++) {
    /* output sample centre -> full-res coordinate -> component coordinate */
    gdouble f = (offset + (o + 0.5) * scale) / (1 << sub) - 0.5;
    gdouble fl = floor (f);
    gint i0 = (gint) fl;

    taps[o].w8 = (gint) lround ((f - fl) * 256.0);
    taps[o].i0 = CLAMP (i0, 0, n_src - 1);
    taps[o].i1 = CLAMP (i0 + 1, 0, n_src - 1);
  }
}

/* Makes room for the input tensor and the taps of this pass. Buffers only
 * grow, so the passes of a frame and the frames of a stream reuse them. */
static void
ensure_geometry (FaDetector * det, const FaImage * img, const FaRect * src,
    gint content_w, gint content_h, gint in_w, gint in_h)
{
  gsize blob_len = (gsize) 3 * in_w * in_h;

  if (blob_len > det->blob_len) {
    g_free (det->blob);
    det->blob = g_new (gfloat, blob_len);
    det->blob_len = blob_len;
  }
  det->in_w = in_w;
  det->in_h = in_h;

  if (content_w > det->taps_w) {
    for (gint sub = 0; sub < 2; sub++)
      det->xtaps[sub] = g_renew (Tap, det->xtaps[sub], content_w);
    det->rows = g_renew (gfloat, det->rows, 3 * (gsize) content_w);
    det->rows16 = g_renew (guint16, det->rows16, 3 * (gsize) content_w);
    det->taps_w = content_w;
  }
  if (img->width > det->vrow_len) {
    det->vrow = g_renew (guint16, det->vrow, img->width);
    det->vrow_len = img->width;
  }
  if (content_h > det->taps_h) {
    for (gint sub = 0; sub < 2; sub++)
      det->ytaps[sub] = g_renew (Tap, det->ytaps[sub], content_h);
    det->taps_h = content_h;
  }
  for (gint sub = 0; sub < 2; sub++) {
    compute_taps (det->xtaps[sub], content_w, src->x0, src->x1 - src->x0,
        (img->width + (1 << sub) - 1) >> sub, sub);
    compute_taps (det->ytaps[sub], content_h, src->y0, src->y1 - src->y0,
        (img->height + (1 << sub) - 1) >> sub, sub);
  }
  det->content_w = content_w;
  det->content_h = content_h;
}

/* Bilinear samples of one output row from one component. */
/* @n samples of one output row of component @c, with 8 fraction bits:
 * bilinear, in two steps so that the heavy one vectorizes and the other
 * stays in integers: the two source rows blended down into det->vrow over
 * the columns the taps read, then one blend of two of those per output
 * sample. */
static void
sample_row (FaDetector * det, const FaComp * c, const Tap * xt,
    const Tap * yt, gint n, guint16 * restrict out)
{
  const guint8 *r0 = c->data + (gsize) yt->i0 * c->stride;
  const guint8 *r1 = c->data + (gsize) yt->i1 * c->stride;
  const gsize ps = c->pstride;
  const guint wy = yt->w8, wy0 = 256 - wy;
  const gint lo = xt[0].i0, hi = MAX (xt[n - 1].i0, xt[n - 1].i1);
  guint16 *restrict v = det->vrow;

  if (ps == 1) {
    for (gint x = lo; x <= hi; x++)
      v[x] = (guint16) (r0[x] * wy0 + r1[x] * wy);
  } else {
    for (gint x = lo; x <= hi; x++)
      v[x] = (guint16) (r0[x * ps] * wy0 + r1[x * ps] * wy);
  }
  for (gint x = 0; x < n; x++) {
    guint w = (guint) xt[x].w8;

    out[x] = (guint16) ((v[xt[x].i0] * (256 - w) + v[xt[x].i1] * w) >> 8);
  }
}

static void
fill_input (FaDetector * det, const FaImage * img)
{
  const gint W = det->in_w, H = det->in_h, cw = det->content_w;
  const gsize plane = (gsize) W * H;
  gfloat *R = det->rows, *G = R + cw, *B = G + cw;
  gfloat ky = 1.f, kc = 1.f, off_y = 0.f;
  gfloat rv = 0.f, gu = 0.f, gv = 0.f, bu = 0.f;
  gfloat pad = det->family == FA_FAMILY_BLAZEFACE ? -1.f : 0.f;

  if (img->model == FA_COLOR_YUV) {
    if (!img->full_range) {
      ky = 255.f / 219.f;
      kc = 255.f / 224.f;
      off_y = 16.f;
    }
    if (img->matrix == FA_MATRIX_BT709) {
      rv = 1.5748f;
      gu = -0.187324f;
      gv = -0.468124f;
      bu = 1.8556f;
    } else {
      rv = 1.402f;
      gu = -0.344136f;
      gv = -0.714136f;
      bu = 1.772f;
    }
  }

  for (gint y = 0; y < H; y++) {
    gsize row = (gsize) y * W;
    gint x0 = 0;

    if (y < det->content_h) {
      guint16 *S0 = det->rows16, *S1 = S0 + cw, *S2 = S1 + cw;
      const gfloat q = 1.0f / 256.0f;

      /* YuNet takes the planes as they are: convert straight into them */
      if (det->family == FA_FAMILY_YUNET) {
        B = det->blob + row;
        G = B + plane;
        R = G + plane;
      }

      if (img->model == FA_COLOR_GRAY) {
        sample_row (det, &img->comp[0], det->xtaps[0], &det->ytaps[0][y],
            cw, S0);
        for (gint x = 0; x < cw; x++)
          R[x] = S0[x] * q;
        memcpy (G, R, sizeof (gfloat) * cw);
        memcpy (B, R, sizeof (gfloat) * cw);
      } else {
        for (guint k = 0; k < 3; k++) {
          const FaComp *c = &img->comp[k];

          sample_row (det, c, det->xtaps[c->wsub], &det->ytaps[c->hsub][y],
              cw, S0 + k * cw);
        }
        if (img->model == FA_COLOR_YUV) {
          for (gint x = 0; x < cw; x++) {
            gfloat Yv = (S0[x] * q - off_y) * ky;
            gfloat U = (S1[x] * q - 128.f) * kc, V = (S2[x] * q - 128.f) * kc;

            R[x] = CLAMP (Yv + rv * V, 0.f, 255.f);
            G[x] = CLAMP (Yv + gu * U + gv * V, 0.f, 255.f);
            B[x] = CLAMP (Yv + bu * U, 0.f, 255.f);
          }
        } else {
          for (gint x = 0; x < cw; x++) {
            R[x] = S0[x] * q;
            G[x] = S1[x] * q;
            B[x] = S2[x] * q;
          }
        }
      }

      switch (det->family) {
        case FA_FAMILY_YUNET:
          break;
        case FA_FAMILY_SSD:
          for (gint x = 0; x < cw; x++) {
            det->blob[row + x] = B[x] - 104.f;
            det->blob[plane + row + x] = G[x] - 177.f;
            det->blob[2 * plane + row + x] = R[x] - 123.f;
          }
          break;
        case FA_FAMILY_BLAZEFACE:
          for (gint x = 0; x < cw; x++) {
            gfloat *px = det->blob + 3 * (row + x);

            px[0] = R[x] / 127.5f - 1.f;
            px[1] = G[x] / 127.5f - 1.f;
            px[2] = B[x] / 127.5f - 1.f;
          }
          break;
      }
      x0 = cw;
    }

    /* padding right of the content, and the rows below it */
    if (det->family == FA_FAMILY_BLAZEFACE) {
      for (gint x = x0; x < W; x++)
        det->blob[3 * (row + x)] = det->blob[3 * (row + x) + 1] =
            det->blob[3 * (row + x) + 2] = pad;
    } else {
      for (gint x = x0; x < W; x++)
        det->blob[row + x] = det->blob[plane + row + x] =
            det->blob[2 * plane + row + x] = pad;
    }
  }
}

gboolean
fa_detector_detect_pass (FaDetector * det, const FaImage * img,
    const FaPass * pass, gfloat threshold, GArray * boxes, GError ** error)
{
  const FaRect *src = &pass->src;
  gint sw = src->x1 - src->x0, sh = src->y1 - src->y0;
  gint cw = pass->in_w, ch = pass->in_h, in_w, in_h;
  gfloat sx, sy;
  FaTensor outs[9];
  const gchar *const *names = NULL;
  gint shape[4];
  gint64 t0, c0;
  gboolean ok;

  g_return_val_if_fail (sw > 0 && sh > 0 && cw > 0 && ch > 0, FALSE);
  g_return_val_if_fail (src->x0 >= 0 && src->y0 >= 0 && src->x1 <= img->width
      && src->y1 <= img->height, FALSE);

  if (det->fixed_size) {
    /* letterboxed into the model's own square */
    gdouble s = (gdouble) det->fixed_size / MAX (sw, sh);

    cw = CLAMP ((gint) lround (sw * s), 1, det->fixed_size);
    ch = CLAMP ((gint) lround (sh * s), 1, det->fixed_size);
    in_w = in_h = det->fixed_size;
  } else {
    /* YuNet's strides need sides that are multiples of 32: pad */
    in_w = (cw + 31) & ~31;
    in_h = (ch + 31) & ~31;
  }

  det->n_passes++;
  if (det->fault_first && det->n_passes >= det->fault_first
      && det->n_passes <= det->fault_last) {
    g_set_error (error, FA_ERROR, FA_ERROR_INFERENCE,
        "the face detection network failed: fault injected by "
        "FACEANON_INJECT_FAULTS (pass %" G_GUINT64_FORMAT ")", det->n_passes);
    return FALSE;
  }

  ensure_geometry (det, img, src, cw, ch, in_w, in_h);
  fill_input (det, img);

  if (det->family == FA_FAMILY_BLAZEFACE) {
    shape[0] = 1;
    shape[1] = in_h;
    shape[2] = in_w;
    shape[3] = 3;
  } else {
    shape[0] = 1;
    shape[1] = 3;
    shape[2] = in_h;
    shape[3] = in_w;
  }

  g_array_set_size (det->candidates, 0);
  switch (det->family) {
    case FA_FAMILY_YUNET:
      names = yunet_outputs;
      break;
    case FA_FAMILY_BLAZEFACE:
      names = det->blaze_outputs;
      break;
    case FA_FAMILY_SSD:
      names = ssd_outputs;
      break;
    default:
      g_assert_not_reached ();
  }
  t0 = g_get_monotonic_time ();
  c0 = fa_thread_cpu_us ();
  ok = fa_net_forward (det->net, det->blob, shape, names, outs, error);
  det->net_cpu_us += fa_thread_cpu_us () - c0;
  det->net_us += g_get_monotonic_time () - t0;
  if (ok) {
    switch (det->family) {
      case FA_FAMILY_YUNET:
        ok = fa_decode_yunet (outs, outs + 3, outs + 6, in_w, in_h,
            threshold, det->candidates, error);
        break;
      case FA_FAMILY_BLAZEFACE:
        ok = fa_decode_blazeface (outs, outs + 2, in_w, threshold,
            det->candidates, error);
        break;
      case FA_FAMILY_SSD:
        ok = fa_decode_ssd (outs, in_w, in_h, threshold, det->candidates,
            error);
        break;
    }
  }
  if (!ok)
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

/* overlap above which boxes from different passes are one face */
/* A face cut by the frame's edge shows the detector part of what it
 * learnt a face to be, and scores lower for it: the half face at the edge
 * of asl/bird.mkv scores between 0.3 and 0.5 (docs/leak-audit.md). A box
 * that reaches within EDGE_MARGIN of the frame's side of an edge is kept
 * from EDGE_FACTOR times the threshold. */
#define EDGE_FACTOR 0.6f
#define EDGE_MARGIN 0.02f

#define MERGE_IOU 0.3f
#define MERGE_CONTAINED 0.7f

gboolean
fa_detector_detect_tiled (FaDetector * det, const FaImage * img,
    gint detection_size, gint min_face_size, gfloat threshold,
    GArray * boxes, GError ** error)
{
  guint first = boxes->len;
  guint n = fa_tiling_plan (img->width, img->height, detection_size,
      min_face_size, det->passes, FA_TILING_MAX_PASSES);
  gfloat mx = MAX (EDGE_MARGIN * img->width, 2.0f);
  gfloat my = MAX (EDGE_MARGIN * img->height, 2.0f);
  guint kept;

  for (guint i = 0; i < n; i++) {
    if (!fa_detector_detect_pass (det, img, &det->passes[i],
            threshold * EDGE_FACTOR, boxes, error)) {
      g_array_set_size (boxes, first);
      return FALSE;
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

gchar **
fa_model_dirs (void)
{
  GPtrArray *dirs = g_ptr_array_new ();
  const gchar *env = g_getenv ("FACEANON_MODEL_DIR");

  if (env && *env)
    g_ptr_array_add (dirs, g_strdup (env));
  g_ptr_array_add (dirs, g_strdup (FACEANON_MODEL_DIR));
  g_ptr_array_add (dirs, NULL);
  return (gchar **) g_ptr_array_free (dirs, FALSE);
}

gchar *
fa_model_find_default (GError ** error)
{
  gchar **dirs = fa_model_dirs ();
  gchar *found = NULL, *where;

  for (guint m = 0; fa_model_preference[m] && !found; m++) {
    for (guint d = 0; dirs[d] && !found; d++) {
      gchar *path = g_build_filename (dirs[d], fa_model_preference[m], NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        found = path;
      else
        g_free (path);
    }
  }
  if (found == NULL) {
    where = g_strjoinv ("', '", dirs);
    g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
        "no face detection model is installed (looked in '%s'): run "
        "models/fetch-models.sh <dir> (tools/install.sh does it), set "
        "FACEANON_MODEL_DIR to that folder, or set the 'model' property",
        where);
    g_free (where);
  }
  g_strfreev (dirs);
  return found;
}
