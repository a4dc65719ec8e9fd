"""URL converters and request values: ids and numbers stay within the database's range.

One shared place for what no field should have to remember (finding 6 of the outside test):
every `<int:...>` URL argument is a bounded id, every form and query value arrives without
NUL characters (PostgreSQL refuses them in text, and a NUL in a login's address or a filter
would otherwise reach a query), and `request.args.get(..., type=int)` gives the default for
a number outside the integer range instead of a value the database cannot hold.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import Flask, Request, abort, request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter, Map

# PostgreSQL's integer column: a larger id cannot exist, and SQLite raises OverflowError at
# 2**63 while PostgreSQL raises "out of range"; either would be a 500 instead of a 404.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` limited to 0 .. MAX_ID, so an absurd id is an ordinary 404."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def _without_nul(value: Any) -> Any:
    return value.replace("\x00", "") if isinstance(value, str) else value


def _pairs(mapping: Any) -> Iterable[tuple[Any, Any]]:
    if mapping is None:
        return ()
    if isinstance(mapping, MultiDict):
        return mapping.items(multi=True)
    if isinstance(mapping, Mapping):
        return mapping.items()
    return mapping  # type: ignore[no-any-return]


class RequestValues(ImmutableMultiDict):  # type: ignore[type-arg]
    """Form and query values as sent, less NUL characters; integers read within range."""

    def __init__(self, mapping: Any = None) -> None:
        super().__init__([(_without_nul(k), _without_nul(v)) for k, v in _pairs(mapping)])

    def get(self, key: Any, default: Any = None, type: Any = None) -> Any:  # type: ignore[override]
        value = super().get(key, default, type)
        if type is int and isinstance(value, int) and not -MAX_ID <= value <= MAX_ID:
            return default
        return value


class BoundedRequest(Request):
    """The request every view reads: its args and form are RequestValues."""

    parameter_storage_class = RequestValues


# Set on the environ of a body that went past MAX_CONTENT_LENGTH without a Content-Length.
TOO_LARGE_KEY = "therapy.body_too_large"
_READ_SIZE = 64 * 1024


class BodyLimit:
    """WSGI middleware: a body without Content-Length (Transfer-Encoding: chunked) is held to
    the same limit as one with it.

    Werkzeug reads such a body only up to the limit and stops there without a word, so a
    5 MB chunked post was cut at 4 MiB and processed. Here the body is read up to one byte
    past the limit: within it, the app gets it whole with its length; past it, the app gets
    an empty body and the request is answered with the 413 page (`refuse_too_large`), without
    reading the rest (a 12 MB post no longer holds a worker while it trickles in).
    """

    def __init__(self, wsgi_app: Callable[..., Any], limit: Callable[[], int | None]) -> None:
        self.wsgi_app, self.limit = wsgi_app, limit

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        limit = self.limit()
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if limit is not None and not environ.get("CONTENT_LENGTH") and chunked:
            body = io.BytesIO()
            stream = environ["wsgi.input"]
            while body.tell() <= limit:
                chunk = stream.read(min(_READ_SIZE, limit + 1 - body.tell()))
                if not chunk:
                    break
                body.write(chunk)
            if body.tell() > limit:
                environ[TOO_LARGE_KEY] = True
                body = io.BytesIO()
                _discard(stream, _DRAIN_LIMIT_FACTOR * limit)
            environ["CONTENT_LENGTH"] = str(body.tell())
            environ["wsgi.input"] = io.BytesIO(body.getvalue())
            environ.pop("HTTP_TRANSFER_ENCODING", None)
            environ.pop("wsgi.input_terminated", None)
        return self.wsgi_app(environ, start_response)


# How much of an oversized body is read and thrown away, so the client (the buffering proxy)
# sees the 413 instead of a reset connection; a body larger than that is not read on.
_DRAIN_LIMIT_FACTOR = 4


def _discard(stream: Any, most: int) -> None:
    read = 0
    while read < most:
        chunk = stream.read(_READ_SIZE)
        if not chunk:
            return
        read += len(chunk)


def refuse_too_large() -> None:
    """The first check of every request: a body found too large gets the ordinary 413."""
    if request.environ.get(TOO_LARGE_KEY):
        abort(413)


def init_routing(app: Flask) -> None:
    """Make every `<int:...>` URL argument a bounded id (before blueprints add routes), every
    request's values free of NUL and out-of-range integers, and every body within the limit
    whatever its framing."""
    app.url_map.converters["int"] = IdConverter
    app.request_class = BoundedRequest
    app.wsgi_app = BodyLimit(  # type: ignore[method-assign]
        app.wsgi_app, lambda: app.config.get("MAX_CONTENT_LENGTH")
    )
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_too_large)
