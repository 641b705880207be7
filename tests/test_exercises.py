"""Notebook 08 (seminar exercises): every worked solution's answer, checked against a value computed another way.

The notebook is executed in a fresh kernel (as ``python -m nato_russia.execute`` does, but in memory and with
figures written to a temporary folder), with one cell appended that prints ``answers`` as JSON. Each expected
value below is recomputed here from the CSV files in ``data/`` with the ``csv`` module and plain Python, never
with the package's analyses and never copied from the notebook's output. Where the explanation of an exercise
rests on a fact checked by hand in the CSV files (the Georgia suspension dated 2008-08-19 and the decision to
resume formal Council meetings 2009-03-05, hence 198 days; the three sources of the Council meeting that E09
removes), the test first checks that the CSV still says so, and where a rule of the codebook gives an answer its
meaning (no established event rests on a news report alone; an event counted in the index has a scope that
scopes.csv counts), the test checks the rule too.

Also tested: :func:`nato_russia.exercises.student_copy` (on a hand-made notebook and on notebook 08, whose
student copy must still run), :func:`nato_russia.exercises.append_rows` and :func:`nato_russia.exercises.remove_rows`.
"""

from __future__ import annotations

import calendar
import copy
import csv
import datetime as dt
import json
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from nato_russia.execute import kernel_environment
from nato_russia.exercises import append_rows, cell_tags, main, remove_rows, student_copy

REPOSITORY = Path(__file__).resolve().parents[1]
DATA = REPOSITORY / "data"
NOTEBOOKS = REPOSITORY / "notebooks"
NOTEBOOK = NOTEBOOKS / "08_seminar_exercises.ipynb"
EXERCISE_IDS = [f"E{number:02d}" for number in range(1, 11)]
ROUNDING = 1.1e-3  # a share rounded to three decimals by pandas and by Python may differ in the last digit


# --- running a notebook ------------------------------------------------------------------------------------


def execute(nb, figures_root: Path) -> nbformat.NotebookNode:
    """Execute ``nb`` in a fresh python3 kernel in notebooks/, figures written below ``figures_root``."""
    from nbclient import NotebookClient

    environment = kernel_environment(REPOSITORY)
    environment["NATO_RUSSIA_ROOT"] = str(figures_root)  # save_figure writes to figures_root/figures
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=900,
        startup_timeout=180,
        record_timing=False,
        allow_errors=False,
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute(env=environment, cwd=str(NOTEBOOKS))
    return nb


def stream_text(cell, name: str = "stdout") -> str:
    return "".join(
        output.get("text", "")
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == name
    )


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> nbformat.NotebookNode:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(new_code_cell("print(json.dumps(answers, sort_keys=True))"))
    return execute(nb, tmp_path_factory.mktemp("notebook_08"))


@pytest.fixture(scope="module")
def answers(executed) -> dict:
    return json.loads(stream_text(executed.cells[-1]))


# --- the CSV files, read with the csv module ---------------------------------------------------------------


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def records_in(name: str) -> int:
    """Records in a CSV file, the header included (so the next appended row has this number + 1)."""
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle))


