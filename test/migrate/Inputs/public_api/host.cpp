// The library's caller, outside the migrated project (it is not in the
// compilation database): v1 code that relies on sharing the default graph
// and its thread's scope with the library.
#include <iostream>
#include <string>

#include <varscope/dump.h>
#include <varscope/v1.h>

#include "mylib.h"

namespace v1 = varscope::v1;

int main(int argc, char** argv) {
  mylib_reset(3);
  varscope::Tensor y = mylib::build_model(4);
  std::cout << y.name() << " " << y.shape().to_string() << "\n";
  {
    v1::variable_scope tower("tower0");
    varscope::Tensor t = mylib::build_model(4); // under the caller's guard
    std::cout << t.name() << "\n";
  }
  {
    v1::variable_scope shared("shared", {.reuse = v1::AUTO_REUSE});
    std::cout << mylib_build_head(5) << " " << mylib_build_head(5) << "\n"; // the second call reuses
  }
  try {
    mylib::build_model(4); // model/dense/w exists: the caller sees v1's error
  } catch (const varscope::ValueError& e) {
    std::cout << "ValueError: " << e.what() << "\n";
  }
  std::cout << mylib::count_params() << " parameters in " << v1::global_variables().size() << " variables\n";
  for (const v1::Variable& v : v1::global_variables()) std::cout << "  " << v.name() << "\n";
  if (argc == 3 && std::string(argv[1]) == "--dump") varscope::dump_store(v1::get_default_graph(), argv[2]);
  return 0;
}
