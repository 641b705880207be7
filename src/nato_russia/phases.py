"""The collection's periodisation: phase profiles, robustness of the scoring, the sources' own headings.

Functions used by ``notebooks/03_phases.ipynb``. Each takes DataFrames from :func:`nato_russia.load`
(or small hand-made ones with the same columns) and returns a new DataFrame or Series; none modifies
its input.

The phase that continues today has no ``end``. Everything here measures it up to a date the caller
passes (``through``), normally :func:`record_last_day`, so that results do not change with the clock.
"""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from .analysis import direction
from .dates import parse_partial_dates
from .loading import assign_phases
from .plotting import (
    CONFRONTATION_COLOUR,
    COOPERATION_COLOUR,
    NEUTRAL_COLOUR,
    format_date_axis,
    score_colours,
    shade_phases,
)

DAYS_PER_YEAR = 365.25
"""Length of an average calendar year, to turn a phase's days into years."""

NO_EVENTS = "no events"
"""Sign label of a year or phase without events."""


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """``"1 year"``, ``"0 years"``, ``"2 years"``: a count with its noun in the right number."""
    return f"{count} {noun if count == 1 else (plural_noun or noun + 's')}"


# --- phases and their profiles --------------------------------------------------------------------


def record_last_day(events: pd.DataFrame) -> pd.Timestamp:
    """The last day any event of the record covers (``last_day``: a month-precision date counts to the
    end of its month, a period to the end of its ``end_date``). The continuing phase is measured up to it."""
    return pd.Timestamp(events["last_day"].max())


def phase_periods(phases: pd.DataFrame, through: pd.Timestamp) -> pd.DataFrame:
    """Each phase with its length, in date order.

    Columns: ``phase_id``, ``label``, ``start``, ``end`` (``through`` for the phase without an end),
    ``ongoing`` (True for that phase), ``days`` (first and last day both counted) and ``years``
    (``days`` / 365.25).
    """
    periods = phases.sort_values("start", kind="stable")[["phase_id", "label", "start", "end"]].copy()
    periods["ongoing"] = periods["end"].isna()
    periods["end"] = periods["end"].fillna(pd.Timestamp(through))
    periods["days"] = ((periods["end"] - periods["start"]).dt.days + 1).astype("int64")
    periods["years"] = periods["days"] / DAYS_PER_YEAR
    return periods.reset_index(drop=True)


def phase_profile(events: pd.DataFrame, phases: pd.DataFrame, through: pd.Timestamp) -> pd.DataFrame:
    """How active and how friendly each phase is, one row per phase in date order.

    ``events`` needs ``phase_id`` and ``score``. Columns: those of :func:`phase_periods`, then ``events``
    (how many ``phase_id`` places in the phase), ``events_per_year``, ``cooperation_share``, ``neutral_share`` and
    ``confrontation_share`` (shares of the phase's events, by :func:`nato_russia.analysis.direction`;
    missing for a phase without events) and ``mean_score`` (missing for a phase without events).
    """
    periods = phase_periods(phases, through)
    score = events["score"].astype("float64")
    phase = events["phase_id"].astype("object")
    counts = pd.crosstab(phase, direction(score)).reindex(index=periods["phase_id"], fill_value=0)
    categories = direction(score).cat.categories
    counts = counts.reindex(columns=categories, fill_value=0)
    totals = counts.sum(axis=1)
    profile = periods.set_index("phase_id")
    profile["events"] = totals.astype("int64")
    profile["events_per_year"] = profile["events"] / profile["years"]
    for name in categories:
        profile[f"{name}_share"] = (counts[name] / totals).where(totals > 0)
    profile["mean_score"] = score.groupby(phase).mean().reindex(profile.index).astype("float64")
    return profile.reset_index()


