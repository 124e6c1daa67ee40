import Testing
import ClinicModel
import ClinicXML

/// Medication and allergy lists as referrers write them, and the needling alerts they propose.
@Suite struct ReferralAlertDetectorTests {
    @Test(arguments: [
        ("Warfarin 5 mg daily", Precaution.anticoagulant), ("COUMADIN 2mg", .anticoagulant), ("Marevan 1 mg", .anticoagulant),
        ("apixaban 2.5mg BD", .anticoagulant), ("Eliquis", .anticoagulant), ("XARELTO20mg mane", .anticoagulant),
        ("rivaroxaban", .anticoagulant), ("Pradaxa 150 mg bd", .anticoagulant), ("dabigatran etexilate", .anticoagulant),
        ("Edoxaban 60 mg", .anticoagulant), ("Clexane 40 mg subcut", .anticoagulant), ("enoxaparin", .anticoagulant),
        ("Heparin infusion", .anticoagulant), ("Fragmin (dalteparin) 5000 IU", .anticoagulant),
        ("Clopidogrel 75 mg", .antiplatelet), ("Plavix", .antiplatelet), ("Brilinta 90mg BD", .antiplatelet),
        ("ticagrelor", .antiplatelet), ("Prasugrel 10 mg", .antiplatelet), ("Aspirin 100 mg daily", .antiplatelet),
        ("Cartia 100mg", .antiplatelet), ("Astrix", .antiplatelet), ("dipyridamole/aspirin (Asasantin SR)", .antiplatelet),
        ("Acetylsalicylic acid 81 mg", .antiplatelet),
    ])
    func medicinesThatRaiseAPrecaution(_ medication: String, _ precaution: Precaution) {
        #expect(ReferralAlertDetector.precaution(forMedication: medication) == precaution)
        let alerts = ReferralAlertDetector.alerts(medications: [medication], allergies: [], source: "referral 2026-11-02")
        #expect(alerts.map(\.kind) == [.precaution(precaution)])
        #expect(alerts.first?.status == .proposed)
        #expect(alerts.first?.source == "referral 2026-11-02 (medications)")
        #expect(alerts.first?.text.contains(medication) == true)
    }

    @Test(arguments: ["Paracetamol 1 g qid", "Metoprolol 50 mg", "Atorvastatin", "Warfarinex (not a drug)", "Aspirinated", "",
                      "Casa Vitamin D"])
    func medicinesThatDoNot(_ medication: String) {
        #expect(ReferralAlertDetector.precaution(forMedication: medication) == nil)
        #expect(ReferralAlertDetector.alerts(medications: [medication], allergies: [], source: "r").isEmpty)
    }

    @Test func allergiesThatMatterForNeedling() {
        let metal = ["Nickel (rash)", "chromium", "COBALT", "Stainless steel", "metal jewellery"]
        for allergy in metal {
            #expect(ReferralAlertDetector.alerts(medications: [], allergies: [allergy], source: "r").map(\.kind) == [.precaution(.metalAllergy)], "\(allergy)")
        }
        let skin = ["Latex gloves", "Adhesive tape", "Chlorhexidine", "iodine", "Betadine", "alcohol swabs", "Elastoplast"]
        for allergy in skin {
            #expect(ReferralAlertDetector.alerts(medications: [], allergies: [allergy], source: "r").map(\.kind) == [.allergy], "\(allergy)")
        }
        for allergy in ["Penicillin", "Nil known", "Sulfonamides", "Peanuts"] {
            #expect(ReferralAlertDetector.alerts(medications: [], allergies: [allergy], source: "r").isEmpty, "\(allergy)")
        }
    }

    @Test func oneAlertPerKindListingEveryEntryInAFixedOrder() {
        let alerts = ReferralAlertDetector.alerts(
            medications: ["Aspirin 100mg", "Metformin", "Warfarin 3mg", "Clexane 40mg"],
            allergies: ["Latex", "Nickel", "Penicillin"], source: "referral 2026-11-02")
        #expect(alerts.map(\.kind) == [.precaution(.anticoagulant), .precaution(.antiplatelet), .precaution(.metalAllergy), .allergy])
        #expect(alerts[0].text == "Anticoagulant in referral: Warfarin 3mg; Clexane 40mg")
        #expect(alerts[2].source == "referral 2026-11-02 (allergies)")
        #expect(alerts.allSatisfy { $0.id == nil && $0.status == .proposed })
    }

    @Test func alertTextStaysWithinTheModelsLimit() {
        let many = (0..<200).map { "Warfarin \($0) mg as directed by the anticoagulation clinic" }
        let alert = ReferralAlertDetector.alerts(medications: many, allergies: [], source: "r")[0]
        #expect(alert.text.count <= 1000)
    }
}
