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

import itertools
import textwrap
from collections.abc import Iterable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle

from . import analysis
from .dates import parse_partial_dates, sort_rows, sorted_positions
from .escalation import SIDES, actor_side
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
        "2016-04-nrc-meetings-from-april-2016",
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
    return _reported_pairs(events, mentions, source_ids, in_order=True)


def _reported_pairs(
    events: pd.DataFrame,
    mentions: pd.DataFrame,
    source_ids: Sequence[str] | None,
    columns: list[str] | None = None,
    *,
    in_order: bool = False,
) -> pd.DataFrame:
    """The rows of :func:`reported_events` with only ``columns`` of ``events`` (all if ``None``), sorted as
    there if ``in_order``, else in no particular order (counts and shares per source need neither the
    sort nor the other columns)."""
    pairs = mentions[["event_id", "source_id"]]
    if pd.api.types.is_list_like(source_ids) and not isinstance(source_ids, Iterator):
        # Each mention's source looked up once among the categories: the rows the filter by source keeps and their
        # codes in the categorical (a repeated or missing source id raises, as that categorical does). (An
        # iterator is left to the filter below, which uses it up before the categorical sees it.)
        source_dtype = pd.CategoricalDtype(list(source_ids), ordered=True)
        code = source_dtype.categories.get_indexer(pairs["source_id"])
        of_the_sources = np.flatnonzero(code >= 0)
        pairs = pairs.iloc[of_the_sources]
        source = pd.Categorical.from_codes(code[of_the_sources], dtype=source_dtype)
    else:
        if source_ids is not None:
            pairs = pairs[pairs["source_id"].isin(source_ids)]
        order = list(source_ids) if source_ids is not None else sorted(pairs["source_id"].unique())
        source = pd.Categorical(pairs["source_id"], categories=order, ordered=True)
    wanted = events if columns is None else events[["event_id", *columns]]
    ids = pd.Index(events["event_id"])
    if not ids.is_unique or "source_id" in wanted.columns:  # as a join gives it, with its repeats and names
        table = pairs.assign(source_id=source).merge(wanted, on="event_id", how="inner")
        return sort_rows(table, ["source_id", "start", "event_id"]).reset_index(drop=True) if in_order else table
    # Each mention's event row, looked up once (the ids are unique): the inner join, in the mentions' order.
    event_row = ids.get_indexer(pairs["event_id"])
    stated = np.flatnonzero(event_row >= 0)
    if in_order:  # by source, then by the events' order of start and id
        event_rank = _date_ranks(events, event_row[stated])
        source_rank = np.where(source.codes >= 0, source.codes, len(source.categories))[stated]  # no source: last
        stated = stated[np.lexsort((event_rank[event_row[stated]], source_rank))]
    table = wanted.iloc[event_row[stated]].reset_index(drop=True)
    if not (isinstance(ids.dtype, pd.StringDtype) and ids.dtype == pairs["event_id"].dtype):
        # The join's key column is the mentions': the same values unless the two columns hold text alike.
        table["event_id"] = pairs["event_id"].array.take(stated)
    table.insert(1, "source_id", source[stated])
    return table


