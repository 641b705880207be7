"""python -m nato_russia validate / codebook: output and exit status."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import set_cell


def run(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nato_russia", *arguments], capture_output=True, text=True, encoding="utf-8", timeout=120
    )


def test_validate_ok(minimal):
    result = run("validate", str(minimal))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == (
        "ok: 16 tables — events 4, sources 2, mentions 5, event_kinds 5, scopes 2, parties 5, origins 10, phases 3, source_periods 2, "
        "cooperation_areas 2, channels 2, indicators 2, glossary 2, readings 2, primary_documents 1, document_events 1\n"
    )


def test_validate_shipped_data_by_default():
    result = run("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok: 16 tables — events ")


def test_validate_lists_every_problem(minimal):
    set_cell(minimal, "events.csv", 2, "date", "2014-02-30")
    set_cell(minimal, "mentions.csv", 3, "source_id", "no-such-source")
    result = run("validate", str(minimal))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("events.csv:2:date: day 30 does not exist")
    assert lines[1].startswith('mentions.csv:3:source_id: unknown source_id "no-such-source"')
    assert len(lines) == 2
    assert "2 problems found" in result.stderr


def test_validate_missing_folder(tmp_path):
    result = run("validate", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert result.stdout.startswith("datapackage.json:-:-: not found")


def test_codebook_check_on_the_repository():
    result = run("codebook", "--check")
    assert result.returncode == 0, result.stderr


def test_codebook_write_then_check(minimal):
    assert run("codebook", "--check", str(minimal)).returncode == 1
    written = run("codebook", str(minimal))
    assert written.returncode == 0 and (minimal / "README.md").is_file()
    assert run("codebook", "--check", str(minimal)).returncode == 0
    (minimal / "README.md").write_text("stale\n", encoding="utf-8")
    stale = run("codebook", "--check", str(minimal))
    assert stale.returncode == 1 and "python -m nato_russia codebook" in stale.stderr
    assert (minimal / "README.md").read_text(encoding="utf-8") == "stale\n"  # --check writes nothing


@pytest.mark.parametrize("arguments", [(), ("--help",)], ids=["no argument", "--help"])
def test_help_is_plain_text_and_shown_without_arguments(arguments):
    result = run(*arguments)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: python -m nato_russia")
    for command in ("validate", "codebook", "export"):
        assert command in result.stdout
    assert "`" not in result.stdout and "``" not in result.stdout, "reST markup in the help"
    assert result.stderr == ""
