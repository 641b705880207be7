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

import matplotlib.pyplot as plt
import pandas as pd

from .analysis import date_disagreements, direction, indexed_events, single_source_events, yearly_index
from .dates import DAY_PATTERN, PARTIAL_DATE_PATTERN
from .loading import resolve_data_dir
from .plotting import (
    add_score_legend,
    draw_direction_bars,
    format_date_axis,
    shade_phases,
)
from .schema import DATAPACKAGE, FieldSpec, TableSpec, read_package

__all__ = [
    "append_csv_rows",
    "copy_record",
    "counts_by_direction",
    "date_conflicts",
    "field_rules",
    "mention_notes",
    "origin_summary",
    "plot_events_per_year_by_scope",
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
    table = pd.crosstab(events[by], direction(events["score"])).reindex(columns=DIRECTIONS, fill_value=0)
    table = table.astype("int64")
    table.insert(0, "events", table.sum(axis=1))
    table.columns.name = None
    order = sorted(table.index, key=lambda value: (-table.at[value, "events"], str(value)))
    return table.loc[order]


def source_summary(events: pd.DataFrame, mentions: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """One row per source: ``title`` (English), ``publisher``, ``language``, ``published``, ``events stated`` and
    ``only source for`` (events no other source states), in the order of ``sources``."""
    stated = mentions.groupby("source_id")["event_id"].nunique()
    alone = single_source_events(events, mentions)["source_id"].value_counts()
    table = sources.set_index("source_id")[["title_en", "publisher", "language", "published"]].rename(
        columns={"title_en": "title"})
    table["events stated"] = stated.reindex(table.index, fill_value=0).astype("int64")
    table["only source for"] = alone.reindex(table.index, fill_value=0).astype("int64")
    return table.rename_axis("source")


def origin_summary(mentions: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """One row per source ``origin`` (sources.csv: whose view a source carries), most events first (ties in
    alphabetical order): ``sources`` (how many), ``mentions``, ``events stated`` (by at least one source of that
    origin) and ``events no other origin states``."""
    origin = mentions["source_id"].map(sources.set_index("source_id")["origin"]).rename("origin")
    stated = mentions.assign(origin=origin)[["event_id", "origin"]].drop_duplicates()
    origins_per_event = stated.groupby("event_id")["origin"].transform("size")
    table = pd.DataFrame(
        {
            "sources": sources["origin"].value_counts(),
            "mentions": origin.value_counts(),
            "events stated": stated["origin"].value_counts(),
            "events no other origin states": stated.loc[origins_per_event == 1, "origin"].value_counts(),
        }
    ).fillna(0).astype("int64")
    order = sorted(table.index, key=lambda value: (-table.at[value, "events stated"], str(value)))
    return table.loc[order].rename_axis("origin")


# --- events per year, by scope ------------------------------------------------------------------------------


def plot_events_per_year_by_scope(events: pd.DataFrame, phases: pd.DataFrame, *, title: str | None = None,
                                  figsize: tuple[float, float] = (16, 9)):
    """Events per calendar year of their start in two panels on one date axis and one vertical scale: above,
    the scopes that count in the index (:func:`nato_russia.analysis.indexed_events`); below, the others
    (enlargement and context). Each bar is stacked by direction (cooperation, neutral, confrontation), over the
    phases. A last year the record covers only in part is labelled with its last day. Returns the figure and
    the two axes."""
    first, last = int(events["start"].dt.year.min()), int(events["last_day"].max().year)
    indexed = indexed_events(events)
    others = events[~events["event_id"].isin(indexed["event_id"])]
    counts = [yearly_index(part, first_year=first, last_year=last) for part in (indexed, others)]
    tops = [max(1, int(count["events"].max())) * 1.2 for count in counts]
    fig, axes = plt.subplots(2, 1, sharex=True, figsize=figsize, height_ratios=[tops[0], max(tops[1], 0.3 * tops[0])])
    left, right = pd.Timestamp(year=first, month=1, day=1), pd.Timestamp(year=last + 1, month=1, day=1)
    names = ["NATO-Russia and\nAllied-Russia\n(the index)", "enlargement\nand context"]
    for ax, count, top, name in zip(axes, counts, tops, names):
        draw_direction_bars(ax, count)
        ax.set_xlim(left, right)
        ax.set_ylim(0, top)
        ax.set_ylabel(name, fontsize=15)
        ax.yaxis.get_major_locator().set_params(integer=True)
    shade_phases(axes[0], phases, today=right)
    shade_phases(axes[1], phases, label=False, today=right)
    last_day = events["last_day"].max()
    if last_day < pd.Timestamp(year=last, month=12, day=31):  # the last bar counts part of a year
        total = int(counts[0].at[last, "events"])
        axes[0].text(pd.Timestamp(year=last, month=7, day=1), total + 0.5, f"{last}: to {last_day.day} {last_day:%b}",
                     ha="center", va="bottom", rotation=90, fontsize="small")
    format_date_axis(axes[1], maxticks=12)
    add_score_legend(axes[0], loc="upper left", bbox_to_anchor=(0.0, 0.72), ncols=1, framealpha=0.9, frameon=True)
    fig.supylabel("events that begin in the year", fontsize=16)
    fig.align_ylabels()
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return fig, axes


# --- disagreements ------------------------------------------------------------------------------------------


def date_conflicts(mentions: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """The dates each source gives for the events whose sources' dates conflict (no day in common, see
    :func:`nato_russia.analysis.date_disagreements`): ``event``, ``source``, ``date as given``, ``coded as``
    (date_given, with date_given_end after a dash) and ``gap (days)``; sorted by event date, then source."""
    conflicts = date_disagreements(mentions).query("relation == 'conflict'")
    rows = mentions.merge(conflicts[["event_id", "gap_days"]], on="event_id")
    rows = rows.merge(events[["event_id", "title", "start"]], on="event_id")
    given, given_end = rows["date_given"].astype("string"), rows["date_given_end"].astype("string")
    table = pd.DataFrame(
        {
            "event": rows["title"],
            "source": rows["source_id"],
            "date as given": rows["date_as_given"],
            "coded as": given.fillna("—") + ("–" + given_end).fillna(""),
            "gap (days)": rows["gap_days"],
            "_start": rows["start"],
        }
    )
    return table.sort_values(["_start", "event", "source"]).drop(columns="_start").reset_index(drop=True)


def mention_notes(mentions: pd.DataFrame, events: pd.DataFrame, min_sources: int = 3) -> pd.DataFrame:
    """What each source says of the events that at least ``min_sources`` sources state: ``event``,
    ``source``, ``date as given`` and ``note`` (empty where the mention has none); sorted by event date,
    then source."""
    counts = mentions.groupby("event_id")["source_id"].nunique()
    chosen = mentions[mentions["event_id"].isin(counts[counts >= min_sources].index)]
    rows = chosen.merge(events[["event_id", "title", "start"]], on="event_id")
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
