"""Tests of nato_russia.corpus: the source groups, worked by hand."""

from __future__ import annotations

import pandas as pd

from nato_russia import load
from nato_russia.corpus import GROUPS, SOURCE_DOCUMENT, source_groups


def test_groups_follow_the_copy_read_then_kind_then_publisher() -> None:
    sources = pd.DataFrame(
        {
            "source_id": ["doc", "nato-page", "nato-release", "pa", "un", "wiki", "aca", "news", "nato-news-copy"],
            "publisher": ["NATO", "NATO", "NATO (Press Release (2016) 059)", "NATO Parliamentary Assembly",
                          "United Nations", "Wikipedia", "Arms Control Association", "Reuters", "NATO"],
            "kind": ["official web page", "official web page", "official publication", "official web page",
                     "official publication", "encyclopedia article", "reference work", "news report", "news report"],
            "original_file": ["001.txt", "", None, "", "", "", "", "", ""],
        }
    )
    groups = source_groups(sources)
    assert groups.to_dict() == {
        "doc": SOURCE_DOCUMENT,
        "nato-page": "later NATO text",
        "nato-release": "later NATO text",
        "pa": "other official text",
        "un": "other official text",
        "wiki": "reference work",
        "aca": "reference work",
        "news": "news report",
        "nato-news-copy": "news report",
    }
    assert list(groups.cat.categories) == list(GROUPS)


def test_the_record_has_four_source_documents_and_every_source_a_group() -> None:
    sources = load().sources
    groups = source_groups(sources)
    assert groups.notna().all()
    assert groups.eq(SOURCE_DOCUMENT).sum() == 4
    assert set(groups.index[groups.eq(SOURCE_DOCUMENT)]) == set(sources.loc[sources["original_file"].notna()
                                                                          & sources["original_file"].ne(""), "source_id"])
