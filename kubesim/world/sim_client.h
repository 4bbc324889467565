#pragma once
// SimClient: an in-process Kubernetes client of kubesim's ApiServer. The world's controllers send
// every change through it, so their writes obey the same storage, resourceVersion, watch,
// managedFields and validation rules as any external client's. Non-2xx responses become
// ApiError values carrying the Status body's code, reason and message.

#include <cstdint>
#include <string>

#include "kubesim/api/api_server.h"
#include "kubesim/common/api_error.h"

namespace kubesim::world {

class SimClient {
 public:
  // `user` is the authenticated identity (e.g. system:serviceaccount:kube-system:...);
  // `fieldManager` names the managedFields entry of every write (kube-controller-manager).
  SimClient(api::ApiServer& server, std::string user, std::string fieldManager);

  Result<Json> get(const std::string& path);
  // The items of a list (GET on a collection), with an optional label selector.
  Result<Json> list(const std::string& collectionPath, const std::string& labelSelector = "");
  Result<Json> create(const std::string& collectionPath, const Json& object);
  // JSON merge patch (RFC 7386) on the object or, with `status`, on its status subresource.
  Result<Json> mergePatch(const std::string& path, const Json& patch, bool status = false);
  // DELETE with propagationPolicy=Background.
  Result<Json> remove(const std::string& path);
  // Number of write requests (anything but GET) sent so far; lets tests prove a steady state
  // costs no writes. Not synchronised: read it from the thread that drives the client.
  std::uint64_t writes() const { return writes_; }

 private:
  Result<Json> send(api::Request request);

  api::ApiServer& server_;
  std::string user_;
  std::string fieldManager_;
  std::uint64_t writes_ = 0;
};

}  // namespace kubesim::world
