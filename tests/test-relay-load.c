/* faceanon-relay under load: clients coming and going, the camera dropping
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

/* On 127.0.0.1 only, with the test camera of relay-check.c (Megamind with
 * an AAC track, looped) behind faceanon-relay --auth-file:
 *   - --clients clients (8) watch the relay; --stay of them (2) stay all
 *     along, the others connect and leave at random (connected 1 to 10 s,
 *     away 0.2 to 3 s; the seed is printed);
 *   - every --camera-period seconds the camera is killed, and started
 *     again DOWN_S later on the same port;
 *   - after WARMUP_S of the same (the camera dropping every WARMUP_PERIOD),
 *     for --seconds, the relay's RSS and open descriptors are sampled
 *     every SAMPLE_S (--samples FILE keeps them, as CSV).
 * Then it checks: the relay never died; every client that stays got
 * frames again within RECOVER_S of each camera return; the one that
 * re-detects (faceanon, no tracking) found a face in at most
 * MAX_FACE_SHARE of its frames; the RSS of the last third of the run is
 * within RSS_SLACK_KB of the first third's, and with only the staying
 * clients connected the relay holds as many descriptors at the end as at
 * the start. tools/dev/relay-soak.sh runs it for minutes.
 *
 * Usage: test-relay-load FACEANON-RELAY [--seconds S] [--camera-period S]
 *          [--clients N] [--stay N] [--seed N] [--samples FILE] [--keep]
 * Exit status: 0 passed, 1 failed, 77 skipped (something missing). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa-data.h"
#include "relay-check.h"

#define CLIP_LOOPS 4
#define VIEWER_USER "viewer"
#define VIEWER_PASSWORD "load-Pw-5"

/* the run, in seconds */
#define DEFAULT_SECONDS 75
#define DEFAULT_CAMERA_PERIOD 20
#define DOWN_S 2
#define WARMUP_S 20
#define WARMUP_PERIOD 8
#define SAMPLE_S 2
#define CHILD_READY_S 10
#define SERVING_S 20
#define FIRST_FRAME_S 15
#define SETTLE_S 4
#define STEP_US (G_USEC_PER_SEC / 10)
#define MAX_CLIENTS 32

/* what passes */
#define RECOVER_S 15
#define RECOVERED_FRAMES 5
#define MAX_FACE_SHARE 0.1
#define RSS_SLACK_KB (8 * 1024)
#define FD_SLACK 2


/* A client slot: one that stays, or one that comes and goes. */
typedef struct
{
  gchar name[16];
  gboolean stays;
  Client *client;
  gint64 next_us;               /* when it connects or leaves next */
  guint sessions;               /* times it connected */
  /* after the last camera return: frames then, and whether back */
  guint frames_at_return;
  gboolean back;
  gdouble worst_return_s;
} Slot;

typedef struct
{
  gint64 t_us;
  gint64 rss_kb;
  gint fds;
  guint connected;
} Sample;

typedef struct
{
  Bench b;                      /* the folder, the clip, the camera */
  const gchar *relay_program;
  gint seconds;
  gint camera_period;
  gint n_clients;
  gint n_stay;
  gint seed;
  gchar *samples_path;
  gboolean keep;

  gchar *relay_log;
  gchar relay_port[8];
  gchar *url;
  GSubprocess *camera;
  GSubprocess *relay;
  GRand *rand;
  Slot slots[MAX_CLIENTS];
  GArray *samples;
  guint returns;
  guint late_returns;
  gint64 start_us;
} Test;

static gdouble
since (Test * t, gint64 us)
{
  return (us - t->start_us) / 1e6;
}

static gboolean
start_camera (Test * t)
{
  const gchar *argv[] = { "/proc/self/exe", "--serve", t->b.cam_port, t->b.clip,
    NULL
  };

  g_remove (t->b.cam_log);
  t->camera = spawn (argv, t->b.cam_log, NULL);
  if (wait_for_line (t->camera, t->b.cam_log, "ready", CHILD_READY_S))
    return TRUE;
  g_print ("FAIL: the test camera did not start\n");
  check_failed = TRUE;
  return FALSE;
}

static gboolean
start_relay (Test * t)
{
  const gchar *argv[] = { t->relay_program, "--port", t->relay_port,
    "--auth-file", t->b.auth, t->b.source, NULL
  };

  t->relay = spawn (argv, t->relay_log, NULL);
  if (wait_for_line (t->relay, t->relay_log, "serving ", SERVING_S))
    return TRUE;
  g_print ("FAIL: the relay does not serve after %d s\n", SERVING_S);
  check_failed = TRUE;
  return FALSE;
}

static guint
connected (Test * t)
{
  guint n = 0;

  for (gint i = 0; i < t->n_clients; i++)
    n += t->slots[i].client != NULL;
  return n;
}

