#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""test-atspi.py: the workbench as a screen reader sees it (BITV 2.0 / EN 301 549).

Starts the built app on the sample case on a private D-Bus session with its own AT-SPI bus,
then, through AT-SPI only: waits for the findings, checks that every control in the window has
a name, reaches the findings list with Tab, walks it with j/k, accepts one finding with "a" and
rejects another with "r" (key events synthesised through AT-SPI, XTest on X11), checks that the
rows' names and their buttons' states follow, switches to the text with Alt+2 and checks that
the text view names the finding its caret is on, and quits with Ctrl+Q. Finally it reads the case
store the app wrote in a temporary XDG_DATA_HOME and checks that it records exactly those two
decisions. Runs under xvfb-run; prints TAP.

    test-atspi.py --build-dir BUILD --source-dir SOURCE

Without AT-SPI (gir1.2-atspi-2.0, at-spi2-core, dbus) or a display the test skips, unless
SICHTUNG_REQUIRE_TOOLS=1, as in CI, where it fails instead.
"""

import argparse
import ctypes
import glob
import os
import re
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid

# How much longer waits may take than usual, for slow builds such as the sanitizer one (as in
# tests/sc-test-util.h).
TIME_SCALE = max(1.0, float(os.environ.get('SICHTUNG_TEST_TIME_SCALE') or 1))
FINDINGS_TIMEOUT_S = 180 * TIME_SCALE  # start, load, analyse (model on the CPU) and store both
STEP_TIMEOUT_S = 15 * TIME_SCALE       # one key press to take effect
QUIT_TIMEOUT_S = 30 * TIME_SCALE
MAX_TABS = 200             # more focusable widgets than the window has

# What the finding rows' accessible names look like (app/sichtung-finding-row.c, untranslated):
# "Person: Erika Mustermann, page 1, 93 %, Open".
ROW_NAME = re.compile(r'^(?P<category>[^:]+): (?P<snippet>.*), page (?P<page>\d+), '
                      r'(?P<confidence>\d+) %, (?P<decision>[^,]+)$')
# The case sidebar's name for a stored document: "03-bescheid.txt, 28 open findings".
OPEN_FINDINGS = re.compile(r', (\d+) open findings?$')
# GTK 4.8 falls back to a widget's type name ("GtkImage" for an icon-only button) when nothing
# names it: that is no name a person can use.
TYPE_NAME = re.compile(r'^(Gtk|Adw)[A-Z][A-Za-z]*$')
MAX_SNIPPET_CHARS = 60

# libatspi warns once that GTK 4 has no AT-SPI cache object; the test environment's
# G_DEBUG=fatal-warnings (kept for the app) must not turn that into a crash of this process.
if 'G_DEBUG' in os.environ:
    os.environ['G_DEBUG'] = ','.join(flag for flag in os.environ['G_DEBUG'].split(',')
                                     if flag not in ('fatal-warnings', 'fatal-criticals'))

KEY_TAB = 0xff09
KEY_J, KEY_K, KEY_A, KEY_R, KEY_Q, KEY_2 = (ord(c) for c in 'jkarq2')
CONTROL_MASK = 1 << 2
ALT_MASK = 1 << 3  # Mod1


class Failure(Exception):
    pass


class Skip(Exception):
    pass


def tools_required():
    return os.environ.get('SICHTUNG_REQUIRE_TOOLS') == '1'


def find_samples(source_dir):
    """The Bescheid and the Widerspruch of the sample case, by name, text before PDF."""
    folder = os.path.join(source_dir, 'data', 'samples')
    documents = sorted(p for p in glob.glob(os.path.join(folder, '*'))
                       if p.endswith(('.txt', '.pdf')))
    chosen = []
    for word in ('bescheid', 'widerspruch'):
        # "NN-word.txt": the word is the whole name after the number (not a draft of it)
        matches = sorted((p for p in documents
                          if os.path.splitext(os.path.basename(p))[0].lower()
                          .split('-', 1)[-1] == word),
                         key=lambda p: (not p.endswith('.txt'), p))
        if matches:
            chosen.append(matches[0])
    for path in sorted(documents, key=lambda p: (not p.endswith('.txt'), p)):
        if len(chosen) >= 2:
            break
        if path not in chosen:
            chosen.append(path)
    if len(chosen) < 2:
        raise Failure(f'fewer than two sample documents in {folder}')
    return chosen


def die_with_parent():
    """Run in a child before exec: the kernel ends it when this test process dies, however it
    dies, so no bus or app outlives a crashed test."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def snippet(text):
    """The row's shortening of a finding's text (sichtung_finding_item_dup_snippet())."""
    line = re.sub('[\n\r\t\f]', ' ', text)
    if len(line) > MAX_SNIPPET_CHARS:
        return line[:MAX_SNIPPET_CHARS - 1] + '…'
    return line


