"""From snapshot to output: the document's HTML, its print CSS, its plain text and its PDF."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, render_template, url_for
from flask_babel import force_locale, get_locale
from markupsafe import Markup

from therapy.i18n.locale import practice_language
from therapy.i18n.translation import gettext as _
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import Document
from therapy.models.enums import DocumentKind
from therapy.pdf.render import DataAttachment, asset_url, render_pdf
from therapy.services.documents.snapshot import DocumentMeta, EpisodeRecord, LetterContent
from therapy.svg.inline import inline_svg

DOCUMENT_FONT = "Report Sans"
DATA_ATTACHMENT_NAME = "document-data.json"
KIND_TITLES = {
    DocumentKind.TREATMENT_REPORT: _l("Treatment report"),
    DocumentKind.GP_LETTER: _l("GP referral summary"),
}
TEMPLATES = {
    DocumentKind.TREATMENT_REPORT: "documents/treatment_report.html",
    DocumentKind.GP_LETTER: "documents/gp_letter.html",
}
FILE_STEMS = {
    DocumentKind.TREATMENT_REPORT: "treatment-report",
    DocumentKind.GP_LETTER: "gp-letter",
}


@dataclass(frozen=True)
class FontFace:
    """One bundled face of the document font."""

    file: str
    weight: int
    style: str


FONT_FACES = (
    FontFace("fonts/DejaVuSans.woff", 400, "normal"),
    FontFace("fonts/DejaVuSans-Bold.woff", 700, "normal"),
    FontFace("fonts/DejaVuSans-Oblique.woff", 400, "italic"),
    FontFace("fonts/DejaVuSans-BoldOblique.woff", 700, "italic"),
)


@contextmanager
def document_language() -> Iterator[None]:
    """Words, dates and the chart of a document in the practice's language, whoever reads the
    screen (a Dutch letter made from an English account's page)."""
    with force_locale(practice_language()):
        yield


def practice_today() -> date:
    """Today's date where the practice is, which is the date a document carries."""
    return local_date(datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])))


def local_date(moment: datetime) -> date:
    """The practice-local calendar date of a moment."""
    return moment.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def _css_string(text: str) -> str:
    """Our own words inside a CSS string: quotes, backslashes and line breaks escaped."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def document_css(*, preview: bool = False) -> str:
    """The print stylesheet; the preview gets browser URLs for the same font files."""

    def url(name: str) -> str:
        return url_for("static", filename=name) if preview else asset_url(name)

    faces = [{"url": url(f.file), "weight": f.weight, "style": f.style} for f in FONT_FACES]
    return render_template(
        "documents/document.css",
        font_faces=faces,
        page_word=_css_string(_("page")),
        of_word=_css_string(_("of")),
    )


def document_title(kind: DocumentKind) -> str:
    """The document's title in the document's language."""
    with document_language():
        return str(KIND_TITLES[kind])


def document_meta(document: Document, dated: date, *, final: bool | None = None) -> DocumentMeta:
    """What the header and footer say about this version (`final` while finalising it)."""
    previous = document.supersedes
    return DocumentMeta(
        kind=document.kind.value,
        title=document_title(document.kind),
        version=document.version,
        final=document.is_final if final is None else final,
        dated=dated,
        supersedes_version=previous.version if previous else None,
        supersedes_dated=local_date(previous.finalised_at)
        if previous and previous.finalised_at
        else None,
        supersedes_sha256=previous.sha256 or "" if previous else "",
    )


def _chart(record: EpisodeRecord) -> Markup:
    # The chart module escapes every text and attribute it writes, and inline_svg checks that
    # the result holds drawing elements only. Its generic font is pinned to the bundled one: a
    # generic family would be resolved against the host's fonts.
    svg = record.phq15.chart_svg.replace(
        'font-family="sans-serif"', f'font-family="{DOCUMENT_FONT}"'
    )
    return inline_svg(svg)


def document_html(
    meta: DocumentMeta,
    record: EpisodeRecord,
    letter: LetterContent | None,
    *,
    preview: bool = False,
    back_url: str = "",
) -> str:
    """The print HTML of a document; the preview links the stylesheet, the PDF is given it."""
    with document_language():
        return _document_html(meta, record, letter, preview=preview, back_url=back_url)


def _document_html(
    meta: DocumentMeta,
    record: EpisodeRecord,
    letter: LetterContent | None,
    *,
    preview: bool,
    back_url: str,
) -> str:
    return render_template(
        TEMPLATES[DocumentKind(meta.kind)],
        meta=meta,
        record=record,
        letter=letter,
        chart=_chart(record),
        preview=preview,
        back_url=back_url,
        stylesheet_url=url_for("document_assets.stylesheet") if preview else "",
        lang=str(get_locale() or "en").replace("_", "-"),  # BCP 47: en-GB, not en_GB
    )


def letter_text(meta: DocumentMeta, record: EpisodeRecord, letter: LetterContent) -> str:
    """The GP letter as plain text for pasting into the GP's system."""
    with document_language():
        return render_template("documents/gp_letter.txt", meta=meta, record=record, letter=letter)


def document_pdf(
    meta: DocumentMeta,
    record: EpisodeRecord,
    letter: LetterContent | None,
    *,
    snapshot: dict[str, Any] | None = None,
) -> bytes:
    """The PDF of a document, rendered now from the given snapshot.

    A final document passes `snapshot` (what lifecycle stores): it becomes PDF/A-3b with that
    data embedded as JSON, so the archived file explains itself without the database.
    """
    archive = None
    if snapshot is not None:
        archive = DataAttachment(
            name=DATA_ATTACHMENT_NAME,
            data=json.dumps(snapshot, ensure_ascii=False, sort_keys=True, indent=1).encode(),
            description="The data this document was made from (JSON)",
        )
    with document_language():
        return render_pdf(document_html(meta, record, letter), document_css(), archive=archive)


def file_name(document: Document, record_number: str) -> str:
    """A download name without the patient's name: kind, record number, version, status."""
    safe_number = "".join(c for c in record_number if c.isalnum() or c in "-_") or "record"
    status = "final" if document.is_final else "draft"
    return f"{FILE_STEMS[document.kind]}-{safe_number}-v{document.version}-{status}.pdf"
