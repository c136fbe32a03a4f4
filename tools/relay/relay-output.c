/* faceanon-relay: what it says
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

/* One line each, time-stamped and with every secret of the source hidden:
 * status lines on stdout, warnings and errors on stderr, all in the debug
 * log. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "relay.h"

#include <stdio.h>

static void
say_valist (Relay * relay, FILE * out, GstDebugLevel level,
    const gchar * kind, const gchar * format, va_list args)
{
  gchar *text = gst_info_strdup_vprintf (format, args);
  gchar *clean = source_redact (&relay->source, text);
  GDateTime *now = g_date_time_new_now_local ();
  gchar *stamp = g_date_time_format (now, "%H:%M:%S");

  /* an error in the options comes before GStreamer and the category */
  if (relay_debug)
    GST_CAT_LEVEL_LOG (relay_debug, level, NULL, "%s%s", kind, clean);
  fprintf (out, "%s faceanon-relay: %s%s\n", stamp, kind, clean);
  fflush (out);
  g_free (stamp);
  g_date_time_unref (now);
  g_free (clean);
  g_free (text);
}

/* A status line: what the relay does, on stdout. */
void
relay_say (Relay * relay, const gchar * format, ...)
{
  va_list args;

  va_start (args, format);
  say_valist (relay, stdout, GST_LEVEL_INFO, "", format, args);
  va_end (args);
}

/* A status line only with --verbose. */
void
relay_verbose (Relay * relay, const gchar * format, ...)
{
  va_list args;

  if (!relay->verbose)
    return;
  va_start (args, format);
  say_valist (relay, stdout, GST_LEVEL_INFO, "", format, args);
  va_end (args);
}

/* A warning: on stderr, and the relay goes on. */
void
relay_warn (Relay * relay, const gchar * format, ...)
{
  va_list args;

  va_start (args, format);
  say_valist (relay, stderr, GST_LEVEL_WARNING, "warning: ", format, args);
  va_end (args);
}

/* Why the relay cannot go on: on stderr; it then stops. */
void
relay_error (Relay * relay, const gchar * format, ...)
{
  va_list args;

  va_start (args, format);
  say_valist (relay, stderr, GST_LEVEL_ERROR, "error: ", format, args);
  va_end (args);
}
