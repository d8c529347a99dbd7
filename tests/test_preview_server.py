"""The real preview server on 127.0.0.1 (port 0), asked with raw HTTP requests."""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsletter.preview import Preview
from newsletter.preview.server import is_loopback
from newsletter.preview.server import safe_file

from .conftest import FIXTURES

SECRET = "Lumen Books, 12 Quay Street"  # in newsletter.toml, never served from /build/


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    minimal = tmp_path_factory.mktemp("server") / "minimal"
    shutil.copytree(FIXTURES / "minimal", minimal)
    # Outside the build folder: a file and a folder the symlinks below point at.
    (minimal.parent / "outside.txt").write_text(f"private {SECRET}", encoding="utf-8")
    with Preview(minimal, port=0, watch=False) as running:
        build = minimal / "build"
        (build / "leak.txt").symlink_to(minimal / "newsletter.toml")
        (build / "up").symlink_to(minimal.parent)
        yield running


def request(preview: Preview, path: str, method: str = "GET", headers: dict | None = None):
    """Send `path` exactly as given (no client-side normalising) and read the answer."""
    host, port = preview.server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=10)
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", (headers or {}).get("Host", f"127.0.0.1:{port}"))
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


@pytest.mark.parametrize("path", [
    "/build/../newsletter.toml",
    "/build/%2e%2e/newsletter.toml",
    "/build/%2E%2E/newsletter.toml",
    "/build/..%2fnewsletter.toml",
    "/build/%2e%2e%2fnewsletter.toml",
    "/build/issues/../../newsletter.toml",
    "/build//etc/passwd",
    "/build/%2fetc%2fpasswd",
    "/build/..\\newsletter.toml",
    "/build/%5c..%5cnewsletter.toml",
    "/build/./index.html",
    "/build/%00",
    "/build/%252e%252e/newsletter.toml",
    "/build/leak.txt",
    "/build/up/outside.txt",
    "/build/up/minimal/newsletter.toml",
    "/build/",
    "/build/issues",
    "/build/issues/2026-10/",
    "/source/../newsletter.toml",
    "/source/%2e%2e/outside.txt",
    "/source/content/../../outside.txt",
    "/source/build/manifest.json",
    "/source//etc/passwd",
    "/static/../server.py",
    "/message/../../newsletter.toml",
    "/render/%2e%2e/newsletter.toml",
])
def test_path_escapes_and_folders_are_404(preview, path):
    status, _, body = request(preview, path)
    assert status == 404, path
    assert SECRET.encode() not in body and b"[project]" not in body


@pytest.mark.parametrize("path", [
    "/build/" + "a" * 8192,
    "/source/content/" + "a" * 8192 + ".md",
    "/build/" + "/".join(["abcdefgh"] * 600),
    "/" + "x" * 8192,
    "//[::1/build/index.html",
    "/message/" + "%ff" * 300,
])
def test_long_or_odd_paths_are_404_without_file_system_paths(preview, path):
    """An 8 KB path used to answer 500 with the project's absolute folder in the body."""
    status, _, body = request(preview, path)
    assert status == 404, path[:40]
    assert str(preview.root).encode() not in body and b"Errno" not in body


def test_build_files_are_served_with_their_types(preview):
    status, headers, body = request(preview, "/build/issues/2026-10/new-readers/email.html")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == (preview.root / "build/issues/2026-10/new-readers/email.html").read_bytes()
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src" not in headers["Content-Security-Policy"]  # default-src 'none' covers scripts
    status, headers, _ = request(preview, "/build/issues/2026-10/book-clubs/email.eml")
    assert status == 200 and headers["Content-Type"] == "message/rfc822"
    status, _, body = request(preview, "/build/assets/images/mei.png")
    assert status == 200 and body.startswith(b"\x89PNG")


