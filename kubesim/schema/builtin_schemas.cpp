// Schemas of the built-in kinds (builtin.h), written with a tiny builder (schema_builders.h) so
// they read like the API reference; subtrees kubesim does not model in detail are
// preserve-unknown-fields (never reject valid input). This file holds the public entry points:
// metav1.ObjectMeta, and the dispatch of a kind to its API group's schemas
// (builtin_schemas_core.cpp, builtin_schemas_workloads.cpp, builtin_schemas_other.cpp).

#include <string_view>

#include "kubesim/schema/builtin.h"
#include "kubesim/schema/schema_builders.h"

namespace kubesim::schema {

namespace {

using detail::arr;
using detail::atomicArr;
using detail::boolean;
using detail::integer;
using detail::keyedList;
using detail::mapOf;
using detail::nullableStr;
using detail::obj;
using detail::preserve;
using detail::str;

Json ownerReference() {
  return obj({{"apiVersion", str()},
              {"kind", str()},
              {"name", str()},
              {"uid", str()},
              {"controller", boolean()},
              {"blockOwnerDeletion", boolean()}},
             {"apiVersion", "kind", "name", "uid"});
}

Json managedFieldsEntry() {
  return obj({{"manager", str()},
              {"operation", str()},
              {"apiVersion", str()},
              {"time", str()},
              {"fieldsType", str()},
              {"fieldsV1", preserve()},
              {"subresource", str()}});
}

}  // namespace

Json objectMeta() {
  return obj({{"name", str()},
              {"generateName", str()},
              {"namespace", str()},
              {"selfLink", str()},
              {"uid", str()},
              {"resourceVersion", str()},
              {"generation", integer()},
              {"creationTimestamp", nullableStr()},
              {"deletionTimestamp", nullableStr()},
              {"deletionGracePeriodSeconds", integer()},
              {"labels", mapOf(str())},
              {"annotations", mapOf(str())},
              {"ownerReferences", keyedList(ownerReference(), {"uid"})},
              {"finalizers",
               [] {
                 Json f = arr(str());
                 f["x-kubernetes-patch-strategy"] = "merge";
                 f["x-kubernetes-list-type"] = "set";
                 return f;
               }()},
              {"managedFields", atomicArr(managedFieldsEntry())}});
}

Json builtinSchema(std::string_view group, std::string_view kind) {
  if (group.empty()) return detail::coreSchema(kind);
  if (group == "apps" || group == "batch" || group == "policy") {
    return detail::workloadSchema(group, kind);
  }
  return detail::otherSchema(group, kind);
}

}  // namespace kubesim::schema
