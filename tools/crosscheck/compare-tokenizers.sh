#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# compare-tokenizers.sh: tokenize German test sentences with llama.cpp (node-llama-cpp) and
# with Sichtung (sichtung-cli tokenize) for every generated model and report differences.
#
#   tools/crosscheck/compare-tokenizers.sh [MODEL.gguf…]
#
# Models default to tools/out/tiny-*.gguf (make them with tools/gguf/gen_model.py); the text
# to tools/crosscheck/sentences-de.txt (env SENTENCES). sichtung-cli is looked for in
# _build and build (env SICHTUNG_CLI). Needs `npm ci` in tools/ once.
# Exit status 0 when every model gives identical ids, line by line and for the whole file,
# with and without special-token parsing.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
sentences=${SENTENCES:-$here/sentences-de.txt}
python=/usr/bin/python3

cli=${SICHTUNG_CLI:-}
if [ -z "$cli" ]; then
  for dir in _build build; do
    if [ -x "$root/$dir/core/cli/sichtung-cli" ]; then
      cli=$root/$dir/core/cli/sichtung-cli
      break
    fi
  done
fi
if [ -z "$cli" ]; then
  echo "compare-tokenizers: sichtung-cli not found; build it or set SICHTUNG_CLI" >&2
  exit 2
fi
if [ ! -d "$root/tools/node_modules/node-llama-cpp" ]; then
  echo "compare-tokenizers: run 'npm ci' in $root/tools first" >&2
  exit 2
fi

if [ $# -eq 0 ]; then
  set -- "$root"/tools/out/tiny-*.gguf
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0
for model in "$@"; do
  if [ ! -f "$model" ]; then
    echo "compare-tokenizers: no model $model (run tools/gguf/gen_model.py)" >&2
    exit 2
  fi
  name=$(basename "$model" .gguf)
  node "$here/tokenize.mjs" "$model" "$sentences" > "$tmp/ref.json"
  "$cli" tokenize --model "$model" --lines "$sentences" > "$tmp/lines-plain"
  "$cli" tokenize --model "$model" --lines "$sentences" --special > "$tmp/lines-special"
  "$cli" tokenize --model "$model" --file "$sentences" > "$tmp/whole-plain"
  "$cli" tokenize --model "$model" --file "$sentences" --special > "$tmp/whole-special"
  "$python" "$here/compare.py" "$tmp/ref.json" "$tmp/lines-plain" "$tmp/lines-special" \
    "$tmp/whole-plain" "$tmp/whole-special" "$name" || status=1
done
exit $status
