/* faceanon-file: the MP4/MOV header, as the input had it
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

/* GStreamer 1.22's qtmux writes the time of muxing as the creation time
 * and no rotation (an identity matrix for every track). Both are fields of
 * fixed size in the 'moov' header, so they are put back once the copy is
 * written: the creation and modification times of the input's movie
 * header (mvhd) into the copy's movie, track (tkhd) and media (mdhd)
 * headers, and the input's video track matrix into the copy's video
 * track. Nothing moves: the same bytes are overwritten in place. */

/* fseeko, sigaction */
#define _POSIX_C_SOURCE 200809L

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* A moov larger than this is not read (the index of hours of video at a
 * high frame rate stays well below). */
#define MAX_MOOV (256 * 1024 * 1024)

/* One box in a buffer: its payload. */
typedef struct
{
  guint8 *data;
  gsize size;
} Box;

/* The first child of @parent of type @type after @skip bytes of the
 * parent's own fields, or FALSE. */
static gboolean
child (const Box * parent, gsize skip, const gchar * type, guint nth, Box * out)
{
  gsize pos = skip;

  while (pos + 8 <= parent->size) {
    guint64 size = GST_READ_UINT32_BE (parent->data + pos);
    gsize header = 8;

    if (size == 1 && pos + 16 <= parent->size) {
      size = GST_READ_UINT64_BE (parent->data + pos + 8);
      header = 16;
    } else if (size == 0) {
      size = parent->size - pos;
    }
    if (size < header || size > parent->size - pos)
      return FALSE;
    if (memcmp (parent->data + pos + 4, type, 4) == 0 && nth-- == 0) {
      out->data = parent->data + pos + header;
      out->size = size - header;
      return TRUE;
    }
    pos += size;
  }
  return FALSE;
}

/* The times of a full box whose fields start with creation and
 * modification time (mvhd, tkhd, mdhd): 32 bits each in version 0, 64 in
 * version 1. */
static gboolean
get_times (const Box * b, guint64 * created, guint64 * modified)
{
  if (b->size < 20)
    return FALSE;
  if (b->data[0] == 1 && b->size >= 20) {
    *created = GST_READ_UINT64_BE (b->data + 4);
    *modified = GST_READ_UINT64_BE (b->data + 12);
  } else {
    *created = GST_READ_UINT32_BE (b->data + 4);
    *modified = GST_READ_UINT32_BE (b->data + 8);
  }
  return TRUE;
}

static void
set_times (Box * b, guint64 created, guint64 modified)
{
  if (b->size < 20)
    return;
  if (b->data[0] == 1) {
    GST_WRITE_UINT64_BE (b->data + 4, created);
    GST_WRITE_UINT64_BE (b->data + 12, modified);
  } else if (created <= G_MAXUINT32 && modified <= G_MAXUINT32) {
    GST_WRITE_UINT32_BE (b->data + 4, created);
    GST_WRITE_UINT32_BE (b->data + 8, modified);
  }
}

/* The matrix of a tkhd: after the times, track id, reserved, duration (of
 * the version's width), 8 reserved bytes, layer, group, volume and 2
 * reserved bytes. */
static guint8 *
matrix_of (const Box * tkhd)
{
  gsize at = tkhd->data[0] == 1 ? 4 + 8 + 8 + 4 + 4 + 8 : 4 + 4 + 4 + 4 + 4 + 4;

  at += 8 + 2 + 2 + 2 + 2;
  return tkhd->size >= at + 36 ? tkhd->data + at : NULL;
}

static gboolean
is_video_track (const Box * trak)
{
  Box mdia, hdlr;

  return child (trak, 0, "mdia", 0, &mdia) && child (&mdia, 0, "hdlr", 0,
      &hdlr) && hdlr.size >= 12 && memcmp (hdlr.data + 8, "vide", 4) == 0;
}

/* Reads the top-level moov of @f into memory; *@offset is where its
 * payload starts in the file. */
