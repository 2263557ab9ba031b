"""What every command prints before doing anything: no library import noise.

Under native threads eventlet is still imported (futurist imports it when
installed); its green DNS would import dnspython, whose DNSSEC module names
cryptography's DSA classes, deprecated from cryptography 51: eight lines of
CryptographyDeprecationWarning on every command.
"""

import os
import subprocess
import sys

BIN = os.path.dirname(sys.executable)


def _python(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, **env))


def test_native_threads_never_import_dnspython():
    # Whatever cryptography's version: the module that warns is not loaded.
    result = _python(
        "import sys\n"
        "import minova.cmd.all_in_one, minova.cmd.api, minova.cmd.compute\n"
        "import minova.cmd.conductor, minova.cmd.manage, minova.cmd.scheduler\n"
        "import minova.api.app, minova.rpc\n"
        "print(sorted(m for m in sys.modules if m == 'dns' or m.startswith('dns.')))\n",
        MINOVA_CONCURRENCY="threading")
    assert result.returncode == 0, result.stderr
    assert "eventlet" in _python("import minova.cmd.api, sys; print(sorted(sys.modules))",
                                 MINOVA_CONCURRENCY="threading").stdout  # still imported
    assert result.stdout.strip() == "[]"


def test_console_scripts_print_no_warnings(tmp_path):
    conf = tmp_path / "minova.conf"
    conf.write_text(f"[DEFAULT]\ntransport_url = fake://\nstate_path = {tmp_path}\n")
    env = dict(os.environ, MINOVA_CONCURRENCY="threading")
    help_text = subprocess.run([os.path.join(BIN, "minova-manage"), "--help"],
                               capture_output=True, text=True, timeout=120, env=env)
    assert help_text.returncode == 0 and "usage: minova-manage" in help_text.stdout
    # A separate service loads the whole messaging stack before it refuses fake://.
    refused = subprocess.run([os.path.join(BIN, "minova-scheduler"), "--config-file", str(conf)],
                             capture_output=True, text=True, timeout=120, env=env)
    assert "only reaches services in the same process" in refused.stderr
    for result in (help_text, refused):
        assert "Warning" not in result.stderr, result.stderr
        assert "DSA is deprecated" not in result.stderr


def test_eventlet_mode_silences_exactly_dnspythons_dsa_warning():
    # Green DNS (and dnspython) are wanted under eventlet: the filter must
    # drop dnspython's DSA warnings and nothing else.
    result = _python(
        "import warnings\n"
        "import minova.cmd\n"
        "from cryptography.utils import CryptographyDeprecationWarning as W\n"
        "text = 'DSA is deprecated and support will be removed in a future release.'\n"
        "warnings.warn_explicit(text, W, 'dsa.py', 14, module='dns.dnssecalgs.dsa')\n"
        "warnings.warn_explicit(text, W, 'keys.py', 3, module='minova.crypto')\n"
        "warnings.warn_explicit('TripleDES is deprecated', W, 'dsa.py', 9,\n"
        "                       module='dns.dnssecalgs.dsa')\n",
        MINOVA_CONCURRENCY="eventlet")
    assert result.returncode == 0, result.stderr
    shown = [line for line in result.stderr.splitlines()
             if "CryptographyDeprecationWarning" in line]
    assert len(shown) == 2, result.stderr
    assert "keys.py:3" in shown[0] and "TripleDES" in shown[1]
