"""Hostile sites (issue 12): broken charset labels, addresses hidden in IPv6, huge or UTF-16 robots.txt,
compression bombs and DNS rebinding, each against a real loopback server."""

from __future__ import annotations

import codecs
import gc
import gzip
import ipaddress
import resource
import socket
import ssl
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpcore
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from crawlers.errors import FetchError, RefusedAddress, RobotsDisallowed, TooLarge
from crawlers.fetch import ROBOTS_MAX_BYTES, Fetcher
from crawlers.netguard import GuardedBackend, IPAddress, embedded_ipv4, is_public_address
from crawlers.politeness import RobotsRules, rules_from_response
from crawlers.recheck import recheck_urls
from crawlers.render import Renderer
from crawlers.site import crawl_site
from crawlers.testweb.server import Reply, Request, Site
from crawlers.types import CrawlOptions, SiteCrawl
from tests.crawlers.conftest import fixed_now, html_page, serving, with_options

# -- item 7: charset labels that name no usable codec ------------------------------------------------------------


async def test_charset_labels_that_are_not_web_charsets_fall_back(options: CrawlOptions) -> None:
    """`charset=undefined` and `charset=punycode` made `bytes.decode` raise a bare UnicodeError in the re-check."""
    page = html_page("Bærum kommune", "<p>Handlingsplan mot vold</p>")
    site = Site(
        "127.91.1.1",
        {
            "/undefined": Reply(body=page, content_type="text/html; charset=undefined"),
            "/punycode": Reply(body=page, content_type="text/html; charset=punycode"),
            "/quoted": Reply(body=page, content_type='text/html; charset="punycode"'),
            "/meta": Reply(body=page.replace('charset="utf-8"', 'charset="undefined"'), content_type="text/html"),
        },
    )
    with serving(site) as server:
        async with Fetcher(options) as fetcher:
            for path in ("/undefined", "/punycode", "/quoted", "/meta"):
                response = await fetcher.fetch(server.url(site.host, path))
                assert "Bærum kommune" in response.text(), path


async def test_recheck_survives_a_robots_txt_and_document_with_an_undefined_charset(options: CrawlOptions) -> None:
    site = Site(
        "127.91.1.2",
        {
            "/": Reply(body=html_page("Forside")),
            "/robots.txt": Reply(
                body="User-agent: *\nDisallow: /intern/\n", content_type="text/plain; charset=undefined"
            ),
            "/plan": Reply(body=html_page("Handlingsplan"), content_type="text/html; charset=punycode"),
            "/intern/plan": Reply(body=html_page("Intern")),
        },
    )
    with serving(site) as server:
        async with Fetcher(options) as fetcher:
            checks = await recheck_urls(
                [server.url(site.host, "/plan"), server.url(site.host, "/intern/plan")],
                fetcher=fetcher,
                front_page_url=server.url(site.host, "/"),
            )
    assert len(checks) == 2
    assert "/intern/plan" not in [e.path_with_query for e in server.requests_to(site.host)]


