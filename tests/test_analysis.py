"""Tests of nato_russia.analysis on small tables whose right answers are worked out by hand."""

import numpy as np
import pandas as pd
import pytest

from nato_russia import analysis
from nato_russia.dates import parse_partial_dates


def make_events(rows):
    """Events with the derived columns the loader adds (start, precision), from (id, date, kind, score)."""
    frame = pd.DataFrame(rows, columns=["event_id", "date", "kind", "score"])
    parsed = parse_partial_dates(frame["date"])
    return frame.assign(start=parsed["start"], precision=parsed["precision"], title=frame["event_id"].str.upper())


EVENTS = make_events(
    [
        ("a", "2001-05-03", "meeting", 2),
        ("b", "2001", "criticism", -2),
        ("c", "2003-02", "agreement_signed", 8),
        ("d", "2003-07-01", "expulsion", -5),
    ]
)


def test_direction_labels_sign_of_score():
    labels = analysis.direction(pd.Series([3, 0, -1]))
    assert list(labels) == ["cooperation", "neutral", "confrontation"]


def test_yearly_index_counts_sums_and_fills_quiet_years():
    index = analysis.yearly_index(EVENTS)
    assert list(index.index) == [2001, 2002, 2003]
    assert index.loc[2001, "events"] == 2 and index.loc[2001, "score_sum"] == 0
    assert index.loc[2001, "cooperation"] == 1 and index.loc[2001, "confrontation"] == 1
    assert index.loc[2002, "events"] == 0 and index.loc[2002, "score_sum"] == 0
    assert pd.isna(index.loc[2002, "score_mean"])
    assert index.loc[2003, "score_mean"] == pytest.approx(1.5)


def test_yearly_index_honours_explicit_range():
    index = analysis.yearly_index(EVENTS, first_year=1999, last_year=2004)
    assert index.index.min() == 1999 and index.index.max() == 2004
    assert index["events"].sum() == len(EVENTS)


def test_rescore_replaces_scores_from_kind_mapping():
    rescored = analysis.rescore(EVENTS, {"meeting": 1, "criticism": -1, "agreement_signed": 1, "expulsion": -1})
    assert list(rescored["score"]) == [1, -1, 1, -1]
    assert list(EVENTS["score"]) == [2, -2, 8, -5], "the input must not change"


def test_rescore_refuses_a_scoring_that_forgets_a_kind():
    with pytest.raises(KeyError, match="expulsion"):
        analysis.rescore(EVENTS, {"meeting": 1, "criticism": -1, "agreement_signed": 1})


def test_sign_scores_keeps_direction_only():
    kinds = pd.DataFrame({"kind": ["x", "y", "z"], "score": [8, 0, -5]})
    assert analysis.sign_scores(kinds).to_dict() == {"x": 1.0, "y": 0.0, "z": -1.0}


def test_without_statements_drops_word_kinds_only():
    kept = analysis.without_statements(EVENTS)
    assert list(kept["event_id"]) == ["a", "c", "d"]


MENTIONS = pd.DataFrame(
    {
        "event_id": ["a", "a", "b", "c", "c", "d", "d"],
        "source_id": ["s1", "s2", "s1", "s1", "s2", "s1", "s2"],
        "date_given": ["2001-05-03", "2001-05", "2001", "2003-02", "2003-02", "2003-07-01", "2002"],
        "date_given_end": ["", "", "", "", "", "", ""],
    }
)
SOURCES = pd.DataFrame({"source_id": ["s2", "s1", "s3"]})


def test_coverage_matrix_rows_in_date_order_columns_in_source_order():
    matrix = analysis.coverage_matrix(EVENTS, MENTIONS, SOURCES)
    assert list(matrix.columns) == ["s2", "s1", "s3"]
    assert list(matrix.index) == ["b", "a", "c", "d"]  # 2001 starts on 1 January, before 3 May 2001
    assert matrix.loc["a"].tolist() == [True, True, False]
    assert matrix.loc["b"].tolist() == [False, True, False]
    assert not matrix["s3"].any()


def test_single_source_events_names_the_only_source():
    only = analysis.single_source_events(EVENTS, MENTIONS)
    assert only[["event_id", "source_id"]].values.tolist() == [["b", "s1"]]


def test_date_disagreements_classifies_same_precision_and_conflict():
    table = analysis.date_disagreements(MENTIONS).set_index("event_id")
    assert "b" not in table.index, "an event dated by one source cannot disagree"
    assert table.loc["a", "relation"] == "precision"  # 3 May 2001 lies within May 2001
    assert table.loc["c", "relation"] == "same"
    assert table.loc["d", "relation"] == "conflict"  # 2002 ends on 31 Dec 2002, 1 July 2003 is 182 days later
    assert table.loc["d", "gap_days"] == 182
    assert table.loc["a", "gap_days"] == 0


