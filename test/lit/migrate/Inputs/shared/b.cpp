#include "helper.h"
void encoder();
int main() {
  encoder();
  kernel(2);
}
