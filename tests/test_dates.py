"""The partial-date parser: precision, first and last day, leap years, and no silent coercion."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nato_russia.dates import (
    DATETIME,
    PARTIAL_DATE_PATTERN,
    PRECISION,
    fullmatches,
    invalid_date_messages,
    parse_partial_dates,
    period_end,
)


def parse(*values: str | None) -> pd.DataFrame:
    return parse_partial_dates(pd.Series(values, dtype="str"))


def test_precision_start_and_last_day():
    parsed = parse("1997", "1997-05", "1997-05-27")
    assert parsed["precision"].tolist() == ["year", "month", "day"]
    assert parsed["start"].tolist() == [pd.Timestamp("1997-01-01"), pd.Timestamp("1997-05-01"), pd.Timestamp("1997-05-27")]
    assert parsed["last_day"].tolist() == [pd.Timestamp("1997-12-31"), pd.Timestamp("1997-05-31"), pd.Timestamp("1997-05-27")]


def test_dtypes():
    parsed = parse("1997", None)
    assert list(parsed.columns) == ["start", "precision", "last_day"]
    assert parsed["start"].dtype == DATETIME and parsed["last_day"].dtype == DATETIME
    assert parsed["precision"].dtype == PRECISION
    assert parsed["precision"].cat.ordered and list(parsed["precision"].cat.categories) == ["day", "month", "year"]
    assert parse("1997-05-27")["precision"].iloc[0] < "year"


@pytest.mark.parametrize(
    ("value", "last_day"),
    [
        ("2016-02", "2016-02-29"),  # divisible by 4
        ("2015-02", "2015-02-28"),
        ("2000-02", "2000-02-29"),  # divisible by 400
        ("2100-02", "2100-02-28"),  # divisible by 100 only
        ("2016-02-29", "2016-02-29"),
        ("2016", "2016-12-31"),
        ("2014-04", "2014-04-30"),
        ("2014-12", "2014-12-31"),
    ],
)
def test_last_day(value, last_day):
    assert parse(value)["last_day"].iloc[0] == pd.Timestamp(last_day)


def test_missing_stays_missing_and_index_is_kept():
    values = pd.Series(["1997", None, ""], index=[10, 11, 12], dtype="str")
    parsed = parse_partial_dates(values)
    assert parsed.index.tolist() == [10, 11, 12]
    assert parsed.loc[[11, 12]].isna().all().all()


@pytest.mark.parametrize("value", ["2014-02-30", "2015-02-29", "2014-13-01", "2014-00", "5 May 1997", "97-05-27"])
def test_invalid_dates_raise_not_coerced(value):
    with pytest.raises(ValueError, match=value):
        parse("1997", value)


def test_invalid_dates_can_be_left_missing_for_reporting():
    parsed = parse_partial_dates(pd.Series(["2014-02-30", "2014-02-28"]), on_invalid="missing")
    assert parsed["start"].isna().tolist() == [True, False]
    assert parsed["precision"].isna().tolist() == [True, False]


def test_invalid_date_messages():
    messages = invalid_date_messages(pd.Series(["2014-02-30", "2014-13-01", "5 May 1997", "2016-02-29"], index=[2, 3, 4, 5]))
    assert messages.to_dict() == {
        2: 'day 30 does not exist: February 2014 has 28 days; found "2014-02-30"',
        3: 'month 13 does not exist; found "2014-13-01"',
        4: 'expected a date as YYYY, YYYY-MM or YYYY-MM-DD; found "5 May 1997"',
    }
    assert invalid_date_messages(pd.Series(["5 May 1997", "2015-02-29"]), shape_checked=True).index.tolist() == [1]


def test_period_end():
    start = pd.Series(pd.to_datetime(["2016-02-01", "2016-01-01", "2016-02-10"]))
    precision = pd.Series(["month", "year", "day"]).astype(PRECISION)
    assert period_end(start, precision).tolist() == [pd.Timestamp("2016-02-29"), pd.Timestamp("2016-12-31"), pd.Timestamp("2016-02-10")]


def test_whole_column_at_once():
    """10^5 dates in one call (the parser has no per-row Python loop)."""
    values = pd.Series(["1997", "1997-05", "1997-05-27", "2016-02"] * 25_000, dtype="str")
    parsed = parse_partial_dates(values)
    assert len(parsed) == 100_000 and parsed["start"].notna().all()


# --- each distinct value parsed once: the same result as value by value -------------------------------------


def parse_each_value(values: pd.Series) -> pd.DataFrame:
    """parse_partial_dates as it was first written, for a column without invalid dates: every value parsed
    (the reference for the parser that parses each distinct value once)."""
    text = values.astype("str")
    text = text.mask(text == "")
    well_formed = text.str.fullmatch(PARTIAL_DATE_PATTERN).fillna(False).astype(bool)
    start = pd.to_datetime(text.where(well_formed), format="ISO8601", errors="coerce").astype(DATETIME)
    precision = text.str.len().where(start.notna()).map({4: "year", 7: "month", 10: "day"}).astype(PRECISION)
    return pd.DataFrame(
        {"start": start.rename("start"), "precision": precision, "last_day": period_end(start, precision)},
        index=values.index,
    )


def test_parsing_each_distinct_value_once_gives_what_parsing_each_value_gives():
    rng = np.random.default_rng(4)
    pool = ["1997", "1997-05", "1997-05-27", "2016-02-29", "2000-12", "", None, "2014-02-30", "2014-13", "1997-5"]
    for size in (0, 1, 7, 300):
        values = pd.Series(rng.choice(np.array(pool, dtype=object), size), index=rng.permutation(size) + 10,
                           dtype="str")
        parsed = parse_partial_dates(values, on_invalid="missing")
        pd.testing.assert_frame_equal(parsed, parse_each_value(values), check_index_type=True)
    # other dtypes of the column: object text with NaN, numbers written as years, a categorical
    for values in (pd.Series(["1997", np.nan, "2001-02"], dtype=object), pd.Series([1997, 2001]),
                   pd.Series(["1997", "2000-02-29"], dtype="category"), pd.Series([], dtype="str")):
        pd.testing.assert_frame_equal(parse_partial_dates(values), parse_each_value(values))


def test_an_invalid_date_is_still_named_when_the_values_repeat():
    with pytest.raises(ValueError, match="2014-02-30"):
        parse_partial_dates(pd.Series(["2014-02-30", "1997", "2014-02-30"], dtype="str"))


def test_fullmatches_matches_whole_values_and_answers_missing_as_asked() -> None:
    text = pd.Series(["1997", "1997-05", "x1997", "1997", None, "1997-5"], index=[5, 3, 9, 1, 0, 2], dtype="str")
    expected = [True, True, False, True, None, False]
    for missing in (True, False):
        found = fullmatches(text, PARTIAL_DATE_PATTERN, missing=missing)
        assert found.index.equals(text.index)
        assert found.tolist() == [missing if value is None else value for value in expected]
