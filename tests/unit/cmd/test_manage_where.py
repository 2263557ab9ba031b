"""``minova-manage`` reads minova.conf where the services do, and says what it opened."""

import os
import subprocess
import sys

BIN = os.path.join(os.path.dirname(sys.executable), "minova-manage")


def _run(home, *args) -> subprocess.CompletedProcess:
    # oslo.config's default search starts in ~/.minova/ (then ~/, /etc/minova/,
    # /etc/): a fresh HOME stands for a host whose /etc/minova/minova.conf is read.
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, HOME=str(home)), cwd=str(home))


def test_without_config_file_the_default_search_finds_minova_conf(tmp_path):
    (tmp_path / ".minova").mkdir()
    conf = tmp_path / ".minova" / "minova.conf"
    db = tmp_path / "found.sqlite"
    conf.write_text(f"[DEFAULT]\nstate_path = {tmp_path}/state\n"
                    f"[database]\nconnection = sqlite:///{db}\n")
    result = _run(tmp_path, "db", "sync")
    assert result.returncode == 0, result.stderr
    assert f"Config files: {conf}; database: sqlite:///{db}" in result.stderr
    assert db.exists()
    assert not (tmp_path / "state" / "minova.sqlite").exists()


def test_no_config_file_found_is_said(tmp_path):
    result = _run(tmp_path, "db", "version")
    assert result.returncode == 1  # an empty database is not at the head revision
    assert ("Config files: none (no --config-file, and no minova.conf in ~/.minova, ~, "
            "/etc/minova or /etc); database: sqlite:///") in result.stderr


def test_the_database_password_is_masked(tmp_path):
    conf = tmp_path / "minova.conf"
    # Port 1 on loopback: nothing listens, the command fails at once.
    conf.write_text("[database]\n"
                    "connection = postgresql+psycopg://minova:s3cret@127.0.0.1:1/minova\n")
    result = _run(tmp_path, "--config-file", str(conf), "db", "version")
    assert result.returncode != 0
    assert (f"Config files: {conf}; database: postgresql+psycopg://minova:***@127.0.0.1:1/"
            "minova") in result.stderr.splitlines()[0]
    assert "s3cret" not in result.stdout + result.stderr
