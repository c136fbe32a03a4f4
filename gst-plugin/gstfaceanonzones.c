/* GStreamer faceanon element
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

/* The privacy-zones property: "x,y,width,height;..." in fractions of the
 * frame. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstfaceanon.h"

#include <string.h>

/* Parses @text (NULL or blank: no zone) into @zones without changing it.
 * FALSE, with *@error_message saying what is wrong, on a malformed value:
 * the user asked for something to be hidden, so it must not be silently
 * ignored. */
gboolean
gst_face_anon_parse_zones (const gchar * text,
    gdouble zones[GST_FACE_ANON_MAX_ZONES][4], guint * n_zones,
    gchar ** error_message)
{
  gchar **parts;
  guint n = 0;

  *n_zones = 0;
  *error_message = NULL;
  if (text == NULL)
    return TRUE;

  parts = g_strsplit (text, ";", -1);
  for (guint i = 0; parts[i] && *error_message == NULL; i++) {
    gchar *zone = g_strstrip (parts[i]);
    gchar **v;
    gdouble z[4];
    guint k;

    if (*zone == '\0')
      continue;
    v = g_strsplit (zone, ",", -1);
    for (k = 0; k < 4 && v[k]; k++) {
      gchar *end = NULL;

      z[k] = g_ascii_strtod (g_strstrip (v[k]), &end);
      if (end == v[k] || *end != 0 || !(z[k] >= 0.0 && z[k] <= 1.0))
        break;
    }
    if (k != 4 || v[4] != NULL || z[2] <= 0.0 || z[3] <= 0.0)
      *error_message = g_strdup_printf ("privacy zone '%s' is not "
          "'x,y,width,height' with four numbers from 0 to 1 and a positive "
          "size", zone);
    else if (n == GST_FACE_ANON_MAX_ZONES)
      *error_message = g_strdup_printf ("more than %d privacy zones",
          GST_FACE_ANON_MAX_ZONES);
    else
      memcpy (zones[n++], z, sizeof (z));
    g_strfreev (v);
  }
  g_strfreev (parts);
  if (*error_message)
    return FALSE;
  *n_zones = n;
  return TRUE;
}
