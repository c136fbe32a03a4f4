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

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "relay-check.h"
#include "fa-data.h"

#include <gst/rtp/rtp.h>
#include <glib/gstdio.h>
#include <gst/rtsp-server/rtsp-server.h>
#include <gst/video/video.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

gboolean check_failed;

/* ---- what the tests share --------------------------------------------- */

gboolean
have_elements (const gchar * const *names)
{
  for (guint i = 0; names[i]; i++) {
    GstElementFactory *f = gst_element_factory_find (names[i]);

    if (f == NULL) {
      g_print ("SKIP: the GStreamer element %s is missing\n", names[i]);
      return FALSE;
    }
    gst_object_unref (f);
  }
  return TRUE;
}

void
remove_or_keep (const gchar * dir, gboolean keep)
{
  gchar *cmd[] = { (gchar *) "rm", (gchar *) "-rf", (gchar *) dir, NULL };

  if (keep)
    g_print ("kept %s\n", dir);
  else
    g_spawn_sync (NULL, cmd, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
        NULL, NULL, NULL);
}

void
bench_setup (Bench * b, const gchar * prefix, const gchar * user,
    const gchar * password)
{
  gchar *tmpl = g_strdup_printf ("%s-XXXXXX", prefix);
  gchar *line = g_strdup_printf ("%s:%s\n", user, password);

  b->tmp = g_dir_make_tmp (tmpl, NULL);
  b->clip = g_build_filename (b->tmp, "cam.mkv", NULL);
  b->auth = g_build_filename (b->tmp, "users", NULL);
  b->cam_log = g_build_filename (b->tmp, "camera.log", NULL);
  g_snprintf (b->cam_port, sizeof (b->cam_port), "%u", free_port ());
  b->source = g_strdup_printf ("rtsp://" CAM_USER ":" CAM_PASSWORD
      "@127.0.0.1:%s/cam", b->cam_port);
  g_file_set_contents (b->auth, line, -1, NULL);
  g_chmod (b->auth, 0600);
  g_free (line);
  g_free (tmpl);
}

void
bench_clear (Bench * b, gboolean keep)
{
  if (b->tmp)
    remove_or_keep (b->tmp, keep);
  g_free (b->clip);
  g_free (b->auth);
  g_free (b->cam_log);
  g_free (b->source);
  g_free (b->tmp);
  memset (b, 0, sizeof (*b));
}

gint64
proc_rss_kb (const gchar * pid)
{
  gchar *path, *text = NULL;
  const gchar *at;
  gint64 kb = -1;

  if (pid == NULL)
    return -1;
  path = g_build_filename ("/proc", pid, "status", NULL);
  if (g_file_get_contents (path, &text, NULL, NULL)
      && (at = strstr (text, "VmRSS:")))
    kb = g_ascii_strtoll (at + strlen ("VmRSS:"), NULL, 10);
  g_free (text);
  g_free (path);
  return kb;
}

gint
proc_fds (const gchar * pid)
{
  gchar *path;
  GDir *d;
  gint n = 0;

  if (pid == NULL)
    return -1;
  path = g_build_filename ("/proc", pid, "fd", NULL);
  d = g_dir_open (path, 0, NULL);
  while (d && g_dir_read_name (d))
    n++;
  if (d)
    g_dir_close (d);
  g_free (path);
  return d ? n : -1;
}

/* ---- the test camera ------------------------------------------------- */

#define CLIP_WIDTH 360
#define CLIP_HEIGHT 264
#define CLIP_LOOP_SECONDS 11.25
#define TRANSCODE_S 30

