"""Seeded tag soups through the HTML guard: what lexbor builds from the guarded page stays shallow.

lexbor's time is quadratic in the depth of its stack of open elements, so a guarded page must parse to a tree
within a small multiple of MAX_DEPTH however its tags are misnested. The soups repeat a few tags (misnested, self-
closed, with attributes) a few thousand times, as the hostile pages of issue 12 do; the fuzzer that wrote them found
the tree-builder rules `crawlers.htmlguard._flatten` follows (formatting elements reopened, foreign content, scopes).
"""

from __future__ import annotations

import random

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawlers.htmlguard import MAX_DEPTH, guard_html

TAGS = (
    "div span p li ul ol dd dt dl td th tr table a b i font h2 h3 section nav svg math g form button select option"
    " pre caption object template nobr marquee em center address main article tbody colgroup iframe textarea x-y"
    " frameset body html head title script noscript plaintext foreignObject"
).split()
#: the guard counts a row or table body of its own as part of a cell: at most about twice MAX_DEPTH deep
DEPTH_BOUND = 3 * MAX_DEPTH


def _depth(node: LexborNode | None) -> int:
    best = 0
    stack = [(node, 1)] if node is not None else []
    while stack:
        current, depth = stack.pop()
        best = max(best, depth)
        child = current.child
        while child is not None:
            if child.tag != "-text":
                stack.append((child, depth + 1))
            child = child.next
    return best


def _soup(rng: random.Random, trial: int) -> str:
    pattern = []
    for tag in rng.sample(TAGS, rng.randint(1, 6)):
        shape = rng.random()
        pattern.append(
            f"</{tag}>"
            if shape < 0.2
            else f"<{tag}/>"
            if shape < 0.3
            else f"<{tag} x={trial}>"
            if shape < 0.4
            else f"<{tag}>"
        )
    unit = "".join(pattern) + ("x" if rng.random() < 0.5 else "")
    return "<body>" + unit * (6000 // len(pattern))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_guarded_tag_soup_parses_shallow(seed: int) -> None:
    rng = random.Random(seed)
    for trial in range(60):
        html = _soup(rng, trial)
        depth = _depth(LexborHTMLParser(guard_html(html).html).root)
        assert depth <= DEPTH_BOUND, f"{html[6:120]!r}...: tree {depth} deep"
