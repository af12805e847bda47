"""Jinja2 templates and the one `render` every page calls: it adds the language, `t(key)` and the request.

Autoescaping is on for .html: every title, link text and URL shown came from a crawled site and is untrusted.
The UI language is bokmål unless the visitor chose English (`?lang=en`, remembered in a cookie); a Danish
kommune's page passes `page_lang="da"` and is shown in Danish unless the visitor chose English.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from dashboards.i18n import DEFAULT_LANGUAGE, UI_LANGUAGES, translate

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
    return env


def format_when(value: datetime | None) -> str:
    """UTC time shown to the minute, e.g. `2026-03-02 03:14 UTC`."""
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M UTC")


def safe_href(url: str | None) -> str:
    """A crawled URL fit for an href: only http(s) (a `javascript:` URL from a hostile site becomes "#")."""
    if not url:
        return "#"
    scheme = urlsplit(url.strip()).scheme.lower()
    return url if scheme in ("http", "https") else "#"


def format_day(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d")


def chosen_language(request: Request) -> str | None:
    """The UI language the visitor explicitly chose (query beats cookie), or None."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in UI_LANGUAGES:
            return candidate
    return None


def page_language(request: Request, page_lang: str | None = None) -> str:
    """The language a page is written in: English if chosen, else Danish for a Danish kommune, else bokmål."""
    chosen = chosen_language(request)
    if chosen == "en":
        return "en"
    if page_lang == "da":
        return "da"
    return chosen or DEFAULT_LANGUAGE


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
    """Render `template` with `context` plus `request`, `lang`, `ui_lang`, `t`, `url_with` and `other_lang`.

    `lang` is the page's language (nb | en | da), `t(key, **fmt)` translates into it. A `?lang=` choice is
    remembered in a cookie so the switch holds across pages.
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
        "other_lang": "nb" if lang == "en" else "en",
        "path": request.url.path,
    }
    values.update(context or {})
    html = env.get_template(template).render(values)
    response = HTMLResponse(html, status_code=status_code)
    explicit = request.query_params.get("lang")
    if explicit in UI_LANGUAGES:
        response.set_cookie(LANG_COOKIE, explicit, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response
