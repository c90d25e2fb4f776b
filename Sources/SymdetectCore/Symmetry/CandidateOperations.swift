/// The default candidate set of SPEC §2.4, built from the coordinates and the Hessian.
public enum CandidateOperations {
    /// Plane rotations tested (degrees), plus the continuous family.
    public static let rotationAngles: [Double] = [180, 120, 90, 60]

    /// Mode reflections within ~3° of an axis reflection (matrices differing by < 0.1 entry-wise)
    /// are left out: they test the same thing, and two almost-equal reflections generate an
    /// infinite group.
    public static let nearAxisTolerance = 0.1

    /// The coordinate candidates: reflections, inversion, swaps and plane rotations of columns
    /// whose ranges overlap, and O(3) of columns named x, y, z. Mode reflections are added by
    /// the analysis once the exact group is known.
    public static func defaults(table: SampleTable) -> [SymmetryOperation] {
        let names = table.featureNames
        let d = names.count
        var ops: [SymmetryOperation] = []
        for j in 0..<d { ops.append(.reflect(j, names: names)) }
        if d > 1 { ops.append(.invert(dimension: d)) }
        let ranges = table.features.map { ($0.min()!, $0.max()!) }
        func overlap(_ a: Int, _ b: Int) -> Bool { ranges[a].0 < ranges[b].1 && ranges[b].0 < ranges[a].1 }
        for a in 0..<d { for b in (a + 1)..<max(a + 1, d) where overlap(a, b) { ops.append(.swap(a, b, names: names)) } }
        if d <= 4 {
            for a in 0..<d {
                for b in (a + 1)..<max(a + 1, d) where overlap(a, b) {
                    for angle in rotationAngles { ops.append(.rotate(a, b, degrees: angle, names: names)) }
                    ops.append(.rotateContinuous(a, b, names: names))
                }
            }
        }
        if let triple = spatialTriple(names) { ops.append(.o3(triple.0, triple.1, triple.2, names: names)) }
        return deduplicated(ops)
    }

    /// Columns named x, y, z (any case) look like a point in space.
    static func spatialTriple(_ names: [String]) -> (Int, Int, Int)? {
        let lower = names.map { $0.lowercased() }
        guard let x = lower.firstIndex(of: "x"), let y = lower.firstIndex(of: "y"), let z = lower.firstIndex(of: "z") else { return nil }
        return (x, y, z)
    }

    /// Drops operations whose matrices equal an earlier one's (e.g. in two coordinates
    /// `invert` is `rotate(x,y,180)`), keeping the first name.
    public static func deduplicated(_ ops: [SymmetryOperation]) -> [SymmetryOperation] {
        var out: [SymmetryOperation] = []
        for op in ops where !out.contains(where: { same($0, op) }) { out.append(op) }
        return out
    }

    static func same(_ a: SymmetryOperation, _ b: SymmetryOperation) -> Bool {
        guard a.name != b.name else { return true }
        guard a.matrices.count == b.matrices.count, !a.isContinuous, !b.isContinuous else { return false }
        return zip(a.matrices, b.matrices).allSatisfy { $0.maxAbsDifference($1) < 1e-12 }
    }
}
