"""Broken copies of a valid dataset: each problem is reported at the right file, row and column."""

from __future__ import annotations

import json
from pathlib import Path

import frictionless
import pandas as pd
import pytest
from conftest import DATA, get_cell, read_rows, row_of, set_cell, write_rows

from nato_russia import DataValidationError, Problem, load, validate


def problems(data_dir: Path) -> list[str]:
    """Every problem validation reports, as ``file:row:column: message`` lines."""
    with pytest.raises(DataValidationError) as caught:
        validate(data_dir)
    lines = str(caught.value).splitlines()
    assert lines == [str(problem) for problem in caught.value.problems]
    assert all(isinstance(problem, Problem) for problem in caught.value.problems)
    return lines


def reported(lines: list[str], where: str, *words: str) -> str:
    """The line reported at ``where`` (``file:row:column:``) that contains every word; fails otherwise."""
    for line in lines:
        if line.startswith(where) and all(word in line for word in words):
            return line
    raise AssertionError(f"nothing reported at {where} with {words}; reported:\n" + "\n".join(lines))


# --- the shipped data ------------------------------------------------------------------------------


def test_shipped_data_validate():
    record = validate(DATA)
    assert len(record.events) > 0


def test_minimal_fixture_validates(minimal):
    record = validate(minimal)
    assert len(record.events) == 4


# --- dates -----------------------------------------------------------------------------------------


def test_bad_month(dataset):
    set_cell(dataset, "events.csv", 2, "date", "2014-13-01")
    line = reported(problems(dataset), "events.csv:2:date:", "month 13 does not exist", '"2014-13-01"')
    assert line.count("events.csv") == 1


def test_date_in_words(dataset):
    set_cell(dataset, "events.csv", 3, "date", "5 May 1997")
    reported(problems(dataset), "events.csv:3:date:", "expected a date as YYYY, YYYY-MM or YYYY-MM-DD", '"5 May 1997"')


def test_impossible_day(dataset):
    set_cell(dataset, "events.csv", 2, "date", "2014-02-30")
    reported(problems(dataset), "events.csv:2:date:", "day 30 does not exist", "February 2014 has 28 days")


def test_end_before_start(dataset):
    start = pd.Timestamp(get_cell(dataset, "events.csv", 2, "date"))
    set_cell(dataset, "events.csv", 2, "end_date", f"{start - pd.Timedelta(days=1):%Y-%m-%d}")
    reported(problems(dataset), "events.csv:2:end_date:", "expected end_date on or after date")


def test_date_before_1945_and_after_today(minimal):
    set_cell(minimal, "events.csv", 2, "date", "1932")
    set_cell(minimal, "indicators.csv", 3, "end_date", f"{pd.Timestamp.today().year + 2}")
    lines = problems(minimal)
    reported(lines, "events.csv:2:date:", "from 1945", '"1932"')
    reported(lines, "indicators.csv:3:end_date:", "not after today")


def test_area_end_before_start(minimal):
    set_cell(minimal, "cooperation_areas.csv", 2, "end", "2001-12")
    reported(problems(minimal), "cooperation_areas.csv:2:end:", "expected end on or after start", "(2002)")


def test_indicator_dates_and_values(minimal):
    set_cell(minimal, "indicators.csv", 2, "end_date", "2002-04")
    set_cell(minimal, "indicators.csv", 3, "value", "-3")
    set_cell(minimal, "indicators.csv", 2, "value", "INF")
    rows = read_rows(minimal / "indicators.csv")
    write_rows(minimal / "indicators.csv", rows + [["nan_value"] + rows[2][1:4] + ["NaN"] + rows[2][5:]])
    lines = problems(minimal)
    reported(lines, "indicators.csv:4:value:", "finite", '"NaN"')
    reported(lines, "indicators.csv:2:end_date:", "on or after date")
    reported(lines, "indicators.csv:3:value:", "at least 0", '"-3"')
    reported(lines, "indicators.csv:2:value:", "finite", '"INF"')


# --- the schema (pandera, built from datapackage.json) ----------------------------------------------


def test_unknown_kind(dataset):
    set_cell(dataset, "events.csv", 3, "kind", "no_such_kind")
    reported(problems(dataset), "events.csv:3:kind:", 'unknown kind "no_such_kind"', "event_kinds.csv")


