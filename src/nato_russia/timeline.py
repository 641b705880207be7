"""The timeline of the whole record and its close-ups, window by window (notebook 02).

The overview (:func:`plot_timeline`) puts every event on the cooperation-confrontation scale:

* x: the first day the event can have happened (:func:`first_possible_day`): the first day its date covers,
  or, for a response dated only to the month or year, the day of the event it answers;
* y: the score of its kind (+10 cooperation ... -10 confrontation); two events of the same score whose marks
  would cover each other are moved apart by a fraction of a point (:func:`lane_offsets`);
* colour: cooperation (score > 0), confrontation (< 0) or neutral (0), the package colours;
* marker: filled when the date is exact to the day, hollow when a source gives only the month or the year; a
  circle when the event's scope counts in the cooperation-confrontation index, a diamond for enlargement and
  context events, which the index leaves out;
* a thin line from the marker to the event's ``last_day``: the rest of the month or year its date names, or
  the period of activity up to ``end_date``;
* the turning points (``turning_point``) ringed and labelled with their date and short title.

The close-ups (:func:`plot_close_up`) trade the score axis for room to read: every event of a window (years,
or months where the record is dense) gets its own bar and label, cooperation (and neutral) events in rows above
the axis, confrontation below; rows are as tall as their tallest label (:func:`stack_rows`).

Both layouts are computed, not left to chance, and both are checked on the drawn figure:
:func:`place_labels` gives each overview label the nearest free spot around its marker (no label over
another label, a marker, a line or a phase name, no leader line through a label), and :func:`pack_rows`
stacks the close-up bars so that no two touch. :func:`overlapping_labels`, :func:`labels_over_markers` and
:func:`labels_outside_axes` measure the result.

>>> from nato_russia import load
>>> from nato_russia.timeline import plot_timeline
>>> record = load()
>>> timeline = plot_timeline(record.events, record.phases, title="...")
>>> timeline.fig.savefig("timeline.png")
"""

from __future__ import annotations

import heapq
import re
import textwrap
from typing import NamedTuple

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

from .plotting import (
    CONFRONTATION_COLOUR,
    COOPERATION_COLOUR,
    NEUTRAL_COLOUR,
    format_date_axis,
    score_colours,
    shade_phases,
)

__all__ = [
    "CLOSE_UP_FONTS",
    "ROW_SPACING",
    "Timeline",
    "candidate_offsets",
    "first_possible_day",
    "event_label",
    "format_partial_date",
    "labels_outside_axes",
    "labels_over_markers",
    "lane_offsets",
    "overlapping_labels",
    "pack_rows",
    "place_labels",
    "plot_close_up",
    "plot_timeline",
    "record_window",
    "short_label",
    "stack_rows",
]

_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_CLAUSE_BREAK = re.compile(r":\s")
_LABEL_COLOUR = "#111111"
_LEADER_COLOUR = "#444444"
_ZERO_LINE_COLOUR = "#777777"


class Timeline(NamedTuple):
    """What a timeline function drew: the figure, its axes, the event markers (two collections, filled and
    hollow, with one point per event between them) and the event labels."""

    fig: plt.Figure
    ax: plt.Axes
    markers: list[PathCollection]
    labels: list[Text]


# --- text -------------------------------------------------------------------------------------------------


def format_partial_date(start: pd.Timestamp, precision: str) -> str:
    """A date at its precision, for a label: ``27 May 1997``, ``May 1997`` or ``1997``."""
    if precision == "day":
        return f"{start.day} {_MONTHS[start.month - 1]} {start.year}"
    if precision == "month":
        return f"{_MONTHS[start.month - 1]} {start.year}"
    return f"{start.year}"


def short_label(title: str, width: int | None = 26, min_clause_words: int = 4) -> str:
    """A title shortened for a label, wrapped to lines of at most ``width`` characters (None: one line).

    A trailing bracket such as ``(2002-2008)``, which the chart shows as a line, is dropped; a title of
    the form "clause: comment" keeps only the clause when it has at least ``min_clause_words`` words, so
    "Russia joins the ... Council: formal relations begin" loses its comment but "Warsaw Summit: no
    return to ..." keeps it.
    """
    text = _without_trailing_bracket(title.strip())
    if ":" in text:  # (the search for a clause break, only where there can be one)
        clause = _CLAUSE_BREAK.search(text)
        if clause and len(text[: clause.start()].split()) >= min_clause_words:
            text = text[: clause.start()]
    return text if width is None else textwrap.fill(text, width=width, break_long_words=False, break_on_hyphens=False)


