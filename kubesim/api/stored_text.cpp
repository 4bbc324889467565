#include "kubesim/api/stored_text.h"

#include <array>
#include <functional>
#include <string_view>

#include "kubesim/patch/json_text.h"

namespace kubesim::api {
namespace {

// Strings as nlohmann writes them. Printable ASCII without quote or backslash (nearly every key
// and value) needs no escaping; anything else goes through nlohmann (escapes, U+FFFD for
// invalid UTF-8).
void appendString(std::string& out, const std::string& s) {
  for (const char c : s) {
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
      out += patch::compactJson(Json(s));
      return;
    }
  }
  out += '"';
  out += s;
  out += '"';
}

void appendValue(std::string& out, const Json& v);

void appendObjectKeyed(std::string& out, const Json& object,
                       const std::function<bool(const std::string&, const Json&)>& special) {
  out += '{';
  bool first = true;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (!first) out += ',';
    first = false;
    appendString(out, it.key());
    out += ':';
    if (!special || !special(it.key(), it.value())) appendValue(out, it.value());
  }
  out += '}';
}

void appendValue(std::string& out, const Json& v) {
  if (v.is_object()) {
    appendObjectKeyed(out, v, nullptr);
  } else if (v.is_array()) {
    out += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i > 0) out += ',';
      appendValue(out, v[i]);
    }
    out += ']';
  } else if (v.is_string()) {
    appendString(out, v.get_ref<const std::string&>());
  } else if (v.is_boolean()) {
    out += v.get<bool>() ? "true" : "false";
  } else if (v.is_number_integer()) {  // decimal digits, as nlohmann writes them
    out += v.is_number_unsigned() ? std::to_string(v.get<std::uint64_t>())
                                  : std::to_string(v.get<std::int64_t>());
  } else {
    out += patch::compactJson(v);  // floats, null, binary
  }
}

// metadata.managedFields[i]: a packed fieldsV1 is spliced in as it is. Every string fieldsV1 in
// the store is packManagedFields' compact text of a tree (writes re-encode managedFields from
// decoded managers, and a malformed managedFields is reset), so the bytes are those of the tree.
void appendManagedFields(std::string& out, const Json& entries) {
  if (!entries.is_array()) return appendValue(out, entries);
  out += '[';
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) out += ',';
    if (!entries[i].is_object()) {
      appendValue(out, entries[i]);
      continue;
    }
    appendObjectKeyed(out, entries[i], [&](const std::string& key, const Json& value) {
      if (key != "fieldsV1" || !value.is_string()) return false;
      out += value.get_ref<const std::string&>();
      return true;
    });
  }
  out += ']';
}

}  // namespace

void appendStoredText(std::string& out, const Json& stored, const std::string& apiVersion,
                      const std::string& kind) {
  if (!stored.is_object()) return appendValue(out, stored);
  // apiVersion and kind take their sorted places whether or not the stored object has them.
  const std::array<std::pair<std::string_view, const std::string*>, 2> served = {
      {{"apiVersion", &apiVersion}, {"kind", &kind}}};
  std::size_t next = 0;
  bool first = true;
  auto member = [&](std::string_view key) {
    if (!first) out += ',';
    first = false;
    appendString(out, std::string(key));
    out += ':';
  };
  auto flushServedBefore = [&](const std::string* key) {
    while (next < served.size() && (key == nullptr || served[next].first < *key)) {
      member(served[next].first);
      appendString(out, *served[next].second);
      ++next;
    }
  };
  out += '{';
  for (auto it = stored.begin(); it != stored.end(); ++it) {
    const std::string& key = it.key();
    flushServedBefore(&key);
    if (key == "apiVersion" || key == "kind") continue;  // written from `served`
    member(key);
    if (key == "metadata" && it->is_object()) {
      appendObjectKeyed(out, *it, [&](const std::string& k, const Json& value) {
        if (k != "managedFields") return false;
        appendManagedFields(out, value);
        return true;
      });
    } else {
      appendValue(out, *it);
    }
  }
  flushServedBefore(nullptr);
  out += '}';
}

}  // namespace kubesim::api
