import Foundation
import XCTest
@testable import SymdetectCore

/// Point groups of textbook molecules, each built with exact symmetric coordinates from standard
/// bond lengths and angles, then rotated, translated and its atoms shuffled (seeded).
final class PointGroupTests: XCTestCase {
    // MARK: Structures

    struct Structure {
        var species: [String]
        var positions: [[Double]]
        var masses: [Double] { species.map { Self.mass[$0]! } }

        /// Most abundant isotopes (amu), enough for these tests.
        static let mass: [String: Double] = [
            "H": 1.00782503, "B": 11.0093054, "C": 12.0, "N": 14.0030740, "O": 15.9949146,
            "F": 18.9984032, "S": 31.9720707, "Cl": 34.9688527, "Br": 78.9183371,
        ]

        init(_ atoms: [(String, [Double])]) {
            species = atoms.map(\.0)
            positions = atoms.map(\.1)
        }
    }

    static let deg = Double.pi / 180

    static var water: Structure {
        let r = 0.9572, half = 104.52 / 2 * deg
        return Structure([("O", [0, 0, 0]), ("H", [r * sin(half), 0, r * cos(half)]), ("H", [-r * sin(half), 0, r * cos(half)])])
    }

    /// N–H 1.012 Å, H–N–H 106.67°: the H atoms on a circle of radius ρ = d(H,H)/√3 at depth h.
    static var ammonia: Structure {
        let r = 1.012, dHH = 2 * r * sin(106.67 / 2 * deg)
        let rho = dHH / 3.0.squareRoot(), h = (r * r - rho * rho).squareRoot()
        return Structure([("N", [0, 0, 0])] + (0..<3).map { k in
            let a = 2 * Double.pi * Double(k) / 3
            return ("H", [rho * cos(a), rho * sin(a), -h])
        })
    }

    static var methane: Structure {
        let s = 1.087 / 3.0.squareRoot()
        return Structure([("C", [0, 0, 0]), ("H", [s, s, s]), ("H", [s, -s, -s]), ("H", [-s, s, -s]), ("H", [-s, -s, s])])
    }

    static var benzene: Structure {
        let rc = 1.39, rh = 1.39 + 1.09
        return Structure((0..<6).flatMap { k -> [(String, [Double])] in
            let a = Double(k) * Double.pi / 3
            return [("C", [rc * cos(a), rc * sin(a), 0]), ("H", [rh * cos(a), rh * sin(a), 0])]
        })
    }

    static var carbonDioxide: Structure {
        Structure([("O", [0, 0, -1.16]), ("C", [0, 0, 0]), ("O", [0, 0, 1.16])])
    }

    static var hydrogenCyanide: Structure {
        Structure([("H", [0, 0, -1.064]), ("C", [0, 0, 0]), ("N", [0, 0, 1.156])])
    }

    /// C=O 1.205 Å, C–H 1.111 Å, H–C–H 116.5°.
    static var formaldehyde: Structure {
        let r = 1.111, half = 116.5 / 2 * deg
        return Structure([("C", [0, 0, 0]), ("O", [0, 0, 1.205]),
                          ("H", [r * sin(half), 0, -r * cos(half)]), ("H", [-r * sin(half), 0, -r * cos(half)])])
    }

    /// O–O 1.475 Å, O–H 0.95 Å, O–O–H 94.8°, dihedral 111.5°; the C2 axis is x.
    static var hydrogenPeroxide: Structure {
        let l = 1.475 / 2, r = 0.95, b = 94.8 * deg, tau = 111.5 * deg
        return Structure([
            ("O", [0, 0, l]), ("O", [0, 0, -l]),
            ("H", [r * sin(b) * cos(tau / 2), r * sin(b) * sin(tau / 2), l - r * cos(b)]),
            ("H", [r * sin(b) * cos(tau / 2), -r * sin(b) * sin(tau / 2), -l + r * cos(b)]),
        ])
    }