gboolean
build_clip (const gchar * path, guint loops, const gchar * audio_encode)
{
  GString *desc = g_string_new (NULL);
  GstElement *pipeline;
  GstMessage *msg;
  GstBus *bus;
  GError *err = NULL;
  gboolean ok;

  g_string_append_printf (desc, "concat name=c ! videoscale ! "
      "video/x-raw,width=%d,height=%d ! x264enc speed-preset=ultrafast "
      "tune=zerolatency key-int-max=24 ! h264parse ! queue ! "
      "matroskamux name=m ! filesink location=%s", CLIP_WIDTH, CLIP_HEIGHT,
      path);
  for (guint i = 0; i < loops; i++)
    g_string_append_printf (desc, " uridecodebin uri=file://" MEGAMIND
        " caps=video/x-raw ! videorate ! c.");
  if (audio_encode)
    g_string_append_printf (desc, " audiotestsrc num-buffers=%d "
        "samplesperbuffer=960 ! audio/x-raw,rate=48000,channels=2 ! %s ! "
        "queue ! m.", (gint) (loops * CLIP_LOOP_SECONDS * 48000 / 960),
        audio_encode);

  pipeline = gst_parse_launch (desc->str, &err);
  g_string_free (desc, TRUE);
  if (pipeline == NULL) {
    g_print ("FAIL: cannot build the clip: %s\n", err->message);
    g_clear_error (&err);
    return FALSE;
  }
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, TRANSCODE_S * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  ok = msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;
  if (msg && !ok) {
    gst_message_parse_error (msg, &err, NULL);
    g_print ("FAIL: cannot build the clip: %s\n", err->message);
    g_clear_error (&err);
  } else if (!ok) {
    g_print ("FAIL: the clip took more than %d s to build\n", TRANSCODE_S);
  }
  gst_clear_message (&msg);
  gst_object_unref (bus);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  return ok;
}

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
camera_serve (const gchar * port, const gchar * clip, const gchar * audio_pay)
{
  GstRTSPServer *server = gst_rtsp_server_new ();
  GstRTSPMediaFactory *factory = gst_rtsp_media_factory_new ();
  GstRTSPMountPoints *mounts;
  GstRTSPAuth *auth = gst_rtsp_auth_new ();
  GstRTSPToken *token;
  GMainLoop *loop = g_main_loop_new (NULL, FALSE);
  GError *err = NULL;
  GSource *source;
  gchar *launch, *basic, *pay;

  pay = audio_pay ? g_strdup_printf ("d.audio_0 ! queue ! %s "
      "name=pay1 pt=97", audio_pay) : g_strdup ("");
  launch = g_strdup_printf ("( filesrc location=%s ! matroskademux name=d "
      "d.video_0 ! queue ! h264parse ! rtph264pay name=pay0 pt=96 "
      "config-interval=-1 %s )", clip, pay);
  g_free (pay);
  gst_rtsp_media_factory_set_launch (factory, launch);
  g_free (launch);

  /* a camera that wants its password */
  token = gst_rtsp_token_new (GST_RTSP_TOKEN_MEDIA_FACTORY_ROLE,
      G_TYPE_STRING, "user", NULL);
  basic = gst_rtsp_auth_make_basic (CAM_USER, CAM_PASSWORD);
  gst_rtsp_auth_add_basic (auth, basic, token);
  g_free (basic);
  gst_rtsp_token_unref (token);
  gst_rtsp_server_set_auth (server, auth);
  g_object_unref (auth);
  gst_rtsp_media_factory_add_role (factory, "user",
      GST_RTSP_PERM_MEDIA_FACTORY_ACCESS, G_TYPE_BOOLEAN, TRUE,
      GST_RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, G_TYPE_BOOLEAN, TRUE, NULL);

  gst_rtsp_server_set_address (server, "127.0.0.1");
  gst_rtsp_server_set_service (server, port);
  mounts = gst_rtsp_server_get_mount_points (server);
  gst_rtsp_mount_points_add_factory (mounts, "/cam", factory);
  g_object_unref (mounts);
  source = gst_rtsp_server_create_source (server, NULL, &err);
  if (source == NULL) {
    g_printerr ("test camera: cannot listen on 127.0.0.1:%s: %s\n", port,
        err->message);
    return 1;
  }
  g_source_attach (source, NULL);
  g_unix_signal_add (SIGTERM, quit_loop, loop);
  g_unix_signal_add (SIGINT, quit_loop, loop);
  g_print ("ready\n");
  g_main_loop_run (loop);
  g_source_destroy (source);
  g_source_unref (source);
  g_object_unref (server);
  g_main_loop_unref (loop);
  return 0;
}

/* ---- children --------------------------------------------------------- */

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

