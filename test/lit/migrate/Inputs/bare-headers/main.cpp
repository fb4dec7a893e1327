#include "blocks.h"
#include "guarded.h"
#include "plain.h"

int main() {
  encoder_block(2);
  decoder_block(3);
  head({4, 5});
}
