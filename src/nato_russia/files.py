"""Writing the files that ``make`` produces (notebooks, figures, the codebook, the export) so that an interrupted
run never leaves a truncated one.

:func:`write_atomically` writes the new bytes to a temporary file beside the target (same folder, so the same file
system) and then puts it in the target's place with one :func:`os.replace`: a reader of the target sees either the
old file or the new one, never a part of it, whether the writer is stopped by Ctrl-C, a killed process or a full
disk. :func:`write_if_changed` does the same but leaves a file whose bytes are already right untouched (its
modification time too), so that re-running a notebook under nbval does not make ``make`` think a figure changed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["TEMPORARY_SUFFIX", "write_atomically", "write_if_changed"]

TEMPORARY_SUFFIX = ".tmp"
"""Temporary files are named ``.<target name>.<random>.tmp`` (ignored by git); one is left behind only if the
process was killed while writing it."""


def _as_bytes(content: bytes | str) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else bytes(content)


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomically(path: str | os.PathLike, content: bytes | str | Iterable[bytes]) -> Path:
    """Write *content* (bytes, text as UTF-8, or an iterable of byte chunks) to *path* in one step; return *path*.

    The target keeps its permissions (a new one gets the usual ones). If anything goes wrong before the
    replacement, the target is left as it was and the temporary file is removed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else _new_file_mode()
    handle = tempfile.NamedTemporaryFile(
        "wb", dir=path.parent, prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, delete=False
    )
    temporary = Path(handle.name)
    try:
        with handle:
            if isinstance(content, (bytes, bytearray, memoryview, str)):
                handle.write(_as_bytes(content))
            else:
                for chunk in content:
                    handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def write_if_changed(path: str | os.PathLike, content: bytes | str) -> bool:
    """Write *content* to *path* atomically unless the file already holds exactly these bytes; return whether it
    was written. An unchanged file keeps its modification time."""
    path = Path(path)
    data = _as_bytes(content)
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomically(path, data)
    return True