def test_duplicate_id(dataset):
    first = get_cell(dataset, "events.csv", 2, "event_id")
    set_cell(dataset, "events.csv", 3, "event_id", first)
    line = reported(problems(dataset), "events.csv:3:event_id:", "duplicate event_id", "row 2 has it already")
    assert first in line


def test_duplicate_composite_key(minimal):
    rows = read_rows(minimal / "mentions.csv")
    write_rows(minimal / "mentions.csv", rows + [rows[1]])
    reported(problems(minimal), f"mentions.csv:{len(rows) + 1}:event_id,source_id:", "duplicate", "row 2 has it already")


def test_empty_title(dataset):
    set_cell(dataset, "events.csv", 2, "title", "")
    reported(problems(dataset), "events.csv:2:title:", "required", "empty")


def test_boolean_written_as_yes(dataset):
    set_cell(dataset, "events.csv", 2, "turning_point", "yes")
    reported(problems(dataset), "events.csv:2:turning_point:", 'expected a boolean, one of "true", "false"', '"yes"')


def test_enum_length_and_range(minimal):
    set_cell(minimal, "events.csv", 2, "actor", "Nato")
    set_cell(minimal, "events.csv", 3, "title", "x" * 121)
    set_cell(minimal, "event_kinds.csv", 2, "score", "11")
    set_cell(minimal, "event_kinds.csv", 3, "score", "six")
    set_cell(minimal, "sources.csv", 3, "url", "example.org/page")
    lines = problems(minimal)
    reported(lines, "events.csv:2:actor:", 'unknown party "Nato"', "parties.csv", 'did you mean "NATO"?')
    reported(lines, "events.csv:3:title:", "at most 120 characters", "found 121")
    reported(lines, "event_kinds.csv:2:score:", "at most 10", '"11"')
    reported(lines, "event_kinds.csv:3:score:", "whole number", '"six"')
    reported(lines, "sources.csv:3:url:", "web address")


def test_schema_is_built_from_datapackage(minimal):
    """Change the descriptor, not the data: validation follows."""
    path = minimal / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    events = next(resource for resource in descriptor["resources"] if resource["name"] == "events")
    certainty = next(field for field in events["schema"]["fields"] if field["name"] == "certainty")
    certainty["constraints"]["enum"].remove("established")
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    reported(problems(minimal), "events.csv:5:certainty:", 'found "established"')


# --- reading ---------------------------------------------------------------------------------------


def test_missing_column(dataset):
    rows = read_rows(dataset / "events.csv")
    position = rows[0].index("summary")
    write_rows(dataset / "events.csv", [row[:position] + row[position + 1:] for row in rows])
    lines = problems(dataset)
    reported(lines, "events.csv:1:summary:", "missing from the header")
    # The other columns are still checked, and the missing one is not reported on every row.
    assert not any(line.startswith("events.csv:2:summary:") for line in lines)


def test_unknown_and_duplicated_column(minimal):
    rows = read_rows(minimal / "glossary.csv")
    write_rows(minimal / "glossary.csv", [row + [row[1], "x"] for row in rows[:1]] + [row + ["a", "b"] for row in rows[1:]])
    rows = read_rows(minimal / "glossary.csv")
    rows[0][-1] = "colour"
    write_rows(minimal / "glossary.csv", rows)
    lines = problems(minimal)
    reported(lines, "glossary.csv:1:category:", "appears 2 times")
    reported(lines, "glossary.csv:1:colour:", 'unknown column "colour"')


def test_short_row(dataset):
    rows = read_rows(dataset / "events.csv")
    rows[2] = rows[2][:-1]
    write_rows(dataset / "events.csv", rows)
    reported(problems(dataset), "events.csv:3:-:", f"row has {len(rows[0]) - 1} fields, expected {len(rows[0])}")


def test_long_row(dataset):
    rows = read_rows(dataset / "events.csv")
    rows[2] = rows[2] + ["extra"]
    write_rows(dataset / "events.csv", rows)
    reported(problems(dataset), "events.csv:3:-:", f"row has {len(rows[0]) + 1} fields", "double quotes")


def test_empty_line(minimal):
    path = minimal / "sources.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(lines[0] + "\n" + "".join(lines[1:]), encoding="utf-8")
    reported(problems(minimal), "sources.csv:2:-:", "empty line")


