#include <vector>

void head(const std::vector<int>& sizes);
