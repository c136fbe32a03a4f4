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

#ifndef __FA_MODEL_CHECK_H__
#define __FA_MODEL_CHECK_H__

/* A model file tried in a process of its own before this one loads it:
 * OpenCV 4.6's readers can crash the whole process on a damaged file, and
 * faceanon runs inside any application. The child is the small program
 * faceanon-model-check, installed with the plugin; it loads the model as
 * the detector does and runs a trial detection on a blank picture. */

#include <glib.h>

G_BEGIN_DECLS

/* How long the child may take before the model counts as one that hangs
 * the reader. */
#define FA_MODEL_CHECK_TIMEOUT_S 30

/* TRUE when the child loaded @path and ran it. FALSE with an
 * FA_ERROR_MODEL error naming the file: the child's own error, or that
 * the file crashed it or made it hang, or that it could not be run. */
gboolean fa_model_check_in_child (const gchar * path, GError ** error);

/* The program the child runs: $FACEANON_MODEL_CHECK when set; the one of
 * the build folder when this code runs from there; else the installed
 * one. Free with g_free. */
gchar *fa_model_check_program (void);

G_END_DECLS
#endif /* __FA_MODEL_CHECK_H__ */