# ------------------------------------------------------------------------------------------
# The session: a private D-Bus session bus, its AT-SPI bus, and the app


class Session:
    def __init__(self, build_dir):
        # Services the buses start are orphaned when their bus ends: reparented to this
        # process rather than to an init that may not reap them, they are waited for here.
        PR_SET_CHILD_SUBREAPER = 36
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        self.build_dir = build_dir
        self.tmp = tempfile.mkdtemp(prefix='sichtung-atspi-')
        self.marker = uuid.uuid4().hex
        self.bus = None
        self.app = None
        self.app_log = os.path.join(self.tmp, 'app.log')
        self.env = self._environment()

    def _environment(self):
        env = dict(os.environ)
        # The other UI tests switch the accessibility bridge off; this one needs it.
        for name in ('GTK_A11Y', 'NO_AT_BRIDGE', 'AT_SPI_BUS_ADDRESS', 'DBUS_SESSION_BUS_ADDRESS',
                     'LANGUAGE', 'LANG', 'LC_ALL', 'LC_MESSAGES', 'SESSION_MANAGER'):
            env.pop(name, None)
        dirs = {}
        for name in ('data', 'config', 'cache', 'runtime'):
            dirs[name] = os.path.join(self.tmp, name)
            os.mkdir(dirs[name], 0o700)
        env.update({
            # Never the user's case store, settings or caches.
            'XDG_DATA_HOME': dirs['data'],
            'XDG_CONFIG_HOME': dirs['config'],
            'XDG_CACHE_HOME': dirs['cache'],
            'XDG_RUNTIME_DIR': dirs['runtime'],
            'GSETTINGS_BACKEND': 'memory',
            'GSETTINGS_SCHEMA_DIR': os.path.join(self.build_dir, 'data'),
            'GSK_RENDERER': 'cairo',
            # The names this test expects are the untranslated ones: the app binds its
            # catalogue to the install prefix, not to the build tree.
            'LC_ALL': 'C.UTF-8',
            # The model runs on the CPU: lavapipe would only be slower.
            'SICHTUNG_DEVICE': 'cpu',
            # Every process started for this run carries it, so cleanup finds them all.
            'SICHTUNG_ATSPI_TEST_RUN': self.marker,
        })
        return env

    def start_bus(self):
        """A session bus of our own, and the address of its AT-SPI bus."""
        self.bus = subprocess.Popen(
            ['dbus-daemon', '--session', '--nofork', '--print-address=1',
             '--address=unix:dir=' + self.env['XDG_RUNTIME_DIR']],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=self.env,
            start_new_session=True, text=True, preexec_fn=die_with_parent)
        ready, _, _ = select.select([self.bus.stdout], [], [], 10)
        address = self.bus.stdout.readline().strip() if ready else ''
        if not address:
            raise Failure('dbus-daemon printed no address within 10 s')
        self.env['DBUS_SESSION_BUS_ADDRESS'] = address

        from gi.repository import Gio, GLib
        connection = Gio.DBusConnection.new_for_address_sync(
            address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
            | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
            None, None)
        # D-Bus activation starts at-spi-bus-launcher, which starts the accessibility bus.
        reply = connection.call_sync('org.a11y.Bus', '/org/a11y/bus', 'org.a11y.Bus',
                                     'GetAddress', None, GLib.VariantType('(s)'),
                                     Gio.DBusCallFlags.NONE, 20000, None)
        connection.close_sync(None)
        a11y_address = reply.unpack()[0]
        if not a11y_address:
            raise Failure('at-spi-bus-launcher gave no accessibility bus address')
        # Both the app and this process use exactly this bus, whatever a display property says.
        self.env['AT_SPI_BUS_ADDRESS'] = a11y_address
        for name in ('DBUS_SESSION_BUS_ADDRESS', 'AT_SPI_BUS_ADDRESS', 'XDG_RUNTIME_DIR'):
            os.environ[name] = self.env[name]

    def start_app(self, files):
        binary = os.path.join(self.build_dir, 'app', 'sichtung')
        if not os.access(binary, os.X_OK):
            raise Failure(f'{binary} is not built')
        with open(self.app_log, 'wb') as log:
            self.app = subprocess.Popen([binary] + files, env=self.env, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True,
                                        preexec_fn=die_with_parent)

    def app_exit_status(self):
        return self.app.poll() if self.app is not None else None

    def app_output(self, lines=30):
        try:
            with open(self.app_log, encoding='utf-8', errors='replace') as log:
                tail = log.read().splitlines()[-lines:]
        except OSError:
            return ''
        return '\n'.join(tail)

    def store_path(self):
        return os.path.join(self.env['XDG_DATA_HOME'], 'sichtung', 'faelle.sqlite')

    @staticmethod
    def _stop_group(process, timeout=5):
        if process is None or process.poll() is not None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
            try:
                process.wait(timeout)
                return
            except subprocess.TimeoutExpired:
                continue

    def _stray_pids(self):
        """Processes started for this run that outlived their group (activated services)."""
        needle = ('SICHTUNG_ATSPI_TEST_RUN=' + self.marker).encode()
        pids = []
        for entry in os.listdir('/proc'):
            if not entry.isdigit() or int(entry) == os.getpid():
                continue
            try:
                with open(f'/proc/{entry}/environ', 'rb') as f:
                    if needle in f.read().split(b'\0'):
                        pids.append(int(entry))
            except OSError:
                continue
        return pids

    def close(self):
        self._stop_group(self.app)
        self._stop_group(self.bus)
        if self.bus is not None and self.bus.stdout is not None:
            self.bus.stdout.close()
        for sig in (signal.SIGTERM, signal.SIGKILL):
            pids = self._stray_pids()
            for pid in pids:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + 3
            while pids and time.monotonic() < deadline:
                time.sleep(0.1)
                pids = self._stray_pids()
            if not pids:
                break
        # Reap what was reparented here.
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
        shutil.rmtree(self.tmp, ignore_errors=True)


