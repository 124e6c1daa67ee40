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

-- table audit_mac on audit_mac
CREATE TABLE audit_mac (event_id INTEGER PRIMARY KEY, mac TEXT NOT NULL);

-- table biomechanical_finding on biomechanical_finding
CREATE TABLE biomechanical_finding (
  id INTEGER PRIMARY KEY,
  visit_id INTEGER NOT NULL REFERENCES visit(id) ON DELETE RESTRICT,
  kind TEXT NOT NULL CHECK (kind IN ('fpi6','lunge','leg-length','hallux-dorsiflexion','gait','strength','joint-range','posture','measure')),
  side TEXT NOT NULL CHECK (side IN ('left','right','midline','bilateral')),
  measure_json TEXT NOT NULL,
  notes TEXT
, struck_at TEXT, struck_by TEXT CHECK ((struck_at IS NULL) = (struck_by IS NULL)), strike_reason TEXT
  CHECK ((struck_at IS NULL) = (strike_reason IS NULL) AND (strike_reason IS NULL OR length(trim(strike_reason)) > 0)));

-- table clinic_identity on clinic_identity
CREATE TABLE clinic_identity (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  clinic_id TEXT NOT NULL,
  keyed_from INTEGER,
  seal_root TEXT NOT NULL DEFAULT '',
  head_mac TEXT NOT NULL DEFAULT ''
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
, guardian_name TEXT CHECK (guardian_name IS NULL OR length(guardian_name) BETWEEN 1 AND 100), guardian_relationship TEXT CHECK (guardian_relationship IS NULL OR length(guardian_relationship) BETWEEN 1 AND 60), mature_minor TEXT CHECK (mature_minor IS NULL OR length(mature_minor) BETWEEN 1 AND 2000), written_at TEXT, written_by INTEGER REFERENCES practitioner(id) ON DELETE RESTRICT, struck_at TEXT, struck_by TEXT CHECK ((struck_at IS NULL) = (struck_by IS NULL)), strike_reason TEXT
  CHECK ((struck_at IS NULL) = (strike_reason IS NULL) AND (strike_reason IS NULL OR length(trim(strike_reason)) > 0)));

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

-- table letter_template on letter_template
CREATE TABLE letter_template (
  name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64 AND name GLOB '[a-z]*' AND name NOT GLOB '*[^a-z.-]*'),
  body TEXT NOT NULL CHECK (length(body) <= 20000),
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL
) WITHOUT ROWID;

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
, performed_at TEXT, written_at TEXT, written_by INTEGER REFERENCES practitioner(id) ON DELETE RESTRICT, struck_at TEXT, struck_by TEXT CHECK ((struck_at IS NULL) = (struck_by IS NULL)), strike_reason TEXT
  CHECK ((struck_at IS NULL) = (strike_reason IS NULL) AND (strike_reason IS NULL OR length(trim(strike_reason)) > 0)));

-- table outcome_measure on outcome_measure
CREATE TABLE outcome_measure (
  id INTEGER PRIMARY KEY,
  visit_id INTEGER NOT NULL REFERENCES visit(id) ON DELETE RESTRICT,
  scale TEXT NOT NULL CHECK (scale IN ('lefs', 'ndi', 'odi', 'visa-a', 'quickdash')),
  items_json TEXT NOT NULL CHECK (json_valid(items_json) AND json_type(items_json) = 'array'),
  score REAL NOT NULL CHECK (score BETWEEN 0 AND 100)
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
, sort_name TEXT NOT NULL DEFAULT '', merged_into INTEGER REFERENCES patient(id) ON DELETE RESTRICT);

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
, dismiss_reason TEXT
  CHECK (dismiss_reason IS NULL OR (length(trim(dismiss_reason)) > 0 AND status = 'dismissed')));

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
, administrator INTEGER NOT NULL DEFAULT 0 CHECK (administrator IN (0, 1)), active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)));

