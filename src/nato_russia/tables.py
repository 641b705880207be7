"""Tables of notebook 01 (the event table): the schema as a readable table, counts by group, the sources,
the dates the documents disagree on, and the helpers of the "add an event" demonstration.

Every function takes DataFrames from :func:`nato_russia.load` (or a data folder) and returns a new, sorted
DataFrame with plain column names; none modifies its input.
"""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from .analysis import (
    _DatedSpans,
    _event_rows,
    _single_source_positions,
    _single_source_rows,
    _sorted_order,
    _sources_per_event,
    _Statements,
    direction,
)
from .dates import DAY_PATTERN, PARTIAL_DATE_PATTERN
from .loading import resolve_data_dir
from .schema import DATAPACKAGE, FieldSpec, TableSpec, read_package

__all__ = [
    "append_csv_rows",
    "copy_record",
    "counts_by_direction",
    "date_conflicts",
    "field_rules",
    "mention_notes",
    "schema_fields",
    "source_summary",
    "without_folder",
]

DIRECTIONS = ["cooperation", "neutral", "confrontation"]


# --- the schema ---------------------------------------------------------------------------------------------


def field_rules(spec: FieldSpec, table: TableSpec) -> str:
    """What a field's value must be, in words: key, allowed values, date form, pattern, bounds, references."""
    rules = []
    if table.primary_key == (spec.name,):
        rules.append("unique id")
    elif spec.unique:
        rules.append("unique")
    constraints = spec.constraints
    if "enum" in constraints:
        rules.append("one of: " + ", ".join(constraints["enum"]))
    if spec.pattern == PARTIAL_DATE_PATTERN:
        rules.append("a date as YYYY, YYYY-MM or YYYY-MM-DD")
    elif spec.pattern == DAY_PATTERN:
        rules.append("a date as YYYY-MM-DD")
    elif spec.pattern:
        rules.append(f"matches {spec.pattern}")
    if spec.type == "boolean":
        rules.append(" or ".join(spec.true_values + spec.false_values))
    if "minimum" in constraints or "maximum" in constraints:
        rules.append(f"from {constraints.get('minimum', '…')} to {constraints.get('maximum', '…')}")
    if "maxLength" in constraints:
        rules.append(f"at most {constraints['maxLength']} characters")
    for key in table.foreign_keys:
        if key.fields == (spec.name,):
            rules.append(f"refers to {key.resource}.{key.reference_fields[0]}")
    return "; ".join(rules)


