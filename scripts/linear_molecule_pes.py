#!/usr/bin/env python3
"""Ab initio reference data for symdetect's molecular mode on a linear molecule (CO2, D∞h),
computed with PySCF at the level of scripts/molecule_pes.py (RHF/6-31G*, Cartesian d functions).

Usage
-----
    OMP_NUM_THREADS=1 python3 scripts/linear_molecule_pes.py co2     # ~3 min on one core

Steps
-----
1. Minimum: the molecule on the z axis (centre of mass at the origin), Newton iterations on the
   two bond lengths with the analytic Hessian restricted to the z coordinates (a linear
   structure stays linear: the gradient has no perpendicular component by symmetry) until
   max|gradient| < 1e-9 Eh/bohr; then symmetrised (the two C-O bonds made equal).
2. Harmonic analysis: the analytic Cartesian Hessian at the minimum, symmetrised over
   D2h (a finite subgroup of D∞h: x, y, z -> ±x, ±y, ±z with the end swap for the odd
   operations), fed to pyscf.hessian.thermo.harmonic_analysis (which removes 3 translations
   and the 2 rotations of a linear molecule: 3N - 5 = 4 modes, the bend pair first). Check:
   the same analysis of a Hessian from central differences of analytic gradients (1e-3 A).
3. Frames: dimensionless normal coordinates uniform in the box |q_i| <= a_i,
   omega_i a_i^2 / 2 = E_MAX / (3N - 5), E_MAX = 6000 cm^-1 (as for water and ammonia);
   Cartesian x = x_eq + sum_i W_i q_i (W_i the displacement per unit dimensionless q_i), then a
   uniformly random proper rotation and a translation uniform in [-3, 3]^3 A, positions rounded
   to 8 decimals before the calculation. energy = E - E_eq in eV, forces in eV/A.

Outputs
-------
  examples/co2.extxyz
  Tests/SymdetectCoreTests/Fixtures/co2_pyscf_reference.json
      level of theory, equilibrium geometry and energy, harmonic wavenumbers (analytic Hessian
      and gradient differences), sampling, statistics.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import molecule_pes as base  # noqa: E402

REPO = base.REPO
MOLECULES = {
    "co2": dict(
        formula="CO2",
        symbols=["O", "C", "O"],
        bonds=[1.14, 1.14],
        point_group="D∞h",
        frames=400,
        seed=20261204,
    ),
}
MASSES_AMU = dict(base.MASSES_AMU, C=12.0)


def linear_geometry(z, m):
    x = np.zeros((len(z), 3))
    x[:, 2] = z
    return x - m @ x / m.sum()


def optimise(symbols, m, bonds):
    from pyscf.lib import param
    z = np.concatenate([[0.0], np.cumsum(bonds)])
    for it in range(20):
        x = linear_geometry(z, m)
        H, mf = base.hessian(symbols, x)
        g = np.asarray(mf.nuc_grad_method().kernel())
        gz = g[:, 2]
        Hz = H[2::3, 2::3]
        # Translation along z is a zero mode: solve in the space orthogonal to it.
        P = np.eye(len(z)) - np.ones((len(z), len(z))) / len(z)
        w, V = np.linalg.eigh(P @ Hz @ P)
        keep = np.abs(w) > 1e-8
        step = -V[:, keep] @ ((V[:, keep].T @ gz) / w[keep])
        gmax = float(np.abs(g).max())
        print(f"  Newton {it + 1}: E = {mf.e_tot:.12f} Eh, max|g| = {gmax:.2e} Eh/bohr")
        if gmax < base.NEWTON_GRAD_TOL:
            break
        z = z + step * param.BOHR
    # Symmetrise: equal bonds (O-C-O).
    b = 0.5 * ((z[1] - z[0]) + (z[2] - z[1]))
    x = linear_geometry(np.array([0.0, b, 2 * b]), m)
    e, g, _ = base.energy_gradient_dipole(symbols, x)
    gmax = float(np.abs(g).max())
    print(f"  symmetrised: E = {e:.12f} Eh, max|g| = {gmax:.2e} Eh/bohr, r(CO) = {b:.8f} A")
    return x, e, gmax


def d2h_operations(n):
    """D2h on the z axis: the 8 sign patterns of (x, y, z); odd z sign swaps the ends."""
    ops = []
    swap = list(range(n))[::-1]
    for sx in (1, -1):
        for sy in (1, -1):
            for sz in (1, -1):
                ops.append(dict(perm=swap if sz < 0 else list(range(n)), R=np.diag([sx, sy, sz]).astype(float)))
    return ops


def harmonic(symbols, m, x0):
    from pyscf.hessian import thermo
    from pyscf.lib import param
    from pyscf.data import nist
    n = len(symbols)
    H, mf = base.hessian(symbols, x0)
    ops = d2h_operations(n)
    Hs = sum(base.op_matrix(o, n) @ H @ base.op_matrix(o, n).T for o in ops) / len(ops)
    Hs = 0.5 * (Hs + Hs.T)
    res = thermo.harmonic_analysis(mf.mol, Hs.reshape(n, 3, n, 3).transpose(0, 2, 1, 3), mass=m)
    freq = np.asarray(res["freq_wavenumber"]).real
    nm = np.asarray(res["norm_mode"])
    L = (nm * np.sqrt(m)[None, :, None]).reshape(len(nm), 3 * n).T
    minv = 1.0 / np.sqrt(np.repeat(m, 3))
    Hmw = Hs * np.outer(minv, minv)
    lam = np.einsum("ai,ab,bi->i", L, Hmw, L) / nist.AMU2AU
    omega = np.sqrt(lam)
    W = (L * minv[:, None]) / np.sqrt(nist.AMU2AU) / np.sqrt(omega)[None, :]
    # Independent check: Hessian from central differences of analytic gradients.
    Hg = np.zeros_like(H)
    step = base.GRADIENT_FD_STEP_A
    for a in range(3 * n):
        d = np.zeros(3 * n)
        d[a] = step
        gp = base.energy_gradient_dipole(symbols, x0 + d.reshape(n, 3))[1].ravel()
        gm = base.energy_gradient_dipole(symbols, x0 - d.reshape(n, 3))[1].ravel()
        Hg[:, a] = (gp - gm) / (2 * step / param.BOHR)
    Hg = 0.5 * (Hg + Hg.T)
    freq_grad = np.asarray(thermo.harmonic_analysis(
        mf.mol, Hg.reshape(n, 3, n, 3).transpose(0, 2, 1, 3), mass=m)["freq_wavenumber"]).real
    return dict(freq=freq, freq_grad=freq_grad, omega=omega, W=W, L=L,
                asym=float(np.abs(Hs - H).max()))


def run(name):
    import pyscf
    from pyscf.data import nist
    from pyscf.lib import param
    cfg = MOLECULES[name]
    symbols = cfg["symbols"]
    n = len(symbols)
    m = np.array([MASSES_AMU[s] for s in symbols])
    t0 = time.perf_counter()
    print(f"{name}: minimum at {base.LEVEL}")
    x0, e0, gmax = optimise(symbols, m, cfg["bonds"])
    hm = harmonic(symbols, m, x0)
    print("  harmonic wavenumbers (cm^-1): analytic Hessian / gradient differences")
    for k, (a, b) in enumerate(zip(hm["freq"], hm["freq_grad"])):
        print(f"    q{k + 1} {a:10.3f} {b:10.3f}")
    print(f"  Hessian change under D2h averaging: {hm['asym']:.1e} Eh/bohr^2")

    W, omega = hm["W"], hm["omega"]
    nq = W.shape[1]
    omega_cm = omega * nist.HARTREE2WAVENUMBER
    half = np.sqrt(2 * (base.E_MAX_CM / nq) / omega_cm)
    rng = np.random.default_rng(cfg["seed"])
    lines = []
    energies = []
    t1 = time.perf_counter()
    for f in range(cfg["frames"]):
        q = rng.uniform(-1.0, 1.0, nq) * half
        R = base.random_rotation(rng)
        t = rng.uniform(-base.TRANSLATION_A, base.TRANSLATION_A, 3)
        x_body = x0 + (W @ q).reshape(n, 3) * param.BOHR
        x = np.round(x_body @ R.T + t, base.POSITION_DECIMALS) + 0.0
        E, g, _ = base.energy_gradient_dipole(symbols, x)
        ev = (E - e0) * nist.HARTREE2EV
        forces = -g * nist.HARTREE2EV / param.BOHR
        energies.append((E - e0) * nist.HARTREE2WAVENUMBER)
        lines.append(f"{n}\n")
        lines.append(f'Properties=species:S:1:pos:R:3:forces:R:3 energy={ev:.12f} pbc="F F F"\n')
        for s, p, fo in zip(symbols, x, forces):
            lines.append(f"{s:<2} {p[0]:16.8f} {p[1]:16.8f} {p[2]:16.8f} {fo[0]:16.10f} {fo[1]:16.10f} {fo[2]:16.10f}\n")
        if f % 50 == 49:
            print(f"  frame {f + 1}/{cfg['frames']} ({time.perf_counter() - t1:.0f} s)")
    xyz = REPO / "examples" / f"{name}.extxyz"
    xyz.write_text("".join(lines))
    e = np.array(energies)
    ref = {
        "molecule": name,
        "formula": cfg["formula"],
        "levelOfTheory": base.LEVEL,
        "pyscfVersion": pyscf.__version__,
        "symbols": symbols,
        "masses_amu": m.tolist(),
        "equilibrium": {"geometry_angstrom": x0.tolist(), "energy_hartree": e0,
                        "maxGradient_hartreePerBohr": gmax},
        "pointGroup": {"name": cfg["point_group"]},
        "harmonic": {
            "wavenumbers_cm": hm["freq"].tolist(),
            "method": ("pyscf.hessian.thermo.harmonic_analysis of the analytic Hessian averaged "
                       "over D2h (3 translations and 2 rotations removed)"),
            "fromGradientDifferences_cm": hm["freq_grad"].tolist(),
            "displacementPerUnitQ_angstrom": (W * param.BOHR).T.reshape(nq, n, 3).tolist(),
        },
        "sampling": {"E_max_cm": base.E_MAX_CM, "halfWidths_q": half.tolist(), "seed": cfg["seed"],
                     "frames": cfg["frames"],
                     "scheme": ("dimensionless normal coordinates uniform in |q_i| <= a_i, "
                                "random proper rotation and translation in [-3,3]^3 A per frame")},
        "dataset": {"file": f"examples/{name}.extxyz", "energy": "E - E_eq in eV", "forces": "eV/Angstrom",
                    "energy_cm": {"mean": float(e.mean()), "min": float(e.min()), "max": float(e.max())}},
        "generatedBy": f"OMP_NUM_THREADS=1 python3 scripts/linear_molecule_pes.py {name}",
    }
    fixture = base.FIXTURES / f"{name}_pyscf_reference.json"
    fixture.write_text(json.dumps(ref, indent=1) + "\n")
    print(f"  energies (cm^-1): mean {e.mean():.1f}, range {e.min():.1f} .. {e.max():.1f}")
    print(f"  wrote {xyz.relative_to(REPO)}, {fixture.relative_to(REPO)}; total {time.perf_counter() - t0:.0f} s")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("molecule", choices=sorted(MOLECULES))
    run(ap.parse_args().molecule)


if __name__ == "__main__":
    sys.exit(main())
