/* faceanon-file: the files to anonymize and where their copies go
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

/* Each argument is a file, taken whatever its name, or a folder, walked
 * in name order for the files whose extension is a video's or a
 * picture's; the copies this program wrote (NAME-anonymized.EXT, and the
 * temporary NAME-anonymized.partial-XXXXXX.EXT) are passed over. The copy
 * of DIR/NAME.EXT is DIR/NAME-anonymized.EXT, or under --output the same
 * path relative to the folder given. No copy may land on an input or on
 * another file's copy. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "file.h"

#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>

#define TEMP_INFIX ".partial-XXXXXX"

static const gchar *const media_extensions[] = {
  /* video */
  "mp4", "m4v", "mov", "3gp", "mkv", "webm", "avi", "mpg", "mpeg", "ts",
  "mts", "m2ts", "ogv", "flv",
  /* pictures */
  "jpg", "jpeg", "png", "webp", "tif", "tiff", "bmp",
  NULL
};

void
job_free (Job * job)
{
  g_free (job->input);
  g_free (job->display);
  g_free (job->output);
  g_free (job);
}

/* The extension of the file @path with its dot, or "" (a dot that starts
 * the name is not one). */
static const gchar *
extension_of (const gchar * path)
{
  const gchar *slash = strrchr (path, G_DIR_SEPARATOR);
  const gchar *base = slash ? slash + 1 : path;
  const gchar *dot = strrchr (base, '.');

  return dot && dot != base ? dot : path + strlen (path);
}

static gboolean
is_media_name (const gchar * name)
{
  const gchar *ext = extension_of (name);
  gchar *lower;
  gboolean ok;

  if (*ext == '\0')
    return FALSE;
  lower = g_ascii_strdown (ext + 1, -1);
  ok = g_strv_contains (media_extensions, lower);
  g_free (lower);
  return ok;
}

/* Whether @name is a copy this program wrote, or one being written. */
static gboolean
is_our_output (const gchar * name)
{
  gchar *pattern = g_strconcat ("*" OUTPUT_SUFFIX ".*", NULL);
  gboolean ours = g_pattern_match_simple (pattern, name)
      || g_pattern_match_simple ("*" OUTPUT_SUFFIX ".partial-??????*", name);

  g_free (pattern);
  return ours;
}

/* DIR/STEM-anonymized.EXT (STEM-anonymized.EXT when DIR is ".") */
static gchar *
output_name (const gchar * dir, const gchar * base)
{
  const gchar *ext = extension_of (base);
  gchar *stem = g_strndup (base, ext - base);
  gchar *name = g_strconcat (stem, OUTPUT_SUFFIX, ext, NULL);
  gchar *path;

  g_free (stem);
  if (g_str_equal (dir, "."))
    return name;
  path = g_build_filename (dir, name, NULL);
  g_free (name);
  return path;
}

gchar *
temp_name_for (const gchar * output)
{
  const gchar *ext = extension_of (output);
  gchar *stem = g_strndup (output, ext - output);
  gchar *temp = g_strconcat (stem, TEMP_INFIX, ext, NULL);

  g_free (stem);
  return temp;
}

/* @rel: the file's path below the folder given, or its name. */
static Job *
job_new (App * app, const gchar * path, const gchar * rel, gboolean named)
{
  Job *job = g_new0 (Job, 1);
  gchar *dir, *rel_dir, *base = g_path_get_basename (path);

  job->input = g_strdup (path);
  job->display = g_strdup (path);
  job->named = named;
  if (app->output_dir) {
    rel_dir = g_path_get_dirname (rel);
    dir = g_str_equal (rel_dir, ".") ? g_strdup (app->output_dir) :
        g_build_filename (app->output_dir, rel_dir, NULL);
    g_free (rel_dir);
  } else {
    dir = g_path_get_dirname (path);
  }
  job->output = output_name (dir, base);
  g_free (dir);
  g_free (base);
  return job;
}

