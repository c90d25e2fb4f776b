#!/usr/bin/env python3
"""Ab initio potential-energy samples of H2O in mass-weighted normal coordinates.

Level of theory: all-electron MP2/cc-pVDZ (RHF reference), computed with PySCF.
Each energy takes ~0.1 s, so MP2 is affordable for every sample.

Steps
-----
1. Optimise the geometry with geomeTRIC (tight thresholds), then symmetrise it to
   exact C2v and polish it with Newton steps in the two symmetric internal
   coordinates (r_OH, angle HOH) using analytic MP2 gradients.
2. Cartesian Hessian by central differences of analytic MP2 gradients,
   symmetrised under the C2 operation, mass-weighted (most abundant isotopes),
   translations/rotations projected out, diagonalised.
3. Normal modes are ordered and signed deterministically:
     q1 = symmetric stretch  (positive: both O-H bonds lengthen)
     q2 = bend               (positive: H-O-H angle opens)
     q3 = antisymmetric stretch, the mode that changes sign when the two H
          atoms are swapped (positive: the first O-H bond lengthens)
   Coordinates are mass-weighted normal coordinates in sqrt(amu)*Angstrom:
     x_cart(q) = x_eq + M^{-1/2} L q   (x in Angstrom, masses in amu,
                                        L orthonormal columns).
4. 600 points, uniform in the box |q_i| <= a_i with 0.5*k_i*a_i^2 = 3000 cm^-1
   (k_i = harmonic force constant of mode i), numpy Generator seed 20240611.
   Coordinates are rounded to 8 decimals *before* the energy is computed, so
   the CSV is exactly self-consistent.  Label: (E - E_min) * 219474.6313705 in
   cm^-1.
5. Independent finite-difference oracle: second and third derivatives of the
   energy with respect to the normal coordinates at the minimum, by nested
   central differences
       d^3E/dq_i dq_j dq_k ~ (2h)^-3 sum_{s in {+-1}^3} s1 s2 s3 E(h(s1 e_i + s2 e_j + s3 e_k))
   with steps h and 2h, combined by Richardson extrapolation (error O(h^4)).

Outputs
-------
  examples/water.csv                                  q1,q2,q3,energy
  examples/water.md                                   description
  Tests/SymdetectCoreTests/Fixtures/water_fd_constants.json

Usage:  python3 scripts/water_pes.py     (needs: pip install pyscf geometric)
"""

from __future__ import annotations

import itertools
import json
import math
import time
from pathlib import Path

import numpy as np
from pyscf import gto, mp, scf
from pyscf.geomopt.geometric_solver import optimize as geometric_optimize

REPO = Path(__file__).resolve().parents[1]
CSV_PATH = REPO / "examples" / "water.csv"
MD_PATH = REPO / "examples" / "water.md"
JSON_PATH = REPO / "Tests" / "SymdetectCoreTests" / "Fixtures" / "water_fd_constants.json"

# ----------------------------------------------------------------------------
# Settings
# ----------------------------------------------------------------------------
BASIS = "cc-pvdz"
SCF_CONV_TOL = 1e-11
SCF_CONV_TOL_GRAD = 1e-8
N_SAMPLES = 600
SEED = 20240611
BOX_ENERGY_CM = 3000.0          # harmonic energy at the box face, per mode
FD_STEP = 0.01                  # sqrt(amu)*Angstrom, finite-difference step h
CART_HESS_STEP = 1e-3           # Angstrom, step for the Cartesian Hessian

# Physical constants (CODATA 2018)
HARTREE_TO_CM = 219474.6313705
BOHR_TO_ANGSTROM = 0.529177210903
HARTREE_J = 4.3597447222071e-18
AMU_KG = 1.66053906660e-27
C_CM_S = 2.99792458e10
MASS_O16 = 15.99491461957       # amu
MASS_H1 = 1.00782503223         # amu
MASSES = np.array([MASS_O16, MASS_H1, MASS_H1])
SYMBOLS = ["O", "H", "H"]


