#!/usr/bin/env python
"""Benchmark the collection and the package; print tables, assert nothing (``make bench``).

1. **The collection's re-run against its floor.** Every notebook is executed as ``make`` executes it: the
   runner's API (:func:`nato_russia.execute.run`) with ``force=True`` and its default parallelism (2
   notebooks at a time), on a temporary copy of ``notebooks/``, ``figures/`` and ``data/`` (and of the
   project's matplotlib and IPython folders under ``.cache/``), so the working tree is not touched. The
   floor is the same number of notebooks run through the same runner, the same way (nbclient, the same
   kernel name, the same environment, the same parallelism), each holding one cell that imports pandas,
   matplotlib and matplotlib.pyplot and does nothing else: the least a notebook of this collection can
   cost. The floor is measured before and after the collection, in the same run, and averaged. The last
   line of the output is ``collection re-run: X s, floor: Y s, ratio: R``.

2. **The package at 10^3, 10^4 and 10^5 events.** :func:`generate_data` writes a complete data folder from
   the real one: every real row is kept (the phases, channels, indicators and notebooks name real events),
   and synthetic events are added up to the size asked for, each drawn from a real event (its kind, actor,
   date precision, date basis, place/area/channel, whether it has an end date, its sources) with a new
   date between 1990 and 2024, a ``responds_to`` to a recent earlier event as often as real events have
   one, and one mention per source of that real event, dated as its date basis requires. Indicators grow in
   proportion to the events. The small tables (sources, event kinds, phases, source periods, areas,
   channels, glossary) are the real ones. ``nato_russia.validate`` accepts the result.

   Every step (load, load with validation, and each analysis the notebooks use, with the data preparation
   behind each figure but not the drawing) runs in a fresh subprocess: its inputs are unpickled, the
   process's peak resident memory is reset (``/proc/self/clear_refs``), the step runs once for its memory
   (peak RSS of the process during the step, and how much of it the step added) and up to twice more for
   its time (the best run is shown); a step still running after ``--step-timeout`` seconds is stopped and
   shown as ``> N``. The row "load + validate + every analysis" runs the whole pipeline three times, each in
   one fresh process, from the CSV files to the last analysis, and shows the shortest wall time (the run least
   disturbed by the rest of the machine, as for the steps) and the highest peak RSS of the three (a
   lower bound ``> N`` instead when one of its steps ran out of time); the row after it runs the same
   pipeline without the label layout of the decade close-ups (``timeline.pack_rows``), whose time used to
   grow with the square of the number of events (issue #7; it now grows as n log n).

Run ``python scripts/benchmark.py --help`` for the options (sizes, skipping a part, profiling one step).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pickle
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SIZES = (1_000, 10_000, 100_000)
FLOOR_CELL = "import pandas\nimport matplotlib\nimport matplotlib.pyplot"

# Targets of the issue, reported against (never asserted).
TARGET_RATIO = 1.5
TARGET_SECONDS = 3.0
TARGET_BYTES = 2**30

FIRST_DAY = np.datetime64("1990-01-01")  # the first phase starts 1989-12-19: a year-dated 1990 event is in it
LAST_DAY = np.datetime64("2024-12-31")  # fixed, so the data do not depend on the day the benchmark runs
SPAN_DAYS = int((LAST_DAY - FIRST_DAY).astype(int))
RECENT_TRIGGERS = 50  # a response answers one of the 50 events before it in date order
_MONTHS = "January February March April May June July August September October November December".split()


# =============================================================================================== the data


def _read_text(path: Path) -> pd.DataFrame:
    """A CSV file as text: every cell a string, empty cells ``""``."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")


