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

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "fa-options.h"

#include <string.h>

G_DEFINE_QUARK (fa_option_error, fa_option_error);

/* ---- one property ---- */

gboolean
fa_option_settable (GParamSpec * pspec)
{
  return (pspec->flags & G_PARAM_WRITABLE)
      && !(pspec->flags & G_PARAM_CONSTRUCT_ONLY)
      && !g_str_equal (pspec->name, "name")
      && !g_str_equal (pspec->name, "parent");
}

gchar *
fa_option_list_settable (GObjectClass * klass)
{
  guint n;
  GParamSpec **specs = g_object_class_list_properties (klass, &n);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    if (fa_option_settable (specs[i]))
      g_string_append_printf (s, "%s%s", s->len ? ", " : "", specs[i]->name);
  g_free (specs);
  return g_string_free (s, FALSE);
}

/* "a, b, c": the nicks of an enum property. */
static gchar *
enum_nicks (GParamSpec * pspec)
{
  GEnumClass *klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < klass->n_values; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "",
        klass->values[i].value_nick);
  return g_string_free (s, FALSE);
}

/* The bounds of a numeric property as text; FALSE for another type.
 * @integer: the property takes whole numbers only. */
static gboolean
numeric_range (GParamSpec * pspec, gchar ** min, gchar ** max,
    gboolean * integer)
{
  *integer = TRUE;
  if (G_IS_PARAM_SPEC_UINT (pspec)) {
    *min = g_strdup_printf ("%u", G_PARAM_SPEC_UINT (pspec)->minimum);
    *max = g_strdup_printf ("%u", G_PARAM_SPEC_UINT (pspec)->maximum);
  } else if (G_IS_PARAM_SPEC_INT (pspec)) {
    *min = g_strdup_printf ("%d", G_PARAM_SPEC_INT (pspec)->minimum);
    *max = g_strdup_printf ("%d", G_PARAM_SPEC_INT (pspec)->maximum);
  } else if (G_IS_PARAM_SPEC_UINT64 (pspec)) {
    *min = g_strdup_printf ("%" G_GUINT64_FORMAT,
        G_PARAM_SPEC_UINT64 (pspec)->minimum);
    *max = g_strdup_printf ("%" G_GUINT64_FORMAT,
        G_PARAM_SPEC_UINT64 (pspec)->maximum);
  } else if (G_IS_PARAM_SPEC_INT64 (pspec)) {
    *min = g_strdup_printf ("%" G_GINT64_FORMAT,
        G_PARAM_SPEC_INT64 (pspec)->minimum);
    *max = g_strdup_printf ("%" G_GINT64_FORMAT,
        G_PARAM_SPEC_INT64 (pspec)->maximum);
  } else if (G_IS_PARAM_SPEC_FLOAT (pspec)) {
    *integer = FALSE;
    *min = g_strdup_printf ("%g", G_PARAM_SPEC_FLOAT (pspec)->minimum);
    *max = g_strdup_printf ("%g", G_PARAM_SPEC_FLOAT (pspec)->maximum);
  } else if (G_IS_PARAM_SPEC_DOUBLE (pspec)) {
    *integer = FALSE;
    *min = g_strdup_printf ("%g", G_PARAM_SPEC_DOUBLE (pspec)->minimum);
    *max = g_strdup_printf ("%g", G_PARAM_SPEC_DOUBLE (pspec)->maximum);
  } else {
    return FALSE;
  }
  return TRUE;
}

gchar *
fa_option_describe_values (GParamSpec * pspec)
{
  gchar *min, *max, *nicks, *out;
  gboolean integer;

  if (G_IS_PARAM_SPEC_ENUM (pspec)) {
    nicks = enum_nicks (pspec);
    out = g_strdup_printf ("one of %s", nicks);
    g_free (nicks);
  } else if (G_IS_PARAM_SPEC_BOOLEAN (pspec)) {
    out = g_strdup ("true or false");
  } else if (numeric_range (pspec, &min, &max, &integer)) {
    out = g_strdup_printf ("%s from %s to %s", integer ? "an integer" :
        "a number", min, max);
    g_free (min);
    g_free (max);
  } else {
    out = g_strdup_printf ("a %s", g_type_name (pspec->value_type));
  }
  return out;
}