def test_date_disagreements_uses_heading_ranges():
    mentions = pd.DataFrame(
        {
            "event_id": ["e", "e"],
            "source_id": ["s1", "s2"],
            "date_given": ["2002", "2011"],
            "date_given_end": ["2008", ""],
        }
    )
    row = analysis.date_disagreements(mentions).iloc[0]
    assert row["relation"] == "conflict"
    assert row["gap_days"] == (pd.Timestamp("2011-01-01") - pd.Timestamp("2008-12-31")).days


def test_lag_is_never_more_precise_than_the_vaguer_date():
    a = parse_partial_dates(pd.Series(["2008-08", "2008-08-19", "1999", "2014-03"]))
    b = parse_partial_dates(pd.Series(["2009-04-04", "2009-04-04", "1999", "2014-04-01"]))
    lags = analysis.lag(a["start"], a["precision"], b["start"], b["precision"])
    assert lags["unit"].tolist() == ["months", "days", "years", "months"]
    assert lags["lag"].tolist() == [8, 228, 0, 1]


def test_response_pairs_follow_responds_to_with_lags():
    events = EVENTS.assign(responds_to=[None, None, None, "c"])
    pairs = analysis.response_pairs(events)
    assert pairs[["trigger_id", "response_id", "lag", "unit"]].values.tolist() == [["c", "d", 5, "months"]]
    assert pairs.loc[0, "trigger_title"] == "C"


def test_lag_with_a_missing_date_has_no_unit():
    a = parse_partial_dates(pd.Series(["2008-08", ""]))
    b = parse_partial_dates(pd.Series(["", "2009-04-04"]))
    lags = analysis.lag(a["start"], a["precision"], b["start"], b["precision"])
    assert lags["lag"].isna().all()
    assert lags["unit"].isna().all()


def test_direction_is_a_categorical_of_the_three_directions():
    labels = analysis.direction(pd.Series([np.nan, 2.5, -1.0], index=[7, 8, 9]))
    assert labels.tolist() == ["neutral", "cooperation", "confrontation"] and labels.name == "direction"
    assert list(labels.cat.categories) == ["cooperation", "neutral", "confrontation"] and not labels.cat.ordered


def test_indexed_events_keep_the_scopes_the_codebook_counts():
    events = pd.DataFrame({"event_id": ["a", "b", "c"], "scope": ["nato_russia", "context", "allied_russia"],
                           "in_index": [True, False, True]})
    assert analysis.indexed_events(events)["event_id"].tolist() == ["a", "c"]


def test_scope_certainty_counts_follow_scopes_csv_and_certainty_order():
    events = pd.DataFrame({"scope": ["nato_russia", "nato_russia", "context", "allied_russia"],
                           "certainty": ["established", "reported", "established", "alleged"]})
    scopes = pd.DataFrame({"scope": ["nato_russia", "allied_russia", "enlargement", "context"],
                           "in_index": [True, True, False, False]})
    table = analysis.scope_certainty_counts(events, scopes)
    assert table.index.tolist() == ["nato_russia", "allied_russia", "enlargement", "context", "all"]
    assert table.columns.tolist() == ["in index", *analysis.CERTAINTIES, "all"]
    assert table["in index"].tolist() == ["yes", "yes", "no", "no", ""]
    assert table.loc["nato_russia", ["established", "reported", "all"]].tolist() == [1, 1, 2]
    assert table.loc["enlargement", "all"] == 0  # a scope without events still has its row
    assert table.loc["all", ["established", "reported", "alleged", "disputed", "all"]].tolist() == [2, 1, 1, 0, 4]


def test_stated_by_origin_keeps_exactly_the_events_a_source_of_that_origin_states():
    events = pd.DataFrame({"event_id": ["a", "b", "c", "d"]}, index=[10, 11, 12, 13])
    sources = pd.DataFrame({"source_id": ["n1", "n2", "r1", "x1"], "origin": ["nato", "nato", "russian_government", "news"]})
    mentions = pd.DataFrame({"event_id": ["a", "a", "b", "c", "c"], "source_id": ["n1", "x1", "r1", "n2", "r1"]})
    nato = analysis.stated_by_origin(events, mentions, sources, ["nato"])
    assert nato.index.tolist() == [10, 11, 12, 13] and nato.tolist() == [True, False, True, False]
    russian = analysis.stated_by_origin(events, mentions, sources, ("russian_government", "russian_state_media"))
    assert events[russian]["event_id"].tolist() == ["b", "c"]
