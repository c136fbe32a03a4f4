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

#ifndef __FA_ERROR_H__
#define __FA_ERROR_H__

/* The engine's errors. Their messages say what is wrong and with which
 * file or frame; what the user should change (a property, an option) is
 * for the element and the tools to add, since only they know its name. */

#include <glib.h>

G_BEGIN_DECLS
#define FA_ERROR (fa_error_quark ())
    GQuark fa_error_quark (void);

typedef enum
{
  FA_ERROR_MODEL,               /* missing, unreadable or unrecognised model */
  FA_ERROR_INFERENCE,           /* the network failed on a frame */
  FA_ERROR_OUTPUT,              /* the network's output has an unexpected form */
  FA_ERROR_BEHIND,              /* live detection fell too far behind */
  FA_ERROR_NO_MODEL             /* no model installed where models are looked for */
} FaError;

G_END_DECLS
#endif /* __FA_ERROR_H__ */
