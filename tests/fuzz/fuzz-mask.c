/* faceanon fuzzing: the masking kernels, debug drawing and tiling
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

/* A libFuzzer harness (clang -fsanitize=fuzzer,address,undefined). The
 * input picks a frame layout like one of the real formats (planar 4:2:0,
 * 4:2:2, 4:4:4, semi-planar, packed 3 and 4 bytes, grey) at 1..512 pixels
 * with padded row strides, then one of:
 *  - boxes (NaN, infinite, huge, negative...) through fa_mask_region and
 *    rectangles of any int value, masked by fa_masker_apply with any
 *    method, shape, scale, blur factor and block count;
 *  - fa_draw_rect and fa_draw_text anywhere, with any thickness and scale;
 *  - fa_tiling_plan over any size and parameters.
 * Every plane sits between guard bytes that ASan poisons, so that a read
 * or write outside the planes stops the run, and that must be intact
 * after it. Invariants checked: padding and alpha bytes never change;
 * samples change only where a region (clipped to the frame) covers them;
 * a solid box fills its region; blur and pixelation leave a flat picture
 * flat; a tiling plan's passes lie in the frame, start with the whole
 * frame, and never upscale nor exceed the detection size. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sanitizer/asan_interface.h>

#include "fa-mask.h"
#include "fa-draw.h"
#include "fa-tiling.h"

#define MAX_SIDE 512
#define GUARD 64
#define GUARD_BYTE 0xa5
#define MAX_REGIONS 8

#define CHECK(cond, ...) G_STMT_START {                         \
    if (G_UNLIKELY (!(cond))) {                                 \
      fprintf (stderr, "fuzz-mask: %s:%d: %s: ", __FILE__,      \
          __LINE__, #cond);                                     \
      fprintf (stderr, __VA_ARGS__);                            \
      fputc ('\n', stderr);                                     \
      abort ();                                                 \
    }                                                           \
  } G_STMT_END

/* ------------------------------------------------------------ the input */

typedef struct
{
  const guint8 *data;
  gsize size, at;
} Input;

static guint8
take_u8 (Input * in)
{
  return in->at < in->size ? in->data[in->at++] : 0;
}

static guint32
take_u32 (Input * in)
{
  guint32 v = 0;

  for (guint i = 0; i < 4; i++)
    v = (v << 8) | take_u8 (in);
  return v;
}

static guint64
take_u64 (Input * in)
{
  return ((guint64) take_u32 (in) << 32) | take_u32 (in);
}

/* A number from 0 to @n - 1. */
static guint
take_below (Input * in, guint n)
{
  return n > 256 ? take_u32 (in) % n : take_u8 (in) % n;
}

/* A double: the values that break arithmetic, raw bits, or an ordinary
 * value around @scale. */
static gdouble
take_double (Input * in, gdouble scale)
{
  static const gdouble special[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 1e-300, -1e-300, 1e-30, 1e30, 1e300,
    -1e300, DBL_MAX, -DBL_MAX, DBL_MIN, 4.9e-324, FLT_MAX, -FLT_MAX,
    INFINITY, -INFINITY, NAN, 2147483647.0, 2147483648.0, -2147483649.0,
  };
  guint8 kind = take_u8 (in);

  if (kind < 64)
    return special[kind % G_N_ELEMENTS (special)];
  if (kind < 96) {
    guint64 bits = take_u64 (in);
    gdouble v;

    memcpy (&v, &bits, sizeof (v));
    return v;
  }
  /* -scale .. 2 * scale, in small steps */
  return ((gint32) take_u32 (in) % 30000) / 10000.0 * scale;
}

static gfloat
take_float (Input * in, gdouble scale)
{
  if (take_u8 (in) < 32) {
    guint32 bits = take_u32 (in);
    gfloat v;

    memcpy (&v, &bits, sizeof (v));
    return v;
  }
  /* a double out of float range becomes infinite, as the C cast says */
  {
    gdouble d = take_double (in, scale);

    if (!(fabs (d) <= FLT_MAX) && isfinite (d))
      return d > 0 ? INFINITY : -INFINITY;
    return (gfloat) d;
  }
}