    /// Four different substituents on tetrahedral directions, each at its own bond length: chiral.
    static var bromochlorofluoromethane: Structure {
        let d = 1 / 3.0.squareRoot()
        return Structure([("C", [0, 0, 0]), ("H", [1.09 * d, 1.09 * d, 1.09 * d]), ("F", [1.35 * d, -1.35 * d, -1.35 * d]),
                          ("Cl", [-1.77 * d, 1.77 * d, -1.77 * d]), ("Br", [-1.93 * d, -1.93 * d, 1.93 * d])])
    }

    static var sulfurHexafluoride: Structure {
        let r = 1.56
        return Structure([("S", [0, 0, 0]), ("F", [r, 0, 0]), ("F", [-r, 0, 0]), ("F", [0, r, 0]),
                          ("F", [0, -r, 0]), ("F", [0, 0, r]), ("F", [0, 0, -r])])
    }

    /// Staggered ethane: C–C 1.535 Å, C–H 1.094 Å, H–C–C 111.2°, the two methyls turned by 60°.
    static var ethane: Structure {
        let l = 1.535 / 2, r = 1.094, a = 111.2 * deg
        var atoms: [(String, [Double])] = [("C", [0, 0, l]), ("C", [0, 0, -l])]
        for k in 0..<3 {
            let top = 2 * Double.pi * Double(k) / 3, bottom = top + Double.pi / 3
            atoms.append(("H", [r * sin(a) * cos(top), r * sin(a) * sin(top), l - r * cos(a)]))
            atoms.append(("H", [r * sin(a) * cos(bottom), r * sin(a) * sin(bottom), -l + r * cos(a)]))
        }
        return Structure(atoms)
    }

    /// Allene H2C=C=CH2: C=C 1.308 Å, C–H 1.087 Å, H–C–H 118.2°, the CH2 planes perpendicular.
    static var allene: Structure {
        let l = 1.308, r = 1.087, half = 118.2 / 2 * deg
        let s = r * sin(half), z = l + r * cos(half)
        return Structure([("C", [0, 0, 0]), ("C", [0, 0, l]), ("C", [0, 0, -l]),
                          ("H", [s, 0, z]), ("H", [-s, 0, z]), ("H", [0, s, -z]), ("H", [0, -s, -z])])
    }

    /// Ethylene: C=C 1.339 Å, C–H 1.087 Å, H–C–H 117.4°.
    static var ethylene: Structure {
        let l = 1.339 / 2, r = 1.087, half = 117.4 / 2 * deg
        let s = r * sin(half), z = l + r * cos(half)
        return Structure([("C", [0, 0, l]), ("C", [0, 0, -l]),
                          ("H", [s, 0, z]), ("H", [-s, 0, z]), ("H", [s, 0, -z]), ("H", [-s, 0, -z])])
    }

    static var boronTrifluoride: Structure {
        Structure([("B", [0, 0, 0])] + (0..<3).map { k in
            let a = 2 * Double.pi * Double(k) / 3
            return ("F", [1.31 * cos(a), 1.31 * sin(a), 0])
        })
    }

    /// trans-Diazene HN=NH: N=N 1.252 Å, N–H 1.028 Å, N–N–H 106.9°, H atoms on opposite sides.
    static var transDiazene: Structure {
        let l = 1.252 / 2, r = 1.028, a = 106.9 * deg
        let h = [l - r * cos(a), r * sin(a), 0]
        return Structure([("N", [l, 0, 0]), ("N", [-l, 0, 0]), ("H", h), ("H", h.map { -$0 })])
    }

    /// closo-B12H12²⁻: B on an icosahedron of radius 1.70 Å, each H radially 1.20 Å further out.
    static var dodecaborane: Structure {
        let phi = (1 + 5.0.squareRoot()) / 2
        var vertices: [[Double]] = []
        for s1 in [-1.0, 1.0] { for s2 in [-1.0, 1.0] {
            vertices += [[0, s1, s2 * phi], [s1, s2 * phi, 0], [s2 * phi, 0, s1]]
        } }
        let unit = vertices.map { v in v.map { $0 / (1 + phi * phi).squareRoot() } }
        return Structure(unit.flatMap { u in [("B", u.map { $0 * 1.70 }), ("H", u.map { $0 * 2.90 })] })
    }

