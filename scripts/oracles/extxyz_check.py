#!/usr/bin/env python3
"""Independent oracle for symdetect's extended-XYZ reader (ExtendedXYZReader).

Writes, with ASE (``ase.io.write(..., format="extxyz")``), a small trajectory of a
methanol molecule (one hydrogen a deuterium, by mass) whose frames carry a
random geometry, an energy and forces (through a SinglePointCalculator), a
second label ``REF_energy``, and comment-line keys of every kind ASE writes:
a string with a blank, a non-ASCII string, a string with quotes, an integer, a
float array, a flag, and a key that only some frames have.  Then it reads the
file back with ``ase.io.read`` and records what ASE found — the values Python
parsed from the very same text — in a JSON file:

    Tests/SymdetectCoreTests/Fixtures/extxyz_ase.extxyz
    Tests/SymdetectCoreTests/Fixtures/extxyz_ase.json

Numbers are stored in the JSON as ``repr`` strings (shortest round-trip text),
so the Swift test converts them with ``Double(String)``, which is correctly
rounded, and compares bit for bit: Python's ``float()`` rounds correctly too,
so the Swift reader must agree exactly.  ``info`` lists each frame's keys in
file order with ASE's type for the value (str, int, float, bool, floats).

It also writes ``extxyz_comment_cases.json``: random comment lines made of
keys, blanks, ``=``, quotes, brackets and backslashes, each with the
``key=value`` texts that ASE's comment-line grammar (the character loop of
``ase.io.extxyz.key_val_str_to_dict``, reproduced in ``ase_comment_pairs``
because ASE converts the values to numbers right after it) gives for it.
Lines whose delimiters are left open are skipped (the Swift reader refuses
them), and so are lines with an empty delimited part (``""``), where the Swift
reader deliberately differs (see ExtendedXYZCommentLine).

Usage:
    pip install ase
    python3 scripts/oracles/extxyz_check.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from ase import Atoms
from ase.calculators.singlepoint import SinglePointCalculator
from ase.io import read, write

FIXTURES = Path(__file__).resolve().parents[2] / "Tests" / "SymdetectCoreTests" / "Fixtures"
XYZ = FIXTURES / "extxyz_ase.extxyz"
ORACLE = FIXTURES / "extxyz_ase.json"
COMMENT_CASES = FIXTURES / "extxyz_comment_cases.json"

# Methanol, Å (C, H, H, H, O, H).
REFERENCE = np.array([
    [-0.0467, 0.6638, 0.0000],
    [-1.0853, 0.9975, 0.0000],
    [0.4395, 1.0855, 0.8848],
    [0.4395, 1.0855, -0.8848],
    [-0.0467, -0.7572, 0.0000],
    [0.8670, -1.0578, 0.0000],
])
MASSES = [12.0, 1.00782503223, 2.01410177812, 1.00782503223, 15.99491461957, 1.00782503223]
FRAMES = 8


def frames() -> list[Atoms]:
    rng = np.random.default_rng(20261202)
    out = []
    for i in range(FRAMES):
        atoms = Atoms("CH3OH", positions=REFERENCE + rng.normal(scale=0.05, size=REFERENCE.shape))
        atoms.set_masses(MASSES)
        atoms.info["config_type"] = "bond scan" if i % 2 == 0 else "β-scan"
        atoms.info["step"] = i
        atoms.info["com_velocity"] = rng.normal(size=3)
        atoms.info["converged"] = True
        if i == 0:
            atoms.info["note"] = 'first "reference" frame'
        atoms.info["REF_energy"] = float(-115.0 + rng.normal(scale=0.1))
        energy = float(-115.0 + rng.normal(scale=0.1))
        forces = rng.normal(scale=0.5, size=(len(atoms), 3))
        atoms.calc = SinglePointCalculator(atoms, energy=energy, forces=forces)
        out.append(atoms)
    return out


def info_entry(key: str, value) -> dict:
    if isinstance(value, (bool, np.bool_)):
        return {"key": key, "kind": "bool", "value": bool(value)}
    if isinstance(value, (int, np.integer)):
        return {"key": key, "kind": "int", "value": int(value)}
    if isinstance(value, (float, np.floating)):
        return {"key": key, "kind": "float", "value": repr(float(value))}
    if isinstance(value, np.ndarray):
        return {"key": key, "kind": "floats", "value": [repr(float(x)) for x in value.ravel()]}
    return {"key": key, "kind": "str", "value": str(value)}


def ase_comment_pairs(string: str) -> list[list[str]] | None:
    """The (key, value) texts of a comment line, by the character loop of ASE's
    key_val_str_to_dict (ASE 3.22-3.29) before its type conversion; None when a
    delimiter is never closed."""
    delimiters = {"'": "'", '"': '"', "{": "}", "[": "]"}
    kv_pairs: list[list[list[str]]] = [[[]]]
    cur_delimiter = None
    escaped = False
    for char in string.strip():
        if escaped:
            kv_pairs[-1][-1].append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif cur_delimiter:
            if char == cur_delimiter:
                cur_delimiter = None
            else:
                kv_pairs[-1][-1].append(char)
        elif char in delimiters:
            cur_delimiter = delimiters[char]
        elif char.isspace():
            if kv_pairs == [[[]]] or kv_pairs[-1][-1] == []:
                continue
            kv_pairs.append([[]])
        elif char == "=":
            if kv_pairs[-1] == [[]]:
                del kv_pairs[-1]
            kv_pairs[-1].append([])
        else:
            kv_pairs[-1][-1].append(char)
    if cur_delimiter:
        return None
    pairs = []
    for kv in kv_pairs:
        if len(kv) == 1:
            key, value = "".join(kv[0]), "T"
        else:
            key, value = "".join(kv[0]), "=".join("".join(x) for x in kv[1:])
        if key or value != "T":
            pairs.append([key, value])
    return pairs


def comment_cases(count: int = 400) -> list[dict]:
    rng = np.random.default_rng(7)
    pieces = ["a", "b", "energy", "1.5", " ", "  ", "\t", "=", '"', "'", "\\", "[", "]", "{", "}", "x y", "β"]
    cases = []
    while len(cases) < count:
        text = "".join(pieces[i] for i in rng.integers(0, len(pieces), size=int(rng.integers(1, 14))))
        if any(empty in text for empty in ['""', "''", "[]", "{}"]):
            continue
        try:
            pairs = ase_comment_pairs(text)
        except IndexError:  # ASE fails on a line that starts with "="
            continue
        if pairs is not None:
            cases.append({"text": text, "pairs": pairs})
    return cases


def main() -> None:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    write(XYZ, frames(), format="extxyz")
    back = read(XYZ, index=":", format="extxyz")
    oracle = {
        "ase": __import__("ase").__version__,
        "species": back[0].get_chemical_symbols(),
        "masses": [repr(float(m)) for m in back[0].get_masses()],
        "positions": [repr(float(x)) for atoms in back for x in atoms.positions.ravel()],
        "forces": [repr(float(x)) for atoms in back for x in atoms.get_forces().ravel()],
        "energies": [repr(float(atoms.get_potential_energy())) for atoms in back],
        "REF_energies": [repr(float(atoms.info["REF_energy"])) for atoms in back],
        "pbc": [[bool(p) for p in atoms.pbc] for atoms in back],
        "info": [[info_entry(k, v) for k, v in atoms.info.items()] for atoms in back],
    }
    ORACLE.write_text(json.dumps(oracle, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    cases = comment_cases()
    lines = ",\n".join(json.dumps(case, ensure_ascii=False) for case in cases)
    COMMENT_CASES.write_text("[\n" + lines + "\n]\n", encoding="utf-8")
    print(f"wrote {XYZ.name} ({len(back)} frames), {ORACLE.name} and {COMMENT_CASES.name} ({len(cases)} lines)")


if __name__ == "__main__":
    main()
