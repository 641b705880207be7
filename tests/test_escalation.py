"""Tests of nato_russia.escalation on small hand-made tables whose right answers are worked out by hand."""

import pandas as pd
import pytest

from nato_russia import analysis, escalation
from nato_russia.dates import parse_partial_dates

PARTIES = pd.DataFrame({
    "party": ["NATO", "United States", "Russia", "unattributed", "NATO and Russia"],
    "side": ["NATO and Allies", "NATO and Allies", "Russia", "other", "other"],
})
"""A parties table (parties.csv) for the made-up events."""


def make_events(rows):
    """Events with the columns the loader gives, from (id, date, date_basis, kind, actor, responds_to)."""
    frame = pd.DataFrame(rows, columns=["event_id", "date", "date_basis", "kind", "actor", "responds_to"])
    parsed = parse_partial_dates(frame["date"])
    military = frame["kind"].isin(["military_intervention", "armed_aggression"])  # acts toward third states
    return frame.assign(
        side=frame["actor"].map(PARTIES.set_index("party")["side"]),
        scope=military.map({True: "context", False: "nato_russia"}),
        certainty="established",
        in_index=~military,
        title=frame["event_id"].str.upper(),
        start=parsed["start"],
        precision=parsed["precision"],
        last_day=parsed["last_day"],
    )


# A made-up record: an offer answered once; a war answered by a criticism and by a suspension, which a
# resumption answers in turn; a freeze resumed within the same year; an unconnected meeting.
EVENTS = make_events(
    [
        ("offer", "1990-07-05", "stated", "cooperation_offer", "NATO", None),
        ("invite", "1990", "section_period", "cooperation_offer", "NATO", "offer"),
        ("strike", "1999", "stated", "military_intervention", "NATO", None),
        ("freeze", "1999", "stated", "dialogue_suspended", "Russia", "strike"),
        ("thaw", "1999", "context", "cooperation_resumed", "Russia", "freeze"),
        ("war", "2008-08", "stated", "armed_aggression", "Russia", None),
        ("criticism", "2008-08-19", "stated", "criticism", "NATO", "war"),
        ("suspend", "2008-08", "context", "dialogue_suspended", "NATO", "war"),
        ("resume", "2009-04-04", "stated", "cooperation_resumed", "NATO", "suspend"),
        ("talks", "2010", "stated", "meeting", "NATO-Russia Council", None),
    ]
)


# --- chains ----------------------------------------------------------------------------------------


def test_chains_follow_responds_to_transitively_depth_first_in_date_order():
    chains = escalation.response_chains(EVENTS)
    # Roots in date order: offer (1990-07-05), strike (1999), war (2008-08). Under the war, the suspension
    # (2008-08, start 1 August) comes before the criticism (19 August), and its own response (resume)
    # follows it before the criticism: depth first.
    assert list(chains["chain"]) == ["offer"] * 2 + ["strike"] * 3 + ["war"] * 4
    assert list(chains["event_id"]) == [
        "offer", "invite", "strike", "freeze", "thaw", "war", "suspend", "resume", "criticism",
    ]
    assert list(chains["depth"]) == [0, 1, 0, 1, 2, 0, 1, 2, 1]
    assert list(chains["step"]) == [1, 2, 1, 2, 3, 1, 2, 3, 4]
    assert "talks" not in set(chains["event_id"]), "an event that answers nothing and draws no answer is no chain"
    assert chains.loc[chains["event_id"] == "resume", "responds_to"].item() == "suspend"


def test_chains_refuse_a_loop_and_name_its_events():
    looped = make_events(
        [
            ("a", "2000", "stated", "criticism", "NATO", "b"),
            ("b", "2001", "stated", "criticism", "Russia", "a"),
            ("c", "2002", "stated", "meeting", "NATO", None),
        ]
    )
    with pytest.raises(ValueError, match="loop.*a, b"):
        escalation.response_chains(looped)


def test_chains_refuse_a_link_to_no_event():
    broken = make_events([("a", "2000", "stated", "criticism", "NATO", "ghost")])
    with pytest.raises(ValueError, match="a -> ghost"):
        escalation.response_chains(broken)


