"""Write gen-bench-leads records across the real export layouts of ../shared/formats.md, with a truth file.

Used by `scripts/gen-bench-leads N OUT_DIR TRUTH.csv --layouts`. The generator makes the people, companies and
damaged records (one tuple per record, see RECORD below); this module decides which export each record came
from, drops the fields that export does not carry, adds the damage that belongs to the export (LinkedIn emoji and
pronouns, Zoom device names, Excel's Windows-1252 best fit, Apollo's apostrophes and corporate numbers, look-alike
letters from other scripts) and writes every file in its real format:

    layout            file(s)                                   carries
    plain-csv         leads-plain.csv                           the old generator's 8 columns (UTF-8)
    zoom-attendees    81314758372 - Attendee Report.csv         2023+ header, UTF-8 BOM, rejoin rows, phone
    zoom-2020         328972509 - Attendee Report.csv           2020 header (all fields quoted), no org/phone
    linkedin          Connections.csv                           Notes preamble, URL, rare e-mail, no phone/city
    apollo            apollo-export.csv                         UTF-8 BOM, ' before phones, corporate phone
    excel-de          kontakte-messe.csv                        sep=;, German headers, Windows-1252, CRLF
    vcard-apple       Apple Contacts.vcf                        vCard 3.0, itemN groups, type= params
    vcard-outlook     Outlook Kontakte.vcf                      vCard 2.1, Windows-1252 + QUOTED-PRINTABLE
    vcard-carddav     carddav-export.vcf                        vCard 4.0, tel: URIs with ;ext=
    xcard             partner-contacts.xml                      RFC 6351
    html-table        webinar-attendees.html                    attendee table, some mailto links
    people-search     title-search-NN.html                      saved result pages, 25 cards each, no e-mail
    hcard             partner-directory.html                    microformats2 h-cards
    xml-crm           crm-export.xml                            a generic CRM XML export

TRUTH gets `file,record,person,layout,damage,name`: file = the file's name, record = the 1-based ordinal of
the record in the file as LeadIntake counts it (data rows of the attendee section, cards, table rows), person =
the true person, damage = `;`-separated kinds of damage in the record, name = the person's true name folded
(namesakes share it).

Everything is drawn from its own random generator seeded from --seed, so the records (and the plain CSV mode
of gen-bench-leads) are the same with and without --layouts.
"""
import csv
import io
import os
import random
from xml.sax.saxutils import escape as xml_escape

# RECORD tuple indexes (made by gen-bench-leads record())
PID, GIVEN, FAMILY, EMAIL, EMAIL_KIND, PHONE, PHONE_KIND, RAW_PHONE, EXT, COMPANY, TITLE, CITY, COUNTRY, CO, TAGS, \
    JOB, MUST = range(17)

# (layout, share of records, carries e-mail always, carries phone)
LAYOUTS = [
    ("plain-csv", 10, True, True),
    ("zoom-attendees", 10, True, True),
    ("zoom-2020", 5, True, False),
    ("linkedin", 12, False, False),
    ("apollo", 12, True, True),
    ("excel-de", 8, True, True),
    ("vcard-apple", 6, True, True),
    ("vcard-outlook", 5, True, True),
    ("vcard-carddav", 5, True, True),
    ("xcard", 4, True, True),
    ("html-table", 6, False, False),
    ("people-search", 8, False, False),
    ("hcard", 3, False, True),
    ("xml-crm", 4, True, True),
]

# Letters that look Latin in most fonts (Cyrillic and Greek capitals and small letters): a source that typed
# or pasted one letter from another script.
LOOK_ALIKE = {"A": "\u0410", "B": "\u0392", "E": "\u0415", "K": "\u039a", "M": "\u039c", "H": "\u041d",
              "O": "\u039f", "P": "\u0420", "C": "\u0421", "T": "\u03a4", "X": "\u0425", "a": "\u0430",
              "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441"}
