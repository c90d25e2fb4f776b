import CGSL

/// Owns a `gsl_matrix`; the only place such a pointer lives. Converts to and from `Matrix`.
final class GSLMatrixOwner {
    let pointer: UnsafeMutablePointer<gsl_matrix>
    let rows: Int
    let columns: Int

    init(rows: Int, columns: Int) throws {
        _ = GSLRuntime.errorHandlerDisabled
        guard rows > 0, columns > 0, let p = gsl_matrix_calloc(rows, columns) else {
            throw GSLError(function: "gsl_matrix_calloc", reason: "cannot allocate \(rows)x\(columns)")
        }
        pointer = p
        self.rows = rows
        self.columns = columns
    }

    convenience init(_ m: Matrix) throws {
        try self.init(rows: m.rows, columns: m.columns)
        load(m.storage)
    }

    /// Copies row-major values in; `gsl_matrix` is row-major with a stride (tda) of its own.
    func load(_ rowMajor: [Double]) {
        precondition(rowMajor.count == rows * columns)
        let tda = pointer.pointee.tda
        let data = pointer.pointee.data!
        rowMajor.withUnsafeBufferPointer { src in
            for i in 0..<rows {
                for j in 0..<columns { data[i * tda + j] = src[i * columns + j] }
            }
        }
    }

    var matrix: Matrix {
        var m = Matrix(rows: rows, columns: columns)
        let tda = pointer.pointee.tda
        let data = pointer.pointee.data!
        for i in 0..<rows { for j in 0..<columns { m[i, j] = data[i * tda + j] } }
        return m
    }

    deinit { gsl_matrix_free(pointer) }
}

/// Owns a `gsl_vector`.
final class GSLVectorOwner {
    let pointer: UnsafeMutablePointer<gsl_vector>
    let count: Int

    init(count: Int) throws {
        _ = GSLRuntime.errorHandlerDisabled
        guard count > 0, let p = gsl_vector_calloc(count) else {
            throw GSLError(function: "gsl_vector_calloc", reason: "cannot allocate \(count)")
        }
        pointer = p
        self.count = count
    }

    convenience init(_ values: [Double]) throws {
        try self.init(count: values.count)
        load(values)
    }

    func load(_ values: [Double]) {
        precondition(values.count == count)
        for i in 0..<count { gsl_vector_set(pointer, i, values[i]) }
    }

    var array: [Double] { (0..<count).map { gsl_vector_get(pointer, $0) } }

    deinit { gsl_vector_free(pointer) }
}

extension Matrix {
    init(copying m: UnsafePointer<gsl_matrix>) {
        let r = m.pointee.size1, c = m.pointee.size2, tda = m.pointee.tda
        var out = Matrix(rows: r, columns: c)
        for i in 0..<r { for j in 0..<c { out[i, j] = m.pointee.data[i * tda + j] } }
        self = out
    }
}
