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
#include "fa-lookahead.h"
#include "fa-scene.h"
#include "fa-schedule.h"
#include "fa-worker.h"

#include <string.h>

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
  gint64 last_detect_t;         /* ns: the last frame the detector ran on */
  gboolean have_detect_t;

  /* which passes each detection runs (fa-schedule.h) and what they
   * searched, for the tracker */
  FaSchedule *schedule;
  FaPass passes[FA_TILING_MAX_PASSES];
  FaSearch searched[FA_TILING_MAX_PASSES];
  guint n_searched;
  gint64 period_ns;             /* between detection frames, smoothed */
  gint64 last_submit_t;         /* ns: the last frame given the detector */
  gboolean have_submit_t;
  FaAnonCounts counts;

  /* the look-ahead: frames held, and whether this frame began a new
   * picture */
  FaLookahead *lookahead;
  gboolean frame_cut;
  GArray *release_faces;        /* FaBox, scratch of fa_anon_release */
  GArray *release_ids;          /* guint */
};

/* Until two detection frames tell it, the time between them is taken to
 * be a frame at 30 fps; then it follows the stream with this weight per
 * detection frame. */
#define DEFAULT_PERIOD_NS (G_GINT64_CONSTANT (1000000000) / 30)
#define PERIOD_SMOOTHING 0.1

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
  anon->schedule = fa_schedule_new ();
  anon->lookahead = fa_lookahead_new ();
  anon->release_faces = g_array_new (FALSE, FALSE, sizeof (FaBox));
  anon->release_ids = g_array_new (FALSE, FALSE, sizeof (guint));
  anon->period_ns = DEFAULT_PERIOD_NS;
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
  fa_schedule_free (anon->schedule);
  fa_lookahead_free (anon->lookahead);
  g_array_unref (anon->release_faces);
  g_array_unref (anon->release_ids);
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
  anon->have_submit_t = FALSE;
  anon->n_searched = 0;
  fa_schedule_restart (anon->schedule);
}

void
fa_anon_drop_held (FaAnon * anon)
{
  fa_lookahead_reset (anon->lookahead);
}

