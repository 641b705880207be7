"""Tests of nato_russia.corpus: the source groups and the coverage by group, worked by hand."""

from __future__ import annotations

import json

import pandas as pd
from conftest import REPOSITORY, set_cell

from nato_russia import load
from nato_russia.corpus import (
    GROUPS,
    LATER_DISAGREEMENTS,
    LATER_GROUPS,
    SOURCE_DOCUMENT,
    VOICES,
    best_group,
    dating_between,
    document_ids,
    documents_and_groups,
    group_coverage,
    restatements,
    source_groups,
    stated_by,
    voice_coverage,
    voice_mentions,
)


def test_groups_follow_the_copy_read_then_the_origin(minimal) -> None:
    """The loader groups a source by origins.csv, a copy read in full as a source document; changing origins.csv
    regroups the sources."""
    groups = source_groups(load(minimal).sources)
    assert groups.to_dict() == {"example-reader": SOURCE_DOCUMENT, "example-page": "later NATO text"}
    assert list(groups.cat.categories) == list(GROUPS)
    set_cell(minimal, "origins.csv", 2, "group", "news report")  # NATO's own pages regrouped, as an analyst might
    assert source_groups(load(minimal).sources)["example-page"] == "news report"


def test_the_groups_are_those_origins_csv_allows_in_the_same_order() -> None:
    descriptor = json.loads((REPOSITORY / "data" / "datapackage.json").read_text(encoding="utf-8"))
    origins = next(resource for resource in descriptor["resources"] if resource["name"] == "origins")
    group = next(field for field in origins["schema"]["fields"] if field["name"] == "group")
    assert list(LATER_GROUPS) == group["constraints"]["enum"]


def test_the_record_has_four_source_documents_and_every_source_a_group() -> None:
    sources = load().sources
    groups = source_groups(sources)
    assert groups.notna().all()
    assert groups.eq(SOURCE_DOCUMENT).sum() == 4
    assert set(groups.index[groups.eq(SOURCE_DOCUMENT)]) == set(sources.loc[sources["original_file"].notna()
                                                                          & sources["original_file"].ne(""), "source_id"])


# --- coverage by group, worked by hand ----------------------------------------------------------------------

# Three events and five sources: two documents (d1 published 2022, d0 2015), a later NATO page, two news reports.
GROUPS_OF = pd.Series(
    {"d1": SOURCE_DOCUMENT, "d0": SOURCE_DOCUMENT, "nato": "later NATO text", "n1": "news report", "n2": "news report"},
    dtype=pd.CategoricalDtype(GROUPS, ordered=True),
)
COVERAGE = pd.DataFrame(
    {
        "d1": [True, False, False],
        "d0": [True, False, False],
        "nato": [True, True, False],
        "n1": [False, True, True],
        "n2": [False, False, True],
    },
    index=pd.Index(["old", "restated", "news-only"], name="event_id"),
)


def test_document_ids_are_the_documents_in_order_of_publication() -> None:
    sources = pd.DataFrame(
        {
            "source_id": ["d1", "news", "d0", "d2"],
            "origin": ["nato", "news", "nato", "reference"],
            "original_file": ["1.txt", "", "0.txt", "2.txt"],
            "group": ["source document", "news report", "source document", "source document"],
            "published": ["2022", "2015", "2015-12", "2022"],
        }
    )
    # The news report is no document; 2015-12 < 2022, and the two 2022 documents in id order.
    assert document_ids(sources) == ["d0", "d1", "d2"]


def test_group_coverage_is_true_where_any_source_of_the_group_states_the_event() -> None:
    by_group = group_coverage(COVERAGE, GROUPS_OF)
    assert list(by_group.columns) == list(GROUPS)
    assert list(by_group.index) == ["old", "restated", "news-only"]
    assert by_group[SOURCE_DOCUMENT].tolist() == [True, False, False]
    assert by_group["later NATO text"].tolist() == [True, True, False]
    assert by_group["news report"].tolist() == [False, True, True]  # n1 or n2
    # No source of these groups is a column: all false.
    assert not by_group["reference work"].any() and not by_group["other official text"].any()


