/* GStreamer faceanon test helpers
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

#ifndef __FA_CHECK_H__
#define __FA_CHECK_H__

/* What the element tests share: real pictures in, faceanon in a GstHarness,
 * and the measures a user would take of what comes out (the face metas,
 * which pixels changed, how much detail is left, whether a detector still
 * finds the face). Every helper fails the running test on a setup error. */

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#include "fa-data.h"
#include "fa-gst.h"
#include "fa-still.h"
#include "fa-detector.h"
#include "fa-model.h"

G_BEGIN_DECLS

#define DEFAULT_THRESHOLD 0.5
#define DEFAULT_MASK_SCALE 1.3
/* Rounding of the ROI meta and of chroma samples: the mask may reach this
 * far past the meta's box scaled by mask-scale. */
#define MASK_SLACK 2

/* astronaut's face, located by hand */
#define ASTRONAUT_FACE {180, 80, 82, 78}

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

/* A "face" ROI meta of a buffer. */
typedef struct
{
  Rect box;
  gdouble confidence;
  gint id;                      /* the meta's id: the track id, or 0 */
} Face;

/* The pixels whose colour changed by more than a threshold: their
 * bounding box and count. */
typedef struct
{
  gint x0, y0, x1, y1;          /* [x0, x1) x [y0, y1), empty if x1 <= x0 */
  gsize area;
} Footprint;

/* ------------------------------------------------------ input and harness */

/* The first frame of an image or clip in @format at @width x @height (0:
 * its own size). */
GstSample *load_still (const gchar * path, GstVideoFormat format,
    gint width, gint height);

/* The first @n_frames frames of a clip in @format at its own size, with
 * their timestamps: a GPtrArray of GstSample. */
GPtrArray *load_clip (const gchar * path, GstVideoFormat format,
    guint n_frames);

void info_from_sample (GstSample * sample, GstVideoInfo * info);

/* A harness around a fresh faceanon with the given properties set before
 * it starts, fed like a file: not live. */
GstHarness *anon_harness_new (GstCaps * caps, const gchar * first_prop, ...);

/* Runs a copy of @in through @h; the output must have left the element. */
GstBuffer *anon_push (GstHarness * h, GstBuffer * in);

/* A deep, writable copy of @buf with the given PTS. */
GstBuffer *copy_at (GstBuffer * buf, GstClockTime pts);

/* Paints @r of @buf, in its own format, with the flat colour 0xRRGGBB: a
 * hand over the face. Chroma samples that touch @r are painted too. */
void paint_rect (const GstVideoInfo * info, GstBuffer * buf, const Rect * r,
    guint32 rgb);

/* ----------------------------------------------------------- face metas */

/* The "face" ROI metas of @buf, as Faces; every one must carry a
 * "detection" structure with its "confidence". */
GArray *faces_of (GstBuffer * buf);

/* The face meta that best matches @known, or NULL; its IoU in @iou. */
const Face *best_match (GArray * faces, const Rect * known, gdouble * iou);

/* ------------------------------------------------------------ rectangles */

gdouble rect_iou (const Rect * a, const Rect * b);

/* @r scaled by @scale about its centre, clipped to @width x @height. */
Rect rect_scale (const Rect * r, gdouble scale, gint width, gint height);

/* The area a face meta's mask may cover: the box scaled about its centre,
 * plus the rounding slack. */
Rect padded_mask (const Rect * box, gdouble scale);
GArray *padded_masks (GArray * faces, gdouble scale);

/* The ROI meta's box scaled by @scale about its centre, shrunk by the
 * slack: pixels certainly inside the mask. */
Rect inner_mask (const Face * face, gdouble scale);

/* Whether [x0, x1) x [y0, y1) overlaps one of @rects. */
gboolean footprint_hits (GArray * rects, gint x0, gint y0, gint x1, gint y1);

/* Every byte of @out that is not a colour sample inside one of @rects is
 * the byte of @in: samples outside the masks, alpha and padding bytes of
 * packed pixels, row padding and gaps between planes. Returns the number
 * of bytes compared. */
gsize assert_only_masks_changed (const GstVideoInfo * info, GstBuffer * in,
    GstBuffer * out, GArray * rects);

/* ------------------------------------------------------ pictures in RGB */

/* @buf as packed 8-bit RGB, width * 3 bytes a row, through the same
 * GstVideoConverter as videoconvert. Free with g_free(). */
guint8 *to_rgb (const GstVideoInfo * info, GstBuffer * buf);

/* Whether @buf still shows exactly @rgb (as to_rgb gave it): a frame held
 * elsewhere must not be written to. */
gboolean same_rgb (const GstVideoInfo * info, GstBuffer * buf,
    const guint8 * rgb);

/* Luma-like value of a packed RGB pixel. */
static inline gdouble
rgb_luma (const guint8 * rgb, gint w, gint x, gint y)
{
  const guint8 *p = rgb + 3 * ((gsize) y * w + x);

  return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
}

/* Detail in @r: the mean squared difference between neighbouring pixels. */
gdouble detail_energy (const guint8 * rgb, gint w, const Rect * r);

gdouble mean_abs_diff (const guint8 * a, const guint8 * b, gint w,
    const Rect * r);

/* The fraction of the pixels of @r whose colour changed by more than
 * @threshold in some channel. */
gdouble changed_fraction (const guint8 * a, const guint8 * b, gint w,
    const Rect * r, gint threshold);

/* The pixels that changed by more than @threshold in some channel
 * (@luma_only: in luma). */
Footprint footprint (const guint8 * a, const guint8 * b, gint w, gint h,
    gint threshold, gboolean luma_only);

/* TRUE if the pixels of @r in @rgb are all @color (0xRRGGBB). */
gboolean all_color (const guint8 * rgb, gint w, const Rect * r, guint32 color);

guint count_colors (const guint8 * rgb, gint w, const Rect * r);

/* ---------------------------------------------------------- re-detection */

/* A detector of its own (@model, NULL: the default one; never one with
 * FACEANON_INJECT_FAULTS): the faces in @buf at @size and @threshold, as
 * a GArray of FaBox. */
GArray *detect_faces (const GstVideoInfo * info, GstBuffer * buf,
    const gchar * model, gint size, gfloat threshold);

/* How many of @boxes overlap @known at all; their best score in @score. */
guint count_at (GArray * boxes, const Rect * known, gfloat * score);

/* The detector @model (NULL: default) at @size and @threshold no longer
 * finds @photo's face in @out. */
void assert_not_redetected (const Photo * photo, const GstVideoInfo * info,
    GstBuffer * out, const gchar * model, gint size, gfloat threshold);

/* ------------------------------------------------------------- memory */

/* A /proc/self/status field of this process ("VmRSS:", "VmHWM:"), in kB;
 * -1 when it cannot be read. */
gint64 proc_status_kb (const gchar * field);

/* Under AddressSanitizer freed memory waits in quarantine, so RSS grows
 * without a leak; LeakSanitizer checks for leaks at exit instead. */
#if defined(__SANITIZE_ADDRESS__)
#define RSS_TELLS_LEAKS FALSE
#else
#define RSS_TELLS_LEAKS TRUE
#endif

G_END_DECLS

#endif /* __FA_CHECK_H__ */
