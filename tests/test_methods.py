"""Tests of nato_russia.methods on small synthetic records whose answer is known by construction or by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from nato_russia import analysis, methods

# --- small synthetic records -----------------------------------------------------------------------------------


def make_events(rows: list[dict]) -> pd.DataFrame:
    """Events with the columns the methods use; each row gives at least ``event_id`` and ``date`` (YYYY-MM-DD)."""
    defaults = {"title": "", "kind": "meeting", "actor": "NATO", "target": "Russia", "score": 0, "precision": "day",
                "responds_to": None, "turning_point": False}
    events = pd.DataFrame([defaults | row for row in rows])
    events["start"] = pd.to_datetime(events["date"])
    return events


PARTIES = pd.DataFrame({"party": ["NATO", "Allies", "Russia", "Ukraine"],
                        "side": ["NATO and Allies", "NATO and Allies", "Russia", "other"]})


# --- constant_basis ----------------------------------------------------------------------------------------------


@pytest.fixture
def basis_record() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    events = make_events([
        {"event_id": "e1", "date": "2000-01-01", "kind": "meeting"},
        {"event_id": "e2", "date": "2001-01-01", "kind": "sanctions", "turning_point": True},
        {"event_id": "e3", "date": "2002-01-01", "kind": "meeting"},
        {"event_id": "e4", "date": "2003-01-01", "kind": "agreement_signed", "turning_point": True},
        {"event_id": "e5", "date": "2004-01-01", "kind": "warning"},
    ])
    sources = pd.DataFrame({
        "source_id": ["later-nato-page", "news-page", "kremlin-page", "nato-backgrounder"],
        "origin": ["nato", "news", "russian_government", "nato"],
        "original_file": ["", "", "", "000_backgrounder.txt"],  # read in full: a source document
        "group": ["later NATO text", "news report", "Russian official text", "source document"],  # as the loader gives
    })
    mentions = pd.DataFrame({
        "event_id": ["e1", "e2", "e3", "e3", "e4", "e5", "e5"],
        "source_id": ["later-nato-page", "news-page", "news-page", "kremlin-page", "nato-backgrounder",
                      "news-page", "news-page"],
    })
    return events, mentions, sources


def ids(events: pd.DataFrame) -> list[str]:
    return list(events["event_id"])


def test_constant_basis_by_origin_keeps_exactly_the_events_such_sources_state(basis_record):
    events, mentions, sources = basis_record
    # e1 (a later NATO page) and e4 (a NATO source document) are stated by origin "nato"; the others are not.
    assert ids(methods.constant_basis(events, mentions, sources, origins=["nato"])) == ["e1", "e4"]
    assert ids(methods.constant_basis(events, mentions, sources, origins=["news"])) == ["e2", "e3", "e5"]


def test_constant_basis_by_group_tells_documents_read_in_full_from_later_pages(basis_record):
    events, mentions, sources = basis_record
    assert ids(methods.constant_basis(events, mentions, sources, groups=["later NATO text"])) == ["e1"]
    assert ids(methods.constant_basis(events, mentions, sources, groups=["source document"])) == ["e4"]
    # An origin and a group together: a source of either counts.
    both = methods.constant_basis(events, mentions, sources, origins=["russian_government"],
                                  groups=["source document"])
    assert ids(both) == ["e3", "e4"]


def test_constant_basis_kinds_and_turning_points(basis_record):
    events, mentions, sources = basis_record
    assert ids(methods.constant_basis(events, mentions, sources)) == ["e1", "e2", "e3", "e4", "e5"]
    assert ids(methods.constant_basis(events, mentions, sources, kinds=["meeting"])) == ["e1", "e3"]
    assert ids(methods.constant_basis(events, mentions, sources, turning_points=True)) == ["e2", "e4"]
    combined = methods.constant_basis(events, mentions, sources, origins=["nato"], turning_points=True)
    assert ids(combined) == ["e4"]


def test_constant_basis_rejects_unknown_names_instead_of_returning_nothing(basis_record):
    events, mentions, sources = basis_record
    with pytest.raises(ValueError, match="natto"):
        methods.constant_basis(events, mentions, sources, origins=["natto"])
    with pytest.raises(ValueError, match="NATO texts"):
        methods.constant_basis(events, mentions, sources, groups=["NATO texts"])


def test_yearly_side_by_side_gives_both_series_the_same_years(basis_record):
    events, mentions, sources = basis_record
    nato = methods.constant_basis(events, mentions, sources, origins=["nato"])
    table = methods.yearly_side_by_side({"all": events, "NATO texts": nato})
    assert list(table.index) == [2000, 2001, 2002, 2003, 2004]
    assert list(table["all"]) == [1, 1, 1, 1, 1]
    assert list(table["NATO texts"]) == [1, 0, 0, 1, 0]


# --- Goldstein weights and quad classes ------------------------------------------------------------------------


EVENT_KINDS = pd.DataFrame({
    "kind": ["offer", "threat", "no_code", "statement"],
    "score": [4, -4, 0, 0],
    "goldstein": [2.0, -4.0, None, 0.0],
    "plover_quad_class": ["verbal cooperation", "verbal conflict", None, None],
})


def quad_events() -> pd.DataFrame:
    return make_events([
        {"event_id": "a", "date": "2000-03-01", "kind": "offer"},
        {"event_id": "b", "date": "2000-06-01", "kind": "threat"},
        {"event_id": "c", "date": "2002-01-01", "kind": "no_code"},
        {"event_id": "d", "date": "2002-05-01", "kind": "offer"},
        {"event_id": "e", "date": "2002-07-01", "kind": "statement"},
    ])


def test_goldstein_index_scores_by_weight_and_counts_the_unweighted():
    table = methods.goldstein_index(quad_events(), EVENT_KINDS)
    assert list(table.index) == [2000, 2001, 2002]
    assert table.loc[2000, "score_sum"] == -2.0  # 2 - 4
    assert table.loc[2000, "score_mean"] == -1.0
    assert table.loc[2002, "events"] == 2  # the kind without a weight is left out ...
    assert table.loc[2002, "unweighted"] == 1  # ... and counted
    assert table.loc[2002, "score_mean"] == 1.0  # (2 + 0) / 2
    assert table.loc[2001, "events"] == 0 and math.isnan(table.loc[2001, "score_mean"])
    filled = methods.goldstein_index(quad_events(), EVENT_KINDS, fill=0)
    assert filled.loc[2002, "events"] == 3 and filled.loc[2002, "unweighted"] == 0
    assert filled.loc[2002, "score_mean"] == pytest.approx(2 / 3)


def test_quad_class_counts_and_balance():
    counts = methods.quad_class_counts(quad_events(), EVENT_KINDS)
    assert list(counts.columns) == [*methods.QUAD_CLASSES, methods.NO_QUAD_CLASS]
    assert counts.loc[2000].tolist() == [1, 0, 1, 0, 0]
    assert counts.loc[2001].tolist() == [0, 0, 0, 0, 0]
    assert counts.loc[2002].tolist() == [1, 0, 0, 0, 2]
    balance = methods.quad_balance(counts)
    assert balance.loc[2000] == 0.0  # one cooperative, one conflictual
    assert math.isnan(balance.loc[2001])
    assert balance.loc[2002] == 1.0


def test_quad_scores_give_the_quad_balance_as_a_mean():
    scores = methods.quad_scores(EVENT_KINDS)
    assert scores.to_dict() == {"offer": 1.0, "threat": -1.0}  # kinds without a class are left out
    events = quad_events()
    classed = analysis.rescore(events[events["kind"].isin(scores.index)], scores)
    means = analysis.yearly_index(classed, first_year=2000, last_year=2002)["score_mean"]
    balance = methods.quad_balance(methods.quad_class_counts(events, EVENT_KINDS))
    pd.testing.assert_series_equal(means, balance, check_names=False, check_index_type=False)
    with pytest.raises(ValueError, match="unknown quad class"):
        methods.quad_scores(EVENT_KINDS.assign(plover_quad_class=["verbal cooperation", "hostile", None, None]))


def test_sign_changes_lists_exactly_the_rows_whose_signs_differ():
    indices = pd.DataFrame({"codebook": [1.0, -2.0, 0.5, 3.0, np.nan], "goldstein": [2.0, -1.0, -0.5, 0.0, 1.0]},
                           index=[2000, 2001, 2002, 2003, 2004])
    assert list(methods.sign_changes(indices).index) == [2002, 2003]


# --- change points ------------------------------------------------------------------------------------------------


def planted_series(jump: float = 5.0) -> pd.Series:
    """Twenty years of noise around 0, then around ``jump`` from 2010: one change point, at 2010."""
    noise = np.random.default_rng(42).normal(0, 1, 20)
    values = np.where(np.arange(20) < 10, 0.0, jump) + noise
    return pd.Series(values, index=pd.RangeIndex(2000, 2020, name="year"))


def test_a_planted_change_point_is_found():
    series = planted_series()
    assert methods.change_points(series, methods.bic_penalty(series)) == [2010]


def test_a_penalty_too_high_finds_no_change_point():
    assert methods.change_points(planted_series(), penalty=1e6) == []


def test_noise_alone_has_no_change_point_at_the_stated_penalty():
    noise = planted_series(jump=0.0)
    assert methods.change_points(noise, methods.bic_penalty(noise)) == []


def test_change_points_by_penalty_shows_fewer_points_as_the_penalty_rises():
    table = methods.change_points_by_penalty(planted_series(), [0.1, 10, 1e6])
    assert list(table.columns) == ["penalty", "change_points", "at"]
    assert table["change_points"].is_monotonic_decreasing
    assert table.loc[1, "at"] == "2010"
    assert table.loc[2, "change_points"] == 0 and table.loc[2, "at"] == ""


def test_change_point_segments_give_the_planted_means():
    segments = methods.change_point_segments(planted_series(), [2010])
    assert segments[["first", "last", "periods"]].values.tolist() == [[2000, 2009, 10], [2010, 2019, 10]]
    assert segments.loc[0, "mean"] == pytest.approx(0, abs=1)
    assert segments.loc[1, "mean"] == pytest.approx(5, abs=1)


def test_change_points_refuse_missing_values():
    series = planted_series()
    series.iloc[3] = np.nan
    with pytest.raises(ValueError, match="missing"):
        methods.change_points(series, 10)


def test_periodic_index_fills_quiet_quarters_and_leaves_out_year_dates():
    events = make_events([
        {"event_id": "a", "date": "2000-02-01", "score": 2},
        {"event_id": "b", "date": "2000-03-01", "score": -4},
        {"event_id": "c", "date": "2000-01-01", "score": 8, "precision": "year"},
        {"event_id": "d", "date": "2000-11-01", "score": 1},
    ])
    table = methods.periodic_index(events, "Q")
    assert [str(period) for period in table.index] == ["2000Q1", "2000Q2", "2000Q3", "2000Q4"]
    assert table["events"].tolist() == [2, 0, 0, 1]
    assert table["score_sum"].tolist() == [-2.0, 0.0, 0.0, 1.0]
    assert methods.periodic_index(events, "Y")["events"].tolist() == [4]  # a yearly series keeps year dates


# --- reciprocity ----------------------------------------------------------------------------------------------------


def test_reciprocity_counts_who_answers_whom_with_lags_in_the_coarser_unit():
    events = make_events([
        {"event_id": "t1", "date": "2014-03-01", "actor": "Russia", "target": "Ukraine", "score": -10},
        {"event_id": "r1", "date": "2014-03-11", "actor": "NATO", "responds_to": "t1", "score": -5},
        {"event_id": "r2", "date": "2014-03-21", "actor": "Allies", "responds_to": "t1", "score": -5},
        {"event_id": "r3", "date": "2014-06-01", "actor": "NATO", "responds_to": "t1", "precision": "month"},
        {"event_id": "r4", "date": "2014-04-01", "actor": "Russia", "target": "NATO", "responds_to": "r1"},
    ])
    links = methods.response_links(events, PARTIES)
    assert links.set_index("response_id")["trigger_side"].to_dict() == {
        "r1": "Russia", "r2": "Russia", "r4": "NATO and Allies", "r3": "Russia"}
    table = methods.reciprocity(events, PARTIES).set_index(["trigger_side", "response_side"])
    nato_answers_russia = table.loc[("Russia", "NATO and Allies")]
    assert nato_answers_russia["responses"] == 3
    assert nato_answers_russia["n_days"] == 2 and nato_answers_russia["median_days"] == 15.0  # 10 and 20 days
    assert nato_answers_russia["n_months"] == 1 and nato_answers_russia["median_months"] == 3.0
    russia_answers_nato = table.loc[("NATO and Allies", "Russia")]
    assert russia_answers_nato["responses"] == 1 and russia_answers_nato["median_days"] == 21.0
    assert math.isnan(russia_answers_nato["median_months"])


def quarterly_exchange(follower_scores: list[int], leader_scores: list[int]) -> pd.DataFrame:
    """NATO acts toward Russia with ``leader_scores[t]`` in quarter t; Russia toward NATO with
    ``follower_scores[t]`` in quarter t."""
    quarters = pd.period_range("2000Q1", periods=len(leader_scores), freq="Q")
    rows = []
    for number, (quarter, nato, russia) in enumerate(zip(quarters, leader_scores, follower_scores, strict=True)):
        day = quarter.start_time.strftime("%Y-%m-%d")
        rows.append({"event_id": f"n{number}", "date": day, "actor": "NATO", "target": "Russia", "score": nato})
        rows.append({"event_id": f"r{number}", "date": day, "actor": "Russia", "target": "NATO", "score": russia})
    return make_events(rows)


def test_a_planted_tit_for_tat_is_detected():
    nato = np.random.default_rng(1).choice([-6, -3, 2, 5], size=40).tolist()
    russia = [0, *nato[:-1]]  # Russia answers each quarter what NATO did the quarter before
    result = methods.tit_for_tat(quarterly_exchange(russia, nato), parties=PARTIES, n=999).set_index("leader")
    assert result.loc["NATO and Allies", "statistic"] == pytest.approx(1.0)
    assert result.loc["NATO and Allies", "p_value"] == pytest.approx(1 / 1000)  # no reordering does as well
    assert result.loc["NATO and Allies", "n"] == 39
    assert result.loc["Russia", "p_value"] > 0.05  # NATO does not answer Russia


def test_a_shuffled_pattern_is_not_detected():
    nato = np.random.default_rng(1).choice([-6, -3, 2, 5], size=40).tolist()
    russia = np.random.default_rng(2).permutation([0, *nato[:-1]]).tolist()  # the same scores, order broken
    result = methods.tit_for_tat(quarterly_exchange(russia, nato), parties=PARTIES, n=999).set_index("leader")
    assert result.loc["NATO and Allies", "p_value"] > 0.05
    assert 0 <= result.loc["NATO and Allies", "p_value"] <= 1


def test_tit_for_tat_is_deterministic():
    nato = np.random.default_rng(3).choice([-6, -3, 2, 5], size=20).tolist()
    events = quarterly_exchange(nato[::-1], nato)
    first = methods.tit_for_tat(events, parties=PARTIES, n=199)
    second = methods.tit_for_tat(events, parties=PARTIES, n=199)
    pd.testing.assert_frame_equal(first, second)


# --- permutation test and bootstrap -------------------------------------------------------------------------


def test_permutation_p_value_is_small_for_a_clear_difference():
    result = methods.permutation_test([10, 11, 12, 10, 11, 12, 10, 11], [0, 1, 2, 0, 1, 2, 0, 1], n=999)
    assert result.statistic == 10.0
    assert 0 <= result.p_value <= 1
    assert result.p_value < 0.01
    assert (result.n_a, result.n_b) == (8, 8)


def test_permutation_p_value_is_one_for_identical_groups_and_never_zero():
    same = methods.permutation_test([1, 2, 3, 4], [1, 2, 3, 4], n=499)
    assert same.statistic == 0.0 and same.p_value == 1.0
    assert methods.permutation_test([5] * 6, [0] * 6, n=99).p_value >= 1 / 100


def test_permutation_test_on_shares_and_one_sided_alternatives():
    share_a, share_b = [1] * 8 + [0] * 19, [1] * 17 + [0] * 27  # 8/27 against 17/44
    two_sided = methods.permutation_test(share_a, share_b, n=1999)
    assert two_sided.statistic == pytest.approx(8 / 27 - 17 / 44)
    assert two_sided.p_value > 0.2  # no evidence of a difference
    less = methods.permutation_test(share_a, share_b, n=1999, alternative="less")
    greater = methods.permutation_test(share_a, share_b, n=1999, alternative="greater")
    assert less.p_value < greater.p_value
    assert two_sided == methods.permutation_test(share_a, share_b, n=1999)  # fixed seed: same answer


def test_bootstrap_interval_brackets_the_estimate_and_is_deterministic():
    values = [1] * 8 + [0] * 19
    interval = methods.bootstrap_interval(values, n=1999)
    assert interval.estimate == pytest.approx(8 / 27)
    assert interval.low < interval.estimate < interval.high
    assert interval.n == 27 and interval.level == 0.95
    assert interval == methods.bootstrap_interval(values, n=1999)
    constant = methods.bootstrap_interval([3, 3, 3], n=99)
    assert (constant.low, constant.high) == (3.0, 3.0)  # the small-sample caveat, in one line


# --- Cohen's kappa -------------------------------------------------------------------------------------------------


def test_kappa_of_perfect_agreement_is_one():
    codes = ["meeting", "sanctions", "warning", "meeting", "expulsion"]
    result = methods.cohen_kappa(codes, codes)
    assert result.kappa == 1.0 and result.n == 5 and result.observed == 1.0


def test_kappa_textbook_example():
    # 50 items, two coders, yes/no: both yes 20, both no 15, first yes and second no 5, first no and second yes 10.
    # By hand: observed = 35/50 = 0.7; the first says yes 25/50, the second 30/50, so
    # expected = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    first = ["yes"] * 20 + ["no"] * 15 + ["yes"] * 5 + ["no"] * 10
    second = ["yes"] * 20 + ["no"] * 15 + ["no"] * 5 + ["yes"] * 10
    result = methods.cohen_kappa(first, second)
    assert result.kappa == pytest.approx(0.4)
    assert result.observed == pytest.approx(0.7) and result.expected == pytest.approx(0.5)
    assert result.n == 50


def test_kappa_of_systematic_disagreement_and_of_a_single_code():
    # Two balanced codes, always swapped: observed 0, expected 0.5, kappa -1.
    assert methods.cohen_kappa(["a", "b", "a", "b"], ["b", "a", "b", "a"]).kappa == pytest.approx(-1.0)
    # Both coders give every item the same code: chance agreement is 1, kappa undefined.
    single = methods.cohen_kappa(["a", "a", "a"], ["a", "a", "a"])
    assert math.isnan(single.kappa) and single.observed == 1.0


def test_kappa_leaves_out_items_either_coding_lacks():
    result = methods.cohen_kappa(["a", "b", None, "a"], ["a", "b", "b", None])
    assert result.n == 2 and result.kappa == 1.0


def test_kappa_by_field_matches_items_on_their_id():
    first = pd.DataFrame({"event_id": ["e1", "e2", "e3", "e4"], "kind": ["x", "y", "x", "y"],
                          "certainty": ["established", "reported", "established", "reported"]})
    second = pd.DataFrame({"event_id": ["e4", "e3", "e2", "e1"], "kind": ["y", "x", "y", "x"],
                           "certainty": ["reported", "reported", "established", "established"]})
    table = methods.kappa_by_field(first, second, ["kind", "certainty"]).set_index("field")
    assert table.loc["kind", "kappa"] == 1.0 and table.loc["kind", "n"] == 4
    assert table.loc["certainty", "observed"] == 0.5 and table.loc["certainty", "kappa"] == pytest.approx(0.0)
