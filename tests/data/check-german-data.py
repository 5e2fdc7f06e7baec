#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that the merged desktop file and metainfo carry German for every translatable field."""
import configparser
import sys
import xml.etree.ElementTree as ET

desktop, metainfo = sys.argv[1], sys.argv[2]
failed = False

parser = configparser.RawConfigParser(strict=False, interpolation=None)
parser.optionxform = str
parser.read(desktop, encoding='utf-8')
entry = parser['Desktop Entry']
for key in ('GenericName', 'Comment', 'Keywords'):
    if f'{key}[de]' not in entry:
        print(f'desktop file: {key} has no German translation')
        failed = True

XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'
root = ET.parse(metainfo).getroot()
for tag in ('summary', 'caption'):
    for el in root.iter(tag):
        if el.get(XML_LANG) is None:
            german = [o for o in root.iter(tag) if o.get(XML_LANG) == 'de']
            if not german:
                print(f'metainfo: <{tag}> has no German translation')
                failed = True
paragraphs = [p for p in root.iter('p') if p.get(XML_LANG) is None]
german_paragraphs = [p for p in root.iter('p') if p.get(XML_LANG) == 'de']
if len(german_paragraphs) < len(paragraphs):
    print(f'metainfo: {len(paragraphs) - len(german_paragraphs)} paragraphs lack German')
    failed = True

sys.exit(1 if failed else 0)