# -- item 5: IPv4 addresses hidden in IPv6 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
        ("2002:a00:1::1", False),  # 6to4 of 10.0.0.1
        ("2002:a9fe:a9fe::", False),  # 6to4 of 169.254.169.254 (cloud metadata)
        ("2002:808:808::1", True),  # 6to4 of 8.8.8.8
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("64:ff9b::c0a8:101", False),  # NAT64 of 192.168.1.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of 169.254.169.254
        ("64:ff9b::808:808", True),  # NAT64 of 8.8.8.8: how a DNS64 network reaches an IPv4-only kommune site
        ("64:ff9b:1::808:808", False),  # NAT64 local-use prefix
        ("::127.0.0.1", False),  # IPv4-compatible
        ("::10.1.2.3", False),
        ("::ffff:0:7f00:1", False),  # SIIT translated 127.0.0.1
        ("::ffff:127.0.0.1", False),  # IPv4-mapped
        ("::ffff:8.8.8.8", True),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo
        ("2001:0:808:808:0:0:80ff:fffe", False),  # Teredo, client 127.0.0.1
        ("2001:0:7f00:1::", False),  # Teredo server 127.0.0.1
        ("2a00:1450:400f:80d::200e", True),
        ("8.8.8.8", True),
        ("127.0.0.1", False),
    ],
)
def test_embedded_ipv4_is_judged(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


def test_teredo_server_and_client_are_both_extracted() -> None:
    # client 127.0.0.1 is stored inverted (0x80fffffe), server 8.8.8.8
    teredo = ipaddress.IPv6Address("2001:0:808:808:0:0:80ff:fffe")
    assert embedded_ipv4(teredo) == (ipaddress.IPv4Address("8.8.8.8"), ipaddress.IPv4Address("127.0.0.1"))


@pytest.mark.parametrize("host", ["[2002:7f00:1::]", "[64:ff9b::7f00:1]", "[::127.0.0.1]", "[2001:0:7f00:1::]"])
async def test_fetcher_refuses_ipv6_literals_that_embed_loopback(options: CrawlOptions, host: str) -> None:
    async with Fetcher(with_options(options, allow_private_networks=False)) as fetcher:
        with pytest.raises(RefusedAddress):
            await fetcher.fetch(f"http://{host}/")
    assert fetcher.stats.requests == 0


# -- item 10: a huge robots.txt, a UTF-16 robots.txt -------------------------------------------------------------

FILLER = "".join(f"# linje {n} av en altfor lang robots.txt\n" for n in range(16_000))  # about 600 KB


def _robots(body: bytes | str) -> Reply:
    return Reply(body=body, content_type="text/plain")


async def _crawl(base: str, options: CrawlOptions) -> SiteCrawl:
    async with Fetcher(options) as fetcher:
        return await crawl_site(base + "/", options, fetcher=fetcher, renderer=None, now=fixed_now)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(("User-agent: *\nDisallow: /\n" + FILLER).encode(), id="600KB"),
        pytest.param(codecs.BOM_UTF16_LE + "User-agent: *\r\nDisallow: /\r\n".encode("utf-16-le"), id="utf-16-le"),
        pytest.param(codecs.BOM_UTF16_BE + "User-agent: *\nDisallow: /\n".encode("utf-16-be"), id="utf-16-be"),
        pytest.param(codecs.BOM_UTF8 + b"User-agent: *\nDisallow: /\n", id="utf-8-bom"),
    ],
)
async def test_disallow_all_in_a_hostile_robots_txt_is_obeyed(options: CrawlOptions, body: bytes) -> None:
    site = Site("127.91.3.1", {"/robots.txt": _robots(body), "/": Reply(body=html_page("Forside"))})
    with serving(site) as server:
        async with Fetcher(options) as fetcher:
            with pytest.raises(RobotsDisallowed):
                await fetcher.fetch(server.url(site.host, "/"))
        result = await _crawl(server.base_url(site.host), options)
    assert result.blocked and result.robots_disallowed == 1
    assert {e.path_with_query for e in server.request_log} == {"/robots.txt"}


async def test_only_the_first_500_kib_of_robots_txt_count_and_a_cut_line_is_dropped(options: CrawlOptions) -> None:
    head = "User-agent: *\nDisallow: /intern/\n" + FILLER
    # the file is cut inside "Allow: /intern/offentlig/": a cut "Allow: /int" must not open /intern/ up
    cut = ROBOTS_MAX_BYTES - len(head.encode()) - len("Allow: /int")
    body = head + "#" * cut + "\nAllow: /intern/offentlig/\nDisallow: /ute/\n"
    site = Site(
        "127.91.3.2",
        {
            "/robots.txt": _robots(body),
            "/ute/": Reply(body=html_page("Ute")),
            "/intern/x": Reply(body=html_page("Intern")),
        },
    )
    assert len(body.encode()) > ROBOTS_MAX_BYTES
    with serving(site) as server:
        async with Fetcher(options) as fetcher:
            rules = await fetcher.robots(server.url(site.host, "/"))
            assert rules.state == "parsed" and "first part" in rules.detail
            assert (await fetcher.fetch(server.url(site.host, "/ute/"))).status == 200  # past the cut: not read
            with pytest.raises(RobotsDisallowed):
                await fetcher.fetch(server.url(site.host, "/intern/x"))
    assert "/intern/x" not in [e.path_with_query for e in server.request_log]


