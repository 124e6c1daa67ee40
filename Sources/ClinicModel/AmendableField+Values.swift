import Foundation

/// Reading and setting an amendable field's value as text, with the rules that apply when the
/// field is recorded (so an amendment is checked like the note it corrects).
extension AmendableField {
    /// The field's value in `v`, as text ("" when not recorded or when the entry is missing).
    public func currentValue(in v: Visit) -> String {
        guard exists(in: v) else { return "" }
        let i = index - (entry?.firstNumber(in: v) ?? 1)
        switch entry {
        case nil:
            switch attribute {
            case "complaint": return v.complaint ?? ""
            case "notes": return v.notes ?? ""
            case "pain.now": return v.pain.now.map { String($0.value) } ?? ""
            case "pain.best": return v.pain.best.map { String($0.value) } ?? ""
            case "pain.worst": return v.pain.worst.map { String($0.value) } ?? ""
            case "likely-cause-notes": return v.likelyCauseNotes ?? ""
            case "impression": return v.impression?.text ?? ""
            case "impression-code":
                guard let i = v.impression, let code = i.code, let system = i.codeSystem else { return "" }
                return "\(system.rawValue):\(code)"
            default: return ""
            }
        case .triggerPoint?:
            let t = v.triggerPoints[i]
            switch attribute {
            case "muscle": return t.muscleID
            case "side": return t.side.rawValue
            case "location": return t.location ?? ""
            case "activity": return t.activity.rawValue
            case "taut-band": return Self.yesNo(t.tautBand)
            case "twitch": return Self.yesNo(t.localTwitchResponse)
            case "referred-pain": return Self.yesNo(t.referredPainReproduced)
            case "tenderness": return t.tenderness.map { String($0.value) } ?? ""
            case "causes": return t.likelyCauses.map(\.rawValue).joined(separator: ", ")
            case "notes": return t.notes ?? ""
            default: return ""
            }
        case .finding?:
            let f = v.biomechanics[i]
            switch attribute {
            case "value": return Self.measureValue(f.measure)
            case "side": return f.side.rawValue
            case "notes": return f.notes ?? ""
            default: return ""
            }
        case .treatment?:
            let t = v.treatments[i]
            switch attribute {
            case "kind": return t.kind.rawValue
            case "muscle": return t.muscleID ?? ""
            case "side": return t.side?.rawValue ?? ""
            case "hold": return t.holdTime.map { String($0.value) } ?? ""
            case "cycles": return t.cycles.map(String.init) ?? ""
            case "notes": return t.notes ?? ""
            default: return ""
            }
        case .needle?:
            let e = v.needling[i]
            switch attribute {
            case "muscle": return e.muscleID
            case "side": return e.side.rawValue
            case "trigger-point": return e.triggerPoint ?? ""
            case "brand": return e.needle.brand
            case "size": return String(format: "%.2f", e.needle.gaugeMm) + "x" + BiomechanicalMeasure.number(e.needle.lengthMm)
            case "lot": return e.needle.lot
            case "inserted": return String(e.needlesInserted)
            case "removed": return String(e.needlesRemoved)
            case "technique":
                if case .electricalStimulation(let s) = e.technique { return "electrical: \(s)" }
                return e.technique.code
            case "depth": return e.depth.map { BiomechanicalMeasure.number($0.value) } ?? ""
            case "time": return e.timeInSitu.map { String($0.value) } ?? ""
            case "twitches": return String(e.twitchResponses)
            case "response": return e.patientResponse ?? ""
            case "sharps": return Self.yesNo(e.sharpsDisposed)
            default: return ""
            }
        }
    }

    /// The value of the field named `field` in `v`; "" for a name not in the list.
    public static func currentValue(of field: String, in v: Visit) -> String {
        AmendableField(rawValue: field)?.currentValue(in: v) ?? ""
    }

    /// Sets the field to `text` in `v`, parsed and checked with the rules that apply when it is
    /// recorded (ranges, lists, the entry's own rules). Blank clears an optional field.
    ///
    /// Errors name this field (`needle.2.depth`), the value and the rule. Several fields changed
    /// together go through `set(_:in:)` on the list, so that the order they are given in does not matter.
    public func set(_ text: String, in v: inout Visit) throws(ValidationErrors) {
        try assign(text, in: &v)
        try Self.checkRecords(of: [(self, text)], in: v)
    }

