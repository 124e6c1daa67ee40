-- table amendment on amendment
CREATE TABLE amendment (
  id INTEGER PRIMARY KEY,
  visit_id INTEGER NOT NULL REFERENCES visit(id) ON DELETE RESTRICT,
  practitioner_id INTEGER NOT NULL REFERENCES practitioner(id) ON DELETE RESTRICT,
  amended_at TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (length(reason) > 0),
  changes_json TEXT NOT NULL
);

-- table audit_event on audit_event
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

-- table audit_head on audit_head
CREATE TABLE audit_head (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  last_id INTEGER NOT NULL,
  last_hash TEXT NOT NULL
);

-- table biomechanical_finding on biomechanical_finding
CREATE TABLE biomechanical_finding (
  id INTEGER PRIMARY KEY,
  visit_id INTEGER NOT NULL REFERENCES visit(id) ON DELETE RESTRICT,
  kind TEXT NOT NULL CHECK (kind IN ('fpi6','lunge','leg-length','hallux-dorsiflexion','gait','strength','joint-range','posture','measure')),
  side TEXT NOT NULL CHECK (side IN ('left','right','midline','bilateral')),
  measure_json TEXT NOT NULL,
  notes TEXT
);

-- table clinic_setting on clinic_setting
CREATE TABLE clinic_setting (
  name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64 AND name GLOB '[a-z]*' AND name NOT GLOB '*[^a-z0-9_]*'),
  value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 4000)
) WITHOUT ROWID;

-- table consent on consent
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

-- table follow_up_plan on follow_up_plan
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

-- table form_draft on form_draft
CREATE TABLE form_draft (
  slot TEXT NOT NULL CHECK (length(slot) BETWEEN 3 AND 64 AND slot GLOB '[a-z]*:[a-z0-9]*'),
  actor TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 64),
  kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 32),
  state TEXT NOT NULL CHECK (json_valid(state) AND length(state) <= 1000000),
  saved_at TEXT NOT NULL,
  PRIMARY KEY (slot, actor)
) WITHOUT ROWID;

-- table grdb_migrations on grdb_migrations
CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);

-- table imported_document on imported_document
CREATE TABLE imported_document (
  sha256 TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  imported_at TEXT NOT NULL
);

-- table needling_entry on needling_entry
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

-- table patient on patient
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
, sort_name TEXT NOT NULL DEFAULT '');

-- table patient_alert on patient_alert
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

-- table patient_fts on patient_fts
CREATE VIRTUAL TABLE patient_fts USING fts5(
  names, record_number, phone, dob,
  tokenize = "unicode61 remove_diacritics 2", prefix = '1 2 3'
);

-- table patient_fts_config on patient_fts_config
CREATE TABLE 'patient_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table patient_fts_content on patient_fts_content
CREATE TABLE 'patient_fts_content'(id INTEGER PRIMARY KEY, c0, c1, c2, c3);

-- table patient_fts_data on patient_fts_data
CREATE TABLE 'patient_fts_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table patient_fts_docsize on patient_fts_docsize
CREATE TABLE 'patient_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

-- table patient_fts_idx on patient_fts_idx
CREATE TABLE 'patient_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table patient_identifier on patient_identifier
CREATE TABLE patient_identifier (
  id INTEGER PRIMARY KEY,
  patient_id INTEGER NOT NULL REFERENCES patient(id) ON DELETE RESTRICT,
  system TEXT NOT NULL CHECK (length(system) > 0),
  value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 64),
  UNIQUE (system, value)
);

-- table practitioner on practitioner
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

-- table precaution_screen on precaution_screen
CREATE TABLE precaution_screen (
  id INTEGER PRIMARY KEY,
  patient_id INTEGER NOT NULL REFERENCES patient(id) ON DELETE RESTRICT,
  practitioner_id INTEGER NOT NULL REFERENCES practitioner(id) ON DELETE RESTRICT,
  recorded_at TEXT NOT NULL,
  present_json TEXT NOT NULL,
  acknowledgments_json TEXT NOT NULL,
  valid_until TEXT NOT NULL
);

-- table referral on referral
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

-- table referral_attachment on referral_attachment
CREATE TABLE referral_attachment (
  id INTEGER PRIMARY KEY,
  referral_id INTEGER NOT NULL REFERENCES referral(id) ON DELETE RESTRICT,
  position INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  data BLOB NOT NULL
);

-- table treatment on treatment
CREATE TABLE treatment (
  id INTEGER PRIMARY KEY,
  visit_id INTEGER NOT NULL REFERENCES visit(id) ON DELETE RESTRICT,
  kind TEXT NOT NULL,
  muscle_id TEXT,
  side TEXT CHECK (side IS NULL OR side IN ('left','right','midline','bilateral')),
  hold_seconds INTEGER CHECK (hold_seconds BETWEEN 0 AND 3600),
  cycles INTEGER CHECK (cycles BETWEEN 1 AND 50),
  notes TEXT
);

