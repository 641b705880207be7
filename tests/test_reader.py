"""The offline reader (nato_russia.reader): built once per test session into a temporary folder, then checked the
way a reader would use it: every notebook has a page, every local link and image works from the file system,
nothing loads from the network, the generated pages list every glossary term and every reading, the exercise
solutions are folded, and the search index exists."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import REPOSITORY

from nato_russia import load, reader

NOTEBOOKS = sorted((REPOSITORY / "notebooks").glob(reader.NOTEBOOK_GLOB))


class Page(HTMLParser):
    """What the checks need from one HTML file: ids, links and resources, images, folded cells, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.images: list[str] = []
        self.cells: list[set[str]] = []  # the classes of each notebook cell container
        self.admonitions: list[set[str]] = []
        self.text_parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name):
                self.links.append((tag, name, attributes[name]))
        if tag == "img":
            self.images.append(attributes.get("src", ""))
        classes = set((attributes.get("class") or "").split())
        if tag == "div" and "cell" in classes:
            self.cells.append(classes)
        if tag == "div" and "admonition" in classes:
            self.admonitions.append(classes)
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())


_pages: dict[Path, Page] = {}


def page(path: Path) -> Page:
    if path not in _pages:
        parsed = Page()
        parsed.feed(path.read_text(encoding="utf-8"))
        _pages[path] = parsed
    return _pages[path]


def html_files(site: Path) -> list[Path]:
    return sorted(path for path in site.rglob("*.html") if "_static" not in path.parts)


def local_target(site: Path, source: Path, value: str) -> tuple[Path, str] | None:
    """The file and anchor a link points to, or None if it leaves the site (another scheme, or a bare anchor is
    returned with the page itself)."""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or value.startswith("//"):
        return None
    if not parts.path:
        return source, unquote(parts.fragment)
    return (source.parent / unquote(parts.path)).resolve(), unquote(parts.fragment)


# --- the build --------------------------------------------------------------------------------------------------


def test_build_succeeds_with_an_index_and_a_search_page(site):
    assert (site / "index.html").is_file()
    assert (site / "search.html").is_file()


def test_search_index_exists_and_covers_the_pages(site):
    index = site / "searchindex.js"
    assert index.is_file() and index.stat().st_size > 10_000
    text = index.read_text(encoding="utf-8")
    for notebook in NOTEBOOKS:
        assert f"notebooks/{notebook.stem}" in text
    for name in ("reader/seminar_guide", "reader/primary_documents", "reader/readings", "reader/glossary", "data/README"):
        assert name in text


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_notebook_has_a_page_with_its_title_and_outputs(site, notebook):
    path = site / "notebooks" / f"{notebook.stem}.html"
    assert path.is_file(), f"no page for {notebook.name}"
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    title = next(line for line in "".join(cells[0]["source"]).splitlines() if line.startswith("# "))[2:]
    rendered = page(path)
    assert " ".join(title.split()).replace("`", "") in rendered.text
    stored_images = sum("image/png" in output.get("data", {}) for cell in cells for output in cell.get("outputs", []))
    assert len(rendered.images) >= stored_images, "a stored figure is missing from the page"


def test_the_pages_of_the_guide_codebook_readings_and_glossary_exist(site):
    for name in ("reader/index", "reader/seminar_guide", "reader/primary_documents", "reader/readings",
                 "reader/glossary", "data/README"):
        assert (site / f"{name}.html").is_file(), name


# --- links, images, network -------------------------------------------------------------------------------------


def test_every_internal_link_resolves_with_its_anchor(site):
    broken = []
    for source in html_files(site):
        for tag, attribute, value in page(source).links:
            target = local_target(site, source, value)
            if target is None:
                continue
            path, anchor = target
            if not path.is_file():
                broken.append(f"{source.relative_to(site)}: <{tag} {attribute}={value!r}> (no such file)")
            elif anchor and path.suffix == ".html" and anchor not in page(path).ids:
                broken.append(f"{source.relative_to(site)}: <{tag} {attribute}={value!r}> (no id {anchor!r})")
    assert not broken, "\n".join(broken)


def test_every_image_is_a_local_non_empty_file(site):
    problems, count = [], 0
    for source in html_files(site):
        for src in page(source).images:
            count += 1
            if src.startswith("data:image/"):
                continue
            target = local_target(site, source, src)
            if target is None:
                problems.append(f"{source.relative_to(site)}: image from elsewhere {src!r}")
            elif not target[0].is_file() or target[0].stat().st_size == 0:
                problems.append(f"{source.relative_to(site)}: image {src!r} missing or empty")
    assert count, "no images at all"
    assert not problems, "\n".join(problems)


def test_nothing_is_loaded_from_the_network(site):
    """Scripts, style sheets, images and frames come from the site itself (links to web pages are allowed)."""
    loaded_from_network = []
    for source in html_files(site):
        for tag, attribute, value in page(source).links:
            loads = attribute == "src" or (tag == "link" and attribute == "href")
            if loads and value.startswith(("http:", "https:", "//")):
                loaded_from_network.append(f"{source.relative_to(site)}: <{tag} {attribute}={value!r}>")
    assert not loaded_from_network, "\n".join(loaded_from_network)
    for css in (site / "_static").rglob("*.css"):
        imports = re.findall(r"@import\s+(?:url\()?['\"]?(https?:[^'\")]+)", css.read_text(encoding="utf-8"))
        assert not imports, f"{css.name} imports {imports}"


