import ArgumentParser
import Foundation
import SymdetectCore

@main
struct Symdetect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "symdetect",
        abstract: "Find the label symmetries of a dataset and predict what augmenting with them is worth.",
        discussion: """
            symdetect audits a labelled dataset before a model is trained on it. Given samples \
            (x, y) with coordinates x (the CSV's feature columns) and a smooth scalar label y \
            (an energy, a density, ...), it asks which transformations g of the coordinates — \
            reflections, swaps, rotations, inversion, acting about a centre — leave the label \
            unchanged: exactly (y(g·x) = y(x)), approximately (a small but real difference), or \
            not at all.

            The answer matters for data efficiency: augmenting the training set with an exact \
            group of |G| operations acts like up to |G| times as much data, while an approximate \
            symmetry trains the model towards the symmetrized label and imposes an error floor \
            set by the label's antisymmetric part. For a potential energy surface the leading \
            breaking comes from the cubic force constants, which symdetect obtains from a \
            least-squares Taylor fit about a stationary point.

            Method after S. Y. H. Kim, M. Lechaume-Robert, O. A. von Lilienfeld, "Approximate \
            label symmetries improve data scaling", arXiv:2605.28238 (2026).

            Exit codes: 0 success, 64 usage error, 65 bad data, 66 input not readable, \
            70 internal error. Errors are reported on stderr as one line.
            """,
        version: "0.1.0",
        subcommands: [FitCommand.self, AnalyzeCommand.self, GenerateCommand.self, AugmentCommand.self, LearningCurveCommand.self]
    )

    /// ArgumentParser's `main()` with the error reporting of this tool: help and version go to
    /// stdout as usual; every error becomes one stderr line `symdetect: <message>` and its
    /// sysexits code (see `CommandFailure`), never a usage block or a stack trace.
    static func main() {
        NumericalRuntime.prepare()
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            // --help and --version arrive here as "errors" that exit cleanly.
            if exitCode(for: error) == .success { exit(withError: error) }
            // Unknown option, missing argument, a value rejected by a validate(): usage error.
            var message = Self.message(for: error)
            if let hint = helpHint(for: error) { message += " (\(hint))" }
            CommandFailure.report(message)
            Foundation.exit(ExitCode.usage.rawValue)
        }
        do {
            try command.run()
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }   // e.g. bare `symdetect`: help
            if let code = error as? ExitCode {
                Foundation.exit(code.rawValue)   // the command has already said what it had to
            }
            let failure = CommandFailure.classify(error)
            CommandFailure.report(failure.message)
            Foundation.exit(failure.exitCode.rawValue)
        }
    }

    /// "see 'symdetect fit --help'", for the (sub)command the parsing error belongs to.
    private static func helpHint(for error: Error) -> String? {
        let full = fullMessage(for: error, columns: 10_000)
        guard let line = full.split(separator: "\n").first(where: { $0.contains("See '") }) else { return nil }
        guard let open = line.firstIndex(of: "'"),
              let close = line[line.index(after: open)...].firstIndex(of: "'") else { return nil }
        return "see '\(line[line.index(after: open)..<close])'"
    }
}
