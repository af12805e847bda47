"""The WHATWG tree builder's rules that keep real pages shallow, and its stack of open elements, as far as
`crawlers.htmlguard` follows them to know how deep a page nests before lexbor parses it.
"""

from __future__ import annotations

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"})
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
    | {"keygen", "frame", "basefont", "bgsound", "image"}
)
# end tags implied by a sibling or the table and document structure, not worth a place on the stack
UNCOUNTED = frozenset({"thead", "tbody", "tfoot", "colgroup", "rb", "rt", "rp", "rtc", "html", "head", "body"})
# WHATWG tree construction, the parts that keep real pages shallow: a new cell closes back to its row or
# table, a new row back to its table ...
CELL_PARENTS = {"td": frozenset({"tr", "table"}), "th": frozenset({"tr", "table"}), "tr": frozenset({"table"})}
# ... a new <li> (<dd>, <dt>) closes the open one unless a "special" element other than address, div or p
# stands between them (an item of the other kind is one) ...
ITEMS = {"li": ("li", "li_stop"), "dd": ("dd_dt", "dd_dt_stop"), "dt": ("dd_dt", "dd_dt_stop")}
_ITEM_STOPS = frozenset(
    {"applet", "article", "aside", "blockquote", "button", "center", "details", "dir", "dl", "fieldset"}
    | {"figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup"}
    | {"listing", "main", "marquee", "menu", "nav", "object", "ol", "pre", "search", "section", "select"}
    | {"summary", "table", "td", "th", "tr", "template", "ul", "svg", "math", "caption", "iframe", "textarea"}
    | {"noscript", "noembed", "noframes", "frameset", "xmp", "plaintext", "title", "foreignobject", "desc"}
    | {"mi", "mo", "mn", "ms", "mtext", "annotation-xml"}
)
_SPECIAL = _ITEM_STOPS | {"address", "div", "p", "li", "dd", "dt"}
# ... a block start tag closes an open <p> unless a button-scope boundary stands between them ...
CLOSES_P = frozenset(
    {"address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "dd", "dt"}
    | {"fieldset", "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p"}
    | {"search", "section", "summary", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "listing", "form"}
    | {"table", "li"}
)
# ... an end tag closes its element only when no scope boundary stands between (else it is ignored) ...
_SCOPE = frozenset({"applet", "caption", "table", "td", "th", "marquee", "object", "template"})
_SCOPE |= {"foreignobject", "desc", "mi", "mo", "mn", "ms", "mtext", "annotation-xml"}
END_SCOPES = {"p": "button_scope", "li": "list_scope", "td": "table_only", "th": "table_only", "tr": "table_only"}
END_SCOPES["table"] = "none"
# ... formatting elements closed by anything but their own end tag are opened again before the next text
# or inline tag (the list of active formatting elements: at most 3 alike, cleared at a cell's end) ...
FORMATTING = frozenset({"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt"})
FORMATTING |= {"u"}
# ... a second <button> in scope closes the first, a <form> in a form is ignored
_MARKERS = frozenset({"td", "th", "caption", "applet", "object", "marquee", "template"})
NO_RECONSTRUCT = frozenset({"hr", "plaintext", "table", "template", "caption", "iframe", "textarea", "frameset"})
# HTML start tags that end <svg>/<math> content (WHATWG "parsing main inforeign"; <font> with attributes)
BREAKOUT = frozenset(
    {"b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed", "hr", "i"}
    | {"img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong"}
    | {"strike", "sub", "sup", "table", "tt", "u", "ul", "var", "h1", "h2", "h3", "h4", "h5", "h6"}
)
# where HTML content goes on inside <svg>/<math>
_INTEGRATION = frozenset({"foreignobject", "desc", "mi", "mo", "mn", "ms", "mtext", "annotation-xml"})


def _group_index() -> dict[str, tuple[str, ...]]:
    """Tag name -> the groups it belongs to, for the groups whose topmost open element OpenElements tracks."""
    groups = {
        "li": {"li"},
        "dd_dt": {"dd", "dt"},
        "p": {"p"},
        "li_stop": _ITEM_STOPS | {"dd", "dt"},
        "dd_dt_stop": _ITEM_STOPS | {"li"},
        "p_scope": _SCOPE | {"button", "svg", "math"},
        "special": _SPECIAL,
        "scope": _SCOPE,
        "button_scope": _SCOPE | {"button"},
        "list_scope": _SCOPE | {"ul", "ol"},
        "table_only": {"table"},
        "foreign": {"svg", "math"},
        "integration": _INTEGRATION,
        "heading": HEADINGS,
        "cell": {"td", "th"},
        "pre": {"pre"},
    }
    index: dict[str, tuple[str, ...]] = {}
    for group, names in groups.items():
        for name in names:
            index[name] = (*index.get(name, ()), group)
    return index


_GROUPS = _group_index()
#: every group's name once, and "none" (an end tag nothing stops): the keys of `OpenElements.tops`
_GROUP_NAMES = (*dict.fromkeys(group for groups in _GROUPS.values() for group in groups), "none")


class _Formatting:
    """An entry of the list of active formatting elements: `index` on the stack, -1 while closed (to reopen)."""

    __slots__ = ("name", "key", "index")

    def __init__(self, name: str, key: str) -> None:
        self.name, self.key, self.index = name, key, -1


class OpenElements:
    """The tree builder's stack of open elements, by tag name, with the topmost of each name and group at hand,
    and its list of active formatting elements (one segment per open cell or other marker)."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.entries: list[_Formatting | None] = []  # parallel to names: the list entry of a formatting element
        self.where: dict[str, list[int]] = {}  # tag name -> stack indices where it is open, bottom first
        self.tops: dict[str, list[int]] = {group: [] for group in _GROUP_NAMES}
        self.active: list[list[_Formatting]] = [[]]  # segments of the active formatting list, last is current
        self.closed = [0]  # per segment: entries closed, waiting to be reopened

    def push(self, name: str, entry: _Formatting | None = None) -> None:
        for group in _GROUPS.get(name, ()):
            self.tops[group].append(len(self.names))
        self.where.setdefault(name, []).append(len(self.names))
        if entry is not None:
            entry.index = len(self.names)
        self.names.append(name)
        self.entries.append(entry)
        if name in _MARKERS:
            self.active.append([])
            self.closed.append(0)

    def pop_to(self, depth: int) -> None:
        """Close elements until `depth` are open; formatting elements among them wait to be reopened."""
        while len(self.names) > depth:
            name = self.names.pop()
            entry = self.entries.pop()
            self.where[name].pop()
            for group in _GROUPS.get(name, ()):
                self.tops[group].pop()
            if entry is not None:
                entry.index = -1
                self.closed[-1] += 1
            if name in _MARKERS:  # a cell's end clears the formatting opened in it
                self.active.pop()
                self.closed.pop()

    def add_formatting(self, name: str, key: str) -> None:
        """Open formatting element `name`; a fourth one alike (name and attributes) drops the first from the list."""
        current = self.active[-1]
        alike = [entry for entry in current if entry.key == key]
        if len(alike) >= 3:
            self.forget(alike[0])
        entry = _Formatting(name, key)
        current.append(entry)
        self.push(name, entry)

    def forget(self, entry: _Formatting) -> None:
        """Take `entry` off the active formatting list (an element still open stays open)."""
        self.active[-1].remove(entry)
        if entry.index < 0:
            self.closed[-1] -= 1
        else:
            self.entries[entry.index] = None

    def reopen(self) -> None:
        """Reconstruct the active formatting elements: reopen, in order, those closed by something else."""
        if not self.closed[-1]:
            return
        for entry in self.active[-1]:
            if entry.index < 0:
                self.push(entry.name, entry)
        self.closed[-1] = 0

    def formatting(self, name: str) -> _Formatting | None:
        """The last entry for `name` in the current segment of the active formatting list."""
        for entry in reversed(self.active[-1]):
            if entry.name == name:
                return entry
        return None

    def index(self, name: str) -> int:
        """Stack index of the topmost open `name`, -1 when none is open."""
        found = self.where.get(name)
        return found[-1] if found else -1

    def top(self, group: str) -> int:
        """Stack index of the topmost open element of `group`, -1 when none is open."""
        found = self.tops[group]
        return found[-1] if found else -1

    def foreign(self) -> bool:
        """Inside <svg>/<math> content, not back in HTML through a <foreignObject> or the like."""
        return self.top("foreign") > self.top("integration")
