/* GStreamer faceanon element tests
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

/* The element through GstHarness, on real photos from Debian packages:
 * what a user checks is that the face is hidden (it changed, its detail is
 * gone, a detector no longer finds it), that nothing else changed by a
 * single bit, in every format and stride, that the face is reported as a
 * ROI meta, that a bad model stops the stream with a clear error, and that
 * the properties say what they do and take effect on the next buffer. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#include "fa-gst.h"
#include "fa-anon.h"

#define DEFAULT_THRESHOLD 0.5
#define DEFAULT_MASK_SCALE 1.3
/* Rounding of the ROI meta and of chroma samples: the mask may reach this
 * far past the meta's box scaled by mask-scale. */
#define MASK_SLACK 2

#define ASTRONAUT \
    "/usr/lib/python3/dist-packages/imageio/resources/images/astronaut.png"

typedef struct
{
  gint x, y, w, h;
} Rect;

typedef struct
{
  const gchar *name;
  const gchar *path;
  Rect face;                    /* the face, located by hand */
} Photo;

static const Photo photos[] = {
  {"messi5", "/usr/share/doc/opencv-doc/examples/data/messi5.jpg",
      {225, 92, 34, 39}},
  {"astronaut", ASTRONAUT, {180, 80, 82, 78}},
  {"grace_hopper", "/usr/share/matplotlib/mpl-data/sample_data/"
        "grace_hopper.jpg", {163, 135, 200, 182}},
};

typedef struct
{
  Rect box;
  gdouble confidence;
} Face;

/* ------------------------------------------------------------- helpers */

static GstSample *
load_still (const gchar * path, GstVideoFormat format, gint width, gint height)
{
  GError *err = NULL;
  GstSample *sample;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    fail ("test photo '%s' is missing: install the Debian package that "
        "ships it", path);
  sample = fa_gst_load_still (path, format, width, height, &err);
  fail_unless (sample != NULL, "cannot load '%s': %s", path,
      err ? err->message : "?");
  return sample;
}

static void
info_from_sample (GstSample * sample, GstVideoInfo * info)
{
  fail_unless (gst_video_info_from_caps (info, gst_sample_get_caps (sample)));
}

/* A harness around a fresh faceanon with the given properties set before
 * it starts. */
static GstHarness *
anon_harness_new (GstCaps * caps, const gchar * first_prop, ...)
{
  GstElement *anon = gst_element_factory_make ("faceanon", NULL);
  GstHarness *h;
  va_list args;

  fail_unless (anon != NULL, "faceanon is not in GST_PLUGIN_PATH");
  va_start (args, first_prop);
  if (first_prop)
    g_object_set_valist (G_OBJECT (anon), first_prop, args);
  va_end (args);

  h = gst_harness_new_with_element (anon, "sink", "src");
  gst_object_unref (anon);
  gst_harness_set_src_caps (h, gst_caps_ref (caps));
  return h;
}

/* Runs a copy of @in through @h; the output must have left the element. */
static GstBuffer *
anon_push (GstHarness * h, GstBuffer * in)
{
  GstBuffer *out;

  out = gst_harness_push_and_pull (h, gst_buffer_copy_deep (in));
  fail_unless (out != NULL);
  return out;
}

