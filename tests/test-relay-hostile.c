/* faceanon-relay and hostile clients
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

/* On 127.0.0.1 only: faceanon-relay --auth-file relays the test camera of
 * relay-check.c to two watching clients, while clients written by hand
 * (relay-raw.c) attack it, one phase after the other, each bounded in
 * count and time:
 *   1. malformed, oversized and truncated requests (the table cases[]);
 *   2. slow readers: players that PLAY over TCP, then stop reading, or
 *      read a kilobyte a second, for SLOW_S;
 *   3. SETUP floods: without credentials, and with them (each SETUP a new
 *      session);
 *   4. connections opened and left idle, more than --max-clients.
 * After each phase: the relay still runs, both watchers got frames all
 * through it (at least MIN_FPS), and nothing the attackers received names
 * the camera (its address, path, user or password). At the end, a new
 * client still plays, and the relay holds no more descriptors than at the
 * start. The figures (statuses, RSS, descriptors) are printed.
 *
 * Usage: test-relay-hostile FACEANON-RELAY [--scale N] [--phase N] [--keep]
 *   --scale N  N times the counts of the floods (the soak's)
 *   --phase N  only phase N
 * Exit status: 0 passed, 1 failed, 77 skipped (something missing). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "fa-data.h"
#include "relay-check.h"

#define CLIP_LOOPS 6
#define VIEWER_USER "viewer"
#define VIEWER_PASSWORD "hostile-Pw-9"

/* seconds */
#define CHILD_READY_S 10
#define SERVING_S 20
#define FIRST_FRAME_S 15
#define ANSWER_S 3
#define SLOW_S 25
#define IDLE_S 10
#define SETTLE_S 4

/* counts, times --scale */
#define N_SLOW 4
#define SETUPS_PER_CONNECTION 200
#define SETUP_CONNECTIONS 5
#define IDLE_CONNECTIONS 150
/* the relay's --max-clients by default, and the sessions it lets one
 * client hold */
#define MAX_CLIENTS 64
#define SESSIONS_PER_CLIENT 4

/* what passes */
#define MIN_FPS 10.0
#define FD_SLACK 2


typedef struct
{
  Bench b;                      /* the folder, the clip, the camera */
  const gchar *relay_program;
  gint scale;
  gint phase;                   /* only this one; 0: all */
  gboolean keep;

  gchar *relay_log;
  guint port;
  gchar *url;                   /* without credentials, for requests */
  gchar *viewer_url;
  gchar *secrets[4];            /* what no answer may hold */
  GSubprocess *camera;
  GSubprocess *relay;
  Client *watchers[2];

  /* the phase under way */
  gint64 phase_us;
  guint phase_frames[2];
  gsize received;               /* bytes the attackers got */
  guint revealed;
} Test;

/* ---- what every phase checks ------------------------------------------ */

static gint
relay_fds (Test * t)
{
  return proc_fds (g_subprocess_get_identifier (t->relay));
}

static gint64
relay_rss_kb (Test * t)
{
  return proc_rss_kb (g_subprocess_get_identifier (t->relay));
}

/* Whatever an attacker received: it must not name the camera. */
static void
seen (Test * t, const gchar * what, const gchar * text)
{
  t->received += strlen (text);
  for (guint i = 0; i < G_N_ELEMENTS (t->secrets); i++) {
    if (strstr (text, t->secrets[i])) {
      g_print ("FAIL: %s: the answer holds '%s'\n", what, t->secrets[i]);
      t->revealed++;
      check_failed = TRUE;
    }
  }
}

static void
phase_begin (Test * t, const gchar * what)
{
  g_print ("---- %s\n", what);
  t->phase_us = g_get_monotonic_time ();
  for (guint i = 0; i < 2; i++)
    client_counts (t->watchers[i], &t->phase_frames[i], NULL, NULL);
}

