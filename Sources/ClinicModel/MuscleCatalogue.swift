import Foundation

/// The muscles Knot knows, with a fast lookup by id and the fuzzy search behind the muscle picker.
///
/// A fixed list in code rather than data in the database: ids are stored in records, so the list
/// ships with the program, is reviewed like code, and only ever grows.
///
/// `overLungFields` policy: true when a needle aimed at the muscle's usual trigger point can
/// reach the pleura, that is muscles lying on the rib cage or intercostal spaces (pectorals,
/// serratus, intercostals, rhomboids, middle and lower trapezius, latissimus dorsi, thoracic
/// paraspinals, quadratus lumborum near T12, diaphragm) and those over the lung apex (upper
/// trapezius, levator scapulae near the superior angle, scalenes, subclavius). Subscapularis is
/// true: it lies between the scapula and the chest wall, reached from the axilla. False where
/// bone lies under the needle: infraspinatus on the scapula, and supraspinatus on the floor of the
/// supraspinous fossa (the apex lies just medial to the fossa, so a needle that leaves the
/// fossa medially is over the lung: the fossa is the landmark, not the muscle).
public enum MuscleCatalogue {
    /// Every muscle, sorted by region (head to foot) then name.
    public static let all: [Muscle] = entries.sorted {
        ($0.region.sortOrder, $0.name) < ($1.region.sortOrder, $1.name)
    }

