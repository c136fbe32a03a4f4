/* faceanon-eval: video with ground truth, made from the annotated photos
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

/* No video of ours has ground truth, so it is made: the annotated photos,
 * kept at their own scale, are laid out in mosaics of two rows, and a
 * window the size of a video frame pans across each mosaic from left to
 * right. Every frame is the window's view (no copy: the engine reads the
 * mosaic in place), every face box is moved with it, and the frames go
 * through the element's frame work in video mode (fa_anon_plan with
 * timestamps, tracking, tiles spread over frames), one clip after the
 * other, the element reset between clips as on a seek.
 *
 * A face counts on a frame when its box lies wholly in the window. For
 * each frame: which faces the mask covers (by width), how much of the
 * mask lies on no face, and, for a face that came into view during the
 * clip, how many frames it waited for its first mask. The same clips run
 * with the settings given and with a reference: every tile at full
 * resolution on every frame, so that what spreading the tiles over time
 * costs in coverage and saves in CPU shows in one run. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "eval-pan.h"
#include "fa-gst.h"
#include "fa-still.h"

#include <math.h>
#include <string.h>

/* Face widths, the photo buckets with the smallest split at 12 px: the
 * small-face target counts from 12 px. */
#define N_PAN_BUCKETS 6
static const gdouble pan_limits[N_PAN_BUCKETS - 1] = { 12, 16, 32, 64, 128 };

static const gchar *const pan_names[N_PAN_BUCKETS] = {
  "coverage, width <12 px", "coverage, width 12-16 px",
  "coverage, width 16-32 px", "coverage, width 32-64 px",
  "coverage, width 64-128 px", "coverage, width >=128 px"
};

#define MOSAIC_COLUMNS 3
#define MOSAIC_ROWS 2
#define BACKGROUND 128

/* A face of a mosaic, in mosaic pixels. */
typedef struct
{
  FaBox box;
  gint bucket;
  gint first_seen;              /* frame it came wholly into view, or -1 */
  gint first_masked;            /* first frame covered since, or -1 */
  gboolean in_view;             /* on the previous frame */
} PanFace;

/* A mosaic in I420, with its faces. */
typedef struct
{
  gint width, height;
  guint8 *planes[3];
  gint strides[3];
  GArray *faces;                /* PanFace */
} Mosaic;

/* What one setting gave over all clips. */
typedef struct
{
  const gchar *name;
  FaAnonParams params;
  guint64 frames;
  guint64 n[N_PAN_BUCKETS], hit[N_PAN_BUCKETS];
  guint64 footprint_px, false_px;
  gdouble cpu_ms;
  guint64 passes;
  guint rotation;
  /* faces that came into view during a clip */
  guint n_new, n_new_never;
  GArray *waits;                /* gdouble, frames to the first mask */
} PanRun;

static void
mosaic_free (Mosaic * m)
{
  for (guint k = 0; k < 3; k++)
    g_free (m->planes[k]);
  if (m->faces)
    g_array_unref (m->faces);
  memset (m, 0, sizeof (*m));
}

/* Lays photos @first.. (at most MOSAIC_COLUMNS x MOSAIC_ROWS of them) out
 * in rows, each photo at an even offset, on a grey at least the window's
 * size. */