/* Any int, biased towards the frame and its edges. */
static gint
take_coord (Input * in, gint extent)
{
  static const gint special[] = {
    G_MININT, G_MININT + 1, -65536, -1, 0, 1, 65536, G_MAXINT - 1, G_MAXINT,
  };
  guint8 kind = take_u8 (in);

  if (kind < 24)
    return special[kind % G_N_ELEMENTS (special)];
  if (kind < 40)
    return (gint) take_u32 (in);
  return (gint) (take_u32 (in) % (guint) (3 * extent + 3)) - extent - 1;
}

/* ----------------------------------------------------------- the frame */

typedef enum
{
  LAYOUT_PLANAR,                /* I420, YV12, Y42B, Y444 */
  LAYOUT_SEMI_PLANAR,           /* NV12, NV21 (and NV16, NV24) */
  LAYOUT_PACKED,                /* RGB, BGR (3), RGBx ... ABGR (4) */
  LAYOUT_GRAY,                  /* GRAY8 */
  N_LAYOUTS
} Layout;

typedef struct
{
  guint8 *block;                /* guard, plane, guard, plane, ..., guard */
  gsize block_len;
  guint n_planes;
  gsize plane_at[3], plane_len[3];
  guint8 *orig;                 /* a copy of the block before the call */
  guint8 *may_change;           /* per byte of the block: 1 = a sample */
  FaImage img;
} Frame;

static gsize
align64 (gsize v)
{
  return (v + 63) & ~(gsize) 63;
}

