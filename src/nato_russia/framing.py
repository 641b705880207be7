"""Sources and framing: what each source reports, how it dates it, and how NATO's own documents frame Russia
(used by notebooks/07_sources_and_framing.ipynb).

Every function takes DataFrames from :func:`nato_russia.load` (or made by hand with the same columns) and
returns a new DataFrame; none modifies its input. The chapter's coding decisions are module-level constants
that an analyst can change and re-run: :data:`SHORT_LABELS` (how figures and tables name each source),
:data:`NATO_SOURCES` (the NATO documents compared for framing, oldest first), :data:`KNOWN_DISAGREEMENTS`
(the disagreements the mention notes record, by the events that carry them) and :data:`FRAMING_EVENTS` (the
events whose notes record how a NATO document frames Russia).

Shared analyses (coverage, single-source events, given dates, date disagreements, score direction, actor
sides) come from :mod:`nato_russia.analysis` and :mod:`nato_russia.escalation`; this module only arranges
their results per source.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle

from . import analysis
from .escalation import SIDES, sides
from .plotting import NEUTRAL_COLOUR, PHASE_BAND_COLOURS, score_colour

SHORT_LABELS: dict[str, str] = {
    "nato-backgrounder-2015-en": "2015 backgrounder",
    "nato-backgrounder-c2020-uk": "c. 2020 backgrounder",
    "nato-topic-page-2022-uk": "2022 topic page",
    "wikipedia-el-russia-nato-relations": "Greek Wikipedia",
}
"""A short name for each source, for column heads and axis labels; a source not listed here is named by its
``title_en``."""

NATO_SOURCES: tuple[str, ...] = (
    "nato-backgrounder-2015-en",
    "nato-backgrounder-c2020-uk",
    "nato-topic-page-2022-uk",
)
"""The three NATO documents whose framing of Russia the chapter compares, oldest first."""

EARLIER_BACKGROUNDER = "nato-backgrounder-2015-en"
LATER_BACKGROUNDER = "nato-backgrounder-c2020-uk"
"""The two editions of NATO's media backgrounder: December 2015 (English) and c. 2020 (Ukrainian)."""

KNOWN_DISAGREEMENTS: dict[str, tuple[str, ...]] = {
    "When was practical cooperation suspended in 2014?": (
        "2014-03-crimea-annexation",
        "2014-04-01-practical-cooperation-suspended",
    ),
    "What did Russia let through to Afghanistan?": (
        "2002-russia-transit-for-isaf",
        "2009-12-nato-asks-russia-afghan-transit",
    ),
    "Which 2011 exercise was a 'first'?": (
        "2005-submarine-rescue-exercises",
        "2011-05-30-joint-submarine-exercise",
        "2011-06-06-vigilant-skies",
    ),
    "When did relations begin?": (
        "1990-06-first-step-in-relations",
        "1990-07-05-london-summit-declaration",
        "1991-russia-joins-nacc",
    ),
    "Was the NATO-Russia Council ever suspended?": (
        "2008-08-nrc-formal-meetings-suspended",
        "2014-04-01-practical-cooperation-suspended",
        "2016-04-20-nrc-meeting",
    ),
}
"""Each disagreement the mention notes record, as a question, with the events (events.csv ``event_id``)
whose mentions carry it, in date order."""

FRAMING_EVENTS: tuple[str, ...] = (
    "1997-05-27-founding-act",
    "2002-05-28-rome-declaration-nrc",
    "2007-12-russia-suspends-cfe",
    "2008-08-russia-georgia-war",
    "2010-11-lisbon-nrc-new-stage",
    "2014-03-crimea-annexation",
    "2014-04-01-practical-cooperation-suspended",
    "2018-salisbury-nerve-agent-attack",
    "2022-02-24-full-scale-invasion",
)
"""Events whose mention notes record how a NATO document frames Russia or the relationship, in date order."""

PRECISIONS = ("day", "month", "year", "undated")
"""How precisely a source dates an event, finest first; ``undated`` where it gives no date at all."""

