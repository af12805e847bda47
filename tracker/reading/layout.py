"""How extracted text is laid out: whitespace and hyphenation, headings, cover lines and sentences.

Text from PDFs arrives with hard line wraps, soft hyphens and words split over lines; text from the corpus
has one paragraph per line. The readers (``classify``, ``document_kind``, ``criteria``) share these few
rules so that "a heading" or "a sentence on page 3" means the same thing in all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.domain import DocumentText

__all__ = ["Sentence", "cover_lines", "first_page_head", "is_heading", "normalise", "sentences"]

_WORD_RE = re.compile(r"\w+")
_BULLET_RE = re.compile(r"^\s*(?:[-–—•*▪·]|\d{1,2}[.)]|[a-z][.)])\s+")
_NUMBERED_RE = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*[.)]?\s+")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[«\"(]?[A-ZÆØÅ0-9])")


@dataclass(frozen=True)
class Sentence:
    page: int  # 1-based
    text: str
    heading: str  # the nearest heading above it on this or an earlier page, "" if none
    list_item: bool  # a bullet or numbered item: lists of measures often have no verb


def normalise(text: str) -> str:
    """Join words split over a line break, drop soft hyphens, collapse whitespace."""
    text = text.replace("\u00ad", "").replace("\u2011", "-")
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    return re.sub(r"\s+", " ", text)


def is_heading(line: str) -> bool:
    """A short line that does not end like a sentence and starts with a capital or a number."""
    words = line.split()
    return (
        0 < len(words) <= 10
        and not line.rstrip().endswith((".", ",", ";", ":"))
        and line[:1].isupper() | line[:1].isdigit()
    )


def cover_lines(doc: DocumentText, limit: int = 6) -> list[str]:
    """The first non-empty lines of page 1 that look like cover labels: short, not sentences."""
    first = doc.pages[0] if doc.pages else ""
    lines = [ln.strip() for ln in first.splitlines() if ln.strip()][:limit]
    return [ln for ln in lines if len(ln.split()) <= 10 and not ln.endswith((".", "!", "?"))]


def first_page_head(doc: DocumentText, words: int = 80) -> str:
    """The headings of page 1 and its first ``words`` words: where a plan names itself."""
    first = doc.pages[0] if doc.pages else ""
    headings = [ln.strip() for ln in first.splitlines() if is_heading(ln.strip())]
    lead = " ".join(_WORD_RE.findall(first)[:words])
    return normalise(" ".join(headings) + " " + lead)


def _blocks(page: str) -> list[tuple[str, bool, bool]]:
    """Split a page into (text, is_heading, is_list_item) blocks, joining wrapped lines."""
    blocks: list[tuple[str, bool, bool]] = []
    current: list[str] = []
    current_item = False

    def flush() -> None:
        nonlocal current, current_item
        if current:
            blocks.append((normalise("\n".join(current)).strip(), False, current_item))
        current, current_item = [], False

    lines = page.splitlines()
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            flush()
            continue
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        after_break = not current or current[-1].rstrip().endswith((".", "!", "?", ":"))
        continues = bool(following) and following[:1].islower()
        numbered = _NUMBERED_RE.match(line)
        if numbered and is_heading(line[numbered.end() :]) and not continues:
            flush()  # "3. Tiltak i skolene": a numbered heading, not a list item
            blocks.append((normalise(line).strip(), True, False))
        elif _BULLET_RE.match(line):
            flush()
            current, current_item = [_BULLET_RE.sub("", line)], True
        elif after_break and is_heading(line) and not continues:
            flush()
            blocks.append((normalise(line).strip(), True, False))
        elif current and current[-1].rstrip().endswith((".", "!", "?")) and not current_item:
            flush()
            current = [line]
        else:
            current.append(line)
    flush()
    return blocks


def sentences(doc: DocumentText) -> list[Sentence]:
    """Every sentence of the document with its page number and the heading it stands under."""
    out: list[Sentence] = []
    heading = ""
    for number, page in enumerate(doc.pages, start=1):
        for text, is_head, item in _blocks(page):
            if is_head:
                heading = text
                continue
            for part in _SENTENCE_END_RE.split(text):
                part = part.strip()
                if part:
                    out.append(Sentence(number, part, heading, item))
    return out
