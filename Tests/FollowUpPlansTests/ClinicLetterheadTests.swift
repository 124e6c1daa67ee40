import Foundation
import Testing
import ClinicModel
import FollowUpPlans
import TextCells

/// The clinic's stored details as patients and referrers meet them: the letterhead on every plan
/// and letter in text and HTML, the emergency number of the clinic's country in the red flags,
/// and a review that never falls on a day the clinic is closed.
@Suite("Clinic letterhead, emergency number and open days in plans")
struct ClinicLetterheadTests {
    typealias F = PlanFixtures

    static let clinic = ClinicProfile(
        name: "Harbour Physio & Podiatry", address: "Level 2, 10 Quay St\nSydney NSW 2000", phone: "(02) 9555 0100",
        email: "hello@harbourphysio.example", website: "harbourphysio.example", businessNumber: "12 345 678 901", country: "AU")

    func context(_ visit: Visit, clinic: ClinicProfile = Self.clinic) -> PlanContext {
        PlanContext(patient: F.patient, visit: visit, history: F.earlierVisits + [visit], referral: F.referral, sessionsUsed: 3,
                    practitioner: F.practitioner, clinic: clinic, today: F.date("2026-07-07"))
    }

    @Test("the patient plan and the referrer letter carry the address, phone, email, web and ABN, in text and HTML",
          arguments: [PlanAudience.patient, .referrer])
    func letterheadInEveryFormat(_ audience: PlanAudience) throws {
        let ctx = context(F.fullVisit)
        let plan = PlanBuilder.build(ctx)
        let text = PlanTextRenderer.render(plan, context: ctx, audience: audience)
        #expect(text.contains("Level 2, 10 Quay St, Sydney NSW 2000"))
        #expect(text.contains("Phone (02) 9555 0100 · hello@harbourphysio.example · harbourphysio.example"))
        #expect(text.contains("ABN 12 345 678 901"))
        #expect(text.split(separator: "\n").allSatisfy { displayWidth(of: String($0)) <= 80 })
        // Under the clinic's name, before the first rule of "=".
        let head = try #require(text.components(separatedBy: "\n====").first)
        #expect(head.contains("Harbour Physio & Podiatry") && head.contains("ABN 12 345 678 901"))

        let html = PlanHTMLRenderer.render(plan, context: ctx, audience: audience)
        #expect(html.contains("<address class=\"clinic-details\"><span>Level 2, 10 Quay St, Sydney NSW 2000</span>"))
        #expect(html.contains("<span>Phone (02) 9555 0100 · hello@harbourphysio.example · harbourphysio.example</span>"))
        #expect(html.contains("<span>ABN 12 345 678 901</span>"))
        #expect(html.contains("Harbour Physio &amp; Podiatry"))
    }

    @Test("a clinic with nothing set prints its name alone, as before")
    func noDetailsNoLetterheadLines() {
        let ctx = context(F.fullVisit, clinic: ClinicProfile(name: "Knot clinic"))
        let html = PlanHTMLRenderer.render(PlanBuilder.build(ctx), context: ctx, audience: .patient)
        #expect(!html.contains("clinic-details\">"))
        // No country and no time zone: no number is guessed.
        #expect(ctx.emergencyNumber == "your local emergency number")
    }

    @Test("with no country, the emergency number follows the country the clinic's time zone lies in; none for a zone that names no country",
          arguments: [("Australia/Sydney", "000"), ("Australia/Perth", "000"), ("Pacific/Auckland", "111"), ("Europe/London", "999"),
                      ("America/Chicago", "911"), ("America/Toronto", "911"), ("Europe/Dublin", "112"), ("Etc/UTC", nil),
                      ("America/Sao_Paulo", nil), ("Asia/Tokyo", nil)] as [(String, String?)])
    func emergencyNumberFromTheTimeZone(_ zone: String, _ number: String?) {
        let clinic = ClinicProfile(name: "Clinic", timeZone: zone)
        #expect(clinic.emergencyNumber == number)
        #expect(clinic.emergencyCall == number ?? "your local emergency number")
        #expect(clinic.countryFromTimeZone == (number == nil ? nil : ClinicProfile.country(timeZone: zone)))
        let ctx = context(F.visit(needling: [F.needling("pectoralis-minor", .left, depth: 8)]), clinic: clinic)
        let flag = PlanBuilder.build(ctx).items(PlanRule.redFlagPneumothorax).first?.text ?? ""
        #expect(flag.contains("call \(number ?? "your local emergency number") or go to an emergency department"), "\(flag)")
        #expect(!flag.contains("call 000") || number == "000", "another country's number: \(flag)")
    }

