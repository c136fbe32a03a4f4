/* faceanon-file: a picture's pipeline
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

/*   filesrc [! PARSER] ! decodebin ! videoconvert ! videoflip ! faceanon !
 *     videoconvert ! ENCODER [! jifmux] ! filesink
 *
 * (jpegparse reads the EXIF of a JPEG into tags; decodebin leaves it out,
 * its rank is none.)
 *
 * The picture comes out in its own format, upright: videoflip turns it as
 * its EXIF orientation says, so that the detector sees the faces upright
 * and the copy needs no orientation. The encoder writes the pixels alone,
 * so the EXIF (camera, time, GPS position) is left behind; with
 * --keep-metadata, jifmux writes what GStreamer read of it (its tags) into
 * a JPEG again, the orientation set to normal. Only JPEG carries it: the
 * other encoders write no metadata. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "file.h"

/* A picture format the program writes. */
typedef struct
{
  const gchar *media_type;
  const gchar *parser;          /* reads the metadata; NULL: none */
  const gchar *encoder;
  const gchar *settings;        /* PROP=VALUE ... that keep the look */
  const gchar *metadata_muxer;  /* writes tags into it; NULL: none */
  const gchar *label;
} ImageFormat;

static const ImageFormat formats[] = {
  {"image/jpeg", "jpegparse", "jpegenc", "quality=95", "jifmux", "JPEG"},
  {"image/png", NULL, "pngenc", "", NULL, "PNG"},
  {"image/webp", NULL, "webpenc", "quality=95", NULL, "WebP"},
  {"image/tiff", NULL, "avenc_tiff", "", NULL, "TIFF"},
  {"image/bmp", NULL, "avenc_bmp", "", NULL, "BMP"},
};

static const ImageFormat *
format_of (const Media * media)
{
  const MediaStream *s = g_ptr_array_index (media->streams, 0);
  const gchar *name;

  if (s->caps == NULL || gst_caps_is_empty (s->caps))
    return NULL;
  name = gst_structure_get_name (gst_caps_get_structure (s->caps, 0));
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_str_equal (formats[i].media_type, name))
      return &formats[i];
  return NULL;
}

static void
on_decoded (GstElement * dec, GstPad * pad, gpointer user_data)
{
  GstElement *next = user_data;
  GstPad *sink = gst_element_get_static_pad (next, "sink");

  if (!gst_pad_is_linked (sink))
    gst_pad_link (pad, sink);
  gst_object_unref (sink);
}

static gboolean
set_property (GQuark field, const GValue * value, gpointer element)
{
  g_object_set_property (element, g_quark_to_string (field), value);
  return TRUE;
}

gboolean
image_run (App * app, Job * job, Media * media, const gchar * temp,
    Counts * counts, GError ** error)
{
  const ImageFormat *fmt = format_of (media);
  const gchar *names[] = { "filesrc", NULL, "decodebin", "videoconvert",
    "videoflip", NULL, "videoconvert", NULL, NULL, "filesink"
  };
  GstElement *e[G_N_ELEMENTS (names)] = { NULL, };
  GstElement *pipeline;
  GstStructure *settings;
  gboolean ok = FALSE;
  gint last = -1;

  if (fmt == NULL) {
    const MediaStream *s = g_ptr_array_index (media->streams, 0);

    g_set_error (error, FILE_ERROR, 0, "cannot write %s pictures: GStreamer "
        "has no encoder for them here", s->codec);
    return FALSE;
  }
  names[1] = fmt->parser;
  names[7] = fmt->encoder;
  if (app->keep_metadata && fmt->metadata_muxer)
    names[8] = fmt->metadata_muxer;
  else if (app->keep_metadata)
    file_warn (app, "%s: --keep-metadata: %s pictures are written without "
        "metadata (only JPEG keeps it)", job->display, fmt->label);

  pipeline = gst_pipeline_new ("faceanon-file");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    if (i == 5)
      e[i] = element_new (app, counts, TRUE, error);
    else if (names[i])
      e[i] = make_element (names[i], error);
    else
      continue;
    if (e[i] == NULL)
      goto done;
    gst_bin_add (GST_BIN (pipeline), e[i]);
    /* decodebin's pad is linked when it comes */
    if (last >= 0 && i != 3 && !gst_element_link (e[last], e[i])) {
      g_set_error (error, FILE_ERROR, 0, "could not link %s to %s",
          names[last], names[i]);
      goto done;
    }
    last = i;
  }
  g_object_set (e[0], "location", job->input, NULL);
  g_object_set (e[9], "location", temp, NULL);
  /* turned as the picture's own orientation tag says (its EXIF, which
   * jpegparse reads), whatever the discoverer saw */
  g_object_set (e[4], "video-direction", GST_VIDEO_ORIENTATION_AUTO, NULL);
  g_signal_connect (e[2], "pad-added", G_CALLBACK (on_decoded), e[3]);
  settings = settings_structure (fmt->encoder, fmt->settings);
  gst_structure_foreach (settings, set_property, e[7]);
  gst_structure_free (settings);
  if (e[8])
    gst_tag_setter_add_tags (GST_TAG_SETTER (e[8]), GST_TAG_MERGE_REPLACE,
        GST_TAG_IMAGE_ORIENTATION, "rotate-0", NULL);

  counts->expected = 1;
  ok = pipeline_run (app, job, pipeline, counts, error);

done:
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  return ok;
}
