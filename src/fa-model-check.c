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

/* The element runs inside applications faceanon knows nothing of: many
 * threads, their own SIGCHLD handling, file descriptors without
 * close-on-exec. So the child is started with posix_spawn (glibc makes it
 * with vfork semantics: no copy of the application, no fork handlers, safe
 * from any thread), with default signal handlers and mask, only its three
 * standard descriptors, stdin and stderr on /dev/null; its answer comes on
 * a pipe of its own, so that an application that reaps every child (or
 * ignores SIGCHLD) cannot make a crash look like success: only the answer
 * "ok" is. A child that takes too long is killed. */

/* dladdr (), pipe2 () */
#define _GNU_SOURCE

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "fa-model-check.h"
#include "fa-model-check-config.h"
#include "fa-error.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define MAX_ANSWER (16 * 1024)
/* after the answer, or after a kill: how long the child may take to go */
#define REAP_TIMEOUT_US (2 * G_USEC_PER_SEC)

/* The file this code was loaded from: the plugin, or a program that links
 * the engine. */
static gchar *
this_file (void)
{
  Dl_info info;
  char *real = NULL;
  gchar *file;

  if (dladdr ((const void *) &this_file, &info) && info.dli_fname
      && strchr (info.dli_fname, '/'))
    real = realpath (info.dli_fname, NULL);
  /* a program's own code is named by its argv[0]: ask the kernel */
  if (real == NULL)
    real = realpath ("/proc/self/exe", NULL);
  file = g_strdup (real);
  free (real);
  return file;
}

gchar *
fa_model_check_program (void)
{
  const gchar *env = g_getenv ("FACEANON_MODEL_CHECK");
  gchar *self, *program;
  char *root;

  if (env && *env)
    return g_strdup (env);
  /* the build folder's own program, only for code that runs from there:
   * an installed faceanon never runs what lies in a build folder */
  self = this_file ();
  root = realpath (FA_BUILD_ROOT, NULL);
  if (self && root && g_str_has_prefix (self, root)
      && self[strlen (root)] == '/')
    program = g_strdup (FA_MODEL_CHECK_BUILT);
  else
    program = g_strdup (FA_MODEL_CHECK_INSTALLED);
  free (root);
  g_free (self);
  return program;
}

static pid_t
spawn_child (const gchar * program, const gchar * path, int out_fd,
    GError ** error)
{
  char *argv[] = { (char *) program, (char *) "--", (char *) path, NULL };
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  sigset_t signals;
  pid_t pid = -1;
  int rc;

  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_addopen (&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2 (&actions, out_fd, 1);
  posix_spawn_file_actions_addopen (&actions, 2, "/dev/null", O_WRONLY, 0);
#ifdef HAVE_POSIX_SPAWN_FILE_ACTIONS_ADDCLOSEFROM_NP
  /* whatever the application left open without close-on-exec */
  posix_spawn_file_actions_addclosefrom_np (&actions, 3);
#endif
  posix_spawnattr_init (&attr);
  sigemptyset (&signals);
  posix_spawnattr_setsigmask (&attr, &signals);
  sigfillset (&signals);
  posix_spawnattr_setsigdefault (&attr, &signals);
  posix_spawnattr_setflags (&attr, POSIX_SPAWN_SETSIGMASK |
      POSIX_SPAWN_SETSIGDEF);

  rc = posix_spawn (&pid, program, &actions, &attr, argv, environ);
  posix_spawnattr_destroy (&attr);
  posix_spawn_file_actions_destroy (&actions);
  if (rc != 0) {
    g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
        "the model '%s' is not one faceanon installs, so it is tried in a "
        "process of its own first, and the program that does it, '%s', "
        "cannot be run (%s): install faceanon again", path, program,
        g_strerror (rc));
    return -1;
  }
  return pid;
}

/* Reads the child's answer until it closes the pipe or @deadline (of the
 * monotonic clock) passes; FALSE on the deadline. */
