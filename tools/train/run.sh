#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh [--smoke]: data splits, tokenizer, MLM pre-training, token classification, then a second
# round: pre-training goes on from the first model, and token classification runs again with half
# of the sentences' mentions swapped for others (from the corpus or the gazetteers); a third round:
# gazetteer-match features (gazfeat.py) learnt in two token classifications from the second
# model with different mixtures, side by side, and the mean of their weights; GGUF export (with
# the label transitions of the training tags and the gazetteers), evaluation.
# Run from anywhere; everything goes to tools/out/train (git-ignored), or $OUT. Log: $OUT/run.log
# Needs Debian's python3-torch and python3-numpy (and libopenblas0-pthread, without which torch
# falls back to the slow reference BLAS): apt-get install python3-torch python3-numpy
# libopenblas0-pthread. The corpora are read from ../shared/corpora beside the checkout.
set -euo pipefail
if ! "${PYTHON:-/usr/bin/python3}" -c 'import torch, numpy' 2>/dev/null; then
  echo "run.sh: needs python3-torch and python3-numpy (apt-get install python3-torch" \
       "python3-numpy libopenblas0-pthread)" >&2
  exit 1
fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
PY=${PYTHON:-/usr/bin/python3}
OUT=${OUT:-tools/out/train}
SMOKE=
if [ "${1:-}" = "--smoke" ]; then
  SMOKE=1
  OUT=${OUT}-smoke
  VOCAB=4000
  COMMON="--log-every 25"
  MLM1="--mlm-steps 100 --mlm-batch 16 --mlm-max-len 64"
  MLM2="--mlm-steps 100 --mlm-batch 16 --mlm-max-len 64"
  NER="--ner-steps 200 --ner-batch 16 --ner-lr 5e-4 --ner-mix ler:1,germeval:2,synth:0.5"
  MLM3="--mlm-steps 100 --mlm-batch 16 --mlm-max-len 64 --mlm-lr 3e-4"
  NER2="--ner-steps 200 --ner-batch 16 --ner-lr 3e-4"
  NER3="--ner-steps 100 --ner-batch 16 --ner-lr 3e-4"
else
  VOCAB=16000
  COMMON="--log-every 100 --threads 1"
  # masked-LM pre-training in two cycles (warm-up and decay each; the second restarts from the
  # first), then token classification
  MLM1="--mlm-steps 3000 --mlm-batch 32 --mlm-max-len 128"
  MLM2="--mlm-steps 5000 --mlm-batch 32 --mlm-max-len 128"
  NER="--ner-steps 3000 --ner-batch 32 --ner-lr 5e-4 --ner-mix ler:1,germeval:2,synth:0.5"
  # second round: a third pre-training cycle from the first model, then token classification
  # with mentions swapped
  MLM3="--mlm-steps 4000 --mlm-batch 32 --mlm-max-len 128 --mlm-lr 3e-4"
  NER2="--ner-steps 2000 --ner-batch 32 --ner-lr 3e-4"
  # third round: the same token classification with gazetteer features, twice (one run per core)
  NER3="--ner-steps 2000 --ner-batch 32 --ner-lr 3e-4"
fi
NER2="$NER2 --ner-mix ler:1,germeval:2,synth:0.5 --ner-augment 0.5 --ner-augment-gazetteer 0.5"
NER3A="$NER3 --gazetteer --ner-mix ler:1,germeval:2,synth:0.5 --ner-augment 0.5 --ner-augment-gazetteer 0.5"
NER3B="$NER3 --gazetteer --ner-mix ler:1,germeval:3,synth:0.5 --ner-augment 0.6 --ner-augment-gazetteer 0.5"
mkdir -p "$OUT"
exec > >(tee "$OUT/run.log") 2>&1
run() { echo "+ $*"; nice -n 10 "$@"; }
T0=$(date +%s)
run "$PY" tools/train/prepare_data.py "$OUT"
run "$PY" tools/train/synth.py "$OUT"
run "$PY" tools/train/tokenizer.py "$OUT" "$OUT/vocab.txt" --vocab-size "$VOCAB"
TRAIN=("$PY" tools/train/train.py --data "$OUT" --vocab "$OUT/vocab.txt" --out "$OUT" $COMMON)
run "${TRAIN[@]}" $MLM1 --ner-steps 0
run "${TRAIN[@]}" $MLM2 --ner-steps 0 --init "$OUT/mlm.pt"
run "${TRAIN[@]}" --mlm-steps 0 $NER --init "$OUT/mlm.pt"
mv "$OUT/model.pt" "$OUT/model-round1.pt"
run "${TRAIN[@]}" $MLM3 --ner-steps 0 --init "$OUT/model-round1.pt"
run "${TRAIN[@]}" --mlm-steps 0 $NER2 --init "$OUT/mlm.pt"
mv "$OUT/model.pt" "$OUT/model-round2.pt"
mkdir -p "$OUT/round3a" "$OUT/round3b"
echo "+ round 3: two runs side by side, logs in $OUT/round3a/train.log and $OUT/round3b/train.log"
run "${TRAIN[@]}" --mlm-steps 0 $NER3A --init "$OUT/model-round2.pt" --out "$OUT/round3a" \
  > "$OUT/round3a/train.log" 2>&1 &
P3A=$!
run "${TRAIN[@]}" --mlm-steps 0 $NER3B --init "$OUT/model-round2.pt" --out "$OUT/round3b" \
  > "$OUT/round3b/train.log" 2>&1 &
P3B=$!
wait "$P3A"
wait "$P3B"
tail -n 2 "$OUT/round3a/train.log" "$OUT/round3b/train.log"
run "$PY" tools/train/average.py --out "$OUT/model.pt" "$OUT/round3a/model.pt" "$OUT/round3b/model.pt"
run "$PY" tools/train/export_gguf.py --model "$OUT/model.pt" --out "$OUT/sichtung-ner.gguf" --data "$OUT" --verify
# the reference logits of tests/test-ner.c, for this model (ship it as data/models/sichtung-ner.gguf)
GOLDEN=tests/data/ner-golden.json
[ -n "${SMOKE:-}" ] && GOLDEN=$OUT/ner-golden.json
run "$PY" tools/train/export_gguf.py --no-export --out "$OUT/sichtung-ner.gguf" --golden "$GOLDEN"
run "$PY" tools/train/evaluate.py --model "$OUT/model.pt" --data "$OUT" --json "$OUT/eval.json"
if [ -z "${SMOKE:-}" ]; then
  cp "$OUT/sichtung-ner.gguf" data/models/sichtung-ner.gguf
  echo "run.sh: installed data/models/sichtung-ner.gguf and $GOLDEN"
fi
echo "run.sh: done in $(( $(date +%s) - T0 )) s; outputs in $OUT"
