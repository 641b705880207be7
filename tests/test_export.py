"""The TimelineJS export (nato_russia.export) against the TimelineJS3 JSON format, and the committed file.

Format (Knight Lab, https://timeline.knightlab.com/docs/json-format.html): a JSON object with ``events`` (required,
a list of slides), ``title`` (a slide without a start date) and ``eras``. A slide needs ``start_date`` (except the
title slide) and may have ``end_date``, ``text`` {``headline``, ``text``}, ``group``, ``unique_id``. A date object
needs ``year`` and may have ``month``, ``day``, ...; its values are numbers (the format's own examples also write
them as strings of digits). An era needs ``start_date`` and ``end_date`` and may have ``text``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from conftest import DATA

from nato_russia import export, load
from nato_russia.export import timeline_date

TOP_LEVEL_KEYS = {"events", "title", "eras", "scale"}
SLIDE_KEYS = {"start_date", "end_date", "text", "media", "group", "display_date", "background", "autolink",
              "unique_id"}
DATE_KEYS = {"year", "month", "day", "hour", "minute", "second", "millisecond", "display_date", "format"}
DATE_RANGES = {"year": (-271821, 275760), "month": (1, 12), "day": (1, 31)}
PRECISION_PARTS = {"year": ["year"], "month": ["year", "month"], "day": ["year", "month", "day"]}


@pytest.fixture(scope="module")
def record():
    return load()


@pytest.fixture(scope="module")
def exported(record):
    return json.loads(export.render(record))


def as_int(value) -> int:
    """A date field as the format allows it: an integer, or a string of digits."""
    if isinstance(value, str):
        assert value.lstrip("-").isdigit(), f"date field {value!r} is not a whole number"
        return int(value)
    assert isinstance(value, int) and not isinstance(value, bool), f"date field {value!r} is not a whole number"
    return value


def check_date(date: dict) -> pd.Timestamp:
    """Check a date object and return its first day."""
    assert isinstance(date, dict) and "year" in date, date
    assert set(date) <= DATE_KEYS, set(date) - DATE_KEYS
    values = {}
    for name in ("year", "month", "day"):
        if name in date:
            values[name] = as_int(date[name])
            low, high = DATE_RANGES[name]
            assert low <= values[name] <= high, date
    assert not ("day" in date and "month" not in date), f"a day without a month: {date}"
    return pd.Timestamp(year=values["year"], month=values.get("month", 1), day=values.get("day", 1))


def test_timeline_date_keeps_the_precision_of_the_text():
    assert timeline_date("1999") == {"year": 1999}
    assert timeline_date("2014-03") == {"year": 2014, "month": 3}
    assert timeline_date("1997-05-27") == {"year": 1997, "month": 5, "day": 27}
    with pytest.raises(ValueError, match="YYYY"):
        timeline_date("May 1997")


def test_top_level_follows_the_format(exported):
    assert set(exported) <= TOP_LEVEL_KEYS
    assert isinstance(exported["events"], list) and exported["events"]
    title = exported["title"]
    assert "start_date" not in title
    assert title["text"]["headline"] and title["text"]["text"]


def test_every_slide_has_the_required_keys_and_valid_dates(exported):
    for slide in exported["events"]:
        assert set(slide) <= SLIDE_KEYS, set(slide) - SLIDE_KEYS
        start = check_date(slide["start_date"])
        if "end_date" in slide:
            assert check_date(slide["end_date"]) >= start, slide["unique_id"]
        assert slide["text"]["headline"] and slide["text"]["text"]
        assert isinstance(slide["group"], str) and slide["group"]
        assert isinstance(slide["unique_id"], str)


def test_one_slide_per_event_with_its_id_title_and_phase(record, exported):
    events = record.events.set_index("event_id")
    slides = {slide["unique_id"]: slide for slide in exported["events"]}
    assert len(slides) == len(exported["events"]) == len(events)
    assert set(slides) == set(events.index)
    labels = dict(zip(record.phases["phase_id"], record.phases["label"]))
    for event_id, slide in slides.items():
        event = events.loc[event_id]
        assert slide["group"] == labels[event["phase_id"]]
        assert slide["text"]["headline"].replace("&amp;", "&") == event["title"]


def test_dates_are_at_the_events_own_precision_never_more_precise(record, exported):
    events = record.events.set_index("event_id")
    for slide in exported["events"]:
        event = events.loc[slide["unique_id"]]
        date_parts = [name for name in ("year", "month", "day") if name in slide["start_date"]]
        assert date_parts == PRECISION_PARTS[event["precision"]], slide["unique_id"]
        assert check_date(slide["start_date"]) == event["start"]
        if pd.isna(event["end_date"]):
            assert "end_date" not in slide
        else:
            end_parts = [name for name in ("year", "month", "day") if name in slide["end_date"]]
            assert end_parts == PRECISION_PARTS[event["end_precision"]], slide["unique_id"]


@pytest.mark.parametrize("date, parts", [("2014-03", ["year", "month"]), ("1999", ["year"])])
def test_examples_of_month_and_year_precision(record, exported, date, parts):
    ids = set(record.events.loc[record.events["date"] == date, "event_id"])
    assert ids, f"the record has no event dated {date}"
    for slide in exported["events"]:
        if slide["unique_id"] in ids:
            assert sorted(slide["start_date"]) == sorted(parts), slide


def test_text_holds_the_summary_and_every_source_that_states_the_event(record, exported):
    titles = record.sources.set_index("source_id")["title_en"]
    stated = record.mentions.groupby("event_id")["source_id"].apply(list)
    summaries = record.events.set_index("event_id")["summary"]
    for slide in exported["events"]:
        text = slide["text"]["text"].replace("&amp;", "&")
        assert summaries[slide["unique_id"]] in text
        for source_id in stated[slide["unique_id"]]:
            assert titles[source_id] in text, (slide["unique_id"], source_id)


def test_events_are_in_date_order(exported):
    starts = [check_date(slide["start_date"]) for slide in exported["events"]]
    assert starts == sorted(starts)


def test_eras_are_the_phases_contiguous_and_the_last_ends_at_the_latest_event(record, exported):
    eras = exported["eras"]
    phases = record.phases.sort_values("start")
    assert [era["text"]["headline"] for era in eras] == phases["label"].tolist()
    starts = [check_date(era["start_date"]) for era in eras]
    ends = [check_date(era["end_date"]) for era in eras]
    assert starts == phases["start"].tolist()
    for end, next_start in zip(ends, starts[1:]):
        assert next_start == end + pd.Timedelta(days=1), "eras must be contiguous"
    assert all(start <= end for start, end in zip(starts, ends))
    assert ends[-1] == record.events["last_day"].max()
    assert "continues" in exported["title"]["text"]["text"]


def test_render_is_deterministic_and_formatted(record):
    text = export.render(record)
    assert text == export.render(record)
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "\\u" not in text  # ensure_ascii=False: characters kept as they are
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_committed_file_equals_a_fresh_export(record):
    committed = DATA / export.EXPORT_PATH
    assert committed.is_file(), "run: python -m nato_russia export"
    assert committed.read_text(encoding="utf-8") == export.render(record), (
        "data/exports/timeline.json is out of date; run: python -m nato_russia export"
    )


def test_cli_writes_into_a_data_copy_and_checks_it(minimal):
    def run(*arguments):
        return subprocess.run([sys.executable, "-m", "nato_russia", "export", *arguments, str(minimal)],
                              capture_output=True, text=True, encoding="utf-8", timeout=120)

    assert run("--check").returncode == 1
    written = run()
    assert written.returncode == 0, written.stderr
    path = minimal / export.EXPORT_PATH
    assert json.loads(path.read_text(encoding="utf-8"))["events"]
    assert run("--check").returncode == 0
