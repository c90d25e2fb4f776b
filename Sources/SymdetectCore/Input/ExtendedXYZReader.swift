/// Reads the frames of one molecule from an extended-XYZ file (the format of ASE, MACE, NequIP),
/// streaming: the file is read in 1 MiB chunks and atom lines are parsed straight from the bytes;
/// only species symbols (first frame), comment-line entries and error texts become `String`s.
///
/// Format, per frame:
///
///     3                                   atom count
///     energy=-76.4 Properties=species:S:1:pos:R:3:forces:R:3 config="a b"    comment line
///     O  0.0 0.0 0.117  0.0 0.0 -0.01     one line per atom, columns as in Properties
///     H  0.0 0.757 -0.467  ...
///     H  0.0 -0.757 -0.467 ...
///
/// - The comment line is `key=value` pairs (`ExtendedXYZCommentLine`: quoted values, escapes,
///   flags). `Properties` (default `species:S:1:pos:R:3`) gives the atom-line columns
///   (`ExtendedXYZAtomLayout`). A comment line that is just one number is the legacy form: the
///   number is the label.
/// - The label is the key `labelKey` (an exact match, else the first match ignoring case). Forces
///   are the `forces` property (`REF_forces` for the label `REF_energy`); masses the `masses`
///   property. Every other key is kept per frame in `extraInfo`.
/// - Every frame has the same atom count and the same species in the same order; forces and masses
///   are in every frame or in none, and masses are the same in every frame.
/// - Periodic frames (`pbc` with any `T`, or a `Lattice` without `pbc`, which ASE takes as periodic)
///   are refused: the molecular pipeline needs isolated molecules.
/// - Numbers are decimal and finite, parsed correctly rounded by `CSVNumberParser`.
/// - Blank lines between frames and at the end are skipped; a blank line inside a frame is an error.
///
/// All problems are thrown as `InputError`: `.unreadable` when the file cannot be opened or read,
/// `.badData` otherwise, with the 1-based line, the 1-based column (field) where there is one, and a
/// reason that starts with the 1-based frame (`frame 2: …`).
public enum ExtendedXYZReader {
    /// Reads the file at `path`. `progress(bytesRead, totalBytes)` is called after every 4 MiB read
    /// and once at the end; `totalBytes` is 0 when the size is unknown (a pipe).
    public static func read(
        path: String, labelKey: String = "energy", progress: ((Int64, Int64) -> Void)? = nil
    ) throws -> MolecularFrames {
        let window = try CSVByteWindow(path: path)
        return try read(window, labelKey: labelKey, progress: progress)
    }

    /// The same parser on bytes in memory; `name` stands for the path in error messages.
    public static func read(data: [UInt8], name: String, labelKey: String = "energy") throws -> MolecularFrames {
        try read(CSVByteWindow(bytes: data, name: name), labelKey: labelKey, progress: nil)
    }

    private static func read(
        _ window: CSVByteWindow, labelKey: String, progress: ((Int64, Int64) -> Void)?
    ) throws -> MolecularFrames {
        var parser = FrameParser(path: window.path, labelKey: labelKey, lines: TextLineReader(window: window, progress: progress))
        while try parser.readFrame() {}
        parser.lines.reportEnd()
        return try parser.result()
    }
}

/// The state of one read: what the first frame fixed, and the columns collected so far.
private struct FrameParser {
    let path: String
    let labelKey: String
    let forcesNames: [String]
    var lines: TextLineReader

    // Fixed by the first frame.
    var atomCount = 0
    var species: [String] = []
    var speciesBytes: [[UInt8]] = []
    var hasForces = false
    var foundLabelKey: String?

    // Collected.
    var frameCount = 0
    var positions: [Double] = []
    var forces: [Double] = []
    var masses: [Double] = []
    var energies: [Double] = []
    var extraInfo: [[MolecularFrames.InfoEntry]] = []
    var reserved = false

    /// The layout of the last Properties text seen (files repeat the same one every frame).
    var layout: ExtendedXYZAtomLayout?
    lazy var defaultLayout: ExtendedXYZAtomLayout = try! ExtendedXYZAtomLayout(
        properties: ExtendedXYZAtomLayout.defaultProperties, forcesNames: forcesNames)

    init(path: String, labelKey: String, lines: TextLineReader) {
        self.path = path
        self.labelKey = labelKey
        self.forcesNames = ExtendedXYZAtomLayout.forcesNames(labelKey: labelKey)
        self.lines = lines
    }

    func error(
        frame: Int?, line: Int?, column: Int? = nil, columnName: String? = nil, text: String? = nil, _ reason: String
    ) -> InputError {
        .badData(
            path: path, line: line, column: column, columnName: columnName, text: text.map { CSVReader.excerpt($0) },
            reason: frame.map { "frame \($0): " + reason } ?? reason)
    }

