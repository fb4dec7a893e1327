// A library built on v1 whose entry points are called by v1 code outside
// the project (host.cpp): after migration they keep their signatures and
// continue in the caller's v1 scope and default graph.
#pragma once

#include <varscope/tensor.h>

namespace mylib {
/// Builds the model under the caller's current scope; returns its logits
/// for a fixed input.
varscope::Tensor build_model(int width);
/// Trainable parameters in the default graph.
long count_params();
} // namespace mylib

extern "C" {
/// A fresh default graph with this seed.
void mylib_reset(int seed);
/// A classifier head shared by every call in an AUTO_REUSE scope.
int mylib_build_head(int classes);
}
