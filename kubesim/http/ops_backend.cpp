#include "kubesim/http/ops_backend.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "kubesim/api/rbac_authorizer.h"  // kSystemMastersGroup (header-only use)

namespace kubesim::http {
namespace {

using tro::base::Clock;
using tro::base::MonoTime;
using tro::base::TimePoint;

bool isControlPath(const std::string& path) {
  return path == "/kubesim" || path.starts_with("/kubesim/");
}

api::Response jsonReply(int status, const Json& body) {
  return api::Response{status, {{"Content-Type", "application/json"}}, body.dump()};
}

api::Response errorReply(const ApiError& error) {
  api::Response r = jsonReply(error.code, error.toStatus());
  if (error.retryAfterSeconds)
    r.headers.emplace_back("Retry-After", std::to_string(*error.retryAfterSeconds));
  return r;
}

api::Response statusReply(int code, std::string reason, std::string message) {
  ApiError e;
  e.code = code;
  e.reason = std::move(reason);
  e.message = std::move(message);
  return errorReply(e);
}

api::Response notFound() {
  return statusReply(404, "NotFound", "the server could not find the requested resource");
}

api::Response methodNotAllowed() {
  return statusReply(405, "MethodNotAllowed",
                     "the server does not allow this method on the requested resource");
}

// kubesim's own endpoints are the cluster operator's: only the admin token (system:masters), or
// any request when authentication is disabled (no groups), may use them. Anyone else gets the
// 403 a real server gives for a non-resource path.
std::optional<api::Response> refuseNonAdmin(const api::Request& request) {
  const auto& groups = request.groups;
  if (groups.empty() ||
      std::find(groups.begin(), groups.end(), api::kSystemMastersGroup) != groups.end()) {
    return std::nullopt;
  }
  std::string verb = request.method;
  std::transform(verb.begin(), verb.end(), verb.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  ApiError e;
  e.code = 403;
  e.reason = "Forbidden";
  e.message =
      "forbidden: User \"" + request.user + "\" cannot " + verb + " path \"" + request.path + "\"";
  e.emptyDetails = true;
  return errorReply(e);
}

// A watch that also ends when the operator of kubesim cuts it: at `cutAt`, or once the shared
// epoch moved past the value it started with ("cut all open watches now").
class CutWatch final : public api::Watch {
 public:
  CutWatch(api::WatchPtr inner, std::shared_ptr<const std::atomic<std::uint64_t>> epoch,
           std::optional<MonoTime> cutAt, const Clock& clock)
      : inner_(std::move(inner)),
        epoch_(std::move(epoch)),
        startEpoch_(epoch_->load()),
        cutAt_(cutAt),
        clock_(clock) {}

  std::optional<std::string> nextLine(std::chrono::milliseconds wait) override {
    if (dueForCut()) return std::nullopt;
    return inner_->nextLine(wait);
  }
  bool finished() const override { return cut_.load() || inner_->finished(); }
  void cancel() override { inner_->cancel(); }

 private:
  bool dueForCut() {
    if (cut_.load()) return true;
    if (epoch_->load() == startEpoch_ && (!cutAt_ || clock_.monotonicNow() < *cutAt_)) return false;
    cut_ = true;
    inner_->cancel();
    return true;
  }

  api::WatchPtr inner_;
  std::shared_ptr<const std::atomic<std::uint64_t>> epoch_;
  const std::uint64_t startEpoch_;
  const std::optional<MonoTime> cutAt_;
  const Clock& clock_;
  std::atomic<bool> cut_{false};
};

}  // namespace

OpsBackend::OpsBackend(Backend& inner, const Clock& clock, FaultSettings initial, AuditLog* audit)
    : inner_(inner),
      clock_(clock),
      audit_(audit),
      cutEpoch_(std::make_shared<std::atomic<std::uint64_t>>(0)),
      decider_(std::move(initial)) {}

OpsBackend::~OpsBackend() { stopWaiting(); }

FaultSettings OpsBackend::faults() const {
  std::lock_guard lock(mutex_);
  return decider_.settings();
}

void OpsBackend::setFaults(FaultSettings settings) {
  std::lock_guard lock(mutex_);
  decider_ = FaultDecider(std::move(settings));
  wake_.notify_all();  // held requests re-check (a shorter latency does not shorten a held one)
}

void OpsBackend::pauseFor(tro::base::Duration duration) {
  std::lock_guard lock(mutex_);
  pausedUntil_ = clock_.monotonicNow() + duration;
  wake_.notify_all();
}

void OpsBackend::cutWatches() { cutEpoch_->fetch_add(1); }

void OpsBackend::stopWaiting() {
  stop_.request_stop();
  std::lock_guard lock(mutex_);
  wake_.notify_all();
}

void OpsBackend::holdUntil(std::unique_lock<std::mutex>& lock, MonoTime deadline) {
  while (!stop_.stop_requested() && clock_.monotonicNow() < deadline)
    clock_.waitUntil(lock, wake_, deadline, stop_.get_token());
}

FaultDecision OpsBackend::admit(const RequestFacts& facts) {
  std::unique_lock lock(mutex_);
  // pausedUntil_ may move while held (a new pause, or DELETE lifting it): re-read it each time.
  while (!stop_.stop_requested() && clock_.monotonicNow() < pausedUntil_)
    clock_.waitUntil(lock, wake_, pausedUntil_, stop_.get_token());
  FaultDecision decision = decider_.decide(facts);
  if (decision.latency.count() > 0) holdUntil(lock, clock_.monotonicNow() + decision.latency);
  return decision;
}

bool OpsBackend::isWatch(const api::Request& request) {
  return !isControlPath(request.path) && inner_.isWatch(request);
}

void OpsBackend::account(const api::Request& request, const RequestFacts& facts, int code,
                         TimePoint received, bool watchStarted) {
  stats_.record(facts, code);
  if (audit_) audit_->record({request, facts, code, received, clock_.now(), watchStarted});
}

api::Response OpsBackend::handle(const api::Request& request) {
  if (isControlPath(request.path)) return control(request);
  const TimePoint received = clock_.now();
  const RequestFacts facts = describeRequest(request);
  FaultDecision decision = admit(facts);
  api::Response response = decision.error ? errorReply(*decision.error) : inner_.handle(request);
  account(request, facts, response.status, received);
  return response;
}

Result<api::WatchPtr> OpsBackend::watch(const api::Request& request) {
  const TimePoint received = clock_.now();
  const RequestFacts facts = describeRequest(request);
  FaultDecision decision = admit(facts);
  if (decision.error) {
    account(request, facts, decision.error->code, received);
    return fail(*decision.error);
  }
  auto watch = inner_.watch(request);
  if (!watch) {
    account(request, facts, watch.error().code, received);
    return watch;
  }
  account(request, facts, 200, received, /*watchStarted=*/true);
  std::optional<MonoTime> cutAt;
  if (decision.cutWatchAfter) cutAt = clock_.monotonicNow() + *decision.cutWatchAfter;
  return api::WatchPtr(std::make_unique<CutWatch>(std::move(*watch), cutEpoch_, cutAt, clock_));
}

api::Response OpsBackend::control(const api::Request& request) {
  if (auto refused = refuseNonAdmin(request)) return *refused;
  const std::string& path = request.path;
  const std::string& method = request.method;
  if (path == "/kubesim/faults") return faultsEndpoint(request);
  if (path == "/kubesim/requests") {
    return method == "GET" ? jsonReply(200, stats_.toJson()) : methodNotAllowed();
  }
  if (path == "/kubesim/requests/reset") {
    if (method != "POST") return methodNotAllowed();
    stats_.reset();
    return jsonReply(200, stats_.toJson());
  }
  if (path == "/kubesim/metrics") {
    if (method != "GET") return methodNotAllowed();
    return api::Response{
        200, {{"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}}, stats_.toPrometheus()};
  }
  return notFound();
}

Json OpsBackend::faultsState() const {
  std::lock_guard lock(mutex_);
  Json state = faultSettingsToJson(decider_.settings());
  const auto left = pausedUntil_ - clock_.monotonicNow();
  state["pausedForMs"] =
      left.count() > 0 ? std::chrono::duration_cast<std::chrono::milliseconds>(left).count() : 0;
  return state;
}

api::Response OpsBackend::faultsEndpoint(const api::Request& request) {
  if (request.method == "GET") return jsonReply(200, faultsState());
  if (request.method == "DELETE") {
    setFaults(FaultSettings{});
    pauseFor(tro::base::Duration::zero());
    return jsonReply(200, faultsState());
  }
  if (request.method != "POST") return methodNotAllowed();
  Json body = Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object())
    return errorReply(badRequest("fault settings must be a JSON object"));
  std::optional<double> pauseSeconds;
  bool cutNow = false;
  if (auto it = body.find("pauseSeconds"); it != body.end()) {
    if (!it->is_number() || it->get<double>() < 0)
      return errorReply(badRequest("pauseSeconds must be a non-negative number"));
    pauseSeconds = it->get<double>();
    body.erase(it);
  }
  if (auto it = body.find("cutWatchesNow"); it != body.end()) {
    if (!it->is_boolean()) return errorReply(badRequest("cutWatchesNow must be a boolean"));
    cutNow = it->get<bool>();
    body.erase(it);
  }
  if (!body.empty()) {
    auto merged = mergeFaultSettings(faults(), body);
    if (!merged) return errorReply(merged.error());
    setFaults(std::move(*merged));
  }
  if (pauseSeconds) {
    pauseFor(std::chrono::duration_cast<tro::base::Duration>(
        std::chrono::duration<double>(*pauseSeconds)));
  }
  if (cutNow) cutWatches();
  return jsonReply(200, faultsState());
}

}  // namespace kubesim::http