-- table precaution_screen on precaution_screen
CREATE TABLE precaution_screen (
  id INTEGER PRIMARY KEY,
  patient_id INTEGER NOT NULL REFERENCES patient(id) ON DELETE RESTRICT,
  practitioner_id INTEGER NOT NULL REFERENCES practitioner(id) ON DELETE RESTRICT,
  recorded_at TEXT NOT NULL,
  present_json TEXT NOT NULL,
  acknowledgments_json TEXT NOT NULL,
  valid_until TEXT NOT NULL
, written_at TEXT, written_by INTEGER REFERENCES practitioner(id) ON DELETE RESTRICT, struck_at TEXT, struck_by TEXT CHECK ((struck_at IS NULL) = (struck_by IS NULL)), strike_reason TEXT
  CHECK ((struck_at IS NULL) = (strike_reason IS NULL) AND (strike_reason IS NULL OR length(trim(strike_reason)) > 0)));

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
, letter_identifiers_json TEXT NOT NULL DEFAULT '[]', letter_key TEXT, document_set_id TEXT, document_version INTEGER, replaces_referral_id INTEGER REFERENCES referral(id) ON DELETE RESTRICT);

-- table referral_attachment on referral_attachment
CREATE TABLE referral_attachment (
  id INTEGER PRIMARY KEY,
  referral_id INTEGER NOT NULL REFERENCES referral(id) ON DELETE RESTRICT,
  position INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  data BLOB NOT NULL
);

-- table referral_conflict on referral_conflict
CREATE TABLE referral_conflict (
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 1000),
  format TEXT NOT NULL CHECK (format IN ('knot','cda')),
  letter BLOB NOT NULL,
  sha256 TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (length(reason) > 0),
  candidates_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(candidates_json)),
  received_at TEXT NOT NULL,
  resolved_at TEXT,
  resolved_by TEXT,
  referral_id INTEGER REFERENCES referral(id) ON DELETE RESTRICT,
  CHECK ((resolved_at IS NULL) = (referral_id IS NULL))
);

-- table row_seal on row_seal
CREATE TABLE row_seal (
  tbl TEXT NOT NULL,
  row_id INTEGER NOT NULL,
  columns TEXT NOT NULL,
  mac TEXT NOT NULL,
  PRIMARY KEY (tbl, row_id)
) WITHOUT ROWID;

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
, struck_at TEXT, struck_by TEXT CHECK ((struck_at IS NULL) = (struck_by IS NULL)), strike_reason TEXT
  CHECK ((struck_at IS NULL) = (strike_reason IS NULL) AND (strike_reason IS NULL OR length(trim(strike_reason)) > 0)));

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
, struck_at TEXT, struck_by TEXT CHECK ((struck_at IS NULL) = (struck_by IS NULL)), strike_reason TEXT
  CHECK ((struck_at IS NULL) = (strike_reason IS NULL) AND (strike_reason IS NULL OR length(trim(strike_reason)) > 0)));

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
, impression TEXT CHECK (impression IS NULL OR length(impression) BETWEEN 1 AND 2000), impression_code TEXT CHECK (impression_code IS NULL OR length(impression_code) BETWEEN 1 AND 40), impression_code_system TEXT
  CHECK (impression_code_system IS NULL OR impression_code_system IN ('snomed-ct', 'icd-10', 'icd-10-am', 'icd-11')));

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

-- index outcome_measure_visit on outcome_measure
CREATE INDEX outcome_measure_visit ON outcome_measure(visit_id);

-- index patient_alert_patient on patient_alert
CREATE INDEX patient_alert_patient ON patient_alert(patient_id);

-- index patient_date_of_birth on patient
CREATE INDEX patient_date_of_birth ON patient(date_of_birth);

-- index patient_id_sort on patient
CREATE INDEX patient_id_sort ON patient(id, sort_name, archived);

-- index patient_identifier_patient on patient_identifier
CREATE INDEX patient_identifier_patient ON patient_identifier(patient_id);

-- index patient_merged_into on patient
CREATE INDEX patient_merged_into ON patient(merged_into) WHERE merged_into IS NOT NULL;

-- index patient_name on patient
CREATE INDEX patient_name ON patient(family_name COLLATE NOCASE, given_names COLLATE NOCASE);

-- index patient_sort on patient
CREATE INDEX patient_sort ON patient(sort_name, id, archived);

-- index referral_conflict_open on referral_conflict
CREATE UNIQUE INDEX referral_conflict_open ON referral_conflict(sha256) WHERE resolved_at IS NULL;

-- index referral_document_set on referral
CREATE INDEX referral_document_set ON referral(document_set_id) WHERE document_set_id IS NOT NULL;

-- index referral_letter_key on referral
CREATE UNIQUE INDEX referral_letter_key ON referral(letter_key) WHERE letter_key IS NOT NULL;

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

