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
    /// One deliberate difference from ASE: an empty quoted value (`a="" b=1`) ends its pair at the
    /// next blank, where ASE would append `b` to it.
    init(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        // As in ASE: a list of pairs, each a list of parts (key, then one part per `=`).
        var pairs: [[[UInt8]]] = [[[]]]
        // The current part was opened by a delimiter, so it is a (possibly empty) value.
        var partIsQuoted = false
        var closing: UInt8 = 0
        var openedAt = 0
        var escaped = false

        @inline(__always) func append(_ byte: UInt8) {
            pairs[pairs.count - 1][pairs[pairs.count - 1].count - 1].append(byte)
        }

        for (offset, byte) in bytes.enumerated() {
            if escaped {
                append(byte)
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if closing != 0 {
                if byte == closing { closing = 0 } else { append(byte) }
            } else if let close = Self.closingDelimiter(byte) {
                closing = close
                openedAt = offset
                partIsQuoted = true
            } else if Self.isBlank(byte) {
                // A blank ends the pair unless its current part is still empty, so that
                // `key = value` is one pair.
                let last = pairs[pairs.count - 1]
                if last[last.count - 1].isEmpty && !partIsQuoted { continue }
                pairs.append([[]])
                partIsQuoted = false
            } else if byte == UInt8(ascii: "=") {
                // `key =value`: the blank opened an empty pair; `=` belongs to the previous one.
                if pairs.count > 1 && pairs[pairs.count - 1].count == 1 && pairs[pairs.count - 1][0].isEmpty {
                    pairs.removeLast()
                }
                pairs[pairs.count - 1].append([])
                partIsQuoted = false
            } else {
                append(byte)
            }
        }
        if closing != 0 {
            let character = Character(Unicode.Scalar(bytes[openedAt]))
            throw ParseError.unclosedDelimiter(character: character, offset: openedAt + 1)
        }
        var entries: [MolecularFrames.InfoEntry] = []
        entries.reserveCapacity(pairs.count)
        for pair in pairs {
            let key = String(decoding: pair[0], as: UTF8.self)
            if pair.count == 1 {
                // A flag, or the empty pair a trailing blank leaves behind.
                if !key.isEmpty { entries.append(.init(key: key, value: "T")) }
            } else {
                let value = pair[1...].map { String(decoding: $0, as: UTF8.self) }.joined(separator: "=")
                entries.append(.init(key: key, value: value))
            }
        }
        self.entries = entries
    }

    /// The entry for `key` (first occurrence), matched exactly.
    func value(forKey key: String) -> String? {
        entries.first(where: { $0.key == key })?.value
    }

    /// Index of the entry for `key`: an exact match first, else the first match ignoring case.
    func index(matching key: String) -> Int? {
        if let exact = entries.firstIndex(where: { $0.key == key }) { return exact }
        return entries.firstIndex(where: { Self.equalIgnoringCase($0.key, key) })
    }

    /// `a == b` ignoring case; without allocating when both are ASCII (the usual keys).
    static func equalIgnoringCase(_ a: String, _ b: String) -> Bool {
        let (x, y) = (a.utf8, b.utf8)
        if x.elementsEqual(y) { return true }
        guard x.allSatisfy({ $0 < 0x80 }) && y.allSatisfy({ $0 < 0x80 }) else { return a.lowercased() == b.lowercased() }
        guard x.count == y.count else { return false }
        return zip(x, y).allSatisfy { ($0 | 0x20) == ($1 | 0x20) && (($0 | 0x20) &- 0x61 < 26 || $0 == $1) }
    }

    @inline(__always)
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    private static func closingDelimiter(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "\""): return UInt8(ascii: "\"")
        case UInt8(ascii: "'"): return UInt8(ascii: "'")
        case UInt8(ascii: "{"): return UInt8(ascii: "}")
        case UInt8(ascii: "["): return UInt8(ascii: "]")
        default: return nil
        }
    }
}
