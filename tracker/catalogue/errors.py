"""An error said in a person's language: the command line's one-line errors in nb, nn, da or en.

A `TrackerError` raised with `said(key, ...)` (or a `RegistryError` / `FilterError`, which are always said) names its
catalogue entry in `errors.toml`; `say` renders that entry in the reader's language. Anything else (an error raised
with a plain message, an exception of a library) is shown as its text, after one try at the finding reasons'
machine forms (`reasons.localise`), which know a few stored English lines: never hidden, never guessed.
"""

from __future__ import annotations

from tracker.catalogue import CATALOGUE
from tracker.catalogue.reasons import localise
from tracker.errors import RegistryError, TrackerError

__all__ = ["say"]


def say(error: BaseException, lang: str) -> str:
    """`error`'s message in `lang` (its English text when it names no catalogue entry)."""
    if not isinstance(error, TrackerError) or error.key is None or not CATALOGUE.has(error.key):
        return localise(str(error), lang) or type(error).__name__
    message = CATALOGUE.text(lang, error.key, **error.params)
    if isinstance(error, RegistryError):
        where = error.source
        if error.line is not None:
            where = CATALOGUE.text(lang, "registry_error.where_line", source=error.source, line=error.line)
        return f"{where}: {message}"
    return message
