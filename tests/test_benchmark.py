"""The scaled copies of scripts/benchmark.py: valid records, the size asked for, links kept within each copy.

The benchmark itself only prints; nothing here measures or asserts a time.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from nato_russia import validate

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "benchmark.py"
DATA = Path(__file__).resolve().parents[1] / "data"


def benchmark_module():
    spec = importlib.util.spec_from_file_location("benchmark_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_scaled_copy_is_a_valid_record_of_that_many_events(tmp_path: Path) -> None:
    real = validate(DATA)
    copy = validate(benchmark_module().scaled_copy(DATA, tmp_path / "data", 3))
    assert len(copy.events) == 3 * len(real.events) and len(copy.mentions) == 3 * len(real.mentions)
    assert copy.events["event_id"].is_unique
    # a copy answers the copy of what its original answers, never the original itself
    responses = copy.events.dropna(subset=["responds_to"])
    third = responses[responses["event_id"].str.endswith("-copy3")]
    assert len(third) == real.events["responds_to"].notna().sum()
    assert third["responds_to"].str.endswith("-copy3").all()
    # the small tables are the real ones
    assert copy.sources.equals(real.sources) and copy.phases.equals(real.phases)
