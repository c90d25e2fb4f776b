/// Everything `analyze` can be told (SPEC §2). Defaults are those of the command line.
public struct AnalysisConfiguration: Sendable {
    public var fit: FitConfiguration
    public var transform: TransformChoice
    /// `--op` strings, added to (or, with `onlyListedOperations`, replacing) the default set.
    public var operations: [String]
    public var onlyListedOperations: Bool
    /// Family-wise significance level (Holm).
    public var alpha: Double
    /// Tolerance on the floor, label units; nil = 1 % of the label's standard deviation.
    public var targetError: Double?
    /// Learning-curve exponent b in e(N) ≈ a·N^(−b).
    public var slope: Double
    public var slopeSource: String
    /// Learning-curve prefactor a; nil = the label's standard deviation (e(1) ≈ sd(y)).
    public var prefactor: Double?
    /// Path of the data, used to print the `augment` command.
    public var dataPath: String
    /// Options to repeat in the printed `augment` command (e.g. ["--label", "E"]).
    public var passthroughArguments: [String]

    public init(fit: FitConfiguration = .init(), transform: TransformChoice = .auto, operations: [String] = [],
                onlyListedOperations: Bool = false, alpha: Double = 0.05, targetError: Double? = nil,
                slope: Double = 0.5, slopeSource: String = "default", prefactor: Double? = nil,
                dataPath: String = "DATA.csv", passthroughArguments: [String] = []) {
        self.fit = fit
        self.transform = transform
        self.operations = operations
        self.onlyListedOperations = onlyListedOperations
        self.alpha = alpha
        self.targetError = targetError
        self.slope = slope
        self.slopeSource = slopeSource
        self.prefactor = prefactor
        self.dataPath = dataPath
        self.passthroughArguments = passthroughArguments
    }
}
