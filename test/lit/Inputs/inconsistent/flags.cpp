#include "block.h"
void from_flags() { block(); same_everywhere(); }