static GArray *
faces_of (GstBuffer * buf)
{
  GArray *faces = g_array_new (FALSE, FALSE, sizeof (Face));
  GstVideoRegionOfInterestMeta *meta;
  gpointer state = NULL;

  while ((meta = (GstVideoRegionOfInterestMeta *)
          gst_buffer_iterate_meta_filtered (buf, &state,
              GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    GstStructure *s;
    Face f;

    fail_unless_equals_string (g_quark_to_string (meta->roi_type), "face");
    s = gst_video_region_of_interest_meta_get_param (meta, "detection");
    fail_unless (s != NULL, "face meta without a detection structure");
    fail_unless (gst_structure_get_double (s, "confidence", &f.confidence));
    f.box.x = meta->x;
    f.box.y = meta->y;
    f.box.w = meta->w;
    f.box.h = meta->h;
    g_array_append_val (faces, f);
  }
  return faces;
}

static gdouble
rect_iou (const Rect * a, const Rect * b)
{
  gint ix = MIN (a->x + a->w, b->x + b->w) - MAX (a->x, b->x);
  gint iy = MIN (a->y + a->h, b->y + b->h) - MAX (a->y, b->y);
  gdouble inter;

  if (ix <= 0 || iy <= 0)
    return 0.0;
  inter = (gdouble) (ix * iy);
  return inter / ((gdouble) a->w * a->h + (gdouble) b->w * b->h - inter);
}

/* The face meta that best matches @known, or NULL. */
static const Face *
best_match (GArray * faces, const Rect * known, gdouble * iou)
{
  const Face *best = NULL;

  *iou = 0.0;
  for (guint i = 0; i < faces->len; i++) {
    const Face *f = &g_array_index (faces, Face, i);
    gdouble v = rect_iou (&f->box, known);

    if (v > *iou) {
      *iou = v;
      best = f;
    }
  }
  return best;
}

/* The area a face meta's mask may cover: the box scaled about its centre,
 * plus the rounding slack, as [x0, x1) x [y0, y1). */
static Rect
padded_mask (const Rect * box, gdouble scale)
{
  gdouble cx = box->x + box->w / 2.0, cy = box->y + box->h / 2.0;
  gdouble hw = box->w * scale / 2.0 + MASK_SLACK;
  gdouble hh = box->h * scale / 2.0 + MASK_SLACK;
  Rect r;

  r.x = (gint) floor (cx - hw);
  r.y = (gint) floor (cy - hh);
  r.w = (gint) ceil (cx + hw) - r.x;
  r.h = (gint) ceil (cy + hh) - r.y;
  return r;
}

static GArray *
padded_masks (GArray * faces, gdouble scale)
{
  GArray *rects = g_array_new (FALSE, FALSE, sizeof (Rect));

  for (guint i = 0; i < faces->len; i++) {
    Rect r = padded_mask (&g_array_index (faces, Face, i).box, scale);

    g_array_append_val (rects, r);
  }
  return rects;
}

static gboolean
footprint_hits (GArray * rects, gint x0, gint y0, gint x1, gint y1)
{
  for (guint i = 0; i < rects->len; i++) {
    const Rect *r = &g_array_index (rects, Rect, i);

    if (x0 < r->x + r->w && r->x < x1 && y0 < r->y + r->h && r->y < y1)
      return TRUE;
  }
  return FALSE;
}

/* Every byte of @out that is not a colour sample inside one of @rects is
 * the byte of @in: samples outside the masks, alpha and padding bytes of
 * packed pixels, row padding and gaps between planes. Returns the number
 * of bytes compared. */
static gsize
assert_only_masks_changed (const GstVideoInfo * info, GstBuffer * in,
    GstBuffer * out, GArray * rects)
{
  const GstVideoFormatInfo *finfo = info->finfo;
  guint n_colour = GST_VIDEO_FORMAT_INFO_IS_GRAY (finfo) ? 1 : 3;
  GstMapInfo im, om;
  guint8 *may_change;
  gsize compared = 0;

  fail_unless (gst_buffer_map (in, &im, GST_MAP_READ));
  fail_unless (gst_buffer_map (out, &om, GST_MAP_READ));
  fail_unless_equals_uint64 (im.size, om.size);
  may_change = g_malloc0 (im.size);

  for (guint c = 0; c < n_colour; c++) {
    gint ws = GST_VIDEO_FORMAT_INFO_W_SUB (finfo, c);
    gint hs = GST_VIDEO_FORMAT_INFO_H_SUB (finfo, c);
    gint plane = GST_VIDEO_INFO_COMP_PLANE (info, c);
    gsize base = GST_VIDEO_INFO_PLANE_OFFSET (info, plane) +
        GST_VIDEO_INFO_COMP_POFFSET (info, c);
    gint stride = GST_VIDEO_INFO_PLANE_STRIDE (info, plane);
    gint pstride = GST_VIDEO_INFO_COMP_PSTRIDE (info, c);

    for (gint y = 0; y < GST_VIDEO_INFO_COMP_HEIGHT (info, c); y++)
      for (gint x = 0; x < GST_VIDEO_INFO_COMP_WIDTH (info, c); x++)
        if (footprint_hits (rects, x << ws, y << hs, (x + 1) << ws,
                (y + 1) << hs))
          may_change[base + (gsize) y * stride + (gsize) x * pstride] = 1;
  }

  for (gsize i = 0; i < im.size; i++) {
    if (may_change[i])
      continue;
    if (im.data[i] != om.data[i])
      fail ("%s %dx%d: byte %" G_GSIZE_FORMAT " (outside every mask, or "
          "not a colour sample) changed from %u to %u",
          GST_VIDEO_INFO_NAME (info), GST_VIDEO_INFO_WIDTH (info),
          GST_VIDEO_INFO_HEIGHT (info), i, im.data[i], om.data[i]);
    compared++;
  }

  g_free (may_change);
  gst_buffer_unmap (in, &im);
  gst_buffer_unmap (out, &om);
  return compared;
}

/* @buf as packed 8-bit RGB, width * 3 bytes a row, through the same
 * GstVideoConverter as videoconvert. */
static guint8 *
to_rgb (const GstVideoInfo * info, GstBuffer * buf)
{
  gint w = GST_VIDEO_INFO_WIDTH (info), h = GST_VIDEO_INFO_HEIGHT (info);
  GstVideoInfo rgb_info;
  GstVideoFrame src, dst;
  GstBuffer *rgb_buf;
  GstVideoConverter *conv;
  guint8 *rgb = g_malloc ((gsize) w * h * 3);

  gst_video_info_set_format (&rgb_info, GST_VIDEO_FORMAT_RGB, w, h);
  rgb_buf = gst_buffer_new_allocate (NULL, rgb_info.size, NULL);
  fail_unless (gst_video_frame_map (&src, info, buf, GST_MAP_READ));
  fail_unless (gst_video_frame_map (&dst, &rgb_info, rgb_buf, GST_MAP_WRITE));
  conv = gst_video_converter_new ((GstVideoInfo *) info, &rgb_info, NULL);
  fail_unless (conv != NULL);
  gst_video_converter_frame (conv, &src, &dst);
  gst_video_converter_free (conv);
  for (gint y = 0; y < h; y++)
    memcpy (rgb + (gsize) y * w * 3, (guint8 *) GST_VIDEO_FRAME_PLANE_DATA
        (&dst, 0) + (gsize) y * GST_VIDEO_FRAME_PLANE_STRIDE (&dst, 0),
        (gsize) w * 3);
  gst_video_frame_unmap (&src);
  gst_video_frame_unmap (&dst);
  gst_buffer_unref (rgb_buf);
  return rgb;
}

/* Luma-like value of a packed RGB pixel. */
static inline gdouble
rgb_luma (const guint8 * rgb, gint w, gint x, gint y)
{
  const guint8 *p = rgb + 3 * ((gsize) y * w + x);

  return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
}

/* Detail in @r: the mean squared difference between neighbouring pixels. */
static gdouble
detail_energy (const guint8 * rgb, gint w, const Rect * r)
{
  gdouble sum = 0.0;
  gsize n = 0;

  for (gint y = r->y; y < r->y + r->h - 1; y++) {
    for (gint x = r->x; x < r->x + r->w - 1; x++) {
      gdouble v = rgb_luma (rgb, w, x, y);
      gdouble dx = rgb_luma (rgb, w, x + 1, y) - v;
      gdouble dy = rgb_luma (rgb, w, x, y + 1) - v;

      sum += dx * dx + dy * dy;
      n++;
    }
  }
  return sum / MAX (n, 1);
}

static gdouble
mean_abs_diff (const guint8 * a, const guint8 * b, gint w, const Rect * r)
{
  gdouble sum = 0.0;

  for (gint y = r->y; y < r->y + r->h; y++)
    for (gint x = r->x; x < r->x + r->w; x++)
      for (gint k = 0; k < 3; k++) {
        gsize i = 3 * ((gsize) y * w + x) + k;
        sum += ABS ((gint) a[i] - (gint) b[i]);
      }
  return sum / (3.0 * r->w * r->h);
}

/* The pixels whose colour changed by more than @threshold in some channel
 * (@luma_only: in luma): their bounding box and count. */
typedef struct
{
  gint x0, y0, x1, y1;          /* [x0, x1) x [y0, y1), empty if x1 <= x0 */
  gsize area;
} Footprint;

static Footprint
footprint (const guint8 * a, const guint8 * b, gint w, gint h, gint threshold,
    gboolean luma_only)
{
  Footprint f = { w, h, 0, 0, 0 };

  for (gint y = 0; y < h; y++) {
    for (gint x = 0; x < w; x++) {
      const guint8 *p = a + 3 * ((gsize) y * w + x);
      const guint8 *q = b + 3 * ((gsize) y * w + x);

      gboolean changed;

      if (luma_only)
        changed = fabs (rgb_luma (a, w, x, y) - rgb_luma (b, w, x, y)) >
            threshold;
      else
        changed = ABS (p[0] - q[0]) > threshold
            || ABS (p[1] - q[1]) > threshold || ABS (p[2] - q[2]) > threshold;
      if (changed) {
        f.x0 = MIN (f.x0, x);
        f.y0 = MIN (f.y0, y);
        f.x1 = MAX (f.x1, x + 1);
        f.y1 = MAX (f.y1, y + 1);
        f.area++;
      }
    }
  }
  return f;
}

/* The default detector, on its own: the faces in @buf at @size and
 * @threshold. */
static GArray *
detect (const GstVideoInfo * info, GstBuffer * buf, const gchar * model,
    gint size, gfloat threshold)
{
  GError *err = NULL;
  gchar *path = model ? g_strdup (model) : fa_model_find_default (&err);
  FaDetector *det;
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (FaBox));
  GstVideoFrame frame;
  FaImage img;

  fail_unless (path != NULL, "%s", err ? err->message : "?");
  det = fa_detector_new (path, &err);
  fail_unless (det != NULL, "%s", err ? err->message : "?");
  fail_unless (gst_video_frame_map (&frame, info, buf, GST_MAP_READ));
  fa_gst_image_from_frame (&frame, &img);
  fail_unless (fa_detector_detect (det, &img, size, threshold, boxes, &err),
      "%s", err ? err->message : "?");
  gst_video_frame_unmap (&frame);
  fa_detector_free (det);
  g_free (path);
  return boxes;
}

/* How many of @boxes overlap @known at all; their best score in @score. */
static guint
count_at (GArray * boxes, const Rect * known, gfloat * score)
{
  guint n = 0;

  *score = 0.f;
  for (guint i = 0; i < boxes->len; i++) {
    const FaBox *b = &g_array_index (boxes, FaBox, i);
    Rect r = { (gint) b->x, (gint) b->y, (gint) b->w, (gint) b->h };

    if (rect_iou (&r, known) > 0.1) {
      n++;
      *score = MAX (*score, b->score);
    }
  }
  return n;
}

static void
assert_not_redetected (const Photo * photo, const GstVideoInfo * info,
    GstBuffer * out, const gchar * model, gint size, gfloat threshold)
{
  GArray *boxes = detect (info, out, model, size, threshold);
  gfloat score;
  guint n = count_at (boxes, &photo->face, &score);

  fail_unless (n == 0, "%s %s: %s finds the masked face again (score %.2f; "
      "detection-size %d, threshold %.2f)", photo->name,
      GST_VIDEO_INFO_NAME (info), model ? model : "the default model", score,
      size, threshold);
  g_array_unref (boxes);
}

/* ---------------------------------------------------------- real photos */

static const GstVideoFormat photo_formats[] = {
  GST_VIDEO_FORMAT_RGB, GST_VIDEO_FORMAT_I420
};

GST_START_TEST (test_photo_face_hidden)
{
  const Photo *photo = &photos[__i__ / G_N_ELEMENTS (photo_formats)];
  GstVideoFormat format = photo_formats[__i__ % G_N_ELEMENTS (photo_formats)];
  GstSample *sample = load_still (photo->path, format, 0, 0);
  GstBuffer *in = gst_sample_get_buffer (sample), *out;
  GstVideoInfo info;
  GstHarness *h;
  GArray *faces, *masks, *boxes;
  const Face *face;
  gdouble iou, diff, e_in, e_out;
  guint8 *rgb_in, *rgb_out;
  gint w, full;
  gfloat score;

  info_from_sample (sample, &info);
  w = GST_VIDEO_INFO_WIDTH (&info);
  full = MAX (w, GST_VIDEO_INFO_HEIGHT (&info));
  h = anon_harness_new (gst_sample_get_caps (sample), NULL);
  out = anon_push (h, in);

  /* the face is reported, where it is, with a confidence that passed */
  faces = faces_of (out);
  face = best_match (faces, &photo->face, &iou);
  GST_INFO ("%s %s: %u faces, best IoU %.2f", photo->name,
      GST_VIDEO_INFO_NAME (&info), faces->len, iou);
  fail_unless (face != NULL && iou >= 0.4,
      "%s: no face meta on the face (%u metas, best IoU %.2f)",
      photo->name, faces->len, iou);
  fail_unless (face->confidence >= DEFAULT_THRESHOLD
      && face->confidence <= 1.0, "confidence %f", face->confidence);

  /* the face changed strongly and lost its detail */
  rgb_in = to_rgb (&info, in);
  rgb_out = to_rgb (&info, out);
  diff = mean_abs_diff (rgb_in, rgb_out, w, &photo->face);
  e_in = detail_energy (rgb_in, w, &photo->face);
  e_out = detail_energy (rgb_out, w, &photo->face);
  GST_INFO ("%s %s: mean abs diff %.1f, detail %.1f -> %.2f (/%.0f)",
      photo->name, GST_VIDEO_INFO_NAME (&info), diff, e_in, e_out,
      e_in / MAX (e_out, 1e-6));
  fail_unless (diff >= 12.0, "%s: the face changed by %.1f on average only",
      photo->name, diff);
  fail_unless (e_out * 30.0 < e_in, "%s: the face kept its detail "
      "(%.1f -> %.1f)", photo->name, e_in, e_out);

  /* nothing outside the masks changed by a single bit */
  masks = padded_masks (faces, DEFAULT_MASK_SCALE);
  assert_only_masks_changed (&info, in, out, masks);

  /* the detector finds the face in the input, at full resolution... */
  boxes = detect (&info, in, NULL, full, DEFAULT_THRESHOLD);
  fail_unless (count_at (boxes, &photo->face, &score) >= 1);
  g_array_unref (boxes);

  /* ...but no longer in the output, at the element's default threshold:
   * at its default detection-size, at full resolution and at half of it */
  assert_not_redetected (photo, &info, out, NULL, 640, DEFAULT_THRESHOLD);
  assert_not_redetected (photo, &info, out, NULL, full, DEFAULT_THRESHOLD);
  assert_not_redetected (photo, &info, out, NULL, full / 2, DEFAULT_THRESHOLD);

  g_free (rgb_in);
  g_free (rgb_out);
  g_array_unref (masks);
  g_array_unref (faces);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
  gst_sample_unref (sample);
}

GST_END_TEST;

/* A second, independent detector (YuNet-n, if models/fetch-models.sh
 * installed it) finds no face on the masked photos either. */
GST_START_TEST (test_photo_other_detector)
{
  const Photo *photo = &photos[__i__];
  const gchar *dir = g_getenv ("FACEANON_MODEL_DIR");
  gchar *model = g_build_filename (dir ? dir : ".", "yunet_n_640_640.onnx",
      NULL);
  GstSample *sample;
  GstBuffer *in, *out;
  GstVideoInfo info;
  GstHarness *h;
  GArray *boxes;
  gfloat score;
  gint full;

  if (!g_file_test (model, G_FILE_TEST_IS_REGULAR)) {
    GST_WARNING ("%s is not installed: skipping", model);
    g_free (model);
    return;
  }
  sample = load_still (photo->path, GST_VIDEO_FORMAT_I420, 0, 0);
  in = gst_sample_get_buffer (sample);
  info_from_sample (sample, &info);
  full = MAX (GST_VIDEO_INFO_WIDTH (&info), GST_VIDEO_INFO_HEIGHT (&info));

  boxes = detect (&info, in, model, full, DEFAULT_THRESHOLD);
  fail_unless (count_at (boxes, &photo->face, &score) >= 1,
      "YuNet-n does not find the face of the input");
  g_array_unref (boxes);

  h = anon_harness_new (gst_sample_get_caps (sample), NULL);
  out = anon_push (h, in);
  assert_not_redetected (photo, &info, out, model, full, DEFAULT_THRESHOLD);
  assert_not_redetected (photo, &info, out, model, full / 2, DEFAULT_THRESHOLD);

  gst_buffer_unref (out);
  gst_harness_teardown (h);
  gst_sample_unref (sample);
  g_free (model);
}

GST_END_TEST;

/* A frame without a face leaves the element untouched and unannotated. */
GST_START_TEST (test_no_face_untouched)
{
  GstVideoInfo info;
  GstBuffer *in, *out;
  GstHarness *h;
  GstCaps *caps;
  GstMapInfo map;
  GArray *faces;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, 385, 289);
  caps = gst_video_info_to_caps (&info);
  in = gst_buffer_new_allocate (NULL, info.size, NULL);
  fail_unless (gst_buffer_map (in, &map, GST_MAP_WRITE));
  for (gsize i = 0; i < map.size; i++)
    map.data[i] = (guint8) ((i * 7) ^ (i >> 9));
  gst_buffer_unmap (in, &map);

  h = anon_harness_new (caps, NULL);
  out = anon_push (h, in);
  faces = faces_of (out);
  fail_unless_equals_int (faces->len, 0);
  {
    GArray *none = g_array_new (FALSE, FALSE, sizeof (Rect));

    assert_only_masks_changed (&info, in, out, none);
    g_array_unref (none);
  }

  g_array_unref (faces);
  gst_buffer_unref (out);
  gst_buffer_unref (in);
  gst_caps_unref (caps);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ------------------------------------------- every format, odd strides */

static const GstVideoFormat all_formats[] = {
  GST_VIDEO_FORMAT_I420, GST_VIDEO_FORMAT_YV12, GST_VIDEO_FORMAT_NV12,
  GST_VIDEO_FORMAT_NV21, GST_VIDEO_FORMAT_Y42B, GST_VIDEO_FORMAT_Y444,
  GST_VIDEO_FORMAT_RGB, GST_VIDEO_FORMAT_BGR, GST_VIDEO_FORMAT_RGBx,
  GST_VIDEO_FORMAT_BGRx, GST_VIDEO_FORMAT_xRGB, GST_VIDEO_FORMAT_xBGR,
  GST_VIDEO_FORMAT_RGBA, GST_VIDEO_FORMAT_BGRA, GST_VIDEO_FORMAT_ARGB,
  GST_VIDEO_FORMAT_ABGR, GST_VIDEO_FORMAT_GRAY8
};

static const struct
{
  gint w, h;
} odd_sizes[] = {
  {385, 289}, {386, 290}
};

/* The same frame with every row padded by an odd number of bytes and a
 * gap before every plane, the padding filled with a pattern. */
static GstBuffer *
repack_padded (const GstVideoInfo * info, GstBuffer * buf,
    GstVideoInfo * padded)
{
  GstVideoFrame src, dst;
  GstBuffer *out;
  gsize offset = 0;

  *padded = *info;
  for (guint p = 0; p < GST_VIDEO_INFO_N_PLANES (info); p++) {
    gint stride = GST_VIDEO_INFO_PLANE_STRIDE (info, p) + 13 + 4 * p;
    gint rows = 0;

    for (guint c = 0; c < GST_VIDEO_INFO_N_COMPONENTS (info); c++)
      if (GST_VIDEO_INFO_COMP_PLANE (info, c) == p)
        rows = MAX (rows, GST_VIDEO_INFO_COMP_HEIGHT (info, c));

    offset += 29;               /* gap before the plane */
    padded->stride[p] = stride;
    padded->offset[p] = offset;
    offset += rows * (gsize) stride;
  }
  padded->size = offset + 31;   /* and after the last */

  out = gst_buffer_new_allocate (NULL, padded->size, NULL);
  gst_buffer_memset (out, 0, 0xa5, padded->size);
  gst_buffer_add_video_meta_full (out, GST_VIDEO_FRAME_FLAG_NONE,
      GST_VIDEO_INFO_FORMAT (padded), GST_VIDEO_INFO_WIDTH (padded),
      GST_VIDEO_INFO_HEIGHT (padded), GST_VIDEO_INFO_N_PLANES (padded),
      padded->offset, padded->stride);
  fail_unless (gst_video_frame_map (&src, info, buf, GST_MAP_READ));
  fail_unless (gst_video_frame_map (&dst, padded, out, GST_MAP_WRITE));
  fail_unless (gst_video_frame_copy (&dst, &src));

  /* alpha and x bytes come out of videoconvert opaque; make them a pattern
   * no fill colour or blur would reproduce */
  if (GST_VIDEO_INFO_COMP_PSTRIDE (info, 0) == 4) {
    guint8 *data = GST_VIDEO_FRAME_PLANE_DATA (&dst, 0);
    gint stride = GST_VIDEO_FRAME_PLANE_STRIDE (&dst, 0);
    guint colour = (1 << GST_VIDEO_INFO_COMP_POFFSET (info, 0)) |
        (1 << GST_VIDEO_INFO_COMP_POFFSET (info, 1)) |
        (1 << GST_VIDEO_INFO_COMP_POFFSET (info, 2));

    for (gint y = 0; y < GST_VIDEO_INFO_HEIGHT (info); y++)
      for (gint x = 0; x < GST_VIDEO_INFO_WIDTH (info); x++)
        for (gint b = 0; b < 4; b++)
          if (!(colour & (1 << b)))
            data[(gsize) y * stride + 4 * x + b] = (guint8) (x * 7 + y * 3);
  }
  gst_video_frame_unmap (&src);
  gst_video_frame_unmap (&dst);
  return out;
}

typedef struct
{
  Footprint fp;
  guint n_faces;
} FormatRun;

/* The regions @element masks in @buf, computed by the engine it is built
 * on, with the element's own settings, as Rects. */
static GArray *
engine_regions (GstElement * element, const GstVideoInfo * info,
    GstBuffer * buf)
{
  FaAnonParams params;
  gint method, shape;
  gdouble scale, blur_factor;
  guint blocks, color;
  gfloat threshold;
  gint detection_size;
  GArray *rects = g_array_new (FALSE, FALSE, sizeof (Rect));
  GError *err = NULL;
  gchar *path = fa_model_find_default (&err);
  FaAnon *anon;
  GstVideoFrame frame;
  const FaRect *regions;
  guint n;
  FaImage img;

  memset (&params, 0, sizeof (params));
  g_object_get (element, "method", &method, "mask-shape", &shape,
      "mask-scale", &scale, "blur-factor", &blur_factor, "blocks", &blocks,
      "color", &color, "confidence-threshold", &threshold, "detection-size",
      &detection_size, NULL);
  params.mask.method = (FaMethod) method;
  params.mask.shape = (FaShape) shape;
  params.mask.scale = scale;
  params.mask.blur_factor = blur_factor;
  params.mask.blocks = blocks;
  params.mask.color = color;
  params.threshold = threshold;
  params.detection_size = detection_size;
  /* settings the element does not expose stay 0, which is "off" */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (element),
          "min-face-size"))
    g_object_get (element, "min-face-size", &params.min_face_size, NULL);

  fail_unless (path != NULL, "%s", err ? err->message : "?");
  anon = fa_anon_new (path, &err);
  fail_unless (anon != NULL, "%s", err ? err->message : "?");
  fail_unless (gst_video_frame_map (&frame, info, buf, GST_MAP_READ));
  fa_gst_image_from_frame (&frame, &img);
  fail_unless (fa_anon_detect (anon, &img, &params, &err), "%s",
      err ? err->message : "?");
  gst_video_frame_unmap (&frame);
  regions = fa_anon_get_regions (anon, &n);
  for (guint i = 0; i < n; i++) {
    Rect r = { regions[i].x0, regions[i].y0, regions[i].x1 - regions[i].x0,
      regions[i].y1 - regions[i].y0
    };

    g_array_append_val (rects, r);
  }
  fa_anon_free (anon);
  g_free (path);
  return rects;
}

