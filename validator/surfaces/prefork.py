"""`ereje serve --workers N`: N server processes on one listening socket, forked after the rules compile.

uvicorn's own `workers=` spawns fresh interpreters that import the app by name and pickle its settings;
ours is built in this process (every rule file compiled, a protocol class made for the read timeout),
so the workers are forked from it instead, as gunicorn's pre-fork model does: each inherits the compiled
rules copy-on-write, and the kernel spreads the connections of the one socket over them. A worker that
dies is started again (unless the parent is stopping); each dies with the parent (`die_with_parent`).
SIGINT or SIGTERM to the parent stops every worker, which finishes its requests in flight (uvicorn's
graceful shutdown). Where fork does not exist, `--workers` above 1 is refused.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
from typing import Any

from validator.errors import EnvironmentFailure

RESTART_PAUSE = 0.5  # seconds before a worker that died is started again (never a busy loop)


def bind(host: str, port: int, reuse_port: bool = False) -> socket.socket:
    """A listening socket, bound before any worker starts (a port in use fails once, here). With
    `reuse_port`, several sockets share the port and the kernel spreads new connections over them."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named: asyncio sets TCP_NODELAY on accepted connections only for a socket that says it is
    # TCP (proto 0 left Nagle's algorithm on: ~40 ms a keep-alive request, against delayed ACKs).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise EnvironmentFailure(f"cannot listen on {host}:{port}: {e.strerror or e}") from e
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _worker(app: Any, settings: dict[str, Any], sock: socket.socket, others: list[socket.socket], parent: int) -> None:
    """In a forked child: serve until told to stop, then exit without running the parent's atexit."""
    import uvicorn

    from validator.surfaces.batch import die_with_parent

    code = 0
    for other in others:
        other.close()  # the other workers' sockets: a connection queued on one this worker never accepts would hang
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        die_with_parent(parent)
        config = uvicorn.Config(app, **settings)
        uvicorn.Server(config).run(sockets=[sock])
    except BaseException:  # a child never returns into the parent's code
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve(app: Any, settings: dict[str, Any], host: str, port: int, workers: int) -> None:
    """Fork `workers` servers of `app` on one socket and keep them running until SIGINT or SIGTERM."""
    if not hasattr(os, "fork"):
        raise EnvironmentFailure("--workers above 1 needs fork (Linux, macOS); run one worker here")
    # One socket per worker on the same port (SO_REUSEPORT), so the kernel spreads the connections: on one
    # shared socket the worker that wakes first accepts a client's every keep-alive connection and the
    # other idles (measured: 1.06 × one worker under wrk's 16 connections, against 2.5–2.9 ×).
    reuse = hasattr(socket, "SO_REUSEPORT")
    first = bind(host, port, reuse_port=reuse)
    socks = [first] + (
        [bind(host, first.getsockname()[1], reuse_port=True) for _ in range(workers - 1)] if reuse else []
    )
    parent = os.getpid()
    children: dict[int, int] = {}  # pid → slot
    stopping = False

    def start(slot: int) -> None:
        sock = socks[slot % len(socks)]
        pid = os.fork()
        if pid == 0:
            _worker(app, settings, sock, [s for s in socks if s is not sock], parent)
        children[pid] = slot

    def stop(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    old = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    print(f"Ereje serving on http://{host}:{first.getsockname()[1]} with {workers} workers", file=sys.stderr)
    try:
        for slot in range(workers):
            start(slot)
        while children:
            try:
                pid, _ = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            slot = children.pop(pid, -1)  # -1: not a worker of ours
            if slot >= 0 and not stopping:
                time.sleep(RESTART_PAUSE)
                start(slot)
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        for sock in socks:
            sock.close()


__all__ = ["bind", "serve"]
