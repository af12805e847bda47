"""An Atom 1.0 feed (RFC 4287) written with the standard library's XML writer: text is escaped by the writer, never
by hand, so a crawled title with `<`, `&` or a control character cannot break the feed.

Pure: entries in, bytes out. The changes page (dashboards/changes.py) turns change events into entries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
#: characters XML 1.0 cannot carry at all (escaping does not help): dropped from crawled text
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class FeedEntry:
    id: str  # a URI that never changes for this entry, e.g. urn:uuid:...
    title: str
    link: str  # absolute URL of the entry's page
    updated: datetime
    summary: str = ""


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    self_url: str  # the feed's own absolute URL
    page_url: str  # the HTML page the feed mirrors
    updated: datetime  # the newest entry's time (or now, for an empty feed)
    author: str
    language: str


def _timestamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _text(parent: ElementTree.Element, tag: str, text: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, tag)
    element.text = _NOT_XML.sub("", text)
    return element


def _link(parent: ElementTree.Element, href: str, rel: str, media_type: str | None = None) -> None:
    attributes = {"href": href, "rel": rel}
    if media_type:
        attributes["type"] = media_type
    ElementTree.SubElement(parent, "link", attributes)


def atom_feed(feed: Feed, entries: Sequence[FeedEntry]) -> bytes:
    """The feed document as UTF-8 bytes with an XML declaration."""
    root = ElementTree.Element("feed", {"xmlns": ATOM_NS, "xml:lang": feed.language})
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    _text(root, "updated", _timestamp(feed.updated))
    _link(root, feed.self_url, "self", MEDIA_TYPE)
    _link(root, feed.page_url, "alternate", "text/html")
    author = ElementTree.SubElement(root, "author")
    _text(author, "name", feed.author)
    for item in entries:
        entry = ElementTree.SubElement(root, "entry")
        _text(entry, "id", item.id)
        _text(entry, "title", item.title)
        _link(entry, item.link, "alternate", "text/html")
        _text(entry, "updated", _timestamp(item.updated))
        if item.summary:
            _text(entry, "summary", item.summary)
    return bytes(ElementTree.tostring(root, encoding="utf-8", xml_declaration=True))
