/* faceanon-relay: serves a camera over RTSP with every face masked
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

/* The options and the wiring; relay.h says how the relay works and which
 * file holds what. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "relay.h"

#include <glib-unix.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdlib.h>
#include <string.h>

GST_DEBUG_CATEGORY (relay_debug);

G_DEFINE_QUARK (faceanon_relay_error, relay_error);

#define DEFAULT_PORT 8554
#define DEFAULT_PATH "/anon"
#define DEFAULT_BIND "127.0.0.1"
#define DEFAULT_SEGMENT_SECONDS 60
#define DEFAULT_MAX_CLIENTS 64
/* half a second of delay: a face is masked from the frame it comes into
 * view, or turns, and a viewer of a redacted camera hardly notices */
#define DEFAULT_LOOKAHEAD 0.5

static gboolean
on_signal (gpointer user_data)
{
  Relay *relay = user_data;

  if (!relay->stopping) {
    relay->stopping = TRUE;
    relay_say (relay, "stopping");
    g_main_loop_quit (relay->loop);
  }
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  Relay relay = { 0, };
  GOptionContext *ctx;
  GError *err = NULL;
  const GOptionEntry entries[] = {
    {"port", 'p', 0, G_OPTION_ARG_INT, &relay.port,
        "Port to serve on (default 8554; 0: any free port)", "PORT"},
    {"path", 0, 0, G_OPTION_ARG_STRING, &relay.path,
        "Path of the anonymized stream (default " DEFAULT_PATH ")", "PATH"},
    {"bind", 'b', 0, G_OPTION_ARG_STRING, &relay.bind,
        "Address to listen on (default " DEFAULT_BIND ": this machine "
          "only; 0.0.0.0 for every network)", "ADDRESS"},
    {"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &relay.sets,
        "Set a faceanon property, e.g. --set method=pixelate (repeatable; "
          "gst-inspect-1.0 faceanon lists them)", "PROP=VALUE"},
    {"lookahead", 'l', 0, G_OPTION_ARG_DOUBLE, &relay.lookahead,
          "Serve the picture this many seconds late, so that a face is "
          "masked from the frame it comes into view, not from its first "
          "detection (faceanon's lookahead; default 0.5; 0: no delay)",
        "SECONDS"},
    {"record", 'r', 0, G_OPTION_ARG_FILENAME, &relay.record_dir,
        "Also record the anonymized stream into DIR, in segments "
          RECORD_PREFIX "NNNNN.mkv (Matroska: a file cut short by a "
          "crash still plays)", "DIR"},
    {"segment-seconds", 0, 0, G_OPTION_ARG_INT, &relay.segment_seconds,
        "Length of a recorded segment, cut at the next key frame "
          "(default 60)", "S"},
    {"auth-file", 'a', 0, G_OPTION_ARG_FILENAME, &relay.auth_file,
        "Let in only the users in FILE, one user:password a line (RTSP "
          "Digest authentication; Basic too over RTSPS); other users must "
          "not be able to read it (chmod 600)", "FILE"},
    {"max-clients", 0, 0, G_OPTION_ARG_INT, &relay.max_clients,
        "Connections served at once, at most; more are closed at once "
          "(default 64)", "N"},
    {"tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &relay.tls_cert,
        "Serve RTSPS (RTSP over TLS) with this PEM certificate", "FILE"},
    {"tls-key", 0, 0, G_OPTION_ARG_FILENAME, &relay.tls_key,
        "The PEM private key of --tls-cert", "FILE"},
    {"verbose", 'v', 0, G_OPTION_ARG_NONE, &relay.verbose,
        "Say more: the streams' formats, clients leaving, warnings from "
          "the source, error details (GST_DEBUG=faceanon-relay:5 for the "
          "debug log)", NULL},
    {NULL}
  };

#ifdef __GLIBC__
  /* glibc gives new threads arenas of their own, up to 8 a core, and
   * keeps in each what was freed there. The relay's threads come and go
   * with every client and every reconnection: its RSS grew by some 6 MB
   * at every return of the camera while clients came and went, and
   * stays flat with two arenas (docs/robustness.md) */
  mallopt (M_ARENA_MAX, 2);
#endif
  relay.port = DEFAULT_PORT;
  relay.segment_seconds = DEFAULT_SEGMENT_SECONDS;
  relay.max_clients = DEFAULT_MAX_CLIENTS;
  relay.lookahead = DEFAULT_LOOKAHEAD;
  relay.exit_status = EXIT_FAILURE;
  g_mutex_init (&relay.lock);
  relay.consumers = g_ptr_array_new ();

  ctx = g_option_context_new ("SOURCE");
  g_option_context_set_summary (ctx, "Serves a camera or a video over RTSP "
      "with every face masked by faceanon: H.264 video, the source's audio "
      "as it is when RTP can carry it (AAC, Opus, G.711), else in Opus.\n\n"
      "SOURCE is an rtsp:// URI (rtsp://user:password@camera/stream), any "
      "other URI, a file, or a camera device such as /dev/video0. The "
      "relay reconnects on its own when the source goes away.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err))
    goto error;
  GST_DEBUG_CATEGORY_INIT (relay_debug, "faceanon-relay", 0,
      "faceanon RTSP relay");
  if (argc != 2) {
    g_set_error (&err, RELAY_ERROR, 0, "give one SOURCE (see --help)");
    goto error;
  }
  if (!source_parse (&relay.source, argv[1], &err))
    goto error;
  source_hide_in_argv (&relay.source, argv[1]);
  source_redact_debug_log (&relay.source);

  if (!(relay.lookahead >= 0.0 && relay.lookahead <= 10.0)) {
    g_set_error (&err, RELAY_ERROR, 0, "--lookahead %g is not from 0 to 10 "
        "seconds", relay.lookahead);
    goto error;
  }
  if (relay.port < 0 || relay.port > 65535) {
    g_set_error (&err, RELAY_ERROR, 0, "--port %d is not a port: give 1 to "
        "65535, or 0 for any free one", relay.port);
    goto error;
  }
  if (relay.path == NULL)
    relay.path = g_strdup (DEFAULT_PATH);
  if (relay.path[0] != '/' || strpbrk (relay.path, " ?#")) {
    g_set_error (&err, RELAY_ERROR, 0, "--path '%s': give a path that "
        "starts with '/' and has no space, '?' or '#', e.g. /anon", relay.path);
    goto error;
  }
  if (relay.bind == NULL)
    relay.bind = g_strdup (DEFAULT_BIND);
  if (relay.max_clients <= 0) {
    g_set_error (&err, RELAY_ERROR, 0, "--max-clients must be above 0");
    goto error;
  }
  if (relay.segment_seconds <= 0) {
    g_set_error (&err, RELAY_ERROR, 0, "--segment-seconds must be above 0");
    goto error;
  }
  if (!relay.tls_cert != !relay.tls_key) {
    g_set_error (&err, RELAY_ERROR, 0, "RTSPS needs both --tls-cert and "
        "--tls-key");
    goto error;
  }
  server_warn_exposure (&relay);
  if (!check_elements (&err) || !check_faceanon (&relay, &err))
    goto error;
  if (!server_start (&relay, &err))
    goto error;

  relay.loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, &relay);
  g_unix_signal_add (SIGTERM, on_signal, &relay);
  relay_say (&relay, "listening on %s; the stream is served once the source is "
      "seen%s", relay.url, relay.auth_file ? ", to the users of the "
      "--auth-file" : "");
  connection_start (&relay);

  g_main_loop_run (relay.loop);

  connection_stop (&relay);
  recorder_stop (&relay);
  server_stop (&relay);
  relay_say (&relay, "stopped");
  relay.exit_status = EXIT_SUCCESS;
  goto done;

error:
  /* redacted there */
  relay_error (&relay, "%s", err->message);
  g_clear_error (&err);
done:
  consumers_clear (&relay);
  g_ptr_array_unref (relay.consumers);
  gst_clear_caps (&relay.audio_caps);
  g_clear_pointer (&relay.loop, g_main_loop_unref);
  server_stop (&relay);
  source_clear (&relay.source);
  g_mutex_clear (&relay.lock);
  g_option_context_free (ctx);
  g_strfreev (relay.sets);
  fa_settings_free (relay.settings);
  g_free (relay.path);
  g_free (relay.bind);
  g_free (relay.record_dir);
  g_free (relay.auth_file);
  g_free (relay.tls_cert);
  g_free (relay.tls_key);
  g_free (relay.url);
  return relay.exit_status;
}
