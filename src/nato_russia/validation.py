"""Problems in the CSV files, found a whole column at a time and reported as ``file:row:column: message``.

Three layers of checks, all of which run so that one pass reports every problem:

1. reading (in :mod:`nato_russia.loading`): the file exists, is UTF-8, comma-separated, has the header of
   datapackage.json, and every row has as many fields as the header;
2. the schema, through pandera schemas built from datapackage.json (:func:`schema_problems`) and the
   foreign keys of datapackage.json (:func:`foreign_key_problems`), both on the text as written;
3. what a schema cannot state (:func:`record_problems`): calendar dates, date order, phases, mentions,
   responses, indicator values.

Row numbers count records with the header as row 1: the row a spreadsheet shows, and the line an editor
shows as long as no field before it contains a line break.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .dates import fullmatches, invalid_date_messages, parse_partial_dates
from .schema import NUMBER_PATTERN, PackageSpec, TableSpec, pandera_schema, quoted

EARLIEST = pd.Timestamp("1945-01-01")
"""No date in the record may be earlier than this."""

# Pairs of (table, start column, end column) whose end must not lie before their start.
DATE_SPANS = (
    ("events", "date", "end_date"),
    ("mentions", "date_given", "date_given_end"),
    ("indicators", "date", "end_date"),
    ("cooperation_areas", "start", "end"),
    ("phases", "start", "end"),
)


class Problem(NamedTuple):
    """One problem in one place: ``file`` (e.g. ``events.csv``), ``row`` (header = 1; None for the whole
    file), ``column`` (``-`` for the whole row or file) and a message saying what was expected and found."""

    file: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        row = "-" if self.row is None else self.row
        return f"{self.file}:{row}:{self.column}: {self.message}"


class DataValidationError(ValueError):
    """The data do not conform; ``problems`` lists every problem, ``str()`` shows one per line."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


@dataclass
class TextTable:
    """A CSV read as text: every field of datapackage.json as a column of strings (missing where the cell
    is empty or the column is missing), indexed by row number (header = 1)."""

    spec: TableSpec
    frame: pd.DataFrame
    well_formed: pd.Series
    missing_columns: frozenset[str]

    @property
    def file(self) -> str:
        return self.spec.path

    def has(self, *columns: str) -> bool:
        return not self.missing_columns.intersection(columns)

    @property
    def checkable(self) -> pd.DataFrame:
        """The rows with exactly as many fields as the header (the others are reported already)."""
        if self.well_formed.all():  # as usual: no rows to leave out, so no copy of the table
            return self.frame.copy(deep=False)
        return self.frame[self.well_formed]


def sort_problems(problems: list[Problem], package: PackageSpec) -> list[Problem]:
    """Problems in datapackage order of their files, then by row (whole-file problems first), then by
    column in header order (whole-row problems first)."""
    file_order = {table.path: position for position, table in enumerate(package.tables)}
    column_order = {
        (table.path, name): position for table in package.tables for position, name in enumerate(table.field_names, 1)
    }

    def key(problem: Problem) -> tuple[int, int, int]:
        column = problem.column.split(",")[0]
        return (
            file_order.get(problem.file, -1),
            problem.row or 0,
            column_order.get((problem.file, column), 0 if column == "-" else len(column_order)),
        )

    return sorted(problems, key=key)


def _problems_at(file: str, rows: pd.Index, column: str, messages) -> list[Problem]:
    """Problems for many rows at once; ``messages`` is one message or one per row."""
    if isinstance(messages, str):
        messages = [messages] * len(rows)
    return [Problem(file, int(row), column, str(message)) for row, message in zip(rows, messages, strict=True)]


# --- 2. schema ------------------------------------------------------------------------------------


