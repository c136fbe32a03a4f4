/* faceanon-file end to end
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

/* What a user of faceanon-file checks, on the Debian test files:
 *  - Megamind.avi (MPEG-4 video, AC-3 audio): every AC-3 frame of the copy
 *    is the input's, bit for bit; the durations and frame counts match;
 *    faceanon-audit finds the faces masked;
 *  - the stills come out in their own formats and sizes, masked;
 *  - a JPEG with an EXIF orientation and a GPS position comes out upright,
 *    masked, without its EXIF, and with --keep-metadata keeps it;
 *  - a damaged file in a folder is an error that names it, and the files
 *    after it are still written; nothing is written over an input;
 *  - killed with SIGKILL half-way, the MP4 being written plays up to
 *    within 2 s of what faceanon had masked, and nothing is under the
 *    final name.
 *
 * Usage: test-file FACEANON-FILE (faceanon-audit beside it). Needs YuNet
 * (what is masked is measured against it): exit status 77 (skipped)
 * without. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "file-check.h"
#include "fa-data.h"
#include "needs-yunet.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define MEGAMIND_FRAMES 270
#define MEGAMIND_FPS 24
/* the audit of the whole clip must have faces to find: it finds 431 */
#define MEGAMIND_MIN_FACES 200
/* how far behind what faceanon masked a killed file may end */
#define KILL_SLACK_FRAMES (2 * MEGAMIND_FPS)

static const gchar *const stills[] = { MESSI5, FRUITS, ASTRONAUT,
  GRACE_HOPPER
};

static gchar *
out_path (const gchar * dir, const gchar * input, const gchar * ext)
{
  gchar *base = g_path_get_basename (input);
  gchar *dot = strrchr (base, '.');
  gchar *name, *path;

  *dot = '\0';
  name = g_strdup_printf ("%s-anonymized.%s", base, ext ? ext : dot + 1);
  path = g_build_filename (dir, name, NULL);
  g_free (name);
  g_free (base);
  return path;
}

/* "faces found in the original: N" in the audit line about @output */
static guint
audited_faces (const gchar * out, const gchar * output)
{
  gchar *key = g_strdup_printf ("audit: %s: clean: faces found in the "
      "original: ", output);
  const gchar *at = strstr (out, key);
  guint n;

  fail_unless (at != NULL, "no clean audit of %s", output);
  n = atoi (at + strlen (key));
  g_free (key);
  return n;
}

GST_START_TEST (test_megamind_keeps_audio)
{
  gchar *dir = scratch_new ();
  gchar *out = out_path (dir, MEGAMIND, NULL);
  const gchar *args[] = { "-q", "--audit", "-o", dir, MEGAMIND, NULL };
  GBytes *in_audio, *out_audio;
  guint in_n, out_n;
  GstClockTime in_d, out_d;
  Run run;

  run_file_program (&run, args);
  fail_unless_equals_int (run.status, 0);
  fail_unless (g_file_test (out, G_FILE_TEST_IS_REGULAR), "%s is missing", out);
  fail_unless_equals_int (count_files_named (dir, ".partial-"), 0);

  /* the audio as it was: every parsed AC-3 frame, bit for bit */
  in_audio = audio_frames (MEGAMIND, &in_n);
  out_audio = audio_frames (out, &out_n);
  fail_unless (in_n > 300, "only %u AC-3 frames in the input", in_n);
  fail_unless_equals_int (out_n, in_n);
  fail_unless (g_bytes_equal (in_audio, out_audio), "the AC-3 frames of "
      "the copy differ from the input's (%" G_GSIZE_FORMAT " and %"
      G_GSIZE_FORMAT " bytes)", g_bytes_get_size (out_audio),
      g_bytes_get_size (in_audio));

  /* every frame, the same length */
  fail_unless_equals_int (count_video_frames (out), MEGAMIND_FRAMES);
  in_d = file_duration (MEGAMIND);
  out_d = file_duration (out);
  fail_unless (ABS (GST_CLOCK_DIFF (in_d, out_d)) < GST_MSECOND,
      "duration %" GST_TIME_FORMAT ", the input's %" GST_TIME_FORMAT,
      GST_TIME_ARGS (out_d), GST_TIME_ARGS (in_d));

  /* --audit: faceanon-audit found the faces of the original masked */
  fail_unless (audited_faces (run.out, out) >= MEGAMIND_MIN_FACES,
      "the audit found too few faces in the original to mean anything");
  fail_unless (strstr (run.out, "audit: 1 of 1 clean") != NULL);

  g_bytes_unref (in_audio);
  g_bytes_unref (out_audio);
  run_clear (&run);
  g_free (out);
  scratch_remove (dir);
}

