#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# compare-decoder.sh: Sichtung's decoder against llama.cpp (node-llama-cpp, CPU) on random-weight
# models of every weight type, both architectures.
#
#   tools/crosscheck/compare-decoder.sh [--device cpu|vulkan] [--threads N] [--n N] [TYPE…]
#
# For each architecture (llama with the SentencePiece vocabulary, qwen2 with the byte-level BPE
# one) and weight type: sc-gen-model writes the model, llama.cpp continues a German prompt
# greedily for N tokens (default 64), then `sichtung-cli score` runs teacher-forced over
# prompt + continuation and we count the positions where our argmax is llama.cpp's next token.
# The prompt's token ids of both tokenizers are compared too. Prints one table row per model;
# exits non-zero when a tokenization differs or agreement is below 97 %.
#
# Env SPREAD (default 1) and SEED (1234) are passed to sc-gen-model (--output-spread, --seed).
# Vocabularies: tools/out/tiny-spm.gguf and tiny-qwen2.gguf (tools/gguf/gen_model.py makes them).
# Binaries: a meson build dir (_build, as tools/sichtung makes it, or build; env SICHTUNG_BUILD).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
device=cpu
threads=2
n_gen=64
while [ $# -gt 0 ]; do
  case $1 in
    --device) device=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --n) n_gen=$2; shift 2 ;;
    --*) echo "compare-decoder: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ $# -eq 0 ]; then
  set -- f32 f16 bf16 q8_0 q4_0 q4_1 q5_0 q5_1 q4_k q5_k q6_k q4_k_m
fi

build=${SICHTUNG_BUILD:-}
if [ -z "$build" ]; then
  for dir in _build build; do
    if [ -x "$root/$dir/tools/sc-gen-model" ] && [ -x "$root/$dir/core/cli/sichtung-cli" ]; then
      build=$root/$dir
      break
    fi
  done
fi
if [ -z "$build" ]; then
  echo "compare-decoder: build sichtung-cli and tools/sc-gen-model first (meson)" >&2
  exit 2
fi
cli=$build/core/cli/sichtung-cli
gen=$build/tools/sc-gen-model
for v in tiny-spm tiny-qwen2; do
  if [ ! -f "$root/tools/out/$v.gguf" ]; then
    echo "compare-decoder: no tools/out/$v.gguf (run tools/gguf/gen_model.py)" >&2
    exit 2
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
printf '%s %s' "Der Widerspruch gegen den Bescheid vom 3. März 2021 wird als unbegründet" \
  "zurückgewiesen, weil die Frist gemäß § 70 VwGO versäumt wurde." > "$tmp/prompt.txt"

status=0
printf '%-6s %-7s %-7s %-10s %-9s %s\n' arch type device tokenizer agreement "logprob(ours)"
for arch in llama qwen2; do
  vocab=$root/tools/out/tiny-spm.gguf
  [ "$arch" = qwen2 ] && vocab=$root/tools/out/tiny-qwen2.gguf
  for type in "$@"; do
    model=$tmp/$arch-$type.gguf
    "$gen" --arch "$arch" --type "$type" --vocab "$vocab" --output-spread "${SPREAD:-1.0}" \
      --seed "${SEED:-1234}" --out "$model" > /dev/null
    "$cli" tokenize --model "$model" --file "$tmp/prompt.txt" > "$tmp/plain.json"
    "$cli" tokenize --model "$model" --file "$tmp/prompt.txt" --bos | tr -d '[]' | tr ',' ' ' \
      > "$tmp/ids.txt"
    node "$here/decode.mjs" "$model" "$tmp/ids.txt" "$n_gen" "$threads" "$tmp/prompt.txt" \
      > "$tmp/ref.json"
    python3 -c '
import json, sys
ref = json.load(open(sys.argv[1]))
ids = open(sys.argv[2]).read().split()
open(sys.argv[3], "w").write(" ".join(ids + [str(t) for t in ref["continuation"]]) + "\n")
' "$tmp/ref.json" "$tmp/ids.txt" "$tmp/full.txt"
    "$cli" score --model "$model" --tokens-file "$tmp/full.txt" --device "$device" \
      --threads "$threads" > "$tmp/score.json"
    python3 -c '
import json, sys
ref = json.load(open(sys.argv[1]))
plain = json.load(open(sys.argv[2]))
n_prompt = len(open(sys.argv[3]).read().split())
score = json.load(open(sys.argv[4]))
cont = ref["continuation"]
ours = score["argmax"][n_prompt - 1 : n_prompt - 1 + len(cont)]
agree = sum(a == b for a, b in zip(ours, cont))
pct = 100.0 * agree / max(len(cont), 1)
tok = "same" if plain == ref["tokenized"] else "DIFFERENT"
print("%-6s %-7s %-7s %-10s %5.1f %%   %.2f" % (sys.argv[5], sys.argv[6], sys.argv[7], tok, pct,
      score["logprob_sum"]))
sys.exit(0 if tok == "same" and pct >= 97.0 else 1)
' "$tmp/ref.json" "$tmp/plain.json" "$tmp/ids.txt" "$tmp/score.json" "$arch" "$type" \
      "$device" || status=1
  done
done
exit $status
