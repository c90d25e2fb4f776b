import Foundation

/// One element of the group used for augmentation: a matrix G (acting about the centre,
/// g·x = c + G(x − c)) and a name made of the generators' names.
public struct AugmentationElement: Sendable, Equatable {
    /// "identity", a generator's name such as "reflect(x)", or a product such as
    /// "reflect(x)*swap(x,y)" — a matrix product, so the rightmost factor acts first.
    public let name: String
    public let matrix: Matrix

    public init(name: String, matrix: Matrix) {
        self.name = name
        self.matrix = matrix
    }

    public var isIdentity: Bool { matrix.maxAbsDifference(.identity(matrix.rows)) < AugmentationGroup.tolerance }

    /// G² = I (reflections, swaps, inversion, 180° rotations and their commuting products).
    public var isInvolution: Bool { matrix.isInvolution }
}

/// Why a set of operations cannot be used for augmentation.
public enum AugmentationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The operations generate more elements than the cap (e.g. a rotation by an angle that is
    /// no rational fraction of 360°).
    case groupTooLarge(limit: Int)
    /// The `hessian` scheme needs G² = I for every element.
    case notInvolution(element: String)
    /// The `hessian` scheme on a centre whose Hessian is not positive definite.
    case notConvex(kind: String, eigenvalues: [Double])
    case dimensionMismatch(expected: Int, got: Int)
    case noOperations
    case invalidCopies(Int)

    public var description: String {
        switch self {
        case let .groupTooLarge(limit):
            return "the operations generate a group of more than \(limit) elements (a rotation by an angle that is no simple fraction of 360°?): augment with fewer or other operations"
        case let .notInvolution(element):
            return "the hessian scheme needs operations with g² = identity (reflections, swaps, inversion, 180° rotations), but the group element \(element) is not one: use the naive or taylor scheme"
        case let .notConvex(kind, eigenvalues):
            let values = eigenvalues.map { NumberFormatting.format($0, digits: 4) }.joined(separator: ", ")
            return "the hessian scheme assumes a convex well, but the centre is a \(kind) (Hessian eigenvalues \(values)): use the naive or taylor scheme, choose another centre, or force the hessian scheme"
        case let .dimensionMismatch(expected, got):
            return "the operations act on \(expected) coordinates but the data have \(got)"
        case .noOperations:
            return "no operation given: name at least one"
        case let .invalidCopies(n):
            return "the number of sampled members of a continuous family must be at least 1, got \(n)"
        }
    }
}

/// The elements a set of operations generates, each with a readable name.
///
/// Discrete operations are closed under products (breadth-first, so every element gets a shortest
/// word in the generators; the element order is that of `GroupClosure`). A continuous family
/// (`rotate(A,B,*)`, `O3(A,B,C)`) has no finite group: it contributes `copies` members drawn from
/// a fixed seed — uniform angles (rounded to 0.001°, named `rotate(A,B,θ)` so the name reproduces
/// the matrix) or Haar-random rotations of the triple, every second one composed with the
/// inversion (named `O3(A,B,C)#k`) — and every element of the discrete group is combined with
/// each member. The identity is always `elements[0]`.
public struct AugmentationGroup: Sendable {
    public let elements: [AugmentationElement]
    /// True when a continuous family contributed sampled members.
    public let isContinuous: Bool

    /// Entry-wise tolerance for matrix equality (as `GroupClosure`).
    static let tolerance = 1e-8
    public static let defaultLimit = 1024
    public static let defaultCopies = 8
    public static let defaultSeed: UInt64 = 0xA06_0001

    public var order: Int { elements.count }
    public var dimension: Int { elements[0].matrix.rows }
    public var names: [String] { elements.map(\.name) }

    /// - Parameter featureNames: the coordinate names (they name the sampled rotations).
    public init(operations: [SymmetryOperation], featureNames: [String], copies: Int = defaultCopies,
                seed: UInt64 = defaultSeed, limit: Int = defaultLimit) throws {
        let dimension = featureNames.count
        guard !operations.isEmpty else { throw AugmentationError.noOperations }
        guard copies >= 1 else { throw AugmentationError.invalidCopies(copies) }
        for op in operations where op.dimension != dimension {
            throw AugmentationError.dimensionMismatch(expected: op.dimension, got: dimension)
        }
        let identity = AugmentationElement(name: "identity", matrix: .identity(dimension))
        var elements = [identity]
        func contains(_ m: Matrix) -> Bool { elements.contains { $0.matrix.maxAbsDifference(m) < Self.tolerance } }

        let generators = operations.filter { !$0.isContinuous }.map { AugmentationElement(name: $0.name, matrix: $0.matrix) }
        var frontier = elements
        while !frontier.isEmpty {
            var next: [AugmentationElement] = []
            for a in frontier {
                for g in generators {
                    let product = g.matrix * a.matrix
                    guard !contains(product) else { continue }
                    guard elements.count < limit else { throw AugmentationError.groupTooLarge(limit: limit) }
                    let element = AugmentationElement(name: a.name == "identity" ? g.name : g.name + "*" + a.name, matrix: product)
                    elements.append(element)
                    next.append(element)
                }
            }
            frontier = next
        }

        let families = operations.filter(\.isContinuous)
        if !families.isEmpty {
            var rng = SeededGenerator(seed: seed)
            let discrete = elements
            for family in families {
                for member in Self.sampledMembers(of: family, count: copies, names: featureNames, rng: &rng) {
                    for d in discrete {
                        let product = d.matrix * member.matrix
                        guard !contains(product) else { continue }
                        guard elements.count < limit else { throw AugmentationError.groupTooLarge(limit: limit) }
                        elements.append(AugmentationElement(name: d.name == "identity" ? member.name : d.name + "*" + member.name, matrix: product))
                    }
                }
            }
        }
        self.elements = elements
        isContinuous = !families.isEmpty
    }

    /// `count` seeded members of a continuous family (see the type's documentation).
    static func sampledMembers(of family: SymmetryOperation, count: Int, names: [String],
                               rng: inout SeededGenerator) -> [AugmentationElement] {
        let d = names.count
        switch family.kind {
        case let .rotateContinuous(a, b):
            return (0..<count).map { _ in
                // Uniform in (0°, 360°), rounded so the printed angle is the angle used.
                var angle = 0.0
                while angle <= 0 || angle >= 360 { angle = (rng.uniform(0, 360) * 1000).rounded() / 1000 }
                let op = SymmetryOperation.rotate(a, b, degrees: angle, names: names)
                return AugmentationElement(name: op.name, matrix: op.matrix)
            }
        case let .axialRotation(generator):
            return (0..<count).map { _ in
                var angle = 0.0
                while angle <= 0 || angle >= 360 { angle = (rng.uniform(0, 360) * 1000).rounded() / 1000 }
                return AugmentationElement(name: "\(family.name)(\(SymmetryOperation.formatAngle(angle)))",
                                           matrix: SymmetryOperation.axialRotationMember(generator, radians: angle * .pi / 180))
            }
        case let .o3(a, b, c):
            return (0..<count).map { k in
                let g = SymmetryOperation.randomO3Member(a, b, c, dimension: d, improper: k % 2 == 1, rng: &rng)
                return AugmentationElement(name: "\(family.name)#\(k + 1)", matrix: g)
            }
        default:
            return []
        }
    }
}