def test_crisis_of_chains_labels_by_root_and_checks_roots():
    chains = escalation.response_chains(EVENTS)
    crisis = escalation.crisis_of_chains(chains, {"Georgia": ("war",), "Kosovo": ("strike",)})
    assert list(crisis[chains["chain"] == "war"]) == ["Georgia"] * 4
    assert list(crisis[chains["chain"] == "strike"]) == ["Kosovo"] * 3
    assert crisis[chains["chain"] == "offer"].isna().all()
    with pytest.raises(ValueError, match="talks"):
        escalation.crisis_of_chains(chains, {"Quiet": ("talks",)})


@pytest.mark.parametrize(
    ("lag", "unit", "words"),
    [(8, "months", "8 months"), (1, "days", "1 day"), (2, "years", "2 years"), (0, "years", "same year"),
     (0, "months", "same month"), (0, "days", "same day"), (None, None, "")],
)
def test_describe_lag(lag, unit, words):
    assert escalation.describe_lag(lag, unit) == words


# --- recovery --------------------------------------------------------------------------------------


def test_recoveries_measure_break_to_resumption_at_the_coarser_precision():
    table = escalation.recoveries(EVENTS, analysis.response_pairs(EVENTS))
    assert list(table["break_id"]) == ["freeze", "suspend"]
    # freeze (1999) -> thaw (1999): both years, so 0 years: only "the same year".
    first = table.iloc[0]
    assert (first["lag"], first["unit"], first["lag_text"]) == (0, "years", "same year")
    assert first["resumption_date_basis"] == "context"
    # suspend (2008-08, month) -> resume (2009-04-04, day): counted in months, (2009-2008)*12 + (4-8) = 8.
    second = table.iloc[1]
    assert (second["lag"], second["unit"], second["lag_text"]) == (8, "months", "8 months")
    assert (second["break_date"], second["break_date_basis"]) == ("2008-08", "context")
    assert second["resumption_date"] == "2009-04-04"


def test_resumptions_after_a_break():
    assert list(escalation.resumptions_after(EVENTS, "suspend")["event_id"]) == ["resume"]
    # Nothing is resumed after 4 April 2009 in the made-up record.
    assert escalation.resumptions_after(EVENTS, "resume").empty
    # After the 1999 freeze (last day 31 Dec 1999) the 1999 thaw does not count as *after*; 2009 does.
    assert list(escalation.resumptions_after(EVENTS, "freeze")["event_id"]) == ["resume"]
    with pytest.raises(KeyError, match="nothing"):
        escalation.resumptions_after(EVENTS, "nothing")


# --- ladder ----------------------------------------------------------------------------------------


def test_actor_side_comes_from_the_parties_table():
    sides = escalation.actor_side(pd.Series(["NATO", "United States", "Russia", "unattributed", "NATO and Russia"]),
                                  PARTIES)
    assert list(sides) == ["NATO and Allies", "NATO and Allies", "Russia", "other", "other"]
    moved = PARTIES.assign(side=PARTIES["side"].where(PARTIES["party"] != "United States", "other"))
    assert escalation.actor_side(pd.Series(["United States"]), moved).tolist() == ["other"]


def test_ladder_places_kinds_on_rungs_and_dates_markers_mid_span():
    steps = escalation.ladder(EVENTS).set_index("event_id")
    # Offers, resumptions and meetings are not measures of escalation.
    assert sorted(steps.index) == ["criticism", "freeze", "strike", "suspend", "war"]
    assert steps.loc["war", "rung"] == "violence" and steps.loc["war", "side"] == "Russia"
    assert steps.loc["criticism", "rung"] == "statements" and steps.loc["criticism", "side"] == "NATO and Allies"
    assert steps.loc["suspend", "rung"] == "suspended meetings"
    assert steps["rung"].cat.ordered and steps["rung"].cat.categories[0] == "statements"
    # "2008-08": 1 to 31 August, 31 days, middle 15.5 days after 1 August = 16 August, noon.
    assert steps.loc["war", "date_last_day"] == pd.Timestamp("2008-08-31")
    assert steps.loc["war", "date_middle"] == pd.Timestamp("2008-08-16 12:00")
    # "1999": 365 days, middle 182.5 days after 1 January = 2 July, noon; a day is its own middle, noon.
    assert steps.loc["strike", "date_middle"] == pd.Timestamp("1999-07-02 12:00")
    assert steps.loc["criticism", "date_middle"] == pd.Timestamp("2008-08-19 12:00")


