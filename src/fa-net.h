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

#ifndef __FA_NET_H__
#define __FA_NET_H__

/* The only door to OpenCV DNN, which has no C API. The implementation is
 * C++; nothing of OpenCV and no exception crosses this header. */

#include "fa-error.h"

G_BEGIN_DECLS

#define FA_TENSOR_MAX_DIMS 4

typedef struct
{
  const gfloat *data;           /* owned by the net, valid until the next forward */
  gint ndims;
  gint shape[FA_TENSOR_MAX_DIMS];
  gsize count;                  /* number of elements */
} FaTensor;

typedef struct _FaNet FaNet;

/* An ONNX model, or with @config (its prototxt) a Caffe model. */
FaNet *fa_net_new (const gchar * model, const gchar * config,
    GError ** error);
void fa_net_free (FaNet * net);

/* The names of the network's outputs, NULL-terminated, owned by @net. */
const gchar *const *fa_net_get_output_names (FaNet * net);

/* Runs the network on a float input tensor of the given 4D shape and
 * returns the outputs named in @names (NULL-terminated) in @outs. */
gboolean fa_net_forward (FaNet * net, const gfloat * input,
    const gint shape[4], const gchar * const *names, FaTensor * outs,
    GError ** error);

G_END_DECLS

#endif /* __FA_NET_H__ */