def first_possible_day(events: pd.DataFrame) -> pd.Series:
    """The first day each event can have happened: ``earliest`` where the events have it (the loader's
    ``start``, or, if later, the first possible day of the event it answers), else ``start``. The loader
    places each event in the phase of this day."""
    return events["earliest"] if "earliest" in events.columns else events["start"]


def straddling_events(events: pd.DataFrame, phases: pd.DataFrame) -> pd.DataFrame:
    """The events whose possible dates, from their first possible day (:func:`first_possible_day`) to
    ``last_day``, cross at least one phase boundary.

    Such an event is counted in the phase of its first possible day, which may not be where it belongs.
    Columns: ``event_id``, ``date``, ``end_date``, ``reason``, ``first_phase`` (the phase of the first
    possible day), ``last_phase`` (the phase of ``last_day``) and ``phases_spanned`` (how many phases the
    span touches), in date order. ``reason`` says why the span is long:

    * ``heading range``: a source places the item only under a year-range heading
      (``date_basis`` = ``section_period``), so the span bounds *when* it happened;
    * ``period of activity``: the event lasts from ``date`` to ``end_date`` (it really spans phases);
    * ``date to the month`` / ``date to the year``: a point event dated no more precisely than that.
    """
    first, last = _phase_codes(first_possible_day(events), phases), _phase_codes(events["last_day"], phases)
    crossing = (first >= 0) & (last >= 0) & (last - first + 1 > 1)
    # The table of the crossing events only (its text columns would be most of the work for all of them).
    events = events[crossing]
    first, last = assign_phases(first_possible_day(events), phases), assign_phases(events["last_day"], phases)
    spanned = last.cat.codes - first.cat.codes + 1
    reason = _straddling_reasons(events)
    if len(crossing):  # text, even when no event crosses (as when the reasons were found for every event)
        reason = pd.array(reason, dtype="str")
    table = pd.DataFrame(
        {
            "event_id": events["event_id"],
            "date": events["date"],
            "end_date": events["end_date"],
            "reason": reason,
            "first_phase": first.astype("str"),
            "last_phase": last.astype("str"),
            "phases_spanned": spanned.astype("int64"),
            "start": events["start"],
        }
    )
    return table.sort_values(["start", "event_id"], kind="stable").drop(columns="start").reset_index(drop=True)


def _straddling_reasons(events: pd.DataFrame) -> np.ndarray:
    """The ``reason`` of :func:`straddling_events` for each of ``events`` (crossing a boundary or not)."""
    has_end = events["end_date"].notna()
    return np.select(
        [events["date_basis"].eq("section_period").fillna(False) & has_end, has_end],
        ["heading range", "period of activity"],
        "date to the " + events["precision"].astype("str"),
    )


def _phase_codes(dates: pd.Series, phases: pd.DataFrame) -> np.ndarray:
    """The position of each date's phase among the phases in date order (-1: in no phase)."""
    return assign_phases(dates, phases).cat.codes.to_numpy().astype("int64")


UNCERTAIN_REASONS = ("heading range", "date to the month", "date to the year")
"""Reasons of :func:`straddling_events` that make an event's phase uncertain (a period of activity
really runs across phases; its phase is not in doubt, only counted once)."""


