"""The synthetic data of scripts/benchmark.py: valid for ``validate`` and of the size asked for.

The benchmark itself only prints; nothing here measures or asserts a time.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

from nato_russia import validate

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "benchmark.py"
DATA = Path(__file__).resolve().parents[1] / "data"


def _benchmark_module():
    name = "nato_russia_benchmark_script"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, SCRIPT)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look the module up while the class is being made
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="module")
def benchmark():
    return _benchmark_module()


@pytest.fixture(scope="module")
def real():
    return validate(DATA)


@pytest.fixture(scope="module")
def generated(benchmark, tmp_path_factory):
    return benchmark.generate_data(tmp_path_factory.mktemp("synthetic") / "data", 400)


def test_the_generated_data_pass_validation(generated, real):
    record = validate(generated)
    events = record.events
    assert len(events) == 400
    # the real record is kept whole: the small tables are the real ones, every real event is there
    assert set(real.events["event_id"]) <= set(events["event_id"])
    for name in ("sources", "event_kinds", "phases", "source_periods", "cooperation_areas", "channels", "glossary"):
        pd.testing.assert_frame_equal(getattr(record, name), getattr(real, name))


def test_the_synthetic_events_look_like_the_real_ones(generated, real):
    record = validate(generated)
    synthetic = record.events[~record.events["event_id"].isin(real.events["event_id"])]
    assert len(synthetic) == 400 - len(real.events)
    assert set(synthetic["precision"]) == {"day", "month", "year"}
    assert set(synthetic["date_basis"]) <= set(real.events["date_basis"])
    assert synthetic["kind"].nunique() > 5 and synthetic["actor"].nunique() > 3
    assert synthetic["responds_to"].notna().any()
    assert synthetic["end_date"].notna().any()
    # every event is stated by a real source
    mentioned = record.mentions["event_id"]
    assert synthetic["event_id"].isin(mentioned).all()
    assert set(record.mentions["source_id"]) <= set(real.sources["source_id"])
    # responses point back in time: the trigger starts no later than the response's last day
    starts = record.events.set_index("event_id")["start"]
    responses = synthetic.dropna(subset=["responds_to"])
    assert (responses["responds_to"].map(starts) <= responses["last_day"]).all()


@pytest.mark.parametrize("extra", [0, 150])  # synthetic events beyond the real ones (the record grows)
def test_sizes_scale_as_requested(benchmark, real, tmp_path, extra):
    size = len(real.events) + extra
    record = validate(benchmark.generate_data(tmp_path / "data", size))
    added = size - len(real.events)
    assert len(record.events) == size
    assert len(record.mentions) >= size
    expected_indicators = len(real.indicators) + round(len(real.indicators) * added / len(real.events))
    assert len(record.indicators) == expected_indicators


def test_the_same_seed_gives_the_same_files(benchmark, real, tmp_path):
    size = len(real.events) + 50
    first = benchmark.generate_data(tmp_path / "first", size, seed=3)
    second = benchmark.generate_data(tmp_path / "second", size, seed=3)
    for name in ("events.csv", "mentions.csv", "indicators.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_fewer_events_than_the_real_record_are_refused(benchmark, real, tmp_path):
    with pytest.raises(ValueError, match="at least"):
        benchmark.generate_data(tmp_path / "data", len(real.events) - 1)