    @Test("a country or a number set outright wins over the time zone")
    func setCountryWinsOverTheTimeZone() {
        #expect(ClinicProfile(name: "Clinic", country: "GB", timeZone: "Australia/Sydney").emergencyNumber == "999")
        #expect(ClinicProfile(name: "Clinic", emergencyNumber: "112", timeZone: "Australia/Sydney").emergencyNumber == "112")
        #expect(ClinicProfile(name: "Clinic", country: "JP", timeZone: "Australia/Sydney").emergencyNumber == nil,
                "a country Knot has no number for is not replaced by the time zone's")
        #expect(ClinicProfile(name: "Clinic", country: "GB", timeZone: "Australia/Sydney").countryFromTimeZone == nil)
    }

    @Test("the letterhead's text is escaped in HTML")
    func letterheadEscaped() {
        var clinic = Self.clinic
        clinic.address = "<script>alert(1)</script> & Co"
        let ctx = context(F.fullVisit, clinic: clinic)
        let html = PlanHTMLRenderer.render(PlanBuilder.build(ctx), context: ctx, audience: .referrer)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"))
    }

    @Test("the red flags name the emergency number of the clinic's country",
          arguments: [("NZ", "111"), ("GB", "999"), ("US", "911"), ("IE", "112"), ("AU", "000")])
    func emergencyNumberByCountry(_ country: String, _ number: String) {
        var clinic = Self.clinic
        clinic = ClinicProfile(name: clinic.name, phone: clinic.phone, country: country)
        let ctx = context(F.visit(needling: [F.needling("pectoralis-minor", .left, depth: 8)]), clinic: clinic)
        let plan = PlanBuilder.build(ctx)
        let flag = plan.items(PlanRule.redFlagPneumothorax).first?.text ?? ""
        #expect(flag.contains("call \(number) "))
        let text = PlanTextRenderer.render(plan, context: ctx, audience: .patient).flattened
        #expect(text.contains("call \(number) or go"))
        if number != "000" { #expect(!text.contains("call 000")) }
    }

    @Test("an emergency number set outright wins over the country's")
    func emergencyNumberSetOutright() {
        let clinic = ClinicProfile(name: "Clinic", country: "GB", emergencyNumber: "112")
        #expect(clinic.emergencyNumber == "112")
        #expect(ClinicProfile(name: "Clinic", country: "GB").emergencyNumber == "999")
    }

    // 7 July 2026 is a Tuesday.
    @Test("a review that would fall on a closed day moves to the next open day")
    func reviewMovesOffClosedDay() {
        var clinic = Self.clinic
        clinic.openWeekdays = try! ClinicProfile.parseWeekdays("mon-fri", field: "open")
        let ctx = context(F.visit(now: 3), clinic: clinic)
        // Five days after Tuesday is Sunday: Monday 13 July instead.
        let decision = ReviewRules(acuteDays: 5, chronicDays: 5).decide(ctx)
        #expect(decision.date == F.date("2026-07-13"))
        #expect(decision.days == 6)
        let plan = PlanBuilder.build(ctx, rules: ReviewRules(acuteDays: 5, chronicDays: 5))
        #expect(plan.reviewDate == F.date("2026-07-13"))
        let text = PlanTextRenderer.render(plan, context: ctx, audience: .patient).flattened
        #expect(text.contains("Monday 13 July 2026 (in 6 days)"))
        #expect(!text.contains("Sunday"))
    }

    @Test("after a significant adverse event the review comes back to the open day before, not later")
    func adverseEventReviewComesForward() {
        var clinic = Self.clinic
        clinic.openWeekdays = try! ClinicProfile.parseWeekdays("mon-fri", field: "open")
        let event = AdverseEvent(kind: .bruising, severity: .significant, action: "ice")
        // Wednesday 8 July + 3 days is Saturday: Friday 10 July instead.
        let visit = F.visit(on: "2026-07-08", needling: [F.needling("soleus", .left, events: [event])])
        let decision = ReviewRules.standard.decide(context(visit, clinic: clinic))
        #expect(decision.date == F.date("2026-07-10"))
        // Saturday 11 July + 1 day (serious) is Sunday; Saturday is closed too: Monday.
        let serious = AdverseEvent(kind: .suspectedPneumothorax, severity: .serious, action: "sent to ED")
        let saturday = F.visit(on: "2026-07-11", needling: [F.needling("pectoralis-minor", .left, events: [serious])])
        #expect(ReviewRules.standard.decide(context(saturday, clinic: clinic)).date == F.date("2026-07-13"))
    }

    @Test("open days read as ranges and lists, and nonsense is refused naming the option")
    func parseOpenDays() throws {
        #expect(try ClinicProfile.parseWeekdays("mon-fri", field: "--open-days") == [1, 2, 3, 4, 5])
        #expect(try ClinicProfile.parseWeekdays("Sat-Mon, wed", field: "--open-days") == [6, 0, 1, 3])
        #expect(ClinicProfile.weekdaysText([1, 2, 3, 4, 5, 6]) == "mon,tue,wed,thu,fri,sat")
        #expect(throws: ValidationError.self) { try ClinicProfile.parseWeekdays("funday", field: "--open-days") }
        #expect(throws: ValidationError.self) { try ClinicProfile.parseWeekdays(" , ", field: "--open-days") }
    }

    @Test("settings that break a rule name the option, the value and the rule")
    func profileValidation() {
        let bad = ClinicProfile(name: "Clinic", phone: "call me", email: "nobody", website: "not a site", country: "Australia",
                                emergencyNumber: "9")
        let fields = Set(bad.validate().map(\.field))
        #expect(fields == ["--phone", "--email", "--website", "--country", "--emergency-number"])
        #expect(Self.clinic.validate().isEmpty)
    }
}
