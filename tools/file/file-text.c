/* faceanon-file: subtitles from Pango markup back to plain text
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

/* matroskademux gives a UTF-8 text subtitle as Pango markup (escaped with
 * g_markup_escape_text, unless it holds tags such as <i> already) and
 * matroskamux takes plain UTF-8 text only: the stream is written back as
 * the text it was, its entities unescaped once, which undoes the escape
 * exactly. The timestamps are the buffers' own. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "file.h"

#include <stdlib.h>
#include <string.h>

static const struct
{
  const gchar *entity;
  gchar c;
} entities[] = {
  {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'},
  {"&apos;", '\''},
};

/* @text with &amp; &lt; &gt; &quot; &apos; and &#N; / &#xN; replaced by
 * what they stand for, in one pass. */
static gchar *
unescape (const gchar * text, gsize size)
{
  GString *s = g_string_sized_new (size);
  const gchar *p = text, *end = text + size;

  while (p < end) {
    gboolean done = FALSE;

    if (*p == '&') {
      for (guint i = 0; i < G_N_ELEMENTS (entities) && !done; i++) {
        gsize n = strlen (entities[i].entity);

        if ((gsize) (end - p) >= n && memcmp (p, entities[i].entity, n) == 0) {
          g_string_append_c (s, entities[i].c);
          p += n;
          done = TRUE;
        }
      }
      if (!done && p + 2 < end && p[1] == '#') {
        gboolean hex = p[2] == 'x';
        gchar *stop;
        gulong c = strtoul (p + (hex ? 3 : 2), &stop, hex ? 16 : 10);

        if (stop < end && *stop == ';' && c > 0 && c < 0x110000) {
          g_string_append_unichar (s, (gunichar) c);
          p = stop + 1;
          done = TRUE;
        }
      }
    }
    if (!done)
      g_string_append_c (s, *p++);
  }
  return g_string_free (s, FALSE);
}

GstCaps *
text_plain_caps (void)
{
  return gst_caps_new_simple ("text/x-raw", "format", G_TYPE_STRING, "utf8",
      NULL);
}

static GstPadProbeReturn
to_plain_text (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
    GstBuffer *out;
    GstMapInfo map;
    gchar *text;

    if (!gst_buffer_map (buf, &map, GST_MAP_READ))
      return GST_PAD_PROBE_OK;
    text = unescape ((const gchar *) map.data, map.size);
    gst_buffer_unmap (buf, &map);
    out = gst_buffer_new_wrapped (text, strlen (text));
    gst_buffer_copy_into (out, buf, GST_BUFFER_COPY_TIMESTAMPS |
        GST_BUFFER_COPY_FLAGS, 0, -1);
    gst_buffer_unref (buf);
    GST_PAD_PROBE_INFO_DATA (info) = out;
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_CAPS) {
    GstCaps *caps = text_plain_caps ();

    gst_event_unref (GST_PAD_PROBE_INFO_EVENT (info));
    GST_PAD_PROBE_INFO_DATA (info) = gst_event_new_caps (caps);
    gst_caps_unref (caps);
  }
  return GST_PAD_PROBE_OK;
}

/* Whether the stream of @caps is markup that @muxer would take as text. */
gboolean
text_can_convert (const GstCaps * caps)
{
  const GstStructure *s = gst_caps_get_structure (caps, 0);

  return gst_structure_has_name (s, "text/x-raw")
      && g_strcmp0 (gst_structure_get_string (s, "format"),
      "pango-markup") == 0;
}

/* The muxer's pad takes plain text only; upstream of @pad, the markup is
 * what is offered and taken. */
static GstPadProbeReturn
answer_for_markup (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstQuery *query = GST_PAD_PROBE_INFO_QUERY (info);
  GstCaps *caps;

  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_CAPS:
      caps = gst_caps_new_empty_simple ("text/x-raw");
      gst_query_set_caps_result (query, caps);
      gst_caps_unref (caps);
      return GST_PAD_PROBE_HANDLED;
    case GST_QUERY_ACCEPT_CAPS:
      gst_query_parse_accept_caps (query, &caps);
      gst_query_set_accept_caps_result (query, text_can_convert (caps));
      return GST_PAD_PROBE_HANDLED;
    default:
      return GST_PAD_PROBE_OK;
  }
}

/* What flows out of @pad becomes plain text. */
void
text_convert_on (GstPad * pad)
{
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, to_plain_text, NULL, NULL);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_QUERY_DOWNSTREAM,
      answer_for_markup, NULL, NULL);
}
