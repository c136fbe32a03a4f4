/* faceanon-file: what it says
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

/* Status lines on stdout, warnings and errors on stderr. The progress of a
 * video is a bar with an ETA redrawn on stderr when stderr is a terminal,
 * else a plain line on stdout at every tenth of the file (every 30 s when
 * its length is unknown), for logs and scripts. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "file.h"

#include <stdio.h>

#define BAR_WIDTH 24
#define BAR_PERIOD_US (G_USEC_PER_SEC / 5)
#define PLAIN_PERIOD_US (30 * G_USEC_PER_SEC)

void
progress_clear (App * app)
{
  if (!app->bar_shown)
    return;
  fputs ("\r\033[K", stderr);
  fflush (stderr);
  app->bar_shown = FALSE;
}

static void
say_text (App * app, FILE * out, const gchar * kind, const gchar * text)
{
  progress_clear (app);
  GST_INFO ("%s%s", kind, text);
  fprintf (out, "faceanon-file: %s%s\n", kind, text);
  fflush (out);
}

static void
say_valist (App * app, FILE * out, const gchar * kind, const gchar * format,
    va_list args)
{
  gchar *text = g_strdup_vprintf (format, args);

  say_text (app, out, kind, text);
  g_free (text);
}

/* A status line, on stdout. */
void
file_say (App * app, const gchar * format, ...)
{
  va_list args;

  va_start (args, format);
  say_valist (app, stdout, "", format, args);
  va_end (args);
}

/* A warning, on stderr; the program goes on. The same warning twice is
 * said once. */
void
file_warn (App * app, const gchar * format, ...)
{
  va_list args;
  gchar *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  if (app->warned == NULL)
    app->warned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (g_hash_table_add (app->warned, g_strdup (text)))
    say_text (app, stderr, "warning: ", text);
  g_free (text);
}

/* An error: on stderr, for the file at hand; the program goes on with
 * the next. */
void
file_error (App * app, const gchar * format, ...)
{
  va_list args;

  va_start (args, format);
  say_valist (app, stderr, "error: ", format, args);
  va_end (args);
}

/* "1:02:03" or "2:03" */
static gchar *
clock_string (gdouble seconds)
{
  guint s = seconds > 0 ? (guint) (seconds + 0.5) : 0;

  if (s >= 3600)
    return g_strdup_printf ("%u:%02u:%02u", s / 3600, s / 60 % 60, s % 60);
  return g_strdup_printf ("%u:%02u", s / 60, s % 60);
}

void
progress_update (App * app, Job * job, const Counts * counts, gboolean done)
{
  gint64 now = g_get_monotonic_time ();
  guint64 frames = g_atomic_pointer_get ((gsize *) & counts->frames);
  gdouble elapsed = (now - counts->started_us) / (gdouble) G_USEC_PER_SEC;
  gdouble fps = elapsed > 0 ? frames / elapsed : 0;
  guint64 expected = MAX (counts->expected, frames);
  gint percent = expected ? (gint) (100 * frames / expected) : -1;
  gchar *eta = NULL, *line;

  if (app->quiet)
    return;
  if (app->tty && !done && now - app->last_progress_us < BAR_PERIOD_US)
    return;
  if (!app->tty && (done || (percent >= 0 && percent / 10 ==
              app->last_percent / 10) || (percent < 0 && now -
              app->last_progress_us < PLAIN_PERIOD_US)))
    return;
  app->last_progress_us = now;
  app->last_percent = percent;

  if (percent >= 0 && fps > 0)
    eta = clock_string ((expected - frames) / fps);
  if (percent >= 0)
    line = g_strdup_printf ("%3d%%  %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
        " frames  %.1f fps  ETA %s", percent, frames, expected, fps,
        eta ? eta : "?");
  else
    line = g_strdup_printf ("%" G_GUINT64_FORMAT " frames  %.1f fps", frames,
        fps);

  if (app->tty) {
    gchar bar[BAR_WIDTH + 1];
    gint filled = percent >= 0 ? percent * BAR_WIDTH / 100 : 0;

    for (gint i = 0; i < BAR_WIDTH; i++)
      bar[i] = i < filled ? '#' : (percent >= 0 ? '-' : ' ');
    bar[BAR_WIDTH] = '\0';
    fprintf (stderr, "\r\033[K%s [%s] %s", job->display, bar, line);
    fflush (stderr);
    app->bar_shown = TRUE;
  } else {
    fprintf (stdout, "faceanon-file: %s: %s\n", job->display, line);
    fflush (stdout);
  }
  g_free (line);
  g_free (eta);
}

/* @n_files: the files there were to anonymize */
void
summary_print (App * app, guint n_files)
{
  gdouble seconds = (g_get_monotonic_time () - app->started_us) /
      (gdouble) G_USEC_PER_SEC;
  gchar *took = clock_string (seconds);

  progress_clear (app);
  printf ("faceanon-file: %u of %u file%s written, %u failed; %"
      G_GUINT64_FORMAT " frame%s, %" G_GUINT64_FORMAT " face%s masked; in "
      "%s\n", app->n_written, n_files, n_files == 1 ? "" : "s",
      app->failures->len, app->frames, app->frames == 1 ? "" : "s",
      app->faces, app->faces == 1 ? "" : "s", took);
  if (app->n_skipped)
    printf ("faceanon-file: %u file%s in the folders passed over (not a "
        "video or picture by its name, or a copy written before)\n",
        app->n_skipped, app->n_skipped == 1 ? "" : "s");
  if (app->n_audited)
    printf ("faceanon-file: audit: %u of %u clean\n", app->n_audited -
        app->n_audit_unclean, app->n_audited);
  for (guint i = 0; i < app->audit_failures->len; i++)
    printf ("  audit: %s\n", (gchar *) g_ptr_array_index (app->audit_failures,
            i));
  fflush (stdout);
  if (app->failures->len)
    fprintf (stderr, "faceanon-file: failed:\n");
  for (guint i = 0; i < app->failures->len; i++)
    fprintf (stderr, "  %s\n", (gchar *) g_ptr_array_index (app->failures, i));
  g_free (took);
}
