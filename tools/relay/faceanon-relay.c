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

/* Two halves, joined by appsink and appsrc (docs/relay.md has the whole
 * story):
 *
 * The ingest is rebuilt on every (re)connection to the source:
 *   uridecodebin ─ video ─ queue ! videoconvert ! faceanon ! videoconvert !
 *                │         x264enc ! h264parse ! appsink
 *                └ audio ─ queue ! [aacparse | opusparse] ! appsink
 *                          (or, when it cannot be sent as it is:
 *                           audioconvert ! audioresample ! opusenc)
 *
 * The consumers live on while the source comes and goes: the shared RTSP
 * media (appsrc ! h264parse ! rtph264pay, appsrc ! rtp...pay), one per
 * prepared media, and with --record one recording pipeline (appsrc !
 * h264parse ! splitmuxsink). Every buffer the ingest hands over is copied
 * to each consumer with its timestamp moved onto the consumer's clock: the
 * first buffer of a source session is "now" there, the rest follow the
 * source's own timing, so timestamps keep growing across reconnections and
 * audio stays in step with video.
 *
 * The stream is published (the mount point added) when the source is first
 * seen, because the audio payloader depends on the source's audio; later
 * sessions whose audio differs are re-encoded to what was published.
 *
 * faceanon sits before the encoder, and its errors stop the ingest like a
 * source error: frames that could not be masked are never encoded. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <gst/app/app.h>
#include <gst/pbutils/pbutils.h>
#include <gst/rtsp-server/rtsp-server.h>
#include <gst/video/video.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fa-options.h"

GST_DEBUG_CATEGORY_STATIC (relay_debug);
#define GST_CAT_DEFAULT relay_debug

#define DEFAULT_PORT 8554
#define DEFAULT_PATH "/anon"
#define DEFAULT_BIND "127.0.0.1"
#define DEFAULT_SEGMENT_SECONDS 60

/* Reconnection: 1 s, 2 s, 4 s ... at most 30 s between tries. A session
 * that delivered video for BACKOFF_RESET starts the series over. */
#define BACKOFF_FIRST_S 1
#define BACKOFF_MAX_S 30
#define BACKOFF_RESET_US (10 * G_USEC_PER_SEC)

/* A source that gives no video this long after it was opened, or stops
 * giving it this long, is lost even if it says nothing (a camera that
 * keeps its TCP connection open but sends no more). */
#define CONNECT_TIMEOUT_S 20
#define STALL_TIMEOUT_S 10

/* After the first video frame, how long to wait for the audio caps before
 * publishing the stream without audio. */
#define PUBLISH_WAIT_US (5 * G_USEC_PER_SEC)

#define KEY_INTERVAL_S 2
#define KEY_REQUEST_INTERVAL_US (G_USEC_PER_SEC / 2)
#define RTSPSRC_LATENCY_MS 200
#define APPSRC_MAX_BYTES (4 * 1024 * 1024)
#define STOP_TIMEOUT (5 * GST_SECOND)

#define VIDEO_CAPS "video/x-h264, stream-format=(string)byte-stream, " \
    "alignment=(string)au"
#define PT_VIDEO 96
#define PT_DYNAMIC_AUDIO 97
#define RECORD_PREFIX "anon-"
#define ROLE "viewer"

typedef enum
{
  STREAM_VIDEO,
  STREAM_AUDIO,
  N_STREAMS
} Stream;

static const gchar *stream_names[N_STREAMS] = { "video", "audio" };

/* What the relay can put into RTP as it is. Anything else is decoded and
 * re-encoded to Opus: it is free, its encoder ships with
 * gst-plugins-base, it has an RTP payloader, and MP4 and Matroska both
 * take it. */
typedef struct
{
  const gchar *media_type;
  const gchar *label;
  const gchar *parser;          /* before the appsink, or NULL */
  const gchar *payloader;
  gint pt;                      /* static payload type, or the dynamic one */
  const gchar *encoder;         /* to make this codec out of raw audio */
  gboolean mp4;                 /* mp4mux takes it */
} AudioCodec;

static const AudioCodec audio_codecs[] = {
  {"audio/mpeg", "AAC", "aacparse", "rtpmp4gpay", PT_DYNAMIC_AUDIO,
      "avenc_aac", TRUE},
  {"audio/x-opus", "Opus", "opusparse", "rtpopuspay", PT_DYNAMIC_AUDIO,
      "opusenc", TRUE},
  {"audio/x-alaw", "PCMA (G.711 A-law)", NULL, "rtppcmapay", 8, "alawenc",
      FALSE},
  {"audio/x-mulaw", "PCMU (G.711 mu-law)", NULL, "rtppcmupay", 0,
      "mulawenc", FALSE},
};

#define TRANSCODE_CODEC (&audio_codecs[1])

/* The Debian package of the elements that are not in gstreamer1.0-plugins-
 * base or the core, for the error that says one is missing. */
static const struct
{
  const gchar *element;
  const gchar *package;
} element_packages[] = {
  {"x264enc", "gstreamer1.0-plugins-ugly"},
  {"h264parse", "gstreamer1.0-plugins-bad"},
  {"opusparse", "gstreamer1.0-plugins-bad"},
  {"aacparse", "gstreamer1.0-plugins-good"},
  {"splitmuxsink", "gstreamer1.0-plugins-good"},
  {"mp4mux", "gstreamer1.0-plugins-good"},
  {"matroskamux", "gstreamer1.0-plugins-good"},
  {"rtph264pay", "gstreamer1.0-plugins-good"},
  {"rtpmp4gpay", "gstreamer1.0-plugins-good"},
  {"rtpopuspay", "gstreamer1.0-plugins-good"},
  {"rtppcmapay", "gstreamer1.0-plugins-good"},
  {"rtppcmupay", "gstreamer1.0-plugins-good"},
  {"alawenc", "gstreamer1.0-plugins-good"},
  {"mulawenc", "gstreamer1.0-plugins-good"},
  {"avenc_aac", "gstreamer1.0-libav"},
  {"faceanon", "faceanon (set GST_PLUGIN_PATH to the folder of "
        "libgstfaceanon.so)"},
};

/* The source as given, and what must never be printed of it. */
typedef struct
{
  gchar *uri;                   /* for uridecodebin */
  gchar *display;               /* for messages: the password is *** */
  gchar *user;                  /* decoded; NULL: no credentials */
  gchar *password;              /* decoded */
  /* the URI handed over has no credentials: the source element gets them
   * as its user-id and user-pw, and never logs them */
  gboolean split_credentials;
  GPtrArray *secrets;           /* longest first */
} Source;

/* A pipeline that takes what the ingest makes, through its appsrcs. */
typedef struct
{
  guint id;
  const gchar *what;
  GstElement *src[N_STREAMS];   /* appsrc, or NULL */
  GstElement *splitter;         /* splitmuxsink: a new file per session */
  gboolean started;             /* a key frame went in */
  /* the timestamp mapping, made again when either changes */
  guint session;
  GstClockTime base_time;
  GstClockTimeDiff offset;
  GstClockTime last[N_STREAMS];
} Consumer;

typedef struct _Relay Relay;

/* One connection to the source. */
typedef struct
{
  Relay *relay;
  guint session;
  GstElement *pipeline;
  GstElement *anon;

  /* taken by pad-added (streaming threads) and the main thread */
  GMutex lock;
  gboolean live;
  gboolean linked[N_STREAMS];
  GstElement *queue[N_STREAMS];
  GstElement *sink[N_STREAMS];
  gboolean got_first[N_STREAMS];
  gint64 last_sample_us;
  /* streaming threads, one a stream: the last running time handed over */
  GstClockTime last_rt[N_STREAMS];
  GstClockTime last_duration[N_STREAMS];
  gchar *audio_origin;          /* the source's audio codec, for messages */
  gboolean audio_transcoded;

  /* main thread */
  guint bus_watch;
  gint64 started_us;
  gint64 connected_us;          /* first video frame out of the encoder */
  gboolean no_more_pads;
  gboolean buffering;
  gchar *last_warning;          /* says why an end of stream came */
  GstCaps *caps[N_STREAMS];     /* of the first sample */
} Ingest;

