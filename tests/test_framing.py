"""Tests of nato_russia.framing on small hand-made tables whose right answers are worked out by hand."""

import numpy as np
import pandas as pd
import pytest

from nato_russia import framing, load
from nato_russia.dates import parse_partial_dates


def make_events(rows):
    """Events with the columns the loader gives, from (id, date, kind, score, escalation, actor, responds_to)."""
    frame = pd.DataFrame(
        rows, columns=["event_id", "date", "kind", "score", "escalation", "actor", "responds_to"]
    )
    parsed = parse_partial_dates(frame["date"])
    side = frame["actor"].map({"NATO": "NATO and Allies", "Allies": "NATO and Allies", "Russia": "Russia"}).fillna("other")
    return frame.assign(title=frame["event_id"].str.upper(), start=parsed["start"], precision=parsed["precision"],
                        side=side)


def make_mentions(rows):
    """Mentions from (event_id, source_id, date_given, date_given_end, date_as_given, note); None = empty."""
    frame = pd.DataFrame(
        rows, columns=["event_id", "source_id", "date_given", "date_given_end", "date_as_given", "note"]
    )
    return frame.astype({"date_given": "str", "date_given_end": "str", "note": "str"})


# A made-up record: a 1995 joint meeting, a 2000 NATO offer, a 2014 war, NATO's suspension answering it,
# and a neutral 2016 statement by the Allies; three sources that each state three of the five events.
EVENTS = make_events(
    [
        ("talks", "1995", "meeting", 2, False, "NATO and Russia", None),
        ("offer", "2000-05", "cooperation_offer", 4, False, "NATO", None),
        ("war", "2014-03", "armed_aggression", -10, True, "Russia", None),
        ("suspend", "2014-04-01", "cooperation_suspended", -5, True, "NATO", "war"),
        ("statement", "2016", "policy_statement", 0, False, "Allies", None),
    ]
)
MENTIONS = make_mentions(
    [
        ("talks", "s1", "1995", None, "1995", "first talks"),
        ("offer", "s1", "2000-05", None, "May 2000", None),
        ("offer", "s2", "2000", None, "2000", "vaguer"),
        ("war", "s2", "2014-03", None, "March 2014", None),
        ("war", "s3", None, None, "undated", "named as the cause"),
        ("suspend", "s1", "2014-04-01", None, "1 April 2014", "unanimous"),
        ("suspend", "s2", "2014", "2015", "under the 2014-2015 heading", None),
        ("suspend", "s3", "2014-04", None, "April 2014", "channels stay open"),
        ("statement", "s3", "2016", None, "2016", None),
    ]
)
SOURCES = ["s1", "s2", "s3"]


# --- sources ---------------------------------------------------------------------------------------------


def test_source_order_is_by_publication_date_at_any_precision_then_id():
    sources = pd.DataFrame(
        {"source_id": ["c", "b", "z", "a"], "published": ["2020", "2015-12", "2022", "2022"]}
    )
    # 2015-12 < 2020 < 2022; the two 2022 sources in id order.
    assert framing.source_order(sources) == ["b", "c", "a", "z"]


def test_source_labels_use_short_names_and_fall_back_to_the_english_title():
    sources = pd.DataFrame(
        {"source_id": ["nato-topic-page-2022-uk", "new-source"], "title_en": ["NATO topic page", "A new source"]}
    )
    labels = framing.source_labels(sources)
    assert labels["nato-topic-page-2022-uk"] == "2022 topic page"
    assert labels["new-source"] == "A new source"


def test_reported_events_restricts_and_orders_by_source_then_date():
    table = framing.reported_events(EVENTS, MENTIONS, ["s3", "s1"])
    # s3 first as asked: war (2014-03-01), suspend (2014-04-01), statement (2016); then s1 in date order.
    assert list(table["source_id"].astype("str")) == ["s3"] * 3 + ["s1"] * 3
    assert list(table["event_id"]) == ["war", "suspend", "statement", "talks", "offer", "suspend"]
    assert "score" in table.columns and "s2" not in set(table["source_id"].astype("str"))


def test_backgrounder_changes_sort_kept_dropped_added():
    changes = framing.backgrounder_changes(MENTIONS, earlier="s1", later="s2")
    # s1 states talks, offer, suspend; s2 states offer, war, suspend.
    assert list(changes["event_id"]) == ["offer", "suspend", "talks", "war"]
    assert list(changes["change"].astype("str")) == ["kept", "kept", "dropped", "added"]


# --- dates -----------------------------------------------------------------------------------------------


def test_side_by_side_keeps_not_stated_apart_from_empty():
    notes = framing.side_by_side(MENTIONS, ["offer", "talks"], "note", SOURCES)
    assert list(notes.index) == ["offer", "talks"] and list(notes.columns) == SOURCES
    # s1 states the offer with no note (empty), s2 with a note, s3 does not state it.
    assert list(notes.loc["offer"]) == ["", "vaguer", "—"]
    assert list(notes.loc["talks"]) == ["first talks", "—", "—"]


