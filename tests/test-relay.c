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
 * --record. Then:
 *   1. a re-detector (faceanon, tracking=false, synchronous) finds faces in
 *      most frames of the camera itself;
 *   2. an authenticated client of the relay gets video frames, in which
 *      the re-detector finds a face in a few frames at most, and audio;
 *   3. a client without credentials is refused;
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
 * death signal) and are killed on every way out.
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
#include <gst/rtp/rtp.h>
#include <gst/rtsp-server/rtsp-server.h>
#include <gst/video/video.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "fa-data.h"

/* the clip twice: 22 s, so that the first phase never sees its end */
#define CLIP_LOOPS 2
#define CLIP_SECONDS 22.5
#define CLIP_WIDTH 360
#define CLIP_HEIGHT 264

#define CAM_USER "cam"
#define CAM_PASSWORD "Sup3r-S3cret.42"
#define VIEWER_USER "viewer"
#define VIEWER_PASSWORD "view-Pw-7"

/* deadlines and measures, in seconds */
#define TRANSCODE_S 30
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

static gboolean failed;

#define CHECK(cond, ...) G_STMT_START {                                   \
    if (cond) {                                                           \
      g_print ("PASS: " __VA_ARGS__);                                     \
      g_print ("\n");                                                     \
    } else {                                                              \
      g_print ("FAIL: " __VA_ARGS__);                                     \
      g_print ("\n");                                                     \
      failed = TRUE;                                                      \
    }                                                                     \
  } G_STMT_END

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

/* ---- the test camera (--serve) --------------------------------------- */

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static int
serve (const gchar * port, const gchar * clip, const gchar * audio)
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
  const AudioKind *kind = audio_kind (audio);

  pay = kind && kind->pay ? g_strdup_printf ("d.audio_0 ! queue ! %s "
      "name=pay1 pt=97", kind->pay) : g_strdup ("");
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

static GSubprocess *
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

