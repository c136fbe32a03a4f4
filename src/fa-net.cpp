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

/* The C++ layer over OpenCV DNN. Every entry point catches everything:
 * a C caller can neither see an OpenCV type nor be unwound by an
 * exception. No global state: each FaNet owns its cv::dnn::Net. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "fa-net.h"

#include <opencv2/dnn.hpp>

#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

struct _FaNet
{
  cv::dnn::Net net;
  std::vector<std::string> output_names;
  std::vector<const gchar *> output_name_ptrs;
  std::vector<cv::Mat> outputs;
  /* the names of the last forward, kept so that steady state allocates
   * no strings */
  const gchar *const *wanted_ptr;
  std::vector<std::string> wanted;
};

FaNet *
fa_net_new (const gchar * model, const gchar * config, GError ** error)
{
  FaNet *net = NULL;

  try {
    net = new FaNet ();
    /* by format, not by OpenCV's reading of the extension, which is case
     * sensitive */
    net->net = config ? cv::dnn::readNetFromCaffe (config, model) :
        cv::dnn::readNetFromONNX (model);
    if (net->net.empty ())
      throw std::runtime_error ("OpenCV read an empty network");
    net->net.setPreferableBackend (cv::dnn::DNN_BACKEND_OPENCV);
    net->net.setPreferableTarget (cv::dnn::DNN_TARGET_CPU);
    net->output_names = net->net.getUnconnectedOutLayersNames ();
    for (const std::string & name : net->output_names)
      net->output_name_ptrs.push_back (name.c_str ());
    net->output_name_ptrs.push_back (NULL);
    return net;
  }
  catch (const std::exception & e) {
    g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
        "OpenCV could not load the network from '%s'%s%s%s: %s", model,
        config ? " (with '" : "", config ? config : "", config ? "')" : "",
        e.what ());
  }
  catch ( ...) {
    g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
        "OpenCV could not load the network from '%s'", model);
  }
  delete net;
  return NULL;
}

void
fa_net_free (FaNet * net)
{
  try {
    delete net;
  }
  catch ( ...) {
  }
}

const gchar *const *
fa_net_get_output_names (FaNet * net)
{
  return net->output_name_ptrs.data ();
}

gboolean
fa_net_forward (FaNet * net, const gfloat * input, const gint shape[4],
    const gchar * const *names, FaTensor * outs, GError ** error)
{
  try {
    if (net->wanted_ptr != names) {
      net->wanted.clear ();
      for (guint i = 0; names[i]; i++)
        net->wanted.push_back (names[i]);
      net->wanted_ptr = names;
    }
    const std::vector<std::string> & wanted = net->wanted;

    /* The blob wraps the caller's memory: no copy. */
    const int dims[4] = { shape[0], shape[1], shape[2], shape[3] };
    cv::Mat blob (4, dims, CV_32F, const_cast < gfloat * >(input));
    net->net.setInput (blob);
    net->net.forward (net->outputs, wanted);

    for (size_t i = 0; i < wanted.size (); i++) {
      const cv::Mat & m = net->outputs[i];
      if (m.type () != CV_32F || !m.isContinuous ())
        throw std::runtime_error ("output '" + wanted[i] +
            "' is not a continuous float tensor");
      outs[i].data = m.ptr < gfloat > ();
      outs[i].ndims = MIN (m.dims, FA_TENSOR_MAX_DIMS);
      for (int d = 0; d < FA_TENSOR_MAX_DIMS; d++)
        outs[i].shape[d] = d < m.dims ? m.size[d] : 1;
      outs[i].count = m.total ();
    }
    return TRUE;
  }
  catch (const std::exception & e) {
    g_set_error (error, FA_ERROR, FA_ERROR_INFERENCE,
        "the face detection network failed: %s", e.what ());
  }
  catch ( ...) {
    g_set_error (error, FA_ERROR, FA_ERROR_INFERENCE,
        "the face detection network failed");
  }
  return FALSE;
}
