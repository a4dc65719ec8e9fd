"""The patient's copy as one ZIP: a readable PDF, the FHIR R4 Bundle, the documents as sent.

- `record-<number>.pdf`: the whole record in words (templates/documents/patient_copy.html),
  rendered with the documents' deny-by-default PDF pipeline (therapy.pdf.render).
- `record-<number>-fhir-r4.json`: the same record for another care provider's system
  (therapy.exports.fhir.bundle, validated against FHIR R4 and read back before it is given).
- `documents/...pdf`: every final document byte for byte as it was finalised and sent, each
  checked against its stored SHA-256 (one that no longer matches is left out, and the PDF says
  so), and `contents.txt` listing every file with its SHA-256.
The caller decides the language (the copy is rendered in whatever locale is active).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime
from typing import Any

from flask import render_template
from flask_babel import format_datetime, get_locale, to_user_timezone
from markupsafe import Markup

from therapy.exports.fhir.bundle import patient_bundle
from therapy.i18n.translation import gettext as _
from therapy.pdf.render import render_pdf
from therapy.services.documents.produce import DOCUMENT_FONT, document_css
from therapy.services.phq15.scoring import ITEMS
from therapy.services.records.copy_rows import PatientCopy
from therapy.svg.inline import inline_svg


def _chart(svg: str) -> Markup:
    # As the documents do: escaped by the chart module, checked by inline_svg, and its font
    # pinned to the bundled one (a generic family would be looked up on the host).
    return inline_svg(svg.replace('font-family="sans-serif"', f'font-family="{DOCUMENT_FONT}"'))


def copy_html(copy: PatientCopy) -> str:
    """The print HTML of the copy."""
    return render_template(
        "documents/patient_copy.html",
        copy=copy,
        charts=[_chart(episode.record.phq15.chart_svg) for episode in copy.episodes],
        phq15_items=ITEMS,
        lang=str(get_locale() or "en"),
    )


def copy_pdf(copy: PatientCopy) -> bytes:
    """The readable PDF of the whole record."""
    css = document_css() + render_template("documents/patient_copy.css")
    return render_pdf(copy_html(copy), css)


def machine_readable(patient_id: int, base_url: str) -> dict[str, Any] | None:
    """The record in a machine-readable form: the FHIR R4 Bundle of the FHIR export."""
    return patient_bundle(patient_id, base_url)


def _stem(record_number: str) -> str:
    safe = "".join(c for c in record_number if c.isalnum() or c in "-_")
    return f"record-{safe or 'patient'}"


def copy_zip(copy: PatientCopy, pdf: bytes, bundle: dict[str, Any], made_at: datetime) -> bytes:
    """The ZIP handed to the patient: PDF, Bundle, documents as sent, and a list of contents."""
    stem = _stem(copy.patient.record_number)
    files: list[tuple[str, bytes]] = [
        (f"{stem}.pdf", pdf),
        (
            f"{stem}-fhir-r4.json",
            json.dumps(bundle, ensure_ascii=False, indent=1).encode("utf-8"),
        ),
        *((d.file_name, d.content) for d in copy.documents if d.intact),
    ]
    lines = [
        _(
            "Copy of the record %(number)s, made %(when)s.",
            number=copy.patient.record_number,
            when=format_datetime(made_at, "medium"),
        ),
        _("Each file with its SHA-256 fingerprint:"),
        "",
        *(f"{hashlib.sha256(content).hexdigest()}  {name}" for name, content in files),
        "",
    ]
    stamp = to_user_timezone(made_at).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in [*files, ("contents.txt", "\n".join(lines).encode("utf-8"))]:
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
