"""The tables of notebook 01, on small hand-made inputs whose expected values are worked out by hand, and the
add-an-event helpers on a copy of the shipped data."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from nato_russia import DataValidationError, validate
from nato_russia.tables import (
    append_csv_rows,
    copy_record,
    counts_by_direction,
    date_conflicts,
    mention_notes,
    origin_summary,
    plot_events_per_year_by_scope,
    schema_fields,
    source_summary,
    without_folder,
)

PACKAGE = {
    "name": "tiny",
    "resources": [
        {
            "name": "things",
            "path": "things.csv",
            "schema": {
                "fields": [
                    {"name": "thing_id", "type": "string", "description": "Identifier.",
                     "constraints": {"required": True, "unique": True, "pattern": "^[a-z]+$"}},
                    {"name": "date", "type": "string", "description": "When.",
                     "constraints": {"required": True, "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}},
                    {"name": "colour", "type": "string", "description": "Which colour.",
                     "constraints": {"enum": ["red", "blue"]}},
                    {"name": "flag", "type": "boolean", "description": "Yes or no.",
                     "trueValues": ["true"], "falseValues": ["false"], "constraints": {"required": True}},
                    {"name": "size", "type": "integer", "description": "How big.",
                     "constraints": {"minimum": -10, "maximum": 10}},
                    {"name": "kind", "type": "string", "description": "A kind."},
                    {"name": "note", "type": "string", "description": "Anything.", "constraints": {"maxLength": 80}},
                ],
                "primaryKey": "thing_id",
                "foreignKeys": [{"fields": "kind", "reference": {"resource": "kinds", "fields": "kind"}}],
            },
        },
        {
            "name": "kinds",
            "path": "kinds.csv",
            "schema": {"fields": [{"name": "kind", "type": "string"}], "primaryKey": "kind"},
        },
    ],
}


def test_schema_fields_reads_types_rules_and_meanings_from_the_package(tmp_path: Path) -> None:
    (tmp_path / "datapackage.json").write_text(json.dumps(PACKAGE), encoding="utf-8")
    fields = schema_fields("things", tmp_path).set_index("field")
    assert fields.index.tolist() == ["thing_id", "date", "colour", "flag", "size", "kind", "note"]
    assert fields["type"].tolist() == ["string", "string", "string", "boolean", "integer", "string", "string"]
    assert fields["required"].tolist() == ["yes", "yes", "no", "yes", "no", "no", "no"]
    assert fields.at["thing_id", "rules"] == "unique id; matches ^[a-z]+$"
    assert fields.at["date", "rules"] == "a date as YYYY, YYYY-MM or YYYY-MM-DD"
    assert fields.at["colour", "rules"] == "one of: red, blue"
    assert fields.at["flag", "rules"] == "true or false"
    assert fields.at["size", "rules"] == "from -10 to 10"
    assert fields.at["kind", "rules"] == "refers to kinds.kind"
    assert fields.at["note", "rules"] == "at most 80 characters"
    assert fields.at["colour", "meaning"] == "Which colour."


def test_schema_fields_of_the_shipped_events_follow_the_csv_header() -> None:
    header = Path(__file__).resolve().parents[1].joinpath("data", "events.csv").read_text(encoding="utf-8")
    assert schema_fields("events")["field"].tolist() == header.splitlines()[0].split(",")


def test_counts_by_direction_counts_each_group_most_events_first() -> None:
    events = pd.DataFrame({"actor": ["NATO", "Russia", "NATO", "Russia", "NATO", "Allies"],
                           "score": [8, -10, -4, 0, 2, -2]})
    table = counts_by_direction(events, "actor")
    # NATO: 8, -4, 2 -> 3 events, 2 cooperative, 1 confrontational; Russia: -10, 0; Allies: -2
    assert table.index.tolist() == ["NATO", "Russia", "Allies"]
    assert table.columns.tolist() == ["events", "cooperation", "neutral", "confrontation"]
    assert table.loc["NATO"].tolist() == [3, 2, 0, 1]
    assert table.loc["Russia"].tolist() == [2, 0, 1, 1]
    assert table.loc["Allies"].tolist() == [1, 0, 0, 1]


def test_counts_by_direction_breaks_ties_alphabetically() -> None:
    events = pd.DataFrame({"kind": ["meeting", "demand"], "score": [2, -4]})
    assert counts_by_direction(events, "kind").index.tolist() == ["demand", "meeting"]


def tiny_record():
    events = pd.DataFrame({
        "event_id": ["a", "b", "c"],
        "title": ["Event A", "Event B", "Event C"],
        "start": pd.to_datetime(["2002-01-01", "1997-05-27", "2010-01-01"]),
    })
    mentions = pd.DataFrame({
        "event_id": ["a", "a", "b", "b", "b", "c"],
        "source_id": ["s1", "s2", "s1", "s2", "s3", "s2"],
        "date_as_given": ["under 2002-2008", "2011", "27 May 1997", "1997", "May 1997", "2010"],
        "date_given": ["2002", "2011", "1997-05-27", "1997", "1997-05", "2010"],
        "date_given_end": ["2008", None, None, None, None, None],
        "note": [None, "Dates it later.", None, "Only the year.", None, None],
    })
    sources = pd.DataFrame({
        "source_id": ["s1", "s2", "s3"], "title_en": ["One", "Two", "Three"],
        "publisher": ["NATO", "NATO", "Wiki"], "language": ["en", "uk", "el"], "published": ["2015", "2022", "2022"],
    })
    return events, mentions, sources


def test_source_summary_counts_events_stated_and_stated_alone() -> None:
    events, mentions, sources = tiny_record()
    table = source_summary(events, mentions, sources)
    # s1 states a and b; s2 states a, b and c, and is alone on c; s3 states b only, with others
    assert table.index.tolist() == ["s1", "s2", "s3"]
    assert table["events stated"].tolist() == [2, 3, 1]
    assert table["only source for"].tolist() == [0, 1, 0]
    assert table.loc["s3", ["title", "publisher", "language", "published"]].tolist() == ["Three", "Wiki", "el", "2022"]


def test_origin_summary_counts_sources_mentions_and_events_per_origin() -> None:
    _, mentions, sources = tiny_record()
    sources = sources.assign(origin=["nato", "nato", "reference"])
    table = origin_summary(mentions, sources)
    # nato (s1, s2) states a, b and c, and alone states a and c; reference (s3) states b, which nato also states
    assert table.index.tolist() == ["nato", "reference"]
    assert table.loc["nato"].tolist() == [2, 5, 3, 2]
    assert table.loc["reference"].tolist() == [1, 1, 1, 0]
    assert table.columns.tolist() == ["sources", "mentions", "events stated", "events no other origin states"]


def test_plot_events_per_year_by_scope_splits_index_scopes_from_the_others() -> None:
    phases = pd.DataFrame({"label": ["one"], "start": pd.to_datetime(["2000-01-01"]), "end": [pd.NaT]})
    events = pd.DataFrame({
        "event_id": ["a", "b", "c"], "score": [2.0, -5.0, 0.0], "in_index": [True, True, False],
        "start": pd.to_datetime(["2000-03-01", "2001-05-01", "2001-06-01"]),
        "last_day": pd.to_datetime(["2000-03-01", "2001-05-01", "2001-06-01"]),
    })
    fig, (index_ax, other_ax) = plot_events_per_year_by_scope(events, phases, title="t")
    heights = lambda ax: sorted(round(bar.get_height()) for bars in ax.containers for bar in bars if bar.get_height() > 0)  # noqa: E731
    assert heights(index_ax) == [1, 1] and heights(other_ax) == [1]
    assert any("to 1 Jun" in text.get_text() for text in index_ax.texts)  # 2001 is covered only in part
    plt.close(fig)


def test_date_conflicts_list_every_source_of_a_conflicting_event() -> None:
    events, mentions, _ = tiny_record()
    table = date_conflicts(mentions, events)
    # event a: 2002-2008 (ends 31 Dec 2008) against 2011 (starts 1 Jan 2011): no day in common,
    # 1 + 365 + 365 = 731 days apart. Event b differs only in precision and is not listed.
    assert table["event"].tolist() == ["Event A", "Event A"]
    assert table["source"].tolist() == ["s1", "s2"]
    assert table["date as given"].tolist() == ["under 2002-2008", "2011"]
    assert table["coded as"].tolist() == ["2002–2008", "2011"]
    assert table["gap (days)"].tolist() == [731, 731]


def test_mention_notes_cover_the_events_with_enough_sources() -> None:
    events, mentions, _ = tiny_record()
    table = mention_notes(mentions, events, min_sources=3)
    assert table["event"].tolist() == ["Event B"] * 3
    assert table["source"].tolist() == ["s1", "s2", "s3"]
    assert table["note"].tolist() == ["", "Only the year.", ""]
    two = mention_notes(mentions, events, min_sources=2)
    # ordered by event date: B (1997) before A (2002)
    assert two["event"].tolist() == ["Event B"] * 3 + ["Event A"] * 2


def test_append_csv_rows_follows_the_header_and_returns_the_row_number(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text("id,name,note\n1,first,\n", encoding="utf-8")
    assert append_csv_rows(path, [{"name": "second, with a comma", "id": "2"}]) == 3
    assert path.read_text(encoding="utf-8") == 'id,name,note\n1,first,\n2,"second, with a comma",\n'
    with pytest.raises(ValueError, match="no column colour"):
        append_csv_rows(path, [{"id": "3", "colour": "red"}])


def test_append_csv_rows_starts_a_new_line_after_a_file_without_one(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text("id,name\n1,first", encoding="utf-8")
    assert append_csv_rows(path, [{"id": "2", "name": "second"}]) == 3
    assert path.read_text(encoding="utf-8") == "id,name\n1,first\n2,second\n"


def test_without_folder_names_files_only(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    message = f"events.csv: file not found in {folder}; see {folder}/events.csv"
    assert without_folder(message, folder) == "events.csv: file not found in .; see events.csv"
    assert str(tmp_path) not in without_folder(message, folder, replacement="<copy>/")


def test_adding_a_valid_then_a_broken_event_to_a_copy(tmp_path: Path) -> None:
    copy = copy_record(tmp_path / "data")
    shipped = validate(copy)
    event = {"event_id": "2022-12-worked-example", "date": "2022-12", "date_basis": "stated", "title": "Example",
             "summary": "Not an event.", "kind": "meeting", "actor": "NATO-Russia Council", "target": "NATO-Russia Council",
             "scope": "nato_russia", "certainty": "established", "turning_point": "false"}
    mention = {"event_id": "2022-12-worked-example", "source_id": shipped.sources.sort_values("published")["source_id"].iloc[-1],
               "locator": "example", "date_as_given": "December 2022", "date_given": "2022-12"}
    row = append_csv_rows(copy / "events.csv", [event])
    append_csv_rows(copy / "mentions.csv", [mention])
    grown = validate(copy)
    assert row == len(shipped.events) + 2  # header + existing rows + the new one
    assert (len(grown.events), len(grown.mentions)) == (len(shipped.events) + 1, len(shipped.mentions) + 1)

    broken = event | {"event_id": "1997-05-05-broken", "date": "5 May 1997", "kind": "handshake"}
    broken_row = append_csv_rows(copy / "events.csv", [broken])
    append_csv_rows(copy / "mentions.csv", [mention | {"event_id": "1997-05-05-broken"}])
    with pytest.raises(DataValidationError) as caught:
        validate(copy)
    places = {(problem.file, problem.row, problem.column) for problem in caught.value.problems}
    assert {("events.csv", broken_row, "date"), ("events.csv", broken_row, "kind")} <= places
    assert str(tmp_path) not in without_folder(str(caught.value), copy)
