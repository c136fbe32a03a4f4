/* faceanon-file: the encoding profile derived from the input
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

/* The output is the input's container with:
 *  - the video encoded again in its own codec family, at a quality that
 *    keeps the look (H.264 when there is no encoder for the family, else
 *    the first codec the container takes that can be encoded);
 *  - every audio and subtitle stream as it is (encodebin passes a stream
 *    through when it already has the profile's format), or, when the
 *    container cannot take it, audio encoded again and subtitles left out,
 *    each with a note that says so;
 *  - the muxer set so that a half-written file plays (robust MP4).
 *
 * Containers and codecs are rows of tables: adding one is adding a row. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "file.h"

#include <string.h>

typedef struct _Container Container;

/* A container the program writes. */
struct _Container
{
  const gchar *caps;            /* as the discoverer names it */
  const gchar *muxer;
  /* the muxer's properties, for what is written to play after a crash
   * and to carry the creation time; NULL: nothing to set */
  void (*set_properties) (const Container * c, const Media * media,
      GstStructure * props);
  gboolean mp4;                 /* file-mp4.c restores its header */
};

/* A codec the program encodes into, with the settings that keep the look. */
typedef struct
{
  const gchar *caps;            /* the codec family */
  const gchar *encoder;
  const gchar *settings;        /* PROP=VALUE ... for the encoder */
  const gchar *label;
} Codec;

/* ISO/QuickTime: robust muxing. Space for the index is reserved at the
 * start of the file and the index written there every second, so that
 * the file plays up to the last second after a kill; at the end it is an
 * ordinary MP4 with its index first. The space is reckoned from the
 * duration, with room to spare (the muxer fails when it runs out): a
 * tenth more, and three times what the index of a typical file takes a
 * second. A file of unknown length is written fragmented instead. */
static void
set_robust_mp4 (const Container * c, const Media * media, GstStructure * p)
{
  gint rate = 50;               /* frames a second of the busiest track */

  if (!GST_CLOCK_TIME_IS_VALID (media->duration)) {
    gst_structure_set (p, "fragment-duration", G_TYPE_UINT, 1000, NULL);
    return;
  }
  if (media->fps_d > 0)
    rate = MAX (rate, media->fps_n / media->fps_d + 1);
  gst_structure_set (p,
      "reserved-max-duration", G_TYPE_UINT64,
      media->duration + media->duration / 10 + 2 * GST_SECOND,
      "reserved-moov-update-period", G_TYPE_UINT64, (guint64) GST_SECOND,
      /* a sample costs at most 16 bytes of index (size, time, composition
       * offset, sync flag) and a chunk 8 */
      "reserved-bytes-per-sec", G_TYPE_UINT, (guint) (24 * rate + 200), NULL);
}

/* Matroska plays as written; the creation time is a property. */
static void
set_matroska (const Container * c, const Media * media, GstStructure * p)
{
  GDateTime *dt;

  if (media->created == NULL)
    return;
  dt = gst_date_time_to_g_date_time (media->created);
  if (dt)
    gst_structure_set (p, "creation-time", G_TYPE_DATE_TIME, dt, NULL);
  g_clear_pointer (&dt, g_date_time_unref);
}

/* The first row whose caps the input's container has is the output's;
 * AVI, MPEG-TS, Ogg and FLV play without an index when cut short. */
static const Container containers[] = {
  {"video/quicktime, variant=(string)iso", "mp4mux", set_robust_mp4, TRUE},
  {"video/quicktime, variant=(string)3gpp", "3gppmux", set_robust_mp4, TRUE},
  {"video/quicktime", "qtmux", set_robust_mp4, TRUE},
  {"video/x-matroska", "matroskamux", set_matroska, FALSE},
  {"video/webm", "webmmux", set_matroska, FALSE},
  {"video/x-msvideo", "avimux", NULL, FALSE},
  {"video/mpegts", "mpegtsmux", NULL, FALSE},
  {"application/ogg", "oggmux", NULL, FALSE},
  {"video/x-flv", "flvmux", NULL, FALSE},
};

/* Written when the input's container is none of the above. */
#define FALLBACK_CONTAINER 3
#define FALLBACK_EXTENSION "mkv"

/* Video: the input's family, first row that has it. Quality-driven rate
 * control (constant quality, or a fixed quantizer); look-ahead kept to
 * about half a second, so that what is written after a kill reaches
 * within 2 s of what faceanon had masked. */
