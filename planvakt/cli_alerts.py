"""`planvakt subscribe …`, `planvakt subscriptions …` and `planvakt alerts …`: parse, build dependencies, call one
function. Registered on the main app by `register(app)` at the end of `planvakt/cli.py`.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

from planvakt.options import AllowPrivateOption, DbOption
from planvakt.wiring import console, engine_for, fail, settings_for
from tracker.alerts.outbox import preview_due, send_due
from tracker.alerts.public_subscribe import expire_unconfirmed
from tracker.alerts.subscriptions import SubscriptionRequest, parse_kinds, subscribe, unsubscribe
from tracker.clock import utc_now
from tracker.config import Settings
from tracker.errors import ConfigError, TrackerError
from tracker.secretbox import SecretKeys
from tracker.store import alerts, database, deliveries

subscribe_app = typer.Typer(help="Subscribe to alerts: webhook, e-mail or any Apprise URL.", no_args_is_help=True)
subscriptions_app = typer.Typer(help="List and remove subscriptions.", no_args_is_help=True)
alerts_app = typer.Typer(help="The alert outbox: send what is due, list deliveries.", no_args_is_help=True)


KommuneOption = Annotated[
    list[str] | None,
    typer.Option("--kommune", help="Only events of this kommunenummer (repeatable; default: every kommune)."),
]
KindsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--kinds",
        help="Comma-separated event kinds (default: the plan_* events; crawler_blocked and check_failed only "
        "when named).",
    ),
]
DigestOption = Annotated[
    str, typer.Option("--digest", help="none, daily (06:00 UTC) or weekly (Tuesdays 06:00 UTC); not for webhooks.")
]
LanguageOption = Annotated[
    str | None, typer.Option("--language", help="nb, nn, da or en (default: each kommune's own language).")
]


def _factory(db: str | None, *, read_only: bool = False) -> tuple[Settings, sessionmaker[Session]]:
    """Settings and a session factory; `read_only` (the list commands) never creates a missing SQLite file."""
    settings = settings_for(db)
    return settings, database.make_session_factory(engine_for(settings, read_only=read_only))


def _subscribe(request: SubscriptionRequest, db: str | None, allow_private_networks: bool = False) -> None:
    try:
        settings, factory = _factory(db)
        view = subscribe(
            factory,
            request,
            now=utc_now(),
            allow_private_networks=allow_private_networks,
            keys=SecretKeys.from_settings(settings),
        )
    except TrackerError as exc:
        raise fail(exc) from exc
    typer.echo(f"subscription {view.id}: {view.channel} {view.target}")


@subscribe_app.command("webhook")
def subscribe_webhook(
    url: Annotated[str, typer.Argument(help="http(s) URL that receives one signed JSON POST per event.")],
    secret: Annotated[
        str | None, typer.Option("--secret", help="Key of the X-Planvakt-Signature HMAC-SHA256 (recommended).")
    ] = None,
    kommune: KommuneOption = None,
    kinds: KindsOption = None,
    digest: DigestOption = "none",
    language: LanguageOption = None,
    allow_private_networks: AllowPrivateOption = False,
    db: DbOption = None,
) -> None:
    """POST each event as signed JSON to URL (see README, "Alerts", for the format and how to verify it)."""
    request = SubscriptionRequest(
        "webhook", url, secret, tuple(kommune or ()), parse_kinds(kinds or ()), digest, language
    )
    _subscribe(request, db, allow_private_networks)


@subscribe_app.command("email")
def subscribe_email(
    address: Annotated[str, typer.Argument(help="E-mail address (sent through PLANVAKT_SMTP_*).")],
    kommune: KommuneOption = None,
    kinds: KindsOption = None,
    digest: DigestOption = "none",
    language: LanguageOption = None,
    db: DbOption = None,
) -> None:
    """E-mail each event, or a daily/weekly digest, in the kommune's language."""
    request = SubscriptionRequest(
        "email", address, None, tuple(kommune or ()), parse_kinds(kinds or ()), digest, language
    )
    _subscribe(request, db)


@subscribe_app.command("apprise")
def subscribe_apprise(
    apprise_url: Annotated[str, typer.Argument(help="Any Apprise URL: slack://…, msteams://…, matrix://…, tgram://…")],
    kommune: KommuneOption = None,
    kinds: KindsOption = None,
    digest: DigestOption = "none",
    language: LanguageOption = None,
    allow_private_networks: AllowPrivateOption = False,
    db: DbOption = None,
) -> None:
    """Notify through Apprise (Slack, Teams, Matrix, Telegram and many more)."""
    request = SubscriptionRequest(
        "apprise", apprise_url, None, tuple(kommune or ()), parse_kinds(kinds or ()), digest, language
    )
    _subscribe(request, db, allow_private_networks)


