"""One house style for every figure of the collection.

Colour encodes one thing everywhere: cooperation (blue) against confrontation
(vermillion), with grey for neutral. Both come from the Okabe-Ito palette, which
stays distinguishable for the common forms of colour blindness and in greyscale print.

Typical use in a notebook::

    from nato_russia.plotting import use_house_style, save_figure, shade_phases, format_date_axis
    use_house_style()
    fig, ax = plt.subplots()
    ...
    shade_phases(ax, record.phases, today=last_event_date)
    format_date_axis(ax)
    save_and_show(fig, "03_phases", "timeline")

``save_figure`` writes ``figures/03_timeline.png`` and ``figures/03_timeline.svg`` with
fixed metadata, so re-running a notebook gives byte-identical files. ``save_and_show`` does
the same and then shows the saved PNG in the notebook and closes the figure: the reader sees
exactly the file in ``figures/``, and the figure is drawn twice (PNG, SVG), not three times.
"""

from __future__ import annotations

import io
import math
import os
import re
import textwrap
import tomllib
from collections.abc import Iterable
from pathlib import Path

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.transforms as mtransforms
import numpy as np
import pandas as pd
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from PIL import Image

from .files import write_if_changed

__all__ = [
    "COOPERATION_COLOUR",
    "CONFRONTATION_COLOUR",
    "NEUTRAL_COLOUR",
    "draw_direction_bars",
    "OKABE_ITO",
    "PHASE_BAND_COLOURS",
    "FIGURE_DPI",
    "HOUSE_STYLE",
    "SVG_HASH_SALT",
    "add_score_legend",
    "figure_paths",
    "format_date_axis",
    "repository_root",
    "save_and_show",
    "save_figure",
    "score_colour",
    "score_colours",
    "shade_phases",
    "use_house_style",
]

PROJECT_NAME = "nato-russia-notebooks"

#: The Okabe-Ito palette (Okabe & Ito 2008), by name.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: The one colour for cooperation, in every figure.
COOPERATION_COLOUR = OKABE_ITO["blue"]
#: The one colour for confrontation, in every figure.
CONFRONTATION_COLOUR = OKABE_ITO["vermillion"]
#: Neither cooperation nor confrontation (score 0 or unknown).
NEUTRAL_COLOUR = "#999999"
#: Alternating light greys for phase bands.
PHASE_BAND_COLOURS = ("#F0F0F0", "#E0E0E0")

#: Resolution of saved PNG files: 12.8 x 7.2 in at 150 dpi is 1920 x 1080 pixels.
FIGURE_DPI = 150
#: zlib level of saved PNG files (0-9): 3 writes a 1920 x 1080 figure about twice as fast as 6 for a few % more bytes.
PNG_COMPRESS_LEVEL = 3
SVG_HASH_SALT = "nato-russia-notebooks"
HOUSE_STYLE = Path(__file__).with_name("styles") / "house.mplstyle"

_NOTEBOOK_NUMBER = re.compile(r"^(\d{2})(?:_[A-Za-z0-9_\-]+)?(?:\.ipynb)?$")
_FIGURE_NAME = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")


# ------------------------------------------------------------------------- the root


def _is_project_root(directory: Path) -> bool:
    pyproject = directory / "pyproject.toml"
    if not pyproject.is_file():
        return False
    try:
        metadata = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return metadata.get("project", {}).get("name") == PROJECT_NAME


def repository_root() -> Path:
    """The repository's root folder.

    ``$NATO_RUSSIA_ROOT`` if set; otherwise the nearest folder holding this project's
    ``pyproject.toml`` at or above the working directory, then at or above this module.
    """
    from_environment = os.environ.get("NATO_RUSSIA_ROOT")
    if from_environment:
        return Path(from_environment).resolve()
    for start in (Path.cwd().resolve(), Path(__file__).resolve().parent):
        for directory in (start, *start.parents):
            if _is_project_root(directory):
                return directory
    raise FileNotFoundError(
        f"cannot find the {PROJECT_NAME} repository: no pyproject.toml naming it above "
        f"{Path.cwd()} or {Path(__file__).parent}; set NATO_RUSSIA_ROOT to the repository folder"
    )


# ---------------------------------------------------------------------- the style


def use_house_style() -> None:
    """Reset matplotlib to its defaults (ignoring any personal matplotlibrc), then apply the house style."""
    mpl.rcdefaults()
    plt.style.use(HOUSE_STYLE)


def score_colour(score: float | None) -> str:
    """Colour of a cooperation-confrontation score: > 0 cooperation, < 0 confrontation, else neutral."""
    if score is None or (isinstance(score, float) and math.isnan(score)) or pd.isna(score):
        return NEUTRAL_COLOUR
    if score > 0:
        return COOPERATION_COLOUR
    if score < 0:
        return CONFRONTATION_COLOUR
    return NEUTRAL_COLOUR