def test_not_utf8(dataset):
    set_cell(dataset, "events.csv", 3, "title", "Caf@@")
    path = dataset / "events.csv"
    path.write_bytes(path.read_bytes().replace(b"Caf@@", "Café".encode("latin-1")))
    reported(problems(dataset), "events.csv:3:-:", "not UTF-8", "0xE9")


def test_byte_order_mark_accepted(minimal):
    path = minimal / "events.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(validate(minimal).events) == 4


def test_row_numbers_count_records_not_lines(minimal):
    """A quoted field with a line break is one row: the row after it keeps its record number."""
    set_cell(minimal, "events.csv", 2, "summary", "First line.\nSecond line.")
    set_cell(minimal, "events.csv", 3, "kind", "no_such_kind")
    reported(problems(minimal), "events.csv:3:kind:", "unknown kind")


def test_wrong_delimiter(dataset):
    rows = read_rows(dataset / "events.csv")
    write_rows(dataset / "events.csv", rows, delimiter=";")
    reported(problems(dataset), "events.csv:1:-:", "semicolon-separated")


def test_tab_delimiter(minimal):
    write_rows(minimal / "glossary.csv", read_rows(minimal / "glossary.csv"), delimiter="\t")
    reported(problems(minimal), "glossary.csv:1:-:", "tab-separated")


def test_missing_file(minimal):
    (minimal / "glossary.csv").unlink()
    reported(problems(minimal), "glossary.csv:-:-:", "file not found")


# --- foreign keys ------------------------------------------------------------------------------------


def test_mention_of_missing_event(dataset):
    set_cell(dataset, "mentions.csv", 2, "event_id", "1990-01-01-no-such-event")
    reported(problems(dataset), "mentions.csv:2:event_id:", 'unknown event_id "1990-01-01-no-such-event"', "events.csv")


def test_unknown_source(dataset):
    set_cell(dataset, "mentions.csv", 2, "source_id", "no-such-source")
    reported(problems(dataset), "mentions.csv:2:source_id:", 'unknown source_id "no-such-source"', "sources.csv")


def test_unknown_area(dataset):
    set_cell(dataset, "events.csv", 2, "cooperation_area", "no_such_area")
    reported(problems(dataset), "events.csv:2:cooperation_area:", 'unknown area_id "no_such_area"')


def test_suggests_a_close_match(minimal):
    set_cell(minimal, "events.csv", 2, "kind", "agreement_sined")
    reported(problems(minimal), "events.csv:2:kind:", 'did you mean "agreement_signed"?')


# --- across tables -----------------------------------------------------------------------------------


def test_event_no_source_mentions(dataset):
    event_id = get_cell(dataset, "events.csv", 2, "event_id")
    rows = read_rows(dataset / "mentions.csv")
    position = rows[0].index("event_id")
    write_rows(dataset / "mentions.csv", [row for row in rows if row[position] != event_id])
    reported(problems(dataset), "events.csv:2:event_id:", "no source states event", "mentions.csv")


def _phase_end(data_dir: Path, row: int) -> pd.Timestamp:
    return pd.Timestamp(get_cell(data_dir, "phases.csv", row, "end"))


def test_overlapping_phases(dataset):
    overlap = _phase_end(dataset, 2) - pd.Timedelta(days=3)
    set_cell(dataset, "phases.csv", 3, "start", f"{overlap:%Y-%m-%d}")
    reported(problems(dataset), "phases.csv:3:start:", "overlaps the phase in row 2")


def test_gap_between_phases(dataset):
    late = _phase_end(dataset, 2) + pd.Timedelta(days=10)
    set_cell(dataset, "phases.csv", 3, "start", f"{late:%Y-%m-%d}")
    reported(problems(dataset), "phases.csv:3:start:", "gap after the phase in row 2")


def test_phases_out_of_order_and_open_end(minimal):
    rows = read_rows(minimal / "phases.csv")
    write_rows(minimal / "phases.csv", [rows[0], rows[2], rows[1], rows[3]])
    lines = problems(minimal)
    reported(lines, "phases.csv:3:start:", "date order")
    set_cell(minimal, "phases.csv", 2, "end", "")
    reported(problems(minimal), "phases.csv:2:end:", "only the last phase may have an empty end")


