import ClinicModel

/// Rules `biomech.*`: the correction planned for the biomechanical cause, one rule per
/// finding that calls for one.
///
/// Thresholds: FPI-6 total +6..+12 pronated (footwear and orthoses review), -5 or less
/// supinated (cushioning); weight-bearing lunge under 10 cm, or 1.5 cm or more between sides
/// (the real-change threshold between sides), calls for a calf program; first MTP dorsiflexion
/// under 50 degrees for big-toe mobility and footwear; a leg length difference of 10 mm or
/// more for a heel-raise assessment; each coded gait observation has its own advice. Texts are
/// written to read well to both the patient and the referrer.
enum BiomechanicsRules {
    static let pronatedFrom = 6
    static let supinatedAtMost = -5
    static let lungeBelowCm = 10.0
    static let lungeSideDifferenceCm = 1.5
    static let halluxBelowDegrees = 50.0
    static let legLengthFromMm = 10.0

    static func items(for visit: Visit) -> [FollowUpPlan.Item] {
        let findings = visit.biomechanics
        var items: [FollowUpPlan.Item] = []
        items += footPosture(findings)
        if let calf = calfProgram(findings) { items.append(calf) }
        if let hallux = halluxMobility(findings) { items.append(hallux) }
        if let leg = legLength(findings) { items.append(leg) }
        items += gait(findings)
        return items
    }

    // MARK: Foot posture

    static func footPosture(_ findings: [BiomechanicalFinding]) -> [FollowUpPlan.Item] {
        let feet: [(side: Side, fpi: FootPostureIndex)] = findings.compactMap {
            if case .footPostureIndex(let f) = $0.measure { return ($0.side, f) }
            return nil
        }
        func describe(_ feet: [(side: Side, fpi: FootPostureIndex)]) -> String {
            ClinicWording.list(feet.map { foot in
                let total = foot.fpi.total >= 0 ? "+\(foot.fpi.total)" : "\(foot.fpi.total)"
                return "\(total) (\(foot.fpi.category.rawValue))" + footWords(foot.side)
            })
        }
        var items: [FollowUpPlan.Item] = []
        let pronated = feet.filter { $0.fpi.total >= pronatedFrom }
        if !pronated.isEmpty {
            items.append(FollowUpPlan.Item(
                section: .biomechanics,
                text: "Foot posture: FPI-6 \(describe(pronated)). Footwear and orthoses review: supportive shoes with a firm heel counter and arch support; orthoses to be considered.",
                rule: PlanRule.footPosturePronated))
        }
        let supinated = feet.filter { $0.fpi.total <= supinatedAtMost }
        if !supinated.isEmpty {
            items.append(FollowUpPlan.Item(
                section: .biomechanics,
                text: "Foot posture: FPI-6 \(describe(supinated)). Cushioned footwear with a flexible forefoot; limit long periods on hard surfaces; shock-absorbing orthoses to be considered.",
                rule: PlanRule.footPostureSupinated))
        }
        return items
    }

    static func footWords(_ side: Side) -> String {
        switch side {
        case .left: " on the left foot"
        case .right: " on the right foot"
        case .bilateral: " on both feet"
        case .midline: ""
        }
    }

    // MARK: Ankle dorsiflexion (lunge)

    static func calfProgram(_ findings: [BiomechanicalFinding]) -> FollowUpPlan.Item? {
        var bySide: [Side: Double] = [:]
        for f in findings {
            guard case .lunge(let cm) = f.measure else { continue }
            if f.side == .bilateral {
                bySide[.left] = cm.value; bySide[.right] = cm.value
            } else {
                bySide[f.side] = cm.value
            }
        }
        guard !bySide.isEmpty else { return nil }
        var reasons: [String] = []
        let short = [Side.left, .right, .midline].filter { (bySide[$0] ?? .infinity) < lungeBelowCm }
        if !short.isEmpty {
            let sides = short.compactMap { $0 == .midline ? nil : $0.rawValue }
            let which = short.count == 1 && !sides.isEmpty ? " on the \(sides[0])" : ""
            reasons.append("under \(ClinicWording.number(lungeBelowCm)) cm\(which)")
        }
        if let l = bySide[.left], let r = bySide[.right], abs(l - r) >= lungeSideDifferenceCm - 1e-9 {
            reasons.append("a \(ClinicWording.number(abs(l - r))) cm difference between sides")
        }
        guard !reasons.isEmpty else { return nil }
        let measured = [Side.left, .right, .midline].compactMap { side -> String? in
            guard let v = bySide[side] else { return nil }
            let label = side == .midline ? "" : "\(side.rawValue) "
            return "\(label)\(ClinicWording.number(v)) cm"
        }.joined(separator: ", ")
        return FollowUpPlan.Item(
            section: .biomechanics,
            text: "Ankle bend (knee-to-wall lunge): \(measured) (\(reasons.joined(separator: "; "))). Calf program: calf stretches with the knee straight and with the knee bent, 3 x 30 seconds each, twice a day, and calf raises, building up to 3 x 15 once a day.",
            rule: PlanRule.calfProgram)
    }

