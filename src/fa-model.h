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

#ifndef __FA_MODEL_H__
#define __FA_MODEL_H__

/* Model files: where faceanon looks for them, which one is the default,
 * and whether a file may be handed to OpenCV at all. */

#include <glib.h>

G_BEGIN_DECLS
/* Model files in order of preference; the first one found in the model
 * directories is the default. */
extern const gchar *const fa_model_preference[];

/* The directories searched for models: $FACEANON_MODEL_DIR (if set), then
 * the installed model directory. NULL-terminated, free with g_strfreev. */
gchar **fa_model_dirs (void);

/* The best model installed, or NULL with an FA_ERROR_NO_MODEL error that
 * lists where it looked. */
gchar *fa_model_find_default (GError ** error);

/* Whether @path is a readable regular file and, when it is named as one of
 * the models models/fetch-models.sh installs, holds that model's published
 * bytes (sha256). FALSE with an FA_ERROR_MODEL error naming the file.
 * @published: the file holds the bytes of one of those models, whatever
 * its name (they are known to load; any other file is tried in a process
 * of its own first: fa-model-check.h). */
gboolean fa_model_check_file (const gchar * path, gboolean * published,
    GError ** error);

/* The first file ending in @ext in the folder of @path (the other half of
 * a Caffe model), or NULL. */
gchar *fa_model_find_sibling (const gchar * path, const gchar * ext);

G_END_DECLS
#endif /* __FA_MODEL_H__ */
