/// A dense row-major matrix of `Double`, the value type every numerical layer exchanges.
///
/// Kept deliberately small: storage, indexing and the few products the fitting and symmetry
/// code needs. Heavy factorizations go through the GSL layer.
public struct Matrix: Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    public var storage: [Double]

    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        self.storage = [Double](repeating: value, count: rows * columns)
    }

    public init(rows: Int, columns: Int, storage: [Double]) {
        precondition(storage.count == rows * columns)
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// Builds a matrix from nested rows; all rows must have the same length.
    public init(_ nested: [[Double]]) {
        let r = nested.count
        let c = nested.first?.count ?? 0
        precondition(nested.allSatisfy { $0.count == c }, "ragged matrix")
        self.init(rows: r, columns: c, storage: nested.flatMap { $0 })
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    @inline(__always)
    public subscript(i: Int, j: Int) -> Double {
        get { storage[i * columns + j] }
        set { storage[i * columns + j] = newValue }
    }

    public var nested: [[Double]] {
        (0..<rows).map { i in Array(storage[(i * columns)..<((i + 1) * columns)]) }
    }

    public func row(_ i: Int) -> [Double] { Array(storage[(i * columns)..<((i + 1) * columns)]) }
    public func column(_ j: Int) -> [Double] { (0..<rows).map { self[$0, j] } }

    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { t[j, i] = self[i, j] } }
        return t
    }

    public static func * (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.columns == b.rows, "dimension mismatch")
        var c = Matrix(rows: a.rows, columns: b.columns)
        for i in 0..<a.rows {
            for k in 0..<a.columns {
                let aik = a[i, k]
                if aik == 0 { continue }
                for j in 0..<b.columns { c[i, j] += aik * b[k, j] }
            }
        }
        return c
    }

    public static func * (a: Matrix, x: [Double]) -> [Double] {
        precondition(a.columns == x.count, "dimension mismatch")
        return (0..<a.rows).map { i in
            var s = 0.0
            for j in 0..<a.columns { s += a[i, j] * x[j] }
            return s
        }
    }

    public static func - (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.columns == b.columns)
        return Matrix(rows: a.rows, columns: a.columns, storage: zip(a.storage, b.storage).map { $0 - $1 })
    }

    public static func + (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.columns == b.columns)
        return Matrix(rows: a.rows, columns: a.columns, storage: zip(a.storage, b.storage).map { $0 + $1 })
    }

    public func scaled(by s: Double) -> Matrix {
        Matrix(rows: rows, columns: columns, storage: storage.map { $0 * s })
    }

    /// Largest absolute entry-wise difference; used to compare operation matrices.
    public func maxAbsDifference(_ other: Matrix) -> Double {
        precondition(rows == other.rows && columns == other.columns)
        var m = 0.0
        for (a, b) in zip(storage, other.storage) { m = Swift.max(m, abs(a - b)) }
        return m
    }
}

@inline(__always)
func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in 0..<a.count { s += a[i] * b[i] }
    return s
}

extension Matrix {
    /// Entry-wise tolerance of G² = I: operations are built from exact entries or unit vectors,
    /// so their squares differ from I by round-off only (~1e-15); 1e-8 also admits the
    /// eigenvector-built mode reflections and products of a few operations.
    public static let involutionTolerance = 1e-8

    /// Whether G² = I (reflections, swaps, inversion, 180° rotations and their commuting products).
    public var isInvolution: Bool {
        rows == columns && (self * self).maxAbsDifference(.identity(rows)) < Self.involutionTolerance
    }
}
