"""Helpers shared by the chapter-4 checks (runs in the grader). Loaded by each checks.py from its path."""

from __future__ import annotations

import numpy as np

from grader.checklib import CheckContext
from grader.sandbox import LearnerError


def strict(ctx: CheckContext, name: str, *args, inputs: str = "inputs with entries as large as ±1000"):
    """name(*args) in the learner's process with overflow, invalid and divide-by-zero raising; `inputs` says
    what was special about the arguments, for the message."""
    try:
        return ctx.probe("strict", name, *args, label=name)
    except LearnerError as error:
        if error.type == "FloatingPointError":
            ctx.fail(f"`{name}` triggers a floating-point error ({error.message}) for {inputs}: an exp "
                     f"overflowed, or log(0), 0/0 or inf - inf happened.", diagnosis="overflow",
                     details=error.traceback)
        raise


def expect_loss(ctx: CheckContext, label: str, got, expected: float, *, n: int, rtol: float = 1e-6,
                terms: dict[str, float] | None = None) -> None:
    """A summed loss: names a mean-for-sum (or sum-for-mean) mistake, a sign flip, and a missing part of the
    sum (terms: what the part is -> its value, e.g. the constant n·log 2)."""
    value = ctx.expect_number(label, got)
    if not np.isfinite(value):
        ctx.fail(f"{label} is {value}, expected the finite {expected:.8g}", diagnosis="nan")
    err = abs(value - expected) / max(1e-8, abs(value) + abs(expected))
    if err <= rtol:
        return
    if n > 1 and abs(value * n - expected) <= rtol * max(1e-8, abs(expected)) * 4:
        ctx.fail(f"{label} is {value:.8g}, {n} times smaller than expected: that is the MEAN over the {n} "
                 f"entries; this exercise wants the SUM", diagnosis="batch_factor")
    if n > 1 and abs(value - expected * n) <= rtol * max(1e-8, abs(value)) * 4:
        ctx.fail(f"{label} is {value:.8g}, {n} times larger than expected", diagnosis="batch_factor")
    if abs(value + expected) <= rtol * max(1e-8, abs(expected)) * 4 and expected != 0:
        ctx.fail(f"{label} is {value:.8g}: the negative of the expected value", diagnosis="sign")
    for what, part in (terms or {}).items():
        if part != 0 and abs(value - (expected - part)) <= rtol * max(1e-8, abs(expected)) * 4:
            ctx.fail(f"{label} is {value:.8g}, expected {expected:.8g}: the difference is exactly {what} "
                     f"({part:.8g}), which your sum leaves out", diagnosis="missing_term")
    ctx.fail(f"{label} is {value:.8g}, expected {expected:.8g} (relative error {err:.2e})", diagnosis="mismatch")
