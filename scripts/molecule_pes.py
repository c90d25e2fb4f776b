#!/usr/bin/env python3
"""Ab initio reference data for symdetect's molecular mode (H2O and NH3), computed with PySCF.

Usage
-----
    OMP_NUM_THREADS=1 python3 scripts/molecule_pes.py water     # ~1 min on one core
    OMP_NUM_THREADS=1 python3 scripts/molecule_pes.py ammonia   # ~2 min on one core
    python3 scripts/molecule_pes.py water --check               # only re-read and verify the files

Needs `pip install pyscf` (ASE, `pip install ase`, is optional: when present the written files
are read back with `ase.io.read(path, index=":")` and compared with the computed values).
Everything is deterministic: fixed seeds, one thread, fixed tie-breaking conventions.

Level of theory
---------------
RHF/6-31G* with Cartesian d functions (6d, as the Pople basis was defined), all electrons,
PySCF. SCF conv_tol = 1e-11 Eh, conv_tol_grad = 1e-9; CPHF (Hessian) tolerance 1e-10.
Analytic gradients, analytic Hessians and the dipole moment come from the same wavefunction.
Constants are PySCF's own (so the files are consistent with its unit conversions):
1 bohr = 0.52917721092 A, 1 Eh = 27.21138602 eV = 219474.6313... cm^-1, 1 amu = 1822.888486 m_e.
Masses: most abundant isotopes, 1H 1.00782503223, 14N 14.00307400443, 16O 15.99491461957 amu.

Steps
-----
1. Minimum: Newton iterations with the analytic Hessian (translations and rotations projected
   out) from a textbook starting geometry until max|gradient| < 1e-9 Eh/bohr; the geometry is
   then symmetrised over its point group (found as below) and polished by one more Newton step.
   Reference orientation: centre of mass at the origin, z axis from the centre of mass towards
   the heavy atom (the C2 or C3 axis), atom 2 (the first H) in the xz plane with x > 0.
   Water therefore lies in the xz plane (so that dipole_x is an in-plane component).
2. Point group: every permutation of identical atoms combined with the best proper or improper
   rotation (Kabsch) mapping the structure onto itself within 1e-4 A. Water C2v (order 4),
   ammonia C3v (order 6). The analytic Hessian is averaged over the group (S H S^T) before the
   harmonic analysis (pyscf.hessian.thermo.harmonic_analysis, most abundant isotope masses).
3. Normal modes: ascending wavenumber. Degenerate pairs (ammonia's e modes) are rotated so that
   the first member is symmetric and the second antisymmetric under the mirror plane containing
   atom 2 (the xz plane). Sign convention: in each mass-weighted mode vector, the first component
   whose magnitude exceeds half the largest magnitude is positive.
   Dimensionless normal coordinates (atomic units, hbar = 1):
       x = x_eq + sum_i M^{-1/2} l_i q_i / sqrt(omega_i),
   with l_i the orthonormal mass-weighted mode vectors, M the masses in electron masses and
   omega_i the harmonic angular frequency in hartree. Then
       V(q) = E_eq + sum_i omega_i q_i^2 / 2 + (1/6) sum_ijk phi_ijk q_i q_j q_k
                    + (1/24) sum_ijkl phi_ijkl q_i q_j q_k q_l + ...
   (full sums over all index orders), with omega_i and phi in cm^-1.
4. Force constants by finite differences of analytic Hessians along the normal coordinates:
   K(q) = d^2V/dq dq^T at q (from the Cartesian Hessian: K = W^T H W with W the Cartesian
   displacement per unit q). With steps h = 0.05 and 2h along q_k:
       D3(h)_ijk = [K_ij(+h e_k) - K_ij(-h e_k)] / (2h)
       D4(h)_ijkk = [K_ij(+h e_k) - 2 K_ij(0) + K_ij(-h e_k)] / h^2
   both Richardson-extrapolated, phi = (4 D(h) - D(2h)) / 3 (error O(h^4)). Every cubic
   constant is estimated from each of its distinct index positions (phi_ijk from displacements
   along k, j and i); the stored value is the mean and `spread` the largest deviation from it.
   Quartic constants with a repeated index (phi_iiii, phi_iijj, phi_ijkk) come out the same way.
   Independent check: phi_iii from energies alone,
       D(h) = [E(2h) - 2E(h) + 2E(-h) - E(-2h)] / (2h^3), Richardson with h = 0.05 and 0.1.
5. Frames: dimensionless normal coordinates uniform in the box |q_i| <= a_i with
   omega_i a_i^2 / 2 = E_MAX / (3N - 6), E_MAX = 6000 cm^-1: the harmonic energy is at most
   6000 cm^-1 (box corner) and 2000 cm^-1 on average. Each displaced geometry is turned by a
   uniformly random proper rotation (normalised Gaussian quaternion) and moved by a translation
   uniform in [-3, 3]^3 A (numpy Generator, fixed seed per molecule); positions are rounded to
   8 decimals (as written) *before* the calculation, so each file is exactly self-consistent.
   Labels per frame:
     energy   = E - E_eq in eV (relative to the optimised minimum; E_eq in hartree is in the JSON)
     forces   = -dE/dx in eV/A (analytic gradient at the frame's own position and orientation)
     dipole_x = x component (Debye) of the dipole moment in the Eckart frame of the reference
                minimum: the frame is aligned to the reference geometry (mass-weighted centre of
                mass to the origin, proper rotation R minimising the mass-weighted RMSD, Kabsch)
                and the dipole vector computed in the frame's own orientation is rotated by R.
                Not invariant under the point group (odd under the H1/H2 swap of water; mixed
                with dipole_y by ammonia's C3), for testing that such a label comes out broken.

Outputs
-------
  examples/<molecule>.extxyz                                    frames (ASE extended XYZ)
  examples/water-cartesian.csv                                  water only: same frames as a CSV
                                                                (O_x,...,H2_z,energy in eV)
  Tests/SymdetectCoreTests/Fixtures/<molecule>_pyscf_reference.json
      level of theory, equilibrium geometry and energy, masses, point group with its operations
      (also as matrices on q), harmonic wavenumbers and modes, cubic and semidiagonal quartic
      force constants, three frames in full, and the force check.

Sanity checks printed: harmonic wavenumbers from the analytic Hessian against a Hessian from
central differences of analytic gradients (and, for water, the commonly quoted RHF/6-31G* values
1827, 4070, 4189 cm^-1), phi_iii from Hessians against phi_iii from energies, the invariance of
the cubic constants under the point group, RMS of the frame energies in cm^-1, residual of the harmonic and cubic models on the frames, forces
against a 5-point finite difference of the energy along a random direction for two frames.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
FIXTURES = REPO / "Tests" / "SymdetectCoreTests" / "Fixtures"

# ----------------------------------------------------------------------------
# Settings
# ----------------------------------------------------------------------------
BASIS = "6-31g*"
CARTESIAN_D = True
LEVEL = "RHF/6-31G* (Cartesian 6d functions, all electrons), PySCF"
SCF_CONV_TOL = 1e-11
SCF_CONV_TOL_GRAD = 1e-9
CPHF_CONV_TOL = 1e-10
NEWTON_GRAD_TOL = 1e-9          # Eh/bohr, max |gradient component|
SYMMETRY_TOL = 1e-4             # Angstrom
FD_STEP_Q = 0.05                # dimensionless step for the Hessian/energy differences
E_MAX_CM = 6000.0               # harmonic energy at the corner of the sampling box
TRANSLATION_A = 3.0             # translations uniform in [-3, 3]^3 Angstrom
POSITION_DECIMALS = 8
FORCE_CHECK_FRAMES = (0, 1)
FORCE_CHECK_STEP_A = 1e-3
GRADIENT_FD_STEP_A = 1e-3       # Cartesian step for the gradient-difference Hessian check
STORED_FRAMES = (0, 1, 2)

MASSES_AMU = {"H": 1.00782503223, "N": 14.00307400443, "O": 15.99491461957}

MOLECULES = {
    "water": dict(
        formula="H2O",
        symbols=["O", "H", "H"],
        start=[[0.0, 0.0, 0.117], [0.757, 0.0, -0.467], [-0.757, 0.0, -0.467]],
        point_group="C2v",
        frames=300,
        seed=20261202,
        # Commonly quoted RHF/6-31G* (6d) harmonic wavenumbers of H2O.
        published_cm=[1827, 4070, 4189],
        csv=True,
    ),
    "ammonia": dict(
        formula="NH3",
        symbols=["N", "H", "H", "H"],
        start=[[0.0, 0.0, 0.1],
               [0.94, 0.0, -0.27],
               [-0.47, 0.814, -0.27],
               [-0.47, -0.814, -0.27]],
        point_group="C3v",
        frames=600,
        seed=20261203,
        published_cm=None,     # no verified RHF/6-31G* values at hand
        csv=False,
    ),
}


# ----------------------------------------------------------------------------
# Electronic structure
# ----------------------------------------------------------------------------
def pyscf_modules():
    from pyscf import gto, lib, scf
    lib.num_threads(1)
    return gto, scf


class Stats:
    scf = 0
    hessians = 0


def make_mol(symbols, x_ang):
    gto, _ = pyscf_modules()
    atoms = [(s, tuple(float(v) for v in xyz)) for s, xyz in zip(symbols, x_ang)]
    return gto.M(atom=atoms, basis=BASIS, cart=CARTESIAN_D, unit="Angstrom",
                 symmetry=False, verbose=0)


def run_scf(symbols, x_ang):
    _, scf = pyscf_modules()
    mol = make_mol(symbols, x_ang)
    mf = scf.RHF(mol)
    mf.conv_tol = SCF_CONV_TOL
    mf.conv_tol_grad = SCF_CONV_TOL_GRAD
    mf.conv_tol_cpscf = CPHF_CONV_TOL
    mf.max_cycle = 200
    mf.kernel()
    if not mf.converged:
        mf = scf.RHF(mol).newton()
        mf.conv_tol = SCF_CONV_TOL
        mf.conv_tol_grad = SCF_CONV_TOL_GRAD
        mf.kernel()
        mf.conv_tol_cpscf = CPHF_CONV_TOL
    if not mf.converged:
        raise RuntimeError("SCF did not converge")
    Stats.scf += 1
    return mf


def energy(symbols, x_ang):
    return float(run_scf(symbols, x_ang).e_tot)


def energy_gradient_dipole(symbols, x_ang):
    """E (Eh), gradient (Eh/bohr, natm x 3), dipole (Debye, 3) in the frame's own axes."""
    mf = run_scf(symbols, x_ang)
    g = np.asarray(mf.nuc_grad_method().kernel())
    d = np.asarray(mf.dip_moment(unit="Debye", verbose=0))
    return float(mf.e_tot), g, d


