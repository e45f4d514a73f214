"""The request size limit under the real server, `safeguard serve` (issue 11, item 5): an
oversized body is refused with 413 before it is read, whether it declares its length or
streams in chunks, and the refusal is never a 500."""

import os
import socket
import subprocess
import sys
import time

import pytest

LIMIT = 4096


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    folder = tmp_path_factory.mktemp("serve")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safeguard.test_settings",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "SAFEGUARD_MAX_UPLOAD_BYTES": str(LIMIT),
        "SAFEGUARD_VAR_DIR": str(folder),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "safeguard.cli", "serve", "--no-worker", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:  # pragma: no cover - the server did not start
            pytest.fail("safeguard serve did not start")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _exchange(port: int, head: bytes, body: bytes = b"") -> bytes:
    """Send the request head (and any body), then read what the server answers."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(head + body)
        answer = b""
        try:
            while chunk := s.recv(65536):
                answer += chunk
                if b"\r\n\r\n" in answer:
                    break
        except TimeoutError:
            pass
    return answer


def test_a_declared_oversized_body_is_refused_before_it_is_sent(server):
    # 30 MB declared, not a byte of it sent: the answer must come without waiting for it.
    head = (
        b"POST /sign-in/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 31457280\r\n\r\n"
    )
    start = time.monotonic()
    answer = _exchange(server, head)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert time.monotonic() - start < 9


def test_a_chunked_body_is_cut_off_once_over_the_limit(server):
    head = (
        b"POST /sign-in/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"a" * 2048
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(4))  # 8 KB, no end
    answer = _exchange(server, head, body)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
