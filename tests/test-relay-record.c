/* faceanon-relay's recording: killed, and on a full disk
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

/* What a user of faceanon-relay --record checks after an accident, on
 * 127.0.0.1 only, with the test camera of relay-check.c (Megamind with an
 * AAC track):
 *   1. kill -9: the relay records for KILL_AFTER_S and is killed; the file
 *      it was writing plays, video and audio, up to at most MAX_LOSS_S
 *      before the kill, with no frame missing in what it plays;
 *   2. a full disk: the relay records onto a filesystem of DISK_BYTES; when
 *      it is full the relay says so in one line, goes on serving (a client
 *      gets frames after), holds the last file no longer, and the file
 *      plays up to about where the disk filled.
 * The small filesystem is a tmpfs mounted in a mount namespace of this
 * test (root, or wherever unshare (CLONE_NEWNS) is allowed); elsewhere
 * the write failure is injected: the relay runs with enospc-preload.so,
 * which makes writes into the recording folder fail with ENOSPC past
 * DISK_BYTES.
 *
 * Usage: test-relay-record FACEANON-RELAY ENOSPC-PRELOAD [--inject] [--keep]
 *   --inject  inject the write failure even where a tmpfs can be mounted
 * Exit status: 0 passed, 1 failed, 77 skipped (something missing). */

/* unshare (), mount () */
#define _GNU_SOURCE

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "fa-data.h"
#include "relay-check.h"

#define CLIP_LOOPS 2
#define AAC_ENCODE "avenc_aac ! aacparse"
#define AAC_PAY "aacparse ! rtpmp4gpay"
#define CLIP_FPS (24000 / 1001.0)
#define AAC_FRAME_S (1024 / 48000.0)

#define VIEWER_USER "viewer"
#define VIEWER_PASSWORD "rec-Pw-3"

/* deadlines and measures, in seconds */
#define CHILD_READY_S 10
#define RECORDING_S 20
#define KILL_AFTER_S 8
#define PLAY_S 30
#define DISK_FULL_S 40
#define SERVING_AFTER_S 5
#define FIRST_FRAME_S 15

/* what passes */
#define MAX_LOSS_S 2.0
/* what plays has no hole: frames for at least this share of its time */
#define MIN_FRAME_SHARE 0.95
#define MAX_AV_GAP_S 0.5
#define DISK_BYTES (1536 * 1024)
#define MIN_FRAMES_AFTER 30


typedef struct
{
  Bench b;                      /* the folder, the clip, the camera */
  const gchar *relay_program;
  const gchar *preload;
  gboolean inject;              /* no tmpfs: enospc-preload.so */
  gboolean private_mounts;      /* this test's own mount namespace */
  gboolean keep;

  GSubprocess *camera;
} Test;

static gint64 t_start;

static void
step (const gchar * what)
{
  g_print ("[%5.1f s] %s\n", (g_get_monotonic_time () - t_start) / 1e6, what);
}

/* The relay, recording into @dir, on a port of its own; @url gets the
 * viewer's URL. */
static GSubprocess *
start_relay (Test * t, const gchar * dir, const gchar * log, gchar ** url,
    gboolean inject)
{
  gchar port[8];
  const gchar *argv[] = { t->relay_program, "--port", port, "--verbose",
    "--record", dir, "--auth-file", t->b.auth, t->b.source, NULL
  };
  GSubprocessLauncher *l;
  GSubprocess *p;
  gchar bytes[16];

  g_snprintf (port, sizeof (port), "%u", free_port ());
  *url = g_strdup_printf ("rtsp://" VIEWER_USER ":" VIEWER_PASSWORD
      "@127.0.0.1:%s/anon", port);
  if (!inject)
    return spawn (argv, log, NULL);
  /* the same as spawn (), with the write failure injected */
  l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_stdout_file_path (l, log);
  g_subprocess_launcher_setenv (l, "LD_PRELOAD", t->preload, TRUE);
  g_subprocess_launcher_setenv (l, "ENOSPC_DIR", dir, TRUE);
  g_snprintf (bytes, sizeof (bytes), "%u", DISK_BYTES);
  g_subprocess_launcher_setenv (l, "ENOSPC_AFTER", bytes, TRUE);
  p = g_subprocess_launcher_spawnv (l, argv, NULL);
  g_object_unref (l);
  return p;
}

