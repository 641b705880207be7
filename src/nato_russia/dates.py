"""Partial dates: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, parsed a whole column at a time.

A source often dates an event only to the month or the year. The record keeps the date at the precision
the source gives, and every analysis works from three derived values per date:

* ``start``: the first day the date covers (``1997`` -> 1997-01-01, ``1997-05`` -> 1997-05-01);
* ``precision``: ``day``, ``month`` or ``year``, an ordered categorical (day < month < year);
* ``last_day``: the last day the date covers (``1997`` -> 1997-12-31, ``2016-02`` -> 2016-02-29).

A string that looks like a date but is not one in the calendar (``2014-02-30``, ``2014-13-01``) is never
moved to a nearby day: :func:`parse_partial_dates` raises, or leaves it missing when asked to, and
:func:`invalid_date_messages` says what is wrong with it.
"""

from __future__ import annotations

import re
from typing import Literal

import numpy as np
import pandas as pd

PARTIAL_DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
"""The pattern datapackage.json gives for a date at the precision a source gives."""

DAY_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
"""The pattern datapackage.json gives for a date that must be exact to the day."""

PRECISION = pd.CategoricalDtype(["day", "month", "year"], ordered=True)
"""Precision of a partial date, finest first, so that ``precision <= "month"`` means "at least monthly"."""

DATETIME = "datetime64[us]"
"""The dtype of every timestamp the package derives (what pandas infers for ISO date strings)."""

_PRECISION_BY_LENGTH = {4: "year", 7: "month", 10: "day"}
_MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()


def _as_text(values: pd.Series) -> pd.Series:
    """The values as pandas strings, empty strings treated as missing."""
    text = values.astype("str")
    return text.mask(text == "")


def fullmatches(text: pd.Series, pattern: str, *, missing: bool = True) -> pd.Series:
    """Whether each value of ``text`` matches ``pattern`` in full; ``missing`` where the value is missing.

    Each distinct value is matched once: a column of dates or kinds repeats a few hundred values over
    100,000 rows, and matching those is much cheaper than matching every cell.
    """
    codes, distinct = pd.factorize(text)  # missing values get the code -1
    compiled = re.compile(pattern)
    matched = np.fromiter((compiled.fullmatch(value) is not None for value in distinct.tolist()), dtype=bool,
                          count=len(distinct))
    return pd.Series(np.append(matched, missing)[codes], index=text.index)  # code -1 picks ``missing``


def _well_formed(text: pd.Series) -> pd.Series:
    """True where the text has the shape YYYY, YYYY-MM or YYYY-MM-DD."""
    return fullmatches(text, PARTIAL_DATE_PATTERN, missing=False)


