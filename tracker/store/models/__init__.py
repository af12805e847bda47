"""SQLAlchemy 2 tables, one module per aggregate; every table is importable from here, and importing this package
registers them all on `Base.metadata` (what Alembic compares the migrations with).

- :mod:`~tracker.store.models.base`: the declarative base, its naming convention and the UTC datetime type;
- :mod:`~tracker.store.models.checks`: kommuner, runs, site checks, documents, sightings, classifications, findings;
- :mod:`~tracker.store.models.watching`: change detection's memory, events, subscriptions and their deliveries;
- :mod:`~tracker.store.models.scheduling`: sweep claims and host leases shared by schedulers and workers;
- :mod:`~tracker.store.models.dashboard`: tips, review overrides and the data version the pages key on.
"""

from __future__ import annotations

from tracker.store.models.base import NAMING_CONVENTION, Base, UTCDateTime
from tracker.store.models.checks import ClassificationRow, CrawlRun, Document, Finding, KommuneRow, Sighting, SiteCheck
from tracker.store.models.dashboard import DataVersion, ReviewOverride, Tip
from tracker.store.models.scheduling import HostLease, SweepClaim
from tracker.store.models.watching import Delivery, Event, KommuneWatch, Subscription, WatchedPlan

__all__ = [
    "NAMING_CONVENTION",
    "Base",
    "ClassificationRow",
    "CrawlRun",
    "DataVersion",
    "Delivery",
    "Document",
    "Event",
    "Finding",
    "HostLease",
    "KommuneRow",
    "KommuneWatch",
    "ReviewOverride",
    "Sighting",
    "SiteCheck",
    "Subscription",
    "SweepClaim",
    "Tip",
    "UTCDateTime",
    "WatchedPlan",
]
