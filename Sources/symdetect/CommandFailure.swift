import ArgumentParser
import Foundation
import SymdetectCore

/// An error with the one-line message and the exit code the command line reports for it.
///
/// Every failure leaves the process the same way: one line `symdetect: <message>` on stderr and
/// a sysexits code; never a stack trace. `classify` maps the library's errors:
/// `InputError` → its own code (66 unreadable, 65 bad data), `FitError` → 65 (64 for an
/// option value that does not fit the data),
/// `GSLError` → 70, `ValidationError` → 64, anything else → 70.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var exitCode: ExitCode

    init(_ message: String, exitCode: ExitCode) {
        self.message = message
        self.exitCode = exitCode
    }

    var description: String { message }

    /// The message and exit code for an error thrown by a command's `run()`.
    static func classify(_ error: Error) -> CommandFailure {
        switch error {
        case let failure as CommandFailure:
            return failure
        case let error as InputError:
            return CommandFailure(error.description, exitCode: ExitCode(error.exitCode))
        case let error as FitError:
            return CommandFailure(OptionWording.message(error), exitCode: exitCode(for: error))
        case let error as GSLError:
            return CommandFailure("internal numerical error: \(error.description)", exitCode: .internalError)
        case let error as AtomicFileError:
            return CommandFailure(error.description, exitCode: .internalError)
        case let error as ValidationError:
            return CommandFailure(error.message, exitCode: .usage)
        default:
            return CommandFailure("internal error: \(String(describing: error))", exitCode: .internalError)
        }
    }

    /// `FitError`s name no file; prefix the data path so the message says which input failed.
    static func inFile(_ path: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as FitError {
            throw CommandFailure("\(path): \(OptionWording.message(error))", exitCode: exitCode(for: error))
        }
    }

    /// A `FitError` is a data problem (65), except an option value that does not fit the data
    /// (a --center with the wrong number of coordinates, an impossible --order): usage (64).
    static func exitCode(for error: FitError) -> ExitCode {
        switch error {
        case .centerDimension, .invalidOrder: return .usage
        case .tooFewRows, .noWeight, .numerical: return .dataError
        }
    }

    /// Prints `symdetect: <message>` as a single line on stderr (line breaks inside the message
    /// become spaces, so a message can never spread over several lines).
    static func report(_ message: String) {
        let oneLine = message.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
        StandardError.write("symdetect: \(oneLine)\n")
    }
}

/// Unbuffered writes to stderr.
enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