/* Waits until the relay says it records into a file; its monotonic time
 * then, or 0. */
static gint64
wait_recording (GSubprocess * relay, const gchar * log, const gchar * dir)
{
  gchar *what = g_strdup_printf ("recording into %s/anon-00000.", dir);
  gboolean ok = wait_for_line (relay, log, what, RECORDING_S);

  if (!ok) {
    gchar *text = read_text (log);

    g_print ("FAIL: the relay does not record into %s within %d s:\n%s\n",
        dir, RECORDING_S, text);
    g_free (text);
    check_failed = TRUE;
  }
  g_free (what);
  return ok ? g_get_monotonic_time () : 0;
}

/* The file of the recording in @dir with the highest number. */
static gchar *
last_file (const gchar * dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const gchar *name;
  gchar *last = NULL;

  while (d && (name = g_dir_read_name (d)))
    if (g_str_has_prefix (name, "anon-") && g_strcmp0 (name, last) > 0) {
      g_free (last);
      last = g_strdup (name);
    }
  if (d)
    g_dir_close (d);
  if (last == NULL)
    return NULL;
  name = last;
  last = g_build_filename (dir, name, NULL);
  g_free ((gchar *) name);
  return last;
}

/* The checks on what a recorded file plays: both streams, no hole, in
 * step; the seconds of video it plays. */
static gdouble
check_played (const gchar * what, const gchar * path)
{
  Played p;
  gdouble v, a, share;

  play_file (path, PLAY_S, &p);
  v = played_seconds (&p, 0);
  a = played_seconds (&p, 1);
  share = v > 0 ? p.frames[0] / (v * CLIP_FPS) : 0;
  g_print ("  %s: %u video frames over %.2f s, %u audio buffers over "
      "%.2f s%s%s\n", path, p.frames[0], v, p.frames[1], a,
      p.error ? ", then: " : "", p.error ? p.error : "");
  CHECK (p.error == NULL, "%s: the file plays to its end without an error "
      "(%s)", what, p.error ? p.error : "none");
  CHECK (p.frames[0] > 0 && share >= MIN_FRAME_SHARE, "%s: its video has "
      "no hole (%u frames in %.2f s: %.0f%% of %.2f fps)", what, p.frames[0],
      v, 100 * share, CLIP_FPS);
  CHECK (p.frames[1] > 0 && p.frames[1] * AAC_FRAME_S >= MIN_FRAME_SHARE * a
      && ABS (a - v) <= MAX_AV_GAP_S, "%s: its audio has no hole and "
      "lasts as long as the video (%.2f s of %.2f s; video %.2f s)", what,
      p.frames[1] * AAC_FRAME_S, a, v);
  played_clear (&p);
  return v;
}

/* ---- 1. kill -9 -------------------------------------------------------- */

static gboolean
check_kill (Test * t)
{
  gchar *dir = g_build_filename (t->b.tmp, "killed", NULL);
  gchar *log = g_build_filename (t->b.tmp, "relay-killed.log", NULL);
  gchar *url = NULL, *file;
  GSubprocess *relay = start_relay (t, dir, log, &url, FALSE);
  gint64 opened, killed;
  gdouble written, plays;

  opened = relay ? wait_recording (relay, log, dir) : 0;
  if (opened) {
    g_usleep (KILL_AFTER_S * G_USEC_PER_SEC);
    g_subprocess_send_signal (relay, SIGKILL);
    killed = g_get_monotonic_time ();
    wait_exit (relay, CHILD_READY_S);
    written = (killed - opened) / 1e6;
    file = last_file (dir);
    g_print ("(killed %.2f s after the file was opened)\n", written);
    if (file) {
      plays = check_played ("killed", file);
      CHECK (plays >= written - MAX_LOSS_S, "the file being written when "
          "the relay was killed plays %.2f s of the %.2f s it was written: "
          "%.2f s lost (at most %.1f s)", plays, written, written - plays,
          MAX_LOSS_S);
    } else {
      CHECK (FALSE, "the killed relay left a file in %s", dir);
    }
    g_free (file);
  }
  kill_child (&relay);
  g_free (url);
  g_free (log);
  g_free (dir);
  return TRUE;
}

