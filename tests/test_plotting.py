"""The house style: deterministic files, the naming rule, one colour per meaning, phase bands."""

from __future__ import annotations

import os
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from nato_russia import plotting  # noqa: E402
from nato_russia.plotting import (  # noqa: E402
    CONFRONTATION_COLOUR,
    COOPERATION_COLOUR,
    NEUTRAL_COLOUR,
    figure_paths,
    format_date_axis,
    save_figure,
    score_colour,
    score_colours,
    shade_phases,
    use_house_style,
)

PHASES = pd.DataFrame(
    {
        "label": ["Partnership", "Council years", "Estrangement"],
        "start": pd.to_datetime(["1991-12-20", "2002-05-28", "2014-04-01"]),
        "end": pd.to_datetime(["2002-05-27", "2014-03-31", None]),
    }
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def sample_figure():
    use_house_style()
    fig, ax = plt.subplots()
    years = pd.to_datetime(["1994-01-01", "1997-05-27", "2002-05-28", "2008-08-08", "2014-04-01", "2022-02-24"])
    scores = [7, 8, 6, -7, -5, -10]
    ax.bar(years, scores, width=300, color=score_colours(scores))
    shade_phases(ax, PHASES, today="2026-11-21")
    format_date_axis(ax)
    ax.set_title("Cooperation gave way to confrontation")
    return fig


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, payload) of every chunk of a PNG file."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, position = [], 8
    while position < len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        chunks.append((kind, data[position + 8 : position + 8 + length]))
        position += 12 + length
    return chunks


def test_saving_the_same_figure_twice_gives_identical_bytes(tmp_path: Path) -> None:
    first = save_figure(sample_figure(), "03_phases", "timeline", figures_dir=tmp_path / "a")
    plt.close("all")
    second = save_figure(sample_figure(), "03", "timeline", figures_dir=tmp_path / "b")

    for path_a, path_b in zip(first, second):
        assert path_a.read_bytes() == path_b.read_bytes(), path_a.name


def test_files_carry_no_date_and_no_software_version(tmp_path: Path) -> None:
    png, svg = save_figure(sample_figure(), "03", "timeline", figures_dir=tmp_path)
    svg_text = svg.read_text(encoding="utf-8")

    assert "<dc:date>" not in svg_text
    assert not re.search(r"\b20\d\d-\d\d-\d\d", svg_text), "an ISO date in the SVG"
    assert matplotlib.__version__ not in svg_text
    text_chunks = [payload for kind, payload in png_chunks(png.read_bytes()) if kind in (b"tEXt", b"iTXt", b"zTXt")]
    assert not any(b"Software" in payload or b"Date" in payload for payload in text_chunks)
    assert not any(kind == b"tIME" for kind, _ in png_chunks(png.read_bytes()))


def test_save_and_show_displays_the_saved_png_and_closes_the_figure(tmp_path: Path, monkeypatch) -> None:
    import IPython
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())  # as if in a notebook
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    fig = sample_figure()
    assert plotting.save_and_show(fig, "03", "timeline", figures_dir=tmp_path) is None

    assert fig.number not in plt.get_fignums(), "the inline backend would draw it a third time"
    assert len(shown) == 1
    assert shown[0].data == (tmp_path / "03_timeline.png").read_bytes()
    assert (tmp_path / "03_timeline.svg").is_file()


def test_save_and_show_shows_nothing_outside_ipython(tmp_path: Path, monkeypatch, capsys) -> None:
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    plotting.save_and_show(sample_figure(), "03", "timeline", figures_dir=tmp_path)
    assert capsys.readouterr().out == ""
    assert (tmp_path / "03_timeline.png").is_file()


def test_file_names_follow_the_notebook_number(tmp_path: Path) -> None:
    assert figure_paths("03_phases", "timeline", tmp_path) == (tmp_path / "03_timeline.png", tmp_path / "03_timeline.svg")
    assert figure_paths("03", "timeline", tmp_path) == figure_paths("03_phases.ipynb", "timeline", tmp_path)
    saved = save_figure(sample_figure(), "05_escalation", "ladder_by_year", figures_dir=tmp_path)
    assert [p.name for p in saved] == ["05_ladder_by_year.png", "05_ladder_by_year.svg"]
    assert all(p.is_file() for p in saved)
    for notebook, name in [("3", "x"), ("phases", "x"), ("03", "Timeline"), ("03", "time line"), ("03", "")]:
        with pytest.raises(ValueError):
            figure_paths(notebook, name, tmp_path)


