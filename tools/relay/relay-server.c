/* faceanon-relay: the RTSP server
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

/* Listens, says who connects, and with --auth-file and --tls-cert lets in
 * only the users of the file (Digest authentication; Basic too over TLS),
 * over TLS. */

/* O_CLOEXEC */
#define _POSIX_C_SOURCE 200809L

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "relay.h"

#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ROLE "viewer"
#define REALM "faceanon-relay"

/* How many sessions a client may hold, at most (a player needs one):
 * each SETUP without a session makes one, and a flood of them would
 * otherwise fill the memory. */
#define SESSIONS_PER_CLIENT 4
/* how often, at most, the relay says it refuses clients */
#define REFUSAL_NOTE_US (10 * G_USEC_PER_SEC)

/* The sessions a client made, for when it goes. */
typedef struct
{
  GstRTSPSessionPool *pool;
  GPtrArray *sessions;
} ClientSessions;

static void
client_sessions_free (gpointer data)
{
  ClientSessions *cs = data;

  g_ptr_array_unref (cs->sessions);
  g_object_unref (cs->pool);
  g_free (cs);
}

static void
on_new_session (GstRTSPClient * client, GstRTSPSession * session,
    gpointer user_data)
{
  ClientSessions *cs = g_object_get_data (G_OBJECT (client),
      "relay-sessions");

  g_ptr_array_add (cs->sessions, g_object_ref (session));
}

static GstRTSPFilterResult
count_session (GstRTSPClient * client, GstRTSPSession * session,
    gpointer user_data)
{
  (*(guint *) user_data)++;
  return GST_RTSP_FILTER_KEEP;
}

/* A SETUP that would make one more session than SESSIONS_PER_CLIENT is
 * refused: a player needs one, a flood of them would take all the
 * session pool holds. */
static GstRTSPStatusCode
on_pre_setup (GstRTSPClient * client, GstRTSPContext * ctx, gpointer user_data)
{
  guint n = 0;

  if (ctx->session)
    return GST_RTSP_STS_OK;
  gst_rtsp_client_session_filter (client, count_session, &n);
  return n < SESSIONS_PER_CLIENT ? GST_RTSP_STS_OK :
      GST_RTSP_STS_SERVICE_UNAVAILABLE;
}

static void
on_client_closed (GstRTSPClient * client, gpointer user_data)
{
  Relay *relay = user_data;
  ClientSessions *cs = g_object_get_data (G_OBJECT (client),
      "relay-sessions");

  /* its sessions go with it, instead of holding a place in the pool until
   * they time out (60 s): over TCP they have nowhere to send any more */
  for (guint i = 0; cs && i < cs->sessions->len; i++)
    gst_rtsp_session_pool_remove (cs->pool,
        g_ptr_array_index (cs->sessions, i));
  g_atomic_int_add (&relay->n_clients, -1);
  if (!g_object_get_data (G_OBJECT (client), "relay-refused"))
    relay_verbose (relay, "client %s left",
        (const gchar *) g_object_get_data (G_OBJECT (client), "relay-ip"));
}

static void
on_play_request (GstRTSPClient * client, GstRTSPContext * ctx,
    gpointer user_data)
{
  request_key_frame (user_data);
}

static GstRTSPFilterResult
drop_refused (GstRTSPServer * server, GstRTSPClient * client,
    gpointer user_data)
{
  return g_object_get_data (G_OBJECT (client), "relay-refused") ?
      GST_RTSP_FILTER_REMOVE : GST_RTSP_FILTER_KEEP;
}

/* Closes the clients refused, once they are attached to their thread. */
static gboolean
close_refused (gpointer user_data)
{
  Relay *relay = user_data;

  relay->close_refused_id = 0;
  if (relay->server)
    gst_rtsp_server_client_filter (relay->server, drop_refused, NULL);
  return G_SOURCE_REMOVE;
}