const FaAnonCounts *
fa_anon_get_counts (FaAnon * anon)
{
  anon->counts.n_tiles = fa_schedule_n_tiles (anon->schedule);
  return &anon->counts;
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

/* Has the picture changed since the detector last looked at one? Then
 * where faces were says nothing about where they are, and the sweep of
 * the tiles starts again. */
static gboolean
is_cut (FaAnon * anon)
{
  if (!anon->detected_thumb.valid)
    return FALSE;
  return fa_scene_change (&anon->detected_thumb, &anon->thumb) >= FA_SCENE_CUT;
}

/* Between detections: a cut forces one (and is counted). */
static gboolean
scene_changed (FaAnon * anon)
{
  if (!is_cut (anon))
    return FALSE;
  anon->counts.scene_cuts++;
  return TRUE;
}

typedef enum
{
  PASSES_NEXT,                  /* the whole frame and the tiles due */
  PASSES_WHOLE,                 /* the whole frame: a frame waits for it */
  PASSES_ALL                    /* the whole frame and every tile */
} PassChoice;

/* The passes the detector runs on this frame, into anon->passes: with
 * params->sweep_time, the tiles are spread over the detection frames so
 * that they cover the frame within about that time (fa-schedule.h). The
 * frame becomes the one last given to the detector. */
static guint
choose_passes (FaAnon * anon, const FaImage * img, gint64 t_ns,
    const FaAnonParams * params, PassChoice choice)
{
  const FaTrack *tracks;
  guint n_tracks, n_tiles, period;

  fa_schedule_configure (anon->schedule, img->width, img->height,
      params->detection_size, params->min_face_size);
  n_tiles = fa_schedule_n_tiles (anon->schedule);
  if (anon->have_submit_t && t_ns > anon->last_submit_t) {
    gint64 dt = MIN (t_ns - anon->last_submit_t, 1000000000);

    anon->period_ns += (gint64) (PERIOD_SMOOTHING * (dt - anon->period_ns));
  }
  anon->last_submit_t = t_ns;
  anon->have_submit_t = TRUE;
  if (is_cut (anon))
    fa_schedule_restart (anon->schedule);
  anon->detected_thumb = anon->thumb;

  /* without tracking nothing holds a face between the visits of its
   * tile: every tile is searched each time */
  if (choice == PASSES_NEXT && (!params->tracking || params->sweep_time <= 0))
    choice = PASSES_ALL;
  if (choice == PASSES_ALL) {
    anon->counts.rotation = n_tiles ? 1 : 0;
    return fa_schedule_all (anon->schedule, anon->passes);
  }
  if (choice == PASSES_WHOLE)
    return fa_schedule_whole (anon->schedule, anon->passes);

  period = (guint) CLAMP (params->sweep_time / MAX (anon->period_ns, 1), 1,
      G_MAXINT);
  anon->counts.rotation = n_tiles ? MIN (period, n_tiles) : 0;
  tracks = fa_tracker_get_tracks (anon->tracker, &n_tracks);
  return fa_schedule_next (anon->schedule, period, tracks, n_tracks,
      params->sweep_time / 4, anon->passes);
}

/* Detects into anon->detections, or takes the detections another element
 * made. */
static gboolean
detect (FaAnon * anon, const FaImage * img, gint64 t_ns,
    const FaAnonParams * params, const FaBox * given, guint n_given,
    PassChoice choice, GError ** error)
{
  guint n;

  g_array_set_size (anon->detections, 0);
  anon->n_searched = 0;
  if (given || anon->detector == NULL) {
    g_array_append_vals (anon->detections, given, n_given);
    return TRUE;
  }
  /* the detector is the worker's while it runs a job */
  if (anon->worker) {
    fa_worker_wait (anon->worker);
    fa_worker_discard (anon->worker);
  }
  n = choose_passes (anon, img, t_ns, params, choice);
  if (!fa_detector_detect_passes (anon->detector, img, anon->passes, n,
          params->threshold, anon->detections, anon->searched, error))
    return FALSE;
  anon->n_searched = n;
  anon->counts.frame_passes += n;
  return TRUE;
}

/* The tracker takes this frame's detections, knowing what they searched. */
static void
update_tracks (FaAnon * anon, gint64 t_ns, const FaTrackerParams * tp)
{
  fa_tracker_update_searched (anon->tracker, t_ns,
      (const FaBox *) anon->detections->data, anon->detections->len,
      anon->n_searched ? anon->searched : NULL, anon->n_searched, tp);
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
  guint n;

  if (anon->worker == NULL)
    anon->worker = fa_worker_new (anon->detector);

  /* nothing tracked applies yet, or the picture is another one since the
   * frame being detected (a cut): the faces of an earlier frame say
   * nothing about this one, which must wait for its own; for the
   * whole-frame pass only, so that the tiles never make a frame late */
  if (fa_tracker_needs_detection (anon->tracker, t_ns, tp)
      || scene_changed (anon)) {
    fa_worker_wait (anon->worker);
    fa_worker_discard (anon->worker);
    n = choose_passes (anon, img, t_ns, params, PASSES_WHOLE);
    fa_worker_submit (anon->worker, img, t_ns, anon->passes, n,
        params->threshold);
    fa_worker_wait (anon->worker);
    anon->counts.frame_passes += n;
    waited = TRUE;
  }

  g_array_set_size (anon->detections, 0);
  if (fa_worker_collect (anon->worker, anon->detections, anon->searched,
          &anon->n_searched, &t_result, &err)) {
    if (err) {
      g_propagate_error (error, err);
      return FALSE;
    }
    /* faces found on an earlier frame stand for this one's; the mask's
     * padding and the track's growth cover the motion in between */
    update_tracks (anon, t_ns, tp);
    *detected = TRUE;
  } else {
    if (fa_worker_pending (anon->worker, &t_job)) {
      if (t_ns - t_job > params->max_lag) {
        g_set_error (error, FA_ERROR, FA_ERROR_BEHIND,
            "face detection fell %" G_GINT64_FORMAT " ms behind the stream, "
            "more than the %" G_GINT64_FORMAT " ms allowed",
            (t_ns - t_job) / 1000000, params->max_lag / 1000000);
        return FALSE;
      }
      /* a lost face stays masked while its detection is on its way */
      tp->hold_time += MAX (t_ns - t_job, 0);
    }
    fa_tracker_predict (anon->tracker, t_ns, tp);
    *detected = FALSE;
  }

  /* the worker takes the newest frame whenever it is free */
  if (!waited && !fa_worker_pending (anon->worker, NULL)) {
    n = choose_passes (anon, img, t_ns, params, PASSES_NEXT);
    fa_worker_submit (anon->worker, img, t_ns, anon->passes, n,
        params->threshold);
  }
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
  anon->frame_cut = FALSE;
  if (given || anon->detector == NULL) {
    detect_now = TRUE;
  } else {
    fa_scene_thumb (img, &anon->thumb);
    anon->frame_cut = !frame->still && is_cut (anon);
  }

  if (!params->tracking) {
    /* without tracking, the last faces found stay masked in between,
     * unless the picture changed */
    if (detect_now || !anon->primed || scene_changed (anon)) {
      if (!detect (anon, img, t_ns, params, given, n_given,
              frame->still ? PASSES_ALL : PASSES_NEXT, error))
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
       * detections (the frames since the last detection are added to the
       * hold), and on the frame the detector runs again, the tracker does
       * not count the frames skipped since a search last looked where
       * the face is (fa_tracker_update_searched). */
      gint64 unseen = 0;

      if (anon->have_detect_t)
        unseen = MAX (t_ns - anon->last_detect_t, 0);
      /* (a jump in time is judged by hold-time itself) */
      if (!detect_now && (fa_tracker_needs_detection (anon->tracker, t_ns,
                  &tp) || scene_changed (anon)))
        detect_now = TRUE;
      if (!detect_now)
        tp.hold_time += unseen;
      if (detect_now) {
        if (!detect (anon, img, t_ns, params, given, n_given,
                frame->still ? PASSES_ALL : PASSES_NEXT, error))
          return FALSE;
        update_tracks (anon, t_ns, &tp);
        anon->last_detect_t = t_ns;
        anon->have_detect_t = TRUE;
        detect_now = TRUE;
      } else {
        fa_tracker_predict (anon->tracker, t_ns, &tp);
      }
    }

    tracks = fa_tracker_get_tracks (anon->tracker, &n);
    for (guint i = 0; i < n; i++)
      add_face (anon, img, params, &tracks[i].box, tracks[i].id);
  }
  anon->counts.detections += detect_now;
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

void
fa_anon_hold (FaAnon * anon, gint64 t_ns, gint width, gint height,
    const FaAnonParams * params)
{
  const FaTrack *tracks;
  guint n;

  tracks = fa_tracker_get_tracks (anon->tracker, &n);
  if (!params->tracking) {
    /* without tracking: the faces, each on its own */
    FaTrack *own = g_newa (FaTrack, anon->faces->len);

    memset (own, 0, anon->faces->len * sizeof (FaTrack));
    for (guint i = 0; i < anon->faces->len; i++) {
      own[i].box = g_array_index (anon->faces, FaBox, i);
      own[i].detected = TRUE;
    }
    tracks = own;
    n = anon->faces->len;
  }
  fa_lookahead_push (anon->lookahead, t_ns, tracks, n, anon->frame_cut,
      width, height);
}

guint
fa_anon_held (FaAnon * anon, gint64 * oldest_t_ns)
{
  if (oldest_t_ns && !fa_lookahead_oldest (anon->lookahead, oldest_t_ns))
    *oldest_t_ns = 0;
  return fa_lookahead_len (anon->lookahead);
}

void
fa_anon_release (FaAnon * anon, const FaImage * img,
    const FaAnonParams * params)
{
  clear_faces (anon);
  g_array_set_size (anon->release_faces, 0);
  g_array_set_size (anon->release_ids, 0);
  fa_lookahead_pop (anon->lookahead, FA_TRACKER_DEFAULT_GROWTH,
      anon->release_faces, anon->release_ids);
  for (guint i = 0; i < anon->release_faces->len; i++)
    add_face (anon, img, params, &g_array_index (anon->release_faces, FaBox,
            i), g_array_index (anon->release_ids, guint, i));
}