# --- the generated pages ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def record():
    return load()


def test_glossary_page_lists_every_term_in_every_language(site, record):
    text = page(site / "reader" / "glossary.html").text
    missing = []
    for term in record.glossary.itertuples(index=False):
        for column in ("en", "uk", "el", "ru", "abbr_en", "abbr_uk", "abbr_ru", "definition_en"):
            value = getattr(term, column)
            if isinstance(value, str) and " ".join(value.split()) not in text:
                missing.append(f"{term.term_id}.{column}: {value!r}")
    assert not missing, "\n".join(missing)


def test_primary_documents_page_lists_every_document_with_its_anchor_address_and_events(site, record):
    rendered = page(site / "reader" / "primary_documents.html")
    missing = []
    for document in record.primary_documents.itertuples(index=False):
        if document.document_id not in rendered.ids:
            missing.append(f"{document.document_id}: no anchor")
        if isinstance(document.url, str) and document.url and document.url not in rendered.text:
            missing.append(f"{document.document_id}: address {document.url} not shown")
    for link in record.document_events.itertuples(index=False):
        if link.event_id not in rendered.text:
            missing.append(f"{link.document_id}: event {link.event_id} not listed")
    assert not missing, "\n".join(missing)
    sides = record.primary_documents["side"]
    assert (sides == "NATO").sum() and (sides == "Russia").sum(), "both sides' documents"


def test_reading_list_lists_every_reading_as_given_with_its_anchor(site, record):
    rendered = page(site / "reader" / "readings.html")
    missing = []
    for reading in record.readings.itertuples(index=False):
        if reading.reading_id not in rendered.ids:
            missing.append(f"{reading.reading_id}: no anchor")
        for column in ("authors", "title", "published_in", "note"):
            value = getattr(reading, column)
            if isinstance(value, str) and " ".join(value.split()) not in rendered.text:
                missing.append(f"{reading.reading_id}.{column}: {value!r}")
        if f"({reading.year})" not in rendered.text:
            missing.append(f"{reading.reading_id}: year {reading.year}")
    assert not missing, "\n".join(missing)


def test_seminar_guide_maps_every_exercise_and_projects_existing_figures(site):
    guide = page(site / "reader" / "seminar_guide.html")
    for number in range(1, 11):
        assert f"E{number:02d}" in guide.text
    figures = [value for _, _, value in guide.links if value.endswith(".png")]
    assert len(figures) >= 12
    for notebook in NOTEBOOKS:
        assert any(value.endswith(f"notebooks/{notebook.stem}.html") for _, _, value in guide.links), notebook.stem


# --- solutions folded -------------------------------------------------------------------------------------------


def test_exercise_solutions_are_folded(site):
    notebook = next(path for path in NOTEBOOKS if path.name.startswith("08_"))
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    solution_code = sum(c["cell_type"] == "code" and "solution" in c["metadata"].get("tags", []) for c in cells)
    solution_text = sum(c["cell_type"] == "markdown" and "solution" in c["metadata"].get("tags", []) for c in cells)
    rendered = page(site / "notebooks" / f"{notebook.stem}.html")
    code_cells = [classes for classes in rendered.cells if "tag_solution" in classes]
    assert len(code_cells) == solution_code > 0
    assert all("tag_hide-cell" in classes for classes in code_cells)
    folded_text = [classes for classes in rendered.admonitions if {"dropdown", "solution"} <= classes]
    assert len(folded_text) == solution_text > 0
    assert "Show the worked solution" in html.unescape(rendered.text) or code_cells


# --- the page generators, without a build ---------------------------------------------------------------------


def test_fold_solutions_leaves_outputs_and_other_cells_alone():
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {"tags": ["exercise"]}, "source": ["## E01 · Task"]},
            {"cell_type": "code", "metadata": {"tags": ["solution", "hide-input"]}, "source": ["x = 1"],
             "outputs": [{"output_type": "stream", "name": "stdout", "text": ["1\n"]}], "execution_count": 1},
            {"cell_type": "markdown", "metadata": {"tags": ["solution"]}, "source": ["**Explanation.** ```x```"]},
            {"cell_type": "code", "metadata": {"tags": ["lecturer"]}, "source": ["answers"], "outputs": []},
        ]
    }
    folded = reader.fold_solutions(notebook)
    assert folded["cells"][0] == notebook["cells"][0]
    assert folded["cells"][1]["outputs"] == notebook["cells"][1]["outputs"]
    assert "hide-cell" in folded["cells"][1]["metadata"]["tags"]
    assert folded["cells"][1]["metadata"]["mystnb"]["code_prompt_show"] == "Show the worked solution"
    assert folded["cells"][2]["source"].startswith("````{admonition}")
    assert ":class: dropdown" in folded["cells"][2]["source"]
    assert folded["cells"][3]["metadata"]["mystnb"]["code_prompt_show"] == "Show the answer key"
    assert notebook["cells"][1]["metadata"]["tags"] == ["solution", "hide-input"], "the input must not change"


