#include <varscope/v1.h>
void encoder() {
  varscope::v1::variable_scope s("encoder");
  varscope::v1::get_variable("w", {2});
}
int main() { encoder(); }
