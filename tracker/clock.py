"""The clock: timezone-aware UTC. Code takes `now` as an argument; this is the default its composition roots pass.

(`crawlers` keeps its own, `crawlers.sweep.utc_now`: it never imports tracker.)
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
