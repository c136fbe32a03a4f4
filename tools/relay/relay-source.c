/* faceanon-relay: the source, and never a password printed
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

/* The source as the command line gives it: a URI, a file or a camera
 * device. The credentials are taken out of the URI (the source element
 * gets them as properties), and whatever the relay prints or logs goes
 * through source_redact () first. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "relay.h"

#include <glib/gstdio.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* @text with every secret of @src replaced by ***; NULL for NULL. */
gchar *
source_redact (const Source * src, const gchar * text)
{
  GString *s;

  if (text == NULL)
    return NULL;
  s = g_string_new (text);
  if (src->secrets)
    for (guint i = 0; i < src->secrets->len; i++)
      g_string_replace (s, g_ptr_array_index (src->secrets, i), "***", 0);
  return g_string_free (s, FALSE);
}

static gboolean
has_secret (const Source * src, const gchar * text)
{
  if (text == NULL || src->secrets == NULL)
    return FALSE;
  for (guint i = 0; i < src->secrets->len; i++)
    if (strstr (text, g_ptr_array_index (src->secrets, i)))
      return TRUE;
  return FALSE;
}

/* Every GStreamer debug line goes through here when the source has a
 * password: elements log their URI at debug level (rtspsrc does). */
static void
redacting_log (GstDebugCategory * category, GstDebugLevel level,
    const gchar * file, const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  const Source *src = user_data;
  gchar *text, *clean;

  if (level > gst_debug_category_get_threshold (category))
    return;
  if (!has_secret (src, gst_debug_message_get (message))) {
    gst_debug_log_default (category, level, file, function, line, object,
        message, NULL);
    return;
  }
  text = gst_debug_log_get_line (category, level, file, function, line,
      object, message);
  clean = source_redact (src, text);
  fputs (clean, stderr);
  g_free (clean);
  g_free (text);
}

static gint
by_length_desc (gconstpointer a, gconstpointer b)
{
  return (gint) strlen (*(const gchar **) b) - (gint) strlen (*(const gchar
          **) a);
}

static void
add_secret (Source * src, const gchar * secret)
{
  if (secret == NULL || *secret == '\0')
    return;
  for (guint i = 0; i < src->secrets->len; i++)
    if (g_str_equal (g_ptr_array_index (src->secrets, i), secret))
      return;
  g_ptr_array_add (src->secrets, g_strdup (secret));
}

/* Schemes whose source elements take the credentials as properties. */
static gboolean
scheme_takes_credentials (const gchar * scheme)
{
  static const gchar *schemes[] = { "rtsp", "rtsps", "rtspt", "rtspu",
    "rtsph", "http", "https", NULL
  };

  return g_strv_contains (schemes, scheme);
}

/* Splits "scheme://user:password@host..." (RFC 3986: the authority ends at
 * the first '/', '?' or '#', the user information at its last '@'). */
