#pragma once
// A log stream that a test may read while the code under test writes to it from its own threads.
// A plain std::ostringstream is not: the Logger serialises its writers with its own mutex, which
// the test's reader does not hold (TSan found a test reading one while a notifier thread logged).
//
//   LogCapture logs;
//   base::Logger log(clock, logs.stream());
//   ... EXPECT_NE(logs.str().find("notification failed"), std::string::npos);

#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>

namespace tro::testing {

class LogCapture {
 public:
  LogCapture() = default;
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  std::ostream& stream() { return stream_; }
  // Everything written so far.
  std::string str() const { return buffer_.text(); }

 private:
  // Unbuffered: every character reaches `text_` under the mutex, so nothing is held in a put area
  // that a reader could see half-written.
  class Buffer : public std::streambuf {
   public:
    std::string text() const {
      std::lock_guard lock(mu_);
      return text_;
    }

   protected:
    int_type overflow(int_type c) override {
      if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
      std::lock_guard lock(mu_);
      text_.push_back(traits_type::to_char_type(c));
      return c;
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
      std::lock_guard lock(mu_);
      text_.append(s, static_cast<std::size_t>(n));
      return n;
    }

   private:
    mutable std::mutex mu_;
    std::string text_;
  };

  Buffer buffer_;
  std::ostream stream_{&buffer_};
};

}  // namespace tro::testing
