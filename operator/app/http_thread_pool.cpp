#include "operator/app/http_thread_pool.h"

#include <exception>
#include <mutex>
#include <utility>  // before pplx: boost::asio uses std::exchange without including it

#include <pplx/threadpool.h>

namespace tro::app {

void sizeHttpThreadPool(const base::Logger& log) {
  static std::once_flag once;
  std::call_once(once, [&] {
    try {
      crossplat::threadpool::initialize_with_threads(kHttpThreads);
    } catch (const std::exception& e) {  // already created (something used HTTP first)
      log.warn("cannot size the HTTP thread pool", {{"error", std::string(e.what())}});
    }
  });
}

}  // namespace tro::app
