/// What each column of an extended-XYZ atom line holds, from the frame's `Properties` value.
///
/// `Properties=species:S:1:pos:R:3:forces:R:3` is a list of `name:type:count` triples; the type is
/// `S` (string), `R` (real), `I` (integer) or `L` (logical), and the property fills `count`
/// consecutive columns. The reader uses `species:S:1` and `pos:R:3` (both required), the forces
/// (`R:3`) and `masses:R:1`; other properties are skipped, but their columns are counted.
struct ExtendedXYZAtomLayout: Equatable {
    enum Role: UInt8 {
        case skip, species, positionX, positionY, positionZ, forceX, forceY, forceZ, mass
    }

    /// The Properties value when no `Properties` key is given (ASE's default).
    static let defaultProperties = "species:S:1:pos:R:3"

    /// One role per column of an atom line.
    let roles: [Role]
    /// A name per column for error messages (`pos.y`, `species`, `charge`, `tags[2]`).
    let columnNames: [String]
    let hasForces: Bool
    let hasMasses: Bool
    /// The Properties text this layout was made from.
    let properties: String

    var columnCount: Int { roles.count }

    /// The property that holds the forces for the label `labelKey`: `<prefix>forces` for a label
    /// `<prefix>energy` (`REF_energy` → `REF_forces`, as MACE writes them), else `forces`.
    static func forcesNames(labelKey: String) -> [String] {
        let lowered = labelKey.lowercased()
        if lowered.hasSuffix("energy") && lowered.count > "energy".count {
            let prefix = String(labelKey.dropLast("energy".count))
            return [prefix + "forces", "forces"]
        }
        return ["forces"]
    }

    /// Parses `properties`; on failure throws a phrase saying what is wrong (the reader adds the
    /// location).
    init(properties: String, forcesNames: [String]) throws {
        let fields = properties.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 3, fields.count % 3 == 0 else {
            throw LayoutError(reason: "Properties must be name:type:count triples, e.g. species:S:1:pos:R:3")
        }
        struct Property { let name: String; let type: String; let count: Int; let firstColumn: Int }
        var list: [Property] = []
        var column = 0
        for i in stride(from: 0, to: fields.count, by: 3) {
            let (name, type, countText) = (fields[i], fields[i + 1], fields[i + 2])
            guard !name.isEmpty else { throw LayoutError(reason: "Properties has an empty name") }
            guard ["S", "R", "I", "L"].contains(type) else {
                throw LayoutError(reason: "property '\(name)' has unknown type '\(type)' (S, R, I or L)")
            }
            guard let count = Int(countText), count > 0, count <= 1_000_000 else {
                throw LayoutError(reason: "property '\(name)' has an invalid column count '\(countText)'")
            }
            list.append(Property(name: name, type: type, count: count, firstColumn: column))
            column += count
        }

        var roles = [Role](repeating: .skip, count: column)
        var names: [String] = []
        names.reserveCapacity(column)
        for property in list {
            for c in 0 ..< property.count {
                switch property.count {
                case 1: names.append(property.name)
                case 3: names.append(property.name + [".x", ".y", ".z"][c])
                default: names.append("\(property.name)[\(c + 1)]")
                }
            }
        }
        /// The first property named `name` (or, failing that, named so ignoring case).
        func find(_ name: String) -> Property? {
            list.first(where: { $0.name == name }) ?? list.first(where: { $0.name.lowercased() == name.lowercased() })
        }
        func require(_ property: Property, type: String, count: Int, role: String) throws {
            guard property.type == type, property.count == count else {
                throw LayoutError(
                    reason: "property '\(property.name)' is \(property.type):\(property.count), but \(role) must be \(type):\(count)")
            }
        }

        guard let species = find("species") else {
            throw LayoutError(reason: "Properties has no species column (species:S:1)")
        }
        try require(species, type: "S", count: 1, role: "the species")
        roles[species.firstColumn] = .species

        guard let position = find("pos") ?? find("positions") else {
            throw LayoutError(reason: "Properties has no positions column (pos:R:3)")
        }
        try require(position, type: "R", count: 3, role: "the positions")
        roles[position.firstColumn] = .positionX
        roles[position.firstColumn + 1] = .positionY
        roles[position.firstColumn + 2] = .positionZ

        var hasForces = false
        if let forces = forcesNames.lazy.compactMap({ name in list.first(where: { $0.name == name }) }).first {
            try require(forces, type: "R", count: 3, role: "forces")
            roles[forces.firstColumn] = .forceX
            roles[forces.firstColumn + 1] = .forceY
            roles[forces.firstColumn + 2] = .forceZ
            hasForces = true
        }
        var hasMasses = false
        if let masses = list.first(where: { $0.name == "masses" }) {
            try require(masses, type: "R", count: 1, role: "masses")
            roles[masses.firstColumn] = .mass
            hasMasses = true
        }
        self.roles = roles
        self.columnNames = names
        self.hasForces = hasForces
        self.hasMasses = hasMasses
        self.properties = properties
    }

    struct LayoutError: Error {
        let reason: String
    }
}
