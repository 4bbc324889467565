#include "plugin/commands.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "controllers/rollout/annotations.h"
#include "controllers/rollout/workload_kind.h"
#include "operator/kube/names.h"
#include "plugin/completion.h"
#include "plugin/controls.h"
#include "plugin/exit_codes.h"
#include "plugin/rollout_view.h"

namespace tro::plugin {

namespace {

using kube::Json;

constexpr auto kPollPeriod = std::chrono::milliseconds(500);
constexpr auto kRefresh = std::chrono::seconds(1);

// What a command addresses: a TelemetryRollout in a namespace, or (--cluster) a
// ClusterTelemetryRollout, whose Events are in "default" and whose targets are in many namespaces.
struct Addressed {
  kube::ResourceType type;
  std::string ns;        // "" for a ClusterTelemetryRollout
  std::string singular;  // as kubectl names the resource: "telemetryrollout"
};

Addressed addressed(const CliArgs& args, const std::string& ns) {
  if (args.cluster) {
    return {kube::resources::clusterTelemetryRollouts(), "", "clustertelemetryrollout"};
  }
  return {kube::resources::telemetryRollouts(), ns, "telemetryrollout"};
}

std::string rolloutRef(const Addressed& a, const std::string& name) {
  return a.singular + " \"" + name + "\"";
}

// The namespaces whose workloads a rollout's view shows: its own, or for a cluster rollout
// those its status.targets name.
std::vector<std::string> viewNamespaces(const Addressed& a, const Json& rollout) {
  if (!a.ns.empty()) return {a.ns};
  return controllers::listedNamespaces(rollout);
}

// Sleeps `period` on the clock unless stopped first; false when stopped.
bool pause(const base::Clock& clock, base::Duration period, std::stop_token stop) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  const base::MonoTime deadline = clock.monotonicNow() + period;
  while (!stop.stop_requested() && clock.monotonicNow() < deadline) {
    clock.waitUntil(lock, cv, deadline, stop);
  }
  return !stop.stop_requested();
}

// Everything a frame of `get` shows. Workloads and Events are best effort: a refusal to list
// them (RBAC) leaves their sections out rather than failing the command. StatefulSets and
// DaemonSets are listed only when the rollout targets them (or still lists targets of them).
kube::Result<RolloutView> readView(kube::ApiClient& api, const Addressed& a,
                                   const std::string& name) {
  auto rollout = api.get(a.type, a.ns, name);
  if (!rollout.ok()) return kube::fail(std::move(rollout).error());
  RolloutView view;
  view.rollout = std::move(rollout).value();
  for (const std::string& ns : viewNamespaces(a, view.rollout)) {
    for (controllers::WorkloadKind kind : controllers::watchedKinds(view.rollout)) {
      if (auto list = api.list(controllers::workloadResource(kind), ns, {}); list.ok()) {
        for (Json& w : (*list)["items"]) {
          w["kind"] = controllers::toString(kind);
          view.workloads.push_back(std::move(w));
        }
      }
    }
  }
  kube::ListOptions events;
  events.fieldSelector = "involvedObject.kind=" + a.type.kind + ",involvedObject.name=" + name;
  // A cluster-scoped object's Events are in "default", as Kubernetes records them.
  if (auto list = api.list(kube::resources::events(), a.ns.empty() ? "default" : a.ns, events);
      list.ok()) {
    for (Json& e : (*list)["items"]) view.events.push_back(std::move(e));
  }
  return view;
}

// Frames on a terminal overwrite the previous one in place (cursor home, each line cleared to
// its end, the rest of the screen cleared), so nothing flickers; elsewhere each new frame is
// printed after a blank line, and only when it differs from the last.
class FramePrinter {
 public:
  explicit FramePrinter(Terminal term) : term_(term) {}
  void print(const std::string& frame) {
    if (frame == last_) return;
    if (term_.tty) {
      std::string out = first_ ? "\x1b[H\x1b[2J" : "\x1b[H";
      size_t start = 0;
      while (start < frame.size()) {
        size_t end = frame.find('\n', start);
        if (end == std::string::npos) end = frame.size();
        out += frame.substr(start, end - start) + "\x1b[K\n";
        start = end + 1;
      }
      term_.out << out << "\x1b[J" << std::flush;
    } else {
      term_.out << (first_ ? "" : "\n") << frame << std::flush;
    }
    first_ = false;
    last_ = frame;
  }

