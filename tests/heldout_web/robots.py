"""Our own reading of robots.txt: groups by User-agent, Allow/Disallow with `*` and `$`, Crawl-delay.

Rules follow RFC 9309: the group whose product token matches the crawler's User-Agent wins (longest token),
else the `*` group; inside a group the longest matching rule wins and Allow wins a tie. An empty Disallow
allows everything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class RobotsGroup:
    agents: list[str] = field(default_factory=list)
    rules: list[tuple[bool, str]] = field(default_factory=list)  # (allow, pattern)
    crawl_delay: float | None = None


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    rx = "".join(".*" if ch == "*" else re.escape(ch) for ch in body)
    return re.compile("^" + rx + ("$" if anchored else ""))


@dataclass
class RobotsRules:
    groups: list[RobotsGroup]
    sitemaps: list[str]

    @classmethod
    def parse(cls, text: str) -> RobotsRules:
        groups: list[RobotsGroup] = []
        sitemaps: list[str] = []
        current: RobotsGroup | None = None
        last_was_agent = False
        for raw in text.splitlines():
            line = raw.split("#", 1)[0].strip()
            if not line or ":" not in line:
                continue
            key, value = (x.strip() for x in line.split(":", 1))
            key = key.lower()
            if key == "user-agent":
                if current is None or not last_was_agent:
                    current = RobotsGroup()
                    groups.append(current)
                current.agents.append(value.lower())
                last_was_agent = True
                continue
            last_was_agent = False
            if key == "sitemap":
                sitemaps.append(value)
            elif current is None:
                continue
            elif key in ("allow", "disallow"):
                if value:
                    current.rules.append((key == "allow", value))
            elif key == "crawl-delay":
                try:
                    current.crawl_delay = float(value)
                except ValueError:
                    pass
        return cls(groups, sitemaps)

    def group_for(self, user_agent: str) -> RobotsGroup | None:
        ua = user_agent.lower()
        best: tuple[int, RobotsGroup] | None = None
        star: RobotsGroup | None = None
        for g in self.groups:
            for a in g.agents:
                if a == "*":
                    star = star or g
                elif a and a in ua and (best is None or len(a) > best[0]):
                    best = (len(a), g)
        return best[1] if best else star

    def allows(self, target: str, user_agent: str) -> bool:
        if target.split("?", 1)[0] == "/robots.txt":
            return True
        group = self.group_for(user_agent)
        if group is None:
            return True
        verdict: tuple[int, bool] | None = None
        for allow, pattern in group.rules:
            if _pattern_regex(pattern).match(target):
                length = len(pattern)
                if verdict is None or length > verdict[0] or (length == verdict[0] and allow):
                    verdict = (length, allow)
        return True if verdict is None else verdict[1]

    def crawl_delay(self, user_agent: str) -> float | None:
        group = self.group_for(user_agent)
        return group.crawl_delay if group else None