/* Every colour sample that covers a pixel of @rects holds one value per
 * component: the fill. */
static void
assert_filled (const GstVideoInfo * info, GstBuffer * buf, GArray * rects)
{
  const GstVideoFormatInfo *finfo = info->finfo;
  guint n_colour = GST_VIDEO_FORMAT_INFO_IS_GRAY (finfo) ? 1 : 3;
  GstVideoFrame frame;

  fail_unless (gst_video_frame_map (&frame, info, buf, GST_MAP_READ));
  for (guint c = 0; c < n_colour; c++) {
    gint ws = GST_VIDEO_FORMAT_INFO_W_SUB (finfo, c);
    gint hs = GST_VIDEO_FORMAT_INFO_H_SUB (finfo, c);
    const guint8 *data = GST_VIDEO_FRAME_COMP_DATA (&frame, c);
    gint stride = GST_VIDEO_FRAME_COMP_STRIDE (&frame, c);
    gint pstride = GST_VIDEO_FRAME_COMP_PSTRIDE (&frame, c);
    gint fill = -1;

    for (gint y = 0; y < GST_VIDEO_FRAME_COMP_HEIGHT (&frame, c); y++)
      for (gint x = 0; x < GST_VIDEO_FRAME_COMP_WIDTH (&frame, c); x++) {
        gint v = data[(gsize) y * stride + (gsize) x * pstride];

        if (!footprint_hits (rects, x << ws, y << hs, (x + 1) << ws,
                (y + 1) << hs))
          continue;
        if (fill < 0)
          fill = v;
        else if (v != fill)
          fail ("%s: component %u sample (%d, %d) of the face region is %d, "
              "not the fill %d", GST_VIDEO_INFO_NAME (info), c, x, y, v, fill);
      }
    fail_unless (fill >= 0);
  }
  gst_video_frame_unmap (&frame);
}