/* Past --max-clients connections, a new one is closed at once: hostile
 * clients opening connection after connection would otherwise take every
 * descriptor the relay may open, the camera's and the recording's too. */
static gboolean
refuse_client (Relay * relay, GstRTSPClient * client, const gchar * ip)
{
  gint64 now = g_get_monotonic_time ();

  if (g_atomic_int_add (&relay->n_clients, 1) < relay->max_clients)
    return FALSE;
  g_object_set_data (G_OBJECT (client), "relay-refused", GINT_TO_POINTER (1));
  relay->refused++;
  if (now - relay->refusal_noted_us >= REFUSAL_NOTE_US) {
    relay_warn (relay, "refusing clients (%u so far, the last from %s): %d "
        "are connected already (--max-clients)", relay->refused, ip,
        relay->max_clients);
    relay->refusal_noted_us = now;
  }
  if (relay->close_refused_id == 0)
    relay->close_refused_id = g_idle_add (close_refused, relay);
  return TRUE;
}

static void
on_client_connected (GstRTSPServer * server, GstRTSPClient * client,
    gpointer user_data)
{
  Relay *relay = user_data;
  GstRTSPConnection *conn = gst_rtsp_client_get_connection (client);
  gchar *ip = g_strdup (conn ? gst_rtsp_connection_get_ip (conn) : "?");
  ClientSessions *cs = g_new0 (ClientSessions, 1);

  cs->pool = gst_rtsp_server_get_session_pool (server);
  cs->sessions = g_ptr_array_new_with_free_func (g_object_unref);
  g_object_set_data_full (G_OBJECT (client), "relay-sessions", cs,
      client_sessions_free);
  g_object_set_data_full (G_OBJECT (client), "relay-ip", ip, g_free);
  g_signal_connect (client, "closed", G_CALLBACK (on_client_closed), relay);
  if (refuse_client (relay, client, ip))
    return;
  g_signal_connect (client, "new-session", G_CALLBACK (on_new_session), NULL);
  g_signal_connect (client, "pre-setup-request", G_CALLBACK (on_pre_setup),
      NULL);
  relay_say (relay, "client connected from %s", ip);
  g_signal_connect (client, "play-request", G_CALLBACK (on_play_request),
      relay);
}

/* The --auth-file, read whole, or NULL with an error: refused when other
 * users may read or change it (their passwords are in it). */
static gchar *
read_users_file (const gchar * path, gsize * len, GError ** error)
{
  GMappedFile *map = NULL;
  gchar *text = NULL;
  GStatBuf st;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  /* the mode of the file read, not of whatever the name points at later */
  if (fd < 0 || fstat (fd, &st) != 0) {
    g_set_error (error, RELAY_ERROR, 0, "cannot read the --auth-file '%s': "
        "%s", path, g_strerror (errno));
    goto out;
  }
  if (st.st_mode & 0077) {
    g_set_error (error, RELAY_ERROR, 0, "the --auth-file '%s' can be read "
        "or changed by other users (mode %04o), and it holds passwords: "
        "chmod 600 '%s'", path, (guint) (st.st_mode & 07777), path);
    goto out;
  }
  map = g_mapped_file_new_from_fd (fd, FALSE, error);
  if (map == NULL) {
    g_prefix_error (error, "cannot read the --auth-file '%s': ", path);
    goto out;
  }
  *len = g_mapped_file_get_length (map);
  text = g_strndup (g_mapped_file_get_contents (map), *len);
  g_mapped_file_unref (map);
out:
  if (fd >= 0)
    close (fd);
  return text;
}

/* Each user of the file may watch: with Digest authentication, so that no
 * password crosses the network; over TLS with Basic too, which some
 * players need (and which TLS keeps from view). */