def hessian(symbols, x_ang):
    """Analytic Cartesian Hessian, Eh/bohr^2, shape (3N, 3N)."""
    mf = run_scf(symbols, x_ang)
    h = mf.Hessian()
    h.verbose = 0
    H = np.asarray(h.kernel())
    Stats.hessians += 1
    n = len(symbols)
    return H.transpose(0, 2, 1, 3).reshape(3 * n, 3 * n), mf


# ----------------------------------------------------------------------------
# Geometry helpers
# ----------------------------------------------------------------------------
def centre(x, m):
    return x - m @ x / m.sum()


def orient(x, m):
    """Reference orientation: COM at origin, z towards atom 1, atom 2 in the xz plane (x > 0)."""
    x = centre(x, m)
    ez = x[0] / np.linalg.norm(x[0])
    v = x[1] - (x[1] @ ez) * ez
    ex = v / np.linalg.norm(v)
    ey = np.cross(ez, ex)
    return x @ np.stack([ex, ey, ez], axis=1)


def kabsch(p, q, w, proper=True):
    """Orthogonal R minimising sum_i w_i |R p_i - q_i|^2 (p, q centred); det R = +1 or -1."""
    A = (q * w[:, None]).T @ p
    U, _, Vt = np.linalg.svd(A)
    d = 1.0 if proper else -1.0
    s = np.sign(np.linalg.det(U @ Vt)) * d
    return U @ np.diag([1.0, 1.0, s]) @ Vt


