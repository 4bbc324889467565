#include "operator/kube/transport/bounded_sink.h"

#include <stdexcept>

namespace tro::kube::transport {

BoundedSink::BoundedSink(size_t limit)
    : streambuf_state_manager<uint8_t>(std::ios_base::out), limit_(limit) {}

pplx::task<BoundedSink::int_type> BoundedSink::_putc(uint8_t ch) {
  return _putn(&ch, 1).then([ch](size_t) { return static_cast<int_type>(ch); });
}

pplx::task<size_t> BoundedSink::_putn(const uint8_t* ptr, size_t count) {
  if (data_.size() + count > limit_) {
    exceeded_ = true;
    // A failed write (not a short one, which cpprestsdk would retry forever) aborts the
    // connection.
    return pplx::task_from_exception<size_t>(
        std::length_error("response body exceeds " + std::to_string(limit_) + " bytes"));
  }
  data_.append(reinterpret_cast<const char*>(ptr), count);
  return pplx::task_from_result(count);
}

}  // namespace tro::kube::transport