GSubprocess *
spawn (const gchar * const *argv, const gchar * log, const gchar * gst_debug)
{
  GSubprocessLauncher *l = g_subprocess_launcher_new
      (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  GSubprocess *p;
  GError *err = NULL;

  g_subprocess_launcher_set_stdout_file_path (l, log);
  g_subprocess_launcher_set_child_setup (l, die_with_parent, NULL, NULL);
  if (gst_debug)
    g_subprocess_launcher_setenv (l, "GST_DEBUG", gst_debug, TRUE);
  p = g_subprocess_launcher_spawnv (l, argv, &err);
  if (p == NULL) {
    g_print ("FAIL: cannot start %s: %s\n", argv[0], err->message);
    g_clear_error (&err);
  }
  g_object_unref (l);
  return p;
}

gchar *
read_text (const gchar * path)
{
  gchar *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

/* Waits until @log has @what, or the child died, or @seconds passed. */
gboolean
wait_for_line (GSubprocess * p, const gchar * log, const gchar * what,
    gdouble seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end) {
    gchar *text = read_text (log);
    gboolean found = strstr (text, what) != NULL;

    g_free (text);
    if (found)
      return TRUE;
    if (p == NULL || g_subprocess_get_identifier (p) == NULL)
      return FALSE;
    g_usleep (50000);
  }
  return FALSE;
}

gboolean
wait_exit (GSubprocess * p, gdouble seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end) {
    /* the GLib child watch does not run here: poll */
    if (g_subprocess_get_identifier (p) == NULL)
      return TRUE;
    g_main_context_iteration (NULL, FALSE);
    g_usleep (20000);
  }
  return FALSE;
}

void
kill_child (GSubprocess ** p)
{
  if (*p == NULL)
    return;
  if (g_subprocess_get_identifier (*p))
    g_subprocess_force_exit (*p);
  g_subprocess_wait (*p, NULL, NULL);
  g_clear_object (p);
}

guint
free_port (void)
{
  GSocket *s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
      G_SOCKET_PROTOCOL_TCP, NULL);
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *any = g_inet_socket_address_new (lo, 0), *bound;
  guint port = 0;

  if (s && g_socket_bind (s, any, TRUE, NULL)
      && (bound = g_socket_get_local_address (s, NULL))) {
    port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
    g_object_unref (bound);
  }
  g_object_unref (any);
  g_object_unref (lo);
  if (s) {
    g_socket_close (s, NULL);
    g_object_unref (s);
  }
  return port;
}

/* ---- clients ---------------------------------------------------------- */


static GstPadProbeReturn
count_video (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Client *c = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstVideoRegionOfInterestMeta *meta;
  gpointer state = NULL;
  gboolean face = FALSE;

  while ((meta = (GstVideoRegionOfInterestMeta *)
          gst_buffer_iterate_meta_filtered (buf, &state,
              GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE)))
    face |= meta->roi_type == g_quark_from_static_string ("face");
  g_mutex_lock (&c->lock);
  c->frames++;
  c->face_frames += face;
  if (face && c->face_frames <= 12)
    g_string_append_printf (c->face_at, " %u", c->frames);
  g_mutex_unlock (&c->lock);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
count_audio (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Client *c = user_data;

  g_mutex_lock (&c->lock);
  c->audio++;
  g_mutex_unlock (&c->lock);
  return GST_PAD_PROBE_OK;
}

static void
client_pad_added (GstElement * dec, GstPad * pad, gpointer user_data)
{
  Client *c = user_data;
  GstCaps *caps = gst_pad_get_current_caps (pad);
  gboolean video = caps && g_str_has_prefix (gst_structure_get_name
      (gst_caps_get_structure (caps, 0)), "video/");
  GstElement *bin;
  GstPad *sinkpad, *probed;
  gchar *desc;

  if (video && c->threshold < 0)
    desc = g_strdup ("queue ! identity name=redetect ! fakesink sync=false "
        "async=false");
  else if (video)
    desc = g_strdup_printf ("queue ! videoconvert ! faceanon name=redetect "
        "tracking=false async-detection=off method=solid "
        "confidence-threshold=%g ! fakesink sync=false async=false",
        c->threshold);
  else
    desc = g_strdup ("queue ! fakesink name=audio sync=false async=false");
  bin = gst_parse_bin_from_description (desc, TRUE, NULL);
  g_free (desc);
  gst_bin_add (GST_BIN (c->pipeline), bin);
  sinkpad = gst_element_get_static_pad (bin, "sink");
  gst_pad_link (pad, sinkpad);
  gst_object_unref (sinkpad);
  if (video) {
    GstElement *redetect = gst_bin_get_by_name (GST_BIN (bin), "redetect");

    probed = gst_element_get_static_pad (redetect, "src");
    gst_pad_add_probe (probed, GST_PAD_PROBE_TYPE_BUFFER, count_video, c, NULL);
    gst_object_unref (redetect);
  } else {
    GstElement *sink = gst_bin_get_by_name (GST_BIN (bin), "audio");

    probed = gst_element_get_static_pad (sink, "sink");
    gst_pad_add_probe (probed, GST_PAD_PROBE_TYPE_BUFFER, count_audio, c, NULL);
    gst_object_unref (sink);
  }
  gst_object_unref (probed);
  gst_element_sync_state_with_parent (bin);
  gst_clear_caps (&caps);
}

/* The relay's own timestamps, as RTP carries them: the client's buffer
 * timestamps would not do, rtpjitterbuffer makes them from arrival times. */
static GstPadProbeReturn
check_rtp_time (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Client *c = user_data;
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  guint32 ts;

  if (!gst_rtp_buffer_map (GST_PAD_PROBE_INFO_BUFFER (info), GST_MAP_READ,
          &rtp))
    return GST_PAD_PROBE_OK;
  ts = gst_rtp_buffer_get_timestamp (&rtp);
  gst_rtp_buffer_unmap (&rtp);
  g_mutex_lock (&c->lock);
  /* modulo 2^32: a step back is a negative difference */
  if (c->have_rtp && (gint32) (ts - c->last_rtp) < 0)
    c->rtp_back++;
  c->last_rtp = ts;
  c->have_rtp = TRUE;
  g_mutex_unlock (&c->lock);
  return GST_PAD_PROBE_OK;
}

static void
rtsp_pad_added (GstElement * rtspsrc, GstPad * pad, gpointer user_data)
{
  GstCaps *caps = gst_pad_get_current_caps (pad);
  const gchar *media = caps ? gst_structure_get_string
      (gst_caps_get_structure (caps, 0), "media") : NULL;

  if (g_strcmp0 (media, "video") == 0)
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, check_rtp_time,
        user_data, NULL);
  gst_clear_caps (&caps);
}

