"""Escalation: chains of responses, recovery after a break, the ladder of measures and the staircase of
the cap on Russia's mission to NATO (used by notebooks/05_escalation_points.ipynb).

The analysis functions take DataFrames from :func:`nato_russia.load` (or made by hand with the same columns)
and return new ones; none modifies its input. The ``plot_*`` functions draw the chapter's figures on a given
matplotlib axes. The coding decisions of the chapter are module-level
constants, so that an analyst can change one and re-run: :data:`CRISES` (which chains make up which crisis),
:data:`RUNGS` (which event kinds make up which rung of the ladder). Whose side an actor is on is a coding
decision kept in data/parties.csv (the loader's ``side`` column, :func:`sides`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.lines import Line2D

from .dates import PRECISION, period_end
from .plotting import CONFRONTATION_COLOUR, score_colours

__all__ = [
    "CRISES",
    "CUT_COLOUR",
    "OFF_LADDER_KINDS",
    "RESUMPTION_KIND",
    "RUNGS",
    "SIDES",
    "SIDE_MARKERS",
    "actor_side",
    "sides",
    "chain_table",
    "crisis_of_chains",
    "directed_scores",
    "date_span_middle",
    "describe_lag",
    "indicator_steps",
    "kinds_not_on_ladder",
    "ladder",
    "links_within",
    "plot_escalation_timeline",
    "plot_ladder",
    "plot_staircase",
    "recoveries",
    "response_chains",
    "resumptions_after",
    "spread_positions",
    "timeline_legend_handles",
]

RESUMPTION_KIND = "cooperation_resumed"
"""The event kind that ends a break: suspended meetings or cooperation resumed."""

CRISES: dict[str, tuple[str, ...]] = {
    "1999 Kosovo": ("1999-nato-air-operation-kosovo",),
    "2008 Georgia": ("2008-08-russia-georgia-war",),
    "2009 mission expulsions": ("2009-04-29-nato-expels-two-russian-diplomats",),
    "2014 Crimea and eastern Ukraine": (
        "2014-03-crimea-annexation",
        "2014-04-russia-supports-separatists-eastern-ukraine",
    ),
    "2015 Su-24 shoot-down": ("2015-11-24-turkey-shoots-down-russian-su-24",),
    "2018 Salisbury": ("2018-salisbury-nerve-agent-attack",),
    "2021 Vrbětice": ("2014-vrbetice-depot-explosions",),
    "2021 mission expulsions": ("2021-10-nato-expels-eight-russian-officials",),
    "2022 full-scale invasion": ("2022-02-24-full-scale-invasion",),
    "2025 airspace violations": (
        "2025-09-10-russian-drones-violate-polish-airspace",
        "2025-09-19-russian-mig-31s-violate-estonian-airspace",
    ),
}
"""Each crisis of the chapter, by the event(s) that open its chain(s) of responses (events that answer
nothing themselves). A crisis is everything that answers these events, directly or through other responses.
A crisis is named by the year its responses begin: the Vrbětice explosions date from 2014, but the chain of
responses opens with the Czech attribution of April 2021."""

RUNGS: dict[str, tuple[str, ...]] = {
    "statements": ("criticism", "accusation", "demand", "threat_designation", "warning"),
    "suspended meetings": ("dialogue_suspended",),
    "suspended cooperation": ("cooperation_suspended",),
    "expulsions": ("expulsion",),
    "staff caps": ("staff_cap",),
    "closures": ("mission_closure", "framework_ended"),
    "treaty exits": ("treaty_exit",),
    "force posture": ("force_posture", "weapons_deployment", "airspace_violation"),
    "sanctions": ("sanctions",),
    "violence": ("armed_aggression", "military_intervention", "covert_attack", "deadly_incident"),
}
"""The ladder of measures, lowest rung first: each rung and the event kinds (event_kinds.csv) that make it up.
``threat_designation`` (a summit naming the other side a threat) and ``warning`` (a threat of countermeasures)
count as statements, as in :data:`nato_russia.analysis.STATEMENT_KINDS`; ``weapons_deployment`` (a weapon tested
or deployed as a signal) and ``airspace_violation`` as force posture, the CAMEO category (15) all three follow;
``framework_ended`` (a joint body or founding agreement ended) as a closure, the CAMEO category (161) it shares
with ``mission_closure``."""

OFF_LADDER_KINDS: dict[str, str] = {
    "protest": "demonstrations by non-governmental actors, not a measure of either side",
    "withdrawal_from_activity": "a withdrawal from a joint activity with no hostile motive stated",
    "article_four_consultation": "consultations among Allies, not a measure taken toward the other side",
    "treaty_expiry": "a treaty that lapses on its own terms is no side's measure",
}
"""Confrontation-side kinds (score below zero) deliberately left off the ladder, with the reason."""

SIDES = ("NATO and Allies", "Russia", "other")
"""The sides of parties.csv ``side``, in the order tables and figures show them."""

CUT_COLOUR = CONFRONTATION_COLOUR
"""A cut in a cap is a confrontation-side measure (kind ``staff_cap``)."""


# --- chains of responses --------------------------------------------------------------------------


def response_chains(events: pd.DataFrame) -> pd.DataFrame:
    """Every chain of responses, assembled by following ``responds_to`` links transitively.

    A chain starts at a *root*: an event that answers nothing but is answered by at least one event. It
    holds every event that answers the root, directly or through other responses (a tree: one event may
    draw several responses). One row per event of a chain, in reading order: chains in the order of their
    roots' dates; inside a chain, depth first, an event's responses in date order (``start``, then
    ``event_id``). Columns: ``chain`` (the root's event_id), ``step`` (1, 2, ... within the chain),
    ``depth`` (0 for the root, 1 for a direct response, ...), ``event_id`` and ``responds_to``.

    Raises ``ValueError`` naming the events if a ``responds_to`` names no event or the links form a loop.
    """
    links = events.dropna(subset=["responds_to"])
    unknown = links[~links["responds_to"].isin(events["event_id"])]
    if len(unknown):
        listed = ", ".join(f"{row.event_id} -> {row.responds_to}" for row in unknown.itertuples())
        raise ValueError(f"events.csv: responds_to names no event (event -> responds_to): {listed}")
    ordered = events.sort_values(["start", "event_id"], kind="stable")
    responses: dict = {}
    for event_id, parent in zip(ordered["event_id"], ordered["responds_to"]):
        if pd.notna(parent):
            responses.setdefault(parent, []).append(event_id)
    roots = ordered.loc[ordered["responds_to"].isna() & ordered["event_id"].isin(responses), "event_id"]
    rows = []
    for root in roots:  # depth first, an event's responses in date order
        step, pending = 0, [(root, 0)]
        while pending:
            event_id, depth = pending.pop()
            step += 1
            rows.append((root, step, depth, event_id))
            pending.extend((child, depth + 1) for child in reversed(responses.get(event_id, [])))
    looped = sorted(set(links["event_id"]) - {row[3] for row in rows})
    if looped:
        raise ValueError(
            "events.csv: these events answer one another in a loop, so no chain leads to them from an event "
            f"that answers nothing (check their responds_to): {', '.join(looped)}"
        )
    chains = pd.DataFrame(rows, columns=["chain", "step", "depth", "event_id"])
    parents = events.set_index("event_id")["responds_to"]
    return chains.assign(responds_to=chains["event_id"].map(parents)).astype({"step": "int64", "depth": "int64"})


def crisis_of_chains(chains: pd.DataFrame, crises: Mapping[str, tuple[str, ...]] = CRISES) -> pd.Series:
    """The crisis (a key of ``crises``) each row of :func:`response_chains` belongs to; missing for a chain
    no crisis names. Raises ``ValueError`` if a crisis names a root that opens no chain."""
    root_crisis = {root: crisis for crisis, roots in crises.items() for root in roots}
    missing = sorted(set(root_crisis) - set(chains["chain"].unique()))
    if missing:
        raise ValueError(f"these crisis roots open no chain of responses (answer nothing or are answered by "
                         f"nothing): {', '.join(missing)}")
    return chains["chain"].map(root_crisis).rename("crisis")


def describe_lag(lag: int | None, unit: str | None) -> str:
    """A lag from :func:`nato_russia.analysis.lag` in words: ``8 months``, ``1 day``, ``same year``.

    A lag of zero at a precision coarser than a day means only that both dates fall in the same month or
    year (``same month``, ``same year``); at day precision, ``same day``. Missing gives ``""``.
    """
    if lag is None or unit is None or pd.isna(lag) or pd.isna(unit):
        return ""
    singular = unit.removesuffix("s")
    if int(lag) == 0:
        return f"same {singular}"
    return f"{int(lag)} {singular if abs(int(lag)) == 1 else unit}"


def chain_table(chains: pd.DataFrame, events: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """A readable table of chains from :func:`response_chains`: one row per event in reading order, the
    title indented by depth (``↳`` marks a response, one step further in for each level), with its date, how
    the date was obtained, the actor, the kind in words, the scope and certainty (``"context, established"``)
    and the lag after the event it answers (:func:`describe_lag` of ``pairs``, i.e.
    :func:`nato_russia.analysis.response_pairs`)."""
    rows = events.set_index("event_id").loc[chains["event_id"]]
    lags = pairs.set_index("response_id")
    lag_text = [describe_lag(lags.at[event_id, "lag"], lags.at[event_id, "unit"]) if event_id in lags.index else ""
                for event_id in chains["event_id"]]
    indents = ["\u00a0\u00a0\u00a0\u00a0" * (depth - 1) + "↳ " if depth else "" for depth in chains["depth"]]
    return pd.DataFrame(
        {
            "Event": [indent + title for indent, title in zip(indents, rows["title"])],
            "Date": rows["date"].to_numpy(),
            "Dated by": rows["date_basis"].str.replace("_", " ").to_numpy(),
            "Actor": rows["actor"].to_numpy(),
            "Kind": rows["kind"].str.replace("_", " ").to_numpy(),
            "Scope, certainty": (rows["scope"].str.replace("_", " ") + ", " + rows["certainty"]).to_numpy(),
            "Lag after what it answers": lag_text,
        }
    )


# --- recovery after a break ------------------------------------------------------------------------


def recoveries(events: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Each break that a resumption answers, and how long the break lasted.

    ``pairs`` is :func:`nato_russia.analysis.response_pairs` of ``events``; a recovery is a pair whose
    response is of kind :data:`RESUMPTION_KIND`. Columns: ``break_id``, ``break_date``,
    ``break_date_basis``, ``resumption_id``, ``resumption_date``, ``resumption_date_basis``, ``lag``,
    ``unit`` and ``lag_text`` (:func:`describe_lag`), in the order of the resumptions.
    """
    found = pairs[pairs["response_kind"] == RESUMPTION_KIND]
    dates = events[["event_id", "date", "date_basis"]].set_index("event_id")  # (the columns used)
    table = pd.DataFrame(
        {
            "break_id": found["trigger_id"].to_numpy(),
            "break_date": dates.loc[found["trigger_id"], "date"].to_numpy(),
            "break_date_basis": dates.loc[found["trigger_id"], "date_basis"].to_numpy(),
            "resumption_id": found["response_id"].to_numpy(),
            "resumption_date": dates.loc[found["response_id"], "date"].to_numpy(),
            "resumption_date_basis": dates.loc[found["response_id"], "date_basis"].to_numpy(),
            "lag": found["lag"].to_numpy(),
            "unit": found["unit"].to_numpy(),
        }
    )
    return table.assign(lag_text=[describe_lag(lag, unit) for lag, unit in zip(table["lag"], table["unit"])])


def resumptions_after(events: pd.DataFrame, event_id: str) -> pd.DataFrame:
    """The resumption events (:data:`RESUMPTION_KIND`) that begin after the last day ``event_id``'s date
    covers, in date order. Empty if nothing was resumed after it."""
    last_day = events.loc[events["event_id"] == event_id, "last_day"]
    if last_day.empty:
        raise KeyError(f"no event {event_id!r} in events")
    later = events[(events["kind"] == RESUMPTION_KIND) & (events["start"] > last_day.iloc[0])]
    return later.sort_values(["start", "event_id"], kind="stable")


def links_within(events: pd.DataFrame) -> pd.DataFrame:
    """``events`` with each ``responds_to`` link kept only where the event it names is among ``events`` too,
    and cleared (missing) where it is not: e.g. on ``analysis.indexed_events(events)``, the links whose two ends
    are both in the index, so that the response functions (``analysis.response_pairs``,
    ``methods.reciprocity``) can be run on the index alone. A response whose trigger is left out stays in the
    result as an event; it only loses its link."""
    answered = events["responds_to"]
    return events.assign(responds_to=answered.where(answered.isin(events["event_id"])))


def directed_scores(events: pd.DataFrame, parties: pd.DataFrame, freq: str = "Q",
                    sides: tuple[str, str] = ("NATO and Allies", "Russia")) -> pd.DataFrame:
    """Each side's directed score per period: the sum of the scores of the events whose actor is on that side
    and whose target on the other (sides from parties.csv), one column per side, one row per period from the
    first to the last dated event (quiet periods 0). Events dated only to a year are left out of a quarterly or
    monthly series. The series ``methods.tit_for_tat`` tests, for drawing and describing."""
    side_of_party = parties.set_index("party")["side"]
    if not freq.upper().startswith(("Y", "A")):
        events = events[events["precision"].astype(str) != "year"]
    actor_side, target_side = events["actor"].map(side_of_party), events["target"].map(side_of_party)
    period = events["start"].dt.to_period(freq)
    every_period = pd.period_range(period.min(), period.max(), freq=period.dt.freq, name="period")
    first, second = sides
    columns = {}
    for actor, target in ((first, second), (second, first)):
        chosen = (actor_side == actor) & (target_side == target)
        score = events.loc[chosen, "score"].astype("float64")
        columns[actor] = score.groupby(period[chosen]).sum().reindex(every_period, fill_value=0.0)
    return pd.DataFrame(columns)


# --- the ladder of measures ------------------------------------------------------------------------


def actor_side(actors: pd.Series, parties: pd.DataFrame) -> pd.Series:
    """The side of each actor (parties.csv ``side``: ``NATO and Allies``, ``Russia`` or ``other``), as an ordered
    categorical; missing for a name that is not a party."""
    side = actors.map(parties.set_index("party")["side"]).astype("object")
    return pd.Series(pd.Categorical(side, categories=SIDES, ordered=True), index=actors.index, name="side")


def sides(events: pd.DataFrame) -> pd.Series:
    """The side of each event's actor, from the ``side`` the loader derives from parties.csv."""
    return pd.Series(pd.Categorical(events["side"].astype("object"), categories=SIDES, ordered=True),
                     index=events.index, name="side")


def ladder(events: pd.DataFrame, rungs: Mapping[str, tuple[str, ...]] = RUNGS) -> pd.DataFrame:
    """The events whose kind is on the ladder, in date order, with ``rung`` (an ordered categorical, lowest
    first), ``side`` (:func:`sides`), ``date_last_day`` (the last day the event's ``date`` covers: the
    same day, the month's or the year's last day) and ``date_middle`` (the middle of that span, where a
    marker goes). Kinds on no rung are left out."""
    rung_of_kind = {kind: rung for rung, kinds in rungs.items() for kind in kinds}
    on_ladder = events[events["kind"].isin(rung_of_kind)].sort_values(["start", "event_id"], kind="stable")
    date_last_day = period_end(on_ladder["start"], on_ladder["precision"])
    return on_ladder.assign(
        rung=pd.Categorical(on_ladder["kind"].map(rung_of_kind), categories=list(rungs), ordered=True),
        side=sides(on_ladder),
        date_last_day=date_last_day,
        date_middle=date_span_middle(on_ladder["start"], date_last_day),
    )


def kinds_not_on_ladder(
    event_kinds: pd.DataFrame,
    rungs: Mapping[str, tuple[str, ...]] = RUNGS,
    left_off: Mapping[str, str] = OFF_LADDER_KINDS,
) -> list[str]:
    """Confrontation-side kinds (score below zero) that are on no rung and not knowingly left off: a new
    kind in the codebook shows up here until it is placed."""
    placed = {kind for kinds in rungs.values() for kind in kinds} | set(left_off)
    negative = event_kinds.loc[event_kinds["score"] < 0, "kind"]
    return sorted(set(negative) - placed)


# --- the staircase of the staff cap ----------------------------------------------------------------


def indicator_steps(indicators: pd.DataFrame, series: str) -> pd.DataFrame:
    """The values of one indicator series as steps, with duplicates merged.

    Several sources may state the same value for the same moment at different precisions (``2018-03-27``
    and ``2018-03``). Rows with the same value whose date spans (``start`` to ``last_day``) overlap, directly
    or through other such rows, make one step, whatever their order in the file. Each step keeps the most
    precise date among its rows (the first in date order if several are equally precise). Steps come in the
    order of those dates. Columns: ``date``, ``start``, ``precision``, ``last_day``, ``value``, ``sources``
    (the source_ids stating it, sorted, joined by ``", "``), ``indicator_ids`` (likewise) and ``event_id``
    (of the row whose date the step keeps).
    """
    rows = indicators[indicators["series"] == series].sort_values(["start", "indicator_id"], kind="stable")
    groups: list = []
    for _, same_value in rows.groupby("value", sort=True):  # rows without a value are left out
        span_end = None
        for row in same_value.itertuples(index=False):
            if span_end is None or row.start > span_end:
                groups.append([row])
                span_end = row.last_day
            else:
                groups[-1].append(row)
                span_end = max(span_end, row.last_day)
    steps = []
    for group in groups:
        finest = min(group, key=lambda row: (PRECISION.categories.get_loc(row.precision), row.start))
        steps.append({"date": finest.date, "start": finest.start, "precision": finest.precision,
                      "last_day": finest.last_day, "value": finest.value,
                      "sources": ", ".join(sorted({row.source_id for row in group})),
                      "indicator_ids": ", ".join(sorted(row.indicator_id for row in group)),
                      "event_id": finest.event_id})
    columns = ["date", "start", "precision", "last_day", "value", "sources", "indicator_ids", "event_id"]
    table = pd.DataFrame(steps, columns=columns).astype(
        {"start": "datetime64[us]", "last_day": "datetime64[us]", "value": "float64"})
    table["precision"] = table["precision"].astype(PRECISION)
    return table.sort_values(["start", "last_day"], kind="stable").reset_index(drop=True)


def date_span_middle(start: pd.Series, last_day: pd.Series) -> pd.Series:
    """The middle of each span from ``start`` to ``last_day`` (where to put a marker for a date known only
    to the month or the year)."""
    middle = start + (last_day + pd.Timedelta(days=1) - start) / 2
    return middle.astype(start.dtype).where(start.notna() & last_day.notna())



# --- figures ---------------------------------------------------------------------------------------


def _short_title(title: str, width: int = 20) -> str:
    """The part of a title before its first colon, wrapped to ``width`` characters a line."""
    return textwrap.fill(title.split(":")[0], width)


def spread_positions(positions: list[float], gap: float, low: float, high: float) -> list[float]:
    """Move sorted label centres apart so that neighbours are at least ``gap`` apart and every centre stays
    within ``[low, high]``, moving each as little as this simple two-pass rule allows (right, then left)."""
    placed = [max(positions[0], low)] if positions else []
    for position in positions[1:]:
        placed.append(max(position, placed[-1] + gap))
    if placed and placed[-1] > high:
        placed[-1] = high
        for index in range(len(placed) - 2, -1, -1):
            placed[index] = min(placed[index], placed[index + 1] - gap)
    return placed


def plot_escalation_timeline(ax, events: pd.DataFrame, start, end, label_chars: int = 20) -> None:
    """Escalation events and turning points from ``start`` to ``end``, at the height of their kind's score.

    Each event sits in the middle of the span its date covers, with a thin line across that span when the
    date is only a month or a year; colour is the score's direction; an event outside the index
    (``in_index`` false: a context or enlargement event) is drawn hollow, in the colour of its score;
    turning points are larger diamonds, outlined and named (cooperative ones between the zero line and their
    marker, the others below the lowest score, on two alternating levels, moved sideways where names would
    overlap). Only events that begin from ``start`` to ``end`` are drawn and named. A name is wrapped to
    ``label_chars`` characters a line: wider names take fewer lines where a panel has room across.
    """
    events = events[(events["start"] >= pd.Timestamp(start)) & (events["start"] <= pd.Timestamp(end))]
    date_last_day = period_end(events["start"], events["precision"])
    middle = date_span_middle(events["start"], date_last_day)
    colours = pd.Series(score_colours(events["score"]), index=events.index)
    vague = events["precision"] != "day"
    ax.hlines(events.loc[vague, "score"], events.loc[vague, "start"], date_last_day[vague] + pd.Timedelta(days=1),
              colors=colours[vague].tolist(), linewidth=1.5, alpha=0.6, zorder=2)
    indexed = events["in_index"].astype(bool)
    for in_index in (True, False):
        plain = ~events["turning_point"] & (indexed == in_index)
        ax.scatter(middle[plain], events.loc[plain, "score"], s=70,
                   c=colours[plain].tolist() if in_index else "white", alpha=0.8 if in_index else 1.0,
                   edgecolors="white" if in_index else colours[plain].tolist(),
                   linewidths=0.8 if in_index else 2, zorder=3)
        turning = events[events["turning_point"] & (indexed == in_index)]
        ax.scatter(middle[turning.index], turning["score"], s=260, marker="D",
                   c=colours[turning.index].tolist() if in_index else "white",
                   edgecolors="black", linewidths=1.2 if in_index else 2.4, zorder=4)
    turning = events[events["turning_point"]].assign(middle=middle).sort_values("start")
    ax.set_xlim(pd.Timestamp(start), pd.Timestamp(end))
    ax.set_ylim(-22, 17)
    ax.set_yticks(range(-10, 11, 5))
    low, high = ax.get_xlim()
    label_width = (high - low) * 1.75 * label_chars / 20 / (ax.get_position().width * ax.figure.get_figwidth())
    levels = {"above": [(3.2, turning[turning["score"] > 0])],
              "below": [(-13.0, turning[turning["score"] <= 0].iloc[0::2]),
                        (-18.8, turning[turning["score"] <= 0].iloc[1::2])]}
    for level_y, level in [item for items in levels.values() for item in items]:
        xs = mdates.date2num(level["middle"].tolist()) if len(level) else []
        placed = spread_positions(list(xs), label_width, low + label_width / 2, high - label_width / 2)
        for row, label_x in zip(level.itertuples(), placed):
            ax.annotate(_short_title(row.title, label_chars), xy=(row.middle, row.score), xytext=(label_x, level_y),
                        ha="center", va="center", fontsize=11, color="#222222",
                        arrowprops={"arrowstyle": "-", "color": "#777777", "linewidth": 0.8, "shrinkB": 8},
                        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.9},
                        zorder=5)  # the white box keeps other labels' leader lines from crossing the text
    ax.axhline(0, color="#555555", linewidth=1, zorder=1)
    ax.set_ylabel("score of the event's kind")