def reassign_uncertain(events: pd.DataFrame, phases: pd.DataFrame, at: str) -> pd.DataFrame:
    """The events with ``phase_id`` moved, for each event whose phase is uncertain (see
    :data:`UNCERTAIN_REASONS`), to the phase of the ``"start"``, the ``"middle"`` or the ``"end"`` of its
    span (first possible day, :func:`first_possible_day`, to ``last_day``); every other event keeps its
    phase. The loader counts events by the first possible day, so ``at="start"`` changes nothing for
    events whose ``phase_id`` comes from it."""
    if at not in ("start", "middle", "end"):
        raise ValueError(f"at must be 'start', 'middle' or 'end'; got {at!r}")
    first_day = first_possible_day(events)
    first, last = _phase_codes(first_day, phases), _phase_codes(events["last_day"], phases)
    crossing = np.flatnonzero((first >= 0) & (last >= 0) & (last - first + 1 > 1))  # as straddling_events
    reasons = _straddling_reasons(events[["end_date", "date_basis", "precision"]].iloc[crossing])
    uncertain_ids = events["event_id"].iloc[crossing[np.isin(reasons, UNCERTAIN_REASONS)]]
    uncertain = events["event_id"].isin(uncertain_ids).to_numpy()  # (every row of such an id)
    if at == "start":
        point = first_day
    elif at == "middle":
        point = first_day + (events["last_day"] - first_day) / 2
    else:
        point = events["last_day"]
    # Only the uncertain events move: only their dates are placed in a phase.
    moved = assign_phases(point[uncertain].dt.floor("D"), phases)
    phase_id = events["phase_id"].astype(moved.dtype)  # (a copy)
    phase_id[uncertain] = moved.to_numpy()
    return events.assign(phase_id=phase_id)


def years_against_their_phase(yearly: pd.DataFrame, profile: pd.DataFrame) -> pd.DataFrame:
    """The years whose mean score has another sign than the mean score of their phase.

    ``yearly`` is :func:`nato_russia.analysis.yearly_index`, ``profile`` is :func:`phase_profile`. A year
    belongs to the phase in which its 1 July falls (a year cut by a phase boundary goes to the phase that
    holds its middle). Years without events are left out. Columns: ``year``, ``events``, ``score_mean``,
    ``phase`` (label), ``phase_mean``.
    """
    with_events = yearly[yearly["events"] > 0]
    middles = pd.Series(_year_starts(with_events.index) + pd.DateOffset(months=6), index=with_events.index)
    phase_ids = assign_phases(middles, profile.assign(end=profile["end"].where(~profile["ongoing"])))
    by_id = profile.set_index("phase_id")
    table = pd.DataFrame(
        {
            "year": with_events.index,
            "events": with_events["events"].to_numpy(),
            "score_mean": with_events["score_mean"].to_numpy(),
            "phase": phase_ids.map(by_id["label"]).to_numpy(),
            "phase_mean": phase_ids.map(by_id["mean_score"]).astype("float64").to_numpy(),
        }
    )
    differs = sign_labels(table["score_mean"]) != sign_labels(table["phase_mean"])
    return table[differs & table["phase"].notna()].reset_index(drop=True)


# --- comparing scorings ---------------------------------------------------------------------------


def sign_labels(values: pd.Series) -> pd.Series:
    """``cooperation`` (> 0), ``neutral`` (0), ``confrontation`` (< 0) or ``no events`` (missing)."""
    labels = direction(values.fillna(0)).astype("str")
    return labels.where(values.notna(), NO_EVENTS)


def sign_changes(values: pd.DataFrame, reference: str) -> pd.DataFrame:
    """The rows where another column's sign differs from the ``reference`` column's.

    ``values`` has one column per scoring (e.g. yearly mean scores, one row per year). A row without
    a value counts as ``no events``, so a year that an alternative scoring leaves empty is listed too.
    Returns one row per (row, other column) that differs: the index of ``values``, ``scoring``,
    ``reference_sign``, ``sign``, ``reference_value`` and ``value``.
    """
    reference_signs = sign_labels(values[reference])
    pieces = []
    for scoring in [column for column in values.columns if column != reference]:
        signs = sign_labels(values[scoring])
        differs = signs != reference_signs
        pieces.append(
            pd.DataFrame(
                {
                    "scoring": scoring,
                    "reference_sign": reference_signs[differs],
                    "sign": signs[differs],
                    "reference_value": values.loc[differs, reference],
                    "value": values.loc[differs, scoring],
                }
            )
        )
    return pd.concat(pieces).rename_axis(values.index.name).reset_index()


