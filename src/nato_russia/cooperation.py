"""Areas of practical cooperation: how long each ran, what the record dates in it, what the sources count,
and a Gantt chart of them (used by notebooks/04_cooperation_areas.ipynb).

Every function takes DataFrames from :func:`nato_russia.load` (or made by hand with the same columns) and
returns a new DataFrame or Series; none modifies its input. Dates stay at the precision the sources give:
a start known only to the year is treated as any day of that year, never as 1 January.

The drawing helpers at the end (bars at the precision of their dates, event markers, phase bands on a chart
with one row per item) are shared with :mod:`nato_russia.channels`.
"""

from __future__ import annotations

import textwrap

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from . import analysis
from .dates import PRECISION, period_end
from .escalation import date_span_middle
from .plotting import CONFRONTATION_COLOUR, COOPERATION_COLOUR, score_colours, shade_phases

__all__ = [
    "BEFORE_LABELS",
    "FUZZY_ALPHA",
    "ONE_DAY",
    "PRACTICAL_SUSPENSION_KIND",
    "QUALIFIER_MARKERS",
    "RESUMPTION_KIND",
    "SUSPENSION_KIND",
    "area_durations",
    "area_quantities",
    "began_before",
    "date_as_given",
    "date_in_words",
    "draw_event_markers",
    "draw_span_bar",
    "duration_bounds",
    "events_per_area",
    "gantt_legend_handles",
    "listing",
    "plain_description",
    "plot_area_gantt",
    "plot_quantities",
    "quantity_legend_handles",
    "quantity_rows",
    "finish_row_chart",
    "shade_phases_on_rows",
    "stack_offsets",
    "started_after",
    "stated_value",
    "suspension_periods",
]

SUSPENSION_KIND = "dialogue_suspended"
"""The event kind that freezes meetings in a joint body (e.g. formal NRC meetings after the Georgia war)."""
RESUMPTION_KIND = "cooperation_resumed"
"""The event kind that ends such a freeze."""
PRACTICAL_SUSPENSION_KIND = "cooperation_suspended"
"""The event kind that suspends practical cooperation (NATO's decision of April 2014)."""

BEFORE_LABELS = ("yes", "uncertain", "no", "start not dated")
"""The answers of :func:`began_before`, in this order."""

_MONTHS = "January February March April May June July August September October November December".split()


# --- words -------------------------------------------------------------------------------------------


def listing(items) -> str:
    """Items joined for a sentence: ``A``, ``A and B``, ``A, B and C``; ``none`` for no items."""
    items = [str(item) for item in items]
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --- dates at their precision ---------------------------------------------------------------------


def date_as_given(start: pd.Series, precision: pd.Series) -> pd.Series:
    """Each date written back at its precision, as the record stores it: ``1992``, ``2005-12``,
    ``2002-05-28``; empty where the date is missing."""
    precision = precision.astype(PRECISION)
    text = np.select(
        [precision == "year", precision == "month", precision == "day"],
        [start.dt.strftime("%Y"), start.dt.strftime("%Y-%m"), start.dt.strftime("%Y-%m-%d")],
        "",
    )
    return pd.Series(text, index=start.index, dtype="str")


def date_in_words(start, precision) -> str:
    """One date at its precision, for prose: ``28 May 2002``, ``December 2005``, ``1992``; ``not dated``
    if missing."""
    if start is None or pd.isna(start) or precision is None or pd.isna(precision):
        return "not dated"
    if precision == "day":
        return f"{start.day} {_MONTHS[start.month - 1]} {start.year}"
    if precision == "month":
        return f"{_MONTHS[start.month - 1]} {start.year}"
    return f"{start.year}"


