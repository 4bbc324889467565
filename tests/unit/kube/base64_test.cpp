#include "operator/kube/base64.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace tro::kube {
namespace {

using namespace std::string_literals;

TEST(Base64Test, EncodesWithPadding) {
  const std::pair<std::string, std::string> cases[] = {
      // RFC 4648 §10 test vectors: 0 to 6 bytes, every padding case.
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
      // HTTP basic authentication.
      {"user:pass", "dXNlcjpwYXNz"},
      // Binary bytes, '+' and '/'.
      {"\0"s, "AA=="},
      {"\0\0"s, "AAA="},
      {"\0\0\0"s, "AAAA"},
      {"\x00\xff\xfe"s, "AP/+"},
      {"\xfb\xff"s, "+/8="},
      {"\xff\xff\xff\xff"s, "/////w=="},
  };
  for (const auto& [bytes, want] : cases) {
    EXPECT_EQ(base64Encode(bytes), want) << "\"" << bytes << "\"";
  }
}

TEST(Base64Test, EncodeThenDecodeRoundTrips) {
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  for (size_t n = 0; n <= all.size(); ++n) {
    const std::string bytes = all.substr(all.size() - n);
    const std::string encoded = base64Encode(bytes);
    EXPECT_EQ(encoded.size(), (n + 2) / 3 * 4) << n;
    EXPECT_EQ(encoded.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
              std::string::npos)
        << encoded;
    EXPECT_EQ(base64Decode(encoded), bytes) << n;
  }
}

}  // namespace
}  // namespace tro::kube
