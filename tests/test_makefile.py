"""The Makefile: `make help` lists every target from its `##` comment, and `make` regenerates the codebook before it
runs the notebooks and builds the reader. Dry runs only (`make -n`): nothing is executed."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import REPOSITORY

MAKEFILE = REPOSITORY / "Makefile"
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make(*arguments: str) -> str:
    result = subprocess.run(["make", "--no-print-directory", "-C", str(REPOSITORY), *arguments],
                            capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def phony_targets() -> list[str]:
    text = MAKEFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    return re.search(r"^\.PHONY:(.*)$", text, re.M).group(1).split()


def test_make_help_lists_every_target():
    listed = make("help")
    assert "##" not in listed
    missing = [target for target in phony_targets() if not re.search(rf"(^|[ ,]){re.escape(target)}[,:]", listed, re.M)]
    assert not missing, f"make help does not describe: {missing}"


def test_make_regenerates_the_codebook_before_the_notebooks_and_the_reader_when_a_score_changes():
    # -W: as if event_kinds.csv had just been edited; -n: print the commands without running them.
    commands = make("-n", "-W", "data/event_kinds.csv", "all").splitlines()
    steps = [next((number for number, line in enumerate(commands) if needle in line), None)
             for needle in ("-m nato_russia codebook", "-m nato_russia.execute", "-m nato_russia.reader")]
    assert None not in steps, "\n".join(commands)
    assert steps == sorted(steps), "\n".join(commands)


def test_make_lab_starts_jupyterlab_from_the_environment_in_notebooks():
    command = make("-n", "lab").splitlines()[-1]
    assert command.startswith(".venv/bin/jupyter lab") and "root_dir=notebooks" in command
