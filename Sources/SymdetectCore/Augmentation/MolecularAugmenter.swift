/// One element of the group used to augment molecular frames.
public struct MolecularAugmentationElement: Sendable {
    /// As in `AugmentationElement`: a generator's name or a product ("reflect(q1)*perm(2,3)·C2",
    /// rightmost factor first).
    public let name: String
    /// G_q: how it acts on the dimensionless normal coordinates (about the centre).
    public let actionOnModes: Matrix
    /// The point-group operation acting on q as this element does, when there is one. Its images
    /// are exact: the frame with identical atoms permuted and rotated or reflected, with the
    /// frame's own energy and its forces carried along, whatever the scheme.
    public let structureOperation: PointGroupOperation?

    public var isExact: Bool { structureOperation != nil }
}

/// What the user of augmented frames must know (the command line words it).
public enum MolecularAugmentationNote: Sendable, Equatable {
    /// `count` of the `of` images of an element whose labels come from the scheme lie outside the
    /// range of the frames in some normal coordinate: their labels extrapolate the Taylor model.
    case imagesOutsideData(element: String, count: Int, of: Int)
    /// `count` of the `of` images, aligned back to the reference, do not return to the normal
    /// coordinates they were built with (by up to `largestDeviation` in q): they lie in another
    /// region of configuration space than the well of the reference (e.g. the mirror image of a
    /// chiral structure). They are written all the same.
    case imagesLeaveTheWell(element: String, count: Int, of: Int, largestDeviation: Double)
    /// The hessian scheme's quadratic model is not symmetric under an element (GᵀHG differs from H
    /// by `relativeChange` of H's largest entry, above 1 %): its labels carry that breaking.
    case harmonicPartNotSymmetric(element: String, relativeChange: Double)
}

/// Frames with their images: the original frames first, then one block of images per
/// non-identity element, in the group's order (image of frame f under element k at
/// k · frameCount + f). Every image keeps its source frame's other comment-line keys.
public struct AugmentedFrames: Sendable {
    public let frames: MolecularFrames
    /// For every frame, the index into `elements` of the element that produced it (0 = identity).
    public let elementIndices: [Int]
    /// For every frame, the original frame it is an image of.
    public let sourceFrames: [Int]
    public let elements: [MolecularAugmentationElement]
    public let scheme: AugmentationScheme
    public let originalCount: Int
    public let notes: [MolecularAugmentationNote]
    /// True when a continuous family contributed sampled members.
    public let isContinuous: Bool

    /// The name of the element that produced frame i ("identity" for the originals).
    public func provenance(_ frame: Int) -> String { elements[elementIndices[frame]].name }
}

