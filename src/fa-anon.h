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

#ifndef __FA_ANON_H__
#define __FA_ANON_H__

/* One frame's work, shared by the element and the tools so that both do
 * exactly the same thing: detect, turn faces into mask regions, mask. */

#include "fa-detector.h"
#include "fa-mask.h"

G_BEGIN_DECLS

typedef struct
{
  FaMaskParams mask;
  gfloat threshold;             /* detector confidence threshold */
  gint detection_size;          /* longest side of the detector input */
  gint min_face_size;           /* faces this small are tiled for; 0: off */
} FaAnonParams;

typedef struct _FaAnon FaAnon;

FaAnon *fa_anon_new (const gchar * model_path, GError ** error);
void fa_anon_free (FaAnon * anon);

FaDetector *fa_anon_get_detector (FaAnon * anon);

/* Detects the faces of @img and masks them in place. On failure nothing
 * has been masked and the caller must not let the frame out. */
gboolean fa_anon_process (FaAnon * anon, FaImage * img,
    const FaAnonParams * params, GError ** error);

/* Detects and computes the regions without painting them. */
gboolean fa_anon_detect (FaAnon * anon, const FaImage * img,
    const FaAnonParams * params, GError ** error);

/* The faces found by the last call, in frame pixels, and the regions that
 * were (or would be) masked for them; valid until the next call. */
const FaBox *fa_anon_get_faces (FaAnon * anon, guint * n_faces);
const FaRect *fa_anon_get_regions (FaAnon * anon, guint * n_regions);

G_END_DECLS

#endif /* __FA_ANON_H__ */
