import Foundation

/// Real MP2/cc-pVDZ energies of water about its minimum, in mass-weighted normal coordinates
/// q1 (symmetric stretch), q2 (bend), q3 (antisymmetric stretch); label `energy` = E − E_min in
/// cm⁻¹. 600 rows, shipped as the package resource `water.csv` (provenance: examples/water.md,
/// scripts/water_pes.py).
///
/// reflect(q3) is exact (it swaps the two H atoms); reflect(q1) and reflect(q2) are broken by the
/// cubic force constants (φ111 ≈ −2.24e6, φ122 ≈ 1.48e5, φ133 ≈ −2.27e6 cm⁻¹/(√amu·Å)³).
public enum WaterDataset {
    public static let rowCount = 600

    /// The resource's bytes, exactly as shipped.
    public static func csvBytes() throws -> [UInt8] {
        guard let url = resourceURL() else {
            throw InputError.unreadable(path: "water.csv", reason: "the bundled resource is missing (symdetect_SymdetectCore.resources next to the executable)")
        }
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            throw InputError.unreadable(path: url.path, reason: "\(error.localizedDescription)")
        }
    }

    /// The table (columns q1, q2, q3, energy).
    public static func table() throws -> SampleTable {
        try CSVReader.read(data: try csvBytes(), name: "water.csv")
    }

    static func resourceURL() -> URL? { BundledResource.url("water", extension: "csv") }
}

/// A file shipped in the package's resource bundle (`Sources/SymdetectCore/Resources`).
enum BundledResource {
    /// The resource through `Bundle.module`, but only once its preferred location (beside the
    /// main bundle) is known to exist: SwiftPM's generated accessor aborts the process when it
    /// finds neither that nor the build directory, and a moved binary must fail with an error
    /// instead. A symlinked executable is followed to its real directory.
    static func url(_ name: String, extension ext: String, subdirectory: String? = nil) -> URL? {
        #if os(Linux)
        let bundleName = "symdetect_SymdetectCore.resources"
        #else
        let bundleName = "symdetect_SymdetectCore.bundle"
        #endif
        let beside = Bundle.main.bundleURL.appendingPathComponent(bundleName)
        if FileManager.default.fileExists(atPath: beside.path) {
            return Bundle.module.url(forResource: name, withExtension: ext, subdirectory: subdirectory)
        }
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            let candidate = executable.deletingLastPathComponent().appendingPathComponent(bundleName)
            if let bundle = Bundle(url: candidate), let url = bundle.url(forResource: name, withExtension: ext, subdirectory: subdirectory) { return url }
        }
        return nil
    }
}
