"""Helpers for the checks of quiz exercises (kind = "quiz"): reading the learner's answers from the quiz TOML
(ctx.answers) as a number or a multiple-choice letter, and the messages for empty, unreadable and wrong ones.

Each quiz makes one `Quiz` with the small differences it needs (which spellings of a number it accepts, its
tolerance) and calls its methods from the checks. Every failure goes through ctx.fail (which raises); a wrong
answer's message never contains the right one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from grader.checklib import CheckContext

_POWER = re.compile(r"(\d+)(?:\^|\*\*)(\d{1,3})")  # "2^10", "2**10"


@dataclass(frozen=True)
class Quiz:
    """How one quiz reads and judges its answers.

    example: the numbers shown when an answer is not one ("0.5, -2 or 3/4").
    commas: "50,000" reads as 50000.
    powers: "2^10" and "2**10" read as 1024.
    fractions: True reads "3/4", "0.125", "6e-6" exactly (Fraction) and "−" as a minus sign; False reads with
        Python's float() alone (no "3/4", no "−"; "inf" and "nan" are numbers).
    rel, abs_tol: the default tolerance of expect_number (math.isclose).
    rounding_hint: an answer within 2 % of the right one, but not within rel, is told it was rounded too early.
    """

    example: str = "0.5, -2 or 3/4"
    commas: bool = False
    powers: bool = False
    fractions: bool = True
    rel: float = 1e-6
    abs_tol: float = 1e-9
    rounding_hint: bool = False

    def answer(self, ctx: CheckContext, key: str) -> object:
        """The learner's answer to `key`; an empty or missing one fails as 'not answered yet'."""
        raw = (ctx.answers or {}).get(key, "")
        if isinstance(raw, str) and not raw.strip():
            ctx.fail(f"not implemented yet: {key} is not answered yet (write your answer between the quotes of "
                     f"`{key} = \"\"`)", diagnosis="not_implemented")
        return raw

    def number(self, ctx: CheckContext, key: str) -> float:
        """The answer to `key` as a float: a TOML number, or a string in one of the accepted spellings."""
        raw = self.answer(ctx, key)
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            ctx.fail(f"{key} should be a number, not {type(raw).__name__}", diagnosis="dtype")
        if isinstance(raw, int | float):
            return float(raw)
        text = raw.strip().replace(" ", "").replace("_", "")
        if self.commas:
            text = text.replace(",", "")
        try:
            if not self.fractions:
                return float(text)
            text = text.replace("−", "-")
            power = _POWER.fullmatch(text) if self.powers else None
            if power:
                return float(int(power[1]) ** int(power[2]))
            return float(Fraction(text))  # "0.125", "1/8", "-1.5", "6.06e-6"
        except (ValueError, ZeroDivisionError):
            ctx.fail(f"{key} = {raw!r} is not a number (write e.g. {self.example})", diagnosis="dtype")
        raise AssertionError  # unreachable: ctx.fail raises

    def choice(self, ctx: CheckContext, key: str, options: str = "abcd") -> str:
        """The answer to `key` as one lower-case letter of `options` ("b", "(B)" and "b." all read as "b")."""
        raw = self.answer(ctx, key)
        letter = str(raw).strip().strip("().").lower()
        if len(letter) != 1 or letter not in options:
            ctx.fail(f"{key} = {raw!r} is not one of the letters {', '.join(options)}", diagnosis="dtype")
        return letter

    def expect_choice(self, ctx: CheckContext, key: str, expected: str, why_wrong: str,
                      options: str = "abcd") -> str:
        """Fail with `why_wrong` unless the answer to `key` is the letter `expected`."""
        letter = self.choice(ctx, key, options)
        ctx.expect(letter == expected, f"{key} = \"{letter}\" is not right. {why_wrong}", diagnosis="mismatch")
        return letter

    def expect_number(self, ctx: CheckContext, key: str, expected: float, why_wrong: str, *,
                      rel: float | None = None, slips: Mapping[float, str] | None = None) -> float:
        """Fail with `why_wrong` unless the answer to `key` is within the tolerance of `expected`. `slips` maps
        an exact wrong answer to the sentence that names the slip behind it."""
        got = self.number(ctx, key)
        close = math.isclose(got, expected, rel_tol=self.rel if rel is None else rel, abs_tol=self.abs_tol)
        if not close and self.rounding_hint and math.isclose(got, expected, rel_tol=0.02):
            ctx.fail(f"{key} = {got:g} is close, but rounded too early: give at least 4 significant digits (keep "
                     f"full precision until the end)", diagnosis="mismatch")
        if not close:
            slip = (slips or {}).get(got, "")
            ctx.fail(f"{key} = {got:g} is not right.{' ' + slip if slip else ''} {why_wrong}", diagnosis="mismatch")
        return got
