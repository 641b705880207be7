"""Methods from event-data research, at the level a seminar can follow: series on a constant source basis, the
index under Goldstein weights and PLOVER quad classes, change points, reciprocity, and the uncertainty of a
comparison (permutation tests, bootstrap intervals, Cohen's kappa for a second coding).

Every function takes DataFrames from :func:`nato_russia.load` (or plain lists of numbers) and returns a new
DataFrame, Series or small named tuple; none modifies its input. Everything random uses a fixed seed, so a
notebook that calls these functions gives the same numbers on every run.

Typical use::

    nato_texts = constant_basis(record.events, record.mentions, record.sources, origins=["nato"])
    yearly_side_by_side({"all events": record.events, "stated by NATO texts": nato_texts})
    goldstein_index(record.events, record.event_kinds)       # needs the crosswalk columns
    quad_class_counts(record.events, record.event_kinds)
    quarterly = periodic_index(nato_texts, freq="Q")["score_sum"]
    change_points_by_penalty(quarterly, [5, 10, 20, 40])
    reciprocity(record.events, record.parties)
    tit_for_tat(record.events, parties=record.parties)
    permutation_test(shares_a, shares_b)                      # difference in means, two-sided
    cohen_kappa(first_coding["kind"], second_coding["kind"])

A caveat that holds for all of them: the record has a few hundred events, and a phase, a side or a quarter often
holds only a handful. Every function therefore returns the number of items it rests on, and a notebook should
print that number next to the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from . import analysis, corpus

__all__ = [
    "NO_QUAD_CLASS",
    "QUAD_CLASSES",
    "Interval",
    "Kappa",
    "PermutationResult",
    "bic_penalty",
    "bootstrap_interval",
    "change_point_segments",
    "change_points",
    "change_points_by_penalty",
    "cohen_kappa",
    "constant_basis",
    "goldstein_index",
    "kappa_by_field",
    "periodic_index",
    "permutation_test",
    "quad_balance",
    "quad_class_counts",
    "quad_scores",
    "reciprocity",
    "response_links",
    "sign_changes",
    "tit_for_tat",
    "yearly_side_by_side",
]

QUAD_CLASSES = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")
"""PLOVER's four quad classes (event_kinds.csv ``plover_quad_class``), cooperative first."""

NO_QUAD_CLASS = "no PLOVER class"
"""The column of :func:`quad_class_counts` for events whose kind has no PLOVER quad class (CAMEO 01 and 02, which
PLOVER does not code, and the kinds without a CAMEO code)."""


# --- a constant source basis -----------------------------------------------------------------------------


def constant_basis(
    events: pd.DataFrame,
    mentions: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    origins: Iterable[str] | None = None,
    groups: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    turning_points: bool = False,
) -> pd.DataFrame:
    """The events on a constant source basis: the rows of ``events`` that pass every filter given.

    - ``origins``: keep the events that at least one source of these ``origin`` values (sources.csv) states,
      e.g. ``["nato"]`` for NATO's own texts (the NATO source documents included).
    - ``groups``: keep the events that at least one source of these groups of
      :data:`nato_russia.corpus.GROUPS` states, e.g. ``["source document"]`` for the four documents read in full.
      Given together with ``origins``, a source of either kind counts.
    - ``kinds``: keep only events of these kinds (e.g. framework events).
    - ``turning_points``: keep only events marked ``turning_point``.

    Without any filter, every event is kept. A series counted on the result changes only where the events change,
    not where the mix of sources does; but it is also smaller, so a year may rest on very few events. Raises
    ``ValueError`` for an origin or group name that does not exist (a typo must not silently give an empty
    series).
    """
    keep = pd.Series(True, index=events.index)
    if origins is not None or groups is not None:
        chosen_sources: set[str] = set()
        if origins is not None:
            origins = list(origins)
            known = sorted(set(sources["origin"].dropna()))
            unknown = sorted(set(origins) - set(known))
            if unknown:
                raise ValueError(f"unknown source origin(s): {', '.join(unknown)}; "
                                 f"expected some of the sources' origins: {', '.join(known)}")
            chosen_sources |= set(sources.loc[sources["origin"].isin(origins), "source_id"])
        if groups is not None:
            groups = list(groups)
            unknown = sorted(set(groups) - set(corpus.GROUPS))
            if unknown:
                raise ValueError(f"unknown source group(s): {', '.join(unknown)}; expected some of "
                                 f"{', '.join(corpus.GROUPS)}")
            group_of_source = corpus.source_groups(sources)
            chosen_sources |= set(group_of_source.index[group_of_source.isin(groups)])
        stating = mentions.loc[mentions["source_id"].isin(chosen_sources), "event_id"]
        keep &= events["event_id"].isin(stating)
    if kinds is not None:
        keep &= events["kind"].isin(list(kinds))
    if turning_points:
        keep &= events["turning_point"].astype(bool)
    return events[keep]


