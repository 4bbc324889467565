#pragma once
// The protobuf wire format as Kubernetes' generated code writes it (proto2, gogo), read into
// the JSON a real server would store. A kind is a table: field number -> Decoder, where a
// Decoder writes one field into the JSON object being built. Nested messages are tables too, so
// no message has a hand-written decoder.
//
// Zero values: Kubernetes' protobuf writes every non-pointer scalar, zero or not, while its JSON
// omits the zero ones tagged `omitempty`. The scalar decoders therefore take a Zero policy:
// Zero::Omit for a non-pointer `omitempty` field (most of them), Zero::Keep for a pointer field
// (present means set) or one without `omitempty`. Strings are always Omit (an empty required
// string is then reported missing, as the server reports it empty). Nested messages are written
// even when empty, as Go's JSON writes a non-pointer struct.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string_view>

#include "kubesim/common/api_error.h"

namespace kubesim::http::protobuf {

// One field of an encoded message: its number, wire type and payload.
struct Field {
  std::uint32_t number = 0;
  int wireType = 0;
  std::uint64_t varint = 0;  // wire type 0
  std::string_view bytes;    // wire type 2
};

using Decoder = std::function<bool(const Field&, Json&)>;
using Fields = std::map<std::uint32_t, Decoder>;

enum class Zero { Omit, Keep };

// Decodes one message into `out`. Unknown field numbers are skipped, as protobuf does; a
// truncated or malformed message, or a known field with the wrong wire type, is false.
bool decodeMessage(std::string_view data, const Fields& fields, Json& out);

Decoder str(const char* key);
Decoder repeatedStr(const char* key);
Decoder bytes(const char* key);  // base64, as Go's JSON writes []byte
Decoder boolean(const char* key, Zero zero = Zero::Omit);
Decoder int32(const char* key, Zero zero = Zero::Omit);
Decoder int64(const char* key, Zero zero = Zero::Omit);
Decoder repeatedInt64(const char* key);  // packed or not
// map<string, string>; `bytesValue`: map<string, []byte> (values base64).
Decoder stringMap(const char* key, bool bytesValue = false);
// map<string, Message>: entries {1: key, 2: value}, the value decoded by `value`.
Decoder messageMap(const char* key, Fields value);
// map<string, resource.Quantity>.
Decoder quantityMap(const char* key);
Decoder message(const char* key, Fields fields);
Decoder repeatedMessage(const char* key, Fields fields);
// A Go struct embedded with `json:",inline"` (LocalObjectReference in key selectors,
// ProbeHandler, VolumeSource): its own message on the wire, its fields in the enclosing object.
Decoder inlined(Fields fields);
Decoder intOrString(const char* key);  // intstr.IntOrString {1: type, 2: intVal, 3: strVal}
Decoder quantity(const char* key);     // resource.Quantity {1: string}
Decoder time(const char* key);         // metav1.Time {1: seconds, 2: nanos}; zero is null
Fields labelSelectorFields();          // metav1.LabelSelector
Decoder labelSelector(const char* key);
Decoder objectMeta(const char* key = "metadata");

}  // namespace kubesim::http::protobuf
