// The tests' main: GoogleTest's, ending through base::exitProcess so that a thread of
// cpprestsdk's static pool still busy after the last test cannot hang the process at exit
// (operator/base/process_exit.h says why).
#include <gtest/gtest.h>

#include "operator/base/process_exit.h"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  tro::base::exitProcess(RUN_ALL_TESTS());
}
