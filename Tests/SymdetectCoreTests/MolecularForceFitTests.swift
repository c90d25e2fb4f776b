import Foundation
import XCTest
@testable import SymdetectCore

/// Forces in the molecular fit (SPEC §2b.3) on the real RHF/6-31G* water frames, against PySCF:
/// cubic force constants from central differences of analytic Hessians and the analytic
/// harmonic analysis (`Fixtures/water_pyscf_reference.json`).
final class MolecularForceFitTests: XCTestCase {
    struct Reference: Decodable {
        struct Constants: Decodable { let hartree_eV: Double; let hartree_wavenumber: Double }
        struct Harmonic: Decodable { let wavenumbers_cm: [Double] }
        struct Constant: Decodable { let indices: [Int]; let value: Double }
        struct ForceConstants: Decodable { let cubic: [Constant] }
        struct StoredFrame: Decodable { let index: Int; let q_eckart: [Double] }
        let constants: Constants
        let harmonic: Harmonic
        let forceConstants: ForceConstants
        let storedFrames: [StoredFrame]
    }

    static func reference() throws -> Reference {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "water_pyscf_reference", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    static func frames() throws -> MolecularFrames {
        try ExtendedXYZReader.read(path: MolecularPipelineTests.example("water.extxyz"))
    }

    /// Every `step`-th frame (frame 0 first).
    static func everyNth(_ frames: MolecularFrames, _ step: Int) -> MolecularFrames {
        let kept = Array(stride(from: 0, to: frames.frameCount, by: step))
        let width = 3 * frames.atomCount
        return MolecularFrames(
            species: frames.species, masses: frames.masses,
            positions: kept.flatMap { frames.positions[($0 * width)..<(($0 + 1) * width)] },
            forces: frames.forces.map { f in kept.flatMap { f[($0 * width)..<(($0 + 1) * width)] } },
            energies: kept.map { frames.energies[$0] }, labelKey: frames.labelKey)
    }

    /// Relative error of each cubic constant |φ_ref| > 10 cm⁻¹ (the six that symmetry does not
    /// make zero) of the analysis' order-4 fit, in cm⁻¹, with the modes' signs taken from frame 0
    /// (its q in the reference's Eckart frame).
    static func cubicErrors(_ molecule: MolecularTable, _ ref: Reference, order: Int = 4) throws -> [(indices: [Int], error: Double)] {
        let outcome = try FitPipeline.run(molecule.table, FitConfiguration(center: .auto, order: .fixed(order)))
        let toWavenumber = ref.constants.hartree_wavenumber / ref.constants.hartree_eV
        let frame0 = try XCTUnwrap(ref.storedFrames.first { $0.index == 0 })
        let sign = (0..<3).map { (molecule.table.features[$0][0] * frame0.q_eckart[$0]).sign == .minus ? -1.0 : 1.0 }
        let fitted = ForceConstants(outcome.fit).cubic
        return try ref.forceConstants.cubic.filter { abs($0.value) > 10 }.map { r in
            let idx = r.indices.map { $0 - 1 }
            let ours = try XCTUnwrap(fitted.first { $0.indices == idx }).value * toWavenumber * idx.reduce(1.0) { $0 * sign[$1] }
            return (r.indices, (ours - r.value) / r.value)
        }
    }

    static func rms(_ e: [(indices: [Int], error: Double)]) -> Double {
        (e.map { $0.error * $0.error }.reduce(0, +) / Double(e.count)).squareRoot()
    }

    /// The acceptance test of gradient-enhanced fitting: with forces, a fifth of the frames (60)
    /// gives the cubic force constants at least as accurately as all 300 frames without forces —
    /// at the default order 4, where the truncation bias of a quartic over energies up to
    /// 6000 cm⁻¹ dominates both, and at order 6, where the data's information shows.
    /// Measured (RMS relative error of φ111, φ112, φ122, φ133, φ222, φ233 against the central
    /// differences of PySCF's analytic Hessians): order 4: 9.3 % (60 frames with forces) vs
    /// 12.4 % (300 frames, energies); order 6: 0.52 % vs 1.08 %.
    func testFifthOfTheFramesWithForcesGiveCubicsAsAccurateAsAllFramesWithout() throws {
        let ref = try Self.reference()
        let all = try Self.frames()
        let withForces = try MolecularTable(frames: Self.everyNth(all, 5))
        let withoutForces = try MolecularTable(frames: all, options: MolecularOptions(forces: .ignored))
        XCTAssertEqual(withForces.summary.frameCount, 60)
        XCTAssertTrue(withForces.summary.forcesUsed)
        XCTAssertFalse(withoutForces.summary.forcesUsed)
        XCTAssertEqual(withForces.summary.fitOrder, 4, "60 frames × 4 equations support the quartic model")
        for order in [4, 6] {
            let errorsWith = try Self.cubicErrors(withForces, ref, order: order)
            let errorsWithout = try Self.cubicErrors(withoutForces, ref, order: order)
            XCTAssertEqual(errorsWith.count, 6)
            for (w, wo) in zip(errorsWith, errorsWithout) {
                print(String(format: "order %d, phi%@: relative error %+.4f (60 frames, forces) vs %+.4f (300 frames, energies)",
                             order, w.indices.map(String.init).joined(), w.error, wo.error))
            }
            let rmsWith = Self.rms(errorsWith), rmsWithout = Self.rms(errorsWithout)
            print(String(format: "order %d: RMS relative error of the cubic constants %.4f with forces (60 frames), %.4f without (300 frames)",
                         order, rmsWith, rmsWithout))
            XCTAssertLessThanOrEqual(rmsWith, rmsWithout, "order \(order)")
        }
    }

    /// Ammonia (C3v, two degenerate pairs q2/q3 and q5/q6, whose components are defined only up
    /// to a rotation within each pair): the cubic constants that do not depend on that choice —
    /// φ111, φ114, φ144, φ444 (signs of q1, q4 from frame 0) and the traces over the pairs
    /// φ1(22+33), φ4(22+33), φ1(55+66), φ4(55+66) — from a fifth of the frames (120) with forces
    /// are at least as accurate as from all 600 without, at order 4 about the equilibrium.
    /// Measured: RMS relative error 4.3 % with forces (120 frames) against 5.8 % without (600).
    func testAmmoniaFifthOfTheFramesWithForcesGiveInvariantCubicsAsAccurately() throws {
        struct AmmoniaReference: Decodable {
            let constants: Reference.Constants
            let forceConstants: Reference.ForceConstants
            let storedFrames: [Reference.StoredFrame]
        }
        let url = try XCTUnwrap(Bundle.module.url(forResource: "ammonia_pyscf_reference", withExtension: "json", subdirectory: "Fixtures"))
        let ref = try JSONDecoder().decode(AmmoniaReference.self, from: Data(contentsOf: url))
        let all = try ExtendedXYZReader.read(path: MolecularPipelineTests.example("ammonia.extxyz"))
        let reference: [Double] = {
            func phi(_ i: [Int]) -> Double { ref.forceConstants.cubic.first { $0.indices == i }?.value ?? 0 }
            return [phi([1, 1, 1]), phi([1, 1, 4]), phi([1, 4, 4]), phi([4, 4, 4]),
                    phi([1, 2, 2]) + phi([1, 3, 3]), phi([2, 2, 4]) + phi([3, 3, 4]),
                    phi([1, 5, 5]) + phi([1, 6, 6]), phi([4, 5, 5]) + phi([4, 6, 6])]
        }()
        let frame0 = try XCTUnwrap(ref.storedFrames.first { $0.index == 0 })
        func invariants(_ molecule: MolecularTable) throws -> [Double] {
            // About the equilibrium the molecular pipeline found (the stationary point of its fit
            // in the vibrational coordinates): one fit, no search (the test's cost is the fit).
            let fit = try TaylorFitter.fit(molecule.table, center: molecule.equilibriumCoordinates, order: 4)
            let cubic = ForceConstants(fit).cubic
            let toWavenumber = ref.constants.hartree_wavenumber / ref.constants.hartree_eV
            func phi(_ i: [Int]) throws -> Double {
                let idx = i.map { $0 - 1 }.sorted()
                return try XCTUnwrap(cubic.first { $0.indices == idx }).value * toWavenumber
            }
            let s1 = (molecule.table.features[0][0] * frame0.q_eckart[0]).sign == .minus ? -1.0 : 1.0
            let s4 = (molecule.table.features[3][0] * frame0.q_eckart[3]).sign == .minus ? -1.0 : 1.0
            return [try phi([1, 1, 1]) * s1, try phi([1, 1, 4]) * s4, try phi([1, 4, 4]) * s1, try phi([4, 4, 4]) * s4,
                    (try phi([1, 2, 2]) + phi([1, 3, 3])) * s1, (try phi([2, 2, 4]) + phi([3, 3, 4])) * s4,
                    (try phi([1, 5, 5]) + phi([1, 6, 6])) * s1, (try phi([4, 5, 5]) + phi([4, 6, 6])) * s4]
        }
        func rmsRelative(_ got: [Double]) -> Double {
            (zip(got, reference).map { (($0 - $1) / $1) * (($0 - $1) / $1) }.reduce(0, +) / Double(got.count)).squareRoot()
        }
        let with = try invariants(try MolecularTable(frames: Self.everyNth(all, 5)))
        let without = try invariants(try MolecularTable(frames: all, options: MolecularOptions(forces: .ignored)))
        for k in reference.indices {
            print(String(format: "ammonia invariant %d: reference %.2f, with forces (120 frames) %.2f, without (600) %.2f cm⁻¹",
                         k, reference[k], with[k], without[k]))
        }
        print(String(format: "ammonia: RMS relative error %.4f with forces (120 frames), %.4f without (600 frames)",
                     rmsRelative(with), rmsRelative(without)))
        XCTAssertLessThanOrEqual(rmsRelative(with), rmsRelative(without))
    }

    /// The harmonic wavenumbers from 60 frames with forces agree with PySCF's analytic harmonic
    /// analysis within 0.5 %.
    func testFifthOfTheFramesWithForcesGiveHarmonicWavenumbersWithinHalfAPercent() throws {
        let ref = try Self.reference()
        let molecule = try MolecularTable(frames: Self.everyNth(try Self.frames(), 5))
        for (got, want) in zip(molecule.summary.frequencies, ref.harmonic.wavenumbers_cm) {
            XCTAssertLessThan(abs(got - want) / want, 0.005, "harmonic wavenumber \(got) vs PySCF \(want) cm⁻¹")
        }
    }

    /// The forces enter the fit in q as −∂E/∂q: at frame 0 the projected forces of the file
    /// equal, to the accuracy of the fit, the gradient of the model fitted to the energies alone
    /// (an independent route to ∂E/∂q: the PES differentiated, not the forces projected).
    func testProjectedForcesAgreeWithTheGradientOfTheEnergyOnlyModel() throws {
        let withForces = try MolecularTable(frames: try Self.frames())
        let energies = try MolecularTable(frames: try Self.frames(), options: MolecularOptions(forces: .ignored))
        let gradients = try XCTUnwrap(withForces.table.gradients)
        let fit = try TaylorFitter.fit(energies.table, center: [0, 0, 0], order: 6)
        let x = energies.table.point(0)
        let eps = 1e-5
        for k in 0..<3 {
            var plus = x, minus = x
            plus[k] += eps; minus[k] -= eps
            let numeric = (fit.value(at: plus) - fit.value(at: minus)) / (2 * eps)
            XCTAssertEqual(gradients.values[k][0], numeric, accuracy: 0.01 * max(abs(numeric), 0.01), "∂E/∂q\(k + 1) at frame 0")
        }
    }

    /// `--no-forces` is today's energy-only pipeline: the same result as frames without forces,
    /// bit for bit.
    func testIgnoredForcesEqualFramesWithoutForces() throws {
        let all = try Self.frames()
        var stripped = all
        stripped.forces = nil
        let ignored = try MolecularTable(frames: all, options: MolecularOptions(forces: .ignored))
        let none = try MolecularTable(frames: stripped)
        XCTAssertEqual(ignored.summary.frequencies, none.summary.frequencies)
        XCTAssertEqual(ignored.table, none.table)
        XCTAssertNil(ignored.table.gradients)
        XCTAssertTrue(ignored.summary.framesHaveForces)
        XCTAssertFalse(none.summary.framesHaveForces)
    }

    /// Another label than the energy (a dipole component) gets no force equations — the forces
    /// are the energy's gradient — but the fits of the energy that give its equilibrium and
    /// normal modes still use them: the same modes as the energy's own analysis, bit for bit.
    func testAnotherLabelHasNoForceEquationsButItsModesComeFromEnergiesAndForces() throws {
        let frames = try Self.frames()
        let dipole = try frames.extraInfo.map { info in
            try XCTUnwrap(info.first { $0.key == "dipole_x" }.flatMap { Double($0.value) })
        }
        let labelled = try MolecularTable(frames: frames, label: (name: "dipole_x", values: dipole))
        let energy = try MolecularTable(frames: frames)
        XCTAssertNil(labelled.table.gradients)
        XCTAssertNotNil(energy.table.gradients)
        XCTAssertTrue(labelled.summary.forcesUsed)
        XCTAssertEqual(labelled.summary.frequencies, energy.summary.frequencies)
        XCTAssertEqual(labelled.table.features, energy.table.features)
    }

    /// A given weight is used as given, in the fit in q.
    func testGivenForceWeightIsUsed() throws {
        let molecule = try MolecularTable(frames: Self.everyNth(try Self.frames(), 5),
                                          options: MolecularOptions(forces: .used(.fixed(0.25))))
        let fit = try TaylorFitter.fit(molecule.table, center: [0, 0, 0], order: 4)
        let summary = try XCTUnwrap(fit.gradientEquations)
        XCTAssertEqual(summary.weight, 0.25)
        XCTAssertFalse(summary.weightWasEstimated)
        XCTAssertEqual(summary.gradientEquations, 180)
        XCTAssertEqual(fit.rowCount, 240)
    }
}
