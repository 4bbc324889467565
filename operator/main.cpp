#include <iostream>
#include <string>
#include <vector>

#include "operator/app/run.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return tro::app::run(args, std::cout, std::cerr);
}
