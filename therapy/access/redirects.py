"""Where a login may send the browser afterwards: only back into this app."""

from __future__ import annotations

from urllib.parse import urlsplit


def is_local_path(target: str | None) -> bool:
    """True for a path on this site, such as ``/patients/3``; false for any other URL.

    Following an unchecked ``next=`` after login is an open redirect: ``//evil.example`` and
    ``/\\evil.example`` look like paths but browsers treat them as other hosts.
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if any(ord(char) < 32 for char in target) or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
