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
#include "fa-draw.h"
#include "fa-scene.h"
#include "fa-worker.h"

#include <stdio.h>

struct _FaAnon
{
  FaDetector *detector;
  FaMasker *masker;
  FaTracker *tracker;
  FaWorker *worker;             /* async detection, made when first asked */
  GArray *detections;           /* FaBox, of the last detection */
  GArray *faces;                /* FaBox, masked on the last frame */
  GArray *ids;                  /* guint, parallel to faces */
  GArray *regions;              /* FaRect */
  gboolean primed;              /* detections apply to the coming frames */
  FaSceneThumb thumb;           /* of this frame */
  FaSceneThumb detected_thumb;  /* of the frame last given to the detector */
  guint64 scene_cuts;           /* detections forced by a scene change */
  gint64 last_detect_t;         /* ns: the last frame the detector ran on */
  gboolean have_detect_t;
  gint64 prev_frame_t;          /* ns: the frame before this one */
};

FaAnon *
fa_anon_new (const gchar * model_path, GError ** error)
{
  FaDetector *detector = NULL;
  FaAnon *anon;

  if (model_path) {
    detector = fa_detector_new (model_path, error);
    if (detector == NULL)
      return NULL;
  }
  anon = g_new0 (FaAnon, 1);
  anon->detector = detector;
  anon->masker = fa_masker_new ();
  anon->tracker = fa_tracker_new ();
  anon->detections = g_array_new (FALSE, FALSE, sizeof (FaBox));
  anon->faces = g_array_new (FALSE, FALSE, sizeof (FaBox));
  anon->ids = g_array_new (FALSE, FALSE, sizeof (guint));
  anon->regions = g_array_new (FALSE, FALSE, sizeof (FaRect));
  return anon;
}

void
fa_anon_free (FaAnon * anon)
{
  if (anon == NULL)
    return;
  /* the worker uses the detector: it goes first */
  fa_worker_free (anon->worker);
  if (anon->detector)
    fa_detector_free (anon->detector);
  fa_masker_free (anon->masker);
  fa_tracker_free (anon->tracker);
  g_array_unref (anon->detections);
  g_array_unref (anon->faces);
  g_array_unref (anon->ids);
  g_array_unref (anon->regions);
  g_free (anon);
}

FaDetector *
fa_anon_get_detector (FaAnon * anon)
{
  return anon->detector;
}

void
fa_anon_reset (FaAnon * anon)
{
  fa_tracker_reset (anon->tracker);
  if (anon->worker)
    fa_worker_discard (anon->worker);
  g_array_set_size (anon->detections, 0);
  anon->primed = FALSE;
  anon->detected_thumb.valid = FALSE;
  anon->have_detect_t = FALSE;
}

gboolean
fa_anon_get_net_stats (FaAnon * anon, guint64 * passes, gint64 * net_us,
    gint64 * net_cpu_us)
{
  *passes = 0;
  *net_us = *net_cpu_us = 0;
  if (anon->detector == NULL)
    return FALSE;
  if (anon->worker)
    fa_worker_wait (anon->worker);
  fa_detector_get_stats (anon->detector, passes, net_us, net_cpu_us);
  return anon->worker != NULL;
}

guint64
fa_anon_get_scene_cuts (FaAnon * anon)
{
  return anon->scene_cuts;
}

/* Between detections: has the picture changed since the detector last
 * looked at one? Then where faces were says nothing about where they are. */
static gboolean
scene_changed (FaAnon * anon)
{
  if (!anon->detected_thumb.valid)
    return FALSE;
  if (fa_scene_change (&anon->detected_thumb, &anon->thumb) < FA_SCENE_CUT)
    return FALSE;
  anon->scene_cuts++;
  return TRUE;
}

/* Detects into anon->detections, or takes the detections another element
 * made. */
static gboolean
detect (FaAnon * anon, const FaImage * img, const FaAnonParams * params,
    const FaBox * given, guint n_given, GError ** error)
{
  g_array_set_size (anon->detections, 0);
  if (given || anon->detector == NULL) {
    g_array_append_vals (anon->detections, given, n_given);
    return TRUE;
  }
  /* the detector is the worker's while it runs a job */
  if (anon->worker) {
    fa_worker_wait (anon->worker);
    fa_worker_discard (anon->worker);
  }
  anon->detected_thumb = anon->thumb;
  return fa_detector_detect_tiled (anon->detector, img,
      params->detection_size, params->min_face_size, params->threshold,
      anon->detections, error);
}

