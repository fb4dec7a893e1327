#include <varscope/v1.h>

namespace v1 = varscope::v1;

void tower();
void shared_bias();

int main() {
  {
    v1::variable_scope s("bias");
    v1::get_variable("b", {2});
  }
  shared_bias();
  v1::variable_scope s("shared");
  tower();
  tower();
}
