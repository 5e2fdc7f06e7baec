/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sc-model-info.c: a GGUF model file described from its header (see sc-model-info.h). */
#define G_LOG_DOMAIN "sichtung-core"

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sc-error.h"
#include "sc-gguf.h"
#include "sc-model-info.h"
#include "sc-tokenizer.h"
#include "sc-vulkan.h"

/* llama.cpp's llama_ftype values as written to general.file_type. */
static const struct
{
  guint       id;
  const char *name;
} file_types[] = {
  { 0, "F32" },     { 1, "F16" },      { 2, "Q4_0" },     { 3, "Q4_1" },     { 7, "Q8_0" },
  { 8, "Q5_0" },    { 9, "Q5_1" },     { 10, "Q2_K" },    { 11, "Q3_K_S" },  { 12, "Q3_K_M" },
  { 13, "Q3_K_L" }, { 14, "Q4_K_S" },  { 15, "Q4_K_M" },  { 16, "Q5_K_S" },  { 17, "Q5_K_M" },
  { 18, "Q6_K" },   { 19, "IQ2_XXS" }, { 20, "IQ2_XS" },  { 21, "Q2_K_S" },  { 22, "IQ3_XS" },
  { 23, "IQ3_XXS" }, { 24, "IQ1_S" },  { 25, "IQ4_NL" },  { 26, "IQ3_S" },   { 27, "IQ3_M" },
  { 28, "IQ2_S" },  { 29, "IQ2_M" },   { 30, "IQ4_XS" },  { 31, "IQ1_M" },   { 32, "BF16" },
};

/* The weight types the decoder runs (sc-model-llama.c). */
static gboolean
runnable_type (ScTensorType type)
{
  switch (type)
    {
    case SC_TENSOR_TYPE_F32:
    case SC_TENSOR_TYPE_F16:
    case SC_TENSOR_TYPE_BF16:
    case SC_TENSOR_TYPE_Q8_0:
    case SC_TENSOR_TYPE_Q4_0:
    case SC_TENSOR_TYPE_Q4_1:
    case SC_TENSOR_TYPE_Q5_0:
    case SC_TENSOR_TYPE_Q5_1:
    case SC_TENSOR_TYPE_Q4_K:
    case SC_TENSOR_TYPE_Q5_K:
    case SC_TENSOR_TYPE_Q6_K:
      return TRUE;
    default:
      return FALSE;
    }
}

void
sc_model_info_free (ScModelInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->path);
  g_free (info->name);
  g_free (info->arch);
  g_free (info->unsupported);
  g_free (info->quantization);
  g_free (info);
}

static guint
get_uint_or (ScGguf     *gguf,
             const char *key,
             guint       fallback)
{
  guint64 value;
  if (sc_gguf_has_key (gguf, key) && sc_gguf_get_uint (gguf, key, &value, NULL) &&
      value <= G_MAXUINT)
    return (guint) value;
  return fallback;
}

static char *
arch_key (const char *arch,
          const char *suffix)
{
  return g_strconcat (arch, ".", suffix, NULL);
}

