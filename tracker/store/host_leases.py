"""Per-host politeness across worker processes: a lease on each host in the table `host_lease` (PostgreSQL).

The queue's job lock (`host:<host>`, `tracker.schedule.sweep_queue`) keeps two workers off one kommune's main host, but
a host that several kommuner use (a CDN, a shared e-plan or document host, a kommune's second address) is reached by
jobs with different locks, and each worker's own gate knows only its own requests. `HostLeases` is the
`crawlers.politeness.SharedSlots` of a worker: every request, to any host, first takes the host's lease.

- *One request in flight per host, across workers.* Taking the lease is one statement (`INSERT ... ON CONFLICT DO
  UPDATE ... WHERE free`) that succeeds for one process only; the holder gives it back when its response has been
  read.
- *The delay from the end of the previous request, by any worker.* The release stamps `last_end` with the
  database's clock, and the lease is taken only once `last_end + delay` has passed on that clock: one clock for
  every machine, and both stamps later than the moments they stand for (the request ended before the release
  reached the database; it starts after the take came back), so the host never sees a shorter gap.
- *A worker killed holding a lease* blocks its host for at most `LEASE_SECONDS`: a live holder renews its lease
  every third of that while its request runs, a dead one stops renewing and the lease lapses.

A waiting worker asks again every `POLL_SECONDS` at most (sooner when the delay ends sooner), so a host shared by
two workers costs them a few short queries per request. The calls are blocking SQLAlchemy ones in a thread, off
the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid

from sqlalchemy import Engine, text

logger = logging.getLogger(__name__)

#: a lease lapses this long after it was taken or last renewed (a killed worker's host is free again after it)
LEASE_SECONDS = 30.0
#: the longest a worker waits before asking again for a lease another worker holds
POLL_SECONDS = 0.05

_TAKE = """
INSERT INTO host_lease (host, holder, leased_until)
VALUES (:host, :holder, clock_timestamp() + make_interval(secs => :lease))
ON CONFLICT (host) DO UPDATE SET holder = excluded.holder, leased_until = excluded.leased_until
 WHERE (host_lease.holder IS NULL OR host_lease.leased_until < clock_timestamp())
   AND (host_lease.last_end IS NULL OR host_lease.last_end + make_interval(secs => :delay) <= clock_timestamp())
RETURNING 0.0
"""
#: seconds until the delay after the last request has passed (0 when it has; the holder's request may still run)
_WAIT = """
SELECT GREATEST(0.0, EXTRACT(EPOCH FROM (last_end + make_interval(secs => :delay) - clock_timestamp())))::float
  FROM host_lease WHERE host = :host
"""
_RENEW = """
UPDATE host_lease SET leased_until = clock_timestamp() + make_interval(secs => :lease)
 WHERE host = :host AND holder = :holder
"""
_RELEASE = """
UPDATE host_lease SET holder = NULL, leased_until = NULL, last_end = clock_timestamp()
 WHERE host = :host AND holder = :holder
"""


def holder_name() -> str:
    """This process, unique across machines and restarts."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class HostLeases:
    """`SharedSlots` on a PostgreSQL table: see the module docstring. One per worker process."""

    def __init__(self, engine: Engine, *, holder: str | None = None, lease_seconds: float = LEASE_SECONDS) -> None:
        if engine.dialect.name != "postgresql":
            raise ValueError("host leases need PostgreSQL")
        self.engine = engine
        self.holder = holder or holder_name()
        self.lease_seconds = lease_seconds
        self._renewals: dict[str, asyncio.Task[None]] = {}

    async def acquire(self, host: str, delay: float) -> None:
        """Wait until this process holds `host`'s lease (see the module docstring)."""
        poll = max(0.005, min(POLL_SECONDS, delay / 4))
        while True:
            try:
                wait = await asyncio.to_thread(self._take, host, delay)
            except asyncio.CancelledError:
                await asyncio.shield(asyncio.to_thread(self._release, host))  # the thread may have taken it
                raise
            if wait is None:
                self._renewals[host] = asyncio.create_task(self._renew(host))
                return
            await asyncio.sleep(max(poll, wait) if wait > 0 else poll)

    async def release(self, host: str) -> None:
        """Give the lease back, stamping the end of the request; never raises (an unreleased lease lapses)."""
        renewal = self._renewals.pop(host, None)
        if renewal is not None:
            renewal.cancel()
        try:
            await asyncio.shield(asyncio.to_thread(self._release, host))
        except Exception:  # noqa: BLE001 - the request is done; the lease lapses on its own
            logger.exception("could not release the lease on %s (it lapses in %.0f s)", host, self.lease_seconds)

    def _take(self, host: str, delay: float) -> float | None:
        """None when the lease is now ours, else the seconds to wait before the delay has passed (0: held)."""
        params = {"host": host, "holder": self.holder, "lease": self.lease_seconds, "delay": delay}
        with self.engine.begin() as connection:
            if connection.execute(text(_TAKE), params).first() is not None:
                return None
            wait = connection.execute(text(_WAIT), {"host": host, "delay": delay}).scalar()
        return float(wait or 0.0)

    def _release(self, host: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(text(_RELEASE), {"host": host, "holder": self.holder})

    async def _renew(self, host: str) -> None:
        """While the request runs: push the lease's end out every third of its length."""
        while True:
            await asyncio.sleep(self.lease_seconds / 3)
            try:
                await asyncio.to_thread(self._renew_once, host)
            except Exception:  # noqa: BLE001 - the next renewal tries again; the lease still runs
                logger.exception("could not renew the lease on %s", host)

    def _renew_once(self, host: str) -> None:
        params = {"host": host, "holder": self.holder, "lease": self.lease_seconds}
        with self.engine.begin() as connection:
            connection.execute(text(_RENEW), params)
