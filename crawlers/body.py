"""Reading a response body: Content-Encoding undone by us from the raw stream, the DECODED size capped.

Why we decode ourselves: httpx inflates each network chunk in one zlib call, so the cap saw the bytes only after
they existed. A 658-byte `Content-Encoding: gzip, gzip` answer (300 MB of zeros) grew the process by 600 MB, and a
4 KB one took the crawler to 5.3 GB (issue 12, item 8). Here at most `INFLATE_STEP` bytes come out of one call and
the cap is checked after each, so memory stays near the cap whatever the ratio.

Only gzip (and x-gzip) and deflate are undone: they are all `ACCEPT_ENCODING` asks for. Other codings are passed
through untouched, as httpx does. Broken compression is a `FetchError`; a body over the cap is `TooLarge`, or with
`truncate` its first bytes (robots.txt).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import httpx

from crawlers.errors import FetchError, TooLarge

#: the Accept-Encoding the fetcher sends: exactly the codings `Inflater` undoes
ACCEPT_ENCODING = "gzip, deflate"
#: at most this many decoded bytes come out of one zlib call, so the cap is checked before memory grows further
INFLATE_STEP = 64 * 1024


async def read_body(response: httpx.Response, url: str, max_bytes: int, truncate: bool) -> tuple[bytes, bool]:
    """The decoded body of a streamed `response` and whether it was cut at `max_bytes` (DECODED bytes).

    Raises `TooLarge` when Content-Length or the decoded body passes `max_bytes` (unless `truncate`: then the first
    `max_bytes` are returned with True), `FetchError` when the Content-Encoding cannot be undone. httpx's own
    transport errors while streaming are left to the caller.
    """
    declared = response.headers.get("content-length", "")
    if not truncate and declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(url, f"Content-Length {declared} exceeds {max_bytes} bytes")
    inflater = Inflater(response.headers.get("content-encoding", ""))
    buffer = bytearray()

    def full(chunk: bytes) -> bool:
        buffer.extend(chunk)
        if len(buffer) <= max_bytes:
            return False
        if not truncate:
            raise TooLarge(url, f"body exceeds {max_bytes} bytes")
        del buffer[max_bytes:]
        return True

    try:
        async for raw in response.aiter_raw():
            for chunk in inflater.feed(raw):
                if full(chunk):
                    return bytes(buffer), True
        for chunk in inflater.flush():
            if full(chunk):
                return bytes(buffer), True
    except zlib.error as exc:
        raise FetchError(url, f"could not undo Content-Encoding {inflater.label!r}: {exc}") from exc
    return bytes(buffer), False


class Inflater:
    """Undoes a Content-Encoding stack of gzip/deflate layers, a bounded step at a time.

    Layers are undone last-applied first. Codings we do not know (we only ask for gzip and deflate) are passed
    through untouched, as httpx does. `feed` and `flush` raise `zlib.error` on broken data.
    """

    def __init__(self, content_encoding: str) -> None:
        self.label = content_encoding
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        self._layers = [_ZlibLayer(c) for c in reversed(codings) if c in ("gzip", "x-gzip", "deflate")]

    def feed(self, data: bytes) -> Iterator[bytes]:
        return self._through(0, data)

    def flush(self) -> Iterator[bytes]:
        for index, layer in enumerate(self._layers):
            for out in layer.flush():
                yield from self._through(index + 1, out)

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self._layers):
            if data:
                yield data
            return
        for out in self._layers[index].feed(data):
            yield from self._through(index + 1, out)


class _ZlibLayer:
    """One gzip or deflate layer; a gzip layer may hold several members, as `gzip -c a b` writes."""

    def __init__(self, coding: str) -> None:
        self._gzip = coding != "deflate"
        self._wbits = zlib.MAX_WBITS | 16 if self._gzip else zlib.MAX_WBITS
        self._z = zlib.decompressobj(self._wbits)
        self._started = False  # a deflate layer falls back to raw deflate only on its first bytes
        self._members_done = False
        self._done = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data and not self._done:
            if self._z.eof:
                self._z = zlib.decompressobj(self._wbits)
                self._started = False
            try:
                out = self._z.decompress(data, INFLATE_STEP)
            except zlib.error:
                if not self._started and not self._gzip and self._wbits > 0:
                    # "deflate" is often sent as raw deflate without the zlib header (httpx allows it too)
                    self._wbits = -zlib.MAX_WBITS
                    self._z = zlib.decompressobj(self._wbits)
                    continue
                if not self._started and self._gzip and self._members_done:
                    self._done = True  # padding after the last gzip member is ignored
                    return
                raise
            self._started = True
            if out:
                yield out
            if self._z.eof:
                self._members_done = True
                if not self._gzip:
                    self._done = True  # bytes after a deflate stream are ignored
                data = self._z.unused_data
            else:
                data = self._z.unconsumed_tail

    def flush(self) -> Iterator[bytes]:
        if not self._done:
            out = self._z.flush()
            if out:
                yield out
