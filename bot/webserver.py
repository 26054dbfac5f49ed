"""A hardened way to serve an aiohttp application: read deadlines and a connection cap.

`web.TCPSite` has no read deadlines: a client may open a connection and send nothing, or a
request line and headers one byte a minute, or headers announcing a body it never sends, and
the connection (a file descriptor of the worker) stays open for as long as it likes. This
module serves the same `web.AppRunner` through `HardenedSite` (or `start_site`) instead:

* the request line and headers must arrive within `header_timeout`, counted from the
  connection's opening (first request) or from the first byte of the next request (keep-alive);
* the body must arrive within `body_timeout` after its headers were parsed;
* a connection idle between requests is closed after `keepalive_timeout`;
* beyond `max_connections` open connections, new ones are closed as soon as they are accepted
  (logged at most once a minute, with a count of how many were refused).

A connection over a deadline is closed. With `body_timeout_middleware` in the application
(`new_application` installs it), a body that does not arrive in time is answered
``408 Request Timeout`` first, and handlers get the body already read.

How it hooks into aiohttp 3.x: `web.Server` (``runner.server``) is the protocol factory a
`web.TCPSite` hands to ``loop.create_server``; each connection gets a `web.RequestHandler`.
`HardenedSite` gives ``loop.create_server`` a factory of its own that wraps each
`RequestHandler` in a thin `asyncio.Protocol` (`_Connection`) forwarding every transport
event to it, which lets it see the connection open, bytes arrive and the connection close,
and close the connection (``RequestHandler.force_close()``) when a deadline passes. What it
cannot see from outside is when a request's headers have been parsed and when its handler
has finished; for that `_install_hooks` wraps the ``request_factory`` and ``request_handler``
attributes of the `web.Server` (the only reliance on aiohttp internals; see there).
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from aiohttp import web
from aiohttp.abc import AbstractStreamWriter
from aiohttp.http import RawRequestMessage
from aiohttp.streams import StreamReader
from aiohttp.typedefs import Handler, Middleware
from yarl import URL

__all__ = [
    "HardenedSite",
    "ServerLimits",
    "body_timeout_middleware",
    "new_application",
    "start_site",
]

log = logging.getLogger(__name__)

LOG_INTERVAL = 60.0  # seconds: at most one log line per kind of refusal in this interval
BODY_GRACE = 1.0  # seconds: after a 408 from the middleware, time to send it before closing


@dataclass(frozen=True)
class ServerLimits:
    """Deadlines (seconds) and sizes that a `HardenedSite` enforces on every connection."""

    header_timeout: float = 10.0  # a request's line + headers must arrive within this
    body_timeout: float = 10.0  # the body must arrive within this after the headers
    keepalive_timeout: float = 30.0  # an idle connection between requests is closed after this
    max_connections: int = 256  # open connections beyond this are closed at once
    max_body: int = 1024 * 1024  # bytes; see `new_application` (the application enforces it)

    def __post_init__(self) -> None:
        for name in ("header_timeout", "body_timeout", "keepalive_timeout"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive")
        if self.max_connections < 1:
            raise ValueError("max_connections must be at least 1")
        if self.max_body < 1:
            raise ValueError("max_body must be at least 1")


def body_timeout_middleware(limits: ServerLimits) -> Middleware:
    """A middleware that reads each request's body before the handler, within the deadline.

    On a `HardenedSite` the deadline is the connection's (`body_timeout` after the headers);
    elsewhere `body_timeout` from the handler's start. A late body gets ``408 Request
    Timeout`` and the connection is closed. The handler then finds the body in
    ``await request.read()`` (and ``request.json()``/``text()``); it does not suit handlers
    that stream ``request.content``. The size limit is the application's ``client_max_size``
    (a bigger body gets 413).
    """

    @web.middleware
    async def read_body_in_time(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.can_read_body:
            conn = _LIVE.get(request.protocol)
            if conn is not None:
                deadline = conn.body_reader_started()
            else:
                deadline = asyncio.get_running_loop().time() + limits.body_timeout
            try:
                async with asyncio.timeout_at(deadline):
                    await request.read()  # aiohttp keeps the bytes for the handler's read()
            except TimeoutError:
                timed_out = web.HTTPRequestTimeout(text="request body timeout")
                timed_out.force_close()  # the rest of the body must not be read as a request
                raise timed_out from None
        return await handler(request)

    return read_body_in_time


def new_application(
    limits: ServerLimits, *, middlewares: Iterable[Middleware] = ()
) -> web.Application:
    """A `web.Application` with the body-size limit and `body_timeout_middleware` first."""
    return web.Application(
        client_max_size=limits.max_body,
        middlewares=[body_timeout_middleware(limits), *middlewares],
    )


class HardenedSite(web.BaseSite):
    """A TCP site like `web.TCPSite`, with the read deadlines and connection cap of `limits`.

    Use it as a `web.TCPSite`: create it after ``await runner.setup()``, ``await
    site.start()``; ``await runner.cleanup()`` stops it and closes its connections. The
    deadlines keep applying during that shutdown, so a slow client cannot hold it up longer
    than they allow.
    """

    def __init__(
        self,
        runner: web.BaseRunner,
        host: str,
        port: int,
        limits: ServerLimits | None = None,
        *,
        backlog: int = 128,
    ) -> None:
        super().__init__(runner)  # raises RuntimeError before runner.setup()
        server = runner.server
        assert server is not None
        self._web_server = server
        self._host = host
        self._requested_port = port
        self._limits = limits or ServerLimits()
        self._listen_backlog = backlog
        self._listener: asyncio.Server | None = None
        self._bound_port: int | None = None
        self._guard: _Guard | None = None

    @property
    def name(self) -> str:
        return str(URL.build(scheme="http", host=self._host, port=self.port))

    @property
    def port(self) -> int:
        """The port listened on (the real one once started, also when 0 was asked for)."""
        return self._requested_port if self._bound_port is None else self._bound_port

    @property
    def limits(self) -> ServerLimits:
        return self._limits

    @property
    def open_connections(self) -> int:
        """Connections of this site open now (the refused ones are not counted)."""
        return 0 if self._guard is None else len(self._guard.connections)

    async def start(self) -> None:
        await super().start()  # registers the site with the runner
        _install_hooks(self._web_server)
        self._guard = _Guard(self._web_server, self._limits)
        loop = asyncio.get_running_loop()
        self._listener = await loop.create_server(
            self._guard, self._host, self._requested_port, backlog=self._listen_backlog
        )
        self._bound_port = int(self._listener.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Stop accepting; the runner's cleanup then closes the open connections."""
        if self._listener is not None:
            self._listener.close()
        await super().stop()