def test_documents_and_groups_keeps_each_document_and_merges_the_later_pages() -> None:
    table = documents_and_groups(COVERAGE, GROUPS_OF)
    assert list(table.columns) == ["d1", "d0", *LATER_GROUPS]
    assert table["d0"].tolist() == [True, False, False]
    assert table["news report"].tolist() == [False, True, True]


def test_best_group_is_the_first_group_that_states_the_event() -> None:
    basis = best_group(group_coverage(COVERAGE, GROUPS_OF))
    # "old": a document states it; "restated": the NATO page beats the news report; "news-only": news alone.
    assert basis.astype("object").tolist() == [SOURCE_DOCUMENT, "later NATO text", "news report"]
    assert list(basis.cat.categories) == list(GROUPS) and basis.cat.ordered
    unstated = best_group(pd.DataFrame({group: [False] for group in GROUPS}, index=["none"]))
    assert unstated.isna().all()


def test_restatements_are_later_mentions_of_events_a_document_states() -> None:
    mentions = pd.DataFrame(
        {
            "event_id": ["old", "old", "old", "restated", "news-only"],
            "source_id": ["nato", "d1", "n1", "nato", "n1"],
            "note": ["retold", "", "reported", "new", ""],
        }
    )
    # Only "old" is stated by a document; the NATO page's mention of it is a restatement, the news one not
    # (unless news reports are asked for too).
    table = restatements(mentions, GROUPS_OF)
    assert table[["event_id", "source_id", "group"]].to_numpy().tolist() == [["old", "nato", "later NATO text"]]
    both = restatements(mentions, GROUPS_OF, restating=("later NATO text", "news report"))
    assert both["source_id"].tolist() == ["n1", "nato"]
    assert both["note"].tolist() == ["reported", "retold"]


def test_later_disagreements_name_events_of_the_record_from_2022_on() -> None:
    record = load()
    events = record.events.set_index("event_id")
    stated = record.mentions.groupby("event_id")["source_id"].nunique()
    for question, event_ids in LATER_DISAGREEMENTS.items():
        assert event_ids, question
        assert set(event_ids) <= set(events.index), question
        assert (events.loc[list(event_ids), "start"].dt.year >= 2022).all(), question
        # A disagreement needs two accounts of at least one of its events.
        assert stated[list(event_ids)].max() >= 2, question


# --- drawing the coverage by group: labels keep their room when the matrix grows -------------------------------


