// Thin Swift face of libxml2. No Foundation here (see Package.swift): plain Swift types only.
internal import CLibXML2

/// Process-wide libxml2 set-up and facts.
///
/// Call ``LibXML/setUp()`` once at start-up, before any parsing task runs: it initialises the parser,
/// installs an external-entity loader that refuses everything (untrusted files never reach the disk or
/// the network through libxml2) and silences libxml2's generic error printer on every thread.
public enum LibXML {
    /// The libxml2 version the module was compiled against, e.g. "2.9.14".
    public static var version: String { String(cString: clibxml2_version()) }

    private static let once: Void = { clibxml2_global_setup() }()

    /// Idempotent global initialisation (safe to call many times).
    public static func setUp() { _ = once }
}
