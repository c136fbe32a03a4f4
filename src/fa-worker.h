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

#ifndef __FA_WORKER_H__
#define __FA_WORKER_H__

/* Detection on its own thread, for live sources: the streaming thread hands
 * over a copy of a frame when the worker is idle and picks the faces up
 * when they are ready, never waiting for the network. */

#include "fa-detector.h"
#include "fa-tiling.h"

G_BEGIN_DECLS typedef struct _FaWorker FaWorker;

/* The worker uses @detector from its own thread while it exists: nobody
 * else may use it meanwhile. */
FaWorker *fa_worker_new (FaDetector * detector);
void fa_worker_free (FaWorker * worker);

/* If the worker is idle, copies @img and starts detecting on it in these
 * @n_passes passes and returns TRUE; FALSE when it is still busy. */
gboolean fa_worker_submit (FaWorker * worker, const FaImage * img,
    gint64 t_ns, const FaPass * passes, guint n_passes, gfloat threshold);

/* Whether a job is running or its result is waiting, and since when (the
 * timestamp of its frame). */
gboolean fa_worker_pending (FaWorker * worker, gint64 * t_ns);

/* Takes the result of the finished job, if any: TRUE with its faces
 * appended to @boxes, what its passes searched in @searched (room for
 * FA_TILING_MAX_PASSES; *@n_searched of them) and its frame's timestamp,
 * or FALSE. A job that failed gives TRUE with @error set. */
gboolean fa_worker_collect (FaWorker * worker, GArray * boxes,
    FaSearch * searched, guint * n_searched, gint64 * t_ns, GError ** error);

/* Waits until the running job, if any, has finished. */
void fa_worker_wait (FaWorker * worker);

/* Drops any running job's result (flush, seek). */
void fa_worker_discard (FaWorker * worker);

G_END_DECLS
#endif /* __FA_WORKER_H__ */
