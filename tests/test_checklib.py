"""Case helpers every check author relies on: inputs away from kinks, maxima without ties."""

from __future__ import annotations

import numpy as np

from grader.checklib import CheckContext


def _ctx(seed: int = 0) -> CheckContext:
    return CheckContext("demo", "demo check", "numpy", False, seed)


def test_away_from_moves_only_the_entries_near_a_kink() -> None:
    ctx = _ctx()
    x = np.array([-3.0, -0.01, 0.0, 0.02, 0.5, 9.99, 10.0, 10.3])
    y = ctx.away_from(x, kinks=(0.0, 10.0), margin=0.05)
    for kink in (0.0, 10.0):
        assert np.all(np.abs(y - kink) >= 0.05)
    far = (np.abs(x) >= 0.05) & (np.abs(x - 10.0) >= 0.05)
    assert np.array_equal(y[far], x[far])
    assert np.all(np.sign(y[1:4] + 1e-12) == [-1, 1, 1])  # each near entry stays on its side (0 goes up)
    assert np.array_equal(x, [-3.0, -0.01, 0.0, 0.02, 0.5, 9.99, 10.0, 10.3])  # the input is untouched


def test_without_ties_spreads_ties_and_keeps_the_ranking() -> None:
    ctx = _ctx()
    x = np.array([[1.0, 1.0, 0.0, 1.0], [3.0, 2.0, 2.01, -1.0]])
    y = ctx.without_ties(x, axis=1, gap=0.05)
    for row_x, row_y in zip(x, y, strict=True):
        assert np.all(np.diff(np.sort(row_y)) >= 0.05 - 1e-12)
        assert np.array_equal(np.argsort(row_x, kind="stable"), np.argsort(row_y, kind="stable"))
    z = ctx.without_ties(x.T, axis=0)  # any axis
    assert np.allclose(z, y.T)


def test_plot_stores_plain_floats_thinned_and_survives_a_json_report() -> None:
    import json

    from grader.results import CheckResult

    ctx = _ctx()
    ctx.plot("training loss", {"loss": np.linspace(1.0, 0.0, 1000), "path": np.ones((3, 2))}, log_y=True,
             max_points=50)
    (figure,) = ctx.figures
    assert figure["kind"] == "line" and figure["log_y"] is True and figure["title"] == "training loss"
    assert len(figure["series"]["loss"]) == 50
    assert figure["series"]["loss"][0] == 1.0 and figure["series"]["loss"][-1] == 0.0  # ends are kept
    assert figure["series"]["path"] == [[1.0, 1.0]] * 3
    result = CheckResult("c", True, "passed", 1, 1, figures=ctx.figures)
    assert CheckResult(**json.loads(json.dumps(result.__dict__))).figures == ctx.figures


def test_plot_refuses_a_series_that_is_not_a_curve_or_a_path() -> None:
    import pytest

    with pytest.raises(ValueError, match="must be 1-D or"):
        _ctx().plot("bad", {"x": np.zeros((2, 3))})


def test_decorators_of_names_numba_decorators_and_flags_home_made_ones() -> None:
    def decorators(source: str) -> list[str]:
        ctx = _ctx()
        ctx.source = source
        return ctx.decorators_of("f")

    assert decorators("from numba import njit\n@njit\ndef f(x):\n    return x\n") == ["njit"]
    assert decorators("import numba\n@numba.njit(cache=True)\ndef f(x):\n    return x\n") == ["numba.njit"]
    assert decorators("from numba import cuda\n@cuda.jit\ndef f(x):\n    pass\n") == ["cuda.jit"]
    # A decorator of the learner's own, or one imported from elsewhere, is not Numba's.
    assert decorators("def njit(f):\n    return f\n@njit\ndef f(x):\n    return x\n") == ["local:njit"]
    assert decorators("from mytools import njit\n@njit\ndef f(x):\n    return x\n") == ["local:njit"]
    assert decorators("from numba import njit\nnjit = lambda f: f\n@njit\ndef f(x):\n    return x\n") == \
        ["local:njit"]
    assert decorators("def f(x):\n    return x\n") == []
    assert decorators("def f(:\n") == []
