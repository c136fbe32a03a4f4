/* faceanon-eval: how well faceanon hides annotated faces
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

/* Runs, on photos with annotated faces, exactly the frame work the faceanon
 * element does (fa_anon_plan, then fa_anon_paint, with the same parameters;
 * each photo is a still frame, searched at every scale) and measures which faces end up under the mask, how much of the mask
 * lies on no face, how long detection takes and, with --redetect, whether
 * a second detector still finds the faces once they are masked.
 *
 * The element is linked in and its parameters come from an element
 * instance (gst_face_anon_get_params), so every option that mirrors a
 * property has that property's name, parsing, range and default: when the
 * element's defaults change, the evaluation follows without an edit here. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstfaceanon.h"
#include "fa-gst.h"
#include "fa-model.h"
#include "fa-options.h"
#include "fa-still.h"

#include <glib/gstdio.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A face counts as hidden when this share of its box lies under the mask. */
#define COVERED_FRACTION 0.8

/* A detection is "the same face" as an annotation when the boxes overlap
 * this much, or when it is centred in the annotation at a similar size:
 * annotation styles differ (VOC boxes are tight squares), so IoU alone
 * would miss real hits. */
#define MATCH_IOU 0.3
#define MATCH_SIZE_RATIO 2.0

#define EXIT_BELOW_MIN_RECALL 1
#define EXIT_ERROR 2

#define N_BUCKETS 5
static const gdouble bucket_limits[N_BUCKETS - 1] = { 16, 32, 64, 128 };

static const gchar *const bucket_names[N_BUCKETS] = {
  "recall, width <16 px", "recall, width 16-32 px", "recall, width 32-64 px",
  "recall, width 64-128 px", "recall, width >=128 px"
};

/* The WIDER FACE difficulty sets; a face's flags hold bit k for set k. */
static const gchar *const wider_names[3] = { "easy", "medium", "hard" };

/* The options that are element properties, in --help order: those that
 * matter for a still image (tracking and the like need a stream). */
static const gchar *const element_props[] = {
  "model", "method", "mask-shape", "mask-scale", "blur-factor", "blocks",
  "color", "confidence-threshold", "detection-size", "min-face-size"
};

#define N_ELEMENT_PROPS G_N_ELEMENTS (element_props)

G_DEFINE_QUARK (faceanon_eval_error, eval_error);
#define EVAL_ERROR (eval_error_quark ())

typedef struct
{
  gdouble x, y, w, h;
  gchar *flags;
  guint wider;                  /* bit k: counts in wider_names[k] */
  gint bucket;
  gboolean inside;              /* some of it lies in the image */
  gboolean invalid;             /* WIDER's "invalid": not counted */
  gdouble coverage;             /* share of its pixels under the mask */
  gboolean covered;
  gboolean found_before;        /* by the reference, unmasked */
  gboolean found_after;         /* by the reference, masked */
  gfloat score_before;          /* the reference's best match, or 0 */
  gfloat score_after;
} GtFace;

typedef struct
{
  gchar *path;
  gchar *csv;                   /* where it was first listed, for messages */
  guint line;
  GArray *faces;                /* GtFace */
} EvalImage;

typedef struct
{
  /* settings */
  FaAnonParams params;
  gchar *settings;              /* the element's properties, as gst-launch */
  GstVideoFormat format;
  gchar *model_path;
  gchar *ref_path;
  gfloat ref_threshold;
  gint ref_size;
  gchar *save_dir;
  gboolean quiet;

  FaAnon *anon;
  FaDetector *ref;
  FaMasker *masker;             /* paints footprints on the canvas */
  GPtrArray *images;            /* EvalImage */
  FILE *csv_out;

  /* scratch, reused from image to image */
  guint8 *canvas;               /* 255 where the element writes */
  guint8 *truth;                /* 1 in a face box, 2 in its padding */
  gsize canvas_len;
  GArray *regions;              /* FaRect */
  GArray *ref_boxes;            /* FaBox */

  /* totals */
  guint n_detections;
  guint n_unmatched;            /* detections matching no annotation */
  guint64 footprint_px;
  guint64 false_px;             /* masked, in no face box */
  guint64 far_px;               /* masked, in no padded face box either */
  GArray *ms;                   /* gdouble, detection time per image */
  gdouble cpu_ms;               /* detection CPU time, all threads */
  guint ref_in_mask_before;     /* reference hits centred under the mask */
  guint ref_in_mask_after;
  gdouble std_before;           /* luma std-dev under each mask, summed */
  gdouble std_after;
} Eval;

static void
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
parse_wider (const gchar * flags)
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
      for (guint k = 0; k < G_N_ELEMENTS (wider_names); k++)
        if (strcmp (g_strstrip (names[j]), wider_names[k]) == 0)
          sets |= 1 << k;
    g_strfreev (names);
  }
  g_strfreev (tokens);
  return sets;
}

/* Whether the ';'-separated @flags hold @flag. */
static gboolean
has_flag (const gchar * flags, const gchar * flag)
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
static gboolean
counted (const GtFace * g)
{
  return g->inside && !g->invalid;
}

