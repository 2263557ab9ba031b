"""etc/minova/minova.conf.sample is what oslo-config-generator makes from the code."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_sample_config_is_current(tmp_path):
    generated = tmp_path / "minova.conf.sample"
    generator = os.path.join(os.path.dirname(sys.executable), "oslo-config-generator")
    subprocess.run([generator, "--config-file",
                    os.path.join(ROOT, "etc/minova/minova-config-generator.conf"),
                    "--output-file", str(generated)], check=True, cwd=ROOT)
    committed = open(os.path.join(ROOT, "etc/minova/minova.conf.sample")).read()
    assert generated.read_text() == committed, (
        "etc/minova/minova.conf.sample is stale: run "
        "'oslo-config-generator --config-file etc/minova/minova-config-generator.conf'")
