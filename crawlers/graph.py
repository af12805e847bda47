"""The link graph of one site crawl, and shortest click paths through it.

Nodes are normalised URLs; an edge is one link (page -> URL) with its anchor text and whether it was in the
static HTML or only in the rendered DOM. The evidence a plan carries ("3 clicks from the front page:
Tjenester > Helse > Handlingsplan ...") is a breadth-first shortest path here.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

EdgeKind = Literal["static", "rendered"]


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    anchor_text: str
    kind: EdgeKind


@dataclass(frozen=True)
class PathStep:
    """One click: the URL reached and the anchor text clicked (the first step is the start, with no text)."""

    url: str
    anchor_text: str


class LinkGraph:
    """Directed multigraph of links; the first edge between two nodes of a kind is the one kept."""

    def __init__(self) -> None:
        self._out: dict[str, list[Edge]] = {}
        self._seen: set[tuple[str, str, EdgeKind]] = set()
        self._anchor: dict[str, str] = {}  # target -> the first non-empty anchor text of a link to it

    def add(self, source: str, target: str, anchor_text: str, kind: EdgeKind) -> None:
        if source == target or (source, target, kind) in self._seen:
            return
        self._seen.add((source, target, kind))
        self._out.setdefault(source, []).append(Edge(source, target, anchor_text, kind))
        if anchor_text and target not in self._anchor:
            self._anchor[target] = anchor_text

    def anchor_text(self, target: str) -> str:
        """The first non-empty text a link to `target` carried ("" when none)."""
        return self._anchor.get(target, "")

    def depths(self, sources: Iterable[str], kinds: frozenset[EdgeKind]) -> dict[str, int]:
        """Clicks from the nearest source to every node reachable over edges of `kinds` (sources are 0)."""
        depth = {source: 0 for source in sources}
        queue = deque(depth)
        while queue:
            node = queue.popleft()
            for edge in self._out.get(node, ()):
                if edge.kind in kinds and edge.target not in depth:
                    depth[edge.target] = depth[node] + 1
                    queue.append(edge.target)
        return depth

    def targets(self, source: str) -> set[str]:
        """The nodes `source` links to (static or rendered)."""
        return {edge.target for edge in self._out.get(source, ())}

    def has_edge(self, source: str, target: str, kind: EdgeKind) -> bool:
        return (source, target, kind) in self._seen

    def __len__(self) -> int:
        return len(self._seen)

    def shortest_paths(self, sources: Iterable[str], kinds: frozenset[EdgeKind]) -> dict[str, tuple[PathStep, ...]]:
        """For every node reachable from any source over edges of `kinds`: the shortest path (sources included).

        Ties go to the edge discovered first, which keeps results stable from run to run.
        """
        paths: dict[str, tuple[PathStep, ...]] = {}
        queue: deque[str] = deque()
        for source in sources:
            if source not in paths:
                paths[source] = (PathStep(source, ""),)
                queue.append(source)
        while queue:
            node = queue.popleft()
            for edge in self._out.get(node, ()):
                if edge.kind in kinds and edge.target not in paths:
                    paths[edge.target] = (*paths[node], PathStep(edge.target, edge.anchor_text))
                    queue.append(edge.target)
        return paths