def rank_correlations(values: pd.DataFrame) -> pd.DataFrame:
    """Spearman's rank correlation between every pair of columns, over the rows where both have a value.

    Ties get their average rank. Returns one row per pair (in column order): ``first``, ``second``,
    ``rows`` (how many rows were compared) and ``spearman``.
    """
    rows = []
    columns = list(values.columns)
    for position, first in enumerate(columns):
        for second in columns[position + 1:]:
            pair = values[[first, second]].dropna()
            ranks = pair.rank()
            rho = ranks[first].corr(ranks[second]) if len(pair) > 1 else np.nan
            rows.append({"first": first, "second": second, "rows": len(pair), "spearman": rho})
    return pd.DataFrame(rows, columns=["first", "second", "rows", "spearman"])


# --- the sources' own headings --------------------------------------------------------------------


def year_ranges(years: Iterable[int]) -> str:
    """Years as compact ranges: ``[1991, 1992, 1993, 1995]`` -> ``"1991-1993, 1995"``; ``""`` if none."""
    ordered = sorted(set(int(year) for year in years))
    runs: list[list[int]] = []
    for year in ordered:
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def heading_years(source_periods: pd.DataFrame) -> pd.Series:
    """Each heading's years as text: ``"1994"`` or ``"2002-2008"``."""
    single = source_periods["start_year"] == source_periods["end_year"]
    both = source_periods["start_year"].astype("str") + "-" + source_periods["end_year"].astype("str")
    return both.where(~single, source_periods["start_year"].astype("str")).rename("years")


def heading_order(source_periods: pd.DataFrame) -> pd.Series:
    """Per source, how its headings are ordered: ``oldest first``, ``newest first`` or ``neither``
    (by ``start_year`` along ``order_in_source``)."""

    def order(group: pd.DataFrame) -> str:
        starts = group.sort_values("order_in_source")["start_year"]
        if starts.is_monotonic_increasing:
            return "oldest first"
        if starts.is_monotonic_decreasing:
            return "newest first"
        return "neither"

    by_source = source_periods.groupby("source_id", sort=True)
    return pd.Series({source: order(group) for source, group in by_source}, name="order").rename_axis("source_id")


def overlapping_headings(source_periods: pd.DataFrame) -> pd.DataFrame:
    """Pairs of headings of the same source that share at least one year.

    Columns: ``source_id``, ``first_heading`` and ``second_heading`` (``heading_en``; the one that starts
    earlier first) and ``shared_years``; sorted by source and years.
    """
    headings = source_periods.assign(years=heading_years(source_periods)).sort_values(
        ["source_id", "start_year", "end_year", "order_in_source"]
    )
    headings = headings.assign(rank=headings.groupby("source_id").cumcount())
    pairs = headings.merge(headings, on="source_id", suffixes=("_a", "_b"))
    pairs = pairs[
        (pairs["rank_a"] < pairs["rank_b"])
        & (pairs["start_year_a"] <= pairs["end_year_b"])
        & (pairs["start_year_b"] <= pairs["end_year_a"])
    ]
    shared_first = pairs[["start_year_a", "start_year_b"]].max(axis=1)
    shared_last = pairs[["end_year_a", "end_year_b"]].min(axis=1)
    shared = [year_ranges(range(a, b + 1)) for a, b in zip(shared_first, shared_last)]
    return pd.DataFrame(
        {
            "source_id": pairs["source_id"].to_numpy(),
            "first_heading": pairs["heading_en_a"].to_numpy(),
            "second_heading": pairs["heading_en_b"].to_numpy(),
            "shared_years": shared,
        }
    ).reset_index(drop=True)


