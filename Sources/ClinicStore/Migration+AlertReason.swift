import Foundation
import GRDB

extension ClinicMigrations {
    /// Why a practitioner dismissed an alert (issue 13): a dismissed proposed precaution lets the
    /// screen answer it absent, so the dismissal says why.
    ///
    /// `patient_alert.dismiss_reason` holds the reason while the alert is dismissed. SQLite
    /// refuses a change of status to dismissed that brings no reason; alerts dismissed before
    /// this migration (and rows imported from older exports) keep a NULL reason.
    static func alertReason(_ db: Database) throws {
        try db.execute(sql: """
        ALTER TABLE patient_alert ADD COLUMN dismiss_reason TEXT
          CHECK (dismiss_reason IS NULL OR (length(trim(dismiss_reason)) > 0 AND status = 'dismissed'));
        CREATE TRIGGER patient_alert_dismiss_reason BEFORE UPDATE OF status ON patient_alert
        WHEN NEW.status = 'dismissed' AND OLD.status IS NOT 'dismissed'
          AND (NEW.dismiss_reason IS NULL OR length(trim(NEW.dismiss_reason)) = 0)
        BEGIN SELECT RAISE(ABORT, 'an alert is dismissed only with a reason'); END;
        """)
    }
}