def test_every_confrontation_kind_of_the_codebook_is_placed():
    kinds = pd.DataFrame({"kind": ["meeting", "criticism", "protest", "blockade"], "score": [2, -2, -2, -6]})
    # criticism is on a rung, protest knowingly left off, blockade new; meeting is cooperation.
    assert escalation.kinds_not_on_ladder(kinds) == ["blockade"]


def test_no_kind_sits_on_two_rungs():
    kinds = [kind for rung in escalation.RUNGS.values() for kind in rung]
    assert len(kinds) == len(set(kinds))
    assert not set(kinds) & set(escalation.OFF_LADDER_KINDS)


# --- staircase -------------------------------------------------------------------------------------


def make_indicators(rows):
    frame = pd.DataFrame(rows, columns=["indicator_id", "series", "date", "value", "source_id", "event_id"])
    parsed = parse_partial_dates(frame["date"])
    return frame.assign(start=parsed["start"], precision=parsed["precision"], last_day=parsed["last_day"])


INDICATORS = make_indicators(
    [
        ("old_cap", "cap", "2018-03", 30.0, "page", "cut1"),
        ("cut1_day", "cap", "2018-03-27", 20.0, "backgrounder", "cut1"),
        ("cut1_month", "cap", "2018-03", 20.0, "page", "cut1"),
        ("cut2", "cap", "2021-10", 10.0, "page", "cut2"),
        ("raise", "cap", "2023-05", 20.0, "news", "raise"),
        ("other_series", "trained", "2018-03", 20.0, "page", None),
    ]
)


def test_indicator_steps_merge_same_value_at_overlapping_dates_and_name_the_sources():
    steps = escalation.indicator_steps(INDICATORS, "cap")
    # The two 20s of March 2018 (the 27th, and "March") overlap: one step, dated to the day, two sources.
    # The 20 of May 2023 overlaps neither: a step of its own. The other series is ignored.
    assert list(steps["value"]) == [30.0, 20.0, 10.0, 20.0]
    assert list(steps["date"]) == ["2018-03", "2018-03-27", "2021-10", "2023-05"]
    assert list(steps["sources"]) == ["page", "backgrounder, page", "page", "news"]
    assert steps.loc[1, "indicator_ids"] == "cut1_day, cut1_month"
    assert steps.loc[1, "precision"] == "day"


def test_indicator_steps_do_not_depend_on_the_order_of_the_file():
    forwards = escalation.indicator_steps(INDICATORS, "cap")
    backwards = escalation.indicator_steps(INDICATORS.iloc[::-1], "cap")
    pd.testing.assert_frame_equal(forwards, backwards)


def test_chain_table_indents_responses_and_gives_lags_in_words():
    chains = escalation.response_chains(EVENTS)
    war = chains[chains["chain"] == "war"]
    table = escalation.chain_table(war, EVENTS, analysis.response_pairs(EVENTS))
    assert list(table["Event"]) == ["WAR", "↳ SUSPEND", "\u00a0" * 4 + "↳ RESUME", "↳ CRITICISM"]
    # war 2008-08 -> suspend 2008-08: same month; suspend -> resume 2009-04-04: 8 months;
    # war 2008-08 -> criticism 2008-08-19: month and day, counted in months: same month.
    assert list(table["Lag after what it answers"]) == ["", "same month", "8 months", "same month"]
    assert list(table["Dated by"]) == ["stated", "context", "stated", "stated"]
    assert list(table["Kind"])[:2] == ["armed aggression", "dialogue suspended"]
    assert list(table["Scope, certainty"])[:2] == ["context, established", "nato russia, established"]


