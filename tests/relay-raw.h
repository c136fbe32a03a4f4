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

#ifndef __RELAY_RAW_H__
#define __RELAY_RAW_H__

/* RTSP over a TCP connection to 127.0.0.1 written by hand, for what a
 * player would not send: malformed, oversized, truncated requests, floods,
 * readers that stop reading. Every call has a deadline. */

#include <gio/gio.h>

G_BEGIN_DECLS

/* NULL when it cannot connect to 127.0.0.1:@port within @seconds. */
GSocket *raw_connect (guint port, gdouble seconds);
/* Sends all of @data (@len bytes; -1: a string); FALSE when the relay
 * closed the connection or it took more than @seconds. */
gboolean raw_send (GSocket * s, const gchar * data, gssize len,
    gdouble seconds);
/* What comes within @seconds, until @until is read (NULL: until the
 * connection closes), at most @max bytes; zero bytes become spaces. */
gchar *raw_receive (GSocket * s, const gchar * until, gsize max,
    gdouble seconds);
/* One request, and the response's head. */
gchar *raw_request (guint port, const gchar * request, gdouble seconds);
void raw_close (GSocket ** s);

/* The Authorization header's value that answers the Digest challenge in
 * @response (a 401) for @method on @uri, or NULL when it has none. */
gchar *raw_digest (const gchar * response, const gchar * method,
    const gchar * uri, const gchar * user, const gchar * password);

/* One request on @s: METHOD @uri RTSP/1.0 with @cseq, @headers (whole
 * lines, or NULL) and, when @authorization is not NULL, that header; the
 * response, head and body. */
gchar *raw_exchange (GSocket * s, const gchar * method, const gchar * uri,
    guint cseq, const gchar * headers, const gchar * authorization,
    gdouble seconds);

/* A player by hand on 127.0.0.1:@port: DESCRIBE (Digest with @user and
 * @password), SETUP of the first stream over the connection, PLAY. The
 * connection, or NULL with why in @why. */
GSocket *raw_play (guint port, const gchar * path, const gchar * user,
    const gchar * password, gdouble seconds, gchar ** why);

G_END_DECLS

#endif /* __RELAY_RAW_H__ */
