/* faceanon tools: element properties as command-line options
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

/* A program that takes an element's properties on its command line, in
 * either of two forms, gets them parsed, checked and described here with
 * the element's own param specs (names, types, ranges, defaults):
 *
 *   --set PROP=VALUE (faceanon-relay, and any program that passes settings
 *     through to an element): fa_settings_parse() checks them all before
 *     anything starts, fa_settings_apply() sets them on each element made;
 *   --PROP=VALUE (faceanon-eval): fa_prop_options_new() makes a GOptionEntry
 *     a property, fa_prop_options_set() sets what was given.
 *
 * Errors are in FA_OPTION_ERROR and say what would do: the properties that
 * can be set, the values or the range a property takes. */

#ifndef __FA_OPTIONS_H__
#define __FA_OPTIONS_H__

#include <gst/gst.h>

G_BEGIN_DECLS

#define FA_OPTION_ERROR (fa_option_error_quark ())

typedef enum
{
  FA_OPTION_ERROR_SYNTAX,       /* not PROP=VALUE */
  FA_OPTION_ERROR_UNKNOWN,      /* the element has no such property */
  FA_OPTION_ERROR_NOT_WRITABLE, /* read-only, construct-only, name, parent */
  FA_OPTION_ERROR_VALUE,        /* not a value of the property's type */
  FA_OPTION_ERROR_RANGE,        /* of the right type, out of the range */
} FaOptionError;

GQuark fa_option_error_quark (void);

/* ---- one property ---- */

/* Whether an option may set @pspec: writable after construction, and not
 * the GstObject's name or parent. */
gboolean fa_option_settable (GParamSpec * pspec);

/* "a, b, c": the properties of @klass that an option may set. */
gchar *fa_option_list_settable (GObjectClass * klass);

/* What @pspec takes, to end "give ...": "one of a, b", "true or false",
 * "an integer from 1 to 64", "a number from 0.1 to 10". */
gchar *fa_option_describe_values (GParamSpec * pspec);

/* For --help: the blurb, then the values and the default, "blurb (a, b;
 * default a)", "blurb (1..64, default 4)". */
gchar *fa_option_describe (GParamSpec * pspec);

/* @value as an option would give it: a number in %g, else serialized. */
gchar *fa_option_value_string (const GValue * value);

/* Parses @text into @value (initialized here) with @pspec's parsing and
 * range; the error says "'TEXT' is not a valid value for PROP: give ...". */
gboolean fa_option_parse_value (GParamSpec * pspec, const gchar * text,
    GValue * value, GError ** error);

/* ---- --set PROP=VALUE ---- */

typedef struct _FaSettings FaSettings;

/* Checks each PROP=VALUE of @sets (NULL-terminated, or NULL) against the
 * properties of @element, in order: the first wrong one is the error,
 * starting "--set PROP=VALUE: ", that says what would do (@example, such
 * as "method=pixelate", shows the form). Nothing is set on @element. */
FaSettings *fa_settings_parse (GstElement * element, gchar ** sets,
    const gchar * example, GError ** error);

/* Sets the checked properties on @element (of the class they were checked
 * against), in the order given. Any thread. */
void fa_settings_apply (const FaSettings * settings, GstElement * element);

void fa_settings_free (FaSettings * settings);

/* ---- --PROP=VALUE ---- */

typedef gchar *(*FaOptionDescribeFunc) (GParamSpec * pspec);

typedef struct _FaPropOptions FaPropOptions;

/* An option --PROP=VALUE for each of the @n_names properties of @klass
 * named in @names, in that order, described by @describe (NULL:
 * fa_option_describe). Every name must be a property of @klass. */
FaPropOptions *fa_prop_options_new (GObjectClass * klass,
    const gchar * const *names, guint n_names, FaOptionDescribeFunc describe);

/* The option's argument in --help ("VALUE" unless set here). */
void fa_prop_options_set_arg_description (FaPropOptions * options,
    const gchar * name, const gchar * arg_description);

/* The GOptionEntry rows, NULL-terminated, for
 * g_option_context_add_main_entries (); owned by @options. */
const GOptionEntry *fa_prop_options_get_entries (FaPropOptions * options);

/* What the command line gave for @name, or NULL. */
const gchar *fa_prop_options_get_value (FaPropOptions * options,
    const gchar * name);

/* Sets the property @name on @element when its option was given; the
 * error is "--PROP VALUE is not a valid value. PROP: " and the option's
 * description. */
gboolean fa_prop_options_set (FaPropOptions * options, GstElement * element,
    const gchar * name, GError ** error);

void fa_prop_options_free (FaPropOptions * options);

G_END_DECLS

#endif /* __FA_OPTIONS_H__ */
