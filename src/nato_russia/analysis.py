"""Analyses that more than one notebook uses: scores, the yearly index, source coverage, date disagreements
and lags between events at the precision their dates allow.

Every function takes DataFrames from :func:`nato_russia.load` and returns a new DataFrame or Series; none
modifies its input, and none loops over events in Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

from .dates import PRECISION, parse_partial_dates, sort_rows, sorted_positions

STATEMENT_KINDS = (
    "cooperation_offer",
    "request",
    "policy_statement",
    "criticism",
    "accusation",
    "demand",
    "threat_designation",
    "warning",
)
"""Event kinds that consist of words rather than deeds: offers, requests, statements, charges, demands and
threats of countermeasures."""


def direction(scores: pd.Series) -> pd.Series:
    """``cooperation`` for a positive score, ``confrontation`` for a negative one, ``neutral`` for zero."""
    codes = np.select([scores > 0, scores < 0], [0, 2], 1)  # positions in the categories below
    return pd.Series(pd.Categorical.from_codes(codes, categories=["cooperation", "neutral", "confrontation"]),
                     index=scores.index, name="direction")


def rescore(events: pd.DataFrame, scores: Mapping[str, float] | pd.Series) -> pd.DataFrame:
    """The events with ``score`` replaced by another scoring of their kinds.

    ``scores`` maps every kind that occurs in ``events`` to a number; a kind without a score raises
    ``KeyError`` naming it (a scoring that forgets a kind must not silently drop its events).
    """
    mapping = pd.Series(scores, dtype="float64")
    kind, kinds = pd.factorize(events["kind"])  # each distinct kind looked up once
    missing = sorted(set(kinds) - set(mapping.index))
    if missing:
        raise KeyError(f"the scoring gives no score for these event kinds: {', '.join(missing)}")
    if not mapping.index.is_unique:  # (mapping by a repeated kind raises, as it did)
        return events.assign(score=events["kind"].map(mapping).astype("float64"))
    score_of_kind = np.append(mapping.to_numpy()[mapping.index.get_indexer(kinds)], np.nan)  # code -1: no kind
    return events.assign(score=pd.Series(score_of_kind[kind], index=events.index, dtype="float64"))


def sign_scores(event_kinds: pd.DataFrame) -> pd.Series:
    """A scoring that keeps only the direction of each kind: +1, 0 or -1."""
    return pd.Series(np.sign(event_kinds["score"].to_numpy()), index=event_kinds["kind"], dtype="float64")


def without_statements(events: pd.DataFrame) -> pd.DataFrame:
    """The events that are deeds, not words (see :data:`STATEMENT_KINDS`)."""
    return events[~events["kind"].isin(STATEMENT_KINDS)]


def yearly_index(
    events: pd.DataFrame, *, first_year: int | None = None, last_year: int | None = None
) -> pd.DataFrame:
    """The relationship index per calendar year of each event's ``start``.

    Columns: ``events`` (how many), ``score_sum``, ``score_mean`` (missing in a year without events),
    ``cooperation`` and ``confrontation`` (how many events of each direction). Every year from
    ``first_year`` to ``last_year`` (default: the first and last year with an event) has a row, so that
    quiet years show as zero rather than disappearing.
    """
    year = events["start"].dt.year.rename("year")
    score = events["score"].astype("float64")
    table = pd.DataFrame(
        {
            "events": score.groupby(year).size(),
            "score_sum": score.groupby(year).sum(),
            "score_mean": score.groupby(year).mean(),
            "cooperation": (score > 0).groupby(year).sum(),
            "confrontation": (score < 0).groupby(year).sum(),
        }
    )
    first = int(year.min()) if first_year is None else first_year
    last = int(year.max()) if last_year is None else last_year
    table = table.reindex(pd.RangeIndex(first, last + 1, name="year"))
    counts = ["events", "score_sum", "cooperation", "confrontation"]
    table[counts] = table[counts].fillna(0)
    return table.astype({"events": "int64", "cooperation": "int64", "confrontation": "int64"})


def coverage_matrix(events: pd.DataFrame, mentions: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Which source states which event: a boolean table, one row per event (in date order), one column per
    source (in the order of ``sources``)."""
    order = pd.Index(sort_rows(events[["start", "event_id"]], ["start", "event_id"])["event_id"])  # (two columns)
    columns = pd.Index(sources["source_id"])
    if not (order.is_unique and columns.is_unique):  # repeated ids: every row or column of an id alike
        matrix = mentions.groupby(["event_id", "source_id"]).size().unstack(fill_value=0).gt(0)
        return matrix.reindex(index=order, columns=columns, fill_value=False)
    # Each mention's row and column, looked up once; then one cell set per mention.
    row, column = order.get_indexer(mentions["event_id"]), columns.get_indexer(mentions["source_id"])
    stated = (row >= 0) & (column >= 0)
    stated &= mentions["event_id"].notna().to_numpy() & mentions["source_id"].notna().to_numpy()  # as grouping
    cells = np.zeros((len(columns), len(order)), dtype=bool)  # a row per source: the frame's own layout
    cells[column[stated], row[stated]] = True
    return pd.DataFrame(cells.T, index=order, columns=columns, copy=False)  # (so the frame need not copy it)