def test_phase_starts_with_its_event(minimal):
    set_cell(minimal, "phases.csv", 4, "start_event_id", "2014-04-01-cooperation-halted")
    reported(problems(minimal), "phases.csv:4:start:", "2014-04-01", "found 2014-03-01")


def test_event_outside_phases(minimal):
    set_cell(minimal, "phases.csv", 2, "start", "2000-01-01")
    reported(problems(minimal), "events.csv:2:date:", "inside one of the phases")


def test_responds_to_later_event(dataset):
    record = load(dataset)
    earliest, latest = record.events["start"].idxmin(), record.events["start"].idxmax()
    assert record.events.at[latest, "start"] > record.events.at[earliest, "last_day"]
    set_cell(dataset, "events.csv", earliest + 2, "responds_to", record.events.at[latest, "event_id"])
    reported(problems(dataset), f"events.csv:{earliest + 2}:responds_to:", "not later than this one")


def test_responds_to_itself(minimal):
    set_cell(minimal, "events.csv", 5, "responds_to", "2014-04-01-cooperation-halted")
    reported(problems(minimal), "events.csv:5:responds_to:", "cannot respond to itself")


def test_channel_closed_before_opened(minimal):
    set_cell(minimal, "channels.csv", 2, "closed_event_id", "1997-05-27-first-charter")
    set_cell(minimal, "channels.csv", 2, "opened_event_id", "2002-05-joint-drill")
    reported(problems(minimal), "channels.csv:2:closed_event_id:", "not before the opening event")


# --- all at once -------------------------------------------------------------------------------------


def test_several_problems_all_reported(dataset):
    set_cell(dataset, "events.csv", 2, "date", "2014-13-01")
    set_cell(dataset, "events.csv", 4, "turning_point", "yes")
    set_cell(dataset, "mentions.csv", 3, "source_id", "no-such-source")
    set_cell(dataset, "phases.csv", 2, "label", "")
    lines = problems(dataset)
    reported(lines, "events.csv:2:date:", "month 13")
    reported(lines, "events.csv:4:turning_point:", '"yes"')
    reported(lines, "mentions.csv:3:source_id:", "no-such-source")
    reported(lines, "phases.csv:2:label:", "required")
    files = [line.split(":")[0] for line in lines]
    assert files.index("events.csv") < files.index("mentions.csv") < files.index("phases.csv")


def test_minimal_broken_copy_reports_exactly(minimal):
    """On the minimal data a single edit gives a single, exact line."""
    set_cell(minimal, "events.csv", 3, "date", "5 May 1997")
    assert problems(minimal) == [
        'events.csv:3:date: expected a date as YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1997, 1997-05 or 1997-05-27); '
        'found "5 May 1997"'
    ]


def test_frictionless_validates_the_shipped_package():
    """An independent check: frictionless reads datapackage.json and validates every table against it."""
    report = frictionless.validate(str(DATA / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])


def test_frictionless_agrees_on_the_minimal_fixture(minimal):
    report = frictionless.validate(str(minimal / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])


# --- dates against the mentions that give them --------------------------------------------------------


def test_event_dated_more_precisely_than_its_sources(dataset):
    """A stated date must be one a source gives: adding a day to a month-precision date is caught."""
    record = load(dataset)
    stated_months = record.events[(record.events["date_basis"] == "stated") & (record.events["precision"] == "month")]
    row = row_of(dataset, "events.csv", "event_id", stated_months["event_id"].iloc[0])
    month = get_cell(dataset, "events.csv", row, "date")
    set_cell(dataset, "events.csv", row, "date", f"{month}-15")
    line = reported(problems(dataset), f"events.csv:{row}:date:", '"stated"', "should give this date", f'"{month}-15"')
    assert f"mentions give: {month}" in line


def test_context_date_that_a_source_gives(minimal):
    """date_basis 'context' means no source gives the date; if one does, the basis is wrong."""
    set_cell(minimal, "events.csv", 5, "date_basis", "context")
    reported(problems(minimal), "events.csv:5:date_basis:", 'expected "stated"', "2014-04-01")


