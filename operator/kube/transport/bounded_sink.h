#pragma once
// A write-only cpprestsdk stream buffer that keeps at most `limit` bytes of a response body.
// cpprestsdk's client reads the socket as fast as the network delivers, with no backpressure,
// into whatever buffer the response has; with this one as the response stream, the write past
// the limit fails, which makes cpprestsdk close the connection at once (see cpprest_transport).
// Only cpprest_transport.cpp includes this header.

#include <cpprest/astreambuf.h>

#include <atomic>
#include <string>

namespace tro::kube::transport {

class BoundedSink final : public concurrency::streams::details::streambuf_state_manager<uint8_t> {
 public:
  explicit BoundedSink(size_t limit);

  // Whether a write went past the limit (the body was cut).
  bool exceeded() const { return exceeded_.load(); }
  std::string take() { return std::move(data_); }

  bool can_seek() const override { return false; }
  bool has_size() const override { return false; }
  size_t buffer_size(std::ios_base::openmode) const override { return 0; }
  void set_buffer_size(size_t, std::ios_base::openmode) override {}
  size_t in_avail() const override { return 0; }
  pos_type getpos(std::ios_base::openmode) const override { return pos_type(traits::eof()); }
  pos_type seekpos(pos_type, std::ios_base::openmode) override { return pos_type(traits::eof()); }
  pos_type seekoff(off_type, std::ios_base::seekdir, std::ios_base::openmode) override {
    return pos_type(traits::eof());
  }
  bool acquire(uint8_t*& ptr, size_t& count) override {
    ptr = nullptr;
    count = 0;
    return false;
  }
  void release(uint8_t*, size_t) override {}
  utility::size64_t size() const override { return data_.size(); }

 protected:
  pplx::task<int_type> _putc(uint8_t ch) override;
  pplx::task<size_t> _putn(const uint8_t* ptr, size_t count) override;
  pplx::task<int_type> _bumpc() override { return pplx::task_from_result<int_type>(traits::eof()); }
  int_type _sbumpc() override { return traits::eof(); }
  pplx::task<int_type> _getc() override { return pplx::task_from_result<int_type>(traits::eof()); }
  int_type _sgetc() override { return traits::eof(); }
  pplx::task<int_type> _nextc() override { return pplx::task_from_result<int_type>(traits::eof()); }
  pplx::task<int_type> _ungetc() override {
    return pplx::task_from_result<int_type>(traits::eof());
  }
  pplx::task<size_t> _getn(uint8_t*, size_t) override { return pplx::task_from_result<size_t>(0); }
  size_t _scopy(uint8_t*, size_t) override { return 0; }
  pplx::task<bool> _sync() override { return pplx::task_from_result(true); }
  uint8_t* _alloc(size_t) override { return nullptr; }
  void _commit(size_t) override {}

 private:
  const size_t limit_;
  std::string data_;
  std::atomic<bool> exceeded_{false};
};

}  // namespace tro::kube::transport