-- trigger biomechanical_finding_struck_immutable on biomechanical_finding
CREATE TRIGGER biomechanical_finding_struck_immutable BEFORE UPDATE ON biomechanical_finding WHEN OLD.struck_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a struck-out entry cannot be changed'); END;

-- trigger consent_late_entry_whole on consent
CREATE TRIGGER consent_late_entry_whole BEFORE INSERT ON consent
WHEN (NEW.written_at IS NULL) <> (NEW.written_by IS NULL)
BEGIN SELECT RAISE(ABORT, 'a late entry needs both when and by whom it was written'); END;

-- trigger consent_no_delete on consent
CREATE TRIGGER consent_no_delete BEFORE DELETE ON consent
BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted (archive the patient instead)'); END;

-- trigger consent_struck_immutable on consent
CREATE TRIGGER consent_struck_immutable BEFORE UPDATE ON consent WHEN OLD.struck_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a struck-out consent or precaution screen cannot be changed'); END;

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

-- trigger needling_entry_struck_immutable on needling_entry
CREATE TRIGGER needling_entry_struck_immutable BEFORE UPDATE ON needling_entry WHEN OLD.struck_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a struck-out entry cannot be changed'); END;

-- trigger needling_late_entry_whole on needling_entry
CREATE TRIGGER needling_late_entry_whole BEFORE INSERT ON needling_entry
WHEN (NEW.written_at IS NULL) <> (NEW.written_by IS NULL)
BEGIN SELECT RAISE(ABORT, 'a late entry needs both when and by whom it was written'); END;

