#pragma once
// The kinds kubesim serves: the built-in kinds and every established CRD's kinds.
// KindRegistry is a plain value, NOT thread-safe: the api layer guards it with its own mutex.
// Pointers returned by lookups stay valid until that kind is removed (CRD deleted/updated).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kubesim/common/api_error.h"

namespace kubesim::schema {

// One CRD additionalPrinterColumns entry (or a built-in column).
struct PrinterColumn {
  std::string name;
  std::string type;  // integer, number, string, boolean, date
  std::string format;
  std::string description;
  std::string jsonPath;  // CRD columns only
  int priority = 0;      // >0: shown only with -o wide
};

struct KindInfo {
  std::string group;  // "" for core
  std::string version;
  std::string kind;
  std::string listKind;
  std::string plural;
  std::string singular;
  std::vector<std::string> shortNames;
  std::vector<std::string> categories;
  std::vector<std::string> verbs;
  bool namespaced = true;
  bool hasStatus = false;  // status subresource
  bool hasScale = false;   // scale subresource
  bool hasToken = false;   // token subresource (serviceaccounts: TokenRequest)
  bool isCustom = false;
  bool strategicMerge = false;  // accepts application/strategic-merge-patch+json (built-ins)
  // Structural openAPIV3Schema of the whole object. Null: no schema (everything preserved).
  Json schema;
  std::vector<PrinterColumn> printerColumns;  // CRD additionalPrinterColumns (custom kinds)
  std::string crdName;                        // owning CRD name (custom kinds only)
  bool storage = true;                        // the CRD's storage version
  // A review (SelfSubjectAccessReview): create-only, answered from the request, never stored.
  bool review = false;

  std::string apiVersion() const;  // "apps/v1", "v1"
  // Plural qualified by group as used in error messages: "deployments.apps", "pods".
  std::string qualifiedResource() const;
};

struct GroupVersion {
  std::string group;
  std::string version;
  bool operator==(const GroupVersion&) const = default;
};

class KindRegistry {
 public:
  KindRegistry();  // holds the built-in kinds

  const KindInfo* byResource(std::string_view group, std::string_view version,
                             std::string_view plural) const;
  const KindInfo* byKind(std::string_view apiVersion, std::string_view kind) const;
  // Any served version of the group's resource (first registered).
  const KindInfo* byGroupResource(std::string_view group, std::string_view plural) const;
  // All kinds in registration order: built-ins first (discovery order), then CRD kinds.
  std::vector<const KindInfo*> all() const;
  std::vector<const KindInfo*> inGroupVersion(std::string_view group,
                                              std::string_view version) const;
  // Group-versions in discovery order (core "" first). Versions of a group in registration order.
  std::vector<GroupVersion> groupVersions() const;

  // Replaces every kind previously added for kinds[i].crdName, then adds these.
  void addCustom(std::vector<KindInfo> kinds);
  void removeCrd(std::string_view crdName);

 private:
  // Immutable once added; the built-in ones are shared by every registry in the process.
  std::vector<std::shared_ptr<const KindInfo>> kinds_;
};

// The built-in kinds with their real discovery data and schemas.
std::vector<KindInfo> builtinKinds();

}  // namespace kubesim::schema