static gchar *
read_text (const gchar * path)
{
  gchar *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

/* Waits until @log has @what, or the child died, or @seconds passed. */
static gboolean
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

static gboolean
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

static void
kill_child (GSubprocess ** p)
{
  if (*p == NULL)
    return;
  if (g_subprocess_get_identifier (*p))
    g_subprocess_force_exit (*p);
  g_subprocess_wait (*p, NULL, NULL);
  g_clear_object (p);
}

static guint
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

  if (video)
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

static Client *
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
static void
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

static void
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
static gboolean
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

static void
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

/* ---- the clip --------------------------------------------------------- */

/* Megamind, CLIP_LOOPS times, small, with an audiotestsrc track: what the
 * test camera serves without decoding or encoding anything itself. */
static gboolean
make_clip (const gchar * path, const gchar * audio)
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
  for (guint i = 0; i < CLIP_LOOPS; i++)
    g_string_append_printf (desc, " uridecodebin uri=file://" MEGAMIND
        " caps=video/x-raw ! videorate ! c.");
  if (audio_kind (audio)->encode)
    g_string_append_printf (desc, " audiotestsrc num-buffers=%d "
        "samplesperbuffer=960 ! audio/x-raw,rate=48000,channels=2 ! %s ! "
        "queue ! m.", (gint) (CLIP_SECONDS * 48000 / 960),
        audio_kind (audio)->encode);

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

/* ---- the recording ---------------------------------------------------- */

static void
check_recording (const gchar * dir, gboolean restarted)
{
  GstDiscoverer *disc = gst_discoverer_new (10 * GST_SECOND, NULL);
  GDir *d = g_dir_open (dir, 0, NULL);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  const gchar *name;
  guint with_audio = 0, with_video = 0;
  GstClockTime total = 0;

  while (d && (name = g_dir_read_name (d)))
    if (g_str_has_prefix (name, "anon-"))
      g_ptr_array_add (files, g_build_filename (dir, name, NULL));
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
  CHECK (files->len >= (restarted ? 2u : 1u) && with_video == files->len,
      "the recording has %u file(s) with video, %s (a new file at the "
      "reconnection)", with_video, restarted ? "2 or more expected" :
      "1 or more expected");
  CHECK (with_audio == files->len && files->len > 0,
      "every recorded file has audio (%u of %u)", with_audio, files->len);
  CHECK (total >= 3 * GST_SECOND, "%.1f s recorded", total / 1e9);
  g_ptr_array_unref (files);
  if (disc)
    g_object_unref (disc);
}

/* ---- main ------------------------------------------------------------- */

static gboolean
has_elements (const gchar * const *names)
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

int
main (int argc, char **argv)
{
  gchar **relay_args = NULL, *audio = NULL, *tmp = NULL;
  gboolean no_auth = FALSE, no_restart = FALSE, no_audio = FALSE;
  gboolean keep = FALSE;
  gdouble threshold = 0.5;
  GOptionContext *ctx;
  GError *err = NULL;
  const GOptionEntry entries[] = {
    {"relay-arg", 0, 0, G_OPTION_ARG_STRING_ARRAY, &relay_args,
        "One more argument for the relay (repeatable)", "ARG"},
    {"no-auth", 0, 0, G_OPTION_ARG_NONE, &no_auth,
        "Run the relay without --auth-file", NULL},
    {"no-restart", 0, 0, G_OPTION_ARG_NONE, &no_restart,
        "Never bring the camera back", NULL},
    {"no-audio", 0, 0, G_OPTION_ARG_NONE, &no_audio,
        "A clip without audio", NULL},
    {"audio", 0, 0, G_OPTION_ARG_STRING, &audio,
        "The clip's audio: aac (default), opus, pcma (all three sent as "
          "they are), ac3 (re-encoded by the relay)", "CODEC"},
    {"redetect-threshold", 0, 0, G_OPTION_ARG_DOUBLE, &threshold,
        "Confidence threshold of the re-detector (default 0.5)", "T"},
    {"keep", 0, 0, G_OPTION_ARG_NONE, &keep,
        "Keep the temporary folder (logs, clip, recording)", NULL},
    {NULL}
  };
  GSubprocess *camera = NULL, *relay = NULL;
  Client *control = NULL, *viewer = NULL, *stranger = NULL, *again = NULL;
  gchar *clip, *auth, *record, *cam_log, *relay_log, *text;
  gchar cam_port[8], relay_port[8];
  gchar *source, *viewer_url, *stranger_url;
  guint frames = 0, faces = 0, n_audio = 0, f0 = 0, a0 = 0, face0 = 0;
  gboolean restarted = FALSE;
  int status;

  /* the test camera */
  if (argc == 5 && g_str_equal (argv[1], "--serve")) {
    gst_init (NULL, NULL);
    return serve (argv[2], argv[3], argv[4]);
  }

  ctx = g_option_context_new ("FACEANON-RELAY");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &err) || argc != 2) {
    g_printerr ("test-relay: %s\n", err ? err->message :
        "give the faceanon-relay program");
    return 2;
  }
  g_option_context_free (ctx);
  gst_init (NULL, NULL);
  t_start = g_get_monotonic_time ();
  if (audio == NULL)
    audio = g_strdup ("aac");
  if (no_audio) {
    g_free (audio);
    audio = g_strdup ("none");
  }

  {
    const gchar *needed[] = { "faceanon", "x264enc", "avdec_h264",
      "h264parse", "matroskamux", "matroskademux", "rtph264pay",
      "rtspsrc", "concat", NULL
    };

    if (audio_kind (audio) == NULL) {
      g_printerr ("test-relay: --audio %s: give aac, opus, pcma or ac3\n",
          audio);
      return 2;
    }
    if (!g_file_test (MEGAMIND, G_FILE_TEST_EXISTS)) {
      g_print ("SKIP: %s is missing: install opencv-doc\n", MEGAMIND);
      return 77;
    }
    if (!has_elements (needed) || !has_elements (audio_kind (audio)->needed))
      return 77;
  }

  tmp = g_dir_make_tmp ("faceanon-relay-XXXXXX", NULL);
  clip = g_build_filename (tmp, "cam.mkv", NULL);
  auth = g_build_filename (tmp, "users", NULL);
  record = g_build_filename (tmp, "record", NULL);
  cam_log = g_build_filename (tmp, "camera.log", NULL);
  relay_log = g_build_filename (tmp, "relay.log", NULL);
  g_snprintf (cam_port, sizeof (cam_port), "%u", free_port ());
  g_snprintf (relay_port, sizeof (relay_port), "%u", free_port ());
  source = g_strdup_printf ("rtsp://" CAM_USER ":" CAM_PASSWORD
      "@127.0.0.1:%s/cam", cam_port);
  viewer_url = g_strdup_printf ("rtsp://" VIEWER_USER ":" VIEWER_PASSWORD
      "@127.0.0.1:%s/anon", relay_port);
  stranger_url = g_strdup_printf ("rtsp://127.0.0.1:%s/anon", relay_port);
  g_file_set_contents (auth, VIEWER_USER ":" VIEWER_PASSWORD "\n", -1, NULL);
  g_chmod (auth, 0600);
  g_print ("working in %s; camera on port %s, relay on port %s\n", tmp,
      cam_port, relay_port);

  step ("building the camera's clip");
  if (!make_clip (clip, audio)) {
    failed = TRUE;
    goto done;
  }

  step ("starting the test camera and the relay");
  {
    const gchar *cam_argv[] = { "/proc/self/exe", "--serve", cam_port, clip,
      audio, NULL
    };
    GPtrArray *a = g_ptr_array_new ();

    camera = spawn (cam_argv, cam_log, NULL);
    if (!wait_for_line (camera, cam_log, "ready", CHILD_READY_S)) {
      g_print ("FAIL: the test camera did not start:\n%s\n",
          text = read_text (cam_log));
      g_free (text);
      failed = TRUE;
      goto done;
    }

    g_ptr_array_add (a, argv[1]);
    g_ptr_array_add (a, "--port");
    g_ptr_array_add (a, relay_port);
    g_ptr_array_add (a, "--verbose");
    g_ptr_array_add (a, "--record");
    g_ptr_array_add (a, record);
    if (!no_auth) {
      g_ptr_array_add (a, "--auth-file");
      g_ptr_array_add (a, auth);
    }
    for (guint i = 0; relay_args && relay_args[i]; i++)
      g_ptr_array_add (a, relay_args[i]);
    g_ptr_array_add (a, source);
    g_ptr_array_add (a, NULL);
    /* the parts that see the camera's URL and its Authorization header
     * log at debug level: the password must not show even then */
    relay = spawn ((const gchar * const *) a->pdata, relay_log,
        "2,faceanon-relay:6,rtspsrc:5,rtspconnection:5,uridecodebin:5,"
        "GST_ELEMENT_FACTORY:4");
    g_ptr_array_unref (a);
    if (relay == NULL) {
      failed = TRUE;
      goto done;
    }
  }

  /* 1. the camera itself shows faces, while the relay connects */
  step ("control: the re-detector on the camera's own frames");
  control = client_start ("control", source, threshold);
  if (!client_wait_frames (control, 1, FIRST_FRAME_S)) {
    g_print ("FAIL: no frame from the test camera: %s\n",
        control->error ? control->error : "timeout");
    failed = TRUE;
    goto done;
  }
  g_usleep (CONTROL_S * G_USEC_PER_SEC);
  client_counts (control, &frames, &faces, NULL);
  client_stop (&control);
  CHECK (frames >= MIN_FRAMES / 2 && share (faces, frames) >=
      MIN_CONTROL_FACE_SHARE, "the re-detector finds faces in %u of %u "
      "frames of the camera itself (%.0f%%, %.0f%% or more expected)",
      faces, frames, 100 * share (faces, frames), 100 * MIN_CONTROL_FACE_SHARE);

  step ("waiting for the relay to serve");
  if (!wait_for_line (relay, relay_log, "serving ", SERVING_S)) {
    g_print ("FAIL: the relay does not serve after %d s:\n%s\n", SERVING_S,
        text = read_text (relay_log));
    g_free (text);
    failed = TRUE;
    goto done;
  }

  /* 2. and 3. */
  step ("an authenticated client and a stranger");
  viewer = client_start ("viewer", viewer_url, threshold);
  stranger = client_start ("stranger", stranger_url, threshold);
  if (!client_wait_frames (viewer, 1, FIRST_FRAME_S)) {
    CHECK (FALSE, "video frames from the relay (%s)",
        viewer->error ? viewer->error : "none in time");
  } else {
    client_counts (viewer, &f0, &face0, &a0);
    g_usleep (MEASURE_S * G_USEC_PER_SEC);
    client_counts (viewer, &frames, &faces, &n_audio);
    frames -= f0;
    faces -= face0;
    n_audio -= a0;
    CHECK (frames >= MIN_FRAMES, "%u video frames from the relay in %d s "
        "(%d or more expected)", frames, MEASURE_S, MIN_FRAMES);
    CHECK (faces <= max_faces (frames), "the re-detector finds a face in "
        "%u of the %u relayed frames (at most %u expected)", faces, frames,
        max_faces (frames));
    g_print ("(frames of the client where a face was found:%s)\n",
        viewer->face_at->str);
    CHECK (n_audio > 0, "%u audio buffers from the relay", n_audio);
  }
  {
    gint64 end = g_get_monotonic_time () + REFUSED_S * G_USEC_PER_SEC;
    guint n = 0;

    while (stranger->error == NULL && g_get_monotonic_time () < end) {
      client_poll (stranger);
      g_usleep (50000);
    }
    client_counts (stranger, &n, NULL, NULL);
    CHECK (stranger->error != NULL && n == 0, "a client without "
        "credentials is refused (%s; %u frames)",
        stranger->error ? stranger->error : "no error", n);
    client_stop (&stranger);
  }

  /* 4. */
  step ("killing the test camera");
  kill_child (&camera);
  g_usleep (G_USEC_PER_SEC);
  client_counts (viewer, &f0, &face0, NULL);
  if (!no_restart) {
    const gchar *cam_argv[] = { "/proc/self/exe", "--serve", cam_port, clip,
      audio, NULL
    };

    step ("starting the test camera again on the same port");
    g_remove (cam_log);
    camera = spawn (cam_argv, cam_log, NULL);
    if (!wait_for_line (camera, cam_log, "ready", CHILD_READY_S)) {
      g_print ("FAIL: the test camera did not start again:\n%s\n",
          text = read_text (cam_log));
      g_free (text);
      failed = TRUE;
      goto done;
    }
    restarted = TRUE;
  }
  {
    gint64 t0 = g_get_monotonic_time ();
    gboolean back = client_wait_frames (viewer, f0 +
        MIN_FRAMES_AFTER_RECONNECT, RECONNECT_S);
    Client *measured = viewer;

    if (!back && viewer->error) {
      /* the client gave up: a new one must get the stream */
      g_print ("(the client left: %s; a new one connects)\n", viewer->error);
      again = client_start ("again", viewer_url, threshold);
      back = client_wait_frames (again, MIN_FRAMES_AFTER_RECONNECT,
          RECONNECT_S - (g_get_monotonic_time () - t0) / 1e6);
      measured = again;
      f0 = face0 = 0;
    }
    CHECK (back, "frames from the relay again %.1f s after the camera "
        "came back (within %d s)", (g_get_monotonic_time () - t0) / 1e6,
        RECONNECT_S);
    if (back) {
      client_counts (measured, &f0, &face0, NULL);
      g_mutex_lock (&measured->lock);
      g_string_truncate (measured->face_at, 0);
      g_mutex_unlock (&measured->lock);
      g_usleep (AFTER_RECONNECT_S * G_USEC_PER_SEC);
      client_counts (measured, &frames, &faces, NULL);
      frames -= f0;
      faces -= face0;
      CHECK (faces <= max_faces (frames), "after the reconnection, the "
          "re-detector finds a face in %u of %u frames (at most %u)", faces,
          frames, max_faces (frames));
      g_print ("(frames of the client where a face was found:%s)\n",
          measured->face_at->str);
      if (measured == viewer)
        CHECK (viewer->have_rtp && viewer->rtp_back == 0, "the relay's "
            "video RTP timestamps always grow, across the reconnection (%u "
            "went back)", viewer->rtp_back);
    }
  }
  client_stop (&viewer);
  client_stop (&again);

  /* 5. */
  step ("stopping the relay");
  g_subprocess_send_signal (relay, SIGTERM);
  CHECK (wait_exit (relay, STOP_S) && g_subprocess_get_if_exited (relay)
      && g_subprocess_get_exit_status (relay) == 0, "the relay stops "
      "cleanly on SIGTERM, within %d s", STOP_S);
  text = read_text (relay_log);
  {
    gchar *pair = g_strdup (CAM_USER ":" CAM_PASSWORD);
    gchar *b64 = g_base64_encode ((guchar *) pair, strlen (pair));
    gchar *redacted = g_strdup_printf ("rtsp://" CAM_USER ":***@127.0.0.1:%s"
        "/cam", cam_port);

    CHECK (strstr (text, redacted) != NULL, "the relay names its source "
        "with the password hidden (%s)", redacted);
    CHECK (strstr (text, CAM_PASSWORD) == NULL && strstr (text, b64) == NULL,
        "the relay's output (%zu bytes, rtspsrc at debug level) never "
        "shows the camera's password", strlen (text));
    g_free (redacted);
    g_free (b64);
    g_free (pair);
  }
  CHECK (strstr (text, "source connected") && strstr (text,
          "client connected") && strstr (text, "reconnecting in"),
      "the relay logs \"source connected\", \"client connected\" and "
      "\"source lost, reconnecting in N s\"");
  g_free (text);

  /* 6. */
  step ("the recording");
  check_recording (record, restarted);

