/// The `key=value` pairs of an extended-XYZ comment line (the second line of a frame).
///
/// The grammar is ASE's `key_val_str_to_dict`, character for character:
/// - pairs are separated by blanks (space, tab, CR, VT, FF); blanks around `=` are allowed;
/// - a value (or key) may be delimited by `"…"`, `'…'`, `{…}` or `[…]`; the delimiters are dropped
///   and everything between them, blanks and `=` included, is kept verbatim;
/// - a backslash anywhere makes the next character literal (`\"` is a quote, `\\` a backslash);
/// - a key without `=` is a flag and has the value `T`; a second `=` inside an unquoted value is
///   kept (`a=b=c` has the value `b=c`).
///
/// Values stay text here: the reader converts only the label, `Properties`, `pbc` and `Lattice`.
struct ExtendedXYZCommentLine {
    var entries: [MolecularFrames.InfoEntry]

    enum ParseError: Error, Equatable {
        /// A `"`, `'`, `{` or `[` opened at this 1-based character offset is never closed.
        case unclosedDelimiter(character: Character, offset: Int)
    }

    /// Parses the bytes of the comment line (UTF-8; the delimiters are ASCII, so bytes of
    /// multi-byte characters are copied through untouched).
    ///
    /// ASE collects a list of pairs, each a list of parts (the key, then one part per `=`), and
    /// joins the value parts with `=`. The same result is built here in two byte buffers: a `=`
    /// after the first one is appended to the value literally, and a pair ended by a blank is
    /// emitted only when the next pair starts, because a `=` right after the blank (`key =value`)
    /// reopens it.
    ///
    /// One deliberate difference from ASE: an empty quoted value (`a="" b=1`) ends its pair at the
    /// next blank, where ASE would append `b` to it.
    init(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        var entries: [MolecularFrames.InfoEntry] = []
        var key: [UInt8] = []
        var value: [UInt8] = []
        key.reserveCapacity(32)
        value.reserveCapacity(bytes.count)
        var hasValue = false
        // Nothing collected since the start of the pair or the last `=`, and no delimiter seen.
        var partIsEmpty = true
        // A blank ended the pair; it is emitted when the next one starts.
        var pairEnded = false
        var closing: UInt8 = 0
        var openedAt = 0
        var escaped = false

        @inline(__always)
        func emit(_ entries: inout [MolecularFrames.InfoEntry], _ key: inout [UInt8], _ value: inout [UInt8], _ hasValue: inout Bool) {
            if hasValue || !key.isEmpty {
                entries.append(.init(
                    key: String(decoding: key, as: UTF8.self),
                    value: hasValue ? String(decoding: value, as: UTF8.self) : "T"))
            }
            key.removeAll(keepingCapacity: true)
            value.removeAll(keepingCapacity: true)
            hasValue = false
        }

        // As ASE, strip the line first (so a trailing escaped blank is dropped).
        var first = 0
        var end = bytes.count
        while first < end && Self.isBlank(bytes[first]) { first += 1 }
        while end > first && Self.isBlank(bytes[end - 1]) { end -= 1 }
        for offset in first ..< end {
            let byte = bytes[offset]
            let kind: UInt8  // 0 literal, 1 blank, 2 equals, 3 backslash, 4 opening delimiter
            if escaped {
                kind = 0
                escaped = false
            } else if closing != 0 {
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    continue
                }
                if byte == closing {
                    closing = 0
                    continue
                }
                kind = 0
            } else {
                switch byte {
                case UInt8(ascii: "\\"): kind = 3
                case UInt8(ascii: "="): kind = 2
                case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "{"), UInt8(ascii: "["): kind = 4
                default: kind = Self.isBlank(byte) ? 1 : 0
                }
            }
            if kind == 1 {
                // A blank ends the pair unless its current part is still empty (`key = value`).
                if !partIsEmpty { pairEnded = true }
                continue
            }
            if pairEnded {
                pairEnded = false
                if kind == 2 {
                    // `key =value`: the `=` belongs to the pair the blank ended.
                    if hasValue { value.append(byte) } else { hasValue = true }
                    partIsEmpty = true
                    continue
                }
                emit(&entries, &key, &value, &hasValue)
                partIsEmpty = true
            }
            switch kind {
            case 2:
                if hasValue { value.append(byte) } else { hasValue = true }
                partIsEmpty = true
            case 3:
                escaped = true
            case 4:
                closing = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : byte == UInt8(ascii: "[") ? UInt8(ascii: "]") : byte
                openedAt = offset
                partIsEmpty = false
            default:
                if hasValue { value.append(byte) } else { key.append(byte) }
                partIsEmpty = false
            }
        }
        if closing != 0 {
            let character = Character(Unicode.Scalar(bytes[openedAt]))
            throw ParseError.unclosedDelimiter(character: character, offset: openedAt + 1)
        }
        emit(&entries, &key, &value, &hasValue)
        self.entries = entries
    }

    /// The entry for `key` (first occurrence), matched exactly.
    func value(forKey key: String) -> String? {
        entries.first(where: { $0.key == key })?.value
    }

    /// Index of the entry for `key`: an exact match first, else the first match ignoring case.
    func index(matching key: String) -> Int? {
        Self.index(in: entries, matching: key)
    }

    static func index(in entries: [MolecularFrames.InfoEntry], matching key: String) -> Int? {
        if let exact = entries.firstIndex(where: { $0.key == key }) { return exact }
        return entries.firstIndex(where: { equalIgnoringCase($0.key, key) })
    }

    /// `a == b` ignoring case. When `b` (the key looked for) is ASCII, ASCII letters are folded
    /// byte by byte without allocating; otherwise both are lowercased.
    static func equalIgnoringCase(_ a: String, _ b: String) -> Bool {
        let (x, y) = (a.utf8, b.utf8)
        guard y.allSatisfy({ $0 < 0x80 }) else { return a.lowercased() == b.lowercased() }
        guard x.count == y.count else { return false }
        return zip(x, y).allSatisfy { ($0 | 0x20) == ($1 | 0x20) && (($0 | 0x20) &- 0x61 < 26 || $0 == $1) }
    }

    @inline(__always)
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }
}
