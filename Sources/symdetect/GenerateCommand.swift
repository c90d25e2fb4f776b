import ArgumentParser
import Foundation
import SymdetectCore

/// `symdetect generate`: writes a built-in example dataset, so the tool can be tried with no
/// data of one's own.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a built-in example dataset (CSV, or molecular frames as extended XYZ).",
        discussion: """
            Datasets (see --list):
              hydrogen-1s, hydrogen-2pz, hydrogen-3dxy, hydrogen-3dz2
                  hydrogen-atom orbital densities |ψ|² (bohr^-3) at points uniform in a cube about
                  the nucleus (columns x, y, z, density; default 4000 points). Analyze them with
                  --center origin.
              morse
                  a Morse well V(x) = D(1 − e^(−a·x))² (hartree, D = 0.225, a = 1.1741 bohr^-1) at
                  points uniform on [−0.6, 0.6] bohr (columns x, energy; default 400 points).
              water
                  600 real MP2/cc-pVDZ energies of H2O (cm^-1 above the minimum) in normal
                  coordinates q1, q2, q3 (sqrt(amu)·Å); --count takes the first rows.
              water-frames, ammonia-frames, co2-frames
                  real RHF/6-31G* frames of H2O (300), NH3 (600) and CO2 (400) computed with
                  PySCF: extended XYZ with energies (eV above the minimum) and forces (eV/Å),
                  each frame in its own random orientation (write them to .extxyz or .xyz;
                  --count takes the first frames). `symdetect analyze` runs its molecular
                  pipeline on them.

            The same name and options always give the same file (seeded generator).
            """
    )

    enum Dataset: String, CaseIterable {
        case hydrogen1s = "hydrogen-1s"
        case hydrogen2pz = "hydrogen-2pz"
        case hydrogen3dxy = "hydrogen-3dxy"
        case hydrogen3dz2 = "hydrogen-3dz2"
        case morse
        case water
        case waterFrames = "water-frames"
        case ammoniaFrames = "ammonia-frames"
        case co2Frames = "co2-frames"

        /// The shipped molecular frames behind a `-frames` dataset.
        var molecule: MolecularExample? {
            switch self {
            case .waterFrames: return .water
            case .ammoniaFrames: return .ammonia
            case .co2Frames: return .co2
            default: return nil
            }
        }

        var orbital: HydrogenOrbital? {
            switch self {
            case .hydrogen1s: return .s1
            case .hydrogen2pz: return .p2z
            case .hydrogen3dxy: return .d3xy
            case .hydrogen3dz2: return .d3z2
            default: return nil
            }
        }

        var summary: String {
            switch self {
            case .hydrogen1s: return "1s density; exact: all of O(3)"
            case .hydrogen2pz: return "2p_z density; exact: axis reflections, rotations about z"
            case .hydrogen3dxy: return "3d_xy density; exact: axis reflections, swap(x,y), rotate(x,y,90) (C4, not continuous)"
            case .hydrogen3dz2: return "3d_z² density; exact: reflections, rotations about z"
            case .morse: return "1-D Morse well; reflect(x) broken by cubic anharmonicity"
            case .water: return "MP2 water energies in normal coordinates; reflect(q3) exact, reflect(q1), reflect(q2) broken"
            case .waterFrames: return "RHF water frames with forces (extended XYZ); point group C2v"
            case .ammoniaFrames: return "RHF ammonia frames with forces (extended XYZ); point group C3v"
            case .co2Frames: return "RHF CO2 frames with forces (extended XYZ); linear, point group D∞h"
            }
        }

        var defaultCount: Int {
            switch self {
            case .morse: return 400
            case .water: return WaterDataset.rowCount
            case .waterFrames: return 300
            case .ammoniaFrames: return 600
            case .co2Frames: return 400
            default: return 4000
            }
        }
    }

    @Argument(help: ArgumentHelp(
        "The dataset: \(Dataset.allCases.map(\.rawValue).joined(separator: ", ")).",
        valueName: "name"))
    var name: String?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The file to write (atomically): CSV, or .extxyz/.xyz for the -frames datasets.", valueName: "out.csv"))
    var output: String?

    @Option(help: ArgumentHelp(
        "Number of points (default: 4000 for hydrogen, 400 for morse, all 600 rows for water); of frames for the -frames datasets (default: all).",
        valueName: "N"))
    var count: Int?

    @Option(help: ArgumentHelp("Seed of the random sampling (hydrogen, morse; default 1).", valueName: "S"))
    var seed: UInt64?

    @Option(help: ArgumentHelp("Standard deviation of Gaussian noise added to the labels (morse only, hartree; default 0).", valueName: "SIGMA"))
    var noise: Double?

    @Option(name: .customLong("half-width"), help: ArgumentHelp("Half-width L of the sampled interval [−L, L] (morse only, bohr; default 0.6).", valueName: "L"))
    var halfWidth: Double?

    @Flag(help: "List the datasets and exit.")
    var list = false

    var dataset: Dataset? { name.flatMap { Dataset(rawValue: $0.lowercased()) } }

    func validate() throws {
        if list { return }
        guard let name else {
            throw ValidationError("missing dataset name: one of \(Dataset.allCases.map(\.rawValue).joined(separator: ", ")) (or --list)")
        }
        guard let dataset else {
            throw ValidationError("unknown dataset '\(name)': expected one of \(Dataset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let output, !output.isEmpty else { throw ValidationError("missing -o OUT.csv: the file to write") }
        if let count {
            let limit = dataset == .water || dataset.molecule != nil ? dataset.defaultCount : 10_000_000
            guard count >= 1 && count <= limit else {
                throw ValidationError("--count must be between 1 and \(limit) for \(dataset.rawValue), got \(count)")
            }
        }
        if seed != nil && (dataset == .water || dataset.molecule != nil) {
            throw ValidationError("--seed does not apply to \(dataset.rawValue) (real computed energies, not sampled)")
        }
        let isXYZ = ["xyz", "extxyz"].contains((output as NSString).pathExtension.lowercased())
        if dataset.molecule != nil, !isXYZ {
            throw ValidationError("-o \(output): \(dataset.rawValue) is molecular frames in extended XYZ; name the file .extxyz or .xyz")
        }
        if dataset.molecule == nil, isXYZ {
            throw ValidationError("-o \(output): \(dataset.rawValue) is a table; name the file .csv")
        }
        if let noise {
            guard dataset == .morse else { throw ValidationError("--noise applies to morse only") }
            guard noise >= 0 && noise.isFinite else { throw ValidationError("--noise must be a non-negative number, got \(noise)") }
        }
        if let halfWidth {
            guard dataset == .morse else { throw ValidationError("--half-width applies to morse only") }
            guard halfWidth > 0 && halfWidth.isFinite else { throw ValidationError("--half-width must be a positive number, got \(halfWidth)") }
        }
    }

    func run() throws {
        if list {
            let width = Dataset.allCases.map(\.rawValue.count).max() ?? 0
            for d in Dataset.allCases {
                print(d.rawValue + String(repeating: " ", count: width - d.rawValue.count) + "  " + d.summary)
            }
            return
        }
        let dataset = dataset!, output = output!
        let rows: Int
        let columns: [String]
        if let molecule = dataset.molecule {
            let frames = try writeFrames(molecule, to: output)
            print("\(dataset.rawValue): \(frames) frames (extended XYZ with energies and forces) written to \(output)")
            return
        }
        switch dataset {
        case .water:
            (rows, columns) = try writeWater(to: output)
        case .morse:
            let table = MorseOscillator().samples(count: count ?? dataset.defaultCount, halfWidth: halfWidth ?? 0.6,
                                                  noise: noise ?? 0, seed: seed ?? 1)
            try Self.write(table, to: output)
            (rows, columns) = (table.count, table.featureNames + [table.labelName])
        default:
            let table = dataset.orbital!.samples(count: count ?? dataset.defaultCount, seed: seed ?? 1)
            try Self.write(table, to: output)
            (rows, columns) = (table.count, table.featureNames + [table.labelName])
        }
        print("\(dataset.rawValue): \(rows) rows (\(columns.joined(separator: ", "))) written to \(output)")
    }

    /// Header and rows, each value in Swift's shortest round-trip form (so the file reads back
    /// to the same doubles), comma separated, LF line ends.
    static func write(_ table: SampleTable, to path: String) throws {
        try AtomicFile.write(to: path) { writer in
            try writer.write((table.featureNames + [table.labelName]).joined(separator: ",") + "\n")
            for i in 0..<table.count {
                var line = ""
                for column in table.features { line += "\(column[i]),"}
                line += "\(table.labels[i])\n"
                try writer.write(line)
            }
        }
    }

    /// The bundled MP2 rows verbatim: the whole file, or its header and first `count` rows.
    func writeWater(to path: String) throws -> (Int, [String]) {
        let bytes = try WaterDataset.csvBytes()
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        let header = String(decoding: lines[0], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let available = lines.count - 1
        let n = min(count ?? available, available)
        if n == available {
            try AtomicFile.write(Data(bytes), to: path)
        } else {
            try AtomicFile.write(to: path) { writer in
                for line in lines.prefix(n + 1) {
                    try writer.write(line)
                    try writer.write([UInt8(ascii: "\n")])
                }
            }
        }
        return (n, header.split(separator: ",").map(String.init))
    }

    /// The shipped frames verbatim: the whole file, or its first `count` frames (each frame is
    /// its atom-count line, its comment line and one line per atom).
    func writeFrames(_ molecule: MolecularExample, to path: String) throws -> Int {
        let bytes = try molecule.extxyzBytes()
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let atoms = Int(String(decoding: lines[0], as: UTF8.self).trimmingCharacters(in: .whitespaces)) ?? 0
        let available = dataset!.defaultCount
        let n = min(count ?? available, available)
        if n == available {
            try AtomicFile.write(Data(bytes), to: path)
        } else {
            try AtomicFile.write(to: path) { writer in
                for line in lines.prefix(n * (atoms + 2)) {
                    try writer.write(line)
                    try writer.write([UInt8(ascii: "\n")])
                }
            }
        }
        return n
    }
}
