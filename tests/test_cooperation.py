"""Tests of nato_russia.cooperation on small hand-made tables whose right answers are worked out by hand."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from nato_russia import cooperation  # noqa: E402
from nato_russia.dates import PRECISION, parse_partial_dates  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def dates(*values):
    parsed = parse_partial_dates(pd.Series(values, dtype="str"))
    return parsed["start"], parsed["precision"]


def make_events(rows):
    """Events with the loader's columns from (id, date, end_date, kind, score, area, channel)."""
    frame = pd.DataFrame(rows, columns=["event_id", "date", "end_date", "kind", "score", "cooperation_area",
                                        "channel"])
    start = parse_partial_dates(frame["date"])
    end = parse_partial_dates(frame["end_date"])
    return frame.assign(
        start=start["start"],
        precision=start["precision"],
        last_day=end["last_day"].fillna(start["last_day"]),
        score=frame["score"].astype("int64"),
    )


def make_areas(rows):
    """Areas with the loader's columns from (area_id, name_en, start, end)."""
    frame = pd.DataFrame(rows, columns=["area_id", "name_en", "start", "end"])
    start = parse_partial_dates(frame["start"])
    end = parse_partial_dates(frame["end"])
    return frame.assign(start=start["start"], start_precision=start["precision"], end=end["start"],
                        end_precision=end["precision"])


# --- dates -----------------------------------------------------------------------------------------


def test_dates_are_written_back_at_their_precision():
    start, precision = dates("1992", "2005-12", "2002-05-28", None)
    assert cooperation.date_as_given(start, precision).tolist() == ["1992", "2005-12", "2002-05-28", ""]
    words = [cooperation.date_in_words(s, p) for s, p in zip(start, precision)]
    assert words == ["1992", "December 2005", "28 May 2002", "not dated"]


def test_listing_joins_items_for_a_sentence():
    assert cooperation.listing([]) == "none"
    assert cooperation.listing(["A"]) == "A"
    assert cooperation.listing(["A", "B"]) == "A and B"
    assert cooperation.listing(["A", "B", "C"]) == "A, B and C"


def test_began_before_the_council_says_uncertain_when_the_cutoff_falls_inside_the_date():
    # The Rome Declaration is dated 28 May 2002. A start in 2001 is before it whatever the day; "2002" may be
    # any day of 2002, so either side; "2002-05" may be 1-31 May, so either side; "2002-04" ends on 30 April,
    # before; 27 May is before, 28 May itself is not before; 2003 is after.
    start, precision = dates("2001", "2002", "2002-05", "2002-04", "2002-05-27", "2002-05-28", "2003", None)
    answer = cooperation.began_before(start, precision, "2002-05-28")
    assert answer.astype("str").tolist() == [
        "yes", "uncertain", "uncertain", "yes", "yes", "no", "no", "start not dated",
    ]
    assert list(answer.cat.categories) == list(cooperation.BEFORE_LABELS)


def test_duration_bounds_count_from_the_latest_possible_start_to_the_earliest_possible_end():
    start, start_precision = dates("1992", "2002-05-28", "2014")
    end, end_precision = dates("2014-04", "2002-05-28", "2013")
    bounds = cooperation.duration_bounds(start, start_precision, end, end_precision)
    # 1992 -> 2014-04. Shortest: 31 Dec 1992 to 1 Apr 2014 = 21 years of 365 days plus the leap days of 1996,
    # 2000, 2004, 2008 and 2012 (7,670 days to 31 Dec 2013), plus 31 + 28 + 31 + 1 = 91 days: 7,761.
    # Longest: 1 Jan 1992 to 30 Apr 2014 = 22 years plus six leap days (1992 ... 2012) = 8,036 days to
    # 1 Jan 2014, plus 31 + 28 + 31 + 29 = 119 days: 8,155.
    assert bounds.loc[0].tolist() == [7761, 8155]
    # The same day twice: no time at all either way.
    assert bounds.loc[1].tolist() == [0, 0]
    # An end before the start: the shortest is clipped at zero; 1 Jan 2014 to 31 Dec 2013 is -1 day.
    assert bounds.loc[2].tolist() == [0, -1]


