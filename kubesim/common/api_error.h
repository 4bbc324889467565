#pragma once
// kubesim's error value: everything needed to answer with a Kubernetes `Status` body exactly as a
// real kube-apiserver does (../shared/reference/real-apiserver-responses.md). Every part of
// kubesim (patches, schema validation, storage, HTTP) returns these; only the HTTP layer renders
// them with toStatus().

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "operator/base/result.h"

namespace kubesim {

using Json = nlohmann::json;

struct Cause {
  std::string reason;  // FieldValueInvalid, FieldValueNotSupported, FieldManagerConflict, ...
  std::string message;
  std::string field;
  bool operator==(const Cause&) const = default;
};

struct ApiError {
  int code = 500;
  std::string reason;   // NotFound, AlreadyExists, Conflict, Invalid, BadRequest, Expired, ...
  std::string message;  // the exact message a real API server uses
  // Status.details: omitted when name, group and kind are all empty and there are no causes.
  std::string detailsName;
  std::string detailsGroup;
  std::string detailsKind;
  std::vector<Cause> causes;
  std::optional<int> retryAfterSeconds;
  // Some real errors carry an empty details object ("details": {}, e.g. a failed JSON patch
  // test); set this to render it even when there is nothing in it.
  bool emptyDetails = false;

  Json toStatus() const {
    Json s = {{"kind", "Status"},    {"apiVersion", "v1"}, {"metadata", Json::object()},
              {"status", "Failure"}, {"message", message}, {"reason", reason}};
    Json details = Json::object();
    if (!detailsName.empty()) details["name"] = detailsName;
    if (!detailsGroup.empty()) details["group"] = detailsGroup;
    if (!detailsKind.empty()) details["kind"] = detailsKind;
    if (!causes.empty()) {
      Json cs = Json::array();
      for (const auto& c : causes) {
        Json j = Json::object();
        if (!c.reason.empty()) j["reason"] = c.reason;
        if (!c.message.empty()) j["message"] = c.message;
        if (!c.field.empty()) j["field"] = c.field;
        cs.push_back(std::move(j));
      }
      details["causes"] = std::move(cs);
    }
    if (retryAfterSeconds) details["retryAfterSeconds"] = *retryAfterSeconds;
    if (!details.empty() || emptyDetails) s["details"] = std::move(details);
    if (reason.empty()) s.erase("reason");
    s["code"] = code;
    return s;
  }
};

template <typename T>
using Result = tro::base::Result<T, ApiError>;
using tro::base::fail;

// Common constructors, messages as the real API server words them. `resource` is the qualified
// plural ("gadgets.example.test", or "deployments.apps"; core types: "pods").
inline ApiError badRequest(std::string message) {
  return ApiError{400, "BadRequest", std::move(message), {}, {}, {}, {}, {}};
}
inline ApiError unsupportedMediaType(std::string message) {
  return ApiError{415, "UnsupportedMediaType", std::move(message), {}, {}, {}, {}, {}};
}
inline ApiError requestEntityTooLarge(std::string message) {
  return ApiError{413, "RequestEntityTooLarge", std::move(message), {}, {}, {}, {}, {}};
}
inline ApiError internalError(std::string message) {
  return ApiError{500, "InternalError", std::move(message), {}, {}, {}, {}, {}};
}

}  // namespace kubesim