/* Anonymizes astronaut at @w x @h in @format with @method; checks the
 * native bytes and returns the footprint of the change in RGB. */
static FormatRun
run_format (GstVideoFormat format, gint w, gint h, const gchar * method,
    gboolean padded_strides, gboolean luma_only)
{
  GstSample *sample = load_still (ASTRONAUT, format, w, h);
  GstVideoInfo info, padded;
  GstBuffer *in, *out;
  GstHarness *harness;
  GArray *faces, *masks;
  guint8 *rgb_in, *rgb_out;
  FormatRun run;

  info_from_sample (sample, &info);
  fail_unless_equals_int (GST_VIDEO_INFO_FORMAT (&info), format);
  fail_unless_equals_int (GST_VIDEO_INFO_WIDTH (&info), w);
  if (padded_strides) {
    in = repack_padded (&info, gst_sample_get_buffer (sample), &padded);
  } else {
    in = gst_buffer_ref (gst_sample_get_buffer (sample));
    padded = info;
  }

  harness = anon_harness_new (gst_sample_get_caps (sample), NULL);
  gst_util_set_object_arg (G_OBJECT (harness->element), "method", method);
  /* a colour no face pixel is near, in every format, and none of whose
   * components is 0 or 255 */
  g_object_set (harness->element, "color", 0xf018e0, NULL);
  out = anon_push (harness, in);

  faces = faces_of (out);
  run.n_faces = faces->len;
  masks = padded_masks (faces, DEFAULT_MASK_SCALE);
  assert_only_masks_changed (&padded, in, out, masks);
  g_array_unref (masks);

  /* the engine, asked on its own, gives the exact regions: nothing outside
   * them changed either, and a solid fill covers them whole, chroma
   * included */
  masks = engine_regions (harness->element, &padded, in);
  fail_unless_equals_int (masks->len, faces->len);
  assert_only_masks_changed (&padded, in, out, masks);
  if (g_str_equal (method, "solid"))
    assert_filled (&padded, out, masks);

  rgb_in = to_rgb (&padded, in);
  rgb_out = to_rgb (&padded, out);
  run.fp = footprint (rgb_in, rgb_out, w, h, 24, luma_only);

  g_free (rgb_in);
  g_free (rgb_out);
  g_array_unref (masks);
  g_array_unref (faces);
  gst_buffer_unref (out);
  gst_buffer_unref (in);
  gst_harness_teardown (harness);
  gst_sample_unref (sample);
  return run;
}

