// multi_file/encoder.h - an encoder object in the Sonnet style: the
// constructor opens its scope once and captures it; every call re-enters the
// captured scope with AUTO_REUSE, so all calls share the same weights
// wherever they are made from.
#pragma once

#include <string>

#include "multi_file/layers.h"

namespace multi_file {

class Encoder {
public:
  /// Opens `variable_scope(name)` below the caller's scope and creates the
  /// input projection eagerly.
  Encoder(const std::string& name, int input_dim, int units);

  /// Encodes a [batch, input_dim] tensor to [batch, units].
  Tensor operator()(const Tensor& x) const;
  /// The captured scope's full name ("model/encoder").
  const std::string& scope_name() const { return scope_.name(); }

private:
  Tensor residual_block(const Tensor& x) const;

  v1::VariableScope scope_;
  int units_;
};

} // namespace multi_file
