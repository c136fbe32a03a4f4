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

#include "fa-tracker.h"

#include <math.h>

#define NS_PER_S 1e9

/* A lost track moves at its full velocity for this long: that is what
 * detector misses and a detection interval look like, and the mask must
 * keep up with a head that keeps moving. */
#define COAST_TIME 0.2

/* After that its motion fades with this time constant: a head not seen for
 * a while has more likely stopped or turned than kept going. The total
 * extrapolation never exceeds COAST_TIME + FADE_TIME seconds of velocity,
 * so no gap, however long, can fling a track across the frame. */
#define FADE_TIME 0.3

/* Time constant of the velocity estimate. Expressed in time, not frames, so
 * the estimate is the same at any frame rate; its gain shrinks with the
 * frame interval, so one noisy detection moves the velocity by at most
 * about its error divided by this, however close the frames are. */
#define VELOCITY_SMOOTHING 0.1

/* The velocity estimate starts from rest, so early on it is only a fraction
 * of the true one: for steady motion, exactly 1 - exp (-history / the time
 * constant). Dividing by that fraction removes the lag that would let a
 * fast new face out-run its mask; flooring it bounds how much the first,
 * noisy measurements are amplified. */
#define VELOCITY_MIN_BUILDUP 0.5

/* Between two detections, opposite edges of a box moving by more than this
 * fraction of its size apart is a change of shape, not of place: a hand
 * over part of the face, the frame border clipping it. */
#define SHAPE_CHANGE 0.15

/* Two detections further apart than this say little about the velocity
 * now; the track starts again from rest. */
#define VELOCITY_GAP G_GINT64_CONSTANT (500000000)

/* On a detection the mask becomes the detection joined with the previous
 * mask, which shrinks towards it with this time constant. A detection much
 * smaller than the face (a hand over half of it, a false positive inside
 * it) then cannot suddenly unmask the rest, while a face that really grew
 * smaller is followed within a second or so. */
#define SHRINK_TIME 1.0

/* The centre-distance fallback is for a face that moved faster than
 * predicted, so it stays the same size; a much smaller or larger box near
 * a track is another face or a false positive, not this one. */
#define FALLBACK_SIZE_RATIO 1.5

/* A live source's timestamps may step back by a little; that is jitter,
 * not a seek, and resetting on it would unmask every held face. */
#define BACKWARD_JITTER G_GINT64_CONSTANT (50000000)

/* Coordinates beyond this are nonsense from the caller; refusing them keeps
 * every output box finite. */
#define MAX_COORD 1e7f

/* Capacities reserved up front so that a typical scene never reallocates. */
#define RESERVED_TRACKS 32
#define RESERVED_PAIRS 256

typedef struct
{
  guint id;
  gint hits;
  gboolean confirmed;
  gboolean detected;
  gint64 last_seen;
  /* At last_seen: */
  FaBox det;                    /* the detection, exactly as given */
  gdouble cx, cy, w, h;         /* its centre and size */
  gdouble kx0, ky0, kx1, ky1;   /* the mask: covers the detection */
  gboolean exact;               /* ...and is exactly the detection */
  gdouble vx, vy, vw, vh;       /* px per second, smoothed from rest */
  gdouble history;              /* seconds of motion behind the estimate */
  /* At the current time: */
  gdouble lost;                 /* seconds since last_seen */
  /* fa_tracker_update_searched: when a search could last have found it,
   * and the time this update forgives its hold (the frames since then;
   * all of it when no search could find it now) */
  gint64 last_search;
  gint64 grace_ns;
  gdouble dx, dy, dw, dh;       /* predicted motion since last_seen */
  gdouble mx0, my0, mx1, my1;   /* the mask, moved, grown while lost */
} Track;

typedef struct
{
  FaBox box;
  gboolean used;
} Det;

typedef struct
{
  guint track;
  guint det;
  gdouble key;                  /* larger is better */
} Pair;

