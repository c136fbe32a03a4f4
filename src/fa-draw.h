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

#ifndef __FA_DRAW_H__
#define __FA_DRAW_H__

/* Debug drawing, for tuning: outlines and small labels painted in place,
 * in the frame's own layout. */

#include "fa-image.h"

G_BEGIN_DECLS

/* Outlines @r (clipped to the frame) with lines @thickness pixels wide. */
void fa_draw_rect (FaImage * img, const FaRect * r, guint32 rgb,
    gint thickness);

/* Writes @text (digits, '.', '%', '#' and space; other characters are
 * skipped) with its top-left corner at @x, @y, in a 3x5 font magnified
 * @scale times, clipped to the frame. */
void fa_draw_text (FaImage * img, gint x, gint y, const gchar * text,
    guint32 rgb, gint scale);

G_END_DECLS

#endif /* __FA_DRAW_H__ */
