"""The forms a page offers, read from its HTML as a browser would submit them."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin


@dataclass
class PageForm:
    """One <form>: where it goes, how, and the values a browser would send untouched."""

    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            action = urljoin(self.url, a.get("action") or self.url)
            self._form = PageForm(action, (a.get("method") or "get").upper())
            self.forms.append(self._form)
            return
        form, name = self._form, a.get("name")
        if form is None or not name:
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a or name not in form.fields:
                    form.fields.setdefault(name, a.get("value", "on"))
            elif kind in ("submit", "button", "file"):
                form.fields.setdefault(name, a.get("value", ""))
            else:
                form.fields[name] = a.get("value", "")
        elif tag == "button" and a.get("type", "submit") == "submit":
            form.fields.setdefault(name, a.get("value", ""))
        elif tag == "select":
            self._select = name
            form.fields.setdefault(name, "")
        elif tag == "option" and self._select is not None and form is not None:
            if "selected" in a or not form.fields.get(self._select):
                form.fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            form.fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea is not None:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_on(url: str, html: str) -> list[PageForm]:
    """Every form of a page, its fields holding what the page filled in."""
    parser = _FormParser(url)
    parser.feed(html)
    return parser.forms