    func result() throws -> MolecularFrames {
        guard frameCount > 0 else {
            throw error(frame: nil, line: nil, "the file is empty (no frames)")
        }
        return MolecularFrames(
            species: species, masses: masses.isEmpty ? nil : masses, positions: positions,
            forces: hasForces ? forces : nil, energies: energies, labelKey: foundLabelKey ?? labelKey,
            extraInfo: extraInfo)
    }

    /// Reads one frame; `false` at the end of the input.
    mutating func readFrame() throws -> Bool {
        let frame = frameCount + 1

        // Atom count (blank lines before it are skipped).
        var countLine: UnsafeBufferPointer<UInt8>
        repeat {
            guard let next = try lines.next() else { return false }
            countLine = next
        } while isBlankLine(countLine)
        let headerLine = lines.lineNumber
        guard let count = Self.atomCount(countLine) else {
            let text = trimmed(countLine)
            throw error(frame: frame, line: headerLine, text: text,
                        text.isEmpty ? "expected the atom count" : "expected the atom count (a positive integer)")
        }
        guard count > 0 else {
            throw error(frame: frame, line: headerLine, "a frame with 0 atoms")
        }
        if frameCount > 0 && count != atomCount {
            throw error(frame: frame, line: headerLine,
                        "\(count) atoms, but frame 1 has \(atomCount) (every frame must have the same atoms)")
        }

        // Comment line.
        guard let comment = try lines.next() else {
            throw error(frame: frame, line: headerLine,
                        "the file ends after the atom count (truncated frame: no comment line and none of its \(count) atom lines)")
        }
        let commentLine = lines.lineNumber
        let energy: Double
        let info: [MolecularFrames.InfoEntry]
        let frameLayout: ExtendedXYZAtomLayout
        if let legacy = legacyLabel(comment) {
            energy = legacy
            info = []
            frameLayout = defaultLayout
            if frameCount == 0 { foundLabelKey = labelKey }
        } else {
            (energy, info, frameLayout) = try parseComment(comment, frame: frame, line: commentLine)
        }
        if frameCount == 0 {
            hasForces = frameLayout.hasForces
            atomCount = count
            species.reserveCapacity(count)
            speciesBytes.reserveCapacity(count)
        } else {
            if frameLayout.hasForces != hasForces {
                throw error(frame: frame, line: commentLine, text: frameLayout.properties,
                            hasForces ? "no forces, but frame 1 has forces (Properties)"
                                : "forces, but frame 1 has none (Properties)")
            }
            if frameLayout.hasMasses != !masses.isEmpty {
                throw error(frame: frame, line: commentLine, text: frameLayout.properties,
                            masses.isEmpty ? "masses, but frame 1 has none (Properties)"
                                : "no masses, but frame 1 has masses (Properties)")
            }
        }

        // Atom lines.
        for atom in 0 ..< count {
            guard var atomLine = try lines.next() else {
                throw truncatedFrame(frame: frame, line: headerLine, atomLines: atom, of: count)
            }
            if isBlankLine(atomLine) {
                // Only blank lines to the end: the file stops early (reported as such); else a blank
                // line sits inside the frame.
                let blankLine = lines.lineNumber
                repeat {
                    guard let next = try lines.next() else {
                        throw truncatedFrame(frame: frame, line: headerLine, atomLines: atom, of: count)
                    }
                    atomLine = next
                } while isBlankLine(atomLine)
                throw error(frame: frame, line: blankLine,
                            "blank line where atom \(atom + 1) of \(count) was expected (the atom count says \(count))")
            }
            try parseAtomLine(atomLine, atom: atom, atomCount: count, layout: frameLayout, frame: frame)
        }
        energies.append(energy)
        extraInfo.append(info)
        frameCount += 1
        if frameCount == 1 { reserveFromFirstFrame() }
        return true
    }

    func truncatedFrame(frame: Int, line: Int, atomLines: Int, of count: Int) -> InputError {
        error(frame: frame, line: line,
              "the file ends after \(atomLines) of the frame's \(count) atom lines (truncated frame starting here)")
    }

    /// Sizes the columns once from the first frame's bytes, to avoid regrowth on large files.
    mutating func reserveFromFirstFrame() {
        let total = lines.window.totalBytes
        let used = lines.consumedBytes
        guard !reserved, total > 0, used > 0 else { return }
        reserved = true
        let frames = Int(min(Double(total) / Double(used) * 1.05 + 1, 1e8))
        positions.reserveCapacity(frames * atomCount * 3)
        if hasForces { forces.reserveCapacity(frames * atomCount * 3) }
        energies.reserveCapacity(frames)
        extraInfo.reserveCapacity(frames)
    }