static gboolean
parse_number (const gchar * s, gdouble * out)
{
  gchar *end;

  errno = 0;
  *out = g_ascii_strtod (s, &end);
  return end != s && *end == '\0' && errno == 0 && isfinite (*out);
}

/* Reads `image,x,y,w,h,flags` rows (data/README.md) into @images, one
 * entry per image in order of first appearance. */
static gboolean
load_csv (const gchar * csv, GPtrArray * images, GHashTable * by_path,
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
        || !parse_number (g_strstrip (f[1]), &face.x)
        || !parse_number (g_strstrip (f[2]), &face.y)
        || !parse_number (g_strstrip (f[3]), &face.w)
        || !parse_number (g_strstrip (f[4]), &face.h)
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
    face.wider = parse_wider (face.flags);
    face.invalid = has_flag (face.flags, "invalid");
    face.bucket = 0;
    while (face.bucket < N_BUCKETS - 1 && face.w >= bucket_limits[face.bucket])
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
static gboolean
face_pixels (const GtFace * g, gint width, gint height, FaRect * r)
{
  r->x0 = (gint) CLAMP (ceil (g->x - 0.5), 0.0, (gdouble) width);
  r->y0 = (gint) CLAMP (ceil (g->y - 0.5), 0.0, (gdouble) height);
  r->x1 = (gint) CLAMP (ceil (g->x + g->w - 0.5), 0.0, (gdouble) width);
  r->y1 = (gint) CLAMP (ceil (g->y + g->h - 0.5), 0.0, (gdouble) height);
  return r->x0 < r->x1 && r->y0 < r->y1;
}

static gboolean
box_matches (const FaBox * d, const GtFace * g)
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
static gfloat
best_match (const GArray * boxes, const GtFace * g)
{
  gfloat best = 0.0f;

  for (guint i = 0; i < boxes->len; i++) {
    const FaBox *b = &g_array_index (boxes, FaBox, i);

    if (box_matches (b, g))
      best = MAX (best, MAX (b->score, G_MINFLOAT));
  }
  return best;
}

/* Reference detections whose centre pixel lies under the mask. */
static guint
count_in_mask (const Eval * ev, const FaBox * boxes, guint n_boxes,
    gint width, gint height)
{
  guint n = 0;

  for (guint i = 0; i < n_boxes; i++) {
    gdouble cx = floor (boxes[i].x + boxes[i].w * 0.5);
    gdouble cy = floor (boxes[i].y + boxes[i].h * 0.5);

    if (cx >= 0 && cy >= 0 && cx < width && cy < height
        && ev->canvas[(gsize) cy * width + (gsize) cx] != 0)
      n++;
  }
  return n;
}

static gboolean
reference_detect (Eval * ev, const FaImage * img, GError ** error)
{
  gint size = ev->ref_size > 0 ? ev->ref_size : MAX (img->width,
      img->height);

  g_array_set_size (ev->ref_boxes, 0);
  return fa_detector_detect (ev->ref, img, size, ev->ref_threshold,
      ev->ref_boxes, error);
}

static gboolean
save_png (Eval * ev, GstBuffer * buf, GstCaps * caps, guint index,
    const gchar * path, GError ** error)
{
  GstSample *in = gst_sample_new (buf, caps, NULL, NULL);
  GstCaps *png = gst_caps_new_empty_simple ("image/png");
  GstSample *out;
  GstMapInfo map;
  gchar *base, *name, *file;
  gboolean ok;

  out = gst_video_convert_sample (in, png, GST_CLOCK_TIME_NONE, error);
  gst_sample_unref (in);
  gst_caps_unref (png);
  if (out == NULL)
    return FALSE;

  base = g_path_get_basename (path);
  name = g_strdup_printf ("%03u-%s.png", index, base);
  file = g_build_filename (ev->save_dir, name, NULL);
  gst_buffer_map (gst_sample_get_buffer (out), &map, GST_MAP_READ);
  ok = g_file_set_contents (file, (const gchar *) map.data, map.size, error);
  gst_buffer_unmap (gst_sample_get_buffer (out), &map);
  gst_sample_unref (out);
  g_free (file);
  g_free (name);
  g_free (base);
  return ok;
}

/* Luma of a pixel: the Y or grey plane, or BT.601 luma of RGB. */
static guint
luma (const FaImage * img, gint x, gint y)
{
  guint v[3];

  for (guint k = 0; k < (img->model == FA_COLOR_RGB ? 3 : 1); k++) {
    const FaComp *c = &img->comp[k];

    v[k] = c->data[(gsize) (y >> c->hsub) * c->stride +
        (gsize) (x >> c->wsub) * c->pstride];
  }
  if (img->model != FA_COLOR_RGB)
    return v[0];
  return (299 * v[0] + 587 * v[1] + 114 * v[2] + 500) / 1000;
}

/* Luma standard deviation over the footprint inside @r (clipped to the
 * frame): how much is left to see there, 0 for a flat colour. */
static gdouble
footprint_std (const Eval * ev, const FaImage * img, const FaRect * r)
{
  gdouble sum = 0.0, sum2 = 0.0, mean;
  guint64 n = 0;

  for (gint y = MAX (r->y0, 0); y < MIN (r->y1, img->height); y++) {
    for (gint x = MAX (r->x0, 0); x < MIN (r->x1, img->width); x++) {
      guint v;

      if (ev->canvas[(gsize) y * img->width + x] == 0)
        continue;
      v = luma (img, x, y);
      sum += v;
      sum2 += (gdouble) v *v;
      n++;
    }
  }
  if (n == 0)
    return 0.0;
  mean = sum / n;
  return sqrt (MAX (sum2 / n - mean * mean, 0.0));
}

/* Masks a private copy of the frame by the plan made on the original, as
 * the element masks a frame that upstream still holds, and asks the
 * reference detector what it still finds there. */
static gboolean
mask_and_redetect (Eval * ev, EvalImage * im, guint index, GstBuffer * buf,
    GstVideoInfo * info, GstCaps * caps, GError ** error)
{
  GstBuffer *copy = gst_buffer_copy_deep (buf);
  GstVideoFrame frame, orig_frame;
  FaImage img, orig;
  gboolean ok = FALSE;

  if (!gst_video_frame_map (&frame, info, copy, GST_MAP_READWRITE)) {
    g_set_error (error, EVAL_ERROR, 0, "cannot map a copy of '%s' for "
        "writing", im->path);
    gst_buffer_unref (copy);
    return FALSE;
  }
  fa_gst_image_from_frame (&frame, &img);
  fa_anon_paint (ev->anon, &img, &ev->params);

  /* how much of the face's texture the mask leaves, for "does it still
   * look like a blur rather than a flat colour" */
  if (gst_video_frame_map (&orig_frame, info, buf, GST_MAP_READ)) {
    fa_gst_image_from_frame (&orig_frame, &orig);
    for (guint i = 0; i < ev->regions->len; i++) {
      const FaRect *r = &g_array_index (ev->regions, FaRect, i);

      ev->std_before += footprint_std (ev, &orig, r);
      ev->std_after += footprint_std (ev, &img, r);
    }
    gst_video_frame_unmap (&orig_frame);
  }

  if (ev->ref) {
    if (!reference_detect (ev, &img, error))
      goto out;
    for (guint i = 0; i < im->faces->len; i++) {
      GtFace *g = &g_array_index (im->faces, GtFace, i);

      g->score_after = best_match (ev->ref_boxes, g);
      g->found_after = g->score_after > 0.0f;
    }
    ev->ref_in_mask_after += count_in_mask (ev,
        (const FaBox *) ev->ref_boxes->data, ev->ref_boxes->len, img.width,
        img.height);
  }
  ok = TRUE;

out:
  gst_video_frame_unmap (&frame);
  if (ok && ev->save_dir)
    ok = save_png (ev, copy, caps, index, im->path, error);
  gst_buffer_unref (copy);
  return ok;
}

/* CPU time of the whole process: while the detector runs, the decoding
 * pipeline is gone, so this is the detector's, over all its threads. On a
 * busy machine it moves far less than the wall-clock time. */
static gdouble
cpu_ms (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
    return 0.0;
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Paints where the element would write, with its own kernels: solid 255
 * on a GRAY8 canvas, so that box and ellipse footprints are exact. */
static void
paint_footprint (Eval * ev, gint width, gint height, const FaRect * regions,
    guint n_regions)
{
  gsize n_px = (gsize) width * height;
  FaImage canvas = { 0 };
  FaMaskParams footprint;

  if (n_px > ev->canvas_len) {
    g_free (ev->canvas);
    g_free (ev->truth);
    ev->canvas = g_malloc (n_px);
    ev->truth = g_malloc (n_px);
    ev->canvas_len = n_px;
  }
  memset (ev->canvas, 0, n_px);
  canvas.width = width;
  canvas.height = height;
  canvas.model = FA_COLOR_GRAY;
  canvas.n_comps = 1;
  canvas.comp[0].data = ev->canvas;
  canvas.comp[0].pstride = 1;
  canvas.comp[0].stride = width;
  canvas.comp[0].width = width;
  canvas.comp[0].height = height;
  footprint = ev->params.mask;
  footprint.method = FA_METHOD_SOLID;
  footprint.color = 0xffffff;
  fa_masker_apply (ev->masker, &canvas, &footprint, regions, n_regions);
}

/* Coverage of each annotated face, the falsely masked area and the
 * detections that match no face; returns the number of faces covered. */
static guint
score_faces (Eval * ev, EvalImage * im, gint width, gint height,
    const FaBox * faces, guint n_faces)
{
  gsize n_px = (gsize) width * height;
  guint n_covered = 0;

  memset (ev->truth, 0, n_px);

  /* Even a perfect detection masks the padding around the face box, so
   * the area outside the boxes padded as the element pads its detections
   * is what tells false or misplaced masks apart. */
  for (guint i = 0; i < im->faces->len; i++) {
    GtFace *g = &g_array_index (im->faces, GtFace, i);
    FaBox box = { g->x, g->y, g->w, g->h, 1.0f };
    FaRect r;

    if (!fa_mask_region (&box, ev->params.mask.scale, width, height, &r))
      continue;
    /* regions may reach past the frame, for the ellipse's sake */
    r.x0 = MAX (r.x0, 0);
    r.y0 = MAX (r.y0, 0);
    r.x1 = MIN (r.x1, width);
    r.y1 = MIN (r.y1, height);
    for (gint y = r.y0; y < r.y1; y++)
      memset (ev->truth + (gsize) y * width + r.x0, 2, r.x1 - r.x0);
  }

  for (guint i = 0; i < im->faces->len; i++) {
    GtFace *g = &g_array_index (im->faces, GtFace, i);
    FaRect r;
    guint64 under = 0;

    g->inside = face_pixels (g, width, height, &r);
    if (!g->inside) {
      if (!ev->quiet)
        g_printerr ("faceanon-eval: warning: a face of '%s' (%g,%g %gx%g) "
            "lies outside the %dx%d image; it is not counted\n", im->path,
            g->x, g->y, g->w, g->h, width, height);
      continue;
    }
    for (gint y = r.y0; y < r.y1; y++) {
      guint8 *c = ev->canvas + (gsize) y * width;
      guint8 *t = ev->truth + (gsize) y * width;

      for (gint x = r.x0; x < r.x1; x++) {
        under += c[x] != 0;
        t[x] = 1;
      }
    }
    g->coverage = (gdouble) under / ((gdouble) (r.x1 - r.x0) * (r.y1 - r.y0));
    g->covered = g->coverage >= COVERED_FRACTION;
    n_covered += g->covered && !g->invalid;
  }
  for (gsize i = 0; i < n_px; i++) {
    ev->footprint_px += ev->canvas[i] != 0;
    ev->false_px += ev->canvas[i] != 0 && ev->truth[i] != 1;
    ev->far_px += ev->canvas[i] != 0 && ev->truth[i] == 0;
  }

  for (guint d = 0; d < n_faces; d++) {
    gboolean matched = FALSE;

    for (guint i = 0; i < im->faces->len && !matched; i++)
      matched = box_matches (&faces[d], &g_array_index (im->faces, GtFace, i));
    ev->n_unmatched += !matched;
  }
  return n_covered;
}

static gboolean
eval_image (Eval * ev, EvalImage * im, guint index, GError ** error)
{
  GstSample *sample;
  GstBuffer *buf;
  GstCaps *caps;
  GstVideoInfo info;
  GstVideoFrame frame;
  FaImage img;
  const FaFrame still = {.still = TRUE };
  const FaRect *regions;
  const FaBox *faces;
  guint n_regions, n_faces, n_covered = 0;
  gint64 start;
  gdouble ms = 0.0, cpu_start;
  gboolean ok = FALSE;

  sample = fa_still_load (im->path, ev->format, 0, 0, error);
  if (sample == NULL)
    return FALSE;
  buf = gst_sample_get_buffer (sample);
  caps = gst_sample_get_caps (sample);
  if (buf == NULL || caps == NULL || !gst_video_info_from_caps (&info, caps)
      || !gst_video_frame_map (&frame, &info, buf, GST_MAP_READ)) {
    g_set_error (error, EVAL_ERROR, 0, "decoding '%s' gave no usable video "
        "frame", im->path);
    gst_sample_unref (sample);
    return FALSE;
  }
  fa_gst_image_from_frame (&frame, &img);

  /* The network's first run sets itself up; a stream pays that once, so
   * it is kept out of the per-image times. */
  if (index == 0 && !fa_anon_plan (ev->anon, &img, &still, &ev->params, NULL,
          error))
    goto out;

  /* the element's work on a frame, a still one: detect now, every scale */
  cpu_start = cpu_ms ();
  start = g_get_monotonic_time ();
  if (!fa_anon_plan (ev->anon, &img, &still, &ev->params, NULL, error))
    goto out;
  ms = (g_get_monotonic_time () - start) / 1000.0;
  ev->cpu_ms += cpu_ms () - cpu_start;
  g_array_append_val (ev->ms, ms);

  faces = fa_anon_get_faces (ev->anon, &n_faces);
  regions = fa_anon_get_regions (ev->anon, &n_regions);
  g_array_set_size (ev->regions, 0);
  g_array_append_vals (ev->regions, regions, n_regions);
  ev->n_detections += n_faces;

  paint_footprint (ev, img.width, img.height, regions, n_regions);
  n_covered = score_faces (ev, im, img.width, img.height, faces, n_faces);

  if (ev->ref) {
    if (!reference_detect (ev, &img, error))
      goto out;
    for (guint i = 0; i < im->faces->len; i++) {
      GtFace *g = &g_array_index (im->faces, GtFace, i);

      g->score_before = best_match (ev->ref_boxes, g);
      g->found_before = g->score_before > 0.0f;
    }
    ev->ref_in_mask_before += count_in_mask (ev,
        (const FaBox *) ev->ref_boxes->data, ev->ref_boxes->len, img.width,
        img.height);
  }
  ok = TRUE;

out:
  gst_video_frame_unmap (&frame);
  if (ok && (ev->ref || ev->save_dir))
    ok = mask_and_redetect (ev, im, index, buf, &info, caps, error);
  gst_sample_unref (sample);

  if (ok && !ev->quiet) {
    guint n_counted = 0;

    for (guint i = 0; i < im->faces->len; i++)
      n_counted += !g_array_index (im->faces, GtFace, i).invalid;
    g_printerr ("[%3u/%u] %s: %u faces, %u covered, %u detections, "
        "%.1f ms\n", index + 1, ev->images->len, im->path, n_counted,
        n_covered, n_faces, ms);
  }
  return ok;
}

static void
write_csv_rows (Eval * ev, EvalImage * im)
{
  for (guint i = 0; i < im->faces->len; i++) {
    GtFace *g = &g_array_index (im->faces, GtFace, i);

    if (!counted (g))
      continue;
    fprintf (ev->csv_out, "%s,%g,%g,%g,%g,%s,%.4f,%d", im->path, g->x, g->y,
        g->w, g->h, g->flags, g->coverage, g->covered);
    if (ev->ref)
      fprintf (ev->csv_out, ",%d,%d,%.3f,%.3f", g->found_before,
          g->found_after, g->score_before, g->score_after);
    fputc ('\n', ev->csv_out);
  }
}

/* ---- the report ---- */

typedef struct
{
  gchar *metric, *value, *detail;
} Row;

static void
add_row (GArray * rows, const gchar * metric, gchar * value, gchar * detail)
{
  Row r = { g_strdup (metric), value, detail ? detail : g_strdup ("") };

  g_array_append_val (rows, r);
}

static void
add_recall (GArray * rows, const gchar * metric, guint hit, guint n)
{
  add_row (rows, metric, n ? g_strdup_printf ("%.3f", (gdouble) hit / n) :
      g_strdup ("-"), g_strdup_printf ("%u of %u faces", hit, n));
}

static gint
compare_doubles (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return (x > y) - (x < y);
}

static void
print_rows (GArray * rows, gboolean markdown)
{
  gint mw = 0, vw = 0;

  for (guint i = 0; i < rows->len; i++) {
    Row *r = &g_array_index (rows, Row, i);

    mw = MAX (mw, (gint) g_utf8_strlen (r->metric, -1));
    vw = MAX (vw, (gint) g_utf8_strlen (r->value, -1));
  }
  if (markdown)
    g_print ("| metric | value | detail |\n|---|---:|---|\n");
  for (guint i = 0; i < rows->len; i++) {
    Row *r = &g_array_index (rows, Row, i);

    if (markdown)
      g_print ("| %s | %s | %s |\n", r->metric, r->value, r->detail);
    else if (*r->detail == '\0')
      g_print ("%-*s  %*s\n", mw, r->metric, vw, r->value);
    else
      g_print ("%-*s  %*s  %s\n", mw, r->metric, vw, r->value, r->detail);
  }
}

/* Prints the table and returns the overall coverage recall. */
static gdouble
report (Eval * ev, gboolean markdown)
{
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (Row));
  guint n = 0, hit = 0, bn[N_BUCKETS] = { 0 }, bhit[N_BUCKETS] = { 0 };
  guint wn[3] = { 0 }, whit[3] = { 0 }, n_invalid = 0;
  guint ref_covered = 0, ref_before = 0, ref_after = 0, ref_new = 0;
  gdouble recall, mean = 0, median = 0;
  GArray *sorted;
  FaDetector *det = fa_anon_get_detector (ev->anon);

  for (guint i = 0; i < ev->images->len; i++) {
    EvalImage *im = g_ptr_array_index (ev->images, i);

    for (guint j = 0; j < im->faces->len; j++) {
      GtFace *g = &g_array_index (im->faces, GtFace, j);

      n_invalid += g->inside && g->invalid;
      if (!counted (g))
        continue;
      n++;
      hit += g->covered;
      bn[g->bucket]++;
      bhit[g->bucket] += g->covered;
      for (guint k = 0; k < 3; k++) {
        if (g->wider & (1 << k)) {
          wn[k]++;
          whit[k] += g->covered;
        }
      }
      if (g->covered) {
        ref_covered++;
        ref_before += g->found_before;
        ref_after += g->found_after;
        ref_new += g->found_after && !g->found_before;
      }
    }
  }
  recall = n ? (gdouble) hit / n : 0.0;

  sorted = g_array_copy (ev->ms);
  g_array_sort (sorted, compare_doubles);
  for (guint i = 0; i < sorted->len; i++)
    mean += g_array_index (sorted, gdouble, i) / sorted->len;
  if (sorted->len > 0)
    median = sorted->len % 2 ? g_array_index (sorted, gdouble,
        sorted->len / 2) : (g_array_index (sorted, gdouble,
            sorted->len / 2 - 1) + g_array_index (sorted, gdouble,
            sorted->len / 2)) / 2;
  g_array_unref (sorted);

  add_row (rows, "model",
      g_strdup (fa_detector_get_family (det)->name),
      g_path_get_basename (ev->model_path));
  add_row (rows, "settings", g_strdup (""), g_strdup_printf ("%s, on %s "
          "frames", ev->settings, gst_video_format_to_string (ev->format)));
  add_row (rows, "images", g_strdup_printf ("%u", ev->images->len), NULL);
  add_row (rows, "faces", g_strdup_printf ("%u", n), n_invalid ?
      g_strdup_printf ("and %u flagged invalid, left out as WIDER FACE's "
          "own evaluation leaves them", n_invalid) : NULL);
  add_row (rows, "detections", g_strdup_printf ("%u", ev->n_detections),
      g_strdup_printf ("%u matching no annotated face", ev->n_unmatched));
  add_recall (rows, "coverage recall", hit, n);
  for (guint b = 0; b < N_BUCKETS; b++)
    add_recall (rows, bucket_names[b], bhit[b], bn[b]);
  for (guint k = 0; k < 3; k++) {
    gchar *metric;

    if (wn[k] == 0)
      continue;
    metric = g_strdup_printf ("recall, WIDER %s", wider_names[k]);
    add_recall (rows, metric, whit[k], wn[k]);
    g_free (metric);
  }
  add_row (rows, "falsely masked area", g_strdup_printf ("%.3f",
          ev->footprint_px ? (gdouble) ev->false_px / ev->footprint_px :
          0.0), g_strdup_printf ("of %" G_GUINT64_FORMAT " masked pixels "
          "lie outside every face box", ev->footprint_px));
  add_row (rows, "masked area away from faces", g_strdup_printf ("%.3f",
          ev->footprint_px ? (gdouble) ev->far_px / ev->footprint_px :
          0.0), g_strdup_printf ("outside every face box scaled by "
          "mask-scale %g", ev->params.mask.scale));
  if (ev->std_before > 0.0)
    add_row (rows, "texture left under the mask", g_strdup_printf ("%.3f",
            ev->std_after / ev->std_before), g_strdup ("luma std-dev inside "
            "each mask, masked / original: 0 is a flat colour, 1 untouched"));
  add_row (rows, "detection ms, mean", g_strdup_printf ("%.1f", mean),
      g_strdup ("per image, after one warm-up run"));
  add_row (rows, "detection ms, median", g_strdup_printf ("%.1f", median),
      NULL);
  add_row (rows, "detection CPU ms, mean", g_strdup_printf ("%.1f",
          ev->ms->len ? ev->cpu_ms / ev->ms->len : 0.0),
      g_strdup ("per image, all threads: steadier than the above on a busy "
          "machine"));
  if (ev->ref) {
    gchar *size = ev->ref_size > 0 ? g_strdup_printf ("%d", ev->ref_size) :
        g_strdup ("full resolution");
    gchar *base = g_path_get_basename (ev->ref_path);

    add_row (rows, "reference detector",
        g_strdup (fa_detector_get_family (ev->ref)->name),
        g_strdup_printf ("%s at %s, threshold %.2f",
            base, size, ev->ref_threshold));
    g_free (base);
    g_free (size);
    add_row (rows, "faces still found after masking",
        g_strdup_printf ("%u of %u", ref_after, ref_before),
        ref_new ? g_strdup_printf ("(reference finds %u of the %u covered "
            "faces before masking; %u found only after)", ref_before,
            ref_covered, ref_new) :
        g_strdup_printf ("(reference finds %u of the %u covered faces "
            "before masking)", ref_before, ref_covered));
    add_row (rows, "reference hits in masked area",
        g_strdup_printf ("%u", ev->ref_in_mask_after),
        g_strdup_printf ("detections centred under the mask, any face "
            "(before masking: %u)", ev->ref_in_mask_before));
  }

  print_rows (rows, markdown);
  for (guint i = 0; i < rows->len; i++) {
    Row *r = &g_array_index (rows, Row, i);

    g_free (r->metric);
    g_free (r->value);
    g_free (r->detail);
  }
  g_array_unref (rows);
  return recall;
}

/* ---- options ---- */

static gchar *
describe_pspec (GParamSpec * pspec)
{
  /* the element's own words suit these two less well than a short note */
  if (G_IS_PARAM_SPEC_STRING (pspec))
    return g_strdup ("Face detector model file, as the element's 'model' "
        "(default: the best model installed, as the element finds it)");
  if (strcmp (pspec->name, "color") == 0)
    return g_strdup_printf ("%s (default 0x%06x)",
        g_param_spec_get_blurb (pspec),
        G_PARAM_SPEC_UINT (pspec)->default_value);
  return fa_option_describe (pspec);
}

/* FaAnonParams from the element's properties, as the element fills them
 * at the start of each frame. */
static void
params_from_element (GstElement * element, FaAnonParams * params,
    gchar ** settings)
{
  GString *s = g_string_new ("faceanon");

  gst_face_anon_get_params (GST_FACE_ANON (element), params);

  /* in gst-launch syntax, so a measured setting can be pasted */
  for (guint i = 1; i < N_ELEMENT_PROPS; i++) {
    GValue v = G_VALUE_INIT;
    gchar *str;

    g_value_init (&v, g_object_class_find_property (G_OBJECT_GET_CLASS
            (element), element_props[i])->value_type);
    g_object_get_property (G_OBJECT (element), element_props[i], &v);
    if (strcmp (element_props[i], "color") == 0)
      str = g_strdup_printf ("0x%06x", g_value_get_uint (&v));
    else
      str = fa_option_value_string (&v);
    g_string_append_printf (s, " %s=%s", element_props[i], str);
    g_free (str);
    g_value_unset (&v);
  }
  *settings = g_string_free (s, FALSE);
}

static const gchar description[] =
    "Each CSV holds annotated faces, 'image,x,y,w,h,flags' with a header "
    "row;\nimage paths are relative to the CSV's folder unless absolute.\n"
    "\n"
    "Faces flagged 'invalid' (WIDER FACE's) are left out of recall, as\n"
    "WIDER FACE's own evaluation leaves them out; a mask over one is not\n"
    "a false mask.\n"
    "\n"
    "A face counts as covered when at least 80% of its box lies under the\n"
    "mask the element would paint (box or ellipse). --redetect masks each\n"
    "image as the element does and runs a reference detector on it: a\n"
    "strong mask leaves no covered face to be found again.\n"
    "\n"
    "Exit status: 0 on success, 1 when the coverage recall is below\n"
    "--min-recall, 2 on a bad option, an unreadable CSV or image, or a\n"
    "detector failure.\n";

/* The options that are not element properties. */
static gchar *format_arg, *redetect, *csv_out, *save_dir;
static gdouble redetect_threshold = 0.5, min_recall = -1.0;
static gint redetect_size;
static gboolean quiet, markdown;
static gchar **csvs;

static GOptionEntry eval_entries[] = {
  {"format", 0, 0, G_OPTION_ARG_STRING, &format_arg,
      "Video format each image is decoded to before processing, as a "
        "decoder would deliver it (default I420)", "FORMAT"},
  {"redetect", 0, 0, G_OPTION_ARG_FILENAME, &redetect,
      "Mask strength: mask each image, then count the covered faces this "
        "reference detector still finds", "MODEL"},
  {"redetect-threshold", 0, 0, G_OPTION_ARG_DOUBLE, &redetect_threshold,
      "Confidence threshold of the reference detector (default 0.5)", "X"},
  {"redetect-size", 0, 0, G_OPTION_ARG_INT, &redetect_size,
      "Longest side the reference detector works at (default 0: the "
        "image's own, full resolution)", "PIXELS"},
  {"csv-out", 0, 0, G_OPTION_ARG_FILENAME, &csv_out,
      "Write one row per annotated face: coverage, covered and, with "
        "--redetect, found before/after masking", "FILE"},
  {"save-masked", 0, 0, G_OPTION_ARG_FILENAME, &save_dir,
      "Write each image, masked as the element would, as PNG into this "
        "existing folder", "DIR"},
  {"min-recall", 0, 0, G_OPTION_ARG_DOUBLE, &min_recall,
        "Exit with status 1 when the overall coverage recall is below X",
      "X"},
  {"markdown", 0, 0, G_OPTION_ARG_NONE, &markdown,
      "Print the results as a Markdown table", NULL},
  {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      "No per-image progress or warnings on stderr", NULL},
  {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &csvs, NULL,
      "CSV..."},
  {NULL}
};

int
main (int argc, char **argv)
{
  FaPropOptions *props;
  const gchar *model;
  GOptionContext *ctx;
  GObjectClass *klass;
  GstElement *element = NULL;
  GHashTable *by_path = NULL;
  GError *err = NULL;
  Eval ev = { 0 };
  gdouble recall;
  gint ret = EXIT_ERROR;

  gst_init (&argc, &argv);
  klass = g_type_class_ref (GST_TYPE_FACE_ANON);

  props = fa_prop_options_new (klass, element_props, N_ELEMENT_PROPS,
      describe_pspec);
  fa_prop_options_set_arg_description (props, "model", "PATH");

  ctx = g_option_context_new ("- measure how well faceanon hides "
      "annotated faces");
  g_option_context_set_description (ctx, description);
  g_option_context_add_main_entries (ctx,
      fa_prop_options_get_entries (props), NULL);
  g_option_context_add_main_entries (ctx, eval_entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &err))
    goto bad_option;

  if (csvs == NULL || csvs[0] == NULL) {
    g_set_error (&err, EVAL_ERROR, 0, "no annotation CSV given: pass one or "
        "more files such as data/faces/widerface-dev/boxes.csv");
    goto bad_option;
  }
  if (!(redetect_threshold > 0.0 && redetect_threshold <= 1.0)) {
    g_set_error (&err, EVAL_ERROR, 0, "--redetect-threshold %g is not in "
        "(0, 1]", redetect_threshold);
    goto bad_option;
  }
  if (redetect_size != 0 && redetect_size < 32) {
    g_set_error (&err, EVAL_ERROR, 0, "--redetect-size %d is too small: "
        "give 0 (full resolution) or at least 32", redetect_size);
    goto bad_option;
  }
  if (min_recall > 1.0) {
    g_set_error (&err, EVAL_ERROR, 0, "--min-recall %g can never be met: "
        "recall is at most 1", min_recall);
    goto bad_option;
  }
  ev.format = GST_VIDEO_FORMAT_I420;
  if (format_arg) {
    ev.format = gst_video_format_from_string (format_arg);
    if (!fa_gst_format_supported (ev.format)) {
      g_set_error (&err, EVAL_ERROR, 0, "--format %s is not a format the "
          "element takes: use one of %s", format_arg, FA_GST_FORMATS);
      goto bad_option;
    }
  }
  if (save_dir && !g_file_test (save_dir, G_FILE_TEST_IS_DIR)) {
    g_set_error (&err, EVAL_ERROR, 0, "--save-masked %s is not a folder: "
        "create it first", save_dir);
    goto bad_option;
  }

  element = gst_object_ref_sink (g_object_new (GST_TYPE_FACE_ANON, NULL));
  for (guint i = 1; i < N_ELEMENT_PROPS; i++)
    if (!fa_prop_options_set (props, element, element_props[i], &err))
      goto bad_option;
  params_from_element (element, &ev.params, &ev.settings);
  if (ev.params.mask.method == FA_METHOD_DRAW) {
    g_set_error (&err, EVAL_ERROR, 0, "--method draw outlines faces instead "
        "of hiding them: there is no mask to evaluate. Choose gaussian, "
        "pixelate or solid");
    goto bad_option;
  }

  model = fa_prop_options_get_value (props, "model");
  if (model && *model)
    ev.model_path = g_strdup (model);
  else if (!(ev.model_path = fa_model_find_default (&err)))
    goto no_model;

  ev.images = g_ptr_array_new_with_free_func (eval_image_free);
  by_path = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; csvs[i]; i++)
    if (!load_csv (csvs[i], ev.images, by_path, &err))
      goto failed;
  for (guint i = 0; i < ev.images->len; i++) {
    EvalImage *im = g_ptr_array_index (ev.images, i);

    if (!g_file_test (im->path, G_FILE_TEST_IS_REGULAR)) {
      g_set_error (&err, EVAL_ERROR, 0, "image '%s' (%s line %u) does not "
          "exist: correct the path in the CSV (a relative path is read from "
          "the CSV's folder) or install what provides the file", im->path,
          im->csv, im->line);
      goto failed;
    }
  }

  ev.anon = fa_anon_new (ev.model_path, &err);
  if (ev.anon == NULL) {
    g_prefix_error (&err, "--model: ");
    goto failed;
  }
  if (redetect) {
    ev.ref = fa_detector_new (redetect, &err);
    if (ev.ref == NULL) {
      g_prefix_error (&err, "--redetect: ");
      goto failed;
    }
    ev.ref_path = g_strdup (redetect);
    ev.ref_threshold = redetect_threshold;
    ev.ref_size = redetect_size;
  }
  if (csv_out) {
    ev.csv_out = g_fopen (csv_out, "w");
    if (ev.csv_out == NULL) {
      g_set_error (&err, EVAL_ERROR, 0, "cannot write --csv-out '%s': %s",
          csv_out, g_strerror (errno));
      goto failed;
    }
    fprintf (ev.csv_out, "image,x,y,w,h,flags,coverage,covered%s\n",
        ev.ref ? ",found_before,found_after,score_before,score_after" : "");
  }
  ev.save_dir = save_dir;
  ev.quiet = quiet;
  ev.masker = fa_masker_new ();
  ev.regions = g_array_new (FALSE, FALSE, sizeof (FaRect));
  ev.ref_boxes = g_array_new (FALSE, FALSE, sizeof (FaBox));
  ev.ms = g_array_new (FALSE, FALSE, sizeof (gdouble));

  for (guint i = 0; i < ev.images->len; i++) {
    EvalImage *im = g_ptr_array_index (ev.images, i);

    if (!eval_image (&ev, im, i, &err))
      goto failed;
    if (ev.csv_out)
      write_csv_rows (&ev, im);
  }
  recall = report (&ev, markdown);
  ret = EXIT_SUCCESS;
  if (min_recall >= 0.0 && recall < min_recall) {
    g_printerr ("faceanon-eval: coverage recall %.3f is below --min-recall "
        "%g\n", recall, min_recall);
    ret = EXIT_BELOW_MIN_RECALL;
  }

