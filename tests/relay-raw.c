/* faceanon-relay tests: RTSP by hand
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

#include "relay-raw.h"

#include <string.h>

GSocket *
raw_connect (guint port, gdouble seconds)
{
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *addr = g_inet_socket_address_new (lo, port);
  GSocket *s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
      G_SOCKET_PROTOCOL_TCP, NULL);

  g_socket_set_timeout (s, MAX (1, (guint) seconds));
  if (!g_socket_connect (s, addr, NULL, NULL))
    g_clear_object (&s);
  g_object_unref (addr);
  g_object_unref (lo);
  return s;
}

gboolean
raw_send (GSocket * s, const gchar * data, gssize len, gdouble seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  gsize done = 0, n = len < 0 ? strlen (data) : (gsize) len;

  while (done < n && g_get_monotonic_time () < end) {
    GError *err = NULL;
    gssize r;

    if (!g_socket_condition_timed_wait (s, G_IO_OUT,
            MAX (end - g_get_monotonic_time (), 0), NULL, NULL))
      return FALSE;
    r = g_socket_send_with_blocking (s, data + done, n - done, FALSE, NULL,
        &err);
    if (r < 0 && g_error_matches (err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
      g_clear_error (&err);
      continue;
    }
    g_clear_error (&err);
    if (r <= 0)
      return FALSE;
    done += r;
  }
  return done == n;
}

gchar *
raw_receive (GSocket * s, const gchar * until, gsize max, gdouble seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  GString *got = g_string_new (NULL);
  gchar buf[4096];

  while (got->len < max && g_get_monotonic_time () < end
      && !(until && strstr (got->str, until))) {
    gssize r;

    if (!g_socket_condition_timed_wait (s, G_IO_IN,
            MAX (end - g_get_monotonic_time (), 0), NULL, NULL))
      break;
    r = g_socket_receive_with_blocking (s, buf, MIN (sizeof (buf),
            max - got->len), FALSE, NULL, NULL);
    if (r <= 0)
      break;
    /* interleaved RTP holds zero bytes: keep them out of the string */
    for (gssize i = 0; i < r; i++)
      g_string_append_c (got, buf[i] ? buf[i] : ' ');
  }
  return g_string_free (got, FALSE);
}

gchar *
raw_request (guint port, const gchar * request, gdouble seconds)
{
  GSocket *s = raw_connect (port, seconds);
  gchar *response;

  if (s == NULL)
    return g_strdup ("");
  raw_send (s, request, -1, seconds);
  response = raw_receive (s, "\r\n\r\n", 64 * 1024, seconds);
  raw_close (&s);
  return response;
}

void
raw_close (GSocket ** s)
{
  if (*s == NULL)
    return;
  g_socket_close (*s, NULL);
  g_clear_object (s);
}

/* The value of @param="..." in the Digest challenge of @response. */
static gchar *
challenge_param (const gchar * response, const gchar * param)
{
  const gchar *digest = strstr (response, "WWW-Authenticate: Digest ");
  gchar *key = g_strdup_printf ("%s=\"", param), *value = NULL;
  const gchar *at, *end;

  if (digest && (at = strstr (digest, key))) {
    at += strlen (key);
    end = strchr (at, '"');
    if (end && !memchr (at, '\n', end - at))
      value = g_strndup (at, end - at);
  }
  g_free (key);
  return value;
}

static gchar *
md5_of (const gchar * format, ...)
G_GNUC_PRINTF (1, 2);

     static gchar *md5_of (const gchar * format, ...)
{
  va_list args;
  gchar *text, *sum;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  sum = g_compute_checksum_for_string (G_CHECKSUM_MD5, text, -1);
  g_free (text);
  return sum;
}

/* RFC 2617 without qop, as gst-rtsp-server checks it. */
gchar *
raw_digest (const gchar * response, const gchar * method, const gchar * uri,
    const gchar * user, const gchar * password)
{
  gchar *realm = challenge_param (response, "realm");
  gchar *nonce = challenge_param (response, "nonce");
  gchar *ha1, *ha2, *answer, *header = NULL;

  if (realm && nonce) {
    ha1 = md5_of ("%s:%s:%s", user, realm, password);
    ha2 = md5_of ("%s:%s", method, uri);
    answer = md5_of ("%s:%s:%s", ha1, nonce, ha2);
    header = g_strdup_printf ("Digest username=\"%s\", realm=\"%s\", "
        "nonce=\"%s\", uri=\"%s\", response=\"%s\"", user, realm, nonce,
        uri, answer);
    g_free (answer);
    g_free (ha2);
    g_free (ha1);
  }
  g_free (realm);
  g_free (nonce);
  return header;
}

