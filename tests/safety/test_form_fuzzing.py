"""Every clinical form fuzzed with hypothesis: never a 500, and no invalid row stored.

Each example takes one form and replaces some of its fields by hostile values: huge,
negative and out-of-range numbers, dates in year 1 and 9999, NUL and control characters,
right-to-left text, emoji, very long text. The answer must be the form again, a redirect after
a save, or a refusal (400, 404, 409, 413); afterwards no table may hold a value no form
allows.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import figures
from tests.conftest import csrf_token_from
from tests.safety.invariants import invalid_values
from tests.web.test_fuzz import FUZZ_LINE, fuzz_targets, make_fuzz_world

EXAMPLES = 250
ANSWERED = {200, 302, 400, 404, 409, 413}

numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["-1", "0", "11", "241", "2147483648", "9" * 400, "1e9", "3.5", "NaN", ""]),
)
dates = st.sampled_from(
    ["0001-01-01", "9999-12-31", "1899-12-31", "2026-02-30", "31-12-2026", "2026-13-01", ""]
)
texts = st.one_of(
    st.text(max_size=40),  # any code point: NUL and control characters, surrogates excluded
    st.text(alphabet="\u202e\u202b\u200f\u0627\u05d0😀👩‍⚕️\x00\x1b\t\n", max_size=60),
    st.integers(min_value=4_000, max_value=70_000).map(lambda n: "long text " * (n // 10)),
)
hostile = st.one_of(numbers, dates, texts)


def test_every_clinical_form_under_hypothesis(app, login, client) -> None:
    world = make_fuzz_world()
    login(world[0])
    targets = fuzz_targets(world)
    token = csrf_token_from(client.get(targets[0][0]).text)
    answers: dict[int, int] = {}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def post_something(data: st.DataObject) -> None:
        url, valid = data.draw(st.sampled_from(targets), label="form")
        names = data.draw(
            st.lists(st.sampled_from(sorted(valid)), min_size=1, max_size=6, unique=True)
        )
        posted = {**valid, **{name: data.draw(hostile, label=name) for name in names}}
        status = client.post(url, data={"csrf_token": token, **posted}).status_code
        answers[status] = answers.get(status, 0) + 1
        assert status in ANSWERED, (url, {n: str(posted[n])[:40] for n in names}, status)

    post_something()
    assert not invalid_values()
    errors = answers.get(500, 0)
    figures.report_sum("fuzz", FUZZ_LINE, submissions=sum(answers.values()), errors=errors)
