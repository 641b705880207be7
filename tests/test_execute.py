"""The notebook runner: byte-identical re-runs, loud failures, skipping what did not change."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from nato_russia import execute

PYPROJECT = '[project]\nname = "nato-russia-notebooks"\nversion = "0"\n'


def write_notebook(path: Path, *sources: str) -> Path:
    cells = [new_markdown_cell("# A throwaway notebook")]
    cells += [new_code_cell(source) for source in sources]
    notebook = new_notebook(cells=cells)
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"test-{index}"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A minimal repository: pyproject.toml, data/, requirements.txt and notebooks/."""
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "requirements.txt").write_text("pandas\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "numbers.csv").write_text("year,count\n1997,3\n2002,5\n2014,-4\n")
    return tmp_path


FIGURE_NOTEBOOK = (
    "import matplotlib.pyplot as plt\n"
    "import pandas as pd\n"
    "from nato_russia.plotting import use_house_style, save_figure, score_colours\n"
    "use_house_style()",
    "numbers = pd.read_csv('../data/numbers.csv')\nprint(numbers)",
    "numbers",
    "fig, ax = plt.subplots()\n"
    "ax.bar(numbers['year'], numbers['count'], color=score_colours(numbers['count']))\n"
    "ax.set_title('Counts by year')\n"
    "save_figure(fig, '01_demo', 'counts')\n"
    "plt.show()",
)


def collect(results: list) -> callable:
    return results.append


def test_executing_twice_gives_identical_bytes(project: Path) -> None:
    notebook = write_notebook(project / "notebooks" / "01_demo.ipynb", *FIGURE_NOTEBOOK)

    first = execute.run(root=project, force=True, report=lambda result: None)
    assert [r.status for r in first] == ["executed"], first[0].message
    notebook_bytes = notebook.read_bytes()
    png = (project / "figures" / "01_counts.png").read_bytes()
    svg = (project / "figures" / "01_counts.svg").read_bytes()

    second = execute.run(root=project, force=True, report=lambda result: None)
    assert [r.status for r in second] == ["executed"], second[0].message
    assert notebook.read_bytes() == notebook_bytes
    assert (project / "figures" / "01_counts.png").read_bytes() == png
    assert (project / "figures" / "01_counts.svg").read_bytes() == svg

    executed = nbformat.read(notebook, as_version=4)
    outputs = [output for cell in executed.cells if cell.cell_type == "code" for output in cell.outputs]
    assert any("text/html" in output.get("data", {}) for output in outputs), "DataFrame display missing"
    assert any("image/png" in output.get("data", {}) for output in outputs), "figure missing"
    assert executed.metadata["language_info"] == execute.FIXED_LANGUAGE_INFO
    assert executed.metadata["kernelspec"]["name"] == "python3"
    assert all("execution" not in cell.metadata for cell in executed.cells)


def test_an_erroring_cell_fails_and_names_the_cell(project: Path) -> None:
    notebook = write_notebook(project / "notebooks" / "02_broken.ipynb", "total = 1", "total / 0", "print('never')")
    before = notebook.read_bytes()
    results: list = []

    outcome = execute.run(root=project, report=results.append)

    assert outcome[0].status == "failed"
    assert "02_broken.ipynb: cell 3" in outcome[0].message
    assert "total / 0" in outcome[0].message
    assert "ZeroDivisionError" in outcome[0].message
    assert notebook.read_bytes() == before, "a failed notebook must be left as it was"
    assert not (project / execute.STAMP_FILE).exists() or "02_broken" not in (project / execute.STAMP_FILE).read_text()


def test_a_warning_fails_and_names_the_cell(project: Path) -> None:
    write_notebook(
        project / "notebooks" / "03_warns.ipynb",
        "import warnings",
        "warnings.warn('the column is deprecated')",
    )

    outcome = execute.run(root=project, report=lambda result: None)

    assert outcome[0].status == "failed"
    assert "03_warns.ipynb: cell 3" in outcome[0].message
    assert "stderr" in outcome[0].message
    assert "the column is deprecated" in outcome[0].message


def test_the_command_line_exits_non_zero_on_failure(project: Path, capsys) -> None:
    notebook = write_notebook(project / "notebooks" / "04_stderr.ipynb", "import sys\nprint('oops', file=sys.stderr)")

    status = execute.main(["--root", str(project), str(notebook)])

    assert status == 1
    error_output = capsys.readouterr().err
    assert "04_stderr.ipynb: cell 2" in error_output
    assert "oops" in error_output


def test_unchanged_notebooks_are_skipped_until_an_input_changes(project: Path) -> None:
    first = write_notebook(project / "notebooks" / "01_first.ipynb", "print(open('../data/numbers.csv').read())")
    second = write_notebook(project / "notebooks" / "02_second.ipynb", "print(2 + 2)")
    quiet = {"report": lambda result: None}

    assert [r.status for r in execute.run(root=project, **quiet)] == ["executed", "executed"]
    assert [r.status for r in execute.run(root=project, **quiet)] == ["unchanged", "unchanged"]

    (project / "data" / "numbers.csv").write_text("year,count\n1997,3\n")
    assert [r.status for r in execute.run(root=project, **quiet)] == ["executed", "executed"]
    assert "1997,3" in first.read_text()

    write_notebook(second, "print(3 + 3)")
    assert [r.status for r in execute.run(root=project, **quiet)] == ["unchanged", "executed"]

    assert [r.status for r in execute.run(root=project, force=True, **quiet)] == ["executed", "executed"]

    # A new notebook re-runs the others too: a notebook may list which notebooks exist.
    write_notebook(project / "notebooks" / "03_third.ipynb", "print(9)")
    assert [r.status for r in execute.run(root=project, **quiet)] == ["executed"] * 3
    assert [r.status for r in execute.run(root=project, **quiet)] == ["unchanged"] * 3


def test_notebooks_are_found_by_number_and_in_order(project: Path) -> None:
    for name in ("10_later.ipynb", "02_early.ipynb", "scratch.ipynb", "3_unpadded.ipynb"):
        write_notebook(project / "notebooks" / name, "1")

    assert [p.name for p in execute.notebook_paths(project)] == ["02_early.ipynb", "10_later.ipynb"]


REPOSITORY = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("notebook", execute.notebook_paths(REPOSITORY), ids=lambda path: path.name)
def test_stored_notebooks_were_written_by_the_runner(notebook: Path) -> None:
    """Stored notebooks carry the runner's fixed metadata and a complete, in-order execution."""
    stored = nbformat.read(notebook, as_version=4)
    assert stored.metadata.get("language_info") == execute.FIXED_LANGUAGE_INFO, "run `make` to execute it"
    assert stored.metadata.get("kernelspec") == execute.FIXED_KERNELSPEC
    counts = [cell.execution_count for cell in stored.cells if cell.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), "every code cell executed once, top to bottom"
    stderr = [cell.id for cell in stored.cells if execute._stderr_text(cell)]
    assert not stderr, f"cells with stderr output: {stderr}"


def test_a_trailing_semicolon_is_refused_before_running(project: Path) -> None:
    """nbval executes without history, where IPython ignores ';': the stored output could never match."""
    write_notebook(project / "notebooks" / "05_semicolon.ipynb", "x = [1, 2]", "len(x);  # hide it")

    outcome = execute.run(root=project, report=lambda result: None)

    assert outcome[0].status == "failed"
    assert "05_semicolon.ipynb: cell 3" in outcome[0].message
    assert "plt.show()" in outcome[0].message


@pytest.mark.parametrize(
    ("source", "expected"),
    [("save(fig);", True), ("x = 1;\n# done\n", True), ("for i in []:\n    f(i);\n", True),
     ("print('a;')", False), ("x = 1", False), ("plt.show()", False), ("", False)],
)
def test_trailing_semicolons_are_recognised(source: str, expected: bool) -> None:
    assert execute.ends_with_semicolon(source) is expected


def test_the_largest_notebooks_start_first(project: Path, monkeypatch) -> None:
    # With one notebook at a time the start order is the run order: largest stored notebook first (its outputs
    # predict its run time), equal sizes in name order.
    small = write_notebook(project / "notebooks" / "01_small.ipynb", "1")
    large = write_notebook(project / "notebooks" / "02_large.ipynb", "x = 1\n" + "# padding\n" * 400)
    same_a = write_notebook(project / "notebooks" / "03_same.ipynb", "2")
    same_b = write_notebook(project / "notebooks" / "04_same.ipynb", "3")
    assert small.stat().st_size == same_a.stat().st_size == same_b.stat().st_size < large.stat().st_size
    started = []

    async def pretend(notebook, root, timeout):
        started.append(Path(notebook).name)

    monkeypatch.setattr(execute, "execute_notebook", pretend)
    monkeypatch.setattr(execute, "_warm_matplotlib", lambda environment: None)
    execute.run(root=project, force=True, jobs=1, report=lambda result: None)
    assert started == ["02_large.ipynb", "01_small.ipynb", "03_same.ipynb", "04_same.ipynb"]