static gboolean
mosaic_make (Mosaic * m, GPtrArray * images, guint first,
    const EvalPanSettings * set, GError ** error)
{
  GstSample *samples[MOSAIC_COLUMNS * MOSAIC_ROWS] = { NULL };
  gint ox[MOSAIC_COLUMNS * MOSAIC_ROWS], oy[MOSAIC_COLUMNS * MOSAIC_ROWS];
  guint n = MIN (images->len - first, MOSAIC_COLUMNS * MOSAIC_ROWS);
  gint row_y = 0, row_h = 0, x = 0, width = 0;
  gboolean ok = FALSE;

  memset (m, 0, sizeof (*m));
  m->faces = g_array_new (FALSE, FALSE, sizeof (PanFace));
  for (guint i = 0; i < n; i++) {
    EvalImage *im = g_ptr_array_index (images, first + i);
    GstVideoInfo info;

    samples[i] = fa_still_load (im->path, GST_VIDEO_FORMAT_I420, 0, 0, error);
    if (samples[i] == NULL
        || !gst_video_info_from_caps (&info,
            gst_sample_get_caps (samples[i]))) {
      if (samples[i])
        g_set_error (error, EVAL_ERROR, 0, "'%s' gave no video frame",
            im->path);
      goto out;
    }
    if (i % MOSAIC_COLUMNS == 0 && i > 0) {
      row_y += (row_h + 1) & ~1;
      row_h = 0;
      x = 0;
    }
    ox[i] = x;
    oy[i] = row_y;
    x += (GST_VIDEO_INFO_WIDTH (&info) + 1) & ~1;
    width = MAX (width, x);
    row_h = MAX (row_h, GST_VIDEO_INFO_HEIGHT (&info));
  }
  m->width = MAX ((width + 1) & ~1, set->width);
  m->height = MAX ((row_y + row_h + 1) & ~1, set->height);
  for (guint k = 0; k < 3; k++) {
    gint w = k ? m->width / 2 : m->width, h = k ? m->height / 2 : m->height;

    m->strides[k] = w;
    m->planes[k] = g_malloc ((gsize) w * h);
    memset (m->planes[k], BACKGROUND, (gsize) w * h);
  }

  for (guint i = 0; i < n; i++) {
    EvalImage *im = g_ptr_array_index (images, first + i);
    GstVideoInfo info;
    GstVideoFrame frame;

    gst_video_info_from_caps (&info, gst_sample_get_caps (samples[i]));
    if (!gst_video_frame_map (&frame, &info,
            gst_sample_get_buffer (samples[i]), GST_MAP_READ)) {
      g_set_error (error, EVAL_ERROR, 0, "cannot read '%s'", im->path);
      goto out;
    }
    for (guint k = 0; k < 3; k++) {
      gint cw = GST_VIDEO_FRAME_COMP_WIDTH (&frame, k);
      gint ch = GST_VIDEO_FRAME_COMP_HEIGHT (&frame, k);
      gint sub = k ? 1 : 0;

      for (gint y = 0; y < ch; y++)
        memcpy (m->planes[k] + (gsize) ((oy[i] >> sub) + y) * m->strides[k]
            + (ox[i] >> sub), GST_VIDEO_FRAME_COMP_DATA (&frame, k) +
            (gsize) y * GST_VIDEO_FRAME_COMP_STRIDE (&frame, k), cw);
    }
    gst_video_frame_unmap (&frame);

    for (guint j = 0; j < im->faces->len; j++) {
      const GtFace *g = &g_array_index (im->faces, GtFace, j);
      PanFace f;

      memset (&f, 0, sizeof (f));

      if (g->invalid)
        continue;
      f.box.x = (gfloat) (ox[i] + g->x);
      f.box.y = (gfloat) (oy[i] + g->y);
      f.box.w = (gfloat) g->w;
      f.box.h = (gfloat) g->h;
      while (f.bucket < N_PAN_BUCKETS - 1 && g->w >= pan_limits[f.bucket])
        f.bucket++;
      f.first_seen = f.first_masked = -1;
      g_array_append_val (m->faces, f);
    }
  }
  ok = TRUE;

out:
  for (guint i = 0; i < n; i++)
    if (samples[i])
      gst_sample_unref (samples[i]);
  if (!ok)
    mosaic_free (m);
  return ok;
}

/* The window at (@wx, @wy) of @m as a frame. */
static void
window_image (const Mosaic * m, const EvalPanSettings * set, gint wx, gint wy,
    FaImage * img)
{
  memset (img, 0, sizeof (*img));
  img->width = set->width;
  img->height = set->height;
  img->model = FA_COLOR_YUV;
  img->matrix = FA_MATRIX_BT601;
  img->n_comps = 3;
  for (guint k = 0; k < 3; k++) {
    gint sub = k ? 1 : 0;
    FaComp *c = &img->comp[k];

    c->data = m->planes[k] + (gsize) (wy >> sub) * m->strides[k] + (wx >> sub);
    c->pstride = 1;
    c->stride = m->strides[k];
    c->width = (set->width + sub) >> sub;
    c->height = (set->height + sub) >> sub;
    c->wsub = c->hsub = sub;
  }
}

