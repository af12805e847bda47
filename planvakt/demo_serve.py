"""`planvakt serve --demo`: the dashboard over the demo crawl with every feature on, for `make demo` only.

Three things a real deployment configures that the demo cannot have by default, and what `--demo` does instead:

- **Review** needs `PLANVAKT_ADMIN_TOKEN`. `--demo` makes a random token for this server process only (`demo-…`),
  prints it, and never writes it anywhere: it is in no `.env`, no environment, no file, and dies with the process.
- **Tips** fetch the volunteer's URL, and the demo plans live on loopback addresses (127.77.0.x) that the address
  guard refuses, on a demo web that `planvakt demo` stopped when its crawl ended. `--demo` serves the demo web again
  on the port the crawl used (read from the stored websites) and lets tips and alert targets point at private
  addresses, for this process only.
- **Subscribing** from /subscribe: webhook targets on the demo machine are loopback addresses too (same switch).

`--demo` refuses a database that holds anything but the demo kommuner, so it can never turn review on, with a
printed token, over real data.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import ConfigError
from tracker.models import KommuneRow

#: the demo web's hosts (crawlers.testweb.scenarios.build_demo_web)
DEMO_HOST_PREFIX = "127.77.0."
#: the port `planvakt demo` serves its web on, so `serve --demo` can serve it again at the same addresses
DEMO_WEB_PORT = 8077


@dataclass(frozen=True)
class DemoServing:
    """What `serve --demo` adds to the dashboard: a reviewer token of its own and the demo web's port."""

    admin_token: str
    web_port: int


def demo_web_port(session: Session) -> int:
    """The port every stored website uses, when every kommune is a demo kommune; ConfigError otherwise."""
    websites = list(session.execute(select(KommuneRow.kommunenummer, KommuneRow.name, KommuneRow.website)))
    if not websites:
        raise ConfigError("--demo needs the demo crawl first: run `planvakt demo` (make demo does)")
    ports: set[int] = set()
    for number, name, website in websites:
        parts = urlsplit(website)
        if not (parts.hostname or "").startswith(DEMO_HOST_PREFIX) or parts.port is None:
            raise ConfigError(
                f"--demo serves only the demo database, and this one holds {number} {name} ({website}); "
                "serve real data without --demo, with PLANVAKT_ADMIN_TOKEN set for review"
            )
        ports.add(parts.port)
    if len(ports) != 1:
        raise ConfigError(f"the demo kommuner were crawled on several ports ({sorted(ports)}): run `planvakt demo`")
    return ports.pop()


def prepare(session: Session) -> DemoServing:
    """A fresh demo-only reviewer token and the demo web's port (ConfigError for a database that is not the demo's)."""
    return DemoServing(admin_token="demo-" + secrets.token_urlsafe(12), web_port=demo_web_port(session))


def banner(base_url: str, demo: DemoServing) -> str:
    """What `serve --demo` prints before it serves: how to sign in, that tips work, where to subscribe."""
    return "\n".join(
        [
            f"Planvakt demo dashboard: {base_url}/",
            "  DEMO ONLY - reviewer sign-in (made for this server process, in no configuration, gone when it stops):",
            f"    {base_url}/review   token: {demo.admin_token}",
            f"  Tips: the demo web runs again on {DEMO_HOST_PREFIX}11-27 port {demo.web_port}; tips may point at it",
            f"    from any kommune's page or {base_url}/act (private addresses are allowed in the demo only)",
            f"  Alerts: subscribe at {base_url}/subscribe (webhooks on loopback allowed in the demo only)",
        ]
    )
