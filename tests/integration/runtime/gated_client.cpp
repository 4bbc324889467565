#include "tests/integration/runtime/gated_client.h"

#include <utility>

namespace tro::testing {
namespace {

// Reports a clean close once cut; the inner stream's read is unblocked by cancelling it.
class GatedStream final : public kube::WatchStream {
 public:
  GatedStream(kube::WatchStreamPtr inner, std::shared_ptr<GatedClient::CutFlag> flag)
      : inner_(std::move(inner)), flag_(std::move(flag)) {
    std::lock_guard l(flag_->mu);
    flag_->stream = inner_.get();
    if (flag_->cut) inner_->cancel();
  }
  ~GatedStream() override {
    std::lock_guard l(flag_->mu);
    flag_->stream = nullptr;
  }
  GatedStream(const GatedStream&) = delete;
  GatedStream& operator=(const GatedStream&) = delete;

  kube::Result<std::optional<kube::WatchEvent>> next() override {
    if (isCut()) return std::optional<kube::WatchEvent>();
    auto event = inner_->next();
    if (isCut()) return std::optional<kube::WatchEvent>();  // whatever the cancelled read said
    return event;
  }
  void cancel() override { inner_->cancel(); }

 private:
  bool isCut() const {
    std::lock_guard l(flag_->mu);
    return flag_->cut;
  }
  kube::WatchStreamPtr inner_;
  std::shared_ptr<GatedClient::CutFlag> flag_;
};

}  // namespace

void GatedClient::pauseWatches() {
  std::lock_guard l(mu_);
  paused_ = true;
  for (const auto& flag : open_) {
    std::lock_guard f(flag->mu);
    flag->cut = true;
    if (flag->stream) flag->stream->cancel();
  }
  open_.clear();
}

void GatedClient::resumeWatches() {
  std::lock_guard l(mu_);
  paused_ = false;
  cv_.notify_all();
}

int GatedClient::watchesOpened() const {
  std::lock_guard l(mu_);
  return opened_;
}

kube::Result<kube::WatchStreamPtr> GatedClient::watch(const kube::ResourceType& type,
                                                      const std::string& ns,
                                                      const kube::WatchOptions& options) {
  {
    std::unique_lock l(mu_);
    cv_.wait(l, [this] { return !paused_; });
  }
  auto stream = inner_.watch(type, ns, options);
  if (!stream.ok()) return stream;
  auto flag = std::make_shared<CutFlag>();
  {
    std::lock_guard l(mu_);
    ++opened_;
    // Paused while the watch was opening: hand it out already cut.
    if (paused_) {
      flag->cut = true;
    } else {
      open_.push_back(flag);
    }
  }
  return kube::WatchStreamPtr(std::make_unique<GatedStream>(std::move(stream).value(), flag));
}

}  // namespace tro::testing