def yearly_side_by_side(
    named_events: Mapping[str, pd.DataFrame],
    column: str = "events",
    *,
    first_year: int | None = None,
    last_year: int | None = None,
) -> pd.DataFrame:
    """One column of :func:`nato_russia.analysis.yearly_index` (``events`` by default, or ``score_sum``,
    ``score_mean``, ...) for several sets of events side by side: one row per year, one column per name of
    ``named_events`` (e.g. ``{"all events": ..., "stated by NATO texts": ...}``). Every set gets the same years
    (by default from the first to the last year of any set), so a quiet year shows as 0 (a mean as missing)."""
    years = pd.concat([events["start"].dt.year for events in named_events.values()])
    first = int(years.min()) if first_year is None else first_year
    last = int(years.max()) if last_year is None else last_year
    table = pd.DataFrame({
        name: analysis.yearly_index(events, first_year=first, last_year=last)[column]
        for name, events in named_events.items()
    })
    table.columns.name = None
    return table


# --- the index under other scorings ------------------------------------------------------------------------


def goldstein_index(
    events: pd.DataFrame,
    event_kinds: pd.DataFrame,
    *,
    weights: str = "goldstein",
    fill: float | None = None,
    first_year: int | None = None,
    last_year: int | None = None,
) -> pd.DataFrame:
    """The yearly index (:func:`nato_russia.analysis.yearly_index`) with each event scored by the Goldstein
    weight of its kind (event_kinds.csv column ``weights``) instead of the codebook's score.

    Kinds without a weight (no CAMEO code: e.g. ``unspecified``, ``treaty_expiry``) are left out of the index
    when ``fill`` is None, and counted per year in the extra column ``unweighted``, so a reader sees how much is
    missing; give ``fill`` (e.g. 0) to score them with that number instead. The years run over all of
    ``events``, so the table lines up with the codebook's index of the same events.
    """
    weight_of_kind = pd.to_numeric(event_kinds.set_index("kind")[weights], errors="coerce")
    if fill is not None:
        weight_of_kind = weight_of_kind.fillna(fill)
    weight_of_kind = weight_of_kind.dropna()
    has_weight = events["kind"].isin(weight_of_kind.index)
    year = events["start"].dt.year
    first = int(year.min()) if first_year is None else first_year
    last = int(year.max()) if last_year is None else last_year
    weighted = analysis.rescore(events[has_weight], weight_of_kind)
    table = analysis.yearly_index(weighted, first_year=first, last_year=last)
    unweighted = year[~has_weight].value_counts()
    table["unweighted"] = unweighted.reindex(table.index, fill_value=0).astype("int64")
    return table


def quad_class_counts(
    events: pd.DataFrame,
    event_kinds: pd.DataFrame,
    *,
    column: str = "plover_quad_class",
    first_year: int | None = None,
    last_year: int | None = None,
) -> pd.DataFrame:
    """How many events of each PLOVER quad class each year: one row per year (every year from the first to the
    last, quiet years 0), one column per class of :data:`QUAD_CLASSES`, then :data:`NO_QUAD_CLASS` for events
    whose kind has no class (event_kinds.csv ``column`` empty)."""
    class_of_kind = event_kinds.set_index("kind")[column]
    quad_class = events["kind"].map(class_of_kind).fillna(NO_QUAD_CLASS).rename("quad_class")
    year = events["start"].dt.year.rename("year")
    first = int(year.min()) if first_year is None else first_year
    last = int(year.max()) if last_year is None else last_year
    counts = pd.crosstab(year, quad_class)
    counts = counts.reindex(index=pd.RangeIndex(first, last + 1, name="year"),
                            columns=[*QUAD_CLASSES, NO_QUAD_CLASS], fill_value=0)
    counts.columns.name = None
    return counts.astype("int64")