def test_pages_render_and_head_has_no_body(preview):
    for path in ("/", "/message/2026-10/book-clubs/email", "/grid/2026-10",
                 "/source/content/stories/mei-spotlight.md", "/source/newsletter.toml",
                 "/static/preview.css", "/static/preview.js"):
        status, headers, body = request(preview, path)
        assert status == 200, path
        assert int(headers["Content-Length"]) == len(body) > 0
        head_status, head_headers, head_body = request(preview, path, "HEAD")
        assert head_status == 200 and head_body == b""
        assert head_headers["Content-Length"] == headers["Content-Length"]
    _, headers, _ = request(preview, "/")
    assert "script-src 'self'" in headers["Content-Security-Policy"]


def test_render_personalises_in_memory_for_a_sample(preview):
    before = sorted(p for p in (preview.root / "build").rglob("*"))
    status, headers, body = request(preview, "/render/2026-10/new-readers/email?sample=known")
    assert status == 200 and b"Hi Alex," in body
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    _, _, body = request(preview, "/render/2026-10/new-readers/email?sample=none")
    assert b"Hi there," in body
    _, _, body = request(preview, "/render/2026-10/book-clubs/email?sample=known&scheme=forced")
    assert "Alex，你好".encode() in body and b"invert(1)" in body
    assert b"/build/assets/images/mei.png" in body  # the project's image, from this build
    assert sorted(p for p in (preview.root / "build").rglob("*")) == before  # nothing written


def test_only_get_and_head_and_only_loopback_host_names(preview):
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        status, headers, _ = request(preview, "/", method)
        assert status == 405 and headers["Allow"] == "GET, HEAD"
    status, _, _ = request(preview, "/", headers={"Host": "attacker.example"})
    assert status == 403
    status, _, _ = request(preview, "/", headers={"Host": "localhost:8000"})
    assert status == 200
    assert request(preview, "/message/2026-10/nobody/email")[0] == 404
    assert request(preview, "/grid/1999-01")[0] == 404


def test_events_push_building_then_reload(preview):
    host, port = preview.server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=10)
    connection.request("GET", f"/events?since={preview.state.generation}")
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    assert response.fp.readline() == b"retry: 500\n"
    preview.rebuild({"content/stories/mei-spotlight.md"})
    lines = [response.fp.readline() for _ in range(7)]
    connection.close()
    assert lines[1:3] == [b"event: building\n", b"data: 1\n"]
    assert b"event: reload\n" in lines


def test_safe_file_refuses_what_leaves_the_folder(tmp_path):
    (tmp_path / "inside").mkdir()
    (tmp_path / "inside" / "a.txt").write_text("a", encoding="utf-8")
    base = tmp_path / "inside"
    assert safe_file(base, "a.txt") == (base / "a.txt").resolve()
    for raw in ("", "/a.txt", "../inside/a.txt", "%2e%2e/inside/a.txt", "a.txt/", ".", "x\\a.txt"):
        assert safe_file(base, raw) is None, raw


def test_loopback_names():
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "localhost", "::1"))
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.10")


def test_command_serves_and_warns_about_other_hosts(minimal):
    program = str(Path(sys.executable).parent / "newsletter")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # 192.0.2.1 (TEST-NET-1) is never this machine's: the warning shows, then binding fails.
    done = subprocess.run([program, "preview", "-p", str(minimal), "--host", "192.0.2.1",
                           "--no-open"], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 1
    assert "warning" in done.stderr and "unsent emails" in done.stderr
    process = subprocess.Popen([program, "preview", "-p", str(minimal), "--port", "0", "--no-open"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 30
        url = None
        while time.monotonic() < deadline and url is None:
            line = process.stdout.readline()
            if line.startswith("preview at "):
                url = line.split()[2]
        assert url and url.startswith("http://127.0.0.1:")
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/")
        assert b"Lumen Books" in connection.getresponse().read()
        connection.close()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_customers_page_is_mounted_without_personal_data(tmp_path):
    project = tmp_path / "customers"
    shutil.copytree(FIXTURES / "customers-basic", project)
    emails = [line.split(",")[3] for line in (project / "content/customers.csv").read_text(encoding="utf-8").splitlines()[1:]
              if line.count(",") > 3 and "@" in line.split(",")[3]]
    with Preview(project, port=0, watch=False) as running:
        status, headers, body = request(running, "/customers")
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<svg" in page and "Net Promoter" in page
    assert emails and not any(email in page for email in emails)
