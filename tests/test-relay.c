/* faceanon-relay end-to-end test, over loopback
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

/* What a user of faceanon-relay checks, on 127.0.0.1 only:
 *
 * a test camera (this program again, with --serve: gst-rtsp-server with
 * basic authentication) serves a real face clip, Megamind at 360x264 with
 * an AAC track from audiotestsrc, at rtsp://cam:PASSWORD@127.0.0.1:P1/cam;
 * faceanon-relay relays it to rtsp://127.0.0.1:P2/anon with --auth-file and
 * --record. Then the scenarios (the table scenarios[], run in order by
 * main) check:
 *   1. a re-detector (faceanon, tracking=false, synchronous) finds faces in
 *      most frames of the camera itself;
 *   0. an --auth-file that other users can read is refused;
 *   2. an authenticated client of the relay (Digest) gets video frames,
 *      in which the re-detector finds a face in a few frames at most, and
 *      audio;
 *   3. a client without credentials, or with a wrong password, is
 *      refused; without TLS the relay offers no Basic challenge and
 *      refuses Basic authorization, right password and all;
 *   4. the camera is killed and started again on the same port: the
 *      relay's stream gives frames again within RECONNECT_S, still masked,
 *      and the relay's RTP timestamps never went back;
 *   5. SIGTERM stops the relay cleanly, and its output (with rtspsrc and
 *      the RTSP connection logging at debug level) never shows the
 *      camera's password, plain or in a Basic authorization header;
 *   6. the recording holds video and audio, a new file after the
 *      reconnection.
 *
 * Every step has a deadline; the children die with the test (a parent
 * death signal) and are killed on every way out. relay-check.c has the
 * test camera, the children and the clients.
 *
 * Usage: test-relay FACEANON-RELAY [--relay-arg ARG]... [--no-auth]
 *          [--no-restart] [--no-audio] [--audio aac|opus|pcma|ac3]
 *          [--redetect-threshold T] [--keep]
 * Most options break one thing on purpose, to show that the check that
 * watches it fails: --relay-arg --set --relay-arg method=draw leaves faces
 * visible, --no-auth drops --auth-file, --no-restart never brings the
 * camera back, --no-audio serves a clip without audio (the audio checks
 * stay), a high --redetect-threshold blinds the re-detector. --audio runs
 * the other audio paths of the relay (they pass); --keep keeps the logs.
 * Also run: --serve PORT CLIP AUDIO, the test camera alone.
 * Exit status: 0 passed, 1 failed, 77 skipped (something missing). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "fa-data.h"
#include "relay-check.h"
#include "needs-yunet.h"

/* the clip twice: 22 s, so that the first phase never sees its end */
#define CLIP_LOOPS 2

#define VIEWER_USER "viewer"
#define VIEWER_PASSWORD "view-Pw-7"

/* deadlines and measures, in seconds */
#define CHILD_READY_S 10
#define SERVING_S 20
#define FIRST_FRAME_S 15
#define CONTROL_S 4
#define MEASURE_S 5
#define REFUSED_S 10
#define RECONNECT_S 15
#define AFTER_RECONNECT_S 3
#define STOP_S 10

/* what passes */
#define MIN_FRAMES 30           /* in MEASURE_S at 24 fps on a busy machine */
#define MIN_CONTROL_FACE_SHARE 0.6
/* faceanon detects on a thread of its own in the relay: at a scene cut, a
 * new face may go out for a frame or two before its detection, more on a
 * loaded machine; the camera itself shows a face in ~99% of the frames */
#define MAX_FACE_SHARE 0.1
#define MAX_FACE_FRAMES_FLOOR 4
#define MIN_FRAMES_AFTER_RECONNECT 10


static gint64 t_start;

static gdouble
elapsed (void)
{
  return (g_get_monotonic_time () - t_start) / 1e6;
}

static void
step (const gchar * what)
{
  g_print ("[%5.1f s] %s\n", elapsed (), what);
}

/* The clip's audio track: how to make it, how the camera sends it. */
typedef struct
{
  const gchar *name;
  const gchar *encode;          /* from audiotestsrc's 48 kHz stereo */
  const gchar *pay;             /* from matroskademux */
  const gchar *needed[3];
} AudioKind;