    // MARK: - Comment line

    /// The value of a comment line that is one number (the legacy form), else nil.
    func legacyLabel(_ comment: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let base = comment.baseAddress, comment.count > 0 else { return nil }
        return CSVNumberParser.parse(base, count: comment.count)
    }

    mutating func parseComment(
        _ comment: UnsafeBufferPointer<UInt8>, frame: Int, line: Int
    ) throws -> (Double, [MolecularFrames.InfoEntry], ExtendedXYZAtomLayout) {
        var entries: [MolecularFrames.InfoEntry]
        do {
            entries = try ExtendedXYZCommentLine(comment).entries
        } catch let ExtendedXYZCommentLine.ParseError.unclosedDelimiter(character, offset) {
            throw error(frame: frame, line: line, text: String(decoding: comment, as: UTF8.self),
                        "the comment line has a \(character) at character \(offset) that is never closed")
        }

        try refusePeriodic(entries, frame: frame, line: line)

        guard let labelIndex = ExtendedXYZCommentLine.index(in: entries, matching: labelKey) else {
            let keys = entries.map(\.key).filter { !$0.isEmpty }
            let present = keys.isEmpty
                ? "the comment line has no key=value pairs"
                : "keys: " + keys.prefix(20).joined(separator: ", ") + (keys.count > 20 ? ", …" : "")
            throw error(frame: frame, line: line, "no label '\(labelKey)' in the comment line (\(present))")
        }
        let labelEntry = entries[labelIndex]
        if frameCount == 0 { foundLabelKey = labelEntry.key }
        var labelText = labelEntry.value
        let label: Double? = labelText.withUTF8 { bytes in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return nil }
            return CSVNumberParser.parse(base, count: bytes.count)
        }
        guard let energy = label else {
            let reason = labelText.withUTF8 { CSVNumberParser.rejectionReason($0) }
            throw error(frame: frame, line: line, text: labelText,
                        "the label \(labelEntry.key) is not usable: \(reason)")
        }

        let propertiesIndex = entries.firstIndex(where: { $0.key == "Properties" })
            ?? entries.firstIndex(where: { ExtendedXYZCommentLine.equalIgnoringCase($0.key, "Properties") })
        let frameLayout: ExtendedXYZAtomLayout
        if let propertiesIndex {
            let text = entries[propertiesIndex].value
            if let layout, layout.properties == text {
                frameLayout = layout
            } else {
                do {
                    frameLayout = try ExtendedXYZAtomLayout(properties: text, forcesNames: forcesNames)
                } catch let failure as ExtendedXYZAtomLayout.LayoutError {
                    throw error(frame: frame, line: line, text: "Properties=" + text, failure.reason)
                }
                layout = frameLayout
            }
        } else {
            frameLayout = defaultLayout
        }

