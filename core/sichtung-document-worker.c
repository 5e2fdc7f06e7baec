/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sichtung-document-worker: opens one PDF and answers an ScDocument's requests about it
 * (text, layout, rendering, search) over the socket it is given. See sc-document-worker.h.
 *
 *   sichtung-document-worker --fd N [--memory-mb M]
 *   sichtung-document-worker --check-sandbox     exit status 0 when the limits hold
 *
 * Before it reads anything it limits itself: no core dumps, at most M MiB of address space
 * (not under AddressSanitizer, which reserves terabytes), death with its parent, no new
 * privileges, and a seccomp filter under which socket() fails, so a PDF that takes over the
 * parser still cannot reach a network. It exits when the socket closes.
 *
 * For the tests of the parent's error paths, $SICHTUNG_DOCUMENT_WORKER_FAULT makes it crash
 * ("crash-render"), hang ("hang-render") or take memory until its limit stops it
 * ("hog-render") instead of rendering.
 */
#define G_LOG_DOMAIN "sichtung-document-worker"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <glib.h>
#include <glib/gi18n-lib.h>

#include "sc-document-private.h"
#include "sc-document-worker.h"
#include "sc-error.h"

#if defined(__SANITIZE_ADDRESS__)
# define UNDER_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define UNDER_ASAN 1
# endif
#endif

#if defined(__x86_64__)
# define SECCOMP_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
# define SECCOMP_ARCH AUDIT_ARCH_AARCH64
#endif

/* ------------------------------------------------------------------------------------------ */
/* Limits                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* socket() fails with EACCES; so does every system call of another ABI (x32, i386), through
 * which the filter could be sidestepped. Everything else is allowed: poppler needs files,
 * memory and threads, not a narrow allow-list that a library update could break. */
static gboolean
forbid_sockets (void)
{
#ifdef SECCOMP_ARCH
  struct sock_filter filter[] = {
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, arch)),
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_ARCH, 0, 4),
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, nr)),
#ifdef __x86_64__
    BPF_JUMP (BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 2, 0),
#else
    BPF_JUMP (BPF_JMP | BPF_JA, 0, 0, 0),
#endif
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 1, 0),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EACCES & SECCOMP_RET_DATA)),
  };
  struct sock_fprog program = { .len = G_N_ELEMENTS (filter), .filter = filter };

  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      prctl (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0)
    {
      g_printerr ("sichtung-document-worker: seccomp: %s\n", g_strerror (errno));
      return FALSE;
    }
  return TRUE;
#else
  return FALSE;
#endif
}

static gboolean
limit_self (guint64 memory_mb)
{
  struct rlimit no_core = { 0, 0 };
  gboolean ok = TRUE;

  setrlimit (RLIMIT_CORE, &no_core);
  prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
#ifndef UNDER_ASAN
  if (memory_mb > 0)
    {
      struct rlimit as = { memory_mb << 20, memory_mb << 20 };

      if (setrlimit (RLIMIT_AS, &as) != 0)
        {
          g_printerr ("sichtung-document-worker: memory limit: %s\n", g_strerror (errno));
          ok = FALSE;
        }
    }
#endif
  return forbid_sockets () && ok;
}