static const AudioKind audio_kinds[] = {
  {"aac", "avenc_aac ! aacparse", "aacparse ! rtpmp4gpay",
      {"avenc_aac", "avdec_aac", NULL}},
  {"opus", "opusenc ! opusparse", "opusparse ! rtpopuspay",
      {"opusenc", "opusdec", NULL}},
  /* G.711 is 8 kHz mono */
  {"pcma", "audioresample ! audioconvert ! audio/x-raw,rate=8000,channels=1 "
        "! alawenc", "rtppcmapay", {"alawenc", "alawdec", NULL}},
  /* no RTP client will take AC-3 from the relay as it is: re-encoded */
  {"ac3", "avenc_ac3 ! ac3parse", "ac3parse ! rtpac3pay",
      {"avenc_ac3", "rtpac3pay", NULL}},
  {"none", NULL, NULL, {NULL}},
};

static const AudioKind *
audio_kind (const gchar * name)
{
  for (guint i = 0; i < G_N_ELEMENTS (audio_kinds); i++)
    if (g_str_equal (audio_kinds[i].name, name))
      return &audio_kinds[i];
  return NULL;
}

static gdouble
share (guint part, guint whole)
{
  return whole ? (gdouble) part / whole : 0.0;
}

static guint
max_faces (guint frames)
{
  return MAX (MAX_FACE_FRAMES_FLOOR, (guint) (frames * MAX_FACE_SHARE));
}

/* ---- one run ---------------------------------------------------------- */

/* What the scenarios share: the options, the files in the temporary
 * folder, the children, and the client that stays through the
 * reconnection. */
typedef struct
{
  Bench b;                      /* the folder, the clip, the camera */
  /* options */
  const gchar *relay_program;
  gchar **relay_args;
  gchar *audio;
  gboolean no_auth;
  gboolean no_restart;
  gboolean no_audio;
  gboolean keep;
  gdouble threshold;

  gchar *record;
  gchar *relay_log;
  gchar relay_port[8];
  gchar *viewer_url;
  gchar *stranger_url;
  gchar *wrong_url;

  GSubprocess *camera;
  GSubprocess *relay;
  Client *viewer;
  gboolean restarted;           /* the camera came back */
} Test;

/* *INDENT-OFF* */
static void fail_with_log (const gchar * log, const gchar * format, ...)
    G_GNUC_PRINTF (2, 3);
/* *INDENT-ON* */

/* A FAIL line, and the output of the child that says why. */
static void
fail_with_log (const gchar * log, const gchar * format, ...)
{
  va_list args;
  gchar *what, *text = read_text (log);

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_print ("FAIL: %s:\n%s\n", what, text);
  g_free (what);
  g_free (text);
  check_failed = TRUE;
}

/* The test camera, on its port, until it says it is ready. */
static gboolean
start_camera (Test * t, gboolean again)
{
  const gchar *argv[] = { "/proc/self/exe", "--serve", t->b.cam_port, t->b.clip,
    t->audio, NULL
  };

  t->camera = spawn (argv, t->b.cam_log, NULL);
  if (!wait_for_line (t->camera, t->b.cam_log, "ready", CHILD_READY_S)) {
    fail_with_log (t->b.cam_log, "the test camera did not start%s",
        again ? " again" : "");
    return FALSE;
  }
  return TRUE;
}

/* ---- the clip --------------------------------------------------------- */

static gboolean
build_camera_clip (Test * t)
{
  return build_clip (t->b.clip, CLIP_LOOPS, audio_kind (t->audio)->encode);
}

/* ---- the scenarios ---------------------------------------------------- */

/* Each returns FALSE when the scenarios after it cannot run; its checks
 * say PASS or FAIL on their own. */