def schema_fields(table_name: str, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The fields of one table as datapackage.json defines them: ``field``, ``type``, ``required``
    (``yes``/``no``), ``rules`` (see :func:`field_rules`) and ``meaning`` (the description), in file order."""
    table = read_package(resolve_data_dir(data_dir) / DATAPACKAGE).table(table_name)
    return pd.DataFrame(
        {
            "field": [spec.name for spec in table.fields],
            "type": [spec.type for spec in table.fields],
            "required": ["yes" if spec.required or spec.name in table.primary_key else "no" for spec in table.fields],
            "rules": [field_rules(spec, table) for spec in table.fields],
            "meaning": [spec.description for spec in table.fields],
        }
    )


# --- counts -------------------------------------------------------------------------------------------------


def counts_by_direction(events: pd.DataFrame, by: str) -> pd.DataFrame:
    """How many events each value of column ``by`` has, in all and by direction of their score.

    Columns: ``events``, ``cooperation``, ``neutral``, ``confrontation``; index: the values of ``by``,
    most events first (ties in alphabetical order).
    """
    # One count per (value, direction) cell, by position: the cross-tabulation, without its cost. Rows come in
    # no particular order here; the sort below gives their order.
    value, values = pd.factorize(events[by])  # a missing value (-1) is not counted, as in a cross-tabulation
    towards = direction(events["score"]).cat.codes.to_numpy()  # positions in DIRECTIONS
    counted = value >= 0
    cells = np.bincount(value[counted] * len(DIRECTIONS) + towards[counted], minlength=len(values) * len(DIRECTIONS))
    table = pd.DataFrame(cells.reshape(len(values), len(DIRECTIONS)).astype("int64"),
                         index=pd.Index(values, name=by), columns=list(DIRECTIONS))
    table.insert(0, "events", table.sum(axis=1))
    table.columns.name = None
    order = sorted(table.index, key=lambda value: (-table.at[value, "events"], str(value)))
    return table.loc[order]


def source_summary(events: pd.DataFrame, mentions: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """One row per source: ``title`` (English), ``publisher``, ``language``, ``published``, ``events stated`` and
    ``only source for`` (events no other source states), in the order of ``sources``."""
    statements = _Statements.of(mentions)
    stated = pd.Series(statements.events_per_source(), index=statements.source_ids)
    found = _single_source_positions(events, statements)
    if found is None:
        alone = _single_source_rows(events, statements)["source_id"].value_counts()  # (counts need no order)
    else:  # one count per source of the events' rows, by position
        alone = pd.Series(np.bincount(found[1], minlength=len(statements.source_ids)), index=statements.source_ids)
    table = sources.set_index("source_id")[["title_en", "publisher", "language", "published"]].rename(columns={"title_en": "title"})
    table["events stated"] = stated.reindex(table.index, fill_value=0).astype("int64")
    table["only source for"] = alone.reindex(table.index, fill_value=0).astype("int64")
    return table.rename_axis("source")


# --- disagreements ------------------------------------------------------------------------------------------


def date_conflicts(mentions: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """The dates each source gives for the events whose sources' dates conflict (no day in common, see
    :func:`nato_russia.analysis.date_disagreements`): ``event``, ``source``, ``date as given``, ``coded as``
    (date_given, with date_given_end after a dash) and ``gap (days)``; sorted by event date, then source."""
    spans = _DatedSpans.of(mentions)  # what date_disagreements compares, per event, unsorted
    # Dated by two sources or more, with spans that conflict: the sources are counted for the candidates only.
    candidate = (spans.dated_mentions >= 2) & (spans.relation() == "conflict")
    sources, source, source_ids = spans.sources(mentions, candidate)
    in_conflict = candidate & (sources >= 2)
    gap_days = spans.gap_days()
    event_row = _event_rows(events, spans.event_ids, in_conflict)
    if event_row is None:  # an event id with several rows: the joins repeat its mentions
        conflicts = pd.DataFrame({"event_id": spans.event_ids[in_conflict], "gap_days": gap_days[in_conflict]})
        return _date_conflicts_joined(mentions, events, conflicts)
    mention_at, event_at = _mentions_of(in_conflict, spans.event, event_row)
    order = _event_date_order(events, event_at, source_ids, source[mention_at])
    mention_at, event_at = mention_at[order], event_at[order]
    used = ["source_id", "date_as_given", "date_given", "date_given_end"]
    chosen = mentions[used].iloc[mention_at].reset_index(drop=True)
    given, given_end = chosen["date_given"].astype("string"), chosen["date_given_end"].astype("string")
    return pd.DataFrame(
        {
            "event": events["title"].array.take(event_at),
            "source": chosen["source_id"],
            "date as given": chosen["date_as_given"],
            "coded as": given.fillna("—") + ("–" + given_end).fillna(""),
            "gap (days)": gap_days[spans.event[mention_at]],
        }
    )


def _date_conflicts_joined(mentions: pd.DataFrame, events: pd.DataFrame, conflicts: pd.DataFrame) -> pd.DataFrame:
    """:func:`date_conflicts` by joins on event_id (``conflicts``: ``event_id``, ``gap_days``), for repeated ids."""
    rows = mentions[mentions["event_id"].isin(conflicts["event_id"])].merge(conflicts, on="event_id")
    rows = rows.merge(_events_named(events, rows["event_id"])[["event_id", "title", "start"]], on="event_id")
    given, given_end = rows["date_given"].astype("string"), rows["date_given_end"].astype("string")
    coded = given.fillna("—") + ("–" + given_end).fillna("")
    table = pd.DataFrame(
        {
            "event": rows["title"],
            "source": rows["source_id"],
            "date as given": rows["date_as_given"],
            "coded as": coded,
            "gap (days)": rows["gap_days"],
            "_start": rows["start"],
        }
    )
    return table.sort_values(["_start", "event", "source"]).drop(columns="_start").reset_index(drop=True)


def mention_notes(mentions: pd.DataFrame, events: pd.DataFrame, min_sources: int = 3) -> pd.DataFrame:
    """What each source says of the events that at least ``min_sources`` sources state: ``event``,
    ``source``, ``date as given`` and ``note`` (empty where the mention has none); sorted by event date,
    then source."""
    event, event_ids = pd.factorize(mentions["event_id"])
    # Sources are counted only for the events with enough mentions (as many sources need as many mentions).
    candidate = np.bincount(event[event >= 0], minlength=len(event_ids)) >= min_sources
    sources, source, source_ids = _sources_per_event(event, len(event_ids), mentions["source_id"], candidate)
    event_chosen = candidate & (sources >= min_sources)
    event_row = _event_rows(events, event_ids, event_chosen)
    if event_row is None:  # an event id with several rows: the join repeats its mentions
        chosen = mentions[np.append(event_chosen, False)[event]]  # code -1, no event: not chosen
        rows = chosen.merge(_events_named(events, chosen["event_id"])[["event_id", "title", "start"]], on="event_id")
        table = pd.DataFrame(
            {
                "event": rows["title"],
                "source": rows["source_id"],
                "date as given": rows["date_as_given"],
                "note": rows["note"].fillna(""),
                "_start": rows["start"],
            }
        )
        return table.sort_values(["_start", "event", "source"]).drop(columns="_start").reset_index(drop=True)
    mention_at, event_at = _mentions_of(event_chosen, event, event_row)
    order = _event_date_order(events, event_at, source_ids, source[mention_at])
    mention_at, event_at = mention_at[order], event_at[order]
    chosen = mentions[["source_id", "date_as_given", "note"]].iloc[mention_at].reset_index(drop=True)
    return pd.DataFrame(
        {
            "event": events["title"].array.take(event_at),
            "source": chosen["source_id"],
            "date as given": chosen["date_as_given"],
            "note": chosen["note"].fillna(""),
        }
    )


def _mentions_of(chosen: np.ndarray, event: np.ndarray, event_row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The mentions of the ``chosen`` events (a flag per event code) whose event has a row, in their order, and
    that row: what an inner join of the mentions with the events on event_id keeps. ``event`` is each
    mention's event code (-1: none), ``event_row`` each code's row in the events (see ``_event_rows``)."""
    mention_at = np.flatnonzero(np.append(chosen, False)[event])  # code -1, no event: not chosen
    event_at = event_row[event[mention_at]]
    return mention_at[event_at >= 0], event_at[event_at >= 0]