def timeline_legend_handles() -> list:
    """Legend entries of :func:`plot_escalation_timeline` besides the score colours: an event in the index,
    one outside it (context or enlargement, hollow) and a turning point."""
    return [
        Line2D([], [], linestyle="none", marker="o", markersize=9, markerfacecolor="#777777",
               markeredgecolor="white", label="event in the index"),
        Line2D([], [], linestyle="none", marker="o", markersize=9, markerfacecolor="white",
               markeredgecolor="#777777", markeredgewidth=2, label="context event (not in the index)"),
        Line2D([], [], linestyle="none", marker="D", markersize=12, markerfacecolor="#777777",
               markeredgecolor="black", label="turning point"),
    ]


SIDE_MARKERS = {"NATO and Allies": "o", "Russia": "^", "other": "X"}
"""Marker shape of each side in the ladder figure (colour stays cooperation vs confrontation)."""


def plot_ladder(ax, steps: pd.DataFrame, side: str) -> None:
    """One side's steps on the ladder (rows of :func:`ladder`): rungs on the y-axis, lowest at the bottom,
    each step in the middle of its date's span with a thin line across a month or a year."""
    mine = steps[steps["side"] == side]
    rung_position = mine["rung"].cat.codes
    colours = score_colours(mine["score"])
    vague = (mine["precision"] != "day").to_numpy()
    ax.hlines(rung_position[vague], mine.loc[vague, "start"], mine.loc[vague, "date_last_day"] + pd.Timedelta(days=1),
              colors=[colour for colour, is_vague in zip(colours, vague) if is_vague], linewidth=2, alpha=0.6,
              zorder=2)
    ax.scatter(mine["date_middle"], rung_position, s=110, marker=SIDE_MARKERS[side], c=colours, alpha=0.85,
               edgecolors="white", linewidths=0.8, zorder=3)
    categories = list(steps["rung"].cat.categories)
    ax.set_yticks(range(len(categories)), categories)
    ax.set_ylim(-0.7, len(categories) + 1.3)  # room above the top rung for the phase names
    ax.set_yticks(range(len(categories)), categories)
    ax.grid(axis="x", visible=False)