def tr_basis(x, m):
    """Orthonormal basis (3N x 6) of mass-weighted translations and infinitesimal rotations."""
    sqm = np.repeat(np.sqrt(m), 3)
    vecs = []
    for k in range(3):
        t = np.zeros_like(x)
        t[:, k] = 1.0
        vecs.append(t.ravel() * sqm)
        a = np.zeros(3)
        a[k] = 1.0
        vecs.append(np.cross(a, x).ravel() * sqm)
    Q, _ = np.linalg.qr(np.array(vecs).T)
    return Q


def random_rotation(rng):
    qw, qx, qy, qz = (lambda v: v / np.linalg.norm(v))(rng.standard_normal(4))
    return np.array([
        [1 - 2 * (qy * qy + qz * qz), 2 * (qx * qy - qz * qw), 2 * (qx * qz + qy * qw)],
        [2 * (qx * qy + qz * qw), 1 - 2 * (qx * qx + qz * qz), 2 * (qy * qz - qx * qw)],
        [2 * (qx * qz - qy * qw), 2 * (qy * qz + qx * qw), 1 - 2 * (qx * qx + qy * qy)],
    ])


# ----------------------------------------------------------------------------
# Point group
# ----------------------------------------------------------------------------
def point_group(x, symbols, m, tol=SYMMETRY_TOL):
    """Operations (perm, R) with R x_i = x_perm[i] within tol (x centred)."""
    n = len(symbols)
    ops = []
    for perm in itertools.permutations(range(n)):
        if any(symbols[i] != symbols[perm[i]] for i in range(n)):
            continue
        target = x[list(perm)]
        for proper in (True, False):
            R = kabsch(x, target, m, proper)
            err = np.abs(x @ R.T - target).max()
            if err < tol:
                ops.append(dict(perm=list(perm), R=R, proper=proper, err=float(err)))
    return ops


def op_matrix(op, n):
    """3N x 3N matrix acting on Cartesian (or mass-weighted) displacement vectors."""
    S = np.zeros((3 * n, 3 * n))
    for i, p in enumerate(op["perm"]):
        S[3 * p:3 * p + 3, 3 * i:3 * i + 3] = op["R"]
    return S


def name_ops(ops):
    """Schoenflies name of the group and a name per operation (E, Cn^k, sigma)."""
    names = []
    proper = [o for o in ops if o["proper"]]
    improper = [o for o in ops if not o["proper"]]
    nrot = len(proper)
    for o in ops:
        R = o["R"]
        if o["proper"]:
            angle = math.degrees(math.acos(max(-1.0, min(1.0, (np.trace(R) - 1) / 2))))
            if angle < 1e-6:
                names.append("E")
            else:
                k = round(360.0 / angle)
                w = np.array([R[2, 1] - R[1, 2], R[0, 2] - R[2, 0], R[1, 0] - R[0, 1]])
                sign = "" if k == 2 or w[2] >= 0 else "^2"
                names.append(f"C{k}{sign}")
        else:
            if abs(np.trace(R) - 1.0) < 1e-6:   # reflection: eigenvalue -1 along the normal
                fixed = [i + 1 for i, p in enumerate(o["perm"]) if p == i]
                names.append("sigma(fixes atoms " + ",".join(map(str, fixed)) + ")")
            else:
                names.append("S")
    sigmas = [nm for nm in names if nm.startswith("sigma")]
    if not improper:
        group = f"C{nrot}"
    elif len(improper) == nrot and len(sigmas) == nrot and nrot > 1:
        group = f"C{nrot}v"
    else:
        group = f"order-{len(ops)} group"
    return group, names


def symmetrise_geometry(x, ops):
    acc = np.zeros_like(x)
    for o in ops:
        acc += x[o["perm"]] @ o["R"]        # R^T x_perm(i)
    return acc / len(ops)


# ----------------------------------------------------------------------------
# Minimum
# ----------------------------------------------------------------------------
def optimise(symbols, m, x_start):
    from pyscf.lib import param
    bohr = param.BOHR
    x = orient(np.array(x_start, dtype=float), m)
    n = len(symbols)

    def newton_step(x):
        H, mf = hessian(symbols, x)
        g = np.asarray(mf.nuc_grad_method().kernel()).ravel()
        Q = tr_basis(x, np.ones(n))                       # plain translations/rotations
        P = np.eye(3 * n) - Q @ Q.T
        w, V = np.linalg.eigh(P @ H @ P)
        keep = np.argsort(np.abs(w))[6:]
        step = -V[:, keep] @ ((V[:, keep].T @ g) / w[keep])
        return x + step.reshape(n, 3) * bohr, float(np.abs(g).max()), float(mf.e_tot)

    for it in range(20):
        x_new, gmax, e = newton_step(x)
        print(f"  Newton {it + 1}: E = {e:.12f} Eh, max|g| = {gmax:.2e} Eh/bohr")
        if gmax < NEWTON_GRAD_TOL:
            break
        x = orient(x_new, m)
    ops = point_group(x, symbols, m, tol=1e-3)
    x = orient(symmetrise_geometry(x, ops), m)
    x_new, gmax, e = newton_step(x)
    x = orient(symmetrise_geometry(orient(x_new, m), ops), m)
    e, g, _ = energy_gradient_dipole(symbols, x)
    gmax = float(np.abs(g).max())
    print(f"  symmetrised + polished: E = {e:.12f} Eh, max|g| = {gmax:.2e} Eh/bohr")
    return x, e, gmax


