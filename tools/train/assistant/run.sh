#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh: builds the assistant benchmark model from scratch: data and split, vocabulary (checked
# against Sichtung's tokenizer), training, GGUF export and the torch-versus-Sichtung check.
#
#   tools/train/assistant/run.sh     MINUTES=25 MINUTES_LONG=12 OUT=tools/out/assistant by default
#
# Then: tools/bench/bench-attribution
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
OUT=${OUT:-$ROOT/tools/out/assistant}
CLI=${CLI:-$ROOT/_build/core/cli/sichtung-cli}
MINUTES=${MINUTES:-25}
MINUTES_LONG=${MINUTES_LONG:-12}
# The system Python: it has torch and numpy.
PY=/usr/bin/python3

if [ ! -x "$CLI" ]; then
  ninja -C "$ROOT/_build" core/cli/sichtung-cli
fi
mkdir -p "$OUT"

$PY "$HERE/prepare.py" "$OUT/data" --cli "$CLI"
# Stage 1: the task; stage 2: from those weights, the task mixed with 5-10-word answers.
$PY "$HERE/train.py" "$OUT/data" "$OUT/model-stage1.pt" --minutes "$MINUTES" \
  | tee "$OUT/train.log"
$PY "$HERE/train.py" "$OUT/data" "$OUT/model.pt" --init "$OUT/model-stage1.pt" \
  --extra train_long.jsonl --minutes "$MINUTES_LONG" --lr 2e-3 --warmup 50 \
  | tee "$OUT/train-stage2.log"
$PY "$HERE/export.py" "$OUT/data" "$OUT/model.pt" "$OUT/assistant-bench.gguf" --cli "$CLI"
echo "model: $OUT/assistant-bench.gguf; benchmark: tools/bench/bench-attribution"
