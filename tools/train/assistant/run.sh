#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh: builds the assistant benchmark model from scratch: data and split, vocabulary (checked
# against Sichtung's tokenizer), the copying warm-up, training on the task, GGUF export and the
# torch-versus-Sichtung check.
#
#   tools/train/assistant/run.sh     WARMUP_MINUTES=5 MINUTES=28 OUT=tools/out/assistant by default
#
# Then: tools/bench/bench-attribution
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
OUT=${OUT:-$ROOT/tools/out/assistant}
CLI=${CLI:-$ROOT/_build/core/cli/sichtung-cli}
WARMUP_MINUTES=${WARMUP_MINUTES:-5}
MINUTES=${MINUTES:-28}
# The system Python: it has torch and numpy.
PY=/usr/bin/python3

if [ ! -x "$CLI" ]; then
  ninja -C "$ROOT/_build" core/cli/sichtung-cli
fi
mkdir -p "$OUT"

$PY "$HERE/prepare.py" "$OUT/data" --cli "$CLI"
# Copying first (rows of random pieces holding a segment twice), starting from a
# previous-token head and an induction head set by hand; then the task, with answers of 2-4
# and of 5-10 words, a fifth of the steps still copying rows.
$PY "$HERE/induction.py" "$OUT/data" "$OUT/model-copying.pt" --minutes "$WARMUP_MINUTES" \
  --len 128 --batch 16 --lr 1e-3 --heads 2 --rope-base 500000 --previous-token-init \
  | tee "$OUT/train-copying.log"
$PY "$HERE/train.py" "$OUT/data" "$OUT/model.pt" --init "$OUT/model-copying.pt" \
  --extra train_long.jsonl --minutes "$MINUTES" --lr 1e-3 --warmup 100 \
  --induction-mix 0.2 --induction-len 256 --induction-batch 8 \
  | tee "$OUT/train.log"
$PY "$HERE/export.py" "$OUT/data" "$OUT/model.pt" "$OUT/assistant-bench.gguf" --cli "$CLI"
echo "model: $OUT/assistant-bench.gguf; benchmark: tools/bench/bench-attribution"
