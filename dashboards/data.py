"""The data page and its downloads: findings, plans and events as CSV, Excel CSV or JSON, with the CLI exports'
columns (tracker/export.py), a data dictionary and a link to the read-only API's OpenAPI document.

`/data/findings.csv` is plain CSV (UTF-8, `,`), `/data/findings.excel.csv` the same rows for Excel in a Norwegian or
Danish locale (UTF-8 with a byte-order mark, `;`), `/data/findings.json` typed JSON.

A download is written to a spooled temporary file (memory up to a few MB, disk beyond) while the database
streams the rows, then sent in chunks: the rows never sit in memory at once, and the session is closed before
the client starts reading.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, StreamingResponse
from sqlalchemy.orm import Session

from dashboards.dictionary import DATASETS, dictionary
from dashboards.rendering import page_language, render
from tracker.export import ExportFormat, Record, event_records, finding_records, plan_records, write_records
from tracker.store import latest, reviews
from tracker.store.watch import iter_events

router = APIRouter()

#: the data's licence, CC BY 4.0 (README, "Licence and citation", says why not NLOD)
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


SPOOL_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
#: file suffix -> (export format, media type)
SUFFIXES: dict[str, tuple[ExportFormat, str]] = {
    "csv": ("csv", "text/csv; charset=utf-8"),
    "excel.csv": ("excel-csv", "text/csv; charset=utf-8"),
    "json": ("json", "application/json"),
}

_RECORDS: dict[str, Callable[[Session], Iterable[Record]]] = {
    "findings": lambda session: finding_records(latest.iter_latest_findings(session), reviews.finding_reviews(session)),
    "plans": lambda session: plan_records(latest.iter_latest_plans(session), reviews.plan_reviews(session)),
    "events": lambda session: event_records(iter_events(session)),
}


@router.get("/data", response_class=HTMLResponse, include_in_schema=False)
def data_page(request: Request) -> HTMLResponse:
    lang = page_language(request)
    return render(
        request,
        "data.html",
        {
            "datasets": {name: dictionary(name, lang) for name in DATASETS},
            "licence_url": LICENCE_URL,
            "base": str(request.base_url).rstrip("/"),
        },
    )


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    try:
        while chunk := handle.read(CHUNK_BYTES):
            yield chunk
    finally:
        handle.close()


@router.get("/data/{filename}", include_in_schema=False)
def download(request: Request, filename: str) -> StreamingResponse:
    dataset, _, suffix = filename.partition(".")
    if dataset not in DATASETS or suffix not in SUFFIXES:
        raise HTTPException(status_code=404, detail="no such download")
    export_format, media_type = SUFFIXES[suffix]
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+b")
    text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
    with request.app.state.session_factory() as session:
        write_records(_RECORDS[dataset](session), DATASETS[dataset], text, export_format)
    text.flush()
    text.detach()
    spool.seek(0)
    day = request.app.state.now().date().isoformat()
    headers = {
        "Content-Disposition": f'attachment; filename="planvakt-{dataset}-{day}.{suffix}"',
        "Link": f'<{LICENCE_URL}>; rel="license"',
    }
    return StreamingResponse(_chunks(spool), media_type=media_type, headers=headers)