    // MARK: Random placement

    struct Placed {
        var structure: Structure
        /// order[k] is the index in the original structure of atom k of the placed one.
        var order: [Int]
        var rotation: [[Double]]
    }

    static func rotation(_ rng: inout SeededGenerator) -> [[Double]] {
        SymmetryOperation.haarRandomRotation(&rng)
    }

    /// A random rotation, a random translation (up to 5 Å per coordinate) and a random atom order.
    static func place(_ s: Structure, seed: UInt64) -> Placed {
        var rng = SeededGenerator(seed: seed)
        let r = rotation(&rng)
        let t = (0..<3).map { _ in rng.uniform(-5, 5) }
        var order = Array(s.positions.indices)
        rng.shuffle(&order)
        var out = s
        out.species = order.map { s.species[$0] }
        out.positions = order.map { k in
            let p = s.positions[k]
            return (0..<3).map { i in t[i] + r[i][0] * p[0] + r[i][1] * p[1] + r[i][2] * p[2] }
        }
        return Placed(structure: out, order: order, rotation: r)
    }

    // MARK: Checks

    /// Finds the group of the randomly placed structure and checks what every group must satisfy.
    @discardableResult
    func assertPointGroup(_ s: Structure, _ expected: SchoenfliesSymbol, operations expectedCount: Int, seed: UInt64 = 7,
                          tolerance: Double = PointGroupDiscovery.defaultTolerance,
                          file: StaticString = #filePath, line: UInt = #line) throws -> PointGroup {
        let placed = Self.place(s, seed: seed).structure
        let group = try PointGroupDiscovery.pointGroup(species: placed.species, masses: placed.masses,
                                                       positions: placed.positions, tolerance: tolerance)
        XCTAssertEqual(group.symbol, expected, "\(group.operations.map(\.name))", file: file, line: line)
        XCTAssertEqual(group.operations.count, expectedCount, "\(group.operations.map(\.name))", file: file, line: line)
        if let order = expected.order { XCTAssertEqual(order, expectedCount, file: file, line: line) }
        XCTAssertTrue(group.operations[0].isIdentity, file: file, line: line)
        try assertGroupProperties(group, placed, file: file, line: line)
        return group
    }

