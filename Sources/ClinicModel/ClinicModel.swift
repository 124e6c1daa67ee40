// ClinicModel