DIRECTIONS = ("cooperation", "neutral", "confrontation")


def source_order(sources: pd.DataFrame) -> list[str]:
    """The source ids in order of publication (``published``, an ISO date at any precision), then id."""
    return list(sources.sort_values(["published", "source_id"])["source_id"])


def source_labels(sources: pd.DataFrame, labels: Mapping[str, str] = SHORT_LABELS) -> pd.Series:
    """Each source's short name (:data:`SHORT_LABELS`, else its ``title_en``), indexed by ``source_id``."""
    named = sources["source_id"].map(dict(labels))
    return pd.Series(
        named.fillna(sources["title_en"]).astype("str").to_numpy(), index=sources["source_id"].to_numpy()
    ).rename("label")


def reported_events(
    events: pd.DataFrame, mentions: pd.DataFrame, source_ids: Sequence[str] | None = None
) -> pd.DataFrame:
    """One row per (source, event it states): the event's columns and ``source_id``, for the given sources
    (all if ``None``), sorted by source (in the order given, else by id) and then by date."""
    pairs = mentions[["event_id", "source_id"]]
    if source_ids is not None:
        source_ids = list(source_ids)
        pairs = pairs[pairs["source_id"].isin(source_ids)]
    order = source_ids if source_ids is not None else sorted(pairs["source_id"].unique())
    table = pairs.merge(events, on="event_id", how="inner")
    table["source_id"] = pd.Categorical(table["source_id"], categories=order, ordered=True)
    return table.sort_values(["source_id", "start", "event_id"]).reset_index(drop=True)


def backgrounder_changes(
    mentions: pd.DataFrame, earlier: str = EARLIER_BACKGROUNDER, later: str = LATER_BACKGROUNDER
) -> pd.DataFrame:
    """What the later edition of a document does with the earlier one's events.

    One row per event either edition states: ``event_id`` and ``change``, which is ``kept`` (both state it),
    ``dropped`` (only the earlier) or ``added`` (only the later); sorted by change in that order, then id.
    """
    in_earlier = set(mentions.loc[mentions["source_id"] == earlier, "event_id"])
    in_later = set(mentions.loc[mentions["source_id"] == later, "event_id"])
    rows = ([(event, "kept") for event in in_earlier & in_later]
            + [(event, "dropped") for event in in_earlier - in_later]
            + [(event, "added") for event in in_later - in_earlier])
    table = pd.DataFrame(rows, columns=["event_id", "change"])
    table["change"] = pd.Categorical(table["change"], categories=["kept", "dropped", "added"], ordered=True)
    return table.sort_values(["change", "event_id"]).reset_index(drop=True)


def side_by_side(
    mentions: pd.DataFrame,
    event_ids: Iterable[str],
    column: str,
    source_ids: Sequence[str],
    *,
    not_stated: str = "—",
) -> pd.DataFrame:
    """One mention column (e.g. ``date_as_given`` or ``note``) with a row per event and a column per source.

    Rows follow ``event_ids`` and columns ``source_ids``. A source that does not state the event shows
    ``not_stated``; a source that states it but leaves the column empty shows an empty string, so the two
    cases stay apart.
    """
    event_ids = list(event_ids)
    chosen = mentions[mentions["event_id"].isin(event_ids) & mentions["source_id"].isin(source_ids)]
    wide = (  # raises on a (event, source) pair stated twice
        chosen.assign(value=chosen[column].astype("object").where(chosen[column].notna(), ""))
        .pivot(index="event_id", columns="source_id", values="value")
        .reindex(index=event_ids, columns=list(source_ids))
    )
    return wide.astype("object").fillna(not_stated).rename_axis(index="event_id", columns=None)


