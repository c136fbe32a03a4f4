/* faceanon-file: --audit
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

/* Each copy written is audited by faceanon-audit against its input: a
 * reference detector other than the element's looks for faces at the
 * places where the original shows one (faceanon-audit --help). Its verdict
 * is its exit status: 0 clean, 1 a face remains, 2 it could not audit. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "file.h"

#include <string.h>
#include <sys/wait.h>

#define AUDIT_PROGRAM "faceanon-audit"

/* faceanon-audit beside this program (installed together), else on
 * PATH. */
gchar *
audit_find_program (GError ** error)
{
  gchar *self = g_file_read_link ("/proc/self/exe", NULL);
  gchar *path = NULL;

  if (self) {
    gchar *dir = g_path_get_dirname (self);

    path = g_build_filename (dir, AUDIT_PROGRAM, NULL);
    g_free (dir);
    g_free (self);
    if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
      g_clear_pointer (&path, g_free);
  }
  if (path == NULL)
    path = g_find_program_in_path (AUDIT_PROGRAM);
  if (path == NULL)
    g_set_error (error, FILE_ERROR, 0, "--audit needs " AUDIT_PROGRAM ", "
        "which is neither beside this program nor on PATH");
  return path;
}

/* The lines of the audit's summary that say what it found. */
static gchar *
findings (const gchar * out)
{
  static const gchar *keys[] = { "faces found in the original:",
    "remaining faces:", NULL
  };
  gchar **lines = g_strsplit (out ? out : "", "\n", -1);
  GString *s = g_string_new (NULL);

  for (guint i = 0; lines[i]; i++)
    for (guint k = 0; keys[k]; k++)
      if (g_str_has_prefix (lines[i], keys[k])) {
        gchar *value = g_strstrip (g_strdup (lines[i] + strlen (keys[k])));

        g_string_append_printf (s, "%s%s %s", s->len ? "; " : "", keys[k],
            value);
        g_free (value);
      }
  g_strfreev (lines);
  return g_string_free (s, FALSE);
}

void
audit_run (App * app, Job * job)
{
  const gchar *argv[] = { app->audit_program, "--quiet", "--reference",
    job->input, job->output, NULL
  };
  gchar *out = NULL, *err_out = NULL, *found, *verdict;
  gint status = 0;
  GError *err = NULL;

  file_say (app, "%s: auditing (%s)", job->output, AUDIT_PROGRAM);
  if (!g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
          &out, &err_out, &status, &err)) {
    verdict = g_strdup_printf ("%s: could not run " AUDIT_PROGRAM ": %s",
        job->output, err->message);
    g_clear_error (&err);
    status = 2 << 8;
  } else if (g_spawn_check_wait_status (status, NULL)) {
    found = findings (out);
    verdict = g_strdup_printf ("%s: clean: %s", job->output, found);
    g_free (found);
  } else if (WIFEXITED (status) && WEXITSTATUS (status) == 1) {
    found = findings (out);
    verdict = g_strdup_printf ("%s: A FACE REMAINS: %s", job->output, found);
    g_free (found);
  } else {
    gchar *why = g_strstrip (g_strdup (err_out ? err_out : ""));

    verdict = g_strdup_printf ("%s: the audit failed: %s", job->output, why);
    g_free (why);
  }
  app->n_audited++;
  if (!g_spawn_check_wait_status (status, NULL)) {
    app->n_audit_unclean++;
    g_ptr_array_add (app->audit_failures, g_strdup (verdict));
  }
  file_say (app, "audit: %s", verdict);
  g_free (verdict);
  g_free (out);
  g_free (err_out);
}
