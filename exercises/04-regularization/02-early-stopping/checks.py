"""Checks for `early-stopping` (runs in the grader; learner code only through ctx.call / ctx.probe)."""

import numpy as np

from grader import reference_regularize as ref
from grader.checklib import CheckContext, check

# (losses, patience, min_delta): plateaus, ties, a later minimum the stop never sees, an exact min_delta boundary.
CURVES = [
    ([1.0, 0.8, 0.6, 0.5, 0.45], 2, 0.0),                   # keeps improving: runs to the end
    ([1.0, 0.7, 0.5, 0.55, 0.6, 0.4, 0.3], 2, 0.0),         # stops before the global minimum at epoch 6
    ([0.9, 0.5, 0.5, 0.5, 0.5, 0.2], 3, 0.0),               # a plateau of ties counts against patience
    ([0.8, 0.3, 0.6, 0.3, 0.7, 0.9], 3, 0.0),               # a tie at the minimum: the earlier epoch stays best
    ([1.0, 0.75, 0.7, 0.5, 0.45, 0.44], 2, 0.25),           # 0.75 is not < 1.0 - 0.25: strict
    ([0.5], 1, 0.0),
    ([0.5, 0.6, 0.4], 1, 0.0),
    ([2.0, 1.0, 1.5, 1.25, 1.0, 0.5, 0.75], 4, 0.0),
]  # fmt: skip


def _walk(losses, patience: int, min_delta: float = 0.0, *, ties: bool = False, extra: int = 0,
          previous: bool = False) -> tuple[int, int]:
    """Known variants of the rule, to name a mistake: ties counted as improvements, patience off by `extra`,
    each epoch compared with the epoch before it instead of the best so far."""
    best = 0
    for e in range(1, len(losses)):
        ref_loss = losses[e - 1] if previous else losses[best]
        better = losses[e] <= ref_loss - min_delta if ties else losses[e] < ref_loss - min_delta
        if better:
            best = e
        elif e - best >= patience + extra:
            return e, best
    return len(losses) - 1, best


def _random_curve(ctx: CheckContext) -> tuple[list[float], int, float]:
    """A noisy U-shaped curve on a 0.25 grid (many ties); min_delta an odd multiple of 0.125, never on a boundary."""
    n = int(ctx.rng.integers(6, 18))
    t = np.linspace(0, 1, n)
    curve = 3 * (t - ctx.rng.uniform(0.3, 0.8)) ** 2 + ctx.rng.normal(0, 0.15, n) + 1.0
    losses = [float(v) for v in np.round(curve * 4) / 4]
    return losses, int(ctx.rng.integers(1, 5)), float(ctx.rng.choice([0.0, 0.125, 0.375]))


def _cases(ctx: CheckContext) -> list[tuple[list[float], int, float]]:
    local = CURVES + [_random_curve(ctx) for _ in range(6)]
    hidden = [_random_curve(ctx) for _ in range(40)]
    return ctx.cases(local, hidden)


def _int(ctx: CheckContext, label: str, got) -> int:
    value = ctx.expect_number(label, got, explain=" (return an int epoch)")
    ctx.expect(value == int(value), f"{label} = {value} is not a whole epoch number", diagnosis="dtype")
    return int(value)


@check("best_epoch: the first epoch with the lowest validation loss", points=1)
def best(ctx: CheckContext) -> None:
    for losses, _, _ in _cases(ctx):
        got = _int(ctx, f"best_epoch({losses})", ctx.call("best_epoch", losses))
        expected = ref.best_epoch(losses)
        last = len(losses) - 1 - int(np.argmin(losses[::-1]))
        ctx.expect(got != last or last == expected, f"best_epoch({losses}) = {got}: with ties at the minimum, the "
                                                    f"EARLIEST epoch is the best (expected {expected})", diagnosis="tie")
        ctx.expect(got == expected, f"best_epoch({losses}) = {got}, expected {expected}", diagnosis="mismatch")