# ----------------------------------------------------------------------------
# Harmonic analysis
# ----------------------------------------------------------------------------
def harmonic(symbols, m, x0, ops):
    from pyscf.data import nist
    from pyscf.hessian import thermo
    n = len(symbols)
    H, mf = hessian(symbols, x0)
    Hs = sum(op_matrix(o, n) @ H @ op_matrix(o, n).T for o in ops) / len(ops)
    asym = float(np.abs(Hs - H).max())
    Hs = 0.5 * (Hs + Hs.T)
    hess4 = Hs.reshape(n, 3, n, 3).transpose(0, 2, 1, 3)
    res = thermo.harmonic_analysis(mf.mol, hess4, mass=m)
    freq_pyscf = np.asarray(res["freq_wavenumber"]).real
    nm = np.asarray(res["norm_mode"])                      # (nmode, natm, 3) = M^-1/2 L
    L = (nm * np.sqrt(m)[None, :, None]).reshape(len(nm), 3 * n).T   # orthonormal columns

    # Degenerate pairs: adapt to the mirror plane that fixes atom 2 (index 1).
    mirror = next((o for o in ops if not o["proper"] and o["perm"][1] == 1
                   and abs(np.trace(o["R"]) - 1) < 1e-6 and o["perm"] != list(range(n))), None)
    nmode = L.shape[1]
    i = 0
    while i < nmode:
        j = i + 1
        while j < nmode and abs(freq_pyscf[j] - freq_pyscf[i]) < 1e-3 * freq_pyscf[i]:
            j += 1
        if j - i == 2 and mirror is not None:
            S = op_matrix(mirror, n)
            B = L[:, i:j]
            w, V = np.linalg.eigh(B.T @ S @ B)
            L[:, i:j] = B @ V[:, ::-1]                    # +1 (symmetric) first
        elif j - i > 2:
            raise RuntimeError("degeneracy > 2 not handled")
        i = j
    for k in range(nmode):
        v = L[:, k]
        first = np.nonzero(np.abs(v) > 0.5 * np.abs(v).max())[0][0]
        if v[first] < 0:
            L[:, k] = -v

    minv = 1.0 / np.sqrt(np.repeat(m, 3))
    Hmw = Hs * np.outer(minv, minv)                         # Eh / (amu bohr^2)
    lam = np.einsum("ai,ab,bi->i", L, Hmw, L) / nist.AMU2AU   # Eh / (m_e bohr^2)
    omega = np.sqrt(lam)                                     # hartree (hbar = 1)
    offdiag = L.T @ Hmw @ L
    offdiag_max = float(np.abs(offdiag - np.diag(np.diag(offdiag))).max() / np.abs(np.diag(offdiag)).max())
    # Cartesian displacement (bohr) per unit dimensionless q_i: columns of W.
    W = (L * minv[:, None]) / np.sqrt(nist.AMU2AU) / np.sqrt(omega)[None, :]
    # Symmetry of the modes.
    D = [L.T @ op_matrix(o, n) @ L for o in ops]
    # Independent check: Cartesian Hessian by central differences of analytic gradients.
    from pyscf.lib import param
    Hg = np.zeros_like(H)
    step = GRADIENT_FD_STEP_A
    for a in range(3 * n):
        d = np.zeros(3 * n)
        d[a] = step
        gp = energy_gradient_dipole(symbols, x0 + d.reshape(n, 3))[1].ravel()
        gm = energy_gradient_dipole(symbols, x0 - d.reshape(n, 3))[1].ravel()
        Hg[:, a] = (gp - gm) / (2 * step / param.BOHR)
    Hg = 0.5 * (Hg + Hg.T)
    freq_grad = np.asarray(thermo.harmonic_analysis(
        mf.mol, Hg.reshape(n, 3, n, 3).transpose(0, 2, 1, 3), mass=m)["freq_wavenumber"]).real
    return dict(H=Hs, hessian_asymmetry=asym, freq_grad=freq_grad, freq_pyscf=freq_pyscf, L=L, omega=omega, W=W,
                D=D, reduced_mass=np.asarray(res["reduced_mass"]), offdiag=offdiag_max,
                gradient_at_min=np.asarray(mf.nuc_grad_method().kernel()))


def irrep_labels(group, freqs, D, op_names):
    n = len(freqs)
    labels = []
    for k in range(n):
        degenerate = any(abs(freqs[k] - freqs[j]) < 1e-3 * freqs[k] for j in range(n) if j != k)
        if degenerate:
            labels.append("e")
            continue
        chars = {nm: round(float(d[k, k])) for nm, d in zip(op_names, D)}
        if all(c == 1 for c in chars.values()):
            labels.append("a1")
        elif group == "C3v" or all(c == 1 for nm, c in chars.items() if nm.startswith("C")):
            labels.append("a2")
        else:
            plane = [c for nm, c in chars.items() if nm.startswith("sigma") and "1,2,3" in nm]
            # Water is planar: in-plane modes antisymmetric under C2 are b2 (Mulliken convention,
            # molecule in the yz plane; here it lies in the xz plane, see the docstring).
            labels.append("b2" if plane and plane[0] == 1 else "b1")
    return labels


# ----------------------------------------------------------------------------
# Force constants by finite differences
# ----------------------------------------------------------------------------
def force_constants(symbols, x0, hm):
    from pyscf.data import nist
    from pyscf.lib import param
    bohr = param.BOHR
    W, omega = hm["W"], hm["omega"]
    nq = W.shape[1]
    n = len(symbols)
    to_cm = nist.HARTREE2WAVENUMBER

    def geom(q):
        return x0 + (W @ q).reshape(n, 3) * bohr

    def K_at(q):
        H, _ = hessian(symbols, geom(q))
        return W.T @ H @ W                                  # Eh per unit q^2

    K0 = W.T @ hm["H"] @ W
    h = FD_STEP_Q
    D3 = {}      # (i, j, k) with k the displaced mode -> estimate
    D4 = {}      # (i, j, k, k)
    for k in range(nq):
        Ks = {}
        for s in (1, -1, 2, -2):
            q = np.zeros(nq)
            q[k] = s * h
            Ks[s] = K_at(q)
        d3h = (Ks[1] - Ks[-1]) / (2 * h)
        d3H = (Ks[2] - Ks[-2]) / (4 * h)
        d4h = (Ks[1] - 2 * K0 + Ks[-1]) / h ** 2
        d4H = (Ks[2] - 2 * K0 + Ks[-2]) / (2 * h) ** 2
        c3 = (4 * d3h - d3H) / 3 * to_cm
        c4 = (4 * d4h - d4H) / 3 * to_cm
        for i in range(nq):
            for j in range(nq):
                D3.setdefault(tuple(sorted((i, j, k))), []).append(c3[i, j])
                D4.setdefault(tuple(sorted((i, j, k, k))), []).append(c4[i, j])
    cubic = {key: (float(np.mean(v)), float(np.abs(np.array(v) - np.mean(v)).max()))
             for key, v in sorted(D3.items())}
    quartic = {key: (float(np.mean(v)), float(np.abs(np.array(v) - np.mean(v)).max()))
               for key, v in sorted(D4.items())}

    # Independent check of phi_iii from energies alone.
    e0 = energy(symbols, x0)
    diag_energy = []
    for i in range(nq):
        E = {}
        for s in (1, -1, 2, -2, 4, -4):
            q = np.zeros(nq)
            q[i] = s * h
            E[s] = energy(symbols, geom(q)) - e0
        dh = (E[2] - 2 * E[1] + 2 * E[-1] - E[-2]) / (2 * h ** 3)
        dH = (E[4] - 2 * E[2] + 2 * E[-2] - E[-4]) / (2 * (2 * h) ** 3)
        diag_energy.append(float((4 * dh - dH) / 3 * to_cm))
    return dict(K0_cm=K0 * to_cm, cubic=cubic, quartic=quartic, cubic_diag_energy=diag_energy)


