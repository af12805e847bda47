"""The dashboard's side of the catalogue (`tracker.catalogue`): which languages a page can be in and how one is picked.

Every word lives in `tracker/catalogue/*.toml` with Bokmål, Nynorsk, Danish and English side by side, and the
languages are `tracker.domain.LOCALES`: this module only names the default and re-exports the lookups the page
modules use. Add a page's strings to `tracker/catalogue/dashboard.toml` (see the catalogue's docstring), not here.
"""

from __future__ import annotations

from typing import Final

from tracker.catalogue import CATALOGUE, label
from tracker.domain import LOCALES, Locale

__all__ = ["DEFAULT_LANGUAGE", "UI_LANGUAGES", "keys", "label", "translate"]

#: the languages the switch offers, in its order
UI_LANGUAGES: Final[tuple[Locale, ...]] = LOCALES
DEFAULT_LANGUAGE: Final[Locale] = "nb"


def translate(lang: str, key: str) -> str:
    """The text for `key` in `lang`; the key itself (and an error in the log) when the catalogue has no such key."""
    return CATALOGUE.text(lang, key)


def keys() -> frozenset[str]:
    return CATALOGUE.keys()
