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

#include "fa-lookahead.h"

#include <math.h>

#define NS_PER_S 1e9

/* A backward extrapolation never moves a face by more than this many
 * seconds of its velocity: a first velocity estimate is rough. */
#define MAX_BACK_MOTION 0.5

typedef struct
{
  gint64 t;
  gboolean cut;                 /* a new picture begins here */
  GArray *tracks;               /* FaTrack, as the tracker gave them */
} Slot;

struct _FaLookahead
{
  Slot *slots;                  /* a ring of @cap, @len from @head */
  guint cap, head, len;
  gint width, height;
  GArray *seen_ids;             /* guint, scratch of fa_lookahead_pop */
};

FaLookahead *
fa_lookahead_new (void)
{
  FaLookahead *la = g_new0 (FaLookahead, 1);

  la->seen_ids = g_array_new (FALSE, FALSE, sizeof (guint));
  return la;
}

void
fa_lookahead_free (FaLookahead * la)
{
  if (la == NULL)
    return;
  for (guint i = 0; i < la->cap; i++)
    g_array_unref (la->slots[i].tracks);
  g_free (la->slots);
  g_array_unref (la->seen_ids);
  g_free (la);
}

void
fa_lookahead_reset (FaLookahead * la)
{
  la->head = la->len = 0;
}

guint
fa_lookahead_len (FaLookahead * la)
{
  return la->len;
}

static Slot *
slot (FaLookahead * la, guint k)
{
  return &la->slots[(la->head + k) % la->cap];
}

gboolean
fa_lookahead_oldest (FaLookahead * la, gint64 * t_ns)
{
  if (la->len == 0)
    return FALSE;
  *t_ns = slot (la, 0)->t;
  return TRUE;
}

void
fa_lookahead_push (FaLookahead * la, gint64 t_ns, const FaTrack * tracks,
    guint n, gboolean cut, gint width, gint height)
{
  Slot *s;

  /* the ring grows to the most frames held at once, then is reused */
  if (la->len == la->cap) {
    guint cap = MAX (8, la->cap * 2);
    Slot *slots = g_new0 (Slot, cap);

    for (guint k = 0; k < la->len; k++)
      slots[k] = *slot (la, k);
    for (guint k = la->len; k < cap; k++)
      slots[k].tracks = g_array_new (FALSE, FALSE, sizeof (FaTrack));
    g_free (la->slots);
    la->slots = slots;
    la->cap = cap;
    la->head = 0;
  }
  s = slot (la, la->len++);
  s->t = t_ns;
  s->cut = cut;
  g_array_set_size (s->tracks, 0);
  g_array_append_vals (s->tracks, tracks, n);
  la->width = width;
  la->height = height;
}

/* The track @id in slot @s, or NULL. */
static const FaTrack *
find (const Slot * s, guint id)
{
  for (guint i = 0; i < s->tracks->len; i++) {
    const FaTrack *tr = &g_array_index (s->tracks, FaTrack, i);

    if (tr->id == id)
      return tr;
  }
  return NULL;
}

/* The first held frame after the oldest, before any cut, in which @id
 * was detected; its index, or 0. */
static guint
next_detection (FaLookahead * la, guint id, guint from)
{
  for (guint k = from; k < la->len; k++) {
    const Slot *s = slot (la, k);
    const FaTrack *tr;

    if (s->cut)
      return 0;
    tr = find (s, id);
    if (tr && tr->detected)
      return k;
  }
  return 0;
}

/* @b grown about its centre by @grow (a factor of 1 or more). */
static FaBox
grown (FaBox b, gdouble grow)
{
  gdouble cx = b.x + b.w * 0.5, cy = b.y + b.h * 0.5;

  b.w = (gfloat) (b.w * grow);
  b.h = (gfloat) (b.h * grow);
  b.x = (gfloat) (cx - b.w * 0.5);
  b.y = (gfloat) (cy - b.h * 0.5);
  return b;
}

static gboolean
outside (const FaLookahead * la, const FaBox * b)
{
  return b->x >= la->width || b->y >= la->height || b->x + b->w <= 0
      || b->y + b->h <= 0;
}