def _without_trailing_bracket(text: str) -> str:
    r"""``text`` (stripped) without a final bracket that holds no other bracket, nor the white space before it:
    what ``re.sub(r"\s*\([^()]*\)\s*$", "", text)`` gives, in a third of the time or less (a one-character slice
    is compared quicker than ``endswith`` is called; ``rpartition`` splits at the last "(" in one call)."""
    if text[-1:] == ")":
        before, opening, inside = text.rpartition("(")
        if opening and ")" not in inside[:-1]:
            return before.rstrip()
    return text


def event_label(event, *, width: int | None, with_date: bool) -> str:
    """The label of one event (a row of ``events``): its short title, under its date if ``with_date``."""
    text = short_label(event.title, width=width)
    return f"{format_partial_date(event.start, event.precision)}\n{text}" if with_date else text


# --- layout: pure geometry, tested by hand ----------------------------------------------------------------


def lane_offsets(
    starts: pd.Series, ends: pd.Series, groups: pd.Series, *, min_gap: pd.Timedelta, step: float
) -> pd.Series:
    """A vertical offset per item, so that items of one group that overlap in time do not cover each other.

    Within each group, items are taken in order of start (ties in index order) and each goes to the lowest
    lane whose last item ended at least ``min_gap`` before it starts. Lane 0 has offset 0; the next lanes
    alternate above and below: +step, -step, +2 step, -2 step, ... ``ends`` is the last day an item covers
    (missing: its start). Items without a group get 0.
    """
    offsets: dict = {}
    items = pd.DataFrame({"start": starts, "end": ends.fillna(starts), "group": groups})
    items = items.sort_values(["group", "start"], kind="stable")
    for _, group in items.groupby("group", sort=False):
        busy: list[tuple] = []  # (when the lane is free again, lane), soonest first
        free: list[int] = []  # free lanes, lowest first
        lanes = 0
        for label, start, end in zip(group.index, group["start"], group["end"]):
            if not pd.isna(start):
                while busy and busy[0][0] <= start:
                    heapq.heappush(free, heapq.heappop(busy)[1])
            lane = heapq.heappop(free) if free and not pd.isna(start) else lanes
            lanes += lane == lanes
            if not pd.isna(end):
                heapq.heappush(busy, (end + min_gap, lane))
            offsets[label] = step * ((lane + 1) // 2) * (1 if lane % 2 else -1)
    return pd.Series([offsets.get(label, 0.0) for label in starts.index], index=starts.index, name="offset",
                     dtype="float64")


def candidate_offsets(step: float = 20.0, reach: tuple[float, float] = (900.0, 700.0)) -> np.ndarray:
    """Offsets (dx, dy) from an anchor to a label's centre, nearest first: a grid of ``step`` out to
    ``reach`` in each direction, ordered by distance, then by horizontal distance (straight above or below
    first), then from top to bottom."""
    dx = np.arange(-reach[0], reach[0] + step / 2, step)
    dy = np.arange(-reach[1], reach[1] + step / 2, step)
    grid = np.array([(x, y) for y in dy for x in dx])
    order = np.lexsort((-grid[:, 1], np.abs(grid[:, 0]), np.hypot(grid[:, 0], grid[:, 1])))
    return grid[order]


def _intersects(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """For each box (x0, y0, x1, y1), whether it overlaps any of ``others``."""
    if len(others) == 0:
        return np.zeros(len(boxes), dtype=bool)
    return (
        (boxes[:, None, 0] < others[None, :, 2])
        & (others[None, :, 0] < boxes[:, None, 2])
        & (boxes[:, None, 1] < others[None, :, 3])
        & (others[None, :, 1] < boxes[:, None, 3])
    ).any(axis=1)


def _contains_any(boxes: np.ndarray, points: np.ndarray) -> np.ndarray:
    """For each box, whether any of ``points`` (n, 2) lies strictly inside it."""
    if len(points) == 0:
        return np.zeros(len(boxes), dtype=bool)
    return (
        (points[None, :, 0] > boxes[:, None, 0])
        & (points[None, :, 0] < boxes[:, None, 2])
        & (points[None, :, 1] > boxes[:, None, 1])
        & (points[None, :, 1] < boxes[:, None, 3])
    ).any(axis=1)


def _leader_points(anchor: np.ndarray, boxes: np.ndarray, samples: int = 24) -> np.ndarray:
    """Points along the leader from ``anchor`` to the nearest point of each box: shape (boxes, samples, 2)."""
    ends = np.stack([np.clip(anchor[0], boxes[:, 0], boxes[:, 2]), np.clip(anchor[1], boxes[:, 1], boxes[:, 3])], 1)
    fractions = np.linspace(0, 1, samples)[None, :, None]
    return anchor[None, None, :] + fractions * (ends - anchor)[:, None, :]


def _points_in_boxes(points: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """For points of shape (candidates, samples, 2): whether any point of each candidate lies strictly inside
    any of ``boxes``."""
    if len(boxes) == 0:
        return np.zeros(points.shape[0], dtype=bool)
    inside = (
        (points[:, :, None, 0] > boxes[None, None, :, 0])
        & (points[:, :, None, 0] < boxes[None, None, :, 2])
        & (points[:, :, None, 1] > boxes[None, None, :, 1])
        & (points[:, :, None, 1] < boxes[None, None, :, 3])
    )
    return inside.any(axis=(1, 2))


def place_labels(
    anchors: np.ndarray,
    sizes: np.ndarray,
    obstacles: np.ndarray,
    frame: tuple[float, float, float, float],
    candidates: np.ndarray,
    *,
    pad: float = 4.0,
    leader_obstacles: np.ndarray | None = None,
    clearance: float = 0.0,
    crossing_cost: float = 1000.0,
    orders: list[list[int]] | None = None,
    refinements: int = 3,
) -> np.ndarray:
    """The centre of each label, so that labels, leader lines and obstacles stay clear of each other.

    Labels are placed one at a time. A candidate position (an offset from the label's anchor, from
    ``candidates``) is allowed when

    * the label's box, grown by ``pad`` on every side, lies inside ``frame`` (x0, y0, x1, y1), overlaps none
      of ``obstacles`` (boxes x0, y0, x1, y1) and none of the labels placed before it, and contains no point
      of their leader lines;
    * its leader line (from the anchor to the nearest point of the box) passes through no label placed
      before it.

    Among the allowed positions each label takes the cheapest: the length of its leader line, plus
    ``crossing_cost`` if the line passes through one of ``leader_obstacles`` beyond its first ``clearance``
    units (the anchor's own marker); ties go to the earlier candidate. Once all are placed, each label in
    turn moves to its cheapest allowed spot given all the others, for up to ``refinements`` rounds. Each
    order of ``orders`` (default: the labels as given) is tried and the layout with the lowest total cost
    kept (ties: the earlier order).

    ``anchors`` and ``sizes`` (width, height) have shape (n, 2), in one unit such as display pixels. Returns
    the centres, shape (n, 2), in the order of ``anchors``. Raises ``ValueError`` when no order places
    every label.
    """
    anchors, sizes = np.asarray(anchors, dtype=float).reshape(-1, 2), np.asarray(sizes, dtype=float).reshape(-1, 2)
    obstacles = np.asarray(obstacles, dtype=float).reshape(-1, 4)
    if leader_obstacles is None:
        leader_obstacles = np.empty((0, 4))
    leader_obstacles = np.asarray(leader_obstacles, dtype=float).reshape(-1, 4)
    candidates = np.asarray(candidates, dtype=float).reshape(-1, 2)
    if not crossing_cost >= 0:
        raise ValueError(f"crossing_cost must be 0 or more (a leader's length is the least a position costs); "
                         f"found {crossing_cost}")

    def options(number, others):
        """Cost of every candidate for label ``number`` given the placed labels ``others`` (boxes, leaders):
        infinite where the candidate is not allowed."""
        anchor, size = anchors[number], sizes[number]
        middles = anchor + candidates
        bare = np.hstack([middles - size / 2, middles + size / 2])
        boxes = bare + np.array([-pad, -pad, pad, pad])
        other_boxes = np.vstack([box for box, _ in others]) if others else np.empty((0, 4))
        other_leaders = np.vstack([leader for _, leader in others]) if others else np.empty((0, 2))
        allowed = (boxes[:, 0] >= frame[0]) & (boxes[:, 1] >= frame[1])
        allowed &= (boxes[:, 2] <= frame[2]) & (boxes[:, 3] <= frame[3])
        allowed &= ~_intersects(boxes, obstacles) & ~_intersects(boxes, other_boxes)
        allowed &= ~_contains_any(boxes, other_leaders)
        leaders = _leader_points(anchor, bare)
        rest = np.flatnonzero(allowed)  # the costly checks only where the cheap ones passed
        allowed[rest] &= ~_points_in_boxes(leaders[rest], other_boxes)
        rest = np.flatnonzero(allowed)
        cost = np.full(len(candidates), np.inf)
        away = np.hypot(*np.moveaxis(leaders[rest] - anchor, -1, 0)) > clearance
        crosses = _points_in_boxes(np.where(away[:, :, None], leaders[rest], anchor), leader_obstacles)
        cost[rest] = np.hypot(*(leaders[rest, -1] - anchor).T) + crossing_cost * crosses
        return cost, boxes, leaders

    best, best_cost, failure = None, np.inf, None
    for order in orders or [list(range(len(anchors)))]:
        placed: dict[int, tuple[int, float, np.ndarray, np.ndarray]] = {}  # label -> (candidate, cost, box, leader)
        for number in order:
            cost, boxes, leaders = options(number, [(item[2], item[3]) for item in placed.values()])
            choice = int(np.argmin(cost))
            if not np.isfinite(cost[choice]):
                failure = number if failure is None else failure
                break
            placed[number] = (choice, float(cost[choice]), boxes[choice], leaders[choice])
        else:
            for _ in range(refinements):  # move each label to its cheapest spot given all the others
                moved = False
                for number in order:
                    others = [(item[2], item[3]) for other, item in placed.items() if other != number]
                    cost, boxes, leaders = options(number, others)
                    choice = int(np.argmin(cost))
                    if cost[choice] < placed[number][1]:
                        placed[number] = (choice, float(cost[choice]), boxes[choice], leaders[choice])
                        moved = True
                if not moved:
                    break
            total = sum(item[1] for item in placed.values())
            if total < best_cost:
                best_cost = total
                best = np.array([anchors[number] + candidates[placed[number][0]] for number in range(len(anchors))])
    if best is None:
        raise ValueError(f"no room for label {failure}: every candidate position is taken or outside the frame")
    return best.reshape(-1, 2)


def pack_rows(
    starts: pd.Series, ends: pd.Series, widths: pd.Series, sides: pd.Series, *, right_edge: float, gap: float
) -> pd.DataFrame:
    """Rows for labelled bars so that no two bars of a row touch: a timeline's label layout.

    Every item is a marker at ``start``, a bar to ``end`` and a label ``width`` wide, all in one unit (e.g.
    days). The label goes right of the marker, ``gap`` away, unless it would then pass ``right_edge``; then it
    goes left of the marker. An item occupies the hull of its bar and its label, and two items in one row
    keep at least ``gap`` between them. Items are taken in order of start (ties in index order) and each goes
    to the lowest row on its side (``sides``, e.g. +1 above the axis, -1 below) where it fits. Returns
    ``row`` (0 = nearest the axis) and ``label_left``, with the index of ``starts``.
    """
    items = pd.DataFrame({"start": starts, "end": ends.fillna(starts), "width": widths, "side": sides})
    items = items.sort_values("start", kind="stable")
    rows = pd.Series(0, index=starts.index, name="row", dtype="int64")
    label_left = pd.Series(False, index=starts.index, name="label_left")
    occupied: dict[tuple[object, int], list[tuple[float, float]]] = {}  # (side, row) -> hulls
    for label, item in items.iterrows():
        label_low = item["start"] + gap
        left = label_low + item["width"] > right_edge
        if left:
            label_low = item["start"] - gap - item["width"]
        low, high = min(item["start"], label_low), max(item["end"], label_low + item["width"])
        row = 0
        while any(
            low < other_high + gap and other_low < high + gap
            for other_low, other_high in occupied.get((item["side"], row), [])
        ):
            row += 1
        occupied.setdefault((item["side"], row), []).append((low, high))
        rows[label], label_left[label] = row, left
    return pd.DataFrame({"row": rows, "label_left": label_left})


# --- checks on a drawn figure -----------------------------------------------------------------------------


def _extents(artists, renderer) -> np.ndarray:
    return np.array([artist.get_window_extent(renderer).extents for artist in artists]).reshape(-1, 4)


def overlapping_labels(labels: list[Text], renderer=None, pad: float = 0.0) -> list[tuple[int, int]]:
    """Every pair (i, j), i < j, of labels whose boxes on the drawn figure overlap, each grown by ``pad``
    pixels."""
    if not labels:
        return []
    renderer = renderer or labels[0].figure.canvas.get_renderer()
    boxes = _extents(labels, renderer) + np.array([-pad, -pad, pad, pad])
    return [
        (first, second)
        for first in range(len(boxes))
        for second in range(first + 1, len(boxes))
        if _intersects(boxes[first : first + 1], boxes[second : second + 1])[0]
    ]


def marker_centres(timeline: Timeline) -> np.ndarray:
    """The centre of every event marker, in display pixels."""
    return np.vstack(
        [collection.get_offset_transform().transform(collection.get_offsets()) for collection in timeline.markers]
    )


def labels_over_markers(timeline: Timeline, radius: float = 3.0, renderer=None) -> list[tuple[int, int]]:
    """Every pair (label, marker) where a label's box covers part of an event marker, taken as a square of
    half-side ``radius`` pixels around its centre."""
    renderer = renderer or timeline.fig.canvas.get_renderer()
    centres = marker_centres(timeline)
    squares = np.hstack([centres - radius, centres + radius])
    found = []
    for number, box in enumerate(_extents(timeline.labels, renderer)):
        found += [(number, int(point)) for point in np.flatnonzero(_intersects(squares, box[None, :]))]
    return found


def labels_outside_axes(timeline: Timeline, renderer=None) -> list[int]:
    """The labels whose box reaches beyond the axes."""
    renderer = renderer or timeline.fig.canvas.get_renderer()
    frame = timeline.ax.get_window_extent(renderer).extents
    boxes = _extents(timeline.labels, renderer)
    outside = (boxes[:, 0] < frame[0] - 0.5) | (boxes[:, 1] < frame[1] - 0.5) | (boxes[:, 2] > frame[2] + 0.5) | (
        boxes[:, 3] > frame[3] + 0.5
    )
    return [int(number) for number in np.flatnonzero(outside)]


# --- the figures ------------------------------------------------------------------------------------------


def record_window(
    events: pd.DataFrame, first_year: int | str | None = None, last_year: int | str | None = None
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """A view's span, from the first day of ``first_year`` to the first day after ``last_year``.

    Each is a year (``2021``) or a month (``"2021-07"``): ``record_window(events, 2021, "2021-06")`` is
    1 January to 1 July 2021. Defaults: the year of the first event, the year of the last day any event covers.
    """
    first = events["start"].min().year if first_year is None else first_year
    last = events["last_day"].max().year if last_year is None else last_year
    return pd.Period(str(first)).start_time, (pd.Period(str(last)) + 1).start_time


def first_possible_day(events: pd.DataFrame) -> pd.Series:
    """Where an event stands on a time axis: the first day it can have happened. That is ``earliest`` when
    the loader gives it (the ``start``, or for a response dated only to the month or year, the day of the
    event it answers), else ``start``."""
    return events["earliest"] if "earliest" in events.columns else events["start"]


def _events_in(events: pd.DataFrame, left: pd.Timestamp, right: pd.Timestamp) -> pd.DataFrame:
    """The events whose first possible day falls in [left, right), in date order, with that day as ``x``."""
    x = first_possible_day(events)
    inside = (x >= left) & (x < right)
    shown = events[inside].assign(x=x[inside]).sort_values(["x", "start", "event_id"], kind="stable")
    shown["last_day"] = shown["last_day"].where(shown["last_day"] >= shown["x"], shown["x"])  # drawing only
    return shown


def _freeze_layout(fig) -> None:
    """Lay the figure out once and keep it, so that labels placed afterwards cannot move the axes.

    The layout engine runs on its own (it measures the artists, as a draw would first do), without
    rendering the whole figure."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    fig.set_layout_engine("none")


def _draw_markers(ax, shown: pd.DataFrame, y: pd.Series, size: float) -> list[PathCollection]:
    """One marker per event: filled if dated to the day, hollow if only to the month or year; a circle if the
    event's scope counts in the index (``in_index``; all events when the column is missing), else a diamond
    (enlargement and context events)."""
    colours = np.array(score_colours(shown["score"]), dtype=object)
    exact = (shown["precision"] == "day").to_numpy()
    indexed = shown["in_index"].to_numpy(dtype=bool) if "in_index" in shown.columns else np.ones(len(shown), bool)
    markers = []
    for shape, in_shape, shape_size in (("o", indexed, size), ("D", ~indexed, 0.7 * size)):
        filled, hollow = exact & in_shape, ~exact & in_shape
        markers += [
            ax.scatter(shown["x"][filled], y[filled], s=shape_size, marker=shape, c=list(colours[filled]),
                       edgecolors="white", linewidths=0.8, zorder=5),
            ax.scatter(shown["x"][hollow], y[hollow], s=shape_size, marker=shape, facecolors="white",
                       edgecolors=list(colours[hollow]), linewidths=2.2, zorder=5),
        ]
    return markers


def _legend(fig, span_handle, *, turning_points: str) -> None:
    def dot(face, edge, text, size=11.0, marker="o"):
        return Line2D([], [], marker=marker, linestyle="none", markersize=size, markerfacecolor=face,
                      markeredgecolor=edge, markeredgewidth=2, label=text)

    handles = [
        dot(COOPERATION_COLOUR, COOPERATION_COLOUR, "cooperation"),
        dot(CONFRONTATION_COLOUR, CONFRONTATION_COLOUR, "confrontation"),
        dot(NEUTRAL_COLOUR, NEUTRAL_COLOUR, "neutral"),
        dot("#555555", "white", "dated to the day"),
        dot("white", "#555555", "to the month or year"),
        span_handle,
        dot("#555555", "#555555", "enlargement or context (not in the index)", size=8, marker="D"),
    ]
    if turning_points == "ring":
        handles.append(dot("none", _LABEL_COLOUR, "turning point", size=17))
    else:
        handles.append(Patch(facecolor="none", edgecolor="none", label="bold: turning point"))
    fig.legend(handles=handles, loc="outside lower center", ncols=(len(handles) + 1) // 2, fontsize="small",
               handletextpad=0.4, columnspacing=1.3)


def plot_timeline(
    events: pd.DataFrame,
    phases: pd.DataFrame,
    *,
    title: str | None = None,
    figsize: tuple[float, float] = (16, 9),
    label_width: int = 22,
    label_size: float = 13,
    marker_size: float = 110,
) -> Timeline:
    """The whole record on one chart: every event at its date and score, over the phases; the turning points
    ringed and labelled with their date and short title (see the module docstring for the encoding).

    ``events`` needs ``event_id``, ``title``, ``start``, ``precision``, ``last_day``, ``score`` and
    ``turning_point`` (as :func:`nato_russia.load` gives them); ``phases`` needs ``start``, ``end`` and
    ``label``. Labels go to the nearest free spot around their marker (:func:`place_labels`).
    """
    left, right = record_window(events)
    shown = _events_in(events, left, right)
    fig, ax = plt.subplots(figsize=figsize)
    ax.set_xlim(left, right)
    if title:
        ax.set_title(title)

    days_per_inch = (right - left).days / (0.85 * figsize[0])
    marker_inches = 2 * np.sqrt(marker_size / np.pi) / 72
    min_gap = pd.Timedelta(days=float(np.ceil(1.2 * marker_inches * days_per_inch)))
    y = shown["score"] + lane_offsets(shown["x"], shown["last_day"], shown["score"], min_gap=min_gap, step=0.3)
    spans = (shown["last_day"] > shown["x"]).to_numpy()
    span_lines = ax.hlines(y[spans], shown["x"][spans], shown["last_day"][spans] + pd.Timedelta(days=1),
                           colors=score_colours(shown["score"][spans]), linewidth=2.5, alpha=0.5, zorder=3)
    markers = _draw_markers(ax, shown, y, marker_size)
    turning = shown["turning_point"].to_numpy()
    rings = ax.scatter(shown["x"][turning], y[turning], s=marker_size * 2.6, facecolors="none",
                       edgecolors=_LABEL_COLOUR, linewidths=1.6, zorder=6)
    ax.axhline(0, color=_ZERO_LINE_COLOUR, linewidth=1, zorder=2)
    ax.set_ylim(-15.5, 14.5)
    ax.set_yticks(range(-10, 11, 2))
    ax.set_ylabel("Score of the event's kind\n(−10 confrontation … +10 cooperation)")
    shade_phases(ax, phases, today=right)
    format_date_axis(ax, maxticks=12)
    _legend(fig, Line2D([], [], color="#555555", alpha=0.5, linewidth=3, label="span of date or period"),
            turning_points="ring")
    _freeze_layout(fig)

    renderer = fig.canvas.get_renderer()
    phase_names = _extents(ax.texts, renderer)
    marker_boxes = []
    for collection in (*markers, rings):
        centres = collection.get_offset_transform().transform(collection.get_offsets())
        radius = np.sqrt(collection.get_sizes()[0]) * fig.dpi / 72 / 2 + 2
        marker_boxes.append(np.hstack([centres - radius, centres + radius]))
    marker_boxes = np.vstack(marker_boxes)
    line_boxes = np.array([
        [x0, y0 - 3, x1, y0 + 3]
        for (x0, y0), (x1, _) in (ax.transData.transform(segment) for segment in span_lines.get_segments())
    ]).reshape(-1, 4)

    labelled = shown[turning]
    labels = [
        ax.text(event.start, y[index], event_label(event, width=label_width, with_date=True), fontsize=label_size,
                color=_LABEL_COLOUR, ha="center", va="center", linespacing=1.1, zorder=7)
        for index, event in labelled.iterrows()
    ]
    anchors = ax.transData.transform(np.column_stack([mdates.date2num(labelled["x"]), y[turning]]))
    sizes = _extents(labels, renderer)
    sizes = np.column_stack([sizes[:, 2] - sizes[:, 0], sizes[:, 3] - sizes[:, 1]])
    all_points = ax.transData.transform(np.column_stack([mdates.date2num(shown["x"]), y]))
    crowding = [int((np.hypot(*(all_points - anchor).T) < 150).sum()) for anchor in anchors]
    by_date = list(range(len(labels)))
    orders = [by_date, by_date[::-1], sorted(by_date, key=lambda n: -crowding[n]), sorted(by_date, key=lambda n: crowding[n])]
    ring_radius = np.sqrt(marker_size * 2.6) * fig.dpi / 72 / 2
    centres = place_labels(
        anchors, sizes, np.vstack([phase_names, marker_boxes, line_boxes]),
        tuple(ax.get_window_extent(renderer).extents), candidate_offsets(),
        leader_obstacles=np.vstack([phase_names, marker_boxes]), clearance=ring_radius + 3,
        orders=orders,
    )
    to_data = ax.transData.inverted()
    for label, anchor, centre, size in zip(labels, anchors, centres, sizes):
        label.set_position(to_data.transform(centre))
        nearest = np.clip(anchor, centre - size / 2, centre + size / 2)
        distance = np.hypot(*(nearest - anchor))
        if distance > ring_radius + 2:
            start = anchor + (nearest - anchor) * ring_radius / distance
            line = to_data.transform(np.vstack([start, nearest]))
            ax.plot(mdates.num2date(line[:, 0]), line[:, 1], color=_LEADER_COLOUR, linewidth=1.0, zorder=6)
    return Timeline(fig, ax, markers, labels)


CLOSE_UP_FONTS = ((12, 60), (11, 60), (10, 60), (10, 40), (9, 40))
"""Label font sizes (points) a close-up tries, in order, each with the width (characters) to which a label is
wrapped when it does not fit on one line beside its marker. The last, below 10 points, is too small for a
projector: a window that needs it is too crowded for one figure."""

ROW_SPACING = 1.25
"""A close-up's row is this many times as tall as its tallest label."""


def stack_rows(rows: pd.Series, sides: pd.Series, heights: pd.Series, *, base: float) -> tuple[pd.Series, float, float]:
    """Where rows of different heights sit: the centre of each item's row, measured from the axis (positive
    above it, negative below), and how far the rows reach above and below.

    ``rows`` and ``sides`` are :func:`pack_rows`' rows and sides (+1 above, -1 below); a row is as tall as the
    tallest of ``heights`` in it; on each side the first row starts ``base`` from the axis and each next row
    where the one before ends.
    """
    items = pd.DataFrame({"row": rows, "side": sides, "height": heights})
    tallest = items.groupby(["side", "row"], as_index=False)["height"].max()  # sorted by side, then row
    tallest["top"] = base + tallest.groupby("side")["height"].cumsum()
    tallest["centre"] = tallest["side"] * (tallest["top"] - tallest["height"] / 2)
    centres = items.merge(tallest, on=["side", "row"], how="left")["centre"].set_axis(items.index)
    reach = tallest.groupby("side")["top"].max()
    return centres, float(reach.get(1, 0.0)), float(reach.get(-1, 0.0))


def plot_close_up(
    events: pd.DataFrame,
    phases: pd.DataFrame,
    *,
    first_year: int | str,
    last_year: int | str | None = None,
    title: str | None = None,
    figsize: tuple[float, float] = (16, 9),
    marker_size: float = 70,
) -> Timeline:
    """Every event whose first possible day falls from ``first_year`` to ``last_year`` (years, or months such
    as ``"2021-06"``, as :func:`record_window` reads them; default: to the end of the month of the record's last
    day), each on its own labelled bar: cooperation (and neutral) events in rows above the axis, confrontation
    below, turning points in bold, enlargement and context events as diamonds.

    A bar runs from the event's first possible day (:func:`first_possible_day`) to its ``last_day``; a bar
    that passes the right edge continues beyond it. A label stays on one line where it fits beside its marker
    and is wrapped where it does not. Rows come from :func:`pack_rows`, so no two labels touch, and each row
    is as tall as its tallest label (:func:`stack_rows`); the first of :data:`CLOSE_UP_FONTS` whose rows fit
    the axes is used.
    """
    if last_year is None:  # to the end of the month of the record's last day, not of its year
        last_year = f"{events['last_day'].max():%Y-%m}"
    left, right = record_window(events, first_year, last_year)
    shown = _events_in(events, left, right)
    margin = (right - left) * 0.015
    fig, ax = plt.subplots(figsize=figsize)
    ax.set_xlim(left - margin, right + margin)
    ax.set_ylim(0, 1)
    if title:
        ax.set_title(title)
    shade_phases(ax, phases, today=right + margin)
    _unbreak_phase_names(ax, phases)
    format_date_axis(ax, maxticks=12)
    ax.grid(axis="y", visible=False)
    _legend(fig, Patch(facecolor="#555555", alpha=0.25, label="span of date or period"), turning_points="bold")
    _freeze_layout(fig)

    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    phase_height = max((text.get_window_extent(renderer).height for text in ax.texts), default=0.0) + 14
    days_per_pixel = ((right + margin) - (left - margin)).days / frame.width
    gap = (np.sqrt(marker_size) * fig.dpi / 72 / 2 + 5) * days_per_pixel
    sides = pd.Series(np.where(shown["score"] >= 0, 1, -1), index=shown.index)
    origin = mdates.date2num(left - margin)
    starts = pd.Series(mdates.date2num(shown["x"]) - origin, index=shown.index)
    ends = pd.Series(mdates.date2num(shown["last_day"] + pd.Timedelta(days=1)) - origin, index=shown.index)
    right_edge = frame.width * days_per_pixel - gap
    room = np.maximum(right_edge - starts - gap, starts - gap)  # the wider side of the marker, in days
    titles = shown["title"].tolist()
    for size, width in CLOSE_UP_FONTS:
        one_line = _label_sizes([short_label(title, width=None) for title in titles], size, ax, renderer)
        texts = [
            short_label(title, width=None if line_width * days_per_pixel <= space else width)
            for title, line_width, space in zip(titles, one_line[:, 0], room)
        ]  # event_label without the date
        extents = _label_sizes(texts, size, ax, renderer)
        widths = pd.Series(extents[:, 0] * days_per_pixel, index=shown.index)
        layout = pack_rows(starts, ends, widths, sides, right_edge=right_edge, gap=gap)
        line_pitch = ROW_SPACING * one_line[:, 1].min(initial=size)
        y, above, below = stack_rows(layout["row"], sides, pd.Series(ROW_SPACING * extents[:, 1], index=shown.index),
                                     base=line_pitch / 2)
        # a label that fits neither right of its marker nor left of it would run off the axes: try smaller
        inside = not (layout["label_left"] & (starts - gap - widths < 0)).any()
        if inside and above + below + line_pitch + phase_height <= frame.height:
            break
    spare = max(frame.height - (above + below + line_pitch + phase_height), 0) / 2  # half above, half below
    ax.set_ylim(-(below + line_pitch / 2 + spare), above + line_pitch / 2 + phase_height + spare)
    ax.barh(y, ends - starts, left=mdates.date2num(shown["x"]), height=0.62 * line_pitch,
            color=score_colours(shown["score"]), alpha=0.22, zorder=3, linewidth=0)
    markers = _draw_markers(ax, shown, y, marker_size)
    ax.axhline(0, color=_ZERO_LINE_COLOUR, linewidth=1, zorder=2)
    _side_ticks(ax, above, below, renderer)

    labels = []
    for (index, event), text in zip(shown.iterrows(), texts):
        on_left = bool(layout.at[index, "label_left"])
        labels.append(ax.text(
            origin + starts[index] + (-gap if on_left else gap), y[index], text, fontsize=size,
            ha="right" if on_left else "left", va="center", color=_LABEL_COLOUR, linespacing=1.05,
            fontweight="bold" if event["turning_point"] else "normal", zorder=7,
        ))
    return Timeline(fig, ax, markers, labels)


def _label_sizes(texts: list[str], size: float, ax, renderer) -> np.ndarray:
    """Width and height (pixels) of each text as a close-up label in bold (the wider of its two weights)."""
    probes = [ax.text(0, 0, text, fontsize=size, fontweight="bold", linespacing=1.05) for text in texts]
    extents = _extents(probes, renderer)
    for probe in probes:
        probe.remove()
    return np.column_stack([extents[:, 2] - extents[:, 0], extents[:, 3] - extents[:, 1]])


def _side_ticks(ax, above: float, below: float, renderer) -> None:
    """Name the two sides of the axis on the y-axis, in their colours, small enough to fit their side (``above``
    and ``below``: how far the rows reach, in the y-axis' units, which are pixels); a side too short for its
    name at 10 points stays unnamed (its colour names it)."""
    named = []
    for position, name, colour, reach in ((above / 2, "cooperation", COOPERATION_COLOUR, above),
                                          (-below / 2, "confrontation", CONFRONTATION_COLOUR, below)):
        probe = ax.text(0, 0, name, fontsize=plt.rcParams["ytick.labelsize"], fontweight="bold", rotation=90)
        size = probe.get_fontsize() * min(1.0, 0.95 * reach / probe.get_window_extent(renderer).height)
        probe.remove()
        if size >= 10:
            named.append((position, name, colour, size))
    ax.set_yticks([side[0] for side in named], [side[1] for side in named], rotation=90, va="center")
    for tick_label, (_, _, colour, size) in zip(ax.get_yticklabels(), named):
        tick_label.set(color=colour, fontweight="bold", fontsize=size)
    ax.tick_params(axis="y", length=0)


def _unbreak_phase_names(ax, phases: pd.DataFrame) -> None:
    """Re-wrap phase names that :func:`shade_phases` split inside a word (e.g. "Resumpti / on") in a narrow
    band: whole words only, keeping the line width it chose."""
    names = {re.sub(r"\s", "", name): name for name in phases["label"].dropna()}
    for text in ax.texts:
        shown = text.get_text()
        name = names.get(re.sub(r"\s", "", shown))
        if name and "\n" in shown:
            width = max(len(line) for line in shown.split("\n"))
            text.set_text(textwrap.fill(name, width=width, break_long_words=False))
