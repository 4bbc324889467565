#pragma once
// Kubernetes protobuf request bodies -> JSON. kubectl's typed clients (`kubectl create namespace`,
// `kubectl create configmap`/`secret`) send `application/vnd.kubernetes.protobuf`, which a real
// server accepts; kubesim's API core speaks JSON, so the HTTP front transcodes these bodies.
// The envelope is "k8s\0" and a runtime.Unknown; the message inside is read by its kind's field
// table (protobuf_kinds.h, on the wire reader of protobuf_wire.h) into the JSON a real server
// would hold. A kind without a table is an error, and the body is passed on unchanged (the API
// core then answers 415 as for any unknown format).

#include <optional>
#include <string>

#include "kubesim/api/request.h"
#include "kubesim/common/api_error.h"
#include "operator/base/result.h"

namespace kubesim::http {

inline constexpr const char* kProtobufContentType = "application/vnd.kubernetes.protobuf";

// Why a protobuf body was not transcoded.
struct ProtobufError {
  // A well-formed envelope around a kind kubesim has no table for: the body is passed on and the
  // API core answers 415. Otherwise the body is malformed: the front answers 400.
  bool unsupportedKind = false;
  std::string message;
  bool operator==(const ProtobufError&) const = default;
};

tro::base::Result<Json, ProtobufError> protobufBodyToJson(const std::string& body);

// When `request` carries a protobuf body that transcodes, replaces it with JSON and sets the
// content-type header to application/json. Returns why a protobuf body was left as it was;
// nullopt otherwise.
std::optional<ProtobufError> transcodeProtobufRequest(api::Request& request);

}  // namespace kubesim::http
