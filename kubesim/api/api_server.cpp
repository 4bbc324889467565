#include "kubesim/api/api_server.h"

#include <algorithm>
#include <exception>

#include "kubesim/api/errors.h"
#include "kubesim/api/server_impl.h"
#include "kubesim/schema/discovery.h"
#include "kubesim/schema/openapi.h"

namespace kubesim::api {

ApiServer::ApiServer(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
ApiServer::~ApiServer() = default;

Response ApiServer::handle(const Request& request) { return impl_->handle(request); }

Result<WatchPtr> ApiServer::watch(const Request& request) { return impl_->watch(request); }

std::uint64_t ApiServer::subscribe(std::vector<std::string> groupResources,
                                   ChangeListener listener) {
  return impl_->subscribe(std::move(groupResources), std::move(listener));
}

void ApiServer::unsubscribe(std::uint64_t id) { impl_->unsubscribe(id); }

void ApiServer::compact() { impl_->compact(); }

bool ApiServer::isWatch(const Request& request) {
  auto w = request.param("watch");
  if (w && (*w == "true" || *w == "1")) return true;
  return parseRoute(request.path).legacyWatch;
}

ApiServer::Impl::Impl(Options options)
    : options_(std::move(options)),
      store_(1000, options_.watchHistory, [this](const Change& c) { publish(c); }),
      uids_(options_.uidSeed) {
  bootstrap();
}

void ApiServer::Impl::bootstrap() {
  const auto* nsKind = registry_.byResource("", "v1", "namespaces");
  for (const char* name : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    Json ns = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}};
    Request r;
    r.method = "POST";
    r.path = "/api/v1/namespaces";
    r.headers["user-agent"] = "kube-apiserver/v1.32.0";
    Target t{&r, parseRoute(r.path), nsKind, storageKey("", "namespaces")};
    auto out = commit(t, nullptr, ns, false, false);
    (void)out;  // bootstrap objects are valid by construction
  }
  // The `kubernetes` Service the real server keeps in `default`, at the first address of the
  // service CIDR, pointing at the API server's port.
  Json svc = {
      {"apiVersion", "v1"},
      {"kind", "Service"},
      {"metadata",
       {{"name", "kubernetes"},
        {"labels", {{"component", "apiserver"}, {"provider", "kubernetes"}}}}},
      {"spec",
       {{"clusterIP", "10.96.0.1"},
        {"ports",
         Json::array(
             {{{"name", "https"}, {"port", 443}, {"protocol", "TCP"}, {"targetPort", 6443}}})},
        {"type", "ClusterIP"}}}};
  Request r;
  r.method = "POST";
  r.path = "/api/v1/namespaces/default/services";
  r.headers["user-agent"] = "kube-apiserver/v1.32.0";
  Target t{&r, parseRoute(r.path), registry_.byResource("", "v1", "services"),
           storageKey("", "services")};
  auto out = commit(t, nullptr, svc, false, false);
  (void)out;
}

void ApiServer::Impl::publish(const Change& change) {
  hub_.publish(change);
  for (const auto& [id, subscriber] : subscribers_) {
    if (std::find(subscriber.groupResources.begin(), subscriber.groupResources.end(),
                  change.groupResource) != subscriber.groupResources.end()) {
      subscriber.listener(change);
    }
  }
}

std::uint64_t ApiServer::Impl::subscribe(std::vector<std::string> groupResources,
                                         ChangeListener listener) {
  std::lock_guard lock(mutex_);
  for (const auto& gr : groupResources) {
    for (const auto& obj : store_.list(gr, std::nullopt)) {
      const Json& md = (*obj)["metadata"];
      listener(Change{store_.currentRv(), ChangeType::Added, gr,
                      ObjectKey{md.value("namespace", ""), md.value("name", "")}, obj, nullptr});
    }
  }
  const std::uint64_t id = ++lastSubscriber_;
  subscribers_.emplace(id, Subscriber{std::move(groupResources), std::move(listener)});
  return id;
}

void ApiServer::Impl::compact() {
  std::lock_guard lock(mutex_);
  store_.compact();
}

void ApiServer::Impl::unsubscribe(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  subscribers_.erase(id);
}

Response ApiServer::Impl::handle(const Request& request) {
  try {
    return dispatch(request);
  } catch (const std::exception& e) {
    return errorResponse(internalError(std::string("kubesim internal error: ") + e.what()));
  } catch (...) {
    return errorResponse(internalError("kubesim internal error"));
  }
}

