#include "operator/base/bounded_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tro::base {
namespace {

// Closes the descriptor it owns.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

Result<std::string, std::string> readFileBounded(const std::string& path, size_t maxBytes) {
  // O_NONBLOCK: opening a FIFO must not hang; it is refused just below as not a regular file.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) return fail(path + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return fail(path + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return fail(path + ": not a regular file");
  if (static_cast<unsigned long long>(st.st_size) > maxBytes) {
    return fail(path + ": larger than the limit of " + std::to_string(maxBytes) + " bytes");
  }
  std::string out;
  char buf[16384];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(path + ": " + std::strerror(errno));
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > maxBytes) {
      return fail(path + ": larger than the limit of " + std::to_string(maxBytes) + " bytes");
    }
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

}  // namespace tro::base