async def start_site(
    runner: web.BaseRunner,
    host: str,
    port: int,
    limits: ServerLimits | None = None,
    *,
    backlog: int = 128,
) -> HardenedSite:
    """Start serving ``runner`` (already set up) on host:port with `limits`; the site."""
    site = HardenedSite(runner, host, port, limits, backlog=backlog)
    await site.start()
    return site


# --- internals ---------------------------------------------------------------------------


class _Throttled:
    """A log message emitted at most once per LOG_INTERVAL, with the number of occurrences."""

    def __init__(self, level: int, template: str) -> None:
        self._level = level
        self._template = template  # its first %d is the count
        self._count = 0
        self._quiet_until = float("-inf")

    def __call__(self, *args: object) -> None:
        self._count += 1
        now = time.monotonic()
        if now < self._quiet_until:
            return
        log.log(self._level, self._template, self._count, *args)
        self._count = 0
        self._quiet_until = now + LOG_INTERVAL


class _Guard:
    """The protocol factory of a `HardenedSite`: caps connections, wraps each one."""

    def __init__(self, server: web.Server, limits: ServerLimits) -> None:
        self.server = server
        self.limits = limits
        self.connections: set[_Connection] = set()
        self.log_refused = _Throttled(
            logging.WARNING,
            "refused %d connection(s) since the last such message: max_connections=%d reached",
        )
        self.log_timeout = _Throttled(
            logging.INFO, "closed %d slow connection(s) since the last such message (%s)"
        )

    def __call__(self) -> asyncio.BaseProtocol:
        # Counted here, not in connection_made: asyncio calls the factory at once for each
        # accepted socket but connection_made only later, so a burst must count already.
        if len(self.connections) >= self.limits.max_connections:
            self.log_refused(self.limits.max_connections)
            return _Refused()
        conn = _Connection(self.server(), self)
        self.connections.add(conn)
        return conn


