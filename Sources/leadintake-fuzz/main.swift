// libFuzzer driver for the importers (make fuzz). Built with
//   -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
// it hands over to libFuzzer (LEADINTAKE_FUZZ_TARGET names the target, the arguments are libFuzzer's).
// Built without FUZZING (swift build, swift test) it replays inputs instead:
//   leadintake-fuzz TARGET FILE...
// SwiftPM links executables with its own main (--defsym main=...), so libFuzzer's main never runs and
// this file calls LLVMFuzzerRunDriver itself (../shared/c-libraries.md §6).
import FuzzTargets
import Foundation
import LibXML

LibXML.setUp()
let scratch = (ProcessInfo.processInfo.environment["LEADINTAKE_FUZZ_SCRATCH"] ?? "/tmp") + "/leadintake-fuzz-\(getpid())"

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

let name = ProcessInfo.processInfo.environment["LEADINTAKE_FUZZ_TARGET"] ?? ""
guard let fuzzTarget = FuzzTarget(rawValue: name) else {
    FileHandle.standardError.write(Data("LEADINTAKE_FUZZ_TARGET must be one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
    exit(64)
}
nonisolated(unsafe) let target = fuzzTarget
nonisolated(unsafe) let scratchPath = scratch
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    target.run(bytes, scratch: scratchPath)
    return 0
})
#else
let arguments = Array(CommandLine.arguments.dropFirst())
guard let first = arguments.first, let target = FuzzTarget(rawValue: first) else {
    FileHandle.standardError.write(Data("usage: leadintake-fuzz TARGET FILE... (targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")))\n".utf8))
    exit(64)
}
for path in arguments.dropFirst() {
    let steps = target.read(path: path)
    print("\(path): \(steps) step(s)")
}
#endif
