#!/bin/sh
# Regenerates the example reports in reports/ (Markdown, SVG figures, JSON) from the example
# datasets in examples/, with fixed options. Run from anywhere:
#
#     scripts/regenerate-reports.sh
#
# It builds the release binary first (swift build -c release). The golden test
# (Tests/SymdetectCLITests/ReportGoldenTests.swift) runs this same script and fails if its output
# differs byte for byte from the committed reports; it sets two environment variables:
#   SYMDETECT=path   use this symdetect binary instead of building one;
#   REPORTS_DIR=dir  write the reports there instead of reports/.
# The analyses run in parallel; the reports do not depend on the order or the timing.
set -eu
cd "$(dirname "$0")/.."

if [ -z "${SYMDETECT:-}" ]; then
    swift build -c release --product symdetect
    SYMDETECT=.build/release/symdetect
fi
OUT=${REPORTS_DIR:-reports}
mkdir -p "$OUT"

pids=""
# Analyzes examples/NAME.csv into OUT/NAME.md (+ figures next to it) and OUT/NAME.json, in the
# background. The data path is relative to the repository root, as the reports quote it. Files of
# an earlier run are removed first (a figure of an operation that is no longer approximate).
analyze() {
    name=$1
    shift
    analyze_file "$name" "examples/$name.csv" "$@"
}

# The same for a data file of another name or kind: analyze_file NAME DATA [options].
analyze_file() {
    name=$1
    data=$2
    shift 2
    rm -f "$OUT/$name.md" "$OUT/$name.json" "$OUT/$name"-*.svg
    "$SYMDETECT" analyze "$data" --report "$OUT/$name.md" --json "$OUT/$name.json" "$@" >/dev/null &
    pids="$pids $!"
}

# A 1-D Morse well (hartree): reflect(x) is broken by the cubic force constant.
analyze morse --units hartree
# The hydrogen 3d_xy density about the nucleus (bohr^-3): C4 about z, not continuous rotation.
analyze hydrogen-3dxy --center origin --units 'bohr^-3'
# Real MP2 water energies in normal coordinates (cm^-1). Same options as the README's command,
# which therefore rewrites reports/water.md (and its figures) unchanged.
analyze water --units 'cm^-1'
# Real RHF/6-31G* water frames (extended XYZ, eV and Å): the molecular pipeline, with the
# point group C2v acting on the three normal coordinates.
analyze_file water-frames examples/water.extxyz
# Real RHF/6-31G* ammonia frames: C3v (order 6) acting on six normal coordinates, two pairs
# of them degenerate.
analyze_file ammonia-frames examples/ammonia.extxyz
# Real RHF/6-31G* frames of the linear CO2 (3N - 5 = 4 normal coordinates): D∞h, with the
# rotations about the axis (C∞) acting continuously on the degenerate bending pair.
analyze_file co2-frames examples/co2.extxyz

status=0
for pid in $pids; do
    wait "$pid" || status=1
done
if [ "$status" -ne 0 ]; then
    echo "regenerate-reports: an analysis failed (see above)" >&2
    exit 1
fi
ls "$OUT"