    private static let byID: [String: Muscle] = Dictionary(
        all.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }
    )

    /// The muscle with this stable id, or nil if no such muscle exists.
    public static func muscle(id: String) -> Muscle? { byID[id] }

    /// Muscles for the picker, best first: exact id/name/alias match, then a word of the name or
    /// an alias starting with the query (each word of the query in turn: "tib ant"), then the
    /// query anywhere, then its letters in order ("gstrc" finds gastrocnemius; tighter matches
    /// first). Ties go by name. Case and accents are ignored. An empty query gives the first
    /// `limit` of `all`.
    public static func search(_ query: String, limit: Int = 10) -> [Muscle] {
        guard limit > 0 else { return [] }
        let normalisedQuery = MuscleSearchKey.normalise(query)
        guard !normalisedQuery.isEmpty else { return Array(all.prefix(limit)) }
        let query = MuscleSearchKey(normalisedQuery)
        let ranked = searchIndex.compactMap { entry -> (MuscleSearchKey.Match, Muscle)? in
            let best = entry.keys.compactMap { $0.match(query) }.min()
            return best.map { ($0, entry.muscle) }
        }
        return ranked
            .sorted { ($0.0, $0.1.name) < ($1.0, $1.1.name) }
            .prefix(limit)
            .map(\.1)
    }

    private static let searchIndex: [(muscle: Muscle, keys: [MuscleSearchKey])] = all.map { muscle in
        let texts = [muscle.id, muscle.name] + muscle.aliases
        return (muscle, texts.map { MuscleSearchKey(MuscleSearchKey.normalise($0)) })
    }

    // MARK: - The catalogue

    private static func entry(
        _ id: String, _ name: String, _ region: BodyRegion, _ view: BodyView, _ x: Double, _ y: Double,
        lung: Bool = false, paired: Bool = true, aka aliases: [String] = []
    ) -> Muscle {
        Muscle(
            id: id, name: name, region: region, paired: paired, overLungFields: lung,
            aliases: aliases, anchor: ChartAnchor(view: view, x: x, y: y)
        )
    }

    // Anchors are for the patient's left: front view x > 0.5, back view x < 0.5.
    private static let entries: [Muscle] = [
        // Head
        entry("temporalis", "Temporalis", .head, .front, 0.56, 0.04, aka: ["temporal", "jaw"]),
        entry("masseter", "Masseter", .head, .front, 0.545, 0.09, aka: ["jaw", "TMJ"]),
        entry("medial-pterygoid", "Medial pterygoid", .head, .front, 0.53, 0.095, aka: ["internal pterygoid", "jaw", "TMJ"]),
        entry("lateral-pterygoid", "Lateral pterygoid", .head, .front, 0.535, 0.08, aka: ["external pterygoid", "jaw", "TMJ"]),
        entry("frontalis", "Frontalis", .head, .front, 0.52, 0.025, aka: ["occipitofrontalis", "forehead"]),
        entry("occipitalis", "Occipitalis", .head, .back, 0.47, 0.06, aka: ["occipitofrontalis"]),
        entry("orbicularis-oculi", "Orbicularis oculi", .head, .front, 0.525, 0.05),
        entry("orbicularis-oris", "Orbicularis oris", .head, .front, 0.51, 0.1),
        entry("zygomaticus-major", "Zygomaticus major", .head, .front, 0.535, 0.075, aka: ["zygomatic"]),
        entry("buccinator", "Buccinator", .head, .front, 0.535, 0.09, aka: ["cheek"]),
        entry("corrugator-supercilii", "Corrugator supercilii", .head, .front, 0.515, 0.04, aka: ["corrugator"]),

        // Neck
        entry("sternocleidomastoid-sternal", "Sternocleidomastoid (sternal division)", .neck, .front, 0.525, 0.14, aka: ["SCM", "sternomastoid"]),
        entry("sternocleidomastoid-clavicular", "Sternocleidomastoid (clavicular division)", .neck, .front, 0.535, 0.13, aka: ["SCM", "cleidomastoid"]),
        entry("scalene-anterior", "Anterior scalene", .neck, .front, 0.54, 0.145, lung: true, aka: ["scalenus anterior", "scalenes"]),
        entry("scalene-middle", "Middle scalene", .neck, .front, 0.55, 0.14, lung: true, aka: ["scalenus medius", "scalenes"]),
        entry("scalene-posterior", "Posterior scalene", .neck, .front, 0.56, 0.15, lung: true, aka: ["scalenus posterior", "scalenes"]),
        entry("splenius-capitis", "Splenius capitis", .neck, .back, 0.47, 0.12),
        entry("splenius-cervicis", "Splenius cervicis", .neck, .back, 0.465, 0.145),
        entry("semispinalis-capitis", "Semispinalis capitis", .neck, .back, 0.485, 0.11, aka: ["cervical paraspinals"]),
        entry("semispinalis-cervicis", "Semispinalis cervicis", .neck, .back, 0.485, 0.135, aka: ["cervical paraspinals"]),
        entry("longissimus-capitis", "Longissimus capitis", .neck, .back, 0.475, 0.115),
        entry("multifidus-cervical", "Multifidus (cervical)", .neck, .back, 0.49, 0.14, aka: ["cervical multifidus", "cervical paraspinals"]),
        entry("rectus-capitis-posterior-major", "Rectus capitis posterior major", .neck, .back, 0.49, 0.095, aka: ["suboccipitals", "RCPMaj"]),
        entry("rectus-capitis-posterior-minor", "Rectus capitis posterior minor", .neck, .back, 0.495, 0.09, aka: ["suboccipitals", "RCPMin"]),
        entry("obliquus-capitis-superior", "Obliquus capitis superior", .neck, .back, 0.475, 0.09, aka: ["suboccipitals"]),
        entry("obliquus-capitis-inferior", "Obliquus capitis inferior", .neck, .back, 0.48, 0.1, aka: ["suboccipitals"]),
        entry("longus-colli", "Longus colli", .neck, .front, 0.51, 0.14, aka: ["deep neck flexors"]),
        entry("longus-capitis", "Longus capitis", .neck, .front, 0.51, 0.12, aka: ["deep neck flexors"]),
        entry("digastric", "Digastric", .neck, .front, 0.525, 0.11, aka: ["digastricus"]),
        entry("mylohyoid", "Mylohyoid", .neck, .front, 0.51, 0.115),
        entry("platysma", "Platysma", .neck, .front, 0.54, 0.155),
        entry("omohyoid", "Omohyoid", .neck, .front, 0.545, 0.15),
        entry("levator-scapulae", "Levator scapulae", .neck, .back, 0.44, 0.155, lung: true, aka: ["lev scap"]),
        entry("upper-trapezius", "Trapezius (upper fibres)", .neck, .back, 0.41, 0.165, lung: true, aka: ["upper trap", "upper trapezius", "trapezius", "traps"]),

        // Shoulder
        entry("deltoid-anterior", "Deltoid (anterior)", .shoulder, .front, 0.73, 0.2, aka: ["anterior deltoid", "deltoid"]),
        entry("deltoid-middle", "Deltoid (middle)", .shoulder, .front, 0.765, 0.21, aka: ["middle deltoid", "deltoid"]),
        entry("deltoid-posterior", "Deltoid (posterior)", .shoulder, .back, 0.26, 0.2, aka: ["posterior deltoid", "deltoid"]),
        // False: needled onto the floor of the supraspinous fossa (see the policy above).
        entry("supraspinatus", "Supraspinatus", .shoulder, .back, 0.36, 0.18, aka: ["rotator cuff"]),
        entry("infraspinatus", "Infraspinatus", .shoulder, .back, 0.35, 0.23, aka: ["rotator cuff"]),
        entry("teres-minor", "Teres minor", .shoulder, .back, 0.31, 0.23, aka: ["rotator cuff"]),
        entry("teres-major", "Teres major", .shoulder, .back, 0.31, 0.26),
        entry("subscapularis", "Subscapularis", .shoulder, .front, 0.7, 0.25, lung: true, aka: ["subscap", "rotator cuff"]),

        // Upper arm
        entry("coracobrachialis", "Coracobrachialis", .upperArm, .front, 0.77, 0.25),
        entry("biceps-brachii", "Biceps brachii", .upperArm, .front, 0.79, 0.29, aka: ["biceps"]),
        entry("brachialis", "Brachialis", .upperArm, .front, 0.8, 0.33),
        entry("triceps-long-head", "Triceps brachii (long head)", .upperArm, .back, 0.22, 0.27, aka: ["triceps"]),
        entry("triceps-lateral-head", "Triceps brachii (lateral head)", .upperArm, .back, 0.2, 0.29, aka: ["triceps"]),
        entry("triceps-medial-head", "Triceps brachii (medial head)", .upperArm, .back, 0.22, 0.33, aka: ["triceps"]),

        // Forearm (front view: palm forward, radial side outward)
        entry("brachioradialis", "Brachioradialis", .forearm, .front, 0.85, 0.39),
        entry("extensor-carpi-radialis-longus", "Extensor carpi radialis longus", .forearm, .back, 0.165, 0.39, aka: ["ECRL", "wrist extensors"]),
        entry("extensor-carpi-radialis-brevis", "Extensor carpi radialis brevis", .forearm, .back, 0.17, 0.41, aka: ["ECRB", "wrist extensors"]),
        entry("extensor-carpi-ulnaris", "Extensor carpi ulnaris", .forearm, .back, 0.195, 0.42, aka: ["ECU", "wrist extensors"]),
        entry("extensor-digitorum", "Extensor digitorum", .forearm, .back, 0.18, 0.41, aka: ["EDC", "extensor digitorum communis", "finger extensors"]),
        entry("extensor-digiti-minimi", "Extensor digiti minimi", .forearm, .back, 0.185, 0.43, aka: ["EDM"]),
        entry("extensor-indicis", "Extensor indicis", .forearm, .back, 0.175, 0.46, aka: ["EIP"]),
        entry("supinator", "Supinator", .forearm, .back, 0.175, 0.385),
        entry("anconeus", "Anconeus", .forearm, .back, 0.2, 0.37),
        entry("abductor-pollicis-longus", "Abductor pollicis longus", .forearm, .back, 0.16, 0.45, aka: ["APL"]),
        entry("extensor-pollicis-longus", "Extensor pollicis longus", .forearm, .back, 0.165, 0.455, aka: ["EPL"]),
        entry("extensor-pollicis-brevis", "Extensor pollicis brevis", .forearm, .back, 0.16, 0.465, aka: ["EPB"]),
        entry("pronator-teres", "Pronator teres", .forearm, .front, 0.81, 0.39),
        entry("pronator-quadratus", "Pronator quadratus", .forearm, .front, 0.835, 0.47),
        entry("flexor-carpi-radialis", "Flexor carpi radialis", .forearm, .front, 0.83, 0.41, aka: ["FCR", "wrist flexors"]),
        entry("flexor-carpi-ulnaris", "Flexor carpi ulnaris", .forearm, .front, 0.81, 0.42, aka: ["FCU", "wrist flexors"]),
        entry("palmaris-longus", "Palmaris longus", .forearm, .front, 0.825, 0.405),
        entry("flexor-digitorum-superficialis", "Flexor digitorum superficialis", .forearm, .front, 0.825, 0.43, aka: ["FDS", "finger flexors"]),
        entry("flexor-digitorum-profundus", "Flexor digitorum profundus", .forearm, .front, 0.815, 0.44, aka: ["FDP", "finger flexors"]),
        entry("flexor-pollicis-longus", "Flexor pollicis longus", .forearm, .front, 0.84, 0.45, aka: ["FPL"]),

        // Hand
        entry("adductor-pollicis", "Adductor pollicis", .hand, .front, 0.86, 0.515, aka: ["thumb"]),
        entry("opponens-pollicis", "Opponens pollicis", .hand, .front, 0.87, 0.505, aka: ["thenar"]),
        entry("abductor-pollicis-brevis", "Abductor pollicis brevis", .hand, .front, 0.875, 0.5, aka: ["APB", "thenar"]),
        entry("flexor-pollicis-brevis", "Flexor pollicis brevis", .hand, .front, 0.87, 0.51, aka: ["FPB", "thenar"]),
        entry("dorsal-interossei-hand", "Dorsal interossei (hand)", .hand, .back, 0.135, 0.515, aka: ["first dorsal interosseous", "FDI", "interossei"]),
        entry("palmar-interossei", "Palmar interossei", .hand, .front, 0.855, 0.525, aka: ["interossei"]),
        entry("lumbricals-hand", "Lumbricals (hand)", .hand, .front, 0.855, 0.53, aka: ["lumbricals"]),
        entry("abductor-digiti-minimi-hand", "Abductor digiti minimi (hand)", .hand, .front, 0.84, 0.51, aka: ["ADM", "hypothenar"]),
        entry("opponens-digiti-minimi-hand", "Opponens digiti minimi (hand)", .hand, .front, 0.845, 0.505, aka: ["hypothenar"]),
        entry("flexor-digiti-minimi-brevis-hand", "Flexor digiti minimi brevis (hand)", .hand, .front, 0.845, 0.515, aka: ["hypothenar"]),

        // Chest
        entry("pectoralis-major-clavicular", "Pectoralis major (clavicular part)", .chest, .front, 0.6, 0.2, lung: true, aka: ["pec major", "pecs"]),
        entry("pectoralis-major-sternal", "Pectoralis major (sternal part)", .chest, .front, 0.6, 0.25, lung: true, aka: ["pec major", "pecs"]),
        entry("pectoralis-major-costal", "Pectoralis major (costal part)", .chest, .front, 0.63, 0.29, lung: true, aka: ["pec major", "pecs"]),
        entry("pectoralis-minor", "Pectoralis minor", .chest, .front, 0.64, 0.23, lung: true, aka: ["pec minor", "pecs"]),
        entry("subclavius", "Subclavius", .chest, .front, 0.58, 0.19, lung: true),
        entry("serratus-anterior", "Serratus anterior", .chest, .front, 0.69, 0.3, lung: true, aka: ["serratus"]),
        entry("intercostals", "Intercostals", .chest, .front, 0.65, 0.32, lung: true, aka: ["intercostal", "external intercostals", "internal intercostals"]),

        // Abdomen
        entry("rectus-abdominis", "Rectus abdominis", .abdomen, .front, 0.53, 0.4, aka: ["abs"]),
        entry("external-oblique", "External oblique", .abdomen, .front, 0.6, 0.4, aka: ["obliques"]),
        entry("internal-oblique", "Internal oblique", .abdomen, .front, 0.59, 0.43, aka: ["obliques"]),
        entry("transversus-abdominis", "Transversus abdominis", .abdomen, .front, 0.6, 0.42, aka: ["TrA", "transverse abdominis"]),
        entry("pyramidalis", "Pyramidalis", .abdomen, .front, 0.51, 0.47),
        // Midline, unpaired; true: it lines the pleural recesses.
        entry("diaphragm", "Diaphragm", .abdomen, .front, 0.5, 0.36, lung: true, paired: false),

        // Upper back
        entry("middle-trapezius", "Trapezius (middle fibres)", .upperBack, .back, 0.42, 0.2, lung: true, aka: ["middle trapezius", "mid trap", "trapezius", "traps"]),
        entry("lower-trapezius", "Trapezius (lower fibres)", .upperBack, .back, 0.43, 0.27, lung: true, aka: ["lower trapezius", "lower trap", "trapezius", "traps"]),
        entry("rhomboid-major", "Rhomboid major", .upperBack, .back, 0.44, 0.23, lung: true, aka: ["rhomboids"]),
        entry("rhomboid-minor", "Rhomboid minor", .upperBack, .back, 0.45, 0.2, lung: true, aka: ["rhomboids"]),
        entry("serratus-posterior-superior", "Serratus posterior superior", .upperBack, .back, 0.44, 0.21, lung: true, aka: ["SPS"]),
        entry("serratus-posterior-inferior", "Serratus posterior inferior", .upperBack, .back, 0.41, 0.36, lung: true, aka: ["SPI"]),
        entry("latissimus-dorsi", "Latissimus dorsi", .upperBack, .back, 0.35, 0.3, lung: true, aka: ["lats", "lat"]),
        entry("iliocostalis-thoracis", "Iliocostalis thoracis", .upperBack, .back, 0.44, 0.3, lung: true, aka: ["erector spinae", "paraspinals"]),
        entry("longissimus-thoracis", "Longissimus thoracis", .upperBack, .back, 0.465, 0.32, lung: true, aka: ["erector spinae", "paraspinals"]),
        entry("spinalis-thoracis", "Spinalis thoracis", .upperBack, .back, 0.49, 0.27, lung: true, aka: ["erector spinae", "paraspinals"]),
        entry("semispinalis-thoracis", "Semispinalis thoracis", .upperBack, .back, 0.485, 0.25, lung: true, aka: ["paraspinals"]),
        entry("multifidus-thoracic", "Multifidus (thoracic)", .upperBack, .back, 0.485, 0.29, lung: true, aka: ["thoracic multifidus", "paraspinals"]),
        entry("rotatores-thoracic", "Rotatores (thoracic)", .upperBack, .back, 0.49, 0.3, lung: true, aka: ["rotatores", "paraspinals"]),

        // Lower back
        // True: its upper fibres lie against the 12th rib, near the pleural reflection at T12.
        entry("quadratus-lumborum", "Quadratus lumborum", .lowerBack, .back, 0.44, 0.42, lung: true, aka: ["QL"]),
        entry("iliocostalis-lumborum", "Iliocostalis lumborum", .lowerBack, .back, 0.45, 0.42, aka: ["erector spinae", "paraspinals"]),
        entry("longissimus-lumbar", "Longissimus (lumbar part)", .lowerBack, .back, 0.47, 0.43, aka: ["longissimus thoracis pars lumborum", "erector spinae", "paraspinals"]),
        entry("multifidus-lumbar", "Multifidus (lumbar)", .lowerBack, .back, 0.485, 0.45, aka: ["lumbar multifidus", "paraspinals"]),
        entry("rotatores-lumbar", "Rotatores (lumbar)", .lowerBack, .back, 0.49, 0.44, aka: ["rotatores", "paraspinals"]),

        // Hip and pelvis
        entry("gluteus-maximus", "Gluteus maximus", .hipPelvis, .back, 0.43, 0.53, aka: ["glute max", "glutes"]),
        entry("gluteus-medius", "Gluteus medius", .hipPelvis, .back, 0.38, 0.49, aka: ["glute med", "glutes"]),
        entry("gluteus-minimus", "Gluteus minimus", .hipPelvis, .back, 0.37, 0.5, aka: ["glute min", "glutes"]),
        entry("piriformis", "Piriformis", .hipPelvis, .back, 0.42, 0.51, aka: ["deep hip rotators"]),
        entry("gemellus-superior", "Superior gemellus", .hipPelvis, .back, 0.4, 0.52, aka: ["gemelli", "deep hip rotators"]),
        entry("gemellus-inferior", "Inferior gemellus", .hipPelvis, .back, 0.4, 0.53, aka: ["gemelli", "deep hip rotators"]),
        entry("obturator-internus", "Obturator internus", .hipPelvis, .back, 0.41, 0.525, aka: ["deep hip rotators"]),
        entry("obturator-externus", "Obturator externus", .hipPelvis, .front, 0.57, 0.53, aka: ["deep hip rotators"]),
        entry("quadratus-femoris", "Quadratus femoris", .hipPelvis, .back, 0.4, 0.54, aka: ["deep hip rotators"]),
        entry("tensor-fasciae-latae", "Tensor fasciae latae", .hipPelvis, .front, 0.65, 0.5, aka: ["TFL"]),
        entry("iliacus", "Iliacus", .hipPelvis, .front, 0.6, 0.48, aka: ["iliopsoas", "hip flexors"]),
        entry("psoas-major", "Psoas major", .hipPelvis, .front, 0.55, 0.45, aka: ["psoas", "iliopsoas", "hip flexors"]),
        entry("levator-ani", "Levator ani", .hipPelvis, .back, 0.485, 0.535, aka: ["pelvic floor"]),
        entry("coccygeus", "Coccygeus", .hipPelvis, .back, 0.485, 0.52, aka: ["pelvic floor"]),

        // Thigh
        entry("rectus-femoris", "Rectus femoris", .thigh, .front, 0.6, 0.58, aka: ["rec fem", "quads", "quadriceps"]),
        entry("vastus-lateralis", "Vastus lateralis", .thigh, .front, 0.645, 0.62, aka: ["VL", "quads", "quadriceps"]),
        entry("vastus-medialis", "Vastus medialis", .thigh, .front, 0.57, 0.66, aka: ["VMO", "quads", "quadriceps"]),
        entry("vastus-intermedius", "Vastus intermedius", .thigh, .front, 0.605, 0.62, aka: ["quads", "quadriceps"]),
        entry("sartorius", "Sartorius", .thigh, .front, 0.58, 0.6),
        entry("gracilis", "Gracilis", .thigh, .front, 0.54, 0.62, aka: ["adductors"]),
        entry("adductor-longus", "Adductor longus", .thigh, .front, 0.55, 0.57, aka: ["adductors", "groin"]),
        entry("adductor-brevis", "Adductor brevis", .thigh, .front, 0.555, 0.56, aka: ["adductors", "groin"]),
        entry("adductor-magnus", "Adductor magnus", .thigh, .front, 0.545, 0.61, aka: ["adductors"]),
        entry("pectineus", "Pectineus", .thigh, .front, 0.565, 0.54, aka: ["groin"]),
        entry("biceps-femoris-long-head", "Biceps femoris (long head)", .thigh, .back, 0.38, 0.6, aka: ["hamstrings", "BF"]),
        entry("biceps-femoris-short-head", "Biceps femoris (short head)", .thigh, .back, 0.37, 0.66, aka: ["hamstrings", "BF"]),
        entry("semitendinosus", "Semitendinosus", .thigh, .back, 0.42, 0.61, aka: ["hamstrings"]),
        entry("semimembranosus", "Semimembranosus", .thigh, .back, 0.42, 0.64, aka: ["hamstrings"]),

        // Knee
        entry("popliteus", "Popliteus", .knee, .back, 0.4, 0.74),
        entry("articularis-genus", "Articularis genus", .knee, .front, 0.6, 0.69),

        // Lower leg (front: tibia at x ~0.59, lateral is larger x; back: medial is larger x)
        entry("gastrocnemius-medial", "Gastrocnemius (medial head)", .lowerLeg, .back, 0.42, 0.77, aka: ["gastroc", "calf", "medial gastroc"]),
        entry("gastrocnemius-lateral", "Gastrocnemius (lateral head)", .lowerLeg, .back, 0.38, 0.775, aka: ["gastroc", "calf", "lateral gastroc"]),
        entry("soleus", "Soleus", .lowerLeg, .back, 0.4, 0.85, aka: ["calf"]),
        entry("plantaris", "Plantaris", .lowerLeg, .back, 0.395, 0.75),
        entry("tibialis-anterior", "Tibialis anterior", .lowerLeg, .front, 0.605, 0.79, aka: ["tib ant", "TA"]),
        entry("tibialis-posterior", "Tibialis posterior", .lowerLeg, .back, 0.4, 0.82, aka: ["tib post", "TP"]),
        entry("peroneus-longus", "Peroneus longus", .lowerLeg, .front, 0.62, 0.78, aka: ["fibularis longus", "peroneals", "PL"]),
        entry("peroneus-brevis", "Peroneus brevis", .lowerLeg, .front, 0.62, 0.86, aka: ["fibularis brevis", "peroneals", "PB"]),
        entry("peroneus-tertius", "Peroneus tertius", .lowerLeg, .front, 0.61, 0.9, aka: ["fibularis tertius", "peroneals"]),
        entry("extensor-digitorum-longus", "Extensor digitorum longus", .lowerLeg, .front, 0.615, 0.8, aka: ["EDL", "toe extensors"]),
        entry("extensor-hallucis-longus", "Extensor hallucis longus", .lowerLeg, .front, 0.605, 0.87, aka: ["EHL"]),
        entry("flexor-digitorum-longus", "Flexor digitorum longus", .lowerLeg, .back, 0.415, 0.84, aka: ["FDL", "toe flexors"]),
        entry("flexor-hallucis-longus", "Flexor hallucis longus", .lowerLeg, .back, 0.39, 0.86, aka: ["FHL"]),

        // Ankle and foot (dorsum on the front view; the sole on the back view, at y ~0.99)
        entry("extensor-digitorum-brevis", "Extensor digitorum brevis", .ankleFoot, .front, 0.62, 0.97, aka: ["EDB"]),
        entry("extensor-hallucis-brevis", "Extensor hallucis brevis", .ankleFoot, .front, 0.6, 0.975, aka: ["EHB"]),
        entry("dorsal-interossei-foot", "Dorsal interossei (foot)", .ankleFoot, .front, 0.61, 0.985, aka: ["interossei"]),
        entry("abductor-hallucis", "Abductor hallucis", .ankleFoot, .back, 0.42, 0.99, aka: ["AbdH", "arch"]),
        entry("flexor-digitorum-brevis", "Flexor digitorum brevis", .ankleFoot, .back, 0.4, 0.99, aka: ["FDB"]),
        entry("abductor-digiti-minimi-foot", "Abductor digiti minimi (foot)", .ankleFoot, .back, 0.38, 0.99, aka: ["ADM", "abductor digiti quinti"]),
        entry("quadratus-plantae", "Quadratus plantae", .ankleFoot, .back, 0.4, 0.985, aka: ["flexor accessorius", "QP"]),
        entry("flexor-hallucis-brevis", "Flexor hallucis brevis", .ankleFoot, .back, 0.415, 0.995, aka: ["FHB"]),
        entry("adductor-hallucis-oblique", "Adductor hallucis (oblique head)", .ankleFoot, .back, 0.405, 0.993, aka: ["adductor hallucis"]),
        entry("adductor-hallucis-transverse", "Adductor hallucis (transverse head)", .ankleFoot, .back, 0.4, 0.997, aka: ["adductor hallucis"]),
        entry("plantar-interossei", "Plantar interossei", .ankleFoot, .back, 0.4, 0.995, aka: ["interossei"]),
        entry("lumbricals-foot", "Lumbricals (foot)", .ankleFoot, .back, 0.395, 0.995, aka: ["lumbricals"]),
        entry("flexor-digiti-minimi-brevis-foot", "Flexor digiti minimi brevis (foot)", .ankleFoot, .back, 0.385, 0.995, aka: ["flexor digiti quinti brevis"]),
    ]
}