GST_END_TEST;

GST_START_TEST (test_stills_own_format)
{
  gchar *dir = scratch_new ();
  const gchar *args[] = { "-q", "--audit", "-o", dir, MESSI5, FRUITS,
    ASTRONAUT, GRACE_HOPPER, NULL
  };
  Run run;

  run_file_program (&run, args);
  fail_unless_equals_int (run.status, 0);
  for (guint i = 0; i < G_N_ELEMENTS (stills); i++) {
    gchar *out = out_path (dir, stills[i], NULL);
    gchar *in_type = file_media_type (stills[i]);
    gchar *out_type = file_media_type (out);
    gint in_w, in_h, out_w, out_h;

    fail_unless_equals_string (out_type, in_type);
    picture_size (stills[i], &in_w, &in_h);
    picture_size (out, &out_w, &out_h);
    fail_unless (in_w == out_w && in_h == out_h, "%s is %dx%d, not %dx%d",
        out, out_w, out_h, in_w, in_h);
    /* masked: clean, and (fruits aside) there were faces to mask */
    if (!g_str_equal (stills[i], FRUITS))
      fail_unless (audited_faces (run.out, out) >= 1, "the audit found no "
          "face in %s", stills[i]);
    g_free (in_type);
    g_free (out_type);
    g_free (out);
  }
  fail_unless (strstr (run.out, "audit: 4 of 4 clean") != NULL);
  run_clear (&run);
  scratch_remove (dir);
}

GST_END_TEST;

/* @name in @dir, made by the gst-launch-1.0 @line from @src: its %s are
 * the source, then the file made. */
static gchar *
make_input (const gchar * dir, const gchar * name, const gchar * line,
    const gchar * src)
{
  gchar *path = g_build_filename (dir, name, NULL);
  gchar *desc = g_strdup_printf (line, src, path);

  run_launch_line (desc);
  g_free (desc);
  return path;
}

/* grace_hopper turned a quarter left, with the EXIF that says to turn it
 * back, a GPS position and a camera. */
#define TURNED_JPEG_LINE "filesrc location=%s ! jpegdec ! videoconvert ! " \
  "videoflip video-direction=90l ! jpegenc ! taginject " \
  "tags=\"image-orientation=rotate-90,geo-location-latitude=48.8584," \
  "geo-location-longitude=2.2945,device-model=Cam1\" ! jifmux ! " \
  "filesink location=%s"

/* Megamind's video in an MP4 (H.264), the input of the kill test. */
#define MEGAMIND_MP4_LINE "filesrc location=%s ! avidemux ! decodebin ! " \
  "videoconvert ! x264enc speed-preset=ultrafast tune=zerolatency ! " \
  "mp4mux ! filesink location=%s"

