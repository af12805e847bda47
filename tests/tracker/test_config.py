from __future__ import annotations

from pathlib import Path

import pytest

from planvakt.wiring import crawl_options
from tracker.config import load_settings, setting_names
from tracker.errors import ConfigError


def test_environment_beats_env_file_beats_default(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("PLANVAKT_PER_HOST_DELAY=2.5\nPLANVAKT_CONCURRENCY=3\n# comment\n", encoding="utf-8")
    settings = load_settings({"PLANVAKT_CONCURRENCY": "5"}, env_file)
    assert settings.per_host_delay == 2.5
    assert settings.concurrency == 5
    assert settings.max_pages_per_site == 300
    assert settings.resolved_database_url == "sqlite:///var/planvakt.sqlite3"
    assert settings.resolved_evidence_dir == Path("var/evidence")


def test_bad_value_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="PLANVAKT_CONCURRENCY"):
        load_settings({"PLANVAKT_CONCURRENCY": "many"}, tmp_path / "missing.env")


def test_readme_lists_every_setting() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    missing = [name for name in setting_names() if name not in readme]
    assert not missing, f"README does not document {missing}"


def test_the_document_budget_setting_reaches_the_crawl(tmp_path: Path) -> None:
    settings = load_settings({"PLANVAKT_MAX_DOCUMENT_BYTES_PER_SITE": "5000000"}, env_file=tmp_path / "none")
    assert crawl_options(settings, None, None, None, "never", False).max_document_bytes_per_site == 5_000_000
    default = load_settings({}, env_file=tmp_path / "none")
    assert crawl_options(default, None, None, None, "never", False).max_document_bytes_per_site == 120_000_000
