"""The browser's route hook checks addresses with the Fetcher's resolver (no browser needed for that part)."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import pytest

from crawlers.browser_requests import BrowserRequests
from crawlers.errors import RefusedAddress
from crawlers.fetch import Fetcher
from crawlers.netguard import IPAddress
from crawlers.types import CrawlOptions
from tests.crawlers.conftest import with_options


async def test_check_address_uses_the_fetchers_resolver(options: CrawlOptions) -> None:
    answers = {"plan.kommune.test": "93.184.215.14", "intern.kommune.test": "127.0.0.9"}
    looked_up: list[str] = []

    async def resolver(host: str, port: int) -> Sequence[IPAddress]:
        looked_up.append(host)
        return [ipaddress.ip_address(answers[host])]

    strict = with_options(options, allow_private_networks=False)
    async with Fetcher(strict, resolver=resolver) as fetcher:
        requests = BrowserRequests(strict, fetcher)
        await requests.check_address("https://plan.kommune.test/plan.pdf")
        with pytest.raises(RefusedAddress, match="127.0.0.9"):
            await requests.check_address("https://intern.kommune.test/admin")
    assert looked_up == ["plan.kommune.test", "intern.kommune.test"]
