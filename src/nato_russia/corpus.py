"""The record's sources in groups: the four documents read in full, and the pages added later.

The record began with four source documents, read in full (``sources.original_file`` names the copy read):
two NATO backgrounders, NATO's Ukrainian topic page and the Greek encyclopedia article. To carry the record to
the present and fill it year by year, pages found later were added, most of them read only in their opening
part, and grouped by whose view they carry (``sources.origin``): later NATO texts, Russian official texts, other
official texts, reference works, Russian state media and news reports. A chapter that compares sources one by
one compares the four documents; the later pages enter such comparisons by group, so that a table keeps a
handful of columns. :data:`VOICES` sets the two sides' own texts apart (NATO's; Russia's official texts and
state media), so that a chapter can compare what each side's own texts state and how they date it.

Typical use::

    groups = source_groups(record.sources)            # source_id -> group
    documents = document_ids(record.sources)          # the four documents, oldest first
    coverage = analysis.coverage_matrix(record.events, record.mentions, record.sources)
    by_group = group_coverage(coverage, groups)       # one column per group instead of one per source
    table = documents_and_groups(coverage, groups)    # the four documents, then one column per later group
    basis = best_group(by_group)                      # each event's best-ranked group
    own = voice_mentions(record.mentions, record.sources)  # the mentions by each side's own texts
    stated_by(voice_coverage(record.events, own))     # "both", "NATO's texts only", ... per event
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import analysis
from .loading import SOURCE_DOCUMENT_GROUP

__all__ = [
    "GROUPS",
    "LATER_DISAGREEMENTS",
    "LATER_GROUPS",
    "SOURCE_DOCUMENT",
    "VOICES",
    "best_group",
    "dating_between",
    "document_ids",
    "documents_and_groups",
    "group_coverage",
    "groups_stating",
    "restatements",
    "source_groups",
    "stated_by",
    "voice_coverage",
    "voice_mentions",
]

SOURCE_DOCUMENT = SOURCE_DOCUMENT_GROUP
"""The group of the four documents read in full (``original_file`` is not empty)."""

GROUPS = (SOURCE_DOCUMENT, "later NATO text", "Russian official text", "other official text", "reference work",
          "Russian state media", "news report")
"""Every group, in the order tables and figures show them: the documents read in full first, then the later
pages: the two sides' own official texts, other official texts, reference works, then the media (the later
groups are the values origins.csv ``group`` allows, in the same order; a test keeps the two alike)."""

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

VOICES: dict[str, tuple[str, ...]] = {
    "NATO's texts": ("nato",),
    "Russia's texts": ("russian_government", "russian_state_media"),
}
"""The two sides' own voices, each with the ``origin`` values (sources.csv) of the texts that speak for it:
NATO's own texts (the NATO source documents and later NATO texts), and Russia's official texts and state
media."""


def source_groups(sources: pd.DataFrame) -> pd.Series:
    """Each source's group (an ordered categorical of :data:`GROUPS`), indexed by ``source_id``: the ``group``
    the loader gives each source (``source document`` for a copy read in full, else its origin's group in
    origins.csv)."""
    group = pd.Series(sources["group"].to_numpy(), index=pd.Index(sources["source_id"], name="source_id"), name="group")
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


def voice_mentions(
    mentions: pd.DataFrame, sources: pd.DataFrame, voices: dict[str, tuple[str, ...]] = VOICES
) -> pd.DataFrame:
    """The mentions by sources whose ``origin`` belongs to one of ``voices``: every column of ``mentions`` plus
    ``voice`` (the voice's name), sorted by event, voice (in the order of ``voices``) and source. Mentions by
    sources of any other origin are left out."""
    voice_of_origin = {origin: voice for voice, origins in voices.items() for origin in origins}
    voice = mentions["source_id"].map(sources.set_index("source_id")["origin"].map(voice_of_origin))
    table = mentions.assign(voice=pd.Categorical(voice, categories=list(voices)))
    table = table[table["voice"].notna()]
    return table.sort_values(["event_id", "voice", "source_id"]).reset_index(drop=True)


def voice_coverage(events: pd.DataFrame, voiced: pd.DataFrame) -> pd.DataFrame:
    """Which voice states which event: one row per event of ``events`` (in date order, indexed by
    ``event_id``), one boolean column per voice (the categories of ``voiced["voice"]``, as
    :func:`voice_mentions` returns it)."""
    order = events.sort_values(["start", "event_id"])["event_id"]
    stated = pd.crosstab(voiced["event_id"], voiced["voice"], dropna=False).gt(0)
    table = stated.reindex(index=order, columns=list(voiced["voice"].cat.categories), fill_value=False)
    return table.rename_axis(index="event_id", columns=None)


def stated_by(coverage: pd.DataFrame) -> pd.Series:
    """For a :func:`voice_coverage` of two voices, which of them states each event: ``both``, ``<first>
    only``, ``<second> only`` or ``neither`` (an ordered categorical in that order)."""
    first, second = coverage.columns
    labels = ["both", f"{first} only", f"{second} only", "neither"]
    code = pd.Series(3, index=coverage.index)
    code[coverage[first] & ~coverage[second]] = 1
    code[~coverage[first] & coverage[second]] = 2
    code[coverage[first] & coverage[second]] = 0
    categories = pd.CategoricalDtype(labels, ordered=True)
    return pd.Series(pd.Categorical.from_codes(code.to_numpy(), dtype=categories), index=coverage.index,
                     name="stated_by")


def dating_between(voiced: pd.DataFrame, first: str, second: str) -> pd.DataFrame:
    """Whether two voices date an event alike, for each event that a source of each voice dates.

    Every dated mention of ``first`` is paired with every dated mention of ``second`` (``voiced`` as
    :func:`voice_mentions` returns it; spans from :func:`nato_russia.analysis.mention_dates`). A pair is
    ``same`` (the same span), ``precision`` (the spans share a day: one is only vaguer) or ``conflict`` (no
    day in common). Each event gets its closest pair: ``relation`` (``same`` before ``precision`` before
    ``conflict``) and ``gap_days`` (for a conflict, the fewest days between a span of one voice and a span of
    the other; 0 otherwise). One row per event, sorted by ``event_id``.
    """
    dated = analysis.mention_dates(voiced).dropna(subset=["given_start"])
    columns = ["event_id", "given_start", "given_last_day"]
    pairs = dated.loc[dated["voice"] == first, columns].merge(
        dated.loc[dated["voice"] == second, columns], on="event_id", suffixes=("_a", "_b"))
    same = pairs["given_start_a"].eq(pairs["given_start_b"]) & pairs["given_last_day_a"].eq(pairs["given_last_day_b"])
    overlap = pairs["given_start_a"].le(pairs["given_last_day_b"]) & pairs["given_start_b"].le(pairs["given_last_day_a"])
    later_start = pairs[["given_start_a", "given_start_b"]].max(axis=1)
    earlier_end = pairs[["given_last_day_a", "given_last_day_b"]].min(axis=1)
    pairs = pairs.assign(rank=np.select([same, overlap], [0, 1], 2),
                         gap_days=(later_start - earlier_end).dt.days.where(~overlap, 0))
    closest = pairs.groupby("event_id").agg(rank=("rank", "min"), gap_days=("gap_days", "min")).reset_index()
    relation = pd.Categorical.from_codes(closest["rank"].to_numpy(),
                                         dtype=pd.CategoricalDtype(["same", "precision", "conflict"], ordered=True))
    return pd.DataFrame({"event_id": closest["event_id"], "relation": relation,
                         "gap_days": closest["gap_days"].astype("int64")})
