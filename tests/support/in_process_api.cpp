#include "tests/support/in_process_api.h"

#include <condition_variable>
#include <deque>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "kubesim/api/api_server.h"
#include "kubesim/http/request_target.h"
#include "operator/kube/query.h"
#include "operator/kube/rest_client.h"
#include "operator/kube/transport.h"
#include "tests/support/yaml_json.h"

namespace tro::testing {
namespace {

using kube::Json;
using std::chrono::milliseconds;

kube::Error cancelled() {
  return kube::Error{kube::ErrorKind::Cancelled, 0, "", "watch cancelled", {}, std::nullopt};
}

std::string lowerCase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// The request exactly as it would cross the wire, parsed back by kubesim's own HTTP front.
kubesim::api::Request toServerRequest(const kube::HttpRequest& request) {
  kubesim::http::RequestTarget target =
      kubesim::http::parseRequestTarget(kube::requestTarget(request));
  kubesim::api::Request out;
  out.method = request.method;
  out.path = std::move(target.path);
  out.query = std::move(target.query);
  for (const auto& [name, value] : request.headers) {
    out.headers[lowerCase(name)] = value;
  }
  out.body = request.body;
  out.user = "kubesim-admin";  // the kubeconfig's admin token, as kubesim's HTTP front names it
  return out;
}

kube::HttpResponse toClientResponse(const kubesim::api::Response& response) {
  kube::HttpResponse out;
  out.status = response.status;
  for (const auto& [name, value] : response.headers) {
    out.headers[lowerCase(name)] = value;
  }
  if (out.headers.find("content-type") == out.headers.end())
    out.headers["content-type"] = "application/json";
  out.body = response.body;
  return out;
}

// One open watch: the server's stream plus the lines a test injects after what it has queued.
struct OpenWatch {
  struct Injected {
    std::string line;
    bool last = false;  // an ERROR: the stream ends after it, as on a real server
  };
  kubesim::api::WatchPtr watch;
  std::string path;  // the watched collection, for bookmarks
  std::mutex mu;
  std::deque<Injected> injected;  // guarded by mu
  bool closing = false;           // guarded by mu; end cleanly once the server's lines are read
  bool ending = false;            // guarded by mu; an ERROR is on its way: no longer open
  bool ended = false;             // guarded by mu; nothing more comes
  bool cancelled = false;         // guarded by mu; the client cancelled

  bool open() {
    std::lock_guard l(mu);
    return !closing && !ending && !ended && !cancelled && !watch->finished();
  }
};

class InProcessLineStream final : public kube::LineStream {
 public:
  explicit InProcessLineStream(std::shared_ptr<OpenWatch> w) : w_(std::move(w)) {}
  ~InProcessLineStream() override { cancel(); }

  kube::Result<std::optional<std::string>> nextLine() override {
    for (milliseconds wait{0};; wait = milliseconds(20)) {
      {
        std::lock_guard l(w_->mu);
        if (w_->cancelled) return kube::fail(cancelled());
        if (w_->ended) return std::optional<std::string>();
      }
      // What the server queued comes first, as on the wire; an injected line goes after it.
      if (std::optional<std::string> line = w_->watch->nextLine(milliseconds(0))) {
        return delivered(std::move(line));
      }
      {
        std::lock_guard l(w_->mu);
        if (w_->cancelled) return kube::fail(cancelled());  // cancel() ends the server's stream
        if (!w_->injected.empty()) {
          OpenWatch::Injected next = std::move(w_->injected.front());
          w_->injected.pop_front();
          w_->ended = next.last;
          return std::optional<std::string>(std::move(next.line));
        }
        if (w_->closing || w_->watch->finished()) {
          w_->ended = true;
          w_->watch->cancel();
          return std::optional<std::string>();
        }
      }
      if (wait.count() > 0) {
        if (std::optional<std::string> line = w_->watch->nextLine(wait)) {
          return delivered(std::move(line));
        }
      }
    }
  }

  void cancel() override {
    {
      std::lock_guard l(w_->mu);
      w_->cancelled = true;
    }
    w_->watch->cancel();
  }

