"""Filters applied to typed text before validation: what is stored is what was meant."""

from __future__ import annotations

import re

# C0 controls and DEL, except tab and newline; NUL in particular is refused by PostgreSQL.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str | None) -> str | None:
    """Normalise line endings, drop control characters and trim the ends of typed text.

    Unicode letters, right-to-left text and its direction marks are kept as typed.
    """
    if value is None:
        return None
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARACTERS.sub("", value).strip()
