/* faceanon-model-check: loads a model file and runs it, in a process of
 * its own
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

/* Not for users: the engine runs it (fa-model-check.c) on every model file
 * that is not one faceanon installs, before loading it itself, so that a
 * file that crashes OpenCV's reader crashes this process instead.
 *
 * Usage: faceanon-model-check -- MODEL
 * Loads MODEL as the detector does, then detects on a blank picture at
 * the input sizes the element uses most (the model's own square for the
 * families that take one size). Says "ok" on stdout and exits 0, or
 * "error", a line break and what is wrong with the file, and exits 1. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "fa-detector.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <signal.h>

/* The frame the trial runs on, and the detection sizes tried on it: the
 * smallest input and a common one. */
#define TRIAL_WIDTH 320
#define TRIAL_HEIGHT 240
static const gint trial_sizes[] = { 320, 32 };

/* A damaged tensor size can make OpenCV allocate and fill gigabytes: this
 * process fails with an error instead of pushing the machine into swap or
 * the OOM killer. The models faceanon knows take under 200 MB here. */
#define DATA_LIMIT_BASE (G_GUINT64_CONSTANT (1) << 30)
#define DATA_LIMIT_PER_FILE_BYTE 16

static void
limit_memory (const gchar * path)
{
#ifndef __SANITIZE_ADDRESS__
  GStatBuf st;
  struct rlimit lim;

  /* ASan reserves terabytes of shadow memory, which this would refuse */
  if (g_stat (path, &st) != 0)
    return;
  lim.rlim_cur = lim.rlim_max = DATA_LIMIT_BASE +
      (guint64) st.st_size * DATA_LIMIT_PER_FILE_BYTE;
  setrlimit (RLIMIT_DATA, &lim);
#endif
}

static gboolean
trial (FaDetector * det, const gchar * path, GError ** error)
{
  guint8 *grey = g_malloc (TRIAL_WIDTH * TRIAL_HEIGHT);
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (FaBox));
  FaImage img = {
    .width = TRIAL_WIDTH,.height = TRIAL_HEIGHT,
    .model = FA_COLOR_GRAY,.n_comps = 1,
    .comp = {{grey, 1, TRIAL_WIDTH, TRIAL_WIDTH, TRIAL_HEIGHT, 0, 0}
        },
  };
  gboolean ok = TRUE;
  GError *err = NULL;

  memset (grey, 128, TRIAL_WIDTH * TRIAL_HEIGHT);
  for (guint i = 0; ok && i < G_N_ELEMENTS (trial_sizes); i++) {
    g_array_set_size (boxes, 0);
    ok = fa_detector_detect (det, &img, trial_sizes[i], 0.5f, boxes, &err);
    /* one size is all a fixed-size model takes */
    if (fa_detector_get_fixed_size (det))
      break;
  }
  if (!ok) {
    g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
        "the model '%s' loads but fails on a trial picture: %s", path,
        err->message);
    g_clear_error (&err);
  }
  g_array_unref (boxes);
  g_free (grey);
  return ok;
}

int
main (int argc, char **argv)
{
  const gchar *path;
  FaDetector *det;
  GError *err = NULL;

  if (argc != 3 || strcmp (argv[1], "--") != 0) {
    fprintf (stderr, "usage: %s -- MODEL (faceanon runs this itself)\n",
        argv[0]);
    return 2;
  }
  path = argv[2];
  /* nothing to do once the one who asked is gone */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  limit_memory (path);

  det = fa_detector_load (path, &err);
  if (det && trial (det, path, &err)) {
    fputs ("ok\n", stdout);
    fflush (stdout);
    fa_detector_free (det);
    return 0;
  }
  printf ("error\n%s", err->message);
  fflush (stdout);
  g_clear_error (&err);
  if (det)
    fa_detector_free (det);
  return 1;
}
