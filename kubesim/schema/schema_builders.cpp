// The builder the built-in kinds' schemas are written with (schema_builders.h): scalar, quantity,
// enum, object, map and list schemas with the patch-merge and list-type extensions kubectl and
// server-side apply read, the ObjectReference, LabelSelector and Condition types shared by the API
// groups, and the apiVersion/kind/metadata envelope of a whole object.

#include "kubesim/schema/schema_builders.h"

#include <utility>

#include "kubesim/schema/builtin.h"

namespace kubesim::schema::detail {

// ---- Builders ----

Json str() { return {{"type", "string"}}; }
Json nullableStr() { return {{"type", "string"}, {"nullable", true}}; }
Json integer() { return {{"type", "integer"}}; }
Json boolean() { return {{"type", "boolean"}}; }
Json intOrString() { return {{"x-kubernetes-int-or-string", true}}; }
// resource.Quantity (OpenAPI v3: oneOf string, number). No "type": a string or any number passes
// the schema; the quantity grammar is the decoder's check (builtin_validation.h), so what it
// refuses gets the real decode error instead of a schema cause.
Json quantity() { return {{"oneOf", Json::array({{{"type", "string"}}, {{"type", "number"}}})}}; }
Json enumStr(std::initializer_list<const char*> values) {
  Json s = str();
  s["enum"] = Json::array();
  for (const char* v : values) s["enum"].push_back(v);
  return s;
}
Json preserve() { return {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}}; }

Json obj(Props props, std::initializer_list<const char*> required) {
  Json s = {{"type", "object"}, {"properties", Json::object()}};
  for (const auto& [name, schema] : props) s["properties"][name] = schema;
  if (required.size() > 0) {
    s["required"] = Json::array();
    for (const char* r : required) s["required"].push_back(r);
  }
  return s;
}
// An object whose listed fields are checked while other fields are kept as they are.
Json openObj(Props props) {
  Json s = obj(props);
  s["x-kubernetes-preserve-unknown-fields"] = true;
  return s;
}
Json arr(Json items) { return {{"type", "array"}, {"items", std::move(items)}}; }
Json atomicArr(Json items) {
  Json s = arr(std::move(items));
  s["x-kubernetes-list-type"] = "atomic";
  return s;
}
Json strList() { return atomicArr(str()); }
Json mapOf(Json values) {
  return {{"type", "object"}, {"additionalProperties", std::move(values)}};
}
// A list merged by key in strategic merge patches and server-side apply.
Json keyedList(Json items, std::initializer_list<const char*> keys, const char* strategy) {
  Json s = arr(std::move(items));
  s["x-kubernetes-patch-merge-key"] = *keys.begin();
  s["x-kubernetes-patch-strategy"] = strategy;
  s["x-kubernetes-list-type"] = "map";
  s["x-kubernetes-list-map-keys"] = Json::array();
  for (const char* k : keys) s["x-kubernetes-list-map-keys"].push_back(k);
  return s;
}

// ---- Types shared by the groups ----

Json objectReference() {
  return obj({{"kind", str()},
              {"namespace", str()},
              {"name", str()},
              {"uid", str()},
              {"apiVersion", str()},
              {"resourceVersion", str()},
              {"fieldPath", str()}});
}

Json labelSelector() {
  return obj({{"matchLabels", mapOf(str())},
              {"matchExpressions",
               atomicArr(obj({{"key", str()}, {"operator", str()}, {"values", strList()}},
                             {"key", "operator"}))}});
}

Json condition() {
  return obj({{"type", str()},
              {"status", str()},
              {"observedGeneration", integer()},
              {"lastProbeTime", nullableStr()},
              {"lastHeartbeatTime", nullableStr()},
              {"lastUpdateTime", nullableStr()},
              {"lastTransitionTime", nullableStr()},
              {"reason", str()},
              {"message", str()}},
             {"type", "status"});
}

// apiVersion, kind, metadata plus the kind's own top-level fields.
Json topLevel(Props fields) {
  Json s = obj({{"apiVersion", str()}, {"kind", str()}, {"metadata", objectMeta()}});
  for (const auto& [name, schema] : fields) s["properties"][name] = schema;
  return s;
}

}  // namespace kubesim::schema::detail