def full_cubic(cubic, nq):
    phi = np.zeros((nq, nq, nq))
    for (i, j, k), (v, _) in cubic.items():
        for p in set(itertools.permutations((i, j, k))):
            phi[p] = v
    return phi


# ----------------------------------------------------------------------------
# Frames
# ----------------------------------------------------------------------------
def make_frames(name, cfg, x0, e0, hm, m):
    from pyscf.data import nist
    from pyscf.lib import param
    bohr, h2ev = param.BOHR, nist.HARTREE2EV
    symbols = cfg["symbols"]
    n = len(symbols)
    W, omega = hm["W"], hm["omega"]
    nq = W.shape[1]
    omega_cm = omega * nist.HARTREE2WAVENUMBER
    half = np.sqrt(2 * (E_MAX_CM / nq) / omega_cm)
    rng = np.random.default_rng(cfg["seed"])
    frames = []
    t0 = time.perf_counter()
    for f in range(cfg["frames"]):
        q = rng.uniform(-1.0, 1.0, nq) * half
        R = random_rotation(rng)
        t = rng.uniform(-TRANSLATION_A, TRANSLATION_A, 3)
        x_body = x0 + (W @ q).reshape(n, 3) * bohr
        x = np.round(x_body @ R.T + t, POSITION_DECIMALS) + 0.0
        E, g, dip = energy_gradient_dipole(symbols, x)
        Rk = kabsch(centre(x, m), x0, m, proper=True)     # frame -> Eckart frame of x0
        dip_eckart = Rk @ dip
        y = centre(x, m) @ Rk.T                               # frame in the Eckart frame of x0
        q_eckart = np.linalg.lstsq(W, (y - x0).ravel() / bohr, rcond=None)[0]
        frames.append(dict(q=q, rotation=R, translation=t, positions=x, eckart=y, q_eckart=q_eckart,
                           energy_hartree=E, energy_ev=(E - e0) * h2ev,
                           forces=-g * h2ev / bohr, dipole=dip, dipole_eckart=dip_eckart))
        if (f + 1) % 100 == 0:
            print(f"  {f + 1}/{cfg['frames']} frames ({time.perf_counter() - t0:.1f} s)")
    return frames, half


def operations_on_frame(symbols, frame, ops, op_names, m, x0, e0):
    """Apply each point-group operation to a frame in the Eckart frame: E must not change,
    dipole_x generally does (it is the test label that is not invariant)."""
    from pyscf.data import nist
    y = frame["eckart"]
    out = []
    for o, nm in zip(ops, op_names):
        img = np.zeros_like(y)
        img[o["perm"]] = y @ o["R"].T                      # atom i goes to the place of perm[i]
        E, _, dip = energy_gradient_dipole(symbols, img)
        Rk = kabsch(centre(img, m), x0, m, proper=True)
        out.append(dict(operation=nm, energy_eV=(E - e0) * nist.HARTREE2EV,
                        energy_change_eV=(E - frame["energy_hartree"]) * nist.HARTREE2EV,
                        dipole_x_debye=float((Rk @ dip)[0]),
                        eckart_rotation_deviation=float(np.abs(Rk - np.eye(3)).max())))
    return out


def force_check(symbols, frame, rng):
    """Directional derivative of E by a 5-point stencil vs -forces . d."""
    from pyscf.data import nist
    x = frame["positions"]
    d = rng.standard_normal(x.shape)
    d /= np.linalg.norm(d)
    h = FORCE_CHECK_STEP_A
    E = {s: energy(symbols, x + s * h * d) for s in (1, -1, 2, -2)}
    fd = (-E[2] + 8 * E[1] - 8 * E[-1] + E[-2]) / (12 * h) * nist.HARTREE2EV   # eV/A
    an = -float(np.sum(frame["forces"] * d))
    return dict(fd_eV_per_A=float(fd), analytic_eV_per_A=an,
                relative_difference=float(abs(fd - an) / abs(an)))


# ----------------------------------------------------------------------------
# Writers and the read-back check
# ----------------------------------------------------------------------------
def write_extxyz(path, symbols, frames):
    lines = []
    for fr in frames:
        lines.append(str(len(symbols)))
        lines.append(f"Properties=species:S:1:pos:R:3:forces:R:3 energy={fr['energy_ev']:.12f} "
                     f"dipole_x={fr['dipole_eckart'][0]:.10f} pbc=\"F F F\"")
        for s, p, f in zip(symbols, fr["positions"], fr["forces"]):
            lines.append(f"{s:<2} {p[0]:16.8f} {p[1]:16.8f} {p[2]:16.8f} "
                         f"{f[0]:18.10f} {f[1]:18.10f} {f[2]:18.10f}")
    path.write_text("\n".join(lines) + "\n")


def clean_tiny(obj, tol=1e-14):
    """Replace floating-point dust (|v| < tol, e.g. 1e-18 A on a symmetry axis) by 0.0."""
    if isinstance(obj, dict):
        return {k: clean_tiny(v, tol) for k, v in obj.items()}
    if isinstance(obj, list):
        return [clean_tiny(v, tol) for v in obj]
    if isinstance(obj, float) and abs(obj) < tol:
        return 0.0
    return obj


def csv_header(symbols):
    counts = {s: symbols.count(s) for s in symbols}
    seen = {}
    cols = []
    for s in symbols:
        seen[s] = seen.get(s, 0) + 1
        label = s if counts[s] == 1 else f"{s}{seen[s]}"
        cols += [f"{label}_x", f"{label}_y", f"{label}_z"]
    return cols + ["energy"]


