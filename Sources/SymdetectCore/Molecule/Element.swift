/// A chemical element (or the hydrogen isotopes D and T) with the mass molecular mode gives its
/// atoms: the relative atomic mass of the **most abundant isotope** (u, i.e. amu / Da), as in
/// vibrational spectroscopy, not the standard atomic weight of the natural mixture.
///
/// Masses: NIST "Atomic Weights and Isotopic Compositions" (AME2016/2020 evaluations, as used by
/// IUPAC), e.g. ¹H 1.00782503223, ²H 2.01410177812, ¹²C 12 exactly, ¹⁶O 15.99491461957.
public struct Element: Hashable, Sendable {
    /// Canonical symbol ("H", "D", "Cl").
    public let symbol: String
    /// Atomic number Z (1 for D and T).
    public let atomicNumber: Int
    /// Mass number A of the isotope whose mass is used.
    public let massNumber: Int
    /// Mass of that isotope, u.
    public let mass: Double

    /// The element with `symbol`. Exact spelling first ("Cl"); otherwise the symbol is read
    /// case-insensitively ("CL", "cl"), as some writers upper-case it. An unknown symbol throws
    /// `MoleculeError.unknownElement` naming it.
    public init(symbol: String) throws {
        let trimmed = symbol.trimmingWhitespace
        if let e = Element.bySymbol[trimmed] {
            self = e
        } else if let e = Element.bySymbol[trimmed.canonicalElementCapitalization] {
            self = e
        } else {
            throw MoleculeError.unknownElement(symbol)
        }
    }

    private init(_ symbol: String, _ z: Int, _ a: Int, _ mass: Double) {
        self.symbol = symbol
        self.atomicNumber = z
        self.massNumber = a
        self.mass = mass
    }

    /// The mass (u) of each atom of `species`, in order.
    public static func masses(of species: [String]) throws -> [Double] {
        try species.map { try Element(symbol: $0).mass }
    }

    /// Every element the table knows, by atomic number (D and T after H).
    public static let all: [Element] = [
        Element("H", 1, 1, 1.00782503223),
        Element("D", 1, 2, 2.01410177812),
        Element("T", 1, 3, 3.0160492779),
        Element("He", 2, 4, 4.00260325413),
        Element("Li", 3, 7, 7.0160034366),
        Element("Be", 4, 9, 9.012183065),
        Element("B", 5, 11, 11.00930536),
        Element("C", 6, 12, 12.0),
        Element("N", 7, 14, 14.00307400443),
        Element("O", 8, 16, 15.99491461957),
        Element("F", 9, 19, 18.99840316273),
        Element("Ne", 10, 20, 19.9924401762),
        Element("Na", 11, 23, 22.9897692820),
        Element("Mg", 12, 24, 23.985041697),
        Element("Al", 13, 27, 26.98153853),
        Element("Si", 14, 28, 27.97692653465),
        Element("P", 15, 31, 30.97376199842),
        Element("S", 16, 32, 31.9720711744),
        Element("Cl", 17, 35, 34.968852682),
        Element("Ar", 18, 40, 39.9623831237),
        Element("K", 19, 39, 38.9637064864),
        Element("Ca", 20, 40, 39.962590863),
        Element("Sc", 21, 45, 44.95590828),
        Element("Ti", 22, 48, 47.94794198),
        Element("V", 23, 51, 50.94395704),
        Element("Cr", 24, 52, 51.94050623),
        Element("Mn", 25, 55, 54.93804391),
        Element("Fe", 26, 56, 55.93493633),
        Element("Co", 27, 59, 58.93319429),
        Element("Ni", 28, 58, 57.93534241),
        Element("Cu", 29, 63, 62.92959772),
        Element("Zn", 30, 64, 63.92914201),
        Element("Ga", 31, 69, 68.9255735),
        Element("Ge", 32, 74, 73.921177761),
        Element("As", 33, 75, 74.92159457),
        Element("Se", 34, 80, 79.9165218),
        Element("Br", 35, 79, 78.9183376),
        Element("Kr", 36, 84, 83.9114977282),
        Element("Rb", 37, 85, 84.9117897379),
        Element("Sr", 38, 88, 87.9056125),
        Element("I", 53, 127, 126.9044719),
        Element("Xe", 54, 132, 131.9041550856),
        Element("Cs", 55, 133, 132.9054519610),
    ]

    private static let bySymbol: [String: Element] =
        Dictionary(uniqueKeysWithValues: all.map { ($0.symbol, $0) })
}

private extension String {
    var trimmingWhitespace: String {
        String(drop(while: { $0.isWhitespace }).reversed().drop(while: { $0.isWhitespace }).reversed())
    }

    /// "CL" → "Cl", "h" → "H".
    var canonicalElementCapitalization: String {
        guard let first else { return self }
        return first.uppercased() + dropFirst().lowercased()
    }
}