    /// Sets several fields together, as one amendment does: every value is parsed and put in
    /// first, in the order given, then each record they touch (the note, an entry) is checked
    /// once with its rules. The result does not depend on the order: moving a needle onto a
    /// muscle over the lung fields and giving its depth is accepted either way round (checked
    /// field by field, the muscle went in without a depth and was refused for it, or not,
    /// depending on which came first). Blank clears an optional field.
    ///
    /// - Throws: `ValidationErrors` naming each field (`needle.2.depth`) that breaks a rule,
    ///   every value that does not parse first; `v` is then left part-way and should be dropped.
    public static func set(_ changes: [(field: AmendableField, text: String)], in v: inout Visit) throws(ValidationErrors) {
        var problems: [ValidationError] = []
        for change in changes {
            do { try change.field.assign(change.text, in: &v) } catch { problems += error.errors }
        }
        if !problems.isEmpty { throw ValidationErrors(problems) }
        try checkRecords(of: changes, in: v)
    }

    /// Runs the rules of each record (the note's header, an entry) the changed fields belong to,
    /// once per record, naming the entry in each error and quoting the value as typed (the last
    /// value given for a field). The second half of `set(_:in:)`, for a caller that puts the
    /// values in itself with `assign(_:in:)` (to note each one's value before and after).
    public static func checkRecords(of changes: [(field: AmendableField, text: String)], in v: Visit) throws(ValidationErrors) {
        var checked = Set<String>()
        var problems: [ValidationError] = []
        var typedByName: [String: String] = [:]
        for change in changes { typedByName[change.field.rawValue] = change.text.trimmingCharacters(in: .whitespaces) }
        for field in changes.map(\.field) where field.exists(in: v) && checked.insert("\(field.entry?.rawValue ?? "note").\(field.index)").inserted {
            do { try field.checkRecord(in: v, typed: typedByName) } catch { problems += error.errors }
        }
        if !problems.isEmpty { throw ValidationErrors(problems) }
    }

    /// The rules of the record this field belongs to: the note's header, or its entry's own.
    private func checkRecord(in v: Visit, typed: [String: String]) throws(ValidationErrors) {
        let prefix = rawValue.split(separator: ".").prefix(2).joined(separator: ".")
        let i = index - (entry?.firstNumber(in: v) ?? 1)
        switch entry {
        case nil: try v.validateHeader()
        case .triggerPoint?: try Self.nested(prefix, typed: typed) { () throws(ValidationErrors) in try v.triggerPoints[i].validate() }
        case .finding?: try Self.nested(prefix, typed: typed) { () throws(ValidationErrors) in try v.biomechanics[i].validate() }
        case .treatment?: try Self.nested(prefix, typed: typed) { () throws(ValidationErrors) in try v.treatments[i].validate() }
        case .needle?: try Self.nested(prefix, typed: typed) { () throws(ValidationErrors) in try v.needling[i].validate() }
        }
    }

