"""Checks for `bagging-ensembles` (runs in the grader; learner code only through ctx.call / ctx.probe)."""

import numpy as np

from grader import reference_regularize as ref
from grader.checklib import CheckContext, check
from grader.compare import compare


def _expect(ctx: CheckContext, label: str, got, expected, known: dict[str, tuple[object, str]], **kw) -> None:
    """expect_close, but a known mistake (the value it matches instead) is named in the message."""
    result = compare(label, got, expected, **kw)
    if result.ok:
        return
    for why, (value, diagnosis) in known.items():
        if value is not None and compare(label, got, value).ok:
            ctx.fail(f"{label} {why}", diagnosis=diagnosis, details=result.details)
    ctx.fail(result.explanation, diagnosis=result.diagnosis, details=result.details)


def _indices(ctx: CheckContext, label: str, got, k: int, n: int) -> np.ndarray:
    idx = ctx.expect_array(label, got, (k, n))
    ctx.expect(idx.dtype.kind in "iu", f"{label} has dtype {idx.dtype}: indices must be integers", diagnosis="dtype")
    ctx.expect(idx.size == 0 or (idx.min() >= 0 and idx.max() < n),
               f"{label} has indices outside range({n}): [{idx.min()}, {idx.max()}]", diagnosis="shape")
    return idx


@check("bootstrap_indices: with replacement, reproducible from the Generator, the course's draw", points=3)
def bootstrap(ctx: CheckContext) -> None:
    # Statistics first: the share of distinct examples in a bootstrap set tends to 1 − (1 − 1/n)^n ≈ 0.632.
    n, k = 200, 60
    seed = int(ctx.rng.integers(2**31))
    same, again, other = ctx.probe("bootstrap_twice", n, k, seed, label="bootstrap_indices")
    idx = _indices(ctx, f"bootstrap_indices({n}, {k}, rng)", same, k, n)
    unique = np.mean([len(np.unique(row)) / n for row in idx])
    expected_unique = 1 - (1 - 1 / n) ** n
    ctx.expect(unique < 0.99, f"every row of bootstrap_indices({n}, {k}, rng) holds {n} distinct examples: bagging "
                              f"samples WITH replacement (L2070), so about {expected_unique:.1%} are distinct",
               diagnosis="replacement")
    # 60 rows of 200: the mean distinct share has a standard deviation of about 0.0035.
    ctx.expect(abs(unique - expected_unique) < 0.02,
               f"the rows of bootstrap_indices({n}, {k}, rng) hold {unique:.1%} distinct examples on average; uniform "
               f"sampling with replacement gives {expected_unique:.1%}", diagnosis="replacement")
    counts = np.bincount(idx.ravel(), minlength=n)
    ctx.expect(counts.max() < 3 * counts.mean(), f"bootstrap_indices({n}, {k}, rng) is far from uniform over "
                                                 f"range({n}): one example was drawn {counts.max()} times",
               diagnosis="replacement")
    ctx.expect(np.array_equal(np.asarray(again), idx), "bootstrap_indices gave different indices for two "
                                                       "Generators with the same seed: draw only from the rng you "
                                                       "are given (not np.random.*)", diagnosis="reproducible")
    ctx.expect(not np.array_equal(np.asarray(other), idx), "bootstrap_indices gave the same indices for different "
                                                           "seeds: use the rng you are given", diagnosis="reproducible")
    for n, k in ctx.cases([(7, 3), (1, 2), (50, 1)], [(13, 5), (100, 4), (2, 9)]):
        seed = int(ctx.rng.integers(2**31))
        got = _indices(ctx, f"bootstrap_indices({n}, {k}, rng)",
                       ctx.probe("bootstrap_from_seed", n, k, seed, label="bootstrap_indices"), k, n)
        ctx.expect(np.array_equal(got, ref.bootstrap_indices(n, k, seed)),
                   f"bootstrap_indices({n}, {k}, rng) is a valid bootstrap sample but not the course's draw: use "
                   f"exactly one call rng.integers(0, n, size=(k, n)) so the grader can reproduce it",
                   diagnosis="stream")