static void
phase_end (Test * t, const gchar * what)
{
  gdouble s = (g_get_monotonic_time () - t->phase_us) / 1e6;
  gboolean alive = g_subprocess_get_identifier (t->relay) != NULL;

  CHECK (alive, "%s: the relay still runs (%.1f s; RSS %" G_GINT64_FORMAT
      " kB, %d descriptors)", what, s, relay_rss_kb (t), relay_fds (t));
  for (guint i = 0; i < 2; i++) {
    guint n = 0;

    client_counts (t->watchers[i], &n, NULL, NULL);
    n -= t->phase_frames[i];
    CHECK (n >= MIN_FPS * MAX (s, 1.0) && t->watchers[i]->error == NULL,
        "%s: %s got %u frames meanwhile (%.1f fps; %.0f or more expected)%s%s",
        what, t->watchers[i]->name, n, n / MAX (s, 1.0), MIN_FPS,
        t->watchers[i]->error ? ": " : "", t->watchers[i]->error ?
        t->watchers[i]->error : "");
  }
}

/* ---- 1. malformed, oversized, truncated -------------------------------- */

static GString *
string_printf (const gchar * format, ...)
G_GNUC_PRINTF (1, 2);

     static GString *string_printf (const gchar * format, ...)
{
  GString *s = g_string_new (NULL);
  va_list args;

  va_start (args, format);
  g_string_append_vprintf (s, format, args);
  va_end (args);
  return s;
}

typedef struct
{
  const gchar *name;
  /* the bytes to send, given the relay's URL */
  GString *(*make) (const gchar * url);
  gdouble hold_s;               /* keep the connection this long after */
} Case;

static GString *
make_garbage (const gchar * url)
{
  GString *s = g_string_new (NULL);
  GRand *r = g_rand_new_with_seed (17);

  for (guint i = 0; i < 64 * 1024; i++)
    g_string_append_c (s, (gchar) g_rand_int_range (r, 0, 256));
  g_rand_free (r);
  return s;
}

static GString *
make_no_version (const gchar * url)
{
  return string_printf ("DESCRIBE %s\r\nCSeq: 1\r\n\r\n", url);
}

static GString *
make_bad_method (const gchar * url)
{
  return string_printf ("FLY %s RTSP/1.0\r\nCSeq: 1\r\n\r\n", url);
}

static GString *
make_long_url (const gchar * url)
{
  GString *s = g_string_new ("DESCRIBE ");

  g_string_append (s, url);
  for (guint i = 0; i < 1024 * 1024; i++)
    g_string_append_c (s, 'a');
  g_string_append (s, " RTSP/1.0\r\nCSeq: 1\r\n\r\n");
  return s;
}

static GString *
make_many_headers (const gchar * url)
{
  GString *s = string_printf ("DESCRIBE %s RTSP/1.0\r\nCSeq: 1\r\n",
      url);

  for (guint i = 0; i < 50000; i++)
    g_string_append_printf (s, "X-Header-%u: value\r\n", i);
  g_string_append (s, "\r\n");
  return s;
}

static GString *
make_long_header (const gchar * url)
{
  GString *s = string_printf ("DESCRIBE %s RTSP/1.0\r\nCSeq: 1\r\n"
      "X-Long: ", url);

  for (guint i = 0; i < 2 * 1024 * 1024; i++)
    g_string_append_c (s, 'b');
  g_string_append (s, "\r\n\r\n");
  return s;
}

static GString *
make_huge_content_length (const gchar * url)
{
  return string_printf ("ANNOUNCE %s RTSP/1.0\r\nCSeq: 1\r\n"
      "Content-Type: application/sdp\r\nContent-Length: 4294967295\r\n\r\n"
      "v=0\r\n", url);
}

static GString *
make_negative_content_length (const gchar * url)
{
  return string_printf ("SET_PARAMETER %s RTSP/1.0\r\nCSeq: 1\r\n"
      "Content-Length: -1\r\n\r\nabc", url);
}