/// One searchable text of a muscle (id, name or alias), normalised once, and how a query matches it.
struct MuscleSearchKey: Sendable {
    /// How well a query matched, best first: tier, then (letters in order only) whether the
    /// first letter starts a word ("gstrc": gastrocnemius before digastric), then the span.
    struct Match: Comparable {
        enum Tier: Int { case exact, wordPrefix, substring, subsequence }
        let tier: Tier
        var midWord = false
        var span = 0
        static func < (lhs: Match, rhs: Match) -> Bool {
            (lhs.tier.rawValue, lhs.midWord ? 1 : 0, lhs.span) < (rhs.tier.rawValue, rhs.midWord ? 1 : 0, rhs.span)
        }
    }

    let text: String
    let words: [Substring]
    /// The text without spaces, and which of its positions start a word.
    let letters: [Character]
    let wordStarts: Set<Int>

    init(_ normalised: String) {
        text = normalised
        words = normalised.split(separator: " ")
        letters = words.flatMap { $0 }
        var starts = Set<Int>()
        var offset = 0
        for word in words {
            starts.insert(offset)
            offset += word.count
        }
        wordStarts = starts
    }

    /// Lowercase, no accents, punctuation to single spaces: "Éxtensor (hand)" -> "extensor hand".
    static func normalise(_ raw: String) -> String {
        let folded = raw.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        return folded.unicodeScalars
            .map { CharacterSet.alphanumerics.contains($0) ? String($0) : " " }
            .joined()
            .split(separator: " ")
            .joined(separator: " ")
    }