def began_before(start: pd.Series, precision: pd.Series, cutoff) -> pd.Series:
    """Whether each date lies before ``cutoff`` (a day), as far as its precision tells.

    ``yes`` when even the last day the date covers is before the cutoff (``2001`` before 28 May 2002),
    ``no`` when its first day is on or after it (``2003``), ``uncertain`` when the cutoff falls inside the
    span the date covers (``2002``, or ``2002-05`` before 28 May 2002), ``start not dated`` when missing.
    An ordered categorical in the order of :data:`BEFORE_LABELS`.
    """
    cutoff = pd.Timestamp(cutoff)
    last_day = period_end(start, precision)
    answer = np.select(
        [start.isna(), last_day < cutoff, start >= cutoff], ["start not dated", "yes", "no"], "uncertain"
    )
    return pd.Series(pd.Categorical(answer, categories=BEFORE_LABELS, ordered=True), index=start.index,
                     name="began_before")


def duration_bounds(
    start: pd.Series, start_precision: pd.Series, end: pd.Series, end_precision: pd.Series
) -> pd.DataFrame:
    """The shortest and the longest time from a start to an end that their precision allows, in days.

    ``shortest_days`` runs from the last day the start covers to the first day the end covers (never below
    zero); ``longest_days`` from the first day of the start to the last day of the end. From ``1992`` to
    ``2014-04``: 1992-12-31 to 2014-04-01 at the shortest, 1992-01-01 to 2014-04-30 at the longest. Missing
    where either date is missing.
    """
    start_last = period_end(start, start_precision)
    end_last = period_end(end, end_precision)
    shortest = (end - start_last).dt.days.clip(lower=0)
    longest = (end_last - start).dt.days
    return pd.DataFrame(
        {"shortest_days": shortest.astype("Int64"), "longest_days": longest.astype("Int64")}, index=start.index
    )


def started_after(areas: pd.DataFrame, moment) -> pd.Series:
    """True for areas whose first dated activity begins after ``moment`` (a day): even the first day the
    start covers is later. False where the start is missing or could be on or before the moment."""
    return (areas["start"] > pd.Timestamp(moment)).fillna(False).astype(bool)


# --- the areas --------------------------------------------------------------------------------------


def area_durations(areas: pd.DataFrame) -> pd.DataFrame:
    """How long each area ran, from its first dated activity to its end, at the precision of both dates.

    Columns: ``area_id``, ``name_en``, ``start`` and ``end`` (as given), ``lag`` and ``unit`` (from
    :func:`nato_russia.analysis.lag`: years when either date is a year, months when either is a month),
    ``shortest_days`` and ``longest_days`` (:func:`duration_bounds`), ``shortest_years`` and
    ``longest_years`` (the same in years of 365.25 days, one decimal). Sorted from the longest to the
    shortest (by ``shortest_days``, then ``longest_days``); areas without a start come last, with missing
    durations.
    """
    lags = analysis.lag(areas["start"], areas["start_precision"], areas["end"], areas["end_precision"])
    bounds = duration_bounds(areas["start"], areas["start_precision"], areas["end"], areas["end_precision"])
    table = pd.DataFrame(
        {
            "area_id": areas["area_id"],
            "name_en": areas["name_en"],
            "start": date_as_given(areas["start"], areas["start_precision"]),
            "end": date_as_given(areas["end"], areas["end_precision"]),
            "lag": lags["lag"],
            "unit": lags["unit"].where(lags["lag"].notna()),
            "shortest_days": bounds["shortest_days"],
            "longest_days": bounds["longest_days"],
            "shortest_years": (bounds["shortest_days"].astype("float64") / 365.25).round(1),
            "longest_years": (bounds["longest_days"].astype("float64") / 365.25).round(1),
        }
    )
    return table.sort_values(["shortest_days", "longest_days", "area_id"], ascending=[False, False, True],
                             na_position="last", kind="stable").reset_index(drop=True)


