"""Deny by default: every endpoint needs a full (two-factor) login unless it is listed here.

The browser's session cookie is signed by Flask and names a server-side login session by a
random id (therapy.services.accounts.login_sessions); nothing else about the login lives in it. A
password-only login reaches the second step and logout, nothing more. A locked login (the
screen lock, 15 minutes idle) reaches the unlock form, the keep-alive question and logout;
every other page answers with the lock screen, so no tab of that login gets patient data.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import (
    Flask,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response as BaseResponse

from therapy.extensions import db, login_manager
from therapy.forms.guard import keep_post_for, keep_post_of_ended_login, unsent_text_page
from therapy.i18n.locale import remember_practice_language, use_language
from therapy.i18n.translation import gettext as _
from therapy.models import User, UserSession
from therapy.services.accounts import login_sessions
from therapy.services.accounts.login_sessions import EndReason, Timeouts

# The only endpoints an anonymous visitor may reach.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "static"})
# The patient's own pages (therapy.self_report): reached by a personal link without any login,
# or on a device handed over; each view checks the link or the hand-over itself.
PATIENT_ENDPOINTS = frozenset(
    {
        "self_report.link_open",
        "self_report.phq15",
        "self_report.psfs",
        "self_report.checkin",
        "self_report.review",
        "self_report.submit",
        "self_report.thanks",
        "self_report.language",
    }
)
# While a login is handed over to a patient: the patient's pages, and the way back (which
# asks for the therapist's password). Every other endpoint is refused.
HANDOVER_ENDPOINTS = PATIENT_ENDPOINTS | {"self_report.handover_return", "static"}
# What a password-only (half-logged-in) session may reach besides the public endpoints.
SECOND_STEP_ENDPOINTS = frozenset({"auth.two_factor", "auth.enrol", "auth.logout"})
# What a full login that must first replace an administrator-known password may reach; the
# keep-alive ping reveals nothing and keeps the password page's session from expiring.
PASSWORD_CHANGE_ENDPOINTS = frozenset({"auth.password", "auth.logout", "auth.keep_alive"})
# What a locked login may reach: unlocking, asking how the login stands, logging out.
LOCKED_ENDPOINTS = frozenset({"auth.unlock", "auth.keep_alive", "auth.logout"})
SESSION_KEY = "sid"
# session.js sends this header on the keep-alive endpoint to ask how long the session has left
# without the question counting as activity (it would otherwise extend an idle session).
STATUS_ONLY_HEADER = "X-Session-Status-Only"

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


@dataclass(frozen=True)
class LoginState:
    """Who this request belongs to: nobody, a password-only login, or a full login."""

    record: UserSession | None = None
    user: User | None = None
    locked: bool = False  # a full login idle for the lock time, until the password is given

    @property
    def verified(self) -> bool:
        """Both factors given."""
        return self.record is not None and self.record.is_verified

    @property
    def pending(self) -> bool:
        """Password given, second factor not yet."""
        return self.record is not None and not self.record.is_verified


def timeouts() -> Timeouts:
    """The session limits from the app's configuration."""
    config = current_app.config
    return Timeouts(
        idle=int(config["SESSION_IDLE_TIMEOUT"]),
        absolute=int(config["SESSION_ABSOLUTE_TIMEOUT"]),
        second_step=int(config["SESSION_SECOND_STEP_TIMEOUT"]),
        touch_every=int(config["SESSION_TOUCH_SECONDS"]),
        lock=int(config["SESSION_LOCK_SECONDS"]),
    )


def current_login() -> LoginState:
    """This request's login, looked up once from the cookie's session id."""
    if "login_state" not in g:
        limits = timeouts()
        found = login_sessions.find_session(session.get(SESSION_KEY), limits)
        if found.ended is not None:
            session.pop(SESSION_KEY, None)
            g.login_ended = found.ended
            g.login_ended_user_id = found.ended_user_id
        locked = found.record is not None and login_sessions.is_locked(found.record, limits)
        g.login_state = LoginState(found.record, found.user, locked)
        if found.user is not None:
            _speak_the_accounts_language(found.user, found.practice_language)
    state: LoginState = g.login_state
    return state


def _speak_the_accounts_language(user: User, practice_language: str | None) -> None:
    """The rest of the request in the account's language, else the practice's."""
    remember_practice_language(practice_language)
    use_language(user.language or practice_language)


def begin_login(token: str) -> None:
    """Put a new session id in the cookie; nothing from before the login survives."""
    session.clear()
    session[SESSION_KEY] = token
    g.pop("login_state", None)


def forget_login() -> None:
    """Clear the cookie's session (the server-side row is ended by the caller)."""
    session.clear()
    g.login_state = LoginState()


@login_manager.user_loader
def _no_cookie_users(_user_id: str) -> None:
    """Flask-Login's own cookie login is not used: logins live in user_session."""
    return None


@login_manager.request_loader
def _user_from_login_session(_request: object) -> User | None:
    """current_user is the account of a full login, and anonymous otherwise."""
    state = current_login()
    return state.user if state.verified else None


