"""Channels of communication: when each opened and closed, what the record dates in it, which were still
open at a given moment, and a swimlane chart of them (used by notebooks/06_channels.ipynb).

A channel's dates come from the events that opened and closed it (``opened_event_id`` and
``closed_event_id`` in channels.csv), at the precision the sources give those events. A channel without an
opening event is *reported open, dates unknown*: no date is made up for it. Every function returns a new
DataFrame or Series; none modifies its input.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .cooperation import (
    FUZZY_ALPHA,
    ONE_DAY,
    draw_event_markers,
    draw_span_bar,
    finish_row_chart,
)
from .dates import PRECISION
from .plotting import CONFRONTATION_COLOUR, NEUTRAL_COLOUR, score_colour

__all__ = [
    "JOINT_BODY_CHANNELS",
    "STATUSES",
    "OPEN_AT_LABELS",
    "cap_changes",
    "channel_lifetimes",
    "channel_rows",
    "open_at",
    "markers_beside_closures",
    "meetings_per_year",
    "with_joint_body_channels",
    "plot_channel_swimlanes",
    "swimlane_legend_handles",
]

STATUSES = ("replaced", "closed", "open in the record", "reported open, dates unknown")
"""What the record says of each channel: ``replaced`` (closed by the event that opened its successor),
``closed`` (closed or suspended, no successor), ``open in the record`` (opened on a date, no closing event),
``reported open, dates unknown`` (no opening and no closing event)."""

OPEN_AT_LABELS = ("open: no closure in the record", "reported open, dates unknown", "closure date uncertain",
                  "closed", "not yet open")
"""The answers of :func:`open_at`, in this order."""


JOINT_BODY_CHANNELS = {"Permanent Joint Council": "pjc", "NATO-Russia Council": "nrc"}
"""The joint bodies of parties.csv and the channel (channels.csv ``channel_id``) each is: an act of the body
itself (its meeting, its decision) takes place in that channel."""


def with_joint_body_channels(events: pd.DataFrame, bodies: dict[str, str] = JOINT_BODY_CHANNELS) -> pd.DataFrame:
    """``events`` with ``channel`` filled in for the acts of a joint body that name no channel: an event whose
    ``actor`` is a key of ``bodies`` takes place in that body's channel. An event that names a channel keeps
    it. A new DataFrame; the input is not changed."""
    return events.assign(channel=events["channel"].fillna(events["actor"].map(bodies)))


def meetings_per_year(events: pd.DataFrame, channel: str, first_year: int | None = None,
                      last_year: int | None = None) -> pd.Series:
    """How many events of kind ``meeting`` the record dates in ``channel`` in each calendar year (by the year
    of ``start``, so a meeting dated only to a month or a year still counts in its year), from ``first_year``
    (default: the year of the first meeting) to ``last_year`` (default: the last meeting's), years without a
    meeting included as 0. A Series of int64 indexed by year."""
    years = events.loc[(events["channel"] == channel) & (events["kind"] == "meeting"), "start"].dt.year
    low = int(years.min()) if first_year is None else first_year
    high = int(years.max()) if last_year is None else last_year
    counts = years.value_counts().reindex(range(low, high + 1), fill_value=0).astype("int64")
    return counts.rename_axis("year").rename("meetings")


def channel_lifetimes(channels: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Each channel with the dates of its opening and closing events and what the record dates in it.

    One row per channel, in the order of ``channels``. Columns: ``channel_id``, ``name_en``,
    ``channel_kind``, ``opened_id``, ``opened_date`` (as given), ``opened_start``, ``opened_precision``,
    ``closed_id``, ``closed_date``, ``closed_start``, ``closed_precision``, ``closed_last_day``,
    ``closed_score`` (the closing event's score), ``closed_certainty`` (the closing event's certainty;
    ``established`` when the events carry no ``certainty`` column), ``replaced_by``, ``replaced_by_name``, ``events`` (how many
    events name the channel), ``last_event_id``, ``last_event_date`` (as given) and ``last_event_day``
    (the latest ``last_day`` among them, ties broken by ``event_id``), ``status`` (:data:`STATUSES`) and
    ``note``.
    """
    # Only the columns used below (a copy of every column of every event would be most of the work).
    by_id = events[["event_id", "date", "start", "precision", "last_day", "score"]].set_index("event_id")
    names = channels.set_index("channel_id")["name_en"]
    in_channel = events[["channel", "last_day", "event_id", "date"]].dropna(subset=["channel"]).sort_values(
        ["last_day", "event_id"], kind="stable")
    last = in_channel.drop_duplicates("channel", keep="last").set_index("channel")
    table = pd.DataFrame({"channel_id": channels["channel_id"], "name_en": channels["name_en"],
                          "channel_kind": channels["channel_kind"]})
    for prefix, column in (("opened", "opened_event_id"), ("closed", "closed_event_id")):
        ids = channels[column]
        table[f"{prefix}_id"] = ids
        table[f"{prefix}_date"] = ids.map(by_id["date"]).astype("str")
        table[f"{prefix}_start"] = ids.map(by_id["start"]).astype(events["start"].dtype)
        table[f"{prefix}_precision"] = ids.map(by_id["precision"]).astype(PRECISION)
    table["closed_last_day"] = channels["closed_event_id"].map(by_id["last_day"]).astype(events["last_day"].dtype)
    table["closed_score"] = channels["closed_event_id"].map(by_id["score"]).astype("float64")
    certainty = (events.set_index("event_id")["certainty"] if "certainty" in events
                 else pd.Series("established", index=by_id.index))
    table["closed_certainty"] = channels["closed_event_id"].map(certainty).astype("object")
    table["replaced_by"] = channels["replaced_by"]
    table["replaced_by_name"] = channels["replaced_by"].map(names).astype("str")
    table["events"] = channels["channel_id"].map(in_channel.groupby("channel").size()).fillna(0).astype("int64")
    table["last_event_id"] = channels["channel_id"].map(last["event_id"]).astype("str")
    table["last_event_date"] = channels["channel_id"].map(last["date"]).astype("str")
    table["last_event_day"] = channels["channel_id"].map(last["last_day"]).astype(events["last_day"].dtype)
    status = pd.Series("open in the record", index=channels.index, dtype="str")
    status[channels["opened_event_id"].isna() & channels["closed_event_id"].isna()] = "reported open, dates unknown"
    status[channels["closed_event_id"].notna()] = "closed"
    status[channels["closed_event_id"].notna() & channels["replaced_by"].notna()] = "replaced"
    table["status"] = pd.Categorical(status, categories=STATUSES, ordered=True)
    table["note"] = channels["note"]
    return table


def open_at(lifetimes: pd.DataFrame, moment) -> pd.Series:
    """What the record says of each channel on the day ``moment``, as far as the precision of its dates
    tells (:data:`OPEN_AT_LABELS`).

    ``closed`` when the last day its closing event covers is before the moment; ``closure date uncertain``
    when the moment falls inside that event's span; ``not yet open`` when its opening begins after the
    moment; ``reported open, dates unknown`` for a channel without dates; otherwise ``open: no closure in
    the record`` (which says only that no source reports a closure). An ordered categorical.
    """
    moment = pd.Timestamp(moment)
    answer = pd.Series("open: no closure in the record", index=lifetimes.index, dtype="str")
    answer[lifetimes["status"] == "reported open, dates unknown"] = "reported open, dates unknown"
    answer[(lifetimes["opened_start"] > moment).fillna(False)] = "not yet open"
    closed = lifetimes["closed_start"].notna()
    answer[closed & (lifetimes["closed_start"] <= moment) & (lifetimes["closed_last_day"] >= moment)] = (
        "closure date uncertain")
    answer[closed & (lifetimes["closed_last_day"] < moment)] = "closed"
    return pd.Series(pd.Categorical(answer, categories=OPEN_AT_LABELS, ordered=True), index=lifetimes.index,
                     name="on_that_day")


def channel_rows(lifetimes: pd.DataFrame) -> list[str]:
    """The channel_ids in the order of the chart's rows: by the date of opening (undated channels last, in
    table order), each channel followed at once by the channel that replaced it, and that one's successor."""
    dated = lifetimes.assign(position=range(len(lifetimes))).sort_values(
        ["opened_start", "position"], na_position="last", kind="stable")
    successor = lifetimes.set_index("channel_id")["replaced_by"].dropna().to_dict()
    is_successor = set(successor.values())
    order: list[str] = []
    for channel_id in dated["channel_id"]:
        if channel_id in order or channel_id in is_successor:
            continue
        while channel_id is not None and channel_id not in order:
            order.append(channel_id)
            channel_id = successor.get(channel_id)
    order += [channel_id for channel_id in dated["channel_id"] if channel_id not in order]
    return order


def cap_changes(steps: pd.DataFrame) -> pd.DataFrame:
    """Each change of a capped value, from the steps of :func:`nato_russia.escalation.indicator_steps`: one
    row per step after the first, with ``date`` (as given), ``start``, ``precision``, ``before``, ``after``
    and ``text`` (``cap 30 → 20``)."""
    changes = steps.iloc[1:].reset_index(drop=True)
    before = steps["value"].iloc[:-1].reset_index(drop=True)
    return pd.DataFrame({
        "date": changes["date"],
        "start": changes["start"],
        "precision": changes["precision"],
        "before": before,
        "after": changes["value"],
        "text": [f"cap {b:,.0f} → {a:,.0f}" for b, a in zip(before, changes["value"])],
    })


# --- the swimlane chart ------------------------------------------------------------------------------


def markers_beside_closures(lifetimes: pd.DataFrame, events: pd.DataFrame, rows: pd.Series,
                            step: float = 0.3) -> tuple[pd.DataFrame, pd.Series]:
    """The events to mark on the swimlane chart and their rows, leaving room for the closure crosses.

    A channel closed without a successor gets a cross at its closing event, so that event is not marked
    again on the channel's row; the channel's other events whose date is the closing event's date are moved
    off the row, in date and id order, alternately above and below it (``row - step``, ``row + step``,
    ``row - 2 * step``, ...; the y-axis runs downwards), so the cross does not hide them. Returns the events
    kept and their row positions."""
    closures = lifetimes[lifetimes["closed_id"].notna() & lifetimes["replaced_by"].isna()]
    closing = dict(zip(closures["channel_id"], closures["closed_id"]))
    closing_date = dict(zip(closures["channel_id"], closures["closed_date"]))
    is_closing = [closing.get(channel) == event_id for channel, event_id in zip(events["channel"], events["event_id"])]
    kept = events[[not flag for flag in is_closing]].sort_values(["start", "event_id"], kind="stable")
    y = kept["channel"].map(rows).astype("float64")
    beside = pd.Series([closing_date.get(channel) == date for channel, date in zip(kept["channel"], kept["date"])],
                       index=kept.index)
    rank = beside.astype("int64").groupby(kept["channel"]).cumsum().where(beside, 0)
    # 1 -> above, 2 -> below, 3 -> further above, ...
    offset = ((rank + 1) // 2) * step * rank.mod(2).map({1: -1, 0: 1})
    return kept, y + offset.where(beside, 0.0)


CHANNEL_BAR_COLOUR = NEUTRAL_COLOUR
LABEL_FONT_SIZE = 12
ANNOTATION_FONT_SIZE = 11


def plot_channel_swimlanes(ax, lifetimes: pd.DataFrame, events: pd.DataFrame, pauses: pd.DataFrame, *, left, right,
                           phases: pd.DataFrame, today, notes: dict | None = None) -> list[str]:
    """One row per channel (in the order of :func:`channel_rows`) from ``left`` to ``right``.

    A channel with a dated opening gets a bar at the precision of its dates (:func:`draw_span_bar`) up to its
    closing event; without one, up to its last dated event, and from there to ``today`` only an outline
    (no closure reported, but nothing dated either). A replaced channel points to its successor; a closed
    one ends in a cross coloured by the closing event's score, filled if the closing event is ``established``
    and hollow (white, outlined in that colour) if it is only reported, alleged or disputed. ``pauses`` (rows of
    :func:`nato_russia.cooperation.suspension_periods`) are hatched over their channel's bar. Events naming
    the channel are markers on its row. A channel without dates gets only its name and "reported open,
    dates unknown". ``notes`` maps a channel_id to a list of ``(x, text, alignment, side)``: a text written at
    ``x`` with horizontal ``alignment`` (``left``, ``center``, ``right``) ``above`` or ``below`` its row. Returns the
    row order.
    """
    order = channel_rows(lifetimes)
    rows = pd.Series(range(len(order)), index=order, dtype="float64")
    today = pd.Timestamp(today)
    for channel in lifetimes.set_index("channel_id").loc[order].itertuples():
        row = rows[channel.Index]
        if pd.isna(channel.opened_start):
            ax.text(pd.Timestamp(left) + pd.Timedelta(days=120), row - 0.24, f"{channel.name_en}: reported open, "
                    "dates unknown", ha="left", va="bottom", fontsize=LABEL_FONT_SIZE, style="italic", color="#222222",
                    zorder=6)  # above its row, like the other channels' names, so its events do not cover it
            continue
        if pd.notna(channel.closed_start):
            end, end_precision = channel.closed_start, channel.closed_precision
        else:
            end = max(channel.last_event_day + ONE_DAY, channel.opened_start) if pd.notna(
                channel.last_event_day) else channel.opened_start
            end_precision = "day"
            ax.barh(row, today - end, left=end, height=0.32, facecolor="none", edgecolor=CHANNEL_BAR_COLOUR,
                    linestyle=(0, (3, 2)), linewidth=1.5, zorder=2)
        draw_span_bar(ax, row, channel.opened_start, channel.opened_precision, end, end_precision,
                      colour=CHANNEL_BAR_COLOUR)
        ax.text(channel.opened_start, row - 0.24, channel.name_en, ha="left", va="bottom", fontsize=LABEL_FONT_SIZE,
                color="#222222", zorder=6)
        if pd.isna(channel.closed_start):
            continue
        closed_middle = channel.closed_start + (channel.closed_last_day + ONE_DAY - channel.closed_start) / 2
        if pd.notna(channel.replaced_by) and channel.replaced_by in rows.index:
            ax.annotate("", xy=(closed_middle, rows[channel.replaced_by] - 0.12), xytext=(closed_middle, row + 0.16),
                        arrowprops={"arrowstyle": "-|>", "color": "#333333", "linewidth": 1.5}, zorder=7)
        else:
            firm = channel.closed_certainty in (None, "established") or pd.isna(channel.closed_certainty)
            colour = score_colour(channel.closed_score)
            ax.scatter([closed_middle], [row], marker="X", s=220 if firm else 260, color=colour if firm else "white",
                       edgecolors="black" if firm else colour, linewidths=1 if firm else 2.2, zorder=7)
    for pause in pauses.itertuples(index=False):
        lasts = pd.notna(pause.resumed_start) and pause.resumed_start > pause.suspended_start
        if pause.channel in rows.index and lasts:
            ax.barh(rows[pause.channel], pause.resumed_start - pause.suspended_start, left=pause.suspended_start,
                    height=0.5, facecolor="white", edgecolor=CONFRONTATION_COLOUR, hatch="///", linewidth=0, zorder=3)
    in_channels = events[events["channel"].isin(rows.index)]
    draw_event_markers(ax, *markers_beside_closures(lifetimes, in_channels, rows), stack_step=0.26)
    for channel_id, items in (notes or {}).items():
        for x, text, alignment, side in items:
            y, vertical = (rows[channel_id] + 0.2, "top") if side == "below" else (rows[channel_id] - 0.2, "bottom")
            ax.text(x, y, text, ha=alignment, va=vertical, fontsize=ANNOTATION_FONT_SIZE, color="#222222", zorder=6)
    finish_row_chart(ax, left, right, bottom=len(order) + 0.1, top=-1.9, phases=phases, today=today)
    return order


def swimlane_legend_handles(pause_label: str, moment_label: str) -> list:
    """Legend entries of the swimlane chart."""
    return [
        Patch(facecolor=CHANNEL_BAR_COLOUR, label="open: opening (and closing) dated"),
        Patch(facecolor="white", alpha=FUZZY_ALPHA, hatch="////", edgecolor=CHANNEL_BAR_COLOUR, linewidth=0,
              label="the year or month it opened or closed in"),
        Patch(facecolor="none", edgecolor=CHANNEL_BAR_COLOUR, linestyle=(0, (3, 2)), linewidth=1.5,
              label="no closure reported, nothing dated since"),
        Patch(facecolor="white", edgecolor=CONFRONTATION_COLOUR, hatch="///", linewidth=0, label=pause_label),
        Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=score_colour(1),
               markeredgecolor="white", label="cooperation event"),
        Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=score_colour(-1),
               markeredgecolor="white", label="confrontation event"),
        Line2D([], [], marker="X", linestyle="", markersize=12, markerfacecolor=score_colour(-1),
               markeredgecolor="black", label="closed or suspended"),
        Line2D([], [], marker="X", linestyle="", markersize=13, markerfacecolor="white", markeredgewidth=2,
               markeredgecolor=score_colour(-1), label="end reported, not established"),
        Line2D([], [], marker=r"$\downarrow$", linestyle="", markersize=12, color="#333333",
               label="replaced by the row below"),
        Line2D([], [], color="#555555", linestyle=":", linewidth=1.5, label=moment_label),
    ]
