/* faceanon-eval: annotated faces
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

#include "eval.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <time.h>

G_DEFINE_QUARK (faceanon_eval_error, eval_error);

const gdouble eval_bucket_limits[N_BUCKETS - 1] = { 16, 32, 64, 128 };

const gchar *const eval_bucket_names[N_BUCKETS] = {
  "recall, width <16 px", "recall, width 16-32 px", "recall, width 32-64 px",
  "recall, width 64-128 px", "recall, width >=128 px"
};

const gchar *const eval_wider_names[3] = { "easy", "medium", "hard" };

void
eval_image_free (gpointer data)
{
  EvalImage *im = data;

  for (guint i = 0; i < im->faces->len; i++)
    g_free (g_array_index (im->faces, GtFace, i).flags);
  g_array_unref (im->faces);
  g_free (im->path);
  g_free (im->csv);
  g_free (im);
}

static guint
eval_parse_wider (const gchar * flags)
{
  gchar **tokens = g_strsplit (flags, ";", -1);
  guint sets = 0;

  for (guint i = 0; tokens[i]; i++) {
    gchar *t = g_strstrip (tokens[i]);
    gchar **names;

    if (!g_str_has_prefix (t, "wider="))
      continue;
    names = g_strsplit (t + strlen ("wider="), "+", -1);
    for (guint j = 0; names[j]; j++)
      for (guint k = 0; k < G_N_ELEMENTS (eval_wider_names); k++)
        if (strcmp (g_strstrip (names[j]), eval_wider_names[k]) == 0)
          sets |= 1 << k;
    g_strfreev (names);
  }
  g_strfreev (tokens);
  return sets;
}

/* Whether the ';'-separated @flags hold @flag. */
static gboolean
eval_has_flag (const gchar * flags, const gchar * flag)
{
  gchar **tokens = g_strsplit (flags, ";", -1);
  gboolean found = FALSE;

  for (guint i = 0; tokens[i] && !found; i++)
    found = strcmp (g_strstrip (tokens[i]), flag) == 0;
  g_strfreev (tokens);
  return found;
}

/* Whether a face counts in recall: it lies in the image and is not one of
 * the faces WIDER FACE flags invalid (its own evaluation leaves them out;
 * a mask over one is not a false mask either). */
gboolean
eval_counted (const GtFace * g)
{
  return g->inside && !g->invalid;
}

static gboolean
eval_parse_number (const gchar * s, gdouble * out)
{
  gchar *end;

  errno = 0;
  *out = g_ascii_strtod (s, &end);
  return end != s && *end == '\0' && errno == 0 && isfinite (*out);
}

/* Reads `image,x,y,w,h,flags` rows (data/README.md) into @images, one
 * entry per image in order of first appearance. */
gboolean
eval_load_csv (const gchar * csv, GPtrArray * images, GHashTable * by_path,
    GError ** error)
{
  gchar *contents = NULL, *dir = NULL;
  gchar **lines = NULL;
  GError *err = NULL;
  gboolean ok = FALSE;
  guint n_rows = 0;

  if (!g_file_get_contents (csv, &contents, NULL, &err))
    goto unreadable;

  lines = g_strsplit (contents, "\n", -1);
  if (lines[0] == NULL
      || !g_str_has_prefix (g_strstrip (lines[0]), "image,x,y,w,h"))
    goto no_header;

  dir = g_path_get_dirname (csv);
  for (guint i = 1; lines[i]; i++) {
    gchar *line = g_strstrip (lines[i]);
    gchar **f;
    GtFace face = { 0 };
    EvalImage *im;
    gchar *path;

    if (*line == '\0' || *line == '#')
      continue;
    /* at most 6 fields: the flags may hold anything after the 5th comma */
    f = g_strsplit (line, ",", 6);
    if (g_strv_length (f) < 5 || *g_strstrip (f[0]) == '\0'
        || !eval_parse_number (g_strstrip (f[1]), &face.x)
        || !eval_parse_number (g_strstrip (f[2]), &face.y)
        || !eval_parse_number (g_strstrip (f[3]), &face.w)
        || !eval_parse_number (g_strstrip (f[4]), &face.h)
        || !(face.w > 0) || !(face.h > 0)) {
      g_set_error (error, EVAL_ERROR, 0,
          "%s line %u is not a face row 'image,x,y,w,h,flags' with a "
          "positive width and height: '%s'. Fix or delete that row", csv,
          i + 1, line);
      g_strfreev (f);
      goto out;
    }

    path = g_path_is_absolute (f[0]) ? g_strdup (f[0]) :
        g_build_filename (dir, f[0], NULL);
    im = g_hash_table_lookup (by_path, path);
    if (im == NULL) {
      im = g_new0 (EvalImage, 1);
      im->path = path;
      im->csv = g_strdup (csv);
      im->line = i + 1;
      im->faces = g_array_new (FALSE, FALSE, sizeof (GtFace));
      g_ptr_array_add (images, im);
      g_hash_table_insert (by_path, im->path, im);
    } else {
      g_free (path);
    }
    face.flags = g_strdup (f[5] ? g_strstrip (f[5]) : "");
    face.wider = eval_parse_wider (face.flags);
    face.invalid = eval_has_flag (face.flags, "invalid");
    face.bucket = 0;
    while (face.bucket < N_BUCKETS - 1
        && face.w >= eval_bucket_limits[face.bucket])
      face.bucket++;
    g_array_append_val (im->faces, face);
    n_rows++;
    g_strfreev (f);
  }
  if (n_rows == 0) {
    g_set_error (error, EVAL_ERROR, 0, "%s holds no face rows below its "
        "header: give a CSV with at least one annotated face", csv);
    goto out;
  }
  ok = TRUE;

out:
  g_strfreev (lines);
  g_free (contents);
  g_free (dir);
  return ok;

  /* ERRORS */
unreadable:
  {
    g_set_error (error, EVAL_ERROR, 0, "cannot read the annotation CSV: %s",
        err->message);
    g_clear_error (&err);
    goto out;
  }
no_header:
  {
    g_set_error (error, EVAL_ERROR, 0, "%s does not start with the header "
        "'image,x,y,w,h,flags': is it an annotation CSV (see "
        "data/README.md)?", csv);
    goto out;
  }
}

