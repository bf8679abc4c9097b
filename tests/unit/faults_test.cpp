#include "soap/faults.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <set>
#include <string>

#include "soap/operation_table.hpp"

using namespace onvif::soap;

TEST_CASE("fault table: one row per ErrorKind, in order, with sane codes") {
  REQUIRE(faultTableSize() == static_cast<std::size_t>(ErrorKind::Count_));
  for (std::size_t i = 0; i < faultTableSize(); ++i) {
    const FaultSpec& row = faultTable()[i];
    CAPTURE(i);
    CHECK(static_cast<std::size_t>(row.kind) == i);
    REQUIRE(row.subcode != nullptr);
    // ONVIF's ter: subcodes; WS-Discovery names its own (wsdd:).
    if (row.kind == ErrorKind::MatchingRuleNotSupported)
      CHECK(std::string(row.subcode) == "wsdd:MatchingRuleNotSupported");
    else
      CHECK(std::strncmp(row.subcode, "ter:", 4) == 0);
    CHECK(row.reason[0] != '\0');
    // SOAP 1.2 HTTP binding: Sender faults 400, Receiver faults 500 (401 is HTTP auth, not a fault)
    if (row.sender) CHECK(row.http_status == 400);
    if (!row.sender) CHECK((row.http_status == 500 || row.http_status == 400));
  }
  CHECK(faultSpec(ErrorKind::ActionNotSupported).sender == false);
  CHECK(std::string(faultSpec(ErrorKind::NotAuthorized).subcode) == "ter:NotAuthorized");
}

TEST_CASE("operation table: every bound operation is listed once, by qualified element") {
  REQUIRE(kBoundOperationCount > 300);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < kBoundOperationCount; ++i) {
    std::string element = kBoundOperations[i].element;
    CAPTURE(element);
    CHECK(element.find(':') != std::string::npos);
    CHECK(seen.insert(element).second);
  }
  for (const char* op :
       {"tds:GetSystemDateAndTime", "trt:GetProfiles", "tr2:GetProfiles", "tev:PullMessages", "wsnt:Renew",
        "tptz:ContinuousMove", "timg:GetImagingSettings", "tmd:GetVideoOutputs"})
    CHECK(seen.count(op) == 1);
}
