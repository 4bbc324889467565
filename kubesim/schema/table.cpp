// meta.k8s.io/v1 Table conversion (table.h): the columns of a kind (a CRD's
// additionalPrinterColumns, the printer columns of a built-in kind from table_cells.h, or the
// generic Name and Created At), the rows built from them, and kubectl's human durations.

#include "kubesim/schema/table.h"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "kubesim/schema/table_cells.h"

namespace kubesim::schema {

namespace detail {
namespace {

std::vector<Column> defaultColumns() {
  // Kinds without printers: the generic convertor's Name and Created At (RFC3339, not an age).
  return {nameColumn(),
          Column{PrinterColumn{"Created At", "date", "", kCreationTimestampDescription, "", 0},
                 [](const Json& o) {
                   return at(o, {"metadata", "creationTimestamp"});
                 }}};
}

Json customCell(const PrinterColumn& c, const Json& obj, Clock::time_point now) {
  auto found = evalJsonPath(obj, c.jsonPath);
  if (!found || found->is_null()) return nullptr;
  const Json& v = *found;
  if (c.type == "integer") {
    return v.is_number() ? Json(number(v)) : Json(nullptr);
  }
  if (c.type == "number") return v.is_number() ? Json(v.get<double>()) : Json(nullptr);
  if (c.type == "boolean") return v.is_boolean() ? v : Json(nullptr);
  if (c.type == "date") return v.is_string() ? Json(age(v, now)) : Json(nullptr);
  // string: the value as JSONPath prints it.
  if (v.is_string()) return v;
  return v.dump();
}

std::vector<Column> customColumns(const KindInfo& kind, Clock::time_point now) {
  std::vector<Column> cols = {nameColumn()};
  std::vector<PrinterColumn> defs = kind.printerColumns;
  if (defs.empty()) {
    defs.push_back(PrinterColumn{"Age", "date", "", kCreationTimestampDescription,
                                 ".metadata.creationTimestamp", 0});
  }
  for (auto& def : defs) {
    if (def.description.empty()) {
      def.description = "Custom resource definition column (in JSONPath format): " + def.jsonPath;
    }
    PrinterColumn shown = def;
    cols.push_back(Column{shown, [def, now](const Json& o) { return customCell(def, o, now); }});
  }
  return cols;
}

std::vector<Column> columnsFor(const KindInfo& kind, Clock::time_point now) {
  if (kind.isCustom) return customColumns(kind, now);
  auto nameAgeAnd = [&](std::vector<Column> middle) {
    std::vector<Column> cols = {nameColumn()};
    for (auto& c : middle) cols.push_back(std::move(c));
    cols.push_back(ageColumn(now));
    return cols;
  };
  if (kind.group == "apps" && kind.kind == "Deployment") return deploymentColumns(now);
  if (kind.group == "apps" && kind.kind == "ReplicaSet") return replicaSetColumns(now);
  if (kind.group == "apps" && kind.kind == "StatefulSet") return statefulSetColumns(now);
  if (kind.group == "apps" && kind.kind == "DaemonSet") return daemonSetColumns(now);
  if (kind.group == "rbac.authorization.k8s.io" &&
      (kind.kind == "RoleBinding" || kind.kind == "ClusterRoleBinding")) {
    return bindingColumns(now);
  }
  if (kind.group == "batch" && kind.kind == "Job") return jobColumns(now);
  if (kind.group == "batch" && kind.kind == "CronJob") return cronJobColumns(now);
  if (kind.group == "policy" && kind.kind == "PodDisruptionBudget") {
    return podDisruptionBudgetColumns(now);
  }
  if (kind.group == "autoscaling" && kind.kind == "HorizontalPodAutoscaler") {
    return horizontalPodAutoscalerColumns(now);
  }
  if (kind.group == "networking.k8s.io") {
    if (kind.kind == "Ingress") return ingressColumns(now);
    if (kind.kind == "IngressClass") return ingressClassColumns(now);
    if (kind.kind == "NetworkPolicy") return networkPolicyColumns(now);
  }
  if (kind.group == "admissionregistration.k8s.io" &&
      (kind.kind == "MutatingWebhookConfiguration" ||
       kind.kind == "ValidatingWebhookConfiguration")) {
    return webhookConfigurationColumns(now);
  }
  if (kind.group == "coordination.k8s.io" && kind.kind == "Lease") {
    return nameAgeAnd({column("Holder", "string", "The holder of the lease", [](const Json& o) {
      return Json(text(at(o, {"spec", "holderIdentity"})));
    })});
  }
  if (!kind.group.empty()) return defaultColumns();
  if (kind.kind == "Pod") return podColumns(now);
  if (kind.kind == "Service") return serviceColumns(now);
  if (kind.kind == "Event") return eventColumns(now);
  if (kind.kind == "Node") return nodeColumns(now);
  if (kind.kind == "Endpoints") return endpointsColumns(now);
  if (kind.kind == "PersistentVolumeClaim") return persistentVolumeClaimColumns(now);
  if (kind.kind == "PersistentVolume") return persistentVolumeColumns(now);
  if (kind.kind == "ResourceQuota") return resourceQuotaColumns(now);
  if (kind.kind == "ServiceAccount") {
    return nameAgeAnd({column("Secrets", "string",
                              "Secrets is a list of the secrets in the same "
                              "namespace that pods running using this ServiceAccount are allowed "
                              "to use.",
                              [](const Json& o) {
                                const Json& s = at(o, {"secrets"});
                                return Json(s.is_array() ? static_cast<long long>(s.size()) : 0);
                              })});
  }
  if (kind.kind == "Namespace") {
    return nameAgeAnd({column("Status", "string", "The status of the namespace", [](const Json& o) {
      return Json(text(at(o, {"status", "phase"})));
    })});
  }
  if (kind.kind == "ConfigMap") {
    return nameAgeAnd({column("Data", "string",
                              "Data contains the configuration data. Each key must consist of "
                              "alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 "
                              "byte sequences must use the BinaryData field. The keys stored in "
                              "Data must not overlap with the keys in the BinaryData field, this "
                              "is enforced during validation process.",
                              [](const Json& o) {
                                const Json& d = at(o, {"data"});
                                const Json& b = at(o, {"binaryData"});
                                return Json((d.is_object() ? d.size() : 0) +
                                            (b.is_object() ? b.size() : 0));
                              })});
  }
  return defaultColumns();
}

Json rowObject(const Json& obj, IncludeObject include) {
  if (include == IncludeObject::Object) return obj;
  return {{"kind", "PartialObjectMetadata"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", at(obj, {"metadata"}).is_object() ? at(obj, {"metadata"}) : Json::object()}};
}

}  // namespace
}  // namespace detail

std::string humanDuration(std::chrono::seconds d) {
  const long long seconds = d.count();
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return std::to_string(seconds) + "s";
  const long long minutes = seconds / 60;
  if (minutes < 10) {
    const long long s = seconds % 60;
    return std::to_string(minutes) + "m" + (s == 0 ? "" : std::to_string(s) + "s");
  }
  if (minutes < 60 * 3) return std::to_string(minutes) + "m";
  const long long hours = minutes / 60;
  if (hours < 8) {
    const long long m = minutes % 60;
    return std::to_string(hours) + "h" + (m == 0 ? "" : std::to_string(m) + "m");
  }
  if (hours < 48) return std::to_string(hours) + "h";
  if (hours < 24 * 8) {
    const long long h = hours % 24;
    return std::to_string(hours / 24) + "d" + (h == 0 ? "" : std::to_string(h) + "h");
  }
  if (hours < 24 * 365 * 2) return std::to_string(hours / 24) + "d";
  if (hours < 24 * 365 * 8) {
    const long long dy = (hours / 24) % 365;
    return std::to_string(hours / 24 / 365) + "y" + (dy == 0 ? "" : std::to_string(dy) + "d");
  }
  return std::to_string(hours / 24 / 365) + "y";
}

Json toTable(const KindInfo& kind, const std::vector<Json>& objects, const Json& listMetadata,
             std::chrono::system_clock::time_point now, const TableOptions& options) {
  const std::vector<detail::Column> cols = detail::columnsFor(kind, now);
  Json defs = Json::array();
  for (const auto& c : cols) {
    defs.push_back({{"name", c.def.name},
                    {"type", c.def.type},
                    {"format", c.def.format},
                    {"description", c.def.description},
                    {"priority", c.def.priority}});
  }
  Json rows = Json::array();
  for (const auto& obj : objects) {
    Json cells = Json::array();
    for (const auto& c : cols) cells.push_back(c.cell(obj));
    Json row = {{"cells", std::move(cells)}};
    if (options.includeObject != IncludeObject::None) {
      row["object"] = detail::rowObject(obj, options.includeObject);
    }
    rows.push_back(std::move(row));
  }
  return {{"kind", "Table"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", listMetadata.is_object() ? listMetadata : Json::object()},
          {"columnDefinitions", std::move(defs)},
          {"rows", std::move(rows)}};
}

}  // namespace kubesim::schema