# ----------------------------------------------------------------------------
# Electronic structure
# ----------------------------------------------------------------------------
def make_mol(coords_angstrom: np.ndarray) -> gto.Mole:
    atoms = [(s, tuple(float(v) for v in xyz)) for s, xyz in zip(SYMBOLS, coords_angstrom)]
    return gto.M(atom=atoms, basis=BASIS, unit="Angstrom", verbose=0, symmetry=False)


def run_scf(mol: gto.Mole) -> scf.hf.RHF:
    mf = scf.RHF(mol)
    mf.conv_tol = SCF_CONV_TOL
    mf.conv_tol_grad = SCF_CONV_TOL_GRAD
    mf.max_cycle = 200
    mf.kernel()
    if not mf.converged:  # fall back to second-order SCF
        mf = scf.RHF(mol).newton()
        mf.conv_tol = SCF_CONV_TOL
        mf.conv_tol_grad = SCF_CONV_TOL_GRAD
        mf.kernel()
    if not mf.converged:
        raise RuntimeError("SCF did not converge")
    return mf


class Counter:
    energies = 0
    gradients = 0


def mp2_energy(coords_angstrom: np.ndarray) -> float:
    """Total MP2 energy (Hartree)."""
    mf = run_scf(make_mol(coords_angstrom))
    pt = mp.MP2(mf)
    pt.kernel()
    Counter.energies += 1
    return float(pt.e_tot)


def mp2_gradient(coords_angstrom: np.ndarray) -> np.ndarray:
    """Analytic MP2 gradient in Hartree/Angstrom, shape (3, 3)."""
    mf = run_scf(make_mol(coords_angstrom))
    pt = mp.MP2(mf)
    pt.kernel()
    g = pt.nuc_grad_method().kernel()
    Counter.gradients += 1
    return np.asarray(g) / BOHR_TO_ANGSTROM


# ----------------------------------------------------------------------------
# Geometry in a fixed frame: molecule in the yz plane, C2 axis = z,
# centre of mass at the origin.  Atom order O, H1, H2.
# ----------------------------------------------------------------------------
def c2v_geometry(r: float, theta: float) -> np.ndarray:
    s, c = math.sin(theta / 2), math.cos(theta / 2)
    x = np.array([[0.0, 0.0, 0.0], [0.0, r * s, -r * c], [0.0, -r * s, -r * c]])
    com = MASSES @ x / MASSES.sum()
    return x - com


def c2v_jacobian(r: float, theta: float) -> np.ndarray:
    """d(cartesian)/d(r, theta) for c2v_geometry, shape (9, 2)."""
    s, c = math.sin(theta / 2), math.cos(theta / 2)
    dr = np.array([[0, 0, 0], [0, s, -c], [0, -s, -c]], dtype=float)
    dt = np.array([[0, 0, 0], [0, r * c / 2, r * s / 2], [0, -r * c / 2, r * s / 2]], dtype=float)
    # The centre-of-mass shift is a translation: it does not change E.
    return np.stack([dr.ravel(), dt.ravel()], axis=1)


def internal_of(x: np.ndarray) -> tuple[float, float, float]:
    """(r1, r2, angle) of a Cartesian geometry."""
    v1, v2 = x[1] - x[0], x[2] - x[0]
    r1, r2 = np.linalg.norm(v1), np.linalg.norm(v2)
    return float(r1), float(r2), float(math.acos(np.dot(v1, v2) / (r1 * r2)))