struct _Relay
{
  /* options */
  Source source;
  gchar **sets;
  FaSettings *settings;         /* the --set properties, checked */
  gint port;
  gchar *path;
  gchar *bind;
  gchar *record_dir;
  gint segment_seconds;
  gchar *auth_file;
  gchar *tls_cert;
  gchar *tls_key;
  gboolean verbose;

  GMainLoop *loop;
  gint exit_status;
  gboolean stopping;

  /* the source, main thread */
  Ingest *ingest;
  guint session;
  guint backoff_s;
  guint retry_id;
  guint watchdog_id;

  /* shared with the streaming threads; the main thread writes */
  GMutex lock;
  gboolean published;
  GstCaps *audio_caps;          /* published; NULL: no audio */
  const AudioCodec *audio_codec;
  GPtrArray *consumers;
  guint next_consumer_id;
  GstElement *key_sink;         /* the ingest's video appsink */
  gint64 last_key_request_us;

  /* serving */
  GstRTSPServer *server;
  GstRTSPMountPoints *mounts;
  GstRTSPMediaFactory *factory;
  GSource *server_source;
  gchar *url;

  /* recording */
  GstElement *recorder;
  guint recorder_watch;
  Consumer *rec;
};

G_DEFINE_QUARK (faceanon_relay_error, relay_error);
#define RELAY_ERROR (relay_error_quark ())

/* ---- never print a password ---------------------------------------- */

static gchar *
redact (const Source * src, const gchar * text)
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
  clean = redact (src, text);
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

static gboolean
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
static void
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

static void
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

/* ---- what the program says ------------------------------------------ */

/* *INDENT-OFF* */
static void say (Relay * relay, const gchar * format, ...)
    G_GNUC_PRINTF (2, 3);
static void verbose (Relay * relay, const gchar * format, ...)
    G_GNUC_PRINTF (2, 3);
static void warn (Relay * relay, const gchar * format, ...)
    G_GNUC_PRINTF (2, 3);
/* *INDENT-ON* */

static void
say_valist (Relay * relay, FILE * out, const gchar * kind,
    const gchar * format, va_list args)
{
  gchar *text = gst_info_strdup_vprintf (format, args);
  gchar *clean = redact (&relay->source, text);
  GDateTime *now = g_date_time_new_now_local ();
  gchar *stamp = g_date_time_format (now, "%H:%M:%S");

  GST_INFO ("%s%s", kind, clean);
  fprintf (out, "%s faceanon-relay: %s%s\n", stamp, kind, clean);
  fflush (out);
  g_free (stamp);
  g_date_time_unref (now);
  g_free (clean);
  g_free (text);
}

/* A status line: what the relay does, on stdout. */
static void
say (Relay * relay, const gchar * format, ...)
{
  va_list args;

  va_start (args, format);
  say_valist (relay, stdout, "", format, args);
  va_end (args);
}

static void
verbose (Relay * relay, const gchar * format, ...)
{
  va_list args;

  if (!relay->verbose)
    return;
  va_start (args, format);
  say_valist (relay, stdout, "", format, args);
  va_end (args);
}

static void
warn (Relay * relay, const gchar * format, ...)
{
  va_list args;

  va_start (args, format);
  say_valist (relay, stderr, "warning: ", format, args);
  va_end (args);
}

static const gchar *
package_of (const gchar * element)
{
  for (guint i = 0; i < G_N_ELEMENTS (element_packages); i++)
    if (g_str_equal (element_packages[i].element, element))
      return element_packages[i].package;
  return "gstreamer1.0-plugins-base";
}

static GstElement *
make (const gchar * factory, const gchar * name, GError ** error)
{
  GstElement *e = gst_element_factory_make (factory, name);

  if (e == NULL)
    g_set_error (error, RELAY_ERROR, 0, "the GStreamer element %s is "
        "missing: install %s", factory, package_of (factory));
  return e;
}

/* ---- faceanon properties --------------------------------------------- */

/* Sets the relay's own default, then the --set properties, on @anon.
 *
 * The default: detection on a thread of its own whatever the source,
 * because what the relay serves is live even when it reads a file
 * (async-detection=auto would detect on the streaming thread for files,
 * and fall behind real time on a slow machine). */
static void
set_faceanon (Relay * relay, GstElement * anon)
{
  gst_util_set_object_arg (G_OBJECT (anon), "async-detection", "on");
  fa_settings_apply (relay->settings, anon);
}

/* Checks each --set PROP=VALUE against faceanon's param specs, with an
 * error that says what is wrong and what would do, then starts a faceanon
 * with them, alone: a missing model or a bad property is said now, once,
 * not at every reconnection. */
static gboolean
check_faceanon (Relay * relay, GError ** error)
{
  GstElement *pipeline, *anon;
  GstStateChangeReturn ret;
  GEnumValue *method;
  GEnumClass *methods;
  gint value = 0;
  gboolean ok = TRUE;

  anon = make ("faceanon", NULL, error);
  if (anon == NULL)
    return FALSE;
  pipeline = gst_pipeline_new ("faceanon-check");
  gst_bin_add (GST_BIN (pipeline), anon);
  relay->settings = fa_settings_parse (anon, relay->sets, "method=pixelate",
      error);
  if (relay->settings == NULL) {
    gst_object_unref (pipeline);
    return FALSE;
  }
  set_faceanon (relay, anon);

  g_object_get (anon, "method", &value, NULL);
  methods = g_type_class_ref (G_PARAM_SPEC_VALUE_TYPE
      (g_object_class_find_property (G_OBJECT_GET_CLASS (anon), "method")));
  method = g_enum_get_value (methods, value);
  if (method && g_str_equal (method->value_nick, "draw"))
    warn (relay, "--set method=draw only outlines the faces: the relay "
        "will serve them unmasked");
  g_type_class_unref (methods);

  ret = gst_element_set_state (pipeline, GST_STATE_PAUSED);
  if (ret == GST_STATE_CHANGE_FAILURE) {
    GstBus *bus = gst_element_get_bus (pipeline);
    GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    GError *err = NULL;

    if (msg)
      gst_message_parse_error (msg, &err, NULL);
    g_set_error (error, RELAY_ERROR, 0, "faceanon cannot start: %s",
        err ? err->message : "no reason given (run with GST_DEBUG=faceanon:5)");
    g_clear_error (&err);
    gst_clear_message (&msg);
    gst_object_unref (bus);
    ok = FALSE;
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  return ok;
}

/* ---- consumers ------------------------------------------------------- */

static const AudioCodec *
codec_of (const GstCaps * caps)
{
  const GstStructure *s;
  const gchar *format;
  gint version = 0;

  if (caps == NULL || gst_caps_is_empty (caps) || gst_caps_is_any (caps))
    return NULL;
  s = gst_caps_get_structure (caps, 0);
  for (guint i = 0; i < G_N_ELEMENTS (audio_codecs); i++) {
    if (!gst_structure_has_name (s, audio_codecs[i].media_type))
      continue;
    if (gst_structure_has_name (s, "audio/mpeg")) {
      /* AAC, framed or ADTS: aacparse makes raw AAC out of both */
      gst_structure_get_int (s, "mpegversion", &version);
      format = gst_structure_get_string (s, "stream-format");
      if (version != 4 || (format && !g_str_equal (format, "raw")
              && !g_str_equal (format, "adts")))
        return NULL;
    }
    return &audio_codecs[i];
  }
  return NULL;
}

static gboolean
same_field (const GstStructure * a, const GstStructure * b, const gchar * f)
{
  const GValue *va = gst_structure_get_value (a, f);
  const GValue *vb = gst_structure_get_value (b, f);

  /* a field the new stream does not state is taken to match */
  return va == NULL || vb == NULL || gst_value_compare (va, vb) ==
      GST_VALUE_EQUAL;
}

/* Whether a later session's audio can go out as it is, under what was
 * published: the same codec and the same configuration. */
static gboolean
audio_compatible (const GstCaps * caps, const GstCaps * published)
{
  const GstStructure *a, *b;

  if (codec_of (caps) == NULL || codec_of (caps) != codec_of (published))
    return FALSE;
  a = gst_caps_get_structure (caps, 0);
  b = gst_caps_get_structure (published, 0);
  return same_field (a, b, "rate") && same_field (a, b, "channels")
      && same_field (a, b, "codec_data")
      && same_field (a, b, "channel-mapping-family");
}

static Consumer *
consumer_new (Relay * relay, const gchar * what, GstElement * video,
    GstElement * audio)
{
  Consumer *c = g_new0 (Consumer, 1);
  GstCaps *caps = gst_caps_from_string (VIDEO_CAPS);

  c->what = what;
  c->src[STREAM_VIDEO] = video;
  c->src[STREAM_AUDIO] = audio;
  for (guint i = 0; i < N_STREAMS; i++) {
    c->last[i] = GST_CLOCK_TIME_NONE;
    if (c->src[i] == NULL)
      continue;
    /* it queues: the sinks may wait as long as they need (a maximum
     * latency of 0 would have them warn that they cannot) */
    g_object_set (c->src[i], "is-live", TRUE, "format", GST_FORMAT_TIME,
        "do-timestamp", FALSE, "max-bytes", (guint64) APPSRC_MAX_BYTES,
        "min-latency", (gint64) 0, "max-latency", (gint64) - 1,
        "caps", i == STREAM_VIDEO ? caps : relay->audio_caps, NULL);
    /* a consumer that stalls loses its oldest data, the ingest goes on */
    gst_util_set_object_arg (G_OBJECT (c->src[i]), "leaky-type", "downstream");
  }
  gst_caps_unref (caps);
  return c;
}

static void
consumer_free (Consumer * c)
{
  for (guint i = 0; i < N_STREAMS; i++)
    gst_clear_object (&c->src[i]);
  gst_clear_object (&c->splitter);
  g_free (c);
}

static void
add_consumer (Relay * relay, Consumer * c)
{
  g_mutex_lock (&relay->lock);
  c->id = ++relay->next_consumer_id;
  g_ptr_array_add (relay->consumers, c);
  g_mutex_unlock (&relay->lock);
  GST_DEBUG ("consumer %u (%s) added", c->id, c->what);
}

static void
remove_consumer (Relay * relay, guint id)
{
  Consumer *c = NULL;

  g_mutex_lock (&relay->lock);
  for (guint i = 0; i < relay->consumers->len; i++) {
    if (((Consumer *) g_ptr_array_index (relay->consumers, i))->id == id) {
      c = g_ptr_array_steal_index (relay->consumers, i);
      break;
    }
  }
  g_mutex_unlock (&relay->lock);
  if (c) {
    GST_DEBUG ("consumer %u (%s) removed", c->id, c->what);
    consumer_free (c);
  }
}

/* Asks the ingest's encoder for a key frame, at most twice a second: a
 * consumer that joins starts with one. Any thread; not under the lock. */
static void
request_key_frame (Relay * relay)
{
  GstElement *sink = NULL;
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&relay->lock);
  if (relay->key_sink
      && now - relay->last_key_request_us >= KEY_REQUEST_INTERVAL_US) {
    sink = gst_object_ref (relay->key_sink);
    relay->last_key_request_us = now;
  }
  g_mutex_unlock (&relay->lock);
  if (sink) {
    GST_DEBUG ("asking the encoder for a key frame");
    gst_element_send_event (sink,
        gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE,
            TRUE, 0));
    gst_object_unref (sink);
  }
}