EMOJI = ["\U0001F680", "\u2728", "\U0001F4C8", "\U0001F331", "\u2600\ufe0f", "\U0001F3AF"]
PRONOUNS = ["(She/Her)", "(He/Him)", "(they/them)", "she/her", "(Er/Ihm)"]
DEVICES = ["iPhone", "iPad", "Galaxy S21", "DESKTOP-{}", "Zoom user", "MacBook Pro", "Pixel 7"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class Writer:
    """One output file: its records (in file order) and how to write them."""

    def __init__(self, name, layout):
        self.name, self.layout, self.records = name, layout, []


def cp1252_best_fit(s, fold):
    """What Excel and Outlook do when a character has no Windows-1252 byte: Windows' best-fit mapping, which
    drops the accent (Ł → L, ş → s, ő → o) and writes ? for anything else."""
    try:
        s.encode("cp1252")
        return s
    except UnicodeEncodeError:
        out = []
        for ch in s:
            try:
                ch.encode("cp1252")
                out.append(ch)
            except UnicodeEncodeError:
                f = fold(ch)
                out.append(f if f else "?")
        return "".join(out)


def qp_encode(data):
    """Quoted-printable for vCard 2.1 (RFC 2045), soft line breaks at 76 columns."""
    out, line = [], ""
    for b in data:
        ch = chr(b)
        piece = ch if (33 <= b <= 126 and ch != "=") or b == 32 else "=%02X" % b
        if len(line) + len(piece) > 75:
            out.append(line + "=")
            line = ""
        line += piece
    out.append(line)
    return "\r\n".join(out)


def vcard_escape(s):
    return s.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def fold_line(line, limit=75):
    """vCard 3.0/4.0 line folding (RFC 6350 3.2): CRLF + one space, on character boundaries."""
    if len(line.encode("utf-8")) <= limit:
        return line
    parts, cur, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            parts.append(cur)
            cur, size = "", 1
        cur += ch
        size += n
    parts.append(cur)
    return "\r\n ".join(parts)


def write(out_dir, truth_path, records, persons, companies, seed, phone_text, tel_uri, fold, name_keys):
    L = random.Random(seed * 7919 + 13)
    rnd = L.random
    os.makedirs(out_dir, exist_ok=True)

    # --- per-person profile URL: LinkedIn members have one; other tools show it when they know it
    slugs, used_slugs = {}, set()

    def profile(pid):
        s = slugs.get(pid)
        if s is None:
            g, f = name_keys(persons[pid - 1])
            r = rnd()
            base = (g + "-" + f) if r < 0.55 else (g + f) if r < 0.7 else (g[:1] + f) if r < 0.8 else (g + "-" + f[:1])
            s = base
            while s in used_slugs:
                s = base + "-" + "%x" % int(rnd() * 16 ** 8)
            used_slugs.add(s)
            slugs[pid] = s
        return s

    known_url = {}                          # pid -> whether sales tools know the profile (decided once)

    def url_form(pid, style=None):
        slug = profile(pid)
        r = rnd() if style is None else style
        if r < 0.45:
            return "https://www.linkedin.com/in/" + slug
        if r < 0.6:
            return "https://www.linkedin.com/in/" + slug + "/"
        if r < 0.72:
            return "http://www.linkedin.com/in/" + slug
        if r < 0.8:
            return "https://linkedin.com/in/" + slug
        if r < 0.88:
            return "https://" + ("de", "fr", "uk", "es", "nl", "in")[int(rnd() * 6)] + ".linkedin.com/in/" + slug
        if r < 0.94:
            return "www.linkedin.com/in/" + slug
        return "https://www.linkedin.com/in/" + slug + "/?locale=en_US"

    def tool_url(pid):
        k = known_url.get(pid)
        if k is None:
            k = known_url[pid] = rnd() < 0.6
        return url_form(pid) if k else ""

    # --- layout of each record: weighted, within what the kept identifier of a job change needs
    names = [x[0] for x in LAYOUTS]
    weights = [x[1] for x in LAYOUTS]
    with_email = [x[0] for x in LAYOUTS if x[2]]
    with_phone = [x[0] for x in LAYOUTS if x[3]]
    w_email = [x[1] for x in LAYOUTS if x[2]]
    w_phone = [x[1] for x in LAYOUTS if x[3]]
    order = list(range(len(records)))
    L.shuffle(order)
    by_layout = {n: [] for n in names}
    for i in order:
        rec = records[i]
        if rec[MUST] == "email":
            lay = L.choices(with_email, w_email)[0]
        elif rec[MUST] == "phone":
            lay = L.choices(with_phone, w_phone)[0]
        else:
            lay = L.choices(names, weights)[0]
        by_layout[lay].append(rec)

    truth = []

    def add_truth(file_name, ordinal, rec, layout, extra=()):
        tags = list(rec[TAGS]) + list(extra) + (["job-" + rec[JOB]] if rec[JOB] else [])
        p = persons[rec[PID] - 1]
        truth.append((file_name, ordinal, rec[PID], layout, ";".join(sorted(set(tags))),
                      fold(p.given + " " + p.family).lower()))

    def look_alike(s, tags):
        letters = [i for i, ch in enumerate(s) if ch in LOOK_ALIKE]
        if not letters:
            return s
        i = letters[int(rnd() * len(letters))]
        tags.append("look-alike")
        return s[:i] + LOOK_ALIKE[s[i]] + s[i + 1:]

    def names_of(rec, tags, emoji=0.0, pronouns=0.0, alike=0.004):
        g, f = rec[GIVEN], rec[FAMILY]
        if rnd() < alike:
            if rnd() < 0.5:
                g = look_alike(g, tags)
            else:
                f = look_alike(f, tags)
        if g and rnd() < emoji:
            g = g + " " + EMOJI[int(rnd() * len(EMOJI))]
            tags.append("emoji")
        if f and rnd() < pronouns:
            f = f + " " + PRONOUNS[int(rnd() * len(PRONOUNS))]
            tags.append("pronouns")
        return g.strip(), f.strip()

    def csv_text(rows, delimiter=","):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n" if delimiter == ";" else "\n")
        w.writerows(rows)
        return buf.getvalue()

    def date(year0=2019, years=7):
        return "%02d %s %d" % (1 + int(rnd() * 28), MONTHS[int(rnd() * 12)], year0 + int(rnd() * years))

    def zoom_time(h0=9):
        return "Oct 23, 2026 %02d:%02d:%02d" % (h0 + int(rnd() * 2), int(rnd() * 60), int(rnd() * 60))

    written = []

    def emit(file_name, data, encoding="utf-8", count=None):
        with open(os.path.join(out_dir, file_name), "wb") as fh:
            fh.write(data if isinstance(data, bytes) else data.encode(encoding))
        written.append((file_name, count))

    # --- plain CSV: the old generator's layout ---------------------------------------------------------------
    recs = by_layout["plain-csv"]
    rows = [["First Name", "Last Name", "Email", "Phone", "Company", "Title", "City", "Country"]]
    for n, rec in enumerate(recs, 1):
        tags = []
        g, f = names_of(rec, tags)
        rows.append([g, f, rec[EMAIL], rec[PHONE], rec[COMPANY], rec[TITLE], rec[CITY], rec[COUNTRY]])
        add_truth("leads-plain.csv", n, rec, "plain-csv", tags)
    emit("leads-plain.csv", csv_text(rows), count=len(recs))

    # --- Zoom attendee report, 2023+ header, UTF-8 BOM, rejoin rows -------------------------------------------
    recs = by_layout["zoom-attendees"]
    name = "81314758372 - Attendee Report.csv"
    head = ("Attendee Report,\n"
            "Report Generated:,\"Oct 24, 2026 09:00 AM\"\n"
            "Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,# Cancelled,Unique Viewers,"
            "Total Users,Max Concurrent Views\n"
            "Pipeline Forecasting for CMOs,813 1475 8372,\"Oct 23, 2026 11:00 AM\", 62, %d, 0,%d,%d,%d\n"
            "Host Details,\n"
            "Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes),Is Guest,"
            "Country/Region Name\n"
            "Yes,Hanna Host,host@webinars.example,\"Oct 23, 2026 10:55:01\",\"Oct 23, 2026 12:02:10\",67,No,Germany\n"
            "Panelist Details,\n"
            "Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes),Is Guest,"
            "Country/Region Name\n"
            "Attendee Details,\n") % (len(recs), len(recs), len(recs), len(recs) // 2)
    rows = [["Attended", "User Name (Original Name)", "First Name", "Last Name", "Email", "Phone",
             "Registration Time", "Approval Status", "Join Time", "Leave Time", "Time in Session (minutes)",
             "Is Guest", "Country/Region Name", "Source Name", "Job Title", "Organization",
             "What is your biggest challenge?"]]
    n = 0
    for rec in recs:
        tags = []
        g, f = names_of(rec, tags)
        r = rnd()
        if r < 0.04:
            dev = DEVICES[int(rnd() * len(DEVICES))]
            display = dev.format("%07X" % int(rnd() * 16 ** 7)) if "{}" in dev else dev
            tags.append("device-display-name")
        elif r < 0.07 and g:
            display = g.split(" ")[0][:4] + " (" + (g + " " + f).strip() + ")"
        else:
            display = (g + " " + f).strip()
        phone = rec[PHONE] if rec[MUST] == "phone" or (rec[PHONE_KIND] in ("mobile", "direct") and rnd() < 0.5) \
            else ""
        attended = rnd() < 0.8
        sessions = 1 + (1 if attended and rnd() < 0.05 else 0)
        for s in range(sessions):
            if attended:
                join, leave, minutes = zoom_time(), zoom_time(11), str(5 + int(rnd() * 60))
            else:
                join = leave = minutes = "--"
            rows.append(["Yes" if attended else "No", display, g, f, rec[EMAIL], phone,
                         "Oct %02d, 2026 %02d:%02d:%02d" % (1 + int(rnd() * 22), int(rnd() * 24), int(rnd() * 60),
                                                            int(rnd() * 60)),
                         "approved", join, leave, minutes, "Yes" if rnd() < 0.1 else "No",
                         rec[COUNTRY] if attended else "--", ("LinkedIn", "Newsletter", "Website", "")[int(rnd() * 4)],
                         rec[TITLE], rec[COMPANY], ("", "Attribution", "Forecast accuracy", "—")[int(rnd() * 4)]])
            n += 1
            add_truth(name, n, rec, "zoom-attendees", tags + (["rejoin"] if s else []))
    body = csv_text(rows) + "Other Attended,\nUser Name,Join Time,Leave Time,Time in Session (minutes)," \
        "Country/Region Name\nZoom user,\"Oct 23, 2026 11:20 AM\",\"Oct 23, 2026 11:21 AM\",1,India\n"
    emit(name, "\ufeff" + head + body, count=n)

    # --- Zoom attendee report, 2020 layout (every field quoted, as the R-anonymised sample) --------------------
    recs = by_layout["zoom-2020"]
    name = "328972509 - Attendee Report.csv"
    head = ("Attendee Report,\nReport Generated:,\"Apr 09, 2020 8:50 PM\"\n"
            "Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,# Cancelled,Unique Viewers,"
            "Total Users,Max Concurrent Views\n"
            "Revenue Operations Summit,328-972-509,\"Mar 28, 2020 8:07 AM\", 548, %d, 0,%d,%d,0\n"
            "Host Details,\nAttended,User Name,Email,Join Time,Leave Time,Time in Session (minutes),"
            "Country/Region Name\n"
            "Yes,hostName_1,host@summit.example,\"Mar 28, 2020 08:07:27\",\"Mar 28, 2020 17:14:45\",548,"
            "United States of America\nPanelist Details,\n"
            "\"Attended\",\"User Name\",\"Email\",\"Join Time\",\"Leave Time\",\"Time in Session (minutes)\","
            "\"Country/Region Name\"\nAttendee Details,\n") % (len(recs), len(recs), len(recs))
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow(["Attended", "First Name", "Last Name", "Email", "Registration Time", "Approval Status", "Join Time",
                "Leave Time", "Time in Session (minutes)", "Country/Region Name"])
    for n, rec in enumerate(recs, 1):
        tags = []
        g, f = names_of(rec, tags)
        attended = rnd() < 0.75
        w.writerow(["Yes" if attended else "No", g, f, rec[EMAIL], "Mar 2%d, 2020 09:07:11" % int(rnd() * 8),
                    "approved", "Mar 28, 2020 09:07:39" if attended else "--",
                    "Mar 28, 2020 09:26:54" if attended else "--", str(1 + int(rnd() * 300)) if attended else "--",
                    rec[COUNTRY] if attended else "--"])
        add_truth(name, n, rec, "zoom-2020", tags)
    emit(name, head + buf.getvalue(), count=len(recs))

    # --- LinkedIn Connections.csv ----------------------------------------------------------------------------
    recs = by_layout["linkedin"]
    name = "Connections.csv"
    head = ("Notes:\n\"When exporting your connection data, you may notice that some of the email addresses are "
            "missing. You will only see email addresses for connections who have allowed their connections to see "
            "or download their email address using this setting https://www.linkedin.com/psettings/privacy/email. "
            "You can learn more here https://www.linkedin.com/help/linkedin/answer/261\"\n\n")
    rows = [["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]]
    for n, rec in enumerate(recs, 1):
        tags = []
        g, f = names_of(rec, tags, emoji=0.02, pronouns=0.02)
        email = rec[EMAIL] if rec[EMAIL_KIND] == "personal" and rnd() < 0.35 else ""
        rows.append([g, f, url_form(rec[PID], style=0.0), email, rec[COMPANY], rec[TITLE], date()])
        add_truth(name, n, rec, "linkedin", tags + ["profile-url"])
    emit(name, head + csv_text(rows), count=len(recs))

    # --- Apollo people export, UTF-8 with BOM ------------------------------------------------------------------
    recs = by_layout["apollo"]
    name = "apollo-export.csv"
    rows = [["First Name", "Last Name", "Title", "Company", "Company Name for Emails", "Email", "Email Status",
             "Seniority", "Departments", "Work Direct Phone", "Mobile Phone", "Corporate Phone", "# Employees",
             "Industry", "Person Linkedin Url", "Website", "City", "Country", "Lists"]]

    def apostrophe(p):
        return "'" + p if p.startswith("+") else p
    for n, rec in enumerate(recs, 1):
        tags = []
        g, f = names_of(rec, tags)
        co = companies[rec[CO]]
        direct = mobile = corporate = ""
        kind = rec[PHONE_KIND]
        if kind == "mobile":
            mobile = rec[PHONE]
        elif kind == "direct" or (kind == "switchboard" and rec[EXT]):
            direct = rec[PHONE]
        elif kind == "switchboard":
            corporate = rec[PHONE]
        if not corporate and rnd() < 0.6:
            corporate = phone_text(co.main, rnd)
            tags.append("switchboard")
        url = tool_url(rec[PID])
        if url:
            tags.append("profile-url")
        status = "Verified" if rec[EMAIL] and rnd() < 0.7 else "Guessed" if rec[EMAIL] else "Unavailable"
        rows.append([g, f, rec[TITLE], rec[COMPANY], rec[COMPANY].split(" ")[0] if rec[COMPANY] else "", rec[EMAIL],
                     status, ("C suite", "vp", "director", "manager", "senior")[int(rnd() * 5)],
                     ("Marketing", "Sales", "C-Suite, Marketing", "Operations")[int(rnd() * 4)],
                     apostrophe(direct), apostrophe(mobile), apostrophe(corporate), str(10 + int(rnd() * 5000)),
                     ("Computer Software", "Information Technology & Services", "Marketing & Advertising")[
                         int(rnd() * 3)], url, "http://www." + co.domain, rec[CITY], rec[COUNTRY], "Q4 outbound"])
        add_truth(name, n, rec, "apollo", tags)
    emit(name, "\ufeff" + csv_text(rows), count=len(recs))

    # --- Excel on a German Windows: sep=;, German headers, Windows-1252 ---------------------------------------
    recs = by_layout["excel-de"]
    name = "kontakte-messe.csv"
    rows = [["Vorname", "Nachname", "E-Mail", "Firma", "Position", "Telefon", "Ort", "Land"]]
    for n, rec in enumerate(recs, 1):
        tags = []
        g, f = names_of(rec, tags)
        fields = [g, f, rec[EMAIL], rec[COMPANY], rec[TITLE], rec[PHONE], rec[CITY], rec[COUNTRY]]
        fitted = [cp1252_best_fit(x, fold) for x in fields]
        if fitted != fields:
            tags.append("windows-1252-best-fit")
        rows.append(fitted)
        add_truth(name, n, rec, "excel-de", tags)
    emit(name, "sep=;\r\n" + csv_text(rows, ";"), encoding="cp1252", count=len(recs))

    # --- vCard 3.0, Apple Contacts ---------------------------------------------------------------------------
    recs = by_layout["vcard-apple"]
    name = "Apple Contacts.vcf"
    out = []
    for n, rec in enumerate(recs, 1):
        tags = []
        g, f = names_of(rec, tags)
        lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//macOS 14.4//EN",
                 "N:%s;%s;;;" % (vcard_escape(f), vcard_escape(g)), "FN:" + vcard_escape((g + " " + f).strip())]
        if rec[COMPANY]:
            lines.append("ORG:%s;" % vcard_escape(rec[COMPANY]))
        if rec[TITLE]:
            lines.append("TITLE:" + vcard_escape(rec[TITLE]))
        item = 0
        if rec[EMAIL]:
            item += 1
            kind = "HOME" if rec[EMAIL_KIND] == "personal" else "WORK"
            lines.append("item%d.EMAIL;type=INTERNET;type=%s;type=pref:%s" % (item, kind, rec[EMAIL]))
            lines.append("item%d.X-ABLabel:_$!<Other>!$_" % item if rnd() < 0.2 else "item%d.X-ABLabel:%s" % (
                item, kind.capitalize()))
        if rec[PHONE]:
            kind = {"mobile": "CELL", "direct": "WORK", "switchboard": "MAIN"}.get(rec[PHONE_KIND], "VOICE")
            lines.append("TEL;type=%s;type=VOICE;type=pref:%s" % (kind, rec[PHONE]))
        if rec[CITY] or rec[COUNTRY]:
            lines.append("item%d.ADR;type=WORK;type=pref:;;;%s;;;%s" % (item + 1, vcard_escape(rec[CITY]),
                                                                      vcard_escape(rec[COUNTRY])))
            lines.append("item%d.X-ABADR:%s" % (item + 1, "de"))
        url = tool_url(rec[PID]) if rnd() < 0.5 else ""
        if url:
            lines.append("item%d.URL;type=pref:%s" % (item + 2, url.replace(":", "\\:", 1)))
            tags.append("profile-url")
        lines.append("END:VCARD")
        out.append("\r\n".join(fold_line(x) for x in lines))
        add_truth(name, n, rec, "vcard-apple", tags)
    emit(name, "\r\n".join(out) + "\r\n", count=len(recs))

    # --- vCard 2.1, Outlook (desktop): Windows-1252 with CHARSET and QUOTED-PRINTABLE --------------------------
    recs = by_layout["vcard-outlook"]
    name = "Outlook Kontakte.vcf"
    out = bytearray()

    def prop21(key, value):
        """A 2.1 property: ASCII as is; otherwise Windows-1252 bytes, quoted-printable when asked."""
        raw = value.encode("cp1252")
        if raw.isascii():
            return (key + ":" + value + "\r\n").encode("ascii")
        if rnd() < 0.5:
            return (key + ";CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:").encode("ascii") + \
                qp_encode(raw).encode("ascii") + b"\r\n"
        return (key + ";CHARSET=Windows-1252:").encode("ascii") + raw + b"\r\n"
    for n, rec in enumerate(recs, 1):
        tags = []
        g, f = names_of(rec, tags)
        fitted = [cp1252_best_fit(x, fold) for x in (g, f, rec[COMPANY], rec[TITLE], rec[CITY], rec[COUNTRY])]
        if fitted != [g, f, rec[COMPANY], rec[TITLE], rec[CITY], rec[COUNTRY]]:
            tags.append("windows-1252-best-fit")
        g2, f2, company, title, city, country = fitted
        out += b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        out += prop21("N;LANGUAGE=" + ("de" if rnd() < 0.5 else "en-us"), "%s;%s" % (f2.replace(";", ""),
                                                                                  g2.replace(";", "")))
        out += prop21("FN", (g2 + " " + f2).strip())
        if company:
            out += prop21("ORG", company.replace(";", ","))
        if title:
            out += prop21("TITLE", title.replace(";", ","))
        if rec[PHONE]:
            kind = {"mobile": "CELL", "direct": "WORK", "switchboard": "WORK"}.get(rec[PHONE_KIND], "WORK")
            out += ("TEL;%s;VOICE:%s\r\n" % (kind, rec[PHONE])).encode("cp1252", "replace")
        if rec[EMAIL]:
            out += ("EMAIL;PREF;INTERNET:%s\r\n" % rec[EMAIL]).encode("cp1252", "replace")
        if city or country:
            out += prop21("ADR;WORK;PREF", ";;;%s;;;%s" % (city.replace(";", ","), country.replace(";", ",")))
        out += ("X-MS-OL-DEFAULT-POSTAL-ADDRESS:2\r\nREV:2026%02d%02dT131933Z\r\nEND:VCARD\r\n"
                % (1 + int(rnd() * 11), 1 + int(rnd() * 28))).encode("ascii")
        add_truth(name, n, rec, "vcard-outlook", tags)
    emit(name, bytes(out), count=len(recs))

    # --- vCard 4.0, CardDAV server export ----------------------------------------------------------------------
    recs = by_layout["vcard-carddav"]
    name = "carddav-export.vcf"
    out = []
    for n, rec in enumerate(recs, 1):
        tags = []
        g, f = names_of(rec, tags)
        lines = ["BEGIN:VCARD", "VERSION:4.0", "KIND:individual",
                 "UID:urn:uuid:%08x-%04x-4%03x-a%03x-%012x" % (int(rnd() * 16 ** 8), int(rnd() * 16 ** 4),
                                                               int(rnd() * 16 ** 3), int(rnd() * 16 ** 3),
                                                               int(rnd() * 16 ** 12)),
                 "FN:" + vcard_escape((g + " " + f).strip()), "N:%s;%s;;;" % (vcard_escape(f), vcard_escape(g))]
        if rec[COMPANY]:
            lines.append("ORG:" + vcard_escape(rec[COMPANY]))
        if rec[TITLE]:
            lines.append("TITLE:" + vcard_escape(rec[TITLE]))
        if rec[EMAIL]:
            lines.append("EMAIL;TYPE=%s:%s" % ("home" if rec[EMAIL_KIND] == "personal" else "work", rec[EMAIL]))
        if rec[RAW_PHONE] and rec[PHONE]:
            kind = {"mobile": "cell", "direct": "work,voice", "switchboard": "work,voice"}.get(rec[PHONE_KIND],
                                                                                               "voice")
            uri = tel_uri(rec[RAW_PHONE]) + (";ext=" + rec[EXT] if rec[EXT] else "")
            lines.append('TEL;VALUE=uri;TYPE="%s":%s' % (kind, uri))
        if rec[CITY] or rec[COUNTRY]:
            lines.append("ADR;TYPE=work:;;;%s;;;%s" % (vcard_escape(rec[CITY]), vcard_escape(rec[COUNTRY])))
        url = tool_url(rec[PID])
        if url:
            lines.append("URL;TYPE=linkedin:" + url)
            tags.append("profile-url")
        lines.append("REV:20261104T101500Z")
        lines.append("END:VCARD")
        out.append("\r\n".join(fold_line(x) for x in lines))
        add_truth(name, n, rec, "vcard-carddav", tags)
    emit(name, "\r\n".join(out) + "\r\n", count=len(recs))

    # --- xCard (RFC 6351) --------------------------------------------------------------------------------------
    recs = by_layout["xcard"]
    name = "partner-contacts.xml"
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<vcards xmlns="urn:ietf:params:xml:ns:vcard-4.0">']
    x = xml_escape
    for n, rec in enumerate(recs, 1):
        tags = []
        g, f = names_of(rec, tags)
        out.append("  <vcard>")
        out.append("    <fn><text>%s</text></fn>" % x((g + " " + f).strip()))
        out.append("    <n><surname>%s</surname><given>%s</given><additional/><prefix/><suffix/></n>" % (x(f), x(g)))
        if rec[COMPANY]:
            out.append("    <org><text>%s</text></org>" % x(rec[COMPANY]))
        if rec[TITLE]:
            out.append("    <title><text>%s</text></title>" % x(rec[TITLE]))
        if rec[EMAIL]:
            out.append("    <email><parameters><type><text>%s</text></type></parameters><text>%s</text></email>"
                       % ("home" if rec[EMAIL_KIND] == "personal" else "work", x(rec[EMAIL])))
        if rec[RAW_PHONE] and rec[PHONE]:
            uri = tel_uri(rec[RAW_PHONE]) + (";ext=" + rec[EXT] if rec[EXT] else "")
            kind = "cell" if rec[PHONE_KIND] == "mobile" else "work"
            out.append("    <tel><parameters><type><text>%s</text></type></parameters><uri>%s</uri></tel>"
                       % (kind, x(uri)))
        if rec[CITY] or rec[COUNTRY]:
            out.append("    <adr><pobox/><ext/><street/><locality>%s</locality><region/><code/><country>%s</country>"
                       "</adr>" % (x(rec[CITY]), x(rec[COUNTRY])))
        out.append("  </vcard>")
        add_truth(name, n, rec, "xcard", tags)
    out.append("</vcards>")
    emit(name, "\n".join(out) + "\n", count=len(recs))

    # --- HTML attendee table -----------------------------------------------------------------------------------
    recs = by_layout["html-table"]
    name = "webinar-attendees.html"
    out = ['<!DOCTYPE html>', '<html lang="en">', '<head>', '  <meta charset="utf-8">',
           '  <title>Attendees – Pipeline Forecasting for CMOs (webinar, 14 Oct 2026)</title>', '</head>', '<body>',
           '  <h1>Pipeline Forecasting for CMOs</h1>',
           '  <table class="summary"><tr><th>Metric</th><th>Value</th></tr><tr><td>Registered</td><td>%d</td></tr>'
           '</table>' % len(recs),
           '  <table class="attendees">', '    <thead>',
           '      <tr><th>First Name</th><th>Last Name</th><th>Email</th><th>Company</th><th>Job Title</th>'
           '<th>Minutes</th></tr>', '    </thead>', '    <tbody>']
    for n, rec in enumerate(recs, 1):
        tags = []
        g, f = names_of(rec, tags)
        email = rec[EMAIL] if rnd() < 0.4 else ""
        cell = ('<a href="mailto:%s">%s</a>' % (x(email), x(email)) if email and rnd() < 0.5 else x(email))
        out.append("      <tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>"
                   % (x(g), x(f), cell, x(rec[COMPANY]), x(rec[TITLE]), str(int(rnd() * 60)) if rnd() < 0.8 else "--"))
        add_truth(name, n, rec, "html-table", tags)
    out += ["    </tbody>", "  </table>", "</body>", "</html>"]
    emit(name, "\n".join(out) + "\n", count=len(recs))

    # --- saved title-search result pages, 25 cards each ----------------------------------------------------------
    recs = by_layout["people-search"]
    for page in range(0, max(1, (len(recs) + 24) // 25)):
        chunk = recs[page * 25:(page + 1) * 25]
        if not chunk:
            break
        name = "title-search-%03d.html" % (page + 1)
        out = ['<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
               '<title>"chief marketing officer" | People search | ProspectFinder</title>',
               '<link rel="canonical" href="https://app.prospectfinder.example/search/people?title=cmo&amp;page=%d">'
               % (page + 1), '</head>', '<body>', '<main>',
               '<h2 class="search-summary">About 1,240 results for <em>chief marketing officer</em></h2>',
               '<ol class="search-results__list">']
        for n, rec in enumerate(chunk, 1):
            tags = []
            g, f = names_of(rec, tags, emoji=0.01, pronouns=0.01)
            title, company = rec[TITLE], rec[COMPANY]
            sep = (" at ", " @ ", " | ", " bei " if rnd() < 0.1 else " at ")[int(rnd() * 4)]
            # A headline names the role; a card without one says where the person works.
            headline = (title + sep + company) if title and company else title or ("Working at " + company if company else "")
            location = ", ".join(v for v in (rec[CITY], rec[COUNTRY]) if v)
            out += ['  <li class="search-result search-result--person" data-urn="p-%d">' % (page * 25 + n),
                    '    <div class="search-result__info">',
                    '      <a class="search-result__name" href="%s"><span aria-hidden="true">%s</span></a>'
                    % (x(url_form(rec[PID])), x((g + " " + f).strip())),
                    '      <span class="search-result__degree">%s</span>' % ("2nd", "3rd+", "1st")[int(rnd() * 3)],
                    '      <p class="search-result__headline">%s</p>' % x(headline),
                    '      <p class="search-result__location">%s</p>' % x(location),
                    '    </div>', '  </li>']
            if n == 3:
                out += ['  <li class="search-result search-result--ad"><div class="ad">Try Premium</div></li>']
            add_truth(name, n, rec, "people-search", tags + ["profile-url"])
        out += ['</ol>', '</main>', '</body>', '</html>']
        emit(name, "\n".join(out) + "\n", count=len(chunk))

    # --- h-card partner directory --------------------------------------------------------------------------------
    recs = by_layout["hcard"]
    name = "partner-directory.html"
    out = ['<!DOCTYPE html>', '<html>', '<head><meta charset="utf-8"><title>Partner introductions</title></head>',
           '<body>', '<h1>People we introduce to you this quarter</h1>']
    for n, rec in enumerate(recs, 1):
        tags = []
        g, f = names_of(rec, tags)
        parts = ['<div class="h-card">']
        if g:
            parts.append('  <span class="p-given-name">%s</span>' % x(g))
        parts.append('  <span class="p-family-name">%s</span>' % x(f))
        if rec[TITLE]:
            parts.append('  <span class="p-job-title">%s</span>' % x(rec[TITLE]))
        if rec[COMPANY]:
            parts.append('  <span class="p-org">%s</span>' % x(rec[COMPANY]))
        if rec[EMAIL] and rnd() < 0.6:
            parts.append('  <a class="u-email" href="mailto:%s">%s</a>' % (x(rec[EMAIL]), x(rec[EMAIL])))
        if rec[PHONE]:
            parts.append('  <span class="p-tel">%s</span>' % x(rec[PHONE]))
        if rec[CITY] or rec[COUNTRY]:
            parts.append('  <span class="p-adr h-adr"><span class="p-locality">%s</span>, '
                         '<span class="p-country-name">%s</span></span>' % (x(rec[CITY]), x(rec[COUNTRY])))
        url = tool_url(rec[PID])
        if url:
            parts.append('  <a class="u-url" href="%s">profile</a>' % x(url if "://" in url else "https://" + url))
            tags.append("profile-url")
        parts.append('</div>')
        out += parts
        add_truth(name, n, rec, "hcard", tags)
    out += ['</body>', '</html>']
    emit(name, "\n".join(out) + "\n", count=len(recs))

    # --- generic CRM XML export -----------------------------------------------------------------------------------
    recs = by_layout["xml-crm"]
    name = "crm-export.xml"
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<!-- Contacts export, generated 2026-10-24 -->',
           '<export generator="LegacyCRM 7.2" created="2026-10-24T09:12:00Z">',
           '  <meta><owner>sourcing@example.com</owner><count>%d</count></meta>' % len(recs), '  <contacts>']
    for n, rec in enumerate(recs, 1):
        tags = []
        g, f = names_of(rec, tags)
        out.append('    <contact id="c-%d">' % (1000 + n))
        out.append("      <firstName>%s</firstName>" % x(g))
        out.append("      <lastName>%s</lastName>" % x(f))
        if rec[EMAIL]:
            out.append("      <email>%s</email>" % x(rec[EMAIL]))
        if rec[COMPANY]:
            out.append("      <company>%s</company>" % x(rec[COMPANY]))
        if rec[TITLE]:
            out.append("      <jobTitle>%s</jobTitle>" % x(rec[TITLE]))
        if rec[PHONE]:
            out.append('      <phone type="%s">%s</phone>' % ("mobile" if rec[PHONE_KIND] == "mobile" else "work",
                                                             x(rec[PHONE])))
        out.append("      <address><city>%s</city><country>%s</country></address>" % (x(rec[CITY]), x(rec[COUNTRY])))
        out.append("    </contact>")
        add_truth(name, n, rec, "xml-crm", tags)
    out += ["  </contacts>", "</export>"]
    emit(name, "\n".join(out) + "\n", count=len(recs))

    with open(truth_path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["file", "record", "person", "layout", "damage", "name"])
        w.writerows(truth)
    counts = {}
    for name, n in written:
        lay = "people-search" if name.startswith("title-search-") else name
        counts[lay] = counts.get(lay, 0) + (n or 0)
    return sorted(counts.items())
