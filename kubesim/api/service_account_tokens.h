#pragma once
// The ServiceAccount tokens kubesim has issued through the TokenRequest API
// (`kubectl create token`), and their lookup when a request presents one.
//
// A token is shaped as the real server's bound tokens are: a JWT whose claims name the issuer,
// the audiences, the expiry and the ServiceAccount (kubernetes.io.serviceaccount.name/uid), so
// that tools which decode tokens show what they expect. Its signature segment is 32 bytes from
// std::random_device: kubesim does not verify signatures, it remembers every token it issued,
// so the random part is what makes a token unguessable. A token is valid until it expires and
// only while a ServiceAccount of the same name and uid exists (the caller checks the latter, as
// the real authenticator looks the ServiceAccount up on every request).

#include <chrono>
#include <cstddef>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace kubesim::api {

class ServiceAccountTokens {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  // The object a token is bound to (TokenRequest spec.boundObjectRef).
  struct BoundObject {
    std::string groupResource;  // storage key: "/pods", "/secrets", "/nodes"
    std::string ns;
    std::string name;
    std::string uid;
  };
  struct Grant {
    std::string ns;
    std::string name;
    std::string uid;  // of the ServiceAccount the token was issued for
    TimePoint expires;
    std::optional<BoundObject> bound;
    std::vector<std::string> audiences;  // the token's `aud` claim
  };

  // At most `limit` live tokens are kept; issuing beyond it forgets the ones expiring first.
  explicit ServiceAccountTokens(std::size_t limit = 100000) : limit_(limit) {}

  // A new token for `grant` (its audiences are those given here); `jti` is the token's unique
  // id claim.
  std::string issue(Grant grant, const std::vector<std::string>& audiences, TimePoint now,
                    const std::string& jti);
  // The grant of a token that was issued and has not expired at `now`; expired tokens are
  // forgotten on the way.
  std::optional<Grant> find(const std::string& token, TimePoint now);
  std::size_t size() const { return grants_.size(); }

 private:
  void forgetExpired(TimePoint now);

  std::size_t limit_;
  std::unordered_map<std::string, Grant> grants_;
  std::random_device random_;
};

// The issuer claim, also the default audience, of a kind cluster's tokens.
inline constexpr const char* kServiceAccountIssuer = "https://kubernetes.default.svc.cluster.local";

}  // namespace kubesim::api
