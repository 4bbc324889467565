#pragma once
// The built-in kinds' OpenAPI v3 schemas (builtin.h), internal to kubesim_schema: the tiny builder
// they are written with so they read like the API reference (schema_builders.cpp: string, integer,
// quantity, object and list schemas with their patch and list-type extensions, plus the
// ObjectReference, LabelSelector and Condition types every group uses and the apiVersion/kind/
// metadata envelope of a whole object), and the schemas of each API group's kinds, defined in
// builtin_schemas_core.cpp (core/v1), builtin_schemas_workloads.cpp (the pod template, apps,
// batch, policy) and builtin_schemas_other.cpp (the other groups). builtin_schemas.cpp picks the
// group.

#include <initializer_list>
#include <string_view>
#include <utility>

#include "kubesim/common/api_error.h"

namespace kubesim::schema::detail {

// An object's properties: name and schema.
using Props = std::initializer_list<std::pair<const char*, Json>>;

// ---- Builders (schema_builders.cpp) ----

Json str();
Json nullableStr();
Json integer();
Json boolean();
Json intOrString();
// resource.Quantity: a string or any number (the quantity grammar is the decoder's check).
Json quantity();
Json enumStr(std::initializer_list<const char*> values);
// An object whose fields are all kept as they are (x-kubernetes-preserve-unknown-fields).
Json preserve();
Json obj(Props props, std::initializer_list<const char*> required = {});
// An object whose listed fields are checked while other fields are kept as they are.
Json openObj(Props props);
Json arr(Json items);
Json atomicArr(Json items);
// An atomic list of strings.
Json strList();
Json mapOf(Json values);
// A list merged by key in strategic merge patches and server-side apply; the first key is the
// patch merge key.
Json keyedList(Json items, std::initializer_list<const char*> keys, const char* strategy = "merge");

// ---- Types shared by the groups (schema_builders.cpp) ----

Json objectReference();  // core/v1 ObjectReference
Json labelSelector();    // meta/v1 LabelSelector
Json condition();        // meta/v1 Condition, with the fields older condition types add

// apiVersion, kind, metadata plus the kind's own top-level fields.
Json topLevel(Props fields);

// ---- Schemas of the kinds, by API group ----

// The whole object's schema of a core/v1 kind; null if unknown (builtin_schemas_core.cpp).
Json coreSchema(std::string_view kind);
// The whole object's schema of an apps/v1, batch/v1 or policy/v1 kind; null if unknown
// (builtin_schemas_workloads.cpp).
Json workloadSchema(std::string_view group, std::string_view kind);
// The whole object's schema of a kind of any other built-in group (autoscaling,
// networking.k8s.io, admissionregistration.k8s.io, coordination.k8s.io,
// rbac.authorization.k8s.io, authorization.k8s.io, apiextensions.k8s.io); null if unknown
// (builtin_schemas_other.cpp).
Json otherSchema(std::string_view group, std::string_view kind);
// core/v1 PodSpec, shared by Pods and the workloads' pod templates
// (builtin_schemas_workloads.cpp).
Json podSpec();

}  // namespace kubesim::schema::detail