def quad_balance(counts: pd.DataFrame) -> pd.Series:
    """A simple index from quad-class counts (:func:`quad_class_counts`): (cooperation events − conflict events)
    / (all events with a class), between −1 (only conflict) and +1 (only cooperation); missing in a year with no
    classed event. Verbal and material events weigh alike; events without a class are left out."""
    cooperation = counts["verbal cooperation"] + counts["material cooperation"]
    conflict = counts["verbal conflict"] + counts["material conflict"]
    classed = cooperation + conflict
    return ((cooperation - conflict) / classed.where(classed > 0)).rename("quad_balance")


def quad_scores(event_kinds: pd.DataFrame, *, column: str = "plover_quad_class") -> pd.Series:
    """A scoring of the kinds by their PLOVER quad class (event_kinds.csv ``column``): +1 for a kind of either
    cooperation class, −1 for a kind of either conflict class; kinds without a class are left out. With
    :func:`nato_russia.analysis.rescore` on the events of the kinds it scores, the mean score of a year is its
    :func:`quad_balance`, and of a phase, the same balance over the phase's classed events."""
    class_of_kind = event_kinds.set_index("kind")[column].dropna()
    unknown = sorted(set(class_of_kind) - set(QUAD_CLASSES))
    if unknown:
        raise ValueError(f"event_kinds {column}: unknown quad class(es) {', '.join(unknown)}; "
                         f"expected one of {', '.join(QUAD_CLASSES)}")
    scores = class_of_kind.map(lambda quad_class: 1.0 if quad_class.endswith("cooperation") else -1.0)
    return scores.astype("float64").rename("score")


def sign_changes(indices: pd.DataFrame) -> pd.DataFrame:
    """The rows (e.g. years) where the columns of ``indices`` (e.g. the codebook index, the Goldstein index and
    the quad balance, side by side) do not all have the same sign (+, 0 or −; so 0 against + counts as a
    change). Rows with a missing value are left out. Returns those rows of ``indices``."""
    complete = indices.dropna()
    signs = np.sign(complete)
    return complete[signs.nunique(axis=1) > 1]


# --- change points ----------------------------------------------------------------------------------------


def periodic_index(events: pd.DataFrame, freq: str = "Q", *, drop_year_precision: bool = True) -> pd.DataFrame:
    """The index per calendar period (``freq``: ``"Q"`` quarters, ``"M"`` months, ``"Y"`` years): ``events``,
    ``score_sum`` and ``score_mean`` (missing in a period without events), one row per period from the first to
    the last (a pandas PeriodIndex named ``period``).

    An event dated only to a year cannot be placed in a quarter or a month: with ``drop_year_precision`` (the
    default) such events are left out of a finer series (not of a yearly one), rather than all piled into the
    first quarter of their year. Say in the text how many were left out.
    """
    if drop_year_precision and not freq.upper().startswith(("Y", "A")):
        events = events[events["precision"].astype(str) != "year"]
    period = events["start"].dt.to_period(freq).rename("period")
    score = events["score"].astype("float64")
    table = pd.DataFrame({
        "events": score.groupby(period).size(),
        "score_sum": score.groupby(period).sum(),
        "score_mean": score.groupby(period).mean(),
    })
    every_period = pd.period_range(period.min(), period.max(), freq=period.dt.freq, name="period")
    table = table.reindex(every_period)
    table[["events", "score_sum"]] = table[["events", "score_sum"]].fillna(0)
    return table.astype({"events": "int64"})


