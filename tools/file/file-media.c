/* faceanon-file: what a file holds
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

/* GstDiscoverer's view of a file, kept to what the program decides on:
 * the container, each stream with its caps, the first video's frame rate
 * and orientation, the duration and the creation time. The streams are
 * matched to parsebin's pads by stream id, which both derive from the same
 * file and demuxer. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "file.h"

#include <string.h>

/* A file whose discovery takes longer than this is taken to be broken. */
#define DISCOVER_TIMEOUT (30 * GST_SECOND)

static void
media_stream_free (MediaStream * s)
{
  g_free (s->stream_id);
  gst_clear_caps (&s->caps);
  g_free (s->codec);
  g_free (s->profile_name);
  g_free (s);
}

void
media_free (Media * media)
{
  if (media == NULL)
    return;
  g_free (media->uri);
  gst_clear_caps (&media->container);
  g_free (media->container_name);
  g_ptr_array_unref (media->streams);
  if (media->created)
    gst_date_time_unref (media->created);
  g_free (media);
}

static StreamKind
kind_of (GstDiscovererStreamInfo * info)
{
  if (GST_IS_DISCOVERER_VIDEO_INFO (info))
    return KIND_VIDEO;
  if (GST_IS_DISCOVERER_AUDIO_INFO (info))
    return KIND_AUDIO;
  if (GST_IS_DISCOVERER_SUBTITLE_INFO (info))
    return KIND_SUBTITLE;
  return KIND_OTHER;
}

static void
add_video (Media * media, GstDiscovererVideoInfo * v)
{
  const GstTagList *tags;

  if (media->n_video++ > 0)
    return;
  media->image = gst_discoverer_video_info_is_image (v);
  media->fps_n = gst_discoverer_video_info_get_framerate_num (v);
  media->fps_d = gst_discoverer_video_info_get_framerate_denom (v);
  tags = gst_discoverer_stream_info_get_tags (GST_DISCOVERER_STREAM_INFO (v));
  if (tags == NULL || !gst_video_orientation_from_tag ((GstTagList *) tags,
          &media->orientation))
    media->orientation = GST_VIDEO_ORIENTATION_IDENTITY;
}

static void
add_stream (Media * media, GstDiscovererStreamInfo * info)
{
  MediaStream *s = g_new0 (MediaStream, 1);

  s->kind = kind_of (info);
  s->stream_id = g_strdup (gst_discoverer_stream_info_get_stream_id (info));
  s->caps = gst_discoverer_stream_info_get_caps (info);
  if (s->caps && !gst_caps_is_empty (s->caps))
    s->codec = gst_pb_utils_get_codec_description (s->caps);
  if (s->codec == NULL)
    s->codec = g_strdup (s->caps ? gst_structure_get_name
        (gst_caps_get_structure (s->caps, 0)) : "unknown");
  g_ptr_array_add (media->streams, s);
  if (s->kind == KIND_VIDEO)
    add_video (media, GST_DISCOVERER_VIDEO_INFO (info));
}

/* The creation time, from the container's tags (or any stream's). */
static void
find_created (Media * media, GstDiscovererInfo * info)
{
  const GstTagList *tags = gst_discoverer_info_get_tags (info);
  GstDateTime *dt = NULL;

  if (tags && gst_tag_list_get_date_time (tags, GST_TAG_DATE_TIME, &dt)) {
    if (gst_date_time_has_time (dt))
      media->created = dt;
    else
      gst_date_time_unref (dt);
  }
}

static gboolean
say_failure (GstDiscovererInfo * info, GError * err, GError ** error)
{
  switch (gst_discoverer_info_get_result (info)) {
    case GST_DISCOVERER_TIMEOUT:
      g_set_error (error, FILE_ERROR, 0, "cannot read it: no answer in %u "
          "s (a damaged file?)", (guint) (DISCOVER_TIMEOUT / GST_SECOND));
      return FALSE;
    case GST_DISCOVERER_MISSING_PLUGINS:{
      const gchar **details =
          gst_discoverer_info_get_missing_elements_installer_details (info);
      gchar *what = details ? g_strjoinv (", ", (gchar **) details) : NULL;

      g_set_error (error, FILE_ERROR, 0, "cannot read it: GStreamer lacks "
          "a plugin for it (%s)", what ? what : "unknown");
      g_free (what);
      return FALSE;
    }
    default:
      g_set_error (error, FILE_ERROR, 0, "cannot read it: %s",
          err ? err->message : "not a video or picture GStreamer can read");
      return FALSE;
  }
}