def test_started_after_uses_the_first_day_a_start_covers():
    areas = make_areas([("early", "Early", "2008", "2014-04"), ("late", "Late", "2011", "2014-04"),
                        ("same", "Same", "2009-04", "2014-04"), ("none", "None", None, "2014-04")])
    # 2008 and 2009-04 may begin on or before 4 April 2009; 2011 cannot; a missing start is not "after".
    assert cooperation.started_after(areas, "2009-04-04").tolist() == [False, True, False, False]


# --- the areas ---------------------------------------------------------------------------------------


AREAS = make_areas([
    ("science", "Science", "1992", "2014-04"),
    ("rescue", "Rescue", "2003-02", "2014-04"),
    ("logistics", "Logistics", None, "2014-04"),
])

EVENTS = make_events([
    ("2003-02-framework", "2003-02", None, "agreement_signed", 8, "rescue", None),
    ("2011-05-30-exercise", "2011-05-30", None, "joint_activity", 6, "rescue", None),
    ("2005-exercises", "2005", "2011", "joint_activity", 6, "rescue", None),
    ("2007-12-exit", "2007-12", None, "treaty_exit", -5, "rescue", None),
    ("1992-joins", "1992", None, "partnership_joined", 7, "science", None),
    ("1990-06-step", "1990-06", None, "unspecified", 0, "science", None),
    ("2008-08-freeze", "2008-08", None, "dialogue_suspended", -4, None, "nrc"),
])


def test_area_durations_use_the_coarser_precision_and_sort_the_longest_first():
    table = cooperation.area_durations(AREAS)
    assert table["area_id"].tolist() == ["science", "rescue", "logistics"]
    # science: 1992 -> 2014-04, a year and a month: 22 years. rescue: 2003-02 -> 2014-04, both months:
    # 11 * 12 + 2 = 134 months.
    assert table["lag"].tolist()[:2] == [22, 134]
    assert table["unit"].tolist()[:2] == ["years", "months"]
    # science: 7,761 and 8,155 days (see above) / 365.25 = 21.25 and 22.33 years.
    assert table.loc[0, ["shortest_years", "longest_years"]].tolist() == [21.2, 22.3]
    # rescue: 28 Feb 2003 to 1 Apr 2014 and 1 Feb 2003 to 30 Apr 2014: 4,050 and 4,106 days.
    assert table.loc[1, ["shortest_years", "longest_years"]].tolist() == [11.1, 11.2]
    assert table.loc[0, "start"] == "1992" and table.loc[1, "start"] == "2003-02"
    assert table.loc[0, ["shortest_days", "longest_days"]].tolist() == [7761, 8155]
    assert pd.isna(table.loc[2, "lag"]) and pd.isna(table.loc[2, "shortest_years"])
    assert pd.isna(table.loc[2, "unit"]), "no unit for a duration that cannot be counted"


def test_events_per_area_count_by_direction_with_zero_for_an_area_without_events():
    table = cooperation.events_per_area(EVENTS, AREAS).set_index("area_id")
    assert table.loc["rescue", ["cooperation", "neutral", "confrontation", "events"]].tolist() == [3, 0, 1, 4]
    assert table.loc["science", ["cooperation", "neutral", "confrontation", "events"]].tolist() == [1, 1, 0, 2]
    assert table.loc["logistics", ["cooperation", "neutral", "confrontation", "events"]].tolist() == [0, 0, 0, 0]
    # The first event of "science" is the June 1990 step (before its 1992 start); the last day of "rescue"
    # is the end of 2011, from the 2005-2011 exercises.
    assert table.loc["science", "first_event_start"] == pd.Timestamp("1990-06-01")
    assert table.loc["science", "first_event_precision"] == "month"
    assert table.loc["rescue", "last_event_day"] == pd.Timestamp("2011-12-31")
    assert pd.isna(table.loc["logistics", "first_event_start"])
    assert table.index.tolist() == ["science", "rescue", "logistics"], "the order of the areas is kept"