/* The running time of the consumer's pipeline now, and its base time, or
 * FALSE when it is not playing (then there is no "now" to map onto). */
static gboolean
consumer_now (Consumer * c, GstClockTime * now, GstClockTime * base)
{
  GstElement *src = c->src[STREAM_VIDEO];
  GstClock *clock;

  if (GST_STATE (src) != GST_STATE_PLAYING)
    return FALSE;
  clock = gst_element_get_clock (src);
  if (clock == NULL)
    return FALSE;
  *base = gst_element_get_base_time (src);
  *now = gst_clock_get_time (clock) - *base;
  gst_object_unref (clock);
  return TRUE;
}

/* Hands one buffer of the ingest, at running time @rt, to every consumer.
 * Streaming thread. */
static void
relay_feed (Relay * relay, Stream stream, guint session, GstBuffer * buf,
    GstClockTime rt)
{
  GstClockTimeDiff dts_delta = 0;
  gboolean key, want_key = FALSE;

  if (GST_BUFFER_DTS_IS_VALID (buf) && GST_BUFFER_PTS_IS_VALID (buf))
    dts_delta = GST_CLOCK_DIFF (GST_BUFFER_DTS (buf), GST_BUFFER_PTS (buf));
  key = !GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DELTA_UNIT);

  g_mutex_lock (&relay->lock);
  for (guint i = 0; i < relay->consumers->len; i++) {
    Consumer *c = g_ptr_array_index (relay->consumers, i);
    GstElement *appsrc = c->src[stream];
    GstClockTime now, base, out_pts;
    gboolean discont = FALSE;
    GstBuffer *out;
    GstFlowReturn ret;

    if (appsrc == NULL)
      continue;
    /* nothing goes in before a key frame, audio included */
    if (!c->started && (stream != STREAM_VIDEO || !key)) {
      want_key |= stream == STREAM_VIDEO;
      continue;
    }
    if (!consumer_now (c, &now, &base)) {
      GST_LOG ("consumer %u is not playing: %s buffer dropped", c->id,
          stream_names[stream]);
      c->started = FALSE;
      continue;
    }
    if (c->session != session || c->base_time != base) {
      /* this buffer is now; the session's later ones follow its timing */
      c->offset = GST_CLOCK_DIFF (rt, now);
      if (c->session != session && c->splitter && c->session != 0)
        g_signal_emit_by_name (c->splitter, "split-now");
      c->session = session;
      c->base_time = base;
      discont = TRUE;
      GST_DEBUG ("consumer %u: session %u mapped at %" GST_TIME_FORMAT,
          c->id, session, GST_TIME_ARGS (now));
    }
    out_pts = (GstClockTime) MAX ((GstClockTimeDiff) rt + c->offset, 0);
    /* never back in time, whatever the source did */
    if (GST_CLOCK_TIME_IS_VALID (c->last[stream])
        && out_pts <= c->last[stream])
      out_pts = c->last[stream] + 1;

    out = gst_buffer_copy (buf);
    GST_BUFFER_PTS (out) = out_pts;
    GST_BUFFER_DTS (out) = GST_BUFFER_DTS_IS_VALID (buf) ?
        (GstClockTime) MAX ((GstClockTimeDiff) out_pts - dts_delta, 0) :
        GST_CLOCK_TIME_NONE;
    if (discont)
      GST_BUFFER_FLAG_SET (out, GST_BUFFER_FLAG_DISCONT);
    ret = gst_app_src_push_buffer (GST_APP_SRC (appsrc), out);
    if (ret == GST_FLOW_OK) {
      c->last[stream] = out_pts;
      c->started = TRUE;
    } else if (!c->started) {
      GST_LOG ("consumer %u refused a key frame: %s", c->id,
          gst_flow_get_name (ret));
      want_key |= stream == STREAM_VIDEO;
    }
  }
  g_mutex_unlock (&relay->lock);

  if (want_key)
    request_key_frame (relay);
}

/* ---- the ingest ------------------------------------------------------ */

static void
ingest_post (Ingest * in, GstStructure * s)
{
  gst_element_post_message (in->pipeline,
      gst_message_new_application (GST_OBJECT (in->pipeline), s));
}

static void
ingest_post_error (Ingest * in, const GError * err)
{
  ingest_post (in, gst_structure_new ("relay-error", "text", G_TYPE_STRING,
          err->message, NULL));
}