static GString *
make_bad_cseq (const gchar * url)
{
  return string_printf ("OPTIONS %s RTSP/1.0\r\nCSeq: abc\r\n\r\n"
      "OPTIONS %s RTSP/1.0\r\nCSeq: 999999999999999999999999\r\n\r\n"
      "OPTIONS %s RTSP/1.0\r\nCSeq: -5\r\n\r\n", url, url, url);
}

static GString *
make_interleaved_junk (const gchar * url)
{
  GString *s = g_string_new (NULL);

  /* RTP-over-TCP frames that say 65535 bytes, on channels never set up */
  for (guint f = 0; f < 8; f++) {
    g_string_append_c (s, '$');
    g_string_append_c (s, (gchar) (f * 37));
    g_string_append_c (s, (gchar) 0xff);
    g_string_append_c (s, (gchar) 0xff);
    for (guint i = 0; i < 65535; i++)
      g_string_append_c (s, (gchar) (i * 7));
  }
  /* and one cut short */
  g_string_append_len (s, "$\001\377\377abc", 7);
  return s;
}

static GString *
make_truncated (const gchar * url)
{
  return string_printf ("DESCRIBE %s RTSP/1.0\r\nCSe", url);
}

static GString *
make_nul_bytes (const gchar * url)
{
  GString *s = string_printf ("DESCRIBE %s RTSP/1.0\r\nCSeq: 1\r\n"
      "X-Nul: a", url);

  g_string_append_len (s, "\0\0\0b\r\n\r\n", 8);
  return s;
}

static GString *
make_pipelined (const gchar * url)
{
  GString *s = g_string_new (NULL);

  for (guint i = 1; i <= 5000; i++)
    g_string_append_printf (s, "OPTIONS %s RTSP/1.0\r\nCSeq: %u\r\n\r\n",
        url, i);
  return s;
}

static GString *
make_tunnel_get (const gchar * url)
{
  return g_string_new ("GET /anon HTTP/1.0\r\nx-sessioncookie: hostile\r\n"
      "Accept: application/x-rtsp-tunnelled\r\n\r\n");
}

static GString *
make_tunnel_post (const gchar * url)
{
  GString *s = g_string_new ("POST /anon HTTP/1.0\r\nx-sessioncookie: "
      "hostile\r\nContent-Type: application/x-rtsp-tunnelled\r\n"
      "Content-Length: 32767\r\n\r\n");

  /* not base64 at all, then RTSP that is */
  g_string_append (s, "!!!!####%%%%&&&&");
  g_string_append (s, "REVTQ1JJQkUgcnRzcDovL2Zvby8gUlRTUC8xLjANCkNTZXE6IDEN"
      "Cg0K");
  return s;
}

static GString *
make_bad_transports (const gchar * url)
{
  return string_printf ("SETUP %s/stream=0 RTSP/1.0\r\nCSeq: 1\r\n"
      "Transport: RTP/AVP/TCP;unicast;interleaved=999999-1000000\r\n\r\n"
      "SETUP %s/stream=0 RTSP/1.0\r\nCSeq: 2\r\nTransport: RTP/AVP;unicast;"
      "destination=127.0.0.2;client_port=0-0\r\n\r\n"
      "SETUP %s/stream=99999999 RTSP/1.0\r\nCSeq: 3\r\nTransport: ;;;;\r\n"
      "\r\n", url, url, url);
}

