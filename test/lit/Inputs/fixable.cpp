#include <varscope/v1.h>

int main() {
  varscope::v1::variable_scope("enc");
  varscope::v1::variable_scope scope("s", {.reuse = false});
  varscope::v1::get_variable("w", {1});
  varscope::v1::get_variable("w", {1});
}