 private:
  // A line the server sent, unless the client cancelled meanwhile (then the call is Cancelled).
  kube::Result<std::optional<std::string>> delivered(std::optional<std::string> line) {
    std::lock_guard l(w_->mu);
    if (w_->cancelled) return kube::fail(cancelled());
    return line;
  }

  std::shared_ptr<OpenWatch> w_;
};

// kube::Transport over ApiServer: send() is ApiServer::handle, stream() is ApiServer::watch.
class InProcessTransport final : public kube::Transport {
 public:
  explicit InProcessTransport(kubesim::api::ApiServer& server) : server_(server) {}

  kube::Result<kube::HttpResponse> send(const kube::HttpRequest& request,
                                        milliseconds /*timeout*/) override {
    return toClientResponse(server_.handle(toServerRequest(request)));
  }

  kube::Result<kube::StreamOpen> stream(const kube::HttpRequest& request) override {
    kubesim::api::Request serverRequest = toServerRequest(request);
    if (!kubesim::api::ApiServer::isWatch(serverRequest)) {
      // The client streams watches only; anything else is a bug in the caller.
      return kube::fail(kube::Error{
          kube::ErrorKind::Config, 0, "", "in-process transport streams watches only", {}, {}});
    }
    auto opened = server_.watch(serverRequest);
    if (!opened.ok()) {
      return kube::StreamOpen{nullptr,
                              toClientResponse(kubesim::api::errorResponse(opened.error()))};
    }
    auto w = std::make_shared<OpenWatch>();
    w->watch = std::move(*opened);
    w->path = serverRequest.path;
    {
      std::lock_guard l(mu_);
      watches_.push_back(w);
    }
    kube::HttpResponse ok;
    ok.status = 200;
    ok.headers["content-type"] = "application/json";
    return kube::StreamOpen{std::make_unique<InProcessLineStream>(std::move(w)), std::move(ok)};
  }

  // Every watch still open (not ended, closed or cancelled).
  std::vector<std::shared_ptr<OpenWatch>> openWatches() {
    std::lock_guard l(mu_);
    std::vector<std::shared_ptr<OpenWatch>> out;
    std::vector<std::weak_ptr<OpenWatch>> kept;
    for (const auto& weak : watches_) {
      auto w = weak.lock();
      if (!w || !w->open()) continue;
      out.push_back(w);
      kept.push_back(weak);
    }
    watches_ = std::move(kept);
    return out;
  }

 private:
  kubesim::api::ApiServer& server_;
  std::mutex mu_;
  std::vector<std::weak_ptr<OpenWatch>> watches_;  // guarded by mu_
};

kubesim::api::ApiServer::Options serverOptions(const InProcessApiOptions& options) {
  kubesim::api::ApiServer::Options out;
  out.watchHistory = options.watchHistory;
  if (options.clock) out.clock = options.clock;
  return out;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void injectLine(OpenWatch& w, std::string line, bool last) {
  std::lock_guard l(w.mu);
  w.injected.push_back({std::move(line), last});
  if (last) w.ending = true;
}

// The shipped CRD text, or (OpenSpec) the same CRD as JSON with `spec` unvalidated.
std::string rolloutCrd(const std::string& yaml, RolloutCrds which) {
  if (which != RolloutCrds::OpenSpec) return yaml;
  Json crd = yamlToJson(YAML::Load(yaml));
  for (auto& version : crd["spec"]["versions"]) {
    version["schema"]["openAPIV3Schema"]["properties"]["spec"] = {
        {"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}};
  }
  return crd.dump();
}

Json statusOf(const kube::Error& error) {
  return {{"apiVersion", "v1"},  {"kind", "Status"},         {"metadata", Json::object()},
          {"status", "Failure"}, {"message", error.message}, {"reason", error.reason},
          {"code", error.code}};
}

}  // namespace

kube::Error apiError(int code, const std::string& reason, const std::string& message) {
  return kube::Error{kube::ErrorKind::Api, code, reason, message, {}, std::nullopt};
}

class InProcessApi::Cluster {
 public:
  explicit Cluster(const InProcessApiOptions& options)
      : server(serverOptions(options)), transport(server), client(transport) {
    for (const auto& ns : options.namespaces) createNamespace(ns);
    std::vector<std::string> crds = options.crds;
    if (options.rolloutCrds != RolloutCrds::None) {
      for (const char* file : {"telemetryrollouts.rollout.telemetry.io.yaml",
                               "clustertelemetryrollouts.rollout.telemetry.io.yaml"}) {
        crds.push_back(
            rolloutCrd(readFile(std::string(TRO_CRD_DIR) + "/" + file), options.rolloutCrds));
      }
    }
    for (const auto& crd : crds) {
      const bool json = crd.find_first_not_of(" \t\r\n") != std::string::npos &&
                        crd[crd.find_first_not_of(" \t\r\n")] == '{';
      auto answer = post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd,
                         json ? "application/json" : "application/yaml");
      if (answer.status != 201) throw std::runtime_error("installing a CRD: " + answer.body);
    }
  }

  kubesim::api::Response post(const std::string& path, const std::string& body,
                              const std::string& contentType) {
    kubesim::api::Request r;
    r.method = "POST";
    r.path = path;
    r.headers["content-type"] = contentType;
    r.headers["accept"] = "application/json";
    r.body = body;
    r.user = "kubesim-admin";
    return server.handle(r);
  }

  void createNamespace(const std::string& name) {
    Json ns = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}};
    auto answer = post("/api/v1/namespaces", ns.dump(), "application/json");
    if (answer.status != 201 && answer.status != 409)
      throw std::runtime_error("creating namespace " + name + ": " + answer.body);
  }

