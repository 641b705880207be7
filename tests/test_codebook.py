"""data/README.md is generated from datapackage.json and event_kinds.csv, and committed up to date."""

from __future__ import annotations

import csv
import json

import pytest
from conftest import DATA, DATAPACKAGE, copy_dataset

from nato_russia import codebook

README = DATA / "README.md"
DESCRIPTOR = json.loads(DATAPACKAGE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rendered() -> str:
    return codebook.render(DATA)


def test_committed_codebook_is_current(rendered):
    assert README.is_file(), "data/README.md is missing: run make"
    assert README.read_text(encoding="utf-8") == rendered, "data/README.md is stale: run make"


def test_rendering_is_reproducible(rendered):
    assert codebook.render(DATA) == rendered


def test_every_table_and_field_appears(rendered):
    for resource in DESCRIPTOR["resources"]:
        assert f"### {resource['name']} (`{resource['path']}`)" in rendered
        assert resource["description"] in rendered
        for field in resource["schema"]["fields"]:
            assert f"| `{field['name']}` | {field.get('type', 'string')} |" in rendered, field["name"]


def test_every_event_kind_appears(rendered):
    with (DATA / "event_kinds.csv").open(encoding="utf-8", newline="") as handle:
        kinds = list(csv.DictReader(handle))
    for kind in kinds:
        assert f"| `{kind['kind']}` | {int(kind['score']):+d} |" in rendered


def test_prose_parts(rendered):
    for heading in ("## Provenance", "## How to add an event", "## Error messages and row numbers", "## Licence"):
        assert heading in rendered
    assert "header as row 1" in rendered
    assert "python -m nato_russia validate" in rendered and "`make`" in rendered
    assert "never redistributes" in rendered
    assert "CC BY 4.0" in rendered and "https://creativecommons.org/licenses/by/4.0/" in rendered
    assert "/work/" not in rendered and "shared" not in rendered


def test_write_and_check(tmp_path):
    data_dir = copy_dataset("minimal", tmp_path / "data")
    assert not codebook.is_current(data_dir)
    path = codebook.write(data_dir)
    assert path == data_dir / "README.md" and codebook.is_current(data_dir)
    path.write_text(path.read_text(encoding="utf-8") + "\nhand edit\n", encoding="utf-8")
    assert not codebook.is_current(data_dir)
