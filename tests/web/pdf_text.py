"""Reading PDFs in tests: page text with WeasyPrint's hyphenation undone, attachments, fonts."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

from pypdf import PdfReader

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
_HYPHENS = "\u2010\u00ad"


def normalise(text: str) -> str:
    """One line of text: hyphenation at line ends removed, U+2010 as '-', spaces collapsed."""
    text = re.sub(f"[{_HYPHENS}]\\s*\\n\\s*", "", text)
    text = text.replace("\u2010", "-").replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


def page_texts(pdf: bytes) -> list[str]:
    """The normalised text of every page."""
    reader = PdfReader(io.BytesIO(pdf))
    return [normalise(page.extract_text() or "") for page in reader.pages]


def embedded_files(pdf: bytes) -> int:
    """Files embedded in the PDF, as attachments of the document or of annotations."""
    reader = PdfReader(io.BytesIO(pdf))
    count = len(reader.attachments)
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            if annotation.get_object().get("/Subtype") == "/FileAttachment":
                count += 1
    return count


def font_names(pdf_path: Path) -> set[str]:
    """The base names of the fonts embedded in a PDF, by poppler's pdffonts."""
    output = subprocess.run(
        ["pdffonts", str(pdf_path)], check=True, capture_output=True, text=True
    ).stdout
    names = set()
    for line in output.splitlines()[2:]:
        name = line.split()[0]
        names.add(name.split("+", 1)[-1])  # drop the subset tag, e.g. "ABCDEF+"
    return names


def first_page_png(pdf: bytes, stem: str) -> Path:
    """Render page 1 to test-artifacts/<stem>-1.png with poppler, for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    pdf_path = ARTIFACTS / f"{stem}.pdf"
    pdf_path.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "100",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf_path),
            str(ARTIFACTS / stem),
        ],
        check=True,
    )
    return ARTIFACTS / f"{stem}-1.png"