typedef struct
{
  gint64 hold_time;
  gdouble match_iou;
  gdouble growth;
  gint confirm_hits;
  gint width, height;
} Params;

struct _FaTracker
{
  GArray *tracks;               /* Track, in increasing id order */
  GArray *dets;                 /* Det, this update's usable detections */
  GArray *pairs;                /* Pair, candidate matches */
  GArray *out;                  /* FaTrack */
  gboolean have_time;
  gint64 now;
  guint next_id;
};

void
fa_tracker_params_init (FaTrackerParams * params, gint frame_width,
    gint frame_height)
{
  g_return_if_fail (params != NULL);

  params->hold_time = FA_TRACKER_DEFAULT_HOLD_TIME;
  params->match_iou = FA_TRACKER_DEFAULT_MATCH_IOU;
  params->growth = FA_TRACKER_DEFAULT_GROWTH;
  params->confirm_hits = FA_TRACKER_DEFAULT_CONFIRM_HITS;
  params->frame_width = frame_width;
  params->frame_height = frame_height;
}

/* Out-of-range values are pulled back to the nearest safe one: a negative
 * growth would shrink a lost face's mask, a zero IoU would pair every
 * detection with every track. */
static void
params_sanitize (const FaTrackerParams * in, Params * out)
{
  out->hold_time = MAX (in->hold_time, 0);
  out->match_iou = isfinite (in->match_iou) ?
      CLAMP (in->match_iou, 0.01, 1.0) : FA_TRACKER_DEFAULT_MATCH_IOU;
  out->growth = isfinite (in->growth) ? CLAMP (in->growth, 0.0, 100.0) :
      FA_TRACKER_DEFAULT_GROWTH;
  out->confirm_hits = MAX (in->confirm_hits, 1);
  if (in->frame_width > 0 && in->frame_height > 0) {
    out->width = in->frame_width;
    out->height = in->frame_height;
  } else {
    out->width = out->height = 0;
  }
}

FaTracker *
fa_tracker_new (void)
{
  FaTracker *tracker = g_new0 (FaTracker, 1);

  tracker->tracks = g_array_sized_new (FALSE, FALSE, sizeof (Track),
      RESERVED_TRACKS);
  tracker->dets = g_array_sized_new (FALSE, FALSE, sizeof (Det),
      RESERVED_TRACKS);
  tracker->pairs = g_array_sized_new (FALSE, FALSE, sizeof (Pair),
      RESERVED_PAIRS);
  tracker->out = g_array_sized_new (FALSE, FALSE, sizeof (FaTrack),
      RESERVED_TRACKS);
  tracker->next_id = 1;
  return tracker;
}

void
fa_tracker_free (FaTracker * tracker)
{
  if (tracker == NULL)
    return;

  g_array_free (tracker->tracks, TRUE);
  g_array_free (tracker->dets, TRUE);
  g_array_free (tracker->pairs, TRUE);
  g_array_free (tracker->out, TRUE);
  g_free (tracker);
}

void
fa_tracker_reset (FaTracker * tracker)
{
  g_return_if_fail (tracker != NULL);

  /* Setting the size to 0 keeps the allocations for reuse. */
  g_array_set_size (tracker->tracks, 0);
  g_array_set_size (tracker->out, 0);
  tracker->have_time = FALSE;
  tracker->now = 0;
}

/* t - since, saturating: timestamps far apart must not wrap around into a
 * negative age that would keep a track forever. */
static gint64
elapsed (gint64 t, gint64 since)
{
  if (since < 0 && t > G_MAXINT64 + since)
    return G_MAXINT64;
  if (since > 0 && t < G_MININT64 + since)
    return G_MININT64;
  return t - since;
}

/* Brings the clock to @t: resets on time going backwards, and returns the
 * time to use, which never goes back. */
static gint64
advance_clock (FaTracker * tracker, gint64 t)
{
  if (tracker->have_time && t < tracker->now) {
    if (elapsed (tracker->now, t) > BACKWARD_JITTER)
      fa_tracker_reset (tracker);
    else
      t = tracker->now;
  }
  tracker->have_time = TRUE;
  tracker->now = t;
  return t;
}