static void
client_source_setup (GstElement * dec, GstElement * source, gpointer data)
{
  g_signal_connect (source, "pad-added", G_CALLBACK (rtsp_pad_added), data);
  /* interleaved: data keeps coming while the relay's source is away */
  gst_util_set_object_arg (G_OBJECT (source), "protocols", "tcp");
  g_object_set (source, "latency", 200, NULL);
}

Client *
client_start (const gchar * name, const gchar * url, gdouble threshold)
{
  Client *c = g_new0 (Client, 1);
  GstElement *dec = gst_element_factory_make ("uridecodebin", NULL);

  g_mutex_init (&c->lock);
  c->face_at = g_string_new (NULL);
  c->name = name;
  c->threshold = threshold;
  c->pipeline = gst_pipeline_new (name);
  g_object_set (dec, "uri", url, NULL);
  g_signal_connect (dec, "pad-added", G_CALLBACK (client_pad_added), c);
  g_signal_connect (dec, "source-setup", G_CALLBACK (client_source_setup), c);
  gst_bin_add (GST_BIN (c->pipeline), dec);
  gst_element_set_state (c->pipeline, GST_STATE_PLAYING);
  return c;
}

/* Reads the client's bus: the first error is kept. */
void
client_poll (Client * c)
{
  GstBus *bus = gst_element_get_bus (c->pipeline);
  GstMessage *msg;

  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR |
              GST_MESSAGE_EOS))) {
    if (c->error == NULL) {
      GError *err = NULL;

      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
        gst_message_parse_error (msg, &err, NULL);
        c->error = g_strdup (err->message);
        g_clear_error (&err);
      } else {
        c->error = g_strdup ("end of stream");
      }
    }
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
}

void
client_counts (Client * c, guint * frames, guint * faces, guint * audio)
{
  client_poll (c);
  g_mutex_lock (&c->lock);
  if (frames)
    *frames = c->frames;
  if (faces)
    *faces = c->face_frames;
  if (audio)
    *audio = c->audio;
  g_mutex_unlock (&c->lock);
}

/* Waits until the client has @frames video frames, or an error, or
 * @seconds passed. */
gboolean
client_wait_frames (Client * c, guint frames, gdouble seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint n = 0;

  while (g_get_monotonic_time () < end) {
    client_counts (c, &n, NULL, NULL);
    if (n >= frames)
      return TRUE;
    if (c->error)
      return FALSE;
    g_usleep (50000);
  }
  return FALSE;
}

/* Waits until the client has an error, or @seconds passed. */
void
client_wait_error (Client * c, gdouble seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (c->error == NULL && g_get_monotonic_time () < end) {
    client_poll (c);
    g_usleep (50000);
  }
}

/* What the client receives in the next @seconds: video frames, frames in
 * which the re-detector finds a face, audio buffers. */