/* ---- 2. a full disk ---------------------------------------------------- */

static guint
count_lines (const gchar * text, const gchar * what)
{
  guint n = 0;

  for (const gchar * p = text; (p = strstr (p, what)); p += strlen (what))
    n++;
  return n;
}

/* Whether process @pid holds a file in @dir open. */
static gboolean
holds_file_in (const gchar * pid, const gchar * dir)
{
  gchar *fds = g_build_filename ("/proc", pid, "fd", NULL);
  GDir *d = g_dir_open (fds, 0, NULL);
  const gchar *name;
  gboolean holds = FALSE;

  while (d && !holds && (name = g_dir_read_name (d))) {
    gchar *link = g_build_filename (fds, name, NULL);
    gchar *target = g_file_read_link (link, NULL);

    holds = target && g_str_has_prefix (target, dir);
    g_free (target);
    g_free (link);
  }
  if (d)
    g_dir_close (d);
  g_free (fds);
  return holds;
}

static gboolean
mount_small_disk (Test * t, const gchar * dir)
{
  gchar *opts = g_strdup_printf ("size=%u,mode=0755", DISK_BYTES);
  gboolean ok;

  g_mkdir_with_parents (dir, 0755);
  ok = mount ("faceanon-test", dir, "tmpfs", MS_NOSUID | MS_NODEV, opts) == 0;
  g_free (opts);
  return ok;
}

static gboolean
check_disk_full (Test * t)
{
  gchar *dir = g_build_filename (t->b.tmp, "small-disk", NULL);
  gchar *log = g_build_filename (t->b.tmp, "relay-full.log", NULL);
  gchar *url = NULL, *text, *file, *pid;
  GSubprocess *relay;
  Client *viewer = NULL;
  gboolean stopped;
  guint f0 = 0, frames = 0, lines;

  if (!t->inject && !mount_small_disk (t, dir)) {
    g_print ("(cannot mount a tmpfs here: the write failure is injected)\n");
    t->inject = TRUE;
  }
  g_print ("(the recording goes to %s: %s %u kB)\n", dir, t->inject ?
      "writes fail with ENOSPC past" : "a tmpfs of", DISK_BYTES / 1024);
  relay = start_relay (t, dir, log, &url, t->inject);
  if (relay == NULL || !wait_recording (relay, log, dir))
    goto out;
  viewer = client_start ("viewer", url, 0.5);
  if (!client_wait_frames (viewer, 1, FIRST_FRAME_S))
    CHECK (FALSE, "a client gets frames while the relay records (%s)",
        viewer->error ? viewer->error : "none in time");

  stopped = wait_for_line (relay, log, "recording stopped", DISK_FULL_S);
  CHECK (stopped, "the relay stops recording when the disk is full "
      "(within %d s)", DISK_FULL_S);
  if (!stopped)
    goto out;
  client_counts (viewer, &f0, NULL, NULL);
  g_usleep (SERVING_AFTER_S * G_USEC_PER_SEC);
  client_counts (viewer, &frames, NULL, NULL);
  CHECK (frames - f0 >= MIN_FRAMES_AFTER && viewer->error == NULL,
      "the relay goes on serving: %u frames in the %d s after (%s)",
      frames - f0, SERVING_AFTER_S, viewer->error ? viewer->error : "no error");

  text = read_text (log);
  lines = count_lines (text, "faceanon-relay: warning: recording stopped");
  {
    gchar *line = strstr (text, "recording stopped");
    gchar *said = line ? g_strndup (line, strcspn (line, "\n")) : NULL;

    CHECK (lines == 1 && said && strstr (said, "is full"), "one line says "
        "the recording stopped because the disk is full (%u: %s)", lines,
        said ? said : "none");
    g_free (said);
  }
  g_free (text);
  pid = g_strdup (g_subprocess_get_identifier (relay));
  CHECK (pid && !holds_file_in (pid, dir), "the relay holds no file of the "
      "recording open any more");
  g_free (pid);

  file = last_file (dir);
  if (file)
    check_played ("full disk", file);
  else
    CHECK (FALSE, "the recording left a file in %s", dir);
  g_free (file);

out:
  client_stop (&viewer);
  kill_child (&relay);
  if (!t->inject)
    umount (dir);
  g_free (url);
  g_free (log);
  g_free (dir);
  return TRUE;
}