/* Seconds of velocity to extrapolate after @lost seconds without a
 * detection; see COAST_TIME and FADE_TIME. */
static gdouble
coast_time (gdouble lost)
{
  if (lost <= COAST_TIME)
    return lost;
  return COAST_TIME - FADE_TIME * expm1 (-(lost - COAST_TIME) / FADE_TIME);
}

static gboolean
mask_outside_frame (const Track * tr, const Params * p)
{
  if (p->width <= 0)
    return FALSE;
  return tr->mx0 >= p->width || tr->mx1 <= 0.0
      || tr->my0 >= p->height || tr->my1 <= 0.0;
}

/* Moves every track to @t, drops those whose hold has expired or whose mask
 * has left the frame, and clears the detected flags. */
static void
predict_tracks (FaTracker * tracker, gint64 t, const Params * p)
{
  guint i, kept = 0;

  for (i = 0; i < tracker->tracks->len; i++) {
    Track *tr = &g_array_index (tracker->tracks, Track, i);
    gint64 lost_ns = elapsed (t, tr->last_seen);
    gdouble coast, grow, buildup, mcx, mcy, mhw, mhh;

    if (elapsed (lost_ns, tr->grace_ns) > p->hold_time)
      continue;

    tr->lost = (gdouble) lost_ns / NS_PER_S;
    buildup = MAX (-expm1 (-tr->history / VELOCITY_SMOOTHING),
        VELOCITY_MIN_BUILDUP);
    /* Seconds of the unbiased velocity to move by. */
    coast = coast_time (tr->lost) / buildup;
    tr->dx = tr->vx * coast;
    tr->dy = tr->vy * coast;
    /* A face seen shrinking keeps its last size: too large a mask is
     * harmless, too small a one is a leak. */
    tr->dw = MAX (tr->vw, 0.0) * coast;
    tr->dh = MAX (tr->vh, 0.0) * coast;

    grow = 1.0 + p->growth * tr->lost;
    mcx = (tr->kx0 + tr->kx1) * 0.5 + tr->dx;
    mcy = (tr->ky0 + tr->ky1) * 0.5 + tr->dy;
    mhw = (tr->kx1 - tr->kx0 + tr->dw) * grow * 0.5;
    mhh = (tr->ky1 - tr->ky0 + tr->dh) * grow * 0.5;
    tr->mx0 = mcx - mhw;
    tr->mx1 = mcx + mhw;
    tr->my0 = mcy - mhh;
    tr->my1 = mcy + mhh;
    tr->detected = FALSE;

    if (mask_outside_frame (tr, p))
      continue;

    if (kept != i)
      g_array_index (tracker->tracks, Track, kept) = *tr;
    kept++;
  }
  g_array_set_size (tracker->tracks, kept);
}

static gboolean
box_usable (const FaBox * b, const Params * p)
{
  /* Written so that NaN fails every test. */
  if (!(b->w > 0.0f && b->w <= MAX_COORD && b->h > 0.0f && b->h <= MAX_COORD))
    return FALSE;
  if (!(fabsf (b->x) <= MAX_COORD && fabsf (b->y) <= MAX_COORD))
    return FALSE;
  /* Nothing of it to mask. */
  if (p->width > 0 && (b->x >= p->width || b->x + b->w <= 0.0f
          || b->y >= p->height || b->y + b->h <= 0.0f))
    return FALSE;
  return TRUE;
}

static gdouble
iou (gdouble ax0, gdouble ay0, gdouble aw, gdouble ah, const FaBox * b)
{
  gdouble ix = MIN (ax0 + aw, (gdouble) b->x + b->w) - MAX (ax0, b->x);
  gdouble iy = MIN (ay0 + ah, (gdouble) b->y + b->h) - MAX (ay0, b->y);
  gdouble inter, uni;

  if (ix <= 0.0 || iy <= 0.0)
    return 0.0;
  inter = ix * iy;
  uni = aw * ah + (gdouble) b->w * b->h - inter;
  return uni > 0.0 ? inter / uni : 0.0;
}

