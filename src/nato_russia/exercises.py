"""Seminar exercises (notebook 08): the student copy of an exercise notebook, and adding or removing rows of a CSV
file.

An exercise notebook tags its cells (``metadata.tags``):

* ``exercise``: the task (markdown);
* ``student``: the cell a student starts from (code, empty or started);
* ``solution``: the worked solution, its code (also tagged ``hide-input`` so that a reader can fold it) and
  the markdown that explains it;
* ``lecturer``: notes for the person teaching (how to make the student copy, which exercise fits which
  session, the answer key).

:func:`student_copy` keeps everything but the ``solution`` and ``lecturer`` cells and clears the outputs, so
that no result gives a solution away. From the command line::

    python -m nato_russia.exercises notebooks/08_seminar_exercises.ipynb _build/seminar_exercises_student.ipynb

:func:`append_rows` adds rows to one of the record's CSV files the way a person would in a spreadsheet: every
column of the header, in its order, and nothing else. :func:`remove_rows` takes rows out again (exercise E09
removes a sourced event from a copy of the data, for students to put back) and returns them.
"""

from __future__ import annotations

import argparse
import copy
import csv
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from .files import write_atomically

__all__ = [
    "LECTURER_TAG",
    "SOLUTION_TAG",
    "STUDENT_COPY_DROPS",
    "append_rows",
    "cell_tags",
    "main",
    "remove_rows",
    "student_copy",
]

SOLUTION_TAG = "solution"
LECTURER_TAG = "lecturer"
STUDENT_COPY_DROPS = (SOLUTION_TAG, LECTURER_TAG)
"""Cells carrying any of these tags are left out of the student copy."""

_NUMBERED_NOTEBOOK = re.compile(r"^[0-9]{2}_.*\.ipynb$")


def cell_tags(cell: Mapping) -> set[str]:
    """The tags of a notebook cell (``metadata.tags``); an empty set if it has none."""
    return set(cell.get("metadata", {}).get("tags", []))


def student_copy(nb, drop_tags: Iterable[str] = STUDENT_COPY_DROPS):
    """A copy of notebook ``nb`` without the cells tagged with any of ``drop_tags`` (by default the worked
    solutions and the lecturer's notes), with every output and execution count cleared.

    ``nb`` is a notebook as :func:`nbformat.read` returns it; it is not modified.
    """
    dropped = set(drop_tags)
    copied = copy.deepcopy(nb)
    copied.cells = [cell for cell in copied.cells if not cell_tags(cell) & dropped]
    for cell in copied.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return copied


def append_rows(path: str | Path, rows: Sequence[Mapping[str, str]]) -> int:
    """Append ``rows`` to the CSV file at ``path``, each a mapping from every column of the file's header to
    its text (an empty string for an empty cell). Returns the row number of the first appended row, counting
    the header as row 1 (the number a spreadsheet shows and a validation message names).

    Raises ``ValueError`` naming the file and the columns if a row lacks a column of the header or has one the
    header does not have; nothing is written then.
    """
    path = Path(path)
    with path.open(encoding="utf-8", newline="") as handle:
        existing = list(csv.reader(handle))
    if not existing:
        raise ValueError(f"{path.name} is empty: expected a header row to append to")
    header = existing[0]
    for number, row in enumerate(rows, start=1):
        missing = [column for column in header if column not in row]
        unknown = [column for column in row if column not in header]
        if missing or unknown:
            parts = []
            if missing:
                parts.append(f"missing column(s) {', '.join(missing)}")
            if unknown:
                parts.append(f"unknown column(s) {', '.join(unknown)}")
            raise ValueError(
                f"row {number} to append to {path.name}: {'; '.join(parts)}; expected exactly the columns "
                f"{', '.join(header)}"
            )
    raw = path.read_bytes()
    with path.open("a", encoding="utf-8", newline="") as handle:
        if raw and not raw.endswith(b"\n"):
            handle.write("\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerows([[str(row[column]) for column in header] for row in rows])
    return len(existing) + 1


def remove_rows(path: str | Path, column: str, value: str) -> list[dict[str, str]]:
    """Remove from the CSV file at ``path`` every row whose ``column`` holds exactly ``value``; return the removed
    rows, in file order, each as a mapping from every column of the header to its text.

    The header and the other rows are written back in their order, with the ``csv`` module's minimal quoting and
    ``\\n`` line ends, as :func:`append_rows` writes them (the record's files are written that way, so their other
    rows keep their bytes). Raises ``ValueError`` naming the file if it has no such column or no row holds the
    value; nothing is written then.
    """
    path = Path(path)
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    if not records:
        raise ValueError(f"{path.name} is empty: expected a header row")
    header, body = records[0], records[1:]
    if column not in header:
        raise ValueError(f"{path.name} has no column {column!r}; its columns are {', '.join(header)}")
    position = header.index(column)

    def matches(row: list[str]) -> bool:
        return len(row) > position and row[position] == value

    removed = [row for row in body if matches(row)]
    if not removed:
        raise ValueError(f"no row of {path.name} has {value!r} in column {column}: nothing to remove")
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *(row for row in body if not matches(row))])
    return [dict(zip(header, row)) for row in removed]


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m nato_russia.exercises NOTEBOOK STUDENT_COPY``: write the student copy of NOTEBOOK."""
    parser = argparse.ArgumentParser(
        prog="python -m nato_russia.exercises",
        description="Write the student copy of an exercise notebook: without the cells tagged "
        f"{' or '.join(repr(tag) for tag in STUDENT_COPY_DROPS)}, with outputs cleared.",
    )
    parser.add_argument("notebook", type=Path, help="the exercise notebook, e.g. notebooks/08_seminar_exercises.ipynb")
    parser.add_argument("student_copy", type=Path,
                        help="where to write the copy (its folder is created), e.g. _build/seminar_exercises_student.ipynb")
    arguments = parser.parse_args(argv)
    target: Path = arguments.student_copy
    if target.resolve() == arguments.notebook.resolve():
        parser.error("the student copy must not overwrite the exercise notebook")
    if target.parent.resolve().name == "notebooks" and _NUMBERED_NOTEBOOK.match(target.name):
        parser.error(
            f"{target.name}: a numbered notebook in notebooks/ would be executed and tested as a chapter; "
            "choose a name that does not start with two digits and '_', or another folder"
        )
    import nbformat  # imported here: it pulls in jsonschema, about 1 s, which the notebooks never need

    nb = nbformat.read(arguments.notebook, as_version=4)
    copied = student_copy(nb)
    text = nbformat.writes(copied)
    write_atomically(target, text if text.endswith("\n") else text + "\n")
    kept, dropped = len(copied.cells), len(nb.cells) - len(copied.cells)
    print(f"wrote {target}: {kept} cells kept, {dropped} solution and lecturer cells left out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