@subscriptions_app.command("list")
def subscriptions_list(
    all_: Annotated[bool, typer.Option("--all", help="Include removed subscriptions.")] = False,
    db: DbOption = None,
) -> None:
    """Every subscription, secrets hidden."""
    try:
        _, factory = _factory(db, read_only=True)
        with factory() as session:
            rows = alerts.subscriptions(session, include_inactive=all_)
    except TrackerError as exc:
        raise fail(exc) from exc
    table = Table(title="Subscriptions")
    for column in ("id", "channel", "target", "secret", "kommuner", "kinds", "digest", "language", "since", "active"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row.id),
            row.channel,
            row.target,  # stored masked; the real target is sealed
            "yes" if row.secret else "no",
            " ".join(row.kommuner) or "all",
            ",".join(row.kinds) or "plan events",
            row.digest,
            row.language or "kommune's",
            row.created_at.strftime("%Y-%m-%d %H:%M"),
            "yes" if row.active else "removed",
        )
    Console(width=max(console.width, 150)).print(table)


@subscriptions_app.command("remove")
def subscriptions_remove(
    subscription_id: Annotated[int, typer.Argument(help="The id shown by `planvakt subscriptions list`.")],
    db: DbOption = None,
) -> None:
    """Stop a subscription; deliveries still waiting for it are dropped (its history is kept)."""
    try:
        _, factory = _factory(db)
        dropped = unsubscribe(factory, subscription_id, now=utc_now())
    except TrackerError as exc:
        raise fail(exc) from exc
    typer.echo(f"subscription {subscription_id} removed; {dropped} waiting deliveries dropped")


@alerts_app.command("send")
def alerts_send(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what is due; send and write nothing.")] = False,
    allow_private_networks: AllowPrivateOption = False,
    db: DbOption = None,
) -> None:
    """Deliver every alert that is due (new events, retries, digests whose period ended) and print the report;
    first delete the public subscriptions not confirmed within their window (as the scheduler does every minute)."""
    try:
        settings, factory = _factory(db)
        if dry_run:
            planned = preview_due(factory, now=utc_now())
            for message in planned:
                typer.echo(
                    f"would send to subscription {message.subscription_id} ({message.channel} {message.target}): "
                    + ", ".join(f"{kind} {event}" for kind, event in zip(message.kinds, message.event_ids, strict=True))
                )
            typer.echo(f"dry run: {len(planned)} message(s) due")
            return
        expired = expire_unconfirmed(factory, utc_now())
        report = send_due(factory, settings, now=utc_now, allow_private_networks=allow_private_networks)
    except TrackerError as exc:
        raise fail(exc) from exc
    typer.echo(
        f"sent {report.sent}, retried {report.retried}, dead {report.dead}, pending {report.pending} "
        f"({report.messages} message(s), {report.created} new deliveries)"
    )
    if expired:
        typer.echo(f"deleted {expired} public subscription(s) not confirmed in time")
    if report.blocked:
        raise fail(ConfigError.said("cli_error.blocked", count=report.blocked), code=1)


@alerts_app.command("list")
def alerts_list(
    state: Annotated[
        str | None, typer.Option("--state", help="Only deliveries in this state: pending, sending, sent or dead.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show at most this many (newest first).")] = 50,
    db: DbOption = None,
) -> None:
    """Deliveries, newest first: event, kommune, subscriber (secret hidden), state, attempts, next attempt, error."""
    if state is not None and state not in deliveries.DELIVERY_STATES:
        raise fail(ConfigError.said("cli_error.state", valid=", ".join(deliveries.DELIVERY_STATES)))
    try:
        _, factory = _factory(db, read_only=True)
        with factory() as session:
            rows = deliveries.list_deliveries(session, state=state, limit=limit)
    except TrackerError as exc:
        raise fail(exc) from exc
    table = Table(title="Deliveries")
    for column in ("id", "event", "kind", "kommune", "subscriber", "state", "attempts", "next attempt", "last error"):
        table.add_column(column)
    for row in rows:
        waiting = row.state in deliveries.WAITING_STATES
        table.add_row(
            str(row.id),
            row.event_uuid[:8],
            row.kind,
            f"{row.kommunenummer} {row.kommune_name}",
            f"#{row.subscription_id} {row.channel} {row.target}",
            row.state,
            str(row.attempts),
            row.next_attempt_at.strftime("%Y-%m-%d %H:%M:%S") if waiting else "",
            (f"{row.last_status} " if row.last_status else "") + (row.last_error or "")[:120],
        )
    Console(width=max(console.width, 160)).print(table)
    typer.echo(f"{len(rows)} deliveries shown")


def register(app: typer.Typer) -> None:
    """Add the alert commands to the main `planvakt` app."""
    app.add_typer(subscribe_app, name="subscribe")
    app.add_typer(subscriptions_app, name="subscriptions")
    app.add_typer(alerts_app, name="alerts")