def bic_penalty(series: pd.Series) -> float:
    """A stated default penalty for :func:`change_points`: 2 σ² ln n, the BIC-type penalty for a change in mean
    under the ``l2`` cost, with n the length of the series and σ² its noise variance estimated as half the
    variance of successive differences (a few jumps barely move this estimate, as they would the plain
    variance). Only a starting point: show the result at several penalties (:func:`change_points_by_penalty`)."""
    values = series.to_numpy(dtype="float64")
    noise_variance = np.var(np.diff(values), ddof=1) / 2
    return float(2 * noise_variance * np.log(len(values)))


def change_points(series: pd.Series, penalty: float, *, model: str = "l2", min_size: int = 2) -> list:
    """Where the mean of ``series`` (a yearly or quarterly index, in time order, without gaps) changes, found by
    PELT (the ``ruptures`` library) with cost ``model`` (``"l2"``: a change in mean, least squares) and
    ``penalty`` (the cost of one more change point, in squared units of the series: the higher, the fewer).

    Returns the index labels (years or periods) at which a new segment begins; an empty list when no change
    pays for its penalty. ``min_size`` is the shortest segment allowed (in periods). Caveats: the answer depends
    on the penalty (always report it, and :func:`change_points_by_penalty`); ``l2`` assumes a constant mean
    within segments and independent noise, which a short, lumpy event series only roughly meets; a series of
    a few dozen points cannot locate a change to the exact period. Raises ``ValueError`` for missing values
    (fill them, or use ``score_sum``, which is 0 in a quiet period).
    """
    import ruptures  # imported here so that the rest of the module works without it

    if series.isna().any():
        raise ValueError("the series has missing values (e.g. the mean of a period without events); "
                         "fill them or use a series without gaps, such as score_sum")
    values = series.to_numpy(dtype="float64").reshape(-1, 1)
    if len(values) < 2 * min_size:
        return []
    segment_ends = ruptures.Pelt(model=model, min_size=min_size, jump=1).fit(values).predict(pen=penalty)
    return [series.index[end] for end in segment_ends[:-1]]  # the last "end" is the end of the series


def change_points_by_penalty(
    series: pd.Series, penalties: Sequence[float], *, model: str = "l2", min_size: int = 2
) -> pd.DataFrame:
    """:func:`change_points` of ``series`` at each of ``penalties``: one row per penalty, with ``change_points``
    (how many) and ``at`` (their labels, comma-separated). A change point that survives a wide range of
    penalties is better supported than one that appears at a single value."""
    rows = []
    for penalty in penalties:
        found = change_points(series, penalty, model=model, min_size=min_size)
        rows.append({"penalty": penalty, "change_points": len(found), "at": ", ".join(str(label) for label in found)})
    return pd.DataFrame(rows, columns=["penalty", "change_points", "at"])


def change_point_segments(series: pd.Series, breaks: Sequence) -> pd.DataFrame:
    """The segments that ``breaks`` (labels from :func:`change_points`) cut ``series`` into: one row per segment
    with ``first`` and ``last`` label, ``periods`` (how many) and ``mean``."""
    segment = pd.Series(series.index.isin(list(breaks)).cumsum(), index=series.index)
    labels = pd.Series(series.index, index=series.index)
    grouped = series.groupby(segment)
    return pd.DataFrame({
        "first": labels.groupby(segment).first(),
        "last": labels.groupby(segment).last(),
        "periods": grouped.size(),
        "mean": grouped.mean(),
    }).reset_index(drop=True)


# --- reciprocity ----------------------------------------------------------------------------------------------


def response_links(events: pd.DataFrame, parties: pd.DataFrame) -> pd.DataFrame:
    """Every event that answers another (``responds_to``), with the side of each actor (parties.csv ``side``):
    the columns of :func:`nato_russia.analysis.response_pairs` (ids, titles, kinds, ``lag`` and ``unit``; the
    lag is counted in the coarser precision of the two dates) plus ``trigger_actor``, ``trigger_side``,
    ``response_actor`` and ``response_side``."""
    side_of_party = parties.set_index("party")["side"]
    actor_of_event = events.set_index("event_id")["actor"]
    pairs = analysis.response_pairs(events)
    pairs["trigger_actor"] = pairs["trigger_id"].map(actor_of_event)
    pairs["trigger_side"] = pairs["trigger_actor"].map(side_of_party)
    pairs["response_actor"] = pairs["response_id"].map(actor_of_event)
    pairs["response_side"] = pairs["response_actor"].map(side_of_party)
    return pairs