def optimise_geometry() -> tuple[float, float, np.ndarray, float]:
    """Return r_eq (Angstrom), theta_eq (rad), Cartesian geometry, |internal gradient|."""
    mol = make_mol(c2v_geometry(0.96, math.radians(104.5)))
    mf = scf.RHF(mol)
    mf.conv_tol = SCF_CONV_TOL
    mf.conv_tol_grad = SCF_CONV_TOL_GRAD
    conv = dict(convergence_energy=1e-10, convergence_grms=1e-6, convergence_gmax=1.5e-6,
                convergence_drms=1e-5, convergence_dmax=1.5e-5)
    mol_eq = geometric_optimize(mp.MP2(mf), maxsteps=100, **conv)
    r1, r2, theta = internal_of(mol_eq.atom_coords(unit="Angstrom"))
    r = 0.5 * (r1 + r2)  # symmetrise to exact C2v
    print(f"  geomeTRIC: r1={r1:.8f} r2={r2:.8f} A, angle={math.degrees(theta):.6f} deg")

    def grad_internal(p):
        g = mp2_gradient(c2v_geometry(*p)).ravel()
        return c2v_jacobian(*p).T @ g

    # Newton polish in (r, theta) with a finite-difference 2x2 Hessian.
    p = np.array([r, theta])
    g = grad_internal(p)
    for it in range(6):
        hstep = np.array([1e-4, 1e-4])
        H = np.zeros((2, 2))
        for j in range(2):
            e = np.zeros(2)
            e[j] = hstep[j]
            H[:, j] = (grad_internal(p + e) - grad_internal(p - e)) / (2 * hstep[j])
        H = 0.5 * (H + H.T)
        p = p - np.linalg.solve(H, g)
        g = grad_internal(p)
        print(f"  Newton {it + 1}: r={p[0]:.10f} A, angle={math.degrees(p[1]):.8f} deg, "
              f"|g|={np.linalg.norm(g):.2e} Eh/(A,rad)")
        if np.linalg.norm(g) < 1e-9:
            break
    return float(p[0]), float(p[1]), c2v_geometry(*p), float(np.linalg.norm(g))


# ----------------------------------------------------------------------------
# Normal modes
# ----------------------------------------------------------------------------
def c2_operation() -> np.ndarray:
    """9x9 matrix of the C2(z) operation: rotate (x,y,z)->(-x,-y,z), swap H1/H2."""
    R = np.diag([-1.0, -1.0, 1.0])
    perm = [0, 2, 1]
    S = np.zeros((9, 9))
    for a, b in enumerate(perm):  # atom a is sent to position b
        S[3 * b:3 * b + 3, 3 * a:3 * a + 3] = R
    return S


def cartesian_hessian(x0: np.ndarray) -> np.ndarray:
    """Hessian in Hartree/Angstrom^2 by central differences of analytic gradients."""
    H = np.zeros((9, 9))
    flat = x0.ravel()
    for j in range(9):
        d = np.zeros(9)
        d[j] = CART_HESS_STEP
        gp = mp2_gradient((flat + d).reshape(3, 3)).ravel()
        gm = mp2_gradient((flat - d).reshape(3, 3)).ravel()
        H[:, j] = (gp - gm) / (2 * CART_HESS_STEP)
    H = 0.5 * (H + H.T)
    S = c2_operation()
    return 0.5 * (H + S @ H @ S.T)


