"""Checks that exported and API JSON carries the types `tracker.export.COLUMN_TYPES` promises."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from tracker.export import COLUMN_TYPES

_PYTHON = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "datetime": str,
    "array": list,
    "object": dict,
}


def assert_typed(records: Iterable[Mapping[str, Any]], columns: Iterable[str]) -> None:
    """Every column of every record has its declared JSON type; null only where the column allows it."""
    for record in records:
        for column in columns:
            kind, nullable = COLUMN_TYPES[column]
            value = record[column]
            if value is None:
                assert nullable, f"{column} is null but declared {kind}"
                continue
            assert value != "", f"{column}: an empty string where null is meant"
            assert isinstance(value, _PYTHON[kind]), f"{column}={value!r} is not {kind}"
            if kind in ("integer", "number"):
                assert not isinstance(value, bool), f"{column}={value!r} is a boolean, not {kind}"
            if kind == "datetime":
                assert datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None, column
            if kind == "array":
                assert all(isinstance(item, str) for item in value), column


def seen_types(records: Iterable[Mapping[str, Any]], column: str) -> set[str]:
    """The JSON types a column took across records, e.g. {"integer", "null"}."""
    names = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array", dict: "object"}
    return {"null" if r[column] is None else names[type(r[column])] for r in records}