def test_side_by_side_of_dates_as_given():
    dates = framing.side_by_side(MENTIONS, ["suspend"], "date_as_given", SOURCES, not_stated="")
    assert list(dates.loc["suspend"]) == ["1 April 2014", "under the 2014-2015 heading", "April 2014"]


def test_precision_counts_per_source_with_undated():
    counts = framing.precision_counts(MENTIONS, SOURCES + ["s4"])
    assert list(counts.columns) == ["day", "month", "year", "undated"]
    # s1: talks (year), offer (month), suspend (day).
    assert list(counts.loc["s1"]) == [1, 1, 1, 0]
    # s2: offer (year), war (month), suspend (the 2014 of a 2014-2015 heading: year).
    assert list(counts.loc["s2"]) == [0, 1, 2, 0]
    # s3: war (no date), suspend (month), statement (year).
    assert list(counts.loc["s3"]) == [0, 1, 1, 1]
    assert list(counts.loc["s4"]) == [0, 0, 0, 0], "a source with no mentions gets a row of zeros"


def test_multi_year_datings_count_spans_over_more_than_one_calendar_year():
    counts = framing.multi_year_datings(MENTIONS, SOURCES)
    # Only s2's 2014-2015 heading runs over two calendar years; a bare year (1995, 2016) does not.
    assert list(counts) == [0, 1, 0]


# --- framing ---------------------------------------------------------------------------------------------


def test_framing_profile_shares_means_and_since():
    profile = framing.framing_profile(EVENTS, MENTIONS, SOURCES + ["s4"], since_year=2014)
    assert list(profile.index) == ["s1", "s2", "s3", "s4"]
    assert list(profile["events"]) == [3, 3, 3, 0]
    # s1: talks (+2), offer (+4), suspend (-5): two cooperative, one confrontational, one escalation,
    # one (suspend) from 2014 on; mean (2 + 4 - 5) / 3 = 1/3.
    s1 = profile.loc["s1"]
    assert s1["cooperation"] == pytest.approx(2 / 3) and s1["neutral"] == 0
    assert s1["confrontation"] == pytest.approx(1 / 3)
    assert s1["mean_score"] == pytest.approx(1 / 3)
    assert s1["escalation"] == pytest.approx(1 / 3) and s1["since"] == pytest.approx(1 / 3)
    # s2: offer (+4), war (-10), suspend (-5): mean -11/3; two escalations, two from 2014 on.
    s2 = profile.loc["s2"]
    assert s2["cooperation"] == pytest.approx(1 / 3) and s2["confrontation"] == pytest.approx(2 / 3)
    assert s2["mean_score"] == pytest.approx(-11 / 3)
    assert s2["escalation"] == pytest.approx(2 / 3) and s2["since"] == pytest.approx(2 / 3)
    # s3: war (-10), suspend (-5), statement (0): one neutral, mean -5, all three from 2014 on.
    s3 = profile.loc["s3"]
    assert s3["cooperation"] == 0 and s3["neutral"] == pytest.approx(1 / 3)
    assert s3["mean_score"] == pytest.approx(-5) and s3["since"] == pytest.approx(1)
    assert profile.loc["s4", ["cooperation", "confrontation", "mean_score"]].isna().all()


def test_framing_profile_since_year_moves_the_cut():
    profile = framing.framing_profile(EVENTS, MENTIONS, SOURCES, since_year=2015)
    # Only the 2016 statement is from 2015 on.
    assert list(profile["since"]) == pytest.approx([0, 0, 1 / 3])


def test_framing_profile_does_not_change_its_inputs():
    events_before, mentions_before = EVENTS.copy(), MENTIONS.copy()
    framing.framing_profile(EVENTS, MENTIONS, SOURCES)
    pd.testing.assert_frame_equal(EVENTS, events_before)
    pd.testing.assert_frame_equal(MENTIONS, mentions_before)


# --- actors ----------------------------------------------------------------------------------------------


def test_side_direction_counts_per_source_and_side():
    counts = framing.side_direction_counts(EVENTS, MENTIONS, SOURCES)
    assert list(counts.columns) == ["cooperation", "neutral", "confrontation", "events"]
    assert len(counts) == 9, "every source has a row for each of the three sides, zeros included"
    # s1: offer (NATO, cooperation), suspend (NATO, confrontation), talks (joint: other, cooperation).
    assert list(counts.loc[("s1", "NATO and Allies")]) == [1, 0, 1, 2]
    assert list(counts.loc[("s1", "Russia")]) == [0, 0, 0, 0]
    assert list(counts.loc[("s1", "other")]) == [1, 0, 0, 1]
    # s3: the Allies' neutral statement and NATO's suspension; Russia's war.
    assert list(counts.loc[("s3", "NATO and Allies")]) == [0, 1, 1, 2]
    assert list(counts.loc[("s3", "Russia")]) == [0, 0, 1, 1]