/* How well detection @d fits track @tr, or a negative value when it may not
 * be paired with it. Overlap with the expected box comes first; failing
 * that, a detection whose centre lies inside the track's mask is taken as
 * the same face having moved faster than predicted. */
static gdouble
pair_key (const Track * tr, const FaBox * d, const Params * p)
{
  gdouble pcx = tr->cx + tr->dx, pcy = tr->cy + tr->dy;
  gdouble pw = tr->w + tr->dw, ph = tr->h + tr->dh;
  gdouble o, ratio, dx, dy;

  o = iou (pcx - pw * 0.5, pcy - ph * 0.5, pw, ph, d);
  if (o >= p->match_iou)
    return 1.0 + o;

  ratio = sqrt ((gdouble) d->w * d->h / (pw * ph));
  if (ratio > FALLBACK_SIZE_RATIO || ratio * FALLBACK_SIZE_RATIO < 1.0)
    return -1.0;
  dx = fabs (d->x + d->w * 0.5 - pcx) / (tr->mx1 - tr->mx0);
  dy = fabs (d->y + d->h * 0.5 - pcy) / (tr->my1 - tr->my0);
  if (dx <= 0.5 && dy <= 0.5)
    return 1.0 - sqrt (dx * dx + dy * dy);
  return -1.0;
}

static gboolean
pair_before (const Pair * a, const Pair * b)
{
  if (a->key != b->key)
    return a->key > b->key;
  if (a->track != b->track)
    return a->track < b->track;
  return a->det < b->det;
}

static void
sift_down (Pair * a, gsize root, gsize n)
{
  for (;;) {
    gsize child = 2 * root + 1, last = root;
    Pair tmp;

    /* A heap with the pair that goes last on top. */
    if (child < n && pair_before (&a[last], &a[child]))
      last = child;
    if (child + 1 < n && pair_before (&a[last], &a[child + 1]))
      last = child + 1;
    if (last == root)
      return;
    tmp = a[root];
    a[root] = a[last];
    a[last] = tmp;
    root = last;
  }
}

/* Heapsort: unlike g_array_sort it never allocates, and a detector that
 * sends a pile of overlapping boxes cannot make it quadratic. */
static void
sort_pairs (GArray * pairs)
{
  Pair *a = (Pair *) pairs->data;
  gsize n = pairs->len, i;

  for (i = n / 2; i > 0; i--)
    sift_down (a, i - 1, n);
  for (i = n; i > 1; i--) {
    Pair tmp = a[0];

    a[0] = a[i - 1];
    a[i - 1] = tmp;
    sift_down (a, 0, i - 1);
  }
}

/* Makes @d the track's last detection, at @t. The caller has set the kept
 * mask. */
static void
track_set_box (Track * tr, const FaBox * d, gint64 t)
{
  tr->det = *d;
  if (!isfinite (tr->det.score))
    tr->det.score = 0.0f;
  tr->cx = d->x + d->w * 0.5;
  tr->cy = d->y + d->h * 0.5;
  tr->w = d->w;
  tr->h = d->h;
  tr->last_seen = t;
  tr->last_search = t;
  tr->detected = TRUE;
  tr->lost = 0.0;
  tr->dx = tr->dy = tr->dw = tr->dh = 0.0;
  tr->mx0 = tr->kx0;
  tr->my0 = tr->ky0;
  tr->mx1 = tr->kx1;
  tr->my1 = tr->ky1;
}

/* The new mask: the detection joined with the mask as it was predicted
 * for now, before growth, shrunk about its centre; see SHRINK_TIME. */