static gboolean
start_children (Test * t)
{
  GPtrArray *a = g_ptr_array_new ();

  if (!start_camera (t, FALSE)) {
    g_ptr_array_unref (a);
    return FALSE;
  }
  g_ptr_array_add (a, (gpointer) t->relay_program);
  g_ptr_array_add (a, "--port");
  g_ptr_array_add (a, t->relay_port);
  g_ptr_array_add (a, "--verbose");
  g_ptr_array_add (a, "--record");
  g_ptr_array_add (a, t->record);
  if (!t->no_auth) {
    g_ptr_array_add (a, "--auth-file");
    g_ptr_array_add (a, t->b.auth);
  }
  for (guint i = 0; t->relay_args && t->relay_args[i]; i++)
    g_ptr_array_add (a, t->relay_args[i]);
  g_ptr_array_add (a, t->b.source);
  g_ptr_array_add (a, NULL);
  /* the parts that see the camera's URL and its Authorization header
   * log at debug level: the password must not show even then */
  t->relay = spawn ((const gchar * const *) a->pdata, t->relay_log,
      "2,faceanon-relay:6,rtspsrc:5,rtspconnection:5,uridecodebin:5,"
      "GST_ELEMENT_FACTORY:4");
  g_ptr_array_unref (a);
  return t->relay != NULL;
}

/* The camera itself shows faces, while the relay connects. */
static gboolean
check_control (Test * t)
{
  Client *control = client_start ("control", t->b.source, t->threshold);
  guint frames = 0, faces = 0;

  if (!client_wait_frames (control, 1, FIRST_FRAME_S)) {
    g_print ("FAIL: no frame from the test camera: %s\n",
        control->error ? control->error : "timeout");
    client_stop (&control);
    return FALSE;
  }
  g_usleep (CONTROL_S * G_USEC_PER_SEC);
  client_counts (control, &frames, &faces, NULL);
  client_stop (&control);
  CHECK (frames >= MIN_FRAMES / 2 && share (faces, frames) >=
      MIN_CONTROL_FACE_SHARE, "the re-detector finds faces in %u of %u "
      "frames of the camera itself (%.0f%%, %.0f%% or more expected)",
      faces, frames, 100 * share (faces, frames), 100 * MIN_CONTROL_FACE_SHARE);
  return TRUE;
}

static gboolean
wait_serving (Test * t)
{
  if (wait_for_line (t->relay, t->relay_log, "serving ", SERVING_S))
    return TRUE;
  fail_with_log (t->relay_log, "the relay does not serve after %d s",
      SERVING_S);
  return FALSE;
}

/* What the relay answers a DESCRIBE with @authorization (NULL: none). */
static gchar *
describe (Test * t, const gchar * authorization)
{
  gchar *auth = authorization ? g_strdup_printf ("Authorization: %s\r\n",
      authorization) : g_strdup ("");
  gchar *request = g_strdup_printf ("DESCRIBE rtsp://127.0.0.1:%s/anon "
      "RTSP/1.0\r\nCSeq: 1\r\n%s\r\n", t->relay_port, auth);
  gchar *response = raw_request (atoi (t->relay_port), request, REFUSED_S);

  g_free (request);
  g_free (auth);
  return response;
}

/* Without TLS, the relay asks for Digest only, and a Basic authorization,
 * right password and all, does not let in. */
static void
check_no_basic (Test * t)
{
  gchar *pair = g_strdup (VIEWER_USER ":" VIEWER_PASSWORD);
  gchar *b64 = g_base64_encode ((guchar *) pair, strlen (pair));
  gchar *basic = g_strdup_printf ("Basic %s", b64);
  gchar *challenge = describe (t, NULL), *answer = describe (t, basic);
  gchar *first = g_strndup (challenge, strcspn (challenge, "\r\n"));

  CHECK (g_str_has_prefix (challenge, "RTSP/1.0 401")
      && strstr (challenge, "WWW-Authenticate: Digest ")
      && !strstr (challenge, "Basic"), "without TLS the relay asks for "
      "Digest authentication only (%s; %s)", first,
      strstr (challenge, "Basic") ? "a Basic challenge too" :
      "no Basic challenge");
  g_free (first);
  first = g_strndup (answer, strcspn (answer, "\r\n"));
  CHECK (g_str_has_prefix (answer, "RTSP/1.0 401"), "without TLS, Basic "
      "authorization with the right password is refused (%s)", first);
  g_free (first);
  g_free (answer);
  g_free (challenge);
  g_free (basic);
  g_free (b64);
  g_free (pair);
}

