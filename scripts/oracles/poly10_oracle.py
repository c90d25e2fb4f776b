#!/usr/bin/env python3
"""Exact least-squares oracle for a badly conditioned degree-10 polynomial fit.

The fixture ``Tests/SymdetectCoreTests/Fixtures/poly10.csv`` (header ``x,y``)
holds 82 samples of a degree-10 polynomial in one variable with small
deterministic noise.  The x values are clustered in [-9, -3], far from the
origin, so the raw monomial (Vandermonde) design matrix 1, x, ..., x^10 is
very badly conditioned.

This script

1. (re)generates the CSV deterministically (no random-number library is
   used, only a fixed integer linear congruential generator, so the output
   does not depend on numpy/python versions), and
2. reads the decimal strings back from the CSV, converts each one *exactly*
   with ``fractions.Fraction(str)``, and solves the least-squares problem

       minimise  sum_i (y_i - sum_k c_k x_i^k)^2 ,   k = 0..10  (centre 0)

   exactly in rational arithmetic via the normal equations (which are exact
   here, so conditioning is irrelevant).  The solution, the residual sum of
   squares and some diagnostics are written to
   ``Tests/SymdetectCoreTests/Fixtures/poly10_oracle.json``.

Usage:
    python3 scripts/oracles/poly10_oracle.py            # regenerate CSV + oracle
    python3 scripts/oracles/poly10_oracle.py --keep-csv # oracle from existing CSV
"""

from __future__ import annotations

import argparse
import json
import re
from decimal import Decimal, getcontext
from fractions import Fraction
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "Tests" / "SymdetectCoreTests" / "Fixtures"
CSV_PATH = FIXTURES / "poly10.csv"
JSON_PATH = FIXTURES / "poly10_oracle.json"

DEGREE = 10
N_POINTS = 82
NOISE_AMPLITUDE = Fraction(1, 10**6)

# Generating polynomial p(x) = sum_k c_k x^k with c_k = r_k / 6^k.
# The factor 6^-k makes every term O(|r_k|) near x = -6, the middle of the
# sampled range, so that all eleven monomials matter; the r_k are simple
# rationals of mixed sign and varied magnitude.
R_K = [
    Fraction(3, 2), Fraction(-7, 4), Fraction(5, 3), Fraction(-2, 1),
    Fraction(9, 8), Fraction(-5, 2), Fraction(4, 3), Fraction(-3, 4),
    Fraction(7, 5), Fraction(-6, 5), Fraction(1, 2),
]
GENERATING_COEFFICIENTS = [r / Fraction(6) ** k for k, r in enumerate(R_K)]

# Cluster centres and half-widths (the samples are clustered, as in NIST's
# Filip data set, rather than spread uniformly).
CLUSTERS = [(-8.4, 0.5), (-7.0, 0.3), (-5.9, 0.6), (-4.6, 0.4), (-3.4, 0.35)]


