"""nato_russia.files: a write that is interrupted leaves the old file intact; an unchanged file is not touched."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from nato_russia import files


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(files.TEMPORARY_SUFFIX))


def test_write_atomically_replaces_the_file_and_keeps_its_permissions(tmp_path):
    target = tmp_path / "figure.svg"
    target.write_text("old")
    target.chmod(0o644)
    files.write_atomically(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert target.stat().st_mode & 0o777 == 0o644
    assert leftovers(tmp_path) == []


def test_an_exception_while_writing_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "02_timeline.ipynb"
    target.write_text("the old notebook")

    def chunks():
        yield b"the first half of the new notebook"
        raise KeyboardInterrupt  # Ctrl-C in the middle of the write

    with pytest.raises(KeyboardInterrupt):
        files.write_atomically(target, chunks())
    assert target.read_text() == "the old notebook"
    assert leftovers(tmp_path) == []


def test_a_full_disk_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "timeline.json"
    target.write_text("{}\n")

    def no_space(descriptor):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(OSError, match="No space"):
        files.write_atomically(target, "{" + "x" * 10_000 + "}\n")
    assert target.read_text() == "{}\n"
    assert leftovers(tmp_path) == []


def test_a_killed_writer_leaves_the_old_file_intact(tmp_path):
    """A process killed (SIGKILL, as a killed `make`) in the middle of writing: the target is still the old file."""
    target = tmp_path / "01_event_table.ipynb"
    old = b'{"cells": []}\n'
    target.write_bytes(old)
    started = tmp_path / "started"
    writer = textwrap.dedent(
        f"""
        import time
        from pathlib import Path
        from nato_russia.files import write_atomically

        def chunks():
            for number in range(1000):
                yield b"x" * 100_000
                if number == 3:
                    Path({str(started)!r}).touch()
                time.sleep(0.05)

        write_atomically({str(target)!r}, chunks())
        """
    )
    process = subprocess.Popen([sys.executable, "-c", writer])
    deadline = time.monotonic() + 60
    while not started.exists():
        assert process.poll() is None, "the writer ended before it was interrupted"
        assert time.monotonic() < deadline, "the writer did not start"
        time.sleep(0.02)
    partial = leftovers(tmp_path)
    assert len(partial) == 1 and (tmp_path / partial[0]).stat().st_size > 0, "the new bytes go to a temporary file"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert target.read_bytes() == old


def test_write_if_changed_leaves_an_unchanged_file_and_its_time_alone(tmp_path):
    target = tmp_path / "00_events_per_year.png"
    target.write_bytes(b"\x89PNG same bytes")
    os.utime(target, (1_000_000_000, 1_000_000_000))
    assert files.write_if_changed(target, b"\x89PNG same bytes") is False
    assert target.stat().st_mtime == 1_000_000_000
    assert files.write_if_changed(target, b"\x89PNG other bytes") is True
    assert target.read_bytes() == b"\x89PNG other bytes"
    assert files.write_if_changed(tmp_path / "new" / "file.svg", "<svg/>") is True
    assert (tmp_path / "new" / "file.svg").read_text() == "<svg/>"
