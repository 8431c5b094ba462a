import Foundation
import LeadCore
import LeadMatch
import LeadPipeline
import LeadStore
import Testing

@Suite("train: deterministic, and used by the next import")
struct TrainingTests {
    let dir = TempDir()

    @Test("the same store and seed give the same model; another seed another sample")
    func deterministic() throws {
        let store = try SQLiteStore(path: dir.path + "/leads.sqlite")
        _ = try Pipeline().run(paths: [Paths.fixture("")], store: store, dryRun: false)
        let first = try Training.fit(store: store, seed: 7)
        let second = try Training.fit(store: store, seed: 7)
        #expect(first.model == second.model)
        #expect(first.candidatePairs == second.candidatePairs)
        #expect(first.records == 64)
        #expect(first.randomPairs == 640)
        let other = try Training.fit(store: store, seed: 8)
        #expect(other.model != first.model)
        #expect(other.candidatePairs == first.candidatePairs)
    }

    /// Imports the CSV fixtures, optionally saves `model`, then imports Priya Shah's row again; returns
    /// how that record was linked and the e-mail field of its comparison.
    func reimport(in name: String, saving model: MatchModel?) throws -> (match: String, email: FieldComparison?) {
        let store = try SQLiteStore(path: dir.path + "/\(name).sqlite")
        _ = try Pipeline().run(paths: [Paths.fixture("csv")], store: store, dryRun: false)
        if let model { try store.saveMatchModel(model, at: "2026-12-03T00:00:00Z") }
        let file = dir.write("again.csv", "First Name,Last Name,Email\nPriya,Shah,priya@northwind.io\n")
        _ = try Pipeline().run(paths: [file], store: store, dryRun: false)
        var leadID: Int64?
        try store.forEachProvenance { if $0.file == "again.csv" { leadID = $0.leadID } }
        let id = try #require(leadID)
        let record = try #require(try store.sourceRecords(leadID: id).first { $0.file == "again.csv" })
        return (record.match, record.comparison?.fields.first { $0.field == "email" })
    }

    @Test("an import after train compares with the trained model's weights, not the built-in ones")
    func nextImportUsesModel() throws {
        let store = try SQLiteStore(path: dir.path + "/trained.sqlite")
        _ = try Pipeline().run(paths: [Paths.fixture("csv")], store: store, dryRun: false)
        var trained = try Training.fit(store: store, seed: 1).model
        // An e-mail agreement made nearly worthless: the saved model must decide the next import.
        trained.fields["email"]!["exact"]!.m = 0.5
        trained.fields["email"]!["exact"]!.u = 0.25
        #expect(trained.weight("email", "exact") == 1.0)

        let builtIn = try reimport(in: "built-in", saving: nil)
        #expect(builtIn.match == "merged")
        #expect(builtIn.email?.weight == MatchModel.builtIn.completed().weight("email", "exact"))
        #expect(builtIn.email?.weight != 1.0)
        let withModel = try reimport(in: "with-model", saving: trained)
        #expect(withModel.email?.level == "exact")
        #expect(withModel.email?.weight == 1.0)
        #expect(withModel.match == "new")
    }
}
