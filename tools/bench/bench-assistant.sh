#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench-assistant.sh: time to first token and generation speed of the local assistant
# (`sichtung-cli ask`: passages, retrieval, prompt, generation) next to llama.cpp
# (node-llama-cpp) evaluating the very same prompt token ids and generating as many tokens.
#
#   tools/bench/bench-assistant.sh [--threads N] [--device cpu|vulkan] [--gen N]
#                                  [--models "1b small"] [--keep DIR] [--document FILE]
#
# Models: random-weight models of realistic shape made by sc-gen-model (as in
# bench-decoder.sh): "1b" is a llama of dim 2048, 16 layers, ffn 8192, 32 heads (8 kv), vocab
# 32000 in Q4_K_M-like quantisation; "small" dim 1024, 12 layers, Q8_0. Their text is noise,
# but the work per token is that of a real model of the size. The document defaults to the
# sample Bescheid as a PDF (the build's data/samples/03-bescheid.pdf).
#
# Sichtung's time to first token counts from the request: cutting the document into passages,
# BM25 retrieval, building and tokenizing the prompt, evaluating it and choosing the first
# token. llama.cpp's counts from its evaluation of the ready token ids: (prompt − 1 tokens in
# one batch) + (the last prompt token and the first sampled token). No pass/fail.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
threads=2
device=cpu
n_gen=32
models="1b"
keep=
document=
while [ $# -gt 0 ]; do
  case $1 in
    --threads) threads=$2; shift 2 ;;
    --device) device=$2; shift 2 ;;
    --gen) n_gen=$2; shift 2 ;;
    --models) models=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --document) document=$2; shift 2 ;;
    *) echo "bench-assistant: unknown argument $1" >&2; exit 2 ;;
  esac
done

case $device in
  cpu) llama_gpu= ;;
  vulkan) llama_gpu=vulkan ;;
  *) echo "bench-assistant: unknown device $device" >&2; exit 2 ;;
esac

. "$here/models.sh"
build=$(bench_find_build "$root" bench-assistant)
[ -n "$document" ] || document=$build/data/samples/03-bescheid.pdf
[ -f "$document" ] || { echo "bench-assistant: no $document" >&2; exit 2; }
vocab=$root/tools/out/tiny-spm.gguf
[ -f "$vocab" ] || { echo "bench-assistant: no $vocab (run tools/gguf/gen_model.py)" >&2; exit 2; }

if [ -n "$keep" ]; then
  work=$keep
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT INT TERM
fi

question="Bis wann kann gegen den Bescheid Widerspruch eingelegt werden?"
printf '%-6s %7s %10s %10s %10s %10s %10s %7s %7s\n' model prompt "ret ms" "TTFT ours" \
  "TTFT llama" "tg ours" "tg llama" "TTFT x" "tg x"
for m in $models; do
  model=$work/bench-$m.gguf
  bench_make_model "$m" "$model" "$build" "$vocab"
  "$build/core/cli/sichtung-cli" ask --model "$model" --document "$document" \
    --question "$question" --max-tokens "$n_gen" --device "$device" --threads "$threads" \
    --json --show-prompt --quiet > "$work/ours-$m.json"
  python3 -c '
import json, sys
ours = json.load(open(sys.argv[1]))
print(" ".join(str(i) for i in ours["model"]["prompt_ids"]))
' "$work/ours-$m.json" > "$work/ids-$m.txt"
  n_ours=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["timing"]["generated_tokens"])' \
    "$work/ours-$m.json")
  [ "$n_ours" -ge 2 ] || n_ours=$n_gen
  SICHTUNG_LLAMA_GPU=$llama_gpu node "$root/tools/crosscheck/decode.mjs" "$model" \
    "$work/ids-$m.txt" "$n_ours" "$threads" > "$work/llama-$m.json"
  python3 -c '
import json, sys
ours = json.load(open(sys.argv[1]))
ref = json.load(open(sys.argv[2]))
t = ours["timing"]
n_prompt = t["prompt_tokens"]
# llama.cpp: the prompt but its last token at pp speed, then one generation step.
ttft_llama = (n_prompt - 1) / ref["pp_tok_s"] * 1000 + 1000 / ref["tg_tok_s"]
print("%-6s %7d %10.0f %10.0f %10.0f %10.2f %10.2f %7.2f %7.2f" % (
    sys.argv[3], n_prompt, t["retrieval_ms"], t["first_token_ms"], ttft_llama,
    t["tokens_per_second"], ref["tg_tok_s"], ttft_llama / t["first_token_ms"],
    t["tokens_per_second"] / ref["tg_tok_s"]))
' "$work/ours-$m.json" "$work/llama-$m.json" "$m"
done
echo "(ms and tokens/s; x = Sichtung relative to llama.cpp, above 1 means Sichtung is faster;" \
  "ret = Sichtung's passages, retrieval and tokenizing, included in its TTFT;" \
  "$threads threads, device $device for both)"
