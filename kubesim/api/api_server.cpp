#include "kubesim/api/api_server.h"

#include <algorithm>
#include <exception>
#include <stdexcept>

#include "kubesim/api/bootstrap_rbac.h"
#include "kubesim/api/errors.h"
#include "kubesim/api/server_impl.h"
#include "kubesim/schema/discovery.h"
#include "kubesim/schema/openapi.h"

namespace kubesim::api {

ApiServer::ApiServer(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
ApiServer::~ApiServer() = default;

Response ApiServer::handle(const Request& request) { return impl_->handle(request); }

Result<WatchPtr> ApiServer::watch(const Request& request) { return impl_->watch(request); }

std::optional<UserInfo> ApiServer::authenticate(const std::string& token) {
  return impl_->authenticate(token);
}

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
  bootstrapNodes();
  bootstrapRbac();
}

// The default ClusterRoles and ClusterRoleBindings (cluster-admin, admin/edit/view, discovery and
// basic-user for every authenticated user), created as the real server's rbac/bootstrap-roles
// hook creates them.
void ApiServer::Impl::bootstrapRbac() {
  const auto store = [this](const char* plural, Json obj) {
    Request r;
    r.method = "POST";
    r.path = std::string("/apis/rbac.authorization.k8s.io/v1/") + plural;
    r.headers["user-agent"] = "kube-apiserver/v1.32.0";
    Target t{&r, parseRoute(r.path),
             registry_.byResource("rbac.authorization.k8s.io", "v1", plural),
             storageKey("rbac.authorization.k8s.io", plural)};
    const std::string name = obj["metadata"].value("name", "");
    auto out = t.kind == nullptr ? fail(resourceNotFound())
                                 : commit(t, nullptr, std::move(obj), false, false);
    if (!out) {  // a defect in kubesim's own bootstrap data, not a client's error
      throw std::logic_error("bootstrap " + std::string(plural) + " " + name + ": " +
                             out.error().message);
    }
  };
  for (Json& role : bootstrapClusterRoles()) store("clusterroles", std::move(role));
  for (Json& binding : bootstrapClusterRoleBindings()) {
    store("clusterrolebindings", std::move(binding));
  }
}

namespace {

struct BootNode {
  const char* name;
  const char* ip;
  const char* podCidr;
  bool controlPlane;
  const char* machineId;  // also the system UUID and boot ID, dashed
};

// The nodes of a three-node kind cluster named "kubesim" (`kind create cluster` with one
// control plane and two workers), as their kubelets register them.
constexpr BootNode kBootNodes[] = {
    {"kubesim-control-plane", "172.18.0.2", "10.244.0.0/24", true,
     "6b1d3f0a9c2e4d7f8a5b0c1d2e3f4a5b"},
    {"kubesim-worker", "172.18.0.3", "10.244.1.0/24", false, "7c2e4a1b0d3f4e8a9b6c1d2e3f4a5b6c"},
    {"kubesim-worker2", "172.18.0.4", "10.244.2.0/24", false, "8d3f5b2c1e4a4f9b8c7d2e3f4a5b6c7d"},
};

std::string dashedUuid(const std::string& hex) {
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

Json bootNode(const BootNode& n, const std::string& now) {
  Json labels = {{"beta.kubernetes.io/arch", "amd64"},
                 {"beta.kubernetes.io/os", "linux"},
                 {"kubernetes.io/arch", "amd64"},
                 {"kubernetes.io/hostname", n.name},
                 {"kubernetes.io/os", "linux"}};
  Json spec = {{"podCIDR", n.podCidr},
               {"podCIDRs", Json::array({n.podCidr})},
               {"providerID", std::string("kind://docker/kubesim/") + n.name}};
  if (n.controlPlane) {
    labels["node-role.kubernetes.io/control-plane"] = "";
    labels["node.kubernetes.io/exclude-from-external-load-balancers"] = "";
    spec["taints"] =
        Json::array({{{"effect", "NoSchedule"}, {"key", "node-role.kubernetes.io/control-plane"}}});
  }
  const Json resources = {{"cpu", "8"},
                          {"ephemeral-storage", "102626232Ki"},
                          {"hugepages-1Gi", "0"},
                          {"hugepages-2Mi", "0"},
                          {"memory", "16318712Ki"},
                          {"pods", "110"}};
  const auto condition = [&now](const char* type, const char* status, const char* reason,
                                const char* message) {
    return Json{{"type", type},
                {"status", status},
                {"lastHeartbeatTime", now},
                {"lastTransitionTime", now},
                {"reason", reason},
                {"message", message}};
  };
  const std::string id = n.machineId;
  return {{"apiVersion", "v1"},
          {"kind", "Node"},
          {"metadata",
           {{"name", n.name},
            {"labels", labels},
            {"annotations",
             {{"kubeadm.alpha.kubernetes.io/cri-socket", "unix:///run/containerd/containerd.sock"},
              {"node.alpha.kubernetes.io/ttl", "0"},
              {"volumes.kubernetes.io/controller-managed-attach-detach", "true"}}}}},
          {"spec", spec},
          {"status",
           {{"addresses", Json::array({{{"type", "InternalIP"}, {"address", n.ip}},
                                       {{"type", "Hostname"}, {"address", n.name}}})},
            {"allocatable", resources},
            {"capacity", resources},
            {"conditions",
             Json::array(
                 {condition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                            "kubelet has sufficient memory available"),
                  condition("DiskPressure", "False", "KubeletHasNoDiskPressure",
                            "kubelet has no disk pressure"),
                  condition("PIDPressure", "False", "KubeletHasSufficientPID",
                            "kubelet has sufficient PID available"),
                  condition("Ready", "True", "KubeletReady", "kubelet is posting ready status")})},
            {"daemonEndpoints", {{"kubeletEndpoint", {{"Port", 10250}}}}},
            {"nodeInfo",
             {{"architecture", "amd64"},
              {"bootID", dashedUuid(id.substr(16) + id.substr(0, 16))},
              {"containerRuntimeVersion", "containerd://1.7.24"},
              {"kernelVersion", "6.8.0-49-generic"},
              {"kubeProxyVersion", "v1.32.0"},
              {"kubeletVersion", "v1.32.0"},
              {"machineID", id},
              {"operatingSystem", "linux"},
              {"osImage", "Debian GNU/Linux 12 (bookworm)"},
              {"systemUUID", dashedUuid(id)}}}}}};
}

}  // namespace

// The cluster's Nodes (created with their status, as a kubelet registers its Node), each Node's
// heartbeat Lease in kube-node-lease, and the `kubernetes` Endpoints the API server keeps at the
// control plane's address. Nothing updates them afterwards: no kubelet runs.
void ApiServer::Impl::bootstrapNodes() {
  const auto store = [this](const std::string& path, const char* group, const char* plural,
                            const char* userAgent, Json obj) {
    Request r;
    r.method = "POST";
    r.path = path;
    r.headers["user-agent"] = userAgent;
    Target t{&r, parseRoute(r.path), registry_.byResource(group, "v1", plural),
             storageKey(group, plural)};
    if (t.kind == nullptr) return Json();
    auto out = commit(t, nullptr, std::move(obj), false, false);
    return out ? out->object : Json();  // bootstrap objects are valid by construction
  };
  const std::string stamp = now();
  // A Lease's renewTime is a MicroTime: RFC 3339 with microseconds.
  const std::string micro = stamp.substr(0, stamp.size() - 1) + ".000000Z";
  for (const BootNode& n : kBootNodes) {
    const Json node =
        store("/api/v1/nodes", "", "nodes", "kubelet/v1.32.0 (linux/amd64)", bootNode(n, stamp));
    const std::string uid = node.is_object() ? node["metadata"].value("uid", "") : "";
    Json lease = {
        {"apiVersion", "coordination.k8s.io/v1"},
        {"kind", "Lease"},
        {"metadata",
         {{"name", n.name},
          {"ownerReferences",
           Json::array(
               {{{"apiVersion", "v1"}, {"kind", "Node"}, {"name", n.name}, {"uid", uid}}})}}},
        {"spec", {{"holderIdentity", n.name}, {"leaseDurationSeconds", 40}, {"renewTime", micro}}}};
    store("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", "coordination.k8s.io",
          "leases", "kubelet/v1.32.0 (linux/amd64)", std::move(lease));
  }
  Json endpoints = {
      {"apiVersion", "v1"},
      {"kind", "Endpoints"},
      {"metadata",
       {{"name", "kubernetes"}, {"labels", {{"endpointslice.kubernetes.io/skip-mirror", "true"}}}}},
      {"subsets",
       Json::array({{{"addresses", Json::array({{{"ip", kBootNodes[0].ip}}})},
                     {"ports",
                      Json::array({{{"name", "https"}, {"port", 6443}, {"protocol", "TCP"}}})}}})}};
  store("/api/v1/namespaces/default/endpoints", "", "endpoints", "kube-apiserver/v1.32.0",
        std::move(endpoints));
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
    if (auto denied = authorizeRequest(request, route, true)) return fail(*denied);
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
  const bool known =
      (route.subresource == "status" && kind->hasStatus) ||
      (route.subresource == "scale" && kind->hasScale) ||
      (route.subresource == "token" && kind->hasToken) ||
      (kind->group.empty() && kind->plural == "pods" && isContainerSubresource(route.subresource));
  if (!route.subresource.empty() && !known) {
    return fail(resourceNotFound());
  }
  return Target{&request, route, kind, storageKey(kind->group, kind->plural)};
}

Response ApiServer::Impl::dispatch(const Request& request) {
  Route route = parseRoute(request.path);
  if (auto denied = authorizeRequest(request, route)) return errorResponse(*denied);
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
  } else if (route.subresource == "token") {
    out = createToken(t);
  } else if (isContainerSubresource(route.subresource)) {
    out = containerSubresource(t);
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