-- trigger outcome_measure_signed_delete on outcome_measure
CREATE TRIGGER outcome_measure_signed_delete BEFORE DELETE ON outcome_measure
WHEN (SELECT status FROM visit WHERE id = OLD.visit_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;

-- trigger outcome_measure_signed_insert on outcome_measure
CREATE TRIGGER outcome_measure_signed_insert BEFORE INSERT ON outcome_measure
WHEN (SELECT status FROM visit WHERE id = NEW.visit_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;

-- trigger outcome_measure_signed_update on outcome_measure
CREATE TRIGGER outcome_measure_signed_update BEFORE UPDATE ON outcome_measure
WHEN (SELECT status FROM visit WHERE id = OLD.visit_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;

-- trigger patient_alert_dismiss_reason on patient_alert
CREATE TRIGGER patient_alert_dismiss_reason BEFORE UPDATE OF status ON patient_alert
WHEN NEW.status = 'dismissed' AND OLD.status IS NOT 'dismissed'
  AND (NEW.dismiss_reason IS NULL OR length(trim(NEW.dismiss_reason)) = 0)
BEGIN SELECT RAISE(ABORT, 'an alert is dismissed only with a reason'); END;

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

-- trigger patient_merge_final on patient
CREATE TRIGGER patient_merge_final BEFORE UPDATE OF merged_into ON patient
WHEN OLD.merged_into IS NOT NULL AND NEW.merged_into IS NOT OLD.merged_into
BEGIN SELECT RAISE(ABORT, 'a merged patient record stays merged'); END;

-- trigger patient_merge_not_self on patient
CREATE TRIGGER patient_merge_not_self BEFORE UPDATE OF merged_into ON patient
WHEN NEW.merged_into = NEW.id
  OR (SELECT merged_into FROM patient WHERE id = NEW.merged_into) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a patient is merged into another, current record'); END;

-- trigger patient_merged_stays_archived on patient
CREATE TRIGGER patient_merged_stays_archived BEFORE UPDATE ON patient
WHEN NEW.merged_into IS NOT NULL AND NEW.archived = 0
BEGIN SELECT RAISE(ABORT, 'a merged patient record stays archived'); END;

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

-- trigger precaution_screen_struck_immutable on precaution_screen
CREATE TRIGGER precaution_screen_struck_immutable BEFORE UPDATE ON precaution_screen WHEN OLD.struck_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a struck-out consent or precaution screen cannot be changed'); END;

-- trigger referral_attachment_no_delete on referral_attachment
CREATE TRIGGER referral_attachment_no_delete BEFORE DELETE ON referral_attachment
BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted (archive the patient instead)'); END;

-- trigger referral_conflict_no_delete on referral_conflict
CREATE TRIGGER referral_conflict_no_delete BEFORE DELETE ON referral_conflict
BEGIN SELECT RAISE(ABORT, 'a held referral letter is never deleted; resolve it'); END;

-- trigger referral_no_delete on referral
CREATE TRIGGER referral_no_delete BEFORE DELETE ON referral
BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted (archive the patient instead)'); END;

-- trigger screen_late_entry_whole on precaution_screen
CREATE TRIGGER screen_late_entry_whole BEFORE INSERT ON precaution_screen
WHEN (NEW.written_at IS NULL) <> (NEW.written_by IS NULL)
BEGIN SELECT RAISE(ABORT, 'a late entry needs both when and by whom it was written'); END;

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

-- trigger treatment_struck_immutable on treatment
CREATE TRIGGER treatment_struck_immutable BEFORE UPDATE ON treatment WHEN OLD.struck_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a struck-out entry cannot be changed'); END;

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

-- trigger trigger_point_struck_immutable on trigger_point
CREATE TRIGGER trigger_point_struck_immutable BEFORE UPDATE ON trigger_point WHEN OLD.struck_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a struck-out entry cannot be changed'); END;

-- trigger visit_impression_code_whole_insert on visit
CREATE TRIGGER visit_impression_code_whole_insert BEFORE INSERT ON visit
WHEN (NEW.impression_code IS NULL) <> (NEW.impression_code_system IS NULL) OR (NEW.impression_code IS NOT NULL AND NEW.impression IS NULL)
BEGIN SELECT RAISE(ABORT, 'an impression code needs its code system and the impression'); END;

-- trigger visit_impression_code_whole_update on visit
CREATE TRIGGER visit_impression_code_whole_update BEFORE UPDATE OF impression, impression_code, impression_code_system ON visit
WHEN (NEW.impression_code IS NULL) <> (NEW.impression_code_system IS NULL) OR (NEW.impression_code IS NOT NULL AND NEW.impression IS NULL)
BEGIN SELECT RAISE(ABORT, 'an impression code needs its code system and the impression'); END;

-- trigger visit_no_delete on visit
CREATE TRIGGER visit_no_delete BEFORE DELETE ON visit
BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted (archive the patient instead)'); END;

-- trigger visit_referral_same_patient_insert on visit
CREATE TRIGGER visit_referral_same_patient_insert BEFORE INSERT ON visit
WHEN NEW.referral_id IS NOT NULL
  AND (SELECT patient_id FROM referral WHERE id = NEW.referral_id) IS NOT NEW.patient_id
BEGIN SELECT RAISE(ABORT, 'a visit can link only to a referral of its own patient'); END;

-- trigger visit_referral_same_patient_update on visit
CREATE TRIGGER visit_referral_same_patient_update BEFORE UPDATE OF referral_id, patient_id ON visit
WHEN NEW.referral_id IS NOT NULL
  AND (SELECT patient_id FROM referral WHERE id = NEW.referral_id) IS NOT NEW.patient_id
BEGIN SELECT RAISE(ABORT, 'a visit can link only to a referral of its own patient'); END;

-- trigger visit_sign_needles_balance on visit
CREATE TRIGGER visit_sign_needles_balance BEFORE UPDATE OF status ON visit
WHEN NEW.status = 'signed' AND
  (SELECT coalesce(sum(inserted - removed), 0) FROM needling_entry WHERE visit_id = NEW.id AND struck_at IS NULL) <> 0
BEGIN SELECT RAISE(ABORT, 'needle count does not balance: a visit cannot be signed while needles are unaccounted for'); END;

-- trigger visit_signed_immutable on visit
CREATE TRIGGER visit_signed_immutable BEFORE UPDATE ON visit WHEN OLD.status = 'signed' AND NOT (
  NEW.patient_id IS NOT OLD.patient_id
  AND NEW.patient_id IS (SELECT merged_into FROM patient WHERE id = OLD.patient_id)
  AND NEW.id IS OLD.id AND NEW.practitioner_id IS OLD.practitioner_id AND NEW.referral_id IS OLD.referral_id
  AND NEW.started_at IS OLD.started_at AND NEW.complaint IS OLD.complaint
  AND NEW.pain_now IS OLD.pain_now AND NEW.pain_best IS OLD.pain_best AND NEW.pain_worst IS OLD.pain_worst
  AND NEW.psfs_json IS OLD.psfs_json AND NEW.notes IS OLD.notes AND NEW.likely_cause_notes IS OLD.likely_cause_notes
  AND NEW.status IS OLD.status AND NEW.signed_at IS OLD.signed_at AND NEW.revision IS OLD.revision)
BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; amend it instead'); END;
