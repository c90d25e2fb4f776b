import Foundation

/// The molecular example frames shipped with the package (extended XYZ, energies in eV relative
/// to the minimum, positions in Å, forces in eV/Å), computed with PySCF at RHF/6-31G* by
/// `scripts/molecule_pes.py` (water, ammonia) and `scripts/linear_molecule_pes.py` (CO₂); their
/// sampling and reference values are described in examples/README.md. `examples/NAME.extxyz`
/// are links to the same files.
public enum MolecularExample: String, CaseIterable, Sendable {
    case water, ammonia, co2

    /// The file's bytes, exactly as shipped.
    public func extxyzBytes() throws -> [UInt8] {
        guard let url = BundledResource.url(rawValue, extension: "extxyz", subdirectory: "frames") else {
            throw InputError.unreadable(path: "\(rawValue).extxyz",
                                        reason: "the bundled resource is missing (symdetect_SymdetectCore.resources next to the executable)")
        }
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            throw InputError.unreadable(path: url.path, reason: "\(error.localizedDescription)")
        }
    }

    /// The frames as read by `ExtendedXYZReader`.
    public func frames() throws -> MolecularFrames {
        try ExtendedXYZReader.read(data: try extxyzBytes(), name: "\(rawValue).extxyz")
    }
}