static GstFlowReturn
on_new_sample (GstAppSink * sink, gpointer user_data)
{
  Ingest *in = user_data;
  Stream stream = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (sink),
          "relay-stream"));
  GstSample *sample = gst_app_sink_pull_sample (sink);
  const GstSegment *segment;
  GstBuffer *buf;
  GstClockTime rt;
  gboolean first;

  if (sample == NULL)
    return GST_FLOW_FLUSHING;

  g_mutex_lock (&in->lock);
  in->last_sample_us = g_get_monotonic_time ();
  first = !in->got_first[stream];
  in->got_first[stream] = TRUE;
  g_mutex_unlock (&in->lock);
  if (first)
    ingest_post (in, gst_structure_new ("relay-first-sample",
            "stream", G_TYPE_INT, stream,
            "caps", GST_TYPE_CAPS, gst_sample_get_caps (sample), NULL));

  buf = gst_sample_get_buffer (sample);
  segment = gst_sample_get_segment (sample);
  rt = buf && segment ? gst_segment_to_running_time (segment,
      GST_FORMAT_TIME, GST_BUFFER_PTS (buf)) : GST_CLOCK_TIME_NONE;
  if (buf && GST_BUFFER_DURATION_IS_VALID (buf))
    in->last_duration[stream] = GST_BUFFER_DURATION (buf);
  /* cameras send buffers without a time, or before the segment: such a
   * one follows the previous (a key frame among them must not be lost) */
  if (!GST_CLOCK_TIME_IS_VALID (rt)
      && GST_CLOCK_TIME_IS_VALID (in->last_rt[stream])) {
    rt = in->last_rt[stream] + in->last_duration[stream];
    GST_LOG ("%s buffer without a running time: taken at %" GST_TIME_FORMAT,
        stream_names[stream], GST_TIME_ARGS (rt));
  }
  if (buf && GST_CLOCK_TIME_IS_VALID (rt)) {
    in->last_rt[stream] = rt;
    relay_feed (in->relay, stream, in->session, buf, rt);
  }
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

static GstElement *
make_appsink (Ingest * in, Stream stream, GError ** error)
{
  GstAppSinkCallbacks callbacks = {.new_sample = on_new_sample };
  GstElement *sink = make ("appsink", stream_names[stream], error);

  if (sink == NULL)
    return NULL;
  /* a file plays at its own pace; a camera is taken as it comes */
  g_object_set (sink, "sync", !in->live, "enable-last-sample", FALSE,
      "max-buffers", 16, NULL);
  g_object_set_data (G_OBJECT (sink), "relay-stream", GINT_TO_POINTER (stream));
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, in, NULL);
  return sink;
}

static GstElement *
make_queue (Ingest * in, GError ** error)
{
  GstElement *q = make ("queue", NULL, error);

  /* live: late frames are dropped before faceanon, not piled up */
  if (q && in->live)
    g_object_set (q, "leaky", 2, "max-size-buffers", 0, "max-size-bytes", 0,
        "max-size-time", (guint64) GST_SECOND, NULL);
  return q;
}

/* Adds @elements to the pipeline, links them after @pad and starts them. */
static gboolean
add_branch (Ingest * in, GstPad * pad, GstElement ** elements, guint n,
    GError ** error)
{
  GstPad *sinkpad;
  GstPadLinkReturn ret;

  for (guint i = 0; i < n; i++)
    gst_bin_add (GST_BIN (in->pipeline), elements[i]);
  for (guint i = 0; i + 1 < n; i++) {
    if (!gst_element_link (elements[i], elements[i + 1])) {
      g_set_error (error, RELAY_ERROR, 0, "cannot link %s to %s",
          GST_ELEMENT_NAME (elements[i]), GST_ELEMENT_NAME (elements[i + 1]));
      return FALSE;
    }
  }
  for (guint i = n; i > 0; i--)
    gst_element_sync_state_with_parent (elements[i - 1]);
  sinkpad = gst_element_get_static_pad (elements[0], "sink");
  ret = gst_pad_link (pad, sinkpad);
  gst_object_unref (sinkpad);
  if (GST_PAD_LINK_FAILED (ret)) {
    g_set_error (error, RELAY_ERROR, 0, "cannot link the source's %s pad: "
        "%s", GST_PAD_NAME (pad), gst_pad_link_get_name (ret));
    return FALSE;
  }
  return TRUE;
}

static gboolean
link_video (Ingest * in, GstPad * pad, GstCaps * caps, GError ** error)
{
  GstElement *e[8] = { NULL, };
  const GstStructure *s = gst_caps_get_structure (caps, 0);
  gint fps_n = 0, fps_d = 1, key_int = 60;
  GstCaps *h264;
  guint i;

  e[0] = make_queue (in, error);
  e[1] = e[0] ? make ("videoconvert", NULL, error) : NULL;
  e[2] = e[1] ? make ("faceanon", "anon", error) : NULL;
  e[3] = e[2] ? make ("videoconvert", NULL, error) : NULL;
  e[4] = e[3] ? make ("x264enc", NULL, error) : NULL;
  e[5] = e[4] ? make ("h264parse", NULL, error) : NULL;
  e[6] = e[5] ? make ("capsfilter", NULL, error) : NULL;
  e[7] = e[6] ? make_appsink (in, STREAM_VIDEO, error) : NULL;
  if (e[7] == NULL)
    goto failed;
  set_faceanon (in->relay, e[2]);

  if (gst_structure_get_fraction (s, "framerate", &fps_n, &fps_d)
      && fps_n > 0 && fps_d > 0)
    key_int = CLAMP ((KEY_INTERVAL_S * fps_n + fps_d / 2) / fps_d, 1, 600);
  gst_util_set_object_arg (G_OBJECT (e[4]), "tune", "zerolatency");
  gst_util_set_object_arg (G_OBJECT (e[4]), "speed-preset", "superfast");
  g_object_set (e[4], "key-int-max", key_int, NULL);
  /* parameter sets with every key frame: a client can join at any */
  g_object_set (e[5], "config-interval", -1, NULL);
  h264 = gst_caps_from_string (VIDEO_CAPS);
  g_object_set (e[6], "caps", h264, NULL);
  gst_caps_unref (h264);

  in->anon = e[2];
  in->queue[STREAM_VIDEO] = e[0];
  in->sink[STREAM_VIDEO] = e[7];
  return add_branch (in, pad, e, G_N_ELEMENTS (e), error);

failed:
  for (i = 0; i < G_N_ELEMENTS (e); i++)
    if (e[i])
      gst_object_unref (e[i]);
  return FALSE;
}

/* The audio branch: as it is when it can be, else encoded to @codec. */
static gboolean
link_audio (Ingest * in, GstPad * pad, GstCaps * caps,
    const AudioCodec * codec, const GstCaps * published, GError ** error)
{
  GstElement *e[8] = { NULL, };
  guint n = 0, i;
  gboolean raw = gst_structure_has_name (gst_caps_get_structure (caps, 0),
      "audio/x-raw");

  if (!(e[n++] = make_queue (in, error)))
    goto failed;
  if (raw) {
    GstCaps *filter;
    gint rate = 0, channels = 0;

    if (!(e[n++] = make ("audioconvert", NULL, error))
        || !(e[n++] = make ("audioresample", NULL, error))
        || !(e[n++] = make ("capsfilter", NULL, error)))
      goto failed;
    /* what was published: the same rate and channels again */
    filter = gst_caps_new_empty_simple ("audio/x-raw");
    if (published) {
      const GstStructure *p = gst_caps_get_structure (published, 0);

      if (gst_structure_get_int (p, "rate", &rate) && rate > 0)
        gst_caps_set_simple (filter, "rate", G_TYPE_INT, rate, NULL);
      if (gst_structure_get_int (p, "channels", &channels) && channels > 0)
        gst_caps_set_simple (filter, "channels", G_TYPE_INT, channels, NULL);
    }
    g_object_set (e[n - 1], "caps", filter, NULL);
    gst_caps_unref (filter);
    if (!(e[n++] = make (codec->encoder, NULL, error)))
      goto failed;
  }
  if (codec->parser && !(e[n++] = make (codec->parser, NULL, error)))
    goto failed;
  if (g_str_equal (codec->media_type, "audio/mpeg")) {
    GstCaps *framed = gst_caps_from_string ("audio/mpeg, "
        "stream-format=(string)raw");

    if (!(e[n++] = make ("capsfilter", NULL, error)))
      goto failed;
    g_object_set (e[n - 1], "caps", framed, NULL);
    gst_caps_unref (framed);
  }
  if (!(e[n++] = make_appsink (in, STREAM_AUDIO, error)))
    goto failed;

  in->queue[STREAM_AUDIO] = e[0];
  in->sink[STREAM_AUDIO] = e[n - 1];
  in->audio_transcoded = raw;
  return add_branch (in, pad, e, n, error);

failed:
  for (i = 0; i < n; i++)
    if (e[i])
      gst_object_unref (e[i]);
  return FALSE;
}

static void
link_fakesink (Ingest * in, GstPad * pad)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);

  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  add_branch (in, pad, &sink, 1, NULL);
}

