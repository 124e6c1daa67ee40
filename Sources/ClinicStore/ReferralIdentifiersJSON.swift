import ClinicModel

extension ReferralColumnsJSON {
    /// The letter's identifiers (`referral.letter_identifiers_json`) as JSONEncoder with sorted
    /// keys wrote them: `[{"system":"medicare","value":"2900..."}]`, the system by its raw value,
    /// strings escaped as `string(_:into:)` escapes them. Written directly: the encoder was a
    /// third of the cost of inserting a referral filed from a letter (issue 19).
    static func identifiers(_ identifiers: [PatientIdentifier]) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(identifiers.reduce(2) { $0 + 24 + $1.system.rawValue.utf8.count + $1.value.utf8.count })
        for (i, ident) in identifiers.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"system":"#.utf8)
            string(ident.system.rawValue, into: &out)
            out.append(contentsOf: #","value":"#.utf8)
            string(ident.value, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }
}
