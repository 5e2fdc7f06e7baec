#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# "No document leaves the machine": runs every CLI workflow (analyze, compare, pseudonymize,
# redact, report) and the app on the sample case under strace, and fails when any of them
# opens a socket of a family other than AF_UNIX or AF_NETLINK, or connects anywhere but a
# local socket. AF_NETLINK is allowed because GIO's network monitor reads the routing table
# over it without sending anything off the machine; AF_INET, AF_INET6, AF_PACKET and the rest
# fail.
#
# Usage: test-no-network.sh BUILD_DIR SOURCE_DIR
# Exits 77 (skipped) without strace, unless SICHTUNG_REQUIRE_TOOLS=1 (CI), where that fails.
# Needs a display for the app: $DISPLAY (meson test runs under xvfb-run), or xvfb-run itself.
set -eu

build_dir=$(cd "${1:?usage: test-no-network.sh BUILD_DIR SOURCE_DIR}" && pwd)
source_dir=$(cd "${2:?usage: test-no-network.sh BUILD_DIR SOURCE_DIR}" && pwd)
cli="$build_dir/core/cli/sichtung-cli"
app="$build_dir/app/sichtung"
samples="${SICHTUNG_SAMPLES_DIR:-$build_dir/data/samples}"
# How long the app works on the sample case: at least, and at most (until it has stored it).
app_seconds="${SICHTUNG_NO_NETWORK_APP_SECONDS:-8}"
app_max_seconds="${SICHTUNG_NO_NETWORK_APP_MAX_SECONDS:-90}"

missing_tool () {
  if [ "${SICHTUNG_REQUIRE_TOOLS:-0}" = 1 ]; then
    echo "Bail out! $1 is not installed, and SICHTUNG_REQUIRE_TOOLS=1" >&2
    exit 1
  fi
  echo "1..0 # SKIP $1 is not installed"
  exit 77
}

command -v strace > /dev/null 2>&1 || missing_tool strace
if [ -z "${DISPLAY:-}" ] && [ -z "${SICHTUNG_NO_NETWORK_XVFB:-}" ]; then
  command -v xvfb-run > /dev/null 2>&1 || missing_tool xvfb-run
  SICHTUNG_NO_NETWORK_XVFB=1 exec xvfb-run -a "$0" "$@"
fi
for f in "$cli" "$app"; do
  if [ ! -x "$f" ]; then
    echo "Bail out! $f is not built" >&2
    exit 1
  fi
done

# A session bus of its own, outside the trace, so GIO does not autolaunch one that would
# outlive the app (and strace with it); without dbus-run-session, no session bus at all.
bus=""
if command -v dbus-run-session > /dev/null 2>&1; then
  bus="dbus-run-session --"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sichtung-no-network.XXXXXX")
# shellcheck disable=SC2317 # called by the trap
cleanup () {
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# Everything the workflows write or read as a user stays in the temporary directory.
export HOME="$tmp/home"
export XDG_CONFIG_HOME="$tmp/config"
export XDG_DATA_HOME="$tmp/data"
export XDG_CACHE_HOME="$tmp/cache"
export XDG_STATE_HOME="$tmp/state"
export XDG_RUNTIME_DIR="$tmp/runtime"
export GSETTINGS_BACKEND=memory
export DBUS_SESSION_BUS_ADDRESS="unix:path=$tmp/no-session-bus"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
mkdir -m 0700 "$XDG_RUNTIME_DIR"
# LeakSanitizer cannot work under ptrace; in a sanitizer build, leaks are tools/sanitize-test's
# business, not this test's.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

n=0
failed=0

# check NAME LOG: one TAP line for the strace log of one workflow.
check () {
  n=$((n + 1))
  # socket(AF_INET, ...) and the like; `<unfinished ...>` lines still name the family first.
  bad=$(grep -E '(^|[[:space:]])socket\(' "$2" |
          grep -vE 'socket\((AF_UNIX|AF_LOCAL|AF_NETLINK|PF_UNIX|PF_LOCAL|PF_NETLINK),' || true)
  # connect() to anything but a local socket (AF_UNSPEC only dissolves an association).
  bad="$bad$(grep -E '(^|[[:space:]])connect\(' "$2" |
               grep -vE 'sa_family=(AF_UNIX|AF_LOCAL|AF_NETLINK|AF_UNSPEC)' |
               grep -vE 'connect\([0-9]+, NULL' || true)"
  if [ -n "$bad" ]; then
    echo "not ok $n - $1 opens no network socket"
    echo "$bad" | sed 's/^/# /'
    failed=1
  else
    echo "ok $n - $1 opens no network socket"
  fi
}