# ------------------------------------------------------------------------------------------
# AT-SPI


class Workbench:
    """The app's window as AT-SPI shows it."""

    def __init__(self, session):
        import gi
        gi.require_version('Atspi', '2.0')
        from gi.repository import Atspi
        self.Atspi = Atspi
        self.session = session
        if Atspi.init() not in (0, 1):  # 1: already initialised
            raise Failure('Atspi.init() failed')
        self.app = None
        self.frame = None

    # -- waiting ----------------------------------------------------------------------------

    def wait_for(self, what, predicate, timeout):
        """Polls @predicate until it returns something true; fails after @timeout seconds or
        when the app exits. AT-SPI errors while the tree changes count as "not yet"."""
        deadline = time.monotonic() + timeout
        last_error = None
        while True:
            status = self.session.app_exit_status()
            if status is not None:
                raise Failure(f'the app exited with status {status} while waiting for {what}\n'
                              + self.session.app_output())
            try:
                result = predicate()
            except Exception as error:  # GLib.Error from a vanished object, and the like
                result, last_error = None, error
            if result:
                return result
            if time.monotonic() > deadline:
                detail = f' (last error: {last_error})' if last_error else ''
                raise Failure(f'timed out after {timeout} s waiting for {what}{detail}')
            time.sleep(0.2)

    # -- the tree ---------------------------------------------------------------------------

    def find_app(self):
        desktop = self.Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            candidate = desktop.get_child_at_index(i)
            if candidate is not None and candidate.get_process_id() == self.session.app.pid:
                return candidate
        return None

    def connect(self):
        self.app = self.wait_for('the app on the accessibility bus', self.find_app,
                                 60 * TIME_SCALE)
        # Fresh answers on every call: GTK 4.8 does not announce every change.
        self.app.set_cache_mask(self.Atspi.Cache.NONE)

        def frame():
            for i in range(self.app.get_child_count()):
                child = self.app.get_child_at_index(i)
                if child is not None and child.get_role() == self.Atspi.Role.FRAME:
                    return child
            return None

        self.frame = self.wait_for('the main window', frame, 60 * TIME_SCALE)

    def children(self, obj):
        for i in range(obj.get_child_count()):
            child = obj.get_child_at_index(i)
            if child is not None:
                yield child

    def walk(self, obj, path=()):
        """(object, path) for @obj and everything below it; path names each step."""
        step = f'{obj.get_role_name()}[{obj.get_index_in_parent()}]'
        name = obj.get_name()
        if name:
            step += f' “{name}”'
        path = path + (step,)
        yield obj, path
        for child in self.children(obj):
            yield from self.walk(child, path)

    def find(self, root, role, name=None):
        for obj, _ in self.walk(root):
            if obj.get_role() == role and (name is None or obj.get_name() == name):
                return obj
        return None

    def has_state(self, obj, state):
        return obj.get_state_set().contains(state)

    def findings_list(self):
        return self.find(self.frame, self.Atspi.Role.LIST, 'Findings')

    def rows(self):
        findings = self.findings_list()
        if findings is None:
            return []
        return [c for c in self.children(findings) if c.get_role() == self.Atspi.Role.LIST_ITEM]

    def row_index(self, state):
        """The index of the first finding row with @state, or -1."""
        for i, row in enumerate(self.rows()):
            if self.has_state(row, state):
                return i
        return -1

    def row_button(self, row, prefix):
        for obj, _ in self.walk(row):
            if (obj.get_role() == self.Atspi.Role.PUSH_BUTTON
                    and obj.get_name().startswith(prefix)):
                return obj
        return None

    # -- keys -------------------------------------------------------------------------------

    def press(self, keysym):
        self.Atspi.generate_keyboard_event(keysym, None, self.Atspi.KeySynthType.SYM)

    def press_with(self, mask, keysym):
        Atspi = self.Atspi
        Atspi.generate_keyboard_event(mask, None, Atspi.KeySynthType.LOCKMODIFIERS)
        try:
            Atspi.generate_keyboard_event(keysym, None, Atspi.KeySynthType.SYM)
        finally:
            Atspi.generate_keyboard_event(mask, None, Atspi.KeySynthType.UNLOCKMODIFIERS)

    def press_with_control(self, keysym):
        self.press_with(CONTROL_MASK, keysym)


