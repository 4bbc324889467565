#include "kubesim/http/protobuf_wire.h"

#include <chrono>

#include "kubesim/http/base64.h"
#include "operator/base/rfc3339.h"
#include "operator/base/utf8.h"

namespace kubesim::http::protobuf {
namespace {

// Iterates the fields of one encoded message; fixed32/64 payloads are skipped.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  // nullopt at the end; sets failed() on malformed input.
  std::optional<Field> next() {
    while (!data_.empty() && !failed_) {
      auto key = varint();
      if (!key) break;
      Field f{static_cast<std::uint32_t>(*key >> 3), static_cast<int>(*key & 7), 0, {}};
      if (f.number == 0) break;
      if (f.wireType == 0) {
        auto v = varint();
        if (!v) break;
        f.varint = *v;
      } else if (f.wireType == 2) {
        auto len = varint();
        if (!len || *len > data_.size()) break;
        f.bytes = data_.substr(0, *len);
        data_.remove_prefix(*len);
      } else if (f.wireType == 1 || f.wireType == 5) {
        const std::size_t n = f.wireType == 1 ? 8 : 4;
        if (data_.size() < n) break;
        data_.remove_prefix(n);
        continue;
      } else {
        break;
      }
      return f;
    }
    if (!data_.empty()) failed_ = true;
    return std::nullopt;
  }
  bool failed() const { return failed_; }

  std::optional<std::uint64_t> varint() {
    std::uint64_t out = 0;
    for (int shift = 0; shift < 64 && !data_.empty(); shift += 7) {
      const auto byte = static_cast<std::uint8_t>(data_.front());
      data_.remove_prefix(1);
      out |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return out;
    }
    failed_ = true;
    return std::nullopt;
  }
  bool empty() const { return data_.empty(); }

 private:
  std::string_view data_;
  bool failed_ = false;
};

// A protobuf string field as Go's JSON encoder writes it: every byte that does not start
// well-formed UTF-8 becomes U+FFFD, so the decoded object always serialises.
std::string utf8Text(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    const std::size_t n = tro::base::utf8SequenceLength(bytes, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(bytes.substr(i, n));
      i += n;
    }
  }
  return out;
}

// Go's int32 conversion of a varint: the low 32 bits, two's complement.
std::int32_t asInt32(std::uint64_t v) { return static_cast<std::int32_t>(v & 0xffffffffu); }

// Decodes a map entry {1: key, 2: value} with `value` for field 2 (which writes "v"), into
// out[key][k]; an entry without a value gets `missing`, the value type's zero.
bool mapEntry(const Field& f, const char* key, const Fields& value, Json missing, Json& out) {
  if (f.wireType != 2) return false;
  Json entry = Json::object();
  Fields entryFields = value;
  entryFields[1] = str("k");
  if (!decodeMessage(f.bytes, entryFields, entry)) return false;
  const std::string k = entry.value("k", "");
  entry.erase("k");
  out[key][k] = entry.contains("v") ? std::move(entry["v"]) : std::move(missing);
  return true;
}

}  // namespace

bool decodeMessage(std::string_view data, const Fields& fields, Json& out) {
  Reader reader(data);
  while (auto f = reader.next()) {
    auto it = fields.find(f->number);
    if (it != fields.end() && !it->second(*f, out)) return false;
  }
  return !reader.failed();
}

Decoder str(const char* key) {
  return [key](const Field& f, Json& out) {
    if (f.wireType != 2) return false;
    if (!f.bytes.empty()) out[key] = utf8Text(f.bytes);
    return true;
  };
}

Decoder repeatedStr(const char* key) {
  return [key](const Field& f, Json& out) {
    if (f.wireType != 2) return false;
    out[key].push_back(utf8Text(f.bytes));
    return true;
  };
}

Decoder bytes(const char* key) {
  return [key](const Field& f, Json& out) {
    if (f.wireType != 2) return false;
    if (!f.bytes.empty()) out[key] = base64Encode(f.bytes);
    return true;
  };
}

Decoder boolean(const char* key, Zero zero) {
  return [key, zero](const Field& f, Json& out) {
    if (f.wireType != 0) return false;
    if (f.varint != 0 || zero == Zero::Keep) out[key] = f.varint != 0;
    return true;
  };
}

Decoder int32(const char* key, Zero zero) {
  return [key, zero](const Field& f, Json& out) {
    if (f.wireType != 0) return false;
    const std::int32_t v = asInt32(f.varint);
    if (v != 0 || zero == Zero::Keep) out[key] = v;
    return true;
  };
}

Decoder int64(const char* key, Zero zero) {
  return [key, zero](const Field& f, Json& out) {
    if (f.wireType != 0) return false;
    const auto v = static_cast<std::int64_t>(f.varint);
    if (v != 0 || zero == Zero::Keep) out[key] = v;
    return true;
  };
}

