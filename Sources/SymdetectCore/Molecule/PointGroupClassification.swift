import Foundation

/// Names a finite group of exact orthogonal 3×3 matrices: each element (C_n^k, σ, i, S_n^k and its
/// axis), the Schoenflies symbol by the standard flowchart, and each element's conventional symbol
/// (σh/σv/σd, C2').
struct PointGroupClassification {
    typealias M3 = PointGroupMath.M3

    struct ElementAnalysis {
        var element: PointGroupOperation.Element
        var axis: [Double]?
    }

    let elements: [ElementAnalysis]
    let symbol: SchoenfliesSymbol
    let principalAxis: [Double]?
    let symbols: [String]

    /// Angles and axis directions are compared at 1e-6: the matrices are an exact representation.
    static let angularTolerance = 1e-6

    init(matrices: [M3], centredPositions: [[Double]], tolerance: Double) {
        let elements = matrices.map(Self.analyse)
        self.elements = elements
        let (symbol, principal) = Self.schoenflies(elements)
        self.symbol = symbol
        self.principalAxis = principal
        self.symbols = Self.conventionalSymbols(elements, group: symbol, principal: principal,
                                                centredPositions: centredPositions, tolerance: tolerance)
    }

    // MARK: Elements

    /// Rodrigues: R = cosθ I + sinθ [a]× + (1 − cosθ) aaᵀ, so (R + Rᵀ)/2 − cosθ I = (1 − cosθ) aaᵀ
    /// gives the axis and the antisymmetric part sinθ·a the sense. An improper R is −Q with Q proper
    /// of angle θ', i.e. σ·C(θ' + π) about the same axis.
    static func analyse(_ r: M3) -> ElementAnalysis {
        let proper = PointGroupMath.det(r) > 0
        let q = proper ? r : r.map { -$0 }
        let cosine = min(1, max(-1, (q[0] + q[4] + q[8] - 1) / 2))
        if 1 - cosine < 1e-10 {
            return ElementAnalysis(element: proper ? .identity : .inversion, axis: nil)
        }
        var best = 0
        for k in 1..<3 where q[4 * k] > q[4 * best] { best = k }
        var column = [0.0, 0.0, 0.0]
        for i in 0..<3 { column[i] = 0.5 * (q[3 * i + best] + q[3 * best + i]) - (i == best ? cosine : 0) }
        let axis = PointGroupMath.oriented(PointGroupMath.normalized(column))
        let w = [q[7] - q[5], q[2] - q[6], q[3] - q[1]]
        let sine = PointGroupMath.dot3(axis, w) / 2
        var theta = atan2(sine, cosine)
        if proper {
            if theta < 0 { theta += 2 * .pi }
            let (n, k) = fraction(theta)
            return ElementAnalysis(element: n == 1 ? .identity : .rotation(order: n, power: k), axis: axis)
        }
        var phi = (theta + .pi).truncatingRemainder(dividingBy: 2 * .pi)
        if phi < 0 { phi += 2 * .pi }
        let (n, k) = fraction(phi)
        switch n {
        case 1: return ElementAnalysis(element: .reflection, axis: axis)
        case 2: return ElementAnalysis(element: .inversion, axis: nil)
        default: return ElementAnalysis(element: .improperRotation(order: n, power: n % 2 == 1 && k % 2 == 0 ? k + n : k), axis: axis)
        }
    }

    /// φ ≈ 2πk/n with the smallest n (so gcd(k, n) = 1), 0 ≤ k < n.
    static func fraction(_ phi: Double) -> (Int, Int) {
        var best = (1, 0, Double.infinity)
        for n in 1...720 {
            let k = (phi * Double(n) / (2 * .pi)).rounded()
            let err = abs(phi - 2 * .pi * k / Double(n))
            let kk = ((Int(k) % n) + n) % n
            if err < angularTolerance { return (n, kk) }
            if err < best.2 { best = (n, kk, err) }
        }
        return (best.0, best.1)
    }

    static func parallel(_ a: [Double], _ b: [Double]) -> Bool { abs(PointGroupMath.dot3(a, b)) > 1 - angularTolerance }
    static func perpendicular(_ a: [Double], _ b: [Double]) -> Bool { abs(PointGroupMath.dot3(a, b)) < angularTolerance }

    /// Proper axes with the highest order of a rotation about each.
    static func properAxes(_ elements: [ElementAnalysis]) -> [(axis: [Double], order: Int)] {
        var axes: [(axis: [Double], order: Int)] = []
        for e in elements {
            guard case .rotation(let n, _) = e.element, let a = e.axis else { continue }
            if let k = axes.firstIndex(where: { parallel($0.axis, a) }) { axes[k].order = max(axes[k].order, n) } else { axes.append((a, n)) }
        }
        return axes
    }

    // MARK: Schoenflies flowchart

