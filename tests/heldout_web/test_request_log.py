"""The held-out web's request log measures requests in flight per host honestly (issue 9).

The bench counts requests of ours one host had open at once from the servers' log. The servers run in the bench's
own process, beside threads that build documents: a handler that has written its answer may wait for the GIL before
it stamps the end, while the client already has every byte and has sent its next request. Counted from that stamp,
one request at a time showed as two in flight. The end that counts is stamped before the last bytes are written.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bench.bench_heldout import max_in_flight
from tests.heldout_web import build_web, serve

# One request at a time, the next sent the moment the previous answer is complete, on a connection opened while the
# previous one was answered (so the server's thread for it is already waiting to read it). Prints when each answer's
# last byte arrived (time.monotonic(), the clock the server stamps with, shared by processes on Linux).
CLIENT = r"""
import json, socket, sys, time
host, port, paths = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
received, sockets = {}, []
waiting = socket.create_connection((host, port))
for path in paths:
    sock, waiting = waiting, socket.create_connection((host, port))
    sockets.append(sock)
    sock.sendall(f"GET {path} HTTP/1.0\r\nHost: {host}\r\nUser-Agent: PlanvaktBot/0.1 (test)\r\n\r\n".encode())
    data = b""
    while True:
        chunk = sock.recv(1 << 16)
        if not chunk:
            break
        data += chunk
        head, sep, body = data.partition(b"\r\n\r\n")
        if sep:
            lines = [line.lower() for line in head.split(b"\r\n")]
            length = next(int(line.split(b":")[1]) for line in lines if line.startswith(b"content-length:"))
            if len(body) >= length:
                break
    received[path] = time.monotonic()
for sock in [*sockets, waiting]:
    sock.close()
print(json.dumps(received))
"""


@contextmanager
def busy_thread() -> Iterator[None]:
    """Pure Python work in the servers' process, as the bench's document building is: it holds the GIL in turns."""
    stop = threading.Event()

    def spin() -> None:
        n = 0
        while not stop.is_set():
            n = (n * 31 + 7) % 1_000_003

    thread = threading.Thread(target=spin, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@pytest.mark.slow
def test_back_to_back_requests_are_never_counted_in_flight_together() -> None:
    web = build_web(seed=3, n_sites=4)
    site = next(s for s in web.sites if s.unreachable == "none")
    paths = sorted(site.pages)[:40]
    with serve(web) as running, busy_thread():
        received = json.loads(
            subprocess.run(
                [sys.executable, "-c", CLIENT, site.host, str(running.port), json.dumps(paths)],
                capture_output=True,
                text=True,
                check=True,
                timeout=120,
            ).stdout
        )
        deadline = time.monotonic() + 10  # the last handlers log their requests when they get the GIL back
        while len(log := [r for r in running.request_log() if r.host == site.host]) < len(paths):
            assert time.monotonic() < deadline, "the server never logged every request"
            time.sleep(0.05)
    assert sorted(r.target for r in log) == sorted(paths)
    # a client with one request at a time is counted with one in flight (counted from the stamp taken after the
    # write, 6-10 of these 40 ended after the client had the whole answer, and two were "in flight" together) ...
    assert max_in_flight(log) == 1
    # ... because the end the count uses is never after the client had the whole answer
    assert all(r.answered <= received[r.target] for r in log)
