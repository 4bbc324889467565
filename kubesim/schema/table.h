#pragma once
// meta.k8s.io/v1 Table conversion (Accept application/json;as=Table;v=v1;g=meta.k8s.io), as the
// real server renders it (reference §16, §33): CRD additionalPrinterColumns (JSONPath subset
// .a.b, .a[0].b, .a[*].b, ['k'], .a[?(@.type=="Ready")].status; date columns as human ages)
// preceded by Name, with a lone Age column when a CRD defines none (as apiextensions-apiserver
// does), or built-in columns for built-in kinds (-o wide columns have priority 1; the server
// always sends them). Cells a JSONPath does not find are null. Pure: "now" is a parameter.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "kubesim/common/api_error.h"
#include "kubesim/schema/kinds.h"

namespace kubesim::schema {

enum class IncludeObject { None, Metadata, Object };  // ?includeObject=, default Metadata

struct TableOptions {
  IncludeObject includeObject = IncludeObject::Metadata;
};

// listMetadata: {"resourceVersion": "..", "continue": ".."} copied as the Table's metadata.
Json toTable(const KindInfo& kind, const std::vector<Json>& objects, const Json& listMetadata,
             std::chrono::system_clock::time_point now, const TableOptions& options = {});

// kubectl-style age of a duration: "0s", "45s", "5m10s", "3h", "2d", "3y45d" (HumanDuration).
std::string humanDuration(std::chrono::seconds d);

// The JSONPath subset above; nullopt when the path finds nothing. Exposed for tests.
std::optional<Json> evalJsonPath(const Json& obj, const std::string& path);

}  // namespace kubesim::schema