/// Images of molecular frames under operations on their normal coordinates (SPEC §2b.6).
///
/// Each frame x (any orientation and position) is aligned to the Eckart frame of the refined,
/// exactly symmetric reference: a = R(x − t) (`EckartAlignment`), with dimensionless normal
/// coordinates q. An element g with matrix G on q acts about the centre c̄, the fitted
/// stationary point averaged over the point group's action on q (c̄ = (1/|G|) Σ G_k c: the
/// components of c that break the symmetry are fitting noise), so that point-group elements
/// act as G q exactly.
///
/// - **Exact elements** (acting on q as a point-group operation with permutation p and 3 × 3
///   matrix S about the centre of mass): image a'_{p(i)} = S a_i, forces f'_{p(i)} = S (R f_i), then
///   back to the frame's pose, x' = Rᵀ a' + t, f ↦ Rᵀ f. The energy is the frame's: the energy is
///   invariant under rotations, reflections and permutations of identical atoms. (The image
///   has q' = G q exactly: S maps the symmetric reference onto itself and keeps the Eckart
///   conditions, so a' = r + M^{−1/2} B G_s s.)
/// - **Other elements**: q' = c̄ + G (q − c̄), geometry a' = r + M^{−1/2} B L Γ⁻¹ q' placed at the
///   frame's pose. Energy per scheme (with q = c̄ + Gᵀ(q' − c̄) the pre-image, y the frame's energy):
///   naive y; hessian h(q') − (y − h(q)); taylor y + T(q') − T(q) (T the fitted polynomial, h its
///   quadratic part). Forces are minus the gradient of that label with respect to the image's
///   Cartesian coordinates, by the chain rule (∂q/∂q' = Gᵀ, ∇_q y from the frame's forces):
///   naive ∇' = G ∇y(q) (the image of the force); hessian ∇' = ∇h(q') + G (∇h(q) − ∇y(q));
///   taylor ∇' = ∇T(q') + G (∇y(q) − ∇T(q)); then to Cartesian at a' with no net force or
///   torque (`NormalModes.cartesianGradient`) and rotated to the frame's pose.
///
/// Units are the file's throughout (the fit in q and the modes use the file's energy and
/// length units).
public struct MolecularAugmenter: Sendable {
    public let elements: [MolecularAugmentationElement]
    public let scheme: AugmentationScheme
    /// c̄ in q.
    public let center: [Double]
    public let isContinuous: Bool
    let modes: NormalModes
    /// T for `taylor`, h for `hessian`, nil for `naive`.
    let model: TaylorPolynomial?
    /// Range of the frames' q, per coordinate.
    let lower: [Double]
    let upper: [Double]
    /// Notes that do not depend on the frames.
    let setupNotes: [MolecularAugmentationNote]

    /// Largest difference in q between an image and its realigned geometry that still counts as
    /// the same structure (Kabsch and the coordinate maps are exact to ~1e-12).
    static let wellTolerance = 1e-6

    /// - Parameters:
    ///   - molecule: the molecular pipeline's table in q, modes and point group.
    ///   - fit: the Taylor fit of the energy in q (`FitPipeline.run` on `molecule.table`).
    ///   - operations: on q (`MolecularOperationLookup`).
    ///   - force: use the hessian scheme on a centre that is not a minimum.
    public init(molecule: MolecularTable, fit: FitOutcome, operations: [SymmetryOperation], scheme: AugmentationScheme,
                copies: Int = AugmentationGroup.defaultCopies, seed: UInt64 = AugmentationGroup.defaultSeed,
                force: Bool = false) throws {
        let names = molecule.table.featureNames
        let group = try AugmentationGroup(operations: operations, featureNames: names, copies: copies, seed: seed)
        let structure = molecule.pointGroup.operations
        // The summary lists the point group's operations in its order, then (linear molecules)
        // C∞, whose sampled members are not operations of the structure's finite set: they act on
        // q as the family's rotations and take the scheme's labels like any other element.
        let actions = molecule.summary.operations.prefix(structure.count).map(\.actionOnModes)
        // An element acting on q as a point-group operation is that operation (the one named so
        // when there is a choice); a product of point-group operations takes the name of the
        // operation it is ("perm(2,3,4)·C3²" rather than "perm(2,4,3)·C3*perm(2,4,3)·C3").
        elements = group.elements.map { e in
            let same = actions.indices.filter { actions[$0].maxAbsDifference(e.matrix) < AugmentationGroup.tolerance }
            guard let k = same.first(where: { structure[$0].name == e.name }) ?? same.first else {
                return MolecularAugmentationElement(name: e.name, actionOnModes: e.matrix, structureOperation: nil)
            }
            let named = e.name.contains("*") && !e.isIdentity ? structure[k].name : e.name
            return MolecularAugmentationElement(name: named, actionOnModes: e.matrix, structureOperation: structure[k])
        }
        var setupNotes: [MolecularAugmentationNote] = []
        if scheme == .hessian {
            if let bad = elements.first(where: { !$0.isExact && !$0.actionOnModes.isInvolution }) {
                throw AugmentationError.notInvolution(element: bad.name)
            }
            if fit.hessian.kind != .minimum, !force {
                throw AugmentationError.notConvex(kind: fit.hessian.kind.label, eigenvalues: fit.hessian.eigenvalues)
            }
            // As `Augmenter`: the floor RMS((y − h)_s) assumes GᵀHG = H (to 1 % of H's largest entry).
            let hessian = fit.fit.polynomial.truncated(toOrder: 2).hessian(at: fit.fit.center)
            let scale = hessian.storage.map(abs).max() ?? 0
            for e in elements.dropFirst() where !e.isExact {
                let change = (e.actionOnModes.transposed * hessian * e.actionOnModes).maxAbsDifference(hessian)
                if scale > 0, change > 1e-2 * scale {
                    setupNotes.append(.harmonicPartNotSymmetric(element: e.name, relativeChange: change / scale))
                }
            }
        }
        self.setupNotes = setupNotes
        let c = fit.fit.center
        var average = [Double](repeating: 0, count: c.count)
        for g in actions {
            let moved = g * c
            for k in 0..<c.count { average[k] += moved[k] / Double(actions.count) }
        }
        center = average
        self.scheme = scheme
        isContinuous = group.isContinuous
        modes = molecule.modes
        switch scheme {
        case .naive: model = nil
        case .hessian: model = fit.fit.polynomial.truncated(toOrder: 2)
        case .taylor: model = fit.fit.polynomial
        }
        let table = molecule.table
        lower = table.features.map { $0.min() ?? 0 }
        upper = table.features.map { $0.max() ?? 0 }
    }

