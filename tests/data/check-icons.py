#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the app icons: both exist, parse as SVG, have the right canvas, and the symbolic
icon uses a single colour as GNOME's symbolic icons must."""
import re
import sys
import xml.etree.ElementTree as ET

icons_dir, app_id = sys.argv[1], sys.argv[2]
SVG = '{http://www.w3.org/2000/svg}'
failed = False


def fail(message):
    global failed
    print(message)
    failed = True


def load(path):
    try:
        return ET.parse(path).getroot()
    except (OSError, ET.ParseError) as err:
        fail(f'{path}: {err}')
        return None


full = load(f'{icons_dir}/hicolor/scalable/apps/{app_id}.svg')
if full is not None:
    if full.tag != SVG + 'svg':
        fail('scalable icon: root is not <svg>')
    if (full.get('width'), full.get('height')) != ('128', '128'):
        fail('scalable icon: canvas must be 128×128')
    if len(list(full.iter())) < 8:
        fail('scalable icon: suspiciously empty')

symbolic = load(f'{icons_dir}/hicolor/symbolic/apps/{app_id}-symbolic.svg')
if symbolic is not None:
    if (symbolic.get('width'), symbolic.get('height')) != ('16', '16'):
        fail('symbolic icon: canvas must be 16×16')
    text = ET.tostring(symbolic, encoding='unicode')
    colours = {c.lower() for c in re.findall(r'#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b', text)}
    if len(colours) > 1:
        fail(f'symbolic icon: more than one colour: {sorted(colours)}')
    if not any(el.tag in (SVG + 'path', SVG + 'rect', SVG + 'circle') for el in symbolic.iter()):
        fail('symbolic icon: no shapes')

sys.exit(1 if failed else 0)
