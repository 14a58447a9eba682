"""`kg serve`: the Oxigraph SPARQL 1.1 server (with its web query UI) over a kg store directory.

The server is the `oxigraph` binary from PyPI (the `server` extra). Read-only by default
(`oxigraph serve-read-only`, which opens the RocksDB store as a secondary reader and so may run beside
other readers); `allow_update` starts `oxigraph serve`, which takes the store's write lock. The default
graph is the union of the named graphs (`--union-default-graph`), as everywhere in kg.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOOPBACK = ("127.0.0.1", "localhost", "::1")


class ServeError(Exception):
    """The server could not be started; the message says what to do."""


def oxigraph_binary() -> str:
    """The `oxigraph` executable: next to this Python (the venv) first, then on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise ServeError("the Oxigraph server is not installed: pip install 'kg[server]' (PyPI: oxigraph)")


def server_command(store: Path | None, host: str = "127.0.0.1", port: int = 7878,
                   allow_update: bool = False, union_default_graph: bool = True) -> list[str]:
    """The oxigraph command line. Without a store (only with allow_update) the data live in memory."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    if allow_update:
        command = [oxigraph_binary(), "serve", "--bind", bind]
        if store is not None:
            command += ["--location", str(store)]
    else:
        if store is None:
            raise ServeError("a read-only server needs a store directory (--store)")
        command = [oxigraph_binary(), "serve-read-only", "--location", str(store), "--bind", bind]
    if union_default_graph:
        command.append("--union-default-graph")
    return command


def check_store_dir(store: Path) -> None:
    if not store.is_dir():
        raise ServeError(f"no store at {store}: build one first with `kg build corpus/ --store {store}`")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running Oxigraph server started by kg."""

    process: subprocess.Popen
    host: str
    port: int
    read_only: bool
    log: Any = None  # the temporary file holding the server's stderr (quiet mode)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    def stop(self, timeout: float = 10) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log is not None:
            self.log.close()


def start(store: Path | None, host: str = "127.0.0.1", port: int | None = None, allow_update: bool = False,
          wait: float = 30, quiet: bool = True) -> Server:
    """Start the server in the background and wait until it answers queries."""
    if store is not None and not allow_update:
        check_store_dir(store)
    port = port or free_port(host)
    command = server_command(store, host, port, allow_update)
    # stderr to a file, not a pipe: a pipe nobody reads could fill up and block the server
    log = tempfile.TemporaryFile() if quiet else None
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL if quiet else None, stderr=log)
    server = Server(process, host, port, not allow_update, log)
    try:
        _wait_until_ready(server, wait)
    except ServeError:
        server.stop()
        raise
    return server


def _wait_until_ready(server: Server, wait: float) -> None:
    deadline = time.monotonic() + wait
    probe = server.query_url + "?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            error = ""
            if server.log is not None:
                server.log.seek(0)
                error = server.log.read().decode("utf-8", "replace")
            raise ServeError(f"the Oxigraph server stopped at start (exit {server.process.returncode}): "
                             f"{error.strip() or 'no message'}")
        try:
            with urllib.request.urlopen(probe, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise ServeError(f"the Oxigraph server did not answer on {server.url} within {wait:.0f}s")


@contextmanager
def running(store: Path | None, **options) -> Iterator[Server]:
    """`with running(Path('.kg')) as server: …` — started on a free loopback port, stopped after."""
    server = start(store, **options)
    try:
        yield server
    finally:
        server.stop()


def serve_forever(store: Path, host: str = "127.0.0.1", port: int = 7878, allow_update: bool = False) -> int:
    """Run the server in the foreground until Ctrl-C; returns its exit code."""
    if not allow_update:
        check_store_dir(store)
    process = subprocess.Popen(server_command(store, host, port, allow_update))
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            return process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()
