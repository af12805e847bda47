"""What a public subscription follows, in words, for its pages and its confirmation mail (any of the four languages).

The Subscribe pages' own strings are entries `pub.*` of `tracker/catalogue/subscribe.toml`.
"""

from __future__ import annotations

from collections.abc import Sequence

from tracker.catalogue import as_locale, text


def scope_words(kommuner: Sequence[str], regions: Sequence[str], lang: str) -> str:
    """What a subscription follows, in words: "alle kommuner", "Vestland", "kommunene 0301, 4601"."""
    locale = as_locale(lang)
    parts = list(regions)
    if kommuner:
        parts.append(text(locale, "pub.scope.kommuner", list=", ".join(kommuner)))
    return "; ".join(parts) if parts else text(locale, "pub.scope.every")
