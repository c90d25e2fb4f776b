/// Something about a fit that its reader must know; the report module words it.
public enum FitWarning: Sendable, Equatable {
    /// The design is rank deficient: `combinations` are the monomial combinations the data
    /// cannot separate (a minimum-norm solution is reported; affected standard errors are nil).
    case rankDeficient(rank: Int, parameters: Int, combinations: [String])
    /// No residual degrees of freedom: standard errors are undefined.
    case noResidualDegreesOfFreedom
    /// Some samples have leverage 1: leave-one-out RMSE is undefined.
    case leverageOne
    /// The stationary-point search did not converge in `iterations` Newton steps.
    case searchNotConverged(iterations: Int)
    /// The stationary-point search was abandoned and the centre fell back to the lowest sample.
    case searchAbandoned(CenterFallback)
    /// The centre lies outside the range of the data: the expansion extrapolates.
    case centerOutsideData(center: [Double])
}

/// Why a stationary-point search was abandoned for the lowest-label sample.
public enum CenterFallback: Sendable, Equatable {
    /// The stationary point of the model lies outside the range of the samples (`point`).
    case leftTheData(point: [Double])
    /// The Hessian at the stationary point is singular: the label does not depend on some
    /// directions (e.g. rigid motions of atoms), so the stationary point is not unique.
    case singularHessian(conditionNumber: Double)
}

/// What the centre of an analysis is (JSON's `centerKind`).
public enum CenterKind: Sendable, Equatable {
    /// `auto`: a stationary point of the fitted model, by the signs of its Hessian's eigenvalues.
    case stationary(StationaryKind)
    /// `auto`: the Newton search did not converge; its last point is used.
    case notConverged
    /// `auto`: the search was abandoned; the lowest-label sample is the centre.
    case fallback(CenterFallback)
    case origin
    case mean
    /// The lowest-label sample.
    case lowestSample
    case given

    /// A stationary point was found, inside the data.
    public var isStationaryPoint: Bool {
        if case .stationary = self { return true }
        return false
    }
}
