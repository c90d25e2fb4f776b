/// Which header columns become features (in the requested order) and which one is the label.
struct CSVColumnSelection: Equatable {
    /// 0-based header indices of the feature columns, in the order of `featureNames`.
    var featureColumns: [Int]
    var labelColumn: Int

    /// Checks the header names and resolves `options` against them.
    ///
    /// Header names must be non-empty and unique (after trimming), whether or not the column is
    /// used: a nameless column is usually an exported row index, which must not silently become a
    /// coordinate. Names in `options` are trimmed too. `headerLines[i]` is the physical line on
    /// which header field i starts.
    static func resolve(
        names: [String], headerLines: [Int], options: CSVReadOptions, path: String, delimiter: CSVDelimiter
    ) throws -> CSVColumnSelection {
        var indexOfName: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if name.isEmpty {
                throw InputError.badData(
                    path: path, line: headerLines[index], column: index + 1, columnName: nil, text: nil,
                    reason: "empty column name in the header (every column needs a name)")
            }
            if let first = indexOfName[name] {
                throw InputError.badData(
                    path: path, line: headerLines[index], column: index + 1, columnName: nil, text: name,
                    reason: "duplicate column name in the header (also column \(first + 1))")
            }
            indexOfName[name] = index
        }
        let headerLine = headerLines.first ?? 1
        let available = names.map { "'\($0)'" }.joined(separator: ", ")

        func badSelection(_ reason: String, _ text: String?) -> InputError {
            .badData(path: path, line: headerLine, column: nil, columnName: nil, text: text, reason: reason)
        }

        let labelColumn: Int
        if let requested = options.label {
            let name = CSVNumberParser.trimmingBlanks(requested)
            guard let index = indexOfName[name] else {
                throw badSelection("no label column of this name (the header has \(available))", requested)
            }
            labelColumn = index
        } else {
            labelColumn = names.count - 1
        }

        var featureColumns: [Int] = []
        if let requested = options.features {
            for raw in requested {
                let name = CSVNumberParser.trimmingBlanks(raw)
                guard let index = indexOfName[name] else {
                    throw badSelection("no feature column of this name (the header has \(available))", raw)
                }
                if index == labelColumn {
                    throw badSelection("the label column cannot also be a feature", name)
                }
                if featureColumns.contains(index) {
                    throw badSelection("feature column listed twice", name)
                }
                featureColumns.append(index)
            }
            if featureColumns.isEmpty {
                throw badSelection("no feature columns selected", nil)
            }
        } else {
            featureColumns = names.indices.filter { $0 != labelColumn }
            if featureColumns.isEmpty {
                throw badSelection(
                    "the header has a single column, so no features are left besides the label"
                        + " (delimiter: \(delimiter.displayName); is that right?)",
                    CSVReader.excerpt(names[0]))
            }
        }
        return CSVColumnSelection(featureColumns: featureColumns, labelColumn: labelColumn)
    }
}
