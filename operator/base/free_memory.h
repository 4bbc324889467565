#pragma once
// Gives the allocator's free pages back to the system (glibc's malloc_trim). After an informer's
// initial list, the pages' text and the fields the store drops (managedFields) leave free
// memory scattered between the kept objects; glibc returns only the top of the heap by itself.
// With 5,000 Deployments listed this took the operator's RSS from 223 to 150 MiB. Cheap (no
// pass over objects) and safe to call from any thread.

namespace tro::base {

void releaseFreeMemory();

}  // namespace tro::base