static void
track_keep_mask (Track * tr, const FaBox * d)
{
  gdouble s = exp (-tr->lost / SHRINK_TIME);
  gdouble cx = (tr->kx0 + tr->kx1) * 0.5 + tr->dx;
  gdouble cy = (tr->ky0 + tr->ky1) * 0.5 + tr->dy;
  gdouble hw = (tr->kx1 - tr->kx0 + tr->dw) * s * 0.5;
  gdouble hh = (tr->ky1 - tr->ky0 + tr->dh) * s * 0.5;

  tr->kx0 = MIN (cx - hw, (gdouble) d->x);
  tr->ky0 = MIN (cy - hh, (gdouble) d->y);
  tr->kx1 = MAX (cx + hw, (gdouble) d->x + d->w);
  tr->ky1 = MAX (cy + hh, (gdouble) d->y + d->h);
  tr->exact = tr->kx0 == d->x && tr->ky0 == d->y
      && tr->kx1 == (gdouble) d->x + d->w && tr->ky1 == (gdouble) d->y + d->h;
}

/* How far a face moved along one axis, from how far the box's two edges
 * moved. When the box changed shape, only the motion both edges agree on
 * counts, so a partial detection does not fling the track. */
static gdouble
edge_motion (gdouble d0, gdouble d1, gdouble size)
{
  if (fabs (d0 - d1) <= SHAPE_CHANGE * size)
    return (d0 + d1) * 0.5;
  if (d0 > 0.0 && d1 > 0.0)
    return MIN (d0, d1);
  if (d0 < 0.0 && d1 < 0.0)
    return MAX (d0, d1);
  return 0.0;
}

static void
track_observe (Track * tr, const FaBox * d, gint64 t, const Params * p)
{
  gint64 gap_ns = elapsed (t, tr->last_seen);

  if (gap_ns > VELOCITY_GAP) {
    tr->vx = tr->vy = tr->vw = tr->vh = 0.0;
    tr->history = 0.0;
  } else if (gap_ns > 0) {
    gdouble dt = (gdouble) gap_ns / NS_PER_S;
    /* Exponential smoothing of (displacement / dt) with a gain that depends
     * on dt: per second of stream it converges the same at any rate. */
    gdouble k = -expm1 (-dt / VELOCITY_SMOOTHING) / dt;
    gdouble mx = edge_motion ((gdouble) d->x - tr->det.x,
        ((gdouble) d->x + d->w) - ((gdouble) tr->det.x + tr->det.w), tr->w);
    gdouble my = edge_motion ((gdouble) d->y - tr->det.y,
        ((gdouble) d->y + d->h) - ((gdouble) tr->det.y + tr->det.h), tr->h);

    tr->vx += k * (mx - tr->vx * dt);
    tr->vy += k * (my - tr->vy * dt);
    tr->vw += k * (d->w - tr->w - tr->vw * dt);
    tr->vh += k * (d->h - tr->h - tr->vh * dt);
    tr->history += dt;
  }

  track_keep_mask (tr, d);
  track_set_box (tr, d, t);
  if (tr->hits < G_MAXINT)
    tr->hits++;
  if (tr->hits >= p->confirm_hits)
    tr->confirmed = TRUE;
}

static void
track_start (FaTracker * tracker, const FaBox * d, gint64 t, const Params * p)
{
  Track tr = { 0, };

  tr.id = tracker->next_id++;
  tr.hits = 1;
  tr.confirmed = p->confirm_hits <= 1;
  tr.kx0 = d->x;
  tr.ky0 = d->y;
  tr.kx1 = (gdouble) d->x + d->w;
  tr.ky1 = (gdouble) d->y + d->h;
  tr.exact = TRUE;
  track_set_box (&tr, d, t);
  g_array_append_val (tracker->tracks, tr);
}

/* Rounds outwards, so that a mask computed to cover a detection still
 * covers it in single precision. */
