"""Tests of nato_russia.channels on small hand-made tables whose right answers are worked out by hand."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402

from nato_russia import channels  # noqa: E402
from nato_russia.dates import parse_partial_dates  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def make_events(rows):
    """Events with the loader's columns from (id, date, kind, score, channel)."""
    frame = pd.DataFrame(rows, columns=["event_id", "date", "kind", "score", "channel"])
    parsed = parse_partial_dates(frame["date"])
    return frame.assign(start=parsed["start"], precision=parsed["precision"], last_day=parsed["last_day"],
                        score=frame["score"].astype("int64"), end_date=None)


# A made-up record: a forum opened in 1991 and replaced in 1997 by a successor that is still open; a mission
# opened in 1998 and closed in October 2021 together with an office; a line nobody dates.
EVENTS = make_events([
    ("1991-joins-forum", "1991", "partnership_joined", 7, "forum"),
    ("1997-successor", "1997", "body_established", 6, "successor"),
    ("2003-successor-meets", "2003-06-10", "meeting", 2, "successor"),
    ("1998-mission-opens", "1998", "body_established", 6, "mission"),
    ("2001-office-opens", "2001", "body_established", 6, "office"),
    ("2021-10-cap", "2021-10", "staff_cap", -5, "mission"),
    ("2021-10-expelled", "2021-10", "expulsion", -5, "mission"),
    ("2021-10-closed", "2021-10", "mission_closure", -6, "mission"),
    ("2018-03-27-cap", "2018-03-27", "staff_cap", -5, "mission"),
])

CHANNELS = pd.DataFrame({
    "channel_id": ["mission", "forum", "successor", "line", "office"],
    "name_en": ["Mission", "Forum", "Successor", "Line", "Office"],
    "channel_kind": ["mission", "forum", "forum", "military line", "office"],
    "opened_event_id": ["1998-mission-opens", "1991-joins-forum", "1997-successor", None, "2001-office-opens"],
    "closed_event_id": ["2021-10-closed", "1997-successor", None, None, "2021-10-closed"],
    "replaced_by": [None, "successor", None, None, None],
    "note": ["m", "f", "s", "l", "o"],
})


def test_lifetimes_take_their_dates_from_the_opening_and_closing_events():
    table = channels.channel_lifetimes(CHANNELS, EVENTS).set_index("channel_id")
    assert table.loc["forum", "opened_date"] == "1991" and table.loc["forum", "opened_precision"] == "year"
    assert table.loc["forum", "closed_start"] == pd.Timestamp("1997-01-01")
    assert table.loc["forum", "closed_last_day"] == pd.Timestamp("1997-12-31")
    assert table.loc["forum", "replaced_by_name"] == "Successor"
    assert table.loc["mission", "closed_date"] == "2021-10"
    assert table.loc["mission", "closed_score"] == -6
    assert pd.isna(table.loc["line", "opened_start"])
    assert table["status"].astype("str").to_dict() == {
        "mission": "closed", "forum": "replaced", "successor": "open in the record",
        "line": "reported open, dates unknown", "office": "closed",
    }


def test_lifetimes_count_the_events_of_each_channel_and_find_the_last():
    table = channels.channel_lifetimes(CHANNELS, EVENTS).set_index("channel_id")
    assert table["events"].to_dict() == {"mission": 5, "forum": 1, "successor": 2, "line": 0, "office": 1}
    # Three mission events share October 2021 (last day 31 October); by event_id the last is "2021-10-expelled".
    assert table.loc["mission", "last_event_id"] == "2021-10-expelled"
    assert table.loc["successor", "last_event_date"] == "2003-06-10"
    assert pd.isna(table.loc["line", "last_event_day"])


def test_open_at_a_day_respects_the_precision_of_the_closing_date():
    lifetimes = channels.channel_lifetimes(CHANNELS, EVENTS)

    def answers(day):
        return dict(zip(lifetimes["channel_id"], channels.open_at(lifetimes, day).astype("str")))

    # On 1 November 2021 the October 2021 closure is over; the forum closed in 1997; the successor has no
    # closing event; the line has no dates at all.
    assert answers("2021-11-01") == {
        "mission": "closed", "forum": "closed", "successor": "open: no closure in the record",
        "line": "reported open, dates unknown", "office": "closed",
    }
    # On 15 October 2021 the closure may or may not have happened yet.
    assert answers("2021-10-15")["mission"] == "closure date uncertain"
    # On 1 June 1997 the forum's closure (some day in 1997) is uncertain; the successor (opened some day in
    # 1997) is not "not yet open" either, since its first possible day has passed; the office (2001) is.
    early = answers("1997-06-01")
    assert early["forum"] == "closure date uncertain"
    assert early["successor"] == "open: no closure in the record"
    assert early["office"] == "not yet open"


def test_rows_follow_the_opening_dates_with_each_successor_right_after_its_predecessor():
    lifetimes = channels.channel_lifetimes(CHANNELS, EVENTS)
    # By opening: forum 1991, successor 1997, mission 1998, office 2001; the successor follows the forum;
    # the undated line comes last.
    assert channels.channel_rows(lifetimes) == ["forum", "successor", "mission", "office", "line"]
    swapped = CHANNELS.assign(opened_event_id=CHANNELS["opened_event_id"].replace(
        {"1997-successor": "2003-successor-meets"}))
    later = channels.channel_lifetimes(swapped, EVENTS)
    # Even when the successor opens after the mission, it stays right after the forum.
    assert channels.channel_rows(later) == ["forum", "successor", "mission", "office", "line"]


