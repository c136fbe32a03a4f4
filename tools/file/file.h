/* faceanon-file: what its parts share
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

/* Writes an anonymized copy of each video and picture file it is given,
 * NAME-anonymized.EXT beside it or under --output.
 *
 * For each file, GstDiscoverer says what it holds (file-media.c); an
 * encoding profile is derived from that (file-profile.c): the same
 * container, the video in its own codec family, every other stream as it
 * is when the container takes it. A video then goes through
 *
 *   filesrc ! parsebin ┬ video ─ queue ! decodebin ! videoconvert !
 *                      │         videoflip ! faceanon ! videoflip ─┐
 *                      ├ audio, subtitles ─ queue ─────────────────┤
 *                      │   (or, when the container cannot take
 *                      │    them: decodebin, encoded again) ───────┤
 *                      └ anything else ─ fakesink                  │
 *                                        encodebin (the profile) ◀─┘
 *                                        ! filesink (a temporary name)
 *
 * the videoflips turning the picture upright for the detector and back,
 * and a picture through decodebin ! videoflip ! faceanon ! its format's
 * encoder (file-image.c). What is written goes to a temporary name in a
 * form that plays after a crash (robust MP4, Matroska, ...), and is
 * renamed when complete: a failure leaves nothing under the final name.
 *
 * A file an object:
 *   file-inputs.c     the arguments: files, folders walked, output names
 *   file-media.c      what a file holds (GstDiscoverer)
 *   file-profile.c    the encoding profile derived from it
 *   file-element.c    faceanon: checked at start, frames and faces counted
 *   file-video.c      a video's pipeline
 *   file-image.c      a picture's pipeline
 *   file-text.c       subtitles from Pango markup back to plain text
 *   file-mp4.c        the MP4/MOV header: rotation and creation time
 *   file-run.c        a pipeline run to its end; interruption
 *   file-output.c     messages, the progress bar, the summary
 *   file-audit.c      --audit: faceanon-audit on what was written
 *   faceanon-file.c   the options and the wiring */

#ifndef __FILE_H__
#define __FILE_H__

#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <gst/video/video.h>

#include "fa-options.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (file_debug);
#define GST_CAT_DEFAULT file_debug

GQuark file_error_quark (void);
#define FILE_ERROR (file_error_quark ())

typedef enum
{
  FILE_ERROR_FAILED,
  FILE_ERROR_NO_VIDEO,          /* a file that holds no video or picture */
} FileError;

#define OUTPUT_SUFFIX "-anonymized"

/* What a stream of the input becomes. */
typedef enum
{
  ROUTE_ANONYMIZE,              /* video: decoded, masked, encoded again */
  ROUTE_COPY,                   /* remuxed as it is */
  ROUTE_REENCODE,               /* the container cannot take it as it is */
  ROUTE_DROP,                   /* nothing the container can take */
} Route;

typedef enum
{
  KIND_VIDEO,
  KIND_AUDIO,
  KIND_SUBTITLE,
  KIND_OTHER,
} StreamKind;

/* One stream of the input, as the discoverer saw it, and its fate. */
typedef struct
{
  StreamKind kind;
  gchar *stream_id;
  GstCaps *caps;
  gchar *codec;                 /* "AC-3 audio", for messages */
  Route route;
  gchar *profile_name;          /* its stream profile in encodebin */
  gboolean linked;              /* a parsebin pad took it */
} MediaStream;

/* What a file holds (file-media.c). */
typedef struct
{
  gchar *uri;
  GstClockTime duration;
  gboolean image;               /* a picture, not a video */
  GstCaps *container;           /* NULL: none (a picture, a bare stream) */
  gchar *container_name;
  GPtrArray *streams;           /* MediaStream, in the file's order */
  guint n_video;
  /* of the first video stream */
  GstVideoOrientationMethod orientation;
  gint fps_n, fps_d;
  guint64 frames;               /* expected, 0 when unknown */
  GstDateTime *created;
} Media;

/* The output decided for a file (file-profile.c). */
typedef struct
{
  GstEncodingProfile *profile;
  const gchar *muxer;           /* the muxer's factory */
  const gchar *extension;       /* NULL: the input's */
  gboolean mp4;                 /* ISO/QuickTime: file-mp4.c puts back the
                                 * rotation and creation time after */
  GPtrArray *notes;             /* warnings, one line each */
} Plan;

