"""The record's sources in groups: the four documents read in full, and the pages added later.

The record began with four source documents, read in full (``sources.original_file`` names the copy read):
two NATO backgrounders, NATO's Ukrainian topic page and the Greek encyclopedia article. To carry the record to
the present, pages found later were added, most of them read only in their opening part: later NATO pages,
other official texts, reference works and news reports. A chapter that compares sources one by one compares the
four documents; the later pages enter such comparisons by group, so that a table keeps a handful of columns.

Typical use::

    groups = source_groups(record.sources)            # source_id -> group
    documents = document_ids(record.sources)          # the four documents, oldest first
    coverage = analysis.coverage_matrix(record.events, record.mentions, record.sources)
    by_group = group_coverage(coverage, groups)       # one column per group instead of one per source
    table = documents_and_groups(coverage, groups)    # the four documents, then one column per later group
    basis = best_group(by_group)                      # each event's best-ranked group
"""

from __future__ import annotations

import pandas as pd

from . import analysis

__all__ = [
    "GROUPS",
    "GROUP_OF_ORIGIN",
    "LATER_DISAGREEMENTS",
    "LATER_GROUPS",
    "SOURCE_DOCUMENT",
    "best_group",
    "document_ids",
    "documents_and_groups",
    "group_coverage",
    "groups_stating",
    "restatements",
    "source_groups",
]

SOURCE_DOCUMENT = "source document"
"""The group of the four documents read in full (``original_file`` is not empty)."""

GROUPS = (SOURCE_DOCUMENT, "later NATO text", "Russian official text", "other official text", "reference work",
          "Russian state media", "news report")
"""Every group, in the order tables and figures show them: the documents read in full first, then the later
pages: the two sides' own official texts, other official texts, reference works, then the media."""

GROUP_OF_ORIGIN = {
    "nato": "later NATO text",
    "russian_government": "Russian official text",
    "allied_government": "other official text",
    "ukrainian_government": "other official text",
    "other_government": "other official text",
    "international_organisation": "other official text",
    "reference": "reference work",
    "scholarship": "reference work",
    "russian_state_media": "Russian state media",
    "news": "news report",
}
"""The group of a later page, from its ``origin`` (sources.csv): whose view it carries."""

LATER_GROUPS = GROUPS[1:]
"""The groups of the pages added later, in the order of :data:`GROUPS`."""

LATER_DISAGREEMENTS: dict[str, tuple[str, ...]] = {
    "Did the Secretary General decide or state that the NATO-Russia Council had ended?": (
        "2025-12-03-nrc-and-founding-act-declared-ended",
    ),
    "How many drones, minutes and states?": (
        "2025-09-10-russian-drones-violate-polish-airspace",
        "2025-09-12-joint-statement-at-un-condemns-drone-incursion",
        "2025-09-19-russian-mig-31s-violate-estonian-airspace",
        "2025-09-23-nac-warns-russia-over-airspace-violations",
    ),
    "How often have Allies held Article 4 consultations?": (
        "2022-11-16-nato-finds-no-deliberate-attack-on-poland",
        "2025-09-10-article-4-consultations-on-poland",
    ),
    "Suspend, withdraw, denounce or revoke: what did Russia do to its treaties?": (
        "2022-08-russia-halts-new-start-inspections",
        "2023-02-21-russia-suspends-new-start",
        "2023-05-29-putin-signs-cfe-denunciation-law",
        "2023-11-02-russia-revokes-ctbt-ratification",
    ),
}
"""Disagreements that the mention notes of events from 2022 on record between the later pages, as questions,
with the events (events.csv ``event_id``) whose mentions carry them, in date order."""

