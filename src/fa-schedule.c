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

#include "fa-schedule.h"

#include <string.h>

/* A small track's tile is brought forward once this share of a rotation,
 * and at least this many detection frames, have passed since the tile's
 * last visit: within a short rotation the tracker holds the face until
 * the next visit anyway, and each extra visit costs a pass
 * (docs/benchmarks.md, "Small faces in wide scenes"). */
#define PRIORITY_GAP_SHARE 2
#define PRIORITY_GAP_MIN 4

/* A track narrower than this many times the whole-frame pass's smallest
 * face is left to the tiles. */
#define SMALL_FACTOR 1.25f

struct _FaSchedule
{
  gint width, height, detection_size, min_face_size;
  FaPass plan[FA_TILING_MAX_PASSES];    /* the whole frame, then the tiles */
  guint n_plan;
  gint64 last[FA_TILING_MAX_PASSES];    /* detection frame of each visit */
  guint cursor;                 /* next tile of the rotation, from 0 */
  gint64 frame;                 /* detection frames since the restart */
};

FaSchedule *
fa_schedule_new (void)
{
  FaSchedule *sched = g_new0 (FaSchedule, 1);

  return sched;
}

void
fa_schedule_free (FaSchedule * sched)
{
  g_free (sched);
}

void
fa_schedule_restart (FaSchedule * sched)
{
  sched->cursor = 0;
  sched->frame = 0;
  for (guint i = 0; i < FA_TILING_MAX_PASSES; i++)
    sched->last[i] = G_MININT64 / 2;
}

void
fa_schedule_configure (FaSchedule * sched, gint width, gint height,
    gint detection_size, gint min_face_size)
{
  if (sched->n_plan > 0 && width == sched->width && height == sched->height
      && detection_size == sched->detection_size
      && min_face_size == sched->min_face_size)
    return;
  sched->width = width;
  sched->height = height;
  sched->detection_size = detection_size;
  sched->min_face_size = min_face_size;
  sched->n_plan = fa_tiling_plan (width, height, detection_size,
      min_face_size, sched->plan, FA_TILING_MAX_PASSES);
  fa_schedule_restart (sched);
}

guint
fa_schedule_n_tiles (FaSchedule * sched)
{
  return sched->n_plan > 0 ? sched->n_plan - 1 : 0;
}

gfloat
fa_schedule_whole_min_face (FaSchedule * sched)
{
  g_return_val_if_fail (sched->n_plan > 0, 0.f);
  return fa_tiling_min_face (&sched->plan[0]);
}

guint
fa_schedule_all (FaSchedule * sched, FaPass * passes)
{
  memcpy (passes, sched->plan, sched->n_plan * sizeof (FaPass));
  return sched->n_plan;
}

guint
fa_schedule_whole (FaSchedule * sched, FaPass * passes)
{
  g_return_val_if_fail (sched->n_plan > 0, 0);
  passes[0] = sched->plan[0];
  return 1;
}

/* The tile (index into plan, from 1) that finds a face of @w x @h centred
 * at @cx, @cy best: at a scale that sees its size, whole, and furthest
 * from the tile's edges; 0 when none does. */
static guint
tile_of (const FaSchedule * sched, gdouble cx, gdouble cy, gdouble w, gdouble h)
{
  gdouble x0 = CLAMP (cx - w / 2, 0, sched->width);
  gdouble x1 = CLAMP (cx + w / 2, 0, sched->width);
  gdouble y0 = CLAMP (cy - h / 2, 0, sched->height);
  gdouble y1 = CLAMP (cy + h / 2, 0, sched->height);
  gdouble best_margin = -1.0;
  guint best = 0;

  for (guint i = 1; i < sched->n_plan; i++) {
    const FaRect *r = &sched->plan[i].src;
    gdouble margin;

    if (x0 < r->x0 || x1 > r->x1 || y0 < r->y0 || y1 > r->y1
        || fa_tiling_min_face (&sched->plan[i]) > w)
      continue;
    margin = MIN (MIN (x0 - r->x0, r->x1 - x1), MIN (y0 - r->y0, r->y1 - y1));
    if (margin > best_margin) {
      best_margin = margin;
      best = i;
    }
  }
  return best;
}

static gboolean
chosen (const FaPass * passes, guint n, const FaPass * p)
{
  for (guint i = 0; i < n; i++)
    if (memcmp (&passes[i], p, sizeof (FaPass)) == 0)
      return TRUE;
  return FALSE;
}

guint
fa_schedule_next (FaSchedule * sched, guint period, const FaTrack * tracks,
    guint n_tracks, gint64 lead_ns, FaPass * passes)
{
  guint n_tiles = fa_schedule_n_tiles (sched), share, rotation, n = 0;
  gint64 gap, overdue = -1;
  guint urgent = 0;
  gfloat small;

  g_return_val_if_fail (sched->n_plan > 0, 0);
  passes[n++] = sched->plan[0];
  if (n_tiles == 0)
    return n;
  if (period <= 1) {
    sched->frame++;
    return fa_schedule_all (sched, passes);
  }

  share = (n_tiles + period - 1) / period;
  rotation = (n_tiles + share - 1) / share;
  for (guint k = 0; k < share; k++) {
    guint i = 1 + sched->cursor;

    passes[n++] = sched->plan[i];
    sched->last[i] = sched->frame;
    sched->cursor = (sched->cursor + 1) % n_tiles;
  }

  /* the most overdue tile of a small tracked face, where it is or where
   * it is heading */
  small = fa_schedule_whole_min_face (sched) * SMALL_FACTOR;
  gap = MAX (PRIORITY_GAP_MIN, rotation / PRIORITY_GAP_SHARE);
  for (guint t = 0; t < n_tracks; t++) {
    const FaTrack *tr = &tracks[t];
    gdouble cx = tr->box.x + tr->box.w / 2, cy = tr->box.y + tr->box.h / 2;
    gdouble lead = (gdouble) lead_ns / G_USEC_PER_SEC / 1000.0;
    guint at[2];

    if (!(tr->seen.w < small))
      continue;
    at[0] = tile_of (sched, cx, cy, tr->seen.w, tr->seen.w);
    at[1] = tile_of (sched, cx + tr->vx * lead, cy + tr->vy * lead,
        tr->seen.w, tr->seen.w);
    for (guint k = 0; k < 2; k++) {
      gint64 since = sched->frame - sched->last[at[k]];

      if (at[k] == 0 || since < gap || since <= overdue
          || chosen (passes, n, &sched->plan[at[k]]))
        continue;
      overdue = since;
      urgent = at[k];
    }
  }
  if (urgent) {
    passes[n++] = sched->plan[urgent];
    sched->last[urgent] = sched->frame;
  }
  sched->frame++;
  return n;
}