/* Lays out a frame described by the input, fills it, poisons the guards. */
static void
frame_make (Frame * f, Input * in)
{
  Layout layout = take_below (in, N_LAYOUTS);
  /* mostly small frames, which run fast; sometimes up to 512 */
  gboolean big = take_u8 (in) >= 224;
  gint w = 1 + take_below (in, big ? MAX_SIDE : 64);
  gint h = 1 + take_below (in, big ? MAX_SIDE : 64);
  gint wsub = 0, hsub = 0, pstride = 1, offsets[3] = { 0, 0, 0 };
  guint comp_plane[3] = { 0, 1, 2 };
  gint plane_stride[3] = { 0, 0, 0 };
  gboolean flat = take_u8 (in) < 64;
  guint8 flat_value[3];
  gsize at;

  memset (f, 0, sizeof (*f));
  f->img.width = w;
  f->img.height = h;
  f->img.matrix = take_u8 (in) & 1 ? FA_MATRIX_BT709 : FA_MATRIX_BT601;
  f->img.full_range = take_u8 (in) & 1;

  switch (layout) {
    case LAYOUT_PLANAR:
      f->img.model = FA_COLOR_YUV;
      f->img.n_comps = 3;
      f->n_planes = 3;
      /* 4:2:0, 4:2:2, 4:4:4 */
      switch (take_below (in, 3)) {
        case 0:
          wsub = hsub = 1;
          break;
        case 1:
          wsub = 1;
          break;
        default:
          break;
      }
      break;
    case LAYOUT_SEMI_PLANAR:
      f->img.model = FA_COLOR_YUV;
      f->img.n_comps = 3;
      f->n_planes = 2;
      comp_plane[2] = 1;
      switch (take_below (in, 3)) {
        case 0:
          wsub = hsub = 1;
          break;
        case 1:
          wsub = 1;
          break;
        default:
          break;
      }
      /* NV12 or NV21: U and V interleaved in the second plane */
      offsets[1] = take_u8 (in) & 1;
      offsets[2] = 1 - offsets[1];
      break;
    case LAYOUT_PACKED:{
      static const gint orders[][3] = {
        {0, 1, 2}, {2, 1, 0}, {1, 2, 3}, {3, 2, 1},
      };
      guint o;

      f->img.model = FA_COLOR_RGB;
      f->img.n_comps = 3;
      f->n_planes = 1;
      comp_plane[1] = comp_plane[2] = 0;
      pstride = take_u8 (in) & 1 ? 4 : 3;
      o = take_below (in, pstride == 4 ? 4 : 2);
      memcpy (offsets, orders[o], sizeof (offsets));
      break;
    }
    case LAYOUT_GRAY:
    default:
      f->img.model = FA_COLOR_GRAY;
      f->img.n_comps = 1;
      f->n_planes = 1;
      break;
  }

  /* row strides: the tight row plus any padding, up to 63 bytes */
  for (guint p = 0; p < f->n_planes; p++) {
    gint cw = p == 0 ? w : (w + (1 << wsub) - 1) >> wsub;
    gint ch = p == 0 ? h : (h + (1 << hsub) - 1) >> hsub;
    gint samples = layout == LAYOUT_PACKED ? pstride :
        layout == LAYOUT_SEMI_PLANAR && p == 1 ? 2 : 1;

    plane_stride[p] = cw * samples + take_below (in, 64);
    f->plane_len[p] = (gsize) plane_stride[p] * ch;
  }

  at = GUARD;
  for (guint p = 0; p < f->n_planes; p++) {
    f->plane_at[p] = at;
    at = align64 (at + f->plane_len[p]) + GUARD;
  }
  f->block_len = at;
  f->block = malloc (f->block_len);
  f->may_change = calloc (f->block_len, 1);
  for (gsize i = 0; i < f->block_len; i++)
    f->block[i] = GUARD_BYTE;

  for (guint k = 0; k < 3; k++)
    flat_value[k] = take_u8 (in);
  for (guint k = 0; k < f->img.n_comps; k++) {
    FaComp *c = &f->img.comp[k];
    guint p = comp_plane[k];

    c->data = f->block + f->plane_at[p] + offsets[k];
    c->pstride = layout == LAYOUT_PACKED ? pstride :
        layout == LAYOUT_SEMI_PLANAR && k > 0 ? 2 : 1;
    c->stride = plane_stride[p];
    c->wsub = k == 0 ? 0 : wsub;
    c->hsub = k == 0 ? 0 : hsub;
    c->width = (w + (1 << c->wsub) - 1) >> c->wsub;
    c->height = (h + (1 << c->hsub) - 1) >> c->hsub;
  }

  /* the picture: flat, or a pattern; padding and alpha get a pattern */
  for (guint p = 0; p < f->n_planes; p++) {
    guint8 *plane = f->block + f->plane_at[p];

    for (gsize i = 0; i < f->plane_len[p]; i++)
      plane[i] = (guint8) (i * 131 + p * 17 + 7);
  }
  for (guint k = 0; k < f->img.n_comps; k++) {
    const FaComp *c = &f->img.comp[k];
    guint8 seed = take_u8 (in);

    for (gint y = 0; y < c->height; y++)
      for (gint x = 0; x < c->width; x++) {
        guint8 *s = c->data + (gsize) y * c->stride + (gsize) x * c->pstride;

        *s = flat ? flat_value[k] : (guint8) (x * 7 + y * 13 + seed +
            ((x * y) >> 3));
      }
  }

  f->orig = malloc (f->block_len);
  memcpy (f->orig, f->block, f->block_len);

  /* guards: before the first plane, between planes, after the last */
  ASAN_POISON_MEMORY_REGION (f->block, GUARD);
  for (guint p = 0; p < f->n_planes; p++) {
    gsize end = f->plane_at[p] + f->plane_len[p];
    gsize next = p + 1 < f->n_planes ? f->plane_at[p + 1] : f->block_len;

    ASAN_POISON_MEMORY_REGION (f->block + end, next - end);
  }
}

static gboolean
frame_is_flat (const Frame * f)
{
  for (guint k = 0; k < f->img.n_comps; k++) {
    const FaComp *c = &f->img.comp[k];
    guint8 v = c->data[0];

    for (gint y = 0; y < c->height; y++)
      for (gint x = 0; x < c->width; x++)
        if (c->data[(gsize) y * c->stride + (gsize) x * c->pstride] != v)
          return FALSE;
  }
  return TRUE;
}

