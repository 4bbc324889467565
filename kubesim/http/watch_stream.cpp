#include "kubesim/http/watch_stream.h"

#include <exception>

namespace kubesim::http {
namespace {
constexpr std::chrono::milliseconds kPollInterval{200};
}  // namespace

WatchStream::WatchStream(api::WatchPtr watch, Buffer body, Limits limits,
                         const tro::base::Clock& clock, Logger& log)
    : watch_(std::move(watch)),
      body_(std::move(body)),
      limits_(limits),
      clock_(clock),
      log_(log),
      lastProgress_(clock.monotonicNow()),
      thread_([this](std::stop_token stop) { run(stop); }) {}

bool WatchStream::clientKeepsUp() {
  const std::size_t backlog = body_.in_avail();
  const auto now = clock_.monotonicNow();
  // A connected client drains the buffer; after a failed write cpprestsdk stops reading it.
  if (backlog == 0 || backlog < lastBacklog_) lastProgress_ = now;
  lastBacklog_ = backlog;
  return now - lastProgress_ <= limits_.stallLimit;
}

void WatchStream::attachReply(pplx::task<void> reply) {
  // The continuation may outlive this stream (a client that never reads): it touches nothing but
  // the shared promise, which carries the failure, if any, to waitSent().
  auto sent = std::make_shared<std::promise<std::string>>();
  sent_ = sent->get_future();
  reply.then([sent](pplx::task<void> t) {
    try {
      t.get();
      sent->set_value("");
    } catch (const std::exception& e) {  // the client went away before the end
      sent->set_value(e.what());
    }
  });
}

bool WatchStream::waitSent(std::chrono::milliseconds limit) {
  if (!sent_.valid()) return true;
  if (sent_.wait_for(limit) != std::future_status::ready) return false;
  if (const std::string failure = sent_.get(); !failure.empty()) {
    log_.log(LogLevel::Debug, "sending watch response: " + failure);
  }
  return true;
}

void WatchStream::run(std::stop_token stop) {
  try {
    while (!stop.stop_requested() && !watch_->finished()) {
      if (clock_.monotonicNow() >= limits_.deadline) break;
      if (auto line = watch_->nextLine(kPollInterval)) {
        line->push_back('\n');
        body_.putn_nocopy(reinterpret_cast<const std::uint8_t*>(line->data()), line->size()).get();
        body_.sync().get();
      }
      if (!clientKeepsUp()) {
        log_.log(LogLevel::Debug, "watch client stopped reading; closing the stream");
        break;
      }
    }
  } catch (const std::exception& e) {
    log_.log(LogLevel::Error, std::string("watch stream failed: ") + e.what());
  }
  watch_->cancel();
  try {
    body_.close(std::ios_base::out).get();
  } catch (const std::exception& e) {
    log_.log(LogLevel::Debug, std::string("closing watch body: ") + e.what());
  }
  done_ = true;
}

}  // namespace kubesim::http