def test_fold_solutions_refuses_a_heading_inside_a_solution():
    notebook = {"cells": [{"cell_type": "markdown", "metadata": {"tags": ["solution"]}, "source": ["## Heading"]}]}
    with pytest.raises(ValueError, match="heading"):
        reader.fold_solutions(notebook)


def test_toc_lists_every_notebook_in_order():
    text = reader.toc(NOTEBOOKS)
    positions = [text.index(f"notebooks/{path.stem}") for path in NOTEBOOKS]
    assert positions == sorted(positions)
    assert "reader/readings" in text and "reader/glossary" in text and "data/README" in text


def test_generated_pages_escape_markup(record):
    readings = record.readings.head(1).assign(title="A *starred* [title] with `code`", note="online")
    text = reader.readings_page(type(record)(**{**record.tables(), "readings": readings}))
    assert r"A \*starred\* \[title\] with \`code\`" in text
    glossary = record.glossary.head(1).assign(definition_en="a | b")
    text = reader.glossary_page(type(record)(**{**record.tables(), "glossary": glossary}))
    assert r"a \| b" in text


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_chapter_title_starts_with_its_number(site, notebook):
    """The sidebar and the search results show each chapter as "NN · Title"."""
    text = (site / "notebooks" / f"{notebook.stem}.html").read_text(encoding="utf-8")
    title = html.unescape(re.search(r"<title>(.*?)</title>", text, re.S).group(1)).strip()
    assert title.startswith(f"{notebook.name[:2]} · "), title
    index = (site / "reader" / "index.html").read_text(encoding="utf-8")  # its sidebar
    assert f"{notebook.name[:2]} · " in html.unescape(index)


def test_number_title_adds_the_number_once():
    notebook = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# Escalation points\n", "\n", "Text"]}]}
    numbered = reader.number_title(notebook, "05")
    assert numbered["cells"][0]["source"] == "# 05 · Escalation points\n\nText"
    assert reader.number_title(numbered, "05")["cells"][0]["source"] == "# 05 · Escalation points\n\nText"
    assert notebook["cells"][0]["source"][0] == "# Escalation points\n", "the input must not change"


def test_consecutive_solution_cells_have_numbered_buttons():
    def code(*tags):
        return {"cell_type": "code", "metadata": {"tags": list(tags)}, "source": ["x"], "outputs": []}

    notebook = {"cells": [code("solution"), code("solution"), code("student"), code("solution")]}
    prompts = [cell["metadata"].get("mystnb", {}).get("code_prompt_show") for cell in
               reader.fold_solutions(notebook)["cells"]]
    assert prompts == ["Show the worked solution (step 1 of 2)", "Show the worked solution (step 2 of 2)", None,
                       "Show the worked solution"]


def test_reading_list_and_glossary_are_not_folded_under_the_guide():
    lines = reader.toc(NOTEBOOKS).splitlines()
    for name in ("reader/seminar_guide", "reader/primary_documents", "reader/readings", "reader/glossary"):
        assert f"      - file: {name}" in lines


# --- the seminar guide, without a build -------------------------------------------------------------------------


def test_seminar_guide_sessions_each_read_primary_documents_of_both_sides(record):
    """Every session of the guide (a heading "## Session N · ...") links at least two rows of
    data/primary_documents.csv; across the course both NATO's and Russia's documents are read. The guide writes
    the link as ``[title](#<document_id>)``, the form MyST resolves to the label on the generated page (a link
    ``primary_documents.md#<document_id>`` fails the reader's build, as ``readings.md#<reading_id>`` does); an
    explicit ``primary_documents.md#`` link is counted too, and must name a document that exists."""
    guide = (REPOSITORY / "reader" / "seminar_guide.md").read_text(encoding="utf-8")
    parts = re.split(r"^## (Session \d+\b.*)$", guide, flags=re.M)
    sessions = dict(zip(parts[1::2], (re.split(r"^## ", body, flags=re.M)[0] for body in parts[2::2])))
    assert len(sessions) >= 8, f"{len(sessions)} session headings"
    sides = record.primary_documents.set_index("document_id")["side"]
    linked_sides, problems = set(), []
    for heading, body in sessions.items():
        explicit = re.findall(r"\]\(primary_documents\.md#([^)\s]+)\)", body)
        problems += [f"{heading}: no primary document {anchor!r}" for anchor in explicit if anchor not in sides.index]
        documents = {anchor for anchor in explicit + re.findall(r"\]\(#([^)\s]+)\)", body) if anchor in sides.index}
        if len(documents) < 2:
            problems.append(f"{heading}: links {len(documents)} primary document(s), at least 2 expected")
        linked_sides |= set(sides[sorted(documents)])
    assert not problems, "\n".join(problems)
    assert {"NATO", "Russia"} <= linked_sides, f"sides linked across the course: {sorted(linked_sides)}"
