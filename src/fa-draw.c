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

#include "fa-draw.h"

/* Fills @r (full-resolution pixels, clipped) in every component. */
static void
fill (FaImage * img, gint x0, gint y0, gint x1, gint y1, const guint8 v[3])
{
  x0 = MAX (x0, 0);
  y0 = MAX (y0, 0);
  x1 = MIN (x1, img->width);
  y1 = MIN (y1, img->height);
  if (x0 >= x1 || y0 >= y1)
    return;

  for (guint k = 0; k < img->n_comps; k++) {
    const FaComp *c = &img->comp[k];
    gint cx0 = x0 >> c->wsub, cy0 = y0 >> c->hsub;
    gint cx1 = MIN ((x1 + (1 << c->wsub) - 1) >> c->wsub, c->width);
    gint cy1 = MIN ((y1 + (1 << c->hsub) - 1) >> c->hsub, c->height);

    for (gint y = cy0; y < cy1; y++) {
      guint8 *p = c->data + (gsize) y * c->stride + (gsize) cx0 * c->pstride;

      for (gint x = cx0; x < cx1; x++, p += c->pstride)
        *p = v[k];
    }
  }
}

void
fa_draw_rect (FaImage * img, const FaRect * r, guint32 rgb, gint thickness)
{
  guint8 v[3];
  gint t = MAX (thickness, 1);

  fa_image_color_to_comps (img, rgb, v);
  fill (img, r->x0, r->y0, r->x1, r->y0 + t, v);
  fill (img, r->x0, r->y1 - t, r->x1, r->y1, v);
  fill (img, r->x0, r->y0, r->x0 + t, r->y1, v);
  fill (img, r->x1 - t, r->y0, r->x1, r->y1, v);
}

/* 3x5 glyphs, one row a byte (bit 2 = left column). */
static const guint8 *
glyph (gchar ch)
{
  static const guint8 digits[10][5] = {
    {7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7},
    {5, 5, 7, 1, 1}, {7, 4, 7, 1, 7}, {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1},
    {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7},
  };
  static const guint8 dot[5] = { 0, 0, 0, 0, 2 };
  static const guint8 percent[5] = { 5, 1, 2, 4, 5 };
  static const guint8 hash[5] = { 5, 7, 5, 7, 5 };
  static const guint8 space[5] = { 0, 0, 0, 0, 0 };

  if (ch >= '0' && ch <= '9')
    return digits[ch - '0'];
  switch (ch) {
    case '.':
      return dot;
    case '%':
      return percent;
    case '#':
      return hash;
    case ' ':
      return space;
    default:
      return NULL;
  }
}

void
fa_draw_text (FaImage * img, gint x, gint y, const gchar * text, guint32 rgb,
    gint scale)
{
  guint8 v[3];
  gint s = MAX (scale, 1);

  fa_image_color_to_comps (img, rgb, v);
  for (; *text; text++) {
    const guint8 *g = glyph (*text);

    if (g == NULL)
      continue;
    for (gint row = 0; row < 5; row++)
      for (gint col = 0; col < 3; col++)
        if (g[row] & (4 >> col))
          fill (img, x + col * s, y + row * s, x + (col + 1) * s,
              y + (row + 1) * s, v);
    x += 4 * s;
  }
}