GST_START_TEST (test_formats_odd_sizes)
{
  static const gchar *methods[] = { "solid", "gaussian" };
  GstVideoFormat format = all_formats[__i__ / G_N_ELEMENTS (odd_sizes)];
  gint w = odd_sizes[__i__ % G_N_ELEMENTS (odd_sizes)].w;
  gint h = odd_sizes[__i__ % G_N_ELEMENTS (odd_sizes)].h;

  /* grey frames can only show a change of luma; the detector also sees a
   * different picture in them, so its box may move a little further */
  gboolean grey = format == GST_VIDEO_FORMAT_GRAY8;
  gint tolerance = grey ? 6 : 4;

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++) {
    FormatRun run, ref;
    gdouble ratio;

    run = run_format (format, w, h, methods[m], TRUE, grey);
    fail_unless (run.n_faces == 1, "%s %dx%d %s: %u faces",
        gst_video_format_to_string (format), w, h, methods[m], run.n_faces);
    ref = run_format (GST_VIDEO_FORMAT_RGB, w, h, methods[m], FALSE, grey);

    GST_INFO ("%s %dx%d %s: %u faces, footprint [%d,%d)x[%d,%d) %"
        G_GSIZE_FORMAT " px; RGB [%d,%d)x[%d,%d) %" G_GSIZE_FORMAT " px",
        gst_video_format_to_string (format), w, h, methods[m], run.n_faces,
        run.fp.x0, run.fp.x1, run.fp.y0, run.fp.y1, run.fp.area, ref.fp.x0,
        ref.fp.x1, ref.fp.y0, ref.fp.y1, ref.fp.area);

    fail_unless_equals_int (ref.n_faces, 1);
    /* the RGB path masks a face-sized area */
    fail_unless (ref.fp.area > 50 * 50, "RGB footprint %" G_GSIZE_FORMAT,
        ref.fp.area);

    fail_unless (ABS (run.fp.x0 - ref.fp.x0) <= tolerance
        && ABS (run.fp.x1 - ref.fp.x1) <= tolerance
        && ABS (run.fp.y0 - ref.fp.y0) <= tolerance
        && ABS (run.fp.y1 - ref.fp.y1) <= tolerance,
        "%s %dx%d %s: footprint [%d,%d)x[%d,%d), RGB's [%d,%d)x[%d,%d)",
        gst_video_format_to_string (format), w, h, methods[m], run.fp.x0,
        run.fp.x1, run.fp.y0, run.fp.y1, ref.fp.x0, ref.fp.x1, ref.fp.y0,
        ref.fp.y1);
    ratio = (gdouble) run.fp.area / ref.fp.area;
    fail_unless (ratio > 0.85 && ratio < 1.15,
        "%s %dx%d %s: masked %" G_GSIZE_FORMAT " px, RGB %" G_GSIZE_FORMAT,
        gst_video_format_to_string (format), w, h, methods[m], run.fp.area,
        ref.fp.area);
  }
}