/* Scores one frame of @run: the window at @wx, @wy of @m, whose mask the
 * engine planned (@regions). */
static void
score_frame (PanRun * run, EvalCanvas * cv, Mosaic * m,
    const EvalPanSettings * set, gint f, gint wx, gint wy,
    const FaRect * regions, guint n_regions)
{
  gint W = set->width, H = set->height;
  gsize n_px = (gsize) W * H;

  eval_canvas_paint (cv, W, H, &run->params.mask, regions, n_regions);
  /* every face, whole or cut by the window, is face */
  for (guint i = 0; i < m->faces->len; i++) {
    const PanFace *pf = &g_array_index (m->faces, PanFace, i);
    gint x0 = CLAMP ((gint) floor (pf->box.x - wx), 0, W);
    gint y0 = CLAMP ((gint) floor (pf->box.y - wy), 0, H);
    gint x1 = CLAMP ((gint) ceil (pf->box.x + pf->box.w - wx), 0, W);
    gint y1 = CLAMP ((gint) ceil (pf->box.y + pf->box.h - wy), 0, H);

    for (gint y = y0; y < y1; y++)
      memset (cv->truth + (gsize) y * W + x0, 1, x1 - x0);
  }
  for (gsize i = 0; i < n_px; i++) {
    run->footprint_px += cv->canvas[i] != 0;
    run->false_px += cv->canvas[i] != 0 && cv->truth[i] == 0;
  }

  for (guint i = 0; i < m->faces->len; i++) {
    PanFace *pf = &g_array_index (m->faces, PanFace, i);
    gdouble x = pf->box.x - wx, y = pf->box.y - wy;
    gboolean in_view = x >= 0 && y >= 0 && x + pf->box.w <= W
        && y + pf->box.h <= H;
    gint px0, py0, px1, py1;
    guint64 under = 0, area;
    gboolean covered;

    if (!in_view) {
      pf->in_view = FALSE;
      continue;
    }
    /* the pixels whose centres lie in the box */
    px0 = (gint) ceil (x - 0.5);
    py0 = (gint) ceil (y - 0.5);
    px1 = MIN ((gint) ceil (x + pf->box.w - 0.5), W);
    py1 = MIN ((gint) ceil (y + pf->box.h - 0.5), H);
    area = (guint64) MAX (px1 - px0, 0) * MAX (py1 - py0, 0);
    for (gint yy = py0; yy < py1; yy++)
      for (gint xx = px0; xx < px1; xx++)
        under += cv->canvas[(gsize) yy * W + xx] != 0;
    covered = area > 0 && under >= COVERED_FRACTION * area;
    run->n[pf->bucket]++;
    run->hit[pf->bucket] += covered;

    if (!pf->in_view && pf->first_seen < 0 && f > 0)
      pf->first_seen = f;
    if (pf->first_seen >= 0 && pf->first_masked < 0 && covered)
      pf->first_masked = f;
    pf->in_view = TRUE;
  }
}

