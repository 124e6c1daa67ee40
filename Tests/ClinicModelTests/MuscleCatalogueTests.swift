import Testing
import ClinicModel

@Suite("Muscle catalogue")
struct MuscleCatalogueTests {
    let all = MuscleCatalogue.all

    @Test func coversTheWholeBodyWithDetailInTheLegAndFoot() {
        #expect(all.count >= 140)
        for region in BodyRegion.allCases {
            #expect(all.contains { $0.region == region }, "no muscle in \(region)")
        }
        #expect(all.filter { $0.region == .lowerLeg || $0.region == .ankleFoot }.count >= 25)
        let footAndLeg = [
            "gastrocnemius-medial", "gastrocnemius-lateral", "soleus", "tibialis-anterior", "tibialis-posterior",
            "peroneus-longus", "peroneus-brevis", "peroneus-tertius", "extensor-digitorum-longus",
            "flexor-digitorum-longus", "extensor-hallucis-longus", "flexor-hallucis-longus", "popliteus",
            "plantaris", "abductor-hallucis", "flexor-digitorum-brevis", "abductor-digiti-minimi-foot",
            "quadratus-plantae", "flexor-hallucis-brevis", "extensor-digitorum-brevis", "extensor-hallucis-brevis",
            "dorsal-interossei-foot", "plantar-interossei", "lumbricals-foot", "flexor-digiti-minimi-brevis-foot",
        ]
        for id in footAndLeg { #expect(MuscleCatalogue.muscle(id: id) != nil, "missing \(id)") }
    }

    @Test func idsAreUniqueSlugsAndNamesAreUnique() {
        #expect(Set(all.map(\.id)).count == all.count)
        #expect(Set(all.map(\.name)).count == all.count)
        let slug = /^[a-z0-9]+(-[a-z0-9]+)*$/
        for muscle in all { #expect(muscle.id.wholeMatch(of: slug) != nil, "bad id \(muscle.id)") }
    }

    @Test func sortedByRegionThenName() {
        let keys = all.map { (BodyRegion.allCases.firstIndex(of: $0.region)!, $0.name) }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func lungFieldMusclesCarryThePneumothoraxFlag() throws {
        let overLungs = [
            "intercostals", "rhomboid-major", "rhomboid-minor", "serratus-anterior", "serratus-posterior-superior",
            "serratus-posterior-inferior", "lower-trapezius", "middle-trapezius", "upper-trapezius",
            "scalene-anterior", "scalene-middle", "scalene-posterior", "pectoralis-major-clavicular",
            "pectoralis-major-sternal", "pectoralis-major-costal", "pectoralis-minor", "quadratus-lumborum",
            "iliocostalis-thoracis", "longissimus-thoracis", "subclavius", "levator-scapulae",
            "latissimus-dorsi", "multifidus-thoracic",
        ]
        for id in overLungs {
            let muscle = try #require(MuscleCatalogue.muscle(id: id), "missing \(id)")
            #expect(muscle.overLungFields, "\(id) should be over the lung fields")
        }
        let clear = [
            "gastrocnemius-medial", "gastrocnemius-lateral", "tibialis-anterior", "gluteus-medius",
            "infraspinatus", "supraspinatus", "masseter", "vastus-lateralis", "abductor-hallucis",
        ]
        for id in clear {
            let muscle = try #require(MuscleCatalogue.muscle(id: id), "missing \(id)")
            #expect(!muscle.overLungFields, "\(id) should not be over the lung fields")
        }
    }

    @Test func anchorsSitOnThePatientsLeftInsideTheFigure() {
        for muscle in all {
            let anchor = muscle.anchor
            #expect((0...1).contains(anchor.x) && (0...1).contains(anchor.y), "\(muscle.id) off the chart")
            if !muscle.paired {
                #expect(anchor.x == 0.5, "\(muscle.id) is midline")
            } else if anchor.view == .front {
                #expect(anchor.x > 0.5, "\(muscle.id): patient's left is the viewer's right on the front view")
            } else {
                #expect(anchor.x < 0.5, "\(muscle.id): patient's left is the viewer's left on the back view")
            }
        }
    }

    @Test func anchorsAreAtTheHeightOfTheirRegion() {
        let heights: [BodyRegion: ClosedRange<Double>] = [
            .head: 0...0.149, .neck: 0.08...0.2, .shoulder: 0.15...0.3, .upperArm: 0.18...0.38,
            .forearm: 0.34...0.5, .hand: 0.46...0.6, .chest: 0.17...0.4, .abdomen: 0.33...0.52,
            .upperBack: 0.15...0.42, .lowerBack: 0.36...0.52, .hipPelvis: 0.42...0.6, .thigh: 0.5...0.72,
            .knee: 0.66...0.78, .lowerLeg: 0.72...0.95, .ankleFoot: 0.851...1,
        ]
        for muscle in all {
            #expect(heights[muscle.region]!.contains(muscle.anchor.y), "\(muscle.id) at y \(muscle.anchor.y)")
            if [.upperArm, .forearm, .hand].contains(muscle.region) {
                #expect(abs(muscle.anchor.x - 0.5) > 0.25, "\(muscle.id): arms hang outside the shoulders")
            }
        }
        #expect(all.filter { $0.region == .ankleFoot && $0.anchor.view == .back }.allSatisfy { $0.anchor.y >= 0.98 })
    }

    @Test func rightSideIsTheMirrorImage() throws {
        let soleus = try #require(MuscleCatalogue.muscle(id: "soleus"))
        let right = soleus.anchor.position(forRightSide: true)
        let left = soleus.anchor.position(forRightSide: false)
        #expect(left == (x: soleus.anchor.x, y: soleus.anchor.y))
        #expect(abs(right.x - (1 - soleus.anchor.x)) < 1e-12 && right.y == soleus.anchor.y)
        #expect(right.x > 0.5) // back view: patient's right is the viewer's right
    }

    @Test func lookupByIDRoundTrips() {
        for muscle in all { #expect(MuscleCatalogue.muscle(id: muscle.id) == muscle) }
        #expect(MuscleCatalogue.muscle(id: "no-such-muscle") == nil)
    }

    @Test func searchRanksBothGastrocnemiusHeadsFirst() {
        let ids = MuscleCatalogue.search("gastroc").map(\.id)
        #expect(Set(ids.prefix(2)) == ["gastrocnemius-medial", "gastrocnemius-lateral"])
    }

    @Test func searchFindsClinicShorthand() {
        #expect(MuscleCatalogue.search("QL").first?.id == "quadratus-lumborum")
        #expect(MuscleCatalogue.search("ql").first?.id == "quadratus-lumborum")
        #expect(MuscleCatalogue.search("tib ant").first?.id == "tibialis-anterior")
        #expect(MuscleCatalogue.search("FHL").first?.id == "flexor-hallucis-longus")
        #expect(Set(MuscleCatalogue.search("SCM").prefix(2).map(\.id))
            == ["sternocleidomastoid-sternal", "sternocleidomastoid-clavicular"])
        #expect(Set(MuscleCatalogue.search("calf").prefix(3).map(\.id))
            == ["gastrocnemius-medial", "gastrocnemius-lateral", "soleus"])
    }

    @Test func searchRanksExactBeforePrefixBeforeSubstring() {
        // "soleus" is an exact name; "tibialis" is a word prefix of two names; "ceps" only a substring.
        #expect(MuscleCatalogue.search("Soleus").first?.id == "soleus")
        #expect(MuscleCatalogue.search("tibialis").map(\.id) == ["tibialis-anterior", "tibialis-posterior"])
        let containsCeps = Set(all.filter { ([$0.name] + $0.aliases).contains { $0.contains("ceps") } }.map(\.id))
        let ceps = MuscleCatalogue.search("ceps", limit: 50).map(\.id)
        #expect(containsCeps.count >= 7) // biceps brachii and femoris (2), triceps (3), "quadriceps"
        #expect(containsCeps.contains("rectus-femoris"))
        #expect(Set(ceps.prefix(containsCeps.count)) == containsCeps)
        // Ties within a tier go by name: Pectineus before the Pectoralis parts.
        let pec = MuscleCatalogue.search("pec", limit: 5).map(\.id)
        #expect(pec.first == "pectineus")
    }

    @Test func fuzzySearchFindsLettersInOrder() {
        let ids = MuscleCatalogue.search("gstrc").map(\.id)
        #expect(Set(ids.prefix(2)) == ["gastrocnemius-medial", "gastrocnemius-lateral"])
        #expect(ids.contains("digastric")) // its letters are there too, mid-word, so ranked after
        #expect(MuscleCatalogue.search("xqzv").isEmpty)
    }

    @Test func searchIgnoresCaseAndAccents() {
        let results = MuscleCatalogue.search("Éxtensor")
        #expect(results.count == 10)
        #expect(results.allSatisfy { $0.name.hasPrefix("Extensor") })
        #expect(MuscleCatalogue.search("PÍRIFORMIS").first?.id == "piriformis")
    }

    @Test func emptyQueryListsTheCatalogueInOrder() {
        #expect(MuscleCatalogue.search("").map(\.id) == all.prefix(10).map(\.id))
        #expect(MuscleCatalogue.search("   ", limit: 3).map(\.id) == all.prefix(3).map(\.id))
        #expect(MuscleCatalogue.search("gastroc", limit: 0).isEmpty)
        #expect(MuscleCatalogue.search("soleus", limit: 1).count == 1)
    }

    @Test func regionsHaveDisplayNames() {
        #expect(BodyRegion.ankleFoot.displayName == "Ankle and foot")
        #expect(Set(BodyRegion.allCases.map(\.displayName)).count == BodyRegion.allCases.count)
    }
}
