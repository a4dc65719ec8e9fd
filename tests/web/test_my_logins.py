"""My logins: a person sees their active logins and ends the others (ASVS 3.3.4, finding 11)."""

from __future__ import annotations

from tests.conftest import csrf_token_from
from tests.factories import make_user

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

    ended = desk.post("/account/logins/end-others", data={"csrf_token": csrf_token_from(page.text)})
    assert ended.status_code == 302
    assert "logins ended: 1" in desk.get(ended.headers["Location"]).text
    # The phone's cookie no longer works; the desk and the other account carry on.
    assert phone.get("/").headers["Location"].startswith("/login")
    assert desk.get("/").status_code == 200 and theirs.get("/").status_code == 200
    after = desk.get("/account/logins").text
    assert "Safari on iPhone" not in after and "198.51.100.20" not in after
    assert "/account/logins/end-others" not in after  # nothing else left to end
