#include <varscope/v1.h>

int main() { this is not C++; }
