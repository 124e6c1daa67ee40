// ClinicTUI