    /// Parses `text` and puts it in the field, with the checks of the value itself (its form, its
    /// range) but not yet the rules of the record it belongs to (`checkRecords(of:in:)`, once every
    /// change is in). Blank clears an optional field.
    /// - Throws: `ValidationErrors` naming this field, the value and the rule.
    public func assign(_ text: String, in v: inout Visit) throws(ValidationErrors) {
        let name = rawValue
        guard exists(in: v) else {
            let numbers = entry?.numbers(in: v) ?? 0..<0
            let has = numbers.isEmpty ? "the visit has none"
                : numbers.count == 1 ? "the visit's only one is \(numbers.lowerBound)"
                : "the visit's are numbered \(numbers.lowerBound) to \(numbers.upperBound - 1)"
            throw ValidationErrors([ValidationError(field: name, value: text,
                rule: "names no \(entry?.label.lowercased() ?? "") entry: \(has), as knot visit show numbers them")])
        }
        let value = text.trimmingCharacters(in: .whitespaces)
        let blank = value.isEmpty
        let i = index - (entry?.firstNumber(in: v) ?? 1)
        do {
            switch entry {
            case nil:
                switch attribute {
                case "complaint": v.complaint = blank ? nil : text
                case "notes": v.notes = blank ? nil : text
                case "likely-cause-notes": v.likelyCauseNotes = blank ? nil : text
                case "impression":
                    v.impression = blank ? nil : ClinicalImpression(text: text, code: v.impression?.code, codeSystem: v.impression?.codeSystem)
                case "impression-code":
                    let coded = try ClinicalImpression.parseCode(value, field: name)
                    guard let current = v.impression else {
                        throw ValidationError(field: name, value: text, rule: "needs an impression to code (set impression first)")
                    }
                    v.impression = ClinicalImpression(text: current.text, code: coded?.code, codeSystem: coded?.system)
                case "pain.now": v.pain.now = try Self.optional(value) { v throws(ValidationError) in try NPRS(parsing: v, field: name) }
                case "pain.best": v.pain.best = try Self.optional(value) { v throws(ValidationError) in try NPRS(parsing: v, field: name) }
                case "pain.worst": v.pain.worst = try Self.optional(value) { v throws(ValidationError) in try NPRS(parsing: v, field: name) }
                default: break
                }
            case .triggerPoint?:
                var t = v.triggerPoints[i]
                switch attribute {
                case "muscle": t.muscleID = value
                case "side": t.side = try Side(parsing: value, field: name)
                case "location": t.location = blank ? nil : value
                case "activity":
                    guard let a = TriggerPointFinding.Activity(rawValue: value.lowercased()) else {
                        throw ValidationError.badValue(field: name, value: text, rule: "is not active or latent")
                    }
                    t.activity = a
                case "taut-band": t.tautBand = try Self.bool(value, field: name)
                case "twitch": t.localTwitchResponse = try Self.bool(value, field: name)
                case "referred-pain": t.referredPainReproduced = try Self.bool(value, field: name)
                case "tenderness": t.tenderness = try Self.optional(value) { v throws(ValidationError) in try NPRS(parsing: v, field: name) }
                case "causes":
                    t.likelyCauses = try value.split(separator: ",").map { part throws(ValidationError) in
                        let code = part.trimmingCharacters(in: .whitespaces).lowercased()
                        guard let c = LikelyCause(rawValue: code) else {
                            throw ValidationError.badValue(field: name, value: code, rule: "is not a likely cause (\(LikelyCause.allCases.map(\.rawValue).joined(separator: ", ")))")
                        }
                        return c
                    }
                case "notes": t.notes = blank ? nil : text
                default: break
                }
                v.triggerPoints[i] = t
            case .finding?:
                var f = v.biomechanics[i]
                switch attribute {
                case "value": f.measure = try Self.measure(f.measure, value, field: name)
                case "side": f.side = try Side(parsing: value, field: name)
                case "notes": f.notes = blank ? nil : text
                default: break
                }
                v.biomechanics[i] = f
            case .treatment?:
                var t = v.treatments[i]
                switch attribute {
                case "kind":
                    guard let k = Treatment.Kind(rawValue: value.lowercased()) else {
                        throw ValidationError.badValue(field: name, value: text, rule: "is not a treatment (\(Treatment.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    t.kind = k
                case "muscle": t.muscleID = blank ? nil : value
                case "side": t.side = try Self.optional(value) { v throws(ValidationError) in try Side(parsing: v, field: name) }
                case "hold": t.holdTime = try Self.optional(value) { v throws(ValidationError) in try Seconds(parsing: v, field: name) }
                case "cycles": t.cycles = try Self.optional(value) { v throws(ValidationError) in try Self.int(v, field: name) }
                case "notes": t.notes = blank ? nil : text
                default: break
                }
                v.treatments[i] = t
            case .needle?:
                var e = v.needling[i]
                switch attribute {
                case "muscle": e.muscleID = value
                case "side": e.side = try Side(parsing: value, field: name)
                case "trigger-point": e.triggerPoint = blank ? nil : value
                case "brand": e.needle.brand = value
                case "size":
                    do {
                        let size = try Needle.parseSize(value)
                        e.needle.gaugeMm = size.gauge; e.needle.lengthMm = size.length
                    } catch { throw ValidationError(field: name, value: text, rule: error.rule, kind: error.kind) }
                case "lot": e.needle.lot = value
                case "inserted": e.needlesInserted = try Self.int(value, field: name)
                case "removed": e.needlesRemoved = try Self.int(value, field: name)
                case "technique":
                    let parts = value.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    do {
                        e.technique = try NeedlingTechnique(code: parts.first ?? "", settings: parts.count > 1 ? parts[1] : nil)
                    } catch { throw ValidationError(field: name, value: text, rule: error.rule, kind: error.kind) }
                case "depth": e.depth = try Self.optional(value) { v throws(ValidationError) in try DepthMillimetres(parsing: v, field: name) }
                case "time": e.timeInSitu = try Self.optional(value) { v throws(ValidationError) in try Seconds(parsing: v, field: name) }
                case "twitches": e.twitchResponses = try Self.int(value, field: name)
                case "response": e.patientResponse = blank ? nil : text
                case "sharps": e.sharpsDisposed = try Self.bool(value, field: name)
                default: break
                }
                v.needling[i] = e
            }
        } catch let error as ValidationError {
            throw ValidationErrors([error])
        } catch let errors as ValidationErrors {
            throw errors
        } catch {
            throw ValidationErrors([ValidationError(field: name, value: text, rule: "\(error)")])
        }
    }

    // MARK: parsing helpers

    static func yesNo(_ b: Bool) -> String { b ? "yes" : "no" }

    static func bool(_ text: String, field: String) throws(ValidationError) -> Bool {
        switch text.lowercased() {
        case "yes", "y", "true", "1": return true
        case "no", "n", "false", "0": return false
        default: throw ValidationError.badValue(field: field, value: text, rule: "is not yes or no")
        }
    }

    static func int(_ text: String, field: String) throws(ValidationError) -> Int {
        guard let n = Int(text) else { throw ValidationError.badValue(field: field, value: text, rule: "is not a whole number") }
        return n
    }

    static func optional<T>(_ text: String, _ parse: (String) throws(ValidationError) -> T) throws(ValidationError) -> T? {
        text.isEmpty ? nil : try parse(text)
    }

    /// Runs an entry's own rules, naming the entry (`needle.1.depth`, `prefix` being `needle.1`) in
    /// each error; a rule about an amended field quotes the value as typed (`typed`, by field name).
    static func nested(_ prefix: String, typed: [String: String], _ body: () throws(ValidationErrors) -> Void) throws(ValidationErrors) {
        do { try body() } catch {
            throw ValidationErrors(error.errors.map {
                var e = $0.nested(under: prefix)
                if let value = typed[e.field], !e.value.isEmpty { e.value = value }
                return e
            })
        }
    }

    /// A finding's measure as text: its number in its unit, a gait list, FPI-6 items.
    static func measureValue(_ m: BiomechanicalMeasure) -> String {
        switch m {
        case .footPostureIndex(let f): f.items.map { String($0.value) }.joined(separator: ",")
        case .lunge(let l): BiomechanicalMeasure.number(l.value)
        case .legLengthDifference(let d): BiomechanicalMeasure.number(d.value)
        case .halluxDorsiflexion(let d): BiomechanicalMeasure.number(d.value)
        case .gait(let g): g.map(\.rawValue).joined(separator: ", ")
        case .strength(_, let g): String(g.value)
        case .jointRange(_, _, let d): BiomechanicalMeasure.number(d.value)
        case .posture: ""
        case .measure(_, let v, _): BiomechanicalMeasure.number(v)
        }
    }

    /// The same kind of measure with a new value parsed from `text`.
    static func measure(_ m: BiomechanicalMeasure, _ text: String, field: String) throws(ValidationError) -> BiomechanicalMeasure {
        switch m {
        case .footPostureIndex:
            let items = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard items.count == 6, items.allSatisfy({ $0 != nil }) else {
                throw ValidationError.badValue(field: field, value: text, rule: "is not six FPI-6 item scores like 2,1,0,1,2,1")
            }
            do { return .footPostureIndex(try FootPostureIndex(items: items.map { $0! }, field: field)) } catch {
                throw error.errors.first ?? ValidationError(field: field, value: text, rule: "is not a Foot Posture Index")
            }
        case .lunge: return .lunge(try LungeCentimetres(parsing: text, field: field))
        case .legLengthDifference: return .legLengthDifference(try LegLengthMillimetres(parsing: text, field: field))
        case .halluxDorsiflexion: return .halluxDorsiflexion(try Degrees(parsing: text, field: field))
        case .gait:
            return .gait(try text.split(separator: ",").map { part throws(ValidationError) in
                let code = part.trimmingCharacters(in: .whitespaces).lowercased()
                guard let g = GaitObservation(rawValue: code) else {
                    throw ValidationError.badValue(field: field, value: code, rule: "is not a gait observation (\(GaitObservation.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                return g
            })
        case .strength(let movement, _): return .strength(movement: movement, grade: try StrengthGrade(parsing: text, field: field))
        case .jointRange(let j, let mv, _): return .jointRange(joint: j, movement: mv, degrees: try Degrees(parsing: text, field: field))
        case .posture: throw ValidationError(field: field, value: text, rule: "a posture finding has no value: amend its notes")
        case .measure(let n, _, let u):
            guard let d = Double(text), d.isFinite else { throw ValidationError.badValue(field: field, value: text, rule: "is not a number") }
            return .measure(name: n, value: d, unit: u)
        }
    }
}