def normal_modes(x0: np.ndarray, H: np.ndarray):
    """Return (eigenvalues in Eh/(amu A^2), L (9x3), labels) ordered q1,q2,q3."""
    m3 = np.repeat(MASSES, 3)
    minv = 1.0 / np.sqrt(m3)
    Hm = H * np.outer(minv, minv)
    # Project out translations and rotations (mass-weighted).
    sqm = np.sqrt(m3)
    tr = []
    for k in range(3):
        t = np.zeros((3, 3))
        t[:, k] = 1.0
        tr.append(t.ravel() * sqm)
        axis = np.zeros(3)
        axis[k] = 1.0
        tr.append(np.cross(axis, x0).ravel() * sqm)
    Q, _ = np.linalg.qr(np.array(tr).T)
    P = np.eye(9) - Q @ Q.T
    w, V = np.linalg.eigh(P @ Hm @ P)
    idx = np.argsort(w)[-3:]
    w, V = w[idx], V[:, idx]

    S = c2_operation()
    r_eq, _, theta_eq = internal_of(x0)
    modes = []
    for lam, v in zip(w, V.T):
        parity = float(v @ S @ v)  # +1 symmetric, -1 antisymmetric
        v = 0.5 * (v + np.sign(parity) * (S @ v))  # remove numerical noise
        v /= np.linalg.norm(v)
        dx = (v * minv).reshape(3, 3) * 1e-4  # small Cartesian displacement
        r1, r2, th = internal_of(x0 + dx)
        modes.append(dict(lam=float(lam), v=v, parity=np.sign(parity),
                          dr1=r1 - r_eq, dr2=r2 - r_eq, dth=th - theta_eq))
    anti = [m for m in modes if m["parity"] < 0]
    sym = [m for m in modes if m["parity"] > 0]
    assert len(anti) == 1 and len(sym) == 2, "unexpected mode symmetries"
    # Among the symmetric modes: stretch = larger bond-length character
    # (compare dr with r_eq*dtheta, both lengths).
    sym.sort(key=lambda m: abs(m["dr1"] + m["dr2"]) / 2 / (r_eq * abs(m["dth"]) + 1e-300))
    bend, stretch = sym
    # Deterministic signs.
    if stretch["dr1"] + stretch["dr2"] < 0:
        stretch["v"] = -stretch["v"]
    if bend["dth"] < 0:
        bend["v"] = -bend["v"]
    if anti[0]["dr1"] < 0:
        anti[0]["v"] = -anti[0]["v"]
    ordered = [stretch, bend, anti[0]]
    lam = np.array([m["lam"] for m in ordered])
    L = np.stack([m["v"] for m in ordered], axis=1)
    return lam, L


def wavenumber(lam_hartree_amu_A2: float) -> float:
    """Harmonic wavenumber (cm^-1) from a mass-weighted Hessian eigenvalue."""
    lam_si = lam_hartree_amu_A2 * HARTREE_J / (AMU_KG * 1e-20)
    return math.sqrt(lam_si) / (2 * math.pi * C_CM_S)