/* ------------------------------------------------------------------------------------------ */
/* Requests                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static gboolean
send_reply (int            fd,
            guint32        tag,
            GVariant      *args,
            const guint8  *data,
            guint64        data_size)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (args);
  ScWorkerHeader header = { tag, (guint32) g_variant_get_size (owned), data_size };

  return _sc_worker_write_all (fd, &header, sizeof header, -1, NULL) &&
         _sc_worker_write_all (fd, g_variant_get_data (owned), header.args_size, -1, NULL) &&
         (data_size == 0 || _sc_worker_write_all (fd, data, data_size, -1, NULL));
}

static gboolean
send_error (int           fd,
            const GError *error)
{
  gint32 code = error->domain == SC_ERROR ? error->code : SC_ERROR_FAILED;

  return send_reply (fd, SC_WORKER_REPLY_ERROR, g_variant_new ("(is)", code, error->message),
                     NULL, 0);
}

static GVariant *
boxes_variant (GArray *boxes)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(dddd)"));
  for (guint i = 0; i < boxes->len; i++)
    {
      const ScRect *r = &g_array_index (boxes, ScRect, i);

      g_variant_builder_add (&builder, "(dddd)", r->x, r->y, r->width, r->height);
    }
  return g_variant_builder_end (&builder);
}

static GVariant *
open_reply (ScDocument *document)
{
  g_autofree char *metadata = sc_document_get_metadata_text (document);
  GVariantBuilder sizes;

  g_variant_builder_init (&sizes, G_VARIANT_TYPE ("a(dd)"));
  for (guint i = 0; i < sc_document_get_n_pages (document); i++)
    {
      double width, height;

      sc_document_get_page_size (document, i, &width, &height);
      g_variant_builder_add (&sizes, "(dd)", width, height);
    }
  return g_variant_new ("(ba(dd)msmss)", sc_document_get_encrypted (document), &sizes,
                        sc_document_get_metadata_title (document),
                        sc_document_get_author (document), metadata);
}

static gboolean
check_page (ScDocument  *document,
            guint        page,
            GError     **error)
{
  if (document == NULL)
    {
      g_set_error_literal (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT, "no document is open");
      return FALSE;
    }
  if (page >= sc_document_get_n_pages (document))
    {
      g_set_error (error, SC_ERROR, SC_ERROR_INVALID_ARGUMENT, "page %u does not exist", page);
      return FALSE;
    }
  return TRUE;
}

static void
inject_fault (const char *when)
{
  const char *fault = g_getenv ("SICHTUNG_DOCUMENT_WORKER_FAULT");

  if (fault == NULL || !g_str_has_suffix (fault, when))
    return;
  if (g_str_has_prefix (fault, "crash-"))
    raise (SIGSEGV);
  else if (g_str_has_prefix (fault, "hang-"))
    for (;;)
      pause ();
  else if (g_str_has_prefix (fault, "hog-"))
    for (;;)
      memset (g_malloc (64 << 20), 1, 64 << 20);  /* g_malloc() aborts at the limit */
}

