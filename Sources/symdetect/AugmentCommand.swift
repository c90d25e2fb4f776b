import ArgumentParser
import Foundation
import SymdetectCore
import SymdetectReport

/// `symdetect augment`: the data plus their images under the group the operations generate,
/// labelled by one of the schemes of SPEC §1.
struct AugmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "augment",
        abstract: "Write the data plus their images under symmetry operations, with (corrected) labels.",
        discussion: """
            Writes the original rows, then, for every element g ≠ identity of the group the --op \
            operations generate (closed under products), the transformed coordinates \
            g·x = c + G(x − c) about the centre c (--center; default: the stationary point of the \
            fitted Taylor model) with the label of --scheme:

              naive    y(x)
              hessian  h(g·x) − (y(x) − h(x)); h: quadratic Taylor model at c
              taylor   y(x) + T(g·x) − T(x); T: the fitted Taylor polynomial

            The hessian scheme needs g² = identity for every element (reflections, swaps, \
            inversion, 180° rotations) and a centre that is a minimum of the fitted model; \
            it is refused otherwise (--force overrides the second condition).

            A continuous family (rotate(A,B,*), O3(A,B,C)) contributes --copies members drawn \
            from a fixed seed (--seed), each combined with every element of the discrete group.

            The output has the input's coordinate and label columns, in the input's order; \
            other (unused) columns of the input are not written. Numbers are written with 17 \
            significant digits, so they read back exactly. --provenance adds a last column \
            `operation` naming the element that produced each row ("identity" for the \
            originals, otherwise e.g. "reflect(x)" or "reflect(x)*swap(x,y)", a product whose \
            rightmost factor acts first). The file is written atomically: a failed run never \
            leaves a partial or clobbered output.

            Molecular frames (.xyz/.extxyz, or a CSV of x, y, z columns per atom with \
            --molecule) run the molecular pipeline of analyze first: the operations are named \
            as analyze names them — point-group operations (C2, perm(2,3)·C2, σv; a symbol \
            alone when it is unambiguous) or operations on the normal coordinates \
            (reflect(q1), invert, rotate(q2,q3,*)). Each image is built in the Eckart frame of \
            the equilibrium and put back at its frame's orientation and position. An element \
            that acts on the modes as a point-group operation is exact: the frame with its \
            identical atoms permuted and rotated or reflected, its energy unchanged and its \
            forces carried along, whatever the scheme. Other elements act about the fitted \
            minimum; their energies follow --scheme and their forces are minus the gradient of \
            that energy (naive: the image of the frame's force). The output format follows the \
            extension of -o: extended XYZ (.xyz, .extxyz; the input's label key, forces when \
            the frames have them, every frame's other comment keys copied from its source \
            frame; --provenance adds the key `operation`) or CSV (the Cartesian columns and the \
            energy).
            """
    )

    @OptionGroup(title: "Input")
    var input: InputOptions

    @OptionGroup(title: "Molecules")
    var moleculeOptions: MoleculeOptions

    @OptionGroup(title: "Taylor model (centre and corrections)")
    var model: FitOptions

    @OptionGroup(title: "Operations")
    var operationOptions: OperationOptions

    var operations: [OperationSpec] { operationOptions.operations }

    @Option(help: ArgumentHelp("Label scheme of the augmented rows: naive, hessian or taylor.", valueName: "naive|hessian|taylor"))
    var scheme: AugmentationScheme = .naive

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp(
        "The augmented CSV to write, or for molecular frames a CSV or extended XYZ (.xyz, .extxyz) file (atomically; parent directories are created).", valueName: "path"))
    var output: String

    @Flag(help: "Add a last column `operation` (in extended XYZ a comment key) naming the group element that produced each row or frame.")
    var provenance = false

    @Flag(help: "Use the hessian scheme even when the centre is not a minimum.")
    var force = false

    @Option(help: ArgumentHelp("Sampled members per continuous family (rotate(A,B,*), O3(A,B,C)).", valueName: "n"))
    var copies: Int = AugmentationGroup.defaultCopies

    @Option(help: ArgumentHelp("Seed of the sampled members of continuous families.", valueName: "n"))
    var seed: UInt64 = AugmentationGroup.defaultSeed

    func validate() throws {
        if operations.isEmpty { throw ValidationError("augment needs at least one --op (e.g. --op 'reflect(x)')") }
        if output.isEmpty { throw ValidationError("-o/--output needs a file path") }
        if copies < 1 { throw ValidationError("--copies must be at least 1, got \(copies)") }
        let a = URL(fileURLWithPath: input.data).standardizedFileURL.resolvingSymlinksInPath().path
        let b = URL(fileURLWithPath: output).standardizedFileURL.resolvingSymlinksInPath().path
        if a == b { throw ValidationError("-o/--output is the input file '\(input.data)': write the augmented data to another file") }
    }

    func run() throws {
        if moleculeOptions.isMolecular(input) { return try runMolecular() }
        if let unused = moleculeOptions.givenMolecularOnly.first {
            throw CommandFailure("\(unused) applies to molecular input (.xyz/.extxyz, or a CSV with --molecule)", exitCode: .usage)
        }
        if MoleculeOptions.isExtendedXYZ(output) {
            throw CommandFailure("-o \(output): extended XYZ output needs molecular input (.xyz/.extxyz, or a CSV with --molecule)", exitCode: .usage)
        }
        let table = try input.readTable()
        let names = table.featureNames
        // Syntax and column names first (a mode reflection is checked against placeholder modes),
        // so a typo fails before the fit.
        try operationOptions.check(names: names)
        var outcome: FitOutcome!
        try CommandFailure.inFile(input.data) {
            outcome = try FitPipeline.run(table, model.configuration)
        }
        let parsed: [SymmetryOperation]
        do {
            parsed = try operations.map { try $0.resolve(names: names, modes: outcome.hessian.eigenvectors) }
        } catch let error as OperationSyntaxError {
            throw CommandFailure(error.description, exitCode: .usage)
        }
        let chosen = scheme
        let augmenter: Augmenter
        do {
            augmenter = try Augmenter(fit: outcome, operations: parsed, scheme: chosen, copies: copies, seed: seed, force: force)
        } catch let error as AugmentationError {
            throw CommandFailure("\(input.data): \(OptionWording.message(error))", exitCode: Self.exitCode(for: error))
        }
        let augmented = augmenter.augment(table)
        let columns = CSVHeader.usedColumnsInFileOrder(path: input.data, delimiter: input.readOptions.delimiter, table: table)
        try AtomicFile.write(to: output) { writer in
            try augmented.writeCSV(to: writer, columns: columns.used, provenance: provenance)
        }

        let group = augmented.group
        let groupText = group.isContinuous
            ? "\(group.order) elements (continuous family sampled with \(copies) members)"
            : "group order \(group.order)"
        print("augment: \(table.count) rows in, \(augmented.table.count) rows out (\(groupText); scheme \(chosen.rawValue); centre \(NumberFormatting.format(outcome.fit.center, digits: 6))) → \(output)")
        if !columns.unused.isEmpty {
            StandardError.write("symdetect: note: column\(columns.unused.count == 1 ? "" : "s") \(columns.unused.joined(separator: ", ")) not written (only the coordinates and the label are)\n")
        }
        for warning in outcome.warnings.map(Wording.fitWarning) + augmenter.warnings {
            StandardError.write("symdetect: warning: \(warning)\n")
        }
    }

    /// Operations that cannot work with the scheme are a usage error; a centre that is not a
    /// minimum is a property of the data (65).
    static func exitCode(for error: AugmentationError) -> ExitCode {
        switch error {
        case .notConvex: return .dataError
        case .groupTooLarge, .notInvolution, .dimensionMismatch, .noOperations, .invalidCopies: return .usage
        }
    }
}

