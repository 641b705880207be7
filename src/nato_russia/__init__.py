"""nato_russia: load, validate, derive, analyse and plot the NATO-Russia event record."""

from .dates import PRECISION, parse_partial_dates
from .loading import DATA_ENV, Record, assign_phases, join_event_kinds, load, read_table, resolve_data_dir, validate
from .validation import DataValidationError, Problem

__all__ = [
    "DATA_ENV",
    "PRECISION",
    "DataValidationError",
    "Problem",
    "Record",
    "assign_phases",
    "join_event_kinds",
    "load",
    "parse_partial_dates",
    "read_table",
    "resolve_data_dir",
    "validate",
]
