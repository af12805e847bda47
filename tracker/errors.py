"""Planvakt's own errors, one hierarchy.

TrackerError
 ├── ConfigError      a setting is missing or malformed
 │    └── SecretError  a sealed secret cannot be sealed or opened (no key, wrong key, malformed key file)
 ├── RegistryError    a registry file is malformed (names the line); nothing is written
 ├── StorageError     the database is not migrated or cannot be reached
 └── FilterError      a filter value (a status, a kommunenummer, a fylke) matches nothing; lists the valid ones

An error a person reads at the command line is *said*: it names its entry in the catalogue
(`tracker/catalogue/errors.toml`, in nb, nn, da and en) and that entry's parameters, and its str() is the English
text, so logs and tests read one language while `tracker.catalogue.errors.say` renders it in the operator's
(`config.cli_language`). An error raised with a plain message has no key and reads as that message everywhere.
"""

from __future__ import annotations

from typing import Any, Self


def _english(key: str, params: dict[str, Any]) -> str:
    from tracker.catalogue import text  # late: the catalogue is data loaded on first use, not a dependency of errors

    return text("en", key, **params)


class TrackerError(Exception):
    """Base class of everything tracker raises on purpose. `key` and `params`: its catalogue entry, when said."""

    key: str | None = None
    params: dict[str, Any] = {}  # noqa: RUF012 (replaced per instance by `said`, never mutated)

    @classmethod
    def said(cls, key: str, **params: Any) -> Self:
        """The error whose text is catalogue entry `key` with `params` (str(): the English). For the classes whose
        constructor takes one message (ConfigError, StorageError, TrackerError)."""
        error = cls(_english(key, params))
        error.key, error.params = key, params
        return error


class ConfigError(TrackerError):
    pass


class SecretError(ConfigError):
    """The operator's key does not fit: fixable by configuration, never a reason to drop data."""


class RegistryError(TrackerError):
    """`source, line N: message`; the message is said (`registry_error.*`) when `key` is given, else as it is."""

    def __init__(self, source: str, line: int | None, message: str = "", *, key: str | None = None, **params: Any):
        message = _english(key, params) if key else message
        where = f"{source}, line {line}" if line is not None else source
        super().__init__(f"{where}: {message}")
        self.source = source
        self.line = line
        self.message = message
        self.key, self.params = key, params


class StorageError(TrackerError):
    pass


class FilterError(TrackerError):
    """An unknown filter value: the message names the parameter, the value and the valid values."""

    def __init__(self, parameter: str, unknown: list[str], valid: list[str]) -> None:
        params: dict[str, Any] = {"parameter": parameter, "values": ", ".join(repr(value) for value in unknown)}
        if len(valid) > 20:
            key, params["valid"], params["count"] = "filter_error.unknown_many", ", ".join(valid[:10]), len(valid)
        elif valid:
            key, params["valid"] = "filter_error.unknown", ", ".join(valid)
        else:
            key = "filter_error.nothing_stored"
        super().__init__(_english(key, params))
        self.key, self.params = key, params
        self.parameter = parameter
        self.unknown = unknown
        self.valid = valid
