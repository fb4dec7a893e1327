// A header shared by both translation units: declarations and an inline
// helper (edited once).
#pragma once

#include <varscope/v1.h>

namespace v1 = varscope::v1;

varscope::Tensor dense(const varscope::Tensor& x, int units, const char* name = nullptr);

inline varscope::Tensor scale(const varscope::Tensor& x) {
  v1::variable_scope s(nullptr, "scale");
  v1::Variable g = v1::get_variable("gamma", {x.dim(1)}, {.initializer = v1::ones_initializer()});
  return v1::mul(x, g);
}

/// A layer object: a virtual build() overridden below.
class Block {
public:
  virtual ~Block() = default;
  virtual varscope::Tensor build(const varscope::Tensor& x) const = 0;
};

class DenseBlock : public Block {
public:
  explicit DenseBlock(int units) : units_(units) {}
  varscope::Tensor build(const varscope::Tensor& x) const override;

private:
  int units_;
};

template <int Units> varscope::Tensor projection(const varscope::Tensor& x, const char* name) {
  v1::variable_scope s(name);
  v1::Variable w = v1::get_variable("w", {x.dim(1), Units});
  return v1::matmul(x, w);
}

varscope::Tensor encoder(const varscope::Tensor& x, bool reuse);
