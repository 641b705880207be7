"""The loader: tables, dtypes, derived columns, phase assignment, score joining, where the data are."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
from conftest import DATAPACKAGE, copy_dataset, set_cell

from nato_russia import DataValidationError, Record, assign_phases, join_event_kinds, load, loading
from nato_russia.dates import DATETIME, PRECISION
from nato_russia.loading import earliest_dates

DESCRIPTOR = json.loads(DATAPACKAGE.read_text(encoding="utf-8"))
TYPES = {
    resource["name"]: {field["name"]: field.get("type", "string") for field in resource["schema"]["fields"]}
    for resource in DESCRIPTOR["resources"]
}
DERIVED = {
    "events": {
        "start": DATETIME, "precision": PRECISION, "end": DATETIME, "end_precision": PRECISION,
        "last_day": DATETIME, "earliest": DATETIME, "score": "int64", "escalation": "bool", "in_index": "bool",
        "side": "str",
    },
    "sources": {"group": "str"},
    "indicators": {
        "start": DATETIME, "precision": PRECISION, "end": DATETIME, "end_precision": PRECISION, "last_day": DATETIME,
    },
    "phases": {"start": DATETIME, "end": DATETIME},
    "cooperation_areas": {"start": DATETIME, "start_precision": PRECISION, "end": DATETIME, "end_precision": PRECISION},
}
STORED_DTYPES = {"string": "str", "boolean": "bool", "integer": "int64", "number": "float64"}


@pytest.fixture(params=["minimal", "shipped"])
def record(request, tmp_path) -> Record:
    return load(copy_dataset(request.param, tmp_path / "data"))


def test_tables_in_datapackage_order(record):
    names = [resource["name"] for resource in DESCRIPTOR["resources"]]
    assert list(record.tables()) == names
    assert [field.name for field in dataclasses.fields(Record)] == names
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.events = record.events


def test_dtypes(record):
    for name, frame in record.tables().items():
        assert isinstance(frame.index, pd.RangeIndex), name
        for column, dtype in frame.dtypes.items():
            if (name, column) == ("events", "phase_id"):
                continue
            expected = DERIVED.get(name, {}).get(column) or STORED_DTYPES[TYPES[name][column]]
            assert dtype == expected, f"{name}.{column}: {dtype} != {expected}"
        if name == "events":
            assert isinstance(frame["phase_id"].dtype, pd.CategoricalDtype) and frame["phase_id"].cat.ordered


def test_every_column_is_there(record):
    for name, frame in record.tables().items():
        assert list(frame.columns[: len(TYPES[name])]) == list(TYPES[name]) or name == "cooperation_areas"
        assert set(TYPES[name]) <= set(frame.columns)
    assert list(record.events.columns[len(TYPES["events"]):]) == [
        "start", "precision", "end", "end_precision", "last_day", "earliest", "phase_id", "score", "escalation",
        "in_index", "side",
    ]


def test_empty_cells_are_missing(record):
    events = record.events
    assert events["end_date"].isna().any() and not (events["end_date"] == "").any()
    for frame in record.tables().values():
        for column in frame.select_dtypes("str"):
            assert not (frame[column] == "").any()


def test_derived_dates(minimal):
    events = load(minimal).events.set_index("event_id")
    drill = events.loc["2002-05-joint-drill"]
    assert (drill["date"], drill["end_date"]) == ("2002-05", "2002-06")  # the text is kept
    assert drill["start"] == pd.Timestamp("2002-05-01") and drill["precision"] == "month"
    assert drill["end"] == pd.Timestamp("2002-06-01") and drill["end_precision"] == "month"
    assert drill["last_day"] == pd.Timestamp("2002-06-30")
    point = events.loc["2014-03-use-of-force"]
    assert pd.isna(point["end"]) and pd.isna(point["end_precision"]) and point["last_day"] == pd.Timestamp("2014-03-31")


def test_derived_dates_of_other_tables(minimal):
    record = load(minimal)
    areas = record.cooperation_areas.set_index("area_id")
    assert areas.loc["rescue_at_sea", "start"] == pd.Timestamp("2002-01-01")
    assert areas.loc["rescue_at_sea", "start_precision"] == "year"
    assert areas.loc["rescue_at_sea", "end"] == pd.Timestamp("2014-04-01")
    assert pd.isna(areas.loc["counter_narcotics", "start"])
    indicators = record.indicators.set_index("indicator_id")
    assert indicators.loc["trained_staff", "last_day"] == pd.Timestamp("2013-12-31")
    assert record.phases["end"].isna().tolist() == [False, False, True]


def test_phase_assignment_and_scores(minimal):
    events = load(minimal).events.set_index("event_id")
    assert events["phase_id"].astype(str).to_dict() == {
        "1997-05-27-first-charter": "early",
        "2002-05-joint-drill": "early",
        "2014-03-use-of-force": "rupture",
        "2014-04-01-cooperation-halted": "rupture",
    }
    assert list(events["phase_id"].cat.categories) == ["early", "strain", "rupture"]
    assert events["score"].to_dict() == {
        "1997-05-27-first-charter": 8, "2002-05-joint-drill": 6, "2014-03-use-of-force": -10,
        "2014-04-01-cooperation-halted": -5,
    }
    assert events["escalation"].tolist() == [False, False, True, True]


def test_score_comes_from_the_kind(record):
    joined = record.events.merge(record.event_kinds, on="kind", suffixes=("", "_of_kind"))
    assert len(joined) == len(record.events)
    assert (joined["score"] == joined["score_of_kind"]).all()
    assert (joined["escalation"] == joined["escalation_of_kind"]).all()


def test_every_event_in_its_phase(record):
    phases = record.phases.set_index("phase_id")
    events = record.events
    start = events["phase_id"].map(phases["start"]).astype(DATETIME)
    end = events["phase_id"].map(phases["end"]).astype(DATETIME)
    assert events["phase_id"].notna().all()
    assert ((start <= events["earliest"]) & (end.isna() | (events["earliest"] <= end))).all()


def test_a_response_is_never_placed_before_its_trigger(record):
    """Sanctions dated only to February 2022 answer the invasion of 24 February 2022: same phase."""
    events = record.events.set_index("event_id")
    responses = events.dropna(subset=["responds_to"])
    trigger_earliest = responses["responds_to"].map(events["earliest"])
    assert (responses["earliest"] >= trigger_earliest).all()
    assert (events["earliest"] >= events["start"]).all() and (events["earliest"] <= events["last_day"]).all()
    if "2022-02-allies-impose-sanctions" in events.index:  # the shipped record
        sanctions, invasion = events.loc["2022-02-allies-impose-sanctions"], events.loc["2022-02-24-full-scale-invasion"]
        assert sanctions["start"] < invasion["start"], "the sanctions' own date starts before the invasion"
        assert sanctions["phase_id"] == invasion["phase_id"]


def test_earliest_dates_follow_chains():
    """a (2008-08-10) <- b (2008, so from 1 January) <- c (2008-05): b cannot precede a, c cannot precede b."""
    events = pd.DataFrame({
        "event_id": ["a", "b", "c", "d"],
        "responds_to": [None, "a", "b", None],
        "start": pd.to_datetime(["2008-08-10", "2008-01-01", "2008-05-01", "2001-01-01"]).astype(DATETIME),
    })
    assert earliest_dates(events).dt.strftime("%Y-%m-%d").tolist() == ["2008-08-10", "2008-08-10", "2008-08-10", "2001-01-01"]


def test_earliest_dates_end_on_a_cycle():
    events = pd.DataFrame({
        "event_id": ["a", "b"], "responds_to": ["b", "a"],
        "start": pd.to_datetime(["2001-01-01", "2001-03-01"]).astype(DATETIME),
    })
    assert earliest_dates(events).dt.strftime("%Y-%m-%d").tolist() == ["2001-03-01", "2001-03-01"]


def reference_earliest_dates(events: pd.DataFrame) -> pd.Series:
    """earliest_dates as it was first written: each pass looks every trigger up by its text id."""
    start = events["start"]
    first = ~events["event_id"].duplicated()
    earliest = start
    for _ in range(len(events) + 1):
        lookup = pd.Series(earliest[first].to_numpy(), index=events.loc[first, "event_id"].to_numpy())
        updated = start.where(~(events["responds_to"].map(lookup) > start), events["responds_to"].map(lookup))
        updated = updated.astype(DATETIME)
        if updated.equals(earliest):
            break
        earliest = updated
    return earliest.rename("earliest")


def test_earliest_dates_give_the_days_of_the_first_written_version():
    rng = np.random.default_rng(5)
    for case in range(100):
        size = int(rng.integers(1, 40))
        ids = np.array([f"e{number}" for number in rng.integers(0, size + 3, size)], dtype=object)  # some repeated
        responds = np.where(rng.random(size) < 0.5, rng.choice(np.append(ids, ["nowhere", None]), size), None)
        start = pd.Series(pd.Timestamp("2000-01-01") + pd.to_timedelta(rng.integers(0, 900, size), "D"))
        start[rng.random(size) < 0.1] = pd.NaT
        events = pd.DataFrame({"event_id": pd.Series(ids, dtype="str"), "responds_to": pd.Series(responds, dtype="str"),
                               "start": start.astype(DATETIME)}, index=rng.permutation(size) + 3)
        pd.testing.assert_series_equal(earliest_dates(events), reference_earliest_dates(events), obj=f"case {case}")


def test_assign_phases():
    phases = pd.DataFrame({
        "phase_id": ["b", "a", "c"],
        "start": pd.to_datetime(["2000-01-01", "1990-01-01", "2010-01-01"]),
        "end": pd.to_datetime(["2009-12-31", "1999-12-31", None]),
    })
    starts = pd.Series(pd.to_datetime(["1989-12-31", "1990-01-01", "1999-12-31", "2000-01-01", "2009-12-31",
                                       "2010-01-01", "2030-05-05", None]))
    assigned = assign_phases(starts, phases)
    assert assigned.astype(object).where(assigned.notna(), None).tolist() == [None, "a", "a", "b", "b", "c", "c", None]
    assert list(assigned.cat.categories) == ["a", "b", "c"]


def test_assign_phases_gap_is_missing():
    phases = pd.DataFrame({"phase_id": ["a", "b"], "start": pd.to_datetime(["1990-01-01", "2000-01-01"]),
                           "end": pd.to_datetime(["1995-12-31", None])})
    assert assign_phases(pd.Series(pd.to_datetime(["1997-01-01"])), phases).isna().all()


def test_join_event_kinds():
    kinds = pd.DataFrame({"kind": ["meeting", "sanctions"], "score": [2, -6], "escalation": [False, True]})
    joined = join_event_kinds(pd.Series(["sanctions", "meeting", "sanctions"]), kinds)
    assert joined["score"].tolist() == [-6, 2, -6] and joined["score"].dtype == "int64"
    assert joined["escalation"].tolist() == [True, False, True] and joined["escalation"].dtype == bool


def test_join_event_kinds_leaves_an_unknown_kind_missing():
    kinds = pd.DataFrame({"kind": ["meeting", "sanctions"], "score": [2, -6], "escalation": [False, True]})
    joined = join_event_kinds(pd.Series(["sanctions", "summit", None]), kinds)
    assert joined["score"].tolist()[0] == -6 and joined["score"].isna().tolist() == [False, True, True]
    assert joined["score"].dtype == "Int64" and joined["escalation"].dtype == "boolean"


def reference_record_shapes(raw: bytes):
    """_record_shapes as it was first written: each comma and line break placed among the quotes by bisection."""
    quote, comma, newline, carriage_return = (ord(char) for char in '",\n\r')
    data = np.frombuffer(raw, dtype=np.uint8)
    size = data.size
    quotes = np.flatnonzero(data == quote)
    newlines = np.flatnonzero(data == newline)
    commas = np.flatnonzero(data == comma)
    if quotes.size:
        before = np.where(quotes > 0, data[np.maximum(quotes - 1, 0)], newline)
        after = np.where(quotes < size - 1, data[np.minimum(quotes + 1, size - 1)], newline)
        structural = (
            (before == comma) | (before == newline) | (before == quote)
            | (after == comma) | (after == newline) | (after == carriage_return) | (after == quote)
        )
        quotes = quotes[structural]
        newlines = newlines[np.searchsorted(quotes, newlines) % 2 == 0]
        commas = commas[np.searchsorted(quotes, commas) % 2 == 0]
    records = newlines.size + (0 if size == 0 or data[-1] == newline else 1)
    starts = np.concatenate(([0], newlines + 1))[:records]
    stops = np.concatenate((newlines, [size]))[:records]
    fields_per_record = np.bincount(np.searchsorted(newlines, commas), minlength=records)[:records] + 1
    length = stops - starts
    length -= (length > 0) & (data[np.maximum(stops - 1, 0)] == carriage_return)
    return fields_per_record, length == 0, starts


def test_record_shapes_are_those_of_the_first_written_version():
    rng = np.random.default_rng(8)
    alphabet = np.frombuffer(b'ab,"\n\r, "x', dtype=np.uint8)
    for _ in range(3000):
        raw = bytes(rng.choice(alphabet, int(rng.integers(0, 60))).tolist())
        for found, expected in zip(loading._record_shapes(raw), reference_record_shapes(raw)):
            np.testing.assert_array_equal(found, expected, err_msg=repr(raw))


def test_data_dir_from_environment(minimal, monkeypatch):
    monkeypatch.setenv("NATO_RUSSIA_DATA", str(minimal))
    assert len(load().events) == 4


def test_data_dir_default_is_the_repository(monkeypatch):
    monkeypatch.delenv("NATO_RUSSIA_DATA", raising=False)
    assert loading.resolve_data_dir() == DATAPACKAGE.parent


def test_data_dir_not_found_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.delenv("NATO_RUSSIA_DATA", raising=False)
    monkeypatch.setattr(loading, "repository_data_dir", lambda: tmp_path)
    with pytest.raises(FileNotFoundError, match="NATO_RUSSIA_DATA"):
        load()


def test_missing_datapackage(tmp_path):
    with pytest.raises(DataValidationError, match="datapackage.json:-:-: not found"):
        load(tmp_path)


def test_validate_false_trusts_the_content_but_not_the_shape(minimal):
    set_cell(minimal, "events.csv", 2, "turning_point", "yes")
    events = load(minimal, validate=False).events
    assert pd.isna(events.loc[0, "turning_point"]) and events["turning_point"].dtype == "boolean"
    path = minimal / "events.csv"
    path.write_text(path.read_text(encoding="utf-8") + "only,three,fields\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="events.csv:6:-: row has 3 fields"):
        load(minimal, validate=False)


def test_repr_is_short(minimal):
    assert repr(load(minimal)).startswith("Record(events=4 rows, sources=2 rows")
