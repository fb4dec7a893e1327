#include <varscope/v1.h>
namespace v1 = varscope::v1;
namespace mylib {
v1::Variable dense(int n) {
  v1::variable_scope s(nullptr, "dense");
  return v1::get_variable("w", {n});
}
int build_model() {
  v1::variable_scope s("model");
  dense(2);
  return static_cast<int>(v1::global_variables().size());
}
} // namespace mylib