def test_a_date_no_mention_gives_is_reported_with_repeated_event_ids_too():
    """The check of date_basis looks each mention's event up by its id; with an id given twice (itself an
    error) it joins on id and date instead, and reports the same."""
    from nato_russia.loading import read_text_table
    from nato_russia.schema import read_package
    from nato_russia.validation import TextTable, date_basis_problems

    folder = DATA
    package = read_package(folder / "datapackage.json")
    events, _ = read_text_table(folder, package.table("events"))
    mentions, _ = read_text_table(folder, package.table("mentions"))
    frame = events.frame.copy()
    stated = frame.index[frame["date_basis"].isin(["stated", "section_period"])][:3]
    frame.loc[stated, "date"] = "1946"  # no mention gives 1946
    unique = TextTable(spec=events.spec, frame=frame, well_formed=events.well_formed, missing_columns=frozenset())
    repeated_frame = pd.concat([frame, frame.iloc[[5]]])
    repeated_frame.index = pd.RangeIndex(2, len(repeated_frame) + 2, name="row")
    repeated = TextTable(spec=events.spec, frame=repeated_frame,
                         well_formed=pd.Series(True, index=repeated_frame.index), missing_columns=frozenset())
    found = date_basis_problems(unique, mentions)
    assert [problem.row for problem in found] == list(stated)
    assert date_basis_problems(repeated, mentions)[:3] == found


# --- certainty, attribution, scope, target and origin -----------------------------------------------------------


def test_a_turning_point_must_be_established(minimal):
    set_cell(minimal, "events.csv", 4, "certainty", "reported")  # the use of force, a turning point
    reported(problems(minimal), "events.csv:4:turning_point:", "only an established event may be a turning point",
             '"reported"')


def test_an_attribution_names_who_and_when_not_before_the_act(minimal):
    set_cell(minimal, "events.csv", 4, "attributed_by", "A court")
    lines = problems(minimal)
    reported(lines, "events.csv:4:attribution_date:", "expected the date on which attributed_by named the author")
    set_cell(minimal, "events.csv", 4, "attributed_by", "")
    set_cell(minimal, "events.csv", 4, "attribution_date", "2015")
    reported(problems(minimal), "events.csv:4:attributed_by:", "expected who named the author")
    set_cell(minimal, "events.csv", 4, "attributed_by", "A court")
    set_cell(minimal, "events.csv", 4, "attribution_date", "2013-12")
    reported(problems(minimal), "events.csv:4:attribution_date:", "not before the act it attributes (2014-03)",
             '"2013-12"')


def test_an_unattributed_act_has_no_attribution(minimal):
    set_cell(minimal, "events.csv", 4, "actor", "unattributed")
    set_cell(minimal, "events.csv", 4, "attributed_by", "A government")
    set_cell(minimal, "events.csv", 4, "attribution_date", "2015")
    reported(problems(minimal), "events.csv:4:attributed_by:", "an unattributed act has no attribution", '"A government"')


def test_scope_target_certainty_and_origin_come_from_the_codebook(minimal):
    set_cell(minimal, "events.csv", 2, "scope", "bilateral")
    set_cell(minimal, "events.csv", 3, "target", "Kyiv")
    set_cell(minimal, "events.csv", 5, "certainty", "likely")
    set_cell(minimal, "sources.csv", 2, "origin", "government")
    lines = problems(minimal)
    reported(lines, "events.csv:2:scope:", 'unknown scope "bilateral"', "scopes.csv")
    reported(lines, "events.csv:3:target:", 'unknown party "Kyiv"', "parties.csv")
    reported(lines, "events.csv:5:certainty:", '"established"', 'found "likely"')
    reported(lines, "sources.csv:2:origin:", 'unknown origin "government"', "origins.csv")


def test_a_source_cannot_state_an_event_after_its_publication(minimal):
    set_cell(minimal, "sources.csv", 3, "published", "2002-05")
    line = reported(problems(minimal), "mentions.csv:", "was published (2002-05) before event", "2014-03-use-of-force")
    assert ":source_id:" in line


def test_required_new_columns(minimal):
    set_cell(minimal, "events.csv", 2, "target", "")
    set_cell(minimal, "events.csv", 3, "scope", "")
    set_cell(minimal, "sources.csv", 3, "origin", "")
    lines = problems(minimal)
    reported(lines, "events.csv:2:target:", "required")
    reported(lines, "events.csv:3:scope:", "required")
    reported(lines, "sources.csv:3:origin:", "required")