    /// The frames (those the molecule was built from, or others of the same molecule in the same
    /// units) followed by their images.
    public func augment(_ frames: MolecularFrames) throws -> AugmentedFrames {
        let n = frames.frameCount, atoms = frames.atomCount, width = 3 * atoms
        let m = elements.count
        var positions = frames.positions
        positions.reserveCapacity(n * m * width)
        var forces = frames.forces
        forces?.reserveCapacity(n * m * width)
        var energies = frames.energies
        var info = frames.extraInfo
        var elementIndices = [Int](repeating: 0, count: n)
        var sources = Array(0..<n)
        var notes = setupNotes

        // Per frame: its alignment, q and ∇_q E (when it has forces).
        let reference = modes.basis.reference
        var alignments: [EckartAlignment] = []
        var qs: [[Double]] = []
        var gradients: [[Double]?] = []
        for f in 0..<n {
            let x = Array(frames.positions[(f * width)..<((f + 1) * width)])
            let alignment = try reference.align(x)
            alignments.append(alignment)
            qs.append(try modes.dimensionlessCoordinates(fromVibrational: try modes.basis.vibrationalCoordinates(ofAligned: alignment.positions)))
            if let all = frames.forces {
                let gradient = all[(f * width)..<((f + 1) * width)].map { -$0 }
                gradients.append(try modes.dimensionlessGradient(fromCartesianGradient: gradient, alignment: alignment))
            } else {
                gradients.append(nil)
            }
        }

        for (k, element) in elements.enumerated().dropFirst() {
            var outside = 0, leaving = 0
            var largest = 0.0
            for f in 0..<n {
                let alignment = alignments[f]
                let back = alignment.toFrame
                let q = qs[f]
                let image: Image
                if let op = element.structureOperation {
                    image = exactImage(op, alignment: alignment, forces: frames.forces.map { Array($0[(f * width)..<((f + 1) * width)]) },
                                       energy: frames.energies[f])
                } else {
                    image = try schemeImage(element.actionOnModes, q: q, energy: frames.energies[f], gradient: gradients[f], placedAs: back)
                    if zip(image.q, zip(lower, upper)).contains(where: { $0 < $1.0 - Self.slack($1) || $0 > $1.1 + Self.slack($1) }) {
                        outside += 1
                    }
                }
                // Realigned, the image must come back to its coordinates (else another well).
                let realigned = try modes.dimensionlessCoordinates(of: image.positions)
                let deviation = zip(realigned, image.q).map { abs($0 - $1) }.max() ?? 0
                if deviation > Self.wellTolerance {
                    leaving += 1
                    largest = max(largest, deviation)
                }
                positions += image.positions
                if forces != nil { forces! += image.forces! }
                energies.append(image.energy)
                info.append(frames.extraInfo[f])
                elementIndices.append(k)
                sources.append(f)
            }
            if outside > 0 { notes.append(.imagesOutsideData(element: element.name, count: outside, of: n)) }
            if leaving > 0 { notes.append(.imagesLeaveTheWell(element: element.name, count: leaving, of: n, largestDeviation: largest)) }
        }
        let out = MolecularFrames(species: frames.species, masses: frames.masses, positions: positions, forces: forces,
                                  energies: energies, labelKey: frames.labelKey, extraInfo: info)
        return AugmentedFrames(frames: out, elementIndices: elementIndices, sourceFrames: sources, elements: elements,
                               scheme: scheme, originalCount: n, notes: notes, isContinuous: isContinuous)
    }