static void
clear_faces (FaAnon * anon)
{
  g_array_set_size (anon->faces, 0);
  g_array_set_size (anon->ids, 0);
  g_array_set_size (anon->regions, 0);
}

/* A face to mask on this frame, and its region. */
static void
add_face (FaAnon * anon, const FaImage * img, const FaAnonParams * params,
    const FaBox * face, guint id)
{
  FaRect r;

  g_array_append_val (anon->faces, *face);
  g_array_append_val (anon->ids, id);
  if (fa_mask_region (face, params->mask.scale, img->width, img->height, &r))
    g_array_append_val (anon->regions, r);
}

static void
add_detections (FaAnon * anon, const FaImage * img, const FaAnonParams * params)
{
  for (guint i = 0; i < anon->detections->len; i++)
    add_face (anon, img, params, &g_array_index (anon->detections, FaBox, i),
        0);
}

/* The draw method outlines each face's mask region and writes its
 * confidence (and track id) above it, instead of masking. */
static void
draw (FaAnon * anon, FaImage * img, const FaAnonParams * params)
{
  gint t = MAX (2, MIN (img->width, img->height) / 240);

  for (guint i = 0; i < anon->faces->len; i++) {
    const FaBox *f = &g_array_index (anon->faces, FaBox, i);
    guint id = g_array_index (anon->ids, guint, i);
    gchar label[32];
    FaRect r;

    if (!fa_mask_region (f, params->mask.scale, img->width, img->height, &r))
      continue;
    fa_draw_rect (img, &r, params->mask.color, t);
    if (id)
      g_snprintf (label, sizeof (label), "%.2f #%u", f->score, id);
    else
      g_snprintf (label, sizeof (label), "%.2f", f->score);
    fa_draw_text (img, r.x0, MAX (0, r.y0 - 6 * t - t), label,
        params->mask.color, t);
  }
}

void
fa_anon_paint (FaAnon * anon, FaImage * img, const FaAnonParams * params)
{
  if (params->mask.method == FA_METHOD_DRAW) {
    draw (anon, img, params);
    return;
  }
  fa_masker_apply (anon->masker, img, &params->mask,
      (const FaRect *) anon->regions->data, anon->regions->len);
}

/* The async path: see fa-anon.h. */
static gboolean
track_async (FaAnon * anon, const FaImage * img, gint64 t_ns,
    const FaAnonParams * params, FaTrackerParams * tp, gboolean * detected,
    GError ** error)
{
  gint64 t_job = 0, t_result;
  GError *err = NULL;
  gboolean waited = FALSE;

  if (anon->worker == NULL)
    anon->worker = fa_worker_new (anon->detector);

  /* nothing tracked applies yet, or the picture is another one since the
   * frame being detected (a cut): the faces of an earlier frame say
   * nothing about this one, which must wait for its own */
  if (fa_tracker_needs_detection (anon->tracker, t_ns, tp)
      || scene_changed (anon)) {
    fa_worker_wait (anon->worker);
    fa_worker_discard (anon->worker);
    fa_worker_submit (anon->worker, img, t_ns, params->detection_size,
        params->min_face_size, params->threshold);
    anon->detected_thumb = anon->thumb;
    fa_worker_wait (anon->worker);
    waited = TRUE;
  }

  g_array_set_size (anon->detections, 0);
  if (fa_worker_collect (anon->worker, anon->detections, &t_result, &err)) {
    if (err) {
      g_propagate_error (error, err);
      return FALSE;
    }
    /* faces found on an earlier frame stand for this one's; the mask's
     * padding and the track's growth cover the motion in between */
    fa_tracker_update (anon->tracker, t_ns,
        (const FaBox *) anon->detections->data, anon->detections->len, tp);
    *detected = TRUE;
  } else {
    if (fa_worker_pending (anon->worker, &t_job)) {
      if (t_ns - t_job > params->max_lag) {
        g_set_error (error, FA_ERROR, FA_ERROR_BEHIND,
            "face detection fell %" G_GINT64_FORMAT " ms behind the stream "
            "(more than max-lag): the machine is too slow for these "
            "settings; lower detection-size or raise min-face-size",
            (t_ns - t_job) / 1000000);
        return FALSE;
      }
      /* a lost face stays masked while its detection is on its way */
      tp->hold_time += MAX (t_ns - t_job, 0);
    }
    fa_tracker_predict (anon->tracker, t_ns, tp);
    *detected = FALSE;
  }

  /* the worker takes the newest frame whenever it is free */
  if (!waited && fa_worker_submit (anon->worker, img, t_ns,
          params->detection_size, params->min_face_size, params->threshold))
    anon->detected_thumb = anon->thumb;
  return TRUE;
}

