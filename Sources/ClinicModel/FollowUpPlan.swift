import Foundation

/// A follow-up plan: what the patient takes home and the referrer gets back.
///
/// Built from a signed visit by rules (FollowUpPlans module), reviewed and adjusted by the
/// practitioner, then made final; final plans are versioned and never edited.
public struct FollowUpPlan: Sendable, Hashable, Codable, Identifiable {
    /// A draft the practitioner may still edit, or a final version that is never edited again.
    public enum Status: String, Sendable, Hashable, Codable { case draft, final }

    /// One line of advice, grouped by section.
    public struct Item: Sendable, Hashable, Codable {
        /// The part of the plan an item belongs to, in the order plans print them.
        public enum Section: String, Sendable, Hashable, Codable, CaseIterable {
            /// Exercises and self-treatment for the treated muscles.
            case homeProgram = "home-program"
            /// What to expect and do after needling (soreness, bruising).
            case afterNeedling = "after-needling"
            /// Advice from the biomechanical findings (footwear, gait).
            case biomechanics
            /// Activity and load advice.
            case activity
            /// Signs that need urgent care, and whom to call.
            case redFlags = "red-flags"
            /// When the patient is seen again.
            case review
            /// Anything that belongs to no other section.
            case other
            /// Outcome measures over the visits so far, in words, with the MCID.
            case outcomes
        }
        /// The section the item is printed under.
        public var section: Section
        /// The advice itself, in the words the patient or referrer reads (up to 2000 characters).
        public var text: String
        /// The rule that produced it (empty when the practitioner added it by hand).
        public var rule: String
        /// The muscle and side for home-program items, so the body chart can mark them.
        public var muscleID: String?
        /// The side of `muscleID`, for marking the body chart.
        public var side: Side?

        /// An item of `section`; `rule` is empty for an item the practitioner adds by hand.
        public init(section: Section, text: String, rule: String = "", muscleID: String? = nil, side: Side? = nil) {
            self.section = section; self.text = text; self.rule = rule; self.muscleID = muscleID; self.side = side
        }
    }

    public var id: Int64?
    /// The signed visit the plan was made from.
    public var visitID: Int64
    /// The plan's version for its visit, from 1; a new final version never replaces an older one.
    public var version: Int
    /// Whether the plan is a draft or final.
    public var status: Status
    /// When this version was made.
    public var createdAt: Date
    /// When the patient should be reviewed, if the plan says.
    public var reviewDate: LocalDate?
    /// The lines of advice, in section order.
    public var items: [Item]

    /// A plan for the visit `visitID` (a new draft of version 1 unless told otherwise).
    public init(id: Int64? = nil, visitID: Int64, version: Int = 1, status: Status = .draft,
                createdAt: Date = Date(), reviewDate: LocalDate? = nil, items: [Item] = []) {
        self.id = id; self.visitID = visitID; self.version = version; self.status = status
        self.createdAt = createdAt; self.reviewDate = reviewDate; self.items = items
    }

    /// Checks the plan has at least one item and every item's text is present and at most 2000 characters.
    /// - Throws: `ValidationErrors` naming each item that breaks a rule.
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