static gboolean
relay_alive (Test * t)
{
  return t->relay && g_subprocess_get_identifier (t->relay) != NULL;
}

static Sample
take_sample (Test * t)
{
  const gchar *pid = g_subprocess_get_identifier (t->relay);
  Sample s = { g_get_monotonic_time (), -1, -1, connected (t) };

  if (pid) {
    s.rss_kb = proc_rss_kb (pid);
    s.fds = proc_fds (pid);
  }
  return s;
}

static guint
frames_of (Client * c)
{
  guint n = 0;

  client_counts (c, &n, NULL, NULL);
  return n;
}

/* ---- the run ----------------------------------------------------------- */

static void
churn (Test * t, gint64 now)
{
  for (gint i = 0; i < t->n_clients; i++) {
    Slot *s = &t->slots[i];

    if (s->stays || now < s->next_us)
      continue;
    if (s->client) {
      client_stop (&s->client);
      s->next_us = now + g_rand_double_range (t->rand, 0.2, 3.0) *
          G_USEC_PER_SEC;
    } else {
      s->client = client_start (s->name, t->url, -1);
      s->sessions++;
      s->next_us = now + g_rand_double_range (t->rand, 1.0, 10.0) *
          G_USEC_PER_SEC;
    }
  }
}

/* The camera came back: each staying client must get frames again. */
static void
camera_back (Test * t)
{
  t->returns++;
  for (gint i = 0; i < t->n_clients; i++) {
    Slot *s = &t->slots[i];

    if (!s->stays)
      continue;
    s->frames_at_return = frames_of (s->client);
    s->back = FALSE;
  }
}

static void
watch_returns (Test * t, gint64 now, gint64 back_us, gboolean * late)
{
  for (gint i = 0; i < t->n_clients; i++) {
    Slot *s = &t->slots[i];
    gdouble after = (now - back_us) / 1e6;

    if (!s->stays || s->back || back_us == 0)
      continue;
    if (frames_of (s->client) >= s->frames_at_return + RECOVERED_FRAMES) {
      s->back = TRUE;
      s->worst_return_s = MAX (s->worst_return_s, after);
      g_print ("[%6.1f s] %s has frames again %.1f s after the camera came "
          "back\n", since (t, now), s->name, after);
    } else if (after > RECOVER_S && !late[i]) {
      late[i] = TRUE;
      t->late_returns++;
      g_print ("[%6.1f s] %s has no frames %d s after the camera came back "
          "(%s)\n", since (t, now), s->name, RECOVER_S, s->client->error ?
          s->client->error : "no error");
    }
  }
}

/* Clients come and go for @seconds while the camera drops every @period;
 * the relay is sampled. */
static void
run (Test * t, gint seconds, gint period)
{
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + (gint64) seconds * G_USEC_PER_SEC;
  gint64 next_drop = start + (gint64) period * G_USEC_PER_SEC;
  gint64 next_sample = start, down_until = 0, back_us = 0, now;
  gboolean late[MAX_CLIENTS] = { FALSE, };

  while ((now = g_get_monotonic_time ()) < end && relay_alive (t)) {
    churn (t, now);
    if (now >= next_drop && t->camera) {
      g_print ("[%6.1f s] the camera drops\n", since (t, now));
      kill_child (&t->camera);
      down_until = now + DOWN_S * G_USEC_PER_SEC;
      next_drop += (gint64) period *G_USEC_PER_SEC;
    } else if (t->camera == NULL && now >= down_until) {
      if (!start_camera (t))
        return;
      back_us = g_get_monotonic_time ();
      memset (late, 0, sizeof (late));
      camera_back (t);
      g_print ("[%6.1f s] the camera is back\n", since (t, back_us));
    }
    watch_returns (t, now, back_us, late);
    if (now >= next_sample) {
      Sample s = take_sample (t);

      g_array_append_val (t->samples, s);
      next_sample += SAMPLE_S * G_USEC_PER_SEC;
    }
    g_usleep (STEP_US);
  }
  /* a return still pending at the end is judged when its time is up */
  while (back_us && relay_alive (t)
      && (now = g_get_monotonic_time ()) < back_us + (RECOVER_S + 1) *
      G_USEC_PER_SEC) {
    gboolean all = TRUE;

    watch_returns (t, now, back_us, late);
    for (gint i = 0; i < t->n_clients; i++)
      all &= !t->slots[i].stays || t->slots[i].back || late[i];
    if (all)
      break;
    g_usleep (STEP_US);
  }
}

/* ---- the verdict ------------------------------------------------------- */