GST_END_TEST;

/* ----------------------------------------------------------- bad models */

/* Each way a model can be unusable, and what the error must say about it
 * besides its path. */
static const struct
{
  const gchar *kind;
  const gchar *reason;
} bad_models[] = {
  {"missing", "does not exist"},
  {"corrupt", "could not load"},
  {"directory", "not a regular file"},
  {"unknown-extension", "not a model file"},
  {"none-installed", "fetch-models.sh"},
};

static GstPadProbeReturn
count_buffers (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  g_atomic_int_inc ((gint *) user_data);
  return GST_PAD_PROBE_OK;
}

/* TRUE if a model is installed where the element looks after
 * $FACEANON_MODEL_DIR. */
static gboolean
model_installed (void)
{
  for (guint i = 0; fa_model_preference[i]; i++) {
    gchar *path = g_build_filename (FACEANON_MODEL_DIR,
        fa_model_preference[i], NULL);
    gboolean found = g_file_test (path, G_FILE_TEST_EXISTS);

    g_free (path);
    if (found)
      return TRUE;
  }
  return FALSE;
}

GST_START_TEST (test_bad_model)
{
  const gchar *kind = bad_models[__i__].kind;
  gchar *dir = g_dir_make_tmp ("faceanon-XXXXXX", NULL);
  gchar *path = NULL, *text;
  GstElement *pipeline, *anon;
  GstStateChangeReturn ret;
  GstMessage *msg;
  GstBus *bus;
  GstPad *src;
  GError *err = NULL;
  gchar *debug = NULL;
  gint buffers = 0;

  fail_unless (dir != NULL);
  if (g_str_equal (kind, "missing")) {
    path = g_strdup ("/nonexistent/x.onnx");
  } else if (g_str_equal (kind, "corrupt")) {
    static const gchar junk[] = "not a protobuf \xff\xfe\x00\x01 at all";

    path = g_build_filename (dir, "junk.onnx", NULL);
    fail_unless (g_file_set_contents (path, junk, sizeof (junk), NULL));
  } else if (g_str_equal (kind, "directory")) {
    path = g_build_filename (dir, "model.onnx", NULL);
    fail_unless (g_mkdir (path, 0755) == 0);
  } else if (g_str_equal (kind, "unknown-extension")) {
    path = g_build_filename (dir, "model.bin", NULL);
    fail_unless (g_file_set_contents (path, "0123456789", 10, NULL));
  } else {
    /* no model property, and nothing where the element looks */
    if (model_installed ()) {
      GST_WARNING ("a model is installed in %s: skipping", FACEANON_MODEL_DIR);
      g_rmdir (dir);
      g_free (dir);
      return;
    }
    g_setenv ("FACEANON_MODEL_DIR", dir, TRUE);
  }

  pipeline = gst_parse_launch ("videotestsrc num-buffers=5 ! "
      "video/x-raw,format=I420,width=64,height=48 ! faceanon name=anon ! "
      "fakesink", NULL);
  fail_unless (pipeline != NULL);
  anon = gst_bin_get_by_name (GST_BIN (pipeline), "anon");
  g_object_set (anon, "model", path, NULL);
  src = gst_element_get_static_pad (anon, "src");
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, count_buffers, &buffers, NULL);

  /* the element fails to start... */
  ret = gst_element_set_state (pipeline, GST_STATE_PLAYING);
  fail_unless_equals_int (ret, GST_STATE_CHANGE_FAILURE);

  /* ...with a resource error that names the file (or the folder searched)
   * and says what is wrong with it */
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no error on the bus");
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (anon));
  gst_message_parse_error (msg, &err, &debug);
  GST_INFO ("%s: %s (%s)", kind, err->message, debug);
  fail_unless (err->domain == GST_RESOURCE_ERROR, "error domain %s",
      g_quark_to_string (err->domain));
  text = g_ascii_strdown (debug ? debug : "", -1);
  fail_unless (strstr (err->message, path ? path : dir) != NULL
      || strstr (debug ? debug : "", path ? path : dir) != NULL,
      "the error does not name '%s': %s (%s)", path ? path : dir,
      err->message, debug);
  fail_unless (strstr (text, bad_models[__i__].reason) != NULL,
      "%s: the error does not say '%s': %s (%s)", kind,
      bad_models[__i__].reason, err->message, debug);
  g_free (text);

  /* and not one buffer got out */
  gst_element_set_state (pipeline, GST_STATE_NULL);
  fail_unless_equals_int (g_atomic_int_get (&buffers), 0);

  g_clear_error (&err);
  g_free (debug);
  gst_message_unref (msg);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (anon);
  gst_object_unref (pipeline);
  if (path && g_file_test (path, G_FILE_TEST_IS_DIR))
    g_rmdir (path);
  else if (path)
    g_unlink (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
}

GST_END_TEST;

/* ----------------------------------------------------------- properties */

GST_START_TEST (test_properties_documented)
{
  GstElement *anon = gst_element_factory_make ("faceanon", NULL);
  GParamSpec **pspecs;
  guint n, own = 0;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (anon), &n);
  for (guint i = 0; i < n; i++) {
    GParamSpec *p = pspecs[i];
    const gchar *blurb = g_param_spec_get_blurb (p);

    if (p->owner_type != G_OBJECT_TYPE (anon))
      continue;
    own++;
    fail_unless (strchr (p->name, '_') == NULL, "'%s' is not hyphenated",
        p->name);
    fail_unless (blurb != NULL && strlen (blurb) > 20,
        "property '%s' has no real blurb", p->name);
    fail_if (g_str_equal (blurb, g_param_spec_get_nick (p)),
        "property '%s': the blurb only repeats the nick", p->name);
    fail_unless (p->flags & G_PARAM_READWRITE);
    /* only the model is read at start; everything else applies to the
     * next buffer */
    if (g_str_equal (p->name, "model"))
      fail_unless (p->flags & GST_PARAM_MUTABLE_READY, "%s", p->name);
    else
      fail_unless (p->flags & GST_PARAM_MUTABLE_PLAYING, "%s", p->name);
  }
  fail_unless (own >= 9, "only %u properties", own);

  g_free (pspecs);
  gst_object_unref (anon);
}

