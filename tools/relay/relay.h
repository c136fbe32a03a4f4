/* faceanon-relay: what its parts share
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
 * source error: frames that could not be masked are never encoded.
 *
 * A file an object:
 *   relay-source.c      the source's URI and credentials; redaction
 *   relay-output.c      status lines and warnings
 *   relay-elements.c    the elements needed, and faceanon checked at start
 *   relay-audio.c       which audio goes out as it is
 *   relay-consumer.c    the consumers, and the timestamps moved onto them
 *   relay-ingest.c      the ingest pipeline of one connection
 *   relay-connection.c  connecting, losing the source, trying again
 *   relay-publish.c     the RTSP media, published once the source is seen
 *   relay-record.c      --record
 *   relay-server.c      the RTSP server: clients, users, TLS
 *   faceanon-relay.c    the options and the wiring */

#ifndef __RELAY_H__
#define __RELAY_H__

#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>

#include "fa-options.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (relay_debug);
#define GST_CAT_DEFAULT relay_debug

GQuark relay_error_quark (void);
#define RELAY_ERROR (relay_error_quark ())

#define VIDEO_CAPS "video/x-h264, stream-format=(string)byte-stream, " \
    "alignment=(string)au"
#define RECORD_PREFIX "anon-"

typedef enum
{
  STREAM_VIDEO,
  STREAM_AUDIO,
  N_STREAMS
} Stream;

extern const gchar *const stream_names[N_STREAMS];

/* An audio codec the relay puts into RTP as it is (relay-audio.c). */
typedef struct
{
  const gchar *media_type;
  const gchar *label;
  const gchar *parser;          /* before the appsink, or NULL */
  const gchar *payloader;
  gint pt;                      /* static payload type, or the dynamic one */
  const gchar *encoder;         /* to make this codec out of raw audio */
} AudioCodec;

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
  gboolean started;             /* an IDR picture of this session went in */
  GstClockTime start;           /* its timestamp: nothing goes in before */
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
  gdouble lookahead;            /* seconds faceanon holds frames */
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
  GQueue held_audio;            /* the last of the audio, for who starts */
  GstElement *key_sink;         /* the ingest's video appsink */
  gint64 last_key_request_us;

  /* serving */
  GstRTSPServer *server;
  GstRTSPMountPoints *mounts;
  GstRTSPMediaFactory *factory;
  GSource *server_source;
  gchar *url;
  gint max_clients;
  gint n_clients;               /* connected; atomic */
  guint refused;
  gint64 refusal_noted_us;
  guint close_refused_id;

  /* recording */
  GstElement *recorder;
  guint recorder_watch;
  Consumer *rec;
  gchar *record_file;           /* the file being written */
};

/* relay-source.c */
gboolean source_parse (Source * src, const gchar * arg, GError ** error);
void source_hide_in_argv (const Source * src, gchar * arg);
gchar *source_redact (const Source * src, const gchar * text);
void source_redact_debug_log (Source * src);
void source_clear (Source * src);

/* relay-output.c */
/* *INDENT-OFF* */
void relay_say (Relay * relay, const gchar * format, ...)
    G_GNUC_PRINTF (2, 3);
void relay_verbose (Relay * relay, const gchar * format, ...)
    G_GNUC_PRINTF (2, 3);
void relay_warn (Relay * relay, const gchar * format, ...)
    G_GNUC_PRINTF (2, 3);
void relay_error (Relay * relay, const gchar * format, ...)
    G_GNUC_PRINTF (2, 3);
/* *INDENT-ON* */

/* relay-elements.c */
GstElement *make_element (const gchar * factory, const gchar * name,
    GError ** error);
gboolean check_elements (GError ** error);
gboolean check_faceanon (Relay * relay, GError ** error);
void set_faceanon (Relay * relay, GstElement * anon);

/* relay-audio.c */
const AudioCodec *audio_codec_of (const GstCaps * caps);
const AudioCodec *audio_codec_for (const GstCaps * caps);
gboolean audio_compatible (const GstCaps * caps, const GstCaps * published);

/* relay-consumer.c */
Consumer *consumer_new (Relay * relay, const gchar * what, GstElement * video,
    GstElement * audio);
void consumer_free (Consumer * c);
void add_consumer (Relay * relay, Consumer * c);
void remove_consumer (Relay * relay, guint id);
void consumers_clear (Relay * relay);
void request_key_frame (Relay * relay);
void relay_feed (Relay * relay, Stream stream, guint session, GstBuffer * buf,
    GstClockTime rt);

/* relay-ingest.c */
Ingest *ingest_new (Relay * relay, GstBusFunc on_message, GError ** error);
void ingest_go_live (Ingest * in);
void ingest_free (Relay * relay, Ingest * in);

/* relay-connection.c */
void connection_start (Relay * relay);
void connection_stop (Relay * relay);

/* relay-publish.c */
GstRTSPMediaFactory *publish_factory_new (Relay * relay);
void maybe_publish (Relay * relay, Ingest * in);

/* relay-record.c */
gboolean recorder_start (Relay * relay, GError ** error);
void recorder_stop (Relay * relay);

/* relay-server.c */
void server_warn_exposure (Relay * relay);
gboolean server_start (Relay * relay, GError ** error);
void server_stop (Relay * relay);

G_END_DECLS

#endif /* __RELAY_H__ */
