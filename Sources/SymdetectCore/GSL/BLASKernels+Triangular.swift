import CGSL

extension BLASKernels {
    /// b ← b·R⁻¹ for the upper-triangular p×p R given row-major in `upper` (as `Matrix.storage`),
    /// b column-major rows × p with leading dimension `ldb` (level-3 `dtrsm`). R must be
    /// non-singular; the caller checks its diagonal.
    static func multiplyByInverseOfUpper(_ upper: UnsafePointer<Double>, columns p: Int,
                                         _ b: UnsafeMutablePointer<Double>, rows: Int, ldb: Int) {
        _ = GSLRuntime.errorHandlerDisabled
        precondition(rows >= 0 && p > 0 && ldb >= max(rows, 1))
        guard rows > 0 else { return }
        // Row-major R read column-major is L = Rᵀ (lower); b·R⁻¹ = b·(Lᵀ)⁻¹.
        cblas_dtrsm(CblasColMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, Int32(rows), Int32(p), 1,
                    upper, Int32(p), b, Int32(ldb))
    }
}