static void
write_samples (Test * t)
{
  FILE *f;

  if (t->samples_path == NULL)
    return;
  f = fopen (t->samples_path, "w");
  if (f == NULL)
    return;
  fprintf (f, "seconds,rss_kb,fds,clients\n");
  for (guint i = 0; i < t->samples->len; i++) {
    Sample *s = &g_array_index (t->samples, Sample, i);

    fprintf (f, "%.1f,%" G_GINT64_FORMAT ",%d,%u\n", since (t, s->t_us),
        s->rss_kb, s->fds, s->connected);
  }
  fclose (f);
  g_print ("samples in %s\n", t->samples_path);
}

/* The largest RSS among the samples from @from to @to (shares of the run). */
static gint64
max_rss (Test * t, gdouble from, gdouble to)
{
  gint64 m = -1;
  guint n = t->samples->len;

  for (guint i = (guint) (from * n); i < (guint) (to * n); i++)
    m = MAX (m, g_array_index (t->samples, Sample, i).rss_kb);
  return m;
}

static void
verdict (Test * t, const Sample * quiet_start, const Sample * quiet_end)
{
  guint frames = 0, faces = 0, sessions = 0;
  gint64 first = max_rss (t, 0.0, 1.0 / 3), last = max_rss (t, 2.0 / 3, 1.0);
  gint64 lo = G_MAXINT64, hi = 0;
  gint fd_lo = G_MAXINT, fd_hi = 0;

  for (guint i = 0; i < t->samples->len; i++) {
    Sample *s = &g_array_index (t->samples, Sample, i);

    lo = MIN (lo, s->rss_kb);
    hi = MAX (hi, s->rss_kb);
    fd_lo = MIN (fd_lo, s->fds);
    fd_hi = MAX (fd_hi, s->fds);
  }
  for (gint i = 0; i < t->n_clients; i++)
    sessions += t->slots[i].sessions;

  CHECK (relay_alive (t), "the relay ran all along (%d s, %u client "
      "sessions, %u camera returns)", t->seconds, sessions, t->returns);
  CHECK (t->returns > 0 && t->late_returns == 0, "every staying client got "
      "frames again within %d s of each of the %u camera returns (%u "
      "late)", RECOVER_S, t->returns, t->late_returns);
  for (gint i = 0; i < t->n_clients; i++)
    if (t->slots[i].stays)
      g_print ("  %s: at most %.1f s after a return\n", t->slots[i].name,
          t->slots[i].worst_return_s);

  client_counts (t->slots[0].client, &frames, &faces, NULL);
  CHECK (frames > 0 && faces <= MAX_FACE_SHARE * frames, "the re-detector "
      "finds a face in %u of the %u frames a staying client got (at most "
      "%.0f%%)", faces, frames, 100 * MAX_FACE_SHARE);

  g_print ("  RSS %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT " kB, descriptors "
      "%d..%d over %u samples\n", lo, hi, fd_lo, fd_hi, t->samples->len);
  CHECK (t->samples->len >= 6 && last <= first + RSS_SLACK_KB, "the relay's "
      "RSS stays flat: at most %" G_GINT64_FORMAT " kB in the first third of "
      "the run, %" G_GINT64_FORMAT " kB in the last (%+" G_GINT64_FORMAT
      " kB; %d kB allowed)", first, last, last - first, RSS_SLACK_KB);
  CHECK (quiet_end->fds >= 0 && quiet_end->fds <= quiet_start->fds +
      FD_SLACK, "with only the staying clients, the relay holds %d "
      "descriptors at the end, %d at the start", quiet_end->fds,
      quiet_start->fds);
}

/* The churn over: the relay settles with the staying clients only. */
static void
settle (Test * t)
{
  for (gint i = t->n_stay; i < t->n_clients; i++)
    client_stop (&t->slots[i].client);
  g_usleep (SETTLE_S * G_USEC_PER_SEC);
}

/* ---- main ------------------------------------------------------------- */

/* what the test needs besides the relay */
static const gchar *const needed[] = { "faceanon", "x264enc", "avdec_h264",
  "h264parse", "matroskamux", "matroskademux", "rtph264pay", "rtspsrc",
  "concat", "avenc_aac", "avdec_aac", NULL
};

