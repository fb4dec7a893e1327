// varscope/shape.h - a tensor shape of known rank, mirroring tf.TensorShape.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace varscope {

/// A shape of known rank. A dimension may be unknown (kUnknownDim, TF's None).
/// An unknown *rank* is represented by std::optional<Shape> holding nothing.
/// Value type; not synchronized.
class Shape {
public:
  static constexpr std::int64_t kUnknownDim = -1;

  Shape() = default; // rank 0: a scalar
  Shape(std::initializer_list<std::int64_t> dims) : dims_(dims) {}
  explicit Shape(std::vector<std::int64_t> dims) : dims_(std::move(dims)) {}

  int rank() const { return static_cast<int>(dims_.size()); }
  std::int64_t dim(int i) const { return dims_.at(static_cast<std::size_t>(i)); }
  std::int64_t operator[](int i) const { return dims_[static_cast<std::size_t>(i)]; }
  const std::vector<std::int64_t>& dims() const { return dims_; }
  std::vector<std::int64_t>& mutable_dims() { return dims_; }

  /// True when every dimension is known.
  bool is_fully_defined() const;
  /// Product of the dimensions (1 for a scalar); requires is_fully_defined().
  std::int64_t num_elements() const;
  /// TF's TensorShape.is_compatible_with: same rank, and every pair of known
  /// dimensions equal.
  bool is_compatible_with(const Shape& other) const;

  /// TF1's text form: "()", "(2,)", "(3, 4)", "(?, 4)".
  std::string to_string() const;
  /// Python list form used in some messages: "[]", "[2]", "[3, 4]".
  std::string to_list_string() const;

  friend bool operator==(const Shape& a, const Shape& b) = default;

private:
  std::vector<std::int64_t> dims_;
};

/// "<unknown>" for an unknown rank, else shape.to_string().
std::string shape_string(const Shape* shape);

} // namespace varscope