def mention_table(
    events: pd.DataFrame,
    mentions: pd.DataFrame,
    event_ids: Iterable[str],
    source_ids: Sequence[str],
    labels: Mapping[str, str] | pd.Series,
) -> pd.DataFrame:
    """The mentions of the given events by the given sources, one row per (event, source), as a table to read.

    Columns: ``Date`` (the event's date in the record), ``Event`` (its title), ``Source`` (from ``labels``),
    ``Date as given`` and ``Note`` (empty where the mention has none). Rows follow ``event_ids``, then
    ``source_ids``; a source that does not state an event has no row.
    """
    event_ids, source_ids = list(event_ids), list(source_ids)
    chosen = mentions[mentions["event_id"].isin(event_ids) & mentions["source_id"].isin(source_ids)]
    table = chosen.merge(events[["event_id", "date", "title"]], on="event_id", how="left")
    table = table.assign(
        event_rank=table["event_id"].map({event: rank for rank, event in enumerate(event_ids)}),
        source_rank=table["source_id"].map({source: rank for rank, source in enumerate(source_ids)}),
    ).sort_values(["event_rank", "source_rank"])
    return pd.DataFrame(
        {
            "Date": table["date"].to_numpy(),
            "Event": table["title"].to_numpy(),
            "Source": table["source_id"].map(dict(labels)).to_numpy(),
            "Date as given": table["date_as_given"].to_numpy(),
            "Note": table["note"].astype("object").where(table["note"].notna(), "").to_numpy(),
        }
    )


def precision_counts(mentions: pd.DataFrame, source_ids: Sequence[str]) -> pd.DataFrame:
    """How many of each source's mentions date the event to the day, month or year, or leave it undated.

    One row per source (in the order given), one column per :data:`PRECISIONS`; the precision is that of
    ``date_given`` (see :func:`nato_russia.analysis.mention_dates`), so a year-range heading counts as ``year``.
    """
    dated = analysis.mention_dates(mentions)
    table = pd.crosstab(dated["source_id"], dated["given_precision"].astype("object").fillna("undated"))
    return table.reindex(index=list(source_ids), columns=list(PRECISIONS), fill_value=0).rename_axis(
        index="source_id", columns=None
    )


def multi_year_datings(mentions: pd.DataFrame, source_ids: Sequence[str]) -> pd.Series:
    """How many of each source's mentions give a span that runs over more than one calendar year (a
    year-range heading, or a 'from ... to ...' period), by source in the order given."""
    dated = analysis.mention_dates(mentions)
    years = dated["given_last_day"].dt.year > dated["given_start"].dt.year  # (NaT compares false)
    return years.groupby(dated["source_id"]).sum().reindex(list(source_ids), fill_value=0).astype("int64").rename(
        "multi_year"
    )


def framing_profile(
    events: pd.DataFrame, mentions: pd.DataFrame, source_ids: Sequence[str], *, since_year: int = 2014
) -> pd.DataFrame:
    """The kinds and scores of the events each source states, as shares of that source's events.

    One row per source (in the order given): ``events`` (how many), ``cooperation``, ``neutral`` and
    ``confrontation`` (shares by the sign of the score, see :func:`nato_russia.analysis.direction`),
    ``mean_score``, ``escalation`` (share of events of an escalating kind) and ``since`` (share of events
    that start in ``since_year`` or later). A source that states none of ``events`` gets 0 events and
    missing shares.
    """
    table = reported_events(events, mentions, source_ids)
    direction = analysis.direction(table["score"])
    by_source = table.groupby("source_id", observed=False)
    shares = pd.crosstab(table["source_id"], direction, normalize="index", dropna=False)
    profile = pd.DataFrame(
        {
            "events": by_source.size(),
            **{name: shares.get(name, pd.Series(0.0, index=shares.index)) for name in DIRECTIONS},
            "mean_score": by_source["score"].mean(),
            "escalation": by_source["escalation"].mean(),
            "since": (table["start"].dt.year >= since_year).groupby(table["source_id"], observed=False).mean(),
        }
    )
    profile = profile.reindex(list(source_ids))
    profile["events"] = profile["events"].fillna(0).astype("int64")
    profile.loc[profile["events"] == 0, list(DIRECTIONS)] = np.nan
    return profile.rename_axis("source_id")