static const Codec video_codecs[] = {
  {"video/x-h264", "x264enc", "pass=qual quantizer=18 speed-preset=faster "
        "rc-lookahead=12", "H.264"},
  {"video/x-h265", "x265enc", "option-string=crf=20:rc-lookahead=12 "
        "speed-preset=faster", "H.265"},
  {"video/x-vp9", "vp9enc", "end-usage=cq cq-level=12 target-bitrate=0 "
        "bits-per-pixel=0.3 cpu-used=4 row-mt=true lag-in-frames=12", "VP9"},
  {"video/x-vp8", "vp8enc", "end-usage=cq cq-level=8 target-bitrate=0 "
        "bits-per-pixel=0.3 cpu-used=4 lag-in-frames=12", "VP8"},
  {"video/x-av1", "av1enc", "end-usage=q cq-level=24 cpu-used=6", "AV1"},
  {"video/mpeg, mpegversion=(int)4", "avenc_mpeg4",
      "pass=quant quantizer=2.5 max-bframes=0", "MPEG-4 Part 2"},
  {"video/mpeg, mpegversion=(int)2", "avenc_mpeg2video",
      "pass=quant quantizer=2.5", "MPEG-2"},
  {"video/mpeg, mpegversion=(int)1", "avenc_mpeg1video",
      "pass=quant quantizer=2.5", "MPEG-1"},
  {"video/x-theora", "theoraenc", "quality=56", "Theora"},
  {"image/jpeg", "jpegenc", "quality=95", "Motion JPEG"},
  {"video/x-h263", "avenc_h263", "pass=quant quantizer=2.5", "H.263"},
};

/* When the family has no encoder: H.264 (the first row). */
#define FALLBACK_VIDEO 0

/* Audio that must be encoded again: the first the container takes. */
static const Codec audio_codecs[] = {
  {"audio/mpeg, mpegversion=(int)4, stream-format=(string)raw", "avenc_aac",
      "bitrate=256000", "AAC"},
  {"audio/x-opus", "opusenc", "bitrate=192000", "Opus"},
  {"audio/x-vorbis", "vorbisenc", "quality=0.7", "Vorbis"},
  {"audio/mpeg, mpegversion=(int)1, layer=(int)3", "lamemp3enc",
      "target=quality quality=1", "MP3"},
  {"audio/x-ac3", "avenc_ac3", "bitrate=448000", "AC-3"},
  {"audio/x-flac", "flacenc", "", "FLAC"},
};

static gboolean
caps_match (const gchar * row, const GstCaps * caps)
{
  GstCaps *r = gst_caps_from_string (row);
  gboolean ok = caps && gst_caps_can_intersect (r, caps)
      && gst_structure_has_name (gst_caps_get_structure (caps, 0),
      gst_structure_get_name (gst_caps_get_structure (r, 0)));

  gst_caps_unref (r);
  return ok;
}

/* Whether encodebin would use the element @name: it passes over those of
 * rank none (avenc_aac), even when the profile names them. */
static gboolean
factory_exists (const gchar * name)
{
  GstElementFactory *f = gst_element_factory_find (name);
  gboolean usable = f && gst_plugin_feature_get_rank (GST_PLUGIN_FEATURE (f))
      >= GST_RANK_MARGINAL;

  if (f)
    gst_object_unref (f);
  return usable;
}

/* Whether the muxer has a request pad that takes @caps. */
static gboolean
muxer_takes (const gchar * muxer, const GstCaps * caps)
{
  GstElementFactory *f = gst_element_factory_find (muxer);
  gboolean ok = FALSE;

  if (f == NULL)
    return FALSE;
  for (const GList * l = gst_element_factory_get_static_pad_templates (f);
      l && !ok; l = l->next) {
    GstStaticPadTemplate *t = l->data;
    GstCaps *tc;

    if (t->direction != GST_PAD_SINK)
      continue;
    tc = gst_static_pad_template_get_caps (t);
    ok = gst_caps_can_intersect (tc, caps);
    gst_caps_unref (tc);
  }
  gst_object_unref (f);
  return ok;
}

static gboolean
muxer_takes_row (const gchar * muxer, const gchar * row)
{
  GstCaps *caps = gst_caps_from_string (row);
  gboolean ok = muxer_takes (muxer, caps);

  gst_caps_unref (caps);
  return ok;
}

/* "PROP=VALUE ..." as an element-properties structure, each value parsed
 * with the encoder's own param spec (an enum from its nick). */
GstStructure *
settings_structure (const gchar * factory, const gchar * settings)
{
  GstElement *e = gst_element_factory_make (factory, NULL);
  GstStructure *props = gst_structure_new_empty ("element-properties");
  gchar **words = g_strsplit (settings, " ", -1);

  for (guint i = 0; e && words[i]; i++) {
    gchar **kv = g_strsplit (words[i], "=", 2);
    GParamSpec *pspec = kv[0] && kv[1] ?
        g_object_class_find_property (G_OBJECT_GET_CLASS (e), kv[0]) : NULL;
    GValue v = G_VALUE_INIT;
    GError *err = NULL;

    if (pspec && fa_option_parse_value (pspec, kv[1], &v, &err)) {
      gst_structure_set_value (props, kv[0], &v);
      g_value_unset (&v);
    } else {
      /* a row of the table that this version of the encoder does not
       * take: the encoder's default instead */
      GST_WARNING ("%s: cannot set '%s': %s", factory, words[i],
          err ? err->message : "no such property");
    }
    g_clear_error (&err);
    g_strfreev (kv);
  }
  g_strfreev (words);
  if (e)
    gst_object_unref (e);
  return props;
}

