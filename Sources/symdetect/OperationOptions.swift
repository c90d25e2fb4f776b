import ArgumentParser
import SymdetectCore

/// `--op`, declared once for `analyze`, `augment` and `learning-curve`: each value's syntax is
/// checked as it is parsed (a malformed operation is a usage error, exit 64); its coordinates
/// are checked against the data's columns once they are read.
struct OperationOptions: ParsableArguments {
    @Option(
        name: .customLong("op"),
        parsing: .unconditionalSingleValue,
        help: ArgumentHelp(
            "An operation (repeatable): reflect(NAME), reflect(mode K), invert, swap(A,B), rotate(A,B,ANGLE), rotate(A,B,*), O3(A,B,C), NAME, A, B, C being coordinate columns (q1, q2, … on molecules); on molecules also a point-group operation as analyze names it (C2, perm(2,3)·σv). Quote it for the shell: --op 'rotate(x,y,90)'.",
            valueName: "OP"),
        transform: { try OperationSpec(parsing: $0) })
    var operations: [OperationSpec] = []

    /// The texts as given (for the reproduce command and the tools that take strings).
    var texts: [String] { operations.map(\.text) }

    /// Every operation must name columns of the data before a long computation starts.
    /// `reflect(mode K)` needs a fit's modes: any orthogonal matrix checks the rest.
    func check(names: [String]) throws {
        for op in operations {
            do {
                _ = try op.resolve(names: names, modes: .identity(names.count))
            } catch let error as OperationSyntaxError {
                throw CommandFailure(error.description, exitCode: .usage)
            }
        }
    }
}

extension TransformChoice: ExpressibleByArgument {}
extension AugmentationScheme: ExpressibleByArgument {}