def write_csv(path, symbols, frames):
    rows = [",".join(csv_header(symbols))]
    for fr in frames:
        cells = [f"{v:.8f}" for v in fr["positions"].ravel()] + [f"{fr['energy_ev']:.12f}"]
        rows.append(",".join(cells))
    path.write_text("\n".join(rows) + "\n")


def read_extxyz_plain(path):
    """Minimal reader (no ASE): list of (symbols, positions, forces, info)."""
    out = []
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines):
        n = int(lines[i])
        info = {}
        for tok in lines[i + 1].replace('pbc="F F F"', "").split():
            k, v = tok.split("=", 1)
            info[k] = v
        rows = [ln.split() for ln in lines[i + 2:i + 2 + n]]
        out.append(([r[0] for r in rows], np.array([[float(c) for c in r[1:4]] for r in rows]),
                    np.array([[float(c) for c in r[4:7]] for r in rows]), info))
        i += 2 + n
    return out


def check_files(name, cfg):
    """Re-read the written files (ASE when installed) and compare with the reference JSON."""
    ref = json.loads((FIXTURES / f"{name}_pyscf_reference.json").read_text())
    path = EXAMPLES / f"{name}.extxyz"
    plain = read_extxyz_plain(path)
    assert len(plain) == ref["dataset"]["frames"], "frame count"
    for fr in ref["storedFrames"]:
        syms, pos, frc, info = plain[fr["index"]]
        assert syms == cfg["symbols"]
        assert np.abs(pos - np.array(fr["positions_angstrom"])).max() < 1e-12
        assert np.abs(frc - np.array(fr["forces_eV_per_angstrom"])).max() < 1e-9
        assert abs(float(info["energy"]) - fr["energy_eV"]) < 1e-11
        assert abs(float(info["dipole_x"]) - fr["dipole_x_debye"]) < 1e-9
    msg = [f"plain reader: {len(plain)} frames consistent with the reference JSON"]
    try:
        import ase.io
    except ImportError:
        msg.append("ASE not installed: read-back with ase.io.read skipped")
        return msg
    images = ase.io.read(str(path), index=":")
    assert len(images) == len(plain), "ASE frame count"
    worst = dict(energy=0.0, forces=0.0, dipole_x=0.0, positions=0.0)
    for atoms, (syms, pos, frc, info) in zip(images, plain):
        assert atoms.get_chemical_symbols() == syms
        worst["positions"] = max(worst["positions"], float(np.abs(atoms.positions - pos).max()))
        worst["energy"] = max(worst["energy"],
                              abs(atoms.get_potential_energy() - float(info["energy"])))
        worst["forces"] = max(worst["forces"], float(np.abs(atoms.get_forces() - frc).max()))
        worst["dipole_x"] = max(worst["dipole_x"],
                                abs(float(atoms.info["dipole_x"]) - float(info["dipole_x"])))
        assert not any(atoms.pbc)
    assert max(worst.values()) < 1e-12, worst
    msg.append(f"ase {ase.__version__}: ase.io.read(index=':') returns {len(images)} frames; "
               f"largest differences {worst}")
    if cfg["csv"]:
        csv = (EXAMPLES / f"{name}-cartesian.csv").read_text().splitlines()
        assert csv[0].split(",") == csv_header(cfg["symbols"])
        assert len(csv) - 1 == len(plain)
        for row, (_, pos, _, info) in zip(csv[1:], plain):
            v = [float(c) for c in row.split(",")]
            assert np.abs(np.array(v[:-1]) - pos.ravel()).max() < 1e-12
            assert abs(v[-1] - float(info["energy"])) < 1e-11
        msg.append(f"{name}-cartesian.csv: {len(csv) - 1} rows, same positions and energies")
    return msg


