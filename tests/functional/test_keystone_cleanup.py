"""A test run that fails, or dies, leaves no Keystone server behind.

Each case runs a small pytest session of its own in a subprocess, with a
fixture that starts the Keystone fixture's server (tests/functional/
keystone_fixture.py) as the functional tests do, and then looks for any
process left running with that session's Keystone configuration file on
its command line.
"""

import os
import pathlib
import signal
import subprocess
import sys
import textwrap

from tests.functional.deployment import wait_for

ROOT = pathlib.Path(__file__).resolve().parents[2]

SESSION = textwrap.dedent('''
    import os
    import pathlib
    import threading

    import pytest

    from tests.functional.keystone_fixture import Keystone


    @pytest.fixture
    def keystone(tmp_path_factory):
        with Keystone(tmp_path_factory.mktemp("keystone")) as server:
            yield server


    def report(keystone):
        """Tell the test which configuration file this Keystone runs on (whole or not at all)."""
        path = pathlib.Path(os.environ["KEYSTONE_CONF"])
        path.with_suffix(".new").write_text(keystone.conf_file)
        os.replace(path.with_suffix(".new"), path)


    def test_that_fails(keystone):
        report(keystone)
        assert False, "this test fails on purpose"


    def test_that_is_killed(keystone):
        report(keystone)
        threading.Event().wait()  # until the test kills this session
''')


def _processes_with(text: str) -> list[int]:
    """The live (not zombie) processes whose command line contains ``text``."""
    found = []
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if text in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def _session(tmp_path, test: str) -> tuple[subprocess.Popen, pathlib.Path]:
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_session.py").write_text(SESSION)
    conf = tmp_path / "keystone-conf-path"
    env = dict(os.environ, PYTHONPATH=str(ROOT), KEYSTONE_CONF=str(conf))
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
         "--basetemp", str(tmp_path / "basetemp"), f"test_session.py::{test}"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc, conf


def test_a_failed_test_stops_its_keystone(tmp_path):
    proc, conf = _session(tmp_path, "test_that_fails")
    output, _ = proc.communicate(timeout=300)
    assert proc.returncode == 1, output
    assert "this test fails on purpose" in output
    assert conf.exists(), output  # Keystone did start
    assert _processes_with(conf.read_text()) == []


def test_a_killed_test_run_leaves_no_keystone(tmp_path):
    """SIGKILL to pytest runs no finalizer and no atexit handler: the kernel's
    parent-death signal ends the server."""
    proc, conf = _session(tmp_path, "test_that_is_killed")
    try:
        wait_for(lambda: conf.exists() or proc.poll() is not None, 300,
                 message="the session's Keystone to start")
        assert proc.poll() is None, proc.communicate()[0]
        keystone_conf = conf.read_text()
        assert _processes_with(keystone_conf), "the session's Keystone is not running"
        proc.kill()
    finally:
        proc.kill()
        proc.communicate(timeout=60)
    try:
        wait_for(lambda: not _processes_with(keystone_conf), 30,
                 message="the killed session's Keystone to exit")
    finally:
        for pid in _processes_with(keystone_conf):  # left by a failure: not by this test
            os.kill(pid, signal.SIGKILL)
