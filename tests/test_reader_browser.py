"""The offline reader in a real browser: headless Chromium opens the built site from the file system, as a lecturer
would from a USB stick, at 1280 px wide, and checks the start page, one chapter, chapter 08 (exercises), the
codebook and the glossary: no request leaves the machine, nothing fails to load, every image loads, no element is
wider than the window, runs out of the text column or is cut off at its right, and the search page finds a known
word.

Needs Chromium (Debian: `apt-get install chromium`; `.ci/run` installs it when it is missing). Without one the
test is skipped with a warning, except under CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import Chromium, file_url, find_chromium

WIDTH = 1280
PAGES = {
    "start page": "index.html",
    "a chapter": "notebooks/02_timeline.html",
    "chapter 08": "notebooks/08_seminar_exercises.html",
    "codebook": "data/README.html",
    "glossary": "reader/glossary.html",
}
LOCAL_SCHEMES = {"file", "data", "blob", "about"}
SEARCH_WORD = "Founding"  # the NATO-Russia Founding Act of 1997: in chapters, the glossary and the codebook

# Every image that is not fully loaded, after asking lazy ones to load now.
BROKEN_IMAGES = """
Promise.all(Array.from(document.images).map(image => {
  image.loading = "eager";
  return image.decode().then(() => null, () => null).then(() =>
    image.complete && image.naturalWidth > 0 ? null : (image.getAttribute("src") || "(no src)"));
})).then(results => ({count: results.length, broken: results.filter(Boolean)}))
"""

# Open every folded cell and dropdown first (the solutions of chapter 08), then list every visible element that
# reaches past the window's edges, and every element whose content is wider than its box and cut off or scrolled.
TOO_WIDE = """
(() => {
  document.querySelectorAll("details").forEach(details => { details.open = true; });
  const width = document.documentElement.clientWidth, found = [];
  // The text column: what it holds must stay inside it, not run under the page's table of contents.
  const article = document.querySelector("article.bd-article") || document.querySelector("main");
  const column = article.getBoundingClientRect();
  const name = element => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
    + (element.classList.length ? "." + Array.from(element.classList).join(".") : "");
  for (const element of document.querySelectorAll("body *")) {
    const style = getComputedStyle(element), box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || style.visibility === "hidden") continue;
    if (box.left < -1 || box.right > width + 1) {
      found.push(`${name(element)} spans ${Math.round(box.left)}..${Math.round(box.right)} px`);
    } else if (article.contains(element) && element !== article && (box.left < column.left - 1 || box.right > column.right + 1)) {
      found.push(`${name(element)} spans ${Math.round(box.left)}..${Math.round(box.right)} px, outside the text `
        + `column (${Math.round(column.left)}..${Math.round(column.right)} px)`);
    } else if (element.scrollWidth > element.clientWidth + 1 && style.overflowX !== "visible") {
      found.push(`${name(element)}: content ${element.scrollWidth} px wide in ${element.clientWidth} px `
        + `(overflow-x ${style.overflowX}): ${element.textContent.trim().slice(0, 60)}`);
    }
  }
  return {width: width, pageWidth: document.documentElement.scrollWidth, found: found.slice(0, 20)};
})()
"""

SEARCH_RESULTS = """
(() => {
  const links = Array.from(document.querySelectorAll("#search-results li a")).map(a => a.getAttribute("href"));
  const summary = document.querySelector("#search-results .search-summary, #search-results p");
  return {links: links, summary: summary ? summary.textContent : ""};
})()
"""


@pytest.fixture(scope="module")
def browser():
    executable = find_chromium()
    if executable is None:
        reason = ("no Chromium found (looked for chromium, chromium-browser, google-chrome): the reader was NOT "
                  "checked in a browser. Install it (Debian: apt-get install chromium) to run this test.")
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {reason}")
        warnings.warn(reason, pytest.PytestWarning, stacklevel=1)
        pytest.skip(reason)
    with Chromium(executable, width=WIDTH) as chromium:
        yield chromium


@pytest.fixture(scope="module")
def visited(browser, site: Path):
    """Open each page once; what each one requested and how it looks."""
    results = {}
    for label, relative in PAGES.items():
        browser.open(file_url(site / relative))
        results[label] = {
            "url": browser.evaluate("location.href"),
            "requested": browser.requested_urls(),
            "failed": browser.failed_requests(),
            "images": browser.evaluate(BROKEN_IMAGES),
            "layout": browser.evaluate(TOO_WIDE),
        }
    return results


@pytest.mark.parametrize("label", PAGES)
def test_no_request_leaves_the_machine(visited, label):
    requested = visited[label]["requested"]
    assert requested, "the browser recorded no request at all: the check would see nothing"
    remote = [url for url in requested if urlsplit(url).scheme not in LOCAL_SCHEMES]
    assert not remote, f"{label} asked the network for: {remote}"


@pytest.mark.parametrize("label", PAGES)
def test_every_file_the_page_asks_for_loads(visited, label):
    assert visited[label]["url"].startswith("file://")
    assert not visited[label]["failed"], f"{label}: requests that failed: {visited[label]['failed']}"


@pytest.mark.parametrize("label", PAGES)
def test_every_image_loads(visited, label):
    images = visited[label]["images"]
    assert not images["broken"], f"{label}: images that did not load: {images['broken']}"
    if label in ("a chapter", "chapter 08"):
        assert images["count"] > 0, f"{label} shows no image"


@pytest.mark.parametrize("label", PAGES)
def test_nothing_is_wider_than_the_window_at_1280_px(visited, label):
    layout = visited[label]["layout"]
    assert layout["width"] <= WIDTH
    assert layout["pageWidth"] <= layout["width"], f"{label} scrolls sideways: {layout['pageWidth']} px"
    assert not layout["found"], f"{label}: elements wider than the window or cut off:\n" + "\n".join(layout["found"])


def test_search_finds_a_known_word(browser, site: Path):
    browser.open(f"{file_url(site / 'search.html')}?q={SEARCH_WORD}")
    results = browser.wait_for(lambda: browser.evaluate(SEARCH_RESULTS)["links"], f"search results for {SEARCH_WORD}")
    assert any("notebooks/" in link for link in results), f"no chapter among the results: {results}"
    remote = [url for url in browser.requested_urls() if urlsplit(url).scheme not in LOCAL_SCHEMES]
    assert not remote, f"the search asked the network for: {remote}"