GST_END_TEST;

GST_START_TEST (test_properties_defaults)
{
  /* what gst-inspect-1.0 faceanon shows, serialized */
  static const struct
  {
    const gchar *name, *value;
  } defaults[] = {
    {"method", "gaussian"},
    {"mask-shape", "box"},
    {"mask-scale", "1.3"},
    {"blur-factor", "0.5"},
    {"blocks", "6"},
    {"color", "0"},
    {"confidence-threshold", "0.5"},
    {"detection-size", "640"},
    {"min-face-size", "32"},
    {"tracking", "true"},
    {"hold-time", "1000000000"},
    {"detect-interval", "1"},
  };
  GstElement *anon = gst_element_factory_make ("faceanon", NULL);
  GObjectClass *klass = G_OBJECT_GET_CLASS (anon);
  gchar *model = (gchar *) "unset";
  GParamSpec **pspecs;
  guint n;

  /* every property of the element is in the table above */
  pspecs = g_object_class_list_properties (klass, &n);
  for (guint i = 0; i < n; i++) {
    gboolean listed = g_str_equal (pspecs[i]->name, "model");

    if (pspecs[i]->owner_type != G_OBJECT_TYPE (anon))
      continue;
    for (guint j = 0; j < G_N_ELEMENTS (defaults) && !listed; j++)
      listed = g_str_equal (pspecs[i]->name, defaults[j].name);
    fail_unless (listed, "the default of the new property '%s' is not "
        "tested: add it to this test", pspecs[i]->name);
  }
  g_free (pspecs);

  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++) {
    GParamSpec *p = g_object_class_find_property (klass, defaults[i].name);
    GValue v = G_VALUE_INIT;
    gchar *s;

    fail_unless (p != NULL, "no property '%s'", defaults[i].name);
    g_value_init (&v, p->value_type);
    g_object_get_property (G_OBJECT (anon), p->name, &v);
    /* the element starts with the default its pspec advertises */
    fail_unless (g_param_value_defaults (p, &v), "'%s' does not start at "
        "its advertised default", p->name);
    s = gst_value_serialize (&v);
    fail_unless_equals_string (s, defaults[i].value);
    g_free (s);
    g_value_unset (&v);
  }
  g_object_get (anon, "model", &model, NULL);
  fail_unless (model == NULL);

  gst_object_unref (anon);
}

GST_END_TEST;

/* The colour of the pixels of @r in @rgb: TRUE if they are all @color. */
static gboolean
all_color (const guint8 * rgb, gint w, const Rect * r, guint32 color)
{
  for (gint y = r->y; y < r->y + r->h; y++)
    for (gint x = r->x; x < r->x + r->w; x++) {
      const guint8 *p = rgb + 3 * ((gsize) y * w + x);

      if (p[0] != (color >> 16) || p[1] != ((color >> 8) & 0xff)
          || p[2] != (color & 0xff))
        return FALSE;
    }
  return TRUE;
}

static guint
count_colors (const guint8 * rgb, gint w, const Rect * r)
{
  GHashTable *seen = g_hash_table_new (NULL, NULL);
  guint n;

  for (gint y = r->y; y < r->y + r->h; y++)
    for (gint x = r->x; x < r->x + r->w; x++) {
      const guint8 *p = rgb + 3 * ((gsize) y * w + x);

      g_hash_table_add (seen, GUINT_TO_POINTER (1 + (p[0] << 16)
              + (p[1] << 8) + p[2]));
    }
  n = g_hash_table_size (seen);
  g_hash_table_unref (seen);
  return n;
}

/* The ROI meta's box scaled by @scale about its centre, shrunk by the
 * slack: pixels certainly inside the mask. */
static Rect
inner_mask (const Face * face, gdouble scale)
{
  Rect r = padded_mask (&face->box, scale);

  r.x += 2 * MASK_SLACK;
  r.y += 2 * MASK_SLACK;
  r.w -= 4 * MASK_SLACK;
  r.h -= 4 * MASK_SLACK;
  return r;
}

