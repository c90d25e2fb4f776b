import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an output file could not be written. Renders as one line naming the file.
public struct AtomicFileError: Error, CustomStringConvertible, Equatable, Sendable {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): cannot write file: \(reason)" }
}

/// Writes a file all at once or not at all.
///
/// The content goes to a new temporary file in the destination's directory (same file system,
/// so the final `rename(2)` is atomic), which is flushed to disk and then renamed over the
/// destination. Readers therefore see either the old file or the complete new one, never a
/// half-written one, and a failure at any step — including an error thrown by the caller while
/// producing the content — removes the temporary file and leaves an existing destination
/// untouched. Missing parent directories are created, and removed again if the write fails.
///
/// The new file gets the permission bits of the file it replaces, or 0666 minus the umask.
/// A symbolic link at the destination is replaced by the file, not followed.
public enum AtomicFile {
    /// Writes `data` to `path`.
    public static func write(_ data: Data, to path: String) throws {
        try write(to: path) { writer in try writer.write(data) }
    }

    /// Writes `text` as UTF-8 to `path`.
    public static func write(_ text: String, to path: String) throws {
        try write(to: path) { writer in try writer.write(text) }
    }

    /// Streams content produced by `body` to `path`; the destination appears only if `body`
    /// returns normally and every write succeeds.
    public static func write(to path: String, _ body: (Writer) throws -> Void) throws {
        guard !path.isEmpty else { throw AtomicFileError(path: path, reason: "empty path") }
        let destination = URL(fileURLWithPath: path)
        let directory = destination.deletingLastPathComponent().path
        let name = destination.lastPathComponent

        var existing = stat()
        let destinationExists = lstat(path, &existing) == 0
        if destinationExists && (existing.st_mode & S_IFMT) == S_IFDIR {
            throw AtomicFileError(path: path, reason: "is a directory")
        }

        let createdDirectories = try createMissingDirectories(directory, for: path)
        var temporaryPath: String?
        var succeeded = false
        defer {
            if !succeeded {
                if let temporaryPath { unlink(temporaryPath) }
                // Innermost first; rmdir only ever removes an empty directory.
                for created in createdDirectories.reversed() { rmdir(created) }
            }
        }

        let (descriptor, temporary) = try openTemporaryFile(in: directory, name: name, for: path)
        temporaryPath = temporary
        let writer = Writer(descriptor: descriptor, path: path)
        do {
            try body(writer)
            try writer.flush()
        } catch {
            close(descriptor)
            throw error
        }
        if destinationExists && (existing.st_mode & S_IFMT) == S_IFREG {
            _ = fchmod(descriptor, existing.st_mode & 0o7777)
        }
        // fsync before rename: otherwise a crash can leave the renamed file empty.
        if fsync(descriptor) != 0 && errno != EINVAL && errno != EROFS {
            let reason = Self.errorText()
            close(descriptor)
            throw AtomicFileError(path: path, reason: reason)
        }
        if close(descriptor) != 0 { throw AtomicFileError(path: path, reason: Self.errorText()) }
        if rename(temporary, path) != 0 { throw AtomicFileError(path: path, reason: Self.errorText()) }
        succeeded = true
    }

    /// Buffered sink handed to the body of `write(to:_:)`.
    public final class Writer {
        private let descriptor: Int32
        private let path: String
        private var buffer: [UInt8] = []
        private static let capacity = 1 << 16

        init(descriptor: Int32, path: String) {
            self.descriptor = descriptor
            self.path = path
            buffer.reserveCapacity(Self.capacity)
        }

        public func write<Bytes: Sequence>(_ bytes: Bytes) throws where Bytes.Element == UInt8 {
            buffer.append(contentsOf: bytes)
            if buffer.count >= Self.capacity { try flush() }
        }

        public func write(_ text: String) throws { try write(text.utf8) }

        public func write(_ data: Data) throws {
            if data.count >= Self.capacity {
                try flush()
                try data.withUnsafeBytes { try writeAll($0) }
            } else {
                buffer.append(contentsOf: data)
                if buffer.count >= Self.capacity { try flush() }
            }
        }

        func flush() throws {
            guard !buffer.isEmpty else { return }
            try buffer.withUnsafeBytes { try writeAll($0) }
            buffer.removeAll(keepingCapacity: true)
        }

        private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
            var offset = 0
            while offset < bytes.count {
                let n = posixWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw AtomicFileError(path: path, reason: AtomicFile.errorText())
                }
                offset += n
            }
        }
    }

    // MARK: - Helpers

    static func errorText() -> String { String(cString: strerror(errno)) }

    /// Creates the missing ancestors of `directory`, outermost first, and returns them.
    private static func createMissingDirectories(_ directory: String, for path: String) throws -> [String] {
        var missing: [String] = []
        var url = URL(fileURLWithPath: directory)
        while true {
            var info = stat()
            if stat(url.path, &info) == 0 {
                if (info.st_mode & S_IFMT) != S_IFDIR {
                    throw AtomicFileError(path: path, reason: "'\(url.path)' is not a directory")
                }
                break
            }
            if errno != ENOENT { throw AtomicFileError(path: path, reason: "'\(url.path)': \(errorText())") }
            missing.append(url.path)
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { break }
            url = parent
        }
        var created: [String] = []
        for directory in missing.reversed() {
            if mkdir(directory, 0o777) != 0 && errno != EEXIST {
                let reason = "cannot create directory '\(directory)': \(errorText())"
                for done in created.reversed() { rmdir(done) }
                throw AtomicFileError(path: path, reason: reason)
            }
            created.append(directory)
        }
        return created
    }

    /// Opens a new file ".NAME.PID.RANDOM.tmp" beside the destination (O_EXCL: never an existing one).
    private static func openTemporaryFile(in directory: String, name: String, for path: String) throws -> (Int32, String) {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let suffix = String(generator.next() & 0xFFFF_FFFF, radix: 16)
            let temporary = URL(fileURLWithPath: directory).appendingPathComponent(".\(name).\(getpid()).\(suffix).tmp").path
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if descriptor >= 0 { return (descriptor, temporary) }
            if errno != EEXIST { throw AtomicFileError(path: path, reason: errorText()) }
        }
        throw AtomicFileError(path: path, reason: "cannot create a temporary file in '\(directory)'")
    }
}

/// `write(2)`, named apart from the `write` methods above.
private func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
