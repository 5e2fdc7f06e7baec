#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that every screenshot the metainfo names is stored in the repository as a real PNG."""
import struct
import sys
import xml.etree.ElementTree as ET

metainfo, root = sys.argv[1], sys.argv[2]
PREFIX = 'https://raw.githubusercontent.com/sichtung/sichtung/main/'
images = [el.text.strip() for el in ET.parse(metainfo).getroot().iter('image')]
if not images:
    print('metainfo names no screenshot')
    sys.exit(1)
for url in images:
    if not url.startswith(PREFIX):
        print(f'screenshot {url} is not stored in this repository')
        sys.exit(1)
    path = f'{root}/{url[len(PREFIX):]}'
    with open(path, 'rb') as f:
        head = f.read(24)
    if head[:8] != b'\x89PNG\r\n\x1a\n':
        print(f'{path} is not a PNG')
        sys.exit(1)
    width, height = struct.unpack('>II', head[16:24])
    if width < 800 or height < 500:
        print(f'{path} is only {width}×{height}')
        sys.exit(1)
    print(f'{path}: {width}×{height}')