/* One discoverer serves every file: with a new one for each, a file that
 * fails in its demuxer after another was discovered waits for the whole
 * timeout (GStreamer 1.22, when no GST_DEBUG is set). */
GstDiscoverer *
media_discoverer_new (GError ** error)
{
  return gst_discoverer_new (DISCOVER_TIMEOUT, error);
}

Media *
media_discover (GstDiscoverer * disc, const gchar * path, GError ** error)
{
  GstDiscovererInfo *info = NULL;
  GstDiscovererStreamInfo *top;
  Media *media = NULL;
  GList *streams;
  GError *err = NULL;
  gchar *uri;

  uri = gst_filename_to_uri (path, error);
  if (uri == NULL)
    return NULL;
  info = gst_discoverer_discover_uri (disc, uri, &err);
  if (info == NULL || gst_discoverer_info_get_result (info) !=
      GST_DISCOVERER_OK) {
    if (info)
      say_failure (info, err, error);
    else
      g_set_error (error, FILE_ERROR, 0, "cannot read it: %s",
          err ? err->message : "unknown error");
    goto done;
  }

  media = g_new0 (Media, 1);
  media->uri = uri;
  uri = NULL;
  media->duration = gst_discoverer_info_get_duration (info);
  media->streams = g_ptr_array_new_with_free_func ((GDestroyNotify)
      media_stream_free);
  top = gst_discoverer_info_get_stream_info (info);
  if (top && GST_IS_DISCOVERER_CONTAINER_INFO (top)) {
    media->container = gst_discoverer_stream_info_get_caps (top);
    media->container_name = gst_pb_utils_get_codec_description
        (media->container);
  }
  if (top)
    gst_discoverer_stream_info_unref (top);
  streams = gst_discoverer_info_get_stream_list (info);
  for (GList * l = streams; l; l = l->next)
    add_stream (media, l->data);
  gst_discoverer_stream_info_list_free (streams);
  find_created (media, info);

  if (media->n_video == 0) {
    g_set_error (error, FILE_ERROR, FILE_ERROR_NO_VIDEO, "it holds no video "
        "or picture");
    g_clear_pointer (&media, media_free);
    goto done;
  }
  if (!media->image && media->fps_n > 0 && media->fps_d > 0
      && GST_CLOCK_TIME_IS_VALID (media->duration))
    media->frames = gst_util_uint64_scale_round (media->duration,
        media->fps_n, (guint64) media->fps_d * GST_SECOND);

done:
  g_clear_error (&err);
  if (info)
    gst_discoverer_info_unref (info);
  g_free (uri);
  return media;
}

/* The stream of @media that parsebin's @pad carries: the one with its
 * stream id, else the first not yet taken of its kind. */
MediaStream *
media_stream_for_pad (Media * media, GstPad * pad)
{
  gchar *id = gst_pad_get_stream_id (pad);
  GstCaps *caps = gst_pad_get_current_caps (pad);
  MediaStream *found = NULL;
  const gchar *name;
  StreamKind kind = KIND_OTHER;

  for (guint i = 0; id && !found && i < media->streams->len; i++) {
    MediaStream *s = g_ptr_array_index (media->streams, i);

    if (!s->linked && g_strcmp0 (s->stream_id, id) == 0)
      found = s;
  }
  if (!found && caps && !gst_caps_is_empty (caps)) {
    name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
    if (g_str_has_prefix (name, "video/") || g_str_has_prefix (name, "image/"))
      kind = KIND_VIDEO;
    else if (g_str_has_prefix (name, "audio/"))
      kind = KIND_AUDIO;
    else if (g_str_has_prefix (name, "text/") || g_str_has_prefix (name,
            "subpicture/") || g_str_has_prefix (name, "application/x-ssa")
        || g_str_has_prefix (name, "application/x-ass")
        || g_str_has_prefix (name, "application/x-subtitle"))
      kind = KIND_SUBTITLE;
    for (guint i = 0; !found && i < media->streams->len; i++) {
      MediaStream *s = g_ptr_array_index (media->streams, i);

      if (!s->linked && s->kind == kind)
        found = s;
    }
  }
  if (found)
    found->linked = TRUE;
  g_free (id);
  gst_clear_caps (&caps);
  return found;
}
