"""The password policy of SECURITY.md promise 2: length, any Unicode, common passwords."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from therapy.services.accounts.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    choose_hasher,
    common_passwords,
    hash_password,
    password_problems,
    verify_password,
)


@pytest.fixture(autouse=True)
def _app_context(app):
    """Messages are translated, which needs the app."""
    return app


def test_the_shipped_list_is_a_real_list_of_thousands() -> None:
    listed = common_passwords()
    assert len(listed) >= 5000
    assert {"123456", "password", "qwerty", "iloveyou"} <= listed
    assert all(word == word.casefold() for word in listed)


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "Zeven zachte zeeën zingen 2026",
        "ĳsbeer-ğüş-日本語-wachtwoord",
        "مرحبا بالعالم والسلام",
        "x" * 3 + "y" * 3 + "z1-éèà",
        "a" * 5 + "bcdefghijk" + "é" * (MAX_LENGTH - 15),
    ],
)
def test_long_unusual_passwords_in_any_script_are_accepted(password: str) -> None:
    assert password_problems(password) == []


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("short-pass1", "at least 12"),
        ("x" * (MAX_LENGTH + 1), "at most 128"),
        (" leading space here", "space"),
        ("with\x00nul character", "control"),
        ("password123456", "too common"),
        ("Password2024!!", "too common"),
        ("1qaz2wsx3edc", "too common"),
        ("iloveyou iloveyou", "too common"),
        ("aaaaaaaaaaaaaaaa", "too common"),
        ("abcabcabcabcabc", "too common"),
        ("1q2w3e4r5t6y", "too common"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password: str, fragment: str) -> None:
    problems = password_problems(password)
    assert problems, password
    assert fragment in " ".join(problems)


def test_length_counts_characters_not_bytes_and_is_normalised() -> None:
    # Twelve characters: 'é' typed as one code point or as 'e' plus a combining accent.
    composed = "é" * 6 + "wxyz12"
    decomposed = "e\u0301" * 6 + "wxyz12"
    assert password_problems(composed) == []
    assert password_problems(decomposed) == []
    assert len(decomposed) > MIN_LENGTH


def test_name_or_address_in_the_password_is_refused() -> None:
    context = ("eva.lindqvist@demo.example", "Eva Lindqvist")
    assert "name" in " ".join(password_problems("lindqvist-rides-a-bike", context))
    assert password_problems("rides a bike to the clinic", context) == []


def test_hashes_are_argon2id_and_verify() -> None:
    stored = hash_password("correct horse battery staple")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "correct horse battery staple")
    assert not verify_password(stored, "correct horse battery stapler")
    assert not verify_password(None, "anything at all")


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"THERAPY_TEST_CHEAP_HASHING": "1"},
        {"THERAPY_ENV": "production", "THERAPY_TEST_CHEAP_HASHING": "1"},
        {"THERAPY_ENV": "development", "THERAPY_TEST_CHEAP_HASHING": "1"},
        {"THERAPY_ENV": "test"},
    ],
)
def test_outside_the_suite_passwords_get_the_recommended_argon2_parameters(environ) -> None:
    recommended = PasswordHasher()
    hasher = choose_hasher(environ)
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (
        recommended.time_cost,
        recommended.memory_cost,
        recommended.parallelism,
    )
    assert hasher.memory_cost >= 19 * 1024  # at least OWASP's 19 MiB for argon2id


def test_a_cheap_hash_from_the_suite_is_rehashed_at_the_next_real_login() -> None:
    cheap = choose_hasher({"THERAPY_ENV": "test", "THERAPY_TEST_CHEAP_HASHING": "1"})
    assert cheap.memory_cost < PasswordHasher().memory_cost
    assert PasswordHasher().check_needs_rehash(cheap.hash("correct horse battery staple"))