def _date_ranks(events: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """For the events at ``rows`` (positions, repeats allowed), their ranks in the order :func:`sort_rows` gives
    ``events`` by ``start`` and ``event_id``; the ranks of the other events are left unset.

    The sort is stable, so it orders some of the events as it orders all of them, and only the events at
    ``rows`` are sorted. Not so where a key column holds objects: whether those sort depends on the values,
    so all events are sorted then (in row order where they cannot be sorted).
    """
    keys = events[["start", "event_id"]]
    if (keys.dtypes == object).any():
        ranked = np.arange(len(events))
    else:
        ranked = np.flatnonzero(np.bincount(rows, minlength=len(events)))  # each event at ``rows`` once, in order
        keys = keys.iloc[ranked]
    order = sorted_positions(keys, ["start", "event_id"])
    rank = np.empty(len(events), dtype="int64")
    rank[ranked if order is None else ranked[order]] = np.arange(len(ranked))
    return rank


def _reported_rows(
    events: pd.DataFrame, mentions: pd.DataFrame, source_ids: Sequence[str]
) -> tuple[np.ndarray, np.ndarray] | None:
    """The pairs of :func:`_reported_pairs` as positions, in no particular order: per pair, the source's position
    in ``source_ids`` and the event's row in ``events``. For counts per source, which need no table. None where
    only the join of :func:`_reported_pairs` gives the pairs (a repeated event id or source id)."""
    order = pd.Index(list(source_ids))
    ids = pd.Index(events["event_id"])
    if not (order.is_unique and ids.is_unique) or order.hasnans:
        return None
    source = order.get_indexer(mentions["source_id"])
    of_the_sources = np.flatnonzero(source >= 0)
    event_row = ids.get_indexer(mentions["event_id"].iloc[of_the_sources])  # each mention's event, looked up once
    stated = event_row >= 0
    return source[of_the_sources[stated]], event_row[stated]


def backgrounder_changes(
    mentions: pd.DataFrame, earlier: str = EARLIER_BACKGROUNDER, later: str = LATER_BACKGROUNDER
) -> pd.DataFrame:
    """What the later edition of a document does with the earlier one's events.

    One row per event either edition states: ``event_id`` and ``change``, which is ``kept`` (both state it),
    ``dropped`` (only the earlier) or ``added`` (only the later); sorted by change in that order, then id.
    """
    source = mentions["source_id"].to_numpy(dtype=object)  # compared as Python objects: missing is never equal
    in_earlier = set(mentions["event_id"][source == earlier].tolist())
    in_later = set(mentions["event_id"][source == later].tolist())
    changes = {"kept": in_earlier & in_later, "dropped": in_earlier - in_later, "added": in_later - in_earlier}
    in_order = all(isinstance(event, str) for events in changes.values() for event in events)
    # Text ids are sorted here, change by change, so the table comes in its final order. It is built a column
    # at a time: a tuple per row costs far more, most of it in the garbage collector.
    ids = [sorted(events) if in_order else list(events) for events in changes.values()]
    table = pd.DataFrame({"event_id": pd.Series(list(itertools.chain.from_iterable(ids)), dtype=object).infer_objects()})
    change = np.repeat(np.arange(len(changes)), [len(events) for events in ids])
    table["change"] = pd.Categorical.from_codes(change, categories=list(changes), ordered=True)
    if in_order:
        return table
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
    if isinstance(event_ids, (pd.Series, pd.Index)) and event_ids.dtype == "str":
        rows = pd.Index(event_ids, name=None)  # text: the Index a list of the ids gives, without the list
    else:
        event_ids = _as_list(event_ids)  # (once: an iterator is used up)
        rows = pd.Index(event_ids)
    columns = pd.Index(_as_list(source_ids))
    if rows.is_unique and columns.is_unique and not (rows.hasnans or columns.hasnans):
        # Each mention's cell, looked up once: what the pivot below gives, unless a cell is stated twice.
        row = rows.get_indexer(mentions["event_id"])
        of_the_events = np.flatnonzero(row >= 0)
        col = columns.get_indexer(mentions["source_id"].iloc[of_the_events])
        stated = of_the_events[col >= 0]
        row, col = row[stated], col[col >= 0]
        stated_cells = np.zeros(len(rows) * len(columns), dtype=bool)  # a mark per cell stated (a byte each)
        stated_cells[row * len(columns) + col] = True
        if np.count_nonzero(stated_cells) == len(row):  # no cell stated twice
            text = mentions[column].iloc[stated]
            cells = np.empty((len(columns), len(rows)), dtype=object)  # a row per source: the frame's layout
            cells.fill(not_stated)  # (np.full is far slower with an object)
            cells[col, row] = text.astype("object").where(text.notna(), "").to_numpy()
            wide = pd.DataFrame(cells.T, index=rows, columns=columns, dtype="object", copy=False)
            return wide.rename_axis(index="event_id", columns=None)
    event_ids = _as_list(event_ids)
    chosen = mentions[mentions["event_id"].isin(event_ids) & mentions["source_id"].isin(source_ids)]
    wide = (  # raises on a (event, source) pair stated twice
        chosen.assign(value=chosen[column].astype("object").where(chosen[column].notna(), ""))
        .pivot(index="event_id", columns="source_id", values="value")
        .reindex(index=event_ids, columns=list(source_ids))
    )
    return wide.astype("object").fillna(not_stated).rename_axis(index="event_id", columns=None)


def _as_list(values: Iterable) -> list:
    """The values as a list; a pandas Series or Index without a step per element."""
    return values.tolist() if isinstance(values, (pd.Series, pd.Index)) else list(values)


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
    event_ids, source_ids = _as_list(event_ids), _as_list(source_ids)
    chosen = mentions[mentions["event_id"].isin(event_ids)]
    chosen = chosen[chosen["source_id"].isin(source_ids)]  # (the few mentions of the events, not all of them)
    named = events.loc[events["event_id"].isin(event_ids), ["event_id", "date", "title"]]  # all the join can use
    table = chosen.merge(named, on="event_id", how="left")
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
    precision = parse_partial_dates(mentions["date_given"])["precision"]  # given_precision of mention_dates
    rows = pd.Index(list(source_ids), name="source_id")
    if rows.is_unique and not rows.hasnans:
        # One count per (source, precision) cell, by position: the cross-tabulation below, without its cost.
        row = rows.get_indexer(mentions["source_id"])
        column_of_category = pd.Index(PRECISIONS).get_indexer(precision.cat.categories)
        codes = precision.cat.codes.to_numpy()
        column = np.where(codes >= 0, column_of_category[codes], PRECISIONS.index("undated"))
        stated = row >= 0
        cells = np.bincount(row[stated] * len(PRECISIONS) + column[stated], minlength=len(rows) * len(PRECISIONS))
        return pd.DataFrame(cells.reshape(len(rows), len(PRECISIONS)).astype("int64"), index=rows,
                            columns=list(PRECISIONS))
    table = pd.crosstab(mentions["source_id"], precision.astype("object").fillna("undated"))
    return table.reindex(index=list(source_ids), columns=list(PRECISIONS), fill_value=0).rename_axis(
        index="source_id", columns=None
    )


def multi_year_datings(mentions: pd.DataFrame, source_ids: Sequence[str]) -> pd.Series:
    """How many of each source's mentions give a span that runs over more than one calendar year (a
    year-range heading, or a 'from ... to ...' period), by source in the order given."""
    given = analysis.given_spans(mentions)
    start, last_day = given["given_start"].to_numpy(), given["given_last_day"].to_numpy()
    # Dated, and ending in a later calendar year than it starts: on or after the first day of the year after
    # (numpy rounds a day down to its year). Only a span that ends after its first day can (NaT compares false),
    # so only those spans are rounded, the costly step.
    ends_later = np.flatnonzero(last_day > start)
    multi_year = np.zeros(len(start), dtype=bool)
    multi_year[ends_later] = last_day[ends_later] >= start[ends_later].astype("datetime64[Y]") + 1
    # Grouped by source among those few mentions only: a source without one gets 0 below, as before.
    spans_years = pd.Series(multi_year[multi_year], index=mentions.index[multi_year])
    counts = spans_years.groupby(mentions["source_id"][multi_year]).sum()
    return counts.reindex(list(source_ids), fill_value=0).astype("int64").rename("multi_year")


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
    located = _reported_rows(events, mentions, source_ids)
    if located is None:
        return _framing_profile_joined(events, mentions, source_ids, since_year=since_year)
    source, event_row = located
    sources = len(source_ids)

    def per_source(values: np.ndarray | None = None, where: np.ndarray | None = None) -> np.ndarray:
        """How many pairs each source has (of those ``where`` marks), or the sum of ``values`` over them."""
        chosen = slice(None) if where is None else where
        weights = None if values is None else values[chosen]
        return np.bincount(source[chosen], weights=weights, minlength=sources)

    count = per_source()
    direction = analysis.direction(events["score"]).cat.codes.to_numpy()[event_row]  # positions in DIRECTIONS
    by_direction = np.bincount(source * len(DIRECTIONS) + direction, minlength=sources * len(DIRECTIONS))
    since = (events["start"].dt.year >= since_year).to_numpy()[event_row]

    def mean_per_source(column: pd.Series) -> np.ndarray:
        """The mean of an events column over each source's pairs, missing values left out (as a group mean)."""
        values = column.astype("float64").to_numpy()[event_row]
        known = ~np.isnan(values)
        return per_source(values, known) / per_source(where=known)

    with np.errstate(invalid="ignore", divide="ignore"):  # a source without events: 0 / 0, missing
        shares = by_direction.reshape(sources, len(DIRECTIONS)) / count[:, None]
        profile = pd.DataFrame(
            {
                "events": count.astype("int64"),
                **{name: shares[:, position] for position, name in enumerate(DIRECTIONS)},
                "mean_score": mean_per_source(events["score"]),
                "escalation": mean_per_source(events["escalation"]),
                "since": per_source(since.astype("float64")) / count,
            },
            index=pd.Index(list(source_ids), name="source_id"),
        )
    profile.loc[profile["events"] == 0, list(DIRECTIONS)] = np.nan
    return profile


def _framing_profile_joined(
    events: pd.DataFrame, mentions: pd.DataFrame, source_ids: Sequence[str], *, since_year: int
) -> pd.DataFrame:
    """:func:`framing_profile` from the joined table of :func:`_reported_pairs` (repeated ids)."""
    table = _reported_pairs(events, mentions, source_ids, ["score", "escalation", "start"])  # order is irrelevant
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
    :func:`nato_russia.escalation.actor_side` (NATO and Allies, Russia, other).
    """
    full_index = pd.MultiIndex.from_product([list(source_ids), list(SIDES)], names=["source_id", "side"])
    located = _reported_rows(events, mentions, source_ids)
    if located is None:
        table = _reported_pairs(events, mentions, source_ids, ["actor", "score"])  # counts: the order is irrelevant
        side = actor_side(table["actor"])
        direction = analysis.direction(table["score"])
        counts = pd.crosstab([table["source_id"], side], direction, dropna=False)
        counts = counts.reindex(index=full_index, columns=list(DIRECTIONS), fill_value=0).rename_axis(columns=None)
        return counts.assign(events=counts.sum(axis=1)).astype("int64")
    source, event_row = located
    # One count per (source, side, direction) cell, by position: the cross-tabulation, without its cost.
    side = actor_side(events["actor"]).cat.codes.to_numpy()[event_row]  # positions in SIDES
    direction = analysis.direction(events["score"]).cat.codes.to_numpy()[event_row]  # positions in DIRECTIONS
    cell = (source * len(SIDES) + side) * len(DIRECTIONS) + direction
    cells = np.bincount(cell, minlength=len(full_index) * len(DIRECTIONS)).reshape(len(full_index), len(DIRECTIONS))
    counts = pd.DataFrame(cells, index=full_index, columns=list(DIRECTIONS))
    return counts.assign(events=counts.sum(axis=1)).astype("int64")


def response_shares(events: pd.DataFrame) -> pd.DataFrame:
    """For the confrontation events (score below 0) of each side, how many the record codes as answering
    another event (``responds_to`` set): columns ``events``, ``responses`` and ``share``, one row per side of
    :data:`nato_russia.escalation.SIDES`."""
    confrontation = events.loc[events["score"] < 0, ["actor", "responds_to"]]  # (the two columns used, not all)
    side = actor_side(confrontation["actor"])
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