def events_per_area(events: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """How many events the record dates in each area, by direction of their score.

    One row per area of ``areas`` (in its order), zero for an area without events. Columns: ``area_id``,
    ``cooperation``, ``neutral``, ``confrontation``, ``events`` (all three), ``first_event_start`` and
    ``first_event_precision`` (of the earliest event by ``start``), and ``last_event_day`` (the latest
    ``last_day`` of its events).
    """
    # Only the columns used below (a copy of every column of the events would be most of the work).
    used = ["cooperation_area", "score", "start", "event_id", "precision", "last_day"]
    in_area = events[used].dropna(subset=["cooperation_area"])
    counts = pd.crosstab(in_area["cooperation_area"], analysis.direction(in_area["score"]), dropna=False)
    counts = counts.reindex(index=areas["area_id"], columns=["cooperation", "neutral", "confrontation"],
                            fill_value=0)
    first = in_area.sort_values(["start", "event_id"], kind="stable").drop_duplicates("cooperation_area").set_index(
        "cooperation_area")
    table = pd.DataFrame(
        {
            "area_id": areas["area_id"].to_numpy(),
            "cooperation": counts["cooperation"].to_numpy(),
            "neutral": counts["neutral"].to_numpy(),
            "confrontation": counts["confrontation"].to_numpy(),
        }
    ).astype({"cooperation": "int64", "neutral": "int64", "confrontation": "int64"})
    table["events"] = table[["cooperation", "neutral", "confrontation"]].sum(axis=1)
    table["first_event_start"] = table["area_id"].map(first["start"]).astype(events["start"].dtype)
    table["first_event_precision"] = table["area_id"].map(first["precision"]).astype(PRECISION)
    table["last_event_day"] = table["area_id"].map(in_area.groupby("cooperation_area")["last_day"].max()).astype(
        events["last_day"].dtype)
    return table


def stated_value(value: float, qualifier: str, unit: str) -> str:
    """A value as the source states it, qualifier first: ``more than 3,500 people``, ``about 40 people``,
    ``4 field exercises`` (``exact`` adds no word). Whole numbers lose their ``.0``."""
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    words = "" if qualifier == "exact" else f"{qualifier} "
    return f"{words}{number} {unit}"


def area_quantities(indicators: pd.DataFrame, events: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """The indicator values that belong to an area, through the event they are attached to.

    Joins indicators -> events (``event_id``) -> areas (``cooperation_area``); values whose event has no
    area, or that have no event, are left out. Columns: ``area_id``, ``area`` (English name),
    ``indicator_id``, ``what`` (the description), ``period`` (``date`` or ``date``-``end_date`` as given),
    ``value``, ``qualifier``, ``unit``, ``as_stated`` (:func:`stated_value`), ``event_id``,
    ``event_direction`` (:func:`nato_russia.analysis.direction` of the event's score: a count attached to a
    cooperative event measures the cooperation, one attached to a confrontation does not) and ``source_id``.
    Sorted by area name, then by value from the largest.
    """
    by_event = events[["event_id", "cooperation_area", "score"]].set_index("event_id")  # (the columns used)
    joined = indicators.assign(
        area_id=indicators["event_id"].map(by_event["cooperation_area"]),
        event_direction=analysis.direction(indicators["event_id"].map(by_event["score"])).astype("str"),
    ).dropna(subset=["area_id"])
    names = areas.set_index("area_id")["name_en"]
    period = joined["date"].where(joined["end_date"].isna(), joined["date"] + "–" + joined["end_date"])
    table = pd.DataFrame(
        {
            "area_id": joined["area_id"],
            "area": joined["area_id"].map(names),
            "indicator_id": joined["indicator_id"],
            "what": joined["description"],
            "period": period,
            "value": joined["value"],
            "qualifier": joined["qualifier"],
            "unit": joined["unit"],
            "as_stated": [stated_value(v, q, u) for v, q, u in
                          zip(joined["value"].tolist(), joined["qualifier"].tolist(), joined["unit"].tolist())],
            "event_id": joined["event_id"],
            "event_direction": joined["event_direction"],
            "source_id": joined["source_id"],
        }
    )
    return table.sort_values(["area", "value", "indicator_id"], ascending=[True, False, True],
                             kind="stable").reset_index(drop=True)


# --- suspensions ------------------------------------------------------------------------------------


def suspension_periods(events: pd.DataFrame, channel: str | None = None) -> pd.DataFrame:
    """Each freeze of a channel (an event of :data:`SUSPENSION_KIND`) with the resumption that ended it.

    The resumption is the first event of :data:`RESUMPTION_KIND` in the same channel that begins on or after
    the freeze's first day (ties broken by ``event_id``); none if the record has none. With ``channel``,
    only that channel's freezes. Columns: ``channel``, ``suspended_id``, ``suspended_date`` (as given),
    ``suspended_start``, ``suspended_precision``, ``resumed_id``, ``resumed_date``, ``resumed_start``,
    ``resumed_precision``, ``resumed_last_day``; in the order of the freezes.
    """
    in_channel = events.dropna(subset=["channel"])
    if channel is not None:
        in_channel = in_channel[in_channel["channel"] == channel]
    ordered = in_channel.sort_values(["start", "event_id"], kind="stable")
    freezes = ordered[ordered["kind"] == SUSPENSION_KIND]
    resumptions = ordered[(ordered["kind"] == RESUMPTION_KIND) & ordered["start"].notna()]
    rows = []
    for freeze in freezes.itertuples(index=False):
        later = resumptions[(resumptions["channel"] == freeze.channel) & (resumptions["start"] >= freeze.start)]
        resumed = next(later.itertuples(index=False), None)  # (none after a freeze without a date)
        rows.append({"channel": freeze.channel, "suspended_id": freeze.event_id, "suspended_date": freeze.date,
                     "suspended_start": freeze.start, "suspended_precision": freeze.precision,
                     "resumed_id": None if resumed is None else resumed.event_id,
                     "resumed_date": None if resumed is None else resumed.date,
                     "resumed_start": pd.NaT if resumed is None else resumed.start,
                     "resumed_precision": None if resumed is None else resumed.precision,
                     "resumed_last_day": pd.NaT if resumed is None else resumed.last_day})
    columns = ["channel", "suspended_id", "suspended_date", "suspended_start", "suspended_precision", "resumed_id",
               "resumed_date", "resumed_start", "resumed_precision", "resumed_last_day"]
    table = pd.DataFrame(rows, columns=columns)
    for column in ("suspended_start", "resumed_start", "resumed_last_day"):
        table[column] = table[column].astype("datetime64[us]")
    for column in ("suspended_precision", "resumed_precision"):
        table[column] = table[column].astype(PRECISION)
    return table


# --- drawing: rows of spans -------------------------------------------------------------------------

ONE_DAY = pd.Timedelta(days=1)
"""One day, to turn a last day into the end of a span on a date axis."""
FUZZY_ALPHA = 0.8
"""Opacity of the part of a bar the precision of its dates leaves uncertain."""


def draw_span_bar(ax, y: float, start, start_precision, end, end_precision, *, colour: str, height: float = 0.32,
                  alpha: float = 1.0, zorder: float = 2) -> None:
    """A bar from ``start`` to ``end`` on row ``y``, drawn at the precision of the two dates.

    The part the dates make certain (from the day after the start's span to the first day of the end's
    span) is solid; the start's own span (a whole year for ``1992``) and the end's span (a month for
    ``2014-04``) are only hatched in the bar's colour, because the activity began or ended somewhere inside
    them.
    """
    start_last = period_end(pd.Series([start]), pd.Series([start_precision]))[0]
    end_last = period_end(pd.Series([end]), pd.Series([end_precision]))[0]
    solid_from, solid_to = start_last + ONE_DAY, end
    if solid_to > solid_from:
        ax.barh(y, solid_to - solid_from, left=solid_from, height=height, color=colour, alpha=alpha,
                linewidth=0, zorder=zorder)
    for left, right in ((start, start_last + ONE_DAY), (end, end_last + ONE_DAY)):
        if right > left:
            ax.barh(y, right - left, left=left, height=height, facecolor="white", edgecolor=colour, alpha=FUZZY_ALPHA,
                    hatch="////", linewidth=0, zorder=zorder)


def draw_event_markers(ax, events: pd.DataFrame, y: pd.Series, *, size: float = 90, zorder: float = 4,
                       stack_step: float = 0.16) -> None:
    """Each event on its row ``y`` (a Series on the events' index): a marker in the middle of the span its
    date covers, coloured by the direction of its score, and a thin line across the whole span its dates
    cover (a year, a month, or from ``date`` to ``end_date``). Markers at the same place on a row are
    spread apart by :func:`stack_offsets`."""
    date_last_day = period_end(events["start"], events["precision"])
    middle = date_span_middle(events["start"], date_last_day)
    colours = pd.Series(score_colours(events["score"]), index=events.index)
    spans = events["last_day"] + ONE_DAY - events["start"] > ONE_DAY
    ax.hlines(y[spans], events.loc[spans, "start"], events.loc[spans, "last_day"] + ONE_DAY,
              colors=colours[spans].tolist(), linewidth=2, alpha=0.9, zorder=zorder - 0.5)
    shifted = y + stack_offsets(y, middle, step=stack_step)
    ax.scatter(middle, shifted, s=size, c=colours.tolist(), edgecolors="white", linewidths=1, zorder=zorder)


def stack_offsets(y: pd.Series, x: pd.Series, *, step: float = 0.16) -> pd.Series:
    """Vertical offsets that keep markers at the same place from hiding one another: the markers that share
    a row ``y`` and a position ``x`` are spread ``step`` apart, centred on the row (in the order of the
    index); a marker alone at its place stays on the row."""
    frame = pd.DataFrame({"y": y, "x": x})
    rank = frame.groupby(["y", "x"], sort=False).cumcount()
    size = frame.groupby(["y", "x"], sort=False)["y"].transform("size")
    return ((rank - (size - 1) / 2) * step).astype("float64").rename("offset")


def finish_row_chart(ax, left, right, *, bottom: float, top: float, phases: pd.DataFrame, today) -> None:
    """The common finish of a chart with one row per item (areas, channels): the date range, the rows
    from ``top`` to ``bottom`` (row 0 at the top), no y ticks, grid or left spine, and the phases shaded
    with their names where the rows leave room."""
    ax.set_xlim(pd.Timestamp(left), pd.Timestamp(right))
    ax.set_ylim(bottom, top)
    ax.set_yticks([])
    ax.grid(axis="y", visible=False)
    ax.spines["left"].set_visible(False)
    shade_phases_on_rows(ax, phases, today=today)


def shade_phases_on_rows(ax, phases: pd.DataFrame, *, today, min_label_inches: float = 1.0,
                         label_y: float = 0.015) -> list[str]:
    """:func:`nato_russia.plotting.shade_phases` for a chart with one row per item.

    ``shade_phases`` writes the name of a phase too narrow for it vertically from the top, across the rows.
    Here such a phase (narrower than ``min_label_inches`` on the axes as they stand) keeps its band, and its
    name is written horizontally at the bottom of the axes instead (``label_y`` in axes fraction), where the
    caller leaves room for it. Call after the x-limits are set. Returns the labels moved to the bottom.
    """
    left, right = ax.get_xlim()
    axes_inches = ax.get_position().width * ax.figure.get_figwidth()
    today = pd.Timestamp(today)
    ends = phases["end"].fillna(today)
    starts_number = mdates.date2num(phases["start"].tolist())
    ends_number = mdates.date2num((ends + ONE_DAY).tolist())
    visible = np.clip(np.minimum(ends_number, right) - np.maximum(starts_number, left), 0, None)
    inches = visible / (right - left) * axes_inches
    narrow = (inches > 0) & (inches < min_label_inches)
    shade_phases(ax, phases.assign(label=phases["label"].where(~narrow, "")), today=today)
    ax.set_xlim(left, right)
    font = FontProperties(size="small").get_size_in_points()
    moved = []
    for start_number, end_number, label in zip(starts_number[narrow], ends_number[narrow],
                                               phases["label"][narrow]):
        middle = (max(start_number, left) + min(end_number, right)) / 2
        # Near an edge of the axes the name runs inwards from the band instead of being centred on it.
        share = (middle - left) / (right - left)
        alignment = "right" if share > 0.9 else "left" if share < 0.1 else "center"
        anchor = {"right": min(end_number, right), "left": max(start_number, left), "center": middle}[alignment]
        ax.text(mdates.num2date(anchor).replace(tzinfo=None), label_y, label, ha=alignment, va="bottom",
                fontsize=font, color="#444444", zorder=1, transform=ax.get_xaxis_transform())
        moved.append(str(label))
    return moved


# --- the Gantt chart --------------------------------------------------------------------------------

PAUSE_HATCH_COLOUR = CONFRONTATION_COLOUR
AREA_BAR_COLOUR = COOPERATION_COLOUR
AREA_BAR_ALPHA = 0.3
LABEL_FONT_SIZE = 12


def plot_area_gantt(ax, areas: pd.DataFrame, events: pd.DataFrame, pauses: pd.DataFrame, suspensions: pd.DataFrame,
                    *, left, right, phases: pd.DataFrame, today) -> None:
    """One row per area (in the order of ``areas``), from its first dated activity to its end.

    Bars follow :func:`draw_span_bar`; an area without a dated start gets only a mark at its end. Each
    area's events (``cooperation_area``) sit on its row (:func:`draw_event_markers`). ``pauses`` (rows of
    :func:`suspension_periods`) are hatched bands from the first day of the freeze to the day of the
    resumption; ``suspensions`` (events) are vertical lines at their date. Phases are shaded behind.
    """
    rows = pd.Series(np.arange(len(areas)), index=areas["area_id"].to_numpy())
    for row, area in zip(rows, areas.itertuples(index=False)):
        if pd.notna(area.start):
            draw_span_bar(ax, row, area.start, area.start_precision, area.end, area.end_precision,
                          colour=AREA_BAR_COLOUR, alpha=AREA_BAR_ALPHA)
            ax.text(area.start, row - 0.24, area.name_en, ha="left", va="bottom", fontsize=LABEL_FONT_SIZE,
                    color="#222222", zorder=6)
        else:
            end_last = period_end(pd.Series([area.end]), pd.Series([area.end_precision]))[0]
            ax.scatter([area.end + (end_last + ONE_DAY - area.end) / 2], [row], marker="D", s=110,
                       color=AREA_BAR_COLOUR, edgecolors="white", linewidths=1, zorder=6)
            ax.text(area.end, row - 0.24, f"{area.name_en}: no activity dated, only its end", ha="right",
                    va="bottom", fontsize=LABEL_FONT_SIZE, color="#222222", style="italic", zorder=6)
    in_areas = events[events["cooperation_area"].isin(rows.index)]
    draw_event_markers(ax, in_areas, in_areas["cooperation_area"].map(rows).astype("float64"))
    for pause in pauses.itertuples(index=False):
        ax.axvspan(pause.suspended_start, pause.resumed_start, facecolor="none", edgecolor=PAUSE_HATCH_COLOUR,
                   hatch="///", linewidth=0, alpha=0.5, zorder=1)
    for suspension in suspensions.itertuples(index=False):
        ax.axvline(suspension.start, color=CONFRONTATION_COLOUR, linewidth=2.5, linestyle="--", zorder=5)
    finish_row_chart(ax, left, right, bottom=len(areas) + 0.2, top=-2.4, phases=phases, today=today)


def gantt_legend_handles(pause_label: str, suspension_label: str) -> list:
    """Legend entries of the Gantt chart: bar, uncertain part, event colours, pause and suspension."""
    return [
        Patch(facecolor=AREA_BAR_COLOUR, alpha=AREA_BAR_ALPHA, label="area active (dates certain)"),
        Patch(facecolor="white", alpha=FUZZY_ALPHA, hatch="////", edgecolor=AREA_BAR_COLOUR, linewidth=0,
              label="the year or month in which it began or ended"),
        Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=COOPERATION_COLOUR,
               markeredgecolor="white", label="cooperation event"),
        Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=CONFRONTATION_COLOUR,
               markeredgecolor="white", label="confrontation event"),
        Patch(facecolor="none", edgecolor=PAUSE_HATCH_COLOUR, hatch="///", alpha=0.5, label=pause_label),
        Line2D([], [], color=CONFRONTATION_COLOUR, linewidth=2.5, linestyle="--", label=suspension_label),
    ]



