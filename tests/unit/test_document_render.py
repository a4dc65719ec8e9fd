"""render_pdf: bundled assets only, everything else refused before anything is fetched."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from therapy.pdf.render import (
    BundledAssetFetcher,
    ResourceRefusedError,
    UnsafeDocumentError,
    asset_url,
    render_pdf,
)

FONT_CSS = (
    '@font-face { font-family: "Report Sans"; src: url("bundled:fonts/DejaVuSans.woff"); }'
    'html { font-family: "Report Sans"; }'
)


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def server() -> Iterator[tuple[int, list[str]]]:
    """A local HTTP server that records every request it receives."""
    hits: list[str] = []
    handler = type("Handler", (_Recorder,), {"hits": hits})
    httpd = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], hits
    httpd.shutdown()
    httpd.server_close()


def test_bundled_font_is_served_and_used() -> None:
    fetcher = BundledAssetFetcher()
    pdf = render_pdf("<p>Hello → −5 ≥ ä ж</p>", FONT_CSS, fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert fetcher.served == ["bundled:fonts/DejaVuSans.woff"]
    assert fetcher.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.org/font.woff",
        "data:image/png;base64,iVBORw0KGgo=",
        "bundled:fonts/../../config.py",
        "bundled:fonts/LICENSE-DejaVu.txt",
        "bundled:../therapy/config.py",
        "bundled:/etc/passwd",
        "bundled:css/app.css",
        "bundled:fonts/missing.woff",
    ],
)
def test_fetcher_refuses_everything_but_bundled_assets(url: str) -> None:
    fetcher = BundledAssetFetcher()
    with pytest.raises(ResourceRefusedError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    with pytest.raises(ValueError, match="not a bundled asset"):
        asset_url(url.removeprefix("bundled:"))


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="file:///etc/passwd">',
        '<img src="http://127.0.0.1:{port}/img.png">',
        '<p style="background: url(http://127.0.0.1:{port}/bg.png)">x</p>',
        '<style>@import url("http://127.0.0.1:{port}/import.css");</style><p>x</p>',
        '<link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">',
        '<link rel="attachment" href="file:///etc/passwd">',
        '<a rel="attachment" href="file:///etc/passwd">x</a>',
        '<object data="file:///etc/passwd"></object>',
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="http://127.0.0.1:{port}/s.png"'
        ' width="5" height="5"/></svg>',
        '<img src="data:image/svg+xml;base64,PHN2Zy8+">',
    ],
)
def test_a_document_that_asks_for_anything_else_is_not_produced(server, markup: str) -> None:
    port, hits = server
    fetcher = BundledAssetFetcher()
    with pytest.raises(UnsafeDocumentError):
        render_pdf(f"<p>Text</p>{markup.format(port=port)}", FONT_CSS, fetcher=fetcher)
    assert fetcher.refused, "the refusal is recorded"
    assert hits == [], "the local server was never contacted"


def test_relative_urls_have_no_base_and_are_never_fetched(server) -> None:
    _port, hits = server
    fetcher = BundledAssetFetcher()
    pdf = render_pdf(
        '<img src="etc/passwd"><img src="../../etc/passwd">', FONT_CSS, fetcher=fetcher
    )
    assert pdf.startswith(b"%PDF")
    assert fetcher.refused == [] and fetcher.served == ["bundled:fonts/DejaVuSans.woff"]
    assert hits == []
