"""Tests of nato_russia.phases on small tables whose right answers are worked out by hand."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from nato_russia import analysis, assign_phases, phases  # noqa: E402
from nato_russia.dates import parse_partial_dates  # noqa: E402
from nato_russia.loading import earliest_dates  # noqa: E402

# Three phases: A is the first half of 2000 (182 days: 2000 is a leap year), B runs from 1 July 2000 to the
# end of 2001 (184 + 365 = 549 days), C starts in 2002 and has no end.
PHASES = pd.DataFrame(
    {
        "phase_id": ["a", "b", "c"],
        "label": ["Phase A", "Phase B", "Phase C"],
        "start": pd.to_datetime(["2000-01-01", "2000-07-01", "2002-01-01"]),
        "end": pd.to_datetime(["2000-06-30", "2001-12-31", None]),
    }
)


def make_events(rows):
    """Events with the columns the loader derives, from (id, date, end_date, date_basis, kind, score,
    responds_to). As in the loader, the phase is that of ``earliest``, the first possible day."""
    frame = pd.DataFrame(
        rows, columns=["event_id", "date", "end_date", "date_basis", "kind", "score", "responds_to"]
    )
    start, end = parse_partial_dates(frame["date"]), parse_partial_dates(frame["end_date"])
    frame["start"] = start["start"]
    frame["precision"] = start["precision"]
    frame["last_day"] = end["last_day"].where(frame["end_date"].notna(), start["last_day"])
    frame["earliest"] = earliest_dates(frame)
    frame["phase_id"] = assign_phases(frame["earliest"], PHASES)
    return frame


EVENTS = make_events(
    [
        ("e1", "2000-03-10", None, "stated", "meeting", 4, None),  # A
        ("e2", "2000", None, "stated", "criticism", -2, None),  # A by its start; its year reaches B
        ("e3", "2000-05-10", "2002", "stated", "joint_activity", 6, None),  # a period from A into C
        ("e4", "2001", "2002", "section_period", "meeting", 2, None),  # under a 2001-2002 heading: B..C
        ("e5", "2001-08", None, "stated", "expulsion", -6, None),  # B, inside it
        ("e6", "2002-02-01", None, "stated", "policy_statement", 0, None),  # C
    ]
)


# --- phases and profiles --------------------------------------------------------------------------


def test_record_last_day_is_the_latest_day_any_event_covers():
    # e3 runs to the end of 2002, later than any other event's last day.
    assert phases.record_last_day(EVENTS) == pd.Timestamp("2002-12-31")


def test_phase_periods_count_both_ends_and_close_the_ongoing_phase_at_through():
    periods = phases.phase_periods(PHASES, pd.Timestamp("2002-03-31"))
    assert list(periods["days"]) == [182, 549, 90]  # 90 = 31 + 28 + 31 days of 2002
    assert list(periods["ongoing"]) == [False, False, True]
    assert periods.loc[2, "end"] == pd.Timestamp("2002-03-31")
    assert periods.loc[1, "years"] == pytest.approx(549 / 365.25)


def test_phase_profile_counts_shares_and_means():
    profile = phases.phase_profile(EVENTS, PHASES, pd.Timestamp("2002-03-31")).set_index("phase_id")
    assert list(profile["events"]) == [3, 2, 1]
    # A holds e1 (+4), e2 (-2), e3 (+6).
    assert profile.loc["a", "mean_score"] == pytest.approx(8 / 3)
    assert profile.loc["a", "cooperation_share"] == pytest.approx(2 / 3)
    assert profile.loc["a", "confrontation_share"] == pytest.approx(1 / 3)
    assert profile.loc["a", "events_per_year"] == pytest.approx(3 / (182 / 365.25))
    # B holds e4 (+2) and e5 (-6); C only the neutral e6.
    assert profile.loc["b", "mean_score"] == pytest.approx(-2)
    assert profile.loc["c", "neutral_share"] == 1
    assert profile.loc["c", "events_per_year"] == pytest.approx(1 / (90 / 365.25))


def test_phase_profile_keeps_a_phase_without_events():
    profile = phases.phase_profile(EVENTS[EVENTS["event_id"] != "e6"], PHASES, pd.Timestamp("2002-03-31"))
    empty = profile.set_index("phase_id").loc["c"]
    assert empty["events"] == 0 and pd.isna(empty["mean_score"]) and pd.isna(empty["cooperation_share"])


def test_straddling_events_names_the_span_and_its_reason():
    table = phases.straddling_events(EVENTS, PHASES)
    assert list(table["event_id"]) == ["e2", "e3", "e4"]
    assert list(table["reason"]) == ["date to the year", "period of activity", "heading range"]
    assert list(table["first_phase"]) == ["a", "a", "b"]
    assert list(table["last_phase"]) == ["b", "c", "c"]
    assert list(table["phases_spanned"]) == [2, 3, 2]


# A response dated only "2000" to a trigger of August 2000: its own start (1 Jan 2000) lies in A, but it
# cannot precede its trigger, so its first possible day is 1 Aug 2000, in B, and its span (1 Aug to
# 31 Dec 2000) stays inside B.
EARLY_RESPONSE = make_events(
    [
        ("war", "2000-08", None, "stated", "armed_aggression", -10, None),
        ("answer", "2000", None, "stated", "demand", -4, "war"),
    ]
)


def test_straddling_events_start_from_the_first_possible_day():
    assert EARLY_RESPONSE.set_index("event_id").loc["answer", "phase_id"] == "b"
    assert phases.straddling_events(EARLY_RESPONSE, PHASES).empty


def test_straddling_events_keep_their_column_types_when_none_straddles():
    # the reasons are text as for a record where some event straddles; only an empty record gives an empty
    # column of objects
    none_straddles = phases.straddling_events(EARLY_RESPONSE, PHASES)
    some_straddle = phases.straddling_events(EVENTS, PHASES)
    for column in ("reason", "first_phase", "last_phase", "phases_spanned"):
        assert none_straddles[column].dtype == some_straddle[column].dtype, column
    assert phases.straddling_events(EVENTS.iloc[:0], PHASES)["reason"].dtype == object


def test_reassign_uncertain_moves_only_events_of_uncertain_phase():
    at_end = phases.reassign_uncertain(EVENTS, PHASES, "end").set_index("event_id")["phase_id"]
    # e2 goes to the phase of 31 Dec 2000, e4 to that of 31 Dec 2002; e3 is a period and stays.
    assert at_end.astype("str").to_dict() == {"e1": "a", "e2": "b", "e3": "a", "e4": "c", "e5": "b", "e6": "c"}
    at_middle = phases.reassign_uncertain(EVENTS, PHASES, "middle").set_index("event_id")["phase_id"]
    # e2: 1 Jan 2000 + 182.5 days -> 1 Jul 2000 (B). e4: 1 Jan 2001 + 364.5 days -> 31 Dec 2001 (still B).
    assert at_middle["e2"] == "b" and at_middle["e4"] == "b"
    unchanged = phases.reassign_uncertain(EVENTS, PHASES, "start")
    assert list(unchanged["phase_id"].astype("str")) == list(EVENTS["phase_id"].astype("str"))
    # The response of EARLY_RESPONSE stays in B at every bound: start 1 Aug, middle 1 Oct, end 31 Dec 2000.
    for at in ("start", "middle", "end"):
        moved = phases.reassign_uncertain(EARLY_RESPONSE, PHASES, at).set_index("event_id")["phase_id"]
        assert moved["answer"] == "b"
    with pytest.raises(ValueError, match="middle"):
        phases.reassign_uncertain(EVENTS, PHASES, "centre")


def test_years_against_their_phase():
    profile = phases.phase_profile(EVENTS, PHASES, pd.Timestamp("2002-03-31"))
    yearly = analysis.yearly_index(EVENTS)
    table = phases.years_against_their_phase(yearly, profile)
    # 2000 (mean +8/3) has its middle in B (mean -2); 2001 (-2) agrees with B; 2002 (0) with C (0).
    assert list(table["year"]) == [2000]
    assert table.loc[0, "phase"] == "Phase B" and table.loc[0, "phase_mean"] == pytest.approx(-2)


def test_responses_dated_before_trigger():
    events = make_events(
        [
            ("war", "2001-08", None, "stated", "armed_aggression", -10, None),
            ("early", "2001", None, "stated", "demand", -4, "war"),  # 1 Jan 2001 < 1 Aug 2001
            ("same-month", "2001-08", None, "stated", "demand", -4, "war"),  # not earlier
            ("later", "2001-09", None, "stated", "demand", -4, "war"),
        ]
    )
    table = phases.responses_dated_before_trigger(events, PHASES)
    assert list(table["event_id"]) == ["early"]
    assert table.loc[0, "trigger_date"] == "2001-08"
    assert table.loc[0, "start_phase_id"] == "b"
    assert table.loc[0, "phase_id"] == "b" and table.loc[0, "trigger_phase_id"] == "b"


def test_responses_dated_before_trigger_name_the_phase_of_their_own_start():
    # "answer" starts on 1 Jan 2000 (A) but is counted from its trigger's 1 Aug 2000 (B).
    table = phases.responses_dated_before_trigger(EARLY_RESPONSE, PHASES)
    assert list(table["event_id"]) == ["answer"]
    assert table.loc[0, "start_phase_id"] == "a"
    assert table.loc[0, "phase_id"] == "b" and table.loc[0, "trigger_phase_id"] == "b"


# --- comparing scorings ---------------------------------------------------------------------------


def test_sign_labels():
    labels = phases.sign_labels(pd.Series([1.5, 0.0, -2.0, float("nan")]))
    assert list(labels) == ["cooperation", "neutral", "confrontation", "no events"]


def test_sign_changes_lists_every_row_whose_sign_differs():
    values = pd.DataFrame(
        {"ref": [2, -1, 3, 1], "alt": [1, 1, None, 0.5], "alt2": [-1, -2, 4, 2]},
        index=pd.Index([2000, 2001, 2002, 2003], name="year"),
    )
    changes = phases.sign_changes(values, reference="ref")
    assert list(zip(changes["year"], changes["scoring"])) == [(2001, "alt"), (2002, "alt"), (2000, "alt2")]
    assert list(changes["sign"]) == ["cooperation", "no events", "confrontation"]
    assert list(changes["reference_sign"]) == ["confrontation", "cooperation", "cooperation"]


def test_rank_correlations_by_hand():
    values = pd.DataFrame({"a": [1, 2, 3, 4, None], "b": [1, 3, 2, 4, 5], "c": [4, 3, 2, 1, 0]})
    table = phases.rank_correlations(values).set_index(["first", "second"])
    # a-b over 4 rows: rank differences 0, 1, 1, 0 -> 1 - 6 * 2 / (4 * 15) = 0.8.
    assert table.loc[("a", "b"), "rows"] == 4
    assert table.loc[("a", "b"), "spearman"] == pytest.approx(0.8)
    assert table.loc[("a", "c"), "spearman"] == pytest.approx(-1)
    # b-c over 5 rows: differences -4, -1, -1, 2, 4 -> 1 - 6 * 38 / (5 * 24) = -0.9.
    assert table.loc[("b", "c"), "spearman"] == pytest.approx(-0.9)


def test_rank_correlations_give_ties_their_average_rank():
    table = phases.rank_correlations(pd.DataFrame({"x": [1, 1, 2], "y": [1, 2, 3]}))
    # Ranks 1.5, 1.5, 3 against 1, 2, 3: Pearson's r = 1.5 / sqrt(1.5 * 2).
    assert table.loc[0, "spearman"] == pytest.approx(math.sqrt(3) / 2)


# --- the sources' headings ------------------------------------------------------------------------


def headings(rows):
    return pd.DataFrame(rows, columns=["source_id", "heading_en", "start_year", "end_year", "order_in_source"])


RUNNING = headings(
    [  # an oldest-first source whose headings overlap, listed out of date order
        ("y", "2014-2020", 2014, 2020, 4),
        ("y", "2002-2008", 2002, 2008, 1),
        ("y", "2008", 2008, 2008, 2),
        ("y", "2010-2014", 2010, 2014, 3),
        ("y", "2018", 2018, 2018, 5),
        ("y", "2019", 2019, 2019, 6),
    ]
)


def test_year_ranges():
    assert phases.year_ranges([1995, 1991, 1992, 1993, 1998, 1999, 2001]) == "1991-1993, 1995, 1998-1999, 2001"
    assert phases.year_ranges([]) == ""


def test_heading_years():
    assert list(phases.heading_years(RUNNING)) == ["2014-2020", "2002-2008", "2008", "2010-2014", "2018", "2019"]


def test_heading_order():
    table = pd.concat(
        [
            RUNNING,
            headings([("x", "2014", 2014, 2015, 1), ("x", "2010", 2010, 2014, 2), ("x", "1990", 1990, 1990, 3)]),
            headings([("z", "2000", 2000, 2000, 1), ("z", "1990", 1990, 1990, 2), ("z", "2010", 2010, 2010, 3)]),
        ]
    )
    assert phases.heading_order(table).to_dict() == {"x": "newest first", "y": "oldest first", "z": "neither"}


def test_overlapping_headings():
    table = phases.overlapping_headings(
        pd.concat([RUNNING, headings([("w", "2010-2014", 2010, 2014, 1), ("w", "2012-2016", 2012, 2016, 2)])])
    )
    pairs = list(zip(table["source_id"], table["first_heading"], table["second_heading"], table["shared_years"]))
    assert pairs == [
        ("w", "2010-2014", "2012-2016", "2012-2014"),
        ("y", "2002-2008", "2008", "2008"),
        ("y", "2010-2014", "2014-2020", "2014"),
        ("y", "2014-2020", "2018", "2018"),
        ("y", "2014-2020", "2019", "2019"),
    ]


def test_uncovered_years_run_to_the_year_of_publication():
    periods = headings([("x", "1990", 1990, 1990, 1), ("x", "1994", 1994, 1994, 2), ("x", "2010-15", 2010, 2015, 3)])
    sources = pd.DataFrame({"source_id": ["x", "unused"], "published": ["2015-12", "2020"]})
    table = phases.uncovered_years(periods, sources, first_year=1989)
    assert table.to_dict("records") == [
        {"source_id": "x", "last_year": 2015, "last_heading_ends": 2015,
         "uncovered": "1989, 1991-1993, 1995-2009", "years_uncovered": 19}
    ]


def test_phase_starts_in_headings():
    starts = pd.DataFrame(
        {
            "label": ["P1", "P2", "P3", "P4"],
            "start": pd.to_datetime(["1997-05-27", "2002-05-28", "2009-04-04", "1991-01-01"]),
        }
    )
    periods = pd.concat(
        [
            headings([("s", "1997", 1997, 1997, 1), ("s", "2002-2008", 2002, 2008, 2), ("s", "2008", 2008, 2008, 3)]),
            headings([("t", "1995-1999", 1995, 1999, 1)]),
        ]
    )
    table = phases.phase_starts_in_headings(starts, periods)
    assert list(table["label"]) == ["P4", "P1", "P2", "P3"]  # in date order
    assert list(table["s"]) == ["no heading", "starts 1997", "starts 2002-2008", "no heading"]
    assert list(table["t"]) == ["no heading", "inside 1995-1999", "no heading", "no heading"]


def test_heading_lanes_separate_headings_that_share_a_year():
    lanes = phases.heading_lanes(RUNNING)
    # In date order: 2002-08 lane 0; 2008 shares 2008 -> lane 1; 2010-14 fits lane 0 again; 2014-20 shares
    # 2014 with lane 0 -> lane 1; 2018 and 2019 fit lane 0 (its last heading ended in 2014, then 2018).
    by_heading = dict(zip(RUNNING["heading_en"], lanes))
    assert by_heading == {"2002-2008": 0, "2008": 1, "2010-2014": 0, "2014-2020": 1, "2018": 0, "2019": 0}


# --- drawing (smoke tests: the right number of marks) ---------------------------------------------


@pytest.fixture
def figure():
    fig = plt.figure()
    yield fig
    plt.close(fig)


def test_draw_score_bars_hatches_low_n_years(figure):
    ax = figure.subplots()
    yearly = analysis.yearly_index(EVENTS)  # 2000: 3 events, 2001: 2, 2002: 1
    bars = phases.draw_score_bars(ax, yearly, "score_mean", low_count=2)
    assert len(bars) == 3
    assert [bar.get_hatch() for bar in bars] == [None, None, phases.LOW_N_HATCH]


def test_draw_heading_rows_draws_one_bar_per_phase_and_heading(figure):
    ax = figure.subplots()
    phases.draw_heading_rows(ax, RUNNING, {"y": "source y"}, PHASES, pd.Timestamp("2002-03-31"))
    assert len(ax.patches) == len(PHASES) + len(RUNNING) + len(PHASES)  # phase row, headings, bands
    assert [label.get_text() for label in ax.get_yticklabels()] == ["collection's phases", "source y"]


def test_draw_phase_profiles_and_strip(figure):
    axes = figure.subplots(1, 4)
    profile = phases.phase_profile(EVENTS, PHASES, pd.Timestamp("2002-03-31"))
    phases.draw_phase_profiles(axes[:3], profile)
    assert [label.get_text() for label in axes[0].get_yticklabels()] == ["Phase A", "Phase B", "Phase C"]
    limits = phases.year_axis_limits([2000, 2002])
    phases.draw_phase_strip(axes[3], PHASES, pd.Timestamp("2002-03-31"), limits)
    assert len(axes[3].patches) == len(PHASES)


def test_yearly_index_and_scorings_figures_have_a_panel_per_measure():
    yearly = analysis.yearly_index(EVENTS)
    through = pd.Timestamp("2002-03-31")
    index_figure = phases.yearly_index_figure(yearly, PHASES, through, low_count=2)
    scorings_figure = phases.scorings_figure({"one": yearly, "two": yearly}, PHASES, through, low_count=2)
    try:
        # A strip naming the phases, then mean, sum and count; or the strip and one panel per scoring.
        assert len(index_figure.axes) == 4
        assert [ax.get_ylabel() for ax in scorings_figure.axes] == ["", "one", "two"]
    finally:
        plt.close(index_figure)
        plt.close(scorings_figure)


def test_plural():
    assert phases.plural(1, "year") == "1 year"
    assert phases.plural(0, "year") == "0 years"
    assert phases.plural(3, "phase") == "3 phases"
    assert phases.plural(2, "analysis", "analyses") == "2 analyses"