/* A stream profile that makes @codec with its encoder and settings. */
static GstEncodingProfile *
encoding_profile (const Codec * codec, gboolean video)
{
  GstCaps *format = gst_caps_from_string (codec->caps);
  GstEncodingProfile *p;

  if (video) {
    p = GST_ENCODING_PROFILE (gst_encoding_video_profile_new (format, NULL,
            NULL, 1));
    /* no videorate: the frames keep their timestamps */
    gst_encoding_video_profile_set_variableframerate
        (GST_ENCODING_VIDEO_PROFILE (p), TRUE);
  } else {
    p = GST_ENCODING_PROFILE (gst_encoding_audio_profile_new (format, NULL,
            NULL, 1));
  }
  gst_caps_unref (format);
  gst_encoding_profile_set_preset_name (p, codec->encoder);
  gst_encoding_profile_set_element_properties (p,
      settings_structure (codec->encoder, codec->settings));
  return p;
}

/* The caps that say which codec a stream is: its media type and the
 * fields that tell codecs of one media type apart; the rest (codec data,
 * sizes) the muxer takes from the stream itself. */
static GstCaps *
codec_caps (const GstCaps * caps)
{
  static const gchar *fields[] = { "mpegversion", "layer", "systemstream",
    "variant", "wmaversion", "wmvversion", "msmpegversion", "divxversion",
    "format", "stream-format", NULL
  };
  const GstStructure *s = gst_caps_get_structure (caps, 0);
  GstStructure *out = gst_structure_new_empty (gst_structure_get_name (s));

  for (guint i = 0; fields[i]; i++)
    if (gst_structure_has_field (s, fields[i]))
      gst_structure_set_value (out, fields[i],
          gst_structure_get_value (s, fields[i]));
  return gst_caps_new_full (out, NULL);
}

static void
note (Plan * plan, const gchar * format, ...)
G_GNUC_PRINTF (2, 3);

     static void note (Plan * plan, const gchar * format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (plan->notes, g_strdup_vprintf (format, args));
  va_end (args);
}

static const Container *
container_for (const Media * media, Plan * plan)
{
  for (guint i = 0; media->container && i < G_N_ELEMENTS (containers); i++)
    if (caps_match (containers[i].caps, media->container)
        && factory_exists (containers[i].muxer))
      return &containers[i];
  plan->extension = FALLBACK_EXTENSION;
  note (plan, "%s cannot be written: the output is Matroska (."
      FALLBACK_EXTENSION ")", media->container_name ? media->container_name :
      "a stream without a container");
  return &containers[FALLBACK_CONTAINER];
}

static const Codec *
video_codec_for (const Container * c, MediaStream * s, Plan * plan)
{
  const Codec *fallback = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (video_codecs); i++)
    if (caps_match (video_codecs[i].caps, s->caps)
        && factory_exists (video_codecs[i].encoder)
        && muxer_takes_row (c->muxer, video_codecs[i].caps))
      return &video_codecs[i];

  if (factory_exists (video_codecs[FALLBACK_VIDEO].encoder)
      && muxer_takes_row (c->muxer, video_codecs[FALLBACK_VIDEO].caps))
    fallback = &video_codecs[FALLBACK_VIDEO];
  for (guint i = 0; !fallback && i < G_N_ELEMENTS (video_codecs); i++)
    if (factory_exists (video_codecs[i].encoder)
        && muxer_takes_row (c->muxer, video_codecs[i].caps))
      fallback = &video_codecs[i];
  if (fallback)
    note (plan, "the video (%s) is encoded in %s: there is no encoder for "
        "its own codec", s->codec, fallback->label);
  return fallback;
}

static const Codec *
audio_codec_for (const Container * c)
{
  for (guint i = 0; i < G_N_ELEMENTS (audio_codecs); i++)
    if (factory_exists (audio_codecs[i].encoder)
        && muxer_takes_row (c->muxer, audio_codecs[i].caps))
      return &audio_codecs[i];
  return NULL;
}

/* A stream other than video: as it is if the muxer takes it. encodebin
 * has no subtitle profiles (GStreamer 1.22): a subtitle stream goes to the
 * muxer itself (file-video.c), with no profile, as it is or as plain text
 * (file-text.c). */
