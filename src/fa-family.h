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

#ifndef __FA_FAMILY_H__
#define __FA_FAMILY_H__

/* Face detector families. A family is a row of the table in fa-family.c:
 * how the network's input is laid out and normalised, which outputs tell
 * the family apart, and the decoder that turns them into boxes
 * (fa-decode.h). Adding a family is adding a row and its decoder. */

#include "fa-image.h"
#include "fa-net.h"

G_BEGIN_DECLS typedef enum
{
  FA_LAYOUT_NCHW,               /* 1 x 3 x H x W: one plane per channel */
  FA_LAYOUT_NHWC                /* 1 x H x W x 3: channels interleaved */
} FaLayout;

typedef enum
{
  FA_ORDER_RGB,
  FA_ORDER_BGR
} FaChannelOrder;

/* The network's input: each channel, in @order, is (sample - mean) / std
 * of the 0..255 picture; what lies beyond the picture is @pad. */
typedef struct
{
  FaLayout layout;
  FaChannelOrder order;
  gfloat mean[3];
  gfloat std[3];
  gfloat pad;
} FaInputSpec;

#define FA_FAMILY_MAX_OUTPUTS 9

/* What a model of a family needs beyond its row, found when it is loaded. */
typedef struct
{
  /* the outputs the decoder reads, in its order, NULL-terminated; the
   * names belong to the network */
  const gchar *outputs[FA_FAMILY_MAX_OUTPUTS + 1];
  gint fixed_size;              /* square input side; 0: any size */
} FaModelSetup;

/* Boxes in input pixels from the outputs named in FaModelSetup, appended
 * to @boxes; an output of the wrong form is an FA_ERROR_OUTPUT error. */
typedef gboolean (*FaDecodeFunc) (const FaTensor * outs, gint in_w,
    gint in_h, gfloat threshold, GArray * boxes, GError ** error);

typedef struct
{
  const gchar *name;            /* as messages and logs name it */
  /* NULL, or what it misses that YuNet finds, for a warning */
  const gchar *weakness;
  gboolean caffe;               /* a .caffemodel with its .prototxt */
  FaInputSpec input;
  gint fixed_size;              /* square input side; 0: any size */
  gint align;                   /* any size: sides padded to a multiple */
  /* the outputs that tell the family, in the decoder's order; NULL when
   * @probe tells instead */
  const gchar *const *outputs;
    gboolean (*probe) (FaNet * net, const gchar * path, FaModelSetup * setup);
  FaDecodeFunc decode;
} FaFamily;

/* The family of a loaded network, with its setup, or NULL. */
const FaFamily *fa_family_recognise (FaNet * net, const gchar * path,
    gboolean caffe, FaModelSetup * setup);

/* The names of the families of one kind of file, for messages ("YuNet,
 * BlazeFace"); free with g_free. */
gchar *fa_family_list (gboolean caffe);

G_END_DECLS
#endif /* __FA_FAMILY_H__ */