static gboolean
read_answer (int fd, gint64 deadline, GString * answer)
{
  gchar buf[4096];

  for (;;) {
    struct pollfd p = {.fd = fd,.events = POLLIN };
    gint64 left = deadline - g_get_monotonic_time ();
    ssize_t n;
    int rc;

    if (left <= 0)
      return FALSE;
    rc = poll (&p, 1, (int) MIN (left / 1000 + 1, G_MAXINT));
    if (rc < 0 && errno == EINTR)
      continue;
    if (rc == 0)
      return FALSE;
    if (rc < 0)
      return TRUE;              /* nothing more will come */
    n = read (fd, buf, sizeof (buf));
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
      continue;
    if (n <= 0)
      return TRUE;
    if (answer->len < MAX_ANSWER)
      g_string_append_len (answer, buf, MIN ((gsize) n,
              MAX_ANSWER - answer->len));
  }
}

/* The child's exit status, or FALSE when it cannot be had: the application
 * reaped the child itself, or it does not go. */
static gboolean
reap (pid_t pid, gint64 deadline, int *status)
{
  for (;;) {
    pid_t r = waitpid (pid, status, WNOHANG);

    if (r == pid)
      return TRUE;
    if (r < 0 && errno != EINTR)
      return FALSE;
    if (g_get_monotonic_time () > deadline)
      return FALSE;
    g_usleep (1000);
  }
}

gboolean
fa_model_check_in_child (const gchar * path, GError ** error)
{
  gchar *program = fa_model_check_program ();
  GString *answer = g_string_new (NULL);
  gboolean answered, reaped, ok = FALSE;
  int fds[2], status = 0;
  gint64 deadline;
  pid_t pid;

  if (pipe2 (fds, O_CLOEXEC) != 0) {
    g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
        "cannot try the model '%s' in a process of its own: %s", path,
        g_strerror (errno));
    goto out;
  }
  pid = spawn_child (program, path, fds[1], error);
  close (fds[1]);
  if (pid < 0) {
    close (fds[0]);
    goto out;
  }

  deadline = g_get_monotonic_time () + FA_MODEL_CHECK_TIMEOUT_S *
      G_USEC_PER_SEC;
  answered = read_answer (fds[0], deadline, answer);
  close (fds[0]);
  if (!answered)
    kill (pid, SIGKILL);
  reaped = reap (pid, g_get_monotonic_time () + REAP_TIMEOUT_US, &status);
  if (!reaped) {
    /* not ours to wait for any longer: make sure it is gone */
    kill (pid, SIGKILL);
  }

  if (!answered) {
    g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
        "the model '%s' is damaged or not a model OpenCV can read: loading "
        "it took more than %d s, and was stopped", path,
        FA_MODEL_CHECK_TIMEOUT_S);
  } else if (g_str_has_prefix (answer->str, "ok\n")
      && (!reaped || (WIFEXITED (status) && WEXITSTATUS (status) == 0))) {
    ok = TRUE;
  } else if (g_str_has_prefix (answer->str, "error\n")) {
    g_set_error (error, FA_ERROR, FA_ERROR_MODEL, "%s",
        answer->str + strlen ("error\n"));
  } else if (reaped && WIFSIGNALED (status)) {
    g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
        "the model '%s' is damaged or not a model OpenCV can read: OpenCV "
        "crashed loading or running it (signal %d, %s, in a process of its "
        "own)", path, WTERMSIG (status), g_strsignal (WTERMSIG (status)));
  } else {
    gchar *how = !reaped ? g_strdup ("its exit status went elsewhere") :
        g_strdup_printf ("exit status %d", WEXITSTATUS (status));

    g_set_error (error, FA_ERROR, FA_ERROR_MODEL,
        "the model '%s' is damaged or not a model OpenCV can read: the "
        "process that tried it ended without an answer (%s)", path, how);
    g_free (how);
  }

out:
  g_string_free (answer, TRUE);
  g_free (program);
  return ok;
}
