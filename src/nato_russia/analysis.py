"""Analyses that more than one notebook uses: scores, the yearly index, source coverage, date disagreements
and lags between events at the precision their dates allow.

Every function takes DataFrames from :func:`nato_russia.load` and returns a new DataFrame or Series; none
modifies its input, and none loops over events in Python.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .dates import PRECISION, parse_partial_dates

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


def indexed_events(events: pd.DataFrame) -> pd.DataFrame:
    """The events that count in the cooperation-confrontation index: those whose scope has ``in_index`` true in
    scopes.csv (the loader's ``in_index`` column). The other scopes (enlargement, context) stay in the record
    and in the timeline, but an index of the relationship between NATO and Russia leaves them out."""
    return events[events["in_index"].astype(bool)]


CERTAINTIES = ("established", "reported", "alleged", "disputed")
"""The values of events.csv ``certainty``, firmest first."""


def scope_certainty_counts(events: pd.DataFrame, scopes: pd.DataFrame) -> pd.DataFrame:
    """How many events each scope holds, by certainty.

    One row per scope of ``scopes`` (scopes.csv, in its order), then a row ``all``. Columns: ``in index``
    (``yes`` or ``no``, from scopes.csv ``in_index``; empty for ``all``), one column per certainty of
    :data:`CERTAINTIES`, then ``all``. A scope or certainty without events counts 0.
    """
    table = pd.crosstab(events["scope"], events["certainty"])
    table = table.reindex(index=scopes["scope"], columns=list(CERTAINTIES), fill_value=0).astype("int64")
    table["all"] = table.sum(axis=1)
    table.loc["all"] = table.sum()
    in_index = scopes.set_index("scope")["in_index"].astype(bool).map({True: "yes", False: "no"})
    table.insert(0, "in index", in_index.reindex(table.index).fillna(""))
    table.index.name, table.columns.name = "scope", None
    return table


def stated_by_origin(
    events: pd.DataFrame, mentions: pd.DataFrame, sources: pd.DataFrame, origins: list[str] | tuple[str, ...]
) -> pd.Series:
    """For each event, whether at least one source whose ``origin`` (sources.csv) is one of ``origins`` states
    it: a boolean Series aligned with ``events``. ``events[stated_by_origin(..., ["nato"])]`` keeps the events
    that NATO's own texts state, a series on a constant source basis."""
    chosen = sources.loc[sources["origin"].isin(list(origins)), "source_id"]
    stating = mentions.loc[mentions["source_id"].isin(chosen), "event_id"]
    return events["event_id"].isin(stating).rename("stated")


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
    matrix = mentions.groupby(["event_id", "source_id"]).size().unstack(fill_value=0).gt(0)
    order = events.sort_values(["start", "event_id"])["event_id"]
    return matrix.reindex(index=order, columns=sources["source_id"], fill_value=False)


def sources_per_event(mentions: pd.DataFrame) -> pd.Series:
    """How many distinct sources state each event (indexed by ``event_id``)."""
    return mentions.groupby("event_id")["source_id"].nunique()


def single_source_events(events: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """The events only one source states, with that source: columns of ``events`` plus ``source_id``."""
    per_event = mentions.groupby("event_id")["source_id"]
    only = per_event.first()[per_event.nunique() == 1].rename("source_id")
    return events.merge(only, left_on="event_id", right_index=True).sort_values(["start", "event_id"])


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
    dated = mention_dates(mentions).dropna(subset=["given_start"])
    grouped = dated.groupby("event_id")
    table = pd.DataFrame(
        {
            "sources": grouped["source_id"].nunique(),
            "earliest": grouped["given_start"].min(),
            "latest": grouped["given_last_day"].max(),
            "latest_start": grouped["given_start"].max(),
            "earliest_end": grouped["given_last_day"].min(),
            "distinct_spans": dated.drop_duplicates(["event_id", "given_start", "given_last_day"])
            .groupby("event_id")
            .size(),
        }
    )
    table = table[table["sources"] >= 2]
    overlap = table["latest_start"] <= table["earliest_end"]
    table["relation"] = np.select([table["distinct_spans"] == 1, overlap], ["same", "precision"], "conflict")
    table["gap_days"] = (table["latest_start"] - table["earliest_end"]).dt.days.where(~overlap, 0).astype("int64")
    return table.drop(columns=["latest_start", "earliest_end", "distinct_spans"]).reset_index()


def lag(
    start_from: pd.Series, precision_from: pd.Series, start_to: pd.Series, precision_to: pd.Series
) -> pd.DataFrame:
    """The time from one date to another, counted in the coarser of their two precisions.

    Two days give a lag in days, a day and a month give one in months, anything with a year gives one in
    years: a lag is never more precise than the vaguer of its dates. Returns ``lag`` (an integer, missing
    where a date is missing) and ``unit`` (``days``, ``months`` or ``years``).
    """
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
    responses = events[[*used, "responds_to"]].dropna(subset=["responds_to"]).sort_values(["start", "event_id"])
    triggers = events.set_index("event_id").loc[responses["responds_to"]]
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