static gboolean
check_clients (Test * t)
{
  Client *stranger, *wrong;
  guint frames = 0, faces = 0, n_audio = 0, n = 0;

  t->viewer = client_start ("viewer", t->viewer_url, t->threshold);
  stranger = client_start ("stranger", t->stranger_url, t->threshold);
  wrong = client_start ("wrong", t->wrong_url, t->threshold);
  if (!client_wait_frames (t->viewer, 1, FIRST_FRAME_S)) {
    CHECK (FALSE, "video frames from the relay (%s)",
        t->viewer->error ? t->viewer->error : "none in time");
  } else {
    client_measure (t->viewer, MEASURE_S, &frames, &faces, &n_audio);
    CHECK (frames >= MIN_FRAMES, "%u video frames from the relay in %d s "
        "(%d or more expected), to a client that authenticated with "
        "Digest", frames, MEASURE_S, MIN_FRAMES);
    CHECK (faces <= max_faces (frames), "the re-detector finds a face in "
        "%u of the %u relayed frames (at most %u expected)", faces, frames,
        max_faces (frames));
    g_print ("(frames of the client where a face was found:%s)\n",
        t->viewer->face_at->str);
    CHECK (n_audio > 0, "%u audio buffers from the relay", n_audio);
  }

  client_wait_error (stranger, REFUSED_S);
  client_counts (stranger, &n, NULL, NULL);
  CHECK (stranger->error != NULL && n == 0, "a client without "
      "credentials is refused (%s; %u frames)",
      stranger->error ? stranger->error : "no error", n);
  client_stop (&stranger);
  client_wait_error (wrong, REFUSED_S);
  client_counts (wrong, &n, NULL, NULL);
  CHECK (wrong->error != NULL && n == 0, "a client with a wrong password "
      "is refused (%s; %u frames)", wrong->error ? wrong->error :
      "no error", n);
  client_stop (&wrong);
  if (!t->no_auth)
    check_no_basic (t);
  return TRUE;
}

/* An --auth-file that other users may read: the relay refuses to start,
 * and says why. */
static gboolean
check_auth_file_mode (Test * t)
{
  gchar *open_auth = g_build_filename (t->b.tmp, "users-0640", NULL);
  gchar *log = g_build_filename (t->b.tmp, "relay-0640.log", NULL);
  gchar port[8];
  const gchar *argv[] = { t->relay_program, "--port", port, "--auth-file",
    open_auth, t->b.source, NULL
  };
  GSubprocess *p;
  gchar *text, *said;
  gboolean exited;

  g_snprintf (port, sizeof (port), "%u", free_port ());
  g_file_set_contents (open_auth, VIEWER_USER ":" VIEWER_PASSWORD "\n", -1,
      NULL);
  g_chmod (open_auth, 0640);
  p = spawn (argv, log, NULL);
  exited = p && wait_exit (p, STOP_S);
  text = read_text (log);
  said = strstr (text, "faceanon-relay: error: ");
  said = said ? g_strndup (said, strcspn (said, "\n")) : g_strdup ("");
  CHECK (exited && g_subprocess_get_if_exited (p)
      && g_subprocess_get_exit_status (p) != 0 && strstr (said, "chmod 600"),
      "the relay refuses an --auth-file that other users can read (mode "
      "0640): %s", exited ? said : "it did not stop");
  g_free (said);
  if (p)
    kill_child (&p);
  g_free (text);
  g_free (log);
  g_free (open_auth);
  return TRUE;
}