def _write_text(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def _iso(days: np.ndarray, precision: np.ndarray) -> np.ndarray:
    """Days (datetime64[D]) written at their precision: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    full = np.datetime_as_string(days, unit="D")
    return np.where(precision == "year", full.astype("U4"),
                    np.where(precision == "month", full.astype("U7"), full)).astype(object)


def _precision_of(text: pd.Series) -> np.ndarray:
    return text.str.len().map({4: "year", 7: "month", 10: "day"}).to_numpy(dtype=object)


def _as_given(text: str) -> str:
    """A machine date as a source would write it: ``27 May 1997``, ``May 1997``, ``1997``."""
    if len(text) == 10:
        return f"{int(text[8:])} {_MONTHS[int(text[5:7]) - 1]} {text[:4]}"
    if len(text) == 7:
        return f"{_MONTHS[int(text[5:7]) - 1]} {text[:4]}"
    return text


def generate_data(destination: str | os.PathLike, events: int, *, seed: int = 0,
                  data_dir: str | os.PathLike | None = None) -> Path:
    """Write a valid data folder with ``events`` events (the real ones and synthetic ones) to ``destination``.

    See the module docstring for how the synthetic rows are drawn. ``events`` must be at least the number of
    real events. Returns ``destination``.
    """
    from nato_russia.loading import resolve_data_dir
    from nato_russia.schema import DATAPACKAGE, read_package

    source = resolve_data_dir(data_dir)
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    package = read_package(source / DATAPACKAGE)
    for name in [DATAPACKAGE, *(table.path for table in package.tables)]:
        shutil.copyfile(source / name, destination / name)
    real = _read_text(source / "events.csv")
    mentions = _read_text(source / "mentions.csv")
    indicators = _read_text(source / "indicators.csv")
    if events < len(real):
        raise ValueError(f"events must be at least {len(real)} (the real events); got {events}")
    rng = np.random.default_rng(seed)
    added = events - len(real)

    # --- events: each drawn from a real one, with a new date ---
    template = real.iloc[rng.integers(0, len(real), added)].reset_index(drop=True)
    basis = template["date_basis"].to_numpy(dtype=object)
    precision = _precision_of(template["date"])
    precision[basis == "section_period"] = "year"  # a heading range is a range of years
    day = FIRST_DAY + rng.integers(0, SPAN_DAYS + 1, added).astype("timedelta64[D]")
    date = _iso(day, precision)
    has_end = (template["end_date"] != "").to_numpy()
    end_text = np.full(added, "", dtype=object)
    section = has_end & (basis == "section_period")
    years = day.astype("datetime64[Y]").astype(int) + 1970
    end_years = np.minimum(years + rng.integers(1, 7, added), int(str(LAST_DAY)[:4]))
    end_text[section] = end_years[section].astype(str)
    period = has_end & ~section
    end_day = np.minimum(day + rng.integers(30, 3000, added).astype("timedelta64[D]"), LAST_DAY)
    end_precision = np.array(["day"] * added, dtype=object)
    end_precision[period] = _precision_of(template.loc[period, "end_date"])
    end_text[period] = _iso(end_day[period], end_precision[period])
    number = np.arange(1, added + 1)
    ids = np.char.add(np.char.add(date.astype(str), "-synthetic-"), number.astype(str)).astype(object)
    synthetic = pd.DataFrame(
        {
            "event_id": ids,
            "date": date,
            "end_date": end_text,
            "date_basis": basis,
            "title": [f"{title[:100]} (synthetic {k})" for title, k in zip(template["title"], number)],
            "summary": template["summary"].to_numpy(),
            "kind": template["kind"].to_numpy(),
            "actor": template["actor"].to_numpy(),
            "place": template["place"].to_numpy(),
            "cooperation_area": template["cooperation_area"].to_numpy(),
            "channel": template["channel"].to_numpy(),
            "responds_to": "",
            "turning_point": "false",  # the few breaks of the record do not multiply with its size
        }
    )
    # responds_to: as often as real events answer one, a recent earlier event (in order of first day)
    everything = pd.concat([real, synthetic], ignore_index=True)
    first_day = pd.to_datetime(everything["date"], format="ISO8601")
    order = np.lexsort((everything["event_id"].to_numpy(dtype=str), first_day.to_numpy()))
    everything = everything.iloc[order].reset_index(drop=True)
    is_synthetic = everything["event_id"].str.contains("-synthetic-", regex=False).to_numpy()
    share = (real["responds_to"] != "").mean()
    position = np.arange(len(everything))
    answers = is_synthetic & (position > 0) & (rng.random(len(everything)) < share)
    back = rng.integers(1, RECENT_TRIGGERS + 1, len(everything))
    trigger = np.clip(position - np.minimum(back, position), 0, None)
    responds = everything["responds_to"].to_numpy(dtype=object)
    responds[answers] = everything["event_id"].to_numpy(dtype=object)[trigger[answers]]
    everything["responds_to"] = responds
    _write_text(everything, destination / "events.csv")

    # --- mentions: one per source of the real event each synthetic one was drawn from ---
    sources_of = mentions.groupby("event_id")["source_id"].agg(list)
    locators = mentions.groupby("source_id")["locator"].agg(list)
    notes = mentions.loc[mentions["note"] != "", "note"].tolist()
    note_share = (mentions["note"] != "").mean()
    undated_share = (mentions["date_given"] == "").mean()
    rows = []
    for event_id, event_date, end, event_basis, template_id in zip(
        ids, date, end_text, basis, template["event_id"]
    ):
        for rank, source_id in enumerate(sources_of[template_id]):
            given, given_end = "", ""
            if event_basis == "context":
                as_given = "undated - dated by the episode the sentence describes"
            elif event_basis == "section_period" and rank == 0:
                given, given_end = event_date, end
                as_given = f"undated - under the {event_date}-{end or event_date} heading"
            elif rank == 0:
                given, given_end = event_date, end
                as_given = _as_given(event_date)
            else:
                draw = rng.random()
                if draw < undated_share:
                    as_given = "undated"
                elif draw < 0.45:
                    given = event_date
                elif draw < 0.9 and len(event_date) > 4:
                    given = event_date[: 4 if len(event_date) == 7 else 7]  # only vaguer
                else:
                    year = int(event_date[:4])
                    given = str(year + 1 if year < 2024 else year - 1)  # a conflicting date
                as_given = _as_given(given) if given else "undated"
            rows.append(
                (
                    event_id,
                    source_id,
                    locators[source_id][int(rng.integers(0, len(locators[source_id])))],
                    as_given,
                    given,
                    given_end,
                    notes[int(rng.integers(0, len(notes)))] if rng.random() < note_share else "",
                )
            )
    mentions_out = pd.concat([mentions, pd.DataFrame(rows, columns=mentions.columns)], ignore_index=True)
    _write_text(mentions_out, destination / "mentions.csv")

    # --- indicators: in proportion to the events, attached to synthetic events as the real ones are ---
    extra = int(round(len(indicators) * added / len(real)))
    if extra:
        template = indicators.iloc[rng.integers(0, len(indicators), extra)].reset_index(drop=True)
        attached = (template["event_id"] != "").to_numpy()
        pick = rng.integers(0, added, extra) if added else np.zeros(extra, dtype=int)
        event_ids = np.where(attached, ids[pick] if added else "", "").astype(object)
        free_precision = _precision_of(template["date"])
        free_day = FIRST_DAY + rng.integers(0, SPAN_DAYS + 1, extra).astype("timedelta64[D]")
        dates = np.where(attached, date[pick] if added else "", _iso(free_day, free_precision)).astype(object)
        ends = np.where(
            (template["end_date"] != "").to_numpy(),
            np.minimum(pd.Series(dates).str.slice(0, 4).astype(int) + 1, int(str(LAST_DAY)[:4])).astype(str),
            "",
        ).astype(object)
        values = pd.to_numeric(template["value"]).to_numpy() * rng.uniform(0.5, 2.0, extra)
        synthetic_indicators = pd.DataFrame(
            {
                "indicator_id": [f"synthetic_{k}" for k in range(1, extra + 1)],
                "series": template["series"].to_numpy(),
                "date": dates,
                "end_date": ends,
                "value": [f"{value:.0f}" if value >= 10 else f"{value:.2f}" for value in values],
                "qualifier": template["qualifier"].to_numpy(),
                "unit": template["unit"].to_numpy(),
                "description": template["description"].to_numpy(),
                "event_id": event_ids,
                "source_id": template["source_id"].to_numpy(),
            }
        )
        indicators = pd.concat([indicators, synthetic_indicators], ignore_index=True)
    _write_text(indicators, destination / "indicators.csv")
    return destination


# ============================================================================================== the steps


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[dict], object]
    keep: str | None = None  # where the pipeline stores the result for later steps
    in_pipeline: bool = True


def _events(ctx):
    return ctx["record"].events


def _decades(events: pd.DataFrame) -> list[tuple[int, int | None]]:
    """The close-ups of notebook 02: three decades, then 2020-2022, 2023-2024, 2025, and 2026 to the end of the record."""
    return [(1989, 1999), (2000, 2009), (2010, 2019), (2020, 2022), (2023, 2024), (2025, 2025), (2026, None)]


def _timeline_layout(ctx):
    """What plot_timeline computes before drawing: the events on the axis and their lanes."""
    from nato_russia.timeline import _events_in, lane_offsets, record_window

    events = _events(ctx)
    left, right = record_window(events)
    shown = _events_in(events, left, right)
    figsize, marker_size = (16, 9), 110
    days_per_inch = (right - left).days / (0.85 * figsize[0])
    marker_inches = 2 * np.sqrt(marker_size / np.pi) / 72
    min_gap = pd.Timedelta(days=float(np.ceil(1.2 * marker_inches * days_per_inch)))
    return lane_offsets(shown["x"], shown["last_day"], shown["score"], min_gap=min_gap, step=0.3)


def _close_up_layout(ctx):
    """What plot_close_up computes for the seven close-ups of notebook 02: the events of each window, their label
    texts, and the label rows (pack_rows). Label widths are estimated from their length (9 px a character at
    100 dpi on an axes 0.85 x 16 in wide) instead of measured on a drawn figure."""
    from nato_russia.timeline import _events_in, pack_rows, record_window, short_label

    events = _events(ctx)
    layouts = []
    for first_year, last_year in _decades(events):
        left, right = record_window(events, first_year, last_year)
        shown = _events_in(events, left, right)
        margin = (right - left) * 0.015
        pixels = 0.85 * 16 * 100
        days_per_pixel = ((right + margin) - (left - margin)).days / pixels
        gap = (np.sqrt(70) * 100 / 72 / 2 + 5) * days_per_pixel
        texts = [short_label(title, width=None) for title in shown["title"].tolist()]  # as plot_close_up
        widths = pd.Series([9 * len(text) * days_per_pixel for text in texts], index=shown.index)
        origin = left - margin
        starts = (shown["x"] - origin).dt.days.astype("float64")
        ends = (shown["last_day"] + pd.Timedelta(days=1) - origin).dt.days.astype("float64")
        sides = pd.Series(np.where(shown["score"] >= 0, 1, -1), index=shown.index)
        layouts.append(pack_rows(starts, ends, widths, sides, right_edge=pixels * days_per_pixel - gap, gap=gap))
    return layouts


def _escalation_timeline_data(ctx):
    from nato_russia.dates import period_end
    from nato_russia.escalation import date_span_middle
    from nato_russia.plotting import score_colours

    events = _events(ctx)
    chapter = events[events["escalation"] | events["turning_point"]].sort_values(["start", "event_id"])
    last_day = period_end(chapter["start"], chapter["precision"])
    return date_span_middle(chapter["start"], last_day), score_colours(chapter["score"])


def _area_markers(ctx):
    """draw_event_markers' data for the Gantt chart of notebook 04: spans, middles, colours, stacking."""
    from nato_russia.cooperation import stack_offsets
    from nato_russia.dates import period_end
    from nato_russia.escalation import date_span_middle
    from nato_russia.plotting import score_colours

    record = ctx["record"]
    rows = pd.Series(np.arange(len(record.cooperation_areas)), index=record.cooperation_areas["area_id"].to_numpy())
    events = record.events[record.events["cooperation_area"].isin(rows.index)]
    y = events["cooperation_area"].map(rows).astype("float64")
    middle = date_span_middle(events["start"], period_end(events["start"], events["precision"]))
    colours = score_colours(events["score"])
    return y + stack_offsets(y, middle), colours


def _swimlane_markers(ctx):
    from nato_russia.channels import channel_rows, markers_beside_closures

    events = _events(ctx)
    lifetimes = ctx["lifetimes"]
    order = channel_rows(lifetimes)
    rows = pd.Series(range(len(order)), index=order, dtype="float64")
    return markers_beside_closures(lifetimes, events[events["channel"].isin(rows.index)], rows)


def _coverage_layout(ctx):
    """plot_coverage's data: the events in the coverage matrix's order, their phase runs and year ticks (the
    cells themselves are drawn one patch each, which is plotting)."""
    from nato_russia.framing import _runs, _year_ticks

    by_id = _events(ctx).set_index("event_id").loc[ctx["coverage"].index]
    return _runs(by_id["phase_id"].astype("object").to_numpy()), _year_ticks(by_id["start"].dt.year.to_numpy())


def _headings(ctx):
    from nato_russia import phases

    record = ctx["record"]
    periods = record.source_periods
    return (
        phases.heading_years(periods),
        phases.heading_order(periods),
        phases.overlapping_headings(periods),
        phases.uncovered_years(periods, record.sources, first_year=1989),
        phases.phase_starts_in_headings(record.phases, periods),
        phases.heading_lanes(periods),
    )


def _areas_alone(ctx):
    from nato_russia import cooperation

    areas = ctx["record"].cooperation_areas
    council_start = pd.Timestamp("2002-05-28")
    return (
        cooperation.area_durations(areas),
        cooperation.date_as_given(areas["start"], areas["start_precision"]),
        cooperation.began_before(areas["start"], areas["start_precision"], council_start),
        cooperation.started_after(areas, pd.Timestamp("2009-04-04")),
    )


def _scorings(ctx):
    from nato_russia import analysis

    record = ctx["record"]
    events = record.events
    return {
        "codebook": events,
        "sign only": analysis.rescore(events, analysis.sign_scores(record.event_kinds)),
        "deeds only": analysis.without_statements(events),
    }


def _yearly_by_scoring(ctx):
    from nato_russia import analysis

    yearly = ctx["yearly"]
    first, last = int(yearly.index.min()), int(yearly.index.max())
    return {name: analysis.yearly_index(scored, first_year=first, last_year=last)
            for name, scored in ctx["scorings"].items()}


def _sign_changes_and_correlations(ctx):
    from nato_russia import phases

    means = pd.DataFrame({name: index["score_mean"] for name, index in ctx["yearly_by_scoring"].items()})
    return phases.sign_changes(means, reference="codebook"), phases.rank_correlations(means)


def _mention_tables(ctx):
    from nato_russia import framing

    record = ctx["record"]
    source_ids = framing.source_order(record.sources)
    labels = framing.source_labels(record.sources)
    tables = [framing.mention_table(record.events, record.mentions, event_ids, source_ids, labels)
              for event_ids in framing.KNOWN_DISAGREEMENTS.values()]
    tables.append(framing.mention_table(record.events, record.mentions, framing.FRAMING_EVENTS,
                                        framing.NATO_SOURCES, labels))
    return tables


def _side_by_side(ctx):
    from nato_russia import framing

    record = ctx["record"]
    source_ids = framing.source_order(record.sources)
    coverage = ctx["coverage"]
    well_attested = coverage.index[coverage.sum(axis=1) >= 3]
    return (framing.side_by_side(record.mentions, ctx["disagreements"]["event_id"], "date_as_given", source_ids),
            framing.side_by_side(record.mentions, well_attested, "note", source_ids))


def _framing_profiles(ctx):
    from nato_russia import framing

    record = ctx["record"]
    labels = framing.source_labels(record.sources)
    profile = framing.framing_profile(record.events, record.mentions, framing.NATO_SOURCES, since_year=2014)
    return profile, framing.profile_table(profile, labels, since_year=2014)


def _open_at(ctx):
    from nato_russia import channels

    lifetimes = ctx["lifetimes"]
    last = lifetimes.dropna(subset=["closed_last_day"]).sort_values("closed_last_day").iloc[-1]
    return channels.open_at(lifetimes, last["closed_last_day"] + pd.Timedelta(days=1))


def _lag_between_events(ctx):
    from nato_russia import analysis

    events = _events(ctx).sort_values(["start", "event_id"]).reset_index(drop=True)
    return analysis.lag(events["start"].shift(), events["precision"].shift(), events["start"], events["precision"])


def _chain_table(ctx):
    from nato_russia import escalation

    return escalation.chain_table(ctx["chains"], _events(ctx), ctx["pairs"])


def _copy_record(ctx):
    from nato_russia.tables import copy_record

    with tempfile.TemporaryDirectory(prefix="nato-russia-bench-copy-") as folder:
        copy_record(Path(folder) / "data", ctx["folder"])


def _load(validate: bool):
    def run(ctx):
        from nato_russia import load

        return load(ctx["folder"], validate=validate)

    return run


def steps() -> list[Step]:
    """Every step, in pipeline order (a step may use what an earlier one kept)."""
    from nato_russia import analysis, channels, cooperation, escalation, framing, phases, tables
    from nato_russia.timeline import first_possible_day, record_window

    def ev(ctx):
        return ctx["record"].events

    def me(ctx):
        return ctx["record"].mentions

    def rec(ctx):
        return ctx["record"]

    return [
        Step("load (read, convert, derive; validate=False)", _load(False), in_pipeline=False),
        Step("load + validate (what load() does)", _load(True), keep="record"),
        # --- analysis (every notebook)
        Step("analysis.direction", lambda c: analysis.direction(ev(c)["score"])),
        Step("analysis.yearly_index", lambda c: analysis.yearly_index(ev(c)), keep="yearly"),
        Step("analysis.sign_scores + rescore + without_statements", _scorings, keep="scorings"),
        Step("analysis.coverage_matrix", lambda c: analysis.coverage_matrix(ev(c), me(c), rec(c).sources),
             keep="coverage"),
        Step("analysis.single_source_events", lambda c: analysis.single_source_events(ev(c), me(c)),
             keep="singles"),
        Step("analysis.mention_dates", lambda c: analysis.mention_dates(me(c))),
        Step("analysis.date_disagreements", lambda c: analysis.date_disagreements(me(c)), keep="disagreements"),
        Step("analysis.lag (each event after the one before)", _lag_between_events),
        Step("analysis.response_pairs", lambda c: analysis.response_pairs(ev(c)), keep="pairs"),
        # --- 01 the event table
        Step("tables.schema_fields", lambda c: tables.schema_fields("events", c["folder"])),
        Step("tables.counts_by_direction (actor; single sources)",
             lambda c: (tables.counts_by_direction(ev(c), "actor"),
                        tables.counts_by_direction(c["singles"], "source_id"))),
        Step("tables.source_summary", lambda c: tables.source_summary(ev(c), me(c), rec(c).sources)),
        Step("tables.date_conflicts", lambda c: tables.date_conflicts(me(c), ev(c))),
        Step("tables.mention_notes", lambda c: tables.mention_notes(me(c), ev(c), min_sources=3)),
        Step("tables.copy_record (the add-an-event demo)", _copy_record),
        # --- 02 the timeline
        Step("timeline.first_possible_day + record_window",
             lambda c: (first_possible_day(ev(c)), record_window(ev(c)))),
        Step("timeline: plot_timeline data (_events_in, lane_offsets)", _timeline_layout),
        Step("timeline: plot_close_up data x7 (labels, pack_rows)", _close_up_layout),
        # --- 03 phases
        Step("phases.record_last_day + phase_periods",
             lambda c: phases.phase_periods(rec(c).phases, phases.record_last_day(ev(c))), keep="periods"),
        Step("phases.phase_profile",
             lambda c: phases.phase_profile(ev(c), rec(c).phases, phases.record_last_day(ev(c))), keep="profile"),
        Step("phases.years_against_their_phase", lambda c: phases.years_against_their_phase(c["yearly"], c["profile"])),
        Step("analysis.yearly_index x3 scorings (03)", _yearly_by_scoring, keep="yearly_by_scoring"),
        Step("phases.sign_changes + rank_correlations", _sign_changes_and_correlations),
        Step("phases.straddling_events", lambda c: phases.straddling_events(ev(c), rec(c).phases)),
        Step("phases.reassign_uncertain (middle, end)",
             lambda c: [phases.reassign_uncertain(ev(c), rec(c).phases, at) for at in ("middle", "end")]),
        Step("phases.responses_dated_before_trigger", lambda c: phases.responses_dated_before_trigger(ev(c), rec(c).phases)),
        Step("phases: the sources' headings (6 functions)", _headings),
        # --- 04 cooperation areas
        Step("cooperation: the areas (durations, dates, before/after)", _areas_alone),
        Step("cooperation.events_per_area", lambda c: cooperation.events_per_area(ev(c), rec(c).cooperation_areas)),
        Step("cooperation.suspension_periods (nrc)", lambda c: cooperation.suspension_periods(ev(c), "nrc")),
        Step("cooperation.suspension_periods (all)", lambda c: cooperation.suspension_periods(ev(c)),
             keep="pauses"),
        Step("cooperation.area_quantities",
             lambda c: cooperation.area_quantities(rec(c).indicators, ev(c), rec(c).cooperation_areas),
             keep="quantities"),
        Step("cooperation.quantity_rows (plot_quantities data)", lambda c: cooperation.quantity_rows(c["quantities"])),
        Step("cooperation: plot_area_gantt marker data", _area_markers),
        # --- 05 escalation
        Step("escalation: escalation timeline data", _escalation_timeline_data),
        Step("escalation.response_chains", lambda c: escalation.response_chains(ev(c)), keep="chains"),
        Step("escalation.crisis_of_chains", lambda c: escalation.crisis_of_chains(c["chains"])),
        Step("escalation.chain_table (every chain)", _chain_table),
        Step("escalation.recoveries", lambda c: escalation.recoveries(ev(c), c["pairs"])),
        Step("escalation.resumptions_after",
             lambda c: escalation.resumptions_after(ev(c), "2014-04-01-practical-cooperation-suspended")),
        Step("escalation.actor_side (events; pairs' sides)",
             lambda c: (escalation.actor_side(ev(c)["actor"]),
                        escalation.actor_side(c["pairs"]["trigger_id"].map(ev(c).set_index("event_id")["actor"])),
                        escalation.actor_side(c["pairs"]["response_id"].map(ev(c).set_index("event_id")["actor"])))),
        Step("escalation.ladder + kinds_not_on_ladder",
             lambda c: (escalation.ladder(ev(c)), escalation.kinds_not_on_ladder(rec(c).event_kinds))),
        Step("escalation.indicator_steps (mission_staff_cap)",
             lambda c: escalation.indicator_steps(rec(c).indicators, "mission_staff_cap"), keep="cap_steps"),
        # --- 06 channels
        Step("channels.channel_lifetimes", lambda c: channels.channel_lifetimes(rec(c).channels, ev(c)),
             keep="lifetimes"),
        Step("channels.open_at", _open_at),
        Step("channels.cap_changes", lambda c: channels.cap_changes(c["cap_steps"])),
        Step("channels: swimlane data (channel_rows, markers_beside_closures)", _swimlane_markers),
        # --- 07 sources and framing
        Step("framing.source_order + source_labels",
             lambda c: (framing.source_order(rec(c).sources), framing.source_labels(rec(c).sources))),
        Step("framing: plot_coverage data (runs, year ticks)", _coverage_layout),
        Step("framing.backgrounder_changes", lambda c: framing.backgrounder_changes(me(c))),
        Step("framing.side_by_side (dates; notes)", _side_by_side),
        Step("framing.mention_table x6", _mention_tables),
        Step("framing.precision_counts",
             lambda c: framing.precision_counts(me(c), framing.source_order(rec(c).sources))),
        Step("framing.multi_year_datings",
             lambda c: framing.multi_year_datings(me(c), framing.source_order(rec(c).sources))),
        Step("framing.reported_events (NATO sources)",
             lambda c: framing.reported_events(ev(c), me(c), framing.NATO_SOURCES)),
        Step("framing.framing_profile + profile_table", _framing_profiles),
        Step("framing.side_direction_counts",
             lambda c: framing.side_direction_counts(ev(c), me(c), framing.source_order(rec(c).sources))),
        Step("framing.response_shares", lambda c: framing.response_shares(ev(c))),
    ]


# ============================================================================================ the workers


def _peak_rss() -> int:
    """The process's peak resident set size since start or since the last :func:`_reset_peak`, in bytes."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _current_rss() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _reset_peak() -> bool:
    """Reset the peak RSS to the current RSS (Linux); False where that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def _worker_prepare(size_dir: Path) -> None:
    """Run the steps whose results later steps take (untimed) and pickle those results."""
    ctx = {"folder": size_dir / "data"}
    for step in steps():
        if step.in_pipeline and step.keep:
            ctx[step.keep] = step.run(ctx)
    ctx.pop("folder")
    with open(size_dir / "inputs.pickle", "wb") as handle:
        pickle.dump(ctx, handle, protocol=pickle.HIGHEST_PROTOCOL)


def _worker_step(size_dir: Path, name: str, max_runs: int = 3, budget: float = 3.0) -> dict:
    step = {step.name: step for step in steps()}[name]
    ctx = {"folder": size_dir / "data"}
    if not name.startswith("load"):
        with open(size_dir / "inputs.pickle", "rb") as handle:
            ctx |= pickle.load(handle)
    gc.collect()
    baseline = _current_rss()
    exact = _reset_peak()
    started = time.perf_counter()
    result = step.run(ctx)
    times = [time.perf_counter() - started]
    peak = _peak_rss()
    del result
    while len(times) < max_runs and sum(times) < budget:
        gc.collect()
        started = time.perf_counter()
        step.run(ctx)
        times.append(time.perf_counter() - started)
    return {"seconds": min(times), "first": times[0], "runs": len(times), "peak": peak,
            "added": max(peak - baseline, 0), "exact": exact}


def _worker_pipeline(size_dir: Path, left_out: list[str]) -> dict:
    """load + validate + every analysis (but those named in ``left_out``), once, from the CSV files, in this
    fresh process."""
    ctx = {"folder": size_dir / "data"}
    pipeline = [step for step in steps() if step.in_pipeline and step.name not in left_out]  # imports the package
    started = time.perf_counter()
    kept = []
    for step in pipeline:
        result = step.run(ctx)
        kept.append(result)  # a notebook keeps its results
        if step.keep:
            ctx[step.keep] = result
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak": _peak_rss()}


def _worker_profile(size_dir: Path, name: str, top: int) -> None:
    step = {step.name: step for step in steps()}[name]
    ctx = {"folder": size_dir / "data"}
    if not name.startswith("load"):
        with open(size_dir / "inputs.pickle", "rb") as handle:
            ctx |= pickle.load(handle)
    profile = cProfile.Profile()
    profile.runcall(step.run, ctx)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(top)
    print(out.getvalue())


def _spawn(*arguments: str, timeout: float | None = None) -> dict | None:
    """Run a worker in a fresh process; its result, ``{"timeout": seconds}`` if it ran out of time, or None if
    it failed (the error is printed)."""
    environment = dict(os.environ, MPLBACKEND="Agg")
    try:
        completed = subprocess.run([sys.executable, __file__, "--worker", *arguments], capture_output=True,
                                   text=True, env=environment, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    if completed.returncode != 0:
        print(f"  worker {' '.join(arguments)} failed:\n{textwrap.indent(completed.stderr.strip(), '    ')}",
              flush=True)
        return None
    lines = completed.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {}


# ========================================================================================= part 1: notebooks


def _floor_notebook(path: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(FLOOR_CELL)]
    nbformat.write(nb, path)


def collection_against_floor() -> tuple[float, float, list]:
    """Re-run every notebook as ``make`` does, in a temporary copy, and the floor; return (collection seconds,
    floor seconds, per-notebook results)."""
    from nato_russia import execute

    with tempfile.TemporaryDirectory(prefix="nato-russia-bench-") as temporary:
        root = Path(temporary) / "repository"
        for name in ("notebooks", "figures", "data"):
            shutil.copytree(ROOT / name, root / name)
        for name in ("pyproject.toml",):
            shutil.copyfile(ROOT / name, root / name)
        for name in ("matplotlib", "ipython"):  # the caches `make` finds warm
            if (ROOT / ".cache" / name).is_dir():
                shutil.copytree(ROOT / ".cache" / name, root / ".cache" / name)
        notebooks = execute.notebook_paths(root)
        floor_dir = root / "floor"
        floor_dir.mkdir()
        floors = []
        for notebook in notebooks:
            floors.append(floor_dir / notebook.name.replace(".ipynb", "_floor.ipynb"))
            _floor_notebook(floors[-1])

        def quiet(result):
            if result.status == "failed":
                print(f"  FAILED {result.notebook.name}:\n{textwrap.indent(result.message, '    ')}", flush=True)

        def timed(paths):
            started = time.perf_counter()
            results = execute.run(paths, root=root, force=True, jobs=execute.DEFAULT_JOBS, report=quiet)
            return time.perf_counter() - started, results

        timed(floors[:1])  # one kernel first, untimed: the disk caches are then as warm for both runs
        floor_before, _ = timed(floors)
        print(f"  floor ({len(floors)} bare kernels, {execute.DEFAULT_JOBS} at a time): {floor_before:.1f} s",
              flush=True)
        collection, results = timed(notebooks)
        print(f"  collection ({len(notebooks)} notebooks, {execute.DEFAULT_JOBS} at a time): {collection:.1f} s",
              flush=True)
        floor_after, _ = timed(floors)
        print(f"  floor again: {floor_after:.1f} s", flush=True)
        return collection, (floor_before + floor_after) / 2, results


# ========================================================================================= part 2: the package


def _mib(size: int) -> str:
    return f"{size / 2**20:,.0f}"


CLOSE_UP_LAYOUT = "timeline: plot_close_up data x7 (labels, pack_rows)"
"""The step left out of the second total row: the label layout, once quadratic in the events (issue #7)."""


def _timed_out(result) -> bool:
    return bool(result) and "timeout" in result


def package_at_sizes(sizes, work: Path, step_timeout: float) -> dict:
    """Generate each size, run every step in a fresh subprocess, and the whole pipeline in one (twice: with and
    without the close-up layout). A step that runs out of time is reported as such; the pipeline that contains
    it is then not run, and its time is given as a lower bound."""
    table: dict[str, dict[int, dict]] = {}
    pipeline: dict[int, dict] = {}
    without_close_ups: dict[int, dict] = {}
    for size in sizes:
        size_dir = work / f"events_{size}"
        started = time.perf_counter()
        generate_data(size_dir / "data", size)
        print(f"  {size:,} events: data generated in {time.perf_counter() - started:.1f} s", flush=True)
        _spawn("prepare", str(size_dir))
        for step in steps():
            table.setdefault(step.name, {})[size] = _spawn("step", str(size_dir), step.name, timeout=step_timeout)
        in_pipeline = {step.name for step in steps() if step.in_pipeline}
        out_of_time = [name for name in in_pipeline if _timed_out(table[name][size])]
        pipeline_timeout = max(600.0, 10 * step_timeout)

        def lower_bound(left_out: set[str]) -> dict:
            known = sum(table[name][size]["seconds"] for name in in_pipeline - left_out
                        if table[name][size] and not _timed_out(table[name][size]))
            return {"at_least": known + step_timeout * len(set(out_of_time) - left_out)}

        if out_of_time:
            pipeline[size] = lower_bound(set())
        else:
            pipeline[size] = _best_pipeline(size_dir, [], pipeline_timeout)
        if set(out_of_time) - {CLOSE_UP_LAYOUT}:
            without_close_ups[size] = lower_bound({CLOSE_UP_LAYOUT})
        else:
            without_close_ups[size] = _best_pipeline(size_dir, [CLOSE_UP_LAYOUT], pipeline_timeout)
        print(f"  {size:,} events: {len(steps())} steps and the pipeline measured"
              + (f" ({len(out_of_time)} step(s) ran out of time)" if out_of_time else ""), flush=True)
    return {"steps": table, "pipeline": pipeline, "without_close_ups": without_close_ups}


PIPELINE_RUNS = 3


def _best_pipeline(size_dir: Path, left_out: list[str], timeout: float) -> dict | None:
    """The whole pipeline run up to :data:`PIPELINE_RUNS` times, each in a fresh process: the shortest time (as
    for the steps, the run least disturbed by the rest of the machine) and the highest peak memory."""
    runs = []
    for _ in range(PIPELINE_RUNS):
        result = _spawn("pipeline", str(size_dir), *left_out, timeout=timeout)
        if not result or _timed_out(result):
            return result
        runs.append(result)
    return {"seconds": min(run["seconds"] for run in runs), "peak": max(run["peak"] for run in runs),
            "runs": len(runs)}


def _cell(result, decimals: int = 3, with_added: bool = True) -> str:
    """One size's three columns (seconds, peak MiB, +MiB) of a row of the table."""
    if not result:
        return f"{'failed':>30}"
    if "timeout" in result or "at_least" in result:
        bound = "> {:.0f}".format(result.get("timeout", result.get("at_least")))
        return f"{bound:>10}{'-':>10}{'' if 'at_least' in result else '-':>10}"
    added = _mib(result["added"]) if with_added else ""
    return f"{result['seconds']:>10.{decimals}f}{_mib(result['peak']):>10}{added:>10}"


def print_package_table(sizes, measured: dict) -> None:
    total_name = "load + validate + every analysis"
    without_name = "  ... without the close-up layout (pack_rows)"
    name_width = max([len(step.name) for step in steps()] + [len(without_name)]) + 2
    header = f"{'step':<{name_width}}" + "".join(f"{f'{size:,} events':>30}" for size in sizes)
    sub = f"{'':<{name_width}}" + "".join(f"{'s':>10}{'peak MiB':>10}{'+MiB':>10}" for _ in sizes)
    print(header)
    print(sub)
    print("-" * len(sub))
    for step in steps():
        print(f"{step.name:<{name_width}}" + "".join(_cell(measured["steps"].get(step.name, {}).get(size))
                                                      for size in sizes))
    print("-" * len(sub))
    print(f"{total_name:<{name_width}}"
          + "".join(_cell(measured["pipeline"].get(size), 2, with_added=False) for size in sizes))
    print(f"{without_name:<{name_width}}"
          + "".join(_cell(measured["without_close_ups"].get(size), 2, with_added=False) for size in sizes))
    print()
    print("s: wall time of the step, best of up to 3 runs in its own fresh process; '> N': stopped after N s.")
    print("The total rows: the whole pipeline, from the CSV files to the last analysis, in one fresh process, best")
    print(f"of {PIPELINE_RUNS} runs (a lower bound '> N' when a step of it ran out of time). peak MiB: the process's peak resident")
    print("memory while the step ran (interpreter, pandas, matplotlib and the step's inputs included). +MiB: how")
    print("much the step added to the memory in use before it.")


def print_targets(sizes, measured: dict, ratio: float | None) -> None:
    print("Targets (reported, not asserted):")
    if ratio is not None:
        verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
        print(f"  collection re-run / floor <= {TARGET_RATIO}: {ratio:.2f}, {verdict}")
    if not sizes:
        return
    largest = max(sizes)
    for label, key in (("load + validate + every analysis", "pipeline"),
                       ("the same without the close-up layout (pack_rows)", "without_close_ups")):
        result = measured[key].get(largest)
        if not result:
            continue
        if "seconds" not in result:
            bound = result.get("at_least", result.get("timeout", 0))
            print(f"  {largest:,} events, {label}: <= {TARGET_SECONDS:.0f} s and <= 1 GiB: NOT met (more than "
                  f"{bound:.0f} s)")
            continue
        seconds_ok = result["seconds"] <= TARGET_SECONDS
        memory_ok = result["peak"] <= TARGET_BYTES
        print(f"  {largest:,} events, {label}: <= {TARGET_SECONDS:.0f} s: {result['seconds']:.2f} s, "
              f"{'met' if seconds_ok else 'NOT met'}; <= 1 GiB: peak {_mib(result['peak'])} MiB, "
              f"{'met' if memory_ok else 'NOT met'}")
        timed = [(size, measured[key][size]["seconds"]) for size in sizes
                 if measured[key].get(size) and "seconds" in measured[key][size]]
        if len(timed) > 1:
            growth = ", ".join(f"x{later / earlier:.1f} from {a:,} to {b:,}"
                               for (a, earlier), (b, later) in zip(timed, timed[1:]))
            print(f"    growth of its time (x10 per step would be linear): {growth}")


# ================================================================================================== main


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES),
                        help="numbers of events for part 2 (default: 1000 10000 100000); none skips part 2")
    parser.add_argument("--skip-notebooks", action="store_true", help="skip part 1 (the collection's re-run)")
    parser.add_argument("--step-timeout", type=float, default=60.0,
                        help="seconds after which a step is stopped and shown as '> N' (default: 60)")
    parser.add_argument("--profile", metavar="STEP",
                        help="print a cProfile of one step (by name) at the largest size, and nothing else")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)

    if arguments.worker:
        kind, size_dir, *rest = arguments.worker
        size_dir = Path(size_dir)
        if kind == "prepare":
            _worker_prepare(size_dir)
            print(json.dumps({}))
        elif kind == "step":
            print(json.dumps(_worker_step(size_dir, rest[0])))
        elif kind == "pipeline":
            print(json.dumps(_worker_pipeline(size_dir, rest)))
        elif kind == "profile":
            _worker_profile(size_dir, rest[0], int(rest[1]) if len(rest) > 1 else 30)
        return 0

    sizes = sorted(arguments.sizes)
    if arguments.profile:
        with tempfile.TemporaryDirectory(prefix="nato-russia-bench-") as work:
            size_dir = Path(work) / "profile"
            generate_data(size_dir / "data", max(sizes))
            _spawn("prepare", str(size_dir))
            subprocess.run([sys.executable, __file__, "--worker", "profile", str(size_dir), arguments.profile],
                           env=dict(os.environ, MPLBACKEND="Agg"), check=False)
        return 0

    print(f"Benchmark on {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, pandas {pd.__version__}",
          flush=True)
    collection = floor = ratio = None
    if not arguments.skip_notebooks:
        print("\n1. The collection re-run against its floor", flush=True)
        collection, floor, results = collection_against_floor()
        ratio = collection / floor
        for result in results:
            print(f"  {result.notebook.name:<32} {result.status:<9} {result.seconds:6.1f} s", flush=True)
    measured = {"steps": {}, "pipeline": {}, "without_close_ups": {}}
    if sizes:
        print(f"\n2. The package at {', '.join(f'{size:,}' for size in sizes)} events", flush=True)
        with tempfile.TemporaryDirectory(prefix="nato-russia-bench-") as work:
            measured = package_at_sizes(sizes, Path(work), arguments.step_timeout)
        print()
        print_package_table(sizes, measured)
    print()
    print_targets(sizes, measured, ratio)
    if ratio is not None:
        print(f"collection re-run: {collection:.1f} s, floor: {floor:.1f} s, ratio: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
