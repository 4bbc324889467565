#pragma once
// The response text of a stored object without copying it: exactly the bytes of
// patch::compactJson(render(stored)) (the object with the served apiVersion and kind, and each
// managedFields entry's fieldsV1 unpacked), written in one pass over the shared stored tree.
// Packed fieldsV1 text is already compact JSON and is spliced in as it is. LIST and GET answer
// with it; a 500-item page no longer copies 500 objects to serialise them.

#include <string>

#include "kubesim/common/api_error.h"

namespace kubesim::api {

void appendStoredText(std::string& out, const Json& stored, const std::string& apiVersion,
                      const std::string& kind);

}  // namespace kubesim::api