static const Case cases[] = {
  {"64 kB of random bytes", make_garbage, 0},
  {"a request line without a version", make_no_version, 0},
  {"an unknown method", make_bad_method, 0},
  {"a 1 MB URL", make_long_url, 0},
  {"50000 headers", make_many_headers, 0},
  {"a 2 MB header", make_long_header, 0},
  {"Content-Length: 4294967295, then nothing", make_huge_content_length, 0},
  {"Content-Length: -1", make_negative_content_length, 0},
  {"CSeq not a number, too large, negative", make_bad_cseq, 0},
  {"interleaved data on channels never set up, one cut short",
      make_interleaved_junk, 0},
  {"a request cut short, connection closed", make_truncated, 0},
  {"a request cut short, connection held", make_truncated, 5},
  {"zero bytes in a header", make_nul_bytes, 0},
  {"5000 pipelined OPTIONS", make_pipelined, 0},
  {"an HTTP tunnel GET, held", make_tunnel_get, 3},
  {"an HTTP tunnel POST with junk", make_tunnel_post, 0},
  {"SETUP with absurd transports, unauthenticated", make_bad_transports, 0},
};

static void
check_malformed (Test * t)
{
  phase_begin (t, "1. malformed, oversized and truncated requests");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    GString *bytes = cases[i].make (t->url);
    GSocket *s = raw_connect (t->port, ANSWER_S);
    gchar *answer, *first;
    gboolean sent;

    if (s == NULL) {
      CHECK (FALSE, "%s: the relay takes a connection", cases[i].name);
      g_string_free (bytes, TRUE);
      continue;
    }
    sent = raw_send (s, bytes->str, bytes->len, ANSWER_S);
    if (cases[i].hold_s > 0)
      g_usleep (cases[i].hold_s * G_USEC_PER_SEC);
    answer = raw_receive (s, NULL, 4 * 1024 * 1024, ANSWER_S);
    raw_close (&s);
    seen (t, cases[i].name, answer);
    first = g_strndup (answer, strcspn (answer, "\r\n"));
    g_print ("  %s: %s all, got %zu bytes%s%s\n", cases[i].name, sent ?
        "sent" : "could not send", strlen (answer), *first ? ", first: " :
        "", first);
    g_free (first);
    g_free (answer);
    g_string_free (bytes, TRUE);
  }
  phase_end (t, "malformed requests");
}

/* ---- 2. slow readers --------------------------------------------------- */

static void
check_slow_readers (Test * t)
{
  guint n = N_SLOW * t->scale, playing = 0;
  GSocket **slow = g_new0 (GSocket *, n);
  GSocket *trickle;
  gint64 end, rss0 = relay_rss_kb (t), rss_max = rss0;
  gchar *why = NULL;
  gsize trickled = 0, pending = 0;

  phase_begin (t, "2. slow readers");
  for (guint i = 0; i < n; i++) {
    slow[i] = raw_play (t->port, "/anon", VIEWER_USER, VIEWER_PASSWORD,
        ANSWER_S, &why);
    if (slow[i])
      playing++;
    else
      g_print ("  slow reader %u: %s\n", i, why);
    g_clear_pointer (&why, g_free);
  }
  trickle = raw_play (t->port, "/anon", VIEWER_USER, VIEWER_PASSWORD,
      ANSWER_S, &why);
  g_clear_pointer (&why, g_free);
  CHECK (playing == n && trickle, "%u players by hand PLAY over TCP, then "
      "stop reading (%u), one reads 1 kB a second (%s)", n + 1, playing,
      trickle ? "playing" : "refused");

  end = g_get_monotonic_time () + SLOW_S * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end) {
    gchar *got = trickle ? raw_receive (trickle, NULL, 1024, 1) : NULL;

    trickled += got ? strlen (got) : 0;
    g_free (got);
    rss_max = MAX (rss_max, relay_rss_kb (t));
    g_usleep (G_USEC_PER_SEC);
  }
  /* what the relay still had on its way to those who did not read */
  for (guint i = 0; i < n; i++) {
    gchar *rest;

    if (slow[i] == NULL)
      continue;
    rest = raw_receive (slow[i], NULL, 256 * 1024 * 1024, ANSWER_S);
    pending = MAX (pending, strlen (rest));
    g_free (rest);
    raw_close (&slow[i]);
  }
  raw_close (&trickle);
  g_print ("  RSS %" G_GINT64_FORMAT " kB before, %" G_GINT64_FORMAT " kB at "
      "most with them; the trickling one read %zu bytes in %d s; at most %zu "
      "bytes were still on their way to one that did not read\n", rss0,
      rss_max, trickled, SLOW_S, pending);
  g_free (slow);
  phase_end (t, "slow readers");
}