def uncovered_years(source_periods: pd.DataFrame, sources: pd.DataFrame, first_year: int) -> pd.DataFrame:
    """Per source with headings, the years from ``first_year`` to the year it was published that none of
    its headings covers.

    Columns: ``source_id``, ``last_year`` (the year of ``published``), ``last_heading_ends`` (the latest
    ``end_year`` of its headings), ``uncovered`` (compact ranges, see :func:`year_ranges`) and
    ``years_uncovered`` (how many).
    """
    published = parse_partial_dates(sources["published"])["start"].dt.year
    publication_year = pd.Series(published.to_numpy(), index=sources["source_id"].to_numpy())
    rows = []
    for source, group in source_periods.groupby("source_id", sort=True):
        last_year = int(publication_year[source])
        covered = {year for a, b in zip(group["start_year"], group["end_year"]) for year in range(a, b + 1)}
        missing = [year for year in range(first_year, last_year + 1) if year not in covered]
        rows.append(
            {"source_id": source, "last_year": last_year, "last_heading_ends": int(group["end_year"].max()),
             "uncovered": year_ranges(missing), "years_uncovered": len(missing)}
        )
    return pd.DataFrame(rows, columns=["source_id", "last_year", "last_heading_ends", "uncovered", "years_uncovered"])


def phase_starts_in_headings(phases: pd.DataFrame, source_periods: pd.DataFrame) -> pd.DataFrame:
    """Where the year each phase starts stands in each source's headings.

    One row per phase (date order): ``label``, ``start_year``, then one column per source: the years of
    the heading(s) that begin in that year (``"starts 2002-2008"``), else of those that cover it
    (``"inside 2002-2008"``), else ``"no heading"``.
    """
    table = phases.sort_values("start")[["label"]].copy()
    table["start_year"] = phases.sort_values("start")["start"].dt.year.astype("int64")
    headings = source_periods.assign(years=heading_years(source_periods))
    for source, group in headings.groupby("source_id", sort=True):
        cells = []
        for year in table["start_year"]:
            starting = group[group["start_year"] == year]
            covering = group[(group["start_year"] <= year) & (group["end_year"] >= year)]
            if len(starting):
                cells.append("starts " + ", ".join(starting.sort_values("end_year")["years"]))
            elif len(covering):
                cells.append("inside " + ", ".join(covering.sort_values("start_year")["years"]))
            else:
                cells.append("no heading")
        table[source] = cells
    return table.reset_index(drop=True)


def heading_lanes(source_periods: pd.DataFrame) -> pd.Series:
    """A lane (0, 1, ...) per heading so that no two headings of one source that share a year sit in the
    same lane: each heading, in order of its first year, takes the lowest lane whose last heading ended
    in an earlier year. Aligned with the index of ``source_periods``."""
    lanes = pd.Series(0, index=source_periods.index, dtype="int64", name="lane")
    for _, group in source_periods.groupby("source_id", sort=False):
        lane_ends: list[int] = []
        for index, row in group.sort_values(["start_year", "end_year"]).iterrows():
            free = [lane for lane, end in enumerate(lane_ends) if end < row["start_year"]]
            lane = free[0] if free else len(lane_ends)
            if lane == len(lane_ends):
                lane_ends.append(row["end_year"])
            else:
                lane_ends[lane] = row["end_year"]
            lanes[index] = lane
    return lanes


# --- drawing --------------------------------------------------------------------------------------


def _year_starts(years) -> pd.DatetimeIndex:
    """1 January of each year."""
    return pd.DatetimeIndex([pd.Timestamp(year=int(year), month=1, day=1) for year in years])


YEAR_BAR_DAYS = 310
"""Width of a year's bar on a date axis, in days (leaves a gap between neighbouring years)."""

LOW_N_HATCH = "///"
"""Hatching of the bars of years with few events."""


def year_axis_limits(years) -> tuple[pd.Timestamp, pd.Timestamp]:
    """From a few months before 1 January of the first year to a few months after the end of the last."""
    return (pd.Timestamp(year=int(min(years)), month=1, day=1) - pd.Timedelta(days=150),
            pd.Timestamp(year=int(max(years)) + 1, month=1, day=1) + pd.Timedelta(days=120))


