"""The record's sources in groups: the four documents read in full, and the pages added later.

The record began with four source documents, read in full (``sources.original_file`` names the copy read):
two NATO backgrounders, NATO's Ukrainian topic page and the Greek encyclopedia article. To carry the record to
the present, pages found later were added, most of them read only in their opening part: later NATO pages,
other official texts, reference works and news reports. A chapter that compares sources one by one compares the
four documents; the later pages enter such comparisons by group, so that a table keeps a handful of columns.

Typical use::

    groups = source_groups(record.sources)            # source_id -> group
    documents = record.sources[groups.eq(SOURCE_DOCUMENT).to_numpy()]
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["GROUPS", "SOURCE_DOCUMENT", "source_groups"]

SOURCE_DOCUMENT = "source document"
"""The group of the four documents read in full (``original_file`` is not empty)."""

GROUPS = (SOURCE_DOCUMENT, "later NATO text", "other official text", "reference work", "news report")
"""Every group, in the order tables and figures show them: the documents read in full first, then the later
pages from the most to the least authoritative, as the record's sourcing rules rank them."""

_NATO_PUBLISHER = re.compile(r"^NATO\b(?! Parliamentary Assembly)")
"""NATO itself (also "NATO (Press Release ...)"), not the NATO Parliamentary Assembly, a body of national
parliaments."""


def source_groups(sources: pd.DataFrame) -> pd.Series:
    """Each source's group (an ordered categorical of :data:`GROUPS`), indexed by ``source_id``.

    A source with an ``original_file`` is a *source document*. Any other source is grouped by its ``kind``: a
    news report is a *news report*; an encyclopedia article or reference work a *reference work*; an official
    publication or web page a *later NATO text* when NATO published it, else an *other official text*.
    """
    read_in_full = sources["original_file"].fillna("").astype(str).str.strip().ne("")
    nato = sources["publisher"].astype(str).str.match(_NATO_PUBLISHER)
    kind = sources["kind"].astype(str)
    group = pd.Series(
        [
            SOURCE_DOCUMENT if full
            else "news report" if k == "news report"
            else "reference work" if k in ("encyclopedia article", "reference work")
            else "later NATO text" if is_nato
            else "other official text"
            for full, k, is_nato in zip(read_in_full, kind, nato)
        ],
        index=pd.Index(sources["source_id"], name="source_id"),
        name="group",
    )
    return group.astype(pd.CategoricalDtype(GROUPS, ordered=True))
