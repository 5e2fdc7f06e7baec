#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""derive.py: builds the compact gazetteers embedded in the core library from the LER corpus
gazetteers (see SOURCES.md). Run from this directory:

    ./derive.py ../../../shared/corpora

gesetze.tsv: ABBREVIATION<TAB>FULL NAME, one law or regulation per line, plus gesetze-extra.tsv
(codes and EU acts the lists lack). orte.txt: German place names, one per line. strassen.txt:
German street names, one per line, without the entries that are ordinary German words (those
found in the running text of the LER and GermEval corpora and in STOP_WORDS below).

gesetze-kurz.tsv (other names laws are cited by) and kfz.tsv (the vehicle registration district
codes of Anlage 1 FZV) are written by hand and embedded as they are; this script only checks
their form.
"""
import collections
import os
import re
import sys

corpora = sys.argv[1] if len(sys.argv) > 1 else '../../../shared/corpora'
src = os.path.join(corpora, 'ler', 'gazetteers')


def read_lines(path):
    with open(path, encoding='utf-8') as f:
        return [line.strip() for line in f]


# ---- Laws ---------------------------------------------------------------------------------

entries = {}
for name in ('gesetzesnamen.list', 'verordnungsnamen.list'):
    lines = read_lines(os.path.join(src, name))
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

# ---- Places -------------------------------------------------------------------------------

places = set()
for line in read_lines(os.path.join(src, 'stadtnamen.list')):
    if len(line) >= 2 and line[0].isupper():
        places.add(line)
with open('orte.txt', 'w', encoding='utf-8') as out:
    for p in sorted(places):
        out.write(p + '\n')

# ---- Streets ------------------------------------------------------------------------------

# A street name is recognised before a house number ("Zeil 12"), so a name that is also an
# ordinary word would fire on "Anlage 3" or "Haus 2". Such words are dropped: those that occur
# in running text, and these, which precede numbers in letters and forms. (Names that are also
# place names, like "Zeil", need more evidence at run time.)
STOP_WORDS = {
    'Absatz', 'Abschnitt', 'Akte', 'Anlage', 'Artikel', 'Bahnhof', 'Bahnsteig', 'Band', 'Bau',
    'Bereich', 'Blatt', 'Block', 'Bus', 'Ebene', 'Etage', 'Fach', 'Feld', 'Flur', 'Flurstück',
    'Friedhof', 'Gebäude', 'Geschoss', 'Gleis', 'Gruppe', 'Halle', 'Haus', 'Heft', 'Hof',
    'Kapitel', 'Kirche', 'Klasse', 'Linie', 'Los', 'Markt', 'Nummer', 'Parzelle', 'Platz',
    'Position', 'Posten', 'Punkt', 'Rathaus', 'Raum', 'Ring', 'Runde', 'Satz', 'Schule',
    'Seite', 'Sektor', 'Stock', 'Stufe', 'Tabelle', 'Teil', 'Termin', 'Tor', 'Weg', 'Welle',
    'Ziffer', 'Zimmer', 'Zone',
}
SUFFIXES = ('straße', 'strasse', 'str.', 'weg', 'allee', 'platz', 'ring', 'gasse', 'damm',
            'ufer', 'chaussee', 'pfad', 'steig', 'markt', 'graben', 'wall', 'stieg', 'kamp',
            'promenade', 'anger', 'zeile', 'bogen', 'steg')
LETTERS = 'A-Za-zÄÖÜäöüßÀ-ÖØ-öø-ÿ'
STREET_RE = re.compile(rf"^[{LETTERS}][{LETTERS}.'’-]*(?: [{LETTERS}][{LETTERS}.'’-]*){{0,5}}$")


def has_suffix(name):
    low = name.lower()
    return any(low.endswith(s) and len(low) > len(s) for s in SUFFIXES)


def running_text():
    """Tokens of the corpora's running text, sentence by sentence."""
    with open(os.path.join(corpora, 'ler', 'court_sentences_timex.tsv'), encoding='utf-8') as f:
        for line in f:
            yield re.sub(r'<[^>]+>', '', line.split('\t', 1)[-1]).split()
    tokens = []
    with open(os.path.join(corpora, 'germeval2014', 'dev.tsv'), encoding='utf-8') as f:
        for line in f:
            cols = line.rstrip('\n').split('\t')
            if len(cols) >= 2 and not line.startswith('#'):
                tokens.append(cols[1])
            elif tokens:
                yield tokens
                tokens = []
    if tokens:
        yield tokens


streets = set()
for line in read_lines(os.path.join(src, 'strassennamen.list')):
    line = ' '.join(line.split())
    if 3 <= len(line) <= 60 and line[0].isupper() and STREET_RE.match(line):
        streets.add(line)
single = {s for s in streets if ' ' not in s and not has_suffix(s)}
multi = collections.defaultdict(set)   # first word → the multi-word names
for s in streets:
    if ' ' in s:
        multi[s.split(' ', 1)[0]].add(s)
common = set(STOP_WORDS)
for tokens in running_text():
    for i, t in enumerate(tokens):
        if t in single:
            common.add(t)
        for name in multi.get(t, ()):
            n = name.count(' ') + 1
            if ' '.join(tokens[i:i + n]) == name:
                common.add(name)
streets -= common
with open('strassen.txt', 'w', encoding='utf-8') as out:
    for s in sorted(streets):
        out.write(s + '\n')
print(f'strassen.txt: {len(streets)} names, {len(common)} common words left out',
      file=sys.stderr)

# ---- Hand-written lists -------------------------------------------------------------------

for name, columns in (('gesetze-kurz.tsv', 2), ('kfz.tsv', 2)):
    seen = set()
    with open(name, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            if line.startswith('#') or not line.strip():
                continue
            fields = line.rstrip('\n').split('\t')
            if len(fields) != columns or not all(fields):
                sys.exit(f'{name}:{n}: expected {columns} columns')
            if name == 'kfz.tsv' and (fields[0] in seen or
                                      not re.fullmatch(r'[A-ZÄÖÜ]{1,3}|0', fields[0])):
                sys.exit(f'{name}:{n}: bad or repeated code {fields[0]}')
            seen.add(fields[0])
