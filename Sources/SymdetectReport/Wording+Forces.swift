import SymdetectCore

extension Wording {
    /// How a gradient-enhanced fit used the forces, in one sentence (no trailing period), e.g.
    /// "300 energies and 900 force components (the forces projected on q1 … q3, −∂E/∂q: 3 per
    /// frame) as least-squares equations; a force equation weighs W = 0.1 …".
    public func forceEquations(_ g: GradientEquationSummary, coordinates: [String]) -> String {
        let perFrame = g.labelEquations > 0 ? g.gradientEquations / g.labelEquations : 0
        let span = coordinates.count > 1 ? "\(coordinates[0]) … \(coordinates[coordinates.count - 1])" : coordinates.first ?? "the coordinates"
        var s = "\(g.labelEquations) energies and \(g.gradientEquations) force components (the forces projected on \(span), "
        s += "−∂E/∂q: \(perFrame) per frame) as least-squares equations; "
        s += "a force equation weighs W = \(NumberFormatting.format(g.weight, digits: 3)) against an energy equation ("
        s += g.weightWasEstimated
            ? "estimated from the fit: W = σ̂_E²/σ̂_F², each residual variance over its block's share of the residual degrees of freedom"
            : "given with --force-weight"
        s += "); force RMSE \(amount(g.gradientRMSE)) per unit of \(span). Standard errors, rank and degrees of freedom count all "
        s += "\(g.labelEquations + g.gradientEquations) equations; leave-one-out leaves out whole frames (energy and forces)"
        return s
    }

    /// The force setting of a molecular analysis, for the settings table.
    public static func forceSetting(_ m: MolecularSummary, fit: TaylorFit) -> String {
        guard m.framesHaveForces else { return "none in the frames: energies alone" }
        guard m.forcesUsed else { return "ignored (--no-forces): energies alone" }
        guard let g = fit.gradientEquations else {
            return "used in the fits of the energy (equilibrium, normal modes); not in the analysed label's, whose gradients the frames do not give"
        }
        return g.weightWasEstimated
            ? "used; weight W = \(NumberFormatting.format(g.weight, digits: 3)) estimated from the fit (--force-weight overrides)"
            : "used; weight W = \(NumberFormatting.format(g.weight, digits: 3)) (--force-weight)"
    }
}