Decoder repeatedInt64(const char* key) {
  return [key](const Field& f, Json& out) {
    if (f.wireType == 0) {
      out[key].push_back(static_cast<std::int64_t>(f.varint));
      return true;
    }
    if (f.wireType != 2) return false;
    Reader packed(f.bytes);
    while (!packed.empty()) {
      auto v = packed.varint();
      if (!v) return false;
      out[key].push_back(static_cast<std::int64_t>(*v));
    }
    return true;
  };
}

Decoder stringMap(const char* key, bool bytesValue) {
  return [key, bytesValue](const Field& f, Json& out) {
    return mapEntry(f, key, {{2, bytesValue ? bytes("v") : str("v")}}, "", out);
  };
}

Decoder messageMap(const char* key, Fields value) {
  return [key, value = std::move(value)](const Field& f, Json& out) {
    return mapEntry(f, key, {{2, message("v", value)}}, Json::object(), out);
  };
}

Decoder quantityMap(const char* key) {
  return [key](const Field& f, Json& out) {
    return mapEntry(f, key, {{2, quantity("v")}}, "", out);
  };
}

Decoder message(const char* key, Fields fields) {
  return [key, fields = std::move(fields)](const Field& f, Json& out) {
    if (f.wireType != 2) return false;
    Json value = Json::object();
    if (!decodeMessage(f.bytes, fields, value)) return false;
    out[key] = std::move(value);
    return true;
  };
}

Decoder repeatedMessage(const char* key, Fields fields) {
  return [key, fields = std::move(fields)](const Field& f, Json& out) {
    if (f.wireType != 2) return false;
    Json value = Json::object();
    if (!decodeMessage(f.bytes, fields, value)) return false;
    out[key].push_back(std::move(value));
    return true;
  };
}

Decoder inlined(Fields fields) {
  return [fields = std::move(fields)](const Field& f, Json& out) {
    return f.wireType == 2 && decodeMessage(f.bytes, fields, out);
  };
}

Decoder intOrString(const char* key) {
  return [key](const Field& f, Json& out) {
    if (f.wireType != 2) return false;
    Json v = Json::object();
    if (!decodeMessage(f.bytes, {{1, int64("type", Zero::Keep)}, {2, int32("i")}, {3, str("s")}},
                       v)) {
      return false;
    }
    if (v.value("type", 0) == 1) {
      out[key] = v.value("s", "");
    } else {
      out[key] = v.value("i", 0);
    }
    return true;
  };
}

Decoder quantity(const char* key) {
  return [key](const Field& f, Json& out) {
    if (f.wireType != 2) return false;
    Json v = Json::object();
    if (!decodeMessage(f.bytes, {{1, str("s")}}, v)) return false;
    out[key] = v.value("s", "");
    return true;
  };
}

Decoder time(const char* key) {
  return [key](const Field& f, Json& out) {
    if (f.wireType != 2) return false;
    Json v = Json::object();
    if (!decodeMessage(f.bytes, {{1, int64("s")}, {2, int32("n")}}, v)) return false;
    const std::int64_t seconds = v.value("s", std::int64_t{0});
    if (seconds == 0 && v.value("n", 0) == 0) {
      out[key] = nullptr;  // Go's zero time.Time: JSON null
      return true;
    }
    // The range a TimePoint holds, about the years 1678 to 2261; beyond it, malformed.
    constexpr std::int64_t kLimit = 9'000'000'000;
    if (seconds < -kLimit || seconds > kLimit) return false;
    out[key] = tro::base::formatRfc3339(tro::base::TimePoint(std::chrono::seconds(seconds)));
    return true;
  };
}

Fields labelSelectorFields() {
  return {
      {1, stringMap("matchLabels")},
      {2, repeatedMessage("matchExpressions",
                          {{1, str("key")}, {2, str("operator")}, {3, repeatedStr("values")}})}};
}

Decoder labelSelector(const char* key) { return message(key, labelSelectorFields()); }

Decoder objectMeta(const char* key) {
  return message(
      key,
      {{1, str("name")},
       {2, str("generateName")},
       {3, str("namespace")},
       {5, str("uid")},
       {6, str("resourceVersion")},
       {8, time("creationTimestamp")},
       {11, stringMap("labels")},
       {12, stringMap("annotations")},
       {13, repeatedMessage("ownerReferences", {{1, str("kind")},
                                                {3, str("name")},
                                                {4, str("uid")},
                                                {5, str("apiVersion")},
                                                {6, boolean("controller", Zero::Keep)},
                                                {7, boolean("blockOwnerDeletion", Zero::Keep)}})},
       {14, repeatedStr("finalizers")}});
}

}  // namespace kubesim::http::protobuf
