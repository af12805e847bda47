"""Settings: the only module that reads the environment.

Order of precedence: command-line option > environment variable (prefix `PLANVAKT_`) > `.env` file > default.
The command line's own language (`cli_language`) is read apart from Settings: an error in the settings themselves
must already be said in it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Final

from sqlalchemy.engine import make_url

from tracker.domain import Locale
from tracker.errors import ConfigError

DEFAULT_VAR_DIR = Path("var")


def _help(text: str) -> dict[str, Any]:
    return {"help": text}


@dataclass(frozen=True)
class Settings:
    """Every setting with its default and help text (README's settings table is checked against these)."""

    database_url: str = field(
        default="", metadata=_help("SQLAlchemy URL of the database; default a SQLite file under var/.")
    )
    var_dir: Path = field(default=DEFAULT_VAR_DIR, metadata=_help("Folder for the SQLite file and evidence."))
    evidence_dir: Path = field(
        default=Path(""), metadata=_help("Content-addressed store of document bytes; default var/evidence.")
    )
    user_agent: str = field(default="", metadata=_help("User-Agent sent by the crawler; default names Planvakt."))
    per_host_delay: float = field(default=1.0, metadata=_help("Seconds between requests to one host."))
    max_pages_per_site: int = field(default=300, metadata=_help("Page budget per kommune site."))
    concurrency: int = field(
        default=0,
        metadata=_help(
            "Most sites crawled at once; 0 means every site at once, paced by politeness alone (one request in "
            "flight per host and the delay), bounded by the connection and document-bytes caps."
        ),
    )
    max_open_connections: int = field(
        default=512,
        metadata=_help("HTTP connections open at once over all hosts; the idlest is closed to make room."),
    )
    max_document_bytes_per_site: int = field(
        default=120_000_000,
        metadata=_help(
            "Bytes of documents one site's crawl may hold; past it a document is not kept (a document_budget issue)."
        ),
    )
    max_document_bytes: int = field(
        default=1_000_000_000,
        metadata=_help(
            "Bytes of documents all sites of a crawl may hold together; a site waits for room rather than pass "
            "it, and a site's bytes come back once it is stored."
        ),
    )
    chromium_path: str = field(default="/usr/bin/chromium", metadata=_help("Chromium used by Playwright."))
    extract_workers: int = field(
        default=0, metadata=_help("Worker processes that parse documents; 0 means one per core.")
    )
    # -- watching over time and alerts
    confirmations: int = field(
        default=2, metadata=_help("Consecutive checks (site reachable) that must confirm a plan gone before vanished.")
    )
    unreachable_alert_after: int = field(
        default=3, metadata=_help("Checks in a row a site may be unreachable before crawler_blocked is raised.")
    )
    sweep_cron: str = field(
        default="0 3 * * 1", metadata=_help("Cron expression of the scheduled sweep of all kommuner (UTC).")
    )
    followup_hours: float = field(
        default=4.0, metadata=_help("Hours after a suspected vanish before the scheduler re-checks that kommune.")
    )
    alert_max_attempts: int = field(default=8, metadata=_help("Delivery attempts before an alert is dead-lettered."))
    smtp_host: str = field(default="localhost", metadata=_help("SMTP server for e-mail alerts."))
    smtp_port: int = field(default=25, metadata=_help("SMTP port."))
    smtp_sender: str = field(default="planvakt@localhost", metadata=_help("From address of e-mail alerts."))
    smtp_username: str = field(default="", metadata=_help("SMTP login; empty means no login."))
    smtp_password: str = field(default="", repr=False, metadata=_help("SMTP password (never printed)."))
    smtp_starttls: bool = field(default=False, metadata=_help("Use STARTTLS on the SMTP connection."))
    public_url: str = field(
        default="http://127.0.0.1:8000", metadata=_help("Public address of the dashboard, for links in alerts.")
    )
    # -- dashboard
    serve_host: str = field(default="127.0.0.1", metadata=_help("Address `planvakt serve` listens on."))
    serve_port: int = field(default=8000, metadata=_help("Port `planvakt serve` listens on."))
    admin_token: str = field(
        default="", repr=False, metadata=_help("Token for reviewers and write actions; empty disables them.")
    )
    tip_rate_limit: int = field(default=5, metadata=_help("Tips one client may submit per hour."))
    # -- secrets at rest (tracker.secretbox)
    secret_key: str = field(
        default="",
        repr=False,
        metadata=_help(
            "Fernet key(s) sealing webhook secrets and alert targets in the database (never printed); "
            "comma-separated to rotate: the first seals, all open. Empty: the key file."
        ),
    )
    secret_key_file: Path = field(
        default=Path(""),
        metadata=_help(
            "File holding the sealing key when PLANVAKT_SECRET_KEY is empty, made 0600 on first use; default "
            "beside the SQLite database (<database>.key), or ~/.config/planvakt/secret.key for PostgreSQL."
        ),
    )

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'planvakt.sqlite3'}"

    @property
    def resolved_evidence_dir(self) -> Path:
        return self.evidence_dir if str(self.evidence_dir) not in ("", ".") else self.var_dir / "evidence"

    @property
    def resolved_secret_key_file(self) -> Path:
        """The key file: the setting, else beside a SQLite file, else the user's own (a server database has no
        "beside", and a key next to a dump or a copied var/ folder would travel with it)."""
        if str(self.secret_key_file) not in ("", "."):
            return self.secret_key_file.expanduser()
        url = make_url(self.resolved_database_url)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            database = Path(str(url.database))
            return database.with_name(database.name + ".key")
        return Path("~/.config/planvakt/secret.key").expanduser()


