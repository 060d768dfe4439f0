"""A TCP proxy on loopback in front of the database server, to cut the bot off from it and back
without touching the server itself (the machine's PostgreSQL is shared)."""

from __future__ import annotations

import asyncio
import socket

from sqlalchemy.engine import make_url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TcpProxy:
    """Forwards a loopback port to the database server; `cut()` closes every connection and stops
    listening (the server looks down: connections are refused), `restore()` listens again.

    Only this proxy goes down: the machine's PostgreSQL server, which others use, is never touched.
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target_host = target_host
        self.target_port = target_port
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.connections = 0
        self._trap: tuple[bytes, bool] | None = None
        self._armed_by: bytes | None = None
        self.sprung = asyncio.Event()

    def cut_on(self, statement: bytes, *, after_the_server_ran_it: bool = False, once_sent: bytes | None = None) -> None:
        """Drop the next connection that sends `statement` (once it has sent `once_sent`, if given):
        before it reaches the server, or once the server has run it and before its answer reaches
        the bot (a COMMIT whose answer is lost)."""
        self._trap = (statement, after_the_server_ran_it)
        self._armed_by = once_sent
        self.sprung.clear()

    async def restore(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(self.target_host, self.target_port)
        except OSError:
            client_writer.transport.abort()
            return
        self.connections += 1
        self._writers.update((client_writer, upstream_writer))

        answer_lost = asyncio.Event()
        armed = asyncio.Event()

        def abort_both() -> None:
            for end in (client_writer, upstream_writer):
                end.transport.abort()
                self._writers.discard(end)

        async def pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, from_bot: bool) -> None:
            try:
                while data := await reader.read(65536):
                    if not from_bot and answer_lost.is_set():
                        abort_both()
                        return
                    if from_bot and self._armed_by is not None and self._armed_by in data:
                        armed.set()
                    if from_bot and self._trap is not None and self._trap[0] in data and (self._armed_by is None or armed.is_set()):
                        after_the_server_ran_it = self._trap[1]
                        self._trap = None
                        self.sprung.set()
                        if not after_the_server_ran_it:
                            abort_both()
                            return
                        answer_lost.set()
                    writer.write(data)
                    await writer.drain()
            except (OSError, asyncio.CancelledError):
                pass
            finally:
                writer.transport.abort()
                self._writers.discard(writer)

        await asyncio.gather(pump(client_reader, upstream_writer, True), pump(upstream_reader, client_writer, False))


def through_proxy(database_url: str, proxy: TcpProxy) -> str:
    """The same database URL, reached through the proxy."""
    return make_url(database_url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)


def target_of(database_url: str) -> tuple[str, int]:
    url = make_url(database_url)
    return url.host or "127.0.0.1", url.port or 5432
