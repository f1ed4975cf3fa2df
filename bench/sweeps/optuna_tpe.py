"""Optuna's TPESampler and RandomSampler on Branin and Hartmann-6: the best value within the
same budget over 30 seeds (medians), and TPE's proposal time with 500 finished trials.
Side by side with bench/sweeps/tpe-vs-random.ts and proposal-time.ts.

  python3 -m venv /tmp/hz-optuna && /tmp/hz-optuna/bin/pip install optuna
  /tmp/hz-optuna/bin/python bench/sweeps/optuna_tpe.py [--trials 100] [--seeds 30]
"""
import argparse
import json
import math
import statistics
import time

import numpy as np
import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def branin(x):
    x1, x2 = x
    b, c = 5.1 / (4 * math.pi**2), 5 / math.pi
    return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10


A = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]])
P = 1e-4 * np.array(
    [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
)
ALPHA = np.array([1.0, 1.2, 3.0, 3.2])


def hartmann6(x):
    x = np.asarray(x)
    return float(-np.sum(ALPHA * np.exp(-np.sum(A * (x - P) ** 2, axis=1))))


FUNCTIONS = [("branin", branin, [(-5, 10), (0, 15)], 0.397887), ("hartmann6", hartmann6, [(0, 1)] * 6, -3.32237)]


def best_of(fn, bounds, sampler, trials):
    study = optuna.create_study(direction="minimize", sampler=sampler)
    study.optimize(lambda t: fn([t.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(bounds)]), n_trials=trials)
    return study.best_value


def proposal_time(n_finished, n_proposals=20):
    """Seconds per TPE proposal once n_finished trials exist (the issue's example space)."""
    rng = np.random.RandomState(0)
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=0))
    dists = {
        "activation": optuna.distributions.CategoricalDistribution(["relu", "sigmoid"]),
        "optimizer.name": optuna.distributions.CategoricalDistribution(["adam", "sgd"]),
        "optimizer.learningRate": optuna.distributions.FloatDistribution(1e-4, 1e-1, log=True),
        "earlyStopping.patience": optuna.distributions.CategoricalDistribution([5, 10, 20]),
        "dropout": optuna.distributions.FloatDistribution(0, 0.5),
        "batchSize": optuna.distributions.CategoricalDistribution([32, 64]),
    }
    for _ in range(n_finished):
        params = {
            "activation": ["relu", "sigmoid"][rng.randint(2)],
            "optimizer.name": ["adam", "sgd"][rng.randint(2)],
            "optimizer.learningRate": float(np.exp(rng.uniform(np.log(1e-4), np.log(1e-1)))),
            "earlyStopping.patience": [5, 10, 20][rng.randint(3)],
            "dropout": float(rng.uniform(0, 0.5)),
            "batchSize": [32, 64][rng.randint(2)],
        }
        study.add_trial(optuna.trial.create_trial(params=params, distributions=dists, value=float(rng.uniform(0.7, 0.9))))
    times = []
    for _ in range(n_proposals):
        started = time.perf_counter()
        trial = study.ask(dists)
        times.append(time.perf_counter() - started)
        study.tell(trial, state=optuna.trial.TrialState.FAIL)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seeds", type=int, default=30)
    args = parser.parse_args()
    results = []
    for name, fn, bounds, optimum in FUNCTIONS:
        started = time.perf_counter()
        tpe = [best_of(fn, bounds, optuna.samplers.TPESampler(seed=s), args.trials) for s in range(args.seeds)]
        rnd = [best_of(fn, bounds, optuna.samplers.RandomSampler(seed=s), args.trials) for s in range(args.seeds)]
        results.append(
            {
                "function": name,
                "optimum": optimum,
                "trials": args.trials,
                "seeds": args.seeds,
                "medianBest": {"tpe": statistics.median(tpe), "random": statistics.median(rnd)},
                "tpeBetterOnSeeds": sum(t < r for t, r in zip(tpe, rnd)),
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
    out = {"bench": "tpe-vs-random", "implementation": f"optuna {optuna.__version__}", "results": results}
    out["proposalSecondsAt500"] = proposal_time(500)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