static void
box_from_edges (FaBox * b, gdouble x0, gdouble y0, gdouble x1, gdouble y1)
{
  b->x = (gfloat) x0;
  if (b->x > x0)
    b->x = nextafterf (b->x, -G_MAXFLOAT);
  b->y = (gfloat) y0;
  if (b->y > y0)
    b->y = nextafterf (b->y, -G_MAXFLOAT);
  b->w = (gfloat) (x1 - b->x);
  if (b->x + (gdouble) b->w < x1)
    b->w = nextafterf (b->w, G_MAXFLOAT);
  b->h = (gfloat) (y1 - b->y);
  if (b->y + (gdouble) b->h < y1)
    b->h = nextafterf (b->h, G_MAXFLOAT);
}

/* Rebuilds the output from the tracks. A mask that somehow came out not
 * finite covers the whole frame rather than nothing. */
static void
build_output (FaTracker * tracker, const Params * p)
{
  guint i;

  g_array_set_size (tracker->out, tracker->tracks->len);
  for (i = 0; i < tracker->tracks->len; i++) {
    const Track *tr = &g_array_index (tracker->tracks, Track, i);
    FaTrack *o = &g_array_index (tracker->out, FaTrack, i);

    o->id = tr->id;
    o->confirmed = tr->confirmed;
    o->detected = tr->detected;
    o->last_seen = tr->last_seen;
    o->score = tr->det.score;
    o->seen = tr->det;
    o->vx = (gfloat) tr->vx;
    o->vy = (gfloat) tr->vy;
    if (tr->exact && tr->lost == 0.0) {
      o->box = tr->det;
    } else {
      box_from_edges (&o->box, tr->mx0, tr->my0, tr->mx1, tr->my1);
      o->box.score = tr->det.score;
    }
    if (!isfinite (o->box.x) || !isfinite (o->box.y) || !isfinite (o->box.w)
        || !isfinite (o->box.h)) {
      o->box.x = o->box.y = 0.0f;
      o->box.w = p->width > 0 ? (gfloat) p->width : MAX_COORD;
      o->box.h = p->height > 0 ? (gfloat) p->height : MAX_COORD;
    }
  }
}

/* Whether one of @searched could have found the face of @tr where its mask
 * was last placed: an area holding its box whole, at a scale that sees
 * faces of its size. NULL: the whole frame at every scale. */
static gboolean
track_searched (const Track * tr, const FaSearch * searched, guint n,
    const Params * p)
{
  gdouble cx = (tr->mx0 + tr->mx1) * 0.5, cy = (tr->my0 + tr->my1) * 0.5;
  gdouble x0 = cx - tr->w * 0.5, x1 = cx + tr->w * 0.5;
  gdouble y0 = cy - tr->h * 0.5, y1 = cy + tr->h * 0.5;

  if (searched == NULL)
    return TRUE;
  /* what lies beyond the frame's edge no search can hold */
  if (p->width > 0) {
    x0 = MAX (x0, 0.0);
    y0 = MAX (y0, 0.0);
    x1 = MIN (x1, (gdouble) p->width);
    y1 = MIN (y1, (gdouble) p->height);
  }
  for (guint i = 0; i < n; i++) {
    const FaSearch *s = &searched[i];

    if (s->min_face <= tr->w && x0 >= s->area.x0 && x1 <= s->area.x1
        && y0 >= s->area.y0 && y1 <= s->area.y1)
      return TRUE;
  }
  return FALSE;
}

void
fa_tracker_update (FaTracker * tracker, gint64 t_ns, const FaBox * dets,
    guint n_dets, const FaTrackerParams * params)
{
  fa_tracker_update_searched (tracker, t_ns, dets, n_dets, NULL, 0, params);
}