def test_response_shares_of_confrontation_events_by_side():
    shares = framing.response_shares(EVENTS)
    # Confrontation: war (Russia, answers nothing) and suspend (NATO, answers the war).
    assert list(shares.loc["NATO and Allies", ["events", "responses"]]) == [1, 1]
    assert shares.loc["NATO and Allies", "share"] == 1
    assert shares.loc["Russia", "share"] == 0
    assert shares.loc["other", "events"] == 0 and np.isnan(shares.loc["other", "share"])


# --- figure helpers --------------------------------------------------------------------------------------


def test_runs_of_equal_values():
    assert framing._runs(np.array(["a", "a", "b", "a"])) == [("a", 0, 1), ("b", 2, 2), ("a", 3, 3)]


def test_year_ticks_mark_each_year_and_label_where_there_is_room():
    years = np.array([1990, 1990, 1991, 1995, 1995, 1995, 1996, 2000])
    ticks, labels = framing._year_ticks(years, min_gap=2)
    # Years begin at columns 0, 2, 3, 6, 7; 1995 (column 3) is 1 column after 1991 and 2000 (column 7) is
    # 1 column after 1996, so both stay unlabelled.
    assert ticks == [0.5, 2.5, 3.5, 6.5, 7.5]
    assert labels == ["1990", "1991", "", "1996", ""]


# --- the chapter's constants point at real rows ----------------------------------------------------------


def test_constants_name_events_and_sources_of_the_shipped_record():
    record = load()
    event_ids = set(record.events["event_id"])
    source_ids = set(record.sources["source_id"])
    named_events = {event for events in framing.KNOWN_DISAGREEMENTS.values() for event in events}
    assert named_events | set(framing.FRAMING_EVENTS) <= event_ids
    assert set(framing.NATO_SOURCES) | set(framing.SHORT_LABELS) <= source_ids
    assert {framing.EARLIER_BACKGROUNDER, framing.LATER_BACKGROUNDER} <= set(framing.NATO_SOURCES)


def test_mention_table_rows_follow_the_given_events_then_sources():
    events = EVENTS.assign(date=EVENTS["date"])
    table = framing.mention_table(events, MENTIONS, ["suspend", "offer"], ["s3", "s1"], {"s1": "One", "s3": "Three"})
    assert list(table.columns) == ["Date", "Event", "Source", "Date as given", "Note"]
    # suspend by s3 then s1 (s2 is not asked for), then offer by s1 only (s3 does not state it).
    assert list(table["Source"]) == ["Three", "One", "One"]
    assert list(table["Event"]) == ["SUSPEND", "SUSPEND", "OFFER"]
    assert list(table["Date as given"]) == ["April 2014", "1 April 2014", "May 2000"]
    assert list(table["Note"]) == ["channels stay open", "unanimous", ""]
    assert list(table["Date"]) == ["2014-04-01", "2014-04-01", "2000-05"]


def test_profile_table_formats_shares_as_whole_percentages():
    profile = framing.framing_profile(EVENTS, MENTIONS, ["s1", "s3"], since_year=2014)
    table = framing.profile_table(profile, {"s1": "One", "s3": "Three"}, since_year=2014)
    assert list(table["Source"]) == ["One", "Three"]
    # s1: 2 of 3 cooperative (67%), mean 1/3 (0.3); s3: mean -5, all dated 2014 or later.
    assert list(table["Cooperation"]) == ["67%", "0%"]
    assert list(table["Mean score"]) == [0.3, -5.0]
    assert list(table["Dated 2014 or later"]) == ["33%", "100%"]


def test_plot_direction_bars_stack_in_order_with_first_row_on_top():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = pd.DataFrame(
        {"confrontation": [0.5, 0.25], "cooperation": [0.5, 0.5], "neutral": [0.0, 0.25]}, index=["top", "bottom"]
    )
    fig, ax = plt.subplots()
    cooperation, neutral, confrontation = framing.plot_direction_bars(ax, table, share_labels=True)
    # Rows are drawn bottom-up, so the first row ("top") is the last bar of each container.
    assert [bar.get_width() for bar in cooperation] == [0.5, 0.5]
    assert [bar.get_x() for bar in neutral] == [0.5, 0.5]
    assert [bar.get_x() for bar in confrontation] == [0.75, 0.5]
    assert [bar.get_width() for bar in confrontation] == [0.25, 0.5]
    assert [label.get_text() for label in ax.texts] == ["25%", "50%"]
    assert cooperation.patches[0].get_facecolor()[:3] == pytest.approx(matplotlib.colors.to_rgb("#0072B2"))
    plt.close(fig)


def test_side_by_side_refuses_a_source_that_states_an_event_twice():
    twice = pd.concat([MENTIONS, MENTIONS.iloc[[0]]], ignore_index=True)
    with pytest.raises(ValueError, match="duplicate"):
        framing.side_by_side(twice, ["talks"], "note", SOURCES)


def test_side_by_side_and_precision_counts_with_a_source_named_twice():
    assert framing.side_by_side(MENTIONS, ["talks"], "note", ["s1", "s1"]).shape == (1, 2)
    counts = framing.precision_counts(MENTIONS, ["s1", "s1"])
    assert counts.index.tolist() == ["s1", "s1"] and (counts.iloc[0] == counts.iloc[1]).all()