static gboolean
check_reconnection (Test * t)
{
  Client *measured = t->viewer, *again = NULL;
  guint f0 = 0, frames = 0, faces = 0;
  gboolean back;
  gint64 t0;

  kill_child (&t->camera);
  g_usleep (G_USEC_PER_SEC);
  client_counts (t->viewer, &f0, NULL, NULL);
  if (!t->no_restart) {
    step ("starting the test camera again on the same port");
    g_remove (t->b.cam_log);
    if (!start_camera (t, TRUE))
      return FALSE;
    t->restarted = TRUE;
  }

  t0 = g_get_monotonic_time ();
  back = client_wait_frames (t->viewer, f0 + MIN_FRAMES_AFTER_RECONNECT,
      RECONNECT_S);
  if (!back && t->viewer->error) {
    /* the client gave up: a new one must get the stream */
    g_print ("(the client left: %s; a new one connects)\n", t->viewer->error);
    again = client_start ("again", t->viewer_url, t->threshold);
    back = client_wait_frames (again, MIN_FRAMES_AFTER_RECONNECT,
        RECONNECT_S - (g_get_monotonic_time () - t0) / 1e6);
    measured = again;
  }
  CHECK (back, "frames from the relay again %.1f s after the camera "
      "came back (within %d s)", (g_get_monotonic_time () - t0) / 1e6,
      RECONNECT_S);
  if (back) {
    g_mutex_lock (&measured->lock);
    g_string_truncate (measured->face_at, 0);
    g_mutex_unlock (&measured->lock);
    client_measure (measured, AFTER_RECONNECT_S, &frames, &faces, NULL);
    CHECK (faces <= max_faces (frames), "after the reconnection, the "
        "re-detector finds a face in %u of %u frames (at most %u)", faces,
        frames, max_faces (frames));
    g_print ("(frames of the client where a face was found:%s)\n",
        measured->face_at->str);
    if (measured == t->viewer)
      CHECK (t->viewer->have_rtp && t->viewer->rtp_back == 0, "the relay's "
          "video RTP timestamps always grow, across the reconnection (%u "
          "went back)", t->viewer->rtp_back);
  }
  client_stop (&t->viewer);
  client_stop (&again);
  return TRUE;
}

static gboolean
check_stop (Test * t)
{
  gchar *pair = g_strdup (CAM_USER ":" CAM_PASSWORD);
  gchar *b64 = g_base64_encode ((guchar *) pair, strlen (pair));
  gchar *redacted = g_strdup_printf ("rtsp://" CAM_USER ":***@127.0.0.1:%s"
      "/cam", t->b.cam_port);
  gchar *text;

  g_subprocess_send_signal (t->relay, SIGTERM);
  CHECK (wait_exit (t->relay, STOP_S) && g_subprocess_get_if_exited (t->relay)
      && g_subprocess_get_exit_status (t->relay) == 0, "the relay stops "
      "cleanly on SIGTERM, within %d s", STOP_S);
  text = read_text (t->relay_log);
  CHECK (strstr (text, redacted) != NULL, "the relay names its source "
      "with the password hidden (%s)", redacted);
  CHECK (strstr (text, CAM_PASSWORD) == NULL && strstr (text, b64) == NULL,
      "the relay's output (%zu bytes, rtspsrc at debug level) never "
      "shows the camera's password", strlen (text));
  CHECK (strstr (text, "source connected") && strstr (text,
          "client connected") && strstr (text, "reconnecting in"),
      "the relay logs \"source connected\", \"client connected\" and "
      "\"source lost, reconnecting in N s\"");
  g_free (text);
  g_free (redacted);
  g_free (b64);
  g_free (pair);
  return TRUE;
}

static gboolean
check_recording (Test * t)
{
  GstDiscoverer *disc = gst_discoverer_new (10 * GST_SECOND, NULL);
  GDir *d = g_dir_open (t->record, 0, NULL);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  const gchar *name;
  guint with_audio = 0, with_video = 0;
  GstClockTime total = 0;

  while (d && (name = g_dir_read_name (d)))
    if (g_str_has_prefix (name, "anon-"))
      g_ptr_array_add (files, g_build_filename (t->record, name, NULL));
  if (d)
    g_dir_close (d);

  for (guint i = 0; disc && i < files->len; i++) {
    gchar *uri = gst_filename_to_uri (g_ptr_array_index (files, i), NULL);
    GstDiscovererInfo *info = gst_discoverer_discover_uri (disc, uri, NULL);
    GList *v, *a;

    if (info) {
      v = gst_discoverer_info_get_video_streams (info);
      a = gst_discoverer_info_get_audio_streams (info);
      with_video += v != NULL;
      with_audio += a != NULL;
      total += gst_discoverer_info_get_duration (info);
      g_print ("  %s: %s%s, %.1f s\n", (gchar *) g_ptr_array_index (files, i),
          v ? "video" : "no video", a ? " + audio" : "",
          gst_discoverer_info_get_duration (info) / 1e9);
      gst_discoverer_stream_info_list_free (v);
      gst_discoverer_stream_info_list_free (a);
      gst_discoverer_info_unref (info);
    }
    g_free (uri);
  }
  CHECK (files->len >= (t->restarted ? 2u : 1u) && with_video == files->len,
      "the recording has %u file(s) with video, %s (a new file at the "
      "reconnection)", with_video, t->restarted ? "2 or more expected" :
      "1 or more expected");
  CHECK (with_audio == files->len && files->len > 0,
      "every recorded file has audio (%u of %u)", with_audio, files->len);
  CHECK (total >= 3 * GST_SECOND, "%.1f s recorded", total / 1e9);
  g_ptr_array_unref (files);
  if (disc)
    g_object_unref (disc);
  return TRUE;
}