/* Marks as changeable every sample whose full-resolution footprint meets
 * @r clipped to the frame; in 64 bits, so no rectangle overflows. */
static void
frame_allow (Frame * f, gint64 x0, gint64 y0, gint64 x1, gint64 y1)
{
  x0 = MAX (x0, 0);
  y0 = MAX (y0, 0);
  x1 = MIN (x1, f->img.width);
  y1 = MIN (y1, f->img.height);
  if (x0 >= x1 || y0 >= y1)
    return;
  for (guint k = 0; k < f->img.n_comps; k++) {
    const FaComp *c = &f->img.comp[k];
    gint64 cx0 = x0 >> c->wsub, cy0 = y0 >> c->hsub;
    gint64 cx1 = MIN ((x1 + (1 << c->wsub) - 1) >> c->wsub, c->width);
    gint64 cy1 = MIN ((y1 + (1 << c->hsub) - 1) >> c->hsub, c->height);

    for (gint64 y = cy0; y < cy1; y++)
      for (gint64 x = cx0; x < cx1; x++)
        f->may_change[(c->data - f->block) + y * c->stride + x * c->pstride]
            = 1;
  }
}

/* The guards are intact, and no byte changed that may not have. */
static void
frame_check (Frame * f, const gchar * what)
{
  ASAN_UNPOISON_MEMORY_REGION (f->block, f->block_len);
  for (gsize i = 0; i < f->block_len; i++) {
    if (f->may_change[i] || f->block[i] == f->orig[i])
      continue;
    CHECK (FALSE, "%s: byte %zu of the %zu-byte block (%s) changed from %u "
        "to %u; frame %dx%d, %u planes", what, i, f->block_len,
        f->orig[i] == GUARD_BYTE ? "a guard or padding" : "outside the masks",
        f->orig[i], f->block[i], f->img.width, f->img.height, f->n_planes);
  }
}

static void
frame_free (Frame * f)
{
  ASAN_UNPOISON_MEMORY_REGION (f->block, f->block_len);
  free (f->block);
  free (f->orig);
  free (f->may_change);
}

/* -------------------------------------------------------------- masking */