        // The rest is the frame's info (removed in place: `entries` is not shared).
        if let propertiesIndex {
            entries.remove(at: max(labelIndex, propertiesIndex))
            entries.remove(at: min(labelIndex, propertiesIndex))
        } else {
            entries.remove(at: labelIndex)
        }
        return (energy, entries, frameLayout)
    }

    /// Throws for a periodic frame: `pbc` with any true direction, or a `Lattice` without `pbc`
    /// (which ASE reads as periodic in all three directions).
    func refusePeriodic(_ entries: [MolecularFrames.InfoEntry], frame: Int, line: Int) throws {
        let hasLattice = entries.contains { ExtendedXYZCommentLine.equalIgnoringCase($0.key, "Lattice") }
        guard let pbc = entries.first(where: { ExtendedXYZCommentLine.equalIgnoringCase($0.key, "pbc") }) else {
            if hasLattice {
                throw error(frame: frame, line: line,
                            "periodic frames are not supported (a Lattice without pbc means periodic in all directions;"
                                + " write pbc=\"F F F\" for an isolated molecule)")
            }
            return
        }
        if pbc.value == "F F F" { return }
        let flags = pbc.value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
        var periodic = false
        for flag in flags {
            switch flag {
            case "T", "True", "true", "TRUE", "1": periodic = true
            case "F", "False", "false", "FALSE", "0": break
            default:
                throw error(frame: frame, line: line, text: pbc.value,
                            "\(pbc.key) must be three of T/F (True/False)")
            }
        }
        if periodic {
            throw error(frame: frame, line: line, text: "\(pbc.key)=\"\(pbc.value)\"",
                        "periodic frames are not supported (isolated molecules only: pbc=\"F F F\")")
        }
    }

    // MARK: - Atom lines

    mutating func parseAtomLine(
        _ bytes: UnsafeBufferPointer<UInt8>, atom: Int, atomCount count: Int, layout: ExtendedXYZAtomLayout, frame: Int
    ) throws {
        let line = lines.lineNumber
        guard let base = bytes.baseAddress else { return }  // blank lines were refused before
        let columnCount = layout.columnCount
        var position = (0.0, 0.0, 0.0)
        var force = (0.0, 0.0, 0.0)
        var mass = 0.0
        // The first bad cell, reported once the column count is known to be right.
        var badColumn: (index: Int, start: Int, end: Int)?
        var speciesColumn: (start: Int, end: Int)?

        var column = 0
        var p = 0
        let n = bytes.count
        layout.roles.withUnsafeBufferPointer { roles in
            while true {
                while p < n && ExtendedXYZCommentLine.isBlank(base[p]) { p += 1 }
                if p == n { break }
                let start = p
                while p < n && !ExtendedXYZCommentLine.isBlank(base[p]) { p += 1 }
                defer { column += 1 }
                guard column < columnCount else { continue }
                let role = roles[column]
                switch role {
                case .skip:
                    continue
                case .species:
                    speciesColumn = (start, p)
                    continue
                default:
                    break
                }
                guard let value = CSVNumberParser.parse(base + start, count: p - start) else {
                    if badColumn == nil { badColumn = (column, start, p) }
                    continue
                }
                switch role {
                case .positionX: position.0 = value
                case .positionY: position.1 = value
                case .positionZ: position.2 = value
                case .forceX: force.0 = value
                case .forceY: force.1 = value
                case .forceZ: force.2 = value
                case .mass: mass = value
                case .skip, .species: break
                }
            }
        }
        if column != columnCount {
            let needs = "Properties \(layout.properties) needs \(columnCount)"
            if column < columnCount {
                throw error(frame: frame, line: line,
                            "atom line has \(column) column\(column == 1 ? "" : "s"), but \(needs)"
                                + " (missing \(layout.columnNames[column]))")
            }
            throw error(frame: frame, line: line, column: columnCount + 1,
                        "atom line has \(column) columns, but \(needs)")
        }
        if let bad = badColumn {
            let cell = UnsafeBufferPointer(start: base + bad.start, count: bad.end - bad.start)
            throw error(frame: frame, line: line, column: bad.index + 1, columnName: layout.columnNames[bad.index],
                        text: String(decoding: cell, as: UTF8.self), CSVNumberParser.rejectionReason(cell))
        }

        // Species: kept from the first frame, compared byte for byte afterwards.
        let symbol = speciesColumn.map { UnsafeBufferPointer(start: base + $0.start, count: $0.end - $0.start) }!
        if frameCount == 0 {
            speciesBytes.append(Array(symbol))
            species.append(String(decoding: symbol, as: UTF8.self))
        } else if !symbol.elementsEqual(speciesBytes[atom]) {
            let speciesIndex = layout.roles.firstIndex(of: .species)!
            throw error(frame: frame, line: line, column: speciesIndex + 1, columnName: "species",
                        text: String(decoding: symbol, as: UTF8.self),
                        "atom \(atom + 1) is \(String(decoding: symbol, as: UTF8.self)), but in frame 1 it is \(species[atom])"
                            + " (every frame must list the same atoms in the same order)")
        }
        if layout.hasMasses {
            if frameCount == 0 {
                masses.append(mass)
            } else if mass != masses[atom] {
                let massIndex = layout.roles.firstIndex(of: .mass)!
                throw error(frame: frame, line: line, column: massIndex + 1, columnName: "masses", text: "\(mass)",
                            "atom \(atom + 1) has mass \(mass), but \(masses[atom]) in frame 1 (masses must be the same in every frame)")
            }
        }
        positions.append(position.0)
        positions.append(position.1)
        positions.append(position.2)
        if layout.hasForces {
            forces.append(force.0)
            forces.append(force.1)
            forces.append(force.2)
        }
    }

    // MARK: - Small helpers

    func isBlankLine(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { ExtendedXYZCommentLine.isBlank($0) }
    }

    func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        CSVNumberParser.trimmingBlanks(String(decoding: bytes, as: UTF8.self))
    }

    /// The positive integer of an atom-count line (blanks around it allowed), else nil.
    static func atomCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var value = 0
        var digits = 0
        var seenEnd = false
        for byte in bytes {
            if ExtendedXYZCommentLine.isBlank(byte) {
                if digits > 0 { seenEnd = true }
                continue
            }
            guard !seenEnd, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 10 else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
        }
        return digits > 0 ? value : nil
    }
}