/* ---- 3. SETUP floods --------------------------------------------------- */

/* @count SETUPs on one connection, @auth (NULL: none) on each; the
 * statuses counted in @ok, @refused, @other. */
static void
setup_flood (Test * t, guint count, gboolean with_auth, guint * ok,
    guint * refused, guint * other)
{
  GSocket *s = raw_connect (t->port, ANSWER_S);
  gchar *uri = g_strdup_printf ("%s/stream=0", t->url), *auth = NULL;

  if (s == NULL) {
    (*other) += count;
    g_free (uri);
    return;
  }
  if (with_auth) {
    gchar *challenge = raw_exchange (s, "DESCRIBE", t->url, 1, NULL, NULL,
        ANSWER_S);

    auth = raw_digest (challenge, "SETUP", uri, VIEWER_USER, VIEWER_PASSWORD);
    g_free (challenge);
  }
  for (guint i = 0; i < count; i++) {
    gchar *r = raw_exchange (s, "SETUP", uri, i + 2,
        "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n", auth, ANSWER_S);

    seen (t, "a SETUP flood", r);
    if (g_str_has_prefix (r, "RTSP/1.0 200"))
      (*ok)++;
    else if (g_str_has_prefix (r, "RTSP/1.0 401"))
      (*refused)++;
    else if ((*other)++ == 0)
      g_print ("  SETUP %u of a flood: %.40s\n", i + 1, *r ? r : "no answer");
    g_free (r);
  }
  raw_close (&s);
  g_free (auth);
  g_free (uri);
}

static void
check_setup_floods (Test * t)
{
  guint per = SETUPS_PER_CONNECTION * t->scale, conns = SETUP_CONNECTIONS;
  guint ok = 0, refused = 0, other = 0;
  gint64 rss0 = relay_rss_kb (t), rss1;

  phase_begin (t, "3. SETUP floods");
  for (guint c = 0; c < conns; c++)
    setup_flood (t, per, FALSE, &ok, &refused, &other);
  CHECK (refused == per * conns && ok == 0, "%u SETUPs without credentials "
      "on %u connections: %u refused (401), %u let in, %u else", per * conns,
      conns, refused, ok, other);
  ok = refused = other = 0;
  for (guint c = 0; c < conns; c++)
    setup_flood (t, per, TRUE, &ok, &refused, &other);
  rss1 = relay_rss_kb (t);
  CHECK (ok + other == per * conns && ok <= conns * SESSIONS_PER_CLIENT,
      "%u SETUPs with credentials on %u connections, each a new session: %u "
      "let in (at most %d a connection), %u refused, every one answered; "
      "RSS %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT " kB", per * conns,
      conns, ok, SESSIONS_PER_CLIENT, other, rss0, rss1);
  phase_end (t, "SETUP floods");
}

/* ---- 4. idle connections ----------------------------------------------- */

/* Whether the relay closed @s within @seconds. */
static gboolean
closed_by_relay (GSocket * s, gdouble seconds)
{
  gchar buf[256];
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end) {
    gssize r;

    if (!g_socket_condition_timed_wait (s, G_IO_IN | G_IO_HUP,
            MAX (end - g_get_monotonic_time (), 0), NULL, NULL))
      return FALSE;
    r = g_socket_receive_with_blocking (s, buf, sizeof (buf), FALSE, NULL,
        NULL);
    if (r <= 0)
      return TRUE;
  }
  return FALSE;
}