gboolean
fa_anon_plan (FaAnon * anon, const FaImage * img, const FaFrame * frame,
    const FaAnonParams * params, gboolean * detected, GError ** error)
{
  const FaBox *given = frame->given;
  guint n_given = frame->n_given;
  gint64 t_ns = frame->t_ns;
  gboolean detect_now = frame->detect;
  FaTrackerParams tp;

  if (frame->still) {
    fa_anon_reset (anon);
    detect_now = TRUE;
  }
  fa_tracker_params_init (&tp, img->width, img->height);
  tp.hold_time = params->hold_time;
  clear_faces (anon);
  /* faces from upstream come with every frame */
  if (given || anon->detector == NULL)
    detect_now = TRUE;
  else
    fa_scene_thumb (img, &anon->thumb);

  if (!params->tracking) {
    /* without tracking, the last faces found stay masked in between,
     * unless the picture changed */
    if (detect_now || !anon->primed || scene_changed (anon)) {
      if (!detect (anon, img, params, given, n_given, error))
        return FALSE;
      anon->primed = TRUE;
      detect_now = TRUE;
    }
    add_detections (anon, img, params);
  } else {
    const FaTrack *tracks;
    guint n;

    if (params->async && !given && anon->detector && !frame->still) {
      if (!track_async (anon, img, t_ns, params, &tp, &detect_now, error))
        return FALSE;
    } else {
      /* hold-time counts the time the detector looked without finding
       * a face: with detect-interval, a track is not dropped between
       * detections, and on the frame the detector runs again, the frames
       * it skipped since it last ran do not count. With every frame
       * detected, both are nothing. */
      gint64 skipped = 0, unseen = 0;

      if (anon->have_detect_t) {
        unseen = MAX (t_ns - anon->last_detect_t, 0);
        skipped = MAX (anon->prev_frame_t - anon->last_detect_t, 0);
      }
      /* (a jump in time is judged by hold-time itself) */
      if (!detect_now && (fa_tracker_needs_detection (anon->tracker, t_ns,
                  &tp) || scene_changed (anon)))
        detect_now = TRUE;
      tp.hold_time += detect_now ? skipped : unseen;
      if (detect_now) {
        if (!detect (anon, img, params, given, n_given, error))
          return FALSE;
        fa_tracker_update (anon->tracker, t_ns,
            (const FaBox *) anon->detections->data, anon->detections->len, &tp);
        anon->last_detect_t = t_ns;
        anon->have_detect_t = TRUE;
        detect_now = TRUE;
      } else {
        fa_tracker_predict (anon->tracker, t_ns, &tp);
      }
      anon->prev_frame_t = t_ns;
    }

    tracks = fa_tracker_get_tracks (anon->tracker, &n);
    for (guint i = 0; i < n; i++)
      add_face (anon, img, params, &tracks[i].box, tracks[i].id);
  }
  if (detected)
    *detected = detect_now;
  return TRUE;
}

void
fa_anon_mask_regions (FaAnon * anon, FaImage * img, const FaMaskParams * mask,
    const FaRect * regions, guint n_regions)
{
  fa_masker_apply (anon->masker, img, mask, regions, n_regions);
}

const FaBox *
fa_anon_get_faces (FaAnon * anon, guint * n_faces)
{
  *n_faces = anon->faces->len;
  return (const FaBox *) anon->faces->data;
}

const guint *
fa_anon_get_ids (FaAnon * anon, guint * n_ids)
{
  *n_ids = anon->ids->len;
  return (const guint *) anon->ids->data;
}

const FaRect *
fa_anon_get_regions (FaAnon * anon, guint * n_regions)
{
  *n_regions = anon->regions->len;
  return (const FaRect *) anon->regions->data;
}
