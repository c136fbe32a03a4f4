/* faceanon-file: a file's pipeline, run to its end
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

/* The pipeline plays until its end of stream or its first error, the
 * progress drawn a few times a second from the main thread. SIGINT and
 * SIGTERM stop the file being written (its temporary file is removed by
 * the caller) and the files after it. */

/* fseeko, sigaction */
#define _POSIX_C_SOURCE 200809L

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "file.h"

#include <signal.h>
#include <string.h>

#define POLL_PERIOD (100 * GST_MSECOND)

static volatile sig_atomic_t interrupted;

static void
on_signal (int signum)
{
  interrupted = 1;
}

void
run_catch_signals (void)
{
  struct sigaction sa;

  memset (&sa, 0, sizeof (sa));
  sa.sa_handler = on_signal;
  sigemptyset (&sa.sa_mask);
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);
}

gboolean
run_interrupted (void)
{
  return interrupted != 0;
}

/* "MESSAGE (the last line of the details)": GStreamer's message alone is
 * often "Internal data stream error", its details say which element and
 * why. */
static gchar *
error_text (GstMessage * msg)
{
  GError *err = NULL;
  gchar *debug = NULL, *text, *last;

  gst_message_parse_error (msg, &err, &debug);
  last = debug ? strrchr (debug, '\n') : NULL;
  last = last ? last + 1 : debug;
  if (last && *last)
    text = g_strdup_printf ("%s (%s: %s)", err->message,
        GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), last);
  else
    text = g_strdup (err->message);
  g_error_free (err);
  g_free (debug);
  return text;
}

static void
say_warning (App * app, Job * job, GstMessage * msg)
{
  GError *err = NULL;
  gchar *debug = NULL;

  gst_message_parse_warning (msg, &err, &debug);
  /* faceanon's warning of a weaker model, said at the start already */
  if (g_strcmp0 (err->message, app->model_warning) != 0)
    file_warn (app, "%s: %s", job->display, err->message);
  g_error_free (err);
  g_free (debug);
}

gboolean
pipeline_run (App * app, Job * job, GstElement * pipeline, Counts * counts,
    GError ** error)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  gboolean ok = FALSE, done = FALSE;

  counts->started_us = g_get_monotonic_time ();
  app->last_percent = 0;
  app->last_progress_us = counts->started_us;
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while (!done) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, POLL_PERIOD,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_WARNING);

    if (run_interrupted ()) {
      g_set_error (error, FILE_ERROR, 0, "interrupted");
      done = TRUE;
    } else if (msg == NULL) {
      progress_update (app, job, counts, FALSE);
    } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS) {
      ok = done = TRUE;
    } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      gchar *text = error_text (msg);

      g_set_error (error, FILE_ERROR, 0, "%s", text);
      g_free (text);
      done = TRUE;
    } else {
      say_warning (app, job, msg);
    }
    gst_clear_message (&msg);
  }
  progress_update (app, job, counts, TRUE);
  progress_clear (app);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  return ok;
}