def _event_date_order(
    events: pd.DataFrame, event_at: np.ndarray, source_ids: pd.Index, source: np.ndarray
) -> np.ndarray:
    """The order of rows that each have an event (its row in ``events``) and a source (its position in
    ``source_ids``, -1: none) by the event's ``start``, then its ``title``, then the source's id: what
    ``sort_values`` of those three columns gives (missing values last, ties in their order). Each distinct
    event's start and title and each source id is ranked once, then one stable sort of integers orders the rows."""
    event, rows = pd.factorize(event_at)  # the distinct events of the rows
    start = events["start"].to_numpy()[rows]
    title_code, titles = pd.factorize(events["title"].take(rows))
    title_rank, source_rank = _ranks(titles), _ranks(source_ids)
    if start.dtype.kind != "M" or title_rank is None or source_rank is None:  # leave the sort to pandas
        keys = pd.DataFrame({"start": events["start"].array.take(event_at),
                             "title": events["title"].array.take(event_at),
                             "source": source_ids.array.take(source, allow_fill=True)})
        return keys.sort_values(["start", "title", "source"]).index.to_numpy()
    start_key = np.where(np.isnat(start), np.iinfo("int64").max, start.view("int64"))  # NaT last
    return np.lexsort((source_rank[source], title_rank[title_code][event], start_key[event]))


def _ranks(distinct: pd.Index) -> np.ndarray | None:
    """The rank of each of ``distinct`` (distinct values) in sorted order, then one more for a missing value
    (code -1 picks it: missing values last); None if the values cannot be compared with one another."""
    ranked = _sorted_order(distinct)
    if ranked is None:
        return None
    rank = np.empty(len(distinct) + 1, dtype="int64")
    rank[ranked] = np.arange(len(distinct))
    rank[-1] = len(distinct)
    return rank


def _events_named(events: pd.DataFrame, event_ids: pd.Series) -> pd.DataFrame:
    """The rows of ``events`` whose event_id is among ``event_ids``: all a join on event_id can use."""
    return events[events["event_id"].isin(event_ids.unique())]


# --- adding an event, in a copy -----------------------------------------------------------------------------


def copy_record(destination: str | os.PathLike, data_dir: str | os.PathLike | None = None) -> Path:
    """Copy datapackage.json and every CSV file it lists into ``destination`` (created if needed)."""
    source, destination = resolve_data_dir(data_dir), Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    package = read_package(source / DATAPACKAGE)
    for name in [DATAPACKAGE, *(table.path for table in package.tables)]:
        shutil.copyfile(source / name, destination / name)
    return destination


def append_csv_rows(path: str | os.PathLike, rows: list[dict[str, str]]) -> int:
    """Append ``rows`` (column -> text; columns left out stay empty) to a CSV file in the order of its
    header, as a person would add lines; return the row number of the last one (header = row 1).

    A key that is not a column of the file raises ``ValueError`` naming it.
    """
    path = Path(path)
    with path.open(encoding="utf-8", newline="") as handle:
        existing = list(csv.reader(handle))
    header = existing[0]
    for row in rows:
        unknown = sorted(set(row) - set(header))
        if unknown:
            raise ValueError(f"{path.name} has no column {', '.join(unknown)}; its columns are {', '.join(header)}")
    ends_with_newline = path.read_bytes().endswith(b"\n")
    with path.open("a", encoding="utf-8", newline="") as handle:
        if not ends_with_newline:
            handle.write("\n")
        csv.DictWriter(handle, fieldnames=header, lineterminator="\n").writerows(rows)
    return len(existing) + len(rows)


def without_folder(text: str, folder: str | os.PathLike, replacement: str = "") -> str:
    """``text`` with every mention of ``folder`` (and the separator after it) replaced, so that a message
    about a temporary copy names files only."""
    folder = str(folder)
    return text.replace(folder + os.sep, replacement).replace(folder, replacement.rstrip("/") or ".")