extension AugmentCommand {
    /// Molecular frames: the molecular pipeline, the fit in q, then the images as frames.
    func runMolecular() throws {
        let (frames, csvTable, property) = try moleculeOptions.readFrames(input)
        if let property {
            // Images carry energies and forces; a property has no forces to transform.
            throw CommandFailure("--label \(property.name) is not an energy: augment writes frames with energies and forces, so --label must name the energy key (e.g. energy, REF_energy)", exitCode: .usage)
        }
        let molecule = try moleculeOptions.molecularTable(frames, input)
        // The fit in q, with the order lowered as the molecular pipeline lowered it (as analyze).
        var configuration = model.configuration
        if case let .fixed(k) = configuration.order, k > molecule.summary.fitOrder { configuration.order = .fixed(molecule.summary.fitOrder) }
        var outcome: FitOutcome!
        try CommandFailure.inFile(input.data) {
            outcome = try FitPipeline.run(molecule.table, configuration)
        }
        let parsed: [SymmetryOperation]
        do {
            parsed = try operations.map { try MolecularOperationLookup.resolve($0, on: molecule, modes: outcome.hessian.eigenvectors) }
        } catch let error as MolecularOperationError {
            throw CommandFailure("\(input.data): \(OptionWording.message(error))", exitCode: .usage)
        }
        let augmented: AugmentedFrames
        do {
            let augmenter = try MolecularAugmenter(molecule: molecule, fit: outcome, operations: parsed, scheme: scheme,
                                                   copies: copies, seed: seed, force: force)
            augmented = try augmenter.augment(frames)
        } catch let error as AugmentationError {
            throw CommandFailure("\(input.data): \(OptionWording.message(error))", exitCode: Self.exitCode(for: error))
        } catch let error as MoleculeError {
            throw CommandFailure("\(input.data): \(error.description)", exitCode: .dataError)
        }
        let out = augmented.frames
        let names = provenance ? (0..<out.frameCount).map(augmented.provenance) : nil
        if MoleculeOptions.isExtendedXYZ(output) {
            try AtomicFile.write(to: output) { writer in
                try out.writeExtendedXYZ(to: writer, extra: names.map { names in { [InfoEntry(key: "operation", value: names[$0])] } })
            }
        } else {
            var columns = out.cartesianColumnNames
            var order: [String]? = nil
            if let csvTable {
                columns = csvTable.featureNames + [csvTable.labelName]
                order = CSVHeader.usedColumnsInFileOrder(path: input.data, delimiter: input.readOptions.delimiter, table: csvTable).used
            }
            try AtomicFile.write(to: output) { writer in
                try out.writeCSV(to: writer, columnNames: columns, order: order,
                                 extra: names.map { names in (name: "operation", value: { names[$0] }) })
            }
        }

        print(MoleculeOptions.summaryLine(molecule.summary), terminator: "")
        let exact = augmented.elements.dropFirst().filter(\.isExact).map(\.name)
        let schemed = augmented.elements.dropFirst().filter { !$0.isExact }.map(\.name)
        var groupText = augmented.isContinuous
            ? "\(augmented.elements.count) elements (continuous family sampled with \(copies) members)"
            : "group order \(augmented.elements.count) on the modes"
        if !exact.isEmpty { groupText += "; exact: " + exact.joined(separator: ", ") }
        if !schemed.isEmpty { groupText += "; scheme \(scheme.rawValue): " + schemed.joined(separator: ", ") }
        let forcesText = out.forces == nil ? "without forces" : "with forces"
        print("augment: \(frames.frameCount) frames in, \(out.frameCount) frames out \(forcesText) (\(groupText)) → \(output)")
        for note in augmented.notes {
            StandardError.write("symdetect: note: \(Self.wording(note))\n")
        }
        for warning in outcome.warnings.map(Wording.fitWarning) + molecule.summary.warnings.map(Wording.moleculeWarning) {
            StandardError.write("symdetect: warning: \(warning)\n")
        }
    }

    static func wording(_ note: MolecularAugmentationNote) -> String {
        switch note {
        case let .imagesOutsideData(element, count, total):
            return "\(count) of \(total) images under \(element) lie outside the range of the frames in some normal coordinate: their labels extrapolate the Taylor model"
        case let .harmonicPartNotSymmetric(element, change):
            return "the harmonic part is not symmetric under \(element) (Hessian changes by \(NumberFormatting.format(change * 100, digits: 2))% of its largest entry): the hessian scheme carries that breaking into its labels"
        case let .imagesLeaveTheWell(element, count, total, deviation):
            return "\(count) of \(total) images under \(element) land outside the well of the equilibrium (aligned back, their normal coordinates differ by up to \(NumberFormatting.format(deviation, digits: 3))): the operation is exact but maps those frames to another region of configuration space (e.g. the mirror image of a chiral structure); they are written all the same"
        }
    }
}
