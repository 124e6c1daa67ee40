// ClinicTestSupport
