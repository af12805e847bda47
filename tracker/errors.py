"""Planvakt's own errors, one hierarchy.

TrackerError
 ├── ConfigError      a setting is missing or malformed
 │    └── SecretError  a sealed secret cannot be sealed or opened (no key, wrong key, malformed key file)
 ├── RegistryError    a registry file is malformed (names the line); nothing is written
 ├── StorageError     the database is not migrated or cannot be reached
 └── FilterError      a filter value (a status, a kommunenummer, a fylke) matches nothing; lists the valid ones
"""

from __future__ import annotations


class TrackerError(Exception):
    """Base class of everything tracker raises on purpose."""


class ConfigError(TrackerError):
    pass


class SecretError(ConfigError):
    """The operator's key does not fit: fixable by configuration, never a reason to drop data."""


class RegistryError(TrackerError):
    def __init__(self, source: str, line: int | None, message: str) -> None:
        where = f"{source}, line {line}" if line is not None else source
        super().__init__(f"{where}: {message}")
        self.source = source
        self.line = line
        self.message = message


class StorageError(TrackerError):
    pass


class FilterError(TrackerError):
    """An unknown filter value: the message names the parameter, the value and the valid values."""

    def __init__(self, parameter: str, unknown: list[str], valid: list[str]) -> None:
        shown = ", ".join(valid) if len(valid) <= 20 else f"{', '.join(valid[:10])}, … ({len(valid)} in all)"
        values = ", ".join(repr(value) for value in unknown)
        super().__init__(f"unknown {parameter} {values}; valid: {shown or 'none (nothing stored yet)'}")
        self.parameter = parameter
        self.unknown = unknown
        self.valid = valid