def test_stated_value_keeps_the_qualifier():
    assert cooperation.stated_value(3500.0, "more than", "people") == "more than 3,500 people"
    assert cooperation.stated_value(4.0, "exact", "field exercises") == "4 field exercises"
    assert cooperation.stated_value(2.5, "about", "km") == "about 2.5 km"
    assert cooperation.stated_value(2820.0, "almost", "people") == "almost 2,820 people"


def test_area_quantities_join_indicators_to_areas_through_their_events():
    indicators = pd.DataFrame({
        "indicator_id": ["exercises", "framework_pages", "unlinked", "no_event", "exit_notice"],
        "series": ["exercises_held", "pages", "x", "y", "months"],
        "date": ["2005", "2003-02", "2008-08", "2010", "2007-12"],
        "end_date": ["2011", None, None, None, None],
        "value": [3.0, 40.0, 1.0, 5.0, 6.0],
        "qualifier": ["exact", "about", "exact", "exact", "exact"],
        "unit": ["exercises", "pages", "x", "y", "months"],
        "description": ["Exercises.", "Pages.", "X.", "Y.", "Notice."],
        "event_id": ["2005-exercises", "2003-02-framework", "2008-08-freeze", None, "2007-12-exit"],
        "source_id": ["s1", "s2", "s1", "s1", "s1"],
    }).astype({"end_date": "str", "event_id": "str"})
    table = cooperation.area_quantities(indicators, EVENTS, AREAS)
    # The freeze has no area and "no_event" no event: both are left out. All three kept belong to "Rescue";
    # by value from the largest: 40 pages, 6 months, 3 exercises.
    assert table["indicator_id"].tolist() == ["framework_pages", "exit_notice", "exercises"]
    assert table["as_stated"].tolist() == ["about 40 pages", "6 months", "3 exercises"]
    assert table["period"].tolist() == ["2003-02", "2007-12", "2005–2011"]
    assert table["event_direction"].tolist() == ["cooperation", "confrontation", "cooperation"]
    assert set(table["area"]) == {"Rescue"}


def test_plain_description_drops_parentheses_and_the_full_stop():
    text = "Officials trained by the project over its life (the source's section covers 2005-2014)."
    assert cooperation.plain_description(text) == "Officials trained by the project over its life"
    assert cooperation.plain_description("Countries (seven) whose officials took part.") == (
        "Countries whose officials took part")


def test_quantity_rows_put_a_heading_before_each_area():
    quantities = pd.DataFrame({"area": ["A", "A", "B"], "what": ["One (x).", "Two.", "Three."],
                               "value": [1.0, 2.0, 3.0], "qualifier": ["exact", "about", "more than"],
                               "as_stated": ["1 a", "about 2 a", "more than 3 b"]})
    rows = cooperation.quantity_rows(quantities)
    assert rows["label"].tolist() == ["A", "One", "Two", "B", "Three"]
    assert rows["is_heading"].tolist() == [True, False, False, True, False]
    assert rows["row"].tolist() == [0, 1, 2, 3, 4]


# --- suspensions -------------------------------------------------------------------------------------


