"""The data contract: datapackage.json read into plain specs, and pandera schemas built from them.

datapackage.json (a Frictionless Data Package) is the single source of truth for tables, fields, types,
constraints and keys. Nothing here restates it: every pandera check is derived from a field's descriptor,
and each check carries the sentence that explains a failure to the person who edited the CSV.

The pandera schemas validate the *text* of a CSV (every column read as strings, empty cells missing);
values are converted to their types only after they passed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from .dates import DAY_PATTERN, PARTIAL_DATE_PATTERN, fullmatches

DATAPACKAGE = "datapackage.json"

# Table Schema defaults when a boolean field gives no trueValues / falseValues.
DEFAULT_TRUE_VALUES = ("true", "True", "TRUE", "1")
DEFAULT_FALSE_VALUES = ("false", "False", "FALSE", "0")

# Lexical forms accepted on the text, before conversion (as Table Schema reads them, bareNumber on).
INTEGER_PATTERN = r"[+-]?[0-9]+"
NUMBER_PATTERN = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|NaN|[+-]?INF"
URI_PATTERN = r"[A-Za-z][A-Za-z0-9+.\-]*:\S+"


@dataclass(frozen=True)
class FieldSpec:
    """One field (column) of a table, as datapackage.json describes it."""

    name: str
    type: str
    description: str = ""
    format: str | None = None
    constraints: dict[str, Any] = field(default_factory=dict)
    true_values: tuple[str, ...] = DEFAULT_TRUE_VALUES
    false_values: tuple[str, ...] = DEFAULT_FALSE_VALUES

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required", False))

    @property
    def unique(self) -> bool:
        return bool(self.constraints.get("unique", False))

    @property
    def pattern(self) -> str | None:
        return self.constraints.get("pattern")

    @property
    def is_partial_date(self) -> bool:
        """A text field holding a date (YYYY[-MM[-DD]] or YYYY-MM-DD), judged by its pattern."""
        return self.type == "string" and self.pattern in (PARTIAL_DATE_PATTERN, DAY_PATTERN)


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    """One resource of the package: a CSV file and its schema."""

    name: str
    path: str
    description: str
    fields: tuple[FieldSpec, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]

    @property
    def field_names(self) -> list[str]:
        return [spec.name for spec in self.fields]

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.path} has no field {name!r}")


@dataclass(frozen=True)
class PackageSpec:
    name: str
    title: str
    description: str
    version: str
    licenses: tuple[dict[str, str], ...]
    tables: tuple[TableSpec, ...]

    @property
    def table_names(self) -> list[str]:
        return [table.name for table in self.tables]

    def table(self, name: str) -> TableSpec:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(f"{DATAPACKAGE} has no resource {name!r}")


def _as_tuple(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def read_package(path: str | Path) -> PackageSpec:
    """Read datapackage.json (the file, or a folder holding it) into a :class:`PackageSpec`."""
    path = Path(path)
    if path.is_dir():
        path = path / DATAPACKAGE
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    tables = []
    for resource in descriptor["resources"]:
        schema = resource["schema"]
        fields = tuple(
            FieldSpec(
                name=item["name"],
                type=item.get("type", "string"),
                description=item.get("description", ""),
                format=item.get("format"),
                constraints=dict(item.get("constraints", {})),
                true_values=tuple(item.get("trueValues", DEFAULT_TRUE_VALUES)),
                false_values=tuple(item.get("falseValues", DEFAULT_FALSE_VALUES)),
            )
            for item in schema["fields"]
        )
        foreign_keys = tuple(
            ForeignKey(
                fields=_as_tuple(key["fields"]),
                # Table Schema writes a reference to the same resource as "".
                resource=key["reference"].get("resource") or resource["name"],
                reference_fields=_as_tuple(key["reference"]["fields"]),
            )
            for key in schema.get("foreignKeys", [])
        )
        tables.append(
            TableSpec(
                name=resource["name"],
                path=resource["path"],
                description=resource.get("description", ""),
                fields=fields,
                primary_key=_as_tuple(schema.get("primaryKey")),
                foreign_keys=foreign_keys,
            )
        )
    return PackageSpec(
        name=descriptor.get("name", ""),
        title=descriptor.get("title", ""),
        description=descriptor.get("description", ""),
        version=descriptor.get("version", ""),
        licenses=tuple(descriptor.get("licenses", [])),
        tables=tuple(tables),
    )


# --- pandera schemas built from the specs ----------------------------------------------------------


def quoted(value: object, limit: int = 80) -> str:
    """A found value as shown in a message: in double quotes, shortened if long."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f'"{text}"'