static void
source_take_credentials (Source * src, const gchar * uri)
{
  const gchar *authority = strstr (uri, "://");
  const gchar *end, *at = NULL, *colon;
  gchar *scheme, *user_raw, *pass_raw = NULL;

  if (authority == NULL)
    return;
  authority += 3;
  end = authority + strcspn (authority, "/?#");
  for (const gchar * p = authority; p < end; p++)
    if (*p == '@')
      at = p;
  if (at == NULL) {
    src->display = g_strdup (uri);
    return;
  }

  colon = memchr (authority, ':', at - authority);
  user_raw = g_strndup (authority, (colon ? colon : at) - authority);
  if (colon)
    pass_raw = g_strndup (colon + 1, at - colon - 1);
  src->user = g_uri_unescape_string (user_raw, NULL);
  if (src->user == NULL)
    src->user = g_strdup (user_raw);
  if (pass_raw) {
    src->password = g_uri_unescape_string (pass_raw, NULL);
    if (src->password == NULL)
      src->password = g_strdup (pass_raw);
  }

  if (src->password && *src->password) {
    gchar *pair = g_strdup_printf ("%s:%s", src->user, src->password);
    gchar *b64 = g_base64_encode ((const guchar *) pair, strlen (pair));

    add_secret (src, pass_raw);
    add_secret (src, src->password);
    /* the Basic authorization header, should anything dump it */
    add_secret (src, b64);
    memset (pair, 0, strlen (pair));
    g_free (pair);
    g_free (b64);
    g_ptr_array_sort (src->secrets, by_length_desc);
  }

  src->display = g_strdup_printf ("%.*s%s%s%s", (int) (authority - uri), uri,
      user_raw, pass_raw ? ":***" : "", at);
  scheme = g_uri_parse_scheme (uri);
  if (scheme && scheme_takes_credentials (scheme)) {
    src->split_credentials = TRUE;
    g_free (src->uri);
    src->uri = g_strdup_printf ("%.*s%s", (int) (authority - uri), uri, at + 1);
  }
  g_free (scheme);
  g_free (user_raw);
  if (pass_raw)
    memset (pass_raw, 0, strlen (pass_raw));
  g_free (pass_raw);
}

gboolean
source_parse (Source * src, const gchar * arg, GError ** error)
{
  GStatBuf st;

  src->secrets = g_ptr_array_new_with_free_func (g_free);
  if (gst_uri_is_valid (arg)) {
    gchar *protocol = gst_uri_get_protocol (arg);
    gboolean ok = gst_uri_protocol_is_supported (GST_URI_SRC, protocol);

    src->uri = g_strdup (arg);
    source_take_credentials (src, arg);
    if (!ok) {
      g_set_error (error, RELAY_ERROR, 0, "no GStreamer element reads "
          "%s:// sources: install the plugin that does (rtsp and http are "
          "in gstreamer1.0-plugins-good)", protocol);
      g_free (protocol);
      return FALSE;
    }
    g_free (protocol);
    return TRUE;
  }

  if (g_stat (arg, &st) != 0) {
    g_set_error (error, RELAY_ERROR, 0, "cannot open the source '%s': %s; "
        "give an rtsp:// or other URI, a file, or a camera device such as "
        "/dev/video0", arg, g_strerror (errno));
    return FALSE;
  }
  if (S_ISCHR (st.st_mode)) {
    src->uri = g_strdup_printf ("v4l2://%s", arg);
  } else {
    src->uri = gst_filename_to_uri (arg, error);
    if (src->uri == NULL)
      return FALSE;
  }
  src->display = g_strdup (arg);
  return TRUE;
}

/* The password in the command line shows in ps and /proc: blank it once
 * it is copied. */
void
source_hide_in_argv (const Source * src, gchar * arg)
{
  const gchar *authority = strstr (arg, "://");
  gchar *end, *at = NULL, *colon;

  if (authority == NULL || src->password == NULL)
    return;
  authority += 3;
  end = (gchar *) authority + strcspn (authority, "/?#");
  for (gchar * p = (gchar *) authority; p < end; p++)
    if (*p == '@')
      at = p;
  if (at == NULL)
    return;
  colon = memchr (authority, ':', at - authority);
  if (colon)
    memset (colon + 1, '*', at - colon - 1);
}

/* With a password in the source, GStreamer's own debug log is filtered
 * too: elements log their URI at debug level (rtspsrc does). */
void
source_redact_debug_log (Source * src)
{
  if (src->secrets->len == 0)
    return;
  gst_debug_remove_log_function (gst_debug_log_default);
  gst_debug_add_log_function (redacting_log, src, NULL);
}

void
source_clear (Source * src)
{
  g_free (src->uri);
  g_free (src->display);
  g_free (src->user);
  if (src->password)
    memset (src->password, 0, strlen (src->password));
  g_free (src->password);
  if (src->secrets)
    g_ptr_array_unref (src->secrets);
}
