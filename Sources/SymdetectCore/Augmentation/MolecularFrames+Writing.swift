extension MolecularFrames {
    /// Writes the frames as extended XYZ that ASE (`ase.io.read(path, index=":")`) and
    /// `ExtendedXYZReader` read back: per frame the atom count, a comment line
    ///
    ///     Properties=species:S:1:pos:R:3[:masses:R:1][:forces:R:3] <label>=<value> <other keys…>
    ///
    /// and one line per atom. The label keeps its key (`energy`, `REF_energy`); forces are named
    /// as the reader looks for them first (`forces`, `REF_forces` for `REF_energy`). The other
    /// keys are written in order, followed by `extra(frame)` (which replaces a key of the same
    /// name); a value is quoted (`"…"`, with `\`
    /// and `"` escaped) when it is empty or holds a blank, a quote, `=`, a bracket or a
    /// backslash. Numbers are written as the shortest decimal that reads back as
    /// the same `Double`.
    public func writeExtendedXYZ(to writer: AtomicFile.Writer, extra: ((Int) -> [InfoEntry])? = nil) throws {
        var properties = "species:S:1:pos:R:3"
        if masses != nil { properties += ":masses:R:1" }
        let forcesName = ExtendedXYZAtomLayout.forcesNames(labelKey: labelKey)[0]
        if forces != nil { properties += ":\(forcesName):R:3" }
        let width = symbolWidth
        var text = ""
        for f in 0..<frameCount {
            text.removeAll(keepingCapacity: true)
            text += "\(atomCount)\n"
            var entries = [InfoEntry(key: "Properties", value: properties), InfoEntry(key: labelKey, value: Self.number(energies[f]))]
            let added = extra?(f) ?? []
            entries += extraInfo[f].filter { e in !added.contains { $0.key == e.key } } + added
            text += entries.map { Self.quoted($0.key) + "=" + Self.quoted($0.value) }.joined(separator: " ") + "\n"
            for a in 0..<atomCount {
                let i = (f * atomCount + a) * 3
                text += species[a].padding(toLength: width, withPad: " ", startingAt: 0)
                for k in 0..<3 { text += " " + Self.number(positions[i + k]) }
                if let masses { text += " " + Self.number(masses[a]) }
                if let forces { for k in 0..<3 { text += " " + Self.number(forces[i + k]) } }
                text += "\n"
            }
            try writer.write(text)
        }
    }

    /// Writes the frames as a CSV: a header of `columnNames` (one per Cartesian coordinate, atom
    /// by atom, x, y, z, then the label), reordered as `order` when given (a permutation of those
    /// names), then one line per frame (shortest round-trip decimals). `extra` adds a last column.
    public func writeCSV(to writer: AtomicFile.Writer, columnNames: [String], order: [String]? = nil,
                         extra: (name: String, value: (Int) -> String)? = nil) throws {
        precondition(columnNames.count == 3 * atomCount + 1, "one name per coordinate and one for the label")
        let names = order ?? columnNames
        let sources = names.map { name -> Int in
            guard let j = columnNames.firstIndex(of: name) else { preconditionFailure("unknown column '\(name)'") }
            return j
        }
        var header = names.map(AugmentedData.csvField)
        if let extra { header.append(AugmentedData.csvField(extra.name)) }
        try writer.write(header.joined(separator: ",") + "\n")
        let width = 3 * atomCount
        var line = ""
        for f in 0..<frameCount {
            line.removeAll(keepingCapacity: true)
            for (k, j) in sources.enumerated() {
                if k > 0 { line += "," }
                line += Self.number(j == width ? energies[f] : positions[f * width + j])
            }
            if let extra { line += "," + AugmentedData.csvField(extra.value(f)) }
            line += "\n"
            try writer.write(line)
        }
    }

    /// Column names for the Cartesian coordinates of these atoms and the label: the symbol, numbered
    /// when it occurs more than once (`O_x, …, H1_x, …, H2_z, energy`).
    public var cartesianColumnNames: [String] {
        var counts: [String: Int] = [:]
        for s in species { counts[s, default: 0] += 1 }
        var seen: [String: Int] = [:]
        var out: [String] = []
        for s in species {
            seen[s, default: 0] += 1
            let atom = counts[s]! == 1 ? s : "\(s)\(seen[s]!)"
            out += [atom + "_x", atom + "_y", atom + "_z"]
        }
        return out + [labelKey]
    }

    var symbolWidth: Int { max(2, species.map(\.count).max() ?? 0) }

    /// The shortest decimal that reads back as the same `Double` (Swift's `description`).
    static func number(_ x: Double) -> String { x.description }

    /// `text` as a comment-line key or value (`ExtendedXYZCommentLine` undoes it).
    static func quoted(_ text: String) -> String {
        let special: Set<Character> = [" ", "\t", "\r", "\u{0B}", "\u{0C}", "\"", "'", "=", "{", "}", "[", "]", "\\"]
        guard text.isEmpty || text.contains(where: special.contains) else { return text }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
