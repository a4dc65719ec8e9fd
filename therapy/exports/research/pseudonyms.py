"""Keyed pseudonyms (HMAC-SHA-256): the same key gives the same pseudonym in every export.

The key comes from the environment (RESEARCH_PSEUDONYM_KEY), never from the database, so
someone holding the data set and the database still cannot link them without it.
"""

from __future__ import annotations

import hashlib
import hmac
import os

KEY_VARIABLE = "RESEARCH_PSEUDONYM_KEY"
MIN_KEY_LENGTH = 32
PSEUDONYM_HEX = 24  # 96 bits: no collisions in any practice's lifetime


class MissingPseudonymKey(RuntimeError):
    """No usable key in the environment: the research export refuses to run."""


def key_from_environment(environ: dict[str, str] | None = None) -> bytes:
    """The pseudonymisation key, or MissingPseudonymKey with what to do about it."""
    value = (os.environ if environ is None else environ).get(KEY_VARIABLE, "")
    if len(value) < MIN_KEY_LENGTH:
        raise MissingPseudonymKey(
            f"{KEY_VARIABLE} is not set (or shorter than {MIN_KEY_LENGTH} characters). "
            "The research data set is pseudonymised with this key; set it in the server's "
            "environment, keep it apart from the database and its backups, and keep using the "
            "same key for pseudonyms that match across exports."
        )
    return value.encode("utf-8")


class Pseudonymiser:
    """Turns record ids into pseudonyms with one key; a kind keeps patients and episodes apart."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def of(self, kind: str, record_id: int) -> str:
        """The pseudonym of one record ("patient", "episode" or "therapist" and its id)."""
        message = f"{kind}:{record_id}".encode("ascii")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:PSEUDONYM_HEX]