GST_START_TEST (test_exif_orientation_and_privacy)
{
  gchar *dir = scratch_new ();
  gchar *keep_dir = g_build_filename (dir, "kept", NULL);
  gchar *in = make_input (dir, "turned.jpg", TURNED_JPEG_LINE, GRACE_HOPPER);
  gchar *out = out_path (dir, in, NULL);
  gchar *kept = out_path (keep_dir, in, NULL);
  const gchar *args[] = { "-q", in, NULL };
  const gchar *keep_args[] = { "-q", "--keep-metadata", "-o", keep_dir, in,
    NULL
  };
  GstTagList *tags;
  gint up_w, up_h, w, h;
  gdouble lat = 0;
  gchar *orientation = NULL;
  Run run;

  tags = jpeg_tags (in);
  fail_unless (tags && gst_tag_list_get_double (tags,
          GST_TAG_GEO_LOCATION_LATITUDE, &lat), "the input has no GPS");
  gst_tag_list_unref (tags);

  /* by default: upright (grace_hopper's own size), masked, no EXIF */
  run_file_program (&run, args);
  fail_unless_equals_int (run.status, 0);
  fail_unless (strstr (run.out, "1 face masked") != NULL);
  picture_size (GRACE_HOPPER, &up_w, &up_h);
  picture_size (out, &w, &h);
  fail_unless (w == up_w && h == up_h, "%s is %dx%d, not upright %dx%d",
      out, w, h, up_w, up_h);
  tags = jpeg_tags (out);
  if (tags) {
    gchar *text = gst_tag_list_to_string (tags);

    fail_if (gst_tag_list_get_double (tags, GST_TAG_GEO_LOCATION_LATITUDE,
            &lat) || gst_tag_list_get_string (tags, GST_TAG_DEVICE_MODEL,
            &orientation), "%s keeps metadata: %s", out, text);
    g_free (text);
    gst_tag_list_unref (tags);
  }
  run_clear (&run);

  /* --keep-metadata: the position and camera kept, the orientation normal */
  run_file_program (&run, keep_args);
  fail_unless_equals_int (run.status, 0);
  tags = jpeg_tags (kept);
  fail_unless (tags != NULL, "%s has no metadata", kept);
  fail_unless (gst_tag_list_get_double (tags, GST_TAG_GEO_LOCATION_LATITUDE,
          &lat) && ABS (lat - 48.8584) < 1e-3, "%s lost its GPS", kept);
  fail_unless (gst_tag_list_get_string (tags, GST_TAG_IMAGE_ORIENTATION,
          &orientation));
  fail_unless_equals_string (orientation, "rotate-0");
  picture_size (kept, &w, &h);
  fail_unless (w == up_w && h == up_h);
  g_free (orientation);
  gst_tag_list_unref (tags);
  run_clear (&run);

  g_free (in);
  g_free (out);
  g_free (kept);
  g_free (keep_dir);
  scratch_remove (dir);
}

GST_END_TEST;

GST_START_TEST (test_damaged_file_in_folder)
{
  gchar *dir = scratch_new ();
  gchar *first = scratch_copy (dir, MESSI5, "a-messi5.jpg");
  gchar *damaged = scratch_copy (dir, MEGAMIND, "b-damaged.avi");
  gchar *last = scratch_copy (dir, GRACE_HOPPER, "c-grace.jpg");
  const gchar *args[] = { "-q", dir, NULL };
  gchar *data, *zeros = g_malloc0 (2000);
  gsize size;
  Run run;

  /* the AVI headers zeroed */
  fail_unless (g_file_get_contents (damaged, &data, &size, NULL));
  memcpy (data + 12, zeros, 2000);
  fail_unless (g_file_set_contents (damaged, data, size, NULL));
  g_free (data);

  run_file_program (&run, args);
  fail_unless_equals_int (run.status, 1);
  fail_unless (strstr (run.err, "b-damaged.avi: not written: cannot read "
          "it") != NULL, "no error that names the damaged file");
  fail_unless_equals_int (count_files_named (dir, "b-damaged-anonymized"), 0);
  fail_unless_equals_int (count_files_named (dir, "a-messi5-anonymized.jpg"),
      1);
  fail_unless_equals_int (count_files_named (dir, "c-grace-anonymized.jpg"), 1);
  fail_unless (strstr (run.out, "2 of 3 files written, 1 failed") != NULL);

  run_clear (&run);
  g_free (zeros);
  g_free (first);
  g_free (damaged);
  g_free (last);
  scratch_remove (dir);
}

GST_END_TEST;