done:
  client_stop (&control);
  client_stop (&viewer);
  client_stop (&stranger);
  client_stop (&again);
  kill_child (&relay);
  kill_child (&camera);
  step (failed ? "FAILED" : "passed");
  if (failed || keep) {
    g_print ("relay output (%s):\n", relay_log);
    text = read_text (relay_log);
    /* only the status lines: the debug log is long */
    {
      gchar **lines = g_strsplit (text, "\n", -1);

      for (guint i = 0; lines[i]; i++)
        if (strstr (lines[i], "faceanon-relay: "))
          g_print ("  %s\n", lines[i]);
      g_strfreev (lines);
    }
    g_free (text);
  }
  if (keep) {
    g_print ("kept %s\n", tmp);
  } else {
    gchar *cmd[] = { (gchar *) "rm", (gchar *) "-rf", tmp, NULL };

    g_spawn_sync (NULL, cmd, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
        NULL, NULL, NULL);
  }
  status = failed ? 1 : 0;
  g_free (clip);
  g_free (auth);
  g_free (record);
  g_free (cam_log);
  g_free (relay_log);
  g_free (source);
  g_free (viewer_url);
  g_free (stranger_url);
  g_free (tmp);
  g_free (audio);
  g_strfreev (relay_args);
  return status;
}
