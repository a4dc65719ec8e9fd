"""The documents look the same on a server without a single font installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.factories import make_user
from tests.web.documents_seed import seed_reported_episode
from tests.web.pdf_text import font_names, page_texts
from therapy.extensions import db
from therapy.models import Document, TreatmentEpisode
from therapy.models.enums import DocumentKind
from therapy.pdf.render import render_pdf
from therapy.services.documents.current import draft_output
from therapy.services.documents.gather import EPISODE_LOAD_OPTIONS
from therapy.services.documents.produce import document_css, document_html

_EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""
_RENDER = """
import sys
from pathlib import Path
from therapy.pdf.render import render_pdf
folder = Path(sys.argv[1])
pdf = render_pdf((folder / "doc.html").read_text(), (folder / "doc.css").read_text())
(folder / "bare.pdf").write_bytes(pdf)
"""


def test_report_renders_identically_without_any_host_font(app, tmp_path: Path) -> None:
    episode = seed_reported_episode(make_user())
    db.session.flush()
    document = Document(
        episode_id=episode.id, kind=DocumentKind.TREATMENT_REPORT, author_id=episode.therapist_id
    )
    db.session.add(document)
    db.session.commit()
    loaded = db.session.get(TreatmentEpisode, episode.id, options=EPISODE_LOAD_OPTIONS)
    with app.test_request_context():
        html = document_html(*draft_output(document, loaded))
        css = document_css()
    (tmp_path / "doc.html").write_text(html)
    (tmp_path / "doc.css").write_text(css)
    here = render_pdf(html, css)
    (tmp_path / "here.pdf").write_bytes(here)

    config = tmp_path / "fonts.conf"
    config.write_text(_EMPTY_FONTCONFIG.format(cache=tmp_path / "fc-cache"))
    env = os.environ | {"FONTCONFIG_FILE": str(config)}
    bare_run = subprocess.run(
        [sys.executable, "-W", "always", "-c", _RENDER, str(tmp_path)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    # WeasyPrint's own check of the font configuration: the subprocess had no fonts at all.
    assert "No fonts configured in FontConfig" in bare_run.stderr
    bare = (tmp_path / "bare.pdf").read_bytes()
    assert page_texts(bare) == page_texts(here)
    assert font_names(tmp_path / "bare.pdf") == font_names(tmp_path / "here.pdf")
    assert all(name.startswith("Report-Sans") for name in font_names(tmp_path / "here.pdf"))