def profile_table(
    profile: pd.DataFrame, labels: Mapping[str, str] | pd.Series, *, since_year: int = 2014
) -> pd.DataFrame:
    """:func:`framing_profile` as a table to read: sources by their short names, shares as whole percentages
    (``"70%"``), the mean score to one decimal; ``since_year`` names the last column (pass the year the
    profile was computed with)."""

    def percent(share: pd.Series) -> pd.Series:
        return share.map(lambda value: "" if pd.isna(value) else f"{value:.0%}")

    return pd.DataFrame(
        {
            "Source": profile.index.map(dict(labels)),
            "Events": profile["events"].to_numpy(),
            "Cooperation": percent(profile["cooperation"]).to_numpy(),
            "Neutral": percent(profile["neutral"]).to_numpy(),
            "Confrontation": percent(profile["confrontation"]).to_numpy(),
            "Mean score": profile["mean_score"].round(1).to_numpy(),
            "Escalating kinds": percent(profile["escalation"]).to_numpy(),
            f"Dated {since_year} or later": percent(profile["since"]).to_numpy(),
        }
    )


def side_direction_counts(events: pd.DataFrame, mentions: pd.DataFrame, source_ids: Sequence[str]) -> pd.DataFrame:
    """How many events each source states per side of the actor and direction of the score.

    One row per (source, side) in the order of ``source_ids`` and :data:`nato_russia.escalation.SIDES`;
    columns ``cooperation``, ``neutral``, ``confrontation`` and ``events`` (their sum). Sides come from
    :func:`nato_russia.escalation.sides` (NATO and Allies, Russia, other: parties.csv).
    """
    full_index = pd.MultiIndex.from_product([list(source_ids), list(SIDES)], names=["source_id", "side"])
    table = reported_events(events, mentions, source_ids)
    side = sides(table)
    direction = analysis.direction(table["score"])
    counts = pd.crosstab([table["source_id"], side], direction, dropna=False)
    counts = counts.reindex(index=full_index, columns=list(DIRECTIONS), fill_value=0).rename_axis(columns=None)
    return counts.assign(events=counts.sum(axis=1)).astype("int64")


def response_shares(events: pd.DataFrame) -> pd.DataFrame:
    """For the confrontation events (score below 0) of each side, how many the record codes as answering
    another event (``responds_to`` set): columns ``events``, ``responses`` and ``share``, one row per side of
    :data:`nato_russia.escalation.SIDES`."""
    confrontation = events.loc[events["score"] < 0, ["side", "responds_to"]]  # (the two columns used, not all)
    side = sides(confrontation)
    is_response = confrontation["responds_to"].notna()
    table = pd.DataFrame(
        {
            "events": is_response.groupby(side, observed=False).size(),
            "responses": is_response.groupby(side, observed=False).sum(),
        }
    ).reindex(list(SIDES), fill_value=0)
    table = table.astype("int64")
    return table.assign(share=table["responses"] / table["events"].where(table["events"] > 0)).rename_axis("side")


def plot_direction_bars(ax, table: pd.DataFrame, *, share_labels: bool = False):
    """Horizontal bars, one per row of ``table`` (first row on top), stacked from its columns ``cooperation``,
    ``neutral`` and ``confrontation`` in the house colours. With ``share_labels`` the confrontation segments
    are labelled with their value as a whole percentage. Returns the three bar containers, in that order."""
    ordered = table[list(DIRECTIONS)].iloc[::-1]
    names = [str(name) for name in ordered.index]
    left = np.zeros(len(ordered))
    containers = []
    for direction, colour in zip(DIRECTIONS, (score_colour(1), NEUTRAL_COLOUR, score_colour(-1))):
        values = ordered[direction].astype("float64").to_numpy()
        containers.append(ax.barh(names, values, left=left, height=0.7, color=colour, label=direction))
        left = left + values
    if share_labels:
        ax.bar_label(containers[-1], labels=[f"{value:.0%}" if value > 0 else "" for value in containers[-1].datavalues],
                     label_type="center", color="white", fontsize=14)
    ax.grid(axis="y", visible=False)
    return containers