def _first_rows(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """For each distinct value (tuple) of ``columns``, the row where it first appears."""
    keys = frame[columns].dropna()
    first = keys[~keys.duplicated(keep="first")]
    return pd.Series(first.index, index=pd.MultiIndex.from_frame(first) if len(columns) > 1 else first[columns[0]])


def schema_problems(table: TextTable) -> list[Problem]:
    """Check the text of a table against the pandera schema built from datapackage.json."""
    present = [name for name in table.spec.field_names if name not in table.missing_columns]
    built = pandera_schema(table.spec, present)
    text = table.checkable
    try:
        built.schema.validate(text, lazy=True, inplace=True)  # ``text`` is this check's own: no copy needed
        return []
    except pa.errors.SchemaErrors as error:
        cases = error.failure_cases
    problems = []
    composite = list(table.spec.primary_key)
    composite_done: set[int] = set()
    first_rows: dict[str, pd.Series] = {}  # value -> row of its first occurrence, per key column(s)
    for case in cases.itertuples(index=False):
        row = None if pd.isna(case.index) else int(case.index)
        column = case.column if isinstance(case.column, str) else "-"
        found = case.failure_case
        if case.check == "not_nullable":
            message = f"{column} is required, but the cell is empty"
        elif case.check == "field_uniqueness":
            if column not in first_rows:
                first_rows[column] = _first_rows(text, [column])
            first = first_rows[column]
            message = (
                f"duplicate {column} {quoted(found)}: row {first.get(found, '?')} has it already; "
                f"each {column} must be unique"
            )
        elif case.check == "multiple_fields_uniqueness":
            if row in composite_done:
                continue
            composite_done.add(row)
            column = ",".join(composite)
            values = tuple(text.loc[row, composite])
            if column not in first_rows:
                first_rows[column] = _first_rows(text, composite)
            first = first_rows[column]
            message = (
                f"duplicate ({', '.join(composite)}) = ({', '.join(quoted(v) for v in values)}): "
                f"row {first.get(values, '?')} has it already; each combination must be unique"
            )
        elif case.check_number is not None and (column, int(case.check_number)) in built.explanations:
            message = built.explanations[(column, int(case.check_number))](str(found))
        else:
            message = f"failed the check {case.check}; found {quoted(found)}"
        problems.append(Problem(table.file, row, column, message))
    return problems


def _suggestion(value: str, candidates: pd.Series) -> str:
    if len(candidates) > 5000:
        return ""
    known = candidates.astype(str).tolist()
    same_letters = [candidate for candidate in known if candidate.casefold() == value.casefold()]
    close = same_letters or difflib.get_close_matches(value, known, n=1, cutoff=0.75)
    return f" (did you mean {quoted(close[0])}?)" if close else ""


def foreign_key_problems(package: PackageSpec, texts: dict[str, TextTable]) -> list[Problem]:
    """Every foreign key of datapackage.json must resolve; rows with an empty key are not checked."""
    problems = []
    for spec in package.tables:
        source = texts.get(spec.name)
        if source is None:
            continue
        for key in spec.foreign_keys:
            target = texts.get(key.resource)
            if target is None or not source.has(*key.fields) or not target.has(*key.reference_fields):
                continue
            values = source.checkable[list(key.fields)].dropna()
            known = target.frame[list(key.reference_fields)].dropna()
            if len(key.fields) == 1:
                unknown = ~values.iloc[:, 0].isin(known.iloc[:, 0])
            else:
                unknown = ~pd.MultiIndex.from_frame(values).isin(pd.MultiIndex.from_frame(known))
            bad = values[np.asarray(unknown)]
            if bad.empty:
                continue
            names = ",".join(key.reference_fields)
            article = "an" if names[0] in "aeiou" else "a"
            show_suggestions = len(bad) <= 50
            for row, found in zip(bad.index, bad.itertuples(index=False), strict=True):
                shown = ", ".join(quoted(value) for value in found)
                hint = _suggestion(found[0], known.iloc[:, 0]) if show_suggestions and len(found) == 1 else ""
                problems.append(
                    Problem(
                        source.file,
                        int(row),
                        ",".join(key.fields),
                        f"unknown {names} {shown}: expected {article} {names} listed in {target.file}{hint}",
                    )
                )
    return problems


# --- 3. what a schema cannot state ----------------------------------------------------------------


def _day(timestamps: pd.Series) -> pd.Series:
    return timestamps.dt.strftime("%Y-%m-%d")


def _day_or_dash(timestamp: pd.Timestamp) -> str:
    return "-" if pd.isna(timestamp) else f"{timestamp:%Y-%m-%d}"


def calendar_problems(texts: dict[str, TextTable], parsed: dict[tuple[str, str], pd.DataFrame]) -> list[Problem]:
    """Dates with the right shape that are not in the calendar (2014-02-30, 2014-13-01)."""
    problems = []
    for (name, column), dates in parsed.items():
        table = texts[name]
        text = table.frame[column]
        unparsed = text[table.well_formed & text.notna() & dates["start"].isna()]
        if len(unparsed):
            messages = invalid_date_messages(unparsed, shape_checked=True)
            problems += _problems_at(table.file, messages.index, column, messages.tolist())
    return problems


def date_range_problems(
    texts: dict[str, TextTable], parsed: dict[tuple[str, str], pd.DataFrame], today: pd.Timestamp
) -> list[Problem]:
    """No date before 1945 and none after today."""
    problems = []
    for (name, column), dates in parsed.items():
        table = texts[name]
        start = dates["start"][table.well_formed]
        found = table.frame.loc[start.index, column]
        early = start < EARLIEST
        problems += _problems_at(
            table.file, start.index[early], column, ("expected a date from 1945 on; found " + '"' + found[early] + '"')
        )
        late = start > today
        problems += _problems_at(
            table.file,
            start.index[late],
            column,
            (f"expected a date not after today ({today:%Y-%m-%d}); found " + '"' + found[late] + '"'),
        )
    return problems


def span_problems(texts: dict[str, TextTable], parsed: dict[tuple[str, str], pd.DataFrame]) -> list[Problem]:
    """An end (the last day it covers) must not lie before its start (the first day it covers)."""
    problems = []
    for name, start_column, end_column in DATE_SPANS:
        if (name, start_column) not in parsed or (name, end_column) not in parsed:
            continue
        table = texts[name]
        start = parsed[(name, start_column)]["start"]
        end = parsed[(name, end_column)]["last_day"]
        before = (end < start) & table.well_formed
        rows = before.index[before]
        text = table.frame.loc[rows]
        problems += _problems_at(
            table.file,
            rows,
            end_column,
            (
                f"expected {end_column} on or after {start_column} ("
                + text[start_column]
                + "); found "
                + '"'
                + text[end_column]
                + '"'
            ),
        )
    return problems


def response_problems(events: pd.DataFrame, well_formed: pd.Series, file: str) -> list[Problem]:
    """``responds_to`` names another event that is not later than this one."""
    problems = []
    responds = events[well_formed & events["responds_to"].notna()]
    itself = responds["responds_to"] == responds["event_id"]
    problems += _problems_at(file, responds.index[itself], "responds_to", "an event cannot respond to itself")
    by_id = events.drop_duplicates("event_id").set_index("event_id")  # one lookup table for both columns
    trigger_start = responds["responds_to"].map(by_id["start"])
    later = (trigger_start > responds["last_day"]) & ~itself
    late = responds[later]
    trigger_dates = late["responds_to"].map(by_id["date"])
    problems += _problems_at(
        file,
        late.index,
        "responds_to",
        (
            "expected an event that is not later than this one ("
            + late["date"]
            + "); found "
            + '"'
            + late["responds_to"]
            + '", dated '
            + trigger_dates
        ),
    )
    return problems


def unmentioned_event_problems(events: TextTable, mentions: TextTable) -> list[Problem]:
    """Every event is stated by at least one source (a row of mentions.csv)."""
    ids = events.checkable["event_id"].dropna()
    unmentioned = ids[~ids.isin(mentions.frame["event_id"])]
    return _problems_at(
        events.file,
        unmentioned.index,
        "event_id",
        ("no source states event " + '"' + unmentioned + f'"; expected at least one row for it in {mentions.file}'),
    )


def _rows_given_exactly(pairs: pd.DataFrame, given: pd.DataFrame) -> np.ndarray:
    """The ``row`` of each of ``pairs`` (``row``, ``event_id``, ``date``) whose date some row of ``given``
    (``event_id``, ``date_given``) gives for the same event: one lookup of the mentions' events when the
    event ids are unique (as in a valid record), a join on both columns otherwise."""
    ids = pd.Index(pairs["event_id"])
    if not ids.is_unique:
        matched = pairs.merge(given, left_on=["event_id", "date"], right_on=["event_id", "date_given"], how="left")
        return matched.dropna(subset=["date_given"])["row"].unique()
    pair_of_mention = ids.get_indexer(given["event_id"])
    stated = pair_of_mention >= 0
    pair_of_mention = pair_of_mention[stated]
    same_date = given["date_given"].to_numpy()[stated] == pairs["date"].to_numpy()[pair_of_mention]
    return pairs["row"].to_numpy()[pair_of_mention[same_date]]


def date_basis_problems(
    events: TextTable, mentions: TextTable, starts: pd.Series | None = None
) -> list[Problem]:
    """An event's date agrees with what its mentions give, as its ``date_basis`` says.

    ``stated`` and ``section_period``: at least one mention gives exactly the event's date (so no event is
    dated more precisely than its most precise source). ``context``: no mention gives that date (if one
    did, the date would be stated). ``starts`` are the events' dates as parsed already (missing where the
    date is not a date); without it they are parsed here.
    """
    frame = events.checkable
    given = mentions.checkable[["event_id", "date_given"]].dropna()
    pairs = frame[["event_id", "date"]].dropna().reset_index(names="row")
    has_exact = pd.Series(frame.index.isin(_rows_given_exactly(pairs, given)), index=frame.index)
    basis = frame["date_basis"]
    # Dates that are not dates are reported elsewhere; this check looks only at real calendar dates.
    if starts is None:
        starts = parse_partial_dates(frame["date"], on_invalid="missing")["start"]
    dated = starts.reindex(frame.index).notna()  # ``frame`` leaves out the rows of the wrong length
    needs_source = basis.isin(["stated", "section_period"]) & dated & ~has_exact
    rows = frame.index[needs_source]
    # What the mentions do give, listed only for the events reported (a join per event is slow at 10^5).
    failing = given[given["event_id"].isin(frame.loc[rows, "event_id"])].drop_duplicates()
    listing = failing.sort_values("date_given").groupby("event_id")["date_given"].agg(", ".join)
    offered = frame.loc[rows, "event_id"].map(listing).astype("str").fillna("none")
    problems = _problems_at(
        events.file,
        rows,
        "date",
        (
            "date_basis is " + '"' + basis[rows] + '"' + ", so a mention in "
            + mentions.file
            + " should give this date as date_given; found "
            + '"' + frame.loc[rows, "date"] + '"'
            + ", mentions give: "
            + offered[rows]
        ),
    )
    contradicted = (basis == "context") & has_exact
    rows = frame.index[contradicted]
    problems += _problems_at(
        events.file,
        rows,
        "date_basis",
        'expected "stated": a mention in ' + mentions.file + " gives this date (" + frame.loc[rows, "date"] + ')',
    )
    return problems


def phase_problems(phases: pd.DataFrame, text: TextTable) -> list[Problem]:
    """Phases are in date order, contiguous and non-overlapping; only the last may have no end."""
    problems = []
    file = text.file
    last_row = text.frame.index[-1] if len(text.frame) else None
    open_ended = text.checkable.index[text.checkable["end"].isna()]
    problems += _problems_at(
        file,
        open_ended[open_ended != last_row],
        "end",
        "only the last phase may have an empty end; expected the phase's last day (YYYY-MM-DD)",
    )
    phases = phases[text.well_formed & phases["start"].notna()]
    if phases.empty:
        return problems
    previous = phases.shift(1)
    previous_row = pd.Series(phases.index, index=phases.index).shift(1)
    has_previous = previous_row.notna()
    expected_start = previous["end"] + pd.Timedelta(days=1)
    unsorted = has_previous & (phases["start"] <= previous["start"])
    comparable = has_previous & ~unsorted & previous["end"].notna()
    overlap = comparable & (phases["start"] < expected_start)
    gap = comparable & (phases["start"] > expected_start)
    for mask, wording in (
        (
            unsorted,
            "phases must be in date order: this phase starts {start}, not after the phase in row {row} "
            "(which starts {previous_start})",
        ),
        (overlap, "overlaps the phase in row {row}, which ends {previous_end}; expected start {expected}, "
         "the day after; found {start}"),
        (gap, "leaves a gap after the phase in row {row}, which ends {previous_end}; expected start {expected}, "
         "the day after; found {start}"),
    ):
        rows = phases.index[mask]
        # One message per problem (not per row of the table): the wording needs several dates.
        messages = [
            wording.format(
                start=_day_or_dash(phases.at[row, "start"]),
                row=int(previous_row[row]),
                previous_start=_day_or_dash(previous.at[row, "start"]),
                previous_end=_day_or_dash(previous.at[row, "end"]),
                expected=_day_or_dash(expected_start[row]),
            )
            for row in rows
        ]
        problems += _problems_at(file, rows, "start", messages)
    return problems


def phase_start_event_problems(
    phases: pd.DataFrame, phases_well_formed: pd.Series, events: pd.DataFrame, file: str
) -> list[Problem]:
    """A phase opened by an event starts on that event's start."""
    with_event = phases[phases_well_formed & phases["start_event_id"].notna() & phases["start"].notna()]
    event_start = with_event["start_event_id"].map(_events_by_id(events, with_event["start_event_id"])["start"])
    differs = event_start.notna() & (event_start != with_event["start"])
    rows = with_event.index[differs]
    return _problems_at(
        file,
        rows,
        "start",
        (
            "expected the start of its start event "
            + '"'
            + with_event.loc[rows, "start_event_id"]
            + '" ('
            + _day(event_start[differs])
            + "); found "
            + _day(with_event.loc[rows, "start"])
        ),
    )


def _events_by_id(events: pd.DataFrame, event_ids: pd.Series) -> pd.DataFrame:
    """The first row of each of ``event_ids`` in ``events``, indexed by event_id: the lookup table of all the
    events, cut to the few a small table names."""
    named = events[events["event_id"].isin(event_ids)]
    return named.drop_duplicates("event_id").set_index("event_id")


def unphased_event_problems(events: pd.DataFrame, well_formed: pd.Series, file: str, phases_file: str) -> list[Problem]:
    """Every event's start falls inside a phase."""
    outside = events[well_formed & events["start"].notna() & events["phase_id"].isna()]
    return _problems_at(
        file,
        outside.index,
        "date",
        (f"expected a date inside one of the phases of {phases_file}; found " + '"' + outside["date"] + '"'),
    )


def channel_problems(channels: TextTable, events: pd.DataFrame) -> list[Problem]:
    """A channel is not closed by an event that starts before the event that opened it."""
    frame = channels.checkable.dropna(subset=["opened_event_id", "closed_event_id"])
    by_id = _events_by_id(events, pd.concat([frame["opened_event_id"], frame["closed_event_id"]]))
    opened = frame["opened_event_id"].map(by_id["start"])
    closed = frame["closed_event_id"].map(by_id["last_day"])
    early = closed < opened
    rows = frame.index[early]
    return _problems_at(
        channels.file,
        rows,
        "closed_event_id",
        (
            "expected an event not before the opening event "
            + '"' + frame.loc[rows, "opened_event_id"] + '" ('
            + frame.loc[rows, "opened_event_id"].map(by_id["date"])
            + '); found "' + frame.loc[rows, "closed_event_id"] + '" ('
            + frame.loc[rows, "closed_event_id"].map(by_id["date"]) + ")"
        ),
    )


def indicator_value_problems(indicators: pd.DataFrame, text: TextTable) -> list[Problem]:
    """Indicator values are finite (not NaN or INF, which the number type admits) and not negative."""
    written = text.frame["value"]
    # Values that are not numbers at all are reported by the type check.
    numeric = text.well_formed & fullmatches(written, NUMBER_PATTERN, missing=False)
    values = indicators["value"]
    bad = numeric & ~(np.isfinite(values) & (values >= 0))
    rows = written.index[bad]
    return _problems_at(
        text.file,
        rows,
        "value",
        "expected a finite number of at least 0; found " + '"' + written[rows] + '"',
    )


def certainty_problems(events: TextTable, parsed: dict[tuple[str, str], pd.DataFrame]) -> list[Problem]:
    """The rules of certainty and attribution: only an ``established`` event is a turning point; an attribution
    names both who and when, not before the act; an ``unattributed`` act has no attribution."""
    frame = events.checkable
    file = events.file
    problems = []
    doubtful = frame[(frame["turning_point"] == "true") & frame["certainty"].notna()
                     & (frame["certainty"] != "established")]
    problems += _problems_at(
        file, doubtful.index, "turning_point",
        "only an established event may be a turning point; expected false for an event whose certainty is "
        + '"' + doubtful["certainty"] + '"',
    )
    who, when = frame["attributed_by"].notna(), frame["attribution_date"].notna()
    problems += _problems_at(file, frame.index[who & ~when], "attribution_date",
                             "expected the date on which attributed_by named the author; found an empty cell")
    problems += _problems_at(file, frame.index[when & ~who], "attributed_by",
                             "expected who named the author on attribution_date; found an empty cell")
    unnamed = frame[(frame["actor"] == "unattributed") & who]
    problems += _problems_at(
        file, unnamed.index, "attributed_by",
        "an unattributed act has no attribution: expected an empty cell, or the named author in actor; found "
        + '"' + unnamed["attributed_by"] + '"',
    )
    act = parsed[("events", "date")].loc[frame.index]
    named = parsed[("events", "attribution_date")].loc[frame.index]
    early = named["last_day"] < act["start"]
    rows = frame.index[early.to_numpy()]
    problems += _problems_at(
        file, rows, "attribution_date",
        "expected a date not before the act it attributes (" + frame.loc[rows, "date"] + "); found "
        + '"' + frame.loc[rows, "attribution_date"] + '"',
    )
    return problems


def publication_problems(
    mentions: TextTable, sources: TextTable, events: pd.DataFrame, parsed: dict[tuple[str, str], pd.DataFrame]
) -> list[Problem]:
    """A source cannot state an event that could only have happened after the source was published."""
    frame = mentions.checkable.dropna(subset=["event_id", "source_id"])
    published = parsed[("sources", "published")]["last_day"]
    published_by_id = pd.Series(published.to_numpy(), index=sources.frame["source_id"].to_numpy())
    published_by_id = published_by_id[~published_by_id.index.duplicated()]
    by_id = _events_by_id(events, frame["event_id"])
    source_last_day = frame["source_id"].map(published_by_id)
    event_first_day = frame["event_id"].map(by_id["start"])
    late = source_last_day < event_first_day
    rows = frame.index[late.fillna(False).to_numpy(dtype=bool)]
    return _problems_at(
        mentions.file, rows, "source_id",
        '"' + frame.loc[rows, "source_id"] + '" was published ('
        + frame.loc[rows, "source_id"].map(sources.frame.drop_duplicates("source_id").set_index("source_id")["published"])
        + ') before event "' + frame.loc[rows, "event_id"] + '" could have happened ('
        + frame.loc[rows, "event_id"].map(by_id["date"]) + "); expected a source published on or after the event",
    )


def record_problems(
    texts: dict[str, TextTable],
    tables: dict[str, pd.DataFrame],
    parsed: dict[tuple[str, str], pd.DataFrame],
    today: pd.Timestamp | None = None,
) -> list[Problem]:
    """Everything a schema cannot state; each check runs when the tables and columns it needs are there."""
    today = pd.Timestamp.today().normalize() if today is None else today

    def usable(name: str, *columns: str) -> bool:
        return name in texts and texts[name].has(*columns)

    problems = calendar_problems(texts, parsed)
    problems += date_range_problems(texts, parsed, today)
    problems += span_problems(texts, parsed)
    if usable("events", "event_id", "date", "responds_to"):
        problems += response_problems(tables["events"], texts["events"].well_formed, texts["events"].file)
    if usable("events", "event_id") and usable("mentions", "event_id"):
        problems += unmentioned_event_problems(texts["events"], texts["mentions"])
    if usable("events", "event_id", "date", "date_basis") and usable("mentions", "event_id", "date_given"):
        problems += date_basis_problems(texts["events"], texts["mentions"], parsed[("events", "date")]["start"])
    if usable("phases", "start", "end"):
        problems += phase_problems(tables["phases"], texts["phases"])
        if usable("phases", "start_event_id") and usable("events", "event_id", "date"):
            problems += phase_start_event_problems(
                tables["phases"], texts["phases"].well_formed, tables["events"], texts["phases"].file
            )
        if usable("events", "date"):
            problems += unphased_event_problems(
                tables["events"], texts["events"].well_formed, texts["events"].file, texts["phases"].file
            )
    if usable("channels", "opened_event_id", "closed_event_id") and usable("events", "event_id", "date", "end_date"):
        problems += channel_problems(texts["channels"], tables["events"])
    if usable("events", "turning_point", "certainty", "actor", "attributed_by", "attribution_date", "date"):
        problems += certainty_problems(texts["events"], parsed)
    if (usable("mentions", "event_id", "source_id") and usable("sources", "source_id", "published")
            and usable("events", "event_id", "date")):
        problems += publication_problems(texts["mentions"], texts["sources"], tables["events"], parsed)
    if usable("indicators", "value"):
        problems += indicator_value_problems(tables["indicators"], texts["indicators"])
    return problems