# -- item 8: compression bombs -----------------------------------------------------------------------------------


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9)


def _gzip_of_zeros(megabytes: int) -> bytes:
    """gzip of `megabytes` MB of zeros, made a block at a time (the test never holds the inflated bytes)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(1 << 20)
    return b"".join(packer.compress(block) for _ in range(megabytes)) + packer.flush()


async def test_a_double_gzip_bomb_is_stopped_at_the_decoded_cap_without_inflating_it(options: CrawlOptions) -> None:
    """300 MB of zeros gzipped twice is under 1 KB on the wire; httpx inflated it in one call (issue 12, item 8)."""
    bomb = _gzip(_gzip_of_zeros(300))
    assert len(bomb) < 4096
    site = Site(
        "127.91.4.1",
        {"/plan.pdf": Reply(body=bomb, content_type="application/pdf", headers={"Content-Encoding": "gzip, gzip"})},
    )
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    with serving(site) as server:
        async with Fetcher(with_options(options, max_response_bytes=1_000_000)) as fetcher:
            with pytest.raises(TooLarge, match="1000000"):
                await fetcher.fetch(server.url(site.host, "/plan.pdf"))
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 200


@pytest.mark.parametrize(
    ("coding", "encode"),
    [
        ("gzip", _gzip),
        ("x-gzip", _gzip),
        ("gzip, gzip", lambda b: _gzip(_gzip(b))),
        ("deflate", zlib.compress),
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate without the zlib header, as some servers send
        ("gzip", lambda b: _gzip(b[:100]) + _gzip(b[100:])),  # two gzip members
        ("gzip", lambda b: _gzip(b) + b"\0" * 16),  # padding after the member
        ("identity", lambda b: b),
        ("br", lambda b: b),  # not asked for and not undone, as httpx leaves it
    ],
)
async def test_ordinary_compressed_answers_are_decoded(
    options: CrawlOptions, coding: str, encode: Callable[[bytes], bytes]
) -> None:
    page = html_page("Handlingsplan mot vold i nære relasjoner", "<p>" + "Tiltak. " * 40_000 + "</p>").encode()
    site = Site("127.91.4.2", {"/": Reply(body=encode(page), headers={"Content-Encoding": coding})})
    with serving(site) as server:
        async with Fetcher(options) as fetcher:
            response = await fetcher.fetch(server.url(site.host, "/"))
    assert response.body == page


async def test_a_compressed_body_is_capped_exactly_and_broken_compression_is_a_fetch_error(
    options: CrawlOptions,
) -> None:
    site = Site(
        "127.91.4.3",
        {
            "/robots.txt": Reply(
                body=_gzip(b"User-agent: *\nDisallow: /x\n" + b"#" * 900_000), headers={"Content-Encoding": "gzip"}
            ),
            "/exact": Reply(body=_gzip(b"a" * 1000), headers={"Content-Encoding": "gzip"}),
            "/over": Reply(body=_gzip(b"a" * 1001), headers={"Content-Encoding": "gzip"}),
            "/broken": Reply(body=b"\x1f\x8b\x08\x00 not gzip at all", headers={"Content-Encoding": "gzip"}),
            "/x": Reply(body="nei"),
        },
    )
    with serving(site) as server:
        async with Fetcher(with_options(options, max_response_bytes=1000)) as fetcher:
            assert len((await fetcher.fetch(server.url(site.host, "/exact"))).body) == 1000
            with pytest.raises(TooLarge):
                await fetcher.fetch(server.url(site.host, "/over"))
            with pytest.raises(FetchError, match="Content-Encoding") as caught:
                await fetcher.fetch(server.url(site.host, "/broken"))
            assert not isinstance(caught.value, TooLarge)
            with pytest.raises(RobotsDisallowed):  # the gzipped 900 KB robots.txt was read up to its cut
                await fetcher.fetch(server.url(site.host, "/x"))
    assert [e.path_with_query for e in server.request_log].count("/broken") == 1


# -- item 3: DNS rebinding and names that do not resolve ---------------------------------------------------------

#: a public address no test may ever connect to (the tests have no network beyond loopback anyway)
PUBLIC = ipaddress.ip_address("93.184.215.14")


class ScriptedResolver:
    """A resolver whose answers are scripted per look-up (the last answer repeats); it records every look-up.

    An answer is a list of addresses or an OSError to raise, as a failing DNS server would.
    """

    def __init__(self, *answers: list[IPAddress] | OSError) -> None:
        self.answers = answers
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int) -> list[IPAddress]:
        answer = self.answers[min(len(self.lookups), len(self.answers) - 1)]
        self.lookups.append(host)
        if isinstance(answer, OSError):
            raise answer
        return answer


class NamedResolver:
    """Scripted answers per host name (the last answer repeats), recording every look-up of a name (an address
    stands for itself)."""

    def __init__(self, answers: dict[str, list[list[IPAddress]]]) -> None:
        self.answers = answers
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int) -> list[IPAddress]:
        if host not in self.answers:
            return [ipaddress.ip_address(host)]
        answers = self.answers[host]
        self.lookups.append(host)
        return answers[min(self.lookups.count(host), len(answers)) - 1]


def _inside(host: str) -> Site:
    """A private server that must never be reached; any route answers, so a hit would show in its log."""
    site = Site(host, {"/": Reply(body=html_page("Intern")), "/robots.txt": _robots("User-agent: *\nAllow: /\n")})
    site.set("/plan", Reply(body=html_page("Intern plan")))
    return site


async def test_a_name_that_rebinds_to_a_private_address_at_connect_time_is_refused(options: CrawlOptions) -> None:
    """The name is `localhost`, so a client that resolved on its own (httpx did) would reach the private server."""
    inside = _inside("127.0.0.1")
    with serving(inside) as server:
        # public to both advisory look-ups (the page's and its robots.txt's), private when the connection is made
        private = [ipaddress.ip_address(inside.host)]
        resolver = ScriptedResolver([PUBLIC], [PUBLIC], private)
        strict = with_options(options, allow_private_networks=False)
        async with Fetcher(strict, resolver=resolver) as fetcher:
            with pytest.raises(RefusedAddress, match=inside.host) as caught:
                await fetcher.fetch(f"http://localhost:{server.port}/plan")
    assert caught.value.url.endswith("/robots.txt")
    assert len(resolver.lookups) == 3  # the third look-up was the connection's own
    assert server.request_log == []


async def test_a_crawl_of_a_name_that_alternates_public_and_private_never_reaches_the_private_address(
    options: CrawlOptions,
) -> None:
    inside = _inside("127.91.6.2")
    with serving(inside) as server:
        private = [ipaddress.ip_address(inside.host)]
        resolver = ScriptedResolver(*([PUBLIC], private) * 20)
        strict = with_options(options, allow_private_networks=False, max_retries=0)
        async with Fetcher(strict, resolver=resolver) as fetcher:
            result = await crawl_site(
                f"http://rebind.kommune.test:{server.port}/", strict, fetcher=fetcher, renderer=None, now=fixed_now
            )
    assert not result.reachable
    assert server.request_log == []


async def test_one_private_address_among_public_ones_is_refused_at_connect_time(options: CrawlOptions) -> None:
    inside = _inside("127.91.6.3")
    with serving(inside) as server:
        resolver = ScriptedResolver([PUBLIC], [PUBLIC], [PUBLIC, ipaddress.ip_address(inside.host)])
        async with Fetcher(with_options(options, allow_private_networks=False), resolver=resolver) as fetcher:
            with pytest.raises(RefusedAddress):
                await fetcher.fetch(f"http://mixed.kommune.test:{server.port}/")
    assert server.request_log == []


async def test_the_guarded_backend_alone_refuses_a_rebinding_name(options: CrawlOptions) -> None:
    """Without the fetcher's advisory checks: the connection itself resolves, checks and refuses."""
    inside = _inside("127.91.6.4")
    with serving(inside) as server:
        resolver = ScriptedResolver([ipaddress.ip_address(inside.host)])
        backend = GuardedBackend(allow_private_networks=False, resolver=resolver)
        async with httpcore.AsyncConnectionPool(network_backend=backend) as pool:
            with pytest.raises(RefusedAddress):
                await pool.request("GET", f"http://rebind.kommune.test:{server.port}/")
    assert resolver.lookups == ["rebind.kommune.test"]
    assert server.request_log == []


