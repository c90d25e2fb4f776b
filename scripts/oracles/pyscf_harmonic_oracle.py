#!/usr/bin/env python3
"""Harmonic-analysis oracle for symdetect's normal modes (NormalModes), from PySCF.

Writes ``Tests/SymdetectCoreTests/Fixtures/pyscf_harmonic.json``: for a few small
molecules (bent H2O, pyramidal NH3, linear HCN) an RHF analytic Cartesian Hessian at
the RHF minimum (reached here by Newton steps with the analytic gradient and
Hessian), and PySCF's own harmonic analysis of it
(``pyscf.hessian.thermo.harmonic_analysis``: mass-weighting, projection of
translations and rotations, eigen-decomposition and conversion to cm^-1, all by
PySCF's code and PySCF's physical constants).

The masses passed to PySCF are the most abundant isotopes' (NIST), the ones the Swift
``Element`` table uses, so only the unit constants differ between the two
(PySCF's ``pyscf.data.nist`` vs CODATA 2018: relative differences ~1e-8).

Layout of each case: species, positions_bohr and positions_angstrom (flat, atom-major;
PySCF's bohr), masses (u),
hessian_hartree_per_bohr2 (3N x 3N, row-major, atom-major), wavenumbers_cm1 (PySCF,
ascending; imaginary as negative), basis, max_gradient (hartree/bohr at the geometry).

Usage:
    pip install pyscf numpy
    python3 scripts/oracles/pyscf_harmonic_oracle.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyscf
from pyscf import gto, scf
from pyscf.data import nist
from pyscf.hessian import thermo

MASSES = {"H": 1.00782503223, "C": 12.0, "N": 14.00307400443, "O": 15.99491461957}

CASES = [
    ("water", "6-31g", [("O", (0.0, 0.0, 0.117)), ("H", (0.0, 0.757, -0.469)), ("H", (0.0, -0.757, -0.469))]),
    ("ammonia", "sto-3g", [("N", (0.0, 0.0, 0.116)), ("H", (0.0, 0.938, -0.271)),
                           ("H", (0.812, -0.469, -0.271)), ("H", (-0.812, -0.469, -0.271))]),
    ("hydrogen cyanide", "sto-3g", [("H", (0.0, 0.0, -1.066)), ("C", (0.0, 0.0, 0.0)), ("N", (0.0, 0.0, 1.153))]),
]


def build(atoms, basis, coords_bohr=None):
    mol = gto.M(atom=[(s, tuple(p)) for s, p in atoms], basis=basis, unit="Angstrom", verbose=0)
    if coords_bohr is not None:
        mol.set_geom_(coords_bohr, unit="Bohr")
    return mol


def energy_gradient_hessian(mol):
    mf = scf.RHF(mol)
    mf.conv_tol = 1e-12
    mf.kernel()
    grad = mf.nuc_grad_method().kernel()
    hess = mf.Hessian().kernel()
    return mf.e_tot, grad, hess


def newton_minimum(mol, steps=8):
    """Newton steps x <- x - H^+ g in the space of nonzero Hessian eigenvalues."""
    for _ in range(steps):
        _, g, h = energy_gradient_hessian(mol)
        n = mol.natm
        hm = h.transpose(0, 2, 1, 3).reshape(3 * n, 3 * n)
        w, v = np.linalg.eigh(hm)
        keep = np.abs(w) > 1e-4
        step = -v[:, keep] @ ((v[:, keep].T @ g.reshape(-1)) / w[keep])
        mol = mol.set_geom_(mol.atom_coords() + step.reshape(n, 3), unit="Bohr", inplace=False)
        if np.abs(g).max() < 1e-8:
            break
    return mol


def main() -> None:
    out = {"generator": f"scripts/oracles/pyscf_harmonic_oracle.py, PySCF {pyscf.__version__}", "cases": []}
    for name, basis, atoms in CASES:
        mol = newton_minimum(build(atoms, basis))
        _, g, h = energy_gradient_hessian(mol)
        species = [mol.atom_symbol(i) for i in range(mol.natm)]
        masses = np.array([MASSES[s] for s in species])
        result = thermo.harmonic_analysis(mol, h, imaginary_freq=False, mass=masses)
        n = mol.natm
        out["cases"].append({
            "name": name,
            "basis": basis,
            "species": species,
            "masses": masses.tolist(),
            "positions_bohr": mol.atom_coords().reshape(-1).tolist(),
            "positions_angstrom": (mol.atom_coords() * nist.BOHR).reshape(-1).tolist(),
            "hessian_hartree_per_bohr2": h.transpose(0, 2, 1, 3).reshape(3 * n, 3 * n).reshape(-1).tolist(),
            "wavenumbers_cm1": np.sort(np.asarray(result["freq_wavenumber"]).real).tolist(),
            "max_gradient": float(np.abs(g).max()),
        })
        print(name, out["cases"][-1]["wavenumbers_cm1"], "max |g|", out["cases"][-1]["max_gradient"])
    path = Path(__file__).resolve().parents[2] / "Tests/SymdetectCoreTests/Fixtures/pyscf_harmonic.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