def score_colours(scores: Iterable[float | None]) -> list[str]:
    """:func:`score_colour` for each score, in order (e.g. for ``ax.scatter(..., c=...)``), for the whole column at
    once: missing scores (None, NaN, NA) are neutral."""
    numbers = pd.to_numeric(scores if isinstance(scores, pd.Series) else pd.Series(list(scores), dtype="object"))
    numbers = numbers.to_numpy(dtype="float64", na_value=np.nan)
    return np.where(numbers > 0, COOPERATION_COLOUR, np.where(numbers < 0, CONFRONTATION_COLOUR, NEUTRAL_COLOUR)).tolist()


def draw_direction_bars(ax, counts: pd.DataFrame) -> None:
    """Bars per year of a yearly count (:func:`nato_russia.analysis.yearly_index`: ``events``, ``cooperation``,
    ``confrontation``), each stacked by direction (cooperation at the bottom, then neutral, then confrontation) in
    the house colours. A bar fills its year from 20 January, so the tick of a year stands at its left edge."""
    year_starts = pd.to_datetime([f"{year}-01-20" for year in counts.index])
    bottom = np.zeros(len(counts))
    neutral = counts["events"] - counts["cooperation"] - counts["confrontation"]
    for values, colour in ((counts["cooperation"], COOPERATION_COLOUR), (neutral, NEUTRAL_COLOUR),
                           (counts["confrontation"], CONFRONTATION_COLOUR)):
        ax.bar(year_starts, values, bottom=bottom, width=325, align="edge", color=colour, zorder=3)
        bottom += values.to_numpy()


def add_score_legend(ax, *, neutral: bool = True, **legend_options):
    """A legend that names the two (or three) score colours."""
    handles = [
        Patch(facecolor=COOPERATION_COLOUR, label="cooperation"),
        Patch(facecolor=CONFRONTATION_COLOUR, label="confrontation"),
    ]
    if neutral:
        handles.append(Patch(facecolor=NEUTRAL_COLOUR, label="neutral"))
    return ax.legend(handles=handles, **legend_options)


# ------------------------------------------------------------------------- saving


def figure_paths(notebook: str, name: str, figures_dir: Path | str | None = None) -> tuple[Path, Path]:
    """``(figures/NN_name.png, figures/NN_name.svg)`` for notebook ``"NN"`` or ``"NN_title"``."""
    match = _NOTEBOOK_NUMBER.match(Path(str(notebook)).name)
    if not match:
        raise ValueError(
            f"notebook must be its two-digit number or file name, like '03' or '03_phases'; got {notebook!r}"
        )
    if not _FIGURE_NAME.match(name):
        raise ValueError(
            f"figure name must be lower-case words joined by '_', like 'events_per_year'; got {name!r}"
        )
    folder = Path(figures_dir) if figures_dir is not None else repository_root() / "figures"
    stem = f"{match.group(1)}_{name}"
    return folder / f"{stem}.png", folder / f"{stem}.svg"


def _write_png(fig, path: Path) -> None:
    """Draw ``fig`` with Agg at :data:`FIGURE_DPI` and write it as an opaque RGB PNG.

    The house style's figures are opaque (white face), so the alpha channel matplotlib's own PNG writer keeps
    holds nothing: without it, and at zlib level :data:`PNG_COMPRESS_LEVEL` instead of 6, a 1920 x 1080 figure
    is written in about half the time and is a little smaller. No text chunks (no software, no date) are
    written; the resolution is (``pHYs``), so the file prints at the figure's size.
    """
    raw = io.BytesIO()
    fig.savefig(raw, format="rgba", dpi=FIGURE_DPI)
    # Agg's canvas is int(width) x int(height) pixels of the figure's bounding box at that resolution.
    width, height = (int(side) for side in fig.get_size_inches() * FIGURE_DPI)
    pixels = raw.getbuffer()
    if pixels.nbytes != 4 * width * height:
        raise RuntimeError(f"{path.name}: Agg drew {pixels.nbytes} bytes, expected {width} x {height} RGBA pixels")
    image = Image.frombuffer("RGBA", (width, height), pixels, "raw", "RGBA", 0, 1)
    png = io.BytesIO()
    image.convert("RGB").save(png, format="png", compress_level=PNG_COMPRESS_LEVEL, dpi=(FIGURE_DPI, FIGURE_DPI))
    write_if_changed(path, png.getvalue())


def save_figure(fig, notebook: str, name: str, figures_dir: Path | str | None = None) -> tuple[Path, Path]:
    """Save *fig* as ``figures/NN_name.png`` and ``.svg`` with fixed metadata; return both paths.

    No dates and no software version are written, and the SVG ids come from a fixed
    hash salt, so saving the same figure again gives byte-identical files. A layout engine (the house
    style's constrained layout) runs once, for the PNG; the SVG keeps that layout instead of computing it
    again, so both files have the same layout. Each file is written in one step (never left half-written) and
    only when its bytes change, so re-running a notebook with the same results leaves ``figures/`` untouched.
    """
    png_path, svg_path = figure_paths(notebook, name, figures_dir)
    png_path.parent.mkdir(parents=True, exist_ok=True)
    with mpl.rc_context({"svg.hashsalt": SVG_HASH_SALT, "svg.fonttype": "path"}):
        _write_png(fig, png_path)
        engine = fig.get_layout_engine()
        if engine is not None:
            fig.set_layout_engine("none")  # keeps the axes where the PNG's layout put them
        svg = io.BytesIO()
        try:
            fig.savefig(
                svg,
                format="svg",
                metadata={"Creator": None, "Date": None, "Format": None, "Type": None, "Title": png_path.stem},
            )
        finally:
            if engine is not None:
                fig.set_layout_engine(engine)
        write_if_changed(svg_path, svg.getvalue())
    return png_path, svg_path


