import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Data parallelism over pure functions: the set-based stages (normalize, profile, score pairs,
/// encode rows) map a chunk's values on every core, each worker filling its own slice (no lock on the
/// hot path), and the slices are joined in order, so the result never depends on the worker count.
public enum Parallel {
    /// The number of cores online.
    public static let cores: Int = {
        let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return n > 0 ? n : 1
    }()

    /// `(0..<count).map(body)`, computed on up to `workers` threads.
    public static func map<T: Sendable, E: Error>(
        _ count: Int, workers: Int = cores, _ body: @Sendable (Int) throws(E) -> T
    ) throws(E) -> [T] {
        guard count > 0 else { return [] }
        let slices = max(1, min(workers, count / 32 + 1))
        if slices == 1 {
            var all: [T] = []
            all.reserveCapacity(count)
            for i in 0..<count { all.append(try body(i)) }
            return all
        }
        let results = Mutex<[Result<[T], E>?]>(Array(repeating: nil, count: slices))
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            let start = count * slice / slices, end = count * (slice + 1) / slices
            var values: [T] = []
            values.reserveCapacity(end - start)
            var part: Result<[T], E> = .success([])
            do throws(E) {
                for i in start..<end { values.append(try body(i)) }
                part = .success(values)
            } catch {
                part = .failure(error)
            }
            results.withLock { $0[slice] = part }
        }
        var joined: [T] = []
        joined.reserveCapacity(count)
        for part in results.withLock({ $0 }) {
            switch part! {
            case .success(let values): joined += values
            case .failure(let error): throw error
            }
        }
        return joined
    }
}
