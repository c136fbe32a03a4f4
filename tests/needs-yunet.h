/* faceanon tests: the tests that need YuNet
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

#ifndef __NEEDS_YUNET_H__
#define __NEEDS_YUNET_H__

/* A test whose assertions hold for the YuNet detector only (how many
 * faces are masked, what a reference detector finds left) is skipped
 * without it: exit status 77, which meson counts as skipped, with the
 * reason and the command that installs it. tools/run-tests.sh lists the
 * skipped tests at its end; .ci/run fails on any. */

#include <glib.h>

G_BEGIN_DECLS

#define NEEDS_YUNET_SKIP 77

/* Returns when the best model installed is YuNet; else prints why and
 * exits with 77. */
void needs_yunet (const gchar * test);

G_END_DECLS

#endif /* __NEEDS_YUNET_H__ */