@check("out_of_bag_mask: the examples each member never drew", points=1)
def oob(ctx: CheckContext) -> None:
    for k, m, n in ctx.cases([(3, 7, 7), (1, 5, 5), (4, 3, 9)], [(6, 11, 11), (2, 20, 8)]):
        idx = ctx.rng.integers(0, n, size=(k, m))
        got = ctx.expect_array(f"out_of_bag_mask(indices of shape {(k, m)}, n={n})",
                               ctx.call("out_of_bag_mask", idx, n), (k, n))
        expected = ref.out_of_bag(idx, n)
        ctx.expect(got.dtype == np.bool_, f"out_of_bag_mask returned dtype {got.dtype}; return a bool array",
                   diagnosis="dtype")
        ctx.expect(not np.array_equal(got, ~expected), "out_of_bag_mask is inverted: True marks the examples a "
                                                       "member did NOT draw (out of its bag)", diagnosis="sign")
        pooled = np.broadcast_to(np.all(expected, axis=0), expected.shape)  # in nobody's bag
        ctx.expect(k == 1 or np.array_equal(expected, pooled) or not np.array_equal(got, pooled),
                   f"out_of_bag_mask(indices of shape {(k, m)}, n={n}) marks an example as drawn for EVERY member as "
                   f"soon as ANY member drew it: row i uses only indices[i]", diagnosis="mismatch")
        bad = np.argwhere(got != expected)
        ctx.expect(bad.size == 0, f"out_of_bag_mask(indices of shape {(k, m)}, n={n}) is wrong at [member, "
                                  f"example] {bad[0].tolist() if bad.size else ''} (and {len(bad) - 1} more)",
                   diagnosis="mismatch")


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@check("average_probabilities: the mean of the members' softmax, not the softmax of the mean logits", points=2)
def average(ctx: CheckContext) -> None:
    shapes = ctx.cases([(3, 4, 5), (1, 2, 3), (5, 1, 2)], [(7, 6, 4), (2, 9, 3)])
    for k, n, c in shapes:
        z = ctx.rng.normal(0, 2.5, (k, n, c))
        label = f"average_probabilities(logits of shape {(k, n, c)})"
        got = ctx.expect_array(label, ctx.call("average_probabilities", z), (n, c))
        _expect(ctx, label, got, ref.average_probabilities(z), {
            "is the softmax of the averaged LOGITS: average the members' probabilities instead (softmax first, "
            "then the mean over members)": (_softmax(z.mean(axis=0)), "logits"),
            "averages over the wrong axis: the members are axis 0 of (K, N, C)": (_softmax(z).mean(axis=1)
                                                                                  if n == k else None, "axis"),
            "normalizes over the members: softmax runs over the classes, the LAST axis of (K, N, C)":
                ((np.exp(z - z.max(axis=-1, keepdims=True)) / np.exp(z - z.max(axis=-1, keepdims=True)).sum(
                    axis=0, keepdims=True)).mean(axis=0) if k > 1 else None, "axis"),
        }, rtol=1e-9)
    z = np.array([[[1000.0, -1000.0, 0.0]], [[-1000.0, 999.0, 1000.0]]])
    got = ctx.expect_array("average_probabilities(logits of ±1000)", ctx.call("average_probabilities", z), (1, 3))
    ctx.expect(bool(np.all(np.isfinite(got))), "average_probabilities gives NaN or inf for logits of ±1000: subtract "
                                               "each row's max before exp", diagnosis="overflow")
    ctx.expect_close("average_probabilities(logits of ±1000)", got, ref.average_probabilities(z), rtol=1e-9)


@check("ensemble_mse and ensemble_error: the averaged prediction beats the members (L2041–2063)", points=4)
def variance_reduction(ctx: CheckContext) -> None:
    for k, n in ctx.cases([(4, 9), (1, 5), (6, 1)], [(10, 30), (3, 2)]):
        preds, y = ctx.rng.normal(0, 1, (k, n)), ctx.rng.normal(0, 1, n)
        label = f"ensemble_mse(preds {(k, n)}, y {(n,)})"
        member, ens = ctx.expect_tuple(label, ctx.call("ensemble_mse", preds, y), 2)
        exp_member, exp_ens = ref.ensemble_mse(preds, y)
        member = ctx.expect_array(f"{label}[0] (member MSEs)", member, (k,))
        _expect(ctx, f"{label}[0] (member MSEs)", member, exp_member, {
            "sums the squared errors: the MSE is their MEAN over the N examples": (exp_member * n, "factor")})
        ens = ctx.expect_number(f"{label}[1] (ensemble MSE)", ens)
        _expect(ctx, f"{label}[1] (ensemble MSE)", ens, exp_ens, {
            "is the mean of the members' MSEs: the ensemble's MSE is that of the AVERAGED prediction":
                (float(exp_member.mean()), "ensemble")})
    for k, v, c in ctx.cases([(10, 1.0, 0.5), (1, 2.0, 0.3), (4, 2.0, 0.0), (3, 1.5, 1.5)],
                             [(7, 0.8, 0.2), (25, 3.0, -0.1)]):
        got = ctx.expect_number(f"ensemble_error({k}, {v}, {c})", ctx.call("ensemble_error", k, v, c))
        _expect(ctx, f"ensemble_error(K={k}, v={v}, c={c})", got, ref.ensemble_error(k, v, c), {
            "swaps v and c: the variance v is divided by K, the covariance keeps (K − 1)/K (L2057)":
                (ref.ensemble_error(k, c, v) if v != c else None, "mismatch")}, rtol=1e-12)
    # The grader's data: K members whose errors have variance v and covariance c; the ensemble's MSE must follow
    # the formula and fall below the members' (L2059–2063), for uncorrelated, correlated and identical errors.
    k, n = 8, 20000
    for v, c in ((1.0, 0.0), (1.0, 0.4), (1.0, 1.0)):
        shared, own = ctx.rng.standard_normal(n), ctx.rng.standard_normal((k, n))
        y = ctx.rng.normal(0, 1, n)
        preds = y + np.sqrt(c) * shared + np.sqrt(v - c) * own
        member, ens = ctx.expect_tuple("ensemble_mse", ctx.call("ensemble_mse", preds, y), 2)
        member = ctx.expect_array("ensemble_mse(...)[0]", member, (k,))
        ens = ctx.expect_number("ensemble_mse(...)[1]", ens)
        formula = ctx.expect_number("ensemble_error", ctx.call("ensemble_error", k, v, c))
        ctx.expect(ens <= float(np.mean(member)) + 1e-12, f"the ensemble's MSE {ens:.4g} exceeds the members' mean "
                                                          f"MSE {np.mean(member):.4g}: it can never (Jensen)",
                   diagnosis="ensemble")
        # standard error of the estimate is about formula·sqrt(2/n) ≈ 1% of it: 6% leaves a wide margin
        ctx.expect(abs(ens - formula) < 0.06 * formula + 1e-3,
                   f"on {n} examples with errors of variance v={v} and covariance c={c}, your ensemble MSE is "
                   f"{ens:.4f} but your ensemble_error({k}, {v}, {c}) predicts {formula:.4f}", diagnosis="mismatch")
