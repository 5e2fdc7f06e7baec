# SPDX-License-Identifier: GPL-3.0-or-later
# tools/fuzz/common.sh: what tools/fuzz/smoke and tools/fuzz/campaign share (sourced, POSIX sh).
#
# Environment: FUZZ_BUILD_DIR (default _build-fuzz), FUZZ_TARGETS (default all), FUZZ_BUILD_JOBS
# (ninja -j, default 2), FUZZ_CLANG (the clang to use, default clang).

FUZZ_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FUZZ_BUILD_DIR=${FUZZ_BUILD_DIR:-$FUZZ_ROOT/_build-fuzz}
FUZZ_TARGETS=${FUZZ_TARGETS:-"fuzz-gguf fuzz-tokenizer fuzz-recognizers fuzz-document fuzz-pdf-content fuzz-store"}

# GLib 2.74's slice allocator hides heap errors from ASan; criticals must abort (fuzz-common.c
# does it too, this catches the ones before its initialiser); UBSan findings must stop the run.
G_SLICE=always-malloc
G_DEBUG=gc-friendly
GSETTINGS_BACKEND=memory
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1:detect_stack_use_after_return=0}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:suppressions=$FUZZ_ROOT/tools/fuzz/ubsan.supp}
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$FUZZ_ROOT/tools/fuzz/lsan.supp:print_suppressions=0}
export G_SLICE G_DEBUG GSETTINGS_BACKEND ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS

fuzz_build () {
  if [ ! -f "$FUZZ_BUILD_DIR/build.ninja" ]; then
    CC="${FUZZ_CLANG:-clang}" meson setup "$FUZZ_BUILD_DIR" "$FUZZ_ROOT" \
      -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false \
      -Dc_args=-fsanitize=fuzzer-no-link -Dbuildtype=debugoptimized || return 1
  fi
  fuzz_ninja_targets=
  for t in $FUZZ_TARGETS; do
    fuzz_ninja_targets="$fuzz_ninja_targets tests/fuzz/$t"
  done
  # shellcheck disable=SC2086
  nice ninja -C "$FUZZ_BUILD_DIR" -j "${FUZZ_BUILD_JOBS:-2}" $fuzz_ninja_targets
}

# fuzz_seed TARGET DEST: copies the committed seeds of TARGET into DEST, leaving out any input
# that is a known reproducer (tests/fuzz/crashes/TARGET-*), which belongs to a bug report.
fuzz_seed () {
  mkdir -p "$2"
  [ -d "$FUZZ_ROOT/tests/fuzz/corpus/$1" ] || return 0
  for f in "$FUZZ_ROOT/tests/fuzz/corpus/$1"/*; do
    [ -f "$f" ] || continue
    fuzz_known=no
    for k in "$FUZZ_ROOT/tests/fuzz/crashes/$1"-*; do
      [ -f "$k" ] || continue
      case $k in *.txt) continue ;; esac
      if cmp -s "$f" "$k"; then fuzz_known=yes; break; fi
    done
    [ $fuzz_known = yes ] || cp "$f" "$2/"
  done
}

# fuzz_dict_args TARGET: -dict=… when the target has a dictionary.
fuzz_dict_args () {
  if [ -f "$FUZZ_ROOT/tests/fuzz/$1.dict" ]; then
    printf '%s' "-dict=$FUZZ_ROOT/tests/fuzz/$1.dict"
  fi
}

# fuzz_execs LOG...: the executions the logs report (libFuzzer's -print_final_stats), summed.
fuzz_execs () {
  cat "$@" 2>/dev/null | sed -n 's/^stat::number_of_executed_units: *//p' |
    awk '{ n += $1 } END { print n + 0 }'
}

# fuzz_known_summary TARGET LOG: prints the reproducer whose recorded sanitizer SUMMARY line
# (tests/fuzz/crashes/TARGET-N.txt, first line) the log shows, if any.
fuzz_known_summary () {
  for k in "$FUZZ_ROOT/tests/fuzz/crashes/$1"-*.txt; do
    [ -f "$k" ] || continue
    fuzz_summary=$(head -n 1 "$k")
    if [ -n "$fuzz_summary" ] && grep -qF -- "$fuzz_summary" "$2"; then
      printf '%s\n' "${k%.txt}"
      return 0
    fi
  done
  return 1
}
