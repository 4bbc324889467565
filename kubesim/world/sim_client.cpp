#include "kubesim/world/sim_client.h"

#include <utility>

namespace kubesim::world {

SimClient::SimClient(api::ApiServer& server, std::string user, std::string fieldManager)
    : server_(server), user_(std::move(user)), fieldManager_(std::move(fieldManager)) {}

Result<Json> SimClient::send(api::Request request) {
  request.user = user_;
  if (request.method != "GET") ++writes_;
  request.headers["accept"] = "application/json";
  const std::string what = request.method + " " + request.path;
  api::Response response = server_.handle(request);
  Json body;
  try {
    body = response.body.empty() ? Json::object() : Json::parse(response.body);
  } catch (const Json::exception& e) {
    return fail(internalError(what + ": unparsable response: " + e.what()));
  }
  if (response.status >= 200 && response.status < 300) return body;
  ApiError err;
  err.code = response.status;
  err.reason = body.is_object() ? body.value("reason", "") : "";
  err.message = what + ": " + (body.is_object() ? body.value("message", "") : response.body);
  return fail(std::move(err));
}

Result<Json> SimClient::get(const std::string& path) {
  api::Request r;
  r.method = "GET";
  r.path = path;
  return send(std::move(r));
}

Result<Json> SimClient::list(const std::string& collectionPath, const std::string& labelSelector) {
  api::Request r;
  r.method = "GET";
  r.path = collectionPath;
  if (!labelSelector.empty()) r.query.emplace("labelSelector", labelSelector);
  auto out = send(std::move(r));
  if (!out) return out;
  Json items = out->value("items", Json::array());
  return items.is_array() ? items : Json::array();
}

Result<Json> SimClient::create(const std::string& collectionPath, const Json& object) {
  api::Request r;
  r.method = "POST";
  r.path = collectionPath;
  r.query.emplace("fieldManager", fieldManager_);
  r.headers["content-type"] = "application/json";
  r.body = object.dump();
  return send(std::move(r));
}

Result<Json> SimClient::mergePatch(const std::string& path, const Json& patch, bool status) {
  api::Request r;
  r.method = "PATCH";
  r.path = status ? path + "/status" : path;
  r.query.emplace("fieldManager", fieldManager_);
  r.headers["content-type"] = "application/merge-patch+json";
  r.body = patch.dump();
  return send(std::move(r));
}

Result<Json> SimClient::remove(const std::string& path) {
  api::Request r;
  r.method = "DELETE";
  r.path = path;
  r.query.emplace("propagationPolicy", "Background");
  return send(std::move(r));
}

}  // namespace kubesim::world