 private:
  Terminal term_;
  bool first_ = true;
  std::string last_;
};

// Wakes the drawing loop on every watch event of the rollout; re-opens the watch when the
// server ends it, and starts over on 410.
class RolloutWatcher {
 public:
  RolloutWatcher(kube::ApiClient& api, const base::Clock& clock, const Addressed& a,
                 std::string name, std::string resourceVersion)
      : api_(api), clock_(clock), type_(a.type), ns_(a.ns), name_(std::move(name)) {
    thread_ = std::jthread(
        [this, rv = std::move(resourceVersion)](std::stop_token stop) { run(stop, rv); });
  }
  ~RolloutWatcher() {
    thread_.request_stop();
    std::lock_guard lock(mu_);
    if (stream_) stream_->cancel();
  }  // thread_ joins here
  RolloutWatcher(const RolloutWatcher&) = delete;
  RolloutWatcher& operator=(const RolloutWatcher&) = delete;

  // Waits for a change, `timeout` at most; true when something changed.
  bool waitForChange(std::optional<base::Duration> timeout, std::stop_token stop) {
    std::unique_lock lock(mu_);
    if (!changed_) {
      const base::MonoTime deadline =
          timeout ? clock_.monotonicNow() + *timeout : base::MonoTime::max();
      clock_.waitUntil(lock, cv_, deadline, stop);
    }
    return std::exchange(changed_, false);
  }
  bool deleted() const { return deleted_; }

 private:
  void run(std::stop_token stop, std::string rv) {
    kube::WatchOptions options;
    options.fieldSelector = "metadata.name=" + name_;
    while (!stop.stop_requested()) {
      options.resourceVersion = rv;
      auto opened = api_.watch(type_, ns_, options);
      if (!opened.ok()) {
        if (kube::isGone(opened.error())) rv.clear();
        if (!pause(clock_, kRefresh, stop)) return;
        continue;
      }
      {
        std::lock_guard lock(mu_);
        stream_ = std::move(opened).value();
      }
      while (!stop.stop_requested()) {
        auto event = stream_->next();
        if (!event.ok()) {
          if (kube::isGone(event.error())) rv.clear();
          break;
        }
        if (!*event) break;  // the server closed the stream: resume from rv
        const Json& meta = (*event)->object.value("metadata", Json::object());
        rv = meta.value("resourceVersion", rv);
        if ((*event)->type == kube::WatchEventType::Bookmark) continue;
        if ((*event)->type == kube::WatchEventType::Deleted) deleted_ = true;
        {
          std::lock_guard lock(mu_);
          changed_ = true;
        }
        cv_.notify_all();
      }
      {
        std::lock_guard lock(mu_);
        stream_.reset();
      }
    }
  }