static GstEncodingProfile *
other_profile (const Container * c, MediaStream * s, guint index, Plan * plan)
{
  const Codec *codec;
  GstCaps *format;
  GstEncodingProfile *p;

  if (s->caps && muxer_takes (c->muxer, s->caps)) {
    s->route = ROUTE_COPY;
    if (s->kind != KIND_AUDIO)
      return NULL;
    format = codec_caps (s->caps);
    p = GST_ENCODING_PROFILE (gst_encoding_audio_profile_new (format, NULL,
            NULL, 1));
    gst_caps_unref (format);
    return p;
  }
  if (s->kind == KIND_SUBTITLE && s->caps && text_can_convert (s->caps)) {
    GstCaps *plain = text_plain_caps ();
    gboolean takes = muxer_takes (c->muxer, plain);

    gst_caps_unref (plain);
    if (takes) {
      s->route = ROUTE_REENCODE;
      note (plan, "subtitle stream %u (%s) is written as plain text: the "
          "demuxer gives it as Pango markup, which the container cannot take",
          index, s->codec);
      return NULL;
    }
  }
  if (s->kind == KIND_AUDIO && (codec = audio_codec_for (c)) != NULL) {
    s->route = ROUTE_REENCODE;
    note (plan, "audio stream %u (%s) is encoded again in %s: the container "
        "cannot take it as it is", index, s->codec, codec->label);
    return encoding_profile (codec, FALSE);
  }
  s->route = ROUTE_DROP;
  note (plan, "%s stream %u (%s) is left out: the container cannot take it",
      s->kind == KIND_AUDIO ? "audio" : "subtitle", index, s->codec);
  return NULL;
}

Plan *
plan_new (Media * media, GError ** error)
{
  Plan *plan = g_new0 (Plan, 1);
  const Container *c;
  GstEncodingContainerProfile *cp;
  GstStructure *props;
  GstCaps *caps;

  plan->notes = g_ptr_array_new_with_free_func (g_free);
  c = container_for (media, plan);
  plan->mp4 = c->mp4;
  plan->muxer = c->muxer;
  caps = gst_caps_from_string (c->caps);
  cp = gst_encoding_container_profile_new ("faceanon-file", NULL, caps, NULL);
  gst_caps_unref (caps);
  gst_encoding_profile_set_preset_name (GST_ENCODING_PROFILE (cp), c->muxer);
  props = gst_structure_new_empty ("element-properties");
  if (c->set_properties)
    c->set_properties (c, media, props);
  gst_encoding_profile_set_element_properties (GST_ENCODING_PROFILE (cp),
      props);
  plan->profile = GST_ENCODING_PROFILE (cp);

  for (guint i = 0; i < media->streams->len; i++) {
    MediaStream *s = g_ptr_array_index (media->streams, i);
    GstEncodingProfile *p = NULL;

    if (s->kind == KIND_VIDEO) {
      const Codec *codec = video_codec_for (c, s, plan);

      if (codec == NULL) {
        g_set_error (error, FILE_ERROR, 0, "no encoder for a video that %s "
            "takes (install gstreamer1.0-plugins-ugly for H.264)", c->muxer);
        plan_free (plan);
        return NULL;
      }
      s->route = ROUTE_ANONYMIZE;
      p = encoding_profile (codec, TRUE);
    } else if (s->kind == KIND_AUDIO || s->kind == KIND_SUBTITLE) {
      p = other_profile (c, s, i, plan);
    } else {
      s->route = ROUTE_DROP;
    }
    if (p == NULL)
      continue;
    s->profile_name = g_strdup_printf ("stream-%u", i);
    gst_encoding_profile_set_name (p, s->profile_name);
    /* requested by name when parsebin exposes the stream (file-video.c) */
    gst_encoding_profile_set_presence (p, 0);
    gst_encoding_container_profile_add_profile (cp, p);
  }
  return plan;
}

static const gchar *const route_names[] = {
  [ROUTE_ANONYMIZE] = "anonymized",
  [ROUTE_COPY] = "copied",
  [ROUTE_REENCODE] = "encoded again",
  [ROUTE_DROP] = "left out",
};

/* "AVI: MPEG-4 video anonymized, AC-3 audio copied" */
gchar *
plan_describe (const Plan * plan, const Media * media)
{
  GString *s = g_string_new (media->container_name ? media->container_name :
      plan->muxer);

  for (guint i = 0; i < media->streams->len; i++) {
    const MediaStream *st = g_ptr_array_index (media->streams, i);

    if (st->kind == KIND_OTHER)
      continue;
    g_string_append_printf (s, "%s %s %s", i ? "," : ":", st->codec,
        st->kind == KIND_SUBTITLE && st->route == ROUTE_REENCODE ?
        "as plain text" : route_names[st->route]);
  }
  return g_string_free (s, FALSE);
}

void
plan_free (Plan * plan)
{
  if (plan == NULL)
    return;
  g_clear_object (&plan->profile);
  g_ptr_array_unref (plan->notes);
  g_free (plan);
}
