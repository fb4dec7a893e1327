#define WIDE 1
#include "block.h"
void wide() { block(); same_everywhere(); }
