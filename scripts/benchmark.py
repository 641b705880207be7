#!/usr/bin/env python
"""How long the collection takes, and how its cost grows with the record (``make bench``).

Prints one table and asserts nothing:

1. the collection re-run as ``make`` runs it (the same runner, two notebooks at a time, on a temporary copy of
   the repository, so the working tree is not touched), against its floor measured in the same run: as many
   bare notebooks run the same way, each importing pandas and matplotlib and nothing else;
2. the unit tests' wall time (``pytest tests``, in a fresh process);
3. load + validate + the analyses and figure layouts the chapters use, on the real record and on copies of it
   scaled 3x and 10x (every event and its mentions repeated under new ids), in a fresh process each.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR_CELL = "import pandas as pd\nimport matplotlib\nimport matplotlib.pyplot as plt"
SCALES = (1, 3, 10)


def scaled_copy(data_dir: Path, destination: Path, factor: int) -> Path:
    """A copy of the record with every event (and each of its mentions) ``factor`` times: the copies get the
    id ``<id>-copyN``, answer the copies of what their original answers and are no turning points (the overview
    labels the record's own). The other tables are kept."""
    shutil.copytree(data_dir, destination)
    for name, id_columns in (("events.csv", ("event_id", "responds_to")), ("mentions.csv", ("event_id",))):
        with (data_dir / name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        copies = [
            {**row, **{column: f"{row[column]}-copy{number}" for column in id_columns if row[column]},
             **({"turning_point": "false"} if "turning_point" in row else {})}
            for number in range(2, factor + 1)
            for row in rows
        ]
        with (destination / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows + copies)
    return destination


def every_analysis(data_dir: Path) -> None:
    """Load, validate and run what the chapters compute, the figure layouts included (drawn, not saved)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nato_russia import analysis, channels, cooperation, escalation, framing, load, tables, timeline
    from nato_russia import phases as periodisation
    from nato_russia.corpus import source_groups

    record = load(data_dir)
    events, mentions, sources = record.events, record.mentions, record.sources
    through = periodisation.record_last_day(events)
    documents = list(framing.NATO_SOURCES)
    pairs = analysis.response_pairs(events)
    results = [
        analysis.yearly_index(events), analysis.coverage_matrix(events, mentions, sources),
        analysis.single_source_events(events, mentions), analysis.date_disagreements(mentions),
        tables.source_summary(events, mentions, sources), tables.date_conflicts(mentions, events),
        tables.mention_notes(mentions, events), source_groups(sources),
        periodisation.phase_profile(events, record.phases, through),
        periodisation.straddling_events(events, record.phases),
        cooperation.suspension_periods(events), cooperation.area_durations(record.cooperation_areas),
        channels.channel_lifetimes(record.channels, events), escalation.ladder(events),
        escalation.chain_table(escalation.response_chains(events), events, pairs), escalation.recoveries(events, pairs),
        framing.framing_profile(events, mentions, documents), framing.side_direction_counts(events, mentions, documents),
        framing.precision_counts(mentions, documents), framing.backgrounder_changes(mentions),
    ]
    try:
        figures = [timeline.plot_timeline(events, record.phases).fig]
    except ValueError as error:  # the overview's labels can run out of room in a record this crowded
        print(f"overview not drawn: {error}")
        figures = []
    for first_year in range(int(events["start"].dt.year.min()) // 10 * 10, int(through.year) + 1, 10):
        figures.append(timeline.plot_close_up(events, record.phases, first_year=max(first_year, 1989),
                                              last_year=first_year + 9).fig)
    for figure in figures:
        figure.canvas.draw()
        plt.close(figure)
    assert all(result is not None for result in results)


def timed(command: list[str], cwd: Path = ROOT) -> tuple[float, str]:
    """Seconds a command takes in a fresh process, and what it printed; a failure is printed and shown as NaN."""
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        print(f"failed: {' '.join(command)}\n{completed.stdout[-2000:]}{completed.stderr[-2000:]}", file=sys.stderr)
        return float("nan"), ""
    return seconds, completed.stdout


def collection_against_floor(work: Path) -> tuple[float, float, int]:
    """(collection seconds, floor seconds, notebooks), both run by the project's runner on a copy."""
    import nbformat

    from nato_russia import execute

    root = work / "repository"
    for name in ("notebooks", "figures", "data"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copyfile(ROOT / "pyproject.toml", root / "pyproject.toml")
    notebooks = execute.notebook_paths(root)
    (root / "floor").mkdir()
    floors = []
    for notebook in notebooks:
        floor = nbformat.v4.new_notebook()
        floor.cells = [nbformat.v4.new_code_cell(FLOOR_CELL)]
        floors.append(root / "floor" / notebook.name)
        nbformat.write(floor, floors[-1])

    def run(paths: list[Path]) -> float:
        started = time.perf_counter()
        execute.run(paths, root=root, force=True, report=lambda result: None)
        return time.perf_counter() - started

    run(floors[:1])  # one kernel first, untimed, so that the disk caches are as warm for both
    floor = run(floors)
    collection = run(notebooks)
    floor = (floor + run(floors)) / 2
    return collection, floor, len(notebooks)


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--analyses":  # the worker of part 3
        every_analysis(Path(sys.argv[2]))
        return 0
    rows = []
    with tempfile.TemporaryDirectory(prefix="nato-russia-bench-") as temporary:
        work = Path(temporary)
        collection, floor, notebooks = collection_against_floor(work)
        rows.append((f"re-run of the {notebooks} notebooks (2 at a time)", f"{collection:.1f} s"))
        rows.append((f"floor: {notebooks} bare kernels importing pandas and matplotlib", f"{floor:.1f} s"))
        rows.append(("ratio of the two", f"{collection / floor:.2f}"))
        tests, _ = timed([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"])
        rows.append(("unit tests (pytest tests)", f"{tests:.1f} s"))
        with (ROOT / "data" / "events.csv").open(encoding="utf-8") as handle:
            events = sum(1 for _ in csv.DictReader(handle))
        for factor in SCALES:
            data = scaled_copy(ROOT / "data", work / f"data-x{factor}", factor)
            runs = [timed([sys.executable, __file__, "--analyses", str(data)]) for _ in range(2)]
            note = " (overview not drawn: no room for its labels)" if "overview not drawn" in runs[0][1] else ""
            seconds = min(seconds for seconds, _ in runs)
            rows.append((f"load + validate + every analysis, {events * factor} events (x{factor}){note}",
                         f"{seconds:.1f} s"))
    width = max(len(name) for name, _ in rows)
    print(f"| {'Measure':<{width}} | Time |\n|{'-' * (width + 2)}|------|")
    for name, value in rows:
        print(f"| {name:<{width}} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