def reciprocity(events: pd.DataFrame, parties: pd.DataFrame) -> pd.DataFrame:
    """Who responds to whom, and how fast: one row per (``trigger_side``, ``response_side``) pair of sides that
    occurs in :func:`response_links`, with ``responses`` (how many) and, for each unit a lag can have
    (``days``, ``months``, ``years``: the coarser precision of the two dates), how many lags are counted in it
    (``n_days``, ...) and their median (``median_days``, ...; missing when none).

    Lags in different units are never pooled: a response dated to the month cannot be said to come 12 days
    later. Caveat: the record codes a ``responds_to`` link only where a source says so, so the counts measure
    what the sources present as responses, not every reaction; with a handful of links per pair, a median is a
    description, not an estimate.
    """
    links = response_links(events, parties)
    by_pair = links.groupby(["trigger_side", "response_side"])
    table = pd.DataFrame({"responses": by_pair.size()})
    for unit in ("days", "months", "years"):
        in_unit = links[links["unit"] == unit].groupby(["trigger_side", "response_side"])["lag"]
        table[f"n_{unit}"] = in_unit.size().reindex(table.index, fill_value=0).astype("int64")
        table[f"median_{unit}"] = in_unit.median().astype("float64").reindex(table.index)
    return table.reset_index()


def _lagged_correlations(leaders: np.ndarray, follower: np.ndarray) -> np.ndarray:
    """The Pearson correlation of each row of ``leaders`` (a score per period) in one period with ``follower`` in
    the next; NaN where either is constant."""
    before = leaders[:, :-1] - leaders[:, :-1].mean(axis=1, keepdims=True)
    after = follower[1:] - follower[1:].mean()
    spread = np.sqrt((before**2).sum(axis=1) * (after**2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(spread > 0, (before @ after) / spread, np.nan)


def tit_for_tat(
    events: pd.DataFrame,
    freq: str = "Q",
    *,
    parties: pd.DataFrame,
    sides: tuple[str, str] = ("NATO and Allies", "Russia"),
    differences: bool = False,
    n: int = 9999,
    seed: int = 0,
) -> pd.DataFrame:
    """A simple test of tit-for-tat: does one side's directed score in a period predict the other side's in the
    next?

    For each side, its directed score per period (``freq``, quarters by default) is the sum of the scores of the
    events whose actor belongs to that side and whose target belongs to the other (sides from parties.csv).
    Events dated only to a year are left out of a quarterly or monthly series (see :func:`periodic_index`);
    quiet periods count 0. For each direction (``leader`` → ``follower``) the statistic is the Pearson
    correlation of the leader's score in period t with the follower's in period t + 1; its p-value is the share
    of ``n`` random reorderings of the leader's periods (fixed ``seed``) whose correlation is at least as far
    from 0 (two-sided), counting the observed order once.

    With ``differences``, both series are first replaced by their change from the previous period, which
    removes a drift the two sides share (a check worth showing next to the plain test).

    Returns one row per direction: ``leader``, ``follower``, ``statistic``, ``p_value``, ``n`` (pairs of
    successive periods) and ``active_periods`` (periods in which either side's directed score is not 0).
    Caveats, to print next to the number: reordering assumes that, without tit-for-tat, any order of the
    leader's periods is as likely as any other; two series that both drift (e.g. both turn negative after 2014)
    correlate at a lag without answering each other, so a small p-value says "the follower moves after the
    leader", not "because of it" (compare ``differences=True``); with few active periods the test has little
    power, so a large p-value is not evidence against reciprocity.
    """
    side_of_party = parties.set_index("party")["side"]
    actor_side = events["actor"].map(side_of_party)
    target_side = events["target"].map(side_of_party)
    if not freq.upper().startswith(("Y", "A")):
        dated = events["precision"].astype(str) != "year"
        events, actor_side, target_side = events[dated], actor_side[dated], target_side[dated]
    period = events["start"].dt.to_period(freq)
    every_period = pd.period_range(period.min(), period.max(), freq=period.dt.freq)
    first, second = sides
    directed = {}
    for actor, target in ((first, second), (second, first)):
        chosen = (actor_side == actor) & (target_side == target)
        score = events.loc[chosen, "score"].astype("float64")
        directed[actor] = score.groupby(period[chosen]).sum().reindex(every_period, fill_value=0.0).to_numpy()
    active = int(((directed[first] != 0) | (directed[second] != 0)).sum())
    if differences:
        directed = {side: np.diff(scores) for side, scores in directed.items()}
    rng = np.random.default_rng(seed)
    rows = []
    for leader, follower in ((first, second), (second, first)):
        observed = float(_lagged_correlations(directed[leader][np.newaxis, :], directed[follower])[0])
        if np.isnan(observed):
            p_value = float("nan")
        else:
            shuffled = np.array([rng.permutation(directed[leader]) for _ in range(n)])
            correlations = np.nan_to_num(_lagged_correlations(shuffled, directed[follower]), nan=0.0)
            as_far = int(np.sum(np.abs(correlations) >= abs(observed) - 1e-12))
            p_value = (as_far + 1) / (n + 1)
        rows.append({"leader": leader, "follower": follower, "statistic": observed, "p_value": p_value,
                     "n": len(directed[leader]) - 1, "active_periods": active})
    return pd.DataFrame(rows)


# --- uncertainty ----------------------------------------------------------------------------------------------


class PermutationResult(NamedTuple):
    """The result of :func:`permutation_test`."""

    statistic: float
    p_value: float
    n_a: int
    n_b: int


class Interval(NamedTuple):
    """The result of :func:`bootstrap_interval`."""

    estimate: float
    low: float
    high: float
    level: float
    n: int


def _difference_in_means(values_a: np.ndarray, values_b: np.ndarray) -> float:
    return float(np.mean(values_a) - np.mean(values_b))


def permutation_test(
    values_a: Sequence[float],
    values_b: Sequence[float],
    statistic: Callable[[np.ndarray, np.ndarray], float] = _difference_in_means,
    *,
    n: int = 9999,
    seed: int = 0,
    alternative: str = "two-sided",
) -> PermutationResult:
    """Whether two groups differ by more than chance would make them: a permutation test.

    ``statistic(a, b)`` compares the groups (default: the mean of ``values_a`` minus the mean of ``values_b``; a
    share is the mean of 0/1 values, so ``[1]*8 + [0]*19`` against ``[1]*17 + [0]*27`` compares 8/27 with
    17/44). The groups are pooled and split again at random ``n`` times (fixed ``seed``), keeping their sizes;
    the p-value is the share of splits whose statistic is at least as extreme as the observed one, counting the
    observed split once, so it is never 0 (at least 1 / (n + 1)). ``alternative``: ``"two-sided"`` (compares
    absolute values; use a statistic that is 0 when the groups do not differ), ``"greater"`` or ``"less"``.

    Returns ``PermutationResult(statistic, p_value, n_a, n_b)``. Caveats: with a few items per group the test is valid
    but weak, so a large p-value does not show that the groups are alike; it treats items as exchangeable, which
    events of the same crisis may not be.
    """
    a = np.asarray(values_a, dtype="float64")
    b = np.asarray(values_b, dtype="float64")
    if len(a) == 0 or len(b) == 0:
        raise ValueError("both groups need at least one value")
    if alternative not in ("two-sided", "greater", "less"):
        raise ValueError('alternative must be "two-sided", "greater" or "less"')
    observed = float(statistic(a, b))
    pooled = np.concatenate([a, b])
    rng = np.random.default_rng(seed)
    as_extreme = 0
    tolerance = 1e-12 * max(1.0, abs(observed))  # the same split must count as "as extreme" despite rounding
    for _ in range(n):
        shuffled = rng.permutation(pooled)
        value = float(statistic(shuffled[: len(a)], shuffled[len(a):]))
        if alternative == "two-sided":
            as_extreme += abs(value) >= abs(observed) - tolerance
        elif alternative == "greater":
            as_extreme += value >= observed - tolerance
        else:
            as_extreme += value <= observed + tolerance
    return PermutationResult(observed, (as_extreme + 1) / (n + 1), len(a), len(b))


def bootstrap_interval(
    values: Sequence[float],
    statistic: Callable[[np.ndarray], float] = np.mean,
    *,
    level: float = 0.95,
    n: int = 9999,
    seed: int = 0,
) -> Interval:
    """A percentile bootstrap interval for ``statistic`` (default: the mean; of 0/1 values, a share) of
    ``values``: the statistic of ``n`` resamples drawn with replacement (fixed ``seed``), cut at
    (1 − ``level``) / 2 and (1 + ``level``) / 2.

    Returns ``Interval(estimate, low, high, level, n)`` where ``estimate`` is the statistic of ``values`` and
    ``n`` the number of values. Caveats: with fewer than about 10 values the interval is too narrow (a resample
    cannot show values the sample lacks; with 3 of 3 events of one kind the interval is [1, 1]); it treats the
    values as independent draws.
    """
    data = np.asarray(values, dtype="float64")
    if len(data) == 0:
        raise ValueError("no values")
    rng = np.random.default_rng(seed)
    resampled = [float(statistic(rng.choice(data, size=len(data), replace=True))) for _ in range(n)]
    low, high = np.quantile(resampled, [(1 - level) / 2, (1 + level) / 2])
    return Interval(float(statistic(data)), float(low), float(high), level, len(data))


# --- agreement of two codings --------------------------------------------------------------------------------


class Kappa(NamedTuple):
    """The result of :func:`cohen_kappa`."""

    kappa: float
    n: int
    observed: float
    expected: float


def cohen_kappa(first: Sequence, second: Sequence) -> Kappa:
    """Cohen's kappa: how far two codings of the same items agree beyond the agreement expected by chance.

    ``first`` and ``second`` give the codes of the same items in the same order (e.g. the ``kind`` of each
    sampled event in the first and the second coding). Items that either coding leaves missing are left out.
    Returns ``Kappa(kappa, n, observed, expected)``: ``observed`` is the share of items coded alike,
    ``expected`` the share expected if the two coders assigned codes independently at their own rates, and
    kappa = (observed − expected) / (1 − expected): 1 for perfect agreement, 0 for chance agreement, below 0
    for less than chance. Kappa is missing when ``expected`` is 1 (both coders used one and the same code for
    every item) or no item is left. Caveats: with few items kappa is unstable (report ``n``); with one very
    common code kappa can be low although ``observed`` is high, so report both.
    """
    pairs = pd.DataFrame({"first": list(first), "second": list(second)}).dropna()
    n = len(pairs)
    if n == 0:
        return Kappa(float("nan"), 0, float("nan"), float("nan"))
    observed = float((pairs["first"] == pairs["second"]).mean())
    share_first = pairs["first"].value_counts(normalize=True)
    share_second = pairs["second"].value_counts(normalize=True)
    expected = float((share_first * share_second.reindex(share_first.index, fill_value=0)).sum())
    if np.isclose(expected, 1.0):
        return Kappa(float("nan"), n, observed, expected)
    return Kappa((observed - expected) / (1 - expected), n, observed, expected)


def kappa_by_field(
    first: pd.DataFrame, second: pd.DataFrame, fields: Sequence[str], *, key: str = "event_id"
) -> pd.DataFrame:
    """:func:`cohen_kappa` for each of ``fields``, between two codings of the same items (rows matched on
    ``key``; items only one coding has are left out). One row per field: ``field``, ``kappa``, ``n``,
    ``observed`` (share coded alike) and ``expected`` (by chance)."""
    both = first[[key, *fields]].merge(second[[key, *fields]], on=key, suffixes=("_first", "_second"))
    rows = [{"field": field, **cohen_kappa(both[f"{field}_first"], both[f"{field}_second"])._asdict()}
            for field in fields]
    return pd.DataFrame(rows, columns=["field", "kappa", "n", "observed", "expected"])