def source_groups(sources: pd.DataFrame) -> pd.Series:
    """Each source's group (an ordered categorical of :data:`GROUPS`), indexed by ``source_id``.

    A source with an ``original_file`` is a *source document*; any other source is grouped by its ``origin``
    (:data:`GROUP_OF_ORIGIN`).
    """
    read_in_full = sources["original_file"].fillna("").astype(str).str.strip().ne("")
    group = sources["origin"].map(GROUP_OF_ORIGIN).where(~read_in_full, SOURCE_DOCUMENT)
    group = pd.Series(group.to_numpy(), index=pd.Index(sources["source_id"], name="source_id"), name="group")
    return group.astype(pd.CategoricalDtype(GROUPS, ordered=True))


def document_ids(sources: pd.DataFrame) -> list[str]:
    """The ids of the source documents (the group :data:`SOURCE_DOCUMENT`), in order of publication
    (``published``, an ISO date at any precision, then id)."""
    groups = source_groups(sources)
    documents = sources[groups.eq(SOURCE_DOCUMENT).to_numpy()]
    return list(documents.sort_values(["published", "source_id"])["source_id"])


def group_coverage(coverage: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Which group of sources states which event: ``coverage`` (as
    :func:`nato_russia.analysis.coverage_matrix` returns it: one row per event, one boolean column per source)
    with one column per group of :data:`GROUPS` instead, true where any source of the group states the event.

    ``groups`` is :func:`source_groups`; rows keep the order of ``coverage``. A group none of whose sources is
    a column of ``coverage`` gets a column of false.
    """
    source_group = groups.reindex(coverage.columns).astype("object").to_numpy()
    by_group = {group: coverage.loc[:, source_group == group].any(axis=1) for group in GROUPS}
    return pd.DataFrame(by_group, index=coverage.index).rename_axis(columns=None)


def groups_stating(events: pd.DataFrame, mentions: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Which group of sources states which event, straight from the record's tables: :func:`group_coverage` of
    :func:`nato_russia.analysis.coverage_matrix` with :func:`source_groups`. One row per event (in date order),
    one boolean column per group of :data:`GROUPS`."""
    return group_coverage(analysis.coverage_matrix(events, mentions, sources), source_groups(sources))


def documents_and_groups(coverage: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """``coverage`` with a column per source document (in the order of ``coverage``'s columns), then one
    column per later group (:data:`LATER_GROUPS`, in that order) standing for all the group's sources: the
    handful of columns a table or a figure can show."""
    documents = [source for source in coverage.columns if groups.get(source) == SOURCE_DOCUMENT]
    return pd.concat([coverage[documents], group_coverage(coverage, groups)[list(LATER_GROUPS)]], axis=1)


def best_group(by_group: pd.DataFrame) -> pd.Series:
    """For each event (row of :func:`group_coverage`), the first group of :data:`GROUPS` that states it: a
    source document if one does, else the best-ranked group of later pages. So an event whose best group is
    ``news report`` rests on news reports alone. An ordered categorical of :data:`GROUPS`; missing for an
    event no group states."""
    stated = by_group[list(GROUPS)].to_numpy(dtype=bool)
    first = stated.argmax(axis=1)
    codes = pd.Series(first, index=by_group.index).where(stated.any(axis=1), -1).astype("int64")
    return pd.Series(
        pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(GROUPS, ordered=True)),
        index=by_group.index,
        name="best_group",
    )


def restatements(
    mentions: pd.DataFrame, groups: pd.Series, restating: tuple[str, ...] = ("later NATO text",)
) -> pd.DataFrame:
    """The mentions by sources of the ``restating`` groups of events that a source document also states: how
    later pages retell what the four documents already told.

    The rows of ``mentions`` (all its columns) plus ``group``, sorted by event and then source.
    """
    group = mentions["source_id"].map(groups).astype("object")
    told = set(mentions.loc[group.eq(SOURCE_DOCUMENT).to_numpy(), "event_id"])
    chosen = group.isin(restating).to_numpy() & mentions["event_id"].isin(told).to_numpy()
    table = mentions[chosen].assign(group=group[chosen].to_numpy())
    return table.sort_values(["event_id", "source_id"]).reset_index(drop=True)
