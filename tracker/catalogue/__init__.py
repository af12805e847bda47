"""Every word a person reads, in Bokmål (nb), Nynorsk (nn), Danish (da) and English (en): one catalogue, keyed.

The dashboard, the alert messages, the letters, the findings' reasons and the command line's user-facing errors all
take their text from here. Each entry is a key ("status.no_plan_found") with exactly the four languages; numbers,
sizes and dates are not strings but formatted by Babel in the reader's locale (`tracker.catalogue.formats`).

Why TOML data files and not gettext .po files: a .po catalogue is keyed by the source-language sentence and is
one file per language, so a missing Nynorsk line is silent until someone looks (gettext falls back to the msgid),
and a wheel or `make demo` needs a compile step (.po -> .mo) that can go stale. Here one entry holds its four
languages side by side, so a translator sees them together and a reviewer sees a gap in the diff; the files are
read with the standard library's `tomllib` straight from the installed package (package data, nothing compiled);
and loading refuses an entry that lacks a language or whose languages disagree on their `{placeholders}` (a
`CatalogueError` at import, which fails every test), instead of falling back.

To add a string: put an entry in the TOML file of its area (`dashboard.toml` pages, `vocabulary.toml` labels of
enum values, `reasons.toml` a finding's reasons, `alerts.toml`, `letters.toml`, `errors.toml`):

    ["subscribe.confirm"]
    nb = "Bekreft abonnementet"
    nn = "Stadfest abonnementet"
    da = "Bekræft abonnementet"
    en = "Confirm the subscription"

and call `text(lang, "subscribe.confirm")` (in a template: `t('subscribe.confirm')`). Placeholders are
`str.format` fields (`{name}`); every language must use the same ones. A label of an enum value goes under
`<group>.<value>` and is read with `label(lang, group, value)`; `tracker.catalogue.vocabulary` lists the values
each group must cover, and a test checks they all have labels.

The catalogue is immutable package data, read once at import like a module's constants; it holds no state.
"""

from __future__ import annotations

import logging
import string
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

__all__ = [
    "CATALOGUE",
    "LOCALES",
    "Catalogue",
    "CatalogueError",
    "Locale",
    "as_locale",
    "label",
    "load",
    "text",
]

from tracker.domain import LOCALES, Locale

logger = logging.getLogger(__name__)

#: the data files of the catalogue, in the package beside this module
FILES: Final[tuple[str, ...]] = (
    "dashboard.toml",
    "vocabulary.toml",
    "reasons.toml",
    "alerts.toml",
    "letters.toml",
    "errors.toml",
    "subscribe.toml",
)


class CatalogueError(ValueError):
    """The catalogue's data is incomplete or inconsistent (a missing language, a placeholder in one language only)."""


@dataclass(frozen=True)
class Catalogue:
    """Keyed texts in every locale; build it with `load` (which validates), read it with `text`."""

    entries: Mapping[str, Mapping[Locale, str]]

    def text(self, lang: str, key: str, **params: Any) -> str:
        """The text of `key` in `lang` with `params` filled in.

        An unknown key is logged and returned as itself, so a page still renders and the page tests (which look for
        key-shaped words in every page) catch it; an unknown language reads Bokmål.
        """
        entry = self.entries.get(key)
        if entry is None:
            logger.error("no catalogue entry %r", key)
            return key
        template = entry[as_locale(lang)]
        return template.format(**params) if params else template

    def has(self, key: str) -> bool:
        return key in self.entries

    def keys(self) -> frozenset[str]:
        return frozenset(self.entries)


def as_locale(value: str | None, default: Locale = "nb") -> Locale:
    """`value` when it is one of `LOCALES`, else `default`."""
    for locale in LOCALES:
        if value == locale:
            return locale
    return default


def placeholders(template: str) -> frozenset[str]:
    """The `{field}` names a template uses (format specs and conversions dropped)."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def _check_entry(where: str, key: str, raw: object) -> dict[Locale, str]:
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: [{key!r}] is not a table of languages")
    unknown = sorted(set(raw) - set(LOCALES))
    missing = [lang for lang in LOCALES if lang not in raw]
    if unknown or missing:
        raise CatalogueError(f"{where}: [{key!r}] lacks {missing} / has unknown languages {unknown}")
    entry = {lang: raw[lang] for lang in LOCALES}
    if not all(isinstance(value, str) for value in entry.values()):
        raise CatalogueError(f"{where}: [{key!r}] has a value that is not a string")
    fields = {lang: placeholders(value) for lang, value in entry.items()}
    if len(set(fields.values())) > 1:
        raise CatalogueError(f"{where}: [{key!r}] languages disagree on placeholders: {fields}")
    return entry


def load(sources: Iterable[tuple[str, str]] | None = None) -> Catalogue:
    """Read and validate (name, TOML text) sources, by default the package's `FILES`.

    Raises CatalogueError on a missing language, placeholders that differ between languages, or a key defined twice.
    """
    if sources is None:
        folder = resources.files(__name__)
        sources = ((name, folder.joinpath(name).read_text(encoding="utf-8")) for name in FILES)
    entries: dict[str, Mapping[Locale, str]] = {}
    for name, content in sources:
        try:
            data = tomllib.loads(content)
        except tomllib.TOMLDecodeError as exc:
            raise CatalogueError(f"{name}: {exc}") from exc
        for key, raw in data.items():
            if key in entries:
                raise CatalogueError(f"{name}: [{key!r}] is defined twice")
            entries[key] = _check_entry(name, key, raw)
    return Catalogue(entries)


CATALOGUE: Final[Catalogue] = load()


def text(lang: str, key: str, **params: Any) -> str:
    """`CATALOGUE.text`: the text of `key` in `lang`."""
    return CATALOGUE.text(lang, key, **params)


def label(lang: str, group: str, value: object) -> str:
    """The label of an enum value (`status`, `abuse_specific_plan`); the raw value when it has none.

    A value with no label (a kind added later) is shown as it is rather than hidden; the page tests catch it.
    """
    if value is None or value == "":
        return ""
    raw = str(getattr(value, "value", value))
    key = f"{group}.{raw}"
    return CATALOGUE.text(lang, key) if CATALOGUE.has(key) else raw