def test_escalation_timeline_draws_only_its_window_and_context_events_hollow():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import PathCollection

    events = EVENTS.assign(score=[3, 3, -7, -4, 5, -10, -2, -4, 5, 1], turning_point=False)
    fig, ax = plt.subplots()
    escalation.plot_escalation_timeline(ax, events, start="1998-01-01", end="2008-12-31")
    drawn = [collection for collection in ax.collections  # the scatters; a span line is a LineCollection
             if isinstance(collection, PathCollection) and collection.get_offsets().shape[0]]
    points = sum(collection.get_offsets().shape[0] for collection in drawn)
    assert points == 6  # strike, freeze, thaw, war, criticism, suspend: 1990 and 2009-2010 are outside
    white = [collection for collection in drawn if (collection.get_facecolors()[:, :3] == 1).all()]
    assert sum(collection.get_offsets().shape[0] for collection in white) == 2  # strike and war: context
    plt.close(fig)
    labels = [handle.get_label() for handle in escalation.timeline_legend_handles()]
    assert labels == ["event in the index", "context event (not in the index)", "turning point"]


def test_spread_positions_keeps_the_gap_and_the_bounds():
    # Far apart already: unchanged.
    assert escalation.spread_positions([0.0, 10.0], gap=3, low=0, high=20) == [0.0, 10.0]
    # 5 and 6 are too close: the second moves right to 5 + 3 = 8.
    assert escalation.spread_positions([5.0, 6.0], gap=3, low=0, high=20) == [5.0, 8.0]
    # 18 and 19 would push the second to 21 > 20: it stops at 20 and the first moves left to 17.
    assert escalation.spread_positions([18.0, 19.0], gap=3, low=0, high=20) == [17.0, 20.0]
    # A centre below the lower bound is lifted to it.
    assert escalation.spread_positions([-2.0], gap=3, low=1, high=20) == [1.0]


# --- the chapter's coding decisions against the shipped record ---------------------------------------


@pytest.fixture(scope="module")
def shipped():
    from nato_russia import load

    return load()


def test_every_confrontation_kind_of_the_shipped_codebook_is_on_a_rung_or_knowingly_left_off(shipped):
    assert escalation.kinds_not_on_ladder(shipped.event_kinds) == []


def test_every_crisis_root_of_the_chapter_opens_a_chain_in_the_shipped_record(shipped):
    chains = escalation.response_chains(shipped.events)
    crisis = escalation.crisis_of_chains(chains)
    assert set(crisis.dropna()) == set(escalation.CRISES)


def test_actor_side_of_unknown_and_missing_actors_is_missing():
    sides = escalation.actor_side(pd.Series(["NATO", None, "someone", "Russia"], index=[4, 3, 2, 1]), PARTIES)
    assert sides.tolist()[0] == "NATO and Allies" and sides.tolist()[3] == "Russia"
    assert sides.isna().tolist() == [False, True, True, False]  # no party: no side (validation forbids it)
    assert sides.index.tolist() == [4, 3, 2, 1]
    assert list(sides.cat.categories) == list(escalation.SIDES) and sides.cat.ordered


def test_links_within_keeps_only_links_whose_trigger_is_kept_too():
    indexed = EVENTS[EVENTS["in_index"]]  # the strike and the war are context events
    linked = escalation.links_within(indexed)
    assert list(linked["event_id"]) == list(indexed["event_id"]), "no event is dropped, only links"
    kept = linked.dropna(subset=["responds_to"]).set_index("event_id")["responds_to"].to_dict()
    assert kept == {"invite": "offer", "thaw": "freeze", "resume": "suspend"}
    assert list(analysis.response_pairs(linked)["response_id"]) == ["invite", "thaw", "resume"]
    assert indexed["responds_to"].notna().sum() == 6, "the input is not changed"


def test_directed_scores_sum_each_sides_acts_toward_the_other_per_quarter():
    events = make_events(
        [
            ("a", "2000-01-10", "stated", "criticism", "NATO", None),
            ("b", "2000-02-01", "stated", "expulsion", "United States", None),
            ("c", "2000-08-03", "stated", "expulsion", "Russia", "b"),
            ("d", "2000", "stated", "criticism", "Russia", None),  # only a year: no quarter
            ("e", "2000-05-05", "stated", "criticism", "Russia", None),  # toward Russia: not directed at the other
        ]
    ).assign(target=["Russia", "Russia", "United States", "NATO", "Russia"], score=[-2, -5, -5, -2, -2])
    table = escalation.directed_scores(events, PARTIES)
    assert [str(period) for period in table.index] == ["2000Q1", "2000Q2", "2000Q3"]
    assert table["NATO and Allies"].tolist() == [-7.0, 0.0, 0.0]
    assert table["Russia"].tolist() == [0.0, 0.0, -5.0]