/* Runs every clip through @run's settings. */
static gboolean
run_clips (PanRun * run, GPtrArray * images, const gchar * model_path,
    const EvalPanSettings * set, GError ** error)
{
  FaAnon *anon = fa_anon_new (model_path, error);
  EvalCanvas cv;
  gboolean ok = FALSE;
  gint64 net_us, net_cpu_us;
  guint64 passes_before = 0, passes_after = 0;
  gboolean warm = FALSE;

  if (anon == NULL)
    return FALSE;
  eval_canvas_init (&cv);
  for (guint first = 0; first < images->len;
      first += MOSAIC_COLUMNS * MOSAIC_ROWS) {
    Mosaic m;
    gint wy, travel;
    guint since = 0;
    gint *held_x = g_newa (gint, set->frames);
    gint64 oldest = 0;
    gint released = 0;          /* frames out of the look-ahead, in order */

    if (!mosaic_make (&m, images, first, set, error))
      goto out;
    wy = ((m.height - set->height) / 2) & ~1;
    travel = m.width - set->width;
    fa_anon_reset (anon);
    for (gint f = 0; f < (gint) set->frames; f++) {
      gint wx = set->frames > 1 ?
          (gint) (((gint64) travel * f / (set->frames - 1))) & ~1 : 0;
      FaFrame fr = { 0 };
      FaImage img;
      const FaRect *regions;
      guint n_regions;
      gdouble c0;

      window_image (&m, set, wx, wy, &img);
      fr.t_ns = (gint64) f *GST_SECOND * set->fps_d / set->fps_n;
      fr.detect = since + 1 >= set->detect_interval;
      /* the network's first run sets itself up: not counted */
      if (!warm) {
        FaFrame still = {.still = TRUE };

        if (!fa_anon_plan (anon, &img, &still, &run->params, NULL, error))
          goto out;
        fa_anon_reset (anon);
        fa_anon_get_net_stats (anon, &passes_before, &net_us, &net_cpu_us);
        warm = TRUE;
      }
      c0 = eval_cpu_ms ();
      if (!fa_anon_plan (anon, &img, &fr, &run->params, &fr.detect, error)) {
        mosaic_free (&m);
        goto out;
      }
      since = fr.detect ? 0 : since + 1;
      if (set->lookahead <= 0) {
        run->cpu_ms += eval_cpu_ms () - c0;
        regions = fa_anon_get_regions (anon, &n_regions);
        score_frame (run, &cv, &m, set, f, wx, wy, regions, n_regions);
        run->frames++;
        continue;
      }
      /* held, as the element holds it, and scored when it leaves */
      fa_anon_hold (anon, fr.t_ns, set->width, set->height, &run->params);
      held_x[f] = wx;
      while (fa_anon_held (anon, &oldest) > 0
          && (fr.t_ns - oldest >= set->lookahead
              || f == (gint) set->frames - 1)) {
        gint g = released++;

        window_image (&m, set, held_x[g], wy, &img);
        fa_anon_release (anon, &img, &run->params);
        regions = fa_anon_get_regions (anon, &n_regions);
        score_frame (run, &cv, &m, set, g, held_x[g], wy, regions, n_regions);
        run->frames++;
      }
      run->cpu_ms += eval_cpu_ms () - c0;
    }
    run->rotation = MAX (run->rotation, fa_anon_get_counts (anon)->rotation);
    for (guint i = 0; i < m.faces->len; i++) {
      const PanFace *pf = &g_array_index (m.faces, PanFace, i);

      if (pf->first_seen < 0 || pf->bucket == 0)
        continue;
      run->n_new++;
      if (pf->first_masked < 0) {
        run->n_new_never++;
      } else {
        gdouble w = pf->first_masked - pf->first_seen;

        g_array_append_val (run->waits, w);
      }
    }
    mosaic_free (&m);
  }
  fa_anon_get_net_stats (anon, &passes_after, &net_us, &net_cpu_us);
  run->passes = passes_after - passes_before;
  ok = TRUE;

out:
  eval_canvas_clear (&cv);
  fa_anon_free (anon);
  return ok;
}

static gchar *
coverage (const PanRun * r, guint b)
{
  return r->n[b] ? g_strdup_printf ("%.3f", (gdouble) r->hit[b] / r->n[b]) :
      g_strdup ("-");
}