/* One file to anonymize. */
typedef struct
{
  gchar *input;
  gchar *display;               /* the input as messages name it */
  gchar *output;
  gboolean named;               /* given on the command line, not found in
                                 * a folder */
} Job;

/* What a file's run did. */
typedef struct
{
  gsize frames;                 /* atomic: streaming threads count */
  gsize faces;                  /* faces masked, summed over frames */
  guint64 expected;             /* frames, for the progress bar; 0 unknown */
  gint64 started_us;
} Counts;

typedef struct _App App;

struct _App
{
  /* options */
  gchar **sets;
  FaSettings *settings;
  gchar *output_dir;
  gboolean keep_metadata;
  gboolean audit;
  gboolean quiet;
  gchar *audit_program;         /* found at start with --audit */
  GstDiscoverer *discoverer;

  gboolean tty;                 /* stderr is a terminal: a progress bar */
  guint file_mode;              /* of the copies: 0666 less the umask */
  gchar *model_warning;         /* faceanon's, said once at the start */
  GHashTable *warned;           /* warnings said already */

  /* progress */
  gboolean bar_shown;           /* a progress bar is on the terminal */
  gint64 last_progress_us;
  gint last_percent;

  /* totals */
  gint64 started_us;
  guint n_written;
  guint n_skipped;
  guint64 frames;
  guint64 faces;
  GPtrArray *failures;          /* "FILE: why", in order */
  guint n_audited;
  guint n_audit_unclean;
  GPtrArray *audit_failures;    /* "FILE: verdict" */
};

/* file-inputs.c */
GPtrArray *inputs_collect (App * app, gchar ** args);
void job_set_extension (Job * job, const gchar * extension);
void job_free (Job * job);
gchar *temp_name_for (const gchar * output);

/* file-media.c */
GstDiscoverer *media_discoverer_new (GError ** error);
Media *media_discover (GstDiscoverer * disc, const gchar * path,
    GError ** error);
MediaStream *media_stream_for_pad (Media * media, GstPad * pad);
void media_free (Media * media);

/* file-profile.c */
Plan *plan_new (Media * media, GError ** error);
gchar *plan_describe (const Plan * plan, const Media * media);
void plan_free (Plan * plan);
GstStructure *settings_structure (const gchar * factory,
    const gchar * settings);

/* file-text.c */
gboolean text_can_convert (const GstCaps * caps);
GstCaps *text_plain_caps (void);
void text_convert_on (GstPad * pad);

/* file-element.c */
gboolean element_check (App * app, GError ** error);
GstElement *element_new (App * app, Counts * counts, gboolean still,
    GError ** error);
GstElement *make_element (const gchar * factory, GError ** error);

/* file-video.c */
gboolean video_run (App * app, Job * job, Media * media, Plan * plan,
    const gchar * temp, Counts * counts, GError ** error);

/* file-image.c */
gboolean image_run (App * app, Job * job, Media * media, const gchar * temp,
    Counts * counts, GError ** error);

/* file-mp4.c */
gboolean mp4_restore_header (const gchar * path, const gchar * input,
    GError ** error);

/* file-output.c */
/* *INDENT-OFF* */
void file_say (App * app, const gchar * format, ...) G_GNUC_PRINTF (2, 3);
void file_warn (App * app, const gchar * format, ...) G_GNUC_PRINTF (2, 3);
void file_error (App * app, const gchar * format, ...) G_GNUC_PRINTF (2, 3);
/* *INDENT-ON* */
void progress_update (App * app, Job * job, const Counts * counts,
    gboolean done);
void progress_clear (App * app);
void summary_print (App * app, guint n_files);

/* file-audit.c */
gchar *audit_find_program (GError ** error);
void audit_run (App * app, Job * job);

/* file-run.c */
void run_catch_signals (void);
gboolean run_interrupted (void);
gboolean pipeline_run (App * app, Job * job, GstElement * pipeline,
    Counts * counts, GError ** error);

G_END_DECLS

#endif /* __FILE_H__ */