def test_each_freeze_is_paired_with_the_first_resumption_in_its_channel_on_or_after_it():
    events = make_events([
        ("2002-resumed", "2002", None, "cooperation_resumed", 5, None, "nrc"),
        ("2008-08-freeze", "2008-08", None, "dialogue_suspended", -4, None, "nrc"),
        ("2009-04-04-resumed", "2009-04-04", None, "cooperation_resumed", 5, None, "nrc"),
        ("2010-resumed", "2010", None, "cooperation_resumed", 5, None, "nrc"),
        ("1999-freeze", "1999", None, "dialogue_suspended", -4, None, "pjc"),
        ("1999-resumed", "1999", None, "cooperation_resumed", 5, None, "pjc"),
        ("2015-freeze", "2015", None, "dialogue_suspended", -4, None, "other"),
        ("2015-elsewhere", "2015", None, "cooperation_resumed", 5, None, "elsewhere"),
    ])
    table = cooperation.suspension_periods(events)
    # In date order: the 1999 PJC freeze (resumed in the same year: same first day, so it counts), the 2008
    # NRC freeze (the 2002 resumption is earlier, 2009-04-04 is the first after), the 2015 freeze of "other"
    # (a resumption in another channel does not end it).
    assert table["suspended_id"].tolist() == ["1999-freeze", "2008-08-freeze", "2015-freeze"]
    assert table["resumed_id"].tolist()[:2] == ["1999-resumed", "2009-04-04-resumed"]
    assert pd.isna(table.loc[2, "resumed_id"]) and pd.isna(table.loc[2, "resumed_start"])
    assert table.loc[1, "resumed_start"] == pd.Timestamp("2009-04-04")
    assert table.loc[1, "suspended_precision"] == "month"
    only_nrc = cooperation.suspension_periods(events, "nrc")
    assert only_nrc["suspended_id"].tolist() == ["2008-08-freeze"]


def test_stack_offsets_spread_only_markers_at_the_same_place():
    y = pd.Series([0.0, 0.0, 0.0, 1.0, 1.0])
    x = pd.Series([10, 10, 20, 10, 10])
    # Two markers at (0, 10): -0.1 and +0.1; one alone at (0, 20): 0; two at (1, 10): -0.1, +0.1.
    assert cooperation.stack_offsets(y, x, step=0.2).round(6).tolist() == [-0.1, 0.1, 0.0, -0.1, 0.1]


# --- drawing -----------------------------------------------------------------------------------------


def test_a_bar_is_solid_where_its_dates_are_certain_and_hatched_in_their_spans():
    fig, ax = plt.subplots()
    start, precision = dates("1992", "2014-04")
    cooperation.draw_span_bar(ax, 0, start[0], precision[0], start[1], precision[1], colour="#0072B2")
    spans = sorted((round(patch.get_x(), 3), round(patch.get_x() + patch.get_width(), 3), patch.get_hatch())
                   for patch in ax.patches)
    as_number = lambda day: round(mdates.date2num(pd.Timestamp(day)), 3)  # noqa: E731
    # The year 1992 hatched, 1993-01-01 to 2014-04-01 solid, April 2014 hatched.
    assert spans == [
        (as_number("1992-01-01"), as_number("1993-01-01"), "////"),
        (as_number("1993-01-01"), as_number("2014-04-01"), None),
        (as_number("2014-04-01"), as_number("2014-05-01"), "////"),
    ]


def test_a_narrow_phase_is_named_at_the_bottom_not_across_the_rows():
    phases = pd.DataFrame({"label": ["Long phase", "Crisis", "Later"],
                           "start": pd.to_datetime(["1990-01-01", "2008-08-01", "2009-04-04"]),
                           "end": pd.to_datetime(["2008-07-31", "2009-04-03", None])})
    fig, ax = plt.subplots(figsize=(12.8, 7.2))
    ax.set_xlim(pd.Timestamp("1990-01-01"), pd.Timestamp("2020-01-01"))
    # Thirty years on about 12 inches: the eight months of the crisis are about a quarter of an inch.
    moved = cooperation.shade_phases_on_rows(ax, phases, today="2020-01-01")
    assert moved == ["Crisis"]
    texts = [(text.get_text(), text.get_rotation()) for text in ax.texts]
    assert ("Crisis", 0.0) in texts
    assert all(rotation == 0.0 for text, rotation in texts if text), "no name runs vertically across the rows"
    assert len(ax.patches) == 3, "every phase keeps its band"
    assert ax.get_xlim() == (mdates.date2num(pd.Timestamp("1990-01-01")), mdates.date2num(pd.Timestamp("2020-01-01")))


def test_precision_dtype_of_the_first_event_is_the_package_precision():
    table = cooperation.events_per_area(EVENTS, AREAS)
    assert table["first_event_precision"].dtype == PRECISION