    // MARK: First MTP

    static func halluxMobility(_ findings: [BiomechanicalFinding]) -> FollowUpPlan.Item? {
        let stiff: [String] = findings.compactMap { f in
            guard case .halluxDorsiflexion(let d) = f.measure, d.value < halluxBelowDegrees else { return nil }
            let side = ClinicWording.sideWord(f.side).map { " (\($0))" } ?? ""
            return "\(ClinicWording.number(d.value))°\(side)"
        }
        guard !stiff.isEmpty else { return nil }
        return FollowUpPlan.Item(
            section: .biomechanics,
            text: "Big toe joint (1st MTP) bends up only \(ClinicWording.list(stiff)), under the \(ClinicWording.number(halluxBelowDegrees))° needed for easy walking. Big-toe mobility exercises twice a day, and shoes with a stiff or rocker sole.",
            rule: PlanRule.halluxMobility)
    }

    // MARK: Leg length

    static func legLength(_ findings: [BiomechanicalFinding]) -> FollowUpPlan.Item? {
        let found = findings.compactMap { f -> (Side, Double)? in
            guard case .legLengthDifference(let mm) = f.measure, mm.value >= legLengthFromMm else { return nil }
            return (f.side, mm.value)
        }
        guard let (side, mm) = found.last else { return nil }
        let longer: String
        let raise: String
        switch side {
        case .left: longer = " (left leg longer)"; raise = " under the right heel"
        case .right: longer = " (right leg longer)"; raise = " under the left heel"
        default: longer = ""; raise = " on the shorter side"
        }
        return FollowUpPlan.Item(
            section: .biomechanics,
            text: "Leg length difference of \(ClinicWording.number(mm)) mm\(longer). Assessment for a heel raise\(raise).",
            rule: PlanRule.legLength)
    }

    // MARK: Gait

    static func gait(_ findings: [BiomechanicalFinding]) -> [FollowUpPlan.Item] {
        var sides: [GaitObservation: Set<Side>] = [:]
        for f in findings {
            guard case .gait(let observations) = f.measure else { continue }
            for o in observations { sides[o, default: []].insert(f.side) }
        }
        return GaitObservation.allCases.compactMap { o in
            guard let s = sides[o] else { return nil }
            let side: String
            if s.count == 1, let only = s.first, let word = ClinicWording.sideWord(only) { side = " (\(word))" } else { side = "" }
            return FollowUpPlan.Item(section: .biomechanics, text: gaitAdvice(o, side: side), rule: PlanRule.gait(o.rawValue))
        }
    }

    static func gaitAdvice(_ o: GaitObservation, side: String) -> String {
        switch o {
        case .antalgic:
            "Walking favours the painful leg\(side): shorter, comfortable steps and shorter walks until the review; build up as pain allows."
        case .overpronation:
            "Feet roll in when walking\(side): supportive footwear with a firm heel counter; orthoses to be considered."
        case .supination:
            "Feet roll out when walking\(side): cushioned, flexible footwear."
        case .earlyHeelRise:
            "Heel lifts early when walking\(side), usually from tight calves: calf stretches with the knee straight and bent."
        case .abductoryTwist:
            "Heel twists inwards as it lifts\(side): footwear and orthoses review."
        case .reducedArmSwing:
            "Reduced arm swing\(side): let the arms swing freely when walking, shoulders relaxed."
        case .trendelenburg:
            "Hip drops when standing on one leg\(side): hip strengthening (gluteus medius), progressed at each review."
        case .circumduction:
            "Leg swings out when walking\(side): hip, knee and ankle range to be assessed further."
        case .toeWalking:
            "Walking on the toes\(side): calf length and heel contact to be worked on."
        case .footDrop:
            "Foot drop\(side): needs a medical assessment of the nerve supply; see your GP soon if it is new or getting worse."
        case .reducedHalluxExtension:
            "Big toe does not bend enough as you push off\(side): big-toe mobility exercises and stiff or rocker-soled shoes."
        case .wideBase:
            "Walking with a wide base\(side): balance to be assessed and trained."
        }
    }
}
