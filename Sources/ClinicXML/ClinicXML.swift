// ClinicXML