def draw_phase_strip(ax, phases: pd.DataFrame, through, xlim) -> None:
    """A strip that only names the phases: their bands and labels, no data, no axis. Call it on the top
    axes of a column of panels that share the date axis; ``xlim`` fixes the date range first, so that the
    labels are fitted to the bands as drawn."""
    ax.set_xlim(xlim)
    ax.set_ylim(0, 1)
    shade_phases(ax, phases, today=through)
    ax.set_yticks([])
    ax.grid(False)
    ax.tick_params(axis="x", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def draw_score_bars(ax, index: pd.DataFrame, column: str, low_count: int):
    """One bar per year of ``index`` (see :func:`nato_russia.analysis.yearly_index`) from 1 January,
    coloured by the sign of ``column``; years with fewer than ``low_count`` events pale and hatched.
    Returns the bars."""
    values = index[column]
    bars = ax.bar(_year_starts(index.index), values.fillna(0).to_numpy(), width=YEAR_BAR_DAYS, align="edge",
                  color=score_colours(values))
    for bar, is_low in zip(bars, (index["events"] < low_count).to_numpy()):
        if is_low:
            bar.set_alpha(0.45)
            bar.set_hatch(LOW_N_HATCH)
            bar.set_edgecolor("white")
    ax.axhline(0, color="#555555", linewidth=1)
    return bars


def low_n_handle(low_count: int) -> Patch:
    """A legend entry for the pale, hatched bars of :func:`draw_score_bars`."""
    return Patch(facecolor=NEUTRAL_COLOUR, alpha=0.45, hatch=LOW_N_HATCH, edgecolor="white",
                 label=f"year with fewer than {low_count} events")


def draw_direction_counts(ax, index: pd.DataFrame):
    """The number of events per year, stacked by direction (cooperation, neutral, confrontation)."""
    neutral = index["events"] - index["cooperation"] - index["confrontation"]
    bottom = np.zeros(len(index))
    for values, colour, name in (
        (index["cooperation"], COOPERATION_COLOUR, "cooperation"),
        (neutral, NEUTRAL_COLOUR, "neutral"),
        (index["confrontation"], CONFRONTATION_COLOUR, "confrontation"),
    ):
        ax.bar(_year_starts(index.index), values.to_numpy(), width=YEAR_BAR_DAYS, align="edge", bottom=bottom,
               color=colour, label=name)
        bottom = bottom + values.to_numpy()
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))


def draw_phase_profiles(axes, profile: pd.DataFrame) -> None:
    """Three panels, one row per phase (earliest at the top): events per year (labelled with the count),
    the shares of cooperation, neutral and confrontation events, and the mean score.
    ``profile`` is :func:`phase_profile`."""
    rate_ax, share_ax, mean_ax = axes
    rows = np.arange(len(profile))
    rate_bars = rate_ax.barh(rows, profile["events_per_year"], color="#555555")
    rate_ax.bar_label(rate_bars, labels=[f"n = {n}" for n in profile["events"]], padding=4, fontsize=13)
    rate_ax.set_xlim(0, profile["events_per_year"].max() * 1.5)
    rate_ax.set_yticks(rows, profile["label"].str.wrap(26, break_on_hyphens=False))
    rate_ax.tick_params(axis="y", labelsize=14)
    rate_ax.invert_yaxis()
    rate_ax.set_title("Activity", fontsize=17)
    rate_ax.set_xlabel("events per year")
    left = np.zeros(len(profile))
    for share, colour in (("cooperation", COOPERATION_COLOUR), ("neutral", NEUTRAL_COLOUR),
                          ("confrontation", CONFRONTATION_COLOUR)):
        widths = 100 * profile[f"{share}_share"].fillna(0).to_numpy()
        share_ax.barh(rows, widths, left=left, color=colour, label=share)
        left = left + widths
    share_ax.set_xlim(0, 100)
    share_ax.set_title("Direction", fontsize=17)
    share_ax.set_xlabel("share of its events (%)")
    mean_ax.barh(rows, profile["mean_score"].fillna(0), color=score_colours(profile["mean_score"]))
    mean_ax.axvline(0, color="#555555", linewidth=1)
    mean_ax.set_title("Tone", fontsize=17)
    mean_ax.set_xlabel("mean score")
    for ax in axes:
        ax.grid(axis="y", visible=False)