def setting_names() -> list[str]:
    """Environment variable names of every setting (for docs and the README check)."""
    return [f"PLANVAKT_{f.name.upper()}" for f in fields(Settings)]


def _read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            raise ConfigError.said("config_error.env_line", path=str(path), line=number)
        name, value = line.split("=", 1)
        values[name.strip()] = value.strip().strip('"').strip("'")
    return values


def load_settings(environ: Mapping[str, str] = os.environ, env_file: Path | str = ".env") -> Settings:
    """Build Settings from `environ` over the `.env` file over defaults; raise ConfigError on bad values."""
    merged = {**_read_env_file(Path(env_file)), **environ}
    settings = Settings()
    changes: dict[str, Any] = {}
    for f in fields(Settings):
        key = f"PLANVAKT_{f.name.upper()}"
        if key not in merged:
            continue
        raw = merged[key]
        default = getattr(settings, f.name)
        try:
            if isinstance(default, bool):
                changes[f.name] = raw.lower() in ("1", "true", "yes", "on")
            elif isinstance(default, int):
                changes[f.name] = int(raw)
            elif isinstance(default, float):
                changes[f.name] = float(raw)
            elif isinstance(default, Path):
                changes[f.name] = Path(raw)
            else:
                changes[f.name] = raw
        except ValueError as exc:
            raise ConfigError.said("config_error.value", setting=f"{key}={raw!r}", detail=str(exc)) from exc
    return replace(settings, **changes)


#: the interface languages a locale name may start with; Norwegian without a written standard ("no") reads Bokmål
_LANGUAGE_PREFIXES: Final[tuple[tuple[str, Locale], ...]] = (
    ("nb", "nb"),
    ("no", "nb"),
    ("nn", "nn"),
    ("da", "da"),
    ("en", "en"),
)


def cli_language(environ: Mapping[str, str] = os.environ) -> Locale:
    """The language of the command line's messages: `PLANVAKT_LANG` (nb, nn, da or en), else the POSIX locale
    (`LC_ALL`, `LC_MESSAGES`, `LANG`, the first one set: `nb_NO.UTF-8` reads nb), else English. An operator's
    machine in English, or in C, gets English."""
    for name in ("PLANVAKT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").strip().lower()
        if not value:
            continue
        for prefix, locale in _LANGUAGE_PREFIXES:
            if value == prefix or value.startswith((prefix + "_", prefix + "-", prefix + ".")):
                return locale
        return "en"
    return "en"