class _Refused(asyncio.Protocol):
    """A connection over the cap: closed as soon as it is made, nothing read."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.close()


class _Phase(enum.Enum):
    HEADERS = "header timeout"  # waiting for (the rest of) a request line and headers
    BODY = "body timeout"  # headers parsed, the body not complete
    IDLE = "keep-alive timeout"  # between requests, no byte of the next one yet


class _Connection(asyncio.Protocol):
    """One connection: forwards everything to aiohttp's RequestHandler and keeps the deadline.

    A single timer is armed for the current phase. While a handler runs (``busy``) only the
    body deadline applies; the handler's end arms the deadline of the phase it leaves.
    """

    def __init__(self, handler: web.RequestHandler, guard: _Guard) -> None:
        self.handler = handler
        self.guard = guard
        self.phase = _Phase.HEADERS
        self.busy = False
        self.closed = False
        self.request_seq = 0  # tells callbacks of an earlier request apart
        self.body_deadline = 0.0
        self.body_reader = False  # body_timeout_middleware is reading this request's body
        self.grace_given = False
        self.timer: asyncio.TimerHandle | None = None
        self.loop = asyncio.get_running_loop()

    # asyncio.Protocol: forwarded to the RequestHandler

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        _LIVE[self.handler] = self
        self.handler.connection_made(transport)
        self._arm(self.guard.limits.header_timeout)

    def data_received(self, data: bytes) -> None:
        if data and self.phase is _Phase.IDLE:
            self.phase = _Phase.HEADERS  # the first byte of the next request
            if not self.busy:
                self._arm(self.guard.limits.header_timeout)
        self.handler.data_received(data)

    def eof_received(self) -> bool | None:
        self.handler.eof_received()
        return None  # as RequestHandler: the transport closes itself at the client's EOF

    def pause_writing(self) -> None:
        self.handler.pause_writing()

    def resume_writing(self) -> None:
        self.handler.resume_writing()

    def connection_lost(self, exc: BaseException | None) -> None:
        self.closed = True
        self._disarm()
        self.guard.connections.discard(self)
        _LIVE.pop(self.handler, None)
        self.handler.connection_lost(exc)

    # events from the hooks

    def request_started(self, payload: StreamReader) -> None:
        """A request's headers are parsed and aiohttp is about to handle it."""
        self.request_seq += 1
        self.body_reader = False
        self.grace_given = False
        if payload.is_eof():
            self.phase = _Phase.IDLE
            # Ignored once the handler runs; a request aiohttp rejects itself (400, no handler
            # call) is closed by aiohttp anyway: this is only a backstop.
            self._arm(self.guard.limits.keepalive_timeout)
            return
        self.phase = _Phase.BODY
        self.body_deadline = self.loop.time() + self.guard.limits.body_timeout
        self._arm_at(self.body_deadline)
        seq = self.request_seq
        payload.on_eof(lambda: self._body_complete(seq))

    def handler_started(self) -> None:
        self.busy = True

    def handler_finished(self) -> None:
        self.busy = False
        if self.closed:
            return
        if self.phase is _Phase.IDLE:
            self._arm(self.guard.limits.keepalive_timeout)
        elif self.phase is _Phase.HEADERS:
            self._arm(self.guard.limits.header_timeout)
        # in BODY (the handler did not read it all) the body deadline stays armed

    def body_reader_started(self) -> float:
        """body_timeout_middleware reads the body; the deadline it must keep."""
        self.body_reader = True
        if self.phase is _Phase.BODY:
            return self.body_deadline
        return self.loop.time() + self.guard.limits.body_timeout

    # the deadline

    def _body_complete(self, seq: int) -> None:
        if self.closed or seq != self.request_seq or self.phase is not _Phase.BODY:
            return
        self.phase = _Phase.IDLE
        self._disarm()
        if not self.busy:
            self._arm(self.guard.limits.keepalive_timeout)

    def _arm(self, delay: float) -> None:
        self._arm_at(self.loop.time() + delay)

    def _arm_at(self, when: float) -> None:
        self._disarm()
        self.timer = self.loop.call_at(when, self._expired)

    def _disarm(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _expired(self) -> None:
        self.timer = None
        if self.closed:
            return
        if self.phase is _Phase.BODY:
            if self.body_reader and not self.grace_given:
                # The middleware times out at the same instant and answers 408: let it.
                self.grace_given = True
                self._arm(BODY_GRACE)
                return
        elif self.busy:
            return  # handler_finished arms the deadline again
        if self.phase is not _Phase.IDLE:
            self.guard.log_timeout(self.phase.value)
        self.handler.force_close()


# RequestHandler -> its _Connection, for the hooks and the middleware (which only see the
# RequestHandler, as request.protocol). Entries live from connection_made to connection_lost.
_LIVE: dict[web.RequestHandler, _Connection] = {}

_RequestFactory = Callable[
    [
        RawRequestMessage,
        StreamReader,
        web.RequestHandler,
        AbstractStreamWriter,
        "asyncio.Task[None]",
    ],
    web.BaseRequest,
]
_RequestHandler = Callable[[web.BaseRequest], Awaitable[web.StreamResponse]]


class _HookedFactory:
    def __init__(self, inner: _RequestFactory) -> None:
        self.inner = inner

    def __call__(
        self,
        message: RawRequestMessage,
        payload: StreamReader,
        protocol: web.RequestHandler,
        writer: AbstractStreamWriter,
        task: asyncio.Task[None],
    ) -> web.BaseRequest:
        conn = _LIVE.get(protocol)
        if conn is not None:
            conn.request_started(payload)
        return self.inner(message, payload, protocol, writer, task)


class _HookedHandler:
    def __init__(self, inner: _RequestHandler) -> None:
        self.inner = inner

    async def __call__(self, request: web.BaseRequest) -> web.StreamResponse:
        conn = _LIVE.get(request.protocol)
        if conn is not None:
            conn.handler_started()
        try:
            return await self.inner(request)
        finally:
            if conn is not None:
                conn.handler_finished()


def _install_hooks(server: web.Server) -> None:
    """Wrap the server's ``request_factory`` and ``request_handler`` (once).

    The one reliance on aiohttp internals. In aiohttp 3.x, `web.Server` keeps both callables
    as public attributes, and each `RequestHandler` reads them when it is created, then calls
    ``request_factory(message, payload, protocol, writer, task)`` once a request's headers are
    parsed and ``request_handler(request)`` to handle it (requests aiohttp itself rejects as
    malformed skip the latter, and aiohttp closes their connection). aiohttp offers no public
    hook at these points. tests/test_webserver.py::test_aiohttp_server_hooks checks this
    contract.
    """
    if not isinstance(server.request_factory, _HookedFactory):
        server.request_factory = _HookedFactory(server.request_factory)
    if not isinstance(server.request_handler, _HookedHandler):
        server.request_handler = _HookedHandler(server.request_handler)
