import Foundation

/// A malformed `--op` string (a usage error, exit code 64).
public struct OperationSyntaxError: Error, CustomStringConvertible, Equatable, Sendable {
    public let text: String
    public let reason: String
    public var description: String {
        "invalid operation '\(text)': \(reason). Expected one of: reflect(NAME), reflect(mode K), invert, swap(A,B), rotate(A,B,ANGLE), rotate(A,B,*), O3(A,B,C) — NAME, A, B, C being coordinate columns"
    }
}

/// Parses the `--op` syntax; the inverse of `SymmetryOperation.name`.
public enum OperationParser {
    /// - Parameter modes: Hessian eigenvectors (columns), required for `reflect(mode K)`.
    public static func parse(_ text: String, names: [String], modes: Matrix? = nil) throws -> SymmetryOperation {
        let s = text.trimmingCharacters(in: .whitespaces)
        func fail(_ reason: String) -> OperationSyntaxError { OperationSyntaxError(text: text, reason: reason) }
        if s.lowercased() == "invert" {
            guard names.count >= 1 else { throw fail("no coordinates") }
            return .invert(dimension: names.count)
        }
        guard let open = s.firstIndex(of: "("), s.hasSuffix(")") else {
            throw fail("missing parentheses")
        }
        let head = s[..<open].trimmingCharacters(in: .whitespaces).lowercased()
        let inner = s[s.index(after: open)..<s.index(before: s.endIndex)]
        let args = inner.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        func column(_ name: String) throws -> Int {
            guard let j = names.firstIndex(of: name) else {
                throw fail("unknown coordinate '\(name)' (coordinates: \(names.joined(separator: ", ")))")
            }
            return j
        }
        func distinct(_ idx: [Int]) throws {
            if Set(idx).count != idx.count { throw fail("the coordinates must be distinct") }
        }
        switch head {
        case "reflect":
            guard args.count == 1 else { throw fail("reflect takes one coordinate or 'mode K'") }
            let a = args[0]
            if a.lowercased().hasPrefix("mode") {
                let kText = a.dropFirst(4).trimmingCharacters(in: .whitespaces)
                guard let k = Int(kText), k >= 1, k <= names.count else {
                    throw fail("mode number must be 1…\(names.count)")
                }
                guard let modes else { throw fail("reflect(mode K) needs the Hessian modes of a fit") }
                return .reflectMode(k - 1, modes: modes)
            }
            return .reflect(try column(a), names: names)
        case "swap":
            guard args.count == 2 else { throw fail("swap takes two coordinates") }
            let idx = [try column(args[0]), try column(args[1])]
            try distinct(idx)
            return .swap(idx[0], idx[1], names: names)
        case "rotate":
            guard args.count == 3 else { throw fail("rotate takes two coordinates and an angle in degrees or *") }
            let idx = [try column(args[0]), try column(args[1])]
            try distinct(idx)
            if args[2] == "*" { return .rotateContinuous(idx[0], idx[1], names: names) }
            guard let deg = Double(args[2]), deg.isFinite, deg.truncatingRemainder(dividingBy: 360) != 0 else {
                throw fail("the angle must be a non-zero number of degrees (not a multiple of 360) or *")
            }
            return .rotate(idx[0], idx[1], degrees: deg, names: names)
        case "o3":
            guard args.count == 3 else { throw fail("O3 takes three coordinates") }
            let idx = try args.map(column)
            try distinct(idx)
            return .o3(idx[0], idx[1], idx[2], names: names)
        default:
            throw fail("unknown operation '\(head)'")
        }
    }
}