gchar *
fa_option_describe (GParamSpec * pspec)
{
  const gchar *blurb = g_param_spec_get_blurb (pspec);
  GValue def = G_VALUE_INIT;
  gchar *def_str, *min, *max, *nicks, *out;
  gboolean integer;

  g_value_init (&def, pspec->value_type);
  g_param_value_set_default (pspec, &def);
  def_str = fa_option_value_string (&def);
  g_value_unset (&def);

  if (G_IS_PARAM_SPEC_ENUM (pspec)) {
    nicks = enum_nicks (pspec);
    out = g_strdup_printf ("%s (%s; default %s)", blurb, nicks, def_str);
    g_free (nicks);
  } else if (G_IS_PARAM_SPEC_BOOLEAN (pspec)) {
    out = g_strdup_printf ("%s (true or false; default %s)", blurb, def_str);
  } else if (numeric_range (pspec, &min, &max, &integer)) {
    out = g_strdup_printf ("%s (%s..%s, default %s)", blurb, min, max, def_str);
    g_free (min);
    g_free (max);
  } else {
    out = g_strdup (blurb);
  }
  g_free (def_str);
  return out;
}

gchar *
fa_option_value_string (const GValue * value)
{
  /* serialized, 0.3 would read 0.29999999999999999 */
  if (G_VALUE_HOLDS_FLOAT (value))
    return g_strdup_printf ("%g", g_value_get_float (value));
  if (G_VALUE_HOLDS_DOUBLE (value))
    return g_strdup_printf ("%g", g_value_get_double (value));
  return gst_value_serialize (value);
}

gboolean
fa_option_parse_value (GParamSpec * pspec, const gchar * text,
    GValue * value, GError ** error)
{
  gchar *values;
  gint code = -1;

  g_value_init (value, pspec->value_type);
  if (!gst_value_deserialize_with_pspec (value, text, pspec))
    code = FA_OPTION_ERROR_VALUE;
  /* true when the value had to be changed to fit the range */
  else if (g_param_value_validate (pspec, value))
    code = FA_OPTION_ERROR_RANGE;
  if (code < 0)
    return TRUE;

  g_value_unset (value);
  values = fa_option_describe_values (pspec);
  g_set_error (error, FA_OPTION_ERROR, code, "'%s' is not a valid value "
      "for %s: give %s", text, pspec->name, values);
  g_free (values);
  return FALSE;
}

/* ---- --set PROP=VALUE ---- */

typedef struct
{
  GParamSpec *pspec;
  GValue value;
} Setting;

struct _FaSettings
{
  GArray *settings;             /* Setting */
};

static void
setting_clear (gpointer data)
{
  Setting *s = data;

  g_value_unset (&s->value);
  g_param_spec_unref (s->pspec);
}

/* What the messages call @element: its factory's name, as gst-inspect-1.0
 * takes it. */
static const gchar *
element_name (GstElement * element)
{
  GstElementFactory *factory = gst_element_get_factory (element);

  return factory ? GST_OBJECT_NAME (factory) : G_OBJECT_TYPE_NAME (element);
}

/* One PROP=VALUE, checked against the properties of @element. */
static gboolean
parse_setting (GstElement * element, const gchar * set,
    const gchar * example, Setting * out, GError ** error)
{
  const gchar *eq = strchr (set, '=');
  GObjectClass *klass = G_OBJECT_GET_CLASS (element);
  GParamSpec *pspec;
  gchar *name, *list;

  if (eq == NULL || eq == set) {
    g_set_error (error, FA_OPTION_ERROR, FA_OPTION_ERROR_SYNTAX, "--set "
        "'%s': write PROP=VALUE, for example --set %s", set, example);
    return FALSE;
  }
  name = g_strndup (set, eq - set);
  pspec = g_object_class_find_property (klass, name);
  if (pspec == NULL || !fa_option_settable (pspec)) {
    list = fa_option_list_settable (klass);
    g_set_error (error, FA_OPTION_ERROR, pspec ?
        FA_OPTION_ERROR_NOT_WRITABLE : FA_OPTION_ERROR_UNKNOWN, "--set %s: "
        "%s has no property '%s' that can be set; it has %s "
        "(gst-inspect-1.0 %s describes them)", set, element_name (element),
        name, list, element_name (element));
    g_free (list);
    g_free (name);
    return FALSE;
  }
  g_free (name);

  if (!fa_option_parse_value (pspec, eq + 1, &out->value, error)) {
    g_prefix_error (error, "--set %s: ", set);
    return FALSE;
  }
  out->pspec = g_param_spec_ref (pspec);
  return TRUE;
}

