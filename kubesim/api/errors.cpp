#include "kubesim/api/errors.h"

namespace kubesim::api {

ApiError notFound(const std::string& resource, const std::string& group, const std::string& name) {
  return ApiError{404,  "NotFound", resource + " \"" + name + "\" not found",
                  name, group,      resource.substr(0, resource.find('.')),
                  {},   {}};
}

ApiError alreadyExists(const std::string& resource, const std::string& group,
                       const std::string& name) {
  return ApiError{409,
                  "AlreadyExists",
                  resource + " \"" + name + "\" already exists",
                  name,
                  group,
                  resource.substr(0, resource.find('.')),
                  {},
                  {}};
}

ApiError conflict(const std::string& resource, const std::string& group, const std::string& name,
                  const std::string& detail) {
  return ApiError{409,
                  "Conflict",
                  "Operation cannot be fulfilled on " + resource + " \"" + name + "\": " + detail,
                  name,
                  group,
                  resource.substr(0, resource.find('.')),
                  {},
                  {}};
}

ApiError invalid(const std::string& qualifiedKind, const std::string& group,
                 const std::string& detailsKind, const std::string& name,
                 std::vector<Cause> causes) {
  std::string list;
  for (const auto& c : causes) {
    if (!list.empty()) list += ", ";
    list += c.field.empty() ? c.message : c.field + ": " + c.message;
  }
  if (causes.size() > 1) list = "[" + list + "]";
  ApiError e{422,
             "Invalid",
             qualifiedKind + " \"" + name + "\" is invalid: " + list,
             name,
             group,
             detailsKind,
             std::move(causes),
             {}};
  return e;
}

ApiError expired(std::string message) {
  return ApiError{410, "Expired", std::move(message), {}, {}, {}, {}, {}};
}

ApiError methodNotAllowed() {
  return ApiError{405,
                  "MethodNotAllowed",
                  "the server does not allow this method on the requested resource",
                  {},
                  {},
                  {},
                  {},
                  {}};
}

ApiError methodNotSupported(const std::string& resource, const std::string& group,
                            const std::string& verb) {
  return ApiError{405,
                  "MethodNotAllowed",
                  verb + " is not supported on resources of kind \"" + resource + "\"",
                  {},
                  group,
                  resource,
                  {},
                  {}};
}

ApiError resourceNotFound() {
  return ApiError{404, "NotFound", "the server could not find the requested resource", {}, {}, {},
                  {},  {}};
}

}  // namespace kubesim::api