/* Answers one request; FALSE when the socket is gone (or the parent is confused). */
static gboolean
serve_one (int          fd,
           ScDocument **document)
{
  g_autoptr(GVariant) args = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *raw = NULL;
  g_autofree guint8 *data = NULL;
  ScWorkerHeader header;
  const GVariantType *type;
  guint page = 0;

  if (!_sc_worker_read_all (fd, &header, sizeof header, -1, NULL))
    return FALSE;
  switch (header.tag)
    {
    case SC_WORKER_OP_OPEN: type = G_VARIANT_TYPE ("(smay)"); break;
    case SC_WORKER_OP_TEXT: type = G_VARIANT_TYPE ("(u)"); break;
    case SC_WORKER_OP_LAYOUT: type = G_VARIANT_TYPE ("(u)"); break;
    case SC_WORKER_OP_RENDER: type = G_VARIANT_TYPE ("(ud)"); break;
    case SC_WORKER_OP_FIND: type = G_VARIANT_TYPE ("(us)"); break;
    default: return FALSE;
    }
  if (header.args_size > SC_WORKER_MAX_ARGS ||
      (header.tag != SC_WORKER_OP_OPEN && header.data_size != 0) ||
      header.data_size > G_MAXSIZE / 2)
    return FALSE;
  raw = g_malloc (MAX (header.args_size, 1));
  if (!_sc_worker_read_all (fd, raw, header.args_size, -1, NULL))
    return FALSE;
  args = g_variant_ref_sink (g_variant_new_from_data (type, raw, header.args_size, FALSE,
                                                      g_free, raw));
  raw = NULL;
  if (header.data_size > 0)
    {
      data = g_try_malloc (header.data_size);
      if (data == NULL)
        return FALSE;
      if (!_sc_worker_read_all (fd, data, header.data_size, -1, NULL))
        return FALSE;
    }
  if (header.tag != SC_WORKER_OP_OPEN)
    g_variant_get_child (args, 0, "u", &page);

  switch ((ScWorkerOp) header.tag)
    {
    case SC_WORKER_OP_OPEN:
      {
        g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&data), header.data_size);
        g_autoptr(GVariant) maybe = g_variant_get_child_value (args, 1);
        g_autoptr(GVariant) given = g_variant_get_maybe (maybe);
        const char *password = given != NULL ? g_variant_get_bytestring (given) : NULL;
        const char *name;

        g_variant_get_child (args, 0, "&s", &name);
        g_clear_object (document);
        *document = _sc_document_new_local (bytes, name, password, &error);
        if (*document == NULL)
          return send_error (fd, error);
        return send_reply (fd, SC_WORKER_REPLY_OK, open_reply (*document), NULL, 0);
      }

    case SC_WORKER_OP_TEXT:
      {
        g_autofree char *text = NULL;

        if (!check_page (*document, page, &error))
          return send_error (fd, error);
        text = sc_document_get_page_text (*document, page);
        return send_reply (fd, SC_WORKER_REPLY_OK, g_variant_new ("(s)", text), NULL, 0);
      }

    case SC_WORKER_OP_LAYOUT:
      {
        g_autofree char *text = NULL;
        g_autoptr(GArray) boxes = NULL;

        if (!check_page (*document, page, &error))
          return send_error (fd, error);
        boxes = sc_document_get_page_layout (*document, page, &text);
        return send_reply (fd, SC_WORKER_REPLY_OK,
                           g_variant_new ("(s@a(dddd))", text, boxes_variant (boxes)), NULL, 0);
      }

    case SC_WORKER_OP_RENDER:
      {
        cairo_surface_t *surface;
        double scale;
        gboolean ok;
        int width, height, stride;

        g_variant_get (args, "(ud)", &page, &scale);
        if (!check_page (*document, page, &error))
          return send_error (fd, error);
        inject_fault ("-render");
        surface = sc_document_render_page (*document, page, scale, &error);
        if (surface == NULL)
          return send_error (fd, error);
        width = cairo_image_surface_get_width (surface);
        height = cairo_image_surface_get_height (surface);
        stride = cairo_image_surface_get_stride (surface);
        ok = send_reply (fd, SC_WORKER_REPLY_OK, g_variant_new ("(iii)", width, height, stride),
                         cairo_image_surface_get_data (surface), (guint64) stride * height);
        cairo_surface_destroy (surface);
        return ok;
      }

    case SC_WORKER_OP_FIND:
      {
        g_autoptr(GArray) hits = NULL;
        const char *text;

        g_variant_get (args, "(u&s)", &page, &text);
        if (!check_page (*document, page, &error))
          return send_error (fd, error);
        hits = sc_document_find_text (*document, page, text);
        return send_reply (fd, SC_WORKER_REPLY_OK,
                           g_variant_new ("(@a(dddd))", boxes_variant (hits)), NULL, 0);
      }
    }
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */

/* Whether the sandbox holds: a socket of any family is refused. */
static int
check_sandbox (void)
{
  int families[] = { AF_INET, AF_INET6, AF_UNIX, AF_NETLINK };

  if (!limit_self (1024))
    return 2;
  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    {
      int s = socket (families[i], SOCK_STREAM, 0);

      if (s >= 0 || errno != EACCES)
        {
          g_printerr ("sichtung-document-worker: socket(%d) was allowed\n", families[i]);
          return 1;
        }
    }
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ScDocument) document = NULL;
  gint64 memory_mb = 2048;
  int fd = -1;

  /* Messages about the document go back to the application in its language. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--check-sandbox") == 0)
        return check_sandbox ();
      if (strcmp (argv[i], "--fd") == 0 && i + 1 < argc)
        fd = atoi (argv[++i]);
      else if (strcmp (argv[i], "--memory-mb") == 0 && i + 1 < argc)
        memory_mb = g_ascii_strtoll (argv[++i], NULL, 10);
      else
        {
          g_printerr ("usage: sichtung-document-worker --fd N [--memory-mb M]\n");
          return 2;
        }
    }
  if (fd < 0 || memory_mb < 0)
    {
      g_printerr ("usage: sichtung-document-worker --fd N [--memory-mb M]\n");
      return 2;
    }
  if (!limit_self ((guint64) memory_mb))
    return 3;

  while (serve_one (fd, &document))
    ;
  return 0;
}
