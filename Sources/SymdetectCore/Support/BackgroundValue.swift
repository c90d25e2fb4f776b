import Foundation

/// A value computed on another thread from the moment this is created; `value` waits for it.
/// For work that does not depend on what the caller does meanwhile (so the result cannot depend
/// on timing), started early to fill a core the caller leaves idle.
final class BackgroundValue<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Value?

    init(_ body: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async {
            self.result = body()
            self.done.signal()
        }
    }

    var value: Value {
        done.wait()
        defer { done.signal() }
        return result!
    }
}
