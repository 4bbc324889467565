#pragma once
// String rules of k8s.io/apimachinery/pkg/util/validation as Kubernetes 1.32 words them. Each
// returns the messages the real function returns, in its order; empty means valid.
//   isDNS1123Label      container and volume names: at most 63 characters, lower case
//                       alphanumerics and '-', alphanumeric at both ends
//   isValidPortName     IANA_SVC_NAME: at most 15 characters of [-a-z0-9], at least one letter,
//                       no "--", no '-' at either end
//   isValidPortNum      1..65535
//   isRelaxedEnvVarName printable ASCII other than '=' (RelaxedEnvironmentVariableValidation,
//                       on by default since 1.32)

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kubesim::schema {

inline constexpr const char* kDns1123LabelError =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
inline constexpr const char* kRelaxedEnvVarNameError =
    "a valid environment variable name must consist only of printable ASCII characters other "
    "than '='";

std::vector<std::string> isDNS1123Label(std::string_view value);
std::vector<std::string> isValidPortName(std::string_view value);
std::vector<std::string> isValidPortNum(std::int64_t port);
std::vector<std::string> isRelaxedEnvVarName(std::string_view value);

}  // namespace kubesim::schema