static void
fuzz_masker (Frame * f, Input * in, FaMasker * masker)
{
  FaMaskParams params;
  FaRect regions[MAX_REGIONS];
  guint n = take_below (in, MAX_REGIONS + 1);
  gboolean was_flat = frame_is_flat (f);
  guint8 colour[3];

  params.method = take_below (in, 6);   /* 4 and 5: no such method */
  params.shape = take_below (in, 3);    /* 2: no such shape */
  params.scale = take_double (in, 2.0);
  params.blur_factor = take_double (in, 1.0);
  params.blocks = take_u8 (in) < 16 ? take_u32 (in) : take_below (in, 101);
  params.color = take_u32 (in);

  for (guint i = 0; i < n; i++) {
    if (take_u8 (in) & 1) {
      /* a detection, as the element turns it into a region */
      FaBox box;
      gdouble scale = take_u8 (in) & 1 ? params.scale : 1.3;
      FaRect r;
      gboolean inside;

      box.x = take_float (in, f->img.width);
      box.y = take_float (in, f->img.height);
      box.w = take_float (in, f->img.width);
      box.h = take_float (in, f->img.height);
      box.score = take_float (in, 1.0);
      inside = fa_mask_region (&box, scale, f->img.width, f->img.height, &r);
      if (!inside) {
        CHECK (r.x0 == 0 && r.y0 == 0 && r.x1 == 0 && r.y1 == 0,
            "a region refused is not zeroed");
        r = (FaRect) {
        0, 0, 0, 0};
      } else {
        CHECK (isfinite (box.x) && isfinite (box.y) && box.w > 0
            && box.h > 0 && scale > 0, "a region for a box that is not one");
        CHECK (r.x0 < r.x1 && r.y0 < r.y1, "an empty region accepted");
        CHECK (r.x1 > 0 && r.y1 > 0 && r.x0 < f->img.width
            && r.y0 < f->img.height, "a region outside the frame accepted: "
            "[%d,%d)x[%d,%d) in %dx%d", r.x0, r.x1, r.y0, r.y1,
            f->img.width, f->img.height);
        CHECK (r.x0 >= -f->img.width && r.x1 <= 2 * f->img.width
            && r.y0 >= -f->img.height && r.y1 <= 2 * f->img.height,
            "a region beyond the documented bounds");
      }
      regions[i] = r;
    } else {
      /* any rectangle at all */
      regions[i].x0 = take_coord (in, f->img.width);
      regions[i].y0 = take_coord (in, f->img.height);
      regions[i].x1 = take_coord (in, f->img.width);
      regions[i].y1 = take_coord (in, f->img.height);
    }
    frame_allow (f, regions[i].x0, regions[i].y0, regions[i].x1,
        regions[i].y1);
  }

  fa_masker_apply (masker, &f->img, &params, n ? regions : NULL, n);
  frame_check (f, "fa_masker_apply");

  /* a mean, or a blur, of a flat picture is that picture */
  if (was_flat && (params.method == FA_METHOD_GAUSSIAN
          || params.method == FA_METHOD_PIXELATE))
    CHECK (memcmp (f->block, f->orig, f->block_len) == 0,
        "method %d changed a flat picture", params.method);

  /* a solid box fills every sample of its regions */
  if (params.method == FA_METHOD_SOLID && params.shape == FA_SHAPE_BOX) {
    fa_image_color_to_comps (&f->img, params.color, colour);
    for (guint i = 0; i < n; i++) {
      gint64 x0 = MAX (regions[i].x0, 0), y0 = MAX (regions[i].y0, 0);
      gint64 x1 = MIN (regions[i].x1, f->img.width);
      gint64 y1 = MIN (regions[i].y1, f->img.height);

      if (x0 >= x1 || y0 >= y1)
        continue;
      for (guint k = 0; k < f->img.n_comps; k++) {
        const FaComp *c = &f->img.comp[k];

        for (gint64 y = y0 >> c->hsub; y < MIN ((y1 + (1 << c->hsub) - 1) >>
                c->hsub, c->height); y++)
          for (gint64 x = x0 >> c->wsub; x < MIN ((x1 + (1 << c->wsub) - 1)
                  >> c->wsub, c->width); x++)
            CHECK (c->data[y * c->stride + x * c->pstride] == colour[k],
                "component %u sample (%" G_GINT64_FORMAT ", %"
                G_GINT64_FORMAT ") of a solid region is not the fill", k, x,
                y);
      }
    }
  }
}

/* -------------------------------------------------------------- drawing */

static void
fuzz_draw (Frame * f, Input * in)
{
  FaRect r;
  gint t, s, x, y;
  gchar text[24];
  gsize len = take_below (in, sizeof (text));
  guint32 rgb = take_u32 (in);

  /* the element draws regions within [-w, 2w) x [-h, 2h), thickness and
   * scale from 2 to (frame side / 240); this goes four times beyond */
  r.x0 = take_coord (in, 4 * f->img.width);
  r.y0 = take_coord (in, 4 * f->img.height);
  r.x1 = take_coord (in, 4 * f->img.width);
  r.y1 = take_coord (in, 4 * f->img.height);
  r.x0 = CLAMP (r.x0, -4 * f->img.width, 4 * f->img.width);
  r.y0 = CLAMP (r.y0, -4 * f->img.height, 4 * f->img.height);
  r.x1 = CLAMP (r.x1, -4 * f->img.width, 4 * f->img.width);
  r.y1 = CLAMP (r.y1, -4 * f->img.height, 4 * f->img.height);
  t = (gint) take_below (in, 200) - 10;
  frame_allow (f, r.x0, r.y0, r.x1, (gint64) r.y0 + MAX (t, 1));
  frame_allow (f, r.x0, (gint64) r.y1 - MAX (t, 1), r.x1, r.y1);
  frame_allow (f, r.x0, r.y0, (gint64) r.x0 + MAX (t, 1), r.y1);
  frame_allow (f, (gint64) r.x1 - MAX (t, 1), r.y0, r.x1, r.y1);
  fa_draw_rect (&f->img, &r, rgb, t);

  x = (gint) take_below (in, 8 * f->img.width) - 4 * f->img.width;
  y = (gint) take_below (in, 8 * f->img.height) - 4 * f->img.height;
  s = (gint) take_below (in, 60) - 5;
  for (gsize i = 0; i < len; i++)
    text[i] = take_u8 (in) & 1 ? "0123456789.%# "[take_below (in, 14)] :
        (gchar) take_u8 (in);
  text[len] = 0;
  len = strlen (text);
  frame_allow (f, x, y, x + 4 * (gint64) MAX (s, 1) * len,
      y + 5 * (gint64) MAX (s, 1));
  fa_draw_text (&f->img, x, y, text, rgb, s);
  frame_check (f, "fa_draw_rect/fa_draw_text");
}

