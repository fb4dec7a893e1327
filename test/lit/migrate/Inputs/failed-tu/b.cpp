#include <varscope/v1.h>
void broken() {
  varscope::v1::variable_scope s("broken");
  varscope::v1::get_variable("w", {2}) // missing semicolon
}
