/* A disk that fills, for a test that cannot mount a small one
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

/* LD_PRELOAD=enospc-preload.so ENOSPC_DIR=DIR ENOSPC_AFTER=BYTES PROGRAM:
 * once the process has written BYTES into files under DIR, every further
 * write there fails with ENOSPC, as on a full disk. write (), writev ()
 * and fwrite () (what filesink uses); other files are left alone. */

#define _GNU_SOURCE

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static size_t written;

/* Whether @fd is a file under $ENOSPC_DIR. */
static int
in_dir (int fd)
{
  const char *dir = getenv ("ENOSPC_DIR");
  char link[64], target[4096];
  ssize_t n;

  if (dir == NULL || *dir == '\0')
    return 0;
  snprintf (link, sizeof (link), "/proc/self/fd/%d", fd);
  n = readlink (link, target, sizeof (target) - 1);
  if (n <= 0)
    return 0;
  target[n] = '\0';
  return strncmp (target, dir, strlen (dir)) == 0;
}

/* Whether @len more bytes to @fd are refused. */
static int
full (int fd, size_t len)
{
  const char *after = getenv ("ENOSPC_AFTER");

  if (after == NULL || !in_dir (fd))
    return 0;
  if (written + len > strtoull (after, NULL, 10))
    return 1;
  written += len;
  return 0;
}

ssize_t
write (int fd, const void *buf, size_t len)
{
  static ssize_t (*real) (int, const void *, size_t);

  if (real == NULL)
    real = dlsym (RTLD_NEXT, "write");
  if (full (fd, len)) {
    errno = ENOSPC;
    return -1;
  }
  return real (fd, buf, len);
}

ssize_t
writev (int fd, const struct iovec *iov, int n)
{
  static ssize_t (*real) (int, const struct iovec *, int);
  size_t len = 0;

  if (real == NULL)
    real = dlsym (RTLD_NEXT, "writev");
  for (int i = 0; i < n; i++)
    len += iov[i].iov_len;
  if (full (fd, len)) {
    errno = ENOSPC;
    return -1;
  }
  return real (fd, iov, n);
}

size_t
fwrite (const void *buf, size_t size, size_t n, FILE * f)
{
  static size_t (*real) (const void *, size_t, size_t, FILE *);

  if (real == NULL)
    real = dlsym (RTLD_NEXT, "fwrite");
  if (full (fileno (f), size * n)) {
    errno = ENOSPC;
    return 0;
  }
  return real (buf, size, n, f);
}