def first_day(text: str) -> dt.date:
    parts = [int(part) for part in text.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def last_day(text: str) -> dt.date:
    parts = [int(part) for part in text.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return dt.date(parts[0], 12, 31)


PRECISION_RANK = {4: 2, 7: 1, 10: 0}  # length of YYYY / YYYY-MM / YYYY-MM-DD -> coarseness


def lag_in_coarser_unit(earlier: str, later: str) -> list:
    """The lag from one partial date to another, counted in the unit of the vaguer of the two."""
    coarser = max(PRECISION_RANK[len(earlier)], PRECISION_RANK[len(later)])
    start, end = first_day(earlier), first_day(later)
    if coarser == 0:
        return [(end - start).days, "days"]
    if coarser == 1:
        return [(end.year - start.year) * 12 + end.month - start.month, "months"]
    return [end.year - start.year, "years"]


def phase_of(day: dt.date, phases: list[dict[str, str]]) -> str | None:
    for phase in phases:
        if first_day(phase["start"]) <= day and (not phase["end"] or day <= first_day(phase["end"])):
            return phase["phase_id"]
    return None


def kind_scores() -> dict[str, int]:
    return {row["kind"]: int(row["score"]) for row in rows("event_kinds.csv")}


def sources_by_event() -> dict[str, set[str]]:
    stated: dict[str, set[str]] = defaultdict(set)
    for mention in rows("mentions.csv"):
        stated[mention["event_id"]].add(mention["source_id"])
    return stated


GROUP_NAMES = ["source document", "later NATO text", "Russian official text", "other official text", "reference work",
               "Russian state media", "news report"]


def group_of_origin() -> dict[str, str]:
    """Whose view a later page carries (sources.csv origin) -> its group, as data/origins.csv decides."""
    return {row["origin"]: row["group"] for row in rows("origins.csv")}


RUSSIAN_ORIGINS = {"russian_government", "russian_state_media"}
CERTAINTIES = ["established", "reported", "alleged", "disputed"]


def group_of(source: dict[str, str]) -> str:
    """A source's group by the rule data/README and nato_russia.corpus document, applied to one CSV row: a copy
    read in full (original_file) makes a source document; any other source is grouped by whose view it carries
    (its origin)."""
    if source["original_file"].strip():
        return "source document"
    return group_of_origin()[source["origin"]]


def in_index(event: dict[str, str]) -> bool:
    """Whether an event counts in the index: its scope has in_index true in scopes.csv."""
    counted = {row["scope"] for row in rows("scopes.csv") if row["in_index"] == "true"}
    return event["scope"] in counted


def side_of_actor() -> dict[str, str]:
    """Each event's actor's side, from parties.csv."""
    side = {row["party"]: row["side"] for row in rows("parties.csv")}
    return {event["event_id"]: side[event["actor"]] for event in rows("events.csv")}


def groups_by_source() -> dict[str, str]:
    return {source["source_id"]: group_of(source) for source in rows("sources.csv")}


def document_ids() -> list[str]:
    return [source for source, group in groups_by_source().items() if group == "source document"]


# --- the answers --------------------------------------------------------------------------------------------


def test_every_exercise_stores_an_answer(answers):
    assert sorted(answers) == EXERCISE_IDS


def test_no_cell_writes_to_stderr(executed):
    assert all(not stream_text(cell, "stderr") for cell in executed.cells if cell.cell_type == "code")


def earliest_days() -> dict[str, dt.date]:
    """The first day each event can have happened: its own first day, or the earliest day of the event it
    responds to if that is later (a response cannot precede its trigger), followed along chains."""
    events = {event["event_id"]: event for event in rows("events.csv")}

    def earliest(event_id: str) -> dt.date:
        event = events[event_id]
        own = first_day(event["date"])
        return max(own, earliest(event["responds_to"])) if event["responds_to"] else own

    return {event_id: earliest(event_id) for event_id in events}


def test_e01_events_per_phase(answers):
    phases, scores = rows("phases.csv"), kind_scores()
    # The index counts the scopes nato_russia and allied_russia (scopes.csv), and no other.
    assert {row["scope"] for row in rows("scopes.csv") if row["in_index"] == "true"} == {"nato_russia", "allied_russia"}
    per_phase = {phase["phase_id"]: 0 for phase in phases}
    confrontation = dict(per_phase)
    earliest = earliest_days()
    counted = [event for event in rows("events.csv") if in_index(event)]
    assert 0 < len(counted) < len(rows("events.csv"))  # the restriction leaves events out
    for event in counted:
        phase = phase_of(earliest[event["event_id"]], phases)
        per_phase[phase] += 1
        confrontation[phase] += scores[event["kind"]] < 0
    answer = answers["E01"]
    assert answer["events_per_phase"] == per_phase
    assert answer["confrontation_per_phase"] == confrontation
    assert answer["most_confrontation_phase"] == max(confrontation, key=confrontation.get)


def test_e02_mission_staff_cap(answers):
    caps = [row for row in rows("indicators.csv") if row["series"] == "mission_staff_cap"]
    # One step per value, dated by the most precise date any source gives it (the longest date string).
    dated = {}
    for row in caps:
        value = int(float(row["value"]))
        if value not in dated or len(row["date"]) > len(dated[value]):
            dated[value] = row["date"]
    values = sorted(dated, key=lambda value: first_day(dated[value]))
    cuts = [round(100 * (after - before) / before, 1) for before, after in zip(values, values[1:])]
    answer = answers["E02"]
    assert answer["caps"] == values
    assert answer["cuts_percent"] == pytest.approx(cuts, abs=0.051)
    assert answer["overall_percent"] == pytest.approx(100 * (values[-1] - values[0]) / values[0], abs=0.051)


def test_e03_recovery_lags(answers):
    events = {event["event_id"]: event for event in rows("events.csv")}
    expected: dict[str, list] = defaultdict(list)
    resumptions = [event for event in events.values() if event["kind"] == "cooperation_resumed" and event["responds_to"]]
    for event in sorted(resumptions, key=lambda event: (first_day(event["date"]), event["event_id"])):
        broken = events[event["responds_to"]]
        expected[broken["event_id"]].append([event["event_id"], *lag_in_coarser_unit(broken["date"], event["date"])])
    assert answers["E03"] == dict(expected)
    # By hand: the suspension is dated 2008-08-19 and the Allies' decision to resume formal Council meetings
    # 2009-03-05, both to the day, so the lag is counted in days: 12 + 30 + 31 + 31 + 28 + 31 + 28 + 5 = 198.
    suspension, decision = "2008-08-nrc-formal-meetings-suspended", "2009-03-05-allies-agree-to-resume-formal-nrc-meetings"
    assert (events[suspension]["date"], events[decision]["date"]) == ("2008-08-19", "2009-03-05")
    assert events[decision]["responds_to"] == suspension
    assert [decision, 198, "days"] in answers["E03"][suspension]
    # The Kosovo freeze is dated to the month: no lag from it can be counted in days.
    kosovo = "1999-russia-freezes-relations-kosovo"
    assert len(events[kosovo]["date"]) == 7
    assert all(unit != "days" for _, _, unit in answers["E03"][kosovo])


def test_e04_single_source_events(answers):
    stated, group = sources_by_event(), groups_by_source()
    alone = Counter(next(iter(ids)) for ids in stated.values() if len(ids) == 1)
    per_group = dict.fromkeys(GROUP_NAMES, 0)
    for source, count in alone.items():
        per_group[group[source]] += count
    documents = document_ids()
    assert len(documents) == 4  # the exercise counts the four documents one by one
    certainty = {event["event_id"]: event["certainty"] for event in rows("events.csv")}
    single = {event: next(iter(ids)) for event, ids in stated.items() if len(ids) == 1}
    per_certainty = {level: sum(certainty[event] == level for event in single) for level in CERTAINTIES}
    on_news_alone = sum(certainty[event] == "established" and group[source] == "news report"
                        for event, source in single.items())
    assert answers["E04"] == {
        "single_source_events": sum(alone.values()),
        "per_group": per_group,
        "per_document": {source: alone.get(source, 0) for source in documents},
        "per_certainty": per_certainty,
        "established_on_news_alone": on_news_alone,
    }
    # The explanation rests on the codebook's rule: one source can establish an event only as the acting party's
    # own text, so no established event rests on a news report alone, and some do rest on one official text.
    assert on_news_alone == 0
    assert per_certainty["established"] > 0


def test_e05_russia_as_actor(answers):
    actor = side_of_actor()  # the actor's side; the exercise asks for Russia's side
    group = groups_by_source()
    # Each document on its own, each group of later pages as one: the set of events any of its pages states.
    stated: dict[str, set[str]] = defaultdict(set)
    for mention in rows("mentions.csv"):
        source = mention["source_id"]
        stated[source if group[source] == "source document" else group[source]].add(mention["event_id"])
    assert set(stated) == set(document_ids()) | set(GROUP_NAMES[1:])
    shares = {column: sum(actor[event] == "Russia" for event in found) / len(found) for column, found in stated.items()}
    # Russia's side is Russia and the Soviet Union (parties.csv), so the share is not that of the actor "Russia".
    assert {row["party"] for row in rows("parties.csv") if row["side"] == "Russia"} == {"Russia", "Soviet Union"}
    answer = answers["E05"]
    assert answer["share_by_source"].keys() == shares.keys()
    for source, share in shares.items():
        assert answer["share_by_source"][source] == pytest.approx(share, abs=ROUNDING)
    in_record = sum(value == "Russia" for value in actor.values()) / len(actor)
    assert answer["share_in_record"] == pytest.approx(in_record, abs=ROUNDING)
    assert answer["highest"] == max(shares, key=shares.get)
    # The explanation says the highest shares are in Russia's own voice and the lowest in later NATO texts.
    assert max(shares, key=shares.get) in {"Russian official text", "Russian state media"}
    assert min(shares, key=shares.get) == "later NATO text"


def test_e06_date_disagreements(answers):
    spans: dict[str, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for mention in rows("mentions.csv"):
        if mention["date_given"]:
            end = mention["date_given_end"] or mention["date_given"]
            spans[mention["event_id"]].append((first_day(mention["date_given"]), last_day(end)))
    relations, gaps = Counter({"same": 0, "precision": 0, "conflict": 0}), {}
    for event_id, given in spans.items():
        if len(given) < 2:
            continue
        latest_start, earliest_end = max(start for start, _ in given), min(end for _, end in given)
        if len(set(given)) == 1:
            relations["same"] += 1
        elif latest_start <= earliest_end:
            relations["precision"] += 1
        else:
            relations["conflict"] += 1
            gaps[event_id] = (latest_start - earliest_end).days
    assert answers["E06"] == {"relations": dict(relations), "conflict_gap_days": gaps}
    # Every relation is one of the three, and a conflict is a gap of at least a day between two spans.
    assert sum(relations.values()) == len([given for given in spans.values() if len(given) >= 2])
    assert all(gap >= 1 for gap in gaps.values())


def test_e07_sign_changes_after_rescoring(answers):
    codebook = kind_scores()
    events = [event for event in rows("events.csv") if in_index(event)]  # the index: nato_russia, allied_russia

    def yearly_means(scores):
        by_year = defaultdict(list)
        for event in events:
            by_year[int(event["date"][:4])].append(scores[event["kind"]])
        return {year: sum(values) / len(values) for year, values in by_year.items()}

    def sign(number):
        return (number > 0) - (number < 0)

    base = yearly_means(codebook)
    expected = {}
    for name, change in {"meeting_0": {"meeting": 0}, "force_posture_minus_3": {"force_posture": -3}}.items():
        rescored = yearly_means(codebook | change)
        expected[name] = sorted(year for year in base if sign(rescored[year]) != sign(base[year]))
    assert answers["E07"] == expected
    # The explanation: the years that change sign are balanced ones, whose codebook mean lies close to zero
    # (under one point from it).
    assert all(abs(base[year]) < 1 for years in expected.values() for year in years)


def test_e08_two_periodisations(answers):
    headings = [row for row in rows("source_periods.csv") if row["source_id"] == "nato-backgrounder-c2020-uk"]
    first = min(int(row["start_year"]) for row in headings)
    last = max(int(row["end_year"]) for row in headings)
    phase_cuts = {int(phase["start"][:4]) for phase in rows("phases.csv")} & set(range(first, last + 1))
    heading_cuts = {int(row["start_year"]) for row in headings}
    covered = {year for row in headings for year in range(int(row["start_year"]), int(row["end_year"]) + 1)}
    assert answers["E08"] == {
        "both": sorted(phase_cuts & heading_cuts),
        "collection_only": sorted(phase_cuts - heading_cuts),
        "backgrounder_only": sorted(heading_cuts - phase_cuts),
        "no_heading": sorted(set(range(first, last + 1)) - covered),
    }


REMOVED_EVENT = "2017-03-nrc-meeting-brussels"  # E09 removes it from a copy of the data and puts it back


def test_e09_event_removed_and_put_back(answers):
    events, mentions = rows("events.csv"), rows("mentions.csv")
    origin = {source["source_id"]: source["origin"] for source in rows("sources.csv")}
    # The exercise rests on what the CSV files say of the event: three sources, the Greek article giving the
    # month and NATO's transcript and TASS the day, a date stated to the day, no other row that refers to it (so
    # the copy without it still validates).
    [event] = [row for row in events if row["event_id"] == REMOVED_EVENT]
    given = {row["source_id"]: row["date_given"] for row in mentions if row["event_id"] == REMOVED_EVENT}
    assert given == {"wikipedia-el-russia-nato-relations": "2017-03", "nato-press-conference-2017-03-30-nrc": "2017-03-30",
                     "tass-2017-07-07-nrc-july-13": "2017-03-30"}
    assert (event["date"], event["date_basis"]) == ("2017-03-30", "stated")
    assert not any(row["responds_to"] == REMOVED_EVENT for row in events)
    # The certainty the solution codes and argues: the acting body's own text (NATO's, whose Secretary General
    # chaired it) states it, and a source of the other side confirms it independently: established by the codebook.
    assert {origin[source] for source in given} == {"reference", "nato", "russian_state_media"}
    assert (event["actor"], event["target"], event["scope"], event["certainty"]) == (
        "NATO-Russia Council", "NATO-Russia Council", "nato_russia", "established")
    # The copy without the event has one row fewer, so the event appended back is the last row, and the row
    # number a spreadsheet shows (header = row 1) is the number of records of the original file, header included.
    appended_row = records_in("events.csv")
    # Without its mention the event breaks two documented rules: every event needs a row in mentions.csv
    # (reported on event_id) and a "stated" date needs a mention that gives it (reported on date).
    assert answers["E09"] == {
        "events_without": len(events) - 1,
        "problems": [["events.csv", appended_row, "date"], ["events.csv", appended_row, "event_id"]],
        "events_after_fix": len(events),
        "mentions_after_fix": len(mentions),
        "phase_of_readded_event": phase_of(earliest_days()[REMOVED_EVENT], rows("phases.csv")),
        "certainty": "established",
    }


def test_e10_independent_confirmation(answers):
    stated = sources_by_event()
    sources = rows("sources.csv")
    overlaps = {}
    for first, second in combinations(sorted(document_ids()), 2):  # the pairs of the four documents only
        both = sum(first in found and second in found for found in stated.values())
        either = sum(first in found or second in found for found in stated.values())
        overlaps[(first, second)] = both / either
    best = max(overlaps.values())
    most = min(pair for pair, overlap in overlaps.items() if overlap == best)
    editions = {"nato-backgrounder-2015-en", "nato-backgrounder-c2020-uk"}
    # The explanation rests on this: the two editions of the backgrounder are the most overlapping documents.
    assert most == tuple(sorted(editions))
    # A NATO text: a source whose origin is nato (the three NATO documents and the later NATO texts).
    nato = {source["source_id"] for source in sources if source["origin"] == "nato"}
    assert {source for source in document_ids() if source in nato} == {*editions, "nato-topic-page-2022-uk"}
    russian = {source["source_id"] for source in sources if source["origin"] in RUSSIAN_ORIGINS}
    answer = answers["E10"]
    assert answer["most_overlapping_pair"] == list(most)
    assert answer["overlap"] == pytest.approx(best, abs=ROUNDING)
    assert answer["two_or_more_sources"] == sum(len(found) >= 2 for found in stated.values())
    assert answer["two_or_more_texts"] == sum(
        len({"backgrounder" if source in editions else source for source in found}) >= 2 for found in stated.values()
    )
    assert answer["nato_and_non_nato"] == sum(bool(found & nato) and bool(found - nato) for found in stated.values())
    assert answer["nato_and_russian"] == sum(bool(found & nato) and bool(found & russian) for found in stated.values())
    # Each count asks more than the one before it, so none can be larger (the figure's message rests on it).
    counts = [answer[key] for key in ("two_or_more_sources", "two_or_more_texts", "nato_and_non_nato", "nato_and_russian")]
    assert counts == sorted(counts, reverse=True) and counts[-1] > 0


# --- the notebook's structure and its student copy ----------------------------------------------------------


def exercise_of_cells(nb) -> list[str | None]:
    """For each cell, the id of the exercise it belongs to (from the "## E01 ·" heading of its task)."""
    current, owners = None, []
    for cell in nb.cells:
        if "exercise" in cell_tags(cell):
            current = cell.source.split("·")[0].removeprefix("## ").strip()
        elif cell.cell_type == "markdown" and cell.source.startswith("## "):
            current = None
        owners.append(current)
    return owners


def test_each_exercise_has_task_student_cell_and_solution():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    owners = exercise_of_cells(nb)
    assert sorted({owner for owner in owners if owner}) == EXERCISE_IDS
    for exercise in EXERCISE_IDS:
        cells = [cell for cell, owner in zip(nb.cells, owners) if owner == exercise]
        tags = [cell_tags(cell) for cell in cells]
        assert tags[0] == {"exercise"} and cells[0].cell_type == "markdown", exercise
        assert tags[1] == {"student"} and cells[1].cell_type == "code", exercise
        solutions = [cell for cell in cells[2:] if "solution" in cell_tags(cell)]
        notes = [cell for cell in cells[2:] if cell_tags(cell) == {"lecturer"} and cell.cell_type == "markdown"]
        assert len(solutions) + len(notes) == len(cells) - 2, (
            f"{exercise}: every cell after the student cell is a solution or a lecturer's note")
        assert any(cell.cell_type == "markdown" for cell in solutions), f"{exercise}: no explanation"
        code = [cell for cell in solutions if cell.cell_type == "code"]
        assert code and all(cell_tags(cell) == {"solution", "hide-input"} for cell in code), exercise
        assert f'answers["{exercise}"] =' in code[-1].source, f"{exercise}: the last solution cell stores the answer"


def test_student_copy_of_a_hand_made_notebook():
    solution_code = new_code_cell("x = 1\nx", metadata={"tags": ["solution", "hide-input"]}, execution_count=3)
    solution_code.outputs = [new_output("execute_result", {"text/plain": "1"}, execution_count=3)]
    setup = new_code_cell("import math", execution_count=1)
    setup.outputs = [new_output("stream", name="stdout", text="ready\n")]
    nb = new_notebook(cells=[
        new_markdown_cell("# Title"),
        setup,
        new_markdown_cell("## E01 · Task", metadata={"tags": ["exercise"]}),
        new_code_cell("# your code", metadata={"tags": ["student"]}),
        solution_code,
        new_markdown_cell("Why it works", metadata={"tags": ["solution"]}),
        new_markdown_cell("Note for the lecturer", metadata={"tags": ["lecturer"]}),
    ])
    original = copy.deepcopy(nb)
    copied = student_copy(nb)
    assert [cell.source for cell in copied.cells] == ["# Title", "import math", "## E01 · Task", "# your code"]
    assert copied.cells[1].outputs == [] and copied.cells[1].execution_count is None
    assert nb == original  # the input is not modified
    only_solutions = student_copy(nb, drop_tags=["solution"])
    assert [cell.source for cell in only_solutions.cells][-1] == "Note for the lecturer"


def test_student_copy_of_notebook_08_keeps_tasks_and_drops_solutions(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    copied = student_copy(nb)
    tags = [cell_tags(cell) for cell in copied.cells]
    assert not any("solution" in cell_tag or "lecturer" in cell_tag for cell_tag in tags)
    original_tags = [cell_tags(cell) for cell in nb.cells]
    for kept in ("exercise", "student"):
        assert sum(kept in cell_tag for cell_tag in tags) == sum(kept in cell_tag for cell_tag in original_tags) == 10
    assert all(not cell.outputs for cell in copied.cells if cell.cell_type == "code")
    assert "answers = {}" in "\n".join(cell.source for cell in copied.cells)
    # The worksheet runs from top to bottom: the starting cells do not depend on any solution.
    ran = execute(copied, tmp_path)
    assert all(not stream_text(cell, "stderr") for cell in ran.cells if cell.cell_type == "code")


def test_command_line_writes_the_student_copy(tmp_path, capsys):
    target = tmp_path / "worksheet.ipynb"
    assert main([str(NOTEBOOK), str(target)]) == 0
    written = nbformat.read(target, as_version=4)
    assert not any("solution" in cell_tags(cell) for cell in written.cells)
    assert "worksheet.ipynb" in capsys.readouterr().out


def test_command_line_refuses_a_numbered_notebook_in_notebooks(tmp_path):
    (tmp_path / "notebooks").mkdir()
    with pytest.raises(SystemExit):
        main([str(NOTEBOOK), str(tmp_path / "notebooks" / "09_worksheet.ipynb")])
    with pytest.raises(SystemExit):
        main([str(NOTEBOOK), str(NOTEBOOK)])
    assert not (tmp_path / "notebooks" / "09_worksheet.ipynb").exists()


# --- append_rows ----------------------------------------------------------------------------------------------


def test_append_rows_quotes_and_returns_the_spreadsheet_row(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("id,note\n1,first\n", encoding="utf-8")
    # Header is row 1, the existing row is row 2, so the first appended row is row 3.
    assert append_rows(path, [{"note": "a, b", "id": "2"}, {"id": "3", "note": ""}]) == 3
    assert path.read_text(encoding="utf-8") == 'id,note\n1,first\n2,"a, b"\n3,\n'


def test_append_rows_ends_an_unterminated_last_line_first(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("id,note\n1,first", encoding="utf-8")
    assert append_rows(path, [{"id": "2", "note": "second"}]) == 3
    assert path.read_text(encoding="utf-8") == "id,note\n1,first\n2,second\n"


@pytest.mark.parametrize(
    ("row", "named"),
    [({"id": "2"}, "missing column(s) note"), ({"id": "2", "note": "x", "extra": "y"}, "unknown column(s) extra")],
)
def test_append_rows_refuses_a_row_that_does_not_fit_the_header(tmp_path, row, named):
    path = tmp_path / "table.csv"
    path.write_text("id,note\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"table\.csv") as error:
        append_rows(path, [row])
    assert named in str(error.value)
    assert path.read_text(encoding="utf-8") == "id,note\n"  # nothing written


# --- remove_rows ----------------------------------------------------------------------------------------------


def test_remove_rows_returns_every_matching_row_and_keeps_the_others(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text('id,note\n1,first\n2,"a, b"\n1,again\n3,\n', encoding="utf-8")
    # Rows 2 and 4 hold id 1; rows 3 and 5 stay, with their quoting and their empty cell.
    assert remove_rows(path, "id", "1") == [{"id": "1", "note": "first"}, {"id": "1", "note": "again"}]
    assert path.read_text(encoding="utf-8") == 'id,note\n2,"a, b"\n3,\n'


def test_remove_rows_matches_the_whole_cell_only(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("id,note\n1,x\n10,y\n", encoding="utf-8")
    assert remove_rows(path, "id", "1") == [{"id": "1", "note": "x"}]
    assert path.read_text(encoding="utf-8") == "id,note\n10,y\n"


@pytest.mark.parametrize(
    ("column", "value", "named"),
    [("name", "1", "no column 'name'"), ("id", "9", "no row of table.csv has '9' in column id")],
)
def test_remove_rows_refuses_an_unknown_column_or_value(tmp_path, column, value, named):
    path = tmp_path / "table.csv"
    path.write_text("id,note\n1,first\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"table\.csv") as error:
        remove_rows(path, column, value)
    assert named in str(error.value)
    assert path.read_text(encoding="utf-8") == "id,note\n1,first\n"  # nothing written


def test_remove_then_append_restores_a_record_file_byte_for_byte(tmp_path):
    # On the last row of a file written like the record's, removing it and appending it back gives the same bytes.
    path = tmp_path / "events.csv"
    original = 'event_id,title\n2017-a,"Meets, briefly"\n2017-b,Second\n'
    path.write_text(original, encoding="utf-8")
    removed = remove_rows(path, "event_id", "2017-b")
    assert append_rows(path, removed) == 3
    assert path.read_text(encoding="utf-8") == original
