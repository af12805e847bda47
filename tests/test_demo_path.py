"""What `make demo` runs, run as a user would: `planvakt demo`, then `planvakt serve --demo`, each through the
command's entry point in its own process. The served demo shows every feature (issue 13): the printed demo-only token
signs a reviewer in, a tip pointing at a demo plan is fetched and stored (the demo web is served again and private
addresses are allowed), and the subscribe page answers. `serve --demo` refuses a database with real kommuner."""

from __future__ import annotations

import email
import email.policy
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from tracker.store import database
from tracker.store.models import Finding, KommuneRow, Sighting

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # the demo crawl renders its JavaScript site with Chromium


@dataclass(frozen=True)
class ServedDemo:
    base_url: str
    token: str
    db_url: str
    output: str
    var_dir: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANVAKT_")}
    env |= {"PLANVAKT_VAR_DIR": str(var_dir), "PLANVAKT_DATABASE_URL": f"sqlite:///{var_dir / 'planvakt.sqlite3'}"}
    return env


def _wait_for_banner(proc: subprocess.Popen[str], deadline: float) -> str:
    assert proc.stdout is not None
    lines: list[str] = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "e-mail" in line:  # the banner's last line
            return "".join(lines)
    raise AssertionError(f"serve --demo printed no banner: {''.join(lines)!r}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedDemo]:
    var_dir = tmp_path_factory.mktemp("demo") / "var"
    env = _env(var_dir)
    crawl = subprocess.run(
        [sys.executable, "-m", "planvakt", "demo", "--web-port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    assert "next: planvakt serve --demo" in crawl.stdout
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "planvakt", "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        banner = _wait_for_banner(proc, time.monotonic() + 60)
        token = re.search(r"token: (demo-\S+)", banner)
        assert token, banner
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base_url + "/favicon.ico", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the demo dashboard never answered"
                time.sleep(0.2)
        yield ServedDemo(base_url, token.group(1), env["PLANVAKT_DATABASE_URL"], banner, var_dir)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "the form carries a CSRF token"
    return found.group(1)


def test_the_banner_says_how_to_sign_in_and_is_marked_demo_only(demo: ServedDemo) -> None:
    assert "DEMO ONLY" in demo.output and f"{demo.base_url}/review" in demo.output
    assert f"{demo.base_url}/subscribe" in demo.output
    assert demo.token not in "".join(os.environ.values()), "the token is made by the server, not configured"


def test_the_printed_token_signs_a_reviewer_in(demo: ServedDemo) -> None:
    with httpx.Client(base_url=demo.base_url, timeout=30) as http:
        login = http.get("/review")
        assert login.status_code == 200 and 'name="token"' in login.text
        wrong = http.post("/review/login", data={"name": "Kari", "token": "demo-wrong", "csrf": _csrf(login.text)})
        assert wrong.status_code == 401
        signed_in = http.post("/review/login", data={"name": "Kari", "token": demo.token, "csrf": _csrf(wrong.text)})
        assert signed_in.status_code == 303
        queue = http.get("/review")
        assert queue.status_code == 200 and "Kari" in queue.text


def _a_plan_url_and_a_kommune_without(db_url: str) -> tuple[str, str]:
    engine = database.make_engine(db_url, create=False)
    with database.make_session_factory(engine)() as session:
        plan_url = session.scalars(
            select(Sighting.url).join(Finding, Finding.plan_sighting_id == Sighting.id).limit(1)
        ).one()
        without = session.scalars(
            select(KommuneRow.kommunenummer)
            .join(Finding, Finding.kommune_id == KommuneRow.id)
            .where(Finding.status == "no_plan_found")
        ).first()
    engine.dispose()
    assert without
    return plan_url, without


def test_a_tip_to_the_demo_web_is_fetched_and_stored(demo: ServedDemo) -> None:
    plan_url, number = _a_plan_url_and_a_kommune_without(demo.db_url)
    assert plan_url.startswith("http://127.77.0."), "a demo plan lives on a loopback address"
    with httpx.Client(base_url=demo.base_url, timeout=30) as http:
        form = http.get(f"/act/{number}")
        assert form.status_code == 200
        sent = http.post(f"/act/{number}/tips", data={"url": plan_url, "note": "", "csrf": _csrf(form.text)})
        assert sent.status_code == 303, sent.text[:500]
        tip_page = sent.headers["location"]
        deadline = time.monotonic() + 90
        while True:
            page = http.get(tip_page).text
            if "Lagret som bevis" in page or "Kunne ikke brukes" in page:
                break
            assert time.monotonic() < deadline, "the tip was never processed"
            time.sleep(0.5)
    assert "Lagret som bevis" in page, page.split("<main", 1)[-1][:1500]


def test_the_subscribe_page_is_reachable(demo: ServedDemo) -> None:
    page = httpx.get(f"{demo.base_url}/subscribe", timeout=30)
    assert page.status_code == 200 and 'name="csrf"' in page.text


def test_an_email_subscription_is_confirmed_from_the_demo_mailbox(demo: ServedDemo) -> None:
    """The demo has no SMTP server of the user's: its own mailbox writes the confirmation mail into var/demo-mail."""
    mailbox = demo.var_dir / "demo-mail"
    assert f"{mailbox}/" in demo.output
    with httpx.Client(base_url=demo.base_url, timeout=30) as http:
        form = http.get("/subscribe")
        sent = http.post("/subscribe", data={"channel": "email", "email": "ngo@example.org", "scope": "all",
                                             "csrf": _csrf(form.text)})  # fmt: skip
        assert sent.status_code == 200 and 'data-step="check_mail"' in sent.text
        (mail,) = sorted(mailbox.glob("*.eml"))
        parsed = email.message_from_bytes(mail.read_bytes(), policy=email.policy.default)
        link = re.search(r"(http://\S+/subscribe/confirm\?token=\S+)", parsed.get_content())  # type: ignore[attr-defined]
        assert parsed["To"] == "ngo@example.org" and link
        page = http.get(link.group(1))
        confirmed = http.post("/subscribe/confirm", data={"token": link.group(1).split("token=")[1],
                                                          "csrf": _csrf(page.text)})  # fmt: skip
        assert 'data-step="confirmed"' in confirmed.text


def test_serve_demo_refuses_a_database_with_real_kommuner(tmp_path: Path) -> None:
    env = _env(tmp_path / "var")
    for command in (["db", "upgrade"], ["registry", "load"]):
        done = subprocess.run([sys.executable, "-m", "planvakt", *command], env=env, capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr
    served = subprocess.run(
        [sys.executable, "-m", "planvakt", "serve", "--demo", "--port", str(_free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert served.returncode == 2
    assert "--demo serves only the demo database" in served.stderr and "token" not in served.stdout
