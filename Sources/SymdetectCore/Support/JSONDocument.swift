import Foundation

// Shared by every JSON document the tool writes (fit, analyze, learning-curve).
//
// JSON has no NaN or infinity, and Foundation's JSONEncoder throws on them. Every number that can
// be non-finite is stored as `Double?` through `finiteOrNil`; nil is written as an explicit
// `null` (see `NullEncoded`), so every documented field is always present.

/// A finite value, or nil for NaN and ±infinity.
@inline(__always)
public func finiteOrNil(_ x: Double) -> Double? { x.isFinite ? x : nil }

/// Encodes documents deterministically: sorted keys, two-space pretty printing, "/" unescaped,
/// a final newline. The same value always gives the same bytes.
public enum DocumentEncoder {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(UInt8(ascii: "\n"))
        return data
    }
}

/// `input`: which file was read and which columns play which role.
public struct InputSection: Codable, Sendable, Equatable {
    /// The path as given on the command line.
    public var path: String
    public var rows: Int
    /// Coordinate column names, in the order used everywhere in the document.
    public var features: [String]
    public var label: String

    public init(path: String, rows: Int, features: [String], label: String) {
        self.path = path
        self.rows = rows
        self.features = features
        self.label = label
    }

    public init(path: String, table: SampleTable) {
        self.init(path: path, rows: table.count, features: table.featureNames, label: table.labelName)
    }
}


/// Types whose optional values the documents write as an explicit `null` when nil. The
/// synthesized `Encodable` conformances call `encodeIfPresent` for optionals, which would drop
/// the key; these overloads, being more specific, write `null` instead, so every documented key
/// is always present without a hand-written `encode(to:)`.
public protocol NullEncoded: Encodable {}

extension KeyedEncodingContainer {
    public mutating func encodeIfPresent<T: NullEncoded>(_ value: T?, forKey key: Key) throws { try encode(value, forKey: key) }
    public mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try encode(value, forKey: key) }
    public mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try encode(value, forKey: key) }
    public mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try encode(value, forKey: key) }
    public mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try encode(value, forKey: key) }
    public mutating func encodeIfPresent<T: Encodable>(_ value: [T]?, forKey key: Key) throws { try encode(value, forKey: key) }
}