def plot_coverage(ax, coverage: pd.DataFrame, events: pd.DataFrame, phases: pd.DataFrame, labels: pd.Series):
    """Draw the coverage matrix: one column per event in date order, one row per source.

    A cell is filled, in the colour of the event's score (cooperation, confrontation, neutral), where the
    source states the event. Phases are shaded bands over the columns of their events, named in a strip
    above the top row; the x-axis marks the first event of each year (labelled where there is room).
    ``coverage`` is :func:`nato_russia.analysis.coverage_matrix` with its columns in display order (top row
    first); ``labels`` names the sources. Returns the phase runs: (phase_id, first column, last column).

    A matrix of more than 110 events or more than 4 rows gets narrower columns or rows than the one this was
    drawn for (101 events, 4 sources): the labels then keep the same room in pixels, not in columns or rows.
    """
    by_id = events.set_index("event_id").loc[coverage.index]
    scores = by_id["score"].to_numpy()
    rows, columns = len(coverage.columns), len(coverage.index)
    crowding = max(1.0, columns / 110)  # how much narrower a column is than in a matrix of up to 110 events
    for row, source in enumerate(coverage.columns):
        for column in np.flatnonzero(coverage[source].to_numpy()):
            cell = Rectangle((column + 0.1, row + 0.1), 0.8, 0.8, color=score_colour(scores[column]), linewidth=0)
            ax.add_patch(cell)
    phase_labels = phases.set_index("phase_id")["label"]
    runs = _runs(by_id["phase_id"].astype("object").to_numpy())
    strip = 1.3 * max(1.0, rows / 4)  # height of the strip above the rows that holds the phase names
    for position, (phase_id, first, last) in enumerate(runs):
        width = last + 1 - first
        ax.axvspan(first, last + 1, color=PHASE_BAND_COLOURS[position % 2], zorder=0, linewidth=0)
        name = str(phase_labels.get(phase_id, phase_id))
        vertical = width < 9 * crowding
        wrap = 16 if vertical else max(8, int(width * 1.1 / crowding))
        ax.text((first + last + 1) / 2, -strip / 2, textwrap.fill(name, wrap),
                ha="center", va="center", fontsize=11 if vertical else 12, color="#444444",
                rotation=90 if vertical else 0, linespacing=1.0)
    ax.set_xlim(0, columns)
    ax.set_ylim(rows, -strip)
    ax.set_yticks(np.arange(rows) + 0.5, [labels.get(source, source) for source in coverage.columns])
    ticks, tick_labels = _year_ticks(by_id["start"].dt.year.to_numpy(), min_gap=round(6 * crowding))
    ax.set_xticks(ticks, tick_labels, fontsize=13)
    ax.grid(False)
    ax.tick_params(axis="y", length=0)
    ax.spines[["left", "bottom"]].set_visible(False)
    return runs


def _year_ticks(years: np.ndarray, min_gap: int = 6) -> tuple[list[float], list[str]]:
    """A tick at the first column of each year; labelled only where at least ``min_gap`` columns separate
    it from the last labelled tick."""
    ticks, tick_labels, last_labelled = [], [], -min_gap
    for column in np.flatnonzero(np.r_[True, years[1:] != years[:-1]]):
        ticks.append(column + 0.5)
        show = column - last_labelled >= min_gap
        tick_labels.append(str(years[column]) if show else "")
        last_labelled = column if show else last_labelled
    return ticks, tick_labels


def _runs(values: np.ndarray) -> list[tuple[str, int, int]]:
    """Consecutive runs of equal values: (value, first position, last position), in order."""
    if not len(values):
        return []
    # A run starts where a value differs from the one before (compared with !=, so a missing NaN starts a new
    # run each time, as NaN == NaN is false); it ends just before the next run starts.
    firsts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    lasts = np.r_[firsts[1:] - 1, len(values) - 1]
    return list(zip(values[firsts], firsts.tolist(), lasts.tolist()))