/* photo.jpg's copy would be photo-anonymized.jpg, which is given too. */
GST_START_TEST (test_never_over_an_input)
{
  gchar *dir = scratch_new ();
  gchar *photo = scratch_copy (dir, MESSI5, "photo.jpg");
  gchar *other = scratch_copy (dir, GRACE_HOPPER, "photo-anonymized.jpg");
  const gchar *args[] = { "-q", photo, other, NULL };
  gchar *before, *after;
  Run run;

  fail_unless (g_file_get_contents (other, &before, NULL, NULL));
  run_file_program (&run, args);
  fail_unless_equals_int (run.status, 1);
  fail_unless (strstr (run.err, "photo.jpg: not anonymized") != NULL);
  fail_unless (g_file_get_contents (other, &after, NULL, NULL));
  fail_unless (strcmp (before, after) == 0, "an input was written over");
  /* the other input is done */
  fail_unless_equals_int (count_files_named (dir,
          "photo-anonymized-anonymized.jpg"), 1);
  g_free (before);
  g_free (after);
  run_clear (&run);
  g_free (photo);
  g_free (other);
  scratch_remove (dir);
}

GST_END_TEST;

/* The first progress line at @percent or more: "NAME:  50%  137/270
 * frames ..." gives the frames masked. */
static guint
wait_for_progress (GIOChannel * ch, gint percent)
{
  gchar *line = NULL;

  while (g_io_channel_read_line (ch, &line, NULL, NULL, NULL) ==
      G_IO_STATUS_NORMAL) {
    const gchar *pct = strstr (line, "%  ");
    guint frames;

    if (pct && pct - line >= 3 && atoi (pct - 3) >= percent
        && sscanf (pct + 3, "%u/", &frames) == 1) {
      g_print ("killed at: %s", line);
      g_free (line);
      return frames;
    }
    g_free (line);
  }
  fail ("faceanon-file ended before %d%%", percent);
  return 0;
}

GST_START_TEST (test_killed_file_plays)
{
  gchar *dir = scratch_new ();
  gchar *in = make_input (dir, "megamind.mp4", MEGAMIND_MP4_LINE, MEGAMIND);
  gchar *out = out_path (dir, in, NULL);
  const gchar *argv[] = { file_program, in, NULL };
  GError *err = NULL;
  GIOChannel *ch;
  GPid pid;
  gint out_fd, status;
  guint masked, played;
  GDir *d;
  const gchar *name;
  gchar *partial = NULL;

  fail_unless (g_spawn_async_with_pipes (NULL, (gchar **) argv, NULL,
          G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL, &out_fd, NULL,
          &err), "cannot run %s: %s", file_program, err ? err->message : "");
  ch = g_io_channel_unix_new (out_fd);
  masked = wait_for_progress (ch, 50);
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  g_io_channel_unref (ch);

  /* nothing under the final name; the temporary file plays */
  fail_if (g_file_test (out, G_FILE_TEST_EXISTS), "%s is there", out);
  d = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (d)))
    if (strstr (name, ".partial-"))
      partial = g_build_filename (dir, name, NULL);
  g_dir_close (d);
  fail_unless (partial != NULL, "no temporary file after the kill");
  played = count_video_frames (partial);
  g_print ("%s: %u frames play, %u were masked at the kill\n", partial,
      played, masked);
  fail_unless (played > 0 && played + KILL_SLACK_FRAMES >= masked,
      "after a kill, %s plays %u frames of the %u masked", partial, played,
      masked);

  g_free (partial);
  g_free (in);
  g_free (out);
  scratch_remove (dir);
}

GST_END_TEST;

static Suite *
file_suite (void)
{
  Suite *s = suite_create ("file");
  TCase *tc = tcase_create ("general");

  tcase_set_timeout (tc, 600);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_megamind_keeps_audio);
  tcase_add_test (tc, test_stills_own_format);
  tcase_add_test (tc, test_exif_orientation_and_privacy);
  tcase_add_test (tc, test_damaged_file_in_folder);
  tcase_add_test (tc, test_never_over_an_input);
  tcase_add_test (tc, test_killed_file_plays);
  return s;
}

int
main (int argc, char **argv)
{
  gst_check_init (&argc, &argv);
  if (argc != 2) {
    g_printerr ("usage: %s FACEANON-FILE\n", argv[0]);
    return 2;
  }
  file_program = argv[1];
  needs_yunet ("test-file");
  return gst_check_run_suite (file_suite (), "file", __FILE__);
}