static void
emit (GArray * faces, GArray * ids, const FaBox * b, guint id)
{
  g_array_append_val (faces, *b);
  g_array_append_val (ids, id);
}

/* A face the oldest frame lost, found again at @k: between its last
 * detection before and that one, where its path went. */
static FaBox
interpolate (FaLookahead * la, const FaTrack * lost, gint64 t, guint k,
    gdouble growth)
{
  const FaTrack *found = find (slot (la, k), lost->id);
  const FaBox *a = &lost->seen, *b = &found->seen;
  gdouble t0 = lost->last_seen, t1 = slot (la, k)->t;
  gdouble f = t1 > t0 ? CLAMP ((t - t0) / (t1 - t0), 0.0, 1.0) : 1.0;
  gdouble away = MIN (t - t0, t1 - t) / NS_PER_S;
  FaBox box;

  box.x = (gfloat) (a->x + (b->x - a->x) * f);
  box.y = (gfloat) (a->y + (b->y - a->y) * f);
  box.w = (gfloat) (a->w + (b->w - a->w) * f);
  box.h = (gfloat) (a->h + (b->h - a->h) * f);
  box.score = lost->score;
  return grown (box, 1.0 + growth * MAX (away, 0.0));
}

/* A face first found at @k, on the oldest frame, @dt seconds before: its
 * first detection moved back along the face's motion, and grown. */
static gboolean
extrapolate (FaLookahead * la, guint id, guint k, gdouble dt, gdouble growth,
    FaBox * box)
{
  const FaTrack *born = find (slot (la, k), id);
  const FaTrack *latest = born;
  gdouble back = MIN (dt, MAX_BACK_MOTION);

  /* the motion as the tracker knows it now, from every detection since */
  for (guint j = k + 1; j < la->len && !slot (la, j)->cut; j++) {
    const FaTrack *tr = find (slot (la, j), id);

    if (tr)
      latest = tr;
  }
  *box = born->seen;
  box->x -= (gfloat) (latest->vx * back);
  box->y -= (gfloat) (latest->vy * back);
  *box = grown (*box, 1.0 + growth * dt);
  box->score = born->score;
  return !outside (la, box);
}

static gboolean
listed (GArray * ids, guint id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, guint, i) == id)
      return TRUE;
  return FALSE;
}

void
fa_lookahead_pop (FaLookahead * la, gdouble growth, GArray * faces,
    GArray * ids)
{
  const Slot *oldest;

  if (la->len == 0)
    return;
  oldest = slot (la, 0);
  g_array_set_size (la->seen_ids, 0);

  /* its own faces: where detected, as detected; where lost and found
   * again later, on the path between the two detections */
  for (guint i = 0; i < oldest->tracks->len; i++) {
    const FaTrack *tr = &g_array_index (oldest->tracks, FaTrack, i);
    /* (id 0: faces not followed across frames, which only stand) */
    guint k = tr->detected || tr->id == 0 ? 0 : next_detection (la, tr->id, 1);

    g_array_append_val (la->seen_ids, tr->id);
    if (k > 0) {
      FaBox b = interpolate (la, tr, oldest->t, k, growth);

      emit (faces, ids, &b, tr->id);
    } else {
      emit (faces, ids, &tr->box, tr->id);
    }
  }

  /* faces first found on a later frame, before any cut */
  for (guint k = 1; k < la->len; k++) {
    const Slot *s = slot (la, k);

    if (s->cut)
      break;
    for (guint i = 0; i < s->tracks->len; i++) {
      const FaTrack *tr = &g_array_index (s->tracks, FaTrack, i);
      FaBox b;

      if (tr->id == 0 || listed (la->seen_ids, tr->id))
        continue;
      g_array_append_val (la->seen_ids, tr->id);
      if (extrapolate (la, tr->id, k, (s->t - oldest->t) / NS_PER_S, growth,
              &b))
        emit (faces, ids, &b, tr->id);
    }
  }

  la->head = (la->head + 1) % la->cap;
  la->len--;
}
