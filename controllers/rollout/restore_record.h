#pragma once
// The restore record: the operator's memory, kept in the Deployment annotation
// rollout.telemetry.io/restore, of what a Deployment looked like before the operator changed it,
// so that restore() puts it back exactly.
//
// Contract: an entry exists for exactly the variables, pod-template annotations, sidecar and volume
// the operator holds now.
// An entry is written the first time the operator takes a variable and is never overwritten while
// the operator holds it, so repeated enable/rollback cycles still restore the true original. When
// the operator gives a variable back (restores its original), the entry is dropped: a change made
// to that variable afterwards by someone else is then theirs and becomes the new original.
// The JSON form is canonical (sorted keys, defaults omitted) so that an unchanged record never
// causes a write.

#include <map>
#include <string>

#include "operator/base/result.h"
#include "operator/kube/resource.h"

namespace tro::controllers {

struct ContainerRestoreRecord {
  // Variable name -> the EnvVar entry exactly as it was before the operator set the variable,
  // or null when the container did not have the variable.
  std::map<std::string, nlohmann::json> env;
  bool envAbsent = false;  // the container had no "env" list before the operator added one
  bool operator==(const ContainerRestoreRecord&) const = default;
};

struct RestoreRecord {
  std::map<std::string, ContainerRestoreRecord> containers;  // by container name
  std::string sidecar;             // container the operator added; "" when none
  std::string volume;              // pod volume the operator added; "" when none
  bool volumesAbsent = false;      // the pod had no "volumes" list before the operator's volume
  bool annotationsAbsent = false;  // the Deployment had no metadata.annotations before
  // Pod-template annotation (spec.instrumentation) -> its value before the operator set it (a
  // string), or null when the template did not have it.
  std::map<std::string, nlohmann::json> podAnnotations;
  bool podAnnotationsAbsent = false;  // the template had no metadata.annotations before
  bool operator==(const RestoreRecord&) const = default;

  nlohmann::json toJson() const;
  std::string toAnnotation() const;  // compact canonical JSON
};

// Parses the annotation value; a malformed record is an error (restoring from a guess would not
// be exact), with a message saying what is wrong.
base::Result<RestoreRecord, std::string> parseRestoreRecord(const std::string& annotation);

}  // namespace tro::controllers