def _drawn_matrix(n_events: int, rows: int):
    """framing.plot_coverage on a matrix of n_events events, five per year from 1900, all in one phase."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nato_russia.framing import plot_coverage

    ids = [f"e{number:03d}" for number in range(n_events)]
    events = pd.DataFrame(
        {
            "event_id": ids,
            "score": [1] * n_events,
            "phase_id": ["only"] * n_events,
            "start": pd.to_datetime([f"{1900 + number // 5}-01-01" for number in range(n_events)]),
        }
    )
    columns = [f"row{row}" for row in range(rows)]
    coverage = pd.DataFrame(True, index=pd.Index(ids, name="event_id"), columns=columns)
    fig, ax = plt.subplots()
    plot_coverage(ax, coverage, events, pd.DataFrame({"phase_id": ["only"], "label": ["One phase"]}),
                  pd.Series(columns, index=columns))
    labelled = [tick.get_text() for tick in ax.get_xticklabels() if tick.get_text()]
    limits = ax.get_ylim()
    plt.close(fig)
    return labelled, limits


def test_a_wide_coverage_matrix_labels_fewer_years_and_a_tall_one_gets_a_taller_phase_strip() -> None:
    # 100 events (up to 110: spacing as drawn for the four documents): a tick every 5 columns, a label at least
    # 6 columns after the last one, so every second year: 1900, 1902, ... 1918.
    labelled, limits = _drawn_matrix(100, 4)
    assert labelled == [str(year) for year in range(1900, 1920, 2)]
    assert limits == (4, -1.3)
    # 220 events: columns half as wide (220 / 110 = 2), so labels need 12 columns: every third year.
    # 8 rows: the phase strip doubles to keep its height in pixels.
    labelled, limits = _drawn_matrix(220, 8)
    assert labelled == [str(year) for year in range(1900, 1944, 3)]
    assert limits == (8, -2.6)


def test_groups_stating_marks_each_group_that_states_an_event() -> None:
    from nato_russia.corpus import groups_stating

    events = pd.DataFrame({"event_id": ["b", "a"], "start": pd.to_datetime(["2001-01-01", "2000-01-01"])})
    sources = pd.DataFrame({"source_id": ["doc", "news", "wiki"], "origin": ["nato", "news", "reference"],
                            "original_file": ["000.txt", "", ""],
                            "group": ["source document", "news report", "reference work"]})
    mentions = pd.DataFrame({"event_id": ["a", "b", "b"], "source_id": ["doc", "news", "wiki"]})

    stated = groups_stating(events, mentions, sources)

    assert list(stated.index) == ["a", "b"], "date order"
    assert list(stated.columns) == list(GROUPS)
    assert stated.loc["a"].to_dict() == {group: group == SOURCE_DOCUMENT for group in GROUPS}
    assert stated.loc["b"].to_dict() == {group: group in ("news report", "reference work") for group in GROUPS}


def _voice_record() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    sources = pd.DataFrame({"source_id": ["nato-page", "kremlin", "tass", "wiki", "news"],
                            "origin": ["nato", "russian_government", "russian_state_media", "reference", "news"]})
    events = pd.DataFrame({"event_id": ["e-late", "e-early", "e-mid", "e-none"],
                           "start": pd.to_datetime(["2020-01-01", "2000-01-01", "2010-01-01", "2015-01-01"])})
    mentions = pd.DataFrame({
        "event_id": ["e-early", "e-early", "e-early", "e-mid", "e-late", "e-late", "e-none"],
        "source_id": ["tass", "nato-page", "kremlin", "kremlin", "nato-page", "wiki", "news"],
        "date_given": ["2000-03", "2000-03-05", "2000-03-05", "2010", "2020-01-01", "2020", "2015"],
        "date_given_end": [None] * 7,
    })
    return events, mentions, sources


def test_voice_mentions_keep_only_the_two_sides_own_texts() -> None:
    events, mentions, sources = _voice_record()
    own = voice_mentions(mentions, sources)
    assert list(zip(own["event_id"], own["source_id"], own["voice"].astype(str))) == [
        ("e-early", "nato-page", "NATO's texts"),
        ("e-early", "kremlin", "Russia's texts"),
        ("e-early", "tass", "Russia's texts"),
        ("e-late", "nato-page", "NATO's texts"),
        ("e-mid", "kremlin", "Russia's texts"),
    ]
    assert list(own["voice"].cat.categories) == list(VOICES)


def test_voice_coverage_and_stated_by() -> None:
    events, mentions, sources = _voice_record()
    coverage = voice_coverage(events, voice_mentions(mentions, sources))
    assert list(coverage.index) == ["e-early", "e-mid", "e-none", "e-late"]  # date order
    assert list(coverage.columns) == list(VOICES)
    assert stated_by(coverage).astype(str).to_dict() == {
        "e-early": "both", "e-mid": "Russia's texts only", "e-none": "neither", "e-late": "NATO's texts only"}
    assert list(stated_by(coverage).cat.categories) == [
        "both", "NATO's texts only", "Russia's texts only", "neither"]


def test_dating_between_takes_each_event_closest_pair_of_the_two_voices() -> None:
    sources = pd.DataFrame({"source_id": ["n1", "n2", "r1", "r2"],
                            "origin": ["nato", "nato", "russian_government", "russian_state_media"]})
    mentions = pd.DataFrame({
        "event_id": ["same", "same", "vaguer", "vaguer", "apart", "apart", "apart", "one-side", "one-side", "undated",
                     "undated"],
        "source_id": ["n1", "r1", "n1", "r2", "n1", "n2", "r1", "n1", "n2", "n1", "r1"],
        "date_given": ["2001-02-03", "2001-02-03", "2001-02", "2001-02-10", "2001-01-01", "2001-01-20",
                       "2001-01-05", "2001", "2002", None, "2001"],
        "date_given_end": [None] * 11,
    })
    table = dating_between(voice_mentions(mentions, sources), "NATO's texts", "Russia's texts")
    assert table["event_id"].tolist() == ["apart", "same", "vaguer"]  # one-side and undated: not both voices
    assert table["relation"].astype(str).tolist() == ["conflict", "same", "precision"]
    assert table["gap_days"].tolist() == [4, 0, 0]  # 2001-01-01 to 2001-01-05, the closer NATO dating
