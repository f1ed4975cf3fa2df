"""Optuna's own Parzen estimator on fixed observations, for libs/sweeps' tests to match.

  /tmp/hz-optuna/bin/python bench/sweeps/optuna_parzen_fixture.py > libs/sweeps/src/tpe/optuna-parzen.fixture.json

Needs Optuna (pip install optuna). Prints JSON: per case, the search space, observations,
points and Optuna's log_pdf at each point.
"""
import json

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_weights

PARAMS = _ParzenEstimatorParameters(
    prior_weight=1.0, consider_magic_clip=True, consider_endpoints=False, weights=default_weights, multivariate=True
)


def dim_json(d):
    if isinstance(d, CategoricalDistribution):
        return {"type": "categorical", "size": len(d.choices)}
    step = d.step or 0
    return {"type": "numeric", "low": d.low, "high": d.high, "log": d.log, "step": step}


def case(name, space, n_obs, n_points, rng):
    obs = {}
    points = {}
    for k, d in space.items():
        if isinstance(d, CategoricalDistribution):
            obs[k] = rng.randint(0, len(d.choices), size=n_obs).astype(float)
            points[k] = rng.randint(0, len(d.choices), size=n_points).astype(float)
        else:
            dist = IntDistribution if isinstance(d, IntDistribution) else FloatDistribution
            lo, hi = d.low, d.high
            def draw(n):
                if d.log:
                    x = np.exp(rng.uniform(np.log(lo), np.log(hi), size=n))
                else:
                    x = rng.uniform(lo, hi, size=n)
                if d.step:
                    x = np.clip(lo + np.round((x - lo) / d.step) * d.step, lo, hi)
                return x
            obs[k] = draw(n_obs)
            if len(space) > 1 and d.step:
                # Distinct values: numpy's argsort does not keep ties in order, and in a joint
                # space which tied kernel gets which width matters.
                grid = np.arange(lo, hi + d.step / 2, d.step)
                obs[k] = rng.choice(grid, size=n_obs, replace=False)
            points[k] = draw(n_points)
    pe = _ParzenEstimator(obs, space, PARAMS)
    logpdf = pe.log_pdf(points)
    keys = list(space)
    return {
        "name": name,
        "dims": [dim_json(space[k]) for k in keys],
        "observations": [[float(obs[k][i]) for k in keys] for i in range(n_obs)],
        "points": [[float(points[k][i]) for k in keys] for i in range(n_points)],
        "logPdf": [float(v) for v in logpdf],
    }


def main():
    rng = np.random.RandomState(7)
    cases = [
        case("uniform, none", {"x": FloatDistribution(-5, 10)}, 0, 5, rng),
        case("uniform, one", {"x": FloatDistribution(-5, 10)}, 1, 5, rng),
        case("uniform, three", {"x": FloatDistribution(-5, 10)}, 3, 8, rng),
        case("log, 30 (weights ramp)", {"lr": FloatDistribution(1e-4, 1e-1, log=True)}, 30, 8, rng),
        case("int", {"n": IntDistribution(1, 20)}, 12, 8, rng),
        case("q step", {"d": FloatDistribution(0, 0.5, step=0.1)}, 9, 6, rng),
        case("categorical", {"c": CategoricalDistribution(["a", "b", "c", "d"])}, 7, 4, rng),
        case(
            "mixed joint",
            {
                "x": FloatDistribution(0, 1),
                "lr": FloatDistribution(1e-5, 1, log=True),
                "k": IntDistribution(2, 64, log=True),
                "c": CategoricalDistribution(["relu", "sigmoid", "tanh"]),
            },
            30,
            10,
            rng,
        ),
    ]
    print(json.dumps({"optuna": optuna.__version__, "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