static void
on_pad_added (GstElement * bin, GstPad * pad, gpointer user_data)
{
  Ingest *in = user_data;
  Relay *relay = in->relay;
  GstCaps *caps = gst_pad_get_current_caps (pad);
  const gchar *name;
  GError *err = NULL;
  gboolean ok = TRUE, used = FALSE;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  GST_DEBUG ("source pad %s: %" GST_PTR_FORMAT, GST_PAD_NAME (pad), caps);

  g_mutex_lock (&in->lock);
  if (g_str_has_prefix (name, "video/x-raw") && !in->linked[STREAM_VIDEO]) {
    in->linked[STREAM_VIDEO] = used = TRUE;
    ok = link_video (in, pad, caps, &err);
  } else if (g_str_has_prefix (name, "audio/") && !in->linked[STREAM_AUDIO]) {
    const AudioCodec *codec;
    GstCaps *published = NULL;
    gboolean published_once;

    g_mutex_lock (&relay->lock);
    published_once = relay->published;
    codec = relay->audio_codec;
    if (relay->audio_caps)
      published = gst_caps_ref (relay->audio_caps);
    g_mutex_unlock (&relay->lock);

    if (!published_once)
      codec = codec_of (caps) ? codec_of (caps) : TRANSCODE_CODEC;
    if (codec) {
      in->linked[STREAM_AUDIO] = used = TRUE;
      ok = link_audio (in, pad, caps, codec, published, &err);
    }
    gst_clear_caps (&published);
  }
  g_mutex_unlock (&in->lock);

  if (!used)
    link_fakesink (in, pad);
  if (!ok) {
    ingest_post_error (in, err);
    g_clear_error (&err);
  }
  gst_caps_unref (caps);
}

/* Where decodebin stops: audio that can be sent as it is stays encoded. */
static gboolean
on_autoplug_continue (GstElement * bin, GstPad * pad, GstCaps * caps,
    gpointer user_data)
{
  Ingest *in = user_data;
  Relay *relay = in->relay;
  const GstStructure *s = gst_caps_get_structure (caps, 0);
  gboolean go_on;

  if (!g_str_has_prefix (gst_structure_get_name (s), "audio/")
      || gst_structure_has_name (s, "audio/x-raw"))
    return TRUE;

  g_mutex_lock (&in->lock);
  if (in->audio_origin == NULL && gst_caps_is_fixed (caps))
    in->audio_origin = gst_pb_utils_get_codec_description (caps);
  g_mutex_unlock (&in->lock);

  g_mutex_lock (&relay->lock);
  if (!relay->published)
    go_on = codec_of (caps) == NULL;
  else if (relay->audio_caps == NULL)
    go_on = FALSE;              /* no audio was published: no decoder */
  else
    go_on = !audio_compatible (caps, relay->audio_caps);
  g_mutex_unlock (&relay->lock);
  return go_on;
}

static void
on_no_more_pads (GstElement * bin, gpointer user_data)
{
  Ingest *in = user_data;

  ingest_post (in, gst_structure_new_empty ("relay-no-more-pads"));
}

static void
on_source_setup (GstElement * bin, GstElement * source, gpointer user_data)
{
  Ingest *in = user_data;
  const Source *src = &in->relay->source;
  GObjectClass *klass = G_OBJECT_GET_CLASS (source);

  if (src->split_credentials) {
    if (g_object_class_find_property (klass, "user-id")
        && g_object_class_find_property (klass, "user-pw")) {
      g_object_set (source, "user-id", src->user, "user-pw",
          src->password ? src->password : "", NULL);
    } else {
      GError *err = g_error_new (RELAY_ERROR, 0, "the source element %s "
          "takes no user name and password", G_OBJECT_TYPE_NAME (source));

      ingest_post_error (in, err);
      g_error_free (err);
    }
  }
  if (g_object_class_find_property (klass, "protocols")
      && g_object_class_find_property (klass, "latency")) {
    gchar *scheme = g_uri_parse_scheme (src->uri);

    /* rtspsrc: RTP over the RTSP connection, so that a camera that goes
     * away is noticed at once; UDP only when rtspu:// asks for it */
    if (scheme && (g_str_equal (scheme, "rtsp")
            || g_str_equal (scheme, "rtsps")))
      gst_util_set_object_arg (G_OBJECT (source), "protocols", "tcp");
    g_object_set (source, "latency", RTSPSRC_LATENCY_MS, NULL);
    g_free (scheme);
  }
}

static gboolean on_ingest_message (GstBus * bus, GstMessage * msg,
    gpointer user_data);

static Ingest *
ingest_new (Relay * relay, GError ** error)
{
  Ingest *in = g_new0 (Ingest, 1);
  GstElement *decodebin;
  GstBus *bus;
  GstCaps *caps;

  g_mutex_init (&in->lock);
  in->relay = relay;
  in->session = ++relay->session;
  in->started_us = g_get_monotonic_time ();
  for (guint i = 0; i < N_STREAMS; i++) {
    in->last_rt[i] = GST_CLOCK_TIME_NONE;
    in->last_duration[i] = i == STREAM_VIDEO ? GST_SECOND / 25 :
        GST_SECOND / 50;
  }
  in->pipeline = gst_pipeline_new ("ingest");
  decodebin = make ("uridecodebin", "source", error);
  if (decodebin == NULL) {
    gst_object_unref (in->pipeline);
    g_mutex_clear (&in->lock);
    g_free (in);
    return NULL;
  }
  caps = gst_caps_from_string ("video/x-raw; audio/x-raw");
  g_object_set (decodebin, "uri", relay->source.uri, "caps", caps, NULL);
  gst_caps_unref (caps);
  g_signal_connect (decodebin, "pad-added", G_CALLBACK (on_pad_added), in);
  g_signal_connect (decodebin, "autoplug-continue",
      G_CALLBACK (on_autoplug_continue), in);
  g_signal_connect (decodebin, "no-more-pads", G_CALLBACK (on_no_more_pads),
      in);
  g_signal_connect (decodebin, "source-setup", G_CALLBACK (on_source_setup),
      in);
  gst_bin_add (GST_BIN (in->pipeline), decodebin);

  bus = gst_element_get_bus (in->pipeline);
  in->bus_watch = gst_bus_add_watch (bus, on_ingest_message, relay);
  gst_object_unref (bus);
  return in;
}

static void
ingest_free (Relay * relay, Ingest * in)
{
  g_mutex_lock (&relay->lock);
  gst_clear_object (&relay->key_sink);
  g_mutex_unlock (&relay->lock);

  g_source_remove (in->bus_watch);
  /* joins the streaming threads: no callback runs after this */
  gst_element_set_state (in->pipeline, GST_STATE_NULL);
  gst_object_unref (in->pipeline);
  for (guint i = 0; i < N_STREAMS; i++)
    gst_clear_caps (&in->caps[i]);
  g_free (in->audio_origin);
  g_free (in->last_warning);
  g_mutex_clear (&in->lock);
  g_free (in);
}

static void schedule_reconnect (Relay * relay);

static gboolean
ingest_start (gpointer user_data)
{
  Relay *relay = user_data;
  GstStateChangeReturn ret;
  GError *err = NULL;
  Ingest *in;

  relay->retry_id = 0;
  in = ingest_new (relay, &err);
  if (in == NULL) {
    say (relay, "cannot build the ingest pipeline: %s", err->message);
    g_clear_error (&err);
    schedule_reconnect (relay);
    return G_SOURCE_REMOVE;
  }
  relay->ingest = in;
  say (relay, "connecting to %s", relay->source.display);

  ret = gst_element_set_state (in->pipeline, GST_STATE_PAUSED);
  if (ret == GST_STATE_CHANGE_NO_PREROLL) {
    g_mutex_lock (&in->lock);
    in->live = TRUE;
    for (guint i = 0; i < N_STREAMS; i++) {
      if (in->sink[i])
        g_object_set (in->sink[i], "sync", FALSE, NULL);
      if (in->queue[i])
        g_object_set (in->queue[i], "leaky", 2, "max-size-buffers", 0,
            "max-size-bytes", 0, "max-size-time", (guint64) GST_SECOND, NULL);
    }
    g_mutex_unlock (&in->lock);
  }
  /* a failure posts its error on the bus, which reconnects */
  if (ret != GST_STATE_CHANGE_FAILURE)
    gst_element_set_state (in->pipeline, GST_STATE_PLAYING);
  return G_SOURCE_REMOVE;
}