/* --------------------------------------------------------------- tiling */

static void
fuzz_tiling (Input * in)
{
  gint width = 1 + (gint) (take_u32 (in) % (1u << 24));
  gint height = 1 + (gint) (take_u32 (in) % (1u << 24));
  gint detection_size = take_u8 (in) < 32 ? (gint) take_u32 (in) :
      (gint) take_below (in, 8192);
  gint min_face_size = take_u8 (in) < 32 ? (gint) take_u32 (in) :
      (gint) take_below (in, 4097);
  guint max_passes = 1 + take_below (in, 80);
  gint longest_input = MAX (detection_size, FA_TILING_MIN_DETECTION_SIZE);
  FaPass *passes = malloc (sizeof (FaPass) * max_passes);
  guint n;

  if (take_u8 (in) < 128) {
    width = MIN (width, 1 + (gint) take_below (in, 20000));
    height = MIN (height, 1 + (gint) take_below (in, 20000));
  }
  n = fa_tiling_plan (width, height, detection_size, min_face_size, passes,
      max_passes);
  CHECK (n >= 1 && n <= MIN (max_passes, FA_TILING_MAX_PASSES),
      "%u passes for at most %u", n, max_passes);
  CHECK (passes[0].src.x0 == 0 && passes[0].src.y0 == 0
      && passes[0].src.x1 == width && passes[0].src.y1 == height,
      "the first pass is not the whole frame");
  for (guint i = 0; i < n; i++) {
    const FaPass *p = &passes[i];
    gint sw = p->src.x1 - p->src.x0, sh = p->src.y1 - p->src.y0;

    CHECK (p->src.x0 >= 0 && p->src.y0 >= 0 && p->src.x1 <= width
        && p->src.y1 <= height && sw > 0 && sh > 0, "pass %u: "
        "[%d,%d)x[%d,%d) is not inside the %dx%d frame", i, p->src.x0,
        p->src.x1, p->src.y0, p->src.y1, width, height);
    CHECK (p->in_w >= 1 && p->in_h >= 1 && p->in_w <= longest_input
        && p->in_h <= longest_input, "pass %u: input %dx%d for detection "
        "size %d", i, p->in_w, p->in_h, detection_size);
    CHECK (p->in_w <= sw && p->in_h <= sh, "pass %u upscales %dx%d to "
        "%dx%d", i, sw, sh, p->in_w, p->in_h);
  }
  free (passes);
}

/* ------------------------------------------------------------- the entry */

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  static FaMasker *masker;
  Input in = { data, size, 0 };
  guint mode = take_below (&in, 5);
  Frame f;

  /* one masker for the whole run, as the element keeps one: its scratch
   * memory only grows */
  if (masker == NULL)
    masker = fa_masker_new ();

  if (mode == 4) {
    fuzz_tiling (&in);
    return 0;
  }
  frame_make (&f, &in);
  if (mode == 3)
    fuzz_draw (&f, &in);
  else
    fuzz_masker (&f, &in, masker);
  frame_free (&f);
  return 0;
}