# --- the quantities ---------------------------------------------------------------------------------

QUALIFIER_MARKERS = {"exact": "o", "about": "D", "almost": "<", "more than": ">", "at most": "<"}
"""Marker of each qualifier in :func:`plot_quantities`: a circle for an exact value, a diamond for an
approximate one, a triangle pointing the way the true value lies for 'almost' and 'more than'."""


def plain_description(description: str) -> str:
    """A description without its parenthetical remarks and final full stop: ``Officials trained (over its
    life).`` -> ``Officials trained``."""
    text = description
    while "(" in text and ")" in text[text.index("("):]:
        opening = text.index("(")
        closing = text.index(")", opening)
        text = (text[:opening].rstrip() + " " + text[closing + 1:].lstrip()).strip()
    return text.replace(" .", ".").replace(" ,", ",").rstrip(".").strip()


def quantity_rows(quantities: pd.DataFrame) -> pd.DataFrame:
    """The rows of the quantity chart: for each area (in the order of ``quantities``) a heading row, then
    one row per value. Columns: ``row`` (0, 1, ...), ``label``, ``is_heading``, and for value rows
    ``value``, ``qualifier``, ``as_stated``."""
    whats = quantities["what"].tolist()
    described = {what: plain_description(what) for what in set(whats)}  # a description recurs: once each
    labels = [described[what] for what in whats]
    values, qualifiers = quantities["value"].tolist(), quantities["qualifier"].tolist()
    as_stated = quantities["as_stated"].tolist()
    rows = []
    for area, positions in quantities.groupby("area", sort=False).indices.items():
        rows.append({"label": area, "is_heading": True})
        rows += [{"label": labels[at], "is_heading": False, "value": values[at], "qualifier": qualifiers[at],
                  "as_stated": as_stated[at]} for at in positions.tolist()]
    table = pd.DataFrame(rows, columns=["label", "is_heading", "value", "qualifier", "as_stated"])
    return table.assign(row=np.arange(len(table)))[["row", "label", "is_heading", "value", "qualifier",
                                                      "as_stated"]]