static void
check_idle (Test * t)
{
  guint n = IDLE_CONNECTIONS * t->scale, opened = 0, closed = 0;
  GSocket **idle = g_new0 (GSocket *, n);
  gint fds0 = relay_fds (t), fds;
  Client *late;

  phase_begin (t, "4. idle connections");
  for (guint i = 0; i < n; i++)
    opened += (idle[i] = raw_connect (t->port, ANSWER_S)) != NULL;
  g_usleep (G_USEC_PER_SEC);
  for (guint i = 0; i < n; i++)
    closed += idle[i] && closed_by_relay (idle[i], 0.05);
  fds = relay_fds (t);
  g_usleep (IDLE_S * G_USEC_PER_SEC);
  CHECK (opened == n && closed >= n - MAX_CLIENTS && fds <= fds0 +
      MAX_CLIENTS + FD_SLACK, "%u idle connections: the relay closed %u of "
      "them at once (--max-clients %d) and holds %d descriptors (%d before)",
      n, closed, MAX_CLIENTS, fds, fds0);
  for (guint i = 0; i < n; i++)
    raw_close (&idle[i]);
  g_free (idle);
  /* once they are gone, a player gets in again */
  g_usleep (SETTLE_S * G_USEC_PER_SEC);
  late = client_start ("latecomer", t->viewer_url, -1);
  CHECK (client_wait_frames (late, 10, FIRST_FRAME_S), "once they are "
      "closed, a new player gets frames");
  client_stop (&late);
  phase_end (t, "idle connections");
}

/* ---- main ------------------------------------------------------------- */

static gboolean
start_children (Test * t)
{
  const gchar *cam[] = { "/proc/self/exe", "--serve", t->b.cam_port, t->b.clip,
    NULL
  };
  gchar port[8];
  const gchar *relay[] = { t->relay_program, "--port", port, "--auth-file",
    t->b.auth, t->b.source, NULL
  };

  g_snprintf (port, sizeof (port), "%u", t->port);
  t->camera = spawn (cam, t->b.cam_log, NULL);
  if (!wait_for_line (t->camera, t->b.cam_log, "ready", CHILD_READY_S)) {
    g_print ("FAIL: the test camera did not start\n");
    return FALSE;
  }
  t->relay = spawn (relay, t->relay_log, NULL);
  if (!wait_for_line (t->relay, t->relay_log, "serving ", SERVING_S)) {
    g_print ("FAIL: the relay does not serve after %d s\n", SERVING_S);
    return FALSE;
  }
  for (guint i = 0; i < 2; i++) {
    t->watchers[i] = client_start (i ? "watcher1" : "watcher0",
        t->viewer_url, i ? -1 : 0.5);
    if (!client_wait_frames (t->watchers[i], 1, FIRST_FRAME_S)) {
      g_print ("FAIL: %s gets no frames from the relay\n",
          t->watchers[i]->name);
      return FALSE;
    }
  }
  return TRUE;
}

/* what the test needs besides the relay */
static const gchar *const needed[] = { "faceanon", "x264enc", "avdec_h264",
  "h264parse", "matroskamux", "matroskademux", "rtph264pay", "rtspsrc",
  "concat", "avenc_aac", "avdec_aac", NULL
};

static void
setup (Test * t)
{
  bench_setup (&t->b, "faceanon-hostile", VIEWER_USER, VIEWER_PASSWORD);
  t->relay_log = g_build_filename (t->b.tmp, "relay.log", NULL);
  t->port = free_port ();
  t->url = g_strdup_printf ("rtsp://127.0.0.1:%u/anon", t->port);
  t->viewer_url = g_strdup_printf ("rtsp://" VIEWER_USER ":" VIEWER_PASSWORD
      "@127.0.0.1:%u/anon", t->port);
  t->secrets[0] = g_strdup (CAM_PASSWORD);
  t->secrets[1] = g_strdup_printf ("127.0.0.1:%s", t->b.cam_port);
  t->secrets[2] = g_strdup ("/cam");
  t->secrets[3] = g_strdup (CAM_USER ":");
  g_print ("working in %s; camera on port %s, relay on port %u; scale %d\n",
      t->b.tmp, t->b.cam_port, t->port, t->scale);
}