def period_end(start: pd.Series, precision: pd.Series) -> pd.Series:
    """The last day of the period that begins at ``start`` and has the given ``precision``."""
    days = start.to_numpy(dtype="datetime64[D]")
    month_end = (days.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    year_end = (days.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
    precision = precision.astype(PRECISION)
    last = np.where(precision == "year", year_end, np.where(precision == "month", month_end, days))
    last = np.where(precision.isna().to_numpy(), np.datetime64("NaT"), last)
    return pd.Series(last, index=start.index, name="last_day").astype(DATETIME)


def parse_partial_dates(
    values: pd.Series, *, on_invalid: Literal["raise", "missing"] = "raise"
) -> pd.DataFrame:
    """Parse a column of partial dates into ``start``, ``precision`` and ``last_day``.

    ``values`` holds strings ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; missing values (NA or ``""``) give
    missing results. A value that is not a date (wrong shape, or not in the calendar such as
    ``2014-02-30``) raises ``ValueError`` naming every such value, or with ``on_invalid="missing"`` gives
    missing results for the caller to report (see :func:`invalid_date_messages`). The result has the
    index of ``values``.

    Each distinct value is parsed once (a column of 10^5 dates holds a few thousand distinct ones).
    """
    if on_invalid not in ("raise", "missing"):
        raise ValueError(f'on_invalid must be "raise" or "missing", not {on_invalid!r}')
    codes, distinct = pd.factorize(values)  # a missing value gets code -1
    parsed = _parse_distinct(pd.Series(distinct))
    if on_invalid == "raise" and parsed["invalid"].any():
        text = _as_text(values)
        listed = "; ".join(f"{label}: {message}" for label, message in invalid_date_messages(text).items())
        raise ValueError(f"not dates in the calendar (index: problem): {listed}")
    codes = np.where(codes < 0, len(distinct), codes)  # the code of the missing row appended below
    start = np.append(parsed["start"].to_numpy(), np.datetime64("NaT"))[codes]
    last_day = np.append(parsed["last_day"].to_numpy(), np.datetime64("NaT"))[codes]
    precision_codes = np.append(parsed["precision"].cat.codes.to_numpy(), -1)[codes]
    return pd.DataFrame(
        {
            "start": pd.Series(start, index=values.index, dtype=DATETIME),
            "precision": pd.Series(pd.Categorical.from_codes(precision_codes, dtype=PRECISION), index=values.index),
            "last_day": pd.Series(last_day, index=values.index, dtype=DATETIME),
        },
        index=values.index,
    )


def _parse_distinct(values: pd.Series) -> pd.DataFrame:
    """``start``, ``precision``, ``last_day`` and ``invalid`` (not a date) of each value, one row per value."""
    text = _as_text(values)
    well_formed = _well_formed(text)
    # The shape is checked above, so the ISO 8601 parser sees only YYYY, YYYY-MM or YYYY-MM-DD; a date
    # not in the calendar gives NaT here, and is raised or reported, never moved to another day.
    start = pd.to_datetime(text.where(well_formed), format="ISO8601", errors="coerce").astype(DATETIME)
    length = text.str.len().where(start.notna())
    precision = length.map(_PRECISION_BY_LENGTH).astype(PRECISION)
    return pd.DataFrame(
        {
            "start": start,
            "precision": precision,
            "last_day": period_end(start, precision),
            "invalid": text.notna() & start.isna(),
        }
    )


def invalid_date_messages(values: pd.Series, *, shape_checked: bool = False) -> pd.Series:
    """For each value that is not a date, say why; the result holds only those values, by index.

    With ``shape_checked=True`` values that do not have the YYYY[-MM[-DD]] shape are left out (the caller
    reports them already, e.g. through a pattern check), so only impossible months and days are described.
    """
    text = _as_text(values)
    well_formed = _well_formed(text)
    parsed = parse_partial_dates(text.where(well_formed), on_invalid="missing")
    bad = text.notna() & parsed["start"].isna()
    if shape_checked:
        bad &= well_formed
    text = text[bad]
    shape_ok = well_formed[bad]
    messages = pd.Series(
        "expected a date as YYYY, YYYY-MM or YYYY-MM-DD; found " + _quoted(text), index=text.index, dtype="str"
    )
    messages[shape_ok] = "not a date in the calendar; found " + _quoted(text[shape_ok])
    year = pd.to_numeric(text.str.slice(0, 4), errors="coerce")
    month = pd.to_numeric(text.str.slice(5, 7), errors="coerce")
    day = pd.to_numeric(text.str.slice(8, 10), errors="coerce")
    bad_month = shape_ok & month.notna() & ~month.between(1, 12)
    messages[bad_month] = (
        "month " + month[bad_month].astype(int).astype("str") + " does not exist; found " + _quoted(text[bad_month])
    )
    month_ok = shape_ok & ~bad_month & day.notna() & (year > 0)
    first_of_month = pd.to_datetime(
        {"year": year[month_ok], "month": month[month_ok], "day": 1}, errors="coerce"
    )
    days_in_month = first_of_month.dt.days_in_month
    month_name = month[month_ok].astype(int).map(dict(enumerate(_MONTH_NAMES, start=1)))
    messages[month_ok] = (
        "day "
        + day[month_ok].astype(int).astype("str")
        + " does not exist: "
        + month_name
        + " "
        + year[month_ok].astype(int).astype("str")
        + " has "
        + days_in_month.astype("Int64").astype("str")
        + " days; found "
        + _quoted(text[month_ok])
    )
    return messages


def _quoted(text: pd.Series) -> pd.Series:
    return '"' + text.astype("str") + '"'