static void
ingest_stop (Relay * relay)
{
  if (relay->ingest == NULL)
    return;
  ingest_free (relay, relay->ingest);
  relay->ingest = NULL;
}

static void
schedule_reconnect (Relay * relay)
{
  if (relay->stopping || relay->retry_id)
    return;
  relay->retry_id = g_timeout_add_seconds (relay->backoff_s, ingest_start,
      relay);
  relay->backoff_s = MIN (relay->backoff_s * 2, BACKOFF_MAX_S);
}

/* The source is gone (or faceanon failed): tear the ingest down and try
 * again later. The consumers keep running, with no data meanwhile. */
static void
source_lost (Relay * relay, const gchar * why)
{
  Ingest *in = relay->ingest;

  if (in && in->connected_us
      && g_get_monotonic_time () - in->connected_us >= BACKOFF_RESET_US)
    relay->backoff_s = BACKOFF_FIRST_S;
  ingest_stop (relay);
  if (relay->stopping)
    return;
  say (relay, "source lost (%s), reconnecting in %u s", why, relay->backoff_s);
  schedule_reconnect (relay);
}

/* ---- publishing ------------------------------------------------------ */

static void
on_media_unprepared (GstRTSPMedia * media, gpointer user_data)
{
  Relay *relay = user_data;
  guint id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (media),
          "relay-consumer"));

  if (id)
    remove_consumer (relay, id);
  g_object_set_data (G_OBJECT (media), "relay-consumer", NULL);
}

static void
on_media_configure (GstRTSPMediaFactory * factory, GstRTSPMedia * media,
    gpointer user_data)
{
  Relay *relay = user_data;
  GstElement *bin = gst_rtsp_media_get_element (media);
  GstElement *video = gst_bin_get_by_name_recurse_up (GST_BIN (bin), "vsrc");
  GstElement *audio = gst_bin_get_by_name_recurse_up (GST_BIN (bin), "asrc");
  Consumer *c;

  gst_object_unref (bin);
  if (video == NULL) {
    gst_clear_object (&audio);
    return;
  }
  c = consumer_new (relay, "RTSP media", video, audio);
  add_consumer (relay, c);
  g_object_set_data (G_OBJECT (media), "relay-consumer",
      GUINT_TO_POINTER (c->id));
  g_signal_connect (media, "unprepared", G_CALLBACK (on_media_unprepared),
      relay);
  verbose (relay, "a new RTSP media takes the stream");
}

static gchar *
media_launch (Relay * relay)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "( appsrc name=vsrc ! h264parse ! "
      "rtph264pay name=pay0 pt=%d config-interval=-1", PT_VIDEO);
  if (relay->audio_codec)
    g_string_append_printf (s, " appsrc name=asrc ! %s name=pay1 pt=%d",
        relay->audio_codec->payloader, relay->audio_codec->pt);
  g_string_append (s, " )");
  return g_string_free (s, FALSE);
}

/* The next free segment number in the recording folder: a restart goes on
 * after the files that are there, it never overwrites them. */
static guint
first_free_index (const gchar * dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const gchar *name;
  guint next = 0;

  if (d == NULL)
    return 0;
  while ((name = g_dir_read_name (d))) {
    gchar *end;
    guint64 n;

    if (!g_str_has_prefix (name, RECORD_PREFIX))
      continue;
    n = g_ascii_strtoull (name + strlen (RECORD_PREFIX), &end, 10);
    if (end != name + strlen (RECORD_PREFIX) && *end == '.' && n < G_MAXUINT)
      next = MAX (next, (guint) n + 1);
  }
  g_dir_close (d);
  return next;
}

