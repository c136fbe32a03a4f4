/* faceanon-relay: which audio goes out as it is
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

#include "relay.h"

#define PT_DYNAMIC_AUDIO 97

/* What the relay can put into RTP as it is. Anything else is decoded and
 * re-encoded to Opus: it is free, its encoder ships with
 * gst-plugins-base, it has an RTP payloader, and Matroska (the recording)
 * takes it. */
static const AudioCodec audio_codecs[] = {
  {"audio/mpeg", "AAC", "aacparse", "rtpmp4gpay", PT_DYNAMIC_AUDIO,
      "avenc_aac"},
  {"audio/x-opus", "Opus", "opusparse", "rtpopuspay", PT_DYNAMIC_AUDIO,
      "opusenc"},
  {"audio/x-alaw", "PCMA (G.711 A-law)", NULL, "rtppcmapay", 8, "alawenc"},
  {"audio/x-mulaw", "PCMU (G.711 mu-law)", NULL, "rtppcmupay", 0,
      "mulawenc"},
};

#define TRANSCODE_CODEC (&audio_codecs[1])

const AudioCodec *
audio_codec_of (const GstCaps * caps)
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

/* The codec a stream of @caps is published in: its own when RTP carries
 * it as it is, else Opus. */
const AudioCodec *
audio_codec_for (const GstCaps * caps)
{
  const AudioCodec *codec = audio_codec_of (caps);

  return codec ? codec : TRANSCODE_CODEC;
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
gboolean
audio_compatible (const GstCaps * caps, const GstCaps * published)
{
  const GstStructure *a, *b;

  if (audio_codec_of (caps) == NULL
      || audio_codec_of (caps) != audio_codec_of (published))
    return FALSE;
  a = gst_caps_get_structure (caps, 0);
  b = gst_caps_get_structure (published, 0);
  return same_field (a, b, "rate") && same_field (a, b, "channels")
      && same_field (a, b, "codec_data")
      && same_field (a, b, "channel-mapping-family");
}
