#!/usr/bin/env python3
"""Synthetic extended-XYZ frames of a molecule from its PySCF reference (a quartic force field in
dimensionless normal coordinates), for timing the molecular pipeline on large files.

Usage
-----
    python3 scripts/synthetic_molecule_frames.py ammonia 10000 /tmp/ammonia-10k.extxyz

The energy is the force field of Tests/SymdetectCoreTests/Fixtures/<molecule>_pyscf_reference.json
(cm^-1, converted to eV with the fixture's constants):

    V(q) = sum_i omega_i q_i^2 / 2 + (1/6) sum_ijk phi_ijk q_i q_j q_k
                                   + (1/24) sum_ijkl phi_ijkl q_i q_j q_k q_l,

full sums over index orders, with the cubic constants and the quartic constants that have a
repeated index (the others are left out). Frames are sampled as in scripts/molecule_pes.py:
q uniform in the box |q_i| <= a_i of the fixture, positions x_eq + sum_i W_i q_i (A), a uniformly
random proper rotation and a translation uniform in [-3, 3]^3 A, rounded to 8 decimals.
Deterministic (numpy default_rng, seed 1 unless --seed). Not committed: a file of 10^4 frames of
a 4-atom molecule is about 1.2 MB and is regenerated in a second.
"""

import argparse
import itertools
import json
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("molecule")
    ap.add_argument("frames", type=int)
    ap.add_argument("output")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    ref = json.loads((REPO / "Tests/SymdetectCoreTests/Fixtures" / f"{a.molecule}_pyscf_reference.json").read_text())
    symbols = ref["symbols"]
    n = len(symbols)
    x0 = np.array(ref["equilibrium"]["geometry_angstrom"])
    W = np.array(ref["harmonic"]["displacementPerUnitQ_angstrom"]).reshape(-1, 3 * n).T
    omega = np.array(ref["harmonic"]["wavenumbers_cm"])
    nq = len(omega)
    phi3 = np.zeros((nq,) * 3)
    for c in ref["forceConstants"]["cubic"]:
        for p in set(itertools.permutations([i - 1 for i in c["indices"]])):
            phi3[p] = c["value"]
    phi4 = np.zeros((nq,) * 4)
    for c in ref["forceConstants"]["quarticWithRepeatedIndex"]:
        for p in set(itertools.permutations([i - 1 for i in c["indices"]])):
            phi4[p] = c["value"]
    cm_to_ev = ref["constants"]["hartree_eV"] / ref["constants"]["hartree_wavenumber"]
    half = np.array(ref["sampling"]["halfWidths_q"])
    rng = np.random.default_rng(a.seed)
    out = []
    for _ in range(a.frames):
        q = rng.uniform(-1.0, 1.0, nq) * half
        v = (0.5 * omega @ (q * q) + np.einsum("ijk,i,j,k->", phi3, q, q, q) / 6
             + np.einsum("ijkl,i,j,k,l->", phi4, q, q, q, q) / 24)
        qw, qx, qy, qz = (lambda u: u / np.linalg.norm(u))(rng.standard_normal(4))
        R = np.array([
            [1 - 2 * (qy * qy + qz * qz), 2 * (qx * qy - qz * qw), 2 * (qx * qz + qy * qw)],
            [2 * (qx * qy + qz * qw), 1 - 2 * (qx * qx + qz * qz), 2 * (qy * qz - qx * qw)],
            [2 * (qx * qz - qy * qw), 2 * (qy * qz + qx * qw), 1 - 2 * (qx * qx + qy * qy)]])
        t = rng.uniform(-3.0, 3.0, 3)
        x = np.round((x0 + (W @ q).reshape(n, 3)) @ R.T + t, 8) + 0.0
        out.append(f"{n}\nProperties=species:S:1:pos:R:3 energy={v * cm_to_ev:.12f} pbc=\"F F F\"\n")
        out.extend(f"{s:<2} {p[0]:16.8f} {p[1]:16.8f} {p[2]:16.8f}\n" for s, p in zip(symbols, x))
    Path(a.output).write_text("".join(out))


if __name__ == "__main__":
    main()
