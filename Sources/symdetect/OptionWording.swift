import SymdetectCore

/// The command line's words for the library's errors: the same message, naming the option that
/// changes the outcome (the library knows no flags).
enum OptionWording {
    static func message(_ error: FitError) -> String {
        switch error {
        case let .tooFewRows(needed, available, order, dimension):
            return "too few rows for an order-\(order) Taylor model in \(dimension) coordinates: it has \(needed) coefficients and needs at least \(needed + 1) rows, the data have \(available) (lower --order or add samples)"
        case let .centerDimension(expected, got):
            return "--center has \(got) value(s) but the data have \(expected) coordinate(s)"
        case let .noWeight(radius):
            return "no sample lies within reach of --radius \(radius) of the centre (all locality weights underflow)"
        case let .invalidOrder(k):
            return "--order must be between 1 and \(TaylorFitter.maximumOrder), got \(k)"
        case .numerical:
            return error.description
        }
    }

    static func message(_ error: AugmentationError) -> String {
        switch error {
        case .notInvolution, .notConvex:
            return error.description
                .replacingOccurrences(of: "use the naive or taylor scheme", with: "use --scheme naive or taylor")
                .replacingOccurrences(of: "choose another centre, or force the hessian scheme", with: "choose another --center, or pass --force")
        case .noOperations:
            return "no operation given: name at least one with --op"
        default:
            return error.description
        }
    }
}

extension OptionWording {
    static func message(_ error: MolecularOperationError) -> String {
        switch error {
        case let .unknownPointGroupOperation(text, available):
            let list = available.isEmpty ? "none acts on the normal coordinates" : available.joined(separator: ", ")
            return "--op '\(text)': no operation of the molecule's point group has this name (operations acting on the modes: \(list); or reflect(q1), invert, … on the normal coordinates)"
        case let .ambiguousPointGroupOperation(text, candidates):
            return "--op '\(text)': several operations of the point group have this symbol and act differently on the modes (\(candidates.joined(separator: ", "))): name one in full"
        case let .syntax(error):
            return error.description
        }
    }
}
