"""Command-line options shared by several `planvakt` commands (crawl, schedule, alerts, serve), declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: PLANVAKT_DATABASE_URL or var/planvakt.sqlite3)."),
]
RegistryOption = Annotated[
    Path | None,
    typer.Option(
        "--registry",
        help="CSV with kommunenummer,name,country,website (default: the built-in registry).",
    ),  # no `exists=True`: a missing file is our one-line error in the operator's language, not click's English
]
CrawlKommuneOption = Annotated[
    list[str] | None, typer.Option("--kommune", help="Only this kommunenummer (repeatable).")
]
MaxPagesOption = Annotated[int | None, typer.Option(help="Page budget per site (default 300).")]
PerHostDelayOption = Annotated[float | None, typer.Option(help="Seconds between requests to one host (default 1.0).")]
ConcurrencyOption = Annotated[
    int | None, typer.Option(help="Most sites crawled at once (default 0: every site, paced by politeness alone).")
]
RenderOption = Annotated[str, typer.Option(help="JavaScript rendering: auto | never | always.")]
AllowPrivateOption = Annotated[
    bool, typer.Option(help="Allow loopback/private addresses (tests and the demo web only).")
]