void
client_measure (Client * c, gdouble seconds, guint * frames, guint * faces,
    guint * audio)
{
  guint f0 = 0, face0 = 0, a0 = 0;

  client_counts (c, &f0, &face0, &a0);
  g_usleep (seconds * G_USEC_PER_SEC);
  client_counts (c, frames, faces, audio);
  *frames -= f0;
  *faces -= face0;
  if (audio)
    *audio -= a0;
}

void
client_stop (Client ** c)
{
  if (*c == NULL)
    return;
  gst_element_set_state ((*c)->pipeline, GST_STATE_NULL);
  gst_object_unref ((*c)->pipeline);
  g_free ((*c)->error);
  g_string_free ((*c)->face_at, TRUE);
  g_mutex_clear (&(*c)->lock);
  g_clear_pointer (c, g_free);
}

/* ---- recorded files --------------------------------------------------- */

typedef struct
{
  Played *played;
  guint stream;
  GMutex *lock;
} PlayedStream;

static GstPadProbeReturn
count_played (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  PlayedStream *ps = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  Played *p = ps->played;
  GstClockTime pts = GST_BUFFER_PTS (buf);

  if (!GST_CLOCK_TIME_IS_VALID (pts))
    return GST_PAD_PROBE_OK;
  g_mutex_lock (ps->lock);
  p->frames[ps->stream]++;
  if (!GST_CLOCK_TIME_IS_VALID (p->first[ps->stream])
      || pts < p->first[ps->stream])
    p->first[ps->stream] = pts;
  pts += GST_BUFFER_DURATION_IS_VALID (buf) ? GST_BUFFER_DURATION (buf) : 0;
  if (!GST_CLOCK_TIME_IS_VALID (p->end[ps->stream])
      || pts > p->end[ps->stream])
    p->end[ps->stream] = pts;
  g_mutex_unlock (ps->lock);
  return GST_PAD_PROBE_OK;
}

static void
play_pad_added (GstElement * dec, GstPad * pad, gpointer user_data)
{
  PlayedStream *ps = user_data;
  GstCaps *caps = gst_pad_get_current_caps (pad);
  gboolean video = caps && g_str_has_prefix (gst_structure_get_name
      (gst_caps_get_structure (caps, 0)), "video/");
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  GstElement *pipeline = GST_ELEMENT (gst_element_get_parent (dec));
  GstPad *sinkpad;

  g_object_set (sink, "sync", FALSE, NULL);
  gst_bin_add (GST_BIN (pipeline), sink);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_BUFFER, count_played,
      &ps[video ? 0 : 1], NULL);
  gst_pad_link (pad, sinkpad);
  gst_object_unref (sinkpad);
  gst_element_sync_state_with_parent (sink);
  gst_object_unref (pipeline);
  gst_clear_caps (&caps);
}

/* Decodes @path to its end (at most @seconds), as a player would. */
void
play_file (const gchar * path, gdouble seconds, Played * played)
{
  GstElement *pipeline = gst_pipeline_new ("player");
  GstElement *dec = gst_element_factory_make ("uridecodebin", NULL);
  gchar *uri = gst_filename_to_uri (path, NULL);
  GMutex lock;
  PlayedStream ps[2] = { {played, 0, &lock}, {played, 1, &lock} };
  GstMessage *msg;
  GstBus *bus;

  memset (played, 0, sizeof (*played));
  for (guint i = 0; i < 2; i++)
    played->first[i] = played->end[i] = GST_CLOCK_TIME_NONE;
  g_mutex_init (&lock);
  g_object_set (dec, "uri", uri, NULL);
  g_signal_connect (dec, "pad-added", G_CALLBACK (play_pad_added), ps);
  gst_bin_add (GST_BIN (pipeline), dec);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, seconds * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (msg == NULL) {
    played->error = g_strdup ("it did not end in time");
  } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *err = NULL;

    gst_message_parse_error (msg, &err, NULL);
    played->error = g_strdup (err->message);
    g_clear_error (&err);
  }
  gst_clear_message (&msg);
  gst_object_unref (bus);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  g_mutex_clear (&lock);
  g_free (uri);
}

gdouble
played_seconds (const Played * played, guint stream)
{
  if (!GST_CLOCK_TIME_IS_VALID (played->first[stream]))
    return 0.0;
  return (played->end[stream] - played->first[stream]) / 1e9;
}

void
played_clear (Played * played)
{
  g_clear_pointer (&played->error, g_free);
}
