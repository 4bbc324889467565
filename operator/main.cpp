#include <malloc.h>

#include <iostream>
#include <string>
#include <vector>

#include "operator/app/run.h"
#include "operator/base/process_exit.h"

int main(int argc, char** argv) {
  // glibc's default of 8 malloc arenas per core keeps memory per thread; 2 are enough for 4
  // reconcile workers that mostly wait on the network (docs/architecture.md, "Threads and
  // memory"). The HTTP thread pool is sized in run(), after the signal mask is set.
  mallopt(M_ARENA_MAX, 2);
  std::vector<std::string> args(argv + 1, argv + argc);
  // run() returns once everything it started has stopped (docs/architecture.md, "Threads and
  // memory").
  tro::base::exitProcess(tro::app::run(args, std::cout, std::cerr));
}
