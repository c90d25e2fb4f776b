import CGSL

/// The three level-2/3 BLAS products the streaming least-squares passes need, on column-major
/// blocks held in Swift buffers (the CBLAS interface GSL declares, linked against OpenBLAS).
///
/// Sizes are checked here, in Swift: CBLAS has no status to return and would read out of
/// bounds. The BLAS thread count is pinned to one (`GSLRuntime`), so each call's summation order
/// is fixed and results are reproducible bit for bit.
enum BLASKernels {
    /// c ← c + aᵀa (upper triangle of the p×p column-major c), a column-major rows × p with
    /// leading dimension `lda` ≥ rows.
    static func addGram(_ a: UnsafePointer<Double>, rows: Int, columns p: Int, lda: Int, into c: UnsafeMutablePointer<Double>) {
        _ = GSLRuntime.errorHandlerDisabled
        precondition(rows >= 0 && p > 0 && lda >= max(rows, 1))
        guard rows > 0 else { return }
        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(p), Int32(rows), 1, a, Int32(lda), 1, c, Int32(p))
    }

    /// y ← y + alpha·aᵀx (a column-major rows × p): accumulates Xᵀy over row blocks.
    static func addTransposedProduct(_ a: UnsafePointer<Double>, rows: Int, columns p: Int, lda: Int,
                                     _ x: UnsafePointer<Double>, alpha: Double = 1, into y: UnsafeMutablePointer<Double>) {
        _ = GSLRuntime.errorHandlerDisabled
        precondition(rows >= 0 && p > 0 && lda >= max(rows, 1))
        guard rows > 0 else { return }
        cblas_dgemv(CblasColMajor, CblasTrans, Int32(rows), Int32(p), alpha, a, Int32(lda), x, 1, 1, y, 1)
    }

    /// y ← a·x (a column-major rows × p, x of length p, y of length rows).
    static func product(_ a: UnsafePointer<Double>, rows: Int, columns p: Int, lda: Int,
                        _ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>) {
        _ = GSLRuntime.errorHandlerDisabled
        precondition(rows >= 0 && p > 0 && lda >= max(rows, 1))
        guard rows > 0 else { return }
        cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(rows), Int32(p), 1, a, Int32(lda), x, 1, 0, y, 1)
    }

    /// c ← a·b with a column-major rows × p (leading dimension lda), b column-major p × k
    /// (leading dimension p), c column-major rows × k (leading dimension rows).
    static func product(_ a: UnsafePointer<Double>, rows: Int, columns p: Int, lda: Int,
                        _ b: UnsafePointer<Double>, columns k: Int, into c: UnsafeMutablePointer<Double>) {
        _ = GSLRuntime.errorHandlerDisabled
        precondition(rows >= 0 && p > 0 && k >= 0 && lda >= max(rows, 1))
        guard rows > 0, k > 0 else { return }
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(k), Int32(p), 1, a, Int32(lda),
                    b, Int32(p), 0, c, Int32(rows))
    }
}