ScModelInfo *
sc_model_info_new_from_file (const char  *path,
                             GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr(ScGguf) gguf = sc_gguf_open (path, error);
  if (gguf == NULL)
    return NULL;

  g_autoptr(ScModelInfo) info = g_new0 (ScModelInfo, 1);
  info->path = g_strdup (path);

  GStatBuf st;
  if (g_stat (path, &st) == 0)
    info->file_size = (guint64) st.st_size;

  const char *name = NULL;
  if (sc_gguf_has_key (gguf, "general.name"))
    name = sc_gguf_get_string (gguf, "general.name", NULL);
  if (name != NULL && *name != '\0')
    info->name = g_strdup (name);
  else
    {
      g_autofree char *base = g_path_get_basename (path);
      if (g_str_has_suffix (base, ".gguf"))
        base[strlen (base) - 5] = '\0';
      info->name = g_steal_pointer (&base);
    }

  const char *arch = NULL;
  if (sc_gguf_has_key (gguf, "general.architecture"))
    arch = sc_gguf_get_string (gguf, "general.architecture", NULL);
  info->arch = g_strdup (arch != NULL ? arch : "");

  /* Sizes, and the type that holds most of the weight bytes. */
  guint64 bytes_by_type[64] = { 0 };
  gboolean all_runnable = TRUE;
  const char *unrunnable = NULL;
  for (gsize i = 0; i < sc_gguf_get_n_tensors (gguf); i++)
    {
      const ScGgufTensor *t = sc_gguf_get_tensor (gguf, i);
      info->n_params += (guint64) t->n_elements;
      info->n_bytes += t->n_bytes;
      if ((guint) t->type < G_N_ELEMENTS (bytes_by_type))
        bytes_by_type[t->type] += t->n_bytes;
      if (!runnable_type (t->type) && all_runnable)
        {
          all_runnable = FALSE;
          unrunnable = sc_tensor_type_name (t->type);
        }
    }

  guint file_type = get_uint_or (gguf, "general.file_type", G_MAXUINT);
  if (file_type != G_MAXUINT)
    {
      file_type &= ~1024u; /* llama.cpp's "guessed" flag */
      for (gsize i = 0; i < G_N_ELEMENTS (file_types); i++)
        if (file_types[i].id == file_type)
          info->quantization = g_strdup (file_types[i].name);
    }
  if (info->quantization == NULL)
    {
      guint best = 0;
      for (guint i = 1; i < G_N_ELEMENTS (bytes_by_type); i++)
        if (bytes_by_type[i] > bytes_by_type[best])
          best = i;
      const char *type_name = sc_tensor_type_name ((ScTensorType) best);
      info->quantization = g_ascii_strup (type_name != NULL ? type_name : "?", -1);
    }

  if (arch != NULL)
    {
      g_autofree char *k_ctx = arch_key (arch, "context_length");
      g_autofree char *k_layer = arch_key (arch, "block_count");
      g_autofree char *k_embd = arch_key (arch, "embedding_length");
      g_autofree char *k_head = arch_key (arch, "attention.head_count");
      g_autofree char *k_head_kv = arch_key (arch, "attention.head_count_kv");
      g_autofree char *k_key_len = arch_key (arch, "attention.key_length");
      g_autofree char *k_value_len = arch_key (arch, "attention.value_length");

      info->n_ctx_train = get_uint_or (gguf, k_ctx, 0);
      info->n_layer = get_uint_or (gguf, k_layer, 0);
      info->n_embd = get_uint_or (gguf, k_embd, 0);
      guint n_head = get_uint_or (gguf, k_head, 0);
      guint n_head_kv = get_uint_or (gguf, k_head_kv, n_head);
      guint head_dim = n_head > 0 ? info->n_embd / n_head : 0;
      guint k_len = get_uint_or (gguf, k_key_len, head_dim);
      guint v_len = get_uint_or (gguf, k_value_len, head_dim);
      info->kv_bytes_per_token = (guint64) info->n_layer * n_head_kv * (k_len + v_len) * 2;
    }

  ScTokenizer *tok = NULL;
  g_autoptr(ScTokenizer) tokenizer = NULL;
  if (sc_gguf_has_key (gguf, "tokenizer.ggml.model"))
    tok = tokenizer = sc_tokenizer_new_from_gguf (gguf, NULL);
  if (tok != NULL)
    info->n_vocab = sc_tokenizer_get_n_tokens (tok);

  const char *template_text = NULL;
  if (sc_gguf_has_key (gguf, "tokenizer.chat_template"))
    template_text = sc_gguf_get_string (gguf, "tokenizer.chat_template", NULL);
  info->has_chat_template = template_text != NULL && *template_text != '\0';
  info->chat_format = sc_chat_format_detect (template_text, tok);

  if (arch == NULL || (!g_str_equal (arch, "llama") && !g_str_equal (arch, "qwen2")))
    info->unsupported = g_strdup_printf (_("The architecture “%s” is not supported: Sichtung runs "
                                           "chat models of the Llama (Llama 2 and 3, Mistral) and "
                                           "Qwen2 families"),
                                         arch != NULL ? arch : "?");
  else if (!all_runnable)
    info->unsupported = g_strdup_printf (_("The weight type %s is not supported: use a file in "
                                           "Q4_K_M, Q5_K_M, Q8_0 or F16"),
                                         unrunnable != NULL ? unrunnable : "?");
  else if (tok == NULL)
    info->unsupported = g_strdup (_("The model file has no usable vocabulary"));
  info->supported = info->unsupported == NULL;

  return g_steal_pointer (&info);
}

guint64
sc_model_info_estimate_memory (const ScModelInfo *info,
                               guint              n_ctx)
{
  g_return_val_if_fail (info != NULL, 0);

  if (n_ctx == 0)
    n_ctx = info->n_ctx_train > 0 ? MIN (info->n_ctx_train, 4096) : 4096;
  /* Activations of a 512-token batch (a few residual-sized buffers and the attention scores
   * of one head over the whole context) and the logits of up to 512 tokens. */
  guint64 batch = 512;
  guint64 activations = batch * info->n_embd * 4 * 8 + batch * n_ctx * 4;
  guint64 logits = batch * info->n_vocab * 4;
  return info->n_bytes + info->kv_bytes_per_token * n_ctx + activations + logits;
}

static guint64
physical_memory (void)
{
  long pages = sysconf (_SC_PHYS_PAGES);
  long page_size = sysconf (_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0)
    return 0;
  return (guint64) pages * (guint64) page_size;
}

gboolean
sc_model_info_check_memory (const ScModelInfo *info,
                            guint              n_ctx,
                            ScBackend         *backend,
                            GError           **error)
{
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (SC_IS_BACKEND (backend), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  guint64 needed = sc_model_info_estimate_memory (info, n_ctx);
  guint64 available = 0;
  const char *where;

  if (SC_IS_BACKEND_VULKAN (backend))
    {
      const ScVkDeviceInfo *device =
        sc_vk_context_get_device_info (sc_backend_vulkan_get_context (backend));
      available = device != NULL ? device->device_local_memory_bytes : 0;
      /* A device that shares system memory (lavapipe, many integrated GPUs) may report less
       * than it can use; the installed memory is then the limit. */
      if (device != NULL && (device->type == SC_VK_DEVICE_TYPE_CPU ||
                             device->type == SC_VK_DEVICE_TYPE_INTEGRATED))
        available = MAX (available, physical_memory ());
      where = _("the graphics device");
    }
  else
    {
      available = physical_memory ();
      where = _("this computer");
    }

  if (available == 0 || needed <= available)
    return TRUE;

  g_autofree char *need_text = g_format_size (needed);
  g_autofree char *have_text = g_format_size (available);
  g_set_error (error, SC_ERROR, SC_ERROR_NO_MEMORY,
               _("The model needs about %s of memory, but %s has only %s"), need_text, where,
               have_text);
  return FALSE;
}

char *
sc_model_info_compute_sha256 (const char    *path,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, cancellable, error);
  if (in == NULL)
    return NULL;

  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (1 << 20);
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (in), buffer, 1 << 20, cancellable, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      g_checksum_update (checksum, buffer, (gsize) n);
    }
  return g_strdup (g_checksum_get_string (checksum));
}
