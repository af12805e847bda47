"""Numbers, shares, file sizes and dates in the reader's locale, by Babel (CLDR data), not by hand.

A Norwegian or Danish reader expects "0,97", "42 %", "5,8 kB" and "6. desember 2026"; an English one "0.97",
"42%", "5.8 kB" and "6 December 2026". Our four catalogue languages map to CLDR locales nb_NO, nn_NO, da_DK and
en_GB (British English: day before month, as the Nordic readers' own dates).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Final

from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit

from tracker.catalogue import Locale, as_locale

__all__ = [
    "BABEL_LOCALES",
    "clock",
    "day",
    "decimal",
    "integer",
    "month_day",
    "numeric_day",
    "percent",
    "size",
    "when",
]

BABEL_LOCALES: Final[dict[Locale, str]] = {"nb": "nb_NO", "nn": "nn_NO", "da": "da_DK", "en": "en_GB"}

#: decimal (SI) units, as file managers and browsers show sizes: 1 kB = 1000 bytes
_SIZE_UNITS: Final = (
    (1_000_000_000, "digital-gigabyte"),
    (1_000_000, "digital-megabyte"),
    (1_000, "digital-kilobyte"),
)


def _babel(lang: str) -> str:
    return BABEL_LOCALES[as_locale(lang)]


def integer(value: int | None, lang: str) -> str:
    """`12 345` / `12,345`; empty for None."""
    return "" if value is None else format_decimal(value, locale=_babel(lang))


def decimal(value: float | None, lang: str, places: int = 2) -> str:
    """At most `places` decimals, e.g. a confidence `0,97`; empty for None."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0." + "#" * places, locale=_babel(lang))


def percent(share: float | None, lang: str) -> str:
    """A share 0-1 as a whole percentage: `42 %` / `42%`; empty for None."""
    return "" if share is None else format_percent(share, locale=_babel(lang))


def size(n_bytes: int | None, lang: str) -> str:
    """A file size in decimal units with one decimal at most: `5,8 kB`, `1,2 MB`, `512 byte`; empty for None."""
    if n_bytes is None:
        return ""
    for scale, unit in _SIZE_UNITS:
        if n_bytes >= scale:
            return format_unit(n_bytes / scale, unit, length="short", format="#,##0.#", locale=_babel(lang))
    return format_unit(n_bytes, "digital-byte", length="short", locale=_babel(lang))


def day(value: date | datetime | None, lang: str) -> str:
    """A date in words: `6. desember 2026` / `6 December 2026`; empty for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).date()
    return format_date(value, format="long", locale=_babel(lang))


def when(value: datetime | None, lang: str) -> str:
    """A moment to the minute, in UTC and saying so: `6. desember 2026 14:05 UTC`; empty for None."""
    if value is None:
        return ""
    moment = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    clock = format_time(moment, format="HH:mm", tzinfo=UTC, locale=_babel(lang))
    return f"{day(moment, lang)} {clock} UTC"


def _utc(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def clock(value: datetime, lang: str) -> str:
    """The time of day in UTC, as the locale writes it short: `14:05` (an axis under sweeps of one day)."""
    return format_time(_utc(value), format="short", tzinfo=UTC, locale=_babel(lang))


def month_day(value: datetime, lang: str) -> str:
    """Day and abbreviated month, no year: `6. des.` / `6. dec.` / `6 Dec` (an axis within one year)."""
    return format_skeleton("MMMd", _utc(value), tzinfo=UTC, locale=_babel(lang))


def numeric_day(value: datetime, lang: str) -> str:
    """A date in the locale's short numeric form: `06.12.2026` / `06/12/2026` (an axis across years)."""
    return format_date(_utc(value).date(), format="short", locale=_babel(lang))
