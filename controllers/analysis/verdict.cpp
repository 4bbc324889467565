#include "controllers/analysis/verdict.h"

namespace tro::controllers::analysis {

const char* toString(Outcome outcome) {
  switch (outcome) {
    case Outcome::Successful:
      return "Successful";
    case Outcome::Failed:
      return "Failed";
    case Outcome::Inconclusive:
      break;
  }
  return "Inconclusive";
}

}  // namespace tro::controllers::analysis