static guint8 *
read_moov (FILE * f, gsize * size, gint64 * offset)
{
  guint8 head[16];
  gint64 pos = 0;

  while (fseeko (f, pos, SEEK_SET) == 0 && fread (head, 1, 8, f) == 8) {
    guint64 box = GST_READ_UINT32_BE (head);
    gsize header = 8;

    if (box == 1) {
      if (fread (head + 8, 1, 8, f) != 8)
        return NULL;
      box = GST_READ_UINT64_BE (head + 8);
      header = 16;
    }
    if (box < header)
      return NULL;
    if (memcmp (head + 4, "moov", 4) == 0) {
      guint8 *data;

      if (box - header > MAX_MOOV)
        return NULL;
      *size = box - header;
      *offset = pos + header;
      data = g_malloc (*size);
      if (fread (data, 1, *size, f) != *size) {
        g_free (data);
        return NULL;
      }
      return data;
    }
    pos += box;
  }
  return NULL;
}

/* What the input's header says: its times, and its video track's
 * matrix. */
typedef struct
{
  guint64 created, modified;
  guint8 matrix[36];
  gboolean has_matrix;
} Header;

static gboolean
read_header (const gchar * path, Header * h)
{
  FILE *f = fopen (path, "rb");
  Box moov, mvhd, trak, tkhd;
  gint64 offset;
  guint8 *m;
  gboolean ok = FALSE;

  if (f == NULL)
    return FALSE;
  moov.data = read_moov (f, &moov.size, &offset);
  fclose (f);
  if (moov.data == NULL)
    return FALSE;
  if (child (&moov, 0, "mvhd", 0, &mvhd))
    ok = get_times (&mvhd, &h->created, &h->modified);
  for (guint i = 0; child (&moov, 0, "trak", i, &trak); i++) {
    if (is_video_track (&trak) && child (&trak, 0, "tkhd", 0, &tkhd)
        && (m = matrix_of (&tkhd))) {
      memcpy (h->matrix, m, 36);
      h->has_matrix = TRUE;
      break;
    }
  }
  g_free (moov.data);
  return ok;
}

static void
patch (Box * moov, const Header * h)
{
  Box mvhd, trak, tkhd, mdia, mdhd;
  gboolean matrix_done = FALSE;
  guint8 *m;

  if (child (moov, 0, "mvhd", 0, &mvhd))
    set_times (&mvhd, h->created, h->modified);
  for (guint i = 0; child (moov, 0, "trak", i, &trak); i++) {
    if (child (&trak, 0, "tkhd", 0, &tkhd)) {
      set_times (&tkhd, h->created, h->modified);
      if (h->has_matrix && !matrix_done && is_video_track (&trak)
          && (m = matrix_of (&tkhd))) {
        memcpy (m, h->matrix, 36);
        matrix_done = TRUE;
      }
    }
    if (child (&trak, 0, "mdia", 0, &mdia) && child (&mdia, 0, "mdhd", 0,
            &mdhd))
      set_times (&mdhd, h->created, h->modified);
  }
}

gboolean
mp4_restore_header (const gchar * path, const gchar * input, GError ** error)
{
  Header h = { 0, };
  Box moov;
  gint64 offset;
  FILE *f;
  gboolean ok;

  /* an input of another kind (the fallback container) has nothing to
   * give */
  if (!read_header (input, &h))
    return TRUE;
  f = fopen (path, "r+b");
  if (f == NULL) {
    g_set_error (error, FILE_ERROR, 0, "cannot reopen '%s': %s", path,
        g_strerror (errno));
    return FALSE;
  }
  moov.data = read_moov (f, &moov.size, &offset);
  if (moov.data == NULL) {
    fclose (f);
    g_set_error (error, FILE_ERROR, 0, "'%s' as written has no MP4 header",
        path);
    return FALSE;
  }
  patch (&moov, &h);
  ok = fseeko (f, offset, SEEK_SET) == 0
      && fwrite (moov.data, 1, moov.size, f) == moov.size;
  ok = (fclose (f) == 0) && ok;
  g_free (moov.data);
  if (!ok)
    g_set_error (error, FILE_ERROR, 0, "cannot write the header of '%s': %s",
        path, g_strerror (errno));
  return ok;
}
