// ClinicServices