static gboolean
on_recorder_message (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  Relay *relay = user_data;
  GError *err = NULL;
  gchar *dbg = NULL;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (msg, &err, &dbg);
      warn (relay, "recording stopped: %s (check the space and rights in "
          "'%s'); the stream is still served", err->message, relay->record_dir);
      GST_DEBUG ("recording error details: %s", GST_STR_NULL (dbg));
      if (relay->rec) {
        remove_consumer (relay, relay->rec->id);
        relay->rec = NULL;
      }
      g_clear_error (&err);
      g_free (dbg);
      relay->recorder_watch = 0;
      return G_SOURCE_REMOVE;
    case GST_MESSAGE_ELEMENT:{
      const GstStructure *s = gst_message_get_structure (msg);

      if (gst_structure_has_name (s, "splitmuxsink-fragment-opened"))
        verbose (relay, "recording into %s",
            gst_structure_get_string (s, "location"));
      break;
    }
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
recorder_start (Relay * relay, GError ** error)
{
  gboolean mp4 = relay->audio_codec == NULL || relay->audio_codec->mp4;
  const gchar *ext = mp4 ? "mp4" : "mkv";
  gchar *launch, *location;
  GstElement *video, *audio, *mux;
  GstBus *bus;
  guint index;

  if (g_mkdir_with_parents (relay->record_dir, 0750) != 0) {
    g_set_error (error, RELAY_ERROR, 0, "cannot create the recording "
        "folder '%s': %s", relay->record_dir, g_strerror (errno));
    return FALSE;
  }
  launch = g_strdup_printf ("appsrc name=vsrc ! h264parse ! queue ! "
      "splitmuxsink name=mux muxer-factory=%s%s", mp4 ? "mp4mux" :
      "matroskamux", relay->audio_codec ?
      " appsrc name=asrc ! queue ! mux.audio_%u" : "");
  relay->recorder = gst_parse_launch (launch, error);
  g_free (launch);
  if (relay->recorder == NULL) {
    g_prefix_error (error, "cannot build the recording pipeline: ");
    return FALSE;
  }

  index = first_free_index (relay->record_dir);
  mux = gst_bin_get_by_name (GST_BIN (relay->recorder), "mux");
  /* splitmuxsink puts the index into the location itself */
  location = g_strdup_printf ("%s/" RECORD_PREFIX "%%05d.%s",
      relay->record_dir, ext);
  g_object_set (mux, "location", location, "start-index", index,
      "max-size-time", (guint64) relay->segment_seconds * GST_SECOND, NULL);
  g_free (location);

  video = gst_bin_get_by_name (GST_BIN (relay->recorder), "vsrc");
  audio = gst_bin_get_by_name (GST_BIN (relay->recorder), "asrc");
  relay->rec = consumer_new (relay, "recording", video, audio);
  relay->rec->splitter = mux;

  bus = gst_element_get_bus (relay->recorder);
  relay->recorder_watch = gst_bus_add_watch (bus, on_recorder_message, relay);
  gst_object_unref (bus);
  if (gst_element_set_state (relay->recorder, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE) {
    g_set_error (error, RELAY_ERROR, 0, "cannot start recording into '%s'",
        relay->record_dir);
    consumer_free (relay->rec);
    relay->rec = NULL;
    return FALSE;
  }
  add_consumer (relay, relay->rec);
  say (relay, "recording into %s, from " RECORD_PREFIX "%05u.%s on: a new "
      "file every %d s and at every reconnection", relay->record_dir, index,
      ext, relay->segment_seconds);
  return TRUE;
}

/* Closes the file being written: EOS through the muxer, then stop. */
static void
recorder_stop (Relay * relay)
{
  GstBus *bus;
  GstMessage *msg;

  if (relay->recorder == NULL)
    return;
  if (relay->rec) {
    GstElement *src[N_STREAMS];

    g_mutex_lock (&relay->lock);
    for (guint i = 0; i < N_STREAMS; i++)
      src[i] = relay->rec->src[i] ? gst_object_ref (relay->rec->src[i]) : NULL;
    g_mutex_unlock (&relay->lock);
    remove_consumer (relay, relay->rec->id);
    relay->rec = NULL;
    for (guint i = 0; i < N_STREAMS; i++) {
      if (src[i] == NULL)
        continue;
      gst_app_src_end_of_stream (GST_APP_SRC (src[i]));
      gst_object_unref (src[i]);
    }
    bus = gst_element_get_bus (relay->recorder);
    msg = gst_bus_timed_pop_filtered (bus, STOP_TIMEOUT,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    if (msg == NULL || GST_MESSAGE_TYPE (msg) != GST_MESSAGE_EOS)
      warn (relay, "the last recorded file may be incomplete");
    gst_clear_message (&msg);
    gst_object_unref (bus);
  }
  if (relay->recorder_watch)
    g_source_remove (relay->recorder_watch);
  relay->recorder_watch = 0;
  gst_element_set_state (relay->recorder, GST_STATE_NULL);
  gst_clear_object (&relay->recorder);
}

static void
publish (Relay * relay, Ingest * in)
{
  GstCaps *audio = in->caps[STREAM_AUDIO];
  gchar *launch, *what;
  GError *err = NULL;

  g_mutex_lock (&relay->lock);
  relay->published = TRUE;
  relay->audio_caps = audio ? gst_caps_ref (audio) : NULL;
  relay->audio_codec = codec_of (audio);
  g_mutex_unlock (&relay->lock);

  launch = media_launch (relay);
  GST_INFO ("media: %s", launch);
  gst_rtsp_media_factory_set_launch (relay->factory, launch);
  g_free (launch);
  gst_rtsp_mount_points_add_factory (relay->mounts, relay->path,
      g_object_ref (relay->factory));

  g_mutex_lock (&in->lock);
  if (relay->audio_codec == NULL)
    what = g_strdup ("no audio");
  else if (!in->audio_transcoded)
    what = g_strdup_printf ("audio %s, as the source sends it",
        relay->audio_codec->label);
  else if (in->audio_origin)
    what = g_strdup_printf ("audio %s, re-encoded from %s",
        relay->audio_codec->label, in->audio_origin);
  else
    what = g_strdup_printf ("audio %s, encoded from raw audio",
        relay->audio_codec->label);
  g_mutex_unlock (&in->lock);
  say (relay, "serving %s (H.264 video, %s)", relay->url, what);
  g_free (what);

  if (relay->record_dir && !recorder_start (relay, &err)) {
    warn (relay, "%s; the stream is served without recording", err->message);
    g_clear_error (&err);
    if (relay->recorder) {
      gst_element_set_state (relay->recorder, GST_STATE_NULL);
      gst_clear_object (&relay->recorder);
    }
  }
}

/* The stream goes public once the source was seen: video, and audio known
 * to be there with its caps, or known to be absent, or late. */
static void
maybe_publish (Relay * relay, Ingest * in)
{
  gboolean audio_linked;

  if (relay->published || in->connected_us == 0)
    return;
  g_mutex_lock (&in->lock);
  audio_linked = in->linked[STREAM_AUDIO];
  g_mutex_unlock (&in->lock);
  if (in->caps[STREAM_AUDIO] || (in->no_more_pads && !audio_linked)
      || g_get_monotonic_time () - in->connected_us >= PUBLISH_WAIT_US)
    publish (relay, in);
}

static void
on_first_sample (Relay * relay, Ingest * in, const GstStructure * s)
{
  gint stream = STREAM_VIDEO;
  const GValue *v = gst_structure_get_value (s, "caps");
  const GstCaps *caps = v ? gst_value_get_caps (v) : NULL;

  gst_structure_get_int (s, "stream", &stream);
  if (stream < 0 || stream >= N_STREAMS || in->caps[stream])
    return;
  in->caps[stream] = caps ? gst_caps_copy (caps) : gst_caps_new_any ();

  if (stream == STREAM_VIDEO) {
    const GstStructure *vs = gst_caps_get_structure (in->caps[stream], 0);
    gint w = 0, h = 0, fn = 0, fd = 1;
    gchar *audio;

    gst_structure_get_int (vs, "width", &w);
    gst_structure_get_int (vs, "height", &h);
    gst_structure_get_fraction (vs, "framerate", &fn, &fd);
    in->connected_us = g_get_monotonic_time ();
    g_mutex_lock (&in->lock);
    if (!in->linked[STREAM_AUDIO])
      audio = g_strdup ("");
    else if (relay->published && relay->audio_codec == NULL)
      audio = g_strdup_printf (", audio %s left out (the stream was "
          "published without audio)", in->audio_origin ? in->audio_origin :
          "raw");
    else if (relay->published && in->audio_transcoded)
      audio = g_strdup_printf (", audio %s re-encoded to %s",
          in->audio_origin ? in->audio_origin : "raw",
          relay->audio_codec->label);
    else
      audio = g_strdup_printf (", audio %s", in->audio_origin ?
          in->audio_origin : "raw");
    g_mutex_unlock (&in->lock);
    say (relay, "source connected: %s, %dx%d at %.2f fps%s%s",
        relay->source.display, w, h, fd ? (gdouble) fn / fd : 0.0, audio,
        in->live ? "" : " (not live: played at its own pace)");
    g_free (audio);

    g_mutex_lock (&relay->lock);
    gst_object_replace ((GstObject **) & relay->key_sink,
        GST_OBJECT (in->sink[STREAM_VIDEO]));
    g_mutex_unlock (&relay->lock);
  } else {
    verbose (relay, "source audio: %" GST_PTR_FORMAT, in->caps[stream]);
  }
  maybe_publish (relay, in);
}

static gboolean
from_faceanon (Ingest * in, GstMessage * msg)
{
  return in->anon && GST_MESSAGE_SRC (msg) == GST_OBJECT (in->anon);
}

static gboolean
on_ingest_message (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  Relay *relay = user_data;
  Ingest *in = relay->ingest;
  GError *err = NULL;
  gchar *dbg = NULL, *why;

  if (in == NULL || GST_MESSAGE_SRC (msg) == NULL)
    return G_SOURCE_CONTINUE;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (msg, &err, &dbg);
      if (dbg) {
        gchar *line = g_strdelimit (g_strdup (dbg), "\n", ' ');

        verbose (relay, "error details: %s", line);
        g_free (line);
      }
      /* faceanon says how to fix it in the details, after the origin */
      if (from_faceanon (in, msg))
        why = g_strdup_printf ("faceanon failed: %s %s; the ingest stops so "
            "that no unmasked frame goes out", err->message,
            dbg && strchr (dbg, '\n') ? strchr (dbg, '\n') + 1 : "");
      else
        why = g_strdup_printf ("%s: %s", GST_MESSAGE_SRC_NAME (msg),
            err->message);
      g_clear_error (&err);
      g_free (dbg);
      source_lost (relay, why);
      g_free (why);
      return G_SOURCE_CONTINUE;
    case GST_MESSAGE_EOS:
      /* rtspsrc says why in a warning, then ends the stream */
      why = in->last_warning ? g_strdup_printf ("end of stream after: %s",
          in->last_warning) : g_strdup ("end of stream");
      source_lost (relay, why);
      g_free (why);
      return G_SOURCE_CONTINUE;
    case GST_MESSAGE_WARNING:
      gst_message_parse_warning (msg, &err, &dbg);
      verbose (relay, "%s: %s", GST_MESSAGE_SRC_NAME (msg), err->message);
      g_free (in->last_warning);
      in->last_warning = g_strdup (err->message);
      g_clear_error (&err);
      g_free (dbg);
      break;
    case GST_MESSAGE_BUFFERING:{
      gint percent = 100;

      if (in->live)
        break;
      gst_message_parse_buffering (msg, &percent);
      if (percent < 100 && !in->buffering) {
        in->buffering = TRUE;
        gst_element_set_state (in->pipeline, GST_STATE_PAUSED);
      } else if (percent >= 100 && in->buffering) {
        in->buffering = FALSE;
        gst_element_set_state (in->pipeline, GST_STATE_PLAYING);
      }
      break;
    }
    case GST_MESSAGE_APPLICATION:{
      const GstStructure *s = gst_message_get_structure (msg);

      if (gst_structure_has_name (s, "relay-first-sample")) {
        on_first_sample (relay, in, s);
      } else if (gst_structure_has_name (s, "relay-no-more-pads")) {
        in->no_more_pads = TRUE;
        g_mutex_lock (&in->lock);
        if (!in->linked[STREAM_VIDEO]) {
          g_mutex_unlock (&in->lock);
          source_lost (relay, "the source has no video stream");
          return G_SOURCE_CONTINUE;
        }
        g_mutex_unlock (&in->lock);
        maybe_publish (relay, in);
      } else if (gst_structure_has_name (s, "relay-error")) {
        source_lost (relay, gst_structure_get_string (s, "text"));
      }
      break;
    }
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

/* Once a second: a source that went quiet is lost; late audio no longer
 * holds the publication back. */
static gboolean
on_watchdog (gpointer user_data)
{
  Relay *relay = user_data;
  Ingest *in = relay->ingest;
  gint64 now = g_get_monotonic_time (), quiet;

  if (in == NULL || in->buffering)
    return G_SOURCE_CONTINUE;
  g_mutex_lock (&in->lock);
  quiet = now - in->last_sample_us;
  g_mutex_unlock (&in->lock);

  if (in->connected_us == 0
      && now - in->started_us > CONNECT_TIMEOUT_S * G_USEC_PER_SEC) {
    source_lost (relay, "no video from the source within "
        G_STRINGIFY (CONNECT_TIMEOUT_S) " s");
  } else if (in->connected_us && quiet > STALL_TIMEOUT_S * G_USEC_PER_SEC) {
    source_lost (relay, "no data from the source for "
        G_STRINGIFY (STALL_TIMEOUT_S) " s");
  } else {
    maybe_publish (relay, in);
  }
  return G_SOURCE_CONTINUE;
}

/* ---- serving --------------------------------------------------------- */

static void
on_client_closed (GstRTSPClient * client, gpointer user_data)
{
  Relay *relay = user_data;

  verbose (relay, "client %s left",
      (const gchar *) g_object_get_data (G_OBJECT (client), "relay-ip"));
}

static void
on_play_request (GstRTSPClient * client, GstRTSPContext * ctx,
    gpointer user_data)
{
  request_key_frame (user_data);
}

static void
on_client_connected (GstRTSPServer * server, GstRTSPClient * client,
    gpointer user_data)
{
  Relay *relay = user_data;
  GstRTSPConnection *conn = gst_rtsp_client_get_connection (client);
  gchar *ip = g_strdup (conn ? gst_rtsp_connection_get_ip (conn) : "?");

  g_object_set_data_full (G_OBJECT (client), "relay-ip", ip, g_free);
  say (relay, "client connected from %s", ip);
  g_signal_connect (client, "closed", G_CALLBACK (on_client_closed), relay);
  g_signal_connect (client, "play-request", G_CALLBACK (on_play_request),
      relay);
}

static gboolean
load_users (GstRTSPAuth * auth, const gchar * path, GError ** error)
{
  GstRTSPToken *token;
  gchar *text = NULL, **lines;
  gsize len = 0;
  guint users = 0;
  GStatBuf st;
  gboolean ok = TRUE;

  if (!g_file_get_contents (path, &text, &len, error)) {
    g_prefix_error (error, "cannot read the --auth-file: ");
    return FALSE;
  }
  if (g_stat (path, &st) == 0 && (st.st_mode & 0077))
    g_printerr ("faceanon-relay: warning: %s can be read by other users: "
        "chmod 600 %s\n", path, path);

  token = gst_rtsp_token_new (GST_RTSP_TOKEN_MEDIA_FACTORY_ROLE,
      G_TYPE_STRING, ROLE, NULL);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; ok && lines[i]; i++) {
    gchar *line = lines[i], *colon, *basic;
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
    basic = gst_rtsp_auth_make_basic (line, colon + 1);
    gst_rtsp_auth_add_basic (auth, basic, token);
    g_free (basic);
    users++;
  }
  if (ok && users == 0) {
    g_set_error (error, RELAY_ERROR, 0, "%s has no user:password line", path);
    ok = FALSE;
  }
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

static gboolean
server_start (Relay * relay, GError ** error)
{
  GstRTSPAuth *auth = NULL;
  gchar *service, *host;
  gboolean tls = relay->tls_cert != NULL;

  relay->server = gst_rtsp_server_new ();
  service = g_strdup_printf ("%d", relay->port);
  gst_rtsp_server_set_address (relay->server, relay->bind);
  gst_rtsp_server_set_service (relay->server, service);
  g_free (service);

  relay->factory = gst_rtsp_media_factory_new ();
  gst_rtsp_media_factory_set_shared (relay->factory, TRUE);
  g_signal_connect (relay->factory, "media-configure",
      G_CALLBACK (on_media_configure), relay);

  if (relay->auth_file || tls) {
    auth = gst_rtsp_auth_new ();
    if (relay->auth_file) {
      if (!load_users (auth, relay->auth_file, error))
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

static void
server_stop (Relay * relay)
{
  GstRTSPSessionPool *pool;

  if (relay->server == NULL)
    return;
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

/* ---- main ------------------------------------------------------------ */

static gboolean
on_signal (gpointer user_data)
{
  Relay *relay = user_data;

  if (!relay->stopping) {
    relay->stopping = TRUE;
    say (relay, "stopping");
    g_main_loop_quit (relay->loop);
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
check_elements (GError ** error)
{
  static const gchar *needed[] = { "uridecodebin", "videoconvert",
    "x264enc", "h264parse", "rtph264pay", "appsrc", "appsink",
    "audioconvert", "audioresample", "opusenc", "opusparse", "rtpopuspay",
    "queue", "capsfilter", NULL
  };

  for (guint i = 0; needed[i]; i++) {
    GstElementFactory *f = gst_element_factory_find (needed[i]);

    if (f == NULL) {
      g_set_error (error, RELAY_ERROR, 0, "the GStreamer element %s is "
          "missing: install %s", needed[i], package_of (needed[i]));
      return FALSE;
    }
    gst_object_unref (f);
  }
  return TRUE;
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
    {"record", 'r', 0, G_OPTION_ARG_FILENAME, &relay.record_dir,
        "Also record the anonymized stream into DIR, in segments "
          RECORD_PREFIX "NNNNN.mp4 (.mkv for G.711 audio)", "DIR"},
    {"segment-seconds", 0, 0, G_OPTION_ARG_INT, &relay.segment_seconds,
        "Length of a recorded segment, cut at the next key frame "
          "(default 60)", "S"},
    {"auth-file", 'a', 0, G_OPTION_ARG_FILENAME, &relay.auth_file,
        "Require RTSP basic authentication from the users in FILE, "
          "one user:password a line", "FILE"},
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

  relay.port = DEFAULT_PORT;
  relay.segment_seconds = DEFAULT_SEGMENT_SECONDS;
  relay.exit_status = EXIT_FAILURE;
  relay.backoff_s = BACKOFF_FIRST_S;
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
  if (relay.source.secrets->len) {
    gst_debug_remove_log_function (gst_debug_log_default);
    gst_debug_add_log_function (redacting_log, &relay.source, NULL);
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
  if (relay.segment_seconds <= 0) {
    g_set_error (&err, RELAY_ERROR, 0, "--segment-seconds must be above 0");
    goto error;
  }
  if (!relay.tls_cert != !relay.tls_key) {
    g_set_error (&err, RELAY_ERROR, 0, "RTSPS needs both --tls-cert and "
        "--tls-key");
    goto error;
  }
  if (!is_loopback (relay.bind)) {
    if (relay.auth_file == NULL)
      warn (&relay, "listening on %s with no --auth-file: anyone who can "
          "reach this address can watch", relay.bind);
    else if (relay.tls_cert == NULL)
      warn (&relay, "listening on %s without --tls-cert: passwords and "
          "video cross the network in clear", relay.bind);
  }
  if (!check_elements (&err) || !check_faceanon (&relay, &err))
    goto error;
  if (!server_start (&relay, &err))
    goto error;

  relay.loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, &relay);
  g_unix_signal_add (SIGTERM, on_signal, &relay);
  say (&relay, "listening on %s; the stream is served once the source is "
      "seen%s", relay.url, relay.auth_file ? ", to the users of the "
      "--auth-file" : "");
  ingest_start (&relay);
  relay.watchdog_id = g_timeout_add_seconds (1, on_watchdog, &relay);

  g_main_loop_run (relay.loop);

  g_source_remove (relay.watchdog_id);
  if (relay.retry_id)
    g_source_remove (relay.retry_id);
  ingest_stop (&relay);
  recorder_stop (&relay);
  server_stop (&relay);
  say (&relay, "stopped");
  relay.exit_status = EXIT_SUCCESS;
  goto done;

error:
  {
    gchar *clean = redact (&relay.source, err->message);

    g_printerr ("faceanon-relay: %s\n", clean);
    g_free (clean);
    g_clear_error (&err);
  }
done:
  for (guint i = 0; i < relay.consumers->len; i++)
    consumer_free (g_ptr_array_index (relay.consumers, i));
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
