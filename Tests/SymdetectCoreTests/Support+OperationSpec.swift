@testable import SymdetectCore

/// Operations written as literals in tests (a malformed literal is a test bug and traps).
extension OperationSpec: ExpressibleByStringLiteral {
    public init(stringLiteral text: String) {
        try! self.init(parsing: text)
    }
}
