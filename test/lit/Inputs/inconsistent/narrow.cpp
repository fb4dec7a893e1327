#include "block.h"
void narrow() { block(); }
int main() { narrow(); }