  kube::ApiClient& api_;
  const base::Clock& clock_;
  const kube::ResourceType type_;
  const std::string ns_;
  const std::string name_;
  std::mutex mu_;
  std::condition_variable_any cv_;
  bool changed_ = false;         // guarded by mu_
  kube::WatchStreamPtr stream_;  // guarded by mu_
  std::atomic<bool> deleted_{false};
  std::jthread thread_;  // last: joined before the members it uses go
};

int get(const CliArgs& args, kube::ApiClient& api, const Addressed& a, const base::Clock& clock,
        Terminal term, std::stop_token stop) {
  auto view = readView(api, a, args.name);
  if (!view.ok()) return reportError(view.error(), rolloutRef(a, args.name), a.ns, term.err);
  FramePrinter printer(term);
  printer.print(renderRollout(*view, clock.now()));
  if (!args.watch) return kExitOk;
  const std::string rv = view->rollout["metadata"].value("resourceVersion", std::string());
  RolloutWatcher watcher(api, clock, a, args.name, rv);
  while (!stop.stop_requested()) {
    // On a terminal the frame is refreshed every second (remaining time, ages, Deployments'
    // progress); elsewhere only when the rollout changes.
    watcher.waitForChange(term.tty ? std::optional<base::Duration>(kRefresh) : std::nullopt, stop);
    if (stop.stop_requested()) break;
    if (watcher.deleted()) {
      term.out << rolloutRef(a, args.name) << " was deleted\n" << std::flush;
      return kExitOk;
    }
    auto next = readView(api, a, args.name);
    if (!next.ok()) {
      if (kube::isNotFound(next.error())) continue;  // the DELETED event follows
      return reportError(next.error(), rolloutRef(a, args.name), a.ns, term.err);
    }
    printer.print(renderRollout(*next, clock.now()));
  }
  return kExitOk;
}

int list(const CliArgs& args, kube::ApiClient& api, const Addressed& a, const base::Clock& clock,
         Terminal term) {
  const std::string& ns = a.ns;
  const std::string kinds = args.cluster ? "ClusterTelemetryRollouts" : "TelemetryRollouts";
  std::vector<Json> items;
  kube::ListOptions options;
  options.limit = 500;
  do {
    auto page = api.list(a.type, args.allNamespaces ? "" : ns, options);
    if (!page.ok()) return reportError(page.error(), a.type.resource, ns, term.err);
    for (Json& r : (*page)["items"]) items.push_back(std::move(r));
    options.continueToken =
        (*page).value("metadata", Json::object()).value("continue", std::string());
  } while (!options.continueToken.empty());
  if (items.empty()) {
    term.err << (args.allNamespaces || ns.empty()
                     ? "No " + kinds + " found."
                     : "No " + kinds + " found in " + ns + " namespace.")
             << "\n";
    return kExitOk;
  }
  term.out << renderList(items, args.allNamespaces, clock.now()) << std::flush;
  return kExitOk;
}

int control(const CliArgs& args, kube::ApiClient& api, const Addressed& a, const base::Clock& clock,
            Terminal term, std::stop_token stop) {
  const std::string& ns = a.ns;
  const auto nanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(clock.now().time_since_epoch()).count();
  const std::string unique = "kubectl-telemetry-" + std::to_string(nanos);
  const ControlWrite write = controlWrite(args.verb, unique);
  kube::PatchOptions options;
  options.fieldManager = "kubectl-telemetry";
  auto patched = api.patch(a.type, ns, args.name, kube::PatchType::Merge, write.patch, options);
  if (!patched.ok()) return reportError(patched.error(), rolloutRef(a, args.name), ns, term.err);
  term.out << a.singular << "." << a.type.group << "/" << args.name << " " << write.description
           << "\n"
           << std::flush;
  if (!args.wait) return kExitOk;
  const base::MonoTime deadline = clock.monotonicNow() + args.timeout;
  Json rollout = std::move(patched).value();
  while (!controlDone(args.verb, unique, rollout)) {
    if (clock.monotonicNow() >= deadline) {
      term.err << "error: timed out after " << shortDuration(args.timeout)
               << " waiting for the operator to act on " << verbName(args.verb) << " of "
               << rolloutRef(a, args.name) << " (phase "
               << rollout.value("status", Json::object()).value("phase", std::string("none"))
               << "); is the operator running?\n";
      return kExitTimeout;
    }
    if (!pause(clock, kPollPeriod, stop)) return kExitTimeout;
    auto read = api.get(a.type, ns, args.name);
    if (!read.ok()) return reportError(read.error(), rolloutRef(a, args.name), ns, term.err);
    rollout = std::move(read).value();
  }
  term.out << rolloutRef(a, args.name) << " is "
           << rollout.value("status", Json::object()).value("phase", std::string()) << "\n"
           << std::flush;
  return kExitOk;
}

int complete(const CliArgs& args, kube::ApiClient& api, const Addressed& a, Terminal term) {
  std::vector<std::string> names;
  if (completionWantsRolloutName(args.words)) {
    auto listed = api.list(a.type, a.ns, {});
    if (listed.ok()) {
      for (const Json& r : (*listed)["items"]) {
        names.push_back(r.value("metadata", Json::object()).value("name", std::string()));
      }
    }
  }
  term.out << completionCandidates(args.words, names) << std::flush;
  return kExitOk;
}

}  // namespace

int reportError(const kube::Error& error, const std::string& what, const std::string& ns,
                std::ostream& err) {
  if (kube::isNotFound(error)) {
    if (error.message.find("could not find the requested resource") != std::string::npos) {
      err << "error: the server does not serve TelemetryRollouts: the CRD is not installed "
             "(kubectl apply -f crds/)\n";
    } else {
      err << "error: " << what << " not found"
          << (ns.empty() ? std::string() : " in namespace \"" + ns + "\"") << "\n";
    }
    return kExitNotFound;
  }
  if (kube::isUnauthorized(error)) {
    err << "error: unauthorized: the server refused the credentials (check the kubeconfig's "
           "user or --token)\n";
    return kExitForbidden;
  }
  if (kube::isForbidden(error)) {
    err << "error: forbidden: " << error.message << "\n";
    return kExitForbidden;
  }
  err << "error: " << error.toString() << "\n";
  return kExitError;
}

int runCommand(const CliArgs& args, kube::ApiClient& api, const std::string& ns,
               const base::Clock& clock, Terminal term, std::stop_token stop) {
  if (!args.name.empty() && !kube::isDnsSubdomain(args.name)) {
    term.err << "error: \"" << args.name
             << "\" is not a valid TelemetryRollout name (lower-case letters, digits, '-' and "
                "'.', at most 253)\n";
    return kExitUsage;
  }
  const Addressed a = addressed(args, ns);
  switch (args.verb) {
    case Verb::Get:
      return get(args, api, a, clock, term, stop);
    case Verb::List:
      return list(args, api, a, clock, term);
    case Verb::Promote:
    case Verb::Abort:
    case Verb::Retry:
    case Verb::Pause:
    case Verb::Resume:
      return control(args, api, a, clock, term, stop);
    case Verb::Complete:
      return complete(args, api, a, term);
    case Verb::Completion:
      term.out << completionScript(args.shell);
      return kExitOk;
    case Verb::Help:
      term.out << helpText(args.helpFor.value_or(Verb::Help));
      return kExitOk;
  }
  return kExitError;
}

}  // namespace tro::plugin
