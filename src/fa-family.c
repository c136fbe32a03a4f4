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

#include "fa-family.h"
#include "fa-decode.h"

#include <string.h>

/* ---- the decoders, with one signature ---- */

static gboolean
decode_yunet (const FaTensor * outs, gint in_w, gint in_h, gfloat threshold,
    GArray * boxes, GError ** error)
{
  return fa_decode_yunet (outs, outs + 3, outs + 6, in_w, in_h, threshold,
      boxes, error);
}

static gboolean
decode_blazeface (const FaTensor * outs, gint in_w, gint in_h,
    gfloat threshold, GArray * boxes, GError ** error)
{
  return fa_decode_blazeface (outs, outs + 2, in_w, threshold, boxes, error);
}

static gboolean
decode_ssd (const FaTensor * outs, gint in_w, gint in_h, gfloat threshold,
    GArray * boxes, GError ** error)
{
  return fa_decode_ssd (outs, in_w, in_h, threshold, boxes, error);
}

/* BlazeFace takes only its own square size; which one it is shows in the
 * output sizes of a trial run, 896 anchors in 512 + 384. */
static gboolean
probe_blazeface (FaNet * net, const gchar * path, FaModelSetup * setup)
{
  const gchar *const *names = fa_net_get_output_names (net);
  gchar *base = g_path_get_basename (path);
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
    gboolean ok = fa_net_forward (net, input, shape, names, outs, NULL);
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
      setup->outputs[0] = score_names[0];
      setup->outputs[1] = score_names[1];
      setup->outputs[2] = reg_names[0];
      setup->outputs[3] = reg_names[1];
      setup->outputs[4] = NULL;
      setup->fixed_size = sizes[s];
      return TRUE;
    }
  }
  return FALSE;
}

static const gchar *const yunet_outputs[] = {
  "cls_8", "cls_16", "cls_32", "obj_8", "obj_16", "obj_32",
  "bbox_8", "bbox_16", "bbox_32", NULL
};

static const gchar *const ssd_outputs[] = { "detection_out", NULL };

/* In order of recognition: a network is of the first family whose outputs
 * it has, or whose probe accepts it. */
static const FaFamily families[] = {
  {
        .name = "YuNet",
        /* BGR, 0..255 as it is, any size with sides a multiple of 32 */
        .input = {FA_LAYOUT_NCHW, FA_ORDER_BGR, {0, 0, 0}, {1, 1, 1}, 0.f},
        .align = 32,
        .outputs = yunet_outputs,
        .decode = decode_yunet,
      },
  {
        .name = "BlazeFace",
        .weakness = "misses most faces smaller than about a tenth of the "
        "frame's side, which YuNet finds",
        /* RGB scaled to [-1, 1], 128 or 256 square (probed) */
        .input = {FA_LAYOUT_NHWC, FA_ORDER_RGB, {127.5f, 127.5f, 127.5f},
            {127.5f, 127.5f, 127.5f}, -1.f},
        .probe = probe_blazeface,
        .decode = decode_blazeface,
      },
  {
        .name = "res10 SSD (Caffe)",
        .weakness = "misses most small and turned faces, which YuNet finds",
        .caffe = TRUE,
        .input = {FA_LAYOUT_NCHW, FA_ORDER_BGR, {104.f, 177.f, 123.f},
            {1, 1, 1}, 0.f},
        .fixed_size = 300,
        .outputs = ssd_outputs,
        .decode = decode_ssd,
      },
};

static gboolean
has_outputs (FaNet * net, const gchar * const *wanted)
{
  const gchar *const *names = fa_net_get_output_names (net);

  for (guint i = 0; wanted[i]; i++)
    if (!g_strv_contains (names, wanted[i]))
      return FALSE;
  return TRUE;
}

const FaFamily *
fa_family_recognise (FaNet * net, const gchar * path, gboolean caffe,
    FaModelSetup * setup)
{
  for (guint f = 0; f < G_N_ELEMENTS (families); f++) {
    const FaFamily *fam = &families[f];

    if (fam->caffe != caffe)
      continue;
    memset (setup, 0, sizeof (*setup));
    setup->fixed_size = fam->fixed_size;
    if (fam->outputs && has_outputs (net, fam->outputs)) {
      for (guint i = 0; fam->outputs[i] && i < FA_FAMILY_MAX_OUTPUTS; i++)
        setup->outputs[i] = fam->outputs[i];
      return fam;
    }
    if (fam->probe && fam->probe (net, path, setup))
      return fam;
  }
  return NULL;
}

gchar *
fa_family_list (gboolean caffe)
{
  GString *s = g_string_new (NULL);

  for (guint f = 0; f < G_N_ELEMENTS (families); f++) {
    if (families[f].caffe != caffe)
      continue;
    if (s->len)
      g_string_append (s, ", ");
    g_string_append (s, families[f].name);
  }
  return g_string_free (s, FALSE);
}
