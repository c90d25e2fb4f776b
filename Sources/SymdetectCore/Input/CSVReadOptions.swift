/// What to read from a CSV file: its delimiter and which columns play which role.
public struct CSVReadOptions: Sendable {
    /// `nil` detects the delimiter from the header line (see `CSVDelimiter.detect`).
    public var delimiter: CSVDelimiter?
    /// Name of the label column; `nil` takes the last column.
    public var label: String?
    /// Names of the feature (coordinate) columns in the order wanted downstream; `nil` takes every
    /// column but the label, in file order. Names are compared after trimming surrounding blanks.
    public var features: [String]?

    public init(delimiter: CSVDelimiter? = nil, label: String? = nil, features: [String]? = nil) {
        self.delimiter = delimiter
        self.label = label
        self.features = features
    }
}