    func match(_ query: MuscleSearchKey) -> Match? {
        if text == query.text { return Match(tier: .exact) }
        if wordsStart(with: query.words) { return Match(tier: .wordPrefix) }
        if text.contains(query.text) { return Match(tier: .substring) }
        return subsequenceMatch(of: query.letters)
    }

    /// Each query word begins a word of this text, in order ("tib ant" -> "tibialis anterior").
    private func wordsStart(with queryWords: [Substring]) -> Bool {
        var next = words.startIndex
        for queryWord in queryWords {
            guard let found = words[next...].firstIndex(where: { $0.hasPrefix(queryWord) }) else { return false }
            next = found + 1
        }
        return true
    }

    /// The best stretch of letters that holds the query's letters in order, or nil.
    private func subsequenceMatch(of query: [Character]) -> Match? {
        guard let first = query.first else { return nil }
        var best: Match?
        for start in letters.indices where letters[start] == first {
            var position = start
            var matched = true
            for character in query.dropFirst() {
                guard let found = letters[(position + 1)...].firstIndex(of: character) else { matched = false; break }
                position = found
            }
            guard matched else { break }
            let candidate = Match(tier: .subsequence, midWord: !wordStarts.contains(start), span: position - start + 1)
            if best.map({ candidate < $0 }) ?? true { best = candidate }
        }
        return best
    }
}