typedef struct
{
  const gchar *step;            /* said as it starts */
    gboolean (*run) (Test * t);
  const gchar *checks;          /* said again at the end when it failed */
} Scenario;

/* In order: each needs what the ones before it did. */
static const Scenario scenarios[] = {
  {"building the camera's clip", build_camera_clip,
      "the camera's clip is made (Megamind, small, with audio)"},
  {"an --auth-file that other users can read", check_auth_file_mode,
      "the relay refuses to start with an --auth-file of mode 0640"},
  {"starting the test camera and the relay", start_children,
      "the test camera serves; the relay starts"},
  {"control: the re-detector on the camera's own frames", check_control,
      "1. the re-detector finds faces in most frames of the camera itself"},
  {"waiting for the relay to serve", wait_serving,
      "the relay serves its stream once it saw the camera"},
  {"an authenticated client, a stranger, a wrong password",
        check_clients,
      "2. a client of the relay (Digest) gets frames, masked, and audio; "
        "3. a client without credentials or with a wrong password is "
        "refused, no Basic challenge is offered, Basic is refused"},
  {"killing the test camera", check_reconnection,
      "4. once the camera is back, the client gets frames again, masked, "
        "with RTP timestamps that never went back"},
  {"stopping the relay", check_stop,
      "5. SIGTERM stops the relay; its output never shows the camera's "
        "password"},
  {"the recording", check_recording,
      "6. the recording holds video and audio, a new file after the "
        "reconnection"},
};

/* ---- main ------------------------------------------------------------- */

#define GO_ON (-1)

/* Reads the options, checks that the test can run, and prepares the
 * files and ports: GO_ON, or the exit status. */
