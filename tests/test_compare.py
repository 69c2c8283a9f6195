"""grader.compare: a correct array passes; each typical mistake is named by its diagnosis code."""

from __future__ import annotations

import numpy as np
import pytest

from grader.compare import DIAGNOSES, compare, diagnose, rel_error

RNG = np.random.default_rng(1234)
EXPECTED = RNG.standard_normal((5, 3)) + 0.1
SQUARE = RNG.standard_normal((4, 4))
N = 6


def _case(name: str):
    """(got, expected, keyword arguments of compare) for each diagnosis code."""
    rng = np.random.default_rng(99)
    per_example = rng.standard_normal((N, 5, 3))
    t1, t2 = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    with_nan = EXPECTED.copy()
    with_nan[2, 1] = np.nan
    with_inf = EXPECTED.copy()
    with_inf[0, 2] = np.inf
    return {
        "sign": (-EXPECTED, EXPECTED, {}),
        "batch_factor_sum_for_mean": (N * EXPECTED, EXPECTED, {"batch": N}),
        "batch_factor_mean_for_sum": (EXPECTED / N, EXPECTED, {"batch": N}),
        "double": (2 * EXPECTED, EXPECTED, {}),
        "factor": (0.3 * EXPECTED, EXPECTED, {}),
        "factor_not_batch": (3 * EXPECTED, EXPECTED, {"batch": N}),  # 3 is not the batch size 6
        "transpose_square": (SQUARE.T, SQUARE, {}),
        "transpose_non_square": (EXPECTED.T, EXPECTED, {}),
        "not_summed": (per_example, per_example.sum(axis=0), {}),
        "summed_batch": (per_example.sum(axis=0), per_example, {}),
        "missing_term": (t1, t1 + t2, {"terms": {"the first path's term": t1, "the second path's term": t2}}),
        "zeros": (np.zeros_like(EXPECTED), EXPECTED, {}),
        "nan": (with_nan, EXPECTED, {}),
        "inf": (with_inf, EXPECTED, {}),
        "shape": (np.ones(7), EXPECTED, {}),
        "mismatch": (rng.standard_normal((5, 3)), EXPECTED, {}),
    }[name]


CODES = {
    "sign": "sign", "batch_factor_sum_for_mean": "batch_factor", "batch_factor_mean_for_sum": "batch_factor",
    "double": "double", "factor": "factor", "factor_not_batch": "factor", "transpose_square": "transpose",
    "transpose_non_square": "transpose", "not_summed": "not_summed", "summed_batch": "summed_batch",
    "missing_term": "missing_term", "zeros": "zeros", "nan": "nan", "inf": "nan", "shape": "shape",
    "mismatch": "mismatch",
}


@pytest.mark.parametrize("case", list(CODES))
def test_each_mistake_gets_its_diagnosis(case: str) -> None:
    got, expected, kwargs = _case(case)
    result = compare("dW", got, expected, **kwargs)
    assert not result.ok
    assert result.diagnosis == CODES[case], (result.diagnosis, result.explanation)
    assert result.diagnosis in DIAGNOSES
    assert result.explanation.startswith("dW ")
    # diagnose() alone, as the checks may call it, names the same mistake
    code, why = diagnose(np.asarray(got, dtype=np.float64), expected, tol=1e-6, **kwargs)
    assert code == CODES[case] and why


def test_explanations_say_what_the_mistake_is() -> None:
    result = compare("db", N * EXPECTED, EXPECTED, batch=N)
    assert "batch size 6" in result.explanation and "summed where the mean was expected" in result.explanation
    result = compare("db", EXPECTED / N, EXPECTED, batch=N)
    assert "averaged where the sum was expected" in result.explanation
    got, expected, kwargs = _case("missing_term")
    assert "the first path's term" in compare("dx", got, expected, **kwargs).explanation
    got, expected, _ = _case("not_summed")
    assert "sum over axis 0" in compare("dA", got, expected).explanation
    assert "0.3 times" in compare("dA", 0.3 * EXPECTED, EXPECTED).explanation
    got, expected, _ = _case("nan")
    assert "nan at index [2, 1]" in compare("dA", got, expected).explanation


def test_correct_arrays_pass() -> None:
    assert compare("y", EXPECTED.copy(), EXPECTED).ok
    noisy = EXPECTED * (1 + 1e-9 * np.random.default_rng(5).standard_normal(EXPECTED.shape))
    result = compare("y", noisy, EXPECTED)
    assert result.ok and 0 < result.max_rel_error < 1e-8 and result.diagnosis is None
    assert compare("y", EXPECTED.astype(np.float32), EXPECTED).ok  # float32 rounding is within rtol
    assert compare("loss", 2.5, np.float64(2.5)).ok  # a Python float for a 0-d value
    assert compare("counts", np.array([1, 2, 3]), np.array([1.0, 2.0, 3.0])).ok  # integer arrays are numbers


def test_failure_reports_the_worst_entry() -> None:
    got = EXPECTED.copy()
    got[3, 1] += 0.5
    got[0, 0] += 1e-3
    result = compare("out", got, EXPECTED)
    assert not result.ok
    assert result.worst_index == (3, 1)
    assert result.max_rel_error == pytest.approx(float(rel_error(got[3, 1], EXPECTED[3, 1])))
    assert "index [3, 1]" in result.explanation
    assert "worst at index [3, 1]" in result.details


def test_relative_error_floor() -> None:
    zeros = np.zeros(4)
    # 0 against 0 is exact, not 0/0
    assert rel_error(zeros, zeros).tolist() == [0.0] * 4
    assert compare("g", zeros, zeros).ok
    # near zero the floor turns the relative error into an absolute one: |got - expected| / floor
    tiny = np.full(4, 1e-15)
    assert rel_error(tiny, zeros, floor=1e-8) == pytest.approx(np.full(4, 1e-7))
    assert compare("g", tiny, zeros).ok  # 1e-15 / 1e-8 = 1e-7 <= rtol 1e-6
    assert not compare("g", np.full(4, 1e-12), zeros).ok  # 1e-12 / 1e-8 = 1e-4
    assert not compare("g", tiny, zeros, floor=1e-30).ok  # a tiny floor makes it relative again
    # away from zero the floor does nothing
    assert rel_error(np.array([2.0]), np.array([1.0]), floor=1e-8)[0] == pytest.approx(1 / 3)
    assert rel_error(np.array([2.0]), np.array([1.0]), floor=1e-30)[0] == pytest.approx(1 / 3)


def test_non_arrays_are_rejected_with_what_was_returned() -> None:
    for got, kind in [("PASSED", "str"), (None, "NoneType"), ([1.0, 2.0], "list"),
                      ({"__unsupported__": "Anything"}, "Anything"), (True, "bool")]:
        result = compare("y", got, np.array([1.0, 2.0]))
        assert not result.ok and result.diagnosis == "dtype"
        assert f"returned a {kind}" in result.explanation
    result = compare("y", np.array([1 + 1j, 2]), np.array([1.0, 2.0]))
    assert not result.ok and result.diagnosis == "dtype" and "complex" in result.explanation



@pytest.mark.filterwarnings("error")
def test_huge_learner_values_fail_without_numpy_warnings() -> None:
    expected = np.array([1.0, -2.0, 3.0])
    result = compare("y", np.array([1e308, -1e308, 3.0]), expected)
    assert not result.ok and result.diagnosis == "mismatch"
