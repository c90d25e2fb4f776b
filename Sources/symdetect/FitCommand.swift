import ArgumentParser
import Foundation
import SymdetectCore
import SymdetectReport

/// `symdetect fit`: the Taylor model and force constants only (SPEC §2.2–2.3).
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a Taylor polynomial about a centre and print its force constants.",
        discussion: """
            Fits T(u) = Σ β_α u^α, u = x − c, with all monomials up to --order, by least squares \
            (coordinates scaled internally, coefficients reported in your units). With --center \
            auto (the default) the centre is refined to a stationary point of the fitted model \
            and classified as a minimum or a saddle from the Hessian eigenvalues.

            Prints the centre, fit diagnostics (RMSE, R², leave-one-out RMSE, condition number, \
            rank, residual degrees of freedom), the Hessian with its eigenvalues and normal modes, \
            the gradient and the largest cubic and quartic force constants with standard errors \
            (φ_ijk = ∂³T/∂u_i∂u_j∂u_k, indices 1-based). --json writes all coefficients and force \
            constants as {schemaVersion, input, fit}.
            """
    )

    @OptionGroup(title: "Input")
    var input: InputOptions

    @OptionGroup(title: "Molecules")
    var moleculeOptions: MoleculeOptions

    @OptionGroup(title: "Taylor model")
    var model: FitOptions

    @Option(help: ArgumentHelp(
        "Write the fit as JSON to this file (written atomically; parent directories are created).",
        valueName: "path"))
    var json: String?

    func validate() throws {
        if let json, json.isEmpty { throw ValidationError("--json needs a file path") }
    }

    func run() throws {
        let molecular = moleculeOptions.isMolecular(input)
        if !molecular, let unused = moleculeOptions.givenMolecularOnly.first {
            throw CommandFailure("\(unused) applies to molecular input (.xyz/.extxyz, or a CSV with --molecule)", exitCode: .usage)
        }
        // Molecular frames are fitted in their dimensionless normal coordinates q1 … qn, with
        // the order lowered as the molecular pipeline lowered it.
        let molecule = molecular ? try moleculeOptions.readMolecule(input) : nil
        let table = try molecule?.table ?? input.readTable()
        var configuration = model.configuration
        if let molecule, case let .fixed(k) = configuration.order, k > molecule.summary.fitOrder {
            configuration.order = .fixed(molecule.summary.fitOrder)
        }
        var outcome: FitOutcome!
        let status = ProgressLine("fitting")
        status.show("Taylor model of order \(model.order), centre \(model.center), \(table.count) rows")
        defer { status.finish() }
        try CommandFailure.inFile(input.data) {
            outcome = try FitPipeline.run(table, configuration)
        }
        status.finish()
        let inputSection = InputSection(path: input.data, table: table)
        if let json {
            let document = FitDocument(input: inputSection, outcome: outcome)
            try AtomicFile.write(try document.jsonData(), to: json)
        }
        var summary = molecule.map { MoleculeOptions.summaryLine($0.summary) } ?? ""
        summary += FitSummary(input: inputSection, outcome: outcome).text
        if let json { summary += "\nJSON written to \(json)\n" }
        print(summary, terminator: "")
        for warning in molecule?.summary.warnings ?? [] {
            StandardError.write("symdetect: warning: \(Wording.moleculeWarning(warning))\n")
        }
        for warning in outcome.warnings {
            StandardError.write("symdetect: warning: \(warning)\n")
        }
    }
}
