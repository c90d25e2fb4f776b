#!/usr/bin/env python3
"""PySCF energies and forces at geometries written by `symdetect augment`, as an oracle.

Usage
-----
    swift build
    OMP_NUM_THREADS=1 python3 scripts/augment_oracle.py [path/to/symdetect]    # ~1 min on one core

Needs `pip install pyscf`; ASE (`pip install ase`) is optional: when present every written file
is also read back with `ase.io.read(path, index=":")` and compared with the plain reader below.

What it does
------------
For each case below, runs `symdetect augment <example> --op ... --scheme ... --provenance` on the
shipped frames (examples/water.extxyz, examples/ammonia.extxyz: RHF/6-31G*, energies E - E_eq in
eV, forces in eV/A), takes the images of the first frames (3 for exact operations, 10 for
water's approximate reflect(q1) and reflect(q2) under each scheme) (the image of frame f under group
element k is frame k * frameCount + f of the output) and recomputes, at exactly the written
geometry, the energy and the analytic forces with PySCF at the level of scripts/molecule_pes.py:
RHF/6-31G* with Cartesian d functions, SCF conv_tol 1e-11 Eh, conv_tol_grad 1e-9, PySCF's
constants (1 Eh = 27.21138602 eV, 1 bohr = 0.52917721092 A), E_eq from the molecule's
reference JSON. Stored per image: the written geometry, species, the operation (provenance key),
the source frame's energy, and PySCF's energy (eV, relative to E_eq) and forces (eV/A). The
differences to what augment wrote are printed, not stored.

The Swift test (MolecularAugmentationTests) rebuilds the images, checks that its geometries are
these (so the oracle applies to them) and compares its energies and forces with PySCF's:
- exact point-group operations (every element of ammonia's C3v, water's C2): equal to SCF
  precision;
- water's reflect(q1) and reflect(q2) (approximate symmetries): each scheme's energies differ from
  PySCF's by the label error the scheme leaves (2 y_a for naive, -2 (y - h)_s for hessian,
  2 (y - T)_a for taylor; SPEC section 1), which the test compares with the predicted floors.

Output: Tests/SymdetectCoreTests/Fixtures/augment_pyscf_oracle.json
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
import molecule_pes as pes  # noqa: E402  (same level of theory and SCF settings)

FIXTURE = REPO / "Tests" / "SymdetectCoreTests" / "Fixtures" / "augment_pyscf_oracle.json"
EXACT_FRAMES = [0, 1, 2]
APPROXIMATE_FRAMES = list(range(10))

CASES = [
    dict(name="ammonia-C3v", molecule="ammonia", example="ammonia.extxyz",
         ops=["C3", "perm(3,4)·σv"], scheme="naive", frames=EXACT_FRAMES),
    dict(name="water-C2", molecule="water", example="water.extxyz", ops=["C2"], scheme="naive",
         frames=EXACT_FRAMES),
] + [
    dict(name=f"water-reflect-{q}-{scheme}", molecule="water", example="water.extxyz",
         ops=[f"reflect({q})"], scheme=scheme, frames=APPROXIMATE_FRAMES)
    for q in ("q1", "q2") for scheme in ("naive", "hessian", "taylor")
]


def read_extxyz(path):
    """Frames as dicts: species, positions (N x 3), forces (N x 3 or None), info (str values)."""
    lines = Path(path).read_text().splitlines()
    frames, i = [], 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        n = int(lines[i])
        info = parse_comment(lines[i + 1])
        props = info["Properties"].split(":")
        names = props[0::3]
        rows = [lines[i + 2 + a].split() for a in range(n)]
        col, cols = 0, {}
        for name, count in zip(names, props[2::3]):
            cols[name] = (col, col + int(count))
            col += int(count)
        arr = lambda key: (np.array([[float(v) for v in r[cols[key][0]:cols[key][1]]] for r in rows])
                           if key in cols else None)
        frames.append(dict(species=[r[0] for r in rows], positions=arr("pos"), forces=arr("forces"), info=info))
        i += 2 + n
    return frames


def parse_comment(line):
    """key=value pairs with "..." quoting and backslash escapes (enough for what augment writes)."""
    out, key, value, cur, quoted, esc, in_value = {}, "", "", "", False, False, False
    for ch in line + " ":
        if esc:
            cur += ch
            esc = False
        elif ch == "\\":
            esc = True
        elif ch == '"':
            quoted = not quoted
        elif ch == "=" and not quoted and not in_value:
            key, cur, in_value = cur, "", True
        elif ch.isspace() and not quoted:
            if in_value or cur:
                out[key if in_value else cur] = cur if in_value else "T"
            key, cur, in_value = "", "", False
        else:
            cur += ch
    return out


def main():
    binary = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / ".build" / "debug" / "symdetect"
    from pyscf.data import nist
    h2ev, bohr = nist.HARTREE2EV, nist.BOHR
    cases_out = []
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            ref = json.loads((pes.FIXTURES / f"{case['molecule']}_pyscf_reference.json").read_text())
            e_eq = ref["equilibrium"]["energy_hartree"]
            out = Path(tmp) / f"{case['name']}.extxyz"
            args = [str(binary), "augment", str(REPO / "examples" / case["example"]), "--scheme", case["scheme"],
                    "--provenance", "-o", str(out)]
            for op in case["ops"]:
                args += ["--op", op]
            subprocess.run(args, check=True, capture_output=True)
            written = read_extxyz(out)
            originals = read_extxyz(REPO / "examples" / case["example"])
            n = len(originals)
            assert len(written) % n == 0
            try:
                import ase.io
                back = ase.io.read(out, index=":")
                assert len(back) == len(written)
                for fr, at in zip(written, back):
                    assert np.array_equal(at.get_positions(), fr["positions"])
                    assert np.array_equal(at.get_forces(), fr["forces"])
                    assert at.get_potential_energy() == float(fr["info"]["energy"])
                print(f"{case['name']}: ASE reads the {len(back)} frames back identically")
            except ImportError:
                print("ASE not installed: read-back check skipped")
            images = []
            for k in range(1, len(written) // n):
                for f in case["frames"]:
                    fr = written[k * n + f]
                    E, g, _ = pes.energy_gradient_dipole(fr["species"], fr["positions"])
                    forces = -np.asarray(g) * h2ev / bohr
                    energy = (E - e_eq) * h2ev
                    images.append(dict(
                        sourceFrame=f, outputFrame=k * n + f, operation=fr["info"]["operation"],
                        species=fr["species"], positions=fr["positions"].tolist(),
                        pyscfEnergy=energy, pyscfForces=forces.tolist(),
                        sourceEnergy=float(originals[f]["info"]["energy"])))
                    print(f"  {case['name']} frame {f} {fr['info']['operation']}: "
                          f"|dE| = {abs(energy - float(fr['info']['energy'])):.2e} eV, "
                          f"max|dF| = {np.abs(forces - fr['forces']).max():.2e} eV/A")
            cases_out.append(dict(name=case["name"], example=case["example"], operations=case["ops"],
                                  scheme=case["scheme"], frameCount=n, images=images))
    FIXTURE.write_text(json.dumps(dict(
        levelOfTheory=pes.LEVEL, scf=dict(conv_tol=pes.SCF_CONV_TOL, conv_tol_grad=pes.SCF_CONV_TOL_GRAD),
        units=dict(energy="eV, E - E_eq (E_eq of the molecule's reference JSON)", forces="eV/A", positions="A"),
        constants=dict(hartree_eV=h2ev, bohr_A=bohr),
        generatedBy="python3 scripts/augment_oracle.py", cases=cases_out), indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {FIXTURE.relative_to(REPO)} ({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
