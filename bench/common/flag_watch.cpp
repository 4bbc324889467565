#include "bench/common/flag_watch.h"

#include "operator/kube/resource.h"

namespace tro::bench {
namespace {

constexpr int kMaxReopenFailures = 5;

}  // namespace

std::string templateEnvValue(const kube::Json& deployment, const std::string& flag) {
  const kube::Json* containers = &deployment;
  for (const char* key : {"spec", "template", "spec", "containers"}) {
    if (!containers->is_object() || !containers->contains(key)) return "";
    containers = &(*containers)[key];
  }
  if (!containers->is_array()) return "";
  for (const auto& container : *containers) {
    if (!container.is_object() || !container.contains("env")) continue;
    for (const auto& var : container["env"]) {
      if (var.is_object() && var.value("name", "") == flag) {
        const auto it = var.find("value");
        return it != var.end() && it->is_string() ? it->get<std::string>() : "";
      }
    }
  }
  return "";
}

kube::Result<std::unique_ptr<FlagWatch>> FlagWatch::start(kube::ApiClient& client,
                                                          const base::Clock& clock, Target target) {
  const std::string ns = target.ns;
  auto listed = client.list(kube::resources::deployments(), ns, {});
  if (!listed.ok()) return kube::fail(std::move(listed).error());
  auto watch = std::make_unique<FlagWatch>(client, clock, std::move(target));
  for (const auto& item : listed->value("items", kube::Json::array())) watch->observe(item);
  std::string rv = (*listed)["metadata"].value("resourceVersion", "");
  watch->thread_ = std::jthread([w = watch.get(), rv](std::stop_token stop) { w->run(stop, rv); });
  return watch;
}

FlagWatch::~FlagWatch() {
  thread_.request_stop();
  {
    std::lock_guard lock(mu_);
    if (open_ != nullptr) open_->cancel();
  }
  changed_.notify_all();
}

void FlagWatch::observe(const kube::Json& deployment) {
  if (templateEnvValue(deployment, target_.flag) != target_.value) return;
  const std::string name = deployment["metadata"].value("name", "");
  std::lock_guard lock(mu_);
  if (reached_.emplace(name, clock_.now()).second) changed_.notify_all();
}

bool FlagWatch::drain(kube::WatchStream& stream, std::string& resourceVersion) {
  for (;;) {
    auto event = stream.next();
    if (!event.ok()) {
      std::lock_guard lock(mu_);
      error_ = event.error().toString();
      return false;
    }
    if (!event->has_value()) return true;  // timeoutSeconds elapsed: resume
    const kube::WatchEvent& e = **event;
    resourceVersion = e.object["metadata"].value("resourceVersion", resourceVersion);
    if (e.type == kube::WatchEventType::Added || e.type == kube::WatchEventType::Modified) {
      observe(e.object);
    }
  }
}

void FlagWatch::run(std::stop_token stop, std::string resourceVersion) {
  int failures = 0;
  while (!stop.stop_requested() && failures < kMaxReopenFailures) {
    kube::WatchOptions options;
    options.resourceVersion = resourceVersion;
    auto stream = client_.watch(kube::resources::deployments(), target_.ns, options);
    if (!stream.ok()) {
      std::unique_lock lock(mu_);
      error_ = stream.error().toString();
      ++failures;
      // A short pause before re-opening; the stop token ends it early.
      changed_.wait_for(lock, stop, std::chrono::milliseconds(100), [] { return false; });
      continue;
    }
    {
      std::lock_guard lock(mu_);
      if (stop.stop_requested()) return;
      open_ = stream->get();
    }
    if (!drain(**stream, resourceVersion)) ++failures;
    std::lock_guard lock(mu_);
    open_ = nullptr;
  }
  std::lock_guard lock(mu_);
  failed_ = !stop.stop_requested();
  changed_.notify_all();
}

bool FlagWatch::waitAll(const std::vector<std::string>& names, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  auto all = [&] {
    for (const auto& name : names) {
      if (!reached_.contains(name)) return false;
    }
    return true;
  };
  changed_.wait_for(lock, timeout, [&] { return failed_ || all(); });
  return all();
}

std::map<std::string, base::TimePoint> FlagWatch::reached() const {
  std::lock_guard lock(mu_);
  return reached_;
}

std::string FlagWatch::error() const {
  std::lock_guard lock(mu_);
  return error_;
}

}  // namespace tro::bench
