#!/usr/bin/env python3
"""Independent oracle for symdetect's kernel ridge regression (KernelRidgeRegression).

Writes ``Tests/SymdetectCoreTests/Fixtures/krr_oracle.json`` with small training
sets, fixed hyper-parameters and the predictions computed here with numpy, by a
route independent of the Swift code (dense ``numpy.linalg.solve`` instead of a
Cholesky factorization, vectorized distances, no shared code):

    standardize:  z_j = (x_j - mean_j) / sd_j   (training-set statistics,
                  sd with divisor n, as numpy.std's default ddof=0)
    kernel:       k(z, z') = exp(-|z - z'|^2 / (2 l^2))
    train:        (K + lambda I) alpha = y - mean(y)
    predict:      f(x) = mean(y) + sum_i alpha_i k(z(x), z_i)

The inputs are generated without a random-number library (a fixed integer
linear congruential generator, printed with repr so they round-trip), so the
fixture does not depend on numpy's RNG.  Cases: 2-D with a moderate
regularization, 3-D with differently scaled coordinates (tests the
standardization), and 1-D with a small regularization.

Usage:
    python3 scripts/oracles/krr_oracle.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


class LCG:
    """Numerical Recipes' 32-bit LCG, mapped to [0, 1)."""

    def __init__(self, seed: int) -> None:
        self.state = seed & 0xFFFFFFFF

    def uniform(self, a: float, b: float) -> float:
        self.state = (1664525 * self.state + 1013904223) & 0xFFFFFFFF
        return a + (b - a) * (self.state / 2**32)


def label(x: np.ndarray) -> float:
    return float(np.sin(1.3 * x[0]) + 0.5 * np.sum(x ** 2) + 0.2 * x[-1] ** 3)


def case(name: str, seed: int, n_train: int, n_test: int, boxes: list[tuple[float, float]],
         length_scale: float, regularization: float) -> dict:
    rng = LCG(seed)
    d = len(boxes)
    train = np.array([[rng.uniform(*boxes[j]) for j in range(d)] for _ in range(n_train)])
    test = np.array([[rng.uniform(*boxes[j]) for j in range(d)] for _ in range(n_test)])
    # Labels from coordinates scaled to the unit box, so each case's label is O(1).
    scale = np.array([max(abs(a), abs(b)) for a, b in boxes])
    y = np.array([label(row / scale) for row in train])

    mean = train.mean(axis=0)
    sd = train.std(axis=0)
    sd[sd == 0] = 1.0
    z = (train - mean) / sd
    zt = (test - mean) / sd
    sq = ((z[:, None, :] - z[None, :, :]) ** 2).sum(axis=2)
    k = np.exp(-sq / (2 * length_scale ** 2))
    ybar = y.mean()
    alpha = np.linalg.solve(k + regularization * np.eye(n_train), y - ybar)
    sqt = ((zt[:, None, :] - z[None, :, :]) ** 2).sum(axis=2)
    pred = ybar + np.exp(-sqt / (2 * length_scale ** 2)) @ alpha
    return {
        "name": name,
        "lengthScale": length_scale,
        "regularization": regularization,
        # features[j][i]: coordinate j of sample i (the layout of SampleTable)
        "trainFeatures": train.T.tolist(),
        "trainLabels": y.tolist(),
        "testFeatures": test.T.tolist(),
        "means": mean.tolist(),
        "scales": sd.tolist(),
        "labelMean": ybar,
        "weights": alpha.tolist(),
        "predictions": pred.tolist(),
        "conditionNumber": float(np.linalg.cond(k + regularization * np.eye(n_train))),
    }


def main() -> None:
    cases = [
        case("2d", seed=12345, n_train=14, n_test=6, boxes=[(-1.0, 2.0), (0.5, 3.0)],
             length_scale=0.8, regularization=1e-3),
        case("3d-scaled", seed=777, n_train=25, n_test=8,
             boxes=[(-1000.0, 1000.0), (0.001, 0.005), (-3.0, 1.0)],
             length_scale=1.5, regularization=1e-5),
        case("1d", seed=4242, n_train=10, n_test=7, boxes=[(-2.0, 2.0)],
             length_scale=0.5, regularization=1e-8),
    ]
    out = Path(__file__).resolve().parents[2] / "Tests/SymdetectCoreTests/Fixtures/krr_oracle.json"
    out.write_text(json.dumps({"generator": "scripts/oracles/krr_oracle.py", "numpy": np.__version__,
                               "cases": cases}, indent=2) + "\n")
    print(f"wrote {out}")
    for c in cases:
        print(f"  {c['name']}: cond(K + lambda I) = {c['conditionNumber']:.3g}")


if __name__ == "__main__":
    main()
