"""grader.quizlib: how quiz answers are read, and the messages for empty, unreadable and wrong ones."""

from __future__ import annotations

import pytest

from grader.checklib import CheckContext, CheckFailed
from grader.quizlib import Quiz


def _ctx(**answers: object) -> CheckContext:
    return CheckContext("quiz-demo", "demo check", "numpy", False, 0, answers=answers)


def _failure(call) -> CheckFailed:
    with pytest.raises(CheckFailed) as info:
        call()
    return info.value


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_an_empty_or_missing_answer_is_not_answered_yet(raw: object) -> None:
    ctx = _ctx() if raw is None else _ctx(q1=raw)
    for read in (Quiz().number, Quiz().choice):
        failure = _failure(lambda read=read: read(ctx, "q1"))
        assert failure.diagnosis == "not_implemented"
        assert failure.message == 'not implemented yet: q1 is not answered yet (write your answer between the ' \
                                  'quotes of `q1 = ""`)'


@pytest.mark.parametrize(("raw", "value"), [
    (3, 3.0), (0.25, 0.25), ("0.125", 0.125), ("1/8", 0.125), (" -1.5 ", -1.5), ("−1.5", -1.5), ("1_000", 1000.0),
    ("6.06e-6", 6.06e-6), ("3 / 4", 0.75)])
def test_number_reads_toml_numbers_decimals_and_fractions(raw: object, value: float) -> None:
    assert Quiz().number(_ctx(q=raw), "q") == value


@pytest.mark.parametrize("raw", ["50,000", "2^10", "abc", "1/0", "inf", "1..5"])
def test_number_rejects_what_the_default_format_does_not_read(raw: str) -> None:
    failure = _failure(lambda: Quiz().number(_ctx(q=raw), "q"))
    assert failure.diagnosis == "dtype"
    assert failure.message == f"q = {raw!r} is not a number (write e.g. 0.5, -2 or 3/4)"


@pytest.mark.parametrize("raw", [True, [1, 2], {"a": 1}])
def test_number_rejects_other_toml_types_by_name(raw: object) -> None:
    failure = _failure(lambda: Quiz().number(_ctx(q=raw), "q"))
    assert failure.diagnosis == "dtype" and failure.message == f"q should be a number, not {type(raw).__name__}"


def test_number_options_commas_powers_and_the_example() -> None:
    quiz = Quiz(commas=True, powers=True, example="12 or 2^10")
    assert quiz.number(_ctx(q="50,000"), "q") == 50_000.0
    assert quiz.number(_ctx(q="2^10"), "q") == quiz.number(_ctx(q="2**10"), "q") == 1024.0
    assert Quiz(commas=True).number(_ctx(q="1,5/2"), "q") == 7.5
    failure = _failure(lambda: Quiz(commas=True).number(_ctx(q="2^10"), "q"))  # powers are off by default
    assert failure.message == "q = '2^10' is not a number (write e.g. 0.5, -2 or 3/4)"
    assert _failure(lambda: quiz.number(_ctx(q="x"), "q")).message == "q = 'x' is not a number (write e.g. 12 or 2^10)"


def test_number_without_fractions_is_pythons_float() -> None:
    quiz = Quiz(commas=True, fractions=False)
    assert quiz.number(_ctx(q="73,856"), "q") == 73856.0
    assert quiz.number(_ctx(q="1e3"), "q") == 1000.0
    for raw in ("3/4", "−2"):  # neither a fraction nor the typographic minus
        assert _failure(lambda raw=raw: quiz.number(_ctx(q=raw), "q")).diagnosis == "dtype"


@pytest.mark.parametrize(("raw", "letter"), [("b", "b"), (" B ", "b"), ("(c)", "c"), ("a.", "a"), ("(D).", "d")])
def test_choice_reads_one_letter(raw: str, letter: str) -> None:
    assert Quiz().choice(_ctx(q=raw), "q") == letter


@pytest.mark.parametrize(("raw", "options"), [("e", "abcd"), ("d", "abc"), ("ab", "abcd"), (2, "abcd")])
def test_choice_names_the_letters_it_accepts(raw: object, options: str) -> None:
    failure = _failure(lambda: Quiz().choice(_ctx(q=raw), "q", options))
    assert failure.diagnosis == "dtype"
    assert failure.message == f"q = {raw!r} is not one of the letters {', '.join(options)}"


def test_expect_choice_says_why_without_the_right_letter() -> None:
    assert Quiz().expect_choice(_ctx(q="(B)"), "q", "b", "Reread L1.") == "b"
    failure = _failure(lambda: Quiz().expect_choice(_ctx(q="c"), "q", "b", "Reread L1."))
    assert failure.diagnosis == "mismatch" and failure.message == 'q = "c" is not right. Reread L1.'


def test_expect_number_tolerances() -> None:
    quiz = Quiz()
    assert quiz.expect_number(_ctx(q="0.3333334"), "q", 1 / 3, "why") == pytest.approx(1 / 3)
    failure = _failure(lambda: quiz.expect_number(_ctx(q="0.3334"), "q", 1 / 3, "Think again."))
    assert failure.diagnosis == "mismatch" and failure.message == "q = 0.3334 is not right. Think again."
    assert quiz.expect_number(_ctx(q="0.3334"), "q", 1 / 3, "why", rel=1e-3) == 0.3334  # per question
    assert Quiz(rel=1e-3).expect_number(_ctx(q="0.3334"), "q", 1 / 3, "why") == 0.3334  # per quiz
    assert quiz.expect_number(_ctx(q="1e-10"), "q", 0.0, "why") == 1e-10  # abs_tol 1e-9
    _failure(lambda: Quiz(abs_tol=1e-12).expect_number(_ctx(q="1e-10"), "q", 0.0, "why"))


def test_expect_number_names_a_known_slip_and_early_rounding() -> None:
    slips = {2: "That is the caption's value."}
    failure = _failure(lambda: Quiz().expect_number(_ctx(q=2), "q", 3, "Use the formula.", slips=slips))
    assert failure.message == "q = 2 is not right. That is the caption's value. Use the formula."
    failure = _failure(lambda: Quiz().expect_number(_ctx(q=4), "q", 3, "Use the formula.", slips=slips))
    assert failure.message == "q = 4 is not right. Use the formula."
    hinted = Quiz(rounding_hint=True)
    failure = _failure(lambda: hinted.expect_number(_ctx(q="0.333"), "q", 1 / 3, "why"))
    assert failure.message == "q = 0.333 is close, but rounded too early: give at least 4 significant digits " \
                              "(keep full precision until the end)"
    assert _failure(lambda: hinted.expect_number(_ctx(q="0.3"), "q", 1 / 3, "why")).message == \
        "q = 0.3 is not right. why"
    assert _failure(lambda: Quiz().expect_number(_ctx(q="0.333"), "q", 1 / 3, "why")).message == \
        "q = 0.333 is not right. why"
