#include "operator/kube/rest_client.h"

#include <utility>

#include "operator/kube/decode.h"
#include "operator/kube/requests.h"

namespace tro::kube {
namespace {

// "deployments shop/api", "namespaces default", "deployments in all namespaces".
std::string target(const ResourceType& type, const std::string& ns, const std::string& name) {
  std::string out = type.resource;
  if (name.empty()) {
    if (!type.namespaced) return out;
    return out + (ns.empty() ? " in all namespaces" : " in " + ns);
  }
  return out + " " + (type.namespaced && !ns.empty() ? ns + "/" + name : name);
}

std::string objectName(const Json& object) {
  if (!object.is_object() || !object.contains("metadata") || !object["metadata"].is_object()) {
    return "";
  }
  const Json& metadata = object["metadata"];
  auto name = metadata.find("name");
  if (name != metadata.end() && name->is_string()) return name->get<std::string>();
  auto generated = metadata.find("generateName");
  if (generated != metadata.end() && generated->is_string()) return generated->get<std::string>();
  return "";
}

std::string objectNamespace(const std::string& ns, const Json& object) {
  if (!ns.empty() || !object.is_object()) return ns;
  auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) return ns;
  auto own = metadata->find("namespace");
  return own != metadata->end() && own->is_string() ? own->get<std::string>() : ns;
}

class RestWatchStream final : public WatchStream {
 public:
  RestWatchStream(LineStreamPtr lines, std::string context)
      : lines_(std::move(lines)), context_(std::move(context)) {}

  Result<std::optional<WatchEvent>> next() override {
    while (true) {
      auto line = lines_->nextLine();
      if (!line) return fail(Error(line.error()).withContext(context_));
      if (!line->has_value()) return std::optional<WatchEvent>();
      auto event = decodeWatchLine(**line);
      if (!event) return fail(Error(event.error()).withContext(context_));
      if (event->has_value()) return std::move(*event);
    }
  }

  void cancel() override { lines_->cancel(); }

 private:
  LineStreamPtr lines_;
  std::string context_;
};

}  // namespace

RestClient::RestClient(Transport& transport, std::chrono::milliseconds timeout)
    : transport_(transport), timeout_(timeout) {}

Result<Json> RestClient::execute(const Result<HttpRequest>& request, const std::string& context) {
  if (!request) return fail(Error(request.error()).withContext(context));
  auto response = transport_.send(*request, timeout_);
  if (!response) return fail(Error(response.error()).withContext(context));
  auto decoded = decodeResponse(*response);
  if (!decoded) return fail(Error(decoded.error()).withContext(context));
  return decoded;
}

Result<Json> RestClient::get(const ResourceType& type, const std::string& ns,
                             const std::string& name) {
  return execute(getRequest(type, ns, name), "get " + target(type, ns, name));
}

Result<Json> RestClient::list(const ResourceType& type, const std::string& ns,
                              const ListOptions& options) {
  return execute(listRequest(type, ns, options), "list " + target(type, ns, ""));
}

Result<Json> RestClient::listEach(const ResourceType& type, const std::string& ns,
                                  const ListOptions& options,
                                  const std::function<void(Json&&)>& onItem) {
  const std::string context = "list " + target(type, ns, "");
  auto request = listRequest(type, ns, options);
  if (!request) return fail(Error(request.error()).withContext(context));
  auto response = transport_.send(*request, timeout_);
  if (!response) return fail(Error(response.error()).withContext(context));
  auto decoded = decodeListResponse(*response, onItem);
  if (!decoded) return fail(Error(decoded.error()).withContext(context));
  return decoded;
}

Result<WatchStreamPtr> RestClient::watch(const ResourceType& type, const std::string& ns,
                                         const WatchOptions& options) {
  std::string context = "watch " + target(type, ns, "");
  auto request = watchRequest(type, ns, options);
  if (!request) return fail(Error(request.error()).withContext(context));
  auto opened = transport_.stream(*request);
  if (!opened) return fail(Error(opened.error()).withContext(context));
  if (!opened->stream) {
    auto decoded = decodeResponse(opened->response);
    if (!decoded) return fail(Error(decoded.error()).withContext(context));
    Error e;
    e.kind = ErrorKind::Transport;
    e.code = opened->response.status;
    e.message =
        "the transport opened no stream for status " + std::to_string(opened->response.status);
    return fail(e.withContext(context));
  }
  return WatchStreamPtr(std::make_unique<RestWatchStream>(std::move(opened->stream), context));
}

Result<Json> RestClient::create(const ResourceType& type, const std::string& ns, const Json& object,
                                const WriteOptions& options) {
  return execute(createRequest(type, ns, object, options),
                 "create " + target(type, objectNamespace(ns, object), objectName(object)));
}

Result<Json> RestClient::update(const ResourceType& type, const std::string& ns, const Json& object,
                                const WriteOptions& options) {
  return execute(updateRequest(type, ns, object, options),
                 "update " + target(type, objectNamespace(ns, object), objectName(object)));
}

Result<Json> RestClient::updateStatus(const ResourceType& type, const std::string& ns,
                                      const Json& object, const WriteOptions& options) {
  return execute(
      updateStatusRequest(type, ns, object, options),
      "update status of " + target(type, objectNamespace(ns, object), objectName(object)));
}

Result<Json> RestClient::patch(const ResourceType& type, const std::string& ns,
                               const std::string& name, PatchType patchType,
                               const std::string& body, const PatchOptions& options) {
  std::string verb = patchType == PatchType::Apply ? "apply " : "patch ";
  if (!options.subresource.empty()) verb += options.subresource + " of ";
  return execute(patchRequest(type, ns, name, patchType, body, options),
                 verb + target(type, ns, name));
}

Result<Json> RestClient::remove(const ResourceType& type, const std::string& ns,
                                const std::string& name, const DeleteOptions& options) {
  return execute(deleteRequest(type, ns, name, options), "delete " + target(type, ns, name));
}

}  // namespace tro::kube
