"""Load the record: read each CSV once as text, validate it, convert the types, derive the dates.

>>> from nato_russia import load
>>> record = load()                      # data/ of this repository, or $NATO_RUSSIA_DATA
>>> record.events[["event_id", "start", "precision", "phase_id", "score"]]

Every table arrives with the dtypes datapackage.json promises: text as pandas strings (empty cells
missing), booleans as ``bool``, integers as ``int64``, numbers as ``float64``. Derived columns, never
stored in the CSV files:

* events: ``start``, ``precision``, ``end``, ``end_precision``, ``last_day``, ``earliest``, ``phase_id``,
  ``score``, ``escalation``, ``in_index`` (whether the event's scope counts in the index, from scopes.csv) and
  ``side`` (the side its actor stands on, from parties.csv) (the original ``date`` and ``end_date`` strings are
  kept). ``earliest`` is the first
  day the event can have happened: its ``start``, or, if later, the ``earliest`` of the event it responds to
  (a response cannot precede its trigger: sanctions dated only "2022-02" come after an invasion of
  2022-02-24). ``phase_id`` is the phase that contains ``earliest``;
* sources: ``group``, the group a source counts in: ``source document`` for a copy read in full
  (``original_file``), else the ``group`` of its ``origin`` in origins.csv;
* indicators: ``start``, ``precision``, ``end``, ``end_precision``, ``last_day`` (``date``/``end_date`` kept);
* phases: ``start`` and ``end`` as timestamps (``end`` missing for the phase that continues);
* cooperation_areas: ``start``, ``start_precision``, ``end``, ``end_precision``.
"""

from __future__ import annotations

import io
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd

from .dates import DATETIME, fullmatches, parse_partial_dates
from .schema import DATAPACKAGE, INTEGER_PATTERN, NUMBER_PATTERN, PackageSpec, TableSpec, quoted, read_package
from .validation import (
    DataValidationError,
    Problem,
    TextTable,
    foreign_key_problems,
    record_problems,
    schema_problems,
    sort_problems,
)

DATA_ENV = "NATO_RUSSIA_DATA"
"""Environment variable naming the data folder (the one holding datapackage.json and the CSV files)."""

SOURCE_DOCUMENT_GROUP = "source document"
"""The group of a source read in full (``original_file`` set), whatever its origin."""

READING_THREADS = 2
"""How many CSV files :func:`load` reads at a time."""

_BOM = b"\xef\xbb\xbf"
_QUOTE, _COMMA, _NEWLINE, _RETURN = (ord(char) for char in '",\n\r')


@dataclass(frozen=True, eq=False)
class Record:
    """The record: one DataFrame per table of datapackage.json, in its order."""

    events: pd.DataFrame
    sources: pd.DataFrame
    mentions: pd.DataFrame
    event_kinds: pd.DataFrame
    scopes: pd.DataFrame
    parties: pd.DataFrame
    origins: pd.DataFrame
    phases: pd.DataFrame
    source_periods: pd.DataFrame
    cooperation_areas: pd.DataFrame
    channels: pd.DataFrame
    indicators: pd.DataFrame
    glossary: pd.DataFrame
    readings: pd.DataFrame
    primary_documents: pd.DataFrame
    document_events: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """Table name -> DataFrame, in datapackage.json order."""
        return {item.name: getattr(self, item.name) for item in fields(self)}

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(frame)} rows" for name, frame in self.tables().items())
        return f"Record({sizes})"


# --- where the data are ---------------------------------------------------------------------------


def repository_data_dir() -> Path:
    """data/ of the repository this package is installed from (editable install of the src layout)."""
    return Path(__file__).resolve().parents[2] / "data"


def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """The data folder: ``data_dir`` if given, else ``$NATO_RUSSIA_DATA``, else the repository's data/."""
    if data_dir is not None:
        return Path(data_dir)
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV])
    candidate = repository_data_dir()
    if (candidate / DATAPACKAGE).is_file():
        return candidate
    raise FileNotFoundError(
        f"cannot find the data: no {DATAPACKAGE} in {candidate}. Pass the folder holding {DATAPACKAGE} and the "
        f"CSV files, e.g. load('path/to/data'), or set the environment variable {DATA_ENV}=path/to/data"
    )


