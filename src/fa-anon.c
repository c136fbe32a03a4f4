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

#include "fa-anon.h"
#include "fa-decode.h"

/* overlap above which boxes from different passes are one face */
#define MERGE_IOU 0.3f
#define MERGE_CONTAINED 0.7f

struct _FaAnon
{
  FaDetector *detector;
  FaMasker *masker;
  GArray *faces;                /* FaBox */
  GArray *regions;              /* FaRect */
  FaPass passes[FA_TILING_MAX_PASSES];
};

FaAnon *
fa_anon_new (const gchar * model_path, GError ** error)
{
  FaDetector *detector = fa_detector_new (model_path, error);
  FaAnon *anon;

  if (detector == NULL)
    return NULL;
  anon = g_new0 (FaAnon, 1);
  anon->detector = detector;
  anon->masker = fa_masker_new ();
  anon->faces = g_array_new (FALSE, FALSE, sizeof (FaBox));
  anon->regions = g_array_new (FALSE, FALSE, sizeof (FaRect));
  return anon;
}

void
fa_anon_free (FaAnon * anon)
{
  if (anon == NULL)
    return;
  fa_detector_free (anon->detector);
  fa_masker_free (anon->masker);
  g_array_unref (anon->faces);
  g_array_unref (anon->regions);
  g_free (anon);
}

FaDetector *
fa_anon_get_detector (FaAnon * anon)
{
  return anon->detector;
}

gboolean
fa_anon_detect (FaAnon * anon, const FaImage * img,
    const FaAnonParams * params, GError ** error)
{
  guint n_passes;

  g_array_set_size (anon->faces, 0);
  g_array_set_size (anon->regions, 0);
  n_passes = fa_tiling_plan (img->width, img->height, params->detection_size,
      params->min_face_size, anon->passes, FA_TILING_MAX_PASSES);
  for (guint i = 0; i < n_passes; i++)
    if (!fa_detector_detect_pass (anon->detector, img, &anon->passes[i],
            params->threshold, anon->faces, error))
      return FALSE;
  if (n_passes > 1) {
    fa_boxes_nms (anon->faces, MERGE_IOU);
    fa_boxes_drop_contained (anon->faces, MERGE_CONTAINED);
  }

  for (guint i = 0; i < anon->faces->len; i++) {
    FaRect r;

    if (fa_mask_region (&g_array_index (anon->faces, FaBox, i),
            params->mask.scale, img->width, img->height, &r))
      g_array_append_val (anon->regions, r);
  }
  return TRUE;
}

gboolean
fa_anon_process (FaAnon * anon, FaImage * img, const FaAnonParams * params,
    GError ** error)
{
  if (!fa_anon_detect (anon, img, params, error))
    return FALSE;
  fa_masker_apply (anon->masker, img, &params->mask,
      (const FaRect *) anon->regions->data, anon->regions->len);
  return TRUE;
}

const FaBox *
fa_anon_get_faces (FaAnon * anon, guint * n_faces)
{
  *n_faces = anon->faces->len;
  return (const FaBox *) anon->faces->data;
}

const FaRect *
fa_anon_get_regions (FaAnon * anon, guint * n_regions)
{
  *n_regions = anon->regions->len;
  return (const FaRect *) anon->regions->data;
}
