"""HTML and CSS to PDF bytes with WeasyPrint, allowed to load only the app's bundled assets.

WeasyPrint's default fetcher follows file:// and http:// URLs, so HTML that carried a URL
could read local files or reach the network (SECURITY.md promise 8). Here every URL goes
through `BundledAssetFetcher`, which serves a fixed list of files shipped in
`therapy/static` under the `bundled:` scheme and refuses everything else; a refusal stops the
rendering, so a document that asked for anything else is never produced (fail closed).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import weasyprint.pdf
from flask import has_request_context, request
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
ASSET_SCHEME = "bundled:"
# Folders of therapy/static a document may use, and the file types served from them.
ASSET_FOLDERS = ("fonts", "img")
ASSET_TYPES = {".woff": "font/woff", ".png": "image/png", ".svg": "image/svg+xml"}
_ASSET_NAME = re.compile(r"(?P<folder>[a-z]+)/(?P<file>[A-Za-z0-9_-]+(?P<suffix>\.[a-z0-9]+))")


class _ReadResources:
    """`importlib.resources.files` for weasyprint.pdf, handing out its own files already read.

    WeasyPrint 70 opens its sRGB profile for every PDF/A and never closes the file (a
    ResourceWarning per archival PDF, an error under the test suite's warning filter). Only
    WeasyPrint's own package files pass through here; nothing a document names does.
    """

    def __init__(self, package: str) -> None:
        self._root = files(package)

    def __truediv__(self, name: str) -> _ReadResource:
        return _ReadResource(self._root / name)


class _ReadResource:
    def __init__(self, path: Any) -> None:
        self._path = path

    def open(self, mode: str = "rb") -> io.BytesIO:
        return io.BytesIO(self._path.read_bytes())


weasyprint.pdf.files = _ReadResources  # type: ignore[attr-defined,assignment]


class ResourceRefusedError(ValueError):
    """A document asked for a URL that is not one of the bundled assets."""


class UnsafeDocumentError(RuntimeError):
    """Rendering stopped because the document asked for a resource outside the bundle."""


def asset_url(name: str) -> str:
    """The URL under which a bundled asset (e.g. "fonts/DejaVuSans.woff2") is fetched."""
    if _bundled_file(name) is None:
        raise ValueError(f"{name!r} is not a bundled asset")
    return ASSET_SCHEME + name


def _bundled_file(name: str) -> Path | None:
    """The file behind an asset name, only if it is a listed type in a listed folder."""
    match = _ASSET_NAME.fullmatch(name)
    if not match or match["folder"] not in ASSET_FOLDERS or match["suffix"] not in ASSET_TYPES:
        return None
    # The pattern allows no "/" or ".." in the file name, so the path cannot leave the folder.
    path = STATIC_DIR / match["folder"] / match["file"]
    return path if path.is_file() else None


@lru_cache(maxsize=32)
def _asset_bytes(name: str) -> bytes:
    """Bundled files are read once per process; fonts are reused by every document."""
    path = _bundled_file(name)
    if path is None:  # pragma: no cover - callers check first
        raise ResourceRefusedError(name)
    return path.read_bytes()


class BundledAssetFetcher(URLFetcher):
    """A deny-by-default URL fetcher: `bundled:` assets only; no files, network or data URLs."""

    def __init__(self) -> None:
        # No protocol allowed to the parent's urllib machinery, which is never called anyway;
        # fail_on_errors turns any refusal into an error that stops the rendering.
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=True)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Serve a bundled asset, or refuse."""
        name = url.removeprefix(ASSET_SCHEME) if url.startswith(ASSET_SCHEME) else None
        if name is None or _bundled_file(name) is None:
            self.refused.append(url)
            raise ResourceRefusedError(f"not a bundled asset: {url[:200]!r}")
        self.served.append(url)
        content_type = ASSET_TYPES[Path(name).suffix]
        return URLFetcherResponse(url, _asset_bytes(name), {"Content-Type": content_type})

    def open(self, url: Any, data: Any = None, timeout: Any = None) -> Any:
        """The urllib entry point, refused as well: nothing may reach it by another road."""
        self.refused.append(str(getattr(url, "full_url", url))[:200])
        raise ResourceRefusedError("direct opening of URLs is not allowed")


RENDERED_PDF_ENVIRON_KEY = "therapy.rendered_pdf"
# An archived (finalised) document: PDF/A-3b, which allows the data it was made from to travel
# inside it as an associated file, and tagged (structure tree, /Lang) for screen readers.
ARCHIVAL_VARIANT = "pdf/a-3b"


@dataclass(frozen=True)
class DataAttachment:
    """The data a document was made from, embedded in its archival PDF (our bytes, never a URL)."""

    name: str
    data: bytes
    description: str


def render_pdf(
    html: str,
    css: str,
    *,
    fetcher: BundledAssetFetcher | None = None,
    archive: DataAttachment | None = None,
) -> bytes:
    """Render print HTML and its stylesheet to PDF bytes, with bundled assets only.

    With `archive`, the PDF is PDF/A-3b and tagged, and carries that data as its one embedded
    file; the attachment is given as bytes, so nothing is fetched for it.
    """
    fetcher = fetcher or BundledAssetFetcher()
    if has_request_context():
        # gunicorn.conf.py hands the renderer's freed memory back after such a request.
        request.environ[RENDERED_PDF_ENVIRON_KEY] = True
    font_config = FontConfiguration()
    try:
        document = HTML(string=html, base_url=None, url_fetcher=fetcher)
        stylesheet = CSS(string=css, base_url=None, url_fetcher=fetcher, font_config=font_config)
        options: dict[str, Any] = {}
        if archive is not None:
            options = {
                "pdf_variant": ARCHIVAL_VARIANT,
                "pdf_tags": True,
                "attachments": [
                    Attachment(
                        string=archive.data,
                        url_fetcher=fetcher,
                        name=archive.name,
                        description=archive.description,
                        relationship="Data",
                    )
                ],
            }
        pdf = document.write_pdf(stylesheets=[stylesheet], font_config=font_config, **options)
    except FatalURLFetchingError as error:
        raise UnsafeDocumentError(f"refused resources: {fetcher.refused}") from error
    if fetcher.refused or pdf is None:
        raise UnsafeDocumentError(f"refused resources: {fetcher.refused}")
    return pdf
