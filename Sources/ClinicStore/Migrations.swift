import Foundation
import GRDB

/// The schema, as named migrations that are frozen once shipped.
///
/// Invariants live here, in SQLite ("trust SQLite more than yourself"): NOT NULL, CHECK ranges,
/// foreign keys with RESTRICT on clinical rows, triggers that make signed visits immutable, the
/// audit trail append-only, and nothing clinical deletable.
enum ClinicMigrations {
    /// Knot's SQLite `application_id` ("KNOT").
    static let applicationID: Int32 = 0x4B4E_4F54

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-clinic") { db in try v1(db) }
        m.registerMigration("v2-patient-sort-name") { db in try v2(db) }
        m.registerMigration("v3-patient-id-sort-index") { db in try v3(db) }
        m.registerMigration("v4-form-drafts") { db in try v4(db) }
        m.registerMigration("v5-clinic-settings") { db in try clinicSettings(db) }
        m.registerMigration("v5-safety") { db in try safetyAndLateEntries(db) }
        m.registerMigration("v5-entry-strike") { db in try v5EntryStrike(db) }
        m.registerMigration("v5-patient-merge") { db in try patientMerge(db) }
        m.registerMigration("v5-accounts") { db in try accounts(db) }
        m.registerMigration("v5-referral-matching") { db in try referralMatching(db) }
        m.registerMigration("v5-alert-reason") { db in try alertReason(db) }
        m.registerMigration("v5-tamper-evidence") { db in try tamperEvidence(db) }
        m.registerMigration("v5-safety-strike") { db in try safetyStrike(db) }
        m.registerMigration("v5-outcomes") { db in try outcomes(db) }
        m.registerMigration("v5-letter-templates") { db in try letterTemplates(db) }
        m.registerMigration("v5-practitioner-registration") { db in try practitionerRegistration(db) }
        m.registerMigration("v5-origin") { db in try origin(db) }
        m.registerMigration("v5-fhir-referrals") { db in try fhirReferrals(db) }
        m.registerMigration("v5-treatment-kind") { db in try treatmentKindCheck(db) }
        m.registerMigration("v5-match-keys") { db in try matchKeys(db) }
        m.registerMigration("v5-keyed-seals") { db in try keyedSeals(db) }
        m.registerMigration("v5-signed-visit-guards") { db in try signedVisitGuards(db) }
        m.registerMigration("v5-search-prefix") { db in try searchPrefix(db) }
        m.registerMigration("v5-outcome-strike") { db in try outcomeStrike(db) }
        m.registerMigration("v5-patient-name-index") { db in try patientNameIndex(db) }
        m.registerMigration("v6-search-trigger-hold") { db in try searchTriggerHold(db) }
        m.registerMigration("v7-compact-seals") { db in try compactSeals(db) }
        m.registerMigration("v8-check-comparisons") { db in try checkComparisons(db) }
        m.registerMigration("v9-identifier-numbers") { db in try identifierNumbers(db) }
        return m
    }

    static var knownMigrations: [String] { migrator.migrations }

    /// Migrations that change only the schema's text, never a stored row, rowid or column: a
    /// clinic whose pending migrations are all of these opens without the verification before
    /// and the re-sealing of every row after (`ClinicDatabase.checkIdentityAndMigrate`), since a
    /// row seal covers table and column names and values, never a constraint's text. Without
    /// this, v8 cost the first open of a 10,000-patient clinic about 5 s of CPU for 28 ms of work.
    /// A migration that adds, drops or renames a column, or writes a row, is not one of these.
    static let schemaTextOnly: Set<String> = ["v8-check-comparisons", "v9-identifier-numbers"]

    /// The first migration alone, for tests that build a database as an older Knot left it.
    static func v1ForTests(_ db: Database) throws { try v1(db) }

    /// Lists sort by a folded name (accents and punctuation removed), which search indexes too.
    private static func v2(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE patient ADD COLUMN sort_name TEXT NOT NULL DEFAULT ''")
        let rows = try Row.fetchAll(db, sql: "SELECT id, family_name, given_names FROM patient")
        for r in rows {
            try db.execute(sql: "UPDATE patient SET sort_name = ? WHERE id = ?",
                           arguments: [v2SortName(family: r["family_name"], given: r["given_names"]), r["id"] as Int64])
        }
        try db.execute(sql: "CREATE INDEX patient_sort ON patient(sort_name, id, archived)")
        let values = """
            NEW.id, NEW.given_names || ' ' || NEW.family_name || ' ' || coalesce(NEW.preferred_name, '') || ' ' || NEW.sort_name,
            NEW.record_number,
            replace(replace(replace(replace(replace(coalesce(NEW.phone, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''),
            NEW.date_of_birth || ' ' || substr(NEW.date_of_birth, 9, 2) || substr(NEW.date_of_birth, 6, 2) || substr(NEW.date_of_birth, 1, 4)
            """
        try db.execute(sql: """
            DROP TRIGGER patient_fts_insert;
            DROP TRIGGER patient_fts_update;
            CREATE TRIGGER patient_fts_insert AFTER INSERT ON patient BEGIN
              INSERT INTO patient_fts(rowid, names, record_number, phone, dob) VALUES (\(values));
            END;
            CREATE TRIGGER patient_fts_update AFTER UPDATE ON patient BEGIN
              DELETE FROM patient_fts WHERE rowid = OLD.id;
              INSERT INTO patient_fts(rowid, names, record_number, phone, dob) VALUES (\(values));
            END;
            DELETE FROM patient_fts;
            INSERT INTO patient_fts(rowid, names, record_number, phone, dob) SELECT \(values.replacingOccurrences(of: "NEW.", with: "")) FROM patient;
            """)
    }

    /// The sort key as v2 computed it, frozen here so that the migration never changes with the
    /// application's name folding (`PersonNameKey`, which keeps the key current on every write):
    /// lower case, accents removed, only letters, digits and single spaces kept, family then given.
    private static func v2SortName(family: String, given: String) -> String {
        func fold(_ name: String) -> String {
            let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
            let kept = String(String.UnicodeScalarView(folded.unicodeScalars.filter {
                CharacterSet.alphanumerics.contains($0) || CharacterSet.whitespaces.contains($0)
            }))
            return kept.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        return fold(family) + " " + fold(given)
    }

    /// A narrow index from id to sort key, so a search whose matches cluster (a common family
    /// name) orders them without reading the wide patient rows (9.6 ms to 3.1 ms for "smith" at
    /// 100,000 patients).
    private static func v3(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX patient_id_sort ON patient(id, sort_name, archived)")
    }

    /// Half-typed forms (a needling entry, an amendment, a new patient...) kept as they are
    /// typed, one per form slot and actor, so a closed terminal or a killed process loses
    /// nothing. Not clinical records: deletable, not exported, and never audited. A visit's
    /// form drafts go when it is signed (they could no longer be saved).
    private static func v4(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE form_draft (
          slot TEXT NOT NULL CHECK (length(slot) BETWEEN 3 AND 64 AND slot GLOB '[a-z]*:[a-z0-9]*'),
          actor TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 64),
          kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 32),
          state TEXT NOT NULL CHECK (json_valid(state) AND length(state) <= 1000000),
          saved_at TEXT NOT NULL,
          PRIMARY KEY (slot, actor)
        ) WITHOUT ROWID;
        CREATE TRIGGER form_draft_visit_signed AFTER UPDATE OF status ON visit WHEN NEW.status = 'signed'
        BEGIN DELETE FROM form_draft WHERE slot = 'visit:' || NEW.id; END;
        """)
    }

    private static func v1(_ db: Database) throws {
        try db.execute(sql: "PRAGMA application_id = \(applicationID)")
        let sides = "'left','right','midline','bilateral'"
        try db.execute(sql: """
        CREATE TABLE practitioner (
          id INTEGER PRIMARY KEY,
          handle TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(handle) BETWEEN 1 AND 32),
          name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
          profession TEXT NOT NULL CHECK (profession IN ('physiotherapist','podiatrist','chiropractor','osteopath','myotherapist','other')),
          registration_number TEXT,
          role TEXT NOT NULL CHECK (role IN ('practitioner','reception')),
          training_course TEXT,
          training_hours INTEGER CHECK (training_hours BETWEEN 1 AND 2000),
          training_completed_on TEXT,
          created_at TEXT NOT NULL
        );
        CREATE TABLE patient (
          id INTEGER PRIMARY KEY,
          record_number TEXT NOT NULL UNIQUE CHECK (length(record_number) BETWEEN 1 AND 32),
          given_names TEXT NOT NULL CHECK (length(given_names) BETWEEN 1 AND 100),
          family_name TEXT NOT NULL CHECK (length(family_name) BETWEEN 1 AND 100),
          preferred_name TEXT,
          date_of_birth TEXT NOT NULL CHECK (date_of_birth GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
          sex TEXT NOT NULL CHECK (sex IN ('female','male','intersex','not-stated')),
          phone TEXT, email TEXT, address TEXT, general_practitioner TEXT,
          archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1)),
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE INDEX patient_name ON patient(family_name COLLATE NOCASE, given_names COLLATE NOCASE);
        CREATE TABLE patient_identifier (
          id INTEGER PRIMARY KEY,
          patient_id INTEGER NOT NULL REFERENCES patient(id) ON DELETE RESTRICT,
          system TEXT NOT NULL CHECK (length(system) > 0),
          value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 64),
          UNIQUE (system, value)
        );
        CREATE INDEX patient_identifier_patient ON patient_identifier(patient_id);
        CREATE TABLE patient_alert (
          id INTEGER PRIMARY KEY,
          patient_id INTEGER NOT NULL REFERENCES patient(id) ON DELETE RESTRICT,
          kind TEXT NOT NULL CHECK (kind IN ('precaution','allergy','other')),
          precaution TEXT CHECK ((kind = 'precaution') = (precaution IS NOT NULL)),
          text TEXT NOT NULL CHECK (length(text) > 0),
          status TEXT NOT NULL CHECK (status IN ('proposed','confirmed','dismissed')),
          source TEXT NOT NULL,
          created_at TEXT NOT NULL
        );
        CREATE INDEX patient_alert_patient ON patient_alert(patient_id);

        CREATE TABLE referral (
          id INTEGER PRIMARY KEY,
          patient_id INTEGER NOT NULL REFERENCES patient(id) ON DELETE RESTRICT,
          referrer_name TEXT NOT NULL CHECK (length(referrer_name) > 0),
          referrer_organisation TEXT, referrer_provider_number TEXT, referrer_contact TEXT, recipient TEXT,
          date TEXT NOT NULL,
          expires_on TEXT CHECK (expires_on IS NULL OR expires_on >= date),
          sessions_allowed INTEGER CHECK (sessions_allowed BETWEEN 1 AND 100),
          reason TEXT NOT NULL,
          format TEXT NOT NULL CHECK (format IN ('knot','cda','manual')),
          document_id TEXT, document_code TEXT, document_title TEXT,
          sections_json TEXT NOT NULL DEFAULT '[]',
          warnings_json TEXT NOT NULL DEFAULT '[]',
          original_letter BLOB,
          original_sha256 TEXT UNIQUE,
          created_at TEXT NOT NULL
        );
        CREATE INDEX referral_patient ON referral(patient_id);
        CREATE TABLE referral_attachment (
          id INTEGER PRIMARY KEY,
          referral_id INTEGER NOT NULL REFERENCES referral(id) ON DELETE RESTRICT,
          position INTEGER NOT NULL,
          media_type TEXT NOT NULL,
          data BLOB NOT NULL
        );

        CREATE TABLE consent (
          id INTEGER PRIMARY KEY,
          patient_id INTEGER NOT NULL REFERENCES patient(id) ON DELETE RESTRICT,
          practitioner_id INTEGER NOT NULL REFERENCES practitioner(id) ON DELETE RESTRICT,
          recorded_at TEXT NOT NULL,
          risks TEXT NOT NULL,
          benefits_explained INTEGER NOT NULL CHECK (benefits_explained IN (0,1)),
          written INTEGER NOT NULL CHECK (written IN (0,1)),
          valid_until TEXT,
          notes TEXT
        );
        CREATE INDEX consent_patient ON consent(patient_id);
        CREATE TABLE precaution_screen (
          id INTEGER PRIMARY KEY,
          patient_id INTEGER NOT NULL REFERENCES patient(id) ON DELETE RESTRICT,
          practitioner_id INTEGER NOT NULL REFERENCES practitioner(id) ON DELETE RESTRICT,
          recorded_at TEXT NOT NULL,
          present_json TEXT NOT NULL,
          acknowledgments_json TEXT NOT NULL,
          valid_until TEXT NOT NULL
        );
        CREATE INDEX screen_patient ON precaution_screen(patient_id);

        CREATE TABLE visit (
          id INTEGER PRIMARY KEY,
          patient_id INTEGER NOT NULL REFERENCES patient(id) ON DELETE RESTRICT,
          practitioner_id INTEGER NOT NULL REFERENCES practitioner(id) ON DELETE RESTRICT,
          referral_id INTEGER REFERENCES referral(id) ON DELETE RESTRICT,
          started_at TEXT NOT NULL,
          complaint TEXT,
          pain_now INTEGER CHECK (pain_now BETWEEN 0 AND 10),
          pain_best INTEGER CHECK (pain_best BETWEEN 0 AND 10),
          pain_worst INTEGER CHECK (pain_worst BETWEEN 0 AND 10),
          psfs_json TEXT NOT NULL DEFAULT '[]',
          notes TEXT,
          likely_cause_notes TEXT,
          status TEXT NOT NULL CHECK (status IN ('draft','signed')),
          signed_at TEXT CHECK ((status = 'signed') = (signed_at IS NOT NULL)),
          revision INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX visit_patient ON visit(patient_id, started_at);
        CREATE TABLE trigger_point (
          id INTEGER PRIMARY KEY,
          visit_id INTEGER NOT NULL REFERENCES visit(id) ON DELETE RESTRICT,
          muscle_id TEXT NOT NULL,
          side TEXT NOT NULL CHECK (side IN (\(sides))),
          location TEXT,
          activity TEXT NOT NULL CHECK (activity IN ('active','latent')),
          taut_band INTEGER NOT NULL CHECK (taut_band IN (0,1)),
          local_twitch INTEGER NOT NULL CHECK (local_twitch IN (0,1)),
          referred_pain INTEGER NOT NULL CHECK (referred_pain IN (0,1)),
          tenderness INTEGER CHECK (tenderness BETWEEN 0 AND 10),
          ppt_kg_cm2 REAL CHECK (ppt_kg_cm2 BETWEEN 0 AND 20),
          ppt_probe_cm2 REAL CHECK ((ppt_kg_cm2 IS NULL) = (ppt_probe_cm2 IS NULL)),
          likely_causes TEXT NOT NULL DEFAULT '',
          notes TEXT
        );
        CREATE INDEX trigger_point_visit ON trigger_point(visit_id);
        CREATE TABLE biomechanical_finding (
          id INTEGER PRIMARY KEY,
          visit_id INTEGER NOT NULL REFERENCES visit(id) ON DELETE RESTRICT,
          kind TEXT NOT NULL CHECK (kind IN ('fpi6','lunge','leg-length','hallux-dorsiflexion','gait','strength','joint-range','posture','measure')),
          side TEXT NOT NULL CHECK (side IN (\(sides))),
          measure_json TEXT NOT NULL,
          notes TEXT
        );
        CREATE INDEX biomechanical_visit ON biomechanical_finding(visit_id);
        CREATE TABLE treatment (
          id INTEGER PRIMARY KEY,
          visit_id INTEGER NOT NULL REFERENCES visit(id) ON DELETE RESTRICT,
          kind TEXT NOT NULL,
          muscle_id TEXT,
          side TEXT CHECK (side IS NULL OR side IN (\(sides))),
          hold_seconds INTEGER CHECK (hold_seconds BETWEEN 0 AND 3600),
          cycles INTEGER CHECK (cycles BETWEEN 1 AND 50),
          notes TEXT
        );
        CREATE INDEX treatment_visit ON treatment(visit_id);
        CREATE TABLE needling_entry (
          id INTEGER PRIMARY KEY,
          visit_id INTEGER NOT NULL REFERENCES visit(id) ON DELETE RESTRICT,
          muscle_id TEXT NOT NULL,
          side TEXT NOT NULL CHECK (side IN ('left','right','midline')),
          trigger_point TEXT,
          needle_brand TEXT NOT NULL CHECK (length(needle_brand) > 0),
          needle_gauge_mm REAL NOT NULL CHECK (needle_gauge_mm BETWEEN 0.12 AND 0.40),
          needle_length_mm REAL NOT NULL CHECK (needle_length_mm BETWEEN 7 AND 125),
          needle_lot TEXT NOT NULL CHECK (length(needle_lot) > 0),
          inserted INTEGER NOT NULL CHECK (inserted BETWEEN 1 AND 50),
          removed INTEGER NOT NULL CHECK (removed BETWEEN 0 AND inserted),
          technique TEXT NOT NULL CHECK (technique IN ('static','pistoning','electrical')),
          estim_settings TEXT,
          depth_mm REAL CHECK (depth_mm BETWEEN 0 AND 125),
          time_in_situ_s INTEGER CHECK (time_in_situ_s BETWEEN 0 AND 3600),
          twitch_responses INTEGER NOT NULL CHECK (twitch_responses BETWEEN 0 AND 100),
          patient_response TEXT,
          adverse_events_json TEXT NOT NULL DEFAULT '[]',
          sharps_disposed INTEGER NOT NULL CHECK (sharps_disposed IN (0,1))
        );
        CREATE INDEX needling_visit ON needling_entry(visit_id);

        CREATE TABLE amendment (
          id INTEGER PRIMARY KEY,
          visit_id INTEGER NOT NULL REFERENCES visit(id) ON DELETE RESTRICT,
          practitioner_id INTEGER NOT NULL REFERENCES practitioner(id) ON DELETE RESTRICT,
          amended_at TEXT NOT NULL,
          reason TEXT NOT NULL CHECK (length(reason) > 0),
          changes_json TEXT NOT NULL
        );
        CREATE INDEX amendment_visit ON amendment(visit_id);
        CREATE TABLE follow_up_plan (
          id INTEGER PRIMARY KEY,
          visit_id INTEGER NOT NULL REFERENCES visit(id) ON DELETE RESTRICT,
          version INTEGER NOT NULL CHECK (version >= 1),
          status TEXT NOT NULL CHECK (status IN ('draft','final')),
          created_at TEXT NOT NULL,
          review_date TEXT,
          items_json TEXT NOT NULL,
          UNIQUE (visit_id, version)
        );
        CREATE TABLE imported_document (
          sha256 TEXT PRIMARY KEY,
          kind TEXT NOT NULL,
          imported_at TEXT NOT NULL
        );
        CREATE TABLE audit_event (
          id INTEGER PRIMARY KEY,
          at TEXT NOT NULL,
          actor TEXT NOT NULL,
          action TEXT NOT NULL,
          entity TEXT NOT NULL,
          entity_id INTEGER,
          patient_id INTEGER,
          detail TEXT,
          prev_hash TEXT NOT NULL,
          hash TEXT NOT NULL
        );
        CREATE INDEX audit_patient ON audit_event(patient_id);
        CREATE TABLE audit_head (
          singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
          last_id INTEGER NOT NULL,
          last_hash TEXT NOT NULL
        );
        """)

        // Signed visits are immutable; children of a signed visit too.
        try db.execute(sql: """
        CREATE TRIGGER visit_signed_immutable BEFORE UPDATE ON visit WHEN OLD.status = 'signed'
        BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;
        CREATE TRIGGER visit_sign_needles_balance BEFORE UPDATE OF status ON visit
        WHEN NEW.status = 'signed' AND
          (SELECT coalesce(sum(inserted - removed), 0) FROM needling_entry WHERE visit_id = NEW.id) <> 0
        BEGIN SELECT RAISE(ABORT, 'needle count does not balance: a visit cannot be signed while needles are unaccounted for'); END;
        """)
        for table in ["trigger_point", "biomechanical_finding", "treatment", "needling_entry"] {
            try db.execute(sql: """
            CREATE TRIGGER \(table)_signed_insert BEFORE INSERT ON \(table)
            WHEN (SELECT status FROM visit WHERE id = NEW.visit_id) = 'signed'
            BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;
            CREATE TRIGGER \(table)_signed_update BEFORE UPDATE ON \(table)
            WHEN (SELECT status FROM visit WHERE id = OLD.visit_id) = 'signed'
            BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;
            CREATE TRIGGER \(table)_signed_delete BEFORE DELETE ON \(table)
            WHEN (SELECT status FROM visit WHERE id = OLD.visit_id) = 'signed'
            BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;
            """)
        }
        // Nothing clinical is hard-deleted (records are kept for years).
        for table in ["patient", "visit", "referral", "consent", "precaution_screen", "amendment", "patient_alert", "referral_attachment", "patient_identifier"] {
            try db.execute(sql: """
            CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
            BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted (archive the patient instead)'); END;
            """)
        }
        try db.execute(sql: """
        CREATE TRIGGER amendment_immutable BEFORE UPDATE ON amendment
        BEGIN SELECT RAISE(ABORT, 'amendments cannot be changed'); END;
        CREATE TRIGGER plan_final_immutable BEFORE UPDATE ON follow_up_plan WHEN OLD.status = 'final'
        BEGIN SELECT RAISE(ABORT, 'a final plan cannot be changed; make a new version'); END;
        CREATE TRIGGER plan_no_delete BEFORE DELETE ON follow_up_plan WHEN OLD.status = 'final'
        BEGIN SELECT RAISE(ABORT, 'a final plan cannot be deleted'); END;
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_event
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_event
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        """)

        // Full-text patient search: names, record number, phone digits, date of birth (ISO and DDMMYYYY).
        try db.execute(sql: """
        CREATE VIRTUAL TABLE patient_fts USING fts5(
          names, record_number, phone, dob,
          tokenize = "unicode61 remove_diacritics 2", prefix = '1 2 3'
        );
        CREATE TRIGGER patient_fts_insert AFTER INSERT ON patient BEGIN
          INSERT INTO patient_fts(rowid, names, record_number, phone, dob) VALUES (
            NEW.id, NEW.given_names || ' ' || NEW.family_name || ' ' || coalesce(NEW.preferred_name, ''),
            NEW.record_number,
            replace(replace(replace(replace(replace(coalesce(NEW.phone, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''),
            NEW.date_of_birth || ' ' || substr(NEW.date_of_birth, 9, 2) || substr(NEW.date_of_birth, 6, 2) || substr(NEW.date_of_birth, 1, 4));
        END;
        CREATE TRIGGER patient_fts_update AFTER UPDATE ON patient BEGIN
          DELETE FROM patient_fts WHERE rowid = OLD.id;
          INSERT INTO patient_fts(rowid, names, record_number, phone, dob) VALUES (
            NEW.id, NEW.given_names || ' ' || NEW.family_name || ' ' || coalesce(NEW.preferred_name, ''),
            NEW.record_number,
            replace(replace(replace(replace(replace(coalesce(NEW.phone, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''),
            NEW.date_of_birth || ' ' || substr(NEW.date_of_birth, 9, 2) || substr(NEW.date_of_birth, 6, 2) || substr(NEW.date_of_birth, 1, 4));
        END;
        """)
    }
}