class Lcg:
    """64-bit linear congruential generator (Knuth's MMIX constants)."""

    def __init__(self, seed: int) -> None:
        self.state = seed & 0xFFFFFFFFFFFFFFFF

    def next_unit(self) -> Fraction:
        """Return an exact rational uniformly spread in [0, 1)."""
        self.state = (6364136223846793005 * self.state + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return Fraction(self.state >> 11, 1 << 53)


def p_exact(x: Fraction) -> Fraction:
    """Evaluate the generating polynomial exactly (Horner)."""
    acc = Fraction(0)
    for c in reversed(GENERATING_COEFFICIENTS):
        acc = acc * x + c
    return acc


def generate_csv(path: Path) -> None:
    """Write the 82-sample fixture deterministically."""
    rng = Lcg(seed=20240610)
    xs: list[str] = []
    for i in range(N_POINTS):
        centre, half = CLUSTERS[i % len(CLUSTERS)]
        u = rng.next_unit()
        x = Fraction(centre).limit_denominator(1000) + (2 * u - 1) * Fraction(half).limit_denominator(1000)
        x = min(max(x, Fraction(-9)), Fraction(-3))
        # Round to 6 decimals: the written string is an exact rational.
        xs.append(f"{Decimal(x.numerator) / Decimal(x.denominator):.6f}")
    xs.sort(key=lambda s: Fraction(s))
    rows = []
    for xs_i in xs:
        x = Fraction(xs_i)
        noise = NOISE_AMPLITUDE * (2 * rng.next_unit() - 1)
        y = p_exact(x) + noise
        # 17 significant digits; the oracle uses this decimal string exactly.
        rows.append(f"{xs_i},{float(y):.17g}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x,y\n" + "\n".join(rows) + "\n")


def read_csv_exact(path: Path) -> tuple[list[str], list[str]]:
    lines = path.read_text().strip().splitlines()
    assert lines[0].strip() == "x,y", "unexpected header"
    xs, ys = [], []
    for line in lines[1:]:
        a, b = line.strip().split(",")
        xs.append(a)
        ys.append(b)
    return xs, ys


def solve_exact(A: list[list[Fraction]], b: list[Fraction]) -> list[Fraction]:
    """Gaussian elimination with exact rationals (A is square, nonsingular)."""
    n = len(A)
    M = [row[:] + [bi] for row, bi in zip(A, b)]
    for col in range(n):
        piv = next(r for r in range(col, n) if M[r][col] != 0)
        M[col], M[piv] = M[piv], M[col]
        inv = 1 / M[col][col]
        for r in range(col + 1, n):
            f = M[r][col] * inv
            if f:
                for c in range(col, n + 1):
                    M[r][c] -= f * M[col][c]
    x = [Fraction(0)] * n
    for r in range(n - 1, -1, -1):
        s = M[r][n] - sum(M[r][c] * x[c] for c in range(r + 1, n))
        x[r] = s / M[r][r]
    return x


def exact_polyfit(x_strings: list[str], y_strings: list[str], degree: int, via_double: bool = False):
    """Exact monomial least squares; returns (coefficients, rss) as Fractions.

    With ``via_double`` each cell is first rounded to the nearest IEEE-754 double, i.e. the
    problem is the one any double-precision program actually receives. On this design
    (scaled condition ~5e9, tiny residual) that rounding alone moves the exact solution by
    ~1e-6 relative, so a double-precision fit can only be judged against this variant.
    """
    conv = (lambda s: Fraction(float(s))) if via_double else Fraction
    X = [conv(s) for s in x_strings]
    Y = [conv(s) for s in y_strings]
    m = degree + 1
    powers = [[xi ** k for k in range(2 * degree + 1)] for xi in X]
    # Normal equations G c = h, G_jk = sum x^(j+k), h_j = sum y x^j (exact).
    moments = [sum(pw[k] for pw in powers) for k in range(2 * degree + 1)]
    G = [[moments[j + k] for k in range(m)] for j in range(m)]
    h = [sum(yi * pw[j] for yi, pw in zip(Y, powers)) for j in range(m)]
    c = solve_exact(G, h)
    rss = sum((yi - sum(c[k] * pw[k] for k in range(m))) ** 2 for yi, pw in zip(Y, powers))
    return c, rss


def dec(q: Fraction, digits: int) -> str:
    getcontext().prec = digits + 10
    return format(Decimal(q.numerator) / Decimal(q.denominator), f".{digits - 1}e")


def _g17(value: float) -> str:
    """Marker for a number that is written with 17 significant digits."""
    return f"@@{value:.17g}@@"


def dumps17(obj) -> str:
    """json.dumps, with _g17-marked numbers emitted unquoted."""
    return re.sub(r'"@@([^@]+)@@"', r"\1", json.dumps(obj, indent=2))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keep-csv", action="store_true", help="do not regenerate the CSV")
    args = ap.parse_args()

    if not args.keep_csv:
        generate_csv(CSV_PATH)
    xs, ys = read_csv_exact(CSV_PATH)
    assert len(xs) == N_POINTS

    coeffs, rss = exact_polyfit(xs, ys, DEGREE)
    coeffs_d, rss_d = exact_polyfit(xs, ys, DEGREE, via_double=True)
    shift = max(abs(float((a - b) / b)) for a, b in zip(coeffs_d, coeffs))
    print(f"max relative shift of the exact solution from rounding the cells to double = {shift:.3e}")

    xf = np.array([float(s) for s in xs])
    V = np.vander(xf, DEGREE + 1, increasing=True)
    cond = float(np.linalg.cond(V))
    # Condition number after the usual column scaling, for comparison.
    cond_scaled = float(np.linalg.cond(V / np.linalg.norm(V, axis=0)))
    # What a plain double-precision solver gets, for information only.
    c_np = np.linalg.lstsq(V, np.array([float(s) for s in ys]), rcond=None)[0]
    c_ex = np.array([float(c) for c in coeffs])
    rel_err_np = float(np.max(np.abs(c_np - c_ex) / np.abs(c_ex)))

    print(f"samples: {len(xs)}, x in [{min(xf):.6f}, {max(xf):.6f}]")
    print(f"cond(raw Vandermonde 1..x^10)        = {cond:.6e}")
    print(f"cond(column-normalised Vandermonde)  = {cond_scaled:.6e}")
    print(f"numpy lstsq max relative coefficient error vs exact = {rel_err_np:.3e}")
    print(f"exact RSS = {float(rss):.17g}")
    for k, c in enumerate(coeffs):
        print(f"  c{k:<2d} = {float(c):+.17g}   (generating {float(GENERATING_COEFFICIENTS[k]):+.6g})")

    out = {
        "coefficients": [_g17(float(c)) for c in coeffs],
        "coefficientsDecimal": [dec(c, 30) for c in coeffs],
        "coefficientsOfDoubles": [_g17(float(c)) for c in coeffs_d],
        "coefficientsOfDoublesDecimal": [dec(c, 30) for c in coeffs_d],
        "rss": _g17(float(rss)),
        "rssDecimal": dec(rss, 30),
        "degree": DEGREE,
        "centre": 0,
        "vandermondeCondition": _g17(cond),
        "description": (
            "Exact least-squares solution (rational arithmetic on the decimal strings "
            "of poly10.csv) of y ~ sum_{k=0..10} c_k x^k, monomial basis centred at 0; "
            "coefficients[k] multiplies x^k. Data: 82 x values clustered in [-9,-3] "
            "(6 decimals), y = p(x) + 1e-6*noise with p(x) = sum r_k (x/6)^k, "
            "r = [3/2,-7/4,5/3,-2,9/8,-5/2,4/3,-3/4,7/5,-6/5,1/2]. "
            "coefficientsOfDoubles: the same, exact, after rounding every cell to the nearest "
            "double (the problem a double-precision program solves). "
            "Generated by scripts/oracles/poly10_oracle.py."
        ),
    }
    JSON_PATH.write_text(dumps17(out) + "\n")
    print(f"wrote {JSON_PATH.relative_to(REPO)}")


if __name__ == "__main__":
    main()
