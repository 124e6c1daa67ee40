// ClinicStore
