"""Download headers that every server can send: Content-Disposition per RFC 6266 and 5987.

HTTP headers are Latin-1 on the wire (WSGI insists); a file name with a Greek or Cyrillic
record number ("ΑΒΓ-1") made gunicorn drop the connection and the development server raise
UnicodeEncodeError, after the audit trail had noted the export. The name therefore travels
twice: an ASCII fallback in `filename` for old clients, and the exact name, UTF-8 and
percent-encoded, in `filename*`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TypeVar
from urllib.parse import quote

from werkzeug.wrappers import Response

R = TypeVar("R", bound=Response)

# What may stand in a quoted filename without escaping: printable ASCII less quote and
# backslash (and the percent sign, which some browsers decode).
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9 !#$&\'()*+,\-.;=@\[\]^_`{}~]")


def ascii_fallback(name: str) -> str:
    """The name in ASCII: accents dropped, anything else unsafe as an underscore."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _UNSAFE_ASCII.sub("_", letters.encode("ascii", "replace").decode("ascii"))


def content_disposition(name: str) -> str:
    """`attachment` with the file name as RFC 6266 asks: always sendable as Latin-1."""
    fallback = ascii_fallback(name)
    if fallback == name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def as_attachment(response: R, name: str) -> R:
    """Mark a response as a download named `name`."""
    response.headers["Content-Disposition"] = content_disposition(name)
    return response


def sendable(response: Response) -> bool:
    """True when every header can go on the wire (WSGI headers are Latin-1)."""
    try:
        for key, value in response.headers.items():
            key.encode("latin-1")
            value.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True