def test_default_figures_folder_is_the_repositorys(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NATO_RUSSIA_ROOT", str(tmp_path))
    assert figure_paths("01", "events")[0] == tmp_path.resolve() / "figures" / "01_events.png"

    monkeypatch.delenv("NATO_RUSSIA_ROOT")
    monkeypatch.chdir(tmp_path)
    repository = plotting.repository_root()
    assert (repository / "pyproject.toml").is_file()
    assert (repository / "src" / "nato_russia" / "plotting.py").is_file()


def test_cooperation_and_confrontation_have_one_colour_each() -> None:
    assert len({COOPERATION_COLOUR, CONFRONTATION_COLOUR, NEUTRAL_COLOUR}) == 3
    assert score_colour(8) == score_colour(1) == COOPERATION_COLOUR
    assert score_colour(-10) == score_colour(-1) == CONFRONTATION_COLOUR
    assert score_colour(0) == score_colour(None) == score_colour(float("nan")) == NEUTRAL_COLOUR
    assert score_colours(pd.Series([3, -3, 0])) == [COOPERATION_COLOUR, CONFRONTATION_COLOUR, NEUTRAL_COLOUR]
    # both are Okabe-Ito colours, the palette safe for colour-blind readers
    assert {COOPERATION_COLOUR, CONFRONTATION_COLOUR} <= set(plotting.OKABE_ITO.values())


def test_house_style_is_large_enough_for_a_projector_and_deterministic() -> None:
    use_house_style()
    rc = matplotlib.rcParams
    width, height = rc["figure.figsize"]
    assert (round(width * plotting.FIGURE_DPI), round(height * plotting.FIGURE_DPI)) == (1920, 1080)
    assert rc["font.size"] >= 14
    assert rc["svg.hashsalt"] == plotting.SVG_HASH_SALT
    assert rc["axes.spines.top"] is False and rc["axes.spines.right"] is False
    assert rc["axes.prop_cycle"].by_key()["color"][:2] == [COOPERATION_COLOUR, CONFRONTATION_COLOUR]


def test_shade_phases_draws_one_named_band_per_phase() -> None:
    use_house_style()
    fig, ax = plt.subplots()
    ax.plot(pd.to_datetime(["1990-01-01", "2026-01-01"]), [0, 1])
    limits = ax.get_xlim()

    bands = shade_phases(ax, PHASES)

    assert len(bands) == len(PHASES)
    assert all(band in ax.patches for band in bands)
    assert [text.get_text().replace("\n", " ") for text in ax.texts] == list(PHASES["label"])
    assert bands[0].get_facecolor() != bands[1].get_facecolor()
    assert bands[0].get_facecolor() == bands[2].get_facecolor()
    assert ax.get_xlim() == limits, "shading must not move the data's x-limits"


def test_phase_names_are_wrapped_between_whole_words_or_turned_vertical() -> None:
    use_house_style()
    fig, ax = plt.subplots()
    ax.plot(pd.to_datetime(["1960-01-01", "2026-01-01"]), [0, 1])
    phases = pd.DataFrame({
        "label": ["Resumption and 'new stage'", "Cooperation in the NATO-Russia Council", "Short"],
        "start": pd.to_datetime(["2009-04-04", "2012-01-01", "2015-01-01"]),
        "end": pd.to_datetime(["2011-12-31", "2014-12-31", "2025-12-31"]),
    })

    shade_phases(ax, phases)

    for text, label in zip(ax.texts, phases["label"]):
        lines = text.get_text().split("\n")
        assert " ".join(lines) == label, "only spaces may become line breaks"
        assert all(word in label.split() for line in lines for word in line.split())
    plt.close(fig)


def test_shade_phases_needs_an_end_for_the_ongoing_phase() -> None:
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="today"):
        shade_phases(ax, PHASES)
    assert len(shade_phases(ax, PHASES, label=False, today="2026-11-21")) == 3
    assert len(ax.texts) == 0


def test_saving_an_unchanged_figure_again_does_not_touch_its_files(tmp_path: Path) -> None:
    """nbval re-runs every notebook: figures with the same bytes keep their files and times, so `make` afterwards
    has nothing to rebuild."""
    paths = save_figure(sample_figure(), "03", "timeline", figures_dir=tmp_path)
    for path in paths:
        os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    again = save_figure(sample_figure(), "03", "timeline", figures_dir=tmp_path)
    assert [path.stat().st_mtime_ns for path in again] == [1_000_000_000_000_000_000] * 2
    assert sorted(path.name for path in tmp_path.iterdir()) == ["03_timeline.png", "03_timeline.svg"]