static gint
test_setup (Test * t, int argc, char **argv)
{
  const gchar *needed[] = { "faceanon", "x264enc", "avdec_h264",
    "h264parse", "matroskamux", "matroskademux", "rtph264pay",
    "rtspsrc", "concat", NULL
  };
  const GOptionEntry entries[] = {
    {"relay-arg", 0, 0, G_OPTION_ARG_STRING_ARRAY, &t->relay_args,
        "One more argument for the relay (repeatable)", "ARG"},
    {"no-auth", 0, 0, G_OPTION_ARG_NONE, &t->no_auth,
        "Run the relay without --auth-file", NULL},
    {"no-restart", 0, 0, G_OPTION_ARG_NONE, &t->no_restart,
        "Never bring the camera back", NULL},
    {"no-audio", 0, 0, G_OPTION_ARG_NONE, &t->no_audio,
        "A clip without audio", NULL},
    {"audio", 0, 0, G_OPTION_ARG_STRING, &t->audio,
        "The clip's audio: aac (default), opus, pcma (all three sent as "
          "they are), ac3 (re-encoded by the relay)", "CODEC"},
    {"redetect-threshold", 0, 0, G_OPTION_ARG_DOUBLE, &t->threshold,
        "Confidence threshold of the re-detector (default 0.5)", "T"},
    {"keep", 0, 0, G_OPTION_ARG_NONE, &t->keep,
        "Keep the temporary folder (logs, clip, recording)", NULL},
    {NULL}
  };
  GOptionContext *ctx;
  GError *err = NULL;

  t->threshold = 0.5;
  ctx = g_option_context_new ("FACEANON-RELAY");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &err) || argc != 2) {
    g_printerr ("test-relay: %s\n", err ? err->message :
        "give the faceanon-relay program");
    return 2;
  }
  g_option_context_free (ctx);
  t->relay_program = argv[1];
  gst_init (NULL, NULL);
  t_start = g_get_monotonic_time ();
  if (t->audio == NULL)
    t->audio = g_strdup ("aac");
  if (t->no_audio) {
    g_free (t->audio);
    t->audio = g_strdup ("none");
  }

  if (audio_kind (t->audio) == NULL) {
    g_printerr ("test-relay: --audio %s: give aac, opus, pcma or ac3\n",
        t->audio);
    return 2;
  }
  if (!g_file_test (MEGAMIND, G_FILE_TEST_EXISTS)) {
    g_print ("SKIP: %s is missing: install opencv-doc\n", MEGAMIND);
    return 77;
  }
  if (!have_elements (needed) || !have_elements (audio_kind (t->audio)->needed))
    return 77;
  /* the re-detector's count of faces left holds for YuNet's masks */
  needs_yunet ("test-relay");

  bench_setup (&t->b, "faceanon-relay", VIEWER_USER, VIEWER_PASSWORD);
  t->record = g_build_filename (t->b.tmp, "record", NULL);
  t->relay_log = g_build_filename (t->b.tmp, "relay.log", NULL);
  g_snprintf (t->relay_port, sizeof (t->relay_port), "%u", free_port ());
  t->viewer_url = g_strdup_printf ("rtsp://" VIEWER_USER ":" VIEWER_PASSWORD
      "@127.0.0.1:%s/anon", t->relay_port);
  t->stranger_url = g_strdup_printf ("rtsp://127.0.0.1:%s/anon", t->relay_port);
  t->wrong_url = g_strdup_printf ("rtsp://" VIEWER_USER ":not-" VIEWER_PASSWORD
      "@127.0.0.1:%s/anon", t->relay_port);
  g_print ("working in %s; camera on port %s, relay on port %s\n", t->b.tmp,
      t->b.cam_port, t->relay_port);
  return GO_ON;
}

/* Stops what still runs, says how it went, and cleans up. */
static void
test_finish (Test * t, const gboolean * scenario_failed)
{
  client_stop (&t->viewer);
  kill_child (&t->relay);
  kill_child (&t->camera);
  step (check_failed ? "FAILED" : "passed");
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    if (scenario_failed[i])
      g_print ("failed: %s\n", scenarios[i].checks);
  if (check_failed || t->keep) {
    gchar *text = read_text (t->relay_log);
    gchar **lines = g_strsplit (text, "\n", -1);

    /* only the status lines: the debug log is long */
    g_print ("relay output (%s):\n", t->relay_log);
    for (guint i = 0; lines[i]; i++)
      if (strstr (lines[i], "faceanon-relay: "))
        g_print ("  %s\n", lines[i]);
    g_strfreev (lines);
    g_free (text);
  }
  bench_clear (&t->b, t->keep);
  g_free (t->record);
  g_free (t->relay_log);
  g_free (t->viewer_url);
  g_free (t->stranger_url);
  g_free (t->wrong_url);
  g_free (t->audio);
  g_strfreev (t->relay_args);
}

int
main (int argc, char **argv)
{
  gboolean scenario_failed[G_N_ELEMENTS (scenarios)] = { FALSE, };
  gboolean go_on = TRUE;
  Test t = { 0, };
  gint status;

  /* the test camera */
  if (argc == 5 && g_str_equal (argv[1], "--serve")) {
    gst_init (NULL, NULL);
    return camera_serve (argv[2], argv[3], audio_kind (argv[4]) ?
        audio_kind (argv[4])->pay : NULL);
  }

  status = test_setup (&t, argc, argv);
  if (status != GO_ON)
    return status;
  for (guint i = 0; i < G_N_ELEMENTS (scenarios) && go_on; i++) {
    gboolean failed_before = check_failed;

    check_failed = FALSE;
    step (scenarios[i].step);
    /* one that cannot go on has said FAIL */
    go_on = scenarios[i].run (&t);
    scenario_failed[i] = check_failed || !go_on;
    check_failed = failed_before || scenario_failed[i];
  }
  test_finish (&t, scenario_failed);
  return check_failed ? 1 : 0;
}
