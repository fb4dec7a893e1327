#include <varscope/v1.h>
int main() { varscope::v1::get_variable("v", {1}); }