out:
  if (ev.csv_out && fclose (ev.csv_out) != 0) {
    g_printerr ("faceanon-eval: cannot write --csv-out '%s': %s\n", csv_out,
        g_strerror (errno));
    ret = EXIT_ERROR;
  }
  fa_anon_free (ev.anon);
  fa_detector_free (ev.ref);
  fa_masker_free (ev.masker);
  if (ev.images)
    g_ptr_array_unref (ev.images);
  if (by_path)
    g_hash_table_unref (by_path);
  if (ev.regions)
    g_array_unref (ev.regions);
  if (ev.ref_boxes)
    g_array_unref (ev.ref_boxes);
  if (ev.ms)
    g_array_unref (ev.ms);
  g_free (ev.canvas);
  g_free (ev.truth);
  g_free (ev.settings);
  g_free (ev.model_path);
  g_free (ev.ref_path);
  fa_prop_options_free (props);
  g_free (format_arg);
  g_free (redetect);
  g_free (csv_out);
  g_free (save_dir);
  g_strfreev (csvs);
  g_option_context_free (ctx);
  if (element)
    gst_object_unref (element);
  g_type_class_unref (klass);
  gst_deinit ();
  return ret;

  /* ERRORS */
bad_option:
  {
    g_printerr ("faceanon-eval: %s\nRun 'faceanon-eval --help' for the "
        "options.\n", err->message);
    g_clear_error (&err);
    goto out;
  }
no_model:
  {
    g_printerr ("faceanon-eval: %s; or pass --model PATH\n", err->message);
    g_clear_error (&err);
    goto out;
  }
failed:
  {
    g_printerr ("faceanon-eval: %s\n", err->message);
    g_clear_error (&err);
    goto out;
  }
}
