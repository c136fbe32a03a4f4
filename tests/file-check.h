/* faceanon-file test helpers
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

#ifndef __FILE_CHECK_H__
#define __FILE_CHECK_H__

/* What test-file measures of the files faceanon-file writes, the way a user
 * would: the program's exit status and what it says, the parsed audio
 * frames of a file, its decoded video frames, its duration, its format, a
 * picture's size and metadata. Every helper fails the running test on a
 * setup error. */

#include <gst/check/gstcheck.h>

G_BEGIN_DECLS

/* faceanon-file, from the command line (faceanon-audit is beside it) */
extern const gchar *file_program;

typedef struct
{
  gint status;                  /* exit status, -1: killed */
  gchar *out;
  gchar *err;
} Run;

/* Runs faceanon-file with @args (NULL-terminated) to its end. */
void run_file_program (Run * run, const gchar * const *args);
void run_clear (Run * run);

/* A fresh folder under TMPDIR, and its removal with all in it. */
gchar *scratch_new (void);
void scratch_remove (gchar * dir);
gchar *scratch_copy (const gchar * dir, const gchar * src, const gchar * name);

/* Makes a test input: plays the gst-launch-1.0 line @description to its
 * end. */
void run_launch_line (const gchar * description);

/* Every parsed audio frame of @path (parsebin), concatenated; *@n_frames
 * how many. */
GBytes *audio_frames (const gchar * path, guint * n_frames);

/* The video frames of @path that decode. */
guint count_video_frames (const gchar * path);

/* The duration GstDiscoverer gives @path. */
GstClockTime file_duration (const gchar * path);

/* What typefind takes @path to be: "image/jpeg", "video/x-msvideo", ... */
gchar *file_media_type (const gchar * path);

/* The decoded size of the picture @path. */
void picture_size (const gchar * path, gint * width, gint * height);

/* The tags jpegparse reads from the JPEG @path (its EXIF), or NULL. */
GstTagList *jpeg_tags (const gchar * path);

/* The files in @dir whose name contains @part. */
guint count_files_named (const gchar * dir, const gchar * part);

G_END_DECLS

#endif /* __FILE_CHECK_H__ */