async def test_a_name_that_does_not_resolve_is_an_unreachable_site_and_nothing_is_connected(
    options: CrawlOptions,
) -> None:
    inside = _inside("127.91.6.5")
    with serving(inside) as server:
        resolver = ScriptedResolver(socket.gaierror(socket.EAI_NONAME, "Name or service not known"))
        strict = with_options(options, allow_private_networks=False)
        async with Fetcher(strict, resolver=resolver) as fetcher:
            with pytest.raises(FetchError, match="could not resolve") as caught:
                await fetcher.fetch(f"http://borte.kommune.test:{server.port}/")
            assert not isinstance(caught.value, RefusedAddress)
            result = await crawl_site(
                f"http://borte.kommune.test:{server.port}/", strict, fetcher=fetcher, renderer=None, now=fixed_now
            )
    assert not result.reachable and "could not resolve" in (result.error or "")
    assert [issue.kind for issue in result.issues] == ["fetch_error"]
    assert server.request_log == []


async def test_a_first_look_up_that_fails_does_not_let_a_private_answer_through(options: CrawlOptions) -> None:
    inside = _inside("127.91.6.6")
    with serving(inside) as server:
        resolver = ScriptedResolver(OSError("temporary failure"), [ipaddress.ip_address(inside.host)])
        async with Fetcher(with_options(options, allow_private_networks=False), resolver=resolver) as fetcher:
            with pytest.raises(RefusedAddress):
                await fetcher.fetch(f"http://wobbly.kommune.test:{server.port}/")
    assert server.request_log == []


