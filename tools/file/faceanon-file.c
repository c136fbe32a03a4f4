/* faceanon-file: writes an anonymized copy of video files and pictures
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

/* The options and the wiring; file.h says how a file is anonymized and
 * which file holds what. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "file.h"

#include <glib/gstdio.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

GST_DEBUG_CATEGORY (file_debug);

G_DEFINE_QUARK (faceanon_file_error, file_error);

#define EXIT_NOT_ALL_WRITTEN 1
#define EXIT_USAGE 2
#define EXIT_AUDIT_UNCLEAN 3
#define EXIT_INTERRUPTED 130

static void
fail (App * app, Job * job, GError * err)
{
  g_ptr_array_add (app->failures, g_strdup_printf ("%s: %s", job->display,
          err ? err->message : "failed"));
  file_error (app, "%s: not written: %s", job->display,
      err ? err->message : "failed");
}

/* Writes @temp with the anonymized copy; the plan may change the copy's
 * extension (a container that cannot be written). */
static gboolean
anonymize (App * app, Job * job, Media * media, Counts * counts,
    gchar ** temp, GError ** error)
{
  Plan *plan = NULL;
  gchar *dir, *what;
  gint fd;
  gboolean ok;

  if (!media->image) {
    plan = plan_new (media, error);
    if (plan == NULL)
      return FALSE;
    if (plan->extension)
      job_set_extension (job, plan->extension);
  }
  dir = g_path_get_dirname (job->output);
  if (g_mkdir_with_parents (dir, 0755) != 0) {
    g_set_error (error, FILE_ERROR, 0, "cannot create the folder '%s': %s",
        dir, g_strerror (errno));
    g_free (dir);
    plan_free (plan);
    return FALSE;
  }
  g_free (dir);
  *temp = temp_name_for (job->output);
  fd = g_mkstemp (*temp);
  if (fd < 0) {
    g_set_error (error, FILE_ERROR, 0, "cannot write '%s': %s", *temp,
        g_strerror (errno));
    g_clear_pointer (temp, g_free);
    plan_free (plan);
    return FALSE;
  }
  /* a file as any other the user writes, not mkstemp's 0600 */
  fchmod (fd, app->file_mode);
  close (fd);

  what = plan ? plan_describe (plan, media) : g_strdup ("picture");
  file_say (app, "%s -> %s (%s)", job->display, job->output, what);
  g_free (what);
  for (guint i = 0; plan && i < plan->notes->len; i++)
    file_warn (app, "%s: %s", job->display,
        (const gchar *) g_ptr_array_index (plan->notes, i));
  if (plan)
    ok = video_run (app, job, media, plan, *temp, counts, error);
  else
    ok = image_run (app, job, media, *temp, counts, error);
  plan_free (plan);
  return ok;
}

/* A video that ends well before its length (more than a tenth, and 2 s)
 * was cut short or damaged: the copy holds what could be read. */
static void
warn_if_short (App * app, Job * job, Media * media, Counts * counts)
{
  guint64 missing;

  if (media->image || counts->expected == 0 || counts->frames >=
      counts->expected)
    return;
  missing = counts->expected - counts->frames;
  if (missing * 10 > counts->expected && missing * media->fps_d >
      2 * (guint64) media->fps_n)
    file_warn (app, "%s: its video ends after %" G_GSIZE_FORMAT " frames of "
        "about %" G_GUINT64_FORMAT " that its length says: it is damaged or "
        "cut short, and the copy holds what could be read", job->display,
        counts->frames, counts->expected);
}

static void
run_job (App * app, Job * job)
{
  Counts counts = { 0, };
  Media *media;
  GError *err = NULL;
  gchar *temp = NULL;
  gdouble seconds;

  media = media_discover (app->discoverer, job->input, &err);
  if (media == NULL) {
    /* in a folder, a file that is no video at all is passed over */
    if (!job->named && g_error_matches (err, FILE_ERROR, FILE_ERROR_NO_VIDEO)) {
      app->n_skipped++;
      g_clear_error (&err);
      return;
    }
    fail (app, job, err);
    g_clear_error (&err);
    return;
  }
  if (!anonymize (app, job, media, &counts, &temp, &err)
      || g_rename (temp, job->output) != 0) {
    if (err == NULL)
      g_set_error (&err, FILE_ERROR, 0, "cannot rename '%s' to '%s': %s",
          temp, job->output, g_strerror (errno));
    if (temp)
      g_unlink (temp);
    fail (app, job, err);
    g_clear_error (&err);
    g_free (temp);
    media_free (media);
    return;
  }
  seconds = (g_get_monotonic_time () - counts.started_us) /
      (gdouble) G_USEC_PER_SEC;
  warn_if_short (app, job, media, &counts);
  file_say (app, "%s written: %" G_GSIZE_FORMAT " frame%s, %" G_GSIZE_FORMAT
      " face%s masked, %.1f s", job->output, counts.frames,
      counts.frames == 1 ? "" : "s", counts.faces, counts.faces == 1 ? "" :
      "s", seconds);
  app->n_written++;
  app->frames += counts.frames;
  app->faces += counts.faces;
  if (app->audit)
    audit_run (app, job);
  g_free (temp);
  media_free (media);
}