GST_START_TEST (test_properties_while_playing)
{
  GstSample *sample = load_still (ASTRONAUT, GST_VIDEO_FORMAT_RGB, 0, 0);
  GstBuffer *in = gst_sample_get_buffer (sample), *out;
  GstVideoInfo info;
  GstHarness *h;
  GArray *faces;
  Footprint fp13, fp20;
  guint8 *rgb_in, *rgb_out;
  Rect inner;
  gint w, height;

  info_from_sample (sample, &info);
  w = GST_VIDEO_INFO_WIDTH (&info);
  height = GST_VIDEO_INFO_HEIGHT (&info);
  rgb_in = to_rgb (&info, in);
  h = anon_harness_new (gst_sample_get_caps (sample), NULL);
  fail_unless_equals_int (GST_STATE (h->element), GST_STATE_PLAYING);
  /* each buffer on its own: a tracked face would outlive threshold 1.0 */
  g_object_set (h->element, "tracking", FALSE, NULL);

  /* default: blurred, many colours left */
  out = anon_push (h, in);
  faces = faces_of (out);
  fail_unless_equals_int (faces->len, 1);
  inner = inner_mask (&g_array_index (faces, Face, 0), DEFAULT_MASK_SCALE);
  rgb_out = to_rgb (&info, out);
  fail_unless (count_colors (rgb_out, w, &inner) > 1000);
  fail_if (all_color (rgb_out, w, &inner, 0x00ff00));
  fp13 = footprint (rgb_in, rgb_out, w, height, 0, FALSE);
  g_free (rgb_out);
  g_array_unref (faces);
  gst_buffer_unref (out);

  /* method=solid and a colour: the next buffer is filled with it */
  g_object_set (h->element, "color", 0x00ff00, NULL);
  gst_util_set_object_arg (G_OBJECT (h->element), "method", "solid");
  out = anon_push (h, in);
  faces = faces_of (out);
  fail_unless_equals_int (faces->len, 1);
  rgb_out = to_rgb (&info, out);
  fail_unless (all_color (rgb_out, w, &inner, 0x00ff00));
  g_free (rgb_out);
  g_array_unref (faces);
  gst_buffer_unref (out);

  /* mask-scale=2.0: the fill grows about the same centre */
  g_object_set (h->element, "mask-scale", 2.0, NULL);
  out = anon_push (h, in);
  faces = faces_of (out);
  fail_unless_equals_int (faces->len, 1);
  rgb_out = to_rgb (&info, out);
  inner = inner_mask (&g_array_index (faces, Face, 0), 2.0);
  fail_unless (all_color (rgb_out, w, &inner, 0x00ff00));
  fp20 = footprint (rgb_in, rgb_out, w, height, 0, FALSE);
  GST_INFO ("mask-scale 1.3: %d x %d, 2.0: %d x %d", fp13.x1 - fp13.x0,
      fp13.y1 - fp13.y0, fp20.x1 - fp20.x0, fp20.y1 - fp20.y0);
  fail_unless ((gdouble) (fp20.x1 - fp20.x0) / (fp13.x1 - fp13.x0) > 1.4);
  fail_unless ((gdouble) (fp20.y1 - fp20.y0) / (fp13.y1 - fp13.y0) > 1.4);
  {
    GArray *masks = padded_masks (faces, 2.0);
    assert_only_masks_changed (&info, in, out, masks);
    g_array_unref (masks);
  }
  g_free (rgb_out);
  g_array_unref (faces);
  gst_buffer_unref (out);

  /* pixelate: a blocks x blocks grid of flat cells */
  gst_util_set_object_arg (G_OBJECT (h->element), "method", "pixelate");
  g_object_set (h->element, "mask-scale", DEFAULT_MASK_SCALE, "blocks", 4,
      NULL);
  out = anon_push (h, in);
  faces = faces_of (out);
  fail_unless_equals_int (faces->len, 1);
  rgb_out = to_rgb (&info, out);
  inner = inner_mask (&g_array_index (faces, Face, 0), DEFAULT_MASK_SCALE);
  fail_unless (count_colors (rgb_out, w, &inner) <= 16, "%u colours",
      count_colors (rgb_out, w, &inner));
  fail_unless (count_colors (rgb_out, w, &inner) >= 8);
  g_free (rgb_out);
  g_array_unref (faces);
  gst_buffer_unref (out);

  /* confidence-threshold=1.0: nothing passes, nothing changes */
  g_object_set (h->element, "confidence-threshold", 1.0f, NULL);
  out = anon_push (h, in);
  faces = faces_of (out);
  fail_unless_equals_int (faces->len, 0);
  {
    GArray *none = g_array_new (FALSE, FALSE, sizeof (Rect));
    assert_only_masks_changed (&info, in, out, none);
    g_array_unref (none);
  }
  g_array_unref (faces);
  gst_buffer_unref (out);

  /* and back: the face is masked again */
  g_object_set (h->element, "confidence-threshold", 0.5f, NULL);
  out = anon_push (h, in);
  faces = faces_of (out);
  fail_unless_equals_int (faces->len, 1);
  g_array_unref (faces);
  gst_buffer_unref (out);

  g_free (rgb_in);
  gst_harness_teardown (h);
  gst_sample_unref (sample);
}

GST_END_TEST;

/* Properties hammered from other threads while frames flow: every frame
 * still leaves masked, by one method or another. */
GST_START_TEST (test_properties_stress)
{
  GstSample *sample = load_still (ASTRONAUT, GST_VIDEO_FORMAT_I420, 256, 256);
  GstBuffer *in = gst_sample_get_buffer (sample);
  GstVideoInfo info;
  GstHarness *h;
  GstHarnessThread *t_method, *t_solid, *t_scale;
  GValue v_pixelate = G_VALUE_INIT, v_solid = G_VALUE_INIT;
  GParamSpec *p;
  const Rect face = { 90, 40, 41, 39 };

  info_from_sample (sample, &info);
  h = anon_harness_new (gst_sample_get_caps (sample), NULL);
  p = g_object_class_find_property (G_OBJECT_GET_CLASS (h->element), "method");
  g_value_init (&v_pixelate, p->value_type);
  g_value_init (&v_solid, p->value_type);
  fail_unless (gst_value_deserialize_with_pspec (&v_pixelate, "pixelate", p));
  fail_unless (gst_value_deserialize_with_pspec (&v_solid, "solid", p));
  t_method = gst_harness_stress_property_start_full (h, "method",
      &v_pixelate, 210);
  t_solid = gst_harness_stress_property_start_full (h, "method", &v_solid, 160);
  {
    GValue v = G_VALUE_INIT;

    g_value_init (&v, G_TYPE_DOUBLE);
    g_value_set_double (&v, 1.7);
    t_scale = gst_harness_stress_property_start_full (h, "mask-scale", &v, 130);
    g_value_unset (&v);
  }

  for (guint i = 0; i < 20; i++) {
    GstBuffer *out = anon_push (h, in);
    GArray *faces = faces_of (out);
    guint8 *rgb_in = to_rgb (&info, in), *rgb_out = to_rgb (&info, out);

    fail_unless_equals_int (faces->len, 1);
    fail_unless (mean_abs_diff (rgb_in, rgb_out, 256, &face) > 12.0);
    g_free (rgb_in);
    g_free (rgb_out);
    g_array_unref (faces);
    gst_buffer_unref (out);
  }

  gst_harness_stress_thread_stop (t_method);
  gst_harness_stress_thread_stop (t_solid);
  gst_harness_stress_thread_stop (t_scale);
  g_value_unset (&v_pixelate);
  g_value_unset (&v_solid);
  gst_harness_teardown (h);
  gst_sample_unref (sample);
}

GST_END_TEST;

static Suite *
faceanon_suite (void)
{
  Suite *s = suite_create ("faceanon");
  TCase *tc_photos = tcase_create ("photos");
  TCase *tc_formats = tcase_create ("formats");
  TCase *tc_errors = tcase_create ("errors");
  TCase *tc_props = tcase_create ("properties");

  /* a DNN on a 2-core machine, run under valgrind or sanitizers too */
  tcase_set_timeout (tc_photos, 120);
  tcase_set_timeout (tc_formats, 120);
  tcase_set_timeout (tc_errors, 60);
  tcase_set_timeout (tc_props, 120);

  suite_add_tcase (s, tc_photos);
  tcase_add_loop_test (tc_photos, test_photo_face_hidden, 0,
      G_N_ELEMENTS (photos) * G_N_ELEMENTS (photo_formats));
  tcase_add_loop_test (tc_photos, test_photo_other_detector, 0,
      G_N_ELEMENTS (photos));
  tcase_add_test (tc_photos, test_no_face_untouched);

  suite_add_tcase (s, tc_formats);
  tcase_add_loop_test (tc_formats, test_formats_odd_sizes, 0,
      G_N_ELEMENTS (all_formats) * G_N_ELEMENTS (odd_sizes));

  suite_add_tcase (s, tc_errors);
  tcase_add_loop_test (tc_errors, test_bad_model, 0, G_N_ELEMENTS (bad_models));

  suite_add_tcase (s, tc_props);
  tcase_add_test (tc_props, test_properties_documented);
  tcase_add_test (tc_props, test_properties_defaults);
  tcase_add_test (tc_props, test_properties_while_playing);
  tcase_add_test (tc_props, test_properties_stress);

  return s;
}

GST_CHECK_MAIN (faceanon);