/* ---- main ------------------------------------------------------------- */

static gboolean
start_camera (Test * t)
{
  const gchar *argv[] = { "/proc/self/exe", "--serve", t->b.cam_port, t->b.clip,
    NULL
  };

  t->camera = spawn (argv, t->b.cam_log, NULL);
  if (wait_for_line (t->camera, t->b.cam_log, "ready", CHILD_READY_S))
    return TRUE;
  g_print ("FAIL: the test camera did not start\n");
  return FALSE;
}

/* what the test needs besides the relay */
static const gchar *const needed[] = { "faceanon", "x264enc", "avdec_h264",
  "h264parse", "matroskamux", "matroskademux",
  "rtph264pay", "rtspsrc", "concat", "avenc_aac", "avdec_aac", NULL
};

int
main (int argc, char **argv)
{
  Test t = { 0, };
  gboolean ok;

  /* the test camera */
  if (argc == 4 && g_str_equal (argv[1], "--serve")) {
    gst_init (NULL, NULL);
    return camera_serve (argv[2], argv[3], AAC_PAY);
  }
  if (argc < 3) {
    g_printerr ("usage: test-relay-record FACEANON-RELAY ENOSPC-PRELOAD "
        "[--inject] [--keep]\n");
    return 2;
  }
  t.relay_program = argv[1];
  t.preload = argv[2];
  for (int i = 3; i < argc; i++) {
    t.inject |= g_str_equal (argv[i], "--inject");
    t.keep |= g_str_equal (argv[i], "--keep");
  }
  /* a mount namespace of its own, for the small disk, while this process
   * has one thread: the mounts go with the test however it ends */
  if (!t.inject && unshare (CLONE_NEWNS) == 0
      && mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0)
    t.private_mounts = TRUE;
  else
    t.inject = TRUE;

  gst_init (NULL, NULL);
  t_start = g_get_monotonic_time ();
  if (!g_file_test (MEGAMIND, G_FILE_TEST_EXISTS)) {
    g_print ("SKIP: %s is missing: install opencv-doc\n", MEGAMIND);
    return 77;
  }
  if (!have_elements (needed))
    return 77;

  bench_setup (&t.b, "faceanon-record", VIEWER_USER, VIEWER_PASSWORD);
  g_print ("working in %s; camera on port %s\n", t.b.tmp, t.b.cam_port);

  step ("building the camera's clip");
  ok = build_clip (t.b.clip, CLIP_LOOPS, AAC_ENCODE);
  step ("starting the test camera");
  ok = ok && start_camera (&t);
  if (ok) {
    step ("1. recording, then kill -9");
    check_kill (&t);
    step ("2. recording onto a small disk until it is full");
    check_disk_full (&t);
  } else {
    check_failed = TRUE;
  }

  kill_child (&t.camera);
  step (check_failed ? "FAILED" : "passed");
  bench_clear (&t.b, t.keep);
  return check_failed ? 1 : 0;
}
