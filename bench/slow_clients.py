"""How the web tier answers ordinary requests while slow clients hold connections open.

Opens ``--slow`` connections that send a request's headers one line every few seconds (the way
a phone on a bad signal, or a slowloris attack, does), then times ``--requests`` ordinary GETs of
``--path`` made one after another, and prints one line per figure. Point it at gunicorn directly
and at the nginx in front of it (``deploy/nginx.conf``) to compare. Loopback only; it stops by
itself after ``--seconds`` at the most.

    python bench/slow_clients.py --url http://127.0.0.1:8080/healthz --slow 50
"""

from __future__ import annotations

import argparse
import socket
import statistics
import threading
import time
import urllib.request
from urllib.parse import urlsplit

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def hold_slow_connection(host: str, port: int, path: str, stop: threading.Event) -> None:
    try:
        sock = socket.create_connection((host, port), timeout=5)
    except OSError:
        return
    try:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n".encode())
        line = 0
        while not stop.wait(3):
            line += 1
            sock.sendall(f"X-Slow-{line}: {'a' * 10}\r\n".encode())
    except OSError:
        pass  # the server gave up on us, as it should
    finally:
        sock.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080/healthz")
    parser.add_argument("--slow", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    parts = urlsplit(args.url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    if host not in LOOPBACK:
        raise SystemExit("This benchmark only talks to this machine (loopback).")

    stop = threading.Event()
    slow = [
        threading.Thread(
            target=hold_slow_connection, args=(host, port, parts.path, stop), daemon=True
        )
        for _ in range(args.slow)
    ]
    for thread in slow:
        thread.start()
    time.sleep(2)  # let every slow connection take its place first

    deadline = time.monotonic() + args.seconds
    timings: list[float] = []
    failures = 0
    for _ in range(args.requests):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        started = time.monotonic()
        try:
            with urllib.request.urlopen(args.url, timeout=min(left, 30)) as answer:  # noqa: S310
                answer.read()
            timings.append(time.monotonic() - started)
        except OSError:
            failures += 1
    stop.set()

    print(f"slow connections held: {args.slow}")
    print(f"ordinary requests answered: {len(timings)} of {args.requests} ({failures} failed)")
    if timings:
        print(f"ordinary request p50: {statistics.median(timings) * 1000:.0f} ms")
        print(f"ordinary request max: {max(timings) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