  // A LIST's metadata.resourceVersion: the server's current revision.
  Json listFirst(const std::string& path) {
    kubesim::api::Request r;
    r.method = "GET";
    r.path = path;
    r.query.emplace("limit", "1");
    r.headers["accept"] = "application/json";
    r.user = "kubesim-admin";
    return Json::parse(server.handle(r).body);
  }

  kubesim::api::ApiServer server;
  InProcessTransport transport;
  kube::RestClient client;
};

InProcessApi::InProcessApi(InProcessApiOptions options)
    : InProcessApi(std::make_shared<Cluster>(options)) {}

InProcessApi::InProcessApi(std::shared_ptr<Cluster> cluster) : cluster_(std::move(cluster)) {}

InProcessApi::~InProcessApi() = default;

std::unique_ptr<InProcessApi> InProcessApi::share() const {
  return std::make_unique<InProcessApi>(cluster_);
}

void InProcessApi::failNext(Verb verb, kube::Error error, int times) {
  std::lock_guard l(mu_);
  for (int i = 0; i < times; ++i) injected_[verb].push_back(error);
}

int InProcessApi::calls(Verb verb) const {
  std::lock_guard l(mu_);
  auto it = calls_.find(verb);
  return it == calls_.end() ? 0 : it->second;
}

kube::ListOptions InProcessApi::lastListOptions() const {
  std::lock_guard l(mu_);
  return lastList_;
}

kube::WatchOptions InProcessApi::lastWatchOptions() const {
  std::lock_guard l(mu_);
  return lastWatch_;
}

void InProcessApi::compact() { cluster_->server.compact(); }

void InProcessApi::closeWatches() {
  for (const auto& w : cluster_->transport.openWatches()) {
    std::lock_guard l(w->mu);
    w->closing = true;
  }
}

void InProcessApi::sendBookmark() {
  for (const auto& w : cluster_->transport.openWatches()) {
    Json list = cluster_->listFirst(w->path);
    std::string kind = list.value("kind", "");
    if (kind.size() > 4 && kind.ends_with("List")) kind.resize(kind.size() - 4);
    Json object = {{"apiVersion", list.value("apiVersion", "")},
                   {"kind", kind},
                   {"metadata", {{"resourceVersion", list["metadata"]["resourceVersion"]}}}};
    injectLine(*w, Json{{"type", "BOOKMARK"}, {"object", object}}.dump(), false);
  }
}

void InProcessApi::sendWatchError(const kube::Error& error) {
  for (const auto& w : cluster_->transport.openWatches()) {
    injectLine(*w, Json{{"type", "ERROR"}, {"object", statusOf(error)}}.dump(), true);
  }
}

size_t InProcessApi::openWatches() const { return cluster_->transport.openWatches().size(); }

std::string InProcessApi::currentResourceVersion() const {
  return cluster_->listFirst("/api/v1/namespaces")["metadata"].value("resourceVersion", "");
}

void InProcessApi::createNamespace(const std::string& name) { cluster_->createNamespace(name); }

bool InProcessApi::injected(Verb verb, kube::Error& error) {
  std::lock_guard l(mu_);
  ++calls_[verb];
  auto& queue = injected_[verb];
  if (queue.empty()) return false;
  error = std::move(queue.front());
  queue.erase(queue.begin());
  return true;
}

kube::Result<Json> InProcessApi::get(const kube::ResourceType& type, const std::string& ns,
                                     const std::string& name) {
  kube::Error error;
  if (injected(Verb::Get, error)) return kube::fail(std::move(error));
  return cluster_->client.get(type, ns, name);
}

kube::Result<Json> InProcessApi::list(const kube::ResourceType& type, const std::string& ns,
                                      const kube::ListOptions& options) {
  {
    std::lock_guard l(mu_);
    lastList_ = options;
  }
  kube::Error error;
  if (injected(Verb::List, error)) return kube::fail(std::move(error));
  return cluster_->client.list(type, ns, options);
}

kube::Result<Json> InProcessApi::listEach(const kube::ResourceType& type, const std::string& ns,
                                          const kube::ListOptions& options,
                                          const std::function<void(Json&&)>& onItem) {
  {
    std::lock_guard l(mu_);
    lastList_ = options;
  }
  kube::Error error;
  if (injected(Verb::List, error)) return kube::fail(std::move(error));
  return cluster_->client.listEach(type, ns, options, onItem);
}

kube::Result<kube::WatchStreamPtr> InProcessApi::watch(const kube::ResourceType& type,
                                                       const std::string& ns,
                                                       const kube::WatchOptions& options) {
  {
    std::lock_guard l(mu_);
    lastWatch_ = options;
  }
  kube::Error error;
  if (injected(Verb::Watch, error)) return kube::fail(std::move(error));
  return cluster_->client.watch(type, ns, options);
}

kube::Result<Json> InProcessApi::create(const kube::ResourceType& type, const std::string& ns,
                                        const Json& object, const kube::WriteOptions& options) {
  kube::Error error;
  if (injected(Verb::Create, error)) return kube::fail(std::move(error));
  return cluster_->client.create(type, ns, object, options);
}

kube::Result<Json> InProcessApi::update(const kube::ResourceType& type, const std::string& ns,
                                        const Json& object, const kube::WriteOptions& options) {
  kube::Error error;
  if (injected(Verb::Update, error)) return kube::fail(std::move(error));
  return cluster_->client.update(type, ns, object, options);
}

kube::Result<Json> InProcessApi::updateStatus(const kube::ResourceType& type, const std::string& ns,
                                              const Json& object,
                                              const kube::WriteOptions& options) {
  kube::Error error;
  if (injected(Verb::UpdateStatus, error)) return kube::fail(std::move(error));
  return cluster_->client.updateStatus(type, ns, object, options);
}

kube::Result<Json> InProcessApi::patch(const kube::ResourceType& type, const std::string& ns,
                                       const std::string& name, kube::PatchType patchType,
                                       const std::string& body, const kube::PatchOptions& options) {
  kube::Error error;
  if (injected(Verb::Patch, error)) return kube::fail(std::move(error));
  return cluster_->client.patch(type, ns, name, patchType, body, options);
}

kube::Result<Json> InProcessApi::remove(const kube::ResourceType& type, const std::string& ns,
                                        const std::string& name,
                                        const kube::DeleteOptions& options) {
  kube::Error error;
  if (injected(Verb::Remove, error)) return kube::fail(std::move(error));
  return cluster_->client.remove(type, ns, name, options);
}

}  // namespace tro::testing
