/* faceanon-eval: results as a table
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

#include "eval.h"

typedef struct
{
  gchar *metric, *value, *detail;
} Row;

GArray *
eval_table_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (Row));
}

void
eval_table_free (GArray * rows)
{
  for (guint i = 0; i < rows->len; i++) {
    Row *r = &g_array_index (rows, Row, i);

    g_free (r->metric);
    g_free (r->value);
    g_free (r->detail);
  }
  g_array_unref (rows);
}

void
eval_table_add (GArray * rows, const gchar * metric, gchar * value,
    gchar * detail)
{
  Row r = { g_strdup (metric), value, detail ? detail : g_strdup ("") };

  g_array_append_val (rows, r);
}

void
eval_table_add_recall (GArray * rows, const gchar * metric, guint hit, guint n)
{
  eval_table_add (rows, metric, n ? g_strdup_printf ("%.3f",
          (gdouble) hit / n) : g_strdup ("-"),
      g_strdup_printf ("%u of %u faces", hit, n));
}

gint
eval_compare_doubles (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return (x > y) - (x < y);
}

void
eval_table_print (GArray * rows, gboolean markdown)
{
  gint mw = 0, vw = 0;

  for (guint i = 0; i < rows->len; i++) {
    Row *r = &g_array_index (rows, Row, i);

    mw = MAX (mw, (gint) g_utf8_strlen (r->metric, -1));
    vw = MAX (vw, (gint) g_utf8_strlen (r->value, -1));
  }
  if (markdown)
    g_print ("| metric | value | detail |\n|---|---:|---|\n");
  for (guint i = 0; i < rows->len; i++) {
    Row *r = &g_array_index (rows, Row, i);

    if (markdown)
      g_print ("| %s | %s | %s |\n", r->metric, r->value, r->detail);
    else if (*r->detail == '\0')
      g_print ("%-*s  %*s\n", mw, r->metric, vw, r->value);
    else
      g_print ("%-*s  %*s  %s\n", mw, r->metric, vw, r->value, r->detail);
  }
}
