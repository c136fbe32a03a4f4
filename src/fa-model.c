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

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "fa-model.h"
#include "fa-error.h"

#include <glib/gstdio.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

const gchar *const fa_model_preference[] = {
  "face_detection_yunet_2023mar.onnx",
  "yunet_n_640_640.onnx",
  "face_detection_back_256x256_barracuda.onnx",
  "face_detection_front_128x128_barracuda.onnx",
  NULL
};

/* The published bytes of the models models/fetch-models.sh installs.
 * These were tried with OpenCV 4.6 and load as they are, under any name.
 * Any other file goes through a trial load in a process of its own first
 * (fa-model-check.c): OpenCV 4.6's ONNX importer can crash the process on
 * a damaged file (a node input naming no tensor: docs/robustness.md). A
 * file named as one of these must be that file, so that a damaged
 * download is said to be one. */
static const struct
{
  const gchar *name;
  const gchar *sha256;
} known_models[] = {
  {"face_detection_yunet_2023mar.onnx",
      "8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4"},
  {"yunet_n_640_640.onnx",
      "25a606a145a5b6d7271ae138fbd00eba91dad8b83222ae3f2c7ecd0f4a7b0e31"},
  {"face_detection_back_256x256_barracuda.onnx",
      "427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2"},
  {"face_detection_front_128x128_barracuda.onnx",
      "d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51"},
};

#define READ_CHUNK (64 * 1024)

/* The sha256 of the file at @path, read a piece at a time (a model of the
 * user's own may be large), or NULL with an error. */
static gchar *
file_sha256 (const gchar * path, GError ** error)
{
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
  guchar *buf = g_malloc (READ_CHUNK);
  gchar *hex = NULL;
  FILE *f = g_fopen (path, "rb");
  size_t n;

  if (f == NULL)
    goto failed;
  while ((n = fread (buf, 1, READ_CHUNK, f)) > 0)
    g_checksum_update (sum, buf, n);
  if (ferror (f))
    goto failed;
  hex = g_strdup (g_checksum_get_string (sum));
  goto out;

failed:
  g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
      "could not read the model '%s': %s", path, g_strerror (errno));
out:
  if (f)
    fclose (f);
  g_free (buf);
  g_checksum_free (sum);
  return hex;
}

/* FALSE, with an error that says how to get a good copy, when @path is
 * named as a model faceanon installs but does not hold its bytes;
 * @published: it holds the bytes of one of them, whatever its name. */
static gboolean
check_known_model (const gchar * path, gboolean * published, GError ** error)
{
  gchar *base = g_path_get_basename (path), *sum;
  const gchar *want = NULL;
  gboolean ok = TRUE;

  *published = FALSE;
  sum = file_sha256 (path, error);
  if (sum == NULL) {
    g_free (base);
    return FALSE;
  }
  for (guint i = 0; i < G_N_ELEMENTS (known_models); i++) {
    if (g_str_equal (base, known_models[i].name))
      want = known_models[i].sha256;
    if (g_str_equal (sum, known_models[i].sha256))
      *published = TRUE;
  }
  if (want && !g_str_equal (sum, want)) {
    g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
        "the model '%s' is damaged or not the published %s (sha256 %s, "
        "expected %s): install it again with models/fetch-models.sh, or "
        "give a model of your own another file name", path, base, sum, want);
    ok = FALSE;
  }
  g_free (sum);
  g_free (base);
  return ok;
}

static gboolean
check_readable (const gchar * path, GError ** error)
{
  GStatBuf st;
  FILE *f;

  if (g_stat (path, &st) != 0) {
    g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
        "model file '%s' does not exist", path);
    return FALSE;
  }
  if (!S_ISREG (st.st_mode)) {
    g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
        "model path '%s' is not a regular file but a folder or a device: "
        "name the model file itself", path);
    return FALSE;
  }
  f = g_fopen (path, "rb");
  if (f == NULL) {
    g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
        "model file '%s' cannot be read (%s): check its permissions", path,
        g_strerror (errno));
    return FALSE;
  }
  fclose (f);
  return TRUE;
}

/* The other half of a Caffe model: the first file with @ext next to it. */
gchar *
fa_model_find_sibling (const gchar * path, const gchar * ext)
{
  gchar *dir = g_path_get_dirname (path);
  GDir *d = g_dir_open (dir, 0, NULL);
  gchar *found = NULL;
  const gchar *name;

  while (d && !found && (name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ext))
      found = g_build_filename (dir, name, NULL);
  if (d)
    g_dir_close (d);
  g_free (dir);
  return found;
}

gboolean
fa_model_check_file (const gchar * path, gboolean * published, GError ** error)
{
  *published = FALSE;
  return check_readable (path, error)
      && check_known_model (path, published, error);
}

gchar **
fa_model_dirs (void)
{
  GPtrArray *dirs = g_ptr_array_new ();
  const gchar *env = g_getenv ("FACEANON_MODEL_DIR");

  if (env && *env)
    g_ptr_array_add (dirs, g_strdup (env));
  g_ptr_array_add (dirs, g_strdup (FACEANON_MODEL_DIR));
  g_ptr_array_add (dirs, NULL);
  return (gchar **) g_ptr_array_free (dirs, FALSE);
}

gchar *
fa_model_find_default (GError ** error)
{
  gchar **dirs = fa_model_dirs ();
  gchar *found = NULL, *where;

  for (guint m = 0; fa_model_preference[m] && !found; m++) {
    for (guint d = 0; dirs[d] && !found; d++) {
      gchar *path = g_build_filename (dirs[d], fa_model_preference[m], NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        found = path;
      else
        g_free (path);
    }
  }
  if (found == NULL) {
    where = g_strjoinv ("', '", dirs);
    g_set_error (error, FA_ERROR, FA_ERROR_NO_MODEL,
        "no face detection model is installed (looked in '%s'): install "
        "them with models/fetch-models.sh DIR (tools/install.sh does it) "
        "and set FACEANON_MODEL_DIR=DIR", where);
    g_free (where);
  }
  g_strfreev (dirs);
  return found;
}