static void
finish (Test * t)
{
  for (guint i = 0; i < 2; i++)
    client_stop (&t->watchers[i]);
  if (check_failed && t->relay_log) {
    gchar *text = read_text (t->relay_log);
    gchar **lines = g_strsplit (text, "\n", -1);

    g_print ("relay output (%s), status lines:\n", t->relay_log);
    for (guint i = 0; lines[i]; i++)
      if (strstr (lines[i], "faceanon-relay: ")
          && !strstr (lines[i], "client connected"))
        g_print ("  %s\n", lines[i]);
    g_strfreev (lines);
    g_free (text);
  }
  kill_child (&t->relay);
  kill_child (&t->camera);
  bench_clear (&t->b, t->keep);
  for (guint i = 0; i < G_N_ELEMENTS (t->secrets); i++)
    g_free (t->secrets[i]);
  g_free (t->relay_log);
  g_free (t->url);
  g_free (t->viewer_url);
}

int
main (int argc, char **argv)
{
  Test t = { 0, };
  gint fds0;
  Client *after;

  if (argc == 4 && g_str_equal (argv[1], "--serve")) {
    gst_init (NULL, NULL);
    return camera_serve (argv[2], argv[3], "aacparse ! rtpmp4gpay");
  }
  if (argc < 2) {
    g_printerr ("usage: test-relay-hostile FACEANON-RELAY [--scale N] "
        "[--phase N] [--keep]\n");
    return 2;
  }
  t.relay_program = argv[1];
  t.scale = 1;
  for (int i = 2; i < argc; i++) {
    if (g_str_equal (argv[i], "--keep"))
      t.keep = TRUE;
    else if (g_str_equal (argv[i], "--scale") && i + 1 < argc)
      t.scale = atoi (argv[++i]);
    else if (g_str_equal (argv[i], "--phase") && i + 1 < argc)
      t.phase = atoi (argv[++i]);
  }
  t.scale = CLAMP (t.scale, 1, 20);
  t.phase = CLAMP (t.phase, 0, 4);
  gst_init (NULL, NULL);
  if (!g_file_test (MEGAMIND, G_FILE_TEST_EXISTS)) {
    g_print ("SKIP: %s is missing: install opencv-doc\n", MEGAMIND);
    return 77;
  }
  if (!have_elements (needed))
    return 77;
  setup (&t);

  if (!build_clip (t.b.clip, CLIP_LOOPS, "avenc_aac ! aacparse")
      || !start_children (&t)) {
    check_failed = TRUE;
    goto out;
  }
  g_usleep (SETTLE_S * G_USEC_PER_SEC);
  fds0 = relay_fds (&t);

  if (t.phase == 0 || t.phase == 1)
    check_malformed (&t);
  if (t.phase == 0 || t.phase == 2)
    check_slow_readers (&t);
  if (t.phase == 0 || t.phase == 3)
    check_setup_floods (&t);
  if (t.phase == 0 || t.phase == 4)
    check_idle (&t);

  g_usleep (SETTLE_S * G_USEC_PER_SEC);
  after = client_start ("after", t.viewer_url, -1);
  CHECK (client_wait_frames (after, 10, FIRST_FRAME_S), "after it all, a new "
      "player gets frames");
  client_stop (&after);
  g_usleep (SETTLE_S * G_USEC_PER_SEC);
  CHECK (relay_fds (&t) >= 0 && relay_fds (&t) <= fds0 + FD_SLACK, "the "
      "relay holds %d descriptors at the end, %d at the start",
      relay_fds (&t), fds0);
  CHECK (t.revealed == 0, "none of the %zu bytes the attackers received "
      "names the camera (its address, path, user or password)", t.received);

out:
  finish (&t);
  g_print ("%s\n", check_failed ? "FAILED" : "passed");
  return check_failed ? 1 : 0;
}
