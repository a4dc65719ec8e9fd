"""URL converters: ids in URLs stay within the database's integer range."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

# PostgreSQL's integer column: a larger id cannot exist, and SQLite raises OverflowError at
# 2**63 while PostgreSQL raises "out of range"; either would be a 500 instead of a 404.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` limited to 0 .. MAX_ID, so an absurd id is an ordinary 404."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def init_routing(app: Flask) -> None:
    """Make every `<int:...>` URL argument a bounded id (before blueprints add routes)."""
    app.url_map.converters["int"] = IdConverter