/* @dir/@name, or @name in the current folder. */
static gchar *
join (const gchar * dir, const gchar * name)
{
  return g_str_equal (dir, ".") ? g_strdup (name) : g_build_filename (dir,
      name, NULL);
}

static gint
by_name (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar **) a, *(const gchar **) b);
}

static void
walk (App * app, const gchar * root, const gchar * rel, GPtrArray * jobs)
{
  gchar *dir_path = rel ? join (root, rel) : g_strdup (root);
  GDir *dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const gchar *name;

  if (dir == NULL) {
    g_ptr_array_add (app->failures, g_strdup_printf ("%s: cannot read the "
            "folder: %s", dir_path, g_strerror (errno)));
    goto done;
  }
  while ((name = g_dir_read_name (dir)))
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);
  g_ptr_array_sort (names, by_name);

  for (guint i = 0; i < names->len; i++) {
    const gchar *n = g_ptr_array_index (names, i);
    gchar *path = join (dir_path, n);
    gchar *sub = rel ? g_build_filename (rel, n, NULL) : g_strdup (n);

    if (g_file_test (path, G_FILE_TEST_IS_DIR))
      walk (app, root, sub, jobs);
    else if (is_media_name (n) && !is_our_output (n))
      g_ptr_array_add (jobs, job_new (app, path, sub, FALSE));
    else
      app->n_skipped++;
    g_free (sub);
    g_free (path);
  }
done:
  g_ptr_array_unref (names);
  g_free (dir_path);
}

static gboolean
same_file (const gchar * a, const gchar * b)
{
  GStatBuf sa, sb;

  if (g_strcmp0 (a, b) == 0)
    return TRUE;
  return g_stat (a, &sa) == 0 && g_stat (b, &sb) == 0
      && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* A job whose copy would land on an input, or on an earlier job's copy,
 * fails: nothing is ever written over an input. */
static void
drop_collisions (App * app, GPtrArray * jobs)
{
  for (guint i = 0; i < jobs->len; i++) {
    Job *job = g_ptr_array_index (jobs, i);
    const gchar *why = NULL;
    const gchar *other = NULL;

    for (guint k = 0; k < jobs->len && !why; k++) {
      Job *o = g_ptr_array_index (jobs, k);

      if (same_file (job->output, o->input)) {
        why = "is the input";
        other = o->input;
      } else if (k < i && g_strcmp0 (job->output, o->output) == 0) {
        why = "is also the copy of";
        other = o->input;
      }
    }
    if (why == NULL)
      continue;
    g_ptr_array_add (app->failures, g_strdup_printf ("%s: not anonymized: "
            "its copy %s %s %s", job->display, job->output, why, other));
    g_ptr_array_remove_index (jobs, i--);
  }
}

GPtrArray *
inputs_collect (App * app, gchar ** args)
{
  GPtrArray *jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);

  for (guint i = 0; args[i]; i++) {
    const gchar *arg = args[i];
    gchar *base;

    if (g_file_test (arg, G_FILE_TEST_IS_DIR)) {
      walk (app, arg, NULL, jobs);
      continue;
    }
    if (!g_file_test (arg, G_FILE_TEST_EXISTS)) {
      g_ptr_array_add (app->failures, g_strdup_printf ("%s: cannot read "
              "it: %s", arg, g_strerror (ENOENT)));
      continue;
    }
    base = g_path_get_basename (arg);
    g_ptr_array_add (jobs, job_new (app, arg, base, TRUE));
    g_free (base);
  }
  drop_collisions (app, jobs);
  return jobs;
}

/* The copy in another container than the input's: its extension. */
void
job_set_extension (Job * job, const gchar * extension)
{
  const gchar *ext = extension_of (job->output);
  gchar *stem = g_strndup (job->output, ext - job->output);

  g_free (job->output);
  job->output = g_strconcat (stem, ".", extension, NULL);
  g_free (stem);
}