# ------------------------------------------------------------------------------------------
# The steps


class Test:
    def __init__(self, args):
        self.args = args
        self.session = None
        self.bench = None
        self.samples = find_samples(args.source_dir)
        self.document = None   # the name of the document whose findings are listed
        self.accepted = None   # ROW_NAME match of the accepted row
        self.rejected = None

    def start(self):
        self.session = Session(self.args.build_dir)
        self.session.start_bus()
        self.bench = Workbench(self.session)
        self.session.start_app(self.samples)
        self.bench.connect()

    def findings_stored(self):
        """Both documents are in the case store with their findings (the case sidebar counts
        them from there), and the active one's are listed: deciding now is saved."""
        bench = self.bench
        Atspi = bench.Atspi
        n_rows = len(bench.rows())
        if n_rows == 0:
            return False
        cases = bench.find(bench.frame, Atspi.Role.LIST, 'Cases and their documents')
        if cases is None:
            return False
        counts = {}
        for item in bench.children(cases):
            match = OPEN_FINDINGS.search(item.get_name())
            if item.get_role() == Atspi.Role.LIST_ITEM and match:
                counts[item.get_name()[:match.start()]] = int(match.group(1))
        names = [os.path.basename(p) for p in self.samples]
        if any(counts.get(name, 0) == 0 for name in names):
            return False
        # The list shows the active document's findings; the window is titled after it.
        active = bench.frame.get_name()
        if active not in names or counts[active] != n_rows:
            return False
        return f'{counts[names[0]]} findings in {names[0]}, {counts[names[1]]} in {names[1]}'

    def step_findings_listed(self):
        note = self.bench.wait_for('the findings of the sample case, stored in its case',
                                   self.findings_stored, FINDINGS_TIMEOUT_S)
        for row in self.bench.rows():
            if not ROW_NAME.match(row.get_name()):
                raise Failure(f'a finding row is named “{row.get_name()}”, which does not say '
                              'category, text, page, confidence and decision')
        return note

    def step_tab_to_findings(self):
        bench = self.bench
        Atspi = bench.Atspi
        for n_tabs in range(1, MAX_TABS + 1):
            bench.press(KEY_TAB)
            time.sleep(0.05)
            try:
                focused = bench.row_index(Atspi.StateType.FOCUSED)
            except Exception:
                focused = -1
            if focused >= 0:
                return f'row {focused} focused after {n_tabs} Tab presses'
        raise Failure(f'{MAX_TABS} Tab presses never focused a row of the findings list; '
                      'is the window focused?\n' + self.session.app_output())

    def step_names(self):
        bench = self.bench
        R = bench.Atspi.Role
        controls = {R.PUSH_BUTTON, R.TOGGLE_BUTTON, R.CHECK_BOX, R.RADIO_BUTTON, R.COMBO_BOX,
                    R.ENTRY, R.PASSWORD_TEXT, R.SPIN_BUTTON, R.SLIDER, R.LIST, R.LIST_ITEM,
                    R.MENU_ITEM, R.CHECK_MENU_ITEM, R.RADIO_MENU_ITEM, R.PAGE_TAB, R.LINK,
                    R.TEXT, R.DOCUMENT_TEXT, R.TABLE, R.TREE, R.TREE_TABLE}
        offenders = []
        n_checked = 0
        for obj, path in bench.walk(bench.frame):
            role = obj.get_role()
            if role not in controls or not bench.has_state(obj, bench.Atspi.StateType.VISIBLE):
                continue
            parent = obj.get_parent()
            # A drop-down's own button: GTK 4.8 exposes it inside the combo box, whose name
            # (checked here too) is what a screen reader says.
            if (role == R.PUSH_BUTTON and parent is not None
                    and parent.get_role() == R.COMBO_BOX):
                continue
            # libadwaita 1.2 gives a toast's close button no name, and the app cannot reach
            # it (test-accessibility.c skips it too). GTK names the toast after its type.
            if (role == R.PUSH_BUTTON and parent is not None
                    and parent.get_name() == 'AdwToastWidget'):
                continue
            n_checked += 1
            name = (obj.get_name() or '').strip()
            if not name or TYPE_NAME.match(name):
                offenders.append(f'{obj.get_role_name()} named “{name}”: ' + ' / '.join(path))
        if n_checked < 20:
            raise Failure(f'only {n_checked} controls in the window: the walk missed the tree')
        if offenders:
            raise Failure(f'{len(offenders)} of {n_checked} controls have no usable name:\n'
                          + '\n'.join(offenders))
        return f'{n_checked} controls named'

    def step_walk(self):
        bench = self.bench
        S = bench.Atspi.StateType
        n_rows = len(bench.rows())
        if n_rows < 4:
            raise Failure(f'{n_rows} findings are too few to walk')

        def expect(what, index):
            def moved():
                return (bench.row_index(S.FOCUSED) == index
                        and bench.row_index(S.SELECTED) == index)
            bench.wait_for(f'{what}: row {index} focused and selected', moved, STEP_TIMEOUT_S)

        selected = bench.row_index(S.SELECTED)
        expected = 0 if selected < 0 else min(selected + 1, n_rows - 1)
        bench.press(KEY_J)
        expect('j', expected)
        bench.press(KEY_J)
        expect('j again', expected + 1)
        bench.press(KEY_J)
        expect('j a third time', expected + 2)
        bench.press(KEY_K)
        expect('k', expected + 1)
        return f'j, j, j, k: now on row {expected + 1} of {n_rows}'

    def decide(self, key, decision):
        """Decides about the selected row by @key; returns that row's new name, matched."""
        bench = self.bench
        S = bench.Atspi.StateType
        # The findings list follows the document last worked in (Tab passed through both).
        document = bench.frame.get_name()
        if self.document is None:
            self.document = document
        elif document != self.document:
            raise Failure(f'the findings list switched from {self.document} to {document}')
        index = bench.row_index(S.SELECTED)
        before = ROW_NAME.match(bench.rows()[index].get_name())
        if before is None or before.group('decision') != 'Open':
            raise Failure(f'row {index} is not an open finding: '
                          f'“{bench.rows()[index].get_name()}”')
        bench.press(key)

        def decided():
            row = bench.rows()[index]
            match = ROW_NAME.match(row.get_name())
            if match and match.group('decision') == decision:
                return match
            return None

        after = bench.wait_for(f'row {index} to be named as {decision}', decided, STEP_TIMEOUT_S)
        for group in ('category', 'snippet', 'page', 'confidence'):
            if after.group(group) != before.group(group):
                raise Failure(f'the {group} in the row name changed: “{before.group(0)}” → '
                              f'“{after.group(0)}”')

        # The decided row's own button for this decision is off now; the other one is on.
        row = bench.rows()[index]
        accept = bench.row_button(row, 'Accept “')
        reject = bench.row_button(row, 'Reject “')
        if accept is None or reject is None:
            raise Failure(f'row “{after.group(0)}” has no Accept/Reject buttons named after it')
        for button in (accept, reject):
            if after.group('snippet') not in button.get_name():
                raise Failure(f'button “{button.get_name()}” does not name its finding')
        off, on = (accept, reject) if decision == 'Accepted' else (reject, accept)

        def buttons_follow():
            return (not bench.has_state(off, S.SENSITIVE) and bench.has_state(on, S.SENSITIVE))
        bench.wait_for(f'“{off.get_name()}” to be unavailable and '
                       f'“{on.get_name()}” available',
                       buttons_follow, STEP_TIMEOUT_S)

        # Review moved on to the next finding, with the focus.
        bench.wait_for('the next row to be focused and selected after the decision',
                       lambda: (bench.row_index(S.SELECTED) == index + 1
                                and bench.row_index(S.FOCUSED) == index + 1),
                       STEP_TIMEOUT_S)
        return after

    def step_accept(self):
        self.accepted = self.decide(KEY_A, 'Accepted')
        return f'{self.accepted.group(0)} ({self.document})'

    def step_reject(self):
        self.rejected = self.decide(KEY_R, 'Rejected')
        # The accepted finding stayed accepted.
        names = [row.get_name() for row in self.bench.rows()]
        if self.accepted.group(0) not in names:
            raise Failure(f'the accepted row “{self.accepted.group(0)}” is gone or changed')
        return self.rejected.group(0)

    def step_text_view(self):
        """Alt+2 shows the document's text with the caret on the selected finding: the
        focused text view's description names that finding as its row does."""
        bench = self.bench
        S = bench.Atspi.StateType
        index = bench.row_index(S.SELECTED)
        if index < 0:
            raise Failure('no finding is selected')
        row_name = bench.rows()[index].get_name()
        expected = f'Finding at the caret: {row_name}. Enter selects it.'
        bench.press_with(ALT_MASK, KEY_2)

        def focused_text():
            for obj, _ in bench.walk(bench.frame):
                if (obj.get_role() == bench.Atspi.Role.TEXT
                        and bench.has_state(obj, S.FOCUSED)):
                    return obj
            return None

        text = bench.wait_for('the document text to be focused after Alt+2', focused_text,
                              STEP_TIMEOUT_S)
        bench.wait_for(f'the text view to be described as “{expected}”',
                       lambda: text.get_description() == expected, STEP_TIMEOUT_S)
        return f'“{text.get_name()}”: {expected}'

    def step_quit(self):
        self.bench.press_with_control(KEY_Q)
        try:
            status = self.session.app.wait(QUIT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise Failure(f'the app did not quit within {QUIT_TIMEOUT_S} s of Ctrl+Q')
        if status != 0:
            raise Failure(f'the app quit with status {status}\n' + self.session.app_output())
        return 'Ctrl+Q'

    def step_store(self):
        path = self.session.store_path()
        if not os.path.exists(path):
            raise Failure(f'no case store at {path}')
        db = sqlite3.connect(f'file:{path}?mode=ro', uri=True)
        try:
            integrity = db.execute('PRAGMA integrity_check').fetchall()
            if integrity != [('ok',)]:
                raise Failure(f'integrity_check: {integrity}')
            decided = db.execute(
                'SELECT f.text, f.page, f.decision, d.name FROM findings f'
                ' JOIN documents d ON d.id = f.document_id'
                " WHERE f.decision != 'open' ORDER BY f.decision").fetchall()
            audited = db.execute("SELECT count(*) FROM audit WHERE action = 'decision'").fetchone()
            n_cases = db.execute('SELECT count(DISTINCT case_id) FROM documents').fetchone()
            names = {row[0] for row in db.execute('SELECT name FROM documents')}
        finally:
            db.close()

        document = self.document
        got = sorted((snippet(text), page + 1, decision, name)
                     for text, page, decision, name in decided)
        want = sorted([
            (self.accepted.group('snippet'), int(self.accepted.group('page')), 'accepted',
             document),
            (self.rejected.group('snippet'), int(self.rejected.group('page')), 'rejected',
             document),
        ])
        if got != want:
            raise Failure(f'the store records the decisions {got}, not {want}')
        if audited != (2,):
            raise Failure(f'the audit log has {audited[0]} decision entries, not 2')
        # Both documents went to the one sample case.
        if names != {os.path.basename(p) for p in self.samples} or n_cases != (1,):
            raise Failure(f'the store holds {sorted(names)} in {n_cases[0]} cases')
        return 'one accepted, one rejected, integrity ok'


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--build-dir', required=True)
    parser.add_argument('--source-dir', required=True)
    args = parser.parse_args()

    try:
        missing = []
        try:
            import gi
            gi.require_version('Atspi', '2.0')
            from gi.repository import Atspi  # noqa: F401
        except (ImportError, ValueError) as error:
            missing.append(f'AT-SPI for Python ({error}; install gir1.2-atspi-2.0)')
        if shutil.which('dbus-daemon') is None:
            missing.append('dbus-daemon')
        if not os.path.exists('/usr/share/dbus-1/services/org.a11y.Bus.service'):
            missing.append('at-spi2-core')
        if not os.environ.get('DISPLAY'):
            missing.append('an X display (run under xvfb-run)')
        if missing:
            raise Skip('missing ' + ', '.join(missing))
    except Skip as skip:
        if tools_required():
            print('1..1')
            print(f'not ok 1 - set up # {skip} (SICHTUNG_REQUIRE_TOOLS=1)')
            return 1
        print(f'1..0 # SKIP {skip}')
        return 0

    # meson's timeout sends SIGTERM: clean up as after a failure.
    def terminated(signum, frame):
        raise SystemExit(f'terminated by signal {signum}')
    signal.signal(signal.SIGTERM, terminated)

    test = Test(args)
    steps = [
        ('the sample case opens and its findings are listed', test.step_findings_listed),
        ('Tab reaches the findings list', test.step_tab_to_findings),
        ('every control in the window has a name', test.step_names),
        ('j and k walk the findings', test.step_walk),
        ('a accepts a finding; its row and buttons say so', test.step_accept),
        ('r rejects another; its row and buttons say so', test.step_reject),
        ('Alt+2 shows the text; it names the finding the caret is on', test.step_text_view),
        ('Ctrl+Q quits', test.step_quit),
        ('the case store records exactly these decisions', test.step_store),
    ]
    print(f'1..{len(steps)}', flush=True)
    status = 0
    try:
        try:
            test.start()
        except Failure as failure:
            print(f'Bail out! starting the app on AT-SPI: {failure}')
            return 1
        for number, (description, step) in enumerate(steps, 1):
            try:
                note = step()
            except Failure as failure:
                print(f'not ok {number} - {description}')
                for line in str(failure).splitlines():
                    print(f'# {line}')
                for rest, (rest_description, _) in enumerate(steps[number:], number + 1):
                    print(f'not ok {rest} - {rest_description} # SKIP after a failure')
                status = 1
                break
            print(f'ok {number} - {description}')
            if note:
                print(f'# {note}', flush=True)
    finally:
        if test.session is not None:
            test.session.close()
    return status


if __name__ == '__main__':
    sys.exit(main())