FaSettings *
fa_settings_parse (GstElement * element, gchar ** sets,
    const gchar * example, GError ** error)
{
  FaSettings *settings = g_new0 (FaSettings, 1);

  settings->settings = g_array_new (FALSE, TRUE, sizeof (Setting));
  g_array_set_clear_func (settings->settings, setting_clear);
  for (guint i = 0; sets && sets[i]; i++) {
    Setting s = { NULL, G_VALUE_INIT };

    if (!parse_setting (element, sets[i], example, &s, error)) {
      fa_settings_free (settings);
      return NULL;
    }
    g_array_append_val (settings->settings, s);
  }
  return settings;
}

void
fa_settings_apply (const FaSettings * settings, GstElement * element)
{
  for (guint i = 0; i < settings->settings->len; i++) {
    const Setting *s = &g_array_index (settings->settings, Setting, i);

    g_object_set_property (G_OBJECT (element), s->pspec->name, &s->value);
  }
}

void
fa_settings_free (FaSettings * settings)
{
  if (settings == NULL)
    return;
  g_array_unref (settings->settings);
  g_free (settings);
}

/* ---- --PROP=VALUE ---- */

struct _FaPropOptions
{
  guint n;
  GParamSpec **pspecs;
  gchar **values;               /* what the command line gave, or NULL */
  gchar **help;
  GOptionEntry *entries;        /* n + 1 */
};

FaPropOptions *
fa_prop_options_new (GObjectClass * klass, const gchar * const *names,
    guint n_names, FaOptionDescribeFunc describe)
{
  FaPropOptions *o = g_new0 (FaPropOptions, 1);

  o->n = n_names;
  o->pspecs = g_new0 (GParamSpec *, n_names);
  o->values = g_new0 (gchar *, n_names);
  o->help = g_new0 (gchar *, n_names);
  o->entries = g_new0 (GOptionEntry, n_names + 1);
  for (guint i = 0; i < n_names; i++) {
    GParamSpec *pspec = g_object_class_find_property (klass, names[i]);
    GOptionEntry *entry = &o->entries[i];

    if (pspec == NULL)
      g_error ("%s has no property '%s' to make an option of",
          G_OBJECT_CLASS_NAME (klass), names[i]);
    o->pspecs[i] = g_param_spec_ref (pspec);
    o->help[i] = describe ? describe (pspec) : fa_option_describe (pspec);
    entry->long_name = pspec->name;
    entry->arg = G_OPTION_ARG_STRING;
    entry->arg_data = &o->values[i];
    entry->description = o->help[i];
    entry->arg_description = "VALUE";
  }
  return o;
}

static gint
find_option (FaPropOptions * o, const gchar * name)
{
  for (guint i = 0; i < o->n; i++)
    if (g_str_equal (o->pspecs[i]->name, name))
      return i;
  g_critical ("no option --%s", name);
  return -1;
}

void
fa_prop_options_set_arg_description (FaPropOptions * options,
    const gchar * name, const gchar * arg_description)
{
  gint i = find_option (options, name);

  if (i >= 0)
    options->entries[i].arg_description = arg_description;
}

const GOptionEntry *
fa_prop_options_get_entries (FaPropOptions * options)
{
  return options->entries;
}

const gchar *
fa_prop_options_get_value (FaPropOptions * options, const gchar * name)
{
  gint i = find_option (options, name);

  return i >= 0 ? options->values[i] : NULL;
}

gboolean
fa_prop_options_set (FaPropOptions * options, GstElement * element,
    const gchar * name, GError ** error)
{
  gint i = find_option (options, name);
  GValue v = G_VALUE_INIT;
  GParamSpec *pspec;
  GError *err = NULL;

  if (i < 0 || options->values[i] == NULL)
    return TRUE;
  pspec = options->pspecs[i];
  if (!fa_option_parse_value (pspec, options->values[i], &v, &err)) {
    g_set_error (error, FA_OPTION_ERROR, err->code, "--%s %s is not a valid "
        "value. %s: %s", pspec->name, options->values[i], pspec->name,
        options->help[i]);
    g_error_free (err);
    return FALSE;
  }
  g_object_set_property (G_OBJECT (element), pspec->name, &v);
  g_value_unset (&v);
  return TRUE;
}

void
fa_prop_options_free (FaPropOptions * options)
{
  if (options == NULL)
    return;
  for (guint i = 0; i < options->n; i++) {
    g_param_spec_unref (options->pspecs[i]);
    g_free (options->values[i]);
    g_free (options->help[i]);
  }
  g_free (options->pspecs);
  g_free (options->values);
  g_free (options->help);
  g_free (options->entries);
  g_free (options);
}
