/* faceanon engine tests
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

#ifndef __MASK_CHECK_H__
#define __MASK_CHECK_H__

/* What the tests of the masking kernels share (test-mask.c,
 * test-mask-gaussian.c). Every frame is laid out in one buffer with odd row
 * padding, gaps between planes and guard bytes at both ends; a map from
 * byte to owning component lets each test assert that nothing but the
 * intended samples changed. Most tests are rows of a table of MaskCase,
 * run by one runner. */

#include "fa-mask.h"

G_BEGIN_DECLS

typedef enum
{
  FMT_I420,
  FMT_NV12,
  FMT_RGB,
  FMT_RGBX,
  FMT_GRAY,
  N_FORMATS
} TestFormat;

typedef struct
{
  TestFormat format;
  guint32 seed;
  guint8 *mem;
  guint8 *orig;
  gint8 *owner;                 /* per byte: owning component, or -1 */
  gsize size;
  FaImage img;
} TestFrame;

/* A frame of @width x @height in @fmt, every byte random from @seed. */
TestFrame *frame_new (TestFormat fmt, gint width, gint height, guint32 seed);
void frame_free (TestFrame * f);

/* Makes the current contents the reference for the untouched checks. */
void frame_snapshot (TestFrame * f);
void frame_restore (TestFrame * f);
void frame_fill_comp (TestFrame * f, gint c, guint8 v);

guint8 *sample (const FaImage * img, gint c, gint x, gint y);
guint8 orig_sample (const TestFrame * f, gint c, gint x, gint y);

/* The specification of a region in component samples, written
 * independently of the implementation. */
gboolean expected_comp_rect (const FaImage * img, gint c, const FaRect * r,
    FaRect * out);

/* Asserts that every byte that is not a sample inside one of @regions,
 * padding, gaps and guards included, still holds its original value. */
void assert_outside_untouched (const TestFrame * f, const FaRect * regions,
    guint n_regions);

/* Box shape, scale 1, blur factor 3, 10 blocks, black. */
FaMaskParams params_default (FaMethod method);

/* Masks @regions of @f with a fresh masker. */
void apply (TestFrame * f, const FaMaskParams * p, const FaRect * regions,
    guint n_regions);

/* Mean and variance of one component over a rectangle of its samples. */
void comp_stats (const TestFrame * f, gint c, const FaRect * cr,
    gboolean orig, gdouble * mean, gdouble * var);

/* --------------------------------------------------------- case tables */

/* The parameter a step gives a value of for each application. */
typedef enum
{
  SWEEP_NONE,                   /* one application, the default parameters */
  SWEEP_BLUR_FACTOR,
  SWEEP_BLOCKS
} Sweep;

typedef struct _MaskStep MaskStep;

/* What an application with @p must have done, besides leaving every byte
 * outside the step's regions as it was (which the runner asserts). */
typedef void (*MaskCheck) (const TestFrame * f, const MaskStep * step,
    const FaMaskParams * p);

/* Applications of the masker to one picture, each to a fresh copy of it. */
struct _MaskStep
{
  void (*prepare) (TestFrame * f);      /* draws the picture this step and
                                         * the next start from; NULL: the
                                         * one before (first: the noise) */
  FaMethod method;
  FaShape shape;
  guint32 color;
  FaRect regions[3];
  guint n_regions;
  Sweep sweep;
  gdouble values[6];
  guint n_values;
  MaskCheck check;              /* NULL ends the steps */
};

/* Every byte of the frame still holds its original value. */
void check_unchanged (const TestFrame * f, const MaskStep * step,
    const FaMaskParams * p);

#define ALL_FORMATS N_FORMATS

/* One test: a frame, and the steps run on it in turn. */
typedef struct
{
  const gchar *name;            /* below /mask/; "%s": the format's name */
  TestFormat format;            /* or ALL_FORMATS: a test for each */
  gint width, height;
  guint32 seed;
  gboolean seed_by_format;      /* plus the format's index */
  MaskStep steps[3];
} MaskCase;

#define REGIONS(...) .regions = {__VA_ARGS__}, \
    .n_regions = G_N_ELEMENTS (((FaRect[]) {__VA_ARGS__}))
#define SWEEP(what, ...) .sweep = what, .values = {__VA_ARGS__}, \
    .n_values = G_N_ELEMENTS (((gdouble[]) {__VA_ARGS__}))
#define FACTORS(...) SWEEP (SWEEP_BLUR_FACTOR, __VA_ARGS__)
#define BLOCKS(...) SWEEP (SWEEP_BLOCKS, __VA_ARGS__)

/* Adds a test for each case (for each format, with ALL_FORMATS). */
void add_mask_cases (const MaskCase * cases, guint n_cases);

G_END_DECLS

#endif /* __MASK_CHECK_H__ */
