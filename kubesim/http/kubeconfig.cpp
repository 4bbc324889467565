#include "kubesim/http/kubeconfig.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

#include "kubesim/http/base64.h"

namespace kubesim::http {
namespace {

// A YAML double-quoted scalar (JSON string syntax is valid YAML).
std::string quoted(const std::string& s) { return nlohmann::json(s).dump(); }

std::string errnoMessage(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

}  // namespace

std::string renderKubeconfig(const KubeconfigParams& params) {
  std::string out = "apiVersion: v1\nkind: Config\nclusters:\n- name: kubesim\n  cluster:\n";
  out += "    server: " + quoted(params.serverUrl) + "\n";
  if (!params.caCertPem.empty())
    out += "    certificate-authority-data: " + base64Encode(params.caCertPem) + "\n";
  out += "users:\n- name: kubesim\n";
  out +=
      params.token.empty() ? "  user: {}\n" : "  user:\n    token: " + quoted(params.token) + "\n";
  out +=
      "contexts:\n- name: kubesim\n  context:\n    cluster: kubesim\n    user: kubesim\n"
      "    namespace: default\ncurrent-context: kubesim\npreferences: {}\n";
  return out;
}

tro::base::Result<void, std::string> writeFileAtomically(const std::string& path,
                                                         const std::string& content) {
  using tro::base::fail;
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return fail(errnoMessage("cannot create", tmp));
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string message = errnoMessage("cannot write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return fail(message);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) return fail(errnoMessage("cannot close", tmp));
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string message = errnoMessage("cannot rename to", path);
    ::unlink(tmp.c_str());
    return fail(message);
  }
  return {};
}

}  // namespace kubesim::http
