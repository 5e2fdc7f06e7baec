#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench-decoder.sh: prompt-processing and generation speed of Sichtung's decoder against
# llama.cpp (node-llama-cpp), on random-weight models of realistic shape:
#
#   small  llama, dim 1024, 12 layers, ffn 2816, 16 heads (4 kv), vocab 32000, Q8_0
#   1b     llama, dim 2048, 16 layers, ffn 8192, 32 heads (8 kv), vocab 32000, Q4_K_M-like
#
#   tools/bench/bench-decoder.sh [--threads N] [--device cpu|vulkan] [--pp N] [--gen N]
#                                [--models "small 1b"] [--keep DIR] [--llama-device cpu|vulkan]
#                                [--repeat N]
#
# Both engines get the same token ids (--pp of them, default 128) and generate --gen greedy
# tokens (default 32) with the same thread count (default 2). Sichtung: `sichtung-cli bench`
# (its own timers around sc_model_eval); llama.cpp: tools/crosscheck/decode.mjs (timers around
# node-llama-cpp's evaluate calls). Models are generated with sc-gen-model into a temporary
# directory (or --keep DIR, where existing ones are reused). No pass/fail: speed is reported.
# llama.cpp runs on the same kind of device as Sichtung (--device vulkan: node-llama-cpp's Vulkan
# build, all layers offloaded; on a machine with only Mesa lavapipe both run on lavapipe) unless
# --llama-device says otherwise. --repeat N runs both engines N times, alternating, and reports
# the best speed of each (on a machine shared with other work, single runs vary by 20 % and more).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
threads=2
device=cpu
n_pp=128
n_gen=32
models="small 1b"
keep=
llama_device=
repeat=1
while [ $# -gt 0 ]; do
  case $1 in
    --threads) threads=$2; shift 2 ;;
    --device) device=$2; shift 2 ;;
    --pp) n_pp=$2; shift 2 ;;
    --gen) n_gen=$2; shift 2 ;;
    --models) models=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --llama-device) llama_device=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    *) echo "bench-decoder: unknown argument $1" >&2; exit 2 ;;
  esac
done

[ -n "$llama_device" ] || llama_device=$device
case $llama_device in
  cpu) llama_gpu= ;;
  vulkan) llama_gpu=vulkan ;;
  *) echo "bench-decoder: unknown llama.cpp device $llama_device" >&2; exit 2 ;;
esac

. "$here/models.sh"
build=$(bench_find_build "$root" bench-decoder)
vocab=$root/tools/out/tiny-spm.gguf
[ -f "$vocab" ] || { echo "bench-decoder: no $vocab (run tools/gguf/gen_model.py)" >&2; exit 2; }

if [ -n "$keep" ]; then
  work=$keep
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT INT TERM
fi

# Deterministic prompt ids spread over the vocabulary (past the specials and byte tokens).
python3 -c "print(' '.join(str(300 + (i * 7919) % 2600) for i in range($n_pp)))" > "$work/ids.txt"

printf '%-6s %-8s %9s %9s %9s %9s %7s %7s %8s %s\n' model params "pp ours" "pp llama" \
  "tg ours" "tg llama" "pp x" "tg x" "RSS MB" "same tokens"
for m in $models; do
  model=$work/bench-$m.gguf
  bench_make_model "$m" "$model" "$build" "$vocab"
  rm -f "$work/ours-$m-"*.json "$work/llama-$m-"*.json
  r=1
  while [ "$r" -le "$repeat" ]; do
    "$build/core/cli/sichtung-cli" bench --model "$model" --tokens-file "$work/ids.txt" \
      --gen "$n_gen" --device "$device" --threads "$threads" > "$work/ours-$m-$r.json"
    SICHTUNG_LLAMA_GPU=$llama_gpu node "$root/tools/crosscheck/decode.mjs" "$model" \
      "$work/ids.txt" "$n_gen" "$threads" > "$work/llama-$m-$r.json"
    r=$((r + 1))
  done
  python3 -c '
import glob, json, re, sys
def best(pattern):
    runs = [json.load(open(f)) for f in sorted(glob.glob(pattern))]
    out = dict(runs[0])
    for k in ("pp_tok_s", "tg_tok_s"):
        out[k] = max(r[k] for r in runs)
    return out
ours = best(sys.argv[1])
ref = best(sys.argv[2])
gen = open(sys.argv[3]).read()
params = re.search(r"([0-9.]+) M parameters", gen)
params = params.group(1) + "M" if params else "?"
same = 0
for a, b in zip(ours["tokens"], ref["continuation"]):
    if a != b:
        break
    same += 1
print("%-6s %-8s %9.1f %9.1f %9.2f %9.2f %7.2f %7.2f %8.0f %d/%d" % (
    sys.argv[4], params, ours["pp_tok_s"], ref["pp_tok_s"], ours["tg_tok_s"], ref["tg_tok_s"],
    ours["pp_tok_s"] / ref["pp_tok_s"], ours["tg_tok_s"] / ref["tg_tok_s"],
    ours["peak_rss_mb"], same, len(ref["continuation"])))
' "$work/ours-$m-[0-9]*.json" "$work/llama-$m-[0-9]*.json" "$model.txt" "$m"
done
echo "(tokens/s, best of $repeat run(s) each; x = Sichtung / llama.cpp; $threads threads," \
  "device $device, llama.cpp device $llama_device;" \
  "same tokens = length of the identical greedy prefix)"