def single_source_events(events: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """The events only one source states, with that source: columns of ``events`` plus ``source_id``."""
    if "source_id" in events.columns:  # the join names the two source_id columns apart
        return sort_rows(_single_source_rows(events, _Statements.of(mentions)), ["start", "event_id"])
    alone_ids, source_mention = _only_source_mentions(mentions)
    # The events' rows whose event only one source states (what joining on event_id gives), in date order.
    position = alone_ids.get_indexer(events["event_id"])
    event_row = np.flatnonzero(position >= 0)
    order = sorted_positions(events[["start", "event_id"]].iloc[event_row], ["start", "event_id"])
    if order is None:  # columns numpy cannot sort: pandas sorts them
        return sort_rows(_single_source_rows(events, _Statements.of(mentions)), ["start", "event_id"])
    event_row = event_row[order]  # taken from events once (not once to choose them and once to sort them)
    source_id = mentions["source_id"].array.take(source_mention[position[event_row]])
    return events.take(event_row).assign(source_id=source_id)


def _only_source_mentions(mentions: pd.DataFrame) -> tuple[pd.Index, np.ndarray]:
    """The ids of the events exactly one source states (among mentions that name both), and for each the
    position of a mention naming that source. Whether an event has one source or more is found by comparing
    each mention's source with the first source named for its event, so the source ids are not hashed."""
    event, event_ids = pd.factorize(mentions["event_id"])
    source = mentions["source_id"].to_numpy(dtype=object)
    named = np.flatnonzero((event >= 0) & pd.notna(source))  # the mentions with an event and a source
    first = np.full(len(event_ids), len(source))  # per event, its first mention naming a source
    np.minimum.at(first, event[named], named)
    another = source[named] != source[first[event[named]]]  # a mention naming another source than that one
    several = np.zeros(len(event_ids), dtype=bool)
    several[event[named][another]] = True
    alone = np.flatnonzero((first < len(source)) & ~several)
    return event_ids[alone], first[alone]


def _single_source_rows(events: pd.DataFrame, stated: _Statements) -> pd.DataFrame:
    """The rows of :func:`single_source_events`, in the order of ``events``."""
    found = _single_source_positions(events, stated)
    if found is None:  # the join names the two source_id columns apart
        return events.merge(_only_sources(stated), left_on="event_id", right_index=True)
    event_row, source = found
    return events.take(event_row).assign(source_id=stated.source_ids.array.take(source))


def _only_sources(stated: _Statements) -> pd.Series:
    """The one source of each event only one source states (``source_id``, indexed by ``event_id``)."""
    alone = stated.pairs[stated.sources_per_event()[stated.pairs["event"]] == 1]
    return pd.Series(stated.source_ids[alone["source"]], index=stated.event_ids[alone["event"]].rename("event_id"),
                     name="source_id")


def _single_source_positions(events: pd.DataFrame, stated: _Statements) -> tuple[np.ndarray, np.ndarray] | None:
    """The rows of :func:`_single_source_rows` as positions: the rows of ``events`` whose event only one source
    states, in their order, and that source's position in ``stated.source_ids``. None where ``events`` has a
    ``source_id`` column of its own (only the join names the two apart)."""
    if "source_id" in events.columns:
        return None
    alone = stated.pairs[stated.sources_per_event()[stated.pairs["event"]] == 1]
    # The events' rows in their order with their one source: what joining on event_id gives.
    position = stated.event_ids[alone["event"]].get_indexer(events["event_id"])
    event_row = np.flatnonzero(position >= 0)
    return event_row, alone["source"].to_numpy()[position[event_row]]


def _event_rows(events: pd.DataFrame, event_ids: pd.Index, wanted: np.ndarray) -> np.ndarray | None:
    """For each id of ``event_ids`` (distinct ids, as :func:`pandas.factorize` gives them) that the boolean array
    ``wanted`` marks, the position of its row in ``events`` (-1 for an id without a row, and for every id not
    wanted): what an inner join on event_id needs, with the events' ids looked up once. None if a wanted id has
    more than one row (a join would repeat it; leave that to :meth:`pandas.DataFrame.merge`)."""
    codes = np.flatnonzero(wanted)
    found = event_ids[codes].get_indexer(events["event_id"])  # per event row: its place among the wanted ids
    hit = np.flatnonzero(found >= 0)
    if np.bincount(found[hit], minlength=len(codes)).max(initial=0) > 1:
        return None
    rows = np.full(len(event_ids), -1, dtype="int64")
    rows[codes[found[hit]]] = hit
    return rows


class _Statements(NamedTuple):
    """Which source states which event, as integer codes (one pass over each text column): per mention,
    the position of its event in ``event_ids`` and of its source in ``source_ids`` (-1: missing), the ids
    in order of first mention, and one row per distinct (event, source) pair without a missing one."""

    event: np.ndarray
    event_ids: pd.Index
    source: np.ndarray
    source_ids: pd.Index
    pairs: pd.DataFrame

    @classmethod
    def of(cls, mentions: pd.DataFrame) -> _Statements:
        event, event_ids = pd.factorize(mentions["event_id"])
        source, source_ids = pd.factorize(mentions["source_id"])
        both = (event >= 0) & (source >= 0)
        # Each (event, source) pair as one integer, so that finding the distinct pairs hashes one column, not two;
        # pd.unique keeps them in order of first occurrence, as drop_duplicates did.
        width = max(len(source_ids), 1)
        pair = pd.unique(event[both].astype("int64") * width + source[both])
        pairs = pd.DataFrame({"event": pair // width, "source": pair % width})
        return cls(event, event_ids, source, source_ids, pairs.astype({"event": event.dtype, "source": source.dtype}))

    def sources_per_event(self) -> np.ndarray:
        """How many sources state each event of ``event_ids``."""
        return np.bincount(self.pairs["event"], minlength=len(self.event_ids))

    def events_per_source(self) -> np.ndarray:
        """How many events each source of ``source_ids`` states."""
        return np.bincount(self.pairs["source"], minlength=len(self.source_ids))


def mention_dates(mentions: pd.DataFrame) -> pd.DataFrame:
    """The mentions with the span each source gives: ``given_start``, ``given_precision`` and
    ``given_last_day`` (the last day of ``date_given_end`` if set, else of ``date_given``); missing where
    the source gives no date."""
    return mentions.assign(**given_spans(mentions))


def given_spans(mentions: pd.DataFrame) -> pd.DataFrame:
    """The columns :func:`mention_dates` adds (``given_start``, ``given_precision``, ``given_last_day``), alone,
    with the index of ``mentions``: for analyses that need them and not a copy of every mention."""
    start = parse_partial_dates(mentions["date_given"])
    end = parse_partial_dates(mentions["date_given_end"])
    return pd.DataFrame(
        {
            "given_start": start["start"],
            "given_precision": start["precision"],
            "given_last_day": end["last_day"].fillna(start["last_day"]),
        },
        index=mentions.index,
    )


def date_disagreements(mentions: pd.DataFrame) -> pd.DataFrame:
    """For each event that at least two sources date, how their dates relate.

    One row per event: ``sources`` (how many date it), ``earliest`` and ``latest`` (the outermost days any
    of them allows), ``relation`` and ``gap_days``. ``relation`` is ``same`` when every source gives the
    same span, ``precision`` when the spans differ but all share at least one day (one source is only
    vaguer, e.g. "June 1994" and "22 June 1994"), and ``conflict`` when two spans have no day in common.
    ``gap_days`` is, for a conflict, the number of days between the end of the earliest-ending span and
    the start of the latest-starting one; 0 otherwise.
    """
    spans = _DatedSpans.of(mentions)
    sources = spans.sources(mentions, spans.dated_mentions >= 2)[0]  # (two sources need two dated mentions)
    compared = np.flatnonzero(sources >= 2)
    # In order of event_id, as grouping by it gives (the ids are distinct, so any sort gives this order).
    order = _sorted_order(spans.event_ids[compared])
    compared = compared[order] if order is not None else compared[spans.event_ids[compared].argsort()]
    table = pd.DataFrame(
        {
            "sources": sources[compared],
            "earliest": spans.earliest[compared],
            "latest": spans.latest[compared],
        },
        index=spans.event_ids[compared].rename("event_id"),
    )
    table["relation"] = spans.relation()[compared]
    table["gap_days"] = spans.gap_days()[compared]
    return table.reset_index()


def _sorted_order(values: pd.Index) -> np.ndarray | None:
    """The positions that sort ``values`` (no missing ones), ties in their order: Python's own sort of the
    values as a list, which compares text about twice as fast as numpy's sort of an object array. None if the
    values cannot be compared with one another."""
    listed = values.tolist()
    try:
        return np.array(sorted(range(len(listed)), key=listed.__getitem__), dtype="int64")
    except TypeError:
        return None


class _DatedSpans(NamedTuple):
    """The dates the sources give each event, summed up per event (what :func:`date_disagreements` compares).

    ``event`` is each mention's event as a position in ``event_ids`` (-1: no event) and ``dated`` whether the
    mention gives a date (and names an event). The other arrays have one value per event of ``event_ids``, over
    its mentions that give a date: ``dated_mentions`` (how many), ``earliest`` and ``latest_start`` (the first
    and the last ``given_start``), ``earliest_end`` and ``latest`` (the first and the last ``given_last_day``);
    NaT for an event no mention dates. How many sources date each event: :meth:`sources`.
    """

    event: np.ndarray
    event_ids: pd.Index
    dated: np.ndarray
    dated_mentions: np.ndarray
    earliest: np.ndarray
    latest_start: np.ndarray
    earliest_end: np.ndarray
    latest: np.ndarray

    @classmethod
    def of(cls, mentions: pd.DataFrame) -> _DatedSpans:
        given = given_spans(mentions)
        start = given["given_start"].to_numpy()
        last_day = given["given_last_day"].to_numpy()
        event, event_ids = pd.factorize(mentions["event_id"])  # one pass over the text ids
        dated = ~np.isnat(start) & (event >= 0)
        codes = event[dated]
        dated_mentions = np.bincount(codes, minlength=len(event_ids))

        def per_event(days: np.ndarray, extreme: np.ufunc) -> np.ndarray:
            """The first (np.minimum) or last (np.maximum) of ``days`` per event, over its dated mentions."""
            ticks = days[dated].view("int64")
            out = np.full(len(event_ids), np.iinfo("int64").max if extreme is np.minimum else np.iinfo("int64").min)
            extreme.at(out, codes, ticks)  # one unbuffered pass over the dated mentions
            out[dated_mentions == 0] = np.datetime64("NaT").astype(days.dtype).view("int64")
            return out.view(days.dtype)

        return cls(event, event_ids, dated, dated_mentions, per_event(start, np.minimum),
                   per_event(start, np.maximum), per_event(last_day, np.minimum), per_event(last_day, np.maximum))

    def sources(self, mentions: pd.DataFrame, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray, pd.Index]:
        """How many distinct sources date each event that ``wanted`` marks (0 for the others), with the
        mentions' sources as :func:`_sources_per_event` gives them."""
        return _sources_per_event(self.event, len(self.event_ids), mentions["source_id"], wanted, self.dated)

    def overlap(self) -> np.ndarray:
        """Per event: every span shares a day with every other (the latest start is not after the first end)."""
        return self.latest_start <= self.earliest_end

    def relation(self) -> np.ndarray:
        """Per event: ``same`` (one span), ``precision`` (spans that overlap) or ``conflict`` (also for an
        event without a date: leave those out)."""
        # Every span is the same exactly when the starts and the ends are each all the same.
        same = (self.earliest == self.latest_start) & (self.earliest_end == self.latest)
        return np.select([same, self.overlap()], ["same", "precision"], "conflict")

    def gap_days(self) -> np.ndarray:
        """Per event: days from the first end to the latest start for a conflict, else 0 (int64)."""
        with np.errstate(invalid="ignore"):  # NaT, an event without a date (its gap is not used)
            gap = (self.latest_start - self.earliest_end) // np.timedelta64(1, "D")  # whole days, as Timedelta.days
        return np.where(self.overlap(), 0, gap).astype("int64")


def _sources_per_event(
    event: np.ndarray, events: int, source_id: pd.Series, wanted: np.ndarray, counted: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """How many distinct sources state each of ``events`` events that ``wanted`` marks (0 for the others).

    ``event`` is each mention's event code (-1: none) and ``source_id`` its source; only the mentions that
    ``counted`` marks (all if None) count. Only the mentions of the wanted events are looked at. Also returns,
    per mention of a wanted event, its source as a position in the distinct source ids returned (-1 for a
    missing source and for the mentions of other events)."""
    of_wanted = np.flatnonzero(np.append(wanted, False)[event])  # code -1, no event: not wanted
    codes, source_ids = pd.factorize(source_id.iloc[of_wanted])
    source = np.full(len(event), -1)
    source[of_wanted] = codes
    stated = source >= 0 if counted is None else counted & (source >= 0)
    # Each (event, source) pair as one integer, counted once.
    width = max(len(source_ids), 1)
    pairs = pd.unique(event[stated].astype("int64") * width + source[stated])
    return np.bincount(pairs // width, minlength=events).astype("int64"), source, source_ids


def lag(
    start_from: pd.Series, precision_from: pd.Series, start_to: pd.Series, precision_to: pd.Series
) -> pd.DataFrame:
    """The time from one date to another, counted in the coarser of their two precisions.

    Two days give a lag in days, a day and a month give one in months, anything with a year gives one in
    years: a lag is never more precise than the vaguer of its dates. Returns ``lag`` (an integer, missing
    where a date is missing) and ``unit`` (``days``, ``months`` or ``years``).
    """
    index = start_from.index
    same_rows = all(series.index.equals(index) for series in (precision_from, start_to, precision_to))
    numpy_dates = all(isinstance(dates.dtype, np.dtype) and dates.dtype.kind == "M" for dates in (start_from, start_to))
    if not (same_rows and numpy_dates):
        return _lag_aligned(start_from, precision_from, start_to, precision_to)
    # The coarser precision as a position in PRECISION (-1: both missing); a missing one defers to the other.
    coarser = np.maximum(precision_from.astype(PRECISION).cat.codes.to_numpy(),
                         precision_to.astype(PRECISION).cat.codes.to_numpy()).astype("int64")
    start, end = start_from.to_numpy(), start_to.to_numpy()  # numpy dates (of any unit)
    known = (coarser >= 0) & ~np.isnat(start) & ~np.isnat(end)
    # Whole days (rounded down, as Timedelta.days), calendar months and calendar years between the dates;
    # numpy turns a date into its month or year by rounding down, so months count 12 a year.
    with np.errstate(invalid="ignore"):  # NaT, a missing date: left out below
        days = (end - start) // np.timedelta64(1, "D")
    months = end.astype("datetime64[M]").astype("int64") - start.astype("datetime64[M]").astype("int64")
    years = end.astype("datetime64[Y]").astype("int64") - start.astype("datetime64[Y]").astype("int64")
    value = np.choose(np.clip(coarser, 0, 2), [days, months, years])  # by position in PRECISION
    units = np.array(["days", "months", "years"], dtype=object)[np.clip(coarser, 0, 2)]
    return pd.DataFrame(
        {
            "lag": pd.array(np.where(known, value.astype("float64"), np.nan), dtype="Int64"),
            "unit": pd.Series(np.where(known, units, np.nan), index=index, dtype="str"),
        },
        index=index,
    )


def _lag_aligned(
    start_from: pd.Series, precision_from: pd.Series, start_to: pd.Series, precision_to: pd.Series
) -> pd.DataFrame:
    """:func:`lag` of Series whose indexes differ (aligned by label, as pandas arithmetic aligns them) or whose
    dates are not numpy dates (such as dates with a time zone)."""
    coarser = pd.concat(
        [precision_from.astype(PRECISION).cat.codes, precision_to.astype(PRECISION).cat.codes], axis=1
    ).max(axis=1)
    unit = pd.Series(
        pd.Categorical.from_codes(coarser.where(coarser >= 0, -1), categories=PRECISION.categories),
        index=start_from.index,
    )
    days = (start_to - start_from).dt.days
    months = (start_to.dt.year - start_from.dt.year) * 12 + (start_to.dt.month - start_from.dt.month)
    years = start_to.dt.year - start_from.dt.year
    value = np.select([unit == "day", unit == "month", unit == "year"], [days, months, years], np.nan)
    units = unit.map({"day": "days", "month": "months", "year": "years"}).astype("str")
    known = unit.notna() & start_from.notna() & start_to.notna()
    return pd.DataFrame(
        {"lag": pd.array(np.where(known, value, np.nan), dtype="Int64"), "unit": units.where(known)},
        index=start_from.index,
    )


def response_pairs(events: pd.DataFrame) -> pd.DataFrame:
    """Every event that answers another, with the lag between them.

    Columns: ``trigger_id``, ``trigger_title``, ``trigger_kind``, ``response_id``, ``response_title``,
    ``response_kind``, ``lag`` and ``unit`` (see :func:`lag`), in the order of the responses' dates.
    """
    used = ["event_id", "title", "kind", "start", "precision"]
    responses = sort_rows(events[[*used, "responds_to"]].dropna(subset=["responds_to"]), ["start", "event_id"])
    ids = pd.Index(events["event_id"])
    trigger = ids.get_indexer(responses["responds_to"]) if ids.is_unique else None  # each trigger's row
    if trigger is None or (trigger < 0).any():  # a repeated id, or a trigger that is no event (KeyError)
        triggers = events.set_index("event_id").loc[responses["responds_to"]]
    else:
        triggers = events[used].iloc[trigger]
    lags = lag(
        triggers["start"].reset_index(drop=True),
        triggers["precision"].reset_index(drop=True),
        responses["start"].reset_index(drop=True),
        responses["precision"].reset_index(drop=True),
    )
    return pd.DataFrame(
        {
            "trigger_id": responses["responds_to"].to_numpy(),
            "trigger_title": triggers["title"].to_numpy(),
            "trigger_kind": triggers["kind"].to_numpy(),
            "response_id": responses["event_id"].to_numpy(),
            "response_title": responses["title"].to_numpy(),
            "response_kind": responses["kind"].to_numpy(),
            "lag": lags["lag"].to_numpy(),
            "unit": lags["unit"].to_numpy(),
        }
    )
