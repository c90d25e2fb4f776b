extension Analyzer {
    /// The analysis of a molecular dataset (SPEC §2b): the pipeline of `run(_:_:progress:)` on the
    /// table in dimensionless normal coordinates, with the point group's operations on q tested
    /// first, like every candidate. A fixed Taylor order above the one the molecular fit could
    /// support is lowered to it (the warning is the molecule's). A label other than the energy
    /// (a dipole component) has no stationary point of its own at the equilibrium: with
    /// `--center auto` the operations then act about the energy's stationary point.
    public static func run(_ molecular: MolecularTable, _ configuration: AnalysisConfiguration,
                           progress: ((AnalysisProgress) -> Void)? = nil) throws -> AnalysisResult {
        var c = configuration
        c.extraOperations = molecular.operations + configuration.extraOperations
        if !molecular.labelIsEnergy, c.fit.center == .auto { c.fit.center = .given(molecular.equilibriumCoordinates) }
        if case let .fixed(k) = c.fit.order, k > molecular.summary.fitOrder { c.fit.order = .fixed(molecular.summary.fitOrder) }
        var result = try run(molecular.table, c, progress: progress)
        result.molecule = molecular.summary
        result.warnings = molecular.summary.warnings.map(AnalysisWarning.molecule) + result.warnings
        return result
    }
}
