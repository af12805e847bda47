"""Benchmark: a national sweep at the default settings against the politeness bound, measured on the server side.

N simulated kommune sites (default 455, the number of Norwegian and Danish kommuner) on their own loopback addresses,
each answering after `--latency` seconds (80 ms) with `--pages` ordinary pages (120) and its documents (the
scenarios of `crawlers.testweb.build_large_web`), are crawled by the real `planvakt crawl` in a subprocess with
nothing but `--per-host-delay` (1.0 s) given: every other setting is the default a new user gets.

The web runs in its own process and logs every request with when it started and finished, from which this prints:
- the politeness bound: over all hosts, the largest (time spent answering its requests + (requests - 1) x delay),
  the least any crawler allowing one request in flight per host and the delay between them could take;
- the wall time of `planvakt crawl` (process start to exit: start-up and storing included) and its ratio to the
  bound; the span from the first request to the last;
- per host: the most requests in flight at once, the smallest gap from one request's end to the next one's start;
- statuses right (the finding stored against the scenario's expected status), pages (requests) served;
- the crawler's CPU (its own process, and with its extraction workers and browser), per request, and peak RSS.

    .venv/bin/python bench/bench_sweep.py              # 455 sites, several minutes
    .venv/bin/python bench/bench_sweep.py --sites 40   # a quick run
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from sqlalchemy import select

from crawlers.testweb import LoggedRequest, Reply, Request, Site, build_large_web
from tracker.store import database, latest
from tracker.store.models import CrawlRun

ROOT = Path(__file__).resolve().parents[1]


def _slowed(route: Reply | Callable[[Request], Reply], latency: float) -> Callable[[Request], Reply]:
    def answer(request: Request) -> Reply:
        reply = route(request) if callable(route) else route
        return dataclasses.replace(reply, delay=max(reply.delay, latency))

    return answer


def _add_latency(site: Site, latency: float) -> None:
    for path in site.paths():
        route = site.get(path)
        if route is not None:
            site.set(path, _slowed(route, latency))


def _serve(sites: int, pages: int, latency: float, registry: str, expected: str, conn: Connection) -> None:
    """The web, in its own process: serve until told to stop, then send back the request log."""
    web = build_large_web(sites, pages)
    for kommune in web.kommuner:
        if kommune.site is not None:
            _add_latency(kommune.site, latency)
    with web:
        web.write_registry(registry)
        with open(expected, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            for k in web.kommuner:
                writer.writerow([k.kommunenummer, k.expected.status])
        cpu_before = time.process_time()
        conn.send("ready")
        conn.recv()  # stop
        cpu = time.process_time() - cpu_before  # this process's CPU while it served (all its threads)
        log = [dataclasses.astuple(r) for r in web.server.request_log]
    conn.send((log, cpu))


@dataclasses.dataclass
class HostFigures:
    requests: int
    busy: float  # seconds spent answering
    max_in_flight: int
    min_gap: float | None  # end of one request to the start of the next


def host_figures(log: list[LoggedRequest]) -> dict[str, HostFigures]:
    by_host: dict[str, list[LoggedRequest]] = defaultdict(list)
    for entry in log:
        by_host[entry.host].append(entry)
    figures = {}
    for host, entries in by_host.items():
        entries.sort(key=lambda r: r.started)
        events = sorted([(r.started, 1) for r in entries] + [(r.finished, -1) for r in entries])
        in_flight = peak = 0
        for _, step in events:
            in_flight += step
            peak = max(peak, in_flight)
        gaps = [b.started - a.finished for a, b in zip(entries, entries[1:], strict=False)]
        figures[host] = HostFigures(
            requests=len(entries),
            busy=sum(r.finished - r.started for r in entries),
            max_in_flight=peak,
            min_gap=min(gaps) if gaps else None,
        )
    return figures


class _Watch:
    """Samples the crawler's peak RSS (its own process) and CPU (its own, and with its children) while it runs."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_rss_mb = 0.0
        self.own_cpu = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        while not self._stop.is_set():
            try:
                status = Path(f"/proc/{self.pid}/status").read_text()
                stat = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError, IndexError):
                return
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    self.peak_rss_mb = max(self.peak_rss_mb, int(line.split()[1]) / 1024)
            self.own_cpu = (int(stat[11]) + int(stat[12])) / tick  # utime + stime
            self._stop.wait(0.5)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


def _crawl(registry: Path, db: str, var: Path, delay: float, out: Path, profile: Path | None) -> dict[str, Any]:
    env = {**os.environ, "PLANVAKT_VAR_DIR": str(var)}
    env = {k: v for k, v in env.items() if not k.startswith("PLANVAKT_") or k == "PLANVAKT_VAR_DIR"}
    command = [sys.executable, "-m", "planvakt", "crawl", "--registry", str(registry), "--db", db]
    command += ["--per-host-delay", str(delay), "--allow-private-networks"]
    load_before = os.getloadavg()
    started = time.monotonic()
    with out.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=var, env=env, stdout=log, stderr=subprocess.STDOUT)
        watch = _Watch(process.pid)
        spy = None
        if profile is not None:  # py-spy (pip install py-spy) samples the crawler's stacks, as collapsed lines
            py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
            spy_command = [py_spy, "record", "--pid", str(process.pid), "--format", "raw", "--rate", "50"]
            spy = subprocess.Popen([*spy_command, "--nonblocking", "-o", str(profile)], stdout=subprocess.DEVNULL)
        _, code, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    watch.stop()
    if spy is not None:
        spy.wait(60)
    process.returncode = os.waitstatus_to_exitcode(code)
    return {
        "wall": wall,
        "code": process.returncode,
        "own_cpu": watch.own_cpu,
        "all_cpu": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": watch.peak_rss_mb,
        "load": (load_before, os.getloadavg()),
    }


