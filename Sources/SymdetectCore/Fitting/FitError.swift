/// Why a Taylor fit cannot be made from the data (a data problem: exit code 65).
public enum FitError: Error, CustomStringConvertible, Equatable, Sendable {
    case tooFewRows(needed: Int, available: Int, order: Int, dimension: Int)
    case centerDimension(expected: Int, got: Int)
    case noWeight(radius: Double)
    case invalidOrder(Int)
    case numerical(String)

    public var description: String {
        switch self {
        case let .tooFewRows(needed, available, order, dimension):
            return "too few rows for an order-\(order) Taylor model in \(dimension) coordinates: it has \(needed) coefficients and needs at least \(needed + 1) rows, the data have \(available) (lower the order or add samples)"
        case let .centerDimension(expected, got):
            return "the centre has \(got) value(s) but the data have \(expected) coordinate(s)"
        case let .noWeight(radius):
            return "no sample lies within reach of the locality radius \(radius) of the centre (all locality weights underflow)"
        case let .invalidOrder(k):
            return "the order must be between 1 and 12, got \(k)"
        case let .numerical(text):
            return "numerical failure in the fit: \(text)"
        }
    }
}