/* The pixels whose centres lie in the face box, clamped to the image. */
gboolean
eval_face_pixels (const GtFace * g, gint width, gint height, FaRect * r)
{
  r->x0 = (gint) CLAMP (ceil (g->x - 0.5), 0.0, (gdouble) width);
  r->y0 = (gint) CLAMP (ceil (g->y - 0.5), 0.0, (gdouble) height);
  r->x1 = (gint) CLAMP (ceil (g->x + g->w - 0.5), 0.0, (gdouble) width);
  r->y1 = (gint) CLAMP (ceil (g->y + g->h - 0.5), 0.0, (gdouble) height);
  return r->x0 < r->x1 && r->y0 < r->y1;
}

gboolean
eval_box_matches (const FaBox * d, const GtFace * g)
{
  gdouble ix0 = MAX (d->x, g->x), iy0 = MAX (d->y, g->y);
  gdouble ix1 = MIN (d->x + d->w, g->x + g->w);
  gdouble iy1 = MIN (d->y + d->h, g->y + g->h);
  gdouble inter = MAX (ix1 - ix0, 0.0) * MAX (iy1 - iy0, 0.0);
  gdouble uni = (gdouble) d->w * d->h + g->w * g->h - inter;
  gdouble cx = d->x + d->w * 0.5, cy = d->y + d->h * 0.5;
  gdouble ratio;

  if (uni > 0 && inter / uni >= MATCH_IOU)
    return TRUE;
  if (cx < g->x || cx >= g->x + g->w || cy < g->y || cy >= g->y + g->h)
    return FALSE;
  ratio = sqrt ((gdouble) d->w * d->h / (g->w * g->h));
  return ratio >= 1.0 / MATCH_SIZE_RATIO && ratio <= MATCH_SIZE_RATIO;
}

/* The best score of the boxes matching @g, or 0 when none does. */
gfloat
eval_best_match (const GArray * boxes, const GtFace * g)
{
  gfloat best = 0.0f;

  for (guint i = 0; i < boxes->len; i++) {
    const FaBox *b = &g_array_index (boxes, FaBox, i);

    if (eval_box_matches (b, g))
      best = MAX (best, MAX (b->score, G_MINFLOAT));
  }
  return best;
}

/* CPU time of the whole process: while the detector runs, the decoding
 * pipeline is gone, so this is the detector's, over all its threads. On a
 * busy machine it moves far less than the wall-clock time. */
gdouble
eval_cpu_ms (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
    return 0.0;
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void
eval_canvas_init (EvalCanvas * c)
{
  memset (c, 0, sizeof (*c));
  c->masker = fa_masker_new ();
}

void
eval_canvas_clear (EvalCanvas * c)
{
  g_clear_pointer (&c->masker, fa_masker_free);
  g_clear_pointer (&c->canvas, g_free);
  g_clear_pointer (&c->truth, g_free);
  c->len = 0;
}

/* Paints where the element would write, with its own kernels: solid 255
 * on a GRAY8 canvas, so that box and ellipse footprints are exact; the
 * truth canvas is made as large and cleared. */
void
eval_canvas_paint (EvalCanvas * c, gint width, gint height,
    const FaMaskParams * mask, const FaRect * regions, guint n_regions)
{
  gsize n_px = (gsize) width * height;
  FaImage canvas = { 0 };
  FaMaskParams footprint;

  if (n_px > c->len) {
    g_free (c->canvas);
    g_free (c->truth);
    c->canvas = g_malloc (n_px);
    c->truth = g_malloc (n_px);
    c->len = n_px;
  }
  memset (c->canvas, 0, n_px);
  memset (c->truth, 0, n_px);
  canvas.width = width;
  canvas.height = height;
  canvas.model = FA_COLOR_GRAY;
  canvas.n_comps = 1;
  canvas.comp[0].data = c->canvas;
  canvas.comp[0].pstride = 1;
  canvas.comp[0].stride = width;
  canvas.comp[0].width = width;
  canvas.comp[0].height = height;
  footprint = *mask;
  footprint.method = FA_METHOD_SOLID;
  footprint.color = 0xffffff;
  fa_masker_apply (c->masker, &canvas, &footprint, regions, n_regions);
}
