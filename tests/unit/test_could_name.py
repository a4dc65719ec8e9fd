"""Which searches could have looked for a destroyed patient, and so lose their query text."""

from __future__ import annotations

import pytest

from therapy.audit.destruction import PatientIdentity, could_name

ZOE = PatientIdentity(
    given_name="Zoë",
    family_name="van den Berg",
    record_number="P-1001",
    email="zoe@example.nl",
    phone="030 123 45 67",
    bsn="111222333",
)


@pytest.mark.parametrize(
    "query",
    [
        "berg",  # the caseload search finds her: a word inside the family name
        "ZOE",  # without case and accents
        "zoë van",  # every word matches one of her fields
        "p-1001",  # the record number
        "van den Berg Utrecht",  # her name inside a longer query
        "zoe@example.nl",
        "0301234567",  # her phone number, by its digits
        "111 222 333",  # her BSN
    ],
)
def test_a_search_that_could_name_her_is_blanked(query: str) -> None:
    assert could_name(query, ZOE)


@pytest.mark.parametrize("query", ["Jansen", "P-2002", "bergen op zoom", "", "   ", "030"])
def test_a_search_for_someone_else_keeps_its_text(query: str) -> None:
    assert not could_name(query, ZOE)


def test_a_short_name_counts_as_a_whole_word_only() -> None:
    li = PatientIdentity(given_name="Li", family_name="Wu", record_number="R1")
    assert could_name("li", li) and could_name("Wu Amsterdam", li)
    assert not could_name("Lisa de Vries", li)