def test_cap_changes_pair_each_step_with_the_one_before():
    steps = pd.DataFrame({"date": ["2018-03", "2018-03-27", "2021-10"],
                          "start": pd.to_datetime(["2018-03-01", "2018-03-27", "2021-10-01"]),
                          "precision": ["month", "day", "month"], "value": [30.0, 20.0, 10.0]})
    changes = channels.cap_changes(steps)
    assert changes["text"].tolist() == ["cap 30 → 20", "cap 20 → 10"]
    assert changes["date"].tolist() == ["2018-03-27", "2021-10"]
    assert changes[["before", "after"]].to_numpy().tolist() == [[30.0, 20.0], [20.0, 10.0]]


def test_events_at_a_closure_move_off_the_row_and_the_closing_event_gives_way_to_the_cross():
    lifetimes = channels.channel_lifetimes(CHANNELS, EVENTS)
    rows = pd.Series({"forum": 0.0, "successor": 1.0, "mission": 2.0, "office": 3.0, "line": 4.0})
    mission = EVENTS[EVENTS["channel"] == "mission"]
    kept, y = channels.markers_beside_closures(lifetimes, mission, rows, step=0.3)
    positions = dict(zip(kept["event_id"], y.round(6)))
    # The closing event is drawn as the cross, not as a marker. Of the two other October 2021 events, in id
    # order, "2021-10-cap" goes above the row (2 - 0.3) and "2021-10-expelled" below it (2 + 0.3); the
    # events of other dates stay on the row.
    assert positions == {"1998-mission-opens": 2.0, "2018-03-27-cap": 2.0, "2021-10-cap": 1.7,
                         "2021-10-expelled": 2.3}


def test_the_swimlane_chart_draws_a_row_per_channel_and_names_the_undated_ones():
    lifetimes = channels.channel_lifetimes(CHANNELS, EVENTS)
    phases = pd.DataFrame({"label": ["Before", "After"], "start": pd.to_datetime(["1990-01-01", "2014-03-01"]),
                           "end": pd.to_datetime(["2014-02-28", None])})
    fig, ax = plt.subplots(figsize=(12.8, 7.2))
    empty_pauses = pd.DataFrame(columns=["channel", "suspended_start", "resumed_start"])
    order = channels.plot_channel_swimlanes(ax, lifetimes, EVENTS, empty_pauses, left="1991-01-01",
                                            right="2022-06-30", phases=phases, today="2022-06-30")
    assert order == ["forum", "successor", "mission", "office", "line"]
    texts = [text.get_text() for text in ax.texts]
    assert "Line: reported open, dates unknown" in texts
    assert {"Forum", "Successor", "Mission", "Office"} <= set(texts)




def test_acts_of_a_joint_body_without_a_channel_take_place_in_its_channel():
    events = pd.DataFrame({
        "event_id": ["a", "b", "c", "d"],
        "actor": ["NATO-Russia Council", "NATO-Russia Council", "Russia", "Permanent Joint Council"],
        "channel": [None, "high_level", None, None],
    })
    filled = channels.with_joint_body_channels(events)
    assert filled["channel"].isna().tolist() == [False, False, True, False]
    assert filled["channel"].dropna().tolist() == ["nrc", "high_level", "pjc"]
    assert events["channel"].isna().sum() == 3  # the input is not changed


def test_meetings_per_year_count_by_the_year_of_the_start_with_empty_years_as_zero():
    events = make_events([
        ("m1", "2016-04-20", "meeting", 2, "council"),
        ("m2", "2016-12", "meeting", 2, "council"),
        ("m3", "2019", "meeting", 2, "council"),
        ("x", "2017-05-05", "criticism", -2, "council"),
        ("y", "2018-01-01", "meeting", 2, "other"),
    ])
    counts = channels.meetings_per_year(events, "council")
    assert counts.to_dict() == {2016: 2, 2017: 0, 2018: 0, 2019: 1}
    assert channels.meetings_per_year(events, "council", 2015, 2020).to_dict() == {
        2015: 0, 2016: 2, 2017: 0, 2018: 0, 2019: 1, 2020: 0}


def test_a_closure_that_is_only_reported_is_drawn_as_a_hollow_cross():
    events = EVENTS.assign(certainty=["reported" if event_id == "2021-10-closed" else "established"
                                      for event_id in EVENTS["event_id"]])
    lifetimes = channels.channel_lifetimes(CHANNELS, events)
    assert lifetimes.set_index("channel_id").loc["mission", "closed_certainty"] == "reported"
    assert channels.channel_lifetimes(CHANNELS, EVENTS).set_index("channel_id").loc[
        "mission", "closed_certainty"] == "established"
    fig, ax = plt.subplots()
    channels.plot_channel_swimlanes(ax, lifetimes, events, pd.DataFrame(columns=[
        "channel", "suspended_start", "resumed_start"]), left="1990-01-01", right="2023-01-01",
        phases=pd.DataFrame({"start": [pd.Timestamp("1990-01-01")], "end": [pd.NaT], "label": ["all"]}),
        today="2023-01-01")
    crosses = [c for c in ax.collections if isinstance(c, PathCollection) and len(c.get_offsets()) == 1
               and len(c.get_facecolors()) and (c.get_facecolors()[:, :3] == 1).all()]
    assert len(crosses) == 2  # the mission's and the office's, both closed by the reported event