def _listing(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(quoted(value) for value in values)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass(frozen=True)
class FieldCheck:
    """A pandera check on a text column and how to explain a value that fails it."""

    check: pa.Check
    explain: Callable[[str], str]


def _fullmatch_check(pattern: str, name: str) -> pa.Check:
    return pa.Check(lambda text: fullmatches(text, pattern), name=name)


def _numeric_check(name: str, bound: float, keep: Callable[[pd.Series, float], pd.Series]) -> pa.Check:
    def check(text: pd.Series) -> pd.Series:
        numbers = pd.to_numeric(text.where(fullmatches(text, NUMBER_PATTERN, missing=False)), errors="coerce")
        return keep(numbers, bound) | numbers.isna()

    return pa.Check(check, name=name)


def field_checks(spec: FieldSpec) -> list[FieldCheck]:
    """The pandera checks a field's type, format and constraints call for, in that order."""
    checks: list[FieldCheck] = []
    constraints = spec.constraints
    if spec.type == "integer":
        checks.append(
            FieldCheck(
                _fullmatch_check(INTEGER_PATTERN, "type:integer"),
                lambda found: f"expected a whole number (integer); found {quoted(found)}",
            )
        )
    elif spec.type == "number":
        checks.append(
            FieldCheck(
                _fullmatch_check(NUMBER_PATTERN, "type:number"),
                lambda found: f"expected a number such as 12 or 3.5; found {quoted(found)}",
            )
        )
    elif spec.type == "boolean":
        allowed = spec.true_values + spec.false_values
        checks.append(
            FieldCheck(
                pa.Check.isin(list(allowed), name="type:boolean"),
                lambda found: f"expected a boolean, one of {_listing(allowed)}; found {quoted(found)}",
            )
        )
    elif spec.type != "string":
        raise NotImplementedError(f"field {spec.name!r}: type {spec.type!r} is not supported by this package yet")
    if spec.format == "uri":
        checks.append(
            FieldCheck(
                _fullmatch_check(URI_PATTERN, "format:uri"),
                lambda found: f"expected a web address with a scheme, such as https://example.org/page; "
                f"found {quoted(found)}",
            )
        )
    if "enum" in constraints:
        allowed_values = tuple(str(value) for value in constraints["enum"])
        checks.append(
            FieldCheck(
                pa.Check.isin(list(allowed_values), name="enum"),
                lambda found: f"expected one of {_listing(allowed_values)}; found {quoted(found)}",
            )
        )
    if "pattern" in constraints:
        pattern = constraints["pattern"]
        if pattern == PARTIAL_DATE_PATTERN:
            expected = "a date as YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1997, 1997-05 or 1997-05-27)"
        elif pattern == DAY_PATTERN:
            expected = "a date as YYYY-MM-DD (e.g. 1997-05-27)"
        else:
            expected = f"text matching the pattern {pattern}"
        checks.append(
            FieldCheck(
                _fullmatch_check(pattern, "pattern"),
                lambda found: f"expected {expected}; found {quoted(found)}",
            )
        )
    if "minLength" in constraints or "maxLength" in constraints:
        low, high = constraints.get("minLength"), constraints.get("maxLength")
        if low is not None and high is not None:
            expected = f"between {low} and {high} characters"
        elif high is not None:
            expected = f"at most {high} characters"
        else:
            expected = f"at least {low} characters"
        checks.append(
            FieldCheck(
                pa.Check.str_length(low, high, name="length"),
                lambda found: f"expected {expected}; found {len(found)} characters",
            )
        )
    if "minimum" in constraints:
        minimum = constraints["minimum"]
        checks.append(
            FieldCheck(
                _numeric_check("minimum", minimum, lambda numbers, bound: numbers >= bound),
                lambda found: f"expected a value of at least {_number_text(minimum)}; found {quoted(found)}",
            )
        )
    if "maximum" in constraints:
        maximum = constraints["maximum"]
        checks.append(
            FieldCheck(
                _numeric_check("maximum", maximum, lambda numbers, bound: numbers <= bound),
                lambda found: f"expected a value of at most {_number_text(maximum)}; found {quoted(found)}",
            )
        )
    return checks


@dataclass(frozen=True)
class TableSchema:
    """A pandera schema for the text of one table, with the explanation of each of its checks."""

    schema: pa.DataFrameSchema
    explanations: dict[tuple[str, int], Callable[[str], str]]


def pandera_schema(table: TableSpec, columns: list[str] | None = None) -> TableSchema:
    """Build the pandera schema for a table's text, restricted to ``columns`` if given.

    Every column holds strings with missing values for empty cells. ``required`` and primary-key fields
    are not nullable; ``unique`` fields (and a one-field primary key) are unique; a composite primary
    key is unique as a whole. Later duplicates are reported, the first occurrence is not.
    """
    present = table.field_names if columns is None else [name for name in table.field_names if name in columns]
    primary_key = list(table.primary_key)
    schema_columns = {}
    explanations: dict[tuple[str, int], Callable[[str], str]] = {}
    for name in present:
        spec = table.field(name)
        checks = field_checks(spec)
        for number, item in enumerate(checks):
            explanations[(name, number)] = item.explain
        schema_columns[name] = pa.Column(
            dtype=None,
            checks=[item.check for item in checks],
            nullable=not (spec.required or name in primary_key),
            unique=spec.unique or primary_key == [name],
            report_duplicates="exclude_first",
            required=True,
        )
    composite = primary_key if len(primary_key) > 1 and all(name in present for name in primary_key) else None
    schema = pa.DataFrameSchema(
        schema_columns,
        unique=composite,
        report_duplicates="exclude_first",
        name=table.path,
    )
    return TableSchema(schema=schema, explanations=explanations)
