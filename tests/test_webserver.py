"""The hardened serving layer: read deadlines, the connection cap, and normal service.

Raw loopback clients misbehave on purpose; "closed" means the server ended the connection
(EOF or reset) within a generous bounded wait, and the order of events is what is asserted.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import aiohttp
import pytest
from aiohttp import web

from bot import webserver
from bot.webserver import HardenedSite, ServerLimits, new_application, start_site

HOST = "127.0.0.1"
WAIT = 5.0  # the bounded wait for anything expected to happen
GATE = web.AppKey("gate", asyncio.Event)


async def echo(request: web.Request) -> web.Response:
    payload = json.loads(await request.read())
    return web.json_response({"echo": payload})


async def healthz(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def slow(request: web.Request) -> web.Response:
    await request.app[GATE].wait()
    return web.Response(text="released")


async def nap(request: web.Request) -> web.Response:
    await asyncio.sleep(float(request.query["s"]))
    return web.Response(text="rested")


@dataclass
class Served:
    site: HardenedSite
    runner: web.AppRunner
    gate: asyncio.Event

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.site.port}"


@asynccontextmanager
async def serving(limits: ServerLimits, *, polite: bool = False) -> AsyncIterator[Served]:
    """A tiny app on an ephemeral loopback port; `polite` adds body_timeout_middleware."""
    app = new_application(limits) if polite else web.Application(client_max_size=limits.max_body)
    gate = asyncio.Event()
    app[GATE] = gate
    app.router.add_post("/echo", echo)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/slow", slow)
    app.router.add_get("/nap", nap)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = await start_site(runner, HOST, 0, limits)
        yield Served(site, runner, gate)
    finally:
        gate.set()
        await asyncio.wait_for(runner.cleanup(), WAIT)


@dataclass
class Clients:
    """Raw connections, all closed at the end of the test."""

    writers: list[asyncio.StreamWriter] = field(default_factory=list)

    async def open(self, port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        reader, writer = await asyncio.open_connection(HOST, port)
        self.writers.append(writer)
        return reader, writer

    async def close(self) -> None:
        for writer in self.writers:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


@pytest.fixture
async def clients() -> AsyncIterator[Clients]:
    opened = Clients()
    yield opened
    await opened.close()


async def until_closed(reader: asyncio.StreamReader) -> bytes:
    """Everything the server sends until it closes the connection (fails after WAIT)."""
    try:
        return await asyncio.wait_for(reader.read(), WAIT)
    except ConnectionResetError:
        return b""


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """One HTTP/1.1 response with a Content-Length: (status, body)."""
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), WAIT)
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    length = next(int(x.split(":")[1]) for x in lines if x.lower().startswith("content-length"))
    body = await asyncio.wait_for(reader.readexactly(length), WAIT)
    return status, body


async def still_open(reader: asyncio.StreamReader) -> bool:
    """True if the connection shows no EOF within a short look (nothing is expected)."""
    try:
        await asyncio.wait_for(reader.read(1), 0.05)
    except TimeoutError:
        return True
    return False


async def eventually(condition: Callable[[], bool], what: str) -> None:
    for _ in range(int(WAIT / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    pytest.fail(f"not within {WAIT} s: {what}")


def get(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode()


def post(path: str, body: bytes, length: int | None = None) -> bytes:
    size = len(body) if length is None else length
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {size}\r\n\r\n"
    )
    return head.encode() + body


FAST = ServerLimits(header_timeout=0.5, body_timeout=0.5, keepalive_timeout=30.0)


async def test_silent_connection_is_closed(clients: Clients) -> None:
    async with serving(FAST) as served:
        reader, _ = await clients.open(served.site.port)
        await eventually(lambda: served.site.open_connections == 1, "accepted")
        assert await until_closed(reader) == b""
        await eventually(lambda: served.site.open_connections == 0, "forgotten")


@pytest.mark.parametrize(
    "partial",
    [b"GET /heal", b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: abc"],
    ids=["request-line", "headers"],
)
async def test_partial_request_is_closed(clients: Clients, partial: bytes) -> None:
    async with serving(FAST) as served:
        reader, writer = await clients.open(served.site.port)
        writer.write(partial)
        assert await until_closed(reader) == b""


async def test_malformed_request_gets_400_and_is_closed(clients: Clients) -> None:
    limits = ServerLimits(header_timeout=30.0, keepalive_timeout=30.0)
    async with serving(limits) as served:
        reader, writer = await clients.open(served.site.port)
        writer.write(b"NOT AN HTTP REQUEST\r\n\r\n")
        assert (await until_closed(reader)).startswith(b"HTTP/1.0 400 ")


async def test_trickled_headers_do_not_extend_the_deadline(clients: Clients) -> None:
    async with serving(FAST) as served:
        reader, writer = await clients.open(served.site.port)
        closed = asyncio.create_task(until_closed(reader))
        writer.write(b"GET /healthz HTTP/1.1\r\n")
        sent = 0
        with contextlib.suppress(ConnectionError):
            while not closed.done() and sent < 30:  # would take 3 s: the deadline is 0.5 s
                writer.write(f"X-Drip-{sent}: x\r\n".encode())
                await writer.drain()
                sent += 1
                await asyncio.sleep(0.1)
        assert await closed == b""
        assert sent < 30


async def test_withheld_body_is_cut(clients: Clients) -> None:
    async with serving(FAST) as served:
        reader, writer = await clients.open(served.site.port)
        writer.write(post("/echo", b'{"a": 1, ', length=100))
        assert await until_closed(reader) == b""


@pytest.mark.parametrize("trickle", [False, True], ids=["withheld", "trickled"])
async def test_late_body_gets_408_with_the_middleware(clients: Clients, trickle: bool) -> None:
    async with serving(FAST, polite=True) as served:
        reader, writer = await clients.open(served.site.port)
        writer.write(post("/echo", b'{"a": 1, ', length=100))
        closed = asyncio.create_task(until_closed(reader))
        with contextlib.suppress(ConnectionError):
            while trickle and not closed.done():
                writer.write(b" ")
                await writer.drain()
                await asyncio.sleep(0.05)
        answer = await closed
        assert answer.startswith(b"HTTP/1.1 408 ")
        assert b"request body timeout" in answer


async def test_body_in_time_is_served_by_the_middleware(clients: Clients) -> None:
    async with serving(FAST, polite=True) as served:
        reader, writer = await clients.open(served.site.port)
        writer.write(post("/echo", b'{"a": 1}'))
        assert await read_response(reader) == (200, b'{"echo": {"a": 1}}')
        writer.write(post("/echo", b"[2]"))  # keep-alive: the same connection again
        assert await read_response(reader) == (200, b'{"echo": [2]}')


async def test_body_over_the_size_limit_is_refused(clients: Clients) -> None:
    limits = ServerLimits(header_timeout=0.5, body_timeout=0.5, max_body=1000)
    async with serving(limits, polite=True) as served:
        reader, writer = await clients.open(served.site.port)
        writer.write(post("/echo", b"[" + b"1," * 1000 + b"1]"))
        status, _ = await read_response(reader)
        assert status == 413


async def test_connections_over_the_cap_are_closed_at_once(
    clients: Clients, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.webserver")
    limits = ServerLimits(header_timeout=2.0, max_connections=3)
    async with serving(limits) as served:
        port = served.site.port
        idle = [await clients.open(port) for _ in range(3)]
        await eventually(lambda: served.site.open_connections == 3, "three accepted")

        extra = [await clients.open(port) for _ in range(4)]
        for reader, _ in extra:
            assert await until_closed(reader) == b""
        # The extra ones were closed while the idle ones within the cap are still open.
        assert served.site.open_connections == 3
        for reader, _ in idle:
            assert await still_open(reader)
        refused = [r for r in caplog.records if r.name == "bot.webserver"]
        assert len(refused) == 1 and "refused" in refused[0].getMessage()

        for reader, _ in idle:  # then the header deadline cuts them
            assert await until_closed(reader) == b""
        await eventually(lambda: served.site.open_connections == 0, "all gone")
        async with (
            aiohttp.ClientSession() as session,
            session.post(f"{served.url}/echo", json={"ok": True}) as resp,
        ):
            assert resp.status == 200
            assert await resp.json() == {"echo": {"ok": True}}


async def test_healthz_answers_while_slow_clients_hang_and_handlers_are_busy(
    clients: Clients,
) -> None:
    limits = ServerLimits(header_timeout=2.0, body_timeout=2.0, max_connections=50)
    async with serving(limits) as served, aiohttp.ClientSession() as session:
        busy = asyncio.create_task(session.get(f"{served.url}/slow"))
        slow_clients = [await clients.open(served.site.port) for _ in range(10)]
        for _, writer in slow_clients[:5]:
            writer.write(b"GET /healthz HTTP/1.1\r\nHo")
        for _, writer in slow_clients[5:]:
            writer.write(post("/echo", b"{", length=50))
        await eventually(lambda: served.site.open_connections == 11, "all connected")

        for _ in range(3):
            async with session.get(f"{served.url}/healthz") as resp:
                assert resp.status == 200
                assert await resp.json() == {"status": "ok"}
        assert not busy.done()
        for reader, _ in slow_clients:
            assert await still_open(reader)

        served.gate.set()
        async with await busy as resp:
            assert resp.status == 200 and await resp.text() == "released"


async def test_keep_alive_and_a_handler_slower_than_the_header_deadline(
    clients: Clients,
) -> None:
    async with serving(FAST) as served:
        reader, writer = await clients.open(served.site.port)
        for _ in range(2):
            writer.write(get("/healthz"))
            assert await read_response(reader) == (200, b'{"status": "ok"}')
        writer.write(get("/nap?s=1.0"))  # twice the header deadline, on the same connection
        assert await read_response(reader) == (200, b"rested")
        writer.write(post("/echo", b"[3]"))
        assert await read_response(reader) == (200, b'{"echo": [3]}')
        # The next request's headers have their own deadline (keep-alive's is 30 s).
        writer.write(b"GET /heal")
        assert await until_closed(reader) == b""


async def test_idle_keep_alive_connection_is_closed(clients: Clients) -> None:
    limits = ServerLimits(header_timeout=30.0, body_timeout=30.0, keepalive_timeout=0.5)
    async with serving(limits) as served:
        reader, writer = await clients.open(served.site.port)
        writer.write(get("/healthz"))
        assert await read_response(reader) == (200, b'{"status": "ok"}')
        assert await until_closed(reader) == b""


async def test_client_session_requests(clients: Clients) -> None:
    async with serving(FAST, polite=True) as served, aiohttp.ClientSession() as session:
        for n in range(3):
            async with session.post(f"{served.url}/echo", json={"n": n}) as resp:
                assert resp.status == 200
                assert await resp.json() == {"echo": {"n": n}}
            async with session.get(f"{served.url}/healthz") as resp:
                assert resp.status == 200
        assert served.site.open_connections == 1  # the session kept one connection alive


async def test_cleanup_closes_slow_clients_and_is_not_held_up(clients: Clients) -> None:
    limits = ServerLimits(header_timeout=30.0, body_timeout=1.0)
    async with serving(limits) as served:
        readers = []
        for n in range(4):
            reader, writer = await clients.open(served.site.port)
            writer.write(b"GET /heal" if n % 2 else post("/echo", b"{", length=100))
            readers.append(reader)
        await eventually(lambda: served.site.open_connections == 4, "all connected")
        # A handler waits for a withheld body: the body deadline, not the runner's 60 s
        # shutdown timeout, bounds the cleanup.
        await asyncio.wait_for(served.runner.cleanup(), WAIT)
        for reader in readers:
            assert await until_closed(reader) == b""
        assert served.site.open_connections == 0
        assert webserver._LIVE == {}


async def test_aiohttp_server_hooks() -> None:
    """The contract of aiohttp that _install_hooks relies on (see its docstring)."""
    assert {"request_factory", "handler"} <= set(inspect.signature(web.Server).parameters)
    async with serving(FAST) as served:
        server = served.runner.server
        assert server is not None
        assert isinstance(server.request_factory, webserver._HookedFactory)
        assert isinstance(server.request_handler, webserver._HookedHandler)
        # A second site on the same runner does not wrap twice.
        second = await start_site(served.runner, HOST, 0, FAST)
        assert not isinstance(server.request_factory.inner, webserver._HookedFactory)
        assert not isinstance(server.request_handler.inner, webserver._HookedHandler)
        reader, writer = await asyncio.open_connection(HOST, second.port)
        try:
            writer.write(post("/echo", b"[1]"))
            assert await read_response(reader) == (200, b'{"echo": [1]}')
            # Each RequestHandler called both hooks: the request started and finished.
            (conn,) = webserver._LIVE.values()
            assert conn.request_seq == 1 and not conn.busy
            assert conn.phase is webserver._Phase.IDLE
        finally:
            writer.close()
            await writer.wait_closed()


def test_limits_are_checked() -> None:
    with pytest.raises(ValueError, match="header_timeout"):
        ServerLimits(header_timeout=0)
    with pytest.raises(ValueError, match="max_connections"):
        ServerLimits(max_connections=0)


async def test_site_needs_a_set_up_runner() -> None:
    runner = web.AppRunner(web.Application())
    with pytest.raises(RuntimeError):
        HardenedSite(runner, HOST, 0)
