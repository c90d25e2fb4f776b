import ArgumentParser

/// The process exit statuses (BSD sysexits.h), as promised in the SPEC:
/// 0 success; 64 usage error; 65 bad data; 66 input not readable; 70 internal error.
/// (`analyze --fail-on` will add 1: an audited operation has the verdict it fails on.)
extension ExitCode {
    /// EX_USAGE: the command line is wrong (ArgumentParser's `validationFailure` is the same 64).
    static let usage = ExitCode(64)
    /// EX_DATAERR: the input was read but is not usable data (a bad cell, too few rows, ...).
    static let dataError = ExitCode(65)
    /// EX_NOINPUT: the input file does not exist or cannot be read.
    static let noInput = ExitCode(66)
    /// EX_SOFTWARE: an internal error (a numerical library failure, a bug, an unwritable output).
    static let internalError = ExitCode(70)
}
