"""The record's command line: validate the data, write the codebook (data/README.md) and the TimelineJS export.

Run it from the repository's folder with the project's environment: `.venv/bin/python -m nato_russia COMMAND`, or
`python -m nato_russia COMMAND` after `source .venv/bin/activate`."""

from __future__ import annotations

import argparse
import sys

from . import codebook, export
from .loading import DATA_ENV, validate
from .validation import DataValidationError


def _validate(data_dir: str | None) -> int:
    try:
        record = validate(data_dir)
    except DataValidationError as error:
        for problem in error.problems:
            print(problem)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return 1
    sizes = ", ".join(f"{name} {len(frame)}" for name, frame in record.tables().items())
    print(f"ok: {len(record.tables())} tables — {sizes}")
    return 0


def _codebook(data_dir: str | None, check: bool) -> int:
    if check:
        if codebook.is_current(data_dir):
            return 0
        print(
            "data/README.md is not up to date with datapackage.json and event_kinds.csv; "
            "run: make (or .venv/bin/python -m nato_russia codebook)",
            file=sys.stderr,
        )
        return 1
    print(f"wrote {codebook.write(data_dir)}")
    return 0


def _export(data_dir: str | None, check: bool) -> int:
    if check:
        if export.is_current(data_dir):
            return 0
        print("data/exports/timeline.json is not up to date with the data; run: make (or .venv/bin/python -m nato_russia export)",
              file=sys.stderr)
        return 1
    print(f"wrote {export.write(data_dir)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m nato_russia",
        description="Check the record in data/ and write the files generated from it.",
        epilog="examples:\n"
        "  python -m nato_russia validate          check data/ and list every problem\n"
        "  python -m nato_russia codebook          rewrite data/README.md after changing datapackage.json or "
        "event_kinds.csv\n"
        "  python -m nato_russia export --check    exit 1 if data/exports/timeline.json is out of date\n\n"
        "Use the project's environment: .venv/bin/python -m nato_russia ..., or python -m nato_russia ... after "
        "'source .venv/bin/activate' (make creates .venv/).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    data_help = f"folder holding datapackage.json and the CSV files (default: ${DATA_ENV}, else the repository's data/)"
    check_data = commands.add_parser("validate", help="check every CSV file and list every problem")
    check_data.add_argument("data_dir", nargs="?", help=data_help)
    write_codebook = commands.add_parser("codebook", help="write data/README.md from datapackage.json")
    write_codebook.add_argument("--check", action="store_true", help="exit 1 if data/README.md differs, write nothing")
    write_codebook.add_argument("data_dir", nargs="?", help=data_help)
    write_export = commands.add_parser("export", help="write data/exports/timeline.json (TimelineJS) from the record")
    write_export.add_argument("--check", action="store_true", help="exit 1 if the file differs, write nothing")
    write_export.add_argument("data_dir", nargs="?", help=data_help)
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        parser.print_help()
        return 0
    try:
        if arguments.command == "validate":
            return _validate(arguments.data_dir)
        if arguments.command == "export":
            return _export(arguments.data_dir, arguments.check)
        return _codebook(arguments.data_dir, arguments.check)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except DataValidationError as error:
        print(error)
        return 1


if __name__ == "__main__":
    sys.exit(main())