static gint
setup (Test * t, int argc, char **argv)
{
  const GOptionEntry entries[] = {
    {"seconds", 0, 0, G_OPTION_ARG_INT, &t->seconds,
        "How long the clients come and go", "S"},
    {"camera-period", 0, 0, G_OPTION_ARG_INT, &t->camera_period,
        "Seconds between the camera's drops", "S"},
    {"clients", 0, 0, G_OPTION_ARG_INT, &t->n_clients, "Clients", "N"},
    {"stay", 0, 0, G_OPTION_ARG_INT, &t->n_stay, "Clients that stay", "N"},
    {"seed", 0, 0, G_OPTION_ARG_INT, &t->seed, "Random seed", "N"},
    {"samples", 0, 0, G_OPTION_ARG_FILENAME, &t->samples_path,
        "Write the RSS and descriptor samples there (CSV)", "FILE"},
    {"keep", 0, 0, G_OPTION_ARG_NONE, &t->keep, "Keep the logs", NULL},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("FACEANON-RELAY");
  GError *err = NULL;

  t->seconds = DEFAULT_SECONDS;
  t->camera_period = DEFAULT_CAMERA_PERIOD;
  t->n_clients = 8;
  t->n_stay = 2;
  t->seed = (gint) (g_get_real_time () % 100000);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &err) || argc != 2
      || t->n_clients < 1 || t->n_clients > MAX_CLIENTS || t->n_stay < 1
      || t->n_stay > t->n_clients || t->camera_period <= DOWN_S) {
    g_printerr ("test-relay-load: %s\n", err ? err->message :
        "give the faceanon-relay program; 1 <= --stay <= --clients <= 32, "
        "--camera-period above 2");
    g_option_context_free (ctx);
    return 2;
  }
  g_option_context_free (ctx);
  t->relay_program = argv[1];
  gst_init (NULL, NULL);
  if (!g_file_test (MEGAMIND, G_FILE_TEST_EXISTS)) {
    g_print ("SKIP: %s is missing: install opencv-doc\n", MEGAMIND);
    return 77;
  }
  if (!have_elements (needed))
    return 77;

  t->rand = g_rand_new_with_seed (t->seed);
  t->samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  bench_setup (&t->b, "faceanon-load", VIEWER_USER, VIEWER_PASSWORD);
  t->relay_log = g_build_filename (t->b.tmp, "relay.log", NULL);
  g_snprintf (t->relay_port, sizeof (t->relay_port), "%u", free_port ());
  t->url = g_strdup_printf ("rtsp://" VIEWER_USER ":" VIEWER_PASSWORD
      "@127.0.0.1:%s/anon", t->relay_port);
  for (gint i = 0; i < t->n_clients; i++) {
    t->slots[i].stays = i < t->n_stay;
    g_snprintf (t->slots[i].name, sizeof (t->slots[i].name), "%s%d",
        t->slots[i].stays ? "stayer" : "client", i);
  }
  g_print ("working in %s; %d s, %d clients (%d stay), the camera drops "
      "every %d s; seed %d\n", t->b.tmp, t->seconds, t->n_clients, t->n_stay,
      t->camera_period, t->seed);
  return -1;
}

static void
finish (Test * t)
{
  for (gint i = 0; i < t->n_clients; i++)
    client_stop (&t->slots[i].client);
  if (check_failed && t->relay_log) {
    gchar *text = read_text (t->relay_log);

    g_print ("relay output (%s):\n%s\n", t->relay_log, text);
    g_free (text);
  }
  kill_child (&t->relay);
  kill_child (&t->camera);
  bench_clear (&t->b, t->keep);
  g_array_unref (t->samples);
  g_rand_free (t->rand);
  g_free (t->relay_log);
  g_free (t->url);
  g_free (t->samples_path);
}

int
main (int argc, char **argv)
{
  Test t = { 0, };
  Sample quiet_start, quiet_end;
  gint status;

  if (argc == 4 && g_str_equal (argv[1], "--serve")) {
    gst_init (NULL, NULL);
    return camera_serve (argv[2], argv[3], "aacparse ! rtpmp4gpay");
  }
  status = setup (&t, argc, argv);
  if (status >= 0)
    return status;

  if (!build_clip (t.b.clip, CLIP_LOOPS, "avenc_aac ! aacparse")
      || !start_camera (&t) || !start_relay (&t))
    goto out;
  for (gint i = 0; i < t.n_stay; i++) {
    /* the first re-detects faces, the others only count frames */
    t.slots[i].client = client_start (t.slots[i].name, t.url, i == 0 ?
        0.5 : -1);
    t.slots[i].sessions++;
    if (!client_wait_frames (t.slots[i].client, 1, FIRST_FRAME_S)) {
      CHECK (FALSE, "%s gets frames from the relay", t.slots[i].name);
      goto out;
    }
  }
  t.start_us = g_get_monotonic_time ();
  /* the relay's memory grows over its first reconnections and clients
   * (allocator arenas, thread pools), then stays: measured after */
  g_print ("warming up: %d s, the camera dropping every %d s\n", WARMUP_S,
      WARMUP_PERIOD);
  run (&t, WARMUP_S, WARMUP_PERIOD);
  settle (&t);
  g_array_set_size (t.samples, 0);
  quiet_start = take_sample (&t);

  t.start_us = g_get_monotonic_time ();
  run (&t, t.seconds, t.camera_period);
  settle (&t);
  quiet_end = take_sample (&t);
  write_samples (&t);
  verdict (&t, &quiet_start, &quiet_end);

out:
  finish (&t);
  g_print ("%s\n", check_failed ? "FAILED" : "passed");
  return check_failed ? 1 : 0;
}