def yearly_index_figure(yearly: pd.DataFrame, phases: pd.DataFrame, through, low_count: int):
    """The yearly index with its base: a strip naming the phases, the yearly mean score, the yearly sum of
    scores and the number of events by direction (with a dashed line at ``low_count``), on one date axis,
    every panel over the phase bands. ``yearly`` is :func:`nato_russia.analysis.yearly_index`. Returns
    the figure (the caller adds the title)."""
    limits = year_axis_limits(yearly.index)
    fig, (strip, mean_ax, sum_ax, count_ax) = plt.subplots(4, 1, sharex=True, height_ratios=[1.1, 1.5, 1, 1])
    draw_score_bars(mean_ax, yearly, "score_mean", low_count)
    draw_score_bars(sum_ax, yearly, "score_sum", low_count)
    draw_direction_counts(count_ax, yearly)
    count_ax.axhline(low_count, color="#333333", linewidth=1.2, linestyle="--")
    for ax, name in ((mean_ax, "mean score"), (sum_ax, "sum of scores"), (count_ax, "events")):
        ax.set(xlim=limits, ylabel=name)
        shade_phases(ax, phases, label=False, today=through)
    draw_phase_strip(strip, phases, through, limits)
    format_date_axis(count_ax)
    handles = [*count_ax.get_legend_handles_labels()[0], low_n_handle(low_count)]
    fig.legend(handles=handles, loc="outside lower center", ncols=4, fontsize=14)
    fig.align_ylabels()
    return fig


def scorings_figure(yearly_by_scoring: dict, phases: pd.DataFrame, through, low_count: int):
    """The yearly mean score under each scoring, one panel per scoring (in the order of the dict, each
    with its own vertical scale) on one date axis, under a strip naming the phases. Returns the figure."""
    first = next(iter(yearly_by_scoring.values()))
    limits = year_axis_limits(first.index)
    fig, (strip, *axes) = plt.subplots(len(yearly_by_scoring) + 1, 1, sharex=True,
                                       height_ratios=[1.1] + [1] * len(yearly_by_scoring))
    for ax, (name, index) in zip(axes, yearly_by_scoring.items()):
        draw_score_bars(ax, index, "score_mean", low_count)
        ax.set(xlim=limits, ylabel=name)
        shade_phases(ax, phases, label=False, today=through)
    draw_phase_strip(strip, phases, through, limits)
    format_date_axis(axes[-1])
    fig.legend(handles=[low_n_handle(low_count)], loc="outside lower center", fontsize=14)
    fig.align_ylabels()
    return fig


PHASE_ROW_COLOUR = "#8C8C8C"
HEADING_COLOUR = "#333333"