@check("early_stopping: stop epoch and best epoch with patience, min_delta, plateaus and ties", points=3)
def stopping(ctx: CheckContext) -> None:
    runs = []  # (label, losses, patience, min_delta, got): all first, so that a mistake is named only when it
    for losses, patience, min_delta in _cases(ctx):  # explains EVERY curve, not one curve by coincidence
        label = f"early_stopping({losses}, patience={patience}, min_delta={min_delta})"
        args = (losses, patience, min_delta) if min_delta else (losses, patience)  # the default min_delta is 0
        got = ctx.expect_tuple(label, ctx.call("early_stopping", *args), 2)
        got = (_int(ctx, f"{label}[0] (stop epoch)", got[0]), _int(ctx, f"{label}[1] (best epoch)", got[1]))
        runs.append((label, losses, patience, min_delta, got))
    wrong = [r for r in runs if r[4] != ref.early_stopping(*r[1:4])]
    if not wrong:
        return
    known = [  # (why, the mistake's result on a curve, diagnosis); the most specific first
        ("ignores min_delta: an improvement must beat the best loss by MORE than min_delta",
         lambda losses, patience, _: _walk(losses, patience, 0.0), "mismatch"),
        ("compares each epoch with the epoch BEFORE it: an improvement must beat the BEST loss so far",
         lambda losses, patience, md: _walk(losses, patience, md, previous=True), "mismatch"),
        ("counts an equal loss as an improvement: a tie or a plateau is NOT one (strict <), so the earlier "
         "epoch stays the best", lambda losses, patience, md: _walk(losses, patience, md, ties=True), "tie"),
        ("stops one epoch late: stop at the first e with e − best == patience",
         lambda losses, patience, md: _walk(losses, patience, md, extra=1), "off_by_one"),
        ("stops one epoch early: patience epochs without improvement must pass first",
         lambda losses, patience, md: _walk(losses, patience, md, extra=-1), "off_by_one"),
        ("returns the best epoch of the whole curve: training stopped before it saw the later epochs",
         lambda losses, patience, md: (ref.early_stopping(losses, patience, md)[0], ref.best_epoch(losses)),
         "lookahead"),
    ]
    label, losses, patience, min_delta, got = wrong[0]
    expected = ref.early_stopping(losses, patience, min_delta)
    for why, variant, diagnosis in known:
        if all(tuple(variant(*r[1:4])) == r[4] for r in runs):
            ctx.fail(f"{label} = {got}, expected {expected}: your code {why}", diagnosis=diagnosis)
    ctx.fail(f"{label} = {got}, expected (stop, best) = {expected} ({len(wrong)} of {len(runs)} curves differ)",
             diagnosis="mismatch")


@check("train_with_early_stopping: the loop, its calls, and a deep copy of the best parameters", points=4)
def training(ctx: CheckContext) -> None:
    for losses, patience, _ in _cases(ctx):
        max_epochs = len(losses) if len(losses) < 5 else int(ctx.rng.integers(len(losses) - 2, len(losses) + 1))
        params0 = {"fc.A": ctx.rng.normal(0, 1, (2, 3)), "fc.b": ctx.rng.normal(0, 1, 3)}
        out = ctx.probe("scripted_training", params0, losses, max_epochs, patience,
                        label="train_with_early_stopping")
        label = f"train_with_early_stopping(losses={losses[:max_epochs]}, patience={patience})"
        best_params, best_e, run = ctx.expect_tuple(label, out["result"], 3)
        stop, expected_best = ref.early_stopping(losses[:max_epochs], patience)
        run = _int(ctx, f"{label}: epochs_run", run)
        ctx.expect(out["order"] == "tv" * out["train"] and out["train"] == out["validate"],
                   f"{label} called train_epoch/validate in the order {out['order']!r}: per epoch, train once, then "
                   f"validate once", diagnosis="calls")
        ctx.expect(out["train"] == stop + 1, f"{label} trained {out['train']} epochs; it should stop after epoch "
                                             f"{stop}, i.e. train {stop + 1}", diagnosis="calls")
        ctx.expect(run == stop + 1, f"{label} returned epochs_run = {run}, but {stop + 1} epochs were trained "
                                    f"(epochs 0..{stop})", diagnosis="off_by_one")
        best_e = _int(ctx, f"{label}: best_epoch", best_e)
        ctx.expect(best_e == expected_best or best_e != _walk(losses[:max_epochs], patience, ties=True)[1],
                   f"{label} returned best_epoch = {best_e}, expected {expected_best}: an equal loss is not an "
                   f"improvement (strict <), so among ties the EARLIEST epoch stays the best", diagnosis="tie")
        ctx.expect(best_e == expected_best, f"{label} returned best_epoch = {best_e}, expected {expected_best}",
                   diagnosis="mismatch")
        ctx.expect(isinstance(best_params, dict) and set(best_params) == set(params0),
                   f"{label}: best_params must be a dict with the names {sorted(params0)}", diagnosis="dtype")
        shift = (expected_best + 1) * (expected_best + 2) / 2  # what train_epoch added up to the best epoch
        final_shift = (stop + 1) * (stop + 2) / 2
        for k, v in params0.items():
            got = ctx.expect_array(f"{label}: best_params['{k}']", best_params[k], v.shape)
            if not np.allclose(got, v + shift, rtol=0, atol=1e-9) and np.allclose(got, v + final_shift, atol=1e-9):
                ctx.fail(f"{label}: best_params['{k}'] holds the FINAL parameters (after epoch {stop}), not those "
                         f"after the best epoch {expected_best}: the arrays were stored by reference and later epochs "
                         f"changed them in place. Copy each array when an epoch improves.", diagnosis="reference")
            ctx.expect_close(f"{label}: best_params['{k}'] (the parameters right after epoch {expected_best})", got,
                             v + shift, rtol=1e-12)
