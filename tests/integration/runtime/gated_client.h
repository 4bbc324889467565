#pragma once
// GatedClient: an ApiClient decorator that lets a test break an informer's watch on purpose.
// pauseWatches() cuts every open watch (its next() reports a clean close, as when the server's
// timeoutSeconds elapses, so the watcher resumes from its resourceVersion) and holds new watch
// calls until resumeWatches(). Everything else is forwarded unchanged.
// Caveat: a watch() held by the gate does not observe the caller's cancellation; resume before
// stopping the informer (ResumeOnExit does so on every exit path).

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "operator/kube/api_client.h"

namespace tro::testing {

class GatedClient final : public kube::ApiClient {
 public:
  explicit GatedClient(kube::ApiClient& inner) : inner_(inner) {}

  void pauseWatches();
  void resumeWatches();
  int watchesOpened() const;

  kube::Result<kube::Json> get(const kube::ResourceType& type, const std::string& ns,
                               const std::string& name) override {
    return inner_.get(type, ns, name);
  }
  kube::Result<kube::Json> list(const kube::ResourceType& type, const std::string& ns,
                                const kube::ListOptions& options) override {
    return inner_.list(type, ns, options);
  }
  kube::Result<kube::WatchStreamPtr> watch(const kube::ResourceType& type, const std::string& ns,
                                           const kube::WatchOptions& options) override;
  kube::Result<kube::Json> create(const kube::ResourceType& type, const std::string& ns,
                                  const kube::Json& object,
                                  const kube::WriteOptions& options) override {
    return inner_.create(type, ns, object, options);
  }
  kube::Result<kube::Json> update(const kube::ResourceType& type, const std::string& ns,
                                  const kube::Json& object,
                                  const kube::WriteOptions& options) override {
    return inner_.update(type, ns, object, options);
  }
  kube::Result<kube::Json> updateStatus(const kube::ResourceType& type, const std::string& ns,
                                        const kube::Json& object,
                                        const kube::WriteOptions& options) override {
    return inner_.updateStatus(type, ns, object, options);
  }
  kube::Result<kube::Json> patch(const kube::ResourceType& type, const std::string& ns,
                                 const std::string& name, kube::PatchType patchType,
                                 const std::string& body,
                                 const kube::PatchOptions& options) override {
    return inner_.patch(type, ns, name, patchType, body, options);
  }
  kube::Result<kube::Json> remove(const kube::ResourceType& type, const std::string& ns,
                                  const std::string& name,
                                  const kube::DeleteOptions& options) override {
    return inner_.remove(type, ns, name, options);
  }

  // Shared with the streams it hands out, which may outlive a cut.
  struct CutFlag {
    std::mutex mu;
    bool cut = false;
    kube::WatchStream* stream = nullptr;  // guarded by mu; null once the stream is gone
  };

 private:
  kube::ApiClient& inner_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool paused_ = false;                         // guarded by mu_
  int opened_ = 0;                              // guarded by mu_
  std::vector<std::shared_ptr<CutFlag>> open_;  // guarded by mu_
};

class ResumeOnExit {
 public:
  explicit ResumeOnExit(GatedClient& client) : client_(client) {}
  ~ResumeOnExit() { client_.resumeWatches(); }
  ResumeOnExit(const ResumeOnExit&) = delete;
  ResumeOnExit& operator=(const ResumeOnExit&) = delete;

 private:
  GatedClient& client_;
};

}  // namespace tro::testing
