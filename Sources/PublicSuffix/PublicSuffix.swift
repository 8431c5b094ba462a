// Swift face of libpsl (the Public Suffix List, built into Debian's libpsl). No Foundation here.
internal import CPSL

public enum PublicSuffix {
    /// The registrable domain of a host: "mail.acme.co.uk" → "acme.co.uk"; nil for a public suffix
    /// itself ("co.uk") or a non-domain. The host is lower-cased first (libpsl needs lower case).
    public static func registrableDomain(_ host: String) -> String? {
        let lower = String(host.unicodeScalars.map { scalar -> Character in
            Character(scalar.properties.lowercaseMapping)
        })
        guard lower.contains("."), let ctx = psl_builtin() else { return nil }
        return lower.withCString { pointer in
            psl_registrable_domain(ctx, pointer).map { String(cString: $0) }
        }
    }

    /// True when `host` is itself a public suffix ("co.uk", "github.io").
    public static func isPublicSuffix(_ host: String) -> Bool {
        guard let ctx = psl_builtin() else { return false }
        return host.lowercased().withCString { psl_is_public_suffix(ctx, $0) != 0 }
    }
}
