/* faceanon-relay end-to-end test: its camera, children and clients
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

#ifndef __RELAY_CHECK_H__
#define __RELAY_CHECK_H__

/* What test-relay runs besides the relay: the test camera (gst-rtsp-server
 * with basic authentication, serving a clip), children that die with the
 * test, and RTSP clients that count the video frames in which a
 * re-detector (faceanon, synchronous, no tracking) finds a face, the audio
 * buffers, and RTP timestamps that go back. Every wait has a deadline. */

#include <gio/gio.h>
#include <gst/gst.h>

#include "relay-raw.h"

G_BEGIN_DECLS

/* A PASS or FAIL line; check_failed says whether one failed. */
extern gboolean check_failed;

#define CHECK(cond, ...) G_STMT_START {                                   \
    if (cond) {                                                           \
      g_print ("PASS: " __VA_ARGS__);                                     \
      g_print ("\n");                                                     \
    } else {                                                              \
      g_print ("FAIL: " __VA_ARGS__);                                     \
      g_print ("\n");                                                     \
      check_failed = TRUE;                                                \
    }                                                                     \
  } G_STMT_END

/* FALSE, having said SKIP, when one of the elements @names is missing. */
gboolean have_elements (const gchar * const *names);
/* rm -rf @dir, or with @keep only says where it is. */
void remove_or_keep (const gchar * dir, gboolean keep);
/* What /proc says of process @pid (a GSubprocess identifier): its RSS in
 * kB, its open descriptors; -1 when it is gone. */
gint64 proc_rss_kb (const gchar * pid);
gint proc_fds (const gchar * pid);

#define CAM_USER "cam"
#define CAM_PASSWORD "Sup3r-S3cret.42"

/* What every relay test works with: a temporary folder, the camera's clip
 * and log in it, an --auth-file (mode 0600) with one user, the camera's
 * port and URL (with its password). */
typedef struct
{
  gchar *tmp;
  gchar *clip;
  gchar *auth;
  gchar *cam_log;
  gchar cam_port[8];
  gchar *source;
} Bench;

void bench_setup (Bench * b, const gchar * prefix, const gchar * user,
    const gchar * password);
/* Removes the folder, or with @keep says where it is; frees @b. */
void bench_clear (Bench * b, gboolean keep);

/* Megamind @loops times at 360x264, H.264 with an audiotestsrc track made
 * by @audio_encode (from 48 kHz stereo; NULL: no audio), into @path
 * (Matroska): what the test camera serves without decoding or encoding
 * anything itself. FALSE, having said FAIL, when it cannot be made. */
gboolean build_clip (const gchar * path, guint loops,
    const gchar * audio_encode);

/* Serves @clip (Matroska, H.264 and @audio_pay's audio, or none when
 * NULL) at rtsp://CAM_USER:CAM_PASSWORD@127.0.0.1:@port/cam; says "ready"
 * on stdout, runs until SIGTERM or SIGINT; the exit status. */
int camera_serve (const gchar * port, const gchar * clip,
    const gchar * audio_pay);

/* Children: stdout and stderr into @log; killed when the test dies. */
GSubprocess *spawn (const gchar * const *argv, const gchar * log,
    const gchar * gst_debug);
gchar *read_text (const gchar * path);
gboolean wait_for_line (GSubprocess * p, const gchar * log,
    const gchar * what, gdouble seconds);
gboolean wait_exit (GSubprocess * p, gdouble seconds);
void kill_child (GSubprocess ** p);
guint free_port (void);

typedef struct
{
  const gchar *name;
  GstElement *pipeline;
  GMutex lock;
  guint frames;
  guint face_frames;
  guint audio;
  guint rtp_back;               /* video RTP timestamps that went back */
  gboolean have_rtp;
  guint32 last_rtp;
  GString *face_at;             /* the first frames where a face was found */
  gchar *error;
  gdouble threshold;
} Client;

/* A client of @url that decodes the video, and finds faces in it with
 * @threshold, or none when @threshold is below 0. */
Client *client_start (const gchar * name, const gchar * url,
    gdouble threshold);
void client_poll (Client * c);
void client_counts (Client * c, guint * frames, guint * faces,
    guint * audio);
gboolean client_wait_frames (Client * c, guint frames, gdouble seconds);
void client_wait_error (Client * c, gdouble seconds);
void client_measure (Client * c, gdouble seconds, guint * frames,
    guint * faces, guint * audio);
void client_stop (Client ** c);

/* What a recorded file plays: decoded to the end, each stream's buffers
 * and the time from its first to the end of its last buffer. */
typedef struct
{
  guint frames[2];              /* video, audio */
  GstClockTime first[2], end[2];
  gchar *error;                 /* the player's first error, or NULL */
} Played;

void play_file (const gchar * path, gdouble seconds, Played * played);
gdouble played_seconds (const Played * played, guint stream);
void played_clear (Played * played);

G_END_DECLS

#endif /* __RELAY_CHECK_H__ */
