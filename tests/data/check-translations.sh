#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when po/de.po does not translate every string the sources mark for translation, when a
# translation is fuzzy, or when a source file with translatable strings is missing from
# po/POTFILES.in.
set -eu

top=${1:?usage: check-translations.sh SOURCE_ROOT}
cd "$top"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

status=0

# 1. Every file with translatable strings is listed in POTFILES.in.
grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort > "$tmp/listed"
{
  grep -rlE '(^|[^A-Za-z0-9_])(N?_|C_|NC_|ngettext)\(' --include='*.c' app core 2>/dev/null || true
  grep -rl 'translatable="yes"' --include='*.ui' app 2>/dev/null || true
  ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null || true
} | sort -u > "$tmp/needed"
missing=$(comm -23 "$tmp/needed" "$tmp/listed")
if [ -n "$missing" ]; then
  echo "Files with translatable strings missing from po/POTFILES.in:"
  echo "$missing"
  status=1
fi
gone=$(while read -r f; do [ -e "$f" ] || echo "$f"; done < "$tmp/listed")
if [ -n "$gone" ]; then
  echo "po/POTFILES.in lists files that do not exist:"
  echo "$gone"
  status=1
fi
[ $status -eq 0 ] || exit $status

# 2. Extract the current template the way meson's glib preset does.
xgettext --package-name=sichtung --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format \
  --files-from=po/POTFILES.in --output="$tmp/sichtung.pot" 2> "$tmp/xgettext.err" || {
    cat "$tmp/xgettext.err"; exit 1; }

# 3. Merge the German catalogue with it: anything new shows up untranslated or fuzzy.
msgmerge --quiet --no-fuzzy-matching --output-file="$tmp/de.po" po/de.po "$tmp/sichtung.pot"
msgfmt --check --output-file=/dev/null po/de.po
stats=$(LC_ALL=C msgfmt --statistics --output-file=/dev/null "$tmp/de.po" 2>&1)
echo "de: $stats"
case "$stats" in
  *untranslated*|*fuzzy*)
    echo "Untranslated or fuzzy German strings:"
    msgattrib --untranslated --only-fuzzy --no-obsolete "$tmp/de.po" 2>/dev/null | grep '^msgid' || true
    msgattrib --untranslated --no-obsolete "$tmp/de.po" | grep -A1 '^msgid' | head -60
    exit 1 ;;
esac
obsolete=$(msgattrib --only-obsolete "$tmp/de.po" | grep -c '^#~ msgid' || true)
if [ "$obsolete" -gt 0 ]; then
  echo "po/de.po has $obsolete translations for strings the sources no longer use:"
  msgattrib --only-obsolete "$tmp/de.po" | grep '^#~ msgid'
  exit 1
fi