    func assertGroupProperties(_ group: PointGroup, _ s: Structure, file: StaticString = #filePath, line: UInt = #line) throws {
        let ops = group.operations
        let n = s.positions.count
        let identity3 = Matrix.identity(3)
        for op in ops {
            // Orthogonal, with the determinant its element says.
            XCTAssertLessThan((op.matrix.transposed * op.matrix).maxAbsDifference(identity3), 1e-12, op.name, file: file, line: line)
            let m = op.matrix
            let det = m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1]) - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0])
                + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0])
            XCTAssertEqual(det, op.isProper ? 1 : -1, accuracy: 1e-12, op.name, file: file, line: line)
            // Permutes identical atoms only, and maps the structure onto itself.
            XCTAssertEqual(Set(op.permutation), Set(0..<n), file: file, line: line)
            for i in 0..<n {
                XCTAssertEqual(s.species[i], s.species[op.permutation[i]], file: file, line: line)
            }
            let image = op.image(of: s.positions, centre: group.centreOfMass)
            for i in 0..<n {
                let d = zip(image[i], s.positions[i]).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
                XCTAssertLessThanOrEqual(d, group.tolerance, op.name, file: file, line: line)
            }
            XCTAssertLessThanOrEqual(op.maxDeviation, group.tolerance, file: file, line: line)
            // The symmetrized structure is exactly invariant.
            let ideal = op.image(of: group.symmetrizedPositions, centre: group.centreOfMass)
            for i in 0..<n {
                for k in 0..<3 { XCTAssertEqual(ideal[i][k], group.symmetrizedPositions[i][k], accuracy: 1e-9, file: file, line: line) }
            }
        }
        // Distinct elements, closed under products (matrices and permutations), per the table.
        for a in ops.indices {
            for b in ops.indices where b > a {
                XCTAssertFalse(ops[a].permutation == ops[b].permutation && ops[a].matrix.maxAbsDifference(ops[b].matrix) < 1e-6,
                               "\(ops[a].name) = \(ops[b].name)", file: file, line: line)
            }
        }
        for a in ops.indices {
            for b in ops.indices {
                let c = ops[group.multiplicationTable[a][b]]
                XCTAssertLessThan((ops[a].matrix * ops[b].matrix).maxAbsDifference(c.matrix), 1e-9, file: file, line: line)
                XCTAssertEqual(ops[b].permutation.map { ops[a].permutation[$0] }, c.permutation, file: file, line: line)
            }
        }
        // The displacement action is a representation, and fixes the equilibrium structure read as
        // a displacement from the centre of mass.
        let x0 = s.positions.flatMap { p in (0..<3).map { p[$0] - group.centreOfMass[$0] } }
        for (a, op) in ops.enumerated().prefix(6) {
            let d = op.displacementAction()
            XCTAssertLessThan((d.transposed * d).maxAbsDifference(.identity(3 * n)), 1e-12, file: file, line: line)
            for (k, v) in (d * x0).enumerated() { XCTAssertEqual(v, x0[k], accuracy: group.tolerance, file: file, line: line) }
            for b in ops.indices.prefix(6) {
                let product = d * ops[b].displacementAction()
                let expected = ops[group.multiplicationTable[a][b]].displacementAction()
                XCTAssertLessThan(product.maxAbsDifference(expected), 1e-9, file: file, line: line)
            }
        }
    }

    func symbolCounts(_ g: PointGroup) -> [String: Int] {
        g.operations.reduce(into: [:]) { $0[$1.symbol, default: 0] += 1 }
    }

    // MARK: Acceptance molecules

    func testPointGroupWaterIsC2v() throws {
        let g = try assertPointGroup(Self.water, .cnv(2), operations: 4)
        XCTAssertEqual(g.name, "C2v")
        XCTAssertEqual(g.operations.map(\.symbol), ["E", "C2", "σv", "σv'"])
        // The molecular plane (all three atoms) is σv and fixes every atom; C2 and σv' swap the H atoms.
        XCTAssertEqual(g.operations[2].permutationName, nil)
        XCTAssertNotNil(g.operations[1].permutationName)
    }

    func testPointGroupAmmoniaIsC3v() throws {
        let g = try assertPointGroup(Self.ammonia, .cnv(3), operations: 6)
        XCTAssertEqual(symbolCounts(g), ["E": 1, "C3": 1, "C3²": 1, "σv": 3])
    }

    func testPointGroupMethaneIsTd() throws {
        let g = try assertPointGroup(Self.methane, .td, operations: 24)
        XCTAssertEqual(symbolCounts(g).filter { $0.key.hasPrefix("C3") }.values.reduce(0, +), 8)
        XCTAssertEqual(symbolCounts(g)["C2"], 3)
        XCTAssertEqual(symbolCounts(g).filter { $0.key.hasPrefix("S4") }.values.reduce(0, +), 6)
        XCTAssertEqual(symbolCounts(g)["σd"], 6)
        XCTAssertNil(g.principalAxis)
    }

    func testPointGroupBenzeneIsD6h() throws {
        let g = try assertPointGroup(Self.benzene, .dnh(6), operations: 24)
        let counts = symbolCounts(g)
        XCTAssertEqual(counts["C6"], 1)
        XCTAssertEqual(counts["C6⁵"], 1)
        XCTAssertEqual(counts["C3"], 1)
        XCTAssertEqual(counts["C2"], 1)
        // C2' through atoms, C2'' bisecting the C–C bonds.
        XCTAssertEqual(counts["C2'"], 3)
        XCTAssertEqual(counts["C2''"], 3)
        XCTAssertEqual(counts["i"], 1)
        XCTAssertEqual(counts["σh"], 1)
        XCTAssertEqual(counts["σv"], 3)
        XCTAssertEqual(counts["σd"], 3)
        // σv: the planes through atoms (four atoms each); σd bisect the C–C bonds.
        for op in g.operations where op.symbol == "σv" || op.symbol == "σd" {
            let onPlane = g.symmetrizedPositions.filter { p in
                abs(zip(p, g.centreOfMass).map { $0 - $1 }.enumerated().map { $0.element * op.axis![$0.offset] }.reduce(0, +)) < 1e-6
            }.count
            XCTAssertEqual(onPlane, op.symbol == "σv" ? 4 : 0)
        }
    }

    func testPointGroupCarbonDioxideIsDInfinityH() throws {
        let g = try assertPointGroup(Self.carbonDioxide, .dInfinityH, operations: 8)
        XCTAssertTrue(g.isInfinite)
        XCTAssertNil(g.order)
        XCTAssertEqual(g.name, "D∞h")
        XCTAssertEqual(g.operations.map(\.symbol), ["E", "C2", "C2'", "C2''", "i", "σh", "σv", "σv'"])
        // The end swap carries each O atom to the other's site.
        let placed = Self.place(Self.carbonDioxide, seed: 7).structure
        let inversion = g.operations[4]
        for i in placed.positions.indices where placed.species[i] == "O" { XCTAssertNotEqual(inversion.permutation[i], i) }
    }

    func testPointGroupHydrogenCyanideIsCInfinityV() throws {
        let g = try assertPointGroup(Self.hydrogenCyanide, .cInfinityV, operations: 4)
        XCTAssertTrue(g.isInfinite)
        XCTAssertEqual(g.name, "C∞v")
        XCTAssertTrue(g.operations.allSatisfy { $0.permutationName == nil })
    }

    func testPointGroupFormaldehydeIsC2v() throws {
        try assertPointGroup(Self.formaldehyde, .cnv(2), operations: 4)
    }

    func testPointGroupTwistedHydrogenPeroxideIsC2() throws {
        let g = try assertPointGroup(Self.hydrogenPeroxide, .cn(2), operations: 2)
        XCTAssertEqual(g.operations[1].name.hasSuffix("·C2"), true, g.operations[1].name)
    }

    func testPointGroupBromochlorofluoromethaneIsC1() throws {
        let g = try assertPointGroup(Self.bromochlorofluoromethane, .c1, operations: 1)
        XCTAssertEqual(g.operations[0].name, "E")
    }

    func testPointGroupSulfurHexafluorideIsOh() throws {
        let g = try assertPointGroup(Self.sulfurHexafluoride, .oh, operations: 48)
        let counts = symbolCounts(g)
        XCTAssertEqual(counts["σh"], 3)
        XCTAssertEqual(counts["σd"], 6)
        XCTAssertEqual(counts["i"], 1)
        XCTAssertEqual(counts["C4"], 3)
        XCTAssertEqual(counts["C4³"], 3)
        XCTAssertEqual(counts["C2"], 3)
        XCTAssertEqual(counts["C2'"], 6)
        XCTAssertEqual(counts["S6"].map { $0 + (counts["S6⁵"] ?? 0) }, 8)
        XCTAssertEqual(counts["S4"].map { $0 + (counts["S4³"] ?? 0) }, 6)
    }

    func testPointGroupStaggeredEthaneIsD3d() throws {
        let g = try assertPointGroup(Self.ethane, .dnd(3), operations: 12)
        let counts = symbolCounts(g)
        XCTAssertEqual(counts["σd"], 3)
        XCTAssertEqual(counts["C2'"], 3)
        XCTAssertEqual((counts["S6"] ?? 0) + (counts["S6⁵"] ?? 0), 2)
    }

    func testPointGroupAlleneIsD2d() throws {
        let g = try assertPointGroup(Self.allene, .dnd(2), operations: 8)
        XCTAssertEqual((symbolCounts(g)["S4"] ?? 0) + (symbolCounts(g)["S4³"] ?? 0), 2)
    }

    func testPointGroupEthyleneIsD2h() throws {
        try assertPointGroup(Self.ethylene, .dnh(2), operations: 8)
    }

    func testPointGroupBoronTrifluorideIsD3h() throws {
        let g = try assertPointGroup(Self.boronTrifluoride, .dnh(3), operations: 12)
        let counts = symbolCounts(g)
        XCTAssertEqual(counts["σh"], 1)
        XCTAssertEqual(counts["σv"], 3)
        XCTAssertEqual((counts["S3"] ?? 0) + (counts["S3⁵"] ?? 0), 2)
    }

    func testPointGroupTransDiazeneIsC2h() throws {
        let g = try assertPointGroup(Self.transDiazene, .cnh(2), operations: 4)
        XCTAssertEqual(g.operations.map(\.symbol), ["E", "C2", "i", "σh"])
    }

    func testPointGroupDodecaborateIsIh() throws {
        try assertPointGroup(Self.dodecaborane, .ih, operations: 120)
    }

    // MARK: Tolerance

    /// One H of NH3 moved by 0.1 Å (10× the tolerance) within its vertical mirror plane keeps that
    /// plane only: Cs. Moved perpendicular to that plane it keeps nothing: C1.
    func testPointGroupDistortedAmmoniaLosesBrokenOperations() throws {
        var inPlane = Self.ammonia
        // H1 sits at azimuth 0: its mirror plane is xz.
        inPlane.positions[1][0] += 0.1
        let cs = try assertPointGroup(inPlane, .cs, operations: 2)
        XCTAssertEqual(cs.operations[1].symbol, "σh")

        var outOfPlane = Self.ammonia
        outOfPlane.positions[1][1] += 0.1
        try assertPointGroup(outOfPlane, .c1, operations: 1)
    }

    /// Benzene with one H pulled out by 0.1 Å along its C–H bond keeps the mirror planes through
    /// that bond and the molecular plane: C2v.
    func testPointGroupDistortedBenzeneIsC2v() throws {
        var s = Self.benzene
        s.positions[1][0] += 0.1
        try assertPointGroup(s, .cnv(2), operations: 4)
    }

    /// Noise well inside the tolerance keeps the full group, and the refined matrices still form
    /// an exact group.
    func testPointGroupNoisyMethaneWithinToleranceStaysTd() throws {
        var s = Self.methane
        var rng = SeededGenerator(seed: 11)
        s.positions = s.positions.map { p in p.map { $0 + 0.0015 * rng.uniform(-1, 1) } }
        let g = try assertPointGroup(s, .td, operations: 24)
        XCTAssertGreaterThan(g.maxDeviation, 1e-4)
    }

    /// The same molecule under several random placements gives the same group.
    func testPointGroupIndependentOfPlacement() throws {
        for seed: UInt64 in [1, 2, 3, 4] {
            try assertPointGroup(Self.sulfurHexafluoride, .oh, operations: 48, seed: seed)
            try assertPointGroup(Self.allene, .dnd(2), operations: 8, seed: seed)
        }
    }

    // MARK: Conventions

    /// Atom i goes to the site of atom p[i]; names list the cycles 1-based.
    func testPointGroupPermutationConventionAndNames() throws {
        // Water with atoms in order O, H, H and no random placement.
        let s = Self.water
        let g = try PointGroupDiscovery.pointGroup(species: s.species, masses: s.masses, positions: s.positions)
        let c2 = g.operations[1]
        XCTAssertEqual(c2.permutation, [0, 2, 1])
        XCTAssertEqual(c2.name, "perm(2,3)·C2")
        XCTAssertEqual(g.operations.map(\.name), ["E", "perm(2,3)·C2", "σv", "perm(2,3)·σv'"])
        XCTAssertEqual(PointGroupOperation.cycles(of: [1, 2, 0, 4, 3]), [[0, 1, 2], [3, 4]])
        // The C2 axis of water is the bisector, z here.
        XCTAssertEqual(abs(c2.axis![2]), 1, accuracy: 1e-12)
        // Displacement action: block (p(i), i) = R. Displacing H2 along +x becomes displacing H3 along −x.
        var u = [Double](repeating: 0, count: 9)
        u[3] = 1
        let v = c2.displacementAction() * u
        XCTAssertEqual(v[6], -1, accuracy: 1e-12)
        XCTAssertEqual(v.map(abs).reduce(0, +), 1, accuracy: 1e-12)
    }

    /// The trace of the displacement action is the character of the 3N-dimensional Cartesian
    /// representation: (number of atoms the operation leaves in place) × (1 + 2cos θ) for a
    /// rotation by θ, × (−1 + 2cos θ) for an improper one — textbook values for these molecules.
    func testPointGroupCartesianCharacters() throws {
        func characters(_ s: Structure) throws -> [String: Double] {
            let placed = Self.place(s, seed: 5).structure
            let g = try PointGroupDiscovery.pointGroup(species: placed.species, masses: placed.masses, positions: placed.positions)
            var out: [String: Double] = [:]
            for op in g.operations {
                let d = op.displacementAction()
                let trace = (0..<d.rows).map { d[$0, $0] }.reduce(0, +)
                if let previous = out[op.symbol] { XCTAssertEqual(previous, trace, accuracy: 1e-9, "a class has one character") }
                out[op.symbol] = trace
            }
            return out
        }
        func assertCharacters(_ actual: [String: Double], _ expected: [String: Double], file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertEqual(Set(actual.keys), Set(expected.keys), file: file, line: line)
            for (k, v) in expected { XCTAssertEqual(actual[k] ?? .nan, v, accuracy: 1e-9, k, file: file, line: line) }
        }
        assertCharacters(try characters(Self.water), ["E": 9, "C2": -1, "σv": 3, "σv'": 1])
        assertCharacters(try characters(Self.ammonia), ["E": 12, "C3": 0, "C3²": 0, "σv": 2])
        assertCharacters(try characters(Self.methane), ["E": 15, "C3": 0, "C3²": 0, "C2": -1, "S4": -1, "S4³": -1, "σd": 3])
    }

    func testPointGroupRejectsBadInput() {
        XCTAssertThrowsError(try PointGroupDiscovery.pointGroup(species: ["H"], masses: [1], positions: [[0, 0, 0]]))
        XCTAssertThrowsError(try PointGroupDiscovery.pointGroup(species: ["H", "H"], masses: [1], positions: [[0, 0, 0], [1, 0, 0]]))
        XCTAssertThrowsError(try PointGroupDiscovery.pointGroup(species: ["H", "H"], masses: [1, 1], positions: [[0, 0, 0], [.nan, 0, 0]]))
        XCTAssertThrowsError(try PointGroupDiscovery.pointGroup(species: ["H", "H"], masses: [1, 1], positions: [[0, 0, 0], [1, 0, 0]], tolerance: 0))
    }

    /// Isotopes are different atoms: HOD has only the molecular plane.
    func testPointGroupIsotopesAreDistinguished() throws {
        let s = Self.water
        let g = try PointGroupDiscovery.pointGroup(species: s.species, masses: [15.9949146, 1.00782503, 2.01410178], positions: s.positions)
        XCTAssertEqual(g.symbol, .cs)
    }
}

extension PointGroupTests {
    /// Random distortions of the order of the tolerance: whatever survives must still be a group
    /// whose Schoenflies order matches the operations found, each mapping the structure onto itself.
    func testPointGroupNoiseNearToleranceAlwaysGivesAGroup() throws {
        var seen: [String: Int] = [:]
        for (k, base) in [Self.ammonia, Self.methane, Self.benzene, Self.ethane].enumerated() {
            for trial in 0..<12 {
                var rng = SeededGenerator(seed: UInt64(100 * k + trial))
                let amplitude = rng.uniform(0.002, 0.012)
                var s = base
                s.positions = s.positions.map { p in p.map { $0 + amplitude * rng.uniform(-1, 1) } }
                let placed = Self.place(s, seed: UInt64(trial)).structure
                let g = try PointGroupDiscovery.pointGroup(species: placed.species, masses: placed.masses, positions: placed.positions)
                XCTAssertEqual(g.operations.count, g.order)
                try assertGroupProperties(g, placed)
                seen[g.name, default: 0] += 1
            }
        }
        XCTAssertGreaterThan(seen.count, 4, "\(seen)")
    }
}
