import ArgumentParser
import Foundation
import SymdetectCore

extension EnergyUnit: ExpressibleByArgument {}
extension LengthUnit: ExpressibleByArgument {}

/// Molecular input (SPEC §2b): an `.xyz`/`.extxyz` file, or a CSV of Cartesian coordinates with
/// `--molecule`, and the units the formats do not record.
struct MoleculeOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Read the CSV as molecular frames: its coordinate columns are the x, y, z of these atoms, in order (e.g. O,H,H). Extended XYZ files (.xyz, .extxyz) are molecular without it.",
        valueName: "symbols"))
    var molecule: String?

    @Option(name: .customLong("energy-unit"), help: ArgumentHelp(
        "Unit of the energies of molecular frames: eV, hartree, kcal/mol, kJ/mol or cm^-1 (default eV).",
        valueName: "unit"))
    var energyUnit: EnergyUnit?

    @Option(name: .customLong("length-unit"), help: ArgumentHelp(
        "Unit of the positions of molecular frames: angstrom or bohr (default angstrom).",
        valueName: "unit"))
    var lengthUnit: LengthUnit?

    @Option(name: .customLong("symmetry-tolerance"), help: ArgumentHelp(
        "Largest displacement (Å) a point-group operation may leave on the equilibrium structure (default 0.01).",
        valueName: "Å"))
    var symmetryTolerance: Double?

    @Option(name: .customLong("force-weight"), help: ArgumentHelp(
        "Weight of a force equation relative to an energy equation in the fit in normal coordinates (sigma_E^2/sigma_F^2, dimensionless; default: estimated from the fit's residuals).",
        valueName: "W"))
    var forceWeight: Double?

    @Flag(name: .customLong("no-forces"), help: "Ignore the frames' forces: fit the energies alone.")
    var noForces = false

    func validate() throws {
        if let molecule, Self.symbols(molecule).contains(where: \.isEmpty) {
            throw ValidationError("--molecule must be a comma-separated list of element symbols (e.g. --molecule O,H,H), got '\(molecule)'")
        }
        if let symmetryTolerance, !(symmetryTolerance > 0 && symmetryTolerance.isFinite) {
            throw ValidationError("--symmetry-tolerance must be a positive length in Å, got \(symmetryTolerance)")
        }
        if let forceWeight, !(forceWeight > 0 && forceWeight.isFinite) {
            throw ValidationError("--force-weight must be a positive number, got \(forceWeight)")
        }
        if noForces, forceWeight != nil {
            throw ValidationError("--force-weight and --no-forces contradict each other: give one")
        }
    }

    static func symbols(_ list: String) -> [String] {
        list.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Extended XYZ by extension (any case).
    static func isExtendedXYZ(_ path: String) -> Bool {
        ["xyz", "extxyz"].contains((path as NSString).pathExtension.lowercased())
    }

    func isMolecular(_ input: InputOptions) -> Bool { molecule != nil || Self.isExtendedXYZ(input.data) }

    /// Options that only mean something for molecular input, when given for a table.
    var givenMolecularOnly: [String] {
        var out: [String] = []
        if energyUnit != nil { out.append("--energy-unit") }
        if lengthUnit != nil { out.append("--length-unit") }
        if symmetryTolerance != nil { out.append("--symmetry-tolerance") }
        if forceWeight != nil { out.append("--force-weight") }
        if noForces { out.append("--no-forces") }
        return out
    }

    var options: MolecularOptions {
        MolecularOptions(energyUnit: energyUnit ?? .electronvolt, lengthUnit: lengthUnit ?? .angstrom,
                         symmetryTolerance: symmetryTolerance ?? PointGroupDiscovery.defaultTolerance,
                         forces: noForces ? .ignored : .used(forceWeight.map(GradientWeight.fixed) ?? .estimated))
    }

    /// Reads the frames and turns them into the table in normal coordinates. Problems with the
    /// molecule (unknown element, linear, too few frames, no minimum) are bad data (65), named
    /// with the file.
    func readMolecule(_ input: InputOptions) throws -> MolecularTable {
        let read = try readFrames(input)
        return try molecularTable(read.frames, input, property: read.property)
    }

    /// The frames as read, for a CSV the table they came from (its column names), and the label
    /// when `--label` names a property that is no energy (`MolecularFrames.isEnergyKey`): the
    /// frames then hold the `energy` key's values (and the forces), from which the normal modes
    /// come, and the property is analysed in them.
    func readFrames(_ input: InputOptions) throws -> (frames: MolecularFrames, table: SampleTable?, property: (name: String, values: [Double])?) {
        if Self.isExtendedXYZ(input.data) {
            if input.features != nil || input.delimiter != nil {
                throw ValidationError("--features and --delimiter apply to CSV files, not to extended XYZ '\(input.data)'")
            }
            let name = URL(fileURLWithPath: input.data).lastPathComponent
            let progress = ProgressLine("reading \(name)")
            defer { progress.finish() }
            let key = input.label?.trimmingCharacters(in: .whitespaces) ?? "energy"
            let isEnergy = MolecularFrames.isEnergyKey(key)
            let frames = try ExtendedXYZReader.read(path: input.data, labelKey: isEnergy ? key : "energy") {
                done, total in progress.update(done: done, total: total)
            }
            if isEnergy { return (frames, nil, nil) }
            return (frames, nil, (name: key, values: try frames.property(key, path: input.data)))
        }
        let table = try input.readTable()
        return (try MolecularFrames(table: table, symbols: Self.symbols(molecule ?? ""), path: input.data), table, nil)
    }

    /// The molecular pipeline on frames read from `input`.
    func molecularTable(_ frames: MolecularFrames, _ input: InputOptions,
                        property: (name: String, values: [Double])? = nil) throws -> MolecularTable {
        do {
            return try MolecularTable(frames: frames, options: options, label: property)
        } catch let error as MoleculeError {
            throw CommandFailure("\(input.data): \(error.description)", exitCode: .dataError)
        } catch let error as PointGroupError {
            throw CommandFailure("\(input.data): \(error.description)", exitCode: .dataError)
        } catch let error as FitError {
            throw CommandFailure("\(input.data): \(OptionWording.message(error))", exitCode: CommandFailure.exitCode(for: error))
        }
    }

    /// One line on the molecule for a command's summary.
    static func summaryLine(_ m: MolecularSummary) -> String {
        var out = "molecule \(m.formula): point group \(m.pointGroupName)" + (m.pointGroupOrder.map { " (order \($0)" } ?? " (infinite")
        out += m.orderOnModes.map { ", order \($0) on the modes); harmonic wavenumbers " } ?? ", continuous on the modes); harmonic wavenumbers "
        out += m.frequencies.map { NumberFormatting.format($0, digits: 6) }.joined(separator: ", ") + " cm^-1\n"
        return out
    }

    /// The options as given, for the reproduce command.
    var arguments: [String] {
        var out: [String] = []
        if let molecule { out += ["--molecule", Self.symbols(molecule).joined(separator: ",")] }
        if let energyUnit { out += ["--energy-unit", energyUnit.rawValue] }
        if let lengthUnit { out += ["--length-unit", lengthUnit.rawValue] }
        if let symmetryTolerance { out += ["--symmetry-tolerance", "\(symmetryTolerance)"] }
        if let forceWeight { out += ["--force-weight", "\(forceWeight)"] }
        if noForces { out.append("--no-forces") }
        return out
    }
}