    struct Image {
        var positions: [Double]
        var forces: [Double]?
        var energy: Double
        /// The q it was built to have.
        var q: [Double]
    }

    /// The exact image (see the type's documentation); its intended q is G q.
    func exactImage(_ op: PointGroupOperation, alignment: EckartAlignment, forces: [Double]?, energy: Double) -> Image {
        let a = alignment.positions
        let s = op.matrix
        func permutedRotated(_ v: [Double]) -> [Double] {
            var out = [Double](repeating: 0, count: v.count)
            for (i, j) in op.permutation.enumerated() {
                for r in 0..<3 { out[3 * j + r] = s[r, 0] * v[3 * i] + s[r, 1] * v[3 * i + 1] + s[r, 2] * v[3 * i + 2] }
            }
            return out
        }
        let imageAligned = permutedRotated(a)
        let imageForces = forces.map { alignment.toFrame.apply(toVectors: permutedRotated(alignment.toEckartFrame.apply(toVectors: $0))) }
        let q = (try? modes.dimensionlessCoordinates(fromVibrational: modes.basis.vibrationalCoordinates(ofAligned: imageAligned))) ?? []
        return Image(positions: alignment.toFrame.apply(toPositions: imageAligned), forces: imageForces, energy: energy, q: q)
    }

    /// The image built in q with the scheme's energy and forces (see the type's documentation).
    func schemeImage(_ g: Matrix, q: [Double], energy y: Double, gradient: [Double]?, placedAs back: RigidTransform) throws -> Image {
        let d = q.count
        let u = (0..<d).map { q[$0] - center[$0] }
        let gu = g * u
        let image = (0..<d).map { center[$0] + gu[$0] }
        let label: Double
        switch scheme {
        case .naive: label = y
        case .hessian: label = model!.value(at: image) - (y - model!.value(at: q))
        case .taylor: label = y + model!.value(at: image) - model!.value(at: q)
        }
        var forces: [Double]?
        if let gy = gradient {
            // ∇' = ∇M(q') ± G(∇y − ∇M)(q): see the type's documentation.
            var pulled = gy
            var atImage = [Double](repeating: 0, count: d)
            if let model {
                let gm = model.gradient(at: q)
                atImage = model.gradient(at: image)
                let sign: Double = scheme == .hessian ? -1 : 1
                pulled = (0..<d).map { sign * (gy[$0] - gm[$0]) }
            }
            let pushed = g * pulled
            let total = (0..<d).map { atImage[$0] + pushed[$0] }
            let cartesian = try modes.cartesianGradient(fromDimensionlessGradient: total, at: image)
            forces = back.apply(toVectors: cartesian).map { -$0 }
        }
        let positions = back.apply(toPositions: try modes.cartesian(fromDimensionless: image))
        return Image(positions: positions, forces: forces, energy: label, q: image)
    }

    /// Rounding allowance at the ends of a coordinate's range.
    static func slack(_ range: (Double, Double)) -> Double { 1e-9 * max(1, range.1 - range.0) }
}
