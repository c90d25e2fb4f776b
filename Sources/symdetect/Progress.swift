import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress indicator on stderr, e.g. "reading data.csv: 45%", redrawn in place.
///
/// It appears only when stderr is a terminal: in pipelines, CI logs and tests (stderr redirected
/// to a file or pipe) it prints nothing, so captured output stays deterministic. The line is
/// redrawn only when the shown text changes, and erased by `finish()`.
final class ProgressLine {
    private let label: String
    private let enabled: Bool
    private var shown: String?

    init(_ label: String, enabled: Bool = ProgressLine.stderrIsTerminal) {
        self.label = label
        self.enabled = enabled
    }

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    /// `total` 0 means the size is unknown (a pipe): the amount read is shown instead.
    func update(done: Int64, total: Int64) {
        guard enabled else { return }
        let text: String
        if total > 0 {
            let percent = Int(min(100, max(0, (Double(done) / Double(total) * 100).rounded(.down))))
            text = "\(label): \(percent)%"
        } else {
            text = "\(label): \(done >> 20) MiB"
        }
        guard text != shown else { return }
        shown = text
        StandardError.write("\r\u{1B}[K" + text)
    }

    /// Shows `label: text` (a stage without a measurable fraction, e.g. "fitting: order 4").
    func show(_ text: String) {
        guard enabled else { return }
        let line = "\(label): \(text)"
        guard line != shown else { return }
        shown = line
        StandardError.write("\r\u{1B}[K" + line)
    }

    /// Erases the line (if anything was drawn), leaving the cursor at the start of an empty line.
    func finish() {
        guard enabled, shown != nil else { return }
        shown = nil
        StandardError.write("\r\u{1B}[K")
    }
}