gchar *
raw_exchange (GSocket * s, const gchar * method, const gchar * uri,
    guint cseq, const gchar * headers, const gchar * authorization,
    gdouble seconds)
{
  gchar *auth = authorization ? g_strdup_printf ("Authorization: %s\r\n",
      authorization) : g_strdup ("");
  gchar *request = g_strdup_printf ("%s %s RTSP/1.0\r\nCSeq: %u\r\n%s%s"
      "\r\n", method, uri, cseq, headers ? headers : "", auth);
  gchar *head, *body, *all;
  const gchar *length, *end;
  gsize have = 0, want = 0;

  raw_send (s, request, -1, seconds);
  head = raw_receive (s, "\r\n\r\n", 64 * 1024, seconds);
  length = strstr (head, "Content-Length: ");
  end = strstr (head, "\r\n\r\n");
  if (length && end) {
    want = g_ascii_strtoull (length + strlen ("Content-Length: "), NULL, 10);
    have = strlen (end + 4);
  }
  body = want > have ? raw_receive (s, NULL, MIN (want - have, 64 * 1024),
      seconds) : g_strdup ("");
  all = g_strconcat (head, body, NULL);
  g_free (body);
  g_free (head);
  g_free (request);
  g_free (auth);
  return all;
}

/* The value of header @name in @response, up to the end of its line or
 * the first ';' (a Session header's timeout). */
static gchar *
header_value (const gchar * response, const gchar * name)
{
  gchar *key = g_strdup_printf ("\r\n%s: ", name);
  const gchar *at = strstr (response, key);
  gchar *value = NULL;

  if (at) {
    at += strlen (key);
    value = g_strndup (at, strcspn (at, "\r\n;"));
  }
  g_free (key);
  return value;
}

GSocket *
raw_play (guint port, const gchar * path, const gchar * user,
    const gchar * password, gdouble seconds, gchar ** why)
{
  GSocket *s = raw_connect (port, seconds);
  gchar *uri = g_strdup_printf ("rtsp://127.0.0.1:%u%s", port, path);
  gchar *challenge = NULL, *auth = NULL, *r = NULL, *session = NULL;
  gchar *setup_uri = NULL, *control, *headers;
  const gchar *at;

  *why = NULL;
  if (s == NULL) {
    *why = g_strdup ("cannot connect");
    goto out;
  }
  challenge = raw_exchange (s, "DESCRIBE", uri, 1,
      "Accept: application/sdp\r\n", NULL, seconds);
  auth = raw_digest (challenge, "DESCRIBE", uri, user, password);
  r = raw_exchange (s, "DESCRIBE", uri, 2, "Accept: application/sdp\r\n",
      auth, seconds);
  if (!g_str_has_prefix (r, "RTSP/1.0 200") || !(at = strstr (r, "m=video"))) {
    *why = g_strdup_printf ("DESCRIBE: %.60s", r);
    goto out;
  }
  /* the video stream's control */
  if (!(at = strstr (at, "a=control:"))) {
    *why = g_strdup ("DESCRIBE: no control for the video");
    goto out;
  }
  at += strlen ("a=control:");
  control = g_strndup (at, strcspn (at, "\r\n"));
  setup_uri = g_str_has_prefix (control, "rtsp://") ? g_strdup (control) :
      g_strdup_printf ("%s/%s", uri, control);
  g_free (control);

  g_free (auth);
  g_free (r);
  auth = raw_digest (challenge, "SETUP", setup_uri, user, password);
  r = raw_exchange (s, "SETUP", setup_uri, 3,
      "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n", auth, seconds);
  session = header_value (r, "Session");
  if (!g_str_has_prefix (r, "RTSP/1.0 200") || session == NULL) {
    *why = g_strdup_printf ("SETUP: %.60s", r);
    goto out;
  }

  g_free (auth);
  g_free (r);
  auth = raw_digest (challenge, "PLAY", uri, user, password);
  headers = g_strdup_printf ("Session: %s\r\nRange: npt=0-\r\n", session);
  r = raw_exchange (s, "PLAY", uri, 4, headers, auth, seconds);
  g_free (headers);
  if (!g_str_has_prefix (r, "RTSP/1.0 200"))
    *why = g_strdup_printf ("PLAY: %.60s", r);
out:
  g_free (uri);
  g_free (setup_uri);
  g_free (challenge);
  g_free (auth);
  g_free (r);
  g_free (session);
  if (*why)
    raw_close (&s);
  return s;
}
