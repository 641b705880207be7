"""Shared fixtures: copies of a valid dataset that a test may break, and helpers to edit CSV files.

Two valid datasets: ``tests/fixtures/minimal`` (a few made-up rows per table, with the repository's
datapackage.json) and the shipped ``data/``. Tests that break a copy run on both; a missing file fails the tests.
"""

from __future__ import annotations

import csv
import json
import shutil
import time
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
DATA = REPOSITORY / "data"
DATAPACKAGE = DATA / "datapackage.json"
MINIMAL = Path(__file__).resolve().parent / "fixtures" / "minimal"


def table_files() -> list[str]:
    """The CSV file names datapackage.json lists."""
    descriptor = json.loads(DATAPACKAGE.read_text(encoding="utf-8"))
    return [resource["path"] for resource in descriptor["resources"]]


def copy_dataset(which: str, destination: Path) -> Path:
    """A writable copy of the ``minimal`` or ``shipped`` dataset (CSV files + datapackage.json)."""
    destination.mkdir(parents=True, exist_ok=True)
    source = MINIMAL if which == "minimal" else DATA
    for name in table_files():
        shutil.copy(source / name, destination / name)
    shutil.copy(DATAPACKAGE, destination / "datapackage.json")
    return destination


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A copy of the minimal dataset."""
    return copy_dataset("minimal", tmp_path / "data")


@pytest.fixture(params=["minimal", "shipped"])
def dataset(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A copy of each valid dataset in turn (a missing file of the shipped one fails the test)."""
    return copy_dataset(request.param, tmp_path / "data")


# --- editing CSV files by row number (header = row 1), as a person would in a spreadsheet --------------


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]], delimiter: str = ",") -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator="\n").writerows(rows)


def get_cell(data_dir: Path, file: str, row: int, column: str) -> str:
    rows = read_rows(data_dir / file)
    return rows[row - 1][rows[0].index(column)]


def set_cell(data_dir: Path, file: str, row: int, column: str, value: str) -> None:
    rows = read_rows(data_dir / file)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(data_dir / file, rows)


def row_of(data_dir: Path, file: str, column: str, value: str) -> int:
    """The row number (header = 1) of the first row whose ``column`` is ``value``."""
    rows = read_rows(data_dir / file)
    position = rows[0].index(column)
    return next(number for number, row in enumerate(rows, start=1) if number > 1 and row[position] == value)


READER_BUILD_SECONDS_LIMIT = 600  # CI has 90 minutes for everything; a full build takes well under a minute


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The offline reader, built once for the whole test session into a temporary folder (test_reader.py checks
    its files, test_reader_browser.py opens it in a browser)."""
    from nato_russia import reader

    output = tmp_path_factory.mktemp("reader")
    started = time.monotonic()
    html_dir = reader.build(output=output)
    seconds = time.monotonic() - started
    print(f"\nreader built in {seconds:.1f} s into {html_dir}")
    assert seconds < READER_BUILD_SECONDS_LIMIT, f"the reader took {seconds:.0f} s to build"
    return html_dir