# run_traced NAME EXPECTED_STATUS COMMAND...: runs the command under strace and checks it.
run_traced () {
  name=$1
  expected=$2
  shift 2
  log="$tmp/$name.strace"
  status=0
  strace -f -qq -e trace=socket,connect -o "$log" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err" ||
    status=$?
  if [ "$status" -ne "$expected" ]; then
    n=$((n + 1))
    echo "not ok $n - $name exits with $expected (got $status)"
    sed 's/^/# /' "$tmp/$name.err" | tail -n 20
    failed=1
    return 0
  fi
  check "$name" "$log"
}

pdf_a="$samples/03-bescheid-entwurf.pdf"
pdf_b="$samples/03-bescheid.pdf"
txt="$source_dir/data/samples/01-antrag.txt"

echo "1..7"

# The app first: it stores the sample case that `report` then reads. It runs at least
# $app_seconds, and on until the case database has a case with documents (a sanitizer build
# is slow), at most $app_max_seconds; then it is sent SIGTERM through timeout(1), traced with
# it (strace itself ignores SIGTERM while it writes to a file).
db="$XDG_DATA_HOME/sichtung/faelle.sqlite"
stored_case () {
  [ -f "$db" ] && /usr/bin/python3 - "$db" << 'PY' 2> /dev/null
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True, timeout=5)
row = db.execute("SELECT case_id FROM documents ORDER BY id LIMIT 1").fetchone()
sys.exit(1 if row is None else print(row[0]))
PY
}
n=$((n + 1))
# shellcheck disable=SC2086,SC2016 # $bus: a command and its arguments; $$: the inner shell
$bus timeout -k 10 $((app_max_seconds + 60)) \
  strace -f -qq -e trace=socket,connect -o "$tmp/app.strace" \
  sh -c 'echo $$ > "$1"; shift; exec timeout -k 10 "$@"' sh "$tmp/app.pid" \
  "$app_max_seconds" "$app" --sample-case > "$tmp/app.out" 2> "$tmp/app.err" &
strace_pid=$!
elapsed=0
case_id=""
while [ "$elapsed" -lt "$app_max_seconds" ] && kill -0 "$strace_pid" 2> /dev/null; do
  sleep 1
  elapsed=$((elapsed + 1))
  if [ "$elapsed" -ge "$app_seconds" ] && case_id=$(stored_case) && [ -n "$case_id" ]; then
    break
  fi
done
if kill -0 "$strace_pid" 2> /dev/null && [ -s "$tmp/app.pid" ]; then
  kill -TERM "$(cat "$tmp/app.pid")" 2> /dev/null || true
fi
status=0
wait "$strace_pid" || status=$?
# 143: stopped here (timeout passes SIGTERM on), 124: ran into $app_max_seconds.
if [ "$status" -eq 143 ] || [ "$status" -eq 124 ]; then
  n=$((n - 1))
  check "app on the sample case" "$tmp/app.strace"
else
  echo "not ok $n - app on the sample case runs until stopped (exited with $status)"
  sed 's/^/# /' "$tmp/app.err" | tail -n 20
  failed=1
fi
[ -n "$case_id" ] || case_id=$(stored_case) || true

run_traced analyze-pdf 0 "$cli" analyze "$pdf_a" --json
run_traced analyze-text 0 "$cli" analyze "$txt"
run_traced compare 0 "$cli" compare "$pdf_a" "$pdf_b" --json
run_traced pseudonymize 0 "$cli" pseudonymize "$txt" -o "$tmp/pseudonymized.txt" \
  --key "$tmp/key.json" --json
run_traced redact 0 "$cli" redact "$pdf_b" -o "$tmp/redacted.pdf"

if [ -n "$case_id" ]; then
  run_traced report 0 "$cli" report --case-db "$db" --case "$case_id" --format pdf \
    -o "$tmp/report.pdf"
else
  n=$((n + 1))
  echo "not ok $n - report: the app stored no case in $db within $app_max_seconds s"
  failed=1
fi

exit "$failed"
