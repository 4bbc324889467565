#pragma once
// CustomResourceDefinition handling: checks as the real apiextensions-apiserver does (422 Invalid
// with causes), server-side defaults, KindInfo(s) for its served versions, and status
// (acceptedNames, NamesAccepted + Established conditions, storedVersions).

#include <optional>
#include <string>
#include <vector>

#include "kubesim/common/api_error.h"
#include "kubesim/schema/kinds.h"

namespace kubesim::schema {

// Fills the defaults a real server adds on create/update (spec.conversion {strategy: None},
// names.singular/listKind, ...). Call before validateCrd.
void applyCrdDefaults(Json& crd);

// 422 Invalid (kind CustomResourceDefinition, group apiextensions.k8s.io) when the CRD is not
// acceptable: name != plural.group, bad scope, missing names, not exactly one storage version,
// non-structural schema basics.
Result<void> validateCrd(const Json& crd);

// One KindInfo per served version (schema = that version's openAPIV3Schema wrapped with
// apiVersion/kind/metadata; printer columns; subresources).
std::vector<KindInfo> kindsFromCrd(const Json& crd);

// Why a CRD's names cannot be accepted: reason PluralConflict, SingularConflict,
// ShortNamesConflict, KindConflict or ListKindConflict; message `"gadgets" is already in use`.
struct NameConflict {
  std::string reason;
  std::string message;
};

// A name of `crd` that another CRD (or a built-in kind) of the same group already serves.
std::optional<NameConflict> findNameConflict(const Json& crd, const KindRegistry& registry);

// The status a real server reports once the CRD is processed: acceptedNames, conditions
// NamesAccepted/Established (True, NoConflicts / InitialNamesAccepted; False on a conflict) and
// storedVersions (kept and extended with the storage version). `now` (RFC3339) stamps
// lastTransitionTime of conditions whose status changes; unchanged conditions keep theirs.
Json crdStatus(const Json& crd, const std::string& now,
               const std::optional<NameConflict>& conflict = std::nullopt);

// True when version `a` comes before `b` in Kubernetes version priority
// (v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > other names alphabetically): discovery order.
bool versionPrecedes(const std::string& a, const std::string& b);

}  // namespace kubesim::schema