def draw_heading_rows(ax, source_periods: pd.DataFrame, source_names: dict, phases: pd.DataFrame, through,
                      phase_row_name: str = "collection's phases") -> None:
    """A row for the collection's phases (grey bars, numbered in date order), then one row per source
    with its headings as dark bars numbered by their position in the document (a heading that shares
    years with another in a lane of its own), over the phases drawn as grey bands. ``source_names``
    maps ``source_id`` to the row's label, in the order of the rows. Headings run from 1 January of
    their first year to 31 December of their last."""
    lanes = heading_lanes(source_periods)
    bar_height, gap = 0.78, 0.9
    ordered = phases.sort_values("start")
    ends = ordered["end"].fillna(pd.Timestamp(through)) + pd.Timedelta(days=1)
    for number, (start, end) in enumerate(zip(ordered["start"], ends), start=1):
        ax.barh(0, end - start, left=start, height=bar_height, color=PHASE_ROW_COLOUR, edgecolor="white")
        ax.text(start + (end - start) / 2, 0, str(number), ha="center", va="center", color="white",
                fontsize=12, fontweight="bold")
    ticks, tick_labels, top = [0.0], [phase_row_name], 1 + gap
    for source, name in source_names.items():
        rows = source_periods[source_periods["source_id"] == source]
        depth = int(lanes[rows.index].max()) + 1
        ax.axhline(top - gap / 2 - bar_height / 4, color="#BBBBBB", linewidth=1)
        for index, heading in rows.iterrows():
            y = top + lanes[index]
            start = pd.Timestamp(year=int(heading["start_year"]), month=1, day=1)
            end = pd.Timestamp(year=int(heading["end_year"]) + 1, month=1, day=1)
            ax.barh(y, end - start, left=start, height=bar_height, color=HEADING_COLOUR, edgecolor="white")
            ax.text(start + (end - start) / 2, y, str(heading["order_in_source"]), ha="center", va="center",
                    color="white", fontsize=13, fontweight="bold")
        ticks.append(top + (depth - 1) / 2)
        tick_labels.append(name)
        top += depth + gap
    ax.set_yticks(ticks, tick_labels)
    ax.set_ylim(top - gap + 0.1, -0.6)
    ax.grid(axis="y", visible=False)
    shade_phases(ax, phases, label=False, today=through)
    format_date_axis(ax)


def responses_dated_before_trigger(events: pd.DataFrame, phases: pd.DataFrame) -> pd.DataFrame:
    """The events that answer another (``responds_to``) but whose ``start`` is earlier than the start of
    the event they answer. A response cannot precede its trigger, so such a date is too vague to place the
    response (typically a month or year, which starts on its first day).

    Columns: ``event_id``, ``date``, ``start_phase_id`` (the phase its own ``start`` falls in),
    ``phase_id`` (the phase it is counted in), ``responds_to``, ``trigger_date``, ``trigger_phase_id``;
    in date order.
    """
    ids = pd.Index(events["event_id"])
    answers = events[["event_id", "date", "responds_to", "start", "phase_id"]].dropna(subset=["responds_to"])
    if not ids.is_unique:  # (mapping by a repeated id raises, as it did)
        by_id = events.set_index("event_id")
        early = answers[answers["start"] < answers["responds_to"].map(by_id["start"])]
        trigger_date = early["responds_to"].map(by_id["date"])
        trigger_phase_id = early["responds_to"].map(by_id["phase_id"].astype("str"))
    else:
        # Each response's trigger row, looked up once; a trigger that is not an event has no start (NaT).
        trigger = ids.get_indexer(answers["responds_to"])
        trigger_start = np.where(trigger >= 0, events["start"].to_numpy()[trigger], np.datetime64("NaT"))
        early = answers[(answers["start"].to_numpy() < trigger_start)]  # NaT compares false
        trigger = trigger[(answers["start"].to_numpy() < trigger_start)]
        trigger_date = pd.Series(events["date"].array.take(trigger), index=early.index)
        trigger_phase_id = pd.Series(events["phase_id"].array.take(trigger), index=early.index).astype("str")
    table = pd.DataFrame(
        {
            "event_id": early["event_id"],
            "date": early["date"],
            "start_phase_id": assign_phases(early["start"], phases).astype("str"),
            "phase_id": early["phase_id"].astype("str"),
            "responds_to": early["responds_to"],
            "trigger_date": trigger_date,
            "trigger_phase_id": trigger_phase_id,
            "start": early["start"],
        }
    )
    return table.sort_values(["start", "event_id"], kind="stable").drop(columns="start").reset_index(drop=True)
