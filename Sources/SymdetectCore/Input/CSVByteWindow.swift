#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The unconsumed bytes of a file (or an in-memory byte array), refilled in chunks.
///
/// The only owner of raw memory in the CSV reader. The window always starts at the first byte not
/// yet consumed; `refill(keepingFrom:)` slides the unconsumed tail to the front and reads the next
/// chunk behind it, doubling the buffer when one record is larger than the whole window.
final class CSVByteWindow {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Valid bytes are `base[0 ..< count]`.
    private(set) var count = 0
    /// No bytes will follow `base[count - 1]`.
    private(set) var isAtEnd = false
    private(set) var bytesRead: Int64 = 0
    /// Size of the file when known (a regular file), else 0.
    let totalBytes: Int64

    private let fileDescriptor: Int32?
    /// Bytes asked for per `read` call.
    private let chunkSize: Int
    /// The path (or name) errors are reported under.
    let path: String

    /// Opens `path` for reading; `.unreadable` if it cannot be opened, is a directory, or the first
    /// read fails.
    init(path: String, chunkSize: Int = 1 << 20) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError.unreadable(path: path, reason: Self.errnoDescription()) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = Self.errnoDescription()
            close(fd)
            throw InputError.unreadable(path: path, reason: reason)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw InputError.unreadable(path: path, reason: "is a directory")
        }
        self.fileDescriptor = fd
        self.path = path
        self.totalBytes = (info.st_mode & S_IFMT) == S_IFREG ? Int64(info.st_size) : 0
        self.chunkSize = max(chunkSize, 1)
        self.capacity = self.chunkSize
        self.base = .allocate(capacity: capacity)
        do {
            try refill(keepingFrom: 0)
        } catch {
            base.deallocate()
            close(fd)
            throw error
        }
    }

    /// A window holding all of `bytes` at once.
    init(bytes: [UInt8], name: String) {
        self.fileDescriptor = nil
        self.path = name
        self.totalBytes = Int64(bytes.count)
        self.chunkSize = max(bytes.count, 1)
        self.capacity = chunkSize
        self.base = .allocate(capacity: capacity)
        bytes.withUnsafeBufferPointer { source in
            if let address = source.baseAddress { base.update(from: address, count: source.count) }
        }
        self.count = bytes.count
        self.bytesRead = Int64(bytes.count)
        self.isAtEnd = true
    }

    deinit {
        base.deallocate()
        if let fileDescriptor { close(fileDescriptor) }
    }

    /// Drops `base[0 ..< offset]` and reads more bytes after the rest, growing the buffer when the
    /// rest fills it. Reads until the buffer is full or the end of the input is reached.
    func refill(keepingFrom offset: Int) throws {
        precondition(offset >= 0 && offset <= count)
        let kept = count - offset
        if offset > 0 && kept > 0 { base.update(from: base + offset, count: kept) }
        count = kept
        guard let fileDescriptor, !isAtEnd else {
            isAtEnd = true
            return
        }
        if count == capacity {
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            larger.update(from: base, count: count)
            base.deallocate()
            base = larger
            capacity *= 2
        }
        // Fill the whole free space: a record that outgrew the window is then rescanned once per
        // doubling, not once per chunk.
        while count < capacity {
            let n = read(fileDescriptor, base + count, min(capacity - count, chunkSize))
            if n > 0 {
                count += n
                bytesRead += Int64(n)
            } else if n == 0 {
                isAtEnd = true
                return
            } else if errno != EINTR {
                throw InputError.unreadable(path: path, reason: Self.errnoDescription())
            }
        }
    }

    private static func errnoDescription() -> String {
        String(cString: strerror(errno))
    }
}