def _statuses(db: str, expected: Path) -> tuple[int, list[str]]:
    wanted = dict(csv.reader(expected.open(encoding="utf-8")))
    engine = database.make_engine(db)
    with database.make_session_factory(engine)() as session:
        found = {row.kommunenummer: row.status for row in latest.iter_latest_findings(session)}
        run = session.scalars(select(CrawlRun)).one()
        failed = run.kommuner_planned - run.kommuner_checked
    wrong = [f"{n}: expected {s}, stored {found.get(n, 'nothing')}" for n, s in wanted.items() if found.get(n) != s]
    return len(wanted) - len(wrong), wrong + ([f"{failed} kommuner not checked"] if failed else [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=455)
    parser.add_argument("--pages", type=int, default=120, help="ordinary pages per site (documents come on top)")
    parser.add_argument("--latency", type=float, default=0.08, help="seconds each answer takes")
    parser.add_argument("--delay", type=float, default=1.0, help="per-host delay in seconds")
    parser.add_argument("--keep", type=Path, help="copy the crawl's log and database and the server's request log here")
    parser.add_argument("--profile", type=Path, help="record the crawler's stacks with py-spy to this file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        registry, expected, db = tmp / "registry.csv", tmp / "expected.csv", f"sqlite:///{tmp / 'sweep.sqlite3'}"
        here, there = multiprocessing.Pipe()
        server = multiprocessing.Process(
            target=_serve,
            args=(args.sites, args.pages, args.latency, str(registry), str(expected), there),
            daemon=True,
        )
        server.start()
        if not here.poll(600) or here.recv() != "ready":
            raise SystemExit("the simulated web did not start")
        subprocess.run([sys.executable, "-m", "planvakt", "db", "upgrade", "--db", db], cwd=tmp, check=True,
                       capture_output=True, env={**os.environ, "PLANVAKT_VAR_DIR": str(tmp)})  # fmt: skip
        try:
            crawl = _crawl(registry, db, tmp, args.delay, tmp / "crawl.log", args.profile)
        finally:
            here.send("stop")
            rows, server_cpu = here.recv()
            log = [LoggedRequest(*row) for row in rows]
            server.join(30)
        right, wrong = _statuses(db, expected)
        tail = (tmp / "crawl.log").read_text(encoding="utf-8").splitlines()[-3:]
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            (args.keep / "crawl.log").write_bytes((tmp / "crawl.log").read_bytes())
            for name in ("sweep.sqlite3", "sweep.sqlite3-wal"):  # the checks and their issues
                if (tmp / name).exists():
                    shutil.copy(tmp / name, args.keep / name)
            with (args.keep / "requests.csv").open("w", encoding="utf-8", newline="") as handle:
                csv.writer(handle).writerows(dataclasses.astuple(r) for r in log)
    _report(args, {**crawl, "server_cpu": server_cpu}, log, right, wrong, tail)


def _report(
    args: argparse.Namespace,
    crawl: dict[str, Any],
    log: list[LoggedRequest],
    right: int,
    wrong: list[str],
    tail: list[str],
) -> None:
    figures = host_figures(log)
    bound_host, bound = max(
        ((h, f.busy + (f.requests - 1) * args.delay) for h, f in figures.items()), key=lambda item: item[1]
    )
    span = max(r.finished for r in log) - min(r.started for r in log)
    gaps = [f.min_gap for f in figures.values() if f.min_gap is not None]
    requests = len(log)
    (load_1, _, _), (load_2, _, _) = crawl["load"]
    print(
        f"sites: {args.sites} x {args.pages} pages + documents, latency {args.latency * 1000:.0f} ms, per-host delay "
        f"{args.delay} s, every other setting default (2 cores shared; load average {load_1:.1f} before, "
        f"{load_2:.1f} after)"
    )
    print(f"politeness bound:   {bound:.1f} s ({figures[bound_host].requests} requests to {bound_host})")
    print(f"wall time:          {crawl['wall']:.1f} s = {crawl['wall'] / bound:.2f} x the bound "
          f"(first to last request {span:.1f} s = {span / bound:.2f} x); exit code {crawl['code']}")  # fmt: skip
    print(f"in flight per host: at most {max(f.max_in_flight for f in figures.values())}")
    print(f"smallest gap:       {min(gaps):.3f} s between one request's end and the next one's start (any host)")
    print(f"statuses right:     {right} of {args.sites}")
    for line in wrong[:10]:
        print(f"  {line}")
    print(f"requests served:    {requests} ({requests / span:.0f}/s over the span)")
    print(
        f"crawler CPU:        {crawl['own_cpu']:.1f} s in its own process ({crawl['own_cpu'] / requests * 1000:.2f} ms "
        f"per request), {crawl['all_cpu']:.1f} s with extraction workers and browser"
    )
    print(
        f"server CPU:         {crawl['server_cpu']:.1f} s in the web's own process "
        f"({crawl['server_cpu'] / requests * 1000:.2f} ms per request), on the same cores"
    )
    print(f"peak RSS:           {crawl['peak_rss_mb']:.0f} MB (crawler process)")
    for line in tail:
        print(f"  | {line}")


if __name__ == "__main__":
    main()
