"""The Dutch catalogue: every marked string has a Dutch translation with the same placeholders.

The strings are extracted from the code afresh (as `make messages` does), so a string added
anywhere without its Dutch translation fails here, not in front of a Dutch therapist.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
DUTCH = ROOT / "therapy" / "translations" / "nl" / "LC_MESSAGES" / "messages.po"
# %(name)s / %(num)d, a bare %s or %d, and the {name} templates the JavaScript fills in.
# A string marked for translation in a template: _('…'), gettext("…"), ngettext('…', …).
MARKED = re.compile(r"""\b(?:_|gettext|ngettext|pgettext)\(\s*['"]""")
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[sdfr]|%[sdfr]|\{[A-Za-z_]+\}")


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The strings the code marks today, extracted by Babel with the project's babel.cfg."""
    template = tmp_path_factory.mktemp("catalogue") / "messages.pot"
    pybabel = str(Path(sys.executable).parent / "pybabel")
    keywords = ["-k", "_l", "-k", "lazy_gettext"]
    # As the Makefile says: Babel's own default skips every folder whose name starts with an
    # underscore, templates/_macros (the error summary, the pager) among them.
    folders = ["--ignore-dirs", ".* __pycache__"]
    output = ["-o", str(template), "."]
    subprocess.run(
        [pybabel, "-q", "extract", "-F", "babel.cfg", *keywords, *folders, *output],
        cwd=ROOT,
        check=True,
    )
    with template.open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def dutch() -> Catalog:
    with DUTCH.open("rb") as handle:
        return read_po(handle, locale="nl")


def test_every_marked_string_has_a_dutch_translation(extracted: Catalog, dutch: Catalog) -> None:
    missing = []
    for message in extracted:
        if not message.id:
            continue
        translated = dutch.get(message.id, message.context)
        strings = translated.string if translated else None
        forms = strings if isinstance(strings, tuple | list) else (strings,)
        if translated is None or translated.fuzzy or not all(forms):
            missing.append(message.id)
    assert not missing, f"{len(missing)} strings without a Dutch translation: {missing[:20]}"


def test_every_template_that_marks_a_string_is_read(extracted: Catalog) -> None:
    read = {path for message in extracted for path, _line in message.locations}
    marking = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "templates").rglob("*.html")
        if MARKED.search(path.read_text(encoding="utf-8"))
    }
    assert marking and not marking - read, sorted(marking - read)


def test_dutch_keeps_every_placeholder(dutch: Catalog) -> None:
    wrong = []
    for message in dutch:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        expected = _placeholders(ids[-1])
        for string in strings:
            # A singular may leave out the count ("één item"), never anything else.
            found = _placeholders(string)
            if found != expected and [p for p in expected if "num" not in p] != found:
                wrong.append((ids[0], string))
    assert not wrong, wrong[:10]


def test_the_catalogue_has_no_translation_the_code_no_longer_asks_for(
    extracted: Catalog, dutch: Catalog
) -> None:
    """A stale entry means `make messages` was not run after a string changed."""
    stale = [m.id for m in dutch if m.id and extracted.get(m.id, m.context) is None]
    assert not stale, stale[:20]


def test_the_clinical_words_are_those_of_domain_md(dutch: Catalog) -> None:
    """A few terms a Dutch therapist and GP must read exactly so (DOMAIN.md §7)."""
    expected = {
        "Reliably improved": "Betrouwbaar verbeterd",
        "Reliably deteriorated": "Betrouwbaar verslechterd",
        "Unchanged": "Onveranderd",
        "Minimal": "Minimaal",
        "Medium": "Gemiddeld",
        "High": "Hoog",
        "Not bothered at all": "Geen last",
        "Bothered a little": "Een beetje last",
        "Bothered a lot": "Veel last",
        "Not applicable": "Niet van toepassing",
        "During the past 4 weeks, how much have you been bothered by any of the following "
        "problems?": "Hoeveel last heeft u in de afgelopen 4 weken gehad van de volgende klachten?",
    }
    found = {
        english: (dutch.get(english).string if dutch.get(english) else None) for english in expected
    }
    assert found == expected
