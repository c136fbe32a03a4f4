/* faceanon tests: the tests that need YuNet
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

#include "needs-yunet.h"
#include "fa-model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
needs_yunet (const gchar * test)
{
  GError *err = NULL;
  gchar *best = fa_model_find_default (&err);
  gchar *base = best ? g_path_get_basename (best) : NULL;
  gchar **dirs;
  gchar *where;

  /* the preference's first two are YuNet-s and YuNet-n */
  if (base && (g_str_equal (base, fa_model_preference[0])
          || g_str_equal (base, fa_model_preference[1]))) {
    g_free (base);
    g_free (best);
    return;
  }
  dirs = fa_model_dirs ();
  where = g_strjoinv (", ", dirs);
  /* stdout: what meson's log and tools/run-tests.sh show of a skip */
  printf ("SKIP: %s needs the YuNet face detector (%s), which is not "
      "installed in %s (the best model there: %s); install it with "
      "models/fetch-models.sh build/models (network access, or "
      "FACEANON_MODEL_MIRROR=DIR)\n", test, fa_model_preference[0], where,
      best ? base : "none");
  fflush (stdout);
  g_strfreev (dirs);
  g_free (where);
  g_free (base);
  g_free (best);
  g_clear_error (&err);
  exit (NEEDS_YUNET_SKIP);
}