def save_and_show(fig, notebook: str, name: str, figures_dir: Path | str | None = None) -> None:
    """Save *fig* like :func:`save_figure`, show the saved PNG as the cell's output, and close *fig*.

    In a notebook the inline backend would otherwise draw the figure a third time, at another resolution,
    after the cell; showing the saved file instead is faster and makes the notebook display byte for byte the
    figure in ``figures/``. Outside IPython (a script) nothing is shown. Returns nothing, so it can end a cell.
    """
    from IPython import get_ipython
    from IPython.display import Image, display

    png_path, _ = save_figure(fig, notebook, name, figures_dir)
    plt.close(fig)
    if get_ipython() is not None:
        display(Image(data=png_path.read_bytes(), format="png"))


# ------------------------------------------------------------------- date helpers


def _as_datetime(value):
    return pd.Timestamp(value).to_pydatetime()


def shade_phases(
    ax,
    phases: pd.DataFrame,
    label: bool = True,
    *,
    today=None,
    colours: tuple[str, str] = PHASE_BAND_COLOURS,
) -> list:
    """Draw each phase as a shaded vertical band, named at the top inside the band.

    *phases* needs datetime columns ``start`` and ``end`` and a ``label`` column; an
    ``end`` of NaT (the ongoing phase) is drawn to *today* or, if not given, to the
    right x-limit (so call this after plotting the data). Bands alternate between two
    light greys and sit behind the data. If the axes already show data, the x-limits
    are kept. A name is wrapped to the width of its band; in a band too narrow for
    that it runs vertically. Returns the band patches, one per phase, ordered by start.
    """
    missing = {"start", "end"} - set(phases.columns) | ({"label"} - set(phases.columns) if label else set())
    if missing:
        raise KeyError(f"phases needs the column(s) {sorted(missing)}")
    had_data = ax.has_data()
    kept_xlim = ax.get_xlim()
    if today is not None:
        ongoing_end = _as_datetime(today)
    elif had_data:
        ongoing_end = mdates.num2date(kept_xlim[1]).replace(tzinfo=None)
    else:
        ongoing_end = None

    spans = []  # worked out in full before anything is drawn
    for phase in phases.sort_values("start").itertuples(index=False):
        if pd.isna(phase.end) and ongoing_end is None:
            raise ValueError("a phase has no end: pass today=... or plot the data before shade_phases")
        end = ongoing_end if pd.isna(phase.end) else _as_datetime(phase.end)
        spans.append((_as_datetime(phase.start), end, getattr(phase, "label", "")))

    bands = [
        ax.axvspan(start, end, facecolor=colours[position % 2], edgecolor="none", zorder=0)
        for position, (start, end, _) in enumerate(spans)
    ]
    if had_data:
        ax.set_xlim(kept_xlim)
    else:
        ax.autoscale_view()
    if label:
        _label_bands(ax, spans)
    return bands


def _label_bands(ax, spans) -> None:
    """Each phase's name at the top of its band, wrapped to fit or else vertical."""
    font_points = FontProperties(size="small").get_size_in_points()
    character_inches = 0.6 * font_points / 72  # the average width of a DejaVu Sans character
    axes_inches = ax.get_position().width * ax.figure.get_figwidth()
    left, right = ax.get_xlim()
    to_band_top = mtransforms.blended_transform_factory(ax.transData, ax.transAxes)
    for start, end, name in spans:
        start_number, end_number = mdates.date2num(start), mdates.date2num(end)
        visible = min(end_number, right) - max(start_number, left)
        if visible <= 0:
            continue
        fitting = int(visible / (right - left) * axes_inches / character_inches) - 1
        # words are never broken: a band too narrow for the name's longest word gets the name vertically
        vertical = fitting < max([8, *(len(word) for word in str(name).split())])
        ax.text(
            mdates.num2date((max(start_number, left) + min(end_number, right)) / 2).replace(tzinfo=None),
            0.98,
            textwrap.fill(str(name), 28 if vertical else fitting, break_long_words=False, break_on_hyphens=False),
            transform=to_band_top,
            ha="center",
            va="top",
            rotation=90 if vertical else 0,
            fontsize="small",
            color="#444444",
            zorder=1,
            clip_on=True,
        )


def format_date_axis(ax, axis: str = "x", *, minticks: int = 4, maxticks: int = 10):
    """Dates as dates: an automatic locator with matplotlib's concise labels (years, then months)."""
    target = ax.xaxis if axis == "x" else ax.yaxis
    locator = mdates.AutoDateLocator(minticks=minticks, maxticks=maxticks)
    target.set_major_locator(locator)
    target.set_major_formatter(mdates.ConciseDateFormatter(locator))
    return ax