# --- 1. reading -----------------------------------------------------------------------------------


def _record_shapes(raw: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split CSV bytes into records without a per-row loop.

    Returns, per record: the number of fields, whether the record is an empty line, and the offset of its
    first byte. Commas and line breaks inside double-quoted fields do not count; a quote only opens or
    closes a field next to a comma, a line break or another quote, as in the C parser of pandas.
    """
    data = np.frombuffer(raw, dtype=np.uint8)
    size = data.size
    quotes = np.flatnonzero(data == _QUOTE)
    newlines = np.flatnonzero(data == _NEWLINE)
    commas = np.flatnonzero(data == _COMMA)
    if quotes.size:
        # The bytes around each quote; the start and the end of the file count as line breaks.
        before = np.where(quotes > 0, data[np.maximum(quotes - 1, 0)], _NEWLINE)
        after = np.where(quotes < size - 1, data[np.minimum(quotes + 1, size - 1)], _NEWLINE)
        structural = (
            (before == _COMMA) | (before == _NEWLINE) | (before == _QUOTE)
            | (after == _COMMA) | (after == _NEWLINE) | (after == _RETURN) | (after == _QUOTE)
        )
        quotes = quotes[structural]
        newlines = _outside_quotes(newlines, quotes)
        commas = _outside_quotes(commas, quotes)
    records = newlines.size + (0 if size == 0 or data[-1] == _NEWLINE else 1)
    starts = np.concatenate(([0], newlines + 1))[:records]
    stops = np.concatenate((newlines, [size]))[:records]
    # The commas of record r lie between line break r - 1 and line break r.
    commas_before_break = np.searchsorted(commas, newlines)
    fields_per_record = np.diff(commas_before_break, prepend=0, append=commas.size)[:records] + 1
    length = stops - starts
    length -= (length > 0) & (data[np.maximum(stops - 1, 0)] == _RETURN)
    return fields_per_record, length == 0, starts


def _outside_quotes(positions: np.ndarray, quotes: np.ndarray) -> np.ndarray:
    """The sorted ``positions`` (of commas or line breaks) that lie outside quoted fields: those an even number
    of ``quotes`` precede. Quotes 0-1, 2-3, ... enclose the quoted stretches (an unmatched last quote runs to
    the end), so each stretch is found in ``positions`` by bisection instead of each position among the
    quotes."""
    opening, closing = quotes[0::2], quotes[1::2]
    first_inside = np.searchsorted(positions, opening)
    unclosed = np.full(opening.size - closing.size, positions.size)
    past_inside = np.concatenate((np.searchsorted(positions, closing), unclosed))
    depth = np.cumsum(np.bincount(first_inside, minlength=positions.size + 1)
                      - np.bincount(past_inside, minlength=positions.size + 1))
    return positions[depth[: positions.size] == 0]


def _header_problems(file: str, header: list[str], expected: list[str]) -> list[Problem]:
    problems = []
    expected_text = ", ".join(expected)
    positions: dict[str, list[int]] = {}
    for position, name in enumerate(header, start=1):
        positions.setdefault(name, []).append(position)
    for name, where in positions.items():
        if len(where) > 1:
            problems.append(
                Problem(
                    file,
                    1,
                    name or "-",
                    f"column {quoted(name)} appears {len(where)} times in the header (columns "
                    f"{', '.join(map(str, where))}); expected each column once",
                )
            )
        if name not in expected:
            if not name:
                problems.append(
                    Problem(file, 1, "-", f"column {where[0]} of the header is empty; expected only {expected_text}")
                )
                continue
            hint = ""
            if name.strip() in expected:
                hint = f" (remove the spaces around {quoted(name.strip())})"
            else:
                similar = [column for column in expected if column.lower() == name.strip().lower()]
                hint = f" (did you mean {quoted(similar[0])}?)" if similar else ""
            problems.append(
                Problem(file, 1, name, f"unknown column {quoted(name)}{hint}; expected only {expected_text}")
            )
    for name in expected:
        if name not in positions:
            problems.append(
                Problem(file, 1, name, f"column {name} is missing from the header; expected {expected_text}")
            )
    if not problems and header != expected:
        problems.append(
            Problem(
                file,
                1,
                "-",
                f"the columns are not in the order of {DATAPACKAGE}; expected {expected_text}; "
                f"found {', '.join(header)}",
            )
        )
    return problems


def _read_fields(raw: bytes, width: int, *, encoding_errors: str) -> pd.DataFrame:
    """Every record of CSV bytes as a row of ``width`` text columns (the header is row 0): an empty field, and
    a field a short row lacks, are missing; nothing else is converted."""
    return pd.read_csv(
        io.BytesIO(raw),
        encoding="utf-8",
        encoding_errors=encoding_errors,
        sep=",",
        quotechar='"',
        header=None,
        names=range(width),
        dtype="str",
        na_filter=True,
        na_values=[""],
        keep_default_na=False,
        skip_blank_lines=False,
        engine="c",
    )


def read_text_table(data_dir: Path, spec: TableSpec) -> tuple[TextTable | None, list[Problem]]:
    """Read one CSV as text and report what keeps it from being read as a table.

    Returns None for the table when it cannot be read at all (missing, empty or not comma-separated).
    """
    file = spec.path
    expected = spec.field_names
    try:
        raw = (data_dir / file).read_bytes()
    except FileNotFoundError:
        return None, [
            Problem(file, None, "-", f"file not found in {data_dir}; expected a CSV file with the columns "
                    f"{', '.join(expected)}")
        ]
    if raw.startswith(_BOM):
        raw = raw[len(_BOM):]
    problems = []
    counts, blank, starts = _record_shapes(raw)
    if counts.size == 0 or blank.all():  # nothing but line breaks: ASCII, so no encoding problem either
        return None, problems + [
            Problem(file, None, "-", f"the file is empty; expected a header row: {', '.join(expected)}")
        ]
    try:
        frame = _read_fields(raw, int(counts.max()), encoding_errors="strict")
    except UnicodeDecodeError:
        # The reader decodes every field, so it fails exactly when the file is not UTF-8; only then is the
        # whole file decoded again, to find the first bad byte.
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as error:
            row = int(np.searchsorted(starts, error.start, side="right"))
            problems.append(
                Problem(
                    file,
                    row,
                    "-",
                    f"not UTF-8: byte 0x{raw[error.start]:02X} cannot be read as UTF-8 (was the file saved as "
                    "Latin-1 or Windows-1252?); expected the file saved as UTF-8",
                )
            )
        frame = _read_fields(raw, int(counts.max()), encoding_errors="replace")
    del raw
    if len(frame) != len(counts):
        # The two readings of the quotes disagree: some quote is not where CSV allows it.
        problems.append(
            Problem(file, None, "-", 'cannot split the file into rows: a double quote (") is opened but not '
                    "closed, or stands inside a field that does not start with one")
        )
        counts = np.full(len(frame), counts[0])
        blank = np.zeros(len(frame), dtype=bool)
    header = frame.iloc[0, : counts[0]].fillna("").tolist()  # an empty name is read as missing
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        separator = "semicolon" if ";" in header[0] else "tab"
        problems.append(
            Problem(
                file,
                1,
                "-",
                f"the file looks {separator}-separated: the header is the single field {quoted(header[0])}; "
                f"expected comma-separated columns {', '.join(expected)}",
            )
        )
        return None, problems
    problems += _header_problems(file, header, expected)

    body = frame.iloc[1:]
    rows = pd.RangeIndex(2, len(frame) + 1, name="row")
    first_position = {}
    for position, name in enumerate(header):
        first_position.setdefault(name, position)
    missing = frozenset(name for name in expected if name not in first_position)
    columns = {
        name: (
            pd.Series(body[first_position[name]].array, index=rows).astype("str")  # as read: no copy
            if name in first_position
            else pd.Series(pd.NA, index=rows, dtype="str")
        )
        for name in expected
    }
    text_frame = pd.DataFrame(columns, index=rows)  # empty cells are missing already (_read_fields)

    width = counts[0]
    data_counts, data_blank = counts[1:], blank[1:]
    for mask, wording in (
        (data_blank, lambda n: "empty line; expected a row of data (delete the line)"),
        (~data_blank & (data_counts < width),
         lambda n: f"row has {n} fields, expected {width} (one per column of the header): fields are missing"),
        (data_counts > width,
         lambda n: f"row has {n} fields, expected {width} (one per column of the header): a field containing a "
         "comma must be in double quotes"),
    ):
        where = np.flatnonzero(mask)
        problems += [Problem(file, int(rows[i]), "-", wording(int(data_counts[i]))) for i in where]
    well_formed = pd.Series((data_counts == width) & ~data_blank, index=rows)
    return TextTable(spec=spec, frame=text_frame, well_formed=well_formed, missing_columns=missing), problems


# --- conversion and derived columns ---------------------------------------------------------------


def _typed(table: TextTable) -> pd.DataFrame:
    """The table with every column of its type; values that are not of their type become missing (they
    are reported by validation, and never returned by a validated load)."""
    columns = {}
    for spec in table.spec.fields:
        text = table.frame[spec.name]
        if spec.type == "integer":
            numbers = pd.to_numeric(text.where(fullmatches(text, INTEGER_PATTERN, missing=False)), errors="coerce")
            columns[spec.name] = numbers.astype("int64") if numbers.notna().all() else numbers.astype("Int64")
        elif spec.type == "number":
            ok = fullmatches(text, NUMBER_PATTERN, missing=False)
            spelled = text.where(ok).str.replace("INF", "inf", regex=False)
            columns[spec.name] = pd.to_numeric(spelled, errors="coerce").astype("float64")
        elif spec.type == "boolean":
            truth = {value: True for value in spec.true_values} | {value: False for value in spec.false_values}
            flags = text.map(truth)
            columns[spec.name] = flags.astype(bool) if flags.notna().all() else flags.astype("boolean")
        else:
            columns[spec.name] = text
    return pd.DataFrame(columns, index=table.frame.index)


def _insert_after(frame: pd.DataFrame, after: str, new: dict[str, pd.Series]) -> pd.DataFrame:
    position = frame.columns.get_loc(after) + 1
    for offset, (name, values) in enumerate(new.items()):
        frame.insert(position + offset, name, values)
    return frame


def assign_phases(starts: pd.Series, phases: pd.DataFrame) -> pd.Series:
    """The phase each start date falls in: ``phases`` has ``phase_id`` and timestamps ``start``/``end``
    (``end`` missing = continues). Missing where a date falls in no phase. An ordered categorical whose
    categories are the phases in date order."""
    ordered = phases.dropna(subset=["start"]).sort_values("start", kind="stable")
    categories = pd.CategoricalDtype(ordered["phase_id"].dropna().unique(), ordered=True)
    phase_starts = ordered["start"].to_numpy(dtype=DATETIME)
    phase_ends = ordered["end"].to_numpy(dtype=DATETIME)
    dates = starts.to_numpy(dtype=DATETIME)
    position = np.searchsorted(phase_starts, dates, side="right") - 1
    found = (position >= 0) & ~np.isnat(dates)
    clipped = np.clip(position, 0, None)
    if len(ordered):
        end = phase_ends[clipped]
        found &= np.isnat(end) | (dates <= end)
        ids = ordered["phase_id"].to_numpy()[clipped]
    else:
        ids = np.full(len(dates), None)
    return pd.Series(np.where(found, ids, None), index=starts.index, name="phase_id").astype(categories)


def earliest_dates(events: pd.DataFrame) -> pd.Series:
    """The first day each event can have happened: the later of its ``start`` and the ``earliest`` of the
    event it ``responds_to``, followed along chains of responses. Each pass is a whole-column operation;
    there is one pass per link of the longest chain (values only grow and are bounded, so even a cycle
    ends). A missing trigger leaves the event's own start."""
    start = events["start"].to_numpy(dtype=DATETIME)
    # Each event's trigger as a row number, found once: the first row with that event_id (-1: none).
    first = ~events["event_id"].duplicated().to_numpy()
    trigger_of_first = pd.Index(events["event_id"].to_numpy()[first]).get_indexer(events["responds_to"])
    answers = trigger_of_first >= 0
    trigger_row = np.flatnonzero(first)[trigger_of_first[answers]]
    own_start = start[answers]
    earliest = start
    for _ in range(len(events) + 1):
        trigger = earliest[trigger_row]
        updated = start.copy()
        updated[answers] = np.where(trigger > own_start, trigger, own_start)  # NaT compares false: own start
        if np.array_equal(updated.view("int64"), earliest.view("int64")):
            break
        earliest = updated
    return pd.Series(earliest, index=events.index, name="earliest", dtype=DATETIME)


def join_event_kinds(kinds: pd.Series, event_kinds: pd.DataFrame) -> pd.DataFrame:
    """``score`` and ``escalation`` of each kind, looked up in the event-kind codebook."""
    codebook = event_kinds.drop_duplicates("kind").set_index("kind")
    row = codebook.index.get_indexer(kinds)  # one lookup of the kinds for both columns
    if (row >= 0).all():
        joined = pd.DataFrame({name: codebook[name].array.take(row) for name in ("score", "escalation")},
                              index=kinds.index)
    else:  # a kind the codebook lacks: missing, as a map gives it
        joined = pd.DataFrame({name: kinds.map(codebook[name]) for name in ("score", "escalation")},
                              index=kinds.index)
    if joined["score"].notna().all():
        return joined.astype({"score": "int64", "escalation": bool})
    return joined.astype({"score": "Int64", "escalation": "boolean"})


def _parse_dates(texts: dict[str, TextTable]) -> dict[tuple[str, str], pd.DataFrame]:
    """Each partial-date column of each table, parsed once (invalid dates missing; validation says why)."""
    return {
        (name, spec.name): parse_partial_dates(table.frame[spec.name], on_invalid="missing")
        for name, table in texts.items()
        for spec in table.spec.fields
        if spec.is_partial_date
    }


def _derive(
    typed: dict[str, pd.DataFrame], parsed: dict[tuple[str, str], pd.DataFrame]
) -> dict[str, pd.DataFrame]:
    tables = dict(typed)
    if "phases" in tables:
        phases = tables["phases"].copy()
        phases["start"] = parsed[("phases", "start")]["start"]
        phases["end"] = parsed[("phases", "end")]["start"]
        tables["phases"] = phases
    if "events" in tables:
        events = tables["events"].copy()
        start, end = parsed[("events", "date")], parsed[("events", "end_date")]
        last_day = end["last_day"].where(events["end_date"].notna(), start["last_day"])
        events["start"] = start["start"]
        events["precision"] = start["precision"]
        events["end"] = end["start"]
        events["end_precision"] = end["precision"]
        events["last_day"] = last_day
        events["earliest"] = earliest_dates(events)
        if "phases" in tables:
            events["phase_id"] = assign_phases(events["earliest"], tables["phases"])
        else:
            events["phase_id"] = pd.Series(pd.NA, index=events.index, dtype="category")
        if "event_kinds" in tables:
            joined = join_event_kinds(events["kind"], tables["event_kinds"])
            events["score"], events["escalation"] = joined["score"], joined["escalation"]
        if "scopes" in tables:
            events["in_index"] = events["scope"].map(tables["scopes"].set_index("scope")["in_index"])
        if "parties" in tables:
            events["side"] = events["actor"].map(tables["parties"].set_index("party")["side"])
        tables["events"] = events
    if "sources" in tables and "origins" in tables:
        sources = tables["sources"].copy()
        read_in_full = sources["original_file"].fillna("").str.strip().ne("")
        group = sources["origin"].map(tables["origins"].set_index("origin")["group"])
        sources["group"] = group.where(~read_in_full, SOURCE_DOCUMENT_GROUP)
        tables["sources"] = sources
    if "indicators" in tables:
        indicators = tables["indicators"].copy()
        start, end = parsed[("indicators", "date")], parsed[("indicators", "end_date")]
        indicators["start"] = start["start"]
        indicators["precision"] = start["precision"]
        indicators["end"] = end["start"]
        indicators["end_precision"] = end["precision"]
        indicators["last_day"] = end["last_day"].where(indicators["end_date"].notna(), start["last_day"])
        tables["indicators"] = indicators
    if "cooperation_areas" in tables:
        areas = tables["cooperation_areas"].copy()
        start, end = parsed[("cooperation_areas", "start")], parsed[("cooperation_areas", "end")]
        areas["start"] = start["start"]
        areas = _insert_after(areas, "start", {"start_precision": start["precision"]})
        areas["end"] = end["start"]
        areas = _insert_after(areas, "end", {"end_precision": end["precision"]})
        tables["cooperation_areas"] = areas
    return tables


# --- the public entry points ----------------------------------------------------------------------


def _read_package(data_dir: Path) -> PackageSpec:
    if not (data_dir / DATAPACKAGE).is_file():
        raise DataValidationError(
            [Problem(DATAPACKAGE, None, "-", f"not found in {data_dir}; expected the data package descriptor there")]
        )
    return read_package(data_dir / DATAPACKAGE)


def load(data_dir: str | os.PathLike | None = None, validate: bool = True) -> Record:
    """Load every table of the record (see the module docstring for columns and dtypes).

    ``data_dir`` defaults to ``$NATO_RUSSIA_DATA``, else the repository's data/. Raises
    :class:`DataValidationError` listing every problem. With ``validate=False`` only problems that keep a
    file from being read as a table (missing file, encoding, delimiter, header, row length) raise; the
    content is trusted and values that are not of their type become missing.
    """
    data_dir = resolve_data_dir(data_dir)
    package = _read_package(data_dir)
    texts: dict[str, TextTable] = {}
    problems: list[Problem] = []
    # Two files are read at a time: pandas' CSV parser splits one file into fields without holding the
    # interpreter while the other file's fields become Python strings, so the two big tables overlap.
    with ThreadPoolExecutor(max_workers=READING_THREADS) as pool:
        read = list(pool.map(lambda spec: read_text_table(data_dir, spec), package.tables))
    for spec, (table, found) in zip(package.tables, read, strict=True):
        problems += found
        if table is not None:
            texts[spec.name] = table
    if validate:
        for table in texts.values():
            problems += schema_problems(table)
    typed = {name: _typed(table) for name, table in texts.items()}
    parsed = _parse_dates(texts)
    tables = _derive(typed, parsed)
    if validate:
        problems += foreign_key_problems(package, texts)
        problems += record_problems(texts, tables, parsed)
    if problems:
        raise DataValidationError(sort_problems(problems, package))
    return Record(**{name: tables[name].reset_index(drop=True) for name in package.table_names})


def validate(data_dir: str | os.PathLike | None = None) -> Record:
    """Validate every file of the record; return the loaded record or raise :class:`DataValidationError`."""
    return load(data_dir, validate=True)


def read_table(name: str, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """One table, read and checked against its schema alone (no foreign keys, no derived columns)."""
    data_dir = resolve_data_dir(data_dir)
    package = _read_package(data_dir)
    table, problems = read_text_table(data_dir, package.table(name))
    if table is not None:
        problems += schema_problems(table)
    if problems:
        raise DataValidationError(problems)
    return _typed(table).reset_index(drop=True)
