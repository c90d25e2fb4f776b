import Foundation

/// A malformed operation (a usage error, exit code 64).
public struct OperationSyntaxError: Error, CustomStringConvertible, Equatable, Sendable {
    public let text: String
    public let reason: String
    public var description: String {
        "invalid operation '\(text)': \(reason). Expected one of: reflect(NAME), reflect(mode K), invert, swap(A,B), rotate(A,B,ANGLE), rotate(A,B,*), O3(A,B,C) — NAME, A, B, C being coordinate columns"
    }
}

/// An operation as written (`reflect(q1)`, `rotate(x,y,90)`, …): its syntax checked, its
/// coordinates still names. `resolve` turns it into a `SymmetryOperation` once the columns (and,
/// for `reflect(mode K)`, the Hessian's modes) are known.
public struct OperationSpec: Sendable, Equatable, CustomStringConvertible {
    public enum Form: Sendable, Equatable {
        case reflect(String)
        /// 1-based mode number.
        case reflectMode(Int)
        case invert
        case swap(String, String)
        case rotate(String, String, degrees: Double)
        case rotateContinuous(String, String)
        case o3(String, String, String)
        /// An operation of a molecule's point group named as the analysis names it (`C2`,
        /// `perm(2,3)·σv`); it exists only on molecular input (`MolecularOperationLookup`).
        case pointGroup(String)
    }

    /// The text as given.
    public let text: String
    public let form: Form

    public var description: String { text }

    /// Whether resolving needs the Hessian's modes.
    public var needsModes: Bool {
        if case .reflectMode = form { return true }
        return false
    }

    /// Checks the syntax of `text` (coordinates are checked by `resolve`).
    public init(parsing text: String) throws {
        self.text = text
        let s = text.trimmingCharacters(in: .whitespaces)
        func fail(_ reason: String) -> OperationSyntaxError { OperationSyntaxError(text: text, reason: reason) }
        if s.lowercased() == "invert" { form = .invert; return }
        if Self.looksLikePointGroupName(s) { form = .pointGroup(s); return }
        guard let open = s.firstIndex(of: "("), s.hasSuffix(")") else { throw fail("missing parentheses") }
        let head = s[..<open].trimmingCharacters(in: .whitespaces).lowercased()
        let inner = s[s.index(after: open)..<s.index(before: s.endIndex)]
        let args = inner.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !args.contains(where: \.isEmpty) else { throw fail("an argument is empty") }
        func distinct(_ names: [String]) throws {
            if Set(names).count != names.count { throw fail("the coordinates must be distinct") }
        }
        switch head {
        case "reflect":
            guard args.count == 1 else { throw fail("reflect takes one coordinate or 'mode K'") }
            let a = args[0]
            if a.lowercased().hasPrefix("mode") {
                guard let k = Int(a.dropFirst(4).trimmingCharacters(in: .whitespaces)), k >= 1 else {
                    throw fail("the mode number must be a positive integer")
                }
                form = .reflectMode(k)
            } else {
                form = .reflect(a)
            }
        case "swap":
            guard args.count == 2 else { throw fail("swap takes two coordinates") }
            try distinct(args)
            form = .swap(args[0], args[1])
        case "rotate":
            guard args.count == 3 else { throw fail("rotate takes two coordinates and an angle in degrees or *") }
            try distinct(Array(args.prefix(2)))
            if args[2] == "*" {
                form = .rotateContinuous(args[0], args[1])
            } else {
                guard let deg = Double(args[2]), deg.isFinite, deg.truncatingRemainder(dividingBy: 360) != 0 else {
                    throw fail("the angle must be a non-zero number of degrees (not a multiple of 360) or *")
                }
                form = .rotate(args[0], args[1], degrees: deg)
            }
        case "o3":
            guard args.count == 3 else { throw fail("O3 takes three coordinates") }
            try distinct(args)
            form = .o3(args[0], args[1], args[2])
        default:
            throw fail("unknown operation '\(head)'")
        }
    }

    /// The operation on these coordinates.
    /// - Parameter modes: Hessian eigenvectors (columns), required for `reflect(mode K)`.
    public func resolve(names: [String], modes: Matrix? = nil) throws -> SymmetryOperation {
        func fail(_ reason: String) -> OperationSyntaxError { OperationSyntaxError(text: text, reason: reason) }
        func column(_ name: String) throws -> Int {
            guard let j = names.firstIndex(of: name) else {
                throw fail("unknown coordinate '\(name)' (coordinates: \(names.joined(separator: ", ")))")
            }
            return j
        }
        switch form {
        case .invert:
            guard !names.isEmpty else { throw fail("no coordinates") }
            return .invert(dimension: names.count)
        case let .reflect(a):
            return .reflect(try column(a), names: names)
        case let .reflectMode(k):
            guard k <= names.count else { throw fail("mode number must be 1…\(names.count)") }
            guard let modes else { throw fail("reflect(mode K) needs the Hessian modes of a fit") }
            return .reflectMode(k - 1, modes: modes)
        case let .swap(a, b):
            return .swap(try column(a), try column(b), names: names)
        case let .rotate(a, b, degrees):
            return .rotate(try column(a), try column(b), degrees: degrees, names: names)
        case let .rotateContinuous(a, b):
            return .rotateContinuous(try column(a), try column(b), names: names)
        case let .o3(a, b, c):
            return .o3(try column(a), try column(b), try column(c), names: names)
        case .pointGroup:
            throw fail("it names a point-group operation, which only molecules have (extended XYZ frames, or a CSV of x, y, z columns per atom): the analysis of a molecule tests every one of them unasked, and augmentation takes them by name")
        }
    }

    /// A Schoenflies operation symbol (E, i, Cn…, Sn…, σ…, also spelled `sigma…`), optionally
    /// preceded by a permutation in cycle notation and `·` (or `*`): `C2`, `C3²`, `σv`,
    /// `perm(2,3)·C2`, `perm(2,3,4)*C3`, and `C∞`, the rotations about a linear molecule's axis.
    static func looksLikePointGroupName(_ s: String) -> Bool {
        var rest = Substring(s)
        if rest.hasPrefix("perm(") {
            while rest.hasPrefix("perm(") || rest.hasPrefix("(") {
                rest = rest.hasPrefix("perm(") ? rest.dropFirst(5) : rest.dropFirst()
                guard let close = rest.firstIndex(of: ")") else { return false }
                let cycle = rest[..<close].split(separator: ",", omittingEmptySubsequences: false)
                guard cycle.count >= 2, cycle.allSatisfy({ Int($0.trimmingCharacters(in: .whitespaces)) != nil }) else { return false }
                rest = rest[rest.index(after: close)...]
            }
            rest = rest.drop { $0 == " " }
            guard let first = rest.first, first == "·" || first == "*" else { return rest.isEmpty }
            rest = rest.dropFirst().drop { $0 == " " }
        }
        guard let first = rest.first, !rest.contains("(") else { return false }
        if rest == "E" || rest == "i" { return true }
        if rest.hasPrefix("sigma") || first == "σ" { return true }
        if first == "C" || first == "S" {
            let next = rest.dropFirst().first
            return next?.isNumber == true || (first == "C" && next == "∞")
        }
        return false
    }
}

/// Parses and resolves an operation in one step.
public enum OperationParser {
    /// - Parameter modes: Hessian eigenvectors (columns), required for `reflect(mode K)`.
    public static func parse(_ text: String, names: [String], modes: Matrix? = nil) throws -> SymmetryOperation {
        try OperationSpec(parsing: text).resolve(names: names, modes: modes)
    }
}
