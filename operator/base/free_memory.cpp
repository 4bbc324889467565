#include "operator/base/free_memory.h"

#include <malloc.h>

namespace tro::base {

void releaseFreeMemory() { malloc_trim(0); }

}  // namespace tro::base
