"""``serve`` (issue 16, items 6 and 7): a busy port is found before any build, and only
requests addressed to localhost are answered (DNS rebinding)."""

from __future__ import annotations

import http.client
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from build_site.errors import UsageError
from build_site.outputs.serve import allowed_host, bind, serve_forever


@pytest.fixture
def server(tmp_path: Path) -> Iterator[int]:
    (tmp_path / "index.html").write_text("review preview")
    httpd = bind(0, tmp_path)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def _get(port: int, host: str | None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", "/index.html", skip_host=True)
    if host is not None:
        conn.putheader("Host", host)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


@pytest.mark.parametrize("name", ["localhost", "127.0.0.1", "[::1]", "LOCALHOST"])
def test_localhost_names_are_served(server: int, name: str) -> None:
    assert _get(server, name) == (200, b"review preview")
    assert _get(server, f"{name}:{server}") == (200, b"review preview")


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:8000",
                                  "localhost.attacker.example", "127.0.0.1.nip.io",
                                  "localhost:1", "10.0.0.5"])
def test_other_host_headers_get_421(server: int, host: str) -> None:
    status, body = _get(server, host)
    assert status == 421 and b"review preview" not in body


def test_a_request_without_host_gets_400(server: int) -> None:
    status, body = _get(server, None)
    assert status == 400 and b"review preview" not in body


def test_allowed_host_rules() -> None:
    assert allowed_host("localhost:8000", 8000)
    assert not allowed_host("localhost:8001", 8000)
    assert not allowed_host("", 8000)


def test_a_busy_port_is_refused_before_any_build(tiny: Path, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = tmp_path / "site"
        with pytest.raises(UsageError, match=f"port {port} on 127.0.0.1 is already in use"):
            serve_forever(tiny, out, None, port, "review", Console(quiet=True))
    assert not out.exists() and not (tmp_path / ".site.build").exists()


def test_a_refused_public_preview_points_to_the_review_copy(tiny: Path, tmp_path: Path) -> None:
    from build_site.errors import PrivacyError

    page = tiny / "dyads" / "C1-P1.md"
    page.write_text(page.read_text(encoding="utf-8")
                    + "\nShe moved to Saskatoon with Marguerite Olsen.\n", encoding="utf-8")
    with pytest.raises(PrivacyError) as caught:
        serve_forever(tiny, tmp_path / "site", None, 0, "public", Console(quiet=True))
    assert "build-site serve --review" in str(caught.value)


def test_pages_say_the_last_rebuild_was_refused_until_one_succeeds(tmp_path: Path) -> None:
    """A refused rebuild leaves the last good site being served: every page then says so
    (a new user reloaded, saw the old page and took the edit to be published)."""
    from build_site.outputs.serve import PreviewStatus

    (tmp_path / "index.html").write_text("<html><BODY class=x><p>old</p></body></html>")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "index.html").write_text("<html><body><p>sub</p></body></html>")
    (tmp_path / "style.css").write_text("p{}")
    status = PreviewStatus()
    httpd = bind(0, tmp_path, status)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]

    def get(path: str) -> bytes:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", path, headers={"Host": "localhost"})
        body = conn.getresponse().read()
        conn.close()
        return body

    try:
        assert b"refused" not in get("/index.html")
        status.refused_at = "10:31:02"
        page = get("/index.html")
        assert page.startswith(b"<html><BODY class=x><div role=\"alert\"")
        assert b"The rebuild at 10:31:02 was refused" in page and page.endswith(
            b"<p>old</p></body></html>")
        assert b"was refused" in get("/sub/") and get("/style.css") == b"p{}"
        status.refused_at = None
        assert b"refused" not in get("/sub/")
    finally:
        httpd.shutdown()
        httpd.server_close()