int
main (int argc, char **argv)
{
  App app = { 0, };
  GOptionContext *ctx;
  GError *err = NULL;
  GPtrArray *jobs = NULL;
  guint n_files;
  int status = EXIT_USAGE;
  const GOptionEntry entries[] = {
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &app.output_dir,
        "Write the copies under DIR (the folders given are mirrored there) "
          "instead of beside each file", "DIR"},
    {"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &app.sets,
        "Set a faceanon property, e.g. --set method=pixelate (repeatable; "
          "gst-inspect-1.0 faceanon lists them)", "PROP=VALUE"},
    {"keep-metadata", 'k', 0, G_OPTION_ARG_NONE, &app.keep_metadata,
        "Keep the EXIF of JPEG pictures (camera, time, GPS position), the "
          "orientation made normal; by default it is left out", NULL},
    {"audit", 'a', 0, G_OPTION_ARG_NONE, &app.audit,
        "Audit each copy with faceanon-audit against its original and "
          "report the verdict (exit status 3 when a face remains)", NULL},
    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &app.quiet,
          "No progress, only what was written, warnings and the summary",
        NULL},
    {NULL}
  };

  app.failures = g_ptr_array_new_with_free_func (g_free);
  app.audit_failures = g_ptr_array_new_with_free_func (g_free);
  app.started_us = g_get_monotonic_time ();
  ctx = g_option_context_new ("FILE|FOLDER...");
  g_option_context_set_summary (ctx, "Writes an anonymized copy of each "
      "video and picture, every face masked by faceanon: NAME.EXT becomes "
      "NAME" OUTPUT_SUFFIX ".EXT beside it. Folders are walked for videos "
      "and pictures.\n\nA video keeps its container, its frame rate, "
      "timestamps, rotation and creation time; its video is encoded again in "
      "its own codec family, its audio and subtitles are copied as they are. "
      "A picture keeps its format and comes out upright, without its EXIF "
      "unless --keep-metadata.\n\nExit status: 0 every copy written (and "
      "clean, with --audit), 1 a file could not be anonymized, 2 bad usage, "
      "3 the audit found a face.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err))
    goto error;
  GST_DEBUG_CATEGORY_INIT (file_debug, "faceanon-file", 0,
      "faceanon file anonymizer");
  if (argc < 2) {
    g_set_error (&err, FILE_ERROR, 0, "give the files or folders to "
        "anonymize (see --help)");
    goto error;
  }
  app.tty = isatty (STDERR_FILENO);
  app.file_mode = umask (0);
  umask (app.file_mode);
  app.file_mode = 0666 & ~app.file_mode;
  if (!element_check (&app, &err))
    goto error;
  if (app.audit && !(app.audit_program = audit_find_program (&err)))
    goto error;
  if (!(app.discoverer = media_discoverer_new (&err)))
    goto error;

  run_catch_signals ();
  jobs = inputs_collect (&app, argv + 1);
  n_files = jobs->len + app.failures->len;
  for (guint i = 0; i < jobs->len && !run_interrupted (); i++)
    run_job (&app, g_ptr_array_index (jobs, i));
  summary_print (&app, n_files);

  if (run_interrupted ())
    status = EXIT_INTERRUPTED;
  else if (app.failures->len)
    status = EXIT_NOT_ALL_WRITTEN;
  else if (app.n_audit_unclean)
    status = EXIT_AUDIT_UNCLEAN;
  else
    status = EXIT_SUCCESS;
  goto done;

error:
  g_printerr ("faceanon-file: %s\n", err->message);
  g_clear_error (&err);
done:
  if (jobs)
    g_ptr_array_unref (jobs);
  g_ptr_array_unref (app.failures);
  g_ptr_array_unref (app.audit_failures);
  g_clear_pointer (&app.warned, g_hash_table_unref);
  g_clear_object (&app.discoverer);
  g_option_context_free (ctx);
  fa_settings_free (app.settings);
  g_strfreev (app.sets);
  g_free (app.output_dir);
  g_free (app.audit_program);
  g_free (app.model_warning);
  return status;
}
