/// Holm's step-down adjustment for testing several operations at once: with p-values sorted
/// ascending, p̃₍ᵢ₎ = max_{j≤i} min(1, (m − j + 1)·p₍ⱼ₎). Controls the family-wise error rate
/// at α under any dependence. nil p-values pass through and do not count in m.
public enum Holm {
    public static func adjust(_ p: [Double?]) -> [Double?] {
        let present = p.indices.filter { p[$0] != nil }.sorted { (p[$0]!, $0) < (p[$1]!, $1) }
        let m = present.count
        var out = [Double?](repeating: nil, count: p.count)
        var running = 0.0
        for (rank, i) in present.enumerated() {
            running = max(running, min(1, Double(m - rank) * p[i]!))
            out[i] = running
        }
        return out
    }
}
