import CGSL

/// A GSL status other than success, or an input GSL would silently accept but we refuse
/// (non-finite entries, wrong sizes). Thrown by every function of the GSL layer.
public struct GSLError: Error, CustomStringConvertible, Sendable {
    public let function: String
    public let status: Int32
    public let reason: String

    public var description: String { "\(function): \(reason) (GSL status \(status))" }

    init(function: String, status: Int32) {
        self.function = function
        self.status = status
        self.reason = String(cString: gsl_strerror(status))
    }

    init(function: String, reason: String) {
        self.function = function
        self.status = -1
        self.reason = reason
    }
}

/// The numerical libraries' process-wide settings, for entry points that want them in place
/// before any work starts (the command line calls `prepare()` first: OpenBLAS's idle worker
/// threads would otherwise compete with the reading of the input for a tenth of a second).
public enum NumericalRuntime {
    public static func prepare() { _ = GSLRuntime.errorHandlerDisabled }

    /// The CPU kernels OpenBLAS uses once the runtime is prepared ("Haswell" on every x86-64 CPU
    /// with AVX2 and FMA: see `symdetect_blas_pin_haswell_kernels` in shim.h), or nil when the
    /// BLAS does not say.
    public static var blasKernels: String? {
        prepare()
        return symdetect_blas_kernel_name().map { String(cString: $0) }
    }
}

enum GSLRuntime {
    /// GSL's default handler aborts the process; statuses are returned and checked instead.
    /// Evaluated once, before the first GSL call of every entry point in this folder.
    static let errorHandlerDisabled: Bool = {
        gsl_set_error_handler_off()
        // The same kernels on every machine with AVX2 and FMA, so that results are the same
        // bit for bit there (see shim.h).
        _ = symdetect_blas_pin_haswell_kernels()
        // One BLAS thread: results must not depend on how OpenBLAS splits a product. Its idle
        // worker threads are stopped (see shim.h).
        symdetect_blas_single_thread()
        return true
    }()

    @inline(__always)
    static func check(_ status: Int32, _ function: String) throws {
        if status != GSL_SUCCESS { throw GSLError(function: function, status: status) }
    }

    static func requireFinite(_ values: [Double], _ function: String) throws {
        if !values.allSatisfy({ $0.isFinite }) {
            throw GSLError(function: function, reason: "non-finite input")
        }
    }
}
