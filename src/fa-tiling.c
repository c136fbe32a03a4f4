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

#include "fa-tiling.h"

#include <math.h>

/* Splits @n frame pixels into @count spans of @len overlapping evenly. */
static void
split (gint n, gint count, gint len, gint * starts)
{
  for (gint i = 0; i < count; i++)
    starts[i] = count > 1 ?
        (gint) (((gint64) i * (n - len) + (count - 1) / 2) / (count - 1)) : 0;
}

/* How many spans of at most @max_len cover @n with @overlap between
 * neighbours, and how long each is. */
static gint
span_count (gint n, gint max_len, gint overlap, gint * len)
{
  gint count;

  if (n <= max_len) {
    *len = n;
    return 1;
  }
  count = (gint) ceil ((gdouble) (n - overlap) / (max_len - overlap));
  *len = MIN (n, (n + (count - 1) * overlap + count - 1) / count);
  return count;
}

/* Adds the tiles of one level at scale @s, overlapping by @overlap frame
 * pixels; FALSE (and nothing added) when they do not fit in @room. */
static gboolean
add_level (gint width, gint height, gint detection_size, gdouble s,
    gint overlap, FaPass * passes, guint * n, guint room)
{
  gint tile_max = (gint) floor (detection_size / s);
  gint nx, ny, tw, th;
  gint xs[FA_TILING_MAX_PASSES], ys[FA_TILING_MAX_PASSES];

  overlap = MIN (overlap, tile_max / 2);
  nx = span_count (width, tile_max, overlap, &tw);
  ny = span_count (height, tile_max, overlap, &th);
  if (nx > FA_TILING_MAX_PASSES || ny > FA_TILING_MAX_PASSES
      || (guint) (nx * ny) > room)
    return FALSE;

  split (width, nx, tw, xs);
  split (height, ny, th, ys);
  for (gint j = 0; j < ny; j++) {
    for (gint i = 0; i < nx; i++) {
      FaPass *p = &passes[(*n)++];

      p->src = (FaRect) {
      xs[i], ys[j], xs[i] + tw, ys[j] + th};
      p->in_w = CLAMP ((gint) lround (tw * s), 1, detection_size);
      p->in_h = CLAMP ((gint) lround (th * s), 1, detection_size);
    }
  }
  return TRUE;
}

guint
fa_tiling_plan (gint width, gint height, gint detection_size,
    gint min_face_size, FaPass * passes, guint max_passes)
{
  gint longest = MAX (width, height);
  gdouble s0, target, prev, step;
  guint n = 0;

  g_return_val_if_fail (width > 0 && height > 0 && max_passes >= 1, 0);
  detection_size = MAX (detection_size, FA_TILING_MIN_DETECTION_SIZE);
  max_passes = MIN (max_passes, FA_TILING_MAX_PASSES);

  /* the whole-frame pass, never upscaled */
  s0 = MIN (1.0, (gdouble) detection_size / longest);
  passes[n].src = (FaRect) {
  0, 0, width, height};
  passes[n].in_w = CLAMP ((gint) lround (width * s0), 1, detection_size);
  passes[n].in_h = CLAMP ((gint) lround (height * s0), 1, detection_size);
  n++;

  if (min_face_size <= 0)
    return n;
  target = MIN (1.0, (gdouble) FA_TILING_FACE_AT_INPUT / min_face_size);

  /* Levels of tiles at finer and finer scales up to the target. Each
   * level's tiles overlap by 1.5 times the largest face the level above
   * may miss, so every such face lies whole in some tile; a level may be
   * at most detection_size / (3 * FACE_AT_INPUT) times finer than the one
   * above for that overlap to fit in a tile. */
  step = (gdouble) detection_size / (3 * FA_TILING_FACE_AT_INPUT);
  prev = s0;
  while (prev * 1.05 < target) {
    gdouble s = MIN (target, prev * step);
    gint overlap = (gint) ceil (1.5 * FA_TILING_FACE_AT_INPUT / prev);

    /* out of room: coarsen this level and make it the last, rather than
     * leave parts of the frame out */
    while (!add_level (width, height, detection_size, s, overlap, passes, &n,
            max_passes - n)) {
      s *= 0.9;
      target = s;
      if (s <= prev * 1.05)
        return n;
    }
    prev = s;
  }
  return n;
}

gfloat
fa_tiling_min_face (const FaPass * pass)
{
  gint sw = pass->src.x1 - pass->src.x0;

  g_return_val_if_fail (pass->in_w > 0, 0.f);
  return (gfloat) FA_TILING_FACE_AT_INPUT *sw / pass->in_w;
}
