"""Each test is marked by its directory (tests/conftest.py), so ``-m`` picks a kind of test."""

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import DIRECTORY_MARKERS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# A few small modules of each directory, nested ones and ones that used to carry
# their own pytestmark included; collecting the whole tree would take a while.
MODULES = {
    "unit": ["tests/unit/test_crypto.py", "tests/unit/conductor/test_build_timeout.py",
             "tests/unit/virt/libvirt/test_config.py"],
    "functional": ["tests/functional/test_startup_errors.py",
                   "tests/functional/test_keypairs_flavor_access.py"],
    "libvirt": ["tests/libvirt/test_guest_image.py"],
}


def _collect(marker_expression: str) -> tuple[set[str], int]:
    """The modules of the node ids that ``pytest -m marker_expression --collect-only`` lists,
    and how many tests it deselected."""
    args = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q",
            "-m", marker_expression, *(m for mods in MODULES.values() for m in mods)]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    # 0: some tests selected; 5: none was
    assert result.returncode in (0, 5), result.stdout + result.stderr
    deselected = re.search(r"(\d+) deselected", result.stdout)
    return ({line.split("::")[0] for line in result.stdout.splitlines() if "::" in line},
            int(deselected.group(1)) if deselected else 0)


@pytest.mark.parametrize("marker", sorted(MODULES))
def test_marker_selects_its_directory_only(marker):
    selected, deselected = _collect(marker)
    assert selected == set(MODULES[marker])
    assert deselected > 0  # the other directories' tests were collected, and left out


def test_no_sampled_test_is_left_unmarked():
    selected, deselected = _collect("not unit and not functional and not libvirt")
    assert selected == set()
    assert deselected > 0  # tests were collected, and every one had a marker


def test_every_directory_of_tests_has_its_marker():
    tests_dir = os.path.join(ROOT, "tests")
    with_tests = {name for name in os.listdir(tests_dir)
                  if os.path.isdir(os.path.join(tests_dir, name))
                  and any(f.startswith("test_") and f.endswith(".py")
                          for _, _, files in os.walk(os.path.join(tests_dir, name))
                          for f in files)}
    assert with_tests == set(DIRECTORY_MARKERS)
