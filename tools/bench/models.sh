# SPDX-License-Identifier: GPL-3.0-or-later
# models.sh: what bench-decoder.sh and bench-assistant.sh share, sourced by both: the build
# directory with sichtung-cli and sc-gen-model, and the random-weight models of realistic shape
# they time.
#
#   small  llama, dim 1024, 12 layers, ffn 2816, 16 heads (4 kv), vocab 32000, Q8_0
#   1b     llama, dim 2048, 16 layers, ffn 8192, 32 heads (8 kv), vocab 32000, Q4_K_M-like

# Prints the build directory ($SICHTUNG_BUILD, else _build or build under $1, the source root)
# that has both programs; fails with a message naming $2, the calling script.
bench_find_build () {
  if [ -n "${SICHTUNG_BUILD:-}" ]; then
    echo "$SICHTUNG_BUILD"
    return 0
  fi
  for dir in _build build; do
    if [ -x "$1/$dir/tools/sc-gen-model" ] && [ -x "$1/$dir/core/cli/sichtung-cli" ]; then
      echo "$1/$dir"
      return 0
    fi
  done
  echo "$2: build sichtung-cli and sc-gen-model first" >&2
  return 2
}

# Writes model $1 ("small" or "1b") to $2 unless it is there, with sc-gen-model from build $3
# and the vocabulary $4; what sc-gen-model says goes to $2.txt.
bench_make_model () {
  case $1 in
    small) args="--type q8_0 --embd 1024 --layers 12 --heads 16 --kv-heads 4 --ff 2816" ;;
    1b) args="--type q4_k_m --embd 2048 --layers 16 --heads 32 --kv-heads 8 --ff 8192" ;;
    *) echo "unknown model $1" >&2; return 2 ;;
  esac
  if [ ! -f "$2" ]; then
    # shellcheck disable=SC2086
    "$3/tools/sc-gen-model" --arch llama $args --vocab "$4" --n-vocab 32000 \
      --output-spread 1 --out "$2" > "$2.txt"
  fi
  [ -f "$2.txt" ] || : > "$2.txt"
}
