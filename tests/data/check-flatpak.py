#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that the Flatpak manifest parses and agrees with meson: the same app ID, the GUI
binary as its command, both binaries built by the main module, pinned sources, no network
and no home directory access."""
import json
import sys

manifest_path, app_id, gui, cli = sys.argv[1:5]
failed = False


def fail(message):
    global failed
    print(f'{manifest_path}: {message}')
    failed = True


with open(manifest_path, encoding='utf-8') as f:
    manifest = json.load(f)

if manifest.get('id', manifest.get('app-id')) != app_id:
    fail(f'app id is {manifest.get("id")!r}, meson says {app_id!r}')
if manifest.get('command') != gui:
    fail(f'command is {manifest.get("command")!r}, expected {gui!r}')
if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
    fail('runtime must be org.gnome.Platform with org.gnome.Sdk')

args = manifest.get('finish-args', [])
for needed in ('--socket=wayland', '--socket=fallback-x11', '--share=ipc', '--device=dri'):
    if needed not in args:
        fail(f'finish-args lacks {needed}')
for forbidden in ('--share=network', '--filesystem=home', '--filesystem=host'):
    if forbidden in args:
        fail(f'finish-args must not contain {forbidden}')

modules = manifest.get('modules', [])
names = [m.get('name') for m in modules if isinstance(m, dict)]
if not names or names[-1] != 'sichtung':
    fail('the last module must be sichtung')
for module in modules:
    if not isinstance(module, dict):
        fail('modules must be inline objects')
        continue
    for source in module.get('sources', []):
        kind = source.get('type')
        if kind == 'archive' and not (source.get('url', '').startswith('https://')
                                      and len(source.get('sha256', '')) == 64):
            fail(f'module {module.get("name")}: archive source not pinned by https URL and sha256')
        if kind == 'git' and not source.get('commit') and module.get('name') != 'sichtung':
            fail(f'module {module.get("name")}: git source not pinned to a commit')
main = modules[-1] if modules else {}
if main.get('buildsystem') != 'meson':
    fail('the sichtung module must build with meson')

sys.exit(1 if failed else 0)
