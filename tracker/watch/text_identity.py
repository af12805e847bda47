"""A document's text identity: the normalised text that stays the same when a PDF is re-exported with a new date
or producer, its fingerprint (a plan's identity), per-page hashes for diffs, and a MinHash sketch that finds the same
text revised. Pure."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

#: size of the bottom-k MinHash sketch of a text
SKETCH_SIZE = 128
#: estimated Jaccard similarity (word 5-shingles) above which two texts are the same plan, revised
NEAR_DUPLICATE_THRESHOLD = 0.6

_HYPHEN_BREAK = re.compile(r"(\w)[-\u2010\u2011]\s*\n\s*(\w)")
_PAGE_NUMBER_LINE = re.compile(
    r"^\s*(?:(?:side|sida|page|s\.)\s*)?\d{1,4}\s*(?:(?:av|af|of|/)\s*\d{1,4})?\s*$", re.IGNORECASE
)
_DATE = r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})(?:[ T,]*(?:kl\.?\s*)?\d{1,2}[:.]\d{2}(?::\d{2})?)?"
_EXPORT_WORDS = (
    r"(?:utskrevet|utskrive|utskriftsdato|printet|printed|udskrevet|udskrivningsdato|eksportert|eksporteret|"
    r"exported|generert|genereret|generated|oppdatert|opdateret|sist endret|senest ændret|dato|date)"
)
_EXPORT_DATE = re.compile(rf"{_EXPORT_WORDS}\s*:?\s*{_DATE}", re.IGNORECASE)
_DATE_LINE = re.compile(rf"^\s*{_DATE}\s*$", re.IGNORECASE)
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})
_WORD = re.compile(r"\w+")


def normalise_text(pages: Sequence[str]) -> str:
    """The text that identifies a document: the same for a PDF re-exported with a new date or producer.

    Unicode NFKC, case folded, soft hyphens and line-end hyphenation joined, page-number lines ("12",
    "Side 3 av 14") and export stamps ("Utskrevet 01.03.2024 12:00", a lone date line) dropped, quotes and
    dashes unified, all whitespace collapsed.
    """
    kept: list[str] = []
    for page in pages:
        text = unicodedata.normalize("NFKC", page).replace("\u00ad", "").replace("\r\n", "\n").replace("\r", "\n")
        text = _HYPHEN_BREAK.sub(r"\1\2", text)
        for line in text.split("\n"):
            if _PAGE_NUMBER_LINE.match(line) or _DATE_LINE.match(line):
                continue
            kept.append(_EXPORT_DATE.sub(" ", line))
    return " ".join(" ".join(kept).casefold().translate(_QUOTES).split())


def text_fingerprint(pages: Sequence[str]) -> str:
    """sha256 (hex) of `normalise_text(pages)`; "" when the document has no text (identify it by its bytes)."""
    text = normalise_text(pages)
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""


def page_hashes(pages: Sequence[str]) -> tuple[str, ...]:
    """A short hash of each page's normalised text, for "pages added/removed/changed" in a diff summary."""
    return tuple(hashlib.sha256(normalise_text([page]).encode("utf-8")).hexdigest()[:16] for page in pages)


def text_sketch(pages: Sequence[str], size: int = SKETCH_SIZE) -> tuple[int, ...]:
    """A bottom-k MinHash sketch of the word 5-shingles of the normalised text (small enough to store)."""
    words = _WORD.findall(normalise_text(pages))
    if not words:
        return ()
    shingles = {" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))}
    hashes = {int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big") for s in shingles}
    return tuple(sorted(hashes)[:size])


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two `text_sketch`es (0.0 when either is empty)."""
    if not a or not b:
        return 0.0
    size = min(len(a), len(b))
    union_bottom = sorted(set(a) | set(b))[:size]
    both = set(a) & set(b)
    return sum(1 for h in union_bottom if h in both) / len(union_bottom)


def near_duplicate(a: Sequence[int], b: Sequence[int], threshold: float = NEAR_DUPLICATE_THRESHOLD) -> bool:
    """Whether two sketched texts are the same document, revised (typos, a new chapter, updated years)."""
    return similarity(a, b) >= threshold
