// LibXML