async def test_an_allowed_host_is_connected_at_its_resolved_address_with_its_own_host_header(
    options: CrawlOptions,
) -> None:
    """The connection goes to the address looked up once; the request still names the host (and TLS would)."""
    seen: list[str] = []

    def front(request: Request) -> Reply:
        seen.append(request.headers["host"])
        return Reply(body=html_page("Forside"))

    site = Site("127.91.6.7", {"/": front, "/robots.txt": _robots("User-agent: *\nAllow: /\n")})
    with serving(site) as server:
        resolver = ScriptedResolver([ipaddress.ip_address(site.host)])
        strict = with_options(options, allow_private_networks=False)
        async with Fetcher(strict, allowed_hosts=frozenset({"www.demo.test"}), resolver=resolver) as fetcher:
            response = await fetcher.fetch(f"http://www.demo.test:{server.port}/")
    assert response.status == 200
    assert seen == [f"www.demo.test:{server.port}"]
    assert set(resolver.lookups) == {"www.demo.test"}


def _certificate_authority(tmp_path: Path, name: str) -> tuple[bytes, Path, Path]:
    """A throwaway CA (PEM) and a server certificate and key files for `name`, signed by it."""
    now = datetime.now(UTC)

    def build(subject: str, issuer: str, key: ec.EllipticCurvePrivateKey, signer: ec.EllipticCurvePrivateKey, ca: bool):
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if ca:
            builder = builder.add_extension(
                x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
            ).add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        else:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False
            )
        return builder.sign(signer, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = build("Planvakt test CA", "Planvakt test CA", ca_key, ca_key, True)
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = build(name, "Planvakt test CA", leaf_key, ca_key, False)
    cert_file, key_file = tmp_path / "server.pem", tmp_path / "server.key"
    cert_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return ca.public_bytes(serialization.Encoding.PEM), cert_file, key_file


@contextmanager
def _tls_server(host: str, cert_file: Path, key_file: Path) -> Iterator[tuple[int, list[str], list[str]]]:
    """An HTTPS server on `host` that records the SNI name and Host header of each request."""
    server_names: list[str] = []
    hosts: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hosts.append(self.headers.get("Host", ""))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            pass

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    context.sni_callback = lambda sock, name, ctx: server_names.append(name or "")  # type: ignore[func-returns-value]
    httpd = ThreadingHTTPServer((host, 0), Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1], server_names, hosts
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


async def test_tls_to_the_checked_address_still_verifies_the_url_host_name(tmp_path: Path) -> None:
    """Connecting to the looked-up IP must not weaken TLS: SNI, Host and the certificate check use the URL's name."""
    ca_pem, cert_file, key_file = _certificate_authority(tmp_path, "www.kommune.test")
    with _tls_server("127.91.7.1", cert_file, key_file) as (port, server_names, hosts):
        resolver = ScriptedResolver([ipaddress.ip_address("127.91.7.1")])
        backend = GuardedBackend(allow_private_networks=True, resolver=resolver)
        trusting = ssl.create_default_context(cadata=ca_pem.decode())
        async with httpcore.AsyncConnectionPool(ssl_context=trusting, network_backend=backend) as pool:
            response = await pool.request("GET", f"https://www.kommune.test:{port}/")
            assert response.status == 200 and response.content == b"ok"
            with pytest.raises(httpcore.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                await pool.request("GET", f"https://annen.kommune.test:{port}/")  # same address, wrong name
    assert server_names[0] == "www.kommune.test"
    assert hosts == [f"www.kommune.test:{port}"]
    assert resolver.lookups == ["www.kommune.test", "annen.kommune.test"]


class _NoRobotsFetcher(Fetcher):
    """A Fetcher for a site without robots.txt: the rebinding name's robots.txt would have to be fetched from the
    public address it first answers, and these tests reach nothing beyond loopback."""

    async def robots(self, url: str) -> RobotsRules:
        return rules_from_response(404, "", self.options.user_agent)


@pytest.mark.browser
@pytest.mark.slow
async def test_a_script_cannot_reach_a_name_that_rebinds_to_a_private_address(options: CrawlOptions) -> None:
    """The page's script fetches `localhost`, public at our check and 127.0.0.1 when the connection is made: a browser
    that connected by itself (Playwright's route.fetch resolves the name again) would read the private server."""
    inside = _inside("127.0.0.1")
    inside.set("/secret.json", Reply(body='{"leak": "intern hemmelighet"}', content_type="application/json"))
    page = Site("127.91.6.8", {"/robots.txt": _robots("User-agent: *\nAllow: /\n")})
    with serving(page, inside) as server:
        secret = f"http://localhost:{server.port}/secret.json"
        script = f"fetch({secret!r}).then(r => r.text()).then(t => {{ document.body.append(t); }});"
        page.set("/", Reply(body=html_page("Forside", f"<p>Velkommen</p><script>{script}</script>")))
        resolver = NamedResolver({"localhost": [[PUBLIC], [ipaddress.ip_address(inside.host)]]})
        strict = with_options(options, allow_private_networks=False)
        async with (
            _NoRobotsFetcher(strict, allowed_hosts=frozenset({page.host}), resolver=resolver) as fetcher,
            Renderer(strict, fetcher) as renderer,
        ):
            rendered = await renderer.render_page(server.base_url(page.host) + "/")
    assert "Velkommen" in rendered.html and "hemmelighet" not in rendered.html
    assert renderer.refused == [secret]
    assert resolver.lookups == ["localhost", "localhost"]  # our check, then the connection's own look-up
    assert server.requests_to(inside.host) == []
