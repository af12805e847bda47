"""A second, independent, seeded kommune test web with exact ground truth (see SPEC.md).

from tests.heldout_web import build_web, serve
web = build_web(seed=1000)
with serve(web, slow_scale=0.1) as running:
    running.registry_csv("registry.csv")
    ...  # crawl, then compare with running.truth and running.request_log()
"""

from __future__ import annotations

from .generator import build_web
from .model import HeldoutWeb, RequestRecord, SiteTruth, canonical_target
from .server import RunningWeb, serve

__all__ = ["HeldoutWeb", "RequestRecord", "RunningWeb", "SiteTruth", "build_web", "canonical_target", "serve"]