void
fa_tracker_update_searched (FaTracker * tracker, gint64 t_ns,
    const FaBox * dets, guint n_dets, const FaSearch * searched,
    guint n_searched, const FaTrackerParams * params)
{
  Params p;
  guint i, j, n_old;

  g_return_if_fail (tracker != NULL);
  g_return_if_fail (dets != NULL || n_dets == 0);
  g_return_if_fail (searched != NULL || n_searched == 0);
  g_return_if_fail (params != NULL);

  params_sanitize (params, &p);
  /* With what was searched known: a track that no search could have found
   * now (a small face outside the tiles searched this time) is not judged
   * at all, as on a frame the detector did not run on; one that could
   * have been found is judged without the frames since a search could
   * last have found it, as between detections. Both hold it at least
   * until its part of the frame is searched again. */
  if (searched) {
    gint64 prev = tracker->have_time ? tracker->now : t_ns;

    for (i = 0; i < tracker->tracks->len; i++) {
      Track *tr = &g_array_index (tracker->tracks, Track, i);

      if (track_searched (tr, searched, n_searched, &p)) {
        tr->grace_ns = MAX (elapsed (prev, tr->last_search), 0);
        tr->last_search = t_ns;
      } else {
        tr->grace_ns = G_MAXINT64;
      }
    }
  }
  t_ns = advance_clock (tracker, t_ns);
  predict_tracks (tracker, t_ns, &p);
  for (i = 0; i < tracker->tracks->len; i++)
    g_array_index (tracker->tracks, Track, i).grace_ns = 0;

  g_array_set_size (tracker->dets, 0);
  for (i = 0; i < n_dets; i++) {
    Det d;

    if (!box_usable (&dets[i], &p))
      continue;
    d.box = dets[i];
    d.used = FALSE;
    g_array_append_val (tracker->dets, d);
  }

  /* Greedy association, best pairs first. */
  n_old = tracker->tracks->len;
  g_array_set_size (tracker->pairs, 0);
  for (i = 0; i < n_old; i++) {
    const Track *tr = &g_array_index (tracker->tracks, Track, i);

    for (j = 0; j < tracker->dets->len; j++) {
      Pair pair;

      pair.key = pair_key (tr, &g_array_index (tracker->dets, Det, j).box, &p);
      if (pair.key < 0.0)
        continue;
      pair.track = i;
      pair.det = j;
      g_array_append_val (tracker->pairs, pair);
    }
  }
  sort_pairs (tracker->pairs);

  for (i = 0; i < tracker->pairs->len; i++) {
    const Pair *pair = &g_array_index (tracker->pairs, Pair, i);
    Track *tr = &g_array_index (tracker->tracks, Track, pair->track);
    Det *d = &g_array_index (tracker->dets, Det, pair->det);

    if (tr->detected || d->used)
      continue;
    track_observe (tr, &d->box, t_ns, &p);
    d->used = TRUE;
  }

  /* Every detection is masked from its first frame on. */
  for (j = 0; j < tracker->dets->len; j++) {
    const Det *d = &g_array_index (tracker->dets, Det, j);

    if (!d->used)
      track_start (tracker, &d->box, t_ns, &p);
  }

  build_output (tracker, &p);
}

void
fa_tracker_predict (FaTracker * tracker, gint64 t_ns,
    const FaTrackerParams * params)
{
  Params p;

  g_return_if_fail (tracker != NULL);
  g_return_if_fail (params != NULL);

  params_sanitize (params, &p);
  t_ns = advance_clock (tracker, t_ns);
  predict_tracks (tracker, t_ns, &p);
  build_output (tracker, &p);
}

gboolean
fa_tracker_needs_detection (FaTracker * tracker, gint64 t_ns,
    const FaTrackerParams * params)
{
  g_return_val_if_fail (tracker != NULL, TRUE);
  g_return_val_if_fail (params != NULL, TRUE);

  if (!tracker->have_time)
    return TRUE;
  if (t_ns < tracker->now)
    return elapsed (tracker->now, t_ns) > BACKWARD_JITTER;
  return elapsed (t_ns, tracker->now) > MAX (params->hold_time, 0);
}

const FaTrack *
fa_tracker_get_tracks (FaTracker * tracker, guint * n)
{
  g_return_val_if_fail (tracker != NULL, NULL);
  g_return_val_if_fail (n != NULL, NULL);

  *n = tracker->out->len;
  return (const FaTrack *) tracker->out->data;
}