Result<WatchPtr> ApiServer::Impl::watch(const Request& request) {
  try {
    Route route = parseRoute(request.path);
    if (route.type != Route::Type::Resource) return fail(resourceNotFound());
    std::lock_guard lock(mutex_);
    auto target = resolve(request, route);
    if (!target) return fail(target.error());
    if (target->kind->review) return fail(methodNotAllowed());
    return startWatch(*target);
  } catch (const std::exception& e) {
    return fail(internalError(std::string("kubesim internal error: ") + e.what()));
  } catch (...) {
    return fail(internalError("kubesim internal error"));
  }
}

Result<Target> ApiServer::Impl::resolve(const Request& request, const Route& route) const {
  const schema::KindInfo* kind = registry_.byResource(route.group, route.version, route.resource);
  if (kind == nullptr) return fail(resourceNotFound());
  if (!kind->namespaced && route.ns) return fail(resourceNotFound());
  const bool known = (route.subresource == "status" && kind->hasStatus) ||
                     (route.subresource == "scale" && kind->hasScale);
  if (!route.subresource.empty() && !known) {
    return fail(resourceNotFound());
  }
  return Target{&request, route, kind, storageKey(kind->group, kind->plural)};
}

Response ApiServer::Impl::dispatch(const Request& request) {
  Route route = parseRoute(request.path);
  if (route.type != Route::Type::Resource) return discovery(request, route);
  if (ApiServer::isWatch(request)) {
    return errorResponse(badRequest("watch requests are served by ApiServer::watch"));
  }
  std::lock_guard lock(mutex_);
  auto target = resolve(request, route);
  if (!target) return errorResponse(target.error());
  const Target& t = *target;
  const std::string& m = request.method;
  Result<Response> out = fail(resourceNotFound());
  bool item = !route.name.empty();
  if (route.subresource == "scale") {
    out = scale(t);
  } else if (t.kind->review) {
    out = review(t);
  } else if (m == "GET") {
    out = item ? get(t) : list(t);
  } else if (m == "POST" && !item) {
    out = create(t);
  } else if (m == "PUT" && item) {
    out = update(t);
  } else if (m == "PATCH" && item) {
    out = patch(t);
  } else if (m == "DELETE" && !item &&
             std::find(t.kind->verbs.begin(), t.kind->verbs.end(), "deletecollection") ==
                 t.kind->verbs.end()) {
    out = fail(methodNotAllowed());  // namespaces have no deletecollection
  } else if (m == "DELETE") {
    out = item ? remove(t) : removeCollection(t);
  } else {
    std::string verb = m == "POST" ? "create" : m == "PUT" ? "update" : m == "PATCH" ? "patch" : m;
    out = fail(methodNotSupported(t.kind->plural, t.kind->group, verb));
  }
  return out ? std::move(out).value() : errorResponse(out.error());
}

Response ApiServer::Impl::discovery(const Request& request, const Route& route) {
  if (request.method != "GET") return errorResponse(resourceNotFound());
  bool aggregated = request.header("accept").find("as=APIGroupDiscoveryList") != std::string::npos;
  auto aggregatedResponse = [](const Json& doc) {
    Response r = jsonResponse(200, doc);
    r.headers = {{"Content-Type", schema::kAggregatedDiscoveryContentType}};
    return r;
  };
  std::lock_guard lock(mutex_);
  switch (route.type) {
    case Route::Type::LegacyRoot: {
      if (aggregated) return aggregatedResponse(schema::aggregatedDiscovery(registry_, true));
      std::string host = request.header("host");
      return jsonResponse(200, schema::apiVersions(host.empty() ? "127.0.0.1:6443" : host));
    }
    case Route::Type::GroupList:
      if (aggregated) return aggregatedResponse(schema::aggregatedDiscovery(registry_, false));
      return jsonResponse(200, schema::apiGroupList(registry_));
    case Route::Type::Group:
      if (auto g = schema::apiGroup(registry_, route.group)) return jsonResponse(200, *g);
      break;
    case Route::Type::ResourceList:
      if (auto l = schema::apiResourceList(registry_, route.group, route.version)) {
        return jsonResponse(200, *l);
      }
      break;
    case Route::Type::OpenApiIndex:
      return jsonResponse(200, schema::openapiV3Index(registry_));
    case Route::Type::OpenApiDoc:
      if (auto d = schema::openapiV3Document(registry_, route.group, route.version)) {
        Response r = jsonResponse(200, *d);
        r.headers.emplace_back("Etag", "\"" + schema::openapiHash(*d) + "\"");
        return r;
      }
      break;
    default:
      break;
  }
  return errorResponse(resourceNotFound());
}

}  // namespace kubesim::api