def track_login() -> None:
    """Look up the login and count this request as activity (committed at once)."""
    if request.endpoint == "static":
        return
    state = current_login()
    # The keep-alive ping of a long form is activity by definition: always written; asking
    # only how long the login has left is not activity at all.
    status_only = request.endpoint == "auth.keep_alive" and STATUS_ONLY_HEADER in request.headers
    explicit = request.endpoint == "auth.keep_alive" and not status_only
    # Idle for the lock time: the lock is written, so every tab of the login sees it.
    locked_now = state.record is not None and login_sessions.lock_if_idle(state.record, timeouts())
    touched = (
        state.record is not None
        and not status_only
        and login_sessions.touch(state.record, timeouts(), force=explicit)
    )
    if locked_now or touched or g.get("login_ended"):
        db.session.commit()


def require_login() -> BaseResponse | tuple[str, int] | None:
    """Send each visitor to the step of the login they still need."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in PUBLIC_ENDPOINTS:
        return None  # an unknown URL is an ordinary 404 page
    state = current_login()
    if state.verified:
        if state.locked and endpoint not in LOCKED_ENDPOINTS:
            return lock_screen(state)
        return None
    if endpoint in PATIENT_ENDPOINTS:
        return None
    if state.pending:
        if endpoint in SECOND_STEP_ENDPOINTS:
            return None
        return redirect(url_for("auth.two_factor"))
    if g.get("login_ended") in (EndReason.IDLE, EndReason.ABSOLUTE):
        kept = keep_post_of_ended_login(g.get("login_ended_user_id"))
        if kept is not None:
            return kept
    unsent = unsent_text_page()
    if unsent is not None:
        return unsent
    if g.get("login_ended") in (EndReason.IDLE, EndReason.ABSOLUTE):
        flash(_("You were logged out because your session ended. Please log in again."), "info")
    target = request.full_path if request.method == "GET" else None
    return redirect(url_for("auth.login", next=target.rstrip("?") if target else None))


def handed_over_request_id() -> int | None:
    """The request a patient answers on this login's device, while it is handed over."""
    state = current_login()
    if not state.verified or state.record is None:
        return None
    return state.record.handover_request_id


def require_handover_only() -> tuple[str, int] | None:
    """While the device is handed to a patient, refuse everything but the patient's pages."""
    if handed_over_request_id() is None or request.endpoint in HANDOVER_ENDPOINTS:
        return None
    return render_template("self_report/refused.html"), 403


def lock_screen(state: LoginState) -> tuple[str, int]:
    """The lock screen instead of the page (423 Locked): no patient data for a locked login.

    A clinical form posted to it is kept as the account's draft and offered back after
    unlocking; a page asked for is shown again after unlocking.
    """
    kept = keep_post_for(state.user.id if state.user is not None else None)
    if kept is not None:
        target = kept
    elif request.method == "GET":
        target = request.full_path.rstrip("?")
    else:
        target = ""
    return render_template("auth/locked.html", next=target, kept=kept is not None), 423


def require_own_password() -> BaseResponse | None:
    """Hold a login on the password page while an administrator may know its way in."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in PUBLIC_ENDPOINTS or endpoint in PASSWORD_CHANGE_ENDPOINTS:
        return None
    state = current_login()
    if state.verified and state.user is not None and state.user.must_change_password:
        flash(_("Choose your own password before you continue."), "info")
        return redirect(url_for("auth.password"))
    return None


def set_security_headers(response: Response) -> Response:
    """Headers on every response, error pages included."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    # A page whose address has a query (a caseload search's patient name, a filter) gives
    # what follows from it only the origin as Referer, so no log of the app or its proxy
    # keeps the query twice; Flask-WTF's HTTPS check still sees a same-origin Referer.
    response.headers["Referrer-Policy"] = "strict-origin" if request.query_string else "same-origin"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.endpoint != "static":
        # Patient data must not linger in a shared clinic computer's browser cache.
        response.headers["Cache-Control"] = "no-store"
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    return response


def session_seconds_left() -> int:
    """Seconds this login has left, idle and 12-hour limits both counted (for session.js)."""
    record = current_login().record
    return 0 if record is None else login_sessions.seconds_left(record, timeouts())


def session_lock_seconds_left() -> int:
    """Seconds until this login's screen locks without activity (for session.js)."""
    record = current_login().record
    return 0 if record is None else login_sessions.seconds_until_lock(record, timeouts())


def init_security(app: Flask) -> None:
    """Install the login lookup, the login gate, the response headers and the session clock."""
    app.jinja_env.globals["session_seconds_left"] = session_seconds_left
    app.jinja_env.globals["session_lock_seconds_left"] = session_lock_seconds_left
    login_manager.login_view = "auth.login"
    # Fixation and theft are handled by server-side sessions with a new id at every login.
    login_manager.session_protection = None
    app.before_request(track_login)
    app.before_request(require_login)
    app.before_request(require_handover_only)
    app.before_request(require_own_password)
    app.after_request(set_security_headers)
