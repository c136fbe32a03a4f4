/* faceanon engine
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

#ifndef __FA_IMAGE_H__
#define __FA_IMAGE_H__

#include <glib.h>

G_BEGIN_DECLS

/* A view of a video frame that the engine reads and writes in place, in the
 * frame's own layout. It is described per colour component, so planar,
 * semi-planar and packed formats are all the same thing to the kernels:
 * a component is a 2D array of 8-bit samples with a pixel stride (1 for
 * planar, 2 for NV12's interleaved chroma, 3 or 4 for packed RGB) and a
 * row stride. Alpha and padding bytes are never described, so never touched. */

typedef enum
{
  FA_COLOR_RGB,                 /* comp[0..2] = R, G, B */
  FA_COLOR_YUV,                 /* comp[0..2] = Y, U, V */
  FA_COLOR_GRAY                 /* comp[0] = Y */
} FaColorModel;

typedef enum
{
  FA_MATRIX_BT601,
  FA_MATRIX_BT709
} FaYuvMatrix;

typedef struct
{
  guint8 *data;                 /* sample (0,0) of this component */
  gint pstride;                 /* bytes between horizontally adjacent samples */
  gint stride;                  /* bytes between rows */
  gint width;                   /* in samples */
  gint height;                  /* in samples */
  gint wsub;                    /* log2 of horizontal subsampling (0 or 1) */
  gint hsub;                    /* log2 of vertical subsampling (0 or 1) */
} FaComp;

typedef struct
{
  gint width;                   /* luma / full-resolution size in pixels */
  gint height;
  FaColorModel model;
  FaYuvMatrix matrix;           /* YUV only */
  gboolean full_range;          /* YUV only: 0..255 instead of 16..235/240 */
  guint n_comps;                /* 3, or 1 for GRAY */
  FaComp comp[3];
} FaImage;

/* An axis-aligned rectangle in full-resolution pixels, [x0,x1) x [y0,y1). */
typedef struct
{
  gint x0, y0, x1, y1;
} FaRect;

/* A detection, in full-resolution pixel coordinates (floating point; may lie
 * partly outside the frame). */
typedef struct
{
  gfloat x, y, w, h;
  gfloat score;
} FaBox;

/* CPU time of the calling thread, in microseconds (for the timings the
 * element logs; unlike wall time, other processes do not inflate it). */
gint64 fa_thread_cpu_us (void);

/* Packs an 0xRRGGBB colour into the image's component values. */
void fa_image_color_to_comps (const FaImage * img, guint32 rgb,
    guint8 values[3]);

G_END_DECLS

#endif /* __FA_IMAGE_H__ */
