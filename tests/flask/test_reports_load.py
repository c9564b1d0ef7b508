"""Load test: gunicorn on 127.0.0.1 takes 20,000 report requests (valid, duplicate and
malformed) with no 5xx, delivers each distinct report exactly once, and keeps its memory flat.
Run with ``-s`` to see the figures quoted in docs/performance.md."""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PATH = "/_secheaders/reports"
REQUESTS = 20_000
DISTINCT = 3_000
CLIENTS = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def valid(index: int) -> tuple[bytes, str]:
    if index % 2:
        report = {
            "csp-report": {
                "document-uri": f"https://app.example/page/{index % 50}",
                "effective-directive": "script-src-elem",
                "blocked-uri": f"https://cdn{index}.example/lib.js",
                "disposition": "enforce",
            }
        }
        return json.dumps(report).encode(), "application/csp-report"
    batch = [
        {
            "type": "csp-violation",
            "url": "https://app.example/",
            "age": 1,
            "user_agent": "load",
            "body": {
                "documentURL": f"https://app.example/page/{index % 50}",
                "effectiveDirective": "img-src",
                "blockedURL": f"https://img{index}.example/a.png",
                "disposition": "report",
            },
        }
    ]
    return json.dumps(batch).encode(), "application/reports+json"


MALFORMED: list[tuple[str, bytes, str | None, int]] = [
    ("POST", b'{"csp-report": {"document-uri": "https://a', "application/json", 400),
    ("POST", b"\xff\xfe\x00", "application/json", 400),
    ("POST", b"[" * 20_000, "application/json", 400),
    ("POST", b'[{"type": "csp-violation", "body": {}}]', "application/reports+json", 400),
    ("POST", b"x" * (70 * 1024), "application/json", 413),
    ("POST", b"a=b", "application/x-www-form-urlencoded", 415),
    ("GET", b"", None, 405),
]


def plan() -> list[tuple[str, bytes, str | None, int, int | None]]:
    """(method, body, content type, expected status, distinct index or None)."""
    rng = random.Random(2026)
    requests: list[tuple[str, bytes, str | None, int, int | None]] = []
    for index in range(DISTINCT):  # every distinct report at least once
        body, content_type = valid(index)
        requests.append(("POST", body, content_type, 204, index))
    while len(requests) < REQUESTS:
        if rng.random() < 0.4:
            method, body, kind, status = rng.choice(MALFORMED)
            requests.append((method, body, kind, status, None))
        else:  # a duplicate of a report already sent
            index = rng.randrange(DISTINCT)
            body, content_type = valid(index)
            requests.append(("POST", body, content_type, 204, index))
    rng.shuffle(requests)
    return requests


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, int, Path]]:
    delivered = tmp_path / "delivered.jsonl"
    port = free_port()
    env = {**os.environ, "SECHEADERS_LOAD_DELIVERED": str(delivered)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--worker-class",
            "gthread",
            "--threads",
            str(CLIENTS),
            "--chdir",
            str(ROOT),
            "--log-level",
            "warning",
            "tests.flask.report_load_app:app",
        ],
        env=env,
        stdin=subprocess.DEVNULL,
        stderr=(tmp_path / "gunicorn.log").open("w"),
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError((tmp_path / "gunicorn.log").read_text()) from None
                time.sleep(0.1)
        yield port, process.pid, delivered
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def test_receiver_under_load(server: tuple[int, int, Path]) -> None:
    port, master, delivered = server
    requests = plan()
    statuses: Counter[int] = Counter()
    mismatches: list[tuple[int, int]] = []
    retried: Counter[int] = Counter()  # expected status of requests sent again
    lock = threading.Lock()
    worker = worker_pid(master)
    rss: list[int] = [rss_kib(worker)]
    done = 0

    def client(share: list[tuple[str, bytes, str | None, int, int | None]]) -> None:
        nonlocal done
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for method, body, content_type, expected, _ in share:
            headers = {"Content-Type": content_type} if content_type else {}
            for attempt in range(2):
                try:
                    connection.request(method, PATH, body=body or None, headers=headers)
                    response = connection.getresponse()
                    response.read()
                    break
                except (OSError, http.client.HTTPException):
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    with lock:
                        retried[expected] += 1
                    if attempt:
                        raise
            if response.will_close or response.status == 413:  # the body was left unread
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with lock:
                statuses[response.status] += 1
                if response.status != expected:
                    mismatches.append((expected, response.status))
                done += 1
                if done % (REQUESTS // 4) == 0:
                    rss.append(rss_kib(worker))
        connection.close()

    started = time.monotonic()
    threads = [
        threading.Thread(target=client, args=(requests[i::CLIENTS],)) for i in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    keys: Counter[str] = Counter()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        keys = Counter(delivered.read_text().splitlines())
        if sum(keys.values()) >= DISTINCT:
            break
        time.sleep(0.1)
    time.sleep(0.3)  # anything delivered twice would show up now
    keys = Counter(delivered.read_text().splitlines())

    print(
        f"\n{REQUESTS} requests in {elapsed:.1f} s ({REQUESTS / elapsed:.0f}/s); "
        f"statuses {dict(sorted(statuses.items()))}; retried {dict(retried)}; "
        f"delivered {len(keys)} distinct, {sum(keys.values())} in all; "
        f"worker RSS (MiB) {[round(kib / 1024, 1) for kib in rss]}"
    )
    assert sum(statuses.values()) == REQUESTS
    assert not [status for status in statuses if status >= 500]
    assert mismatches == []
    # The server answers 413 before reading the body and may close the connection while
    # the client still sends it; nothing else is retried.
    assert set(retried) <= {413}
    assert len(keys) == DISTINCT
    assert set(keys.values()) == {1}
    # flat: after the first quarter (every distinct report is tracked by then), under 8 MiB
    assert max(rss[1:]) - rss[1] < 8 * 1024
