#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""derive.py: builds the compact gazetteers embedded in the core library from the LER corpus
gazetteers (see SOURCES.md). Run from this directory:

    ./derive.py ../../../shared/corpora/ler/gazetteers

gesetze.tsv: ABBREVIATION<TAB>FULL NAME, one law or regulation per line, plus gesetze-extra.tsv
(codes and EU acts the lists lack). orte.txt: German place names, one per line.
"""
import sys
import os

src = sys.argv[1]
entries = {}
for name in ('gesetzesnamen.list', 'verordnungsnamen.list'):
    with open(os.path.join(src, name), encoding='utf-8') as f:
        lines = [l.strip() for l in f]
    # The lists alternate abbreviation and full name but end in a tail of unpaired full names:
    # pair until the first "abbreviation" that reads like a name.
    for i in range(0, len(lines) - 1, 2):
        abbr, full = lines[i], lines[i + 1]
        if len(abbr) > 40 or abbr.count(' ') > 2 or abbr.startswith(('Gesetz', 'Verordnung')):
            print(f'{name}: pairs end at line {i + 1}', file=sys.stderr)
            break
        if abbr and full and '\t' not in abbr + full:
            entries.setdefault(abbr, full)
with open('gesetze-extra.tsv', encoding='utf-8') as f:
    for line in f:
        if line.strip() and not line.startswith('#'):
            abbr, full = line.rstrip('\n').split('\t', 1)
            entries[abbr] = full
with open('gesetze.tsv', 'w', encoding='utf-8') as out:
    for abbr in sorted(entries):
        out.write(f'{abbr}\t{entries[abbr]}\n')

places = set()
with open(os.path.join(src, 'stadtnamen.list'), encoding='utf-8') as f:
    for line in f:
        line = line.strip()
        if len(line) >= 2 and line[0].isupper():
            places.add(line)
with open('orte.txt', 'w', encoding='utf-8') as out:
    for p in sorted(places):
        out.write(p + '\n')
