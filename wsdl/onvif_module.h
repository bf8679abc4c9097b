// soapcpp2 input for the ONVIF bindings module (C++ namespace gsoap_onvif).
//
// generated/onvif.h is what wsdl2h makes of wsdl/services.list; this file only
// pulls it in, so the build never edits generated output. The SOAP Header and
// Fault are not serialized by this module: a C++-namespaced gSOAP module leaves
// them to the one global module, wsdd_module.h (see the comment there).
#import "onvif.h"
