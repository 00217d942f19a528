"""What an oversized request costs the service: a gunicorn worker's memory
before and after a large body, and the answer it gets.

    python -m bench.body_limit [--megabytes 100]

Starts gunicorn with config/gunicorn.conf.py (one worker, SQLite in a
temporary folder), sends one POST /api/v1/places whose Content-Length says
`--megabytes` MB, and prints a table: the status line, how much of the body
was sent before the service answered, and the worker's resident memory
(VmRSS) before and after. With the default 1 MiB limit the answer is 413
before the body is read, and the memory does not grow.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _rss_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) // 1024
    return -1


def _send(port: int, size: int) -> tuple[str, int]:
    """Send headers and up to `size` bytes of body; the status line and bytes sent."""
    body_chunk = b"x" * (1 << 20)
    sock = socket.create_connection(("127.0.0.1", port), timeout=120)
    sock.sendall(b"POST /api/v1/places HTTP/1.1\r\nHost: bench\r\n"
                 b"Content-Type: application/json\r\nAuthorization: Bearer msm_bench\r\n"
                 b"Content-Length: " + str(size).encode() + b"\r\n\r\n")
    sent = 0
    try:
        while sent < size:
            sent += sock.send(body_chunk[: min(len(body_chunk), size - sent)])
    except OSError:
        pass  # the service answered and closed: it stopped reading
    reply = b""
    try:
        while b"\r\n" not in reply:
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
    except OSError:
        pass
    sock.close()
    return reply.split(b"\r\n", 1)[0].decode() or "(no answer)", sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=100)
    args = parser.parse_args()
    port = _free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MEDSAM_")}
        env.update(MEDSAM_SECRET_KEY=secrets.token_urlsafe(48), MEDSAM_SCHEDULER="off",
                   MEDSAM_CHECK_SCHEMA="false", MEDSAM_DATA_DIR=data_dir,
                   MEDSAM_BIND=f"127.0.0.1:{port}", MEDSAM_WORKERS="1")
        gunicorn = Path(sys.executable).with_name("gunicorn")
        server = subprocess.Popen(
            [str(gunicorn), "-c", str(ROOT / "config" / "gunicorn.conf.py"),
             "medsam_match.wsgi:app"], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/my/static/my.css", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
            worker = int(children[0])
            before = _rss_mb(worker)
            started = time.monotonic()
            status, sent = _send(port, args.megabytes << 20)
            elapsed = time.monotonic() - started
            time.sleep(0.5)
            after = _rss_mb(worker)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print("| body | answer | body sent | worker RSS before | after | time |")
    print("|---|---|---|---|---|---|")
    print(f"| {args.megabytes} MB | {status} | {sent >> 20} MB | {before} MB | {after} MB "
          f"| {elapsed:.2f} s |")


if __name__ == "__main__":
    main()
