#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The physical lines of a `CSVByteWindow`, one at a time, without copying: each line is handed out
/// as a view into the window, valid until the next call.
///
/// A line ends at LF; a CR before the LF is dropped, so CRLF and LF files read alike. A UTF-8
/// byte-order mark at the start of the file is skipped. The last line may lack its LF.
struct TextLineReader {
    let window: CSVByteWindow
    /// Start of the first unconsumed byte in the window.
    private var position = 0
    /// 1-based number of the line last returned (0 before the first).
    private(set) var lineNumber = 0
    private let progress: ((Int64, Int64) -> Void)?
    private var nextProgress: Int64

    /// A line longer than this is refused rather than buffered: the input is not a text file of
    /// lines, and the reader must not end up holding all of it.
    static let maximumLineBytes = 64 << 20
    private static let progressInterval: Int64 = 4 << 20

    init(window: CSVByteWindow, progress: ((Int64, Int64) -> Void)?) {
        self.window = window
        self.progress = progress
        self.nextProgress = Self.progressInterval
        if window.count >= 3 && window.base[0] == 0xEF && window.base[1] == 0xBB && window.base[2] == 0xBF {
            position = 3
        }
    }

    /// Bytes of the input consumed so far (through the end of the line last returned).
    var consumedBytes: Int64 { window.bytesRead - Int64(window.count - position) }

    /// Calls the progress callback with the final count.
    func reportEnd() {
        progress?(window.bytesRead, window.totalBytes)
    }

    /// The next line without its line end, or `nil` at the end of the input.
    mutating func next() throws -> UnsafeBufferPointer<UInt8>? {
        var searchFrom = position
        while true {
            let base = window.base
            let count = window.count
            if searchFrom < count, let found = memchr(base + searchFrom, 0x0A, count - searchFrom) {
                let lineFeed = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
                return takeLine(to: lineFeed, next: lineFeed + 1)
            }
            if window.isAtEnd {
                guard position < count else { return nil }
                return takeLine(to: count, next: count)
            }
            if count - position >= Self.maximumLineBytes {
                throw InputError.badData(
                    path: window.path, line: lineNumber + 1, column: nil, columnName: nil, text: nil,
                    reason: "a single line is longer than \(Self.maximumLineBytes >> 20) MiB (not a text file?)")
            }
            searchFrom = count - position
            try window.refill(keepingFrom: position)
            position = 0
            if let progress, window.bytesRead >= nextProgress {
                progress(window.bytesRead, window.totalBytes)
                nextProgress = window.bytesRead + Self.progressInterval
            }
        }
    }

    @inline(__always)
    private mutating func takeLine(to end: Int, next: Int) -> UnsafeBufferPointer<UInt8> {
        let start = position
        var last = end
        if last > start && window.base[last - 1] == 0x0D { last -= 1 }
        position = next
        lineNumber += 1
        return UnsafeBufferPointer(start: window.base + start, count: last - start)
    }
}