def plot_staircase(ax, steps: pd.DataFrame, end_event: pd.Series, start, end) -> None:
    """The steps of :func:`indicator_steps` as a step line from ``start`` to the month (or day, year) of
    ``end_event`` (a row of events), where the line stops and the event is named.

    The first step is drawn dashed from the left edge: its start is not known. A step dated only to a month
    or a year drops at the first day of that span, and the span is hatched so that its vagueness shows; each
    cut is marked in the colour of the event kind that made it (``steps`` carry no score, so confrontation).
    """
    line = {"color": "#333333", "linewidth": 3, "zorder": 3}
    text = {"fontsize": 15, "color": "#222222"}
    left = pd.Timestamp(start)
    stop = end_event["last_day"] + pd.Timedelta(days=1)
    values, starts = steps["value"].tolist(), steps["start"].tolist()
    ax.hlines(values[0], left, starts[1], linestyles=(0, (4, 3)), **line)
    ax.annotate(f"{values[0]:.0f}: in force before the first cut;\nno source says since when", (left, values[0]),
                xytext=(12, 12), textcoords="offset points", **text)
    for position in range(1, len(steps)):
        last = position + 1 == len(steps)
        until = stop if last else starts[position + 1]
        ax.vlines(starts[position], values[position], values[position - 1], **line)
        ax.hlines(values[position], starts[position], until, **line)
        ax.scatter([starts[position]], [values[position]], s=120, color=CUT_COLOUR, zorder=4)
        ax.annotate(f"{values[position]:.0f} ({steps['date'].iloc[position]})", (starts[position], values[position]),
                    xytext=(-12 if last else 12, -24), textcoords="offset points", ha="right" if last else "left",
                    **text)
    for row in steps[steps["precision"] != "day"].iloc[1:].itertuples():
        ax.axvspan(row.start, row.last_day + pd.Timedelta(days=1), facecolor="none", edgecolor="#777777",
                   hatch="///", linewidth=0, zorder=1)
        ax.annotate("hatched: known\nonly to the month" if row.precision == "month" else "hatched: known\nonly to the year",
                    (row.start, values[-1] / 2), xytext=(-12, 0), textcoords="offset points", ha="right",
                    va="center", **text)
    ax.vlines(stop, 0, values[0] * 1.2, color=CUT_COLOUR, linewidth=2, linestyles=":", zorder=3)
    ax.annotate(textwrap.fill(f"{end_event['title']} ({end_event['date']})", 28), (stop, values[0] * 1.05),
                xytext=(-14, 0), textcoords="offset points", ha="right", va="center",
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85}, **text)
    ax.set_xlim(left, pd.Timestamp(end))
    ax.set_ylim(0, values[0] * 1.35)
    ax.set_ylabel("permitted staff (people)")
