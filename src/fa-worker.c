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

#include "fa-worker.h"

#include <string.h>

typedef enum
{
  IDLE,
  RUNNING,
  DONE
} State;

struct _FaWorker
{
  FaDetector *detector;
  GThread *thread;
  GMutex lock;
  GCond cond;
  gboolean quit;
  State state;
  guint generation;             /* bumped by discard: stale results dropped */

  /* the job: a private copy of the frame, in its own layout */
  FaImage img;
  guint8 *pixels;
  gsize pixels_len;
  gint64 t_ns;
  FaPass passes[FA_TILING_MAX_PASSES];
  guint n_passes;
  gfloat threshold;
  guint job_generation;

  /* the result */
  GArray *boxes;
  FaSearch searched[FA_TILING_MAX_PASSES];
  GError *error;
};

static gboolean
run_job (FaWorker * w, GError ** error)
{
  g_array_set_size (w->boxes, 0);
  return fa_detector_detect_passes (w->detector, &w->img, w->passes,
      w->n_passes, w->threshold, w->boxes, w->searched, error);
}

static gpointer
worker_main (gpointer data)
{
  FaWorker *w = data;

  g_mutex_lock (&w->lock);
  while (TRUE) {
    GError *err = NULL;
    gboolean ok;

    while (!w->quit && w->state != RUNNING)
      g_cond_wait (&w->cond, &w->lock);
    if (w->quit)
      break;

    /* the job's data is only touched by this thread while RUNNING */
    g_mutex_unlock (&w->lock);
    ok = run_job (w, &err);
    g_mutex_lock (&w->lock);

    if (!ok)
      g_array_set_size (w->boxes, 0);
    g_clear_error (&w->error);
    w->error = err;
    w->state = w->job_generation == w->generation ? DONE : IDLE;
    g_cond_broadcast (&w->cond);
  }
  g_mutex_unlock (&w->lock);
  return NULL;
}

FaWorker *
fa_worker_new (FaDetector * detector)
{
  FaWorker *w = g_new0 (FaWorker, 1);

  w->detector = detector;
  w->boxes = g_array_new (FALSE, FALSE, sizeof (FaBox));
  g_mutex_init (&w->lock);
  g_cond_init (&w->cond);
  w->thread = g_thread_new ("faceanon-detect", worker_main, w);
  return w;
}

void
fa_worker_free (FaWorker * w)
{
  if (w == NULL)
    return;
  g_mutex_lock (&w->lock);
  w->quit = TRUE;
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->lock);
  g_thread_join (w->thread);
  g_mutex_clear (&w->lock);
  g_cond_clear (&w->cond);
  g_array_unref (w->boxes);
  g_clear_error (&w->error);
  g_free (w->pixels);
  g_free (w);
}

/* Copies every component into one block, keeping each one's layout but
 * with tight rows; the block only grows. */
static void
copy_image (FaWorker * w, const FaImage * img)
{
  gsize need = 0, at = 0;

  for (guint k = 0; k < img->n_comps; k++)
    need += (gsize) img->comp[k].width * img->comp[k].height;
  if (need > w->pixels_len) {
    g_free (w->pixels);
    w->pixels = g_malloc (need);
    w->pixels_len = need;
  }
  w->img = *img;
  for (guint k = 0; k < img->n_comps; k++) {
    const FaComp *c = &img->comp[k];
    FaComp *d = &w->img.comp[k];

    d->data = w->pixels + at;
    d->pstride = 1;
    d->stride = c->width;
    for (gint y = 0; y < c->height; y++) {
      const guint8 *s = c->data + (gsize) y * c->stride;
      guint8 *o = d->data + (gsize) y * d->stride;

      if (c->pstride == 1) {
        memcpy (o, s, c->width);
      } else {
        for (gint x = 0; x < c->width; x++)
          o[x] = s[(gsize) x * c->pstride];
      }
    }
    at += (gsize) c->width * c->height;
  }
}

gboolean
fa_worker_submit (FaWorker * w, const FaImage * img, gint64 t_ns,
    const FaPass * passes, guint n_passes, gfloat threshold)
{
  g_return_val_if_fail (n_passes >= 1 && n_passes <= FA_TILING_MAX_PASSES,
      FALSE);
  g_mutex_lock (&w->lock);
  if (w->state != IDLE) {
    g_mutex_unlock (&w->lock);
    return FALSE;
  }
  copy_image (w, img);
  w->t_ns = t_ns;
  memcpy (w->passes, passes, n_passes * sizeof (FaPass));
  w->n_passes = n_passes;
  w->threshold = threshold;
  w->job_generation = w->generation;
  w->state = RUNNING;
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->lock);
  return TRUE;
}

gboolean
fa_worker_pending (FaWorker * w, gint64 * t_ns)
{
  gboolean pending;

  g_mutex_lock (&w->lock);
  pending = w->state != IDLE;
  if (pending && t_ns)
    *t_ns = w->t_ns;
  g_mutex_unlock (&w->lock);
  return pending;
}

gboolean
fa_worker_collect (FaWorker * w, GArray * boxes, FaSearch * searched,
    guint * n_searched, gint64 * t_ns, GError ** error)
{
  g_mutex_lock (&w->lock);
  if (w->state != DONE) {
    g_mutex_unlock (&w->lock);
    return FALSE;
  }
  if (w->error) {
    g_propagate_error (error, w->error);
    w->error = NULL;
  } else {
    g_array_append_vals (boxes, w->boxes->data, w->boxes->len);
    memcpy (searched, w->searched, w->n_passes * sizeof (FaSearch));
    *n_searched = w->n_passes;
  }
  *t_ns = w->t_ns;
  w->state = IDLE;
  g_mutex_unlock (&w->lock);
  return TRUE;
}

void
fa_worker_discard (FaWorker * w)
{
  g_mutex_lock (&w->lock);
  w->generation++;
  if (w->state == DONE)
    w->state = IDLE;
  g_clear_error (&w->error);
  g_mutex_unlock (&w->lock);
}

void
fa_worker_wait (FaWorker * w)
{
  g_mutex_lock (&w->lock);
  while (w->state == RUNNING)
    g_cond_wait (&w->cond, &w->lock);
  g_mutex_unlock (&w->lock);
}
