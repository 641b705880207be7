"""Execute the numbered notebooks in place, deterministically, and skip the unchanged ones.

Usage::

    python -m nato_russia.execute                 # every notebooks/NN_*.ipynb, in order
    python -m nato_russia.execute notebooks/03_phases.ipynb
    python -m nato_russia.execute --force         # re-execute even if nothing changed

What "deterministically" means here:

* every notebook runs in a fresh ``python3`` kernel whose working directory is the
  notebook's folder, with ``PYTHONHASHSEED=0``, ``TZ=UTC`` and a ``C.UTF-8`` locale;
* nbclient records no timings, and the volatile notebook metadata (kernel and
  language versions) is replaced by a fixed minimal block before writing with nbformat,
  so executing an unchanged notebook twice gives byte-identical files;
* a cell that raises, or that writes anything to stderr (a warning included), stops
  the run with a message naming the notebook and the cell; the notebook file is then
  left as it was;
* the executed notebook is written to a temporary file beside it and renamed over it in one
  step, so an interrupted run (Ctrl-C, a killed process, a full disk) never leaves half a notebook.

A notebook is skipped when the sha256 over its own bytes and every input that can
change its output (``data/``, ``src/nato_russia/``, ``requirements.txt``,
``pyproject.toml``, and the names of the numbered notebooks) equals the digest recorded after its last successful run in
``.cache/executed.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import re
import subprocess
import sys
import time
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .files import write_atomically, write_if_changed

__all__ = [
    "KERNEL_NAME",
    "NotebookExecutionError",
    "RunResult",
    "execute_notebook",
    "input_digest",
    "kernel_environment",
    "main",
    "notebook_paths",
    "run",
]

KERNEL_NAME = "python3"
CELL_TIMEOUT_SECONDS = 1800
KERNEL_STARTUP_SECONDS = 180
DEFAULT_JOBS = 2
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
STAMP_FILE = Path(".cache") / "executed.json"

# Inputs shared by every notebook: a change in any of them re-executes all notebooks.
SHARED_INPUTS = ("data", "src/nato_russia", "requirements.txt", "pyproject.toml")
_IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints"}
_IGNORED_SUFFIXES = {".pyc", ".pyo"}

FIXED_KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": KERNEL_NAME}
FIXED_LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
_VOLATILE_NOTEBOOK_METADATA = ("widgets",)
_VOLATILE_CELL_METADATA = ("execution", "ExecuteTime")
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class NotebookExecutionError(RuntimeError):
    """A notebook failed: a cell raised, timed out or wrote to stderr."""


@dataclass(frozen=True)
class RunResult:
    notebook: Path
    status: str  # "executed", "unchanged" or "failed"
    seconds: float = 0.0
    message: str = ""


# --------------------------------------------------------------------------- paths


def repository_root() -> Path:
    """The repository root (see :func:`nato_russia.plotting.repository_root`)."""
    from nato_russia.plotting import repository_root as _root

    return _root()


def notebook_paths(root: Path) -> list[Path]:
    """Every ``notebooks/NN_*.ipynb`` below *root*, in name order."""
    return sorted((Path(root) / "notebooks").glob(NOTEBOOK_GLOB))


# ------------------------------------------------------------------------- digests


def _input_files(root: Path) -> list[Path]:
    files: list[Path] = []
    for name in SHARED_INPUTS:
        path = root / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            for candidate in path.rglob("*"):
                relative_parts = candidate.relative_to(root).parts
                if (
                    candidate.is_file()
                    and not _IGNORED_PARTS.intersection(relative_parts)
                    and candidate.suffix not in _IGNORED_SUFFIXES
                ):
                    files.append(candidate)
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def shared_inputs_digest(root: Path) -> str:
    """sha256 over the relative path and bytes of every shared input file, and the notebooks' names.

    The names count because a notebook may list the others (00_start_here does): adding or
    renaming a notebook re-executes them all.
    """
    root = Path(root)
    digest = hashlib.sha256()
    for notebook in notebook_paths(root):
        digest.update(notebook.name.encode())
        digest.update(b"\0")
    for path in _input_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def input_digest(notebook: Path, shared_digest: str) -> str:
    """sha256 over the notebook's own bytes and the shared inputs' digest."""
    digest = hashlib.sha256()
    digest.update(shared_digest.encode())
    digest.update(b"\0")
    digest.update(Path(notebook).read_bytes())
    return digest.hexdigest()


def _stamp_key(notebook: Path, root: Path) -> str:
    try:
        return Path(notebook).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(notebook).resolve().as_posix()


def _read_stamps(root: Path) -> dict[str, str]:
    path = root / STAMP_FILE
    try:
        stamps = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return stamps if isinstance(stamps, dict) else {}


def _write_stamps(root: Path, stamps: dict[str, str]) -> None:
    write_atomically(root / STAMP_FILE, json.dumps(stamps, indent=1, sort_keys=True) + "\n")


# ----------------------------------------------------------------------- execution


def kernel_environment(root: Path) -> dict[str, str]:
    """The environment every kernel starts with: the caller's, plus fixed settings."""
    root = Path(root).resolve()
    environment = dict(os.environ)
    environment.update(
        {
            "PYTHONHASHSEED": "0",
            "TZ": "UTC",
            "LC_ALL": "C.UTF-8",
            "LANG": "C.UTF-8",
            "NATO_RUSSIA_ROOT": str(root),
            # The project's own matplotlib and IPython folders: a personal matplotlibrc or
            # IPython start-up file cannot change the stored outputs.
            "MPLCONFIGDIR": str(root / ".cache" / "matplotlib"),
            "IPYTHONDIR": str(root / ".cache" / "ipython"),
            # Silences debugpy's "frozen modules" notice on kernel start-up.
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
    )
    return environment


def _warm_matplotlib(environment: dict[str, str]) -> None:
    """Build matplotlib's font cache once, so no kernel prints that it is building it."""
    subprocess.run(
        [sys.executable, "-c", "import matplotlib.font_manager"],
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _display_name(notebook: Path) -> str:
    """The notebook's path relative to the working directory when it lies below it."""
    try:
        return Path(notebook).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return Path(notebook).as_posix()


def _describe_cell(notebook: Path, index: int, cell) -> str:
    first_line = next((line for line in cell.source.splitlines() if line.strip()), "")
    if len(first_line) > 70:
        first_line = first_line[:67] + "..."
    return f"{_display_name(notebook)}: cell {index + 1} (id {cell.get('id', '?')}, starts `{first_line}`)"


def _stderr_text(cell) -> str:
    return "".join(
        output.get("text", "")
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == "stderr"
    )


def ends_with_semicolon(source: str) -> bool:
    """True if the last Python token of *source* is ';' (IPython's "hide this value")."""
    try:
        tokens = list(tokenize.generate_tokens(iter(source.splitlines(keepends=True)).__next__))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return source.rstrip().endswith(";")
    ignored = {tokenize.ENDMARKER, tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.DEDENT, tokenize.INDENT}
    meaningful = [token for token in tokens if token.type not in ignored]
    return bool(meaningful) and meaningful[-1].type == tokenize.OP and meaningful[-1].string == ";"


def check_cells(notebook: Path, nb) -> None:
    """Refuse what would pass here but fail under nbval (`make test`)."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and ends_with_semicolon(cell.source):
            raise NotebookExecutionError(
                f"{_describe_cell(notebook, index, cell)} ends with ';'. nbval runs cells without "
                "history, where IPython ignores a trailing ';' and shows the value, so the stored "
                "output would not match. End the cell with plt.show() or assign the value to a name."
            )


def normalise(nb) -> None:
    """Replace volatile notebook metadata by fixed values (in place)."""
    nb.metadata["kernelspec"] = dict(FIXED_KERNELSPEC)
    nb.metadata["language_info"] = json.loads(json.dumps(FIXED_LANGUAGE_INFO))
    for key in _VOLATILE_NOTEBOOK_METADATA:
        nb.metadata.pop(key, None)
    nb.nbformat, nb.nbformat_minor = 4, max(nb.get("nbformat_minor", 5), 5)
    for index, cell in enumerate(nb.cells):
        for key in _VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if not cell.get("id"):
            cell["id"] = f"cell-{index:03d}"


async def execute_notebook(notebook: Path, root: Path, timeout: int = CELL_TIMEOUT_SECONDS) -> None:
    """Execute *notebook* in place; raise NotebookExecutionError naming the failing cell."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    notebook = Path(notebook)
    nb = nbformat.read(notebook, as_version=4)
    check_cells(notebook, nb)
    state: dict[str, int | None] = {"cell": None}

    def on_cell_start(cell, cell_index):
        state["cell"] = cell_index

    def on_cell_executed(cell, cell_index, execute_reply):
        stderr = _stderr_text(cell)
        if stderr:
            raise NotebookExecutionError(
                f"{_describe_cell(notebook, cell_index, cell)} wrote to stderr "
                f"(warnings count as errors):\n{_ANSI_ESCAPE.sub('', stderr).rstrip()}"
            )

    client = NotebookClient(
        nb,
        kernel_name=KERNEL_NAME,
        timeout=timeout,
        startup_timeout=KERNEL_STARTUP_SECONDS,
        record_timing=False,
        allow_errors=False,
        # One stream output per cell and stream, however the kernel happened to flush it: stored bytes that do
        # not depend on timing.
        coalesce_streams=True,
        # The kernel's own log (not the cells' output) only at ERROR: ipykernel warns on every
        # start that its local TCP sockets are unencrypted, which says nothing about the notebook.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        resources={"metadata": {"path": str(notebook.parent.resolve())}},
        on_cell_start=on_cell_start,
        on_cell_executed=on_cell_executed,
    )
    try:
        await client.async_execute(env=kernel_environment(root), cwd=str(notebook.parent.resolve()))
    except NotebookExecutionError:
        raise
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        where = (
            _describe_cell(notebook, state["cell"], nb.cells[state["cell"]])
            if state["cell"] is not None
            else _display_name(notebook)
        )
        reason = {CellTimeoutError: "timed out", DeadKernelError: "killed its kernel"}.get(type(error), "raised")
        detail = _ANSI_ESCAPE.sub("", str(error)).strip()
        raise NotebookExecutionError(f"{where} {reason}:\n{detail}") from None

    normalise(nb)
    text = nbformat.writes(nb)
    if not text.endswith("\n"):
        text += "\n"
    # In one step (a temporary file beside it, then a rename): Ctrl-C or a full disk never leaves half a notebook.
    write_if_changed(notebook, text)


async def _run_async(
    notebooks: Sequence[Path], root: Path, force: bool, jobs: int, timeout: int, report
) -> list[RunResult]:
    shared = shared_inputs_digest(root)
    stamps = _read_stamps(root)
    to_run = [nb for nb in notebooks if force or stamps.get(_stamp_key(nb, root)) != input_digest(nb, shared)]
    results: dict[Path, RunResult] = {
        nb: RunResult(nb, "unchanged") for nb in notebooks if nb not in to_run
    }
    for nb in notebooks:
        if nb in results:
            report(results[nb])
    if not notebooks:
        print("no notebooks to execute", flush=True)
    if not to_run:
        return [results[nb] for nb in notebooks]

    _warm_matplotlib(kernel_environment(root))
    semaphore = asyncio.Semaphore(max(1, jobs))

    async def one(notebook: Path) -> None:
        async with semaphore:
            started = time.monotonic()
            try:
                await execute_notebook(notebook, root, timeout=timeout)
            except NotebookExecutionError as error:
                result = RunResult(notebook, "failed", time.monotonic() - started, str(error))
            else:
                stamps[_stamp_key(notebook, root)] = input_digest(notebook, shared)
                _write_stamps(root, stamps)
                result = RunResult(notebook, "executed", time.monotonic() - started)
            results[notebook] = result
            report(result)

    # Longest first, so that the longest notebook does not start last and run on alone. A notebook's stored
    # size (its outputs, mostly figures) is the best guess of its run time that needs no earlier run.
    await asyncio.gather(*(one(nb) for nb in sorted(to_run, key=_expected_work, reverse=True)))
    return [results[nb] for nb in notebooks]


def _expected_work(notebook: Path) -> int:
    """How much work executing *notebook* is expected to take: its size in bytes (ties: name order)."""
    return Path(notebook).stat().st_size


def _print_result(result: RunResult) -> None:
    name = _display_name(result.notebook)
    if result.status == "unchanged":
        print(f"unchanged  {name}", flush=True)
    elif result.status == "executed":
        print(f"executed   {name} ({result.seconds:.1f} s)", flush=True)
    else:
        print(f"FAILED     {name} ({result.seconds:.1f} s)\n{result.message}", file=sys.stderr, flush=True)


def run(
    notebooks: Iterable[Path | str] | None = None,
    *,
    root: Path | str | None = None,
    force: bool = False,
    jobs: int = DEFAULT_JOBS,
    timeout: int = CELL_TIMEOUT_SECONDS,
    report=_print_result,
) -> list[RunResult]:
    """Execute *notebooks* (default: every ``notebooks/NN_*.ipynb``), skipping unchanged ones."""
    root = Path(root) if root is not None else repository_root()
    paths = [Path(nb) for nb in notebooks] if notebooks else notebook_paths(root)
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"no such notebook: {', '.join(missing)}")
    return asyncio.run(_run_async(paths, root, force, jobs, timeout, report))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m nato_russia.execute",
        description="Execute notebooks in place, deterministically; skip those whose inputs did not change.",
    )
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: notebooks/NN_*.ipynb)")
    parser.add_argument("--force", action="store_true", help="re-execute even if nothing changed")
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS, help="notebooks run at a time (default: 2)")
    parser.add_argument(
        "--timeout", type=int, default=CELL_TIMEOUT_SECONDS, help="seconds a single cell may take (default: 1800)"
    )
    parser.add_argument("--root", type=Path, default=None, help="repository root (default: found automatically)")
    arguments = parser.parse_args(argv)
    try:
        results = run(
            arguments.notebooks or None,
            root=arguments.root,
            force=arguments.force,
            jobs=arguments.jobs,
            timeout=arguments.timeout,
        )
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    failed = [r for r in results if r.status == "failed"]
    if failed:
        print(f"{len(failed)} of {len(results)} notebook(s) failed: "
              + ", ".join(_display_name(r.notebook) for r in failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
