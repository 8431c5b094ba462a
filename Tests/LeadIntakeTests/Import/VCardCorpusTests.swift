import Foundation
import LeadCore
import Testing

@testable import LeadImport

/// Every vCard and jCard file of the shared corpus, with real values of one card in it.
@Suite("vCard and jCard importers on the corpus")
struct VCardCorpusTests {
    struct Card: Sendable, CustomTestStringConvertible {
        var path: String
        var records: Int
        var rejected: Int
        var index: Int?
        var given: String?
        var family: String?
        var email: String?
        var phone: String?
        var company: String?
        var code: String? = nil

        init(_ path: String, records: Int, rejected: Int, index: Int?, given: String?, family: String?, email: String?,
             phone: String?, company: String?, code: String? = nil) {
            self.path = path
            self.records = records
            self.rejected = rejected
            self.index = index
            self.given = given
            self.family = family
            self.email = email
            self.phone = phone
            self.company = company
            self.code = code
        }

        var testDescription: String { path }
    }

    static let cards: [Card] = [
        Card("jcard/ez-vcard/jcard-example.json", records: 1, rejected: 0, index: 0, given: "Simon", family: "Perreault", email: "simon.perreault@viagenie.ca", phone: "+1-418-656-9254;ext=102", company: "Viagenie"),
        Card("jcard/node-vcf/jcard.json", records: 1, rejected: 0, index: 0, given: "Forrest", family: "Gump", email: "forrestgump@example.com", phone: "+1-111-555-1212", company: "Bubba Gump Shrimp Co"),
        Card("vcard/ez-vcard/John_Doe_ANDROID.vcf", records: 6, rejected: 0, index: 4, given: "Ñ Ñ Ñ", family: "Ñ Ñ", email: "ÑÑÑÑÑÑÑÑÑÑÑÑÑÑ", phone: "123456", company: "ÑÑÑÑÑÑÑÑÑÑÑÑ"),
        Card("vcard/ez-vcard/John_Doe_BLACK_BERRY.vcf", records: 1, rejected: 0, index: 0, given: "john", family: "Doe", email: nil, phone: "+96123456789", company: "Acme Solutions"),
        Card("vcard/ez-vcard/John_Doe_EVOLUTION.vcf", records: 1, rejected: 0, index: 0, given: "John", family: "Doe", email: "john.doe@ibm.com", phone: "905-666-1234", company: "IBM"),
        Card("vcard/ez-vcard/John_Doe_GMAIL.vcf", records: 1, rejected: 0, index: 0, given: "John", family: "Doe", email: "john.doe@ibm.com", phone: "905-555-1234", company: "IBM"),
        Card("vcard/ez-vcard/John_Doe_IPHONE.vcf", records: 1, rejected: 0, index: 0, given: "John", family: "Doe", email: "john.doe@ibm.com", phone: "905-555-1234", company: "IBM"),
        Card("vcard/ez-vcard/John_Doe_LOTUS_NOTES.vcf", records: 1, rejected: 0, index: 0, given: "John", family: "Doe", email: "john.doe@ibm.com", phone: "+1 (212) 204-34456", company: "IBM"),
        Card("vcard/ez-vcard/John_Doe_MAC_ADDRESS_BOOK.vcf", records: 1, rejected: 0, index: 0, given: "John", family: "Doe", email: "john.doe@ibm.com", phone: "905-777-1234", company: "IBM"),
        Card("vcard/ez-vcard/John_Doe_MS_OUTLOOK.vcf", records: 1, rejected: 0, index: 0, given: "John", family: "Doe", email: "john.doe@ibm.cm", phone: "(905) 555-1234", company: "IBM"),
        Card("vcard/ez-vcard/fullcontact.vcf", records: 1, rejected: 0, index: 0, given: "FirstName", family: "LastName", email: "home@example.com", phone: "555-555-1111", company: "Organization2"),
        Card("vcard/ez-vcard/gmail-list.vcf", records: 3, rejected: 0, index: 0, given: "Arnold", family: "Smith", email: "asmithk@gmail.com", phone: nil, company: nil),
        Card("vcard/ez-vcard/gmail-single.vcf", records: 1, rejected: 0, index: 0, given: "Greg", family: "Dartmouth", email: "gdartmouth@hotmail.com", phone: "555 555 1111", company: "TheCompany"),
        Card("vcard/ez-vcard/gmail-single2.vcf", records: 1, rejected: 0, index: 0, given: "VCard", family: "Test", email: "email@example.com", phone: "5555551111", company: "TheCompany"),
        Card("vcard/ez-vcard/issue114.vcf", records: 1, rejected: 0, index: 0, given: "Dummy", family: "Dummy", email: "dummy.dummy@dummy.com", phone: "+49 1234 56789", company: "Dummy GmbH"),
        Card("vcard/ez-vcard/outlook-2003.vcf", records: 1, rejected: 0, index: 0, given: "John", family: "Doe", email: "jdoe@hotmail.com", phone: "BusinessPhone", company: "Company, The"),
        Card("vcard/ez-vcard/outlook-2007.vcf", records: 1, rejected: 0, index: 0, given: "Michael", family: "Angstadt", email: "mike.angstadt@gmail.com", phone: "(111) 555-1111", company: "TheCompany"),
        Card("vcard/ez-vcard/rfc2426-example.vcf", records: 2, rejected: 0, index: 0, given: nil, family: nil, email: "Frank_Dawson@Lotus.com", phone: "+1-919-676-9515", company: "Lotus Development Corporation"),
        Card("vcard/ez-vcard/rfc6350-example.vcf", records: 1, rejected: 0, index: 0, given: "Simon", family: "Perreault", email: "simon.perreault@viagenie.ca", phone: "+1-418-656-9254;ext=102", company: "Viagenie"),
        Card("vcard/ez-vcard/thunderbird-MoreFunctionsForAddressBook-extension.vcf", records: 1, rejected: 0, index: 0, given: "John", family: "Doe", email: "doe.john@hotmail.com", phone: "555-555-1111", company: "TheOrganization"),
        Card("vcard/folkerkinzel-vcards/AnsiIssue.vcf", records: 1, rejected: 0, index: 0, given: "Ralf", family: "Rastral", email: nil, phone: nil, company: nil),
        Card("vcard/folkerkinzel-vcards/AnsiIssueInvalidEncoding.vcf", records: 1, rejected: 0, index: 0, given: "Ralf", family: "Rastral", email: nil, phone: nil, company: nil),
        Card("vcard/folkerkinzel-vcards/AnsiIssueNoEncoding.vcf", records: 1, rejected: 0, index: 0, given: "Ralf", family: "Rastral", email: nil, phone: nil, company: nil),
        Card("vcard/folkerkinzel-vcards/Cropped_2_1.vcf", records: 0, rejected: 1, index: nil, given: nil, family: nil, email: nil, phone: nil, company: nil, code: "vcard.missing-end"),
        Card("vcard/folkerkinzel-vcards/Empty.vcf", records: 0, rejected: 0, index: nil, given: nil, family: nil, email: nil, phone: nil, company: nil),
        Card("vcard/folkerkinzel-vcards/LabelIssue.vcf", records: 1, rejected: 0, index: 0, given: "Rudi", family: "Wimmel", email: "Wimmel@wurstdarm.de", phone: "0987 /6543", company: "Wurstdarm KG"),
        Card("vcard/folkerkinzel-vcards/LabelTest1.vcf", records: 1, rejected: 0, index: 0, given: "Rudi", family: "Wimmel", email: "Wimmel@wurstdarm.de", phone: "0987 /6543", company: "Wurstdarm KG"),
        Card("vcard/folkerkinzel-vcards/LabelTest2.vcf", records: 1, rejected: 0, index: 0, given: "Rudi", family: "Wimmel", email: "Wimmel@wurstdarm.de", phone: "0987 /6543", company: "Wurstdarm KG"),
        Card("vcard/folkerkinzel-vcards/Library v2.vcf", records: 1, rejected: 0, index: 0, given: "Max", family: "Mustermann", email: "max.mustermann@musterfirma.de", phone: "+49 (0611) 123456 - 11", company: "Musterfirma GmbH"),
        Card("vcard/folkerkinzel-vcards/MultiAnsiFilterTests/German.vcf", records: 1, rejected: 0, index: 0, given: "Sören", family: "Nüßlebaum", email: nil, phone: nil, company: nil),
        Card("vcard/folkerkinzel-vcards/MultiAnsiFilterTests/Greek.vcf", records: 1, rejected: 0, index: 0, given: "Ευάγγελος", family: "Παπαθανασίου", email: nil, phone: nil, company: nil),
        Card("vcard/folkerkinzel-vcards/MultiAnsiFilterTests/Hebrew.vcf", records: 1, rejected: 0, index: 0, given: "Ephraim", family: "Kishon", email: nil, phone: nil, company: nil),
        Card("vcard/folkerkinzel-vcards/MultiAnsiFilterTests/Murks.vcf", records: 1, rejected: 0, index: 0, given: "Sören", family: "Nüßlebaum", email: nil, phone: nil, company: nil),
        Card("vcard/folkerkinzel-vcards/MultiAnsiFilterTests/Ukrainian.vcf", records: 1, rejected: 0, index: 0, given: "Віталій", family: "Кличко", email: nil, phone: nil, company: nil),
        Card("vcard/folkerkinzel-vcards/MultiAnsiFilterTests/utf-8.vcf", records: 1, rejected: 0, index: 0, given: nil, family: "Konfuzius", email: nil, phone: nil, company: nil),
        Card("vcard/folkerkinzel-vcards/MultiAnsiFilterTests/v3Ansi.vcf", records: 2, rejected: 0, index: 1, given: "WSF", family: "KMS", email: "blablö@blub.com", phone: "03443-303776", company: "KMS Außenstelle"),
        Card("vcard/folkerkinzel-vcards/MultiAnsiFilterTests/v3Utf16Bom.vcf", records: 2, rejected: 0, index: 1, given: "WSF", family: "KMS", email: "blablö@blub.com", phone: "03443-303776", company: "KMS Außenstelle"),
        Card("vcard/folkerkinzel-vcards/Outlook v2.vcf", records: 1, rejected: 0, index: 0, given: "Max", family: "Mustermann", email: "max.mustermann@musterfirma.de", phone: "+49 (0611) 123456 - 11", company: "Musterfirma GmbH"),
        Card("vcard/folkerkinzel-vcards/Photo Outlook v2.vcf", records: 0, rejected: 1, index: nil, given: nil, family: nil, email: nil, phone: nil, company: nil, code: "record.no-person"),
        Card("vcard/folkerkinzel-vcards/Photo v3.vcf", records: 1, rejected: 0, index: 0, given: "Emma", family: "Musterfrau", email: "emma.musterfrau@googlemail.com", phone: "03456-78910", company: nil),
        Card("vcard/folkerkinzel-vcards/Utf-8/Greek.vcf", records: 1, rejected: 0, index: 0, given: "Ευάγγελος", family: "Παπαθανασίου", email: nil, phone: nil, company: nil),
        Card("vcard/folkerkinzel-vcards/Utf-8/Hebrew.vcf", records: 1, rejected: 0, index: 0, given: "Ephraim", family: "Kishon", email: nil, phone: nil, company: nil),
        Card("vcard/folkerkinzel-vcards/Utf-8/Ukrainian.vcf", records: 1, rejected: 0, index: 0, given: "Віталій", family: "Кличко́", email: nil, phone: nil, company: nil),
        Card("vcard/folkerkinzel-vcards/WhatsAppIssue.vcf", records: 1, rejected: 0, index: 0, given: "zzMad Perla 45", family: nil, email: nil, phone: "7yy-zzz-xxx", company: nil),
        Card("vcard/folkerkinzel-vcards/v2_1.vcf", records: 1, rejected: 0, index: 0, given: "Max", family: "Mustermann", email: "privat@folker-kinzel.de", phone: "Tel geschäftlich", company: "Firma"),
        Card("vcard/folkerkinzel-vcards/v3.vcf", records: 2, rejected: 0, index: 1, given: "WSF", family: "KMS", email: "blablö@blub.com", phone: "01234-303776", company: "KMS Außenstelle"),
        Card("vcard/folkerkinzel-vcards/v4.vcf", records: 2, rejected: 0, index: 0, given: "Gerda", family: "Möhrke", email: "info@kinderland-blubblub.de", phone: "034441/ 2 22 67", company: "KiTa Öhrdingen"),
        Card("vcard/ical4j-vcard/4b62872a-849-0.vcf", records: 1, rejected: 0, index: 0, given: "Franz", family: "Branntwein", email: "franz.m.branntwein@example.com", phone: "0221 12345678", company: nil),
        Card("vcard/ical4j-vcard/invalid/vcard-dirk-whitespaceafterbegin.vcf", records: 1, rejected: 0, index: 0, given: nil, family: "dirk", email: "dirk@sap.com", phone: nil, company: nil),
        Card("vcard/ical4j-vcard/invalid/vcard-incompletenproperty.vcf", records: 1, rejected: 0, index: 0, given: "Antoni", family: "Mylka", email: "antoni@mylka.pl", phone: nil, company: nil),
        Card("vcard/ical4j-vcard/valid/Denis_Hennessy.vcf", records: 1, rejected: 0, index: 0, given: "Denis", family: "Hennessy", email: "denis.hennessy@isocor.com", phone: "+353-1-676-0366", company: "ISOCOR"),
        Card("vcard/ical4j-vcard/valid/Frank_Dawson.vcf", records: 1, rejected: 0, index: 0, given: "Frank", family: "Dawson", email: "Frank_Dawson@Lotus.com", phone: "+1-919-676-9515", company: "Lotus Development Corporation"),
        Card("vcard/ical4j-vcard/valid/Simon_Perreault.vcf", records: 1, rejected: 0, index: 0, given: "Simon", family: "Perreault", email: "simon.perreault@viagenie.ca", phone: "+1-418-656-9254;ext=102", company: "Viagenie"),
        Card("vcard/ical4j-vcard/valid/Simon_Perreault_03.vcf", records: 1, rejected: 0, index: 0, given: "Simon", family: "Perreault", email: "simon.perreault@viagenie.ca", phone: "+1-418-656-9254;ext=102", company: "Viagenie"),
        Card("vcard/ical4j-vcard/valid/Tony_Small.vcf", records: 1, rejected: 0, index: 0, given: "Tony", family: "Small", email: "tony@xpertsite.com", phone: "+1-206-937-9972", company: "XpertSite.Com"),
        Card("vcard/ical4j-vcard/valid/vcard-group.vcf", records: 0, rejected: 1, index: nil, given: nil, family: nil, email: nil, phone: nil, company: nil, code: "record.no-person"),
        Card("vcard/ical4j-vcard/valid/vcard-lowercase.vcf", records: 1, rejected: 0, index: 0, given: nil, family: nil, email: "xy@zz.com", phone: nil, company: nil),
        Card("vcard/ical4j-vcard/valid/vcard-url.vcf", records: 0, rejected: 1, index: nil, given: nil, family: nil, email: nil, phone: nil, company: nil, code: "record.no-person"),
        Card("vcard/ical4j-vcard/vcard-antoni-cardpicture.vcf", records: 1, rejected: 0, index: 0, given: "Antoni", family: "Mylka", email: "antoni@amservices.pl", phone: "(043) 7245-7234", company: "AM Services"),
        Card("vcard/ical4j-vcard/vcard-antoni-kontact.vcf", records: 1, rejected: 0, index: 0, given: "Antoni", family: "Mylka", email: "antoni.mylka.kde@somedomain.com", phone: "+48 91 3 177 6584", company: "Aperture Project"),
        Card("vcard/ical4j-vcard/vcard-antoni-outlook2003-valueurl.vcf", records: 1, rejected: 0, index: 0, given: "Antoni", family: "Mylka", email: "antoni_mylka@somedomain.com", phone: "49 631 234 341", company: "DFKI"),
        Card("vcard/ical4j-vcard/vcard-antoni-outlook2003.vcf", records: 1, rejected: 0, index: 0, given: "Antoni", family: "Mylka", email: "antoni_mylka@somedomain.com", phone: "49 631 234 341", company: "DFKI"),
        Card("vcard/ical4j-vcard/vcard-dirk.vcf", records: 1, rejected: 0, index: 0, given: nil, family: "dirk", email: "dirk@sap.com", phone: nil, company: nil),
        Card("vcard/ical4j-vcard/vcard-rfc2426.vcf", records: 2, rejected: 0, index: 0, given: "Frank", family: "Dawson", email: "Frank_Dawson@Lotus.com", phone: "+1-919-676-9515", company: "Lotus Development Corporation"),
        Card("vcard/ical4j-vcard/vcard-vCards-SAP.vcf", records: 30, rejected: 0, index: 1, given: "Peter", family: "Smalholtz", email: "Peter.Smalholtz@sap.com", phone: "§", company: "SAP"),
        Card("vcard/jeroendesloovere-vcard/contacts.vcf", records: 5, rejected: 0, index: 1, given: "Lenn", family: "Biernoth", email: "lenn@lbi.net", phone: nil, company: nil),
        Card("vcard/jeroendesloovere-vcard/example.vcf", records: 1, rejected: 0, index: 0, given: "Jeroen", family: "Desloovere", email: "site@example.com", phone: nil, company: nil),
        Card("vcard/jeroendesloovere-vcard/invalid_encoding.vcf", records: 1, rejected: 0, index: 0, given: "Jeroen", family: "Desloovere", email: "site@example.com", phone: nil, company: nil),
        Card("vcard/node-vcf/empty-lines.vcf", records: 1, rejected: 0, index: 0, given: "Erika", family: "Mustermann", email: "erika@mustermann.de", phone: "+49 221 9999123", company: "Wikimedia"),
        Card("vcard/node-vcf/multiple.vcf", records: 3, rejected: 0, index: 0, given: "Erika", family: "Mustermann", email: "erika@mustermann.de", phone: "+49-221-9999123", company: "Wikimedia"),
        Card("vcard/node-vcf/photo-base64.vcf", records: 0, rejected: 1, index: nil, given: nil, family: nil, email: nil, phone: nil, company: nil, code: "record.no-person"),
        Card("vcard/node-vcf/quoted-list.vcf", records: 1, rejected: 0, index: 0, given: nil, family: nil, email: nil, phone: "+1-555-555-5555;ext=5555", company: nil),
        Card("vcard/node-vcf/vcard-2.1.vcf", records: 1, rejected: 0, index: 0, given: "Forrest", family: "Gump", email: "forrestgump@example.com", phone: "(111) 555-1212", company: "Bubba Gump Shrimp Co."),
        Card("vcard/node-vcf/vcard-3.0.vcf", records: 1, rejected: 0, index: 0, given: "Forrest", family: "Gump", email: "forrestgump@example.com", phone: "(111) 555-1212", company: "Bubba Gump Shrimp Co."),
        Card("vcard/node-vcf/vcard-4.0.vcf", records: 1, rejected: 0, index: 0, given: "Forrest", family: "Gump", email: "forrestgump@example.com", phone: "+11115551212", company: "Bubba Gump Shrimp Co."),
        Card("vcard/node-vcf/xing.vcf", records: 1, rejected: 0, index: 0, given: "Hans-Peter", family: "Mustermann", email: nil, phone: nil, company: "Example GmbH"),
        Card("vcard/py-vobject/radicale-1587.vcf", records: 1, rejected: 0, index: 0, given: "Given", family: "Family", email: nil, phone: nil, company: nil),
        Card("vcard/sabre-vobject/issue153.vcf", records: 1, rejected: 0, index: 0, given: "Test", family: "Benutzer", email: nil, phone: nil, company: nil),
        Card("vcard/sabre-vobject/issue64.vcf", records: 0, rejected: 1, index: nil, given: nil, family: nil, email: nil, phone: nil, company: nil, code: "record.no-person"),
    ]

    @Test("reads each corpus file with the right values", arguments: cards)
    func corpus(card: Card) throws {
        let path = Paths.corpus(card.path)
        let importer: any Importer = card.path.hasSuffix(".json") ? JCardImporter() : VCardImporter()
        let file = try SourceFile.open(path: path)
        #expect(importer.sniff(file).score >= 0.6)
        let result = try readAll(path, with: importer)
        #expect(result.records.count == card.records)
        #expect(result.rejected.count == card.rejected)
        if let code = card.code { #expect(result.rejected.first?.code == code) }
        guard let index = card.index else { return }
        let record = result.records[index]
        #expect(record.name.given == card.given)
        #expect(record.name.family == card.family)
        #expect(record.emails.first?.raw == card.email)
        #expect(record.phones.first?.raw == card.phone)
        #expect(record.company == card.company)
        #expect(record.provenance.record >= index + 1)
        #expect(record.source.kind == .contactsExport)
    }
}
