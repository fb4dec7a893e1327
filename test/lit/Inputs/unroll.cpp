#include <varscope/v1.h>

#include <string>

int main() {
  for (int i = 0; i < 5; ++i) {
    varscope::v1::variable_scope scope("layer_" + std::to_string(i));
    varscope::v1::get_variable("w", {1});
  }
}
