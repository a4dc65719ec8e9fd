"""My logins: a person sees their active logins and ends the others (ASVS 3.3.4, finding 11)."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.factories import PASSWORD, make_user
from therapy.extensions import db
from therapy.models import AuditEvent
from therapy.models.enums import AuditOutcome

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


def test_a_user_sees_their_logins_and_ends_the_others(app, login) -> None:
    user = make_user()
    stranger = make_user()
    desk, phone, theirs = app.test_client(), app.test_client(), app.test_client()
    desk.environ_base.update(HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="192.0.2.10")
    phone.environ_base.update(HTTP_USER_AGENT=IPHONE, REMOTE_ADDR="198.51.100.20")
    theirs.environ_base.update(HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="203.0.113.99")
    login(user, test_client=desk)
    login(user, test_client=phone)
    login(stranger, test_client=theirs)

    page = desk.get("/account/logins")
    assert page.status_code == 200
    assert "Firefox on Windows" in page.text and "Safari on iPhone" in page.text
    assert "192.0.2.10" in page.text and "198.51.100.20" in page.text
    assert "203.0.113.99" not in page.text  # another account's login is not listed
    assert "this browser" in page.text

    ended = desk.post(
        "/account/logins/end-others",
        data={"csrf_token": csrf_token_from(page.text), "password": PASSWORD},
    )
    assert ended.status_code == 302
    assert "logins ended: 1" in desk.get(ended.headers["Location"]).text
    # The phone's cookie no longer works; the desk and the other account carry on.
    assert phone.get("/").headers["Location"].startswith("/login")
    assert desk.get("/").status_code == 200 and theirs.get("/").status_code == 200
    after = desk.get("/account/logins").text
    assert "Safari on iPhone" not in after and "198.51.100.20" not in after
    assert "/account/logins/end-others" not in after  # nothing else left to end


def test_ending_the_others_asks_for_the_password_again(app, login) -> None:
    """A copied cookie alone cannot log the owner out everywhere else (finding 11)."""
    user = make_user()
    desk, phone = app.test_client(), app.test_client()
    login(user, test_client=desk)
    login(user, test_client=phone)
    url = "/account/logins/end-others"

    def post(password: str | None):
        token = csrf_token_from(desk.get("/account/logins").text)
        data = (
            {"csrf_token": token}
            if password is None
            else {"csrf_token": token, "password": password}
        )
        return desk.post(url, data=data)

    missing = post(None)
    assert missing.status_code == 200 and "Your password" in missing.text
    wrong = post("not the password at all")
    assert wrong.status_code == 200 and "This password is not correct." in wrong.text
    assert phone.get("/").status_code == 200  # nothing was ended
    failed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.outcome == AuditOutcome.FAILED)
    ).all()
    assert any("end other logins" in event.detail for event in failed)

    right = post(PASSWORD)
    assert right.status_code == 302
    assert phone.get("/").headers["Location"].startswith("/login")
    assert desk.get("/").status_code == 200


def test_the_password_check_is_throttled_like_the_login(app, login) -> None:
    """Five wrong passwords a minute, then even the right one is refused for a while."""
    user = make_user()
    desk, phone = app.test_client(), app.test_client()
    login(user, test_client=desk)
    login(user, test_client=phone)
    answers = []
    for password in [f"wrong password {n}" for n in range(5)] + [PASSWORD]:
        token = csrf_token_from(desk.get("/account/logins").text)
        page = desk.post(
            "/account/logins/end-others", data={"csrf_token": token, "password": password}
        )
        answers.append(page.status_code)
        if password == PASSWORD:
            assert "Too many attempts" in page.text
    assert answers == [200] * 6  # none of them ended anything
    assert phone.get("/").status_code == 200