-- table trigger_point on trigger_point
CREATE TABLE trigger_point (
  id INTEGER PRIMARY KEY,
  visit_id INTEGER NOT NULL REFERENCES visit(id) ON DELETE RESTRICT,
  muscle_id TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('left','right','midline','bilateral')),
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

-- table visit on visit
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

-- index amendment_visit on amendment
CREATE INDEX amendment_visit ON amendment(visit_id);

-- index audit_patient on audit_event
CREATE INDEX audit_patient ON audit_event(patient_id);

-- index biomechanical_visit on biomechanical_finding
CREATE INDEX biomechanical_visit ON biomechanical_finding(visit_id);

-- index consent_patient on consent
CREATE INDEX consent_patient ON consent(patient_id);

-- index needling_visit on needling_entry
CREATE INDEX needling_visit ON needling_entry(visit_id);

-- index patient_alert_patient on patient_alert
CREATE INDEX patient_alert_patient ON patient_alert(patient_id);

-- index patient_id_sort on patient
CREATE INDEX patient_id_sort ON patient(id, sort_name, archived);

-- index patient_identifier_patient on patient_identifier
CREATE INDEX patient_identifier_patient ON patient_identifier(patient_id);

-- index patient_name on patient
CREATE INDEX patient_name ON patient(family_name COLLATE NOCASE, given_names COLLATE NOCASE);

-- index patient_sort on patient
CREATE INDEX patient_sort ON patient(sort_name, id, archived);

-- index referral_patient on referral
CREATE INDEX referral_patient ON referral(patient_id);

-- index screen_patient on precaution_screen
CREATE INDEX screen_patient ON precaution_screen(patient_id);

-- index treatment_visit on treatment
CREATE INDEX treatment_visit ON treatment(visit_id);

-- index trigger_point_visit on trigger_point
CREATE INDEX trigger_point_visit ON trigger_point(visit_id);

-- index visit_patient on visit
CREATE INDEX visit_patient ON visit(patient_id, started_at);

-- trigger amendment_immutable on amendment
CREATE TRIGGER amendment_immutable BEFORE UPDATE ON amendment
BEGIN SELECT RAISE(ABORT, 'amendments cannot be changed'); END;

-- trigger amendment_no_delete on amendment
CREATE TRIGGER amendment_no_delete BEFORE DELETE ON amendment
BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted (archive the patient instead)'); END;

-- trigger audit_no_delete on audit_event
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

-- trigger audit_no_update on audit_event
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

