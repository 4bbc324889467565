#pragma once
// Private implementation of ApiServer, split over several .cpp files by verb family:
//   api_server.cpp    construction, dispatch, discovery and OpenAPI
//   read_verbs.cpp    get, list (selectors, paging, Table), watch
//   write_verbs.cpp   create, update, patch, and the common commit pipeline
//   delete_verbs.cpp  delete, finalizers, garbage collection, CRD cascade
// Every member below is used under mutex_ (one lock for registry, store and hub).

#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "kubesim/api/api_server.h"
#include "kubesim/api/object_store.h"
#include "kubesim/api/rbac_authorizer.h"
#include "kubesim/api/route.h"
#include "kubesim/api/service_account_tokens.h"
#include "kubesim/api/uid_generator.h"
#include "kubesim/api/watch_hub.h"
#include "kubesim/patch/patch_meta.h"
#include "kubesim/schema/kinds.h"

namespace kubesim::api {

// The RBAC objects in the store at one moment (authorization.cpp), kept alive while the
// authorizer looks at them.
struct RbacSnapshot {
  std::vector<ObjectPtr> roles;
  std::vector<ObjectPtr> clusterRoles;
  std::vector<ObjectPtr> roleBindings;
  std::vector<ObjectPtr> clusterRoleBindings;
  RbacObjects view() const;
};

// What one resource request addresses, resolved against the registry.
struct Target {
  const Request* request = nullptr;
  Route route;
  const schema::KindInfo* kind = nullptr;
  std::string groupResource;  // storage key: "apps/deployments", "/pods"

  ObjectKey key() const { return ObjectKey{route.ns.value_or(""), route.name}; }
};

// Outcome of a write, before it becomes a Response.
struct WriteOutcome {
  Json object;
  bool created = false;
  std::vector<std::string> warnings;
};

class ApiServer::Impl {
 public:
  explicit Impl(Options options);

  Response handle(const Request& request);
  Result<WatchPtr> watch(const Request& request);
  // token_verbs.cpp: the user of a token the TokenRequest API issued.
  std::optional<UserInfo> authenticate(const std::string& token);
  std::uint64_t subscribe(std::vector<std::string> groupResources, ChangeListener listener);
  void unsubscribe(std::uint64_t id);
  void compact();

 private:
  // Every stored change goes to the watch hub and to the matching subscribers.
  void publish(const Change& change);

  // api_server.cpp
  Response dispatch(const Request& request);
  Response discovery(const Request& request, const Route& route);
  Result<Target> resolve(const Request& request, const Route& route) const;
  void bootstrap();
  void bootstrapNodes();
  void bootstrapRbac();

  // read_verbs.cpp
  Result<Response> get(const Target& t);
  Result<Response> list(const Target& t);
  Result<WatchPtr> startWatch(const Target& t);
  Json render(const Target& t, const Json& stored) const;

  // review_verbs.cpp: a review kind (SelfSubjectAccessReview), answered and never stored.
  Result<Response> review(const Target& t);

  // container_verbs.cpp: pods/<name>/log, exec, attach, portforward.
  Result<Response> containerSubresource(const Target& t);

  // token_verbs.cpp: POST serviceaccounts/<name>/token.
  Result<Response> createToken(const Target& t);

  // authorization.cpp. The 403 for a request its user may not make; nullopt when allowed.
  // `watch`: the request is served as a watch whatever its query says.
  std::optional<ApiError> authorizeRequest(const Request& request, const Route& route,
                                           bool watch = false);
  // The RBAC decision over the stored objects; the caller holds mutex_.
  Decision decide(const RequestAttributes& attributes) const;
  // The stored RBAC objects, held for one decision or review; the caller holds mutex_.
  RbacSnapshot rbacSnapshot() const;
  // write_verbs.cpp
  Result<Response> create(const Target& t);
  Result<Response> update(const Target& t);
  Result<Response> patch(const Target& t);
  Result<WriteOutcome> commit(const Target& t, const Json* old, Json next, bool statusWrite,
                              bool managedDone);
  Result<void> checkNamespace(const Target& t);
  std::string fieldManager(const Target& t) const;
  std::string now() const;
  patch::PatchMeta patchMeta(const schema::KindInfo& kind) const;
  void afterCrdWrite(const Json& crd);

  // scale_verbs.cpp: GET, PUT and PATCH of the scale subresource.
  Result<Response> scale(const Target& t);

  // delete_verbs.cpp
  Result<Response> remove(const Target& t);
  Result<Response> removeCollection(const Target& t);
  // Deletes one stored object honouring finalizers; returns the object's last state.
  Json deleteObject(const std::string& groupResource, const Json& obj, const std::string& policy);
  void finalizeIfDone(const std::string& groupResource, const Json& obj);
  // Garbage collection after `erased` left the store (see delete_verbs.cpp).
  void collectGarbage(const Json& erased);
  void deleteCrdContents(const Json& crd);
  // Namespace deletion as the real server and its namespace controller do it: the namespace
  // turns Terminating (deletionTimestamp, status.phase), every object in it is deleted as a
  // client's DELETE would (finalizers honoured), and once none is left the "kubernetes" entry of
  // spec.finalizers goes and so does the namespace. Until then status.conditions say what
  // remains (NamespaceContentRemaining, NamespaceFinalizersRemaining). Returns the namespace as
  // the DELETE answers it (Terminating).
  Json beginNamespaceDeletion(const Json& ns);
  // Finishes a Terminating namespace whose last object is gone, or updates what remains; called
  // whenever objects leave the store. No-op for a namespace that is not terminating.
  void finishNamespaceIfEmpty(const std::string& name);

  Options options_;
  std::mutex mutex_;
  schema::KindRegistry registry_;
  WatchHub hub_;
  ObjectStore store_;
  UidGenerator uids_;
  ServiceAccountTokens tokens_;
  UidGenerator tokenIds_{std::random_device{}()};  // jti claims: apart from the seeded uids
  struct Subscriber {
    std::vector<std::string> groupResources;
    ChangeListener listener;
  };
  std::map<std::uint64_t, Subscriber> subscribers_;
  std::uint64_t lastSubscriber_ = 0;
  struct GcItem {
    std::string uid;                  // of an object that left the store
    std::vector<std::string> owners;  // its ownerReferences' uids
    std::string ns;                   // its namespace ("" when cluster-scoped)
  };
  std::deque<GcItem> gcQueue_;  // erased objects the collector has still to react to
  bool collecting_ = false;     // collectGarbage() is draining gcQueue_ (it is not re-entered)
  std::string sweeping_;        // the namespace beginNamespaceDeletion() is emptying
};

// The pod subresources that need a container runtime (container_verbs.cpp).
bool isContainerSubresource(const std::string& subresource);

// Shared helpers (body_decode.cpp, write_verbs.cpp). Bodies with invalid UTF-8, nesting deeper
// than kMaxJsonDepth or numbers beyond float64 are 400 BadRequest.
Result<Json> decodeBody(const Request& request, const schema::KindInfo& kind, bool allowYaml);
// The body of a create or update: JSON or YAML by Content-Type (absent = JSON); any other media
// type is 415 with the real server's message.
Result<Json> decodeObjectBody(const Request& request, const schema::KindInfo& kind);
// The body of a JSON, merge or strategic merge patch: 400 "error decoding patch: ..." if bad.
Result<Json> decodePatchBody(const std::string& body);
std::string mediaType(const std::string& contentType);
std::string itemPath(const schema::KindInfo& kind, const std::string& ns, const std::string& name);
std::string storageKey(const std::string& group, const std::string& plural);

}  // namespace kubesim::api
