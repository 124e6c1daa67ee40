import Foundation

/// A follow-up plan: what the patient takes home and the referrer gets back.
///
/// Built from a signed visit by rules (FollowUpPlans module), reviewed and adjusted by the
/// practitioner, then made final; final plans are versioned and never edited.
public struct FollowUpPlan: Sendable, Hashable, Codable, Identifiable {
    public enum Status: String, Sendable, Hashable, Codable { case draft, final }

    /// One line of advice, grouped by section.
    public struct Item: Sendable, Hashable, Codable {
        public enum Section: String, Sendable, Hashable, Codable, CaseIterable {
            case homeProgram = "home-program"
            case afterNeedling = "after-needling"
            case biomechanics
            case activity
            case redFlags = "red-flags"
            case review
            case other
            /// Outcome measures over the visits so far, in words, with the MCID.
            case outcomes
        }
        public var section: Section
        public var text: String
        /// The rule that produced it (empty when the practitioner added it by hand).
        public var rule: String
        /// The muscle and side for home-program items, so the body chart can mark them.
        public var muscleID: String?
        public var side: Side?

        public init(section: Section, text: String, rule: String = "", muscleID: String? = nil, side: Side? = nil) {
            self.section = section; self.text = text; self.rule = rule; self.muscleID = muscleID; self.side = side
        }
    }

    public var id: Int64?
    public var visitID: Int64
    public var version: Int
    public var status: Status
    public var createdAt: Date
    public var reviewDate: LocalDate?
    public var items: [Item]

    public init(id: Int64? = nil, visitID: Int64, version: Int = 1, status: Status = .draft,
                createdAt: Date = Date(), reviewDate: LocalDate? = nil, items: [Item] = []) {
        self.id = id; self.visitID = visitID; self.version = version; self.status = status
        self.createdAt = createdAt; self.reviewDate = reviewDate; self.items = items
    }

    public func validate() throws(ValidationErrors) {
        var v = Validator()
        if items.isEmpty { v.add("items", "", "a plan needs at least one item") }
        for (i, item) in items.enumerated() {
            v.required("items[\(i)].text", item.text)
            v.freeText("items[\(i)].text", item.text, limit: 2000)
        }
        try v.finish()
    }
}
