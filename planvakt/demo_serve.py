"""`planvakt serve --demo`: the dashboard over the demo crawl with every feature on, for `make demo` only.

Three things a real deployment configures that the demo cannot have by default, and what `--demo` does instead:

- **Review** needs `PLANVAKT_ADMIN_TOKEN`. `--demo` makes a random token for this server process only (`demo-…`),
  prints it, and never writes it anywhere: it is in no `.env`, no environment, no file, and dies with the process.
- **Tips** fetch the volunteer's URL, and the demo plans live on loopback addresses (127.77.0.x) that the address
  guard refuses, on a demo web that `planvakt demo` stopped when its crawl ended. `--demo` serves the demo web again
  on the port the crawl used (read from the stored websites) and lets tips and alert targets point at private
  addresses, for this process only.
- **Subscribing** from /subscribe: webhook targets on the demo machine are loopback addresses too (same switch), and
  an e-mail subscription's confirmation mail needs an SMTP server: `--demo` runs a mailbox of its own on loopback
  (aiosmtpd, installed by `make install`) that writes each message to `var/demo-mail/` as an .eml file, so a demo
  user opens the confirmation link from there; no mail leaves the machine.

`--demo` refuses a database that holds anything but the demo kommuner, so it can never turn review on, with a
printed token, over real data.
"""

from __future__ import annotations

import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from tracker.errors import ConfigError
from tracker.store import runs

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
    websites = runs.kommune_websites(session)
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


class _Mailbox:
    """aiosmtpd handler: each message as `<n>.eml` in `folder`, in the order received."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.folder.mkdir(parents=True, exist_ok=True)
        number = len(list(self.folder.glob("*.eml"))) + 1
        (self.folder / f"{number:04d}.eml").write_bytes(bytes(envelope.content))
        return "250 Message accepted for delivery"


@contextmanager
def demo_mailbox(folder: Path) -> Iterator[int | None]:
    """An SMTP server on 127.0.0.1 writing every message into `folder`; yields its port (None without aiosmtpd)."""
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        yield None
        return
    with socket.socket() as probe:  # aiosmtpd's Controller cannot report a port it got from port 0
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(_Mailbox(folder), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def banner(base_url: str, demo: DemoServing, mail_folder: Path | None = None) -> str:
    """What `serve --demo` prints before it serves: how to sign in, that tips work, where to subscribe."""
    return "\n".join(
        [
            f"Planvakt demo dashboard: {base_url}/",
            "  DEMO ONLY - reviewer sign-in (made for this server process, in no configuration, gone when it stops):",
            f"    {base_url}/review   token: {demo.admin_token}",
            f"  Tips: the demo web runs again on {DEMO_HOST_PREFIX}11-27 port {demo.web_port}; tips may point at it",
            f"    from any kommune's page or {base_url}/act (private addresses are allowed in the demo only)",
            f"  Alerts: subscribe at {base_url}/subscribe (webhooks on loopback allowed in the demo only)",
            f"    e-mail goes to the demo mailbox, a folder: {mail_folder}/ (nothing leaves this machine)"
            if mail_folder
            else "    e-mail needs PLANVAKT_SMTP_HOST (the demo mailbox needs aiosmtpd: make install)",
        ]
    )