static gboolean
load_users (GstRTSPAuth * auth, const gchar * path, gboolean tls,
    GError ** error)
{
  GstRTSPToken *token;
  gchar *text, **lines;
  gsize len = 0;
  guint users = 0;
  gboolean ok = TRUE;

  text = read_users_file (path, &len, error);
  if (text == NULL)
    return FALSE;

  token = gst_rtsp_token_new (GST_RTSP_TOKEN_MEDIA_FACTORY_ROLE,
      G_TYPE_STRING, ROLE, NULL);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; ok && lines[i]; i++) {
    gchar *line = lines[i], *colon;
    gsize n = strlen (line);

    if (n && line[n - 1] == '\r')
      line[--n] = '\0';
    if (n == 0 || line[0] == '#')
      continue;
    colon = strchr (line, ':');
    if (colon == NULL || colon == line || colon[1] == '\0') {
      g_set_error (error, RELAY_ERROR, 0, "%s, line %u: expected "
          "user:password (one a line; # starts a comment)", path, i + 1);
      ok = FALSE;
      break;
    }
    *colon = '\0';
    gst_rtsp_auth_add_digest (auth, line, colon + 1, token);
    if (tls) {
      gchar *basic = gst_rtsp_auth_make_basic (line, colon + 1);

      gst_rtsp_auth_add_basic (auth, basic, token);
      memset (basic, 0, strlen (basic));
      g_free (basic);
    }
    users++;
  }
  if (ok && users == 0) {
    g_set_error (error, RELAY_ERROR, 0, "%s has no user:password line", path);
    ok = FALSE;
  }
  /* a client's Basic header matches only what was added: without TLS,
   * nothing */
  gst_rtsp_auth_set_supported_methods (auth, tls ? GST_RTSP_AUTH_DIGEST |
      GST_RTSP_AUTH_BASIC : GST_RTSP_AUTH_DIGEST);
  gst_rtsp_auth_set_realm (auth, REALM);
  for (guint i = 0; lines[i]; i++)
    memset (lines[i], 0, strlen (lines[i]));
  g_strfreev (lines);
  memset (text, 0, len);
  g_free (text);
  gst_rtsp_token_unref (token);
  return ok;
}

static gboolean
is_loopback (const gchar * address)
{
  GInetAddress *addr;
  gboolean loopback;

  if (g_ascii_strcasecmp (address, "localhost") == 0)
    return TRUE;
  addr = g_inet_address_new_from_string (address);
  if (addr == NULL)
    return FALSE;
  loopback = g_inet_address_get_is_loopback (addr);
  g_object_unref (addr);
  return loopback;
}

/* Listening beyond this machine: one warning that says who else can
 * watch, or see the video on its way. */
void
server_warn_exposure (Relay * relay)
{
  if (is_loopback (relay->bind))
    return;
  if (relay->tls_cert == NULL)
    relay_warn (relay, "listening on %s without --tls-cert: the video "
        "crosses the network in clear, %s", relay->bind,
        relay->auth_file ? "the passwords do not (Digest authentication)" :
        "and with no --auth-file anyone who can reach this address can watch");
  else if (relay->auth_file == NULL)
    relay_warn (relay, "listening on %s with no --auth-file: anyone who can "
        "reach this address can watch", relay->bind);
}

