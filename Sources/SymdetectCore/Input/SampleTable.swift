/// The labelled samples of a dataset: one column of `Double` per coordinate plus the label.
///
/// Column-major so that fitting and neighbour searches read contiguous memory. Every value is
/// finite (the reader refuses anything else).
public struct SampleTable: Sendable, Equatable {
    /// Names of the coordinate (feature) columns, in the order used everywhere downstream.
    public var featureNames: [String]
    public var labelName: String
    /// `features[j][i]` is coordinate j of sample i.
    public var features: [[Double]]
    public var labels: [Double]
    /// Measured derivatives of the label with respect to the coordinates (a molecule's energy
    /// gradient, −forces, in normal coordinates), used by the Taylor fit as extra equations;
    /// nil when the samples carry none.
    public var gradients: LabelGradients? = nil

    public init(featureNames: [String], labelName: String, features: [[Double]], labels: [Double]) {
        precondition(featureNames.count == features.count)
        precondition(features.allSatisfy { $0.count == labels.count })
        self.featureNames = featureNames
        self.labelName = labelName
        self.features = features
        self.labels = labels
    }

    public var count: Int { labels.count }
    public var dimension: Int { features.count }
    /// Least-squares equations a Taylor fit gets from the samples: 1 + d per sample with
    /// gradients, 1 without.
    public var equationCount: Int { count * (gradients == nil ? 1 : 1 + dimension) }

    /// Coordinates of sample i as a point.
    public func point(_ i: Int) -> [Double] { features.map { $0[i] } }

    public func index(ofFeature name: String) -> Int? { featureNames.firstIndex(of: name) }

    /// The range of every coordinate column.
    public var ranges: [ClosedRange<Double>] {
        features.map { col in Self.bounds(col).map { $0.lower...$0.upper } ?? 0...0 }
    }

    /// (min(), max()) of `values` in one pass over contiguous memory — the same comparisons as
    /// the two library calls (a value replaces the current one only when strictly beyond it), so
    /// the same result; nil when empty.
    public static func bounds(_ values: [Double]) -> (lower: Double, upper: Double)? {
        values.withUnsafeBufferPointer { buffer in
            guard var lo = buffer.first else { return nil }
            var hi = lo
            for v in buffer {
                lo = v < lo ? v : lo
                hi = hi < v ? v : hi
            }
            return (lo, hi)
        }
    }

    /// Whether `point` lies inside the bounding box of the samples.
    public func contains(_ point: [Double]) -> Bool {
        zip(ranges, point).allSatisfy { $0.contains($1) }
    }
}

extension SampleTable {
    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> SampleTable {
        var out = SampleTable(featureNames: featureNames, labelName: labelName,
                              features: features.map { col in indices.map { col[$0] } },
                              labels: indices.map { labels[$0] })
        out.gradients = gradients?.rows(indices)
        return out
    }

    /// At most `limit` rows chosen by a seeded shuffle (kept in file order); the table itself
    /// when it is no larger. Auxiliary fits (higher-order checks) use this to bound their cost.
    public func subsample(limit: Int, seed: UInt64 = 0x5AB5_0001) -> (table: SampleTable, indices: [Int]) {
        guard count > limit else { return (self, Array(0..<count)) }
        return SeededSubsetCache.shared.rows(of: self, limit: limit, seed: seed)
    }
}
