"""Deny by default: every endpoint needs a logged-in account unless it is listed here."""

from __future__ import annotations

from flask import Flask, Response, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from therapy.extensions import db, login_manager
from therapy.models import User

# The only endpoints an anonymous visitor may reach.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "static"})

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


@login_manager.user_loader
def load_user(cookie_id: str) -> User | None:
    """Load the account named in the cookie if its session token is still current."""
    user_id, _, token = cookie_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_token != token:
        return None
    return user


def require_login() -> BaseResponse | None:
    """Send anonymous visitors to the login page, remembering where they were going."""
    if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
        return None
    if request.endpoint is None:
        return None  # an unknown URL: let it be an ordinary 404 page
    target = request.full_path if request.method == "GET" else None
    return redirect(url_for("auth.login", next=target.rstrip("?") if target else None))


def set_security_headers(response: Response) -> Response:
    """Headers on every response, error pages included."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.endpoint != "static":
        # Patient data must not linger in a shared clinic computer's browser cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def init_security(app: Flask) -> None:
    """Install the login gate and the response headers."""
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    app.before_request(require_login)
    app.after_request(set_security_headers)