# ----------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------
def run(name):
    import pyscf
    from pyscf.data import nist
    from pyscf.lib import param
    cfg = MOLECULES[name]
    symbols = cfg["symbols"]
    n = len(symbols)
    m = np.array([MASSES_AMU[s] for s in symbols])
    timings = {}
    t = time.perf_counter()

    print(f"{name}: minimum at {LEVEL}")
    x0, e0, gmax = optimise(symbols, m, cfg["start"])
    ops = point_group(x0, symbols, m)
    group, op_names = name_ops(ops)
    print(f"  point group {group} (order {len(ops)}): {', '.join(op_names)}")
    if group != cfg["point_group"]:
        raise RuntimeError(f"expected {cfg['point_group']}, found {group}")
    timings["optimisation_s"] = time.perf_counter() - t

    t = time.perf_counter()
    hm = harmonic(symbols, m, x0, ops)
    omega_cm = hm["omega"] * nist.HARTREE2WAVENUMBER
    labels = irrep_labels(group, omega_cm, hm["D"], op_names)
    q_matrices = {tuple(np.round(d, 8).ravel()) for d in hm["D"]}
    print(f"  Hessian asymmetry before averaging over the group: {hm['hessian_asymmetry']:.1e} Eh/bohr^2")
    print("  harmonic wavenumbers (cm^-1): analytic Hessian / pyscf harmonic_analysis / "
          "gradient differences / commonly quoted RHF/6-31G*")
    for k in range(len(omega_cm)):
        pub = f"{cfg['published_cm'][k]:6d}" if cfg["published_cm"] else "     -"
        print(f"    q{k + 1} {labels[k]:<2} {omega_cm[k]:10.3f}  {hm['freq_pyscf'][k]:10.3f}  "
              f"{hm['freq_grad'][k]:10.3f}  {pub}")
    timings["harmonic_s"] = time.perf_counter() - t

    t = time.perf_counter()
    fc = force_constants(symbols, x0, hm)
    nq = len(omega_cm)
    phi3 = full_cubic(fc["cubic"], nq)
    # Symmetry check: phi must be invariant under the group's action on q.
    sym_dev = max(float(np.abs(np.einsum("ai,bj,ck,ijk->abc", d, d, d, phi3) - phi3).max())
                  for d in hm["D"])
    print(f"  d2V/dq2 at the minimum (must equal omega): "
          f"{np.array2string(np.diag(fc['K0_cm']), precision=3)}")
    print("  cubic force constants phi_ijk (cm^-1), Hessian differences [spread] / energy differences")
    for (i, j, k), (v, s) in fc["cubic"].items():
        extra = f"  {fc['cubic_diag_energy'][i]:12.4f}" if i == j == k else ""
        if abs(v) > 1e-3 or extra:
            print(f"    phi_{i + 1}{j + 1}{k + 1} = {v:12.4f} [{s:.1e}]{extra}")
    print(f"  largest change of phi under the group: {sym_dev:.1e} cm^-1")
    timings["force_constants_s"] = time.perf_counter() - t

    t = time.perf_counter()
    print(f"Frames: {cfg['frames']} (seed {cfg['seed']})")
    frames, half = make_frames(name, cfg, x0, e0, hm, m)
    timings["frames_s"] = time.perf_counter() - t
    e_cm = np.array([fr["energy_hartree"] - e0 for fr in frames]) * nist.HARTREE2WAVENUMBER
    Q = np.array([fr["q"] for fr in frames])
    harm = 0.5 * (Q ** 2) @ omega_cm
    cub = np.einsum("ijk,ni,nj,nk->n", phi3, Q, Q, Q) / 6
    rms = lambda v: float(np.sqrt(np.mean(v ** 2)))  # noqa: E731
    stats = dict(rms_cm=rms(e_cm), mean_cm=float(e_cm.mean()), min_cm=float(e_cm.min()),
                 max_cm=float(e_cm.max()), harmonic_residual_rms_cm=rms(e_cm - harm),
                 cubic_residual_rms_cm=rms(e_cm - harm - cub))
    dx = np.array([fr["dipole_eckart"][0] for fr in frames])
    print(f"  energies (cm^-1): RMS {stats['rms_cm']:.1f}, mean {stats['mean_cm']:.1f}, "
          f"range {stats['min_cm']:.1f} .. {stats['max_cm']:.1f}")
    print(f"  residual RMS (cm^-1): harmonic model {stats['harmonic_residual_rms_cm']:.2f}, "
          f"+ cubic terms {stats['cubic_residual_rms_cm']:.2f}")
    print(f"  dipole_x (D): mean {dx.mean():+.4f}, RMS {rms(dx):.4f}")
    dq = max(float(np.abs(fr["q"] - fr["q_eckart"]).max()) for fr in frames)
    print(f"  largest |q(sampled) - q(after Eckart alignment)|: {dq:.1e} "
          "(the sampled displacements satisfy the Eckart conditions; only the rounding of positions)")

    t = time.perf_counter()
    rng = np.random.default_rng(cfg["seed"] + 1)
    checks = []
    for f in FORCE_CHECK_FRAMES:
        c = force_check(symbols, frames[f], rng)
        c["frame"] = f
        checks.append(c)
        print(f"  force check frame {f}: FD {c['fd_eV_per_A']:.10f}, analytic "
              f"{c['analytic_eV_per_A']:.10f} eV/A, relative difference {c['relative_difference']:.1e}")
    sym_frame = operations_on_frame(symbols, frames[0], ops, op_names, m, x0, e0)
    print(f"  frame 0 under the point group (energy change in eV, dipole_x in D; "
          f"frame 0 has dipole_x {frames[0]['dipole_eckart'][0]:+.6f}):")
    for c in sym_frame:
        print(f"    {c['operation']:<22} dE = {c['energy_change_eV']:+.1e}  "
              f"dipole_x = {c['dipole_x_debye']:+.6f}")
    timings["force_check_s"] = time.perf_counter() - t

    # ---- write ---------------------------------------------------------------
    EXAMPLES.mkdir(exist_ok=True)
    FIXTURES.mkdir(parents=True, exist_ok=True)
    xyz_path = EXAMPLES / f"{name}.extxyz"
    write_extxyz(xyz_path, symbols, frames)
    written = [xyz_path]
    if cfg["csv"]:
        csv_path = EXAMPLES / f"{name}-cartesian.csv"
        write_csv(csv_path, symbols, frames)
        written.append(csv_path)

    dip0 = energy_gradient_dipole(symbols, x0)[2]
    W_ang = hm["W"] * param.BOHR
    ref = {
        "molecule": name,
        "formula": cfg["formula"],
        "levelOfTheory": LEVEL,
        "pyscfVersion": pyscf.__version__,
        "scf": {"conv_tol": SCF_CONV_TOL, "conv_tol_grad": SCF_CONV_TOL_GRAD,
                "conv_tol_cpscf": CPHF_CONV_TOL, "basis": BASIS, "cartesianD": CARTESIAN_D},
        "constants": {"bohr_angstrom": param.BOHR, "hartree_eV": nist.HARTREE2EV,
                      "hartree_wavenumber": nist.HARTREE2WAVENUMBER, "amu_electronMasses": nist.AMU2AU},
        "symbols": symbols,
        "masses_amu": m.tolist(),
        "equilibrium": {
            "geometry_angstrom": x0.tolist(),
            "orientation": ("centre of mass at the origin, z from the centre of mass to atom 1, "
                            "atom 2 in the xz plane with x > 0; this is the Eckart reference of dipole_x"),
            "energy_hartree": e0,
            "maxGradient_hartreePerBohr": gmax,
            "dipole_debye": dip0.tolist(),
        },
        "pointGroup": {
            "name": group,
            "order": len(ops),
            "orderOfActionOnQ": len(q_matrices),
            "operations": [
                {"name": nm, "permutation": [p + 1 for p in o["perm"]],
                 "permutationNote": "atom i is carried to the place of atom permutation[i] (1-based)",
                 "rotation": np.round(o["R"], 12).tolist(), "proper": o["proper"],
                 "actionOnQ": np.round(d, 10).tolist()}
                for nm, o, d in zip(op_names, ops, hm["D"])],
        },
        "harmonic": {
            "wavenumbers_cm": omega_cm.tolist(),
            "pyscfHarmonicAnalysis_cm": hm["freq_pyscf"].tolist(),
            "fromGradientDifferences_cm": hm["freq_grad"].tolist(),
            "fromGradientDifferencesMethod": (
                f"Cartesian Hessian by central differences of analytic gradients, step "
                f"{GRADIENT_FD_STEP_A} A, not symmetrised; an independent check of the analytic Hessian"),
            "commonlyQuotedRHF631Gstar_cm": cfg["published_cm"],
            "irreps": labels,
            "irrepNote": ("Mulliken labels; water's antisymmetric stretch is b2 in the usual convention "
                          "(molecule in the yz plane) although the reference here lies in the xz plane"),
            "reducedMasses_amu": hm["reduced_mass"].tolist(),
            "normalModes_massWeighted": hm["L"].T.reshape(nq, n, 3).tolist(),
            "normalModesNote": ("l_i, orthonormal in mass-weighted Cartesians (atom order as in the "
                                "extxyz); pyscf's norm_mode is M^-1/2 l_i"),
            "displacementPerUnitQ_angstrom": W_ang.T.reshape(nq, n, 3).tolist(),
            "dimensionlessCoordinates": ("x = x_eq + sum_i displacementPerUnitQ[i] * q_i, i.e. "
                                         "q_i = sqrt(omega_i) * (mass-weighted normal coordinate) "
                                         "in atomic units; V = E_eq + sum_i omega_i q_i^2/2 + ..."),
        },
        "forceConstants": {
            "units": "cm^-1 (derivatives of V in cm^-1 with respect to dimensionless q)",
            "convention": ("V(q) = E_eq + sum_i omega_i q_i^2/2 + (1/6) sum_ijk phi_ijk q_i q_j q_k "
                           "+ (1/24) sum_ijkl phi_ijkl q_i q_j q_k q_l, full sums over all index orders; "
                           "indices 1-based, ascending"),
            "method": ("central differences of analytic Hessians K_ij(q) = d2V/dq_i dq_j along q_k: "
                       "D3(h) = [K_ij(+h e_k) - K_ij(-h e_k)]/(2h), "
                       "D4(h) = [K_ij(+h e_k) - 2K_ij(0) + K_ij(-h e_k)]/h^2, "
                       "Richardson (4 D(h) - D(2h))/3; averaged over the displaced index; "
                       "spread = largest deviation of one estimate from the mean"),
            "step_q": FD_STEP_Q,
            "hessianAtMinimum_cm": fc["K0_cm"].tolist(),
            "cubic": [{"indices": [i + 1, j + 1, k + 1], "value": v, "spread": s}
                      for (i, j, k), (v, s) in fc["cubic"].items()],
            "cubicDiagonalFromEnergies": fc["cubic_diag_energy"],
            "cubicDiagonalFromEnergiesMethod": (
                "[E(2h) - 2E(h) + 2E(-h) - E(-2h)]/(2h^3) with h = step_q and 2*step_q, Richardson"),
            "quarticWithRepeatedIndex": [
                {"indices": [a + 1 for a in key], "value": v, "spread": s}
                for key, (v, s) in fc["quartic"].items()],
            "largestChangeUnderGroup_cm": sym_dev,
        },
        "sampling": {
            "scheme": ("dimensionless normal coordinates uniform in |q_i| <= a_i, "
                       "omega_i a_i^2/2 = E_max/(3N-6); random proper rotation (normalised Gaussian "
                       "quaternion) and translation uniform in [-3,3]^3 A per frame; positions rounded "
                       "to 8 decimals before the calculation"),
            "E_max_cm": E_MAX_CM,
            "halfWidths_q": half.tolist(),
            "seed": cfg["seed"],
            "generator": "numpy.random.default_rng; per frame: q (uniform), quaternion (4 normals), translation (3 uniforms)",
        },
        "dataset": {
            "file": f"examples/{name}.extxyz",
            "csv": f"examples/{name}-cartesian.csv" if cfg["csv"] else None,
            "frames": len(frames),
            "energy": "E - E_eq in eV",
            "forces": "eV/Angstrom",
            "dipole_x": "Debye, x component in the Eckart frame of the equilibrium geometry above",
            "statistics_cm": stats,
        },
        "storedFrames": [
            {"index": f, "q": frames[f]["q"].tolist(),
             "q_eckart": frames[f]["q_eckart"].tolist(),
             "q_eckartNote": ("dimensionless normal coordinates of the frame after Eckart alignment "
                              "(least squares on displacementPerUnitQ); equal to the sampled q up to "
                              "the rounding of positions, since rectilinear normal-mode displacements "
                              "satisfy the Eckart conditions"),
             "eckartPositions_angstrom": frames[f]["eckart"].tolist(),
             "rotation": frames[f]["rotation"].tolist(),
             "translation_angstrom": frames[f]["translation"].tolist(),
             "positions_angstrom": frames[f]["positions"].tolist(),
             "energy_hartree": frames[f]["energy_hartree"],
             "energy_eV": float(f"{frames[f]['energy_ev']:.12f}"),
             "forces_eV_per_angstrom": np.round(frames[f]["forces"], 10).tolist(),
             "dipole_frame_debye": frames[f]["dipole"].tolist(),
             "dipole_eckart_debye": frames[f]["dipole_eckart"].tolist(),
             "dipole_x_debye": float(f"{frames[f]['dipole_eckart'][0]:.10f}")}
            for f in STORED_FRAMES],
        "frame0UnderPointGroup": {
            "note": ("each operation applied to frame 0 in the Eckart frame (atom i moved to the "
                     "place of permutation[i], rotated); energy is invariant, dipole_x is not"),
            "images": sym_frame},
        "forceCheck": {"stencil": "5-point central difference of E along a random unit direction",
                       "step_angstrom": FORCE_CHECK_STEP_A, "frames": checks},
        "timings_s": {k: round(v, 1) for k, v in timings.items()},
        "generatedBy": f"python3 scripts/molecule_pes.py {name}",
    }
    json_path = FIXTURES / f"{name}_pyscf_reference.json"
    json_path.write_text(json.dumps(clean_tiny(ref), indent=1) + "\n")
    written.append(json_path)
    print(f"  {Stats.scf} SCF calculations, {Stats.hessians} analytic Hessians")
    print("  timings: " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))
    for p in written:
        print(f"  wrote {p.relative_to(REPO)} ({p.stat().st_size} bytes)")
    for line in check_files(name, cfg):
        print("  check: " + line)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("molecule", choices=sorted(MOLECULES))
    ap.add_argument("--check", action="store_true", help="only re-read and verify the written files")
    args = ap.parse_args()
    if args.check:
        for line in check_files(args.molecule, MOLECULES[args.molecule]):
            print(line)
        return
    t = time.perf_counter()
    run(args.molecule)
    print(f"total {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
