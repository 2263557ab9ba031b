"""The signal handling of a service process, in a child process of its own."""

import os
import signal
import subprocess
import sys
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# A process that installs minova's handlers, says so, then waits for a stop.
# SIGINT is given back Python's handler first: a test run started in the
# background of a shell inherits SIGINT ignored, which install() keeps.
CHILD = textwrap.dedent("""
    import signal, sys, time
    from minova import config, signals
    signal.signal(signal.SIGINT, signal.default_int_handler)
    config.parse_args(["child", "--config-file", sys.argv[1]])
    watcher = signals.ProcessSignals()
    watcher.install()
    print("ready", flush=True)
    signum = watcher.wait_for_stop()
    print("stopping", signum, flush=True)
    time.sleep(float(sys.argv[2]))  # a stop that takes this long
    print("stopped", flush=True)
""")


def _start(tmp_path, stop_takes: float, debug: str = "false") -> subprocess.Popen:
    conf = tmp_path / "child.conf"
    conf.write_text(f"[DEFAULT]\ndebug = {debug}\n")
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(conf), str(stop_takes)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            cwd=ROOT, env=dict(os.environ, PYTHONPATH=ROOT))
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_sigterm_ends_the_wait_with_its_number(tmp_path):
    proc = _start(tmp_path, stop_takes=0)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert f"stopping {int(signal.SIGTERM)}" in out and "stopped" in out


def test_a_second_sigterm_while_stopping_exits_at_once(tmp_path):
    proc = _start(tmp_path, stop_takes=60)
    proc.send_signal(signal.SIGINT)
    assert proc.stdout.readline().startswith("stopping")
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)  # not the 60 s stop
    assert proc.returncode == 1
    assert "again while stopping: exiting now" in out
    assert "stopped" not in out


def test_sighup_applies_a_changed_debug_option_and_keeps_running(tmp_path):
    proc = _start(tmp_path, stop_takes=0)
    (tmp_path / "child.conf").write_text("[DEFAULT]\ndebug = true\n")
    proc.send_signal(signal.SIGHUP)
    lines = []
    for line in proc.stdout:  # the child logs to stderr, merged here
        lines.append(line)
        if "Option DEFAULT.debug changed from [false] to [true]" in line:
            break
    assert proc.poll() is None
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert any("Caught SIGHUP" in line for line in lines)
