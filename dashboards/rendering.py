"""Jinja2 templates and the one `render` every page calls: it adds the language, `t(key)` and the request.

Autoescaping is on for .html: every title, link text and URL shown came from a crawled site and is untrusted.
The visitor picks Bokmål, Nynorsk, Danish or English (`?lang=`, remembered in a cookie); without a choice a page
is in its own language (a Danish kommune's page in Danish, a Nynorsk kommune's in Nynorsk), else Bokmål. Words come
from `tracker.catalogue`; numbers, sizes and dates are formatted by Babel in the page's language (the filters below
read `lang` from the template's context, so macros are imported `with context`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context

from dashboards.i18n import DEFAULT_LANGUAGE, UI_LANGUAGES, translate
from tracker.catalogue import formats, label
from tracker.catalogue.reasons import localise, localise_cause

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
LANG_COOKIE = "planvakt_lang"


def build_environment(templates_dir: Path = TEMPLATES_DIR) -> Environment:
    """The template environment of one app (built in `create_app`, kept on `app.state.templates`)."""
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(enabled_extensions=("html", "svg", "xml"), default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = format_when
    env.filters["day"] = format_day
    env.filters["href"] = safe_href
    env.filters["num"] = format_integer
    env.filters["dec"] = format_decimal
    env.filters["pct"] = format_percent
    env.filters["size"] = format_size
    env.filters["label"] = format_label
    env.filters["reason"] = format_reason
    env.filters["cause"] = format_cause
    return env


def _lang(context: Context) -> str:
    return str(context.get("lang") or DEFAULT_LANGUAGE)


@pass_context
def format_when(context: Context, value: datetime | None) -> str:
    """A moment to the minute in the page's language, e.g. `6. desember 2026 14:05 UTC`."""
    return formats.when(value, _lang(context))


@pass_context
def format_day(context: Context, value: datetime | None) -> str:
    """A date in the page's language, e.g. `6. desember 2026`."""
    return formats.day(value, _lang(context))


@pass_context
def format_integer(context: Context, value: int | None) -> str:
    return formats.integer(value, _lang(context))


@pass_context
def format_decimal(context: Context, value: float | None, places: int = 2) -> str:
    """`0,97` / `0.97`."""
    return formats.decimal(value, _lang(context), places)


@pass_context
def format_percent(context: Context, share: float | None) -> str:
    """A share 0-1 as `42 %` / `42%`."""
    return formats.percent(share, _lang(context))


@pass_context
def format_size(context: Context, n_bytes: int | None) -> str:
    """`5,8 kB` / `5.8 kB`."""
    return formats.size(n_bytes, _lang(context))


@pass_context
def format_label(context: Context, value: object, group: str) -> str:
    """An enum value's label: `{{ run.state | label('run_state') }}`."""
    return label(_lang(context), group, value)


@pass_context
def format_reason(context: Context, text: str | None) -> str:
    """A stored reason or detail line in the page's language (as it is when it is an unknown wording)."""
    return localise(text, _lang(context))


def safe_href(url: str | None) -> str:
    """A crawled URL fit for an href: only http(s) (a `javascript:` URL from a hostile site becomes "#")."""
    if not url:
        return "#"
    scheme = urlsplit(url.strip()).scheme.lower()
    return url if scheme in ("http", "https") else "#"


def chosen_language(request: Request) -> str | None:
    """The UI language the visitor explicitly chose (query beats cookie), or None."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in UI_LANGUAGES:
            return candidate
    return None


def page_language(request: Request, page_lang: str | None = None) -> str:
    """The language a page is shown in: the visitor's choice, else the page's own (`page_lang`), else Bokmål."""
    chosen = chosen_language(request)
    if chosen:
        return chosen
    return page_lang if page_lang in UI_LANGUAGES else DEFAULT_LANGUAGE


def url_with(request: Request, **changes: Any) -> str:
    """The current path and query with some parameters changed (None drops one): filter and sort links."""
    params = {k: v for k, v in request.query_params.multi_items()}
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    status_code: int = 200,
    *,
    page_lang: str | None = None,
) -> HTMLResponse:
    """Render `template` with `context` plus `request`, `lang`, `ui_lang`, `t`, `url_with` and `ui_languages`.

    `lang` is the page's language (nb | nn | da | en), `t(key, **fmt)` translates into it; `ui_languages` are the
    switch's choices. A `?lang=` choice is remembered in a cookie so the switch holds across pages.
    """
    env: Environment = request.app.state.templates
    lang = page_language(request, page_lang)
    chosen = chosen_language(request)

    def t(key: str, **fmt: Any) -> str:
        text = translate(lang, key)
        return text.format(**fmt) if fmt else text

    values: dict[str, Any] = {
        "request": request,
        "lang": lang,
        "ui_lang": chosen or DEFAULT_LANGUAGE,
        "t": t,
        "url_with": lambda **changes: url_with(request, **changes),
        "ui_languages": UI_LANGUAGES,
        "path": request.url.path,
    }
    values.update(context or {})
    html = env.get_template(template).render(values)
    response = HTMLResponse(html, status_code=status_code)
    explicit = request.query_params.get("lang")
    if explicit in UI_LANGUAGES:
        response.set_cookie(LANG_COOKIE, explicit, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


@pass_context
def format_cause(context: Context, error: str | None) -> str:
    """A check's error (the crawler's English) as its cause in the page's language ("connection refused")."""
    return localise_cause(error, _lang(context))