gboolean
server_start (Relay * relay, GError ** error)
{
  GstRTSPSessionPool *pool;
  GstRTSPAuth *auth = NULL;
  gchar *service, *host;
  gboolean tls = relay->tls_cert != NULL;

  relay->server = gst_rtsp_server_new ();
  service = g_strdup_printf ("%d", relay->port);
  gst_rtsp_server_set_address (relay->server, relay->bind);
  gst_rtsp_server_set_service (relay->server, service);
  g_free (service);

  relay->factory = publish_factory_new (relay);

  if (relay->auth_file || tls) {
    auth = gst_rtsp_auth_new ();
    if (relay->auth_file) {
      if (!load_users (auth, relay->auth_file, tls, error))
        goto failed;
    } else {
      GstRTSPToken *anyone = gst_rtsp_token_new
          (GST_RTSP_TOKEN_MEDIA_FACTORY_ROLE, G_TYPE_STRING, ROLE, NULL);

      gst_rtsp_auth_set_default_token (auth, anyone);
      gst_rtsp_token_unref (anyone);
    }
    if (tls) {
      GTlsCertificate *cert = g_tls_certificate_new_from_files
          (relay->tls_cert, relay->tls_key, error);

      if (cert == NULL) {
        g_prefix_error (error, "cannot load the TLS certificate '%s' and "
            "key '%s': ", relay->tls_cert, relay->tls_key);
        goto failed;
      }
      gst_rtsp_auth_set_tls_certificate (auth, cert);
      g_object_unref (cert);
      /* RTP inside the TLS connection: over UDP it would go in clear */
      gst_rtsp_media_factory_set_protocols (relay->factory,
          GST_RTSP_LOWER_TRANS_TCP);
    }
    gst_rtsp_media_factory_add_role (relay->factory, ROLE,
        GST_RTSP_PERM_MEDIA_FACTORY_ACCESS, G_TYPE_BOOLEAN, TRUE,
        GST_RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, G_TYPE_BOOLEAN, TRUE, NULL);
    gst_rtsp_server_set_auth (relay->server, auth);
    g_object_unref (auth);
    auth = NULL;
  }

  pool = gst_rtsp_server_get_session_pool (relay->server);
  gst_rtsp_session_pool_set_max_sessions (pool, relay->max_clients *
      SESSIONS_PER_CLIENT);
  g_object_unref (pool);
  relay->mounts = gst_rtsp_server_get_mount_points (relay->server);
  g_signal_connect (relay->server, "client-connected",
      G_CALLBACK (on_client_connected), relay);
  relay->server_source = gst_rtsp_server_create_source (relay->server, NULL,
      error);
  if (relay->server_source == NULL) {
    gboolean in_use = g_error_matches (*error, G_IO_ERROR,
        G_IO_ERROR_ADDRESS_IN_USE);

    g_prefix_error (error, "cannot listen on %s port %d (%s): ", relay->bind,
        relay->port, in_use ? "another program uses it: choose another "
        "--port" : "--bind must be an address of this machine");
    goto failed;
  }
  g_source_attach (relay->server_source, NULL);

  host = strchr (relay->bind, ':') ? g_strdup_printf ("[%s]", relay->bind) :
      g_strdup (relay->bind);
  relay->url = g_strdup_printf ("%s://%s:%d%s", tls ? "rtsps" : "rtsp", host,
      gst_rtsp_server_get_bound_port (relay->server), relay->path);
  g_free (host);
  return TRUE;

failed:
  if (auth)
    g_object_unref (auth);
  return FALSE;
}

static GstRTSPFilterResult
drop_session (GstRTSPSessionPool * pool, GstRTSPSession * session,
    gpointer user_data)
{
  return GST_RTSP_FILTER_REMOVE;
}

static GstRTSPFilterResult
drop_client (GstRTSPServer * server, GstRTSPClient * client, gpointer user_data)
{
  return GST_RTSP_FILTER_REMOVE;
}

void
server_stop (Relay * relay)
{
  GstRTSPSessionPool *pool;

  if (relay->server == NULL)
    return;
  if (relay->close_refused_id)
    g_source_remove (relay->close_refused_id);
  relay->close_refused_id = 0;
  if (relay->server_source) {
    g_source_destroy (relay->server_source);
    g_source_unref (relay->server_source);
  }
  if (relay->mounts) {
    gst_rtsp_mount_points_remove_factory (relay->mounts, relay->path);
    g_object_unref (relay->mounts);
  }
  pool = gst_rtsp_server_get_session_pool (relay->server);
  gst_rtsp_session_pool_filter (pool, drop_session, NULL);
  g_object_unref (pool);
  gst_rtsp_server_client_filter (relay->server, drop_client, NULL);
  g_clear_object (&relay->factory);
  g_clear_object (&relay->server);
}