static void
add_run_rows (GArray * rows, const PanRun * r, const PanRun * ref)
{
  gdouble waits_mean = 0, waits_max = 0, within = 0;
  gchar *name = g_strdup_printf ("[%s]", r->name);

  eval_table_add (rows, name, g_strdup (""), NULL);
  g_free (name);
  for (guint b = 0; b < N_PAN_BUCKETS; b++) {
    gchar *detail = g_strdup_printf ("%" G_GUINT64_FORMAT " of %"
        G_GUINT64_FORMAT " face-frames", r->hit[b], r->n[b]);

    if (ref && r->n[b] && ref->n[b]) {
      gchar *d = g_strdup_printf ("%s; %+.3f against the reference", detail,
          (gdouble) r->hit[b] / r->n[b] - (gdouble) ref->hit[b] / ref->n[b]);

      g_free (detail);
      detail = d;
    }
    eval_table_add (rows, pan_names[b], coverage (r, b), detail);
  }
  eval_table_add (rows, "falsely masked area", r->footprint_px ?
      g_strdup_printf ("%.3f", (gdouble) r->false_px / r->footprint_px) :
      g_strdup ("-"), g_strdup_printf ("of %" G_GUINT64_FORMAT " masked "
          "pixel-frames lie on no face", r->footprint_px));
  eval_table_add (rows, "CPU ms a frame", g_strdup_printf ("%.1f",
          r->cpu_ms / MAX (r->frames, 1)), ref ? g_strdup_printf ("%.2f of "
          "the reference's", r->cpu_ms / MAX (ref->cpu_ms, 1e-9)) :
      g_strdup ("the process, all threads"));
  eval_table_add (rows, "network passes a frame", g_strdup_printf ("%.2f",
          (gdouble) r->passes / MAX (r->frames, 1)), g_strdup_printf ("a "
          "sweep of the tiles takes %u detection frames", r->rotation));
  for (guint i = 0; i < r->waits->len; i++) {
    gdouble w = g_array_index (r->waits, gdouble, i);

    waits_mean += w / r->waits->len;
    waits_max = MAX (waits_max, w);
    within += w <= MAX (r->rotation, 1);
  }
  eval_table_add (rows, "new faces masked within a sweep",
      r->n_new ? g_strdup_printf ("%.3f", within / r->n_new) :
      g_strdup ("-"), g_strdup_printf ("of %u faces of 12 px and more that "
          "came into view; mean wait %.1f frames, longest %.0f, %u never "
          "masked while in view", r->n_new, waits_mean, waits_max,
          r->n_new_never));
}

gboolean
eval_pan (GPtrArray * images, const gchar * model_path,
    const FaAnonParams * params, const gchar * settings,
    const EvalPanSettings * set, gboolean markdown, GError ** error)
{
  PanRun runs[2] = { {0} };
  GArray *rows;
  gboolean ok = FALSE;

  runs[0].name = "settings";
  runs[0].params = *params;
  /* the reference: every tile at full resolution, every frame */
  runs[1].name = "reference: every tile at full resolution on every frame";
  runs[1].params = *params;
  runs[1].params.min_face_size = FA_TILING_FACE_AT_INPUT;
  runs[1].params.sweep_time = 0;
  for (guint r = 0; r < 2; r++) {
    runs[r].waits = g_array_new (FALSE, FALSE, sizeof (gdouble));
    if ((r == 0 || set->reference)
        && !run_clips (&runs[r], images, model_path, set, error))
      goto out;
  }

  rows = eval_table_new ();
  eval_table_add (rows, "settings", g_strdup (""), g_strdup_printf ("%s, "
          "detect-interval=%u", settings, set->detect_interval));
  eval_table_add (rows, "clips", g_strdup_printf ("%u",
          (images->len + MOSAIC_COLUMNS * MOSAIC_ROWS - 1) /
          (MOSAIC_COLUMNS * MOSAIC_ROWS)), g_strdup_printf ("%u frames "
          "each, %dx%d at %d/%d fps, a window panning across %d x %d "
          "photos", set->frames, set->width, set->height, set->fps_n,
          set->fps_d, MOSAIC_COLUMNS, MOSAIC_ROWS));
  add_run_rows (rows, &runs[0], set->reference ? &runs[1] : NULL);
  if (set->reference)
    add_run_rows (rows, &runs[1], NULL);
  eval_table_print (rows, markdown);
  eval_table_free (rows);
  ok = TRUE;

out:
  for (guint r = 0; r < 2; r++)
    if (runs[r].waits)
      g_array_unref (runs[r].waits);
  return ok;
}