    static func schoenflies(_ elements: [ElementAnalysis]) -> (SchoenfliesSymbol, [Double]?) {
        let axes = properAxes(elements)
        let hasInversion = elements.contains { $0.element == .inversion }
        let mirrorNormals = elements.compactMap { $0.element == .reflection ? $0.axis : nil }
        let improperAxes: [(axis: [Double], order: Int)] = elements.compactMap {
            if case .improperRotation(let n, _) = $0.element, let a = $0.axis { return (a, n) }
            return nil
        }
        if axes.filter({ $0.order >= 3 }).count >= 2 {
            if axes.contains(where: { $0.order == 5 }) { return (hasInversion ? .ih : .i, nil) }
            if axes.contains(where: { $0.order == 4 }) { return (hasInversion ? .oh : .o, nil) }
            if hasInversion { return (.th, nil) }
            return (mirrorNormals.isEmpty ? .t : .td, nil)
        }
        let n = axes.map(\.order).max() ?? 1
        if n == 1 {
            if !mirrorNormals.isEmpty { return (.cs, nil) }
            return (hasInversion ? .ci : .c1, nil)
        }
        let highest = axes.filter { $0.order == n }.map(\.axis)
        // D2d: of its three C2 axes the principal one carries the S4.
        let principal = highest.first { a in improperAxes.contains { $0.order == 2 * n && parallel($0.axis, a) } } ?? highest[0]
        let hasPerpendicularC2 = axes.contains { $0.order >= 2 && perpendicular($0.axis, principal) }
        let hasHorizontalMirror = mirrorNormals.contains { parallel($0, principal) }
        if hasPerpendicularC2 {
            if hasHorizontalMirror { return (.dnh(n), principal) }
            return (mirrorNormals.isEmpty ? .dn(n) : .dnd(n), principal)
        }
        if hasHorizontalMirror { return (.cnh(n), principal) }
        if !mirrorNormals.isEmpty { return (.cnv(n), principal) }
        if improperAxes.contains(where: { $0.order == 2 * n && parallel($0.axis, principal) }) { return (.sn(2 * n), principal) }
        return (.cn(n), principal)
    }

    // MARK: Conventional symbols

    static let superscripts: [Character: Character] = [
        "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
    ]

    static func power(_ base: String, _ k: Int) -> String {
        k == 1 ? base : base + String(String(k).map { superscripts[$0]! })
    }

    static func conventionalSymbols(_ elements: [ElementAnalysis], group: SchoenfliesSymbol, principal: [Double]?,
                                    centredPositions: [[Double]], tolerance: Double) -> [String] {
        let axes = properAxes(elements)
        // Vertical planes of C_nv and D_nh with n even fall into two classes, whose members are
        // π/n apart about the principal axis (alternate planes): σv is the class of the plane with
        // the most atoms on it, σd the other (for C2v: σv and σv').
        var splitVertical: (reference: [Double], n: Int, other: String)?
        switch group {
        case .cnv(let n) where n % 2 == 0, .dnh(let n) where n % 2 == 0 && n > 2:
            let vertical = elements.compactMap { e -> [Double]? in
                guard e.element == .reflection, let a = e.axis, let p = principal, perpendicular(a, p) else { return nil }
                return a
            }
            func atomsOnPlane(_ normal: [Double]) -> Int {
                centredPositions.filter { abs(PointGroupMath.dot3($0, normal)) <= tolerance }.count
            }
            if let reference = vertical.enumerated().max(by: {
                (atomsOnPlane($0.element), -$0.offset) < (atomsOnPlane($1.element), -$1.offset)
            })?.element {
                splitVertical = (reference, n, n == 2 ? "σv'" : "σd")
            }
        default: break
        }
        let primedC2: Bool
        switch group {
        case .dn(let n), .dnh(let n): primedC2 = n > 2
        case .dnd: primedC2 = true
        default: primedC2 = false
        }
        let fourfold = axes.filter { $0.order == 4 }.map(\.axis)
        // Likewise the perpendicular C2 axes of D_n and D_nh with n even (n > 2): C2' is the class
        // of the axis through the most atoms, C2'' the other.
        var splitTwofold: (reference: [Double], n: Int)?
        switch group {
        case .dn(let n) where n % 2 == 0 && n > 2, .dnh(let n) where n % 2 == 0 && n > 2:
            let perpendicularAxes = axes.filter { a in principal.map { perpendicular(a.axis, $0) } ?? false }.map(\.axis)
            func atomsOnAxis(_ a: [Double]) -> Int {
                centredPositions.filter { p in
                    PointGroupMath.norm(PointGroupMath.sub(p, PointGroupMath.scale(a, PointGroupMath.dot3(p, a)))) <= tolerance
                }.count
            }
            if let reference = perpendicularAxes.enumerated().max(by: {
                (atomsOnAxis($0.element), -$0.offset) < (atomsOnAxis($1.element), -$1.offset)
            })?.element {
                splitTwofold = (reference, n)
            }
        default: break
        }
        func classStep(_ a: [Double], from reference: [Double], n: Int) -> Int {
            let delta = acos(min(1, abs(PointGroupMath.dot3(a, reference))))
            return Int((delta * Double(n) / .pi).rounded())
        }

        return elements.map { e in
            switch e.element {
            case .identity: return "E"
            case .inversion: return "i"
            case .rotation(let n, let k):
                if n == 2, primedC2, let a = e.axis, let p = principal, perpendicular(a, p) {
                    if let split = splitTwofold, classStep(a, from: split.reference, n: split.n) % 2 == 1 { return "C2''" }
                    return "C2'"
                }
                // O and Oh: C2 = C4² along the fourfold axes, C2' the six others.
                if n == 2, group == .o || group == .oh, let a = e.axis, !fourfold.contains(where: { parallel($0, a) }) { return "C2'" }
                return power("C\(n)", k)
            case .improperRotation(let n, let k):
                return power("S\(n)", k)
            case .reflection:
                let normal = e.axis ?? [0, 0, 1]
                switch group {
                case .cs, .cnh, .th: return "σh"
                case .td, .dnd: return "σd"
                case .ih: return "σ"
                case .dnh(2): return "σ"
                case .oh: return fourfold.contains { parallel($0, normal) } ? "σh" : "σd"
                default:
                    if let p = principal, parallel(normal, p) { return "σh" }
                    if let split = splitVertical {
                        return classStep(normal, from: split.reference, n: split.n) % 2 == 0 ? "σv" : split.other
                    }
                    return "σv"
                }
            }
        }
    }
}