def plot_quantities(ax, quantities: pd.DataFrame, *, label_width: int = 48) -> None:
    """A dot chart of :func:`area_quantities` on a logarithmic axis: each value on its own row, under the
    name of its area, its marker showing the qualifier (:data:`QUALIFIER_MARKERS`) and the value written as
    the source states it beside it. Each row has its own unit, which the text names."""
    rows = quantity_rows(quantities)
    values = rows[~rows["is_heading"]]
    for item in values.itertuples(index=False):
        ax.scatter([item.value], [item.row], marker=QUALIFIER_MARKERS[item.qualifier], s=150,
                   color=COOPERATION_COLOUR, edgecolors="white", linewidths=1, zorder=3)
        ax.annotate(item.as_stated, (item.value, item.row), xytext=(12, 0), textcoords="offset points",
                    va="center", fontsize=13, color="#222222")
    labels = [textwrap.fill(textwrap.shorten(label, 2 * label_width, placeholder=" …"), label_width)
              for label in rows["label"]]
    ax.set_yticks(rows["row"], labels)
    for tick, is_heading in zip(ax.get_yticklabels(), rows["is_heading"]):
        tick.set_fontweight("bold" if is_heading else "normal")
        tick.set_fontsize(13 if is_heading else 12)
    ax.set_ylim(len(rows) - 0.4, -0.6)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(lambda value, position: f"{value:,.0f}")
    ax.grid(axis="y", visible=False)


def quantity_legend_handles(qualifiers) -> list:
    """Legend entries for the qualifiers that occur, in the order of :data:`QUALIFIER_MARKERS`."""
    present = [qualifier for qualifier in QUALIFIER_MARKERS if qualifier in set(qualifiers)]
    return [Line2D([], [], marker=QUALIFIER_MARKERS[qualifier], linestyle="", markersize=11,
                   markerfacecolor=COOPERATION_COLOUR, markeredgecolor="white",
                   label="exact" if qualifier == "exact" else f"'{qualifier}'") for qualifier in present]
