#include <varscope/v1.h>

int main() {
  varscope::v1::variable_scope scope("clean");
  varscope::v1::get_variable("w", {1});
}
