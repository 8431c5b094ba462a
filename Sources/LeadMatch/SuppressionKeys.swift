public import LeadCore

/// An identifier a suppression can name: one person's e-mail, phone or profile URL, or a whole
/// domain. The store keeps only a keyed hash of it (``kind`` and ``value`` together).
public struct SuppressionKey: Hashable, Sendable, Comparable {
    public enum Kind: String, Sendable, CaseIterable, Comparable {
        case email, phone, profile, domain
        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    public var kind: Kind
    /// The comparison form: the e-mail's comparison key (Gmail dots and `googlemail.com` folded),
    /// the phone in E.164 with `x` and its extension, the profile URL's key, a registrable domain.
    public var value: String

    public init(_ kind: Kind, _ value: String) {
        self.kind = kind
        self.value = value
    }

    public static func < (a: SuppressionKey, b: SuppressionKey) -> Bool {
        a.kind != b.kind ? a.kind < b.kind : a.value < b.value
    }
}

/// Which identifiers of a (normalized) record or a lead a suppression is checked against, and which
/// an erasure suppresses. The comparison forms are the matcher's own (``MatchProfile``), so a
/// suppressed address comes back in any spelling the matcher would recognise.
public enum SuppressionKeys {
    /// A person's identifiers: personal and role e-mails (`role: false` leaves shared inboxes out, as
    /// an erasure must: `info@` is not the person's), phones, profile URLs.
    public static func person(emails: [EmailAddress], phones: [PhoneNumber], socials: [String], role: Bool = true) -> [SuppressionKey] {
        var keys = Set<SuppressionKey>()
        for email in emails {
            guard let key = email.key ?? email.normalized, key.contains("@"), !key.hasPrefix("@") else { continue }
            if !role, email.flags.contains("role") || Nicknames.isRoleLocalPart(key) { continue }
            keys.insert(SuppressionKey(.email, key.lowercased()))
        }
        for phone in phones {
            if let key = phoneKey(phone) { keys.insert(SuppressionKey(.phone, key)) }
        }
        for url in socials {
            let key = MatchProfile.socialKey(url)
            if !key.isEmpty { keys.insert(SuppressionKey(.profile, key)) }
        }
        return keys.sorted()
    }

    /// A number as compared for suppression: E.164 when normalization parsed it (one number in any
    /// national or international spelling), else its digits (a number with no country); an extension
    /// is another line of a switchboard, so it is part of the key.
    public static func phoneKey(_ phone: PhoneNumber) -> String? {
        let base: String
        if let normalized = phone.normalized, normalized.hasPrefix("+") {
            base = "+" + normalized.filter(\.isNumber)
        } else {
            base = phone.raw.filter(\.isNumber)
        }
        guard base.filter(\.isNumber).count >= 6 else { return nil }
        let ext = phone.extension.map { $0.filter(\.isNumber) } ?? ""
        return ext.isEmpty ? base : base + "x" + ext
    }

    /// The domains a record is at: its e-mails' and its company website's (a do-not-contact list of
    /// `@competitor.example` names them all). An address written as `@domain` alone is a domain.
    public static func domains(emails: [EmailAddress], domain: String?) -> [SuppressionKey] {
        var keys = Set<SuppressionKey>()
        for email in emails {
            let text = (email.key ?? email.normalized ?? email.raw).lowercased().trimmingWhitespace()
            guard let at = text.lastIndex(of: "@") else { continue }
            var host = Substring(text[text.index(after: at)...])
            while host.hasSuffix(".") { host = host.dropLast() }
            if host.contains("."), !host.contains(" ") { keys.insert(SuppressionKey(.domain, String(host))) }
        }
        if let domain = domain?.lowercased().trimmingWhitespace(), domain.contains(".") {
            keys.insert(SuppressionKey(.domain, domain.hasPrefix("www.") ? String(domain.dropFirst(4)) : domain))
        }
        return keys.sorted()
    }

    /// Everything an import checks a record against.
    public static func checked(_ record: LeadRecord) -> [SuppressionKey] {
        (person(emails: record.emails, phones: record.phones, socials: record.socialProfiles)
            + domains(emails: record.emails, domain: record.domain)).sorted()
    }

    /// What an erasure of `lead` suppresses: the person's own identifiers, never a domain.
    public static func erased(_ lead: Lead) -> [SuppressionKey] {
        person(emails: lead.emails, phones: lead.phones, socials: lead.socialProfiles, role: false)
    }
}
