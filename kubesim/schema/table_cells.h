#pragma once
// The built-in kinds' Table columns (table.h), internal to kubesim_schema: the cell toolbox every
// column set is written with (table_cells.cpp: reading a field, rendering a string, number, age,
// label selector or quantity the way the real printers do, the Name and Age columns) and the
// column set of each built-in kind, defined by API group in table_core.cpp (core/v1),
// table_workloads.cpp (apps, batch, policy) and table_other.cpp (autoscaling, networking.k8s.io,
// admissionregistration.k8s.io, rbac.authorization.k8s.io). table.cpp picks a kind's columns and
// builds the Table.

#include <chrono>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "kubesim/common/api_error.h"
#include "kubesim/schema/kinds.h"

namespace kubesim::schema::detail {

using Clock = std::chrono::system_clock;

// One output column: its definition and how to compute its cell for an object.
struct Column {
  PrinterColumn def;
  std::function<Json(const Json&)> cell;
};

// ---- Cells and common columns (table_cells.cpp) ----

// The descriptions of metadata.name and metadata.creationTimestamp (ObjectMeta's documentation).
extern const char* const kNameDescription;
extern const char* const kCreationTimestampDescription;

// The value at a path of object keys; null when a step is missing or not an object.
const Json& at(const Json& obj, std::initializer_list<const char*> path);
// The string, or `fallback` when the value is not a string.
std::string text(const Json& v, const std::string& fallback = "");
// The integer value of a number (0 for anything else).
long long number(const Json& v);
// A timestamp as a human age at `now`: "<unknown>" when not a string, "<invalid>" when not
// RFC 3339.
std::string age(const Json& timestamp, Clock::time_point now);
Column column(const char* name, const char* type, const char* description,
              std::function<Json(const Json&)> cell, int priority = 0);
Column nameColumn();
Column ageColumn(Clock::time_point now);
// A label selector as kubectl prints it: "<none>" when empty, "<error>" when invalid.
std::string selectorString(const Json& selector);
// Quantity.String() of a stored quantity ("0" when absent).
std::string quantityCell(const Json& v);

// ---- core/v1 (table_core.cpp) ----

std::vector<Column> podColumns(Clock::time_point now);
std::vector<Column> serviceColumns(Clock::time_point now);
std::vector<Column> nodeColumns(Clock::time_point now);
std::vector<Column> endpointsColumns(Clock::time_point now);
std::vector<Column> persistentVolumeClaimColumns(Clock::time_point now);
std::vector<Column> persistentVolumeColumns(Clock::time_point now);
std::vector<Column> resourceQuotaColumns(Clock::time_point now);
std::vector<Column> eventColumns(Clock::time_point now);

// ---- apps/v1, batch/v1, policy/v1 (table_workloads.cpp) ----

std::vector<Column> deploymentColumns(Clock::time_point now);
std::vector<Column> replicaSetColumns(Clock::time_point now);
std::vector<Column> statefulSetColumns(Clock::time_point now);
std::vector<Column> daemonSetColumns(Clock::time_point now);
std::vector<Column> jobColumns(Clock::time_point now);
std::vector<Column> cronJobColumns(Clock::time_point now);
std::vector<Column> podDisruptionBudgetColumns(Clock::time_point now);

// ---- autoscaling/v2, networking.k8s.io/v1, admissionregistration.k8s.io/v1,
// rbac.authorization.k8s.io/v1 (table_other.cpp) ----

std::vector<Column> horizontalPodAutoscalerColumns(Clock::time_point now);
std::vector<Column> ingressColumns(Clock::time_point now);
std::vector<Column> ingressClassColumns(Clock::time_point now);
std::vector<Column> networkPolicyColumns(Clock::time_point now);
// MutatingWebhookConfiguration and ValidatingWebhookConfiguration.
std::vector<Column> webhookConfigurationColumns(Clock::time_point now);
// RoleBinding and ClusterRoleBinding.
std::vector<Column> bindingColumns(Clock::time_point now);

}  // namespace kubesim::schema::detail