# ----------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------
def main() -> None:
    t_start = time.perf_counter()

    print("Optimising geometry (MP2/cc-pVDZ) ...")
    r_eq, th_eq, x0, gnorm = optimise_geometry()
    t_opt = time.perf_counter()
    e_min = mp2_energy(x0)
    print(f"  E_min = {e_min:.12f} Eh  (r = {r_eq:.8f} A, angle = {math.degrees(th_eq):.6f} deg)")

    print("Cartesian Hessian by finite differences of analytic gradients ...")
    H = cartesian_hessian(x0)
    lam, L = normal_modes(x0, H)
    k_cm = lam * HARTREE_TO_CM  # cm^-1 / (amu A^2)
    freqs = [wavenumber(v) for v in lam]
    t_hess = time.perf_counter()
    for i, (f, k) in enumerate(zip(freqs, k_cm)):
        print(f"  q{i + 1}: omega = {f:.4f} cm^-1, k = {k:.6f} cm^-1/(amu A^2)")

    minv = 1.0 / np.sqrt(np.repeat(MASSES, 3))

    def geometry_at(q) -> np.ndarray:
        return x0 + ((L @ np.asarray(q, dtype=float)) * minv).reshape(3, 3)

    cache: dict[tuple, float] = {}

    def energy_cm(q) -> float:
        key = tuple(round(float(v), 12) for v in q)
        if key not in cache:
            cache[key] = (mp2_energy(geometry_at(q)) - e_min) * HARTREE_TO_CM
        return cache[key]

    # ---- finite-difference oracle at the minimum ---------------------------
    print(f"Finite-difference derivatives in normal coordinates (h = {FD_STEP}, 2h) ...")

    def unit(i):
        e = np.zeros(3)
        e[i] = 1.0
        return e

    def grad_fd(i, h):
        return (energy_cm(h * unit(i)) - energy_cm(-h * unit(i))) / (2 * h)

    def second_fd(i, j, h):
        s = 0.0
        for si, sj in itertools.product((1, -1), repeat=2):
            s += si * sj * energy_cm(h * (si * unit(i) + sj * unit(j)))
        return s / (2 * h) ** 2

    def third_fd(i, j, k, h):
        s = 0.0
        for si, sj, sk in itertools.product((1, -1), repeat=3):
            s += si * sj * sk * energy_cm(h * (si * unit(i) + sj * unit(j) + sk * unit(k)))
        return s / (2 * h) ** 3

    def richardson(f, *idx):
        a, b = f(*idx, FD_STEP), f(*idx, 2 * FD_STEP)
        return (4 * a - b) / 3, a, b

    grad = [richardson(grad_fd, i)[0] for i in range(3)]
    hess = np.zeros((3, 3))
    for i in range(3):
        for j in range(i, 3):
            hess[i, j] = hess[j, i] = richardson(second_fd, i, j)[0]
    cubic = {}
    cubic_h = {}
    for i, j, k in itertools.combinations_with_replacement(range(3), 3):
        key = f"{i + 1}{j + 1}{k + 1}"
        cubic[key], cubic_h[key], _ = richardson(third_fd, i, j, k)
    t_fd = time.perf_counter()
    print(f"  gradient (should be ~0): {[f'{g:.3e}' for g in grad]}")
    print(f"  FD Hessian (cm^-1/(amu A^2)):\n{np.array2string(hess, precision=6)}")
    print(f"  analytic-gradient Hessian eigenvalues: {np.array2string(k_cm, precision=6)}")
    for key, v in cubic.items():
        odd = key.count("3") % 2 == 1
        print(f"  phi_{key} = {v:14.6f}   (h only: {cubic_h[key]:14.6f})"
              + ("   [odd in q3: must vanish]" if odd else ""))

    # ---- samples ---------------------------------------------------------------
    half_width = np.sqrt(2 * BOX_ENERGY_CM / k_cm)
    print(f"Sampling {N_SAMPLES} points; box half-widths {np.array2string(half_width, precision=6)}")
    rng = np.random.default_rng(SEED)
    Q = rng.uniform(-1.0, 1.0, size=(N_SAMPLES, 3)) * half_width
    Q = np.round(Q, 8)
    energies = []
    for n, q in enumerate(Q):
        energies.append((mp2_energy(geometry_at(q)) - e_min) * HARTREE_TO_CM)
        if (n + 1) % 100 == 0:
            print(f"  {n + 1}/{N_SAMPLES}  ({time.perf_counter() - t_fd:.1f} s)")
    energies = np.array(energies)
    t_end = time.perf_counter()

    CSV_PATH.parent.mkdir(parents=True, exist_ok=True)
    with CSV_PATH.open("w") as f:
        f.write("q1,q2,q3,energy\n")
        for q, e in zip(Q, energies):
            f.write(f"{q[0]:.8f},{q[1]:.8f},{q[2]:.8f},{e:.12g}\n")
    print(f"  energy range {energies.min():.3f} .. {energies.max():.3f} cm^-1")

    # ---- JSON oracle --------------------------------------------------------------
    odd_keys = [k for k in cubic if k.count("3") % 2 == 1]
    oracle = {
        "hessianDiagonal": [float(hess[i, i]) for i in range(3)],
        "hessianOffDiagonal": {"12": float(hess[0, 1]), "13": float(hess[0, 2]), "23": float(hess[1, 2])},
        "hessianEigenvaluesFromGradients": [float(v) for v in k_cm],
        "gradient": [float(g) for g in grad],
        "cubic": {k: float(v) for k, v in cubic.items()},
        "cubicStepHOnly": {k: float(v) for k, v in cubic_h.items()},
        "harmonicWavenumbers": [float(f) for f in freqs],
        "step": FD_STEP,
        "stepNote": ("nested central differences with steps h and 2h combined by Richardson "
                     "extrapolation, (4*D(h) - D(2h))/3; cubicStepHOnly is D(h) alone"),
        "units": ("energy cm^-1; q in sqrt(amu)*Angstrom; hessian cm^-1/(amu*Angstrom^2); "
                  "cubic cm^-1/(sqrt(amu)*Angstrom)^3"),
        "convention": ("phi_ijk = d^3E/dq_i dq_j dq_k at the minimum, so "
                       "E = sum_i hessianDiagonal[i]/2 q_i^2 + sum_{i<=j<=k} phi_ijk q_i q_j q_k / "
                       "(multiplicity factor: 6 for iii, 2 for iij, 1 for ijk) + ..."),
        "oddInQ3MustVanish": odd_keys,
        "levelOfTheory": "all-electron MP2/cc-pVDZ (RHF reference), PySCF",
        "equilibrium": {"rOH_angstrom": r_eq, "angleHOH_degrees": math.degrees(th_eq),
                        "energy_hartree": e_min},
        "masses_amu": {"O": MASS_O16, "H": MASS_H1},
        "referenceGeometry_angstrom": x0.tolist(),
        "normalModes_massWeighted": L.T.tolist(),
        "modeOrder": ["symmetric stretch", "bend", "antisymmetric stretch"],
    }
    JSON_PATH.parent.mkdir(parents=True, exist_ok=True)
    JSON_PATH.write_text(json.dumps(oracle, indent=2) + "\n")

    # ---- description ------------------------------------------------------------------
    minutes = (t_end - t_start) / 60
    cub = ", ".join(f"phi_{k} = {v:.2f}" for k, v in cubic.items() if k not in odd_keys)
    odd_max = max(abs(cubic[k]) for k in odd_keys)
    md = (
        "# Water potential-energy samples\n\n"
        f"`water.csv` holds {N_SAMPLES} all-electron MP2/cc-pVDZ energies (PySCF, RHF reference, "
        f"SCF conv_tol {SCF_CONV_TOL:g}) of H2O around its MP2/cc-pVDZ minimum "
        f"(r(OH) = {r_eq:.6f} A, angle HOH = {math.degrees(th_eq):.4f} deg; geomeTRIC then Newton polish), "
        "given as `energy` = (E - E_min) in cm^-1 (1 Eh = 219474.6313705 cm^-1). "
        "The coordinates `q1,q2,q3` are mass-weighted normal coordinates in sqrt(amu)*Angstrom "
        "(x = x_eq + M^-1/2 L q, masses of 16O and 1H) from the finite-difference MP2 Hessian: "
        "q1 symmetric stretch (positive: bonds lengthen), q2 bend (positive: angle opens), "
        "q3 antisymmetric stretch (antisymmetric under swapping the H atoms; positive: first O-H "
        "bond lengthens). Harmonic wavenumbers: "
        f"{freqs[0]:.2f}, {freqs[1]:.2f}, {freqs[2]:.2f} cm^-1. "
        f"Points are uniform (numpy seed {SEED}) in the box |q_i| <= a_i with "
        f"0.5 k_i a_i^2 = {BOX_ENERGY_CM:g} cm^-1, a = ({half_width[0]:.6f}, {half_width[1]:.6f}, "
        f"{half_width[2]:.6f}); coordinates are rounded to 8 decimals before the energy is computed. "
        "Finite-difference cubic force constants at the minimum, d^3E/dq_i dq_j dq_k in "
        f"cm^-1/(sqrt(amu)*A)^3 (nested central differences, steps h = {FD_STEP} and 2h, Richardson "
        f"extrapolated): {cub}; the constants odd in q3 vanish by symmetry "
        f"(largest |value| {odd_max:.1e}). They are stored with the Hessian diagonal in "
        "`Tests/SymdetectCoreTests/Fixtures/water_fd_constants.json`. Generated by "
        f"`scripts/water_pes.py` in {minutes:.1f} min on 2 cores "
        f"({Counter.energies} MP2 energies, {Counter.gradients} MP2 gradients).\n"
    )
    MD_PATH.write_text(md)
    print(f"Timings: optimisation {t_opt - t_start:.1f} s, Hessian {t_hess - t_opt:.1f} s, "
          f"finite differences {t_fd - t_hess:.1f} s, samples {t_end - t_fd:.1f} s, "
          f"total {t_end - t_start:.1f} s")
    print(f"wrote {CSV_PATH.relative_to(REPO)}, {MD_PATH.relative_to(REPO)}, {JSON_PATH.relative_to(REPO)}")


if __name__ == "__main__":
    main()
