#include <varscope/v1.h>

#warning "a compiler warning the analyser must not print"

static int unused_function() { return 0; }

int main() {
  int unused = 1;
  varscope::v1::variable_scope scope("s");
  varscope::v1::get_variable("w", {1});
  varscope::v1::get_variable("w", {1});
}
