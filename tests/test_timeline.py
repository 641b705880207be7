"""The timeline module: label text, the layouts (worked out by hand on small cases), and the drawn figures on
the real record (Agg backend): one marker per event, one label per turning point, no label on another."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from nato_russia import load  # noqa: E402
from nato_russia.plotting import use_house_style  # noqa: E402
from nato_russia.timeline import (  # noqa: E402
    candidate_offsets,
    first_possible_day,
    format_partial_date,
    labels_outside_axes,
    labels_over_markers,
    lane_offsets,
    marker_centres,
    overlapping_labels,
    pack_rows,
    place_labels,
    plot_close_up,
    plot_timeline,
    record_window,
    short_label,
    stack_rows,
)

# the close-ups notebook 02 draws: windows of half a year to five years, each holding at most about forty
# events, so that every label fits at 10 points or more
DECADES = [
    (1989, 1991), (1992, 1996), (1997, 1999), (2000, 2003), (2004, 2007), (2008, 2009), (2010, 2011), (2012, 2013),
    (2014, 2014), (2015, 2016), (2017, 2018), (2019, 2019), (2020, 2020), (2021, "2021-06"), ("2021-07", 2021),
    (2022, "2022-06"), ("2022-07", 2023), (2024, "2025-08"), ("2025-09", None),
]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def record():
    return load()


# --- text ---------------------------------------------------------------------------------------------------


def test_a_date_is_written_at_its_precision() -> None:
    day = pd.Timestamp("1997-05-27")
    assert format_partial_date(day, "day") == "27 May 1997"
    assert format_partial_date(day, "month") == "May 1997"
    assert format_partial_date(day, "year") == "1997"
    assert format_partial_date(pd.Timestamp("2022-02-24"), "day") == "24 Feb 2022"


def test_short_label_drops_a_trailing_bracket_and_a_comment_after_a_long_clause() -> None:
    assert short_label("NATO-Russia Retraining Centre helps servicemen (2002-2008)", width=None) == (
        "NATO-Russia Retraining Centre helps servicemen"
    )
    # four words before the colon: the clause is kept alone
    assert short_label("Russia joins the Council: formal relations begin", width=None) == "Russia joins the Council"
    # two words before the colon: too short to stand alone, the whole title stays
    assert short_label("Warsaw Summit: no return to business", width=None) == "Warsaw Summit: no return to business"
    # a bracket inside the title is kept; only a trailing one goes
    assert short_label("UN resolution (73/194) adopted", width=None) == "UN resolution (73/194) adopted"


def test_short_label_wraps_whole_words_and_keeps_hyphenated_names_together() -> None:
    assert short_label("Rome Declaration creates the NATO-Russia Council", width=22) == (
        "Rome Declaration\ncreates the\nNATO-Russia Council"
    )
    assert short_label("Lisbon", width=3) == "Lisbon"


# --- layout helpers -----------------------------------------------------------------------------------------


def test_lane_offsets_move_overlapping_items_of_a_group_apart() -> None:
    starts = pd.to_datetime(pd.Series(["2002-01-01", "2002-01-01", "2002-01-01", "2010-01-01", "2002-01-01"]))
    ends = pd.to_datetime(pd.Series(["2008-12-31", "2008-12-31", "2008-12-31", "2010-12-31", None]))
    groups = pd.Series([6, 6, 6, 6, 5])
    offsets = lane_offsets(starts, ends, groups, min_gap=pd.Timedelta(days=30), step=0.3)
    # three items share 2002-2008 at score 6: lanes 0, 1 (+0.3) and 2 (-0.3); the 2010 item finds lane 0 free;
    # the only item at score 5 stays on its lane
    assert offsets.tolist() == [0.0, 0.3, -0.3, 0.0, 0.0]


def test_lane_offsets_keep_a_gap_between_consecutive_items() -> None:
    starts = pd.to_datetime(pd.Series(["2018-03-01", "2018-03-20", "2018-06-01"]))
    ends = starts
    offsets = lane_offsets(starts, ends, pd.Series([-5, -5, -5]), min_gap=pd.Timedelta(days=60), step=0.25)
    # 19 days after the first: too close, next lane; 92 days after the first: lane 0 is free again
    assert offsets.tolist() == [0.0, 0.25, 0.0]


def test_a_trailing_bracket_goes_as_the_pattern_says() -> None:
    # short_label drops a final bracket without a regular expression: the same as this one, on any text
    pattern = re.compile(r"\s*\([^()]*\)\s*$")
    rng = np.random.default_rng(11)
    alphabet = list("ab ():\t\n") + ["\u00a0", "\u2003"]
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet, int(rng.integers(0, 12))))
        assert short_label(text, width=None, min_clause_words=99) == pattern.sub("", text.strip()), repr(text)


def test_candidates_start_at_the_anchor_then_straight_above_and_below() -> None:
    candidates = candidate_offsets(step=10, reach=(20, 20))
    assert candidates[:5].tolist() == [[0, 0], [0, 10], [0, -10], [-10, 0], [10, 0]]
    assert len(candidates) == 25


def test_place_labels_takes_the_first_free_candidate() -> None:
    candidates = np.array([[0, 0], [0, 30], [0, -30]])
    frame = (0, 0, 1000, 1000)
    # nothing in the way: the label sits on its anchor
    alone = place_labels([[100, 100]], [[40, 20]], np.empty((0, 4)), frame, candidates, pad=0)
    assert alone.tolist() == [[100, 100]]
    # its own marker is an obstacle: the next candidate, 30 up, is the cheaper of the two free ones
    marker = np.array([[95, 95, 105, 105]])
    moved = place_labels([[100, 100]], [[40, 20]], marker, frame, candidates, pad=0)
    assert moved.tolist() == [[100, 130]]


def test_place_labels_keeps_labels_apart() -> None:
    candidates = np.array([[0, 30], [0, -30]])
    markers = np.array([[95, 95, 105, 105], [95, 105, 105, 115]])
    centres = place_labels([[100, 100], [100, 110]], [[40, 20], [40, 20]], markers, (0, 0, 1000, 1000), candidates,
                           pad=0)
    # label 0 goes 30 up (box y 120..140); 30 up from (100, 110) would overlap it, so label 1 goes 30 down
    assert centres.tolist() == [[100, 130], [100, 80]]


def test_place_labels_keeps_labels_inside_the_frame() -> None:
    candidates = np.array([[0, 30], [0, -30]])
    # 30 up would put the box's top at 100 + 30 + 10 = 140, above the frame's 135
    centres = place_labels([[100, 100]], [[40, 20]], np.empty((0, 4)), (0, 0, 1000, 135), candidates, pad=0)
    assert centres.tolist() == [[100, 70]]
    # the pad counts: with 6 more on every side, 30 down (box bottom 60 - 6 = 54) still fits above 50 ...
    assert place_labels([[100, 100]], [[40, 20]], np.empty((0, 4)), (0, 50, 1000, 135), candidates,
                        pad=6).tolist() == [[100, 70]]
    # ... but not above 55
    with pytest.raises(ValueError):
        place_labels([[100, 100]], [[40, 20]], np.empty((0, 4)), (0, 55, 1000, 135), candidates, pad=6)


def test_a_leader_line_may_not_run_through_another_label() -> None:
    # label 0 sits on its anchor (0, 50), covering x -20..20, y 40..60. Label 1 is anchored at (0, 0):
    # at (0, 0) it would overlap nothing but the leader test is moot; forbid that spot with an obstacle.
    # Its candidate 100 up (box y 90..110) has a leader from (0, 0) to (0, 90) crossing label 0, so it takes
    # the candidate 100 to the right instead.
    candidates = np.array([[0, 0], [0, 100], [100, 0]])
    obstacle = np.array([[-5, -5, 5, 5]])
    centres = place_labels([[0, 50], [0, 0]], [[40, 20], [40, 20]], obstacle, (-500, -500, 500, 500), candidates,
                           pad=0)
    assert centres.tolist() == [[0, 50], [100, 0]]


def test_leader_obstacles_are_avoided_when_possible_and_tolerated_when_not() -> None:
    candidates = np.array([[0, 40], [0, -60]])
    marker_above = np.array([[-3, 17, 3, 23]])  # a marker 20 above the anchor, on the way to the first candidate
    frame = (-500, -500, 500, 500)
    # the leader to (0, 40) would cross the marker: the longer but clear way down wins
    clear = place_labels([[0, 0]], [[40, 20]], np.empty((0, 4)), frame, candidates, pad=0,
                         leader_obstacles=marker_above, crossing_cost=1000)
    assert clear.tolist() == [[0, -60]]
    # with the way down outside the frame, crossing the marker is better than no label
    tight = place_labels([[0, 0]], [[40, 20]], np.empty((0, 4)), (-500, -20, 500, 500), candidates, pad=0,
                         leader_obstacles=marker_above, crossing_cost=1000)
    assert tight.tolist() == [[0, 40]]


def test_place_labels_keeps_the_cheapest_of_the_orders() -> None:
    # two wide labels contest the spot above their anchors (0, 0) and (100, 0); below anchor 1 is a blocker
    candidates = np.array([[0, 30], [0, -30], [0, 90]])
    obstacles = np.array([[-5, -5, 5, 5], [95, -5, 105, 5], [90, -35, 110, -25]])
    anchors, sizes, frame = [[0, 0], [100, 0]], [[160, 20], [160, 20]], (-500, -500, 500, 500)
    # label 0 first: it goes up (leader 20); label 1 cannot go up (overlap) nor down (blocker) and goes
    # 90 up (leader 80): total 100
    only_first = place_labels(anchors, sizes, obstacles, frame, candidates, pad=0, orders=[[0, 1]], refinements=0)
    assert only_first.tolist() == [[0, 30], [100, 90]]
    # label 1 first: it goes up (20), label 0 goes down (20): total 40, the cheaper layout
    cheapest = place_labels(anchors, sizes, obstacles, frame, candidates, pad=0, orders=[[0, 1], [1, 0]],
                            refinements=0)
    assert cheapest.tolist() == [[0, -30], [100, 30]]


def test_place_labels_says_which_label_has_no_room() -> None:
    with pytest.raises(ValueError, match="no room for label 0"):
        place_labels([[0, 0]], [[40, 20]], np.array([[-100, -100, 100, 100]]), (-500, -500, 500, 500),
                     np.array([[0, 0]]))


def test_pack_rows_puts_an_item_in_the_lowest_row_where_it_fits() -> None:
    starts = pd.Series([0.0, 5.0, 20.0, 3.0])
    ends = pd.Series([0.0, 5.0, 20.0, 3.0])
    widths = pd.Series([10.0, 10.0, 10.0, 10.0])
    sides = pd.Series([1, 1, 1, -1])
    layout = pack_rows(starts, ends, widths, sides, right_edge=100, gap=1)
    # item 0 holds 0..11 in row 0; item 1 (5..16) overlaps it and goes to row 1; item 2 (20..31) starts
    # 9 after row 0's end and fits there; item 3 is on the other side, alone in its row 0
    assert layout["row"].tolist() == [0, 1, 0, 0]
    assert not layout["label_left"].any()


def test_pack_rows_puts_a_label_left_of_its_marker_near_the_right_edge() -> None:
    starts, ends = pd.Series([95.0, 50.0]), pd.Series([98.0, 60.0])
    widths, sides = pd.Series([10.0, 10.0]), pd.Series([1, 1])
    layout = pack_rows(starts, ends, widths, sides, right_edge=100, gap=1)
    # item 0: label 84..94 left of its marker, item 84..98; item 1: bar and label 50..61, clear of 84 by more
    # than the gap, so both share row 0
    assert layout["label_left"].tolist() == [True, False]
    assert layout["row"].tolist() == [0, 0]


def test_a_bar_occupies_its_row_to_its_end() -> None:
    starts, ends = pd.Series([0.0, 30.0]), pd.Series([50.0, 30.0])
    layout = pack_rows(starts, ends, pd.Series([10.0, 10.0]), pd.Series([1, 1]), right_edge=100, gap=1)
    assert layout["row"].tolist() == [0, 1]


def test_pack_rows_on_series_with_a_default_index() -> None:
    # the second item starts inside the first one's label (0 + 1 ... 11): next row; the third is far off
    starts, widths = pd.Series([0.0, 5.0, 100.0]), pd.Series([10.0, 10.0, 10.0])
    layout = pack_rows(starts, starts, widths, pd.Series([1, 1, 1]), right_edge=1000, gap=1)
    assert layout["row"].tolist() == [0, 1, 0] and not layout["label_left"].any()
    assert isinstance(layout.index, pd.RangeIndex)


def test_a_label_put_left_can_clash_with_an_item_that_starts_earlier() -> None:
    starts = pd.Series([0.0, 20.0, 50.0, 55.0])
    widths = pd.Series([10.0, 10.0, 25.0, 20.0])
    layout = pack_rows(starts, starts, widths, pd.Series([1, 1, 1, 1]), right_edge=60, gap=1)
    # item 0 holds 0..11 and item 1 20..31 in row 0. Item 2's label would end at 76, past 60, so it goes left:
    # 24..49, hull 24..50, which starts less than the gap after item 1 (31 + 1 > 24): row 1. Item 3's label
    # goes left too, 34..54, and 34 is clear of item 1: row 0
    assert layout["label_left"].tolist() == [False, False, True, True]
    assert layout["row"].tolist() == [0, 0, 1, 0]


def test_the_first_possible_day_is_earliest_when_the_loader_gives_it() -> None:
    events = pd.DataFrame({"start": pd.to_datetime(["2022-02-01", "1999-01-01"]),
                           "earliest": pd.to_datetime(["2022-02-24", "1999-01-01"])})
    assert first_possible_day(events).tolist() == [pd.Timestamp("2022-02-24"), pd.Timestamp("1999-01-01")]
    assert first_possible_day(events.drop(columns="earliest")).equals(events["start"])


def test_record_window_runs_from_new_year_to_new_year() -> None:
    events = pd.DataFrame({"start": pd.to_datetime(["1989-12-19", "2022-06-01"]),
                           "last_day": pd.to_datetime(["1989-12-19", "2022-06-30"])})
    assert record_window(events) == (pd.Timestamp("1989-01-01"), pd.Timestamp("2023-01-01"))
    assert record_window(events, 2010, 2019) == (pd.Timestamp("2010-01-01"), pd.Timestamp("2020-01-01"))
    # a month stands for the whole month
    assert record_window(events, 2021, "2021-06") == (pd.Timestamp("2021-01-01"), pd.Timestamp("2021-07-01"))
    assert record_window(events, "2021-07", 2021) == (pd.Timestamp("2021-07-01"), pd.Timestamp("2022-01-01"))
    assert record_window(events, "2025-12", None) == (pd.Timestamp("2025-12-01"), pd.Timestamp("2023-01-01"))


def test_rows_are_as_tall_as_their_tallest_item_and_stack_outwards() -> None:
    rows, sides = pd.Series([0, 1, 0, 0, 1]), pd.Series([1, 1, 1, -1, -1])
    heights = pd.Series([10.0, 30.0, 20.0, 10.0, 10.0])
    centres, above, below = stack_rows(rows, sides, heights, base=5)
    # above: row 0 is 20 tall (its tallest item), 5..25, centre 15; row 1 is 30 tall, 25..55, centre 40.
    # below: rows of 10, 5..15 and 15..25, centres -10 and -20
    assert centres.tolist() == [15.0, 40.0, 15.0, -10.0, -20.0]
    assert (above, below) == (55.0, 25.0)
    # no item below: nothing reaches below
    assert stack_rows(rows[:3], sides[:3], heights[:3], base=5)[2] == 0.0


# --- the figures, on the real record ------------------------------------------------------------------------


def assert_clean_layout(timeline) -> None:
    timeline.fig.canvas.draw()
    assert overlapping_labels(timeline.labels, pad=1) == []
    assert labels_over_markers(timeline) == []
    assert labels_outside_axes(timeline) == []


def test_the_overview_has_one_marker_per_event_and_one_label_per_turning_point(record) -> None:
    use_house_style()
    timeline = plot_timeline(record.events, record.phases, title="test")
    assert len(marker_centres(timeline)) == len(record.events)
    # every marker stands at its event's first possible day
    marker_days = np.sort(np.concatenate([collection.get_offsets()[:, 0] for collection in timeline.markers]))
    expected_days = np.sort(mdates.date2num(first_possible_day(record.events)))
    assert np.allclose(marker_days, expected_days)
    assert len(timeline.labels) == record.events["turning_point"].sum()
    turning_titles = record.events.loc[record.events["turning_point"], "title"]
    label_texts = " ".join(label.get_text().replace("\n", " ") for label in timeline.labels)
    for title in turning_titles:
        assert short_label(title, width=None) in label_texts
    assert_clean_layout(timeline)


def test_the_overview_layout_holds_at_the_saved_resolution(record) -> None:
    use_house_style()
    timeline = plot_timeline(record.events, record.phases, title="test")
    timeline.fig.set_dpi(150)
    assert_clean_layout(timeline)


def test_the_overview_is_the_same_every_time(record) -> None:
    use_house_style()
    first = [label.get_position() for label in plot_timeline(record.events, record.phases).labels]
    second = [label.get_position() for label in plot_timeline(record.events, record.phases).labels]
    assert first == second


@pytest.mark.parametrize(("first_year", "last_year"), DECADES)
def test_each_close_up_labels_every_event_of_its_window(record, first_year, last_year) -> None:
    use_house_style()
    timeline = plot_close_up(record.events, record.phases, first_year=first_year, last_year=last_year, title="test")
    left, right = record_window(record.events, first_year, last_year)
    first_day = first_possible_day(record.events)
    in_decade = record.events[(first_day >= left) & (first_day < right)]
    assert len(marker_centres(timeline)) == len(in_decade)
    assert len(timeline.labels) == len(in_decade)
    texts = [label.get_text().replace("\n", " ") for label in timeline.labels]
    assert sorted(texts) == sorted(short_label(title, width=None) for title in in_decade["title"])
    bold = [text for text, label in zip(texts, timeline.labels) if label.get_fontweight() == "bold"]
    assert sorted(bold) == sorted(short_label(t, width=None) for t in in_decade.loc[in_decade["turning_point"], "title"])
    assert_clean_layout(timeline)
    assert min(label.get_fontsize() for label in timeline.labels) >= 10