-- trigger biomechanical_finding_signed_delete on biomechanical_finding
CREATE TRIGGER biomechanical_finding_signed_delete BEFORE DELETE ON biomechanical_finding
WHEN (SELECT status FROM visit WHERE id = OLD.visit_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;

-- trigger biomechanical_finding_signed_insert on biomechanical_finding
CREATE TRIGGER biomechanical_finding_signed_insert BEFORE INSERT ON biomechanical_finding
WHEN (SELECT status FROM visit WHERE id = NEW.visit_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;

-- trigger biomechanical_finding_signed_update on biomechanical_finding
CREATE TRIGGER biomechanical_finding_signed_update BEFORE UPDATE ON biomechanical_finding
WHEN (SELECT status FROM visit WHERE id = OLD.visit_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;

-- trigger consent_no_delete on consent
CREATE TRIGGER consent_no_delete BEFORE DELETE ON consent
BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted (archive the patient instead)'); END;

-- trigger form_draft_visit_signed on visit
CREATE TRIGGER form_draft_visit_signed AFTER UPDATE OF status ON visit WHEN NEW.status = 'signed'
BEGIN DELETE FROM form_draft WHERE slot = 'visit:' || NEW.id; END;

-- trigger needling_entry_signed_delete on needling_entry
CREATE TRIGGER needling_entry_signed_delete BEFORE DELETE ON needling_entry
WHEN (SELECT status FROM visit WHERE id = OLD.visit_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;

-- trigger needling_entry_signed_insert on needling_entry
CREATE TRIGGER needling_entry_signed_insert BEFORE INSERT ON needling_entry
WHEN (SELECT status FROM visit WHERE id = NEW.visit_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;

-- trigger needling_entry_signed_update on needling_entry
CREATE TRIGGER needling_entry_signed_update BEFORE UPDATE ON needling_entry
WHEN (SELECT status FROM visit WHERE id = OLD.visit_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;

-- trigger patient_alert_no_delete on patient_alert
CREATE TRIGGER patient_alert_no_delete BEFORE DELETE ON patient_alert
BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted (archive the patient instead)'); END;

-- trigger patient_fts_insert on patient
CREATE TRIGGER patient_fts_insert AFTER INSERT ON patient BEGIN
  INSERT INTO patient_fts(rowid, names, record_number, phone, dob) VALUES (NEW.id, NEW.given_names || ' ' || NEW.family_name || ' ' || coalesce(NEW.preferred_name, '') || ' ' || NEW.sort_name,
NEW.record_number,
replace(replace(replace(replace(replace(coalesce(NEW.phone, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''),
NEW.date_of_birth || ' ' || substr(NEW.date_of_birth, 9, 2) || substr(NEW.date_of_birth, 6, 2) || substr(NEW.date_of_birth, 1, 4));
END;

-- trigger patient_fts_update on patient
CREATE TRIGGER patient_fts_update AFTER UPDATE ON patient BEGIN
  DELETE FROM patient_fts WHERE rowid = OLD.id;
  INSERT INTO patient_fts(rowid, names, record_number, phone, dob) VALUES (NEW.id, NEW.given_names || ' ' || NEW.family_name || ' ' || coalesce(NEW.preferred_name, '') || ' ' || NEW.sort_name,
NEW.record_number,
replace(replace(replace(replace(replace(coalesce(NEW.phone, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''),
NEW.date_of_birth || ' ' || substr(NEW.date_of_birth, 9, 2) || substr(NEW.date_of_birth, 6, 2) || substr(NEW.date_of_birth, 1, 4));
END;

-- trigger patient_identifier_no_delete on patient_identifier
CREATE TRIGGER patient_identifier_no_delete BEFORE DELETE ON patient_identifier
BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted (archive the patient instead)'); END;

-- trigger patient_no_delete on patient
CREATE TRIGGER patient_no_delete BEFORE DELETE ON patient
BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted (archive the patient instead)'); END;

-- trigger plan_final_immutable on follow_up_plan
CREATE TRIGGER plan_final_immutable BEFORE UPDATE ON follow_up_plan WHEN OLD.status = 'final'
BEGIN SELECT RAISE(ABORT, 'a final plan cannot be changed; make a new version'); END;

-- trigger plan_no_delete on follow_up_plan
CREATE TRIGGER plan_no_delete BEFORE DELETE ON follow_up_plan WHEN OLD.status = 'final'
BEGIN SELECT RAISE(ABORT, 'a final plan cannot be deleted'); END;

-- trigger precaution_screen_no_delete on precaution_screen
CREATE TRIGGER precaution_screen_no_delete BEFORE DELETE ON precaution_screen
BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted (archive the patient instead)'); END;

-- trigger referral_attachment_no_delete on referral_attachment
CREATE TRIGGER referral_attachment_no_delete BEFORE DELETE ON referral_attachment
BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted (archive the patient instead)'); END;

-- trigger referral_no_delete on referral
CREATE TRIGGER referral_no_delete BEFORE DELETE ON referral
BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted (archive the patient instead)'); END;

-- trigger treatment_signed_delete on treatment
CREATE TRIGGER treatment_signed_delete BEFORE DELETE ON treatment
WHEN (SELECT status FROM visit WHERE id = OLD.visit_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;

-- trigger treatment_signed_insert on treatment
CREATE TRIGGER treatment_signed_insert BEFORE INSERT ON treatment
WHEN (SELECT status FROM visit WHERE id = NEW.visit_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;

-- trigger treatment_signed_update on treatment
CREATE TRIGGER treatment_signed_update BEFORE UPDATE ON treatment
WHEN (SELECT status FROM visit WHERE id = OLD.visit_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;

-- trigger trigger_point_signed_delete on trigger_point
CREATE TRIGGER trigger_point_signed_delete BEFORE DELETE ON trigger_point
WHEN (SELECT status FROM visit WHERE id = OLD.visit_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;

-- trigger trigger_point_signed_insert on trigger_point
CREATE TRIGGER trigger_point_signed_insert BEFORE INSERT ON trigger_point
WHEN (SELECT status FROM visit WHERE id = NEW.visit_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;

-- trigger trigger_point_signed_update on trigger_point
CREATE TRIGGER trigger_point_signed_update BEFORE UPDATE ON trigger_point
WHEN (SELECT status FROM visit WHERE id = OLD.visit_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;

-- trigger visit_no_delete on visit
CREATE TRIGGER visit_no_delete BEFORE DELETE ON visit
BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted (archive the patient instead)'); END;

-- trigger visit_sign_needles_balance on visit
CREATE TRIGGER visit_sign_needles_balance BEFORE UPDATE OF status ON visit
WHEN NEW.status = 'signed' AND
  (SELECT coalesce(sum(inserted - removed), 0) FROM needling_entry WHERE visit_id = NEW.id) <> 0
BEGIN SELECT RAISE(ABORT, 'needle count does not balance: a visit cannot be signed while needles are unaccounted for'); END;

-- trigger visit_signed_immutable on visit
CREATE TRIGGER visit_signed_immutable BEFORE UPDATE ON visit WHEN OLD.status = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;
