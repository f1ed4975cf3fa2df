"""Optuna's FanovaImportanceEvaluator on trials given as JSON on stdin (bench/sweeps/importance.ts
passes the same trials it scores itself). Prints, per seed, the normalised importances."""
import json
import sys

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution
from optuna.importance import FanovaImportanceEvaluator, get_param_importances

optuna.logging.set_verbosity(optuna.logging.WARNING)

# The example space (examples/sweeps/lenet-vs-mlp-activations.yaml), searched parameters only.
DISTRIBUTIONS = {
    "activation": CategoricalDistribution(["relu", "sigmoid"]),
    "optimizer.name": CategoricalDistribution(["adam", "sgd"]),
    "optimizer.learningRate": FloatDistribution(1e-4, 1e-1, log=True),
    "earlyStopping.patience": CategoricalDistribution([5, 10, 20]),
    "dropout": FloatDistribution(0, 0.5),
    "batchSize": CategoricalDistribution([32, 64]),
}


def main():
    data = json.load(sys.stdin)
    study = optuna.create_study(direction="maximize")
    for t in data["trials"]:
        params = {k: t["params"][k] for k in DISTRIBUTIONS}
        study.add_trial(optuna.trial.create_trial(params=params, distributions=DISTRIBUTIONS, value=t["value"]))
    out = []
    for seed in data["seeds"]:
        imp = get_param_importances(study, evaluator=FanovaImportanceEvaluator(seed=seed))
        out.append({k: round(v, 4) for k, v in imp.items()})
    print(json.dumps({"version": optuna.__version__, "importances": out}))


if __name__ == "__main__":
    main()
