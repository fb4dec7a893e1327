// runtime/src/shape.cpp - TensorShape-like helpers.
//
// Shape is a value type; these functions only read it.

#include "varscope/shape.h"

#include <cstddef>

#include "varscope/errors.h"

namespace varscope {

namespace {

std::string dimText(std::int64_t dim, const char* unknown) {
  return dim == Shape::kUnknownDim ? std::string(unknown) : std::to_string(dim);
}

} // namespace

bool Shape::is_fully_defined() const {
  for (std::int64_t d : dims_)
    if (d < 0) return false;
  return true;
}

std::int64_t Shape::num_elements() const {
  if (!is_fully_defined())
    throw ValueError("num_elements of a partially known shape " + to_string() + " is undefined");
  std::int64_t n = 1;
  for (std::int64_t d : dims_) n *= d;
  return n;
}

bool Shape::is_compatible_with(const Shape& other) const {
  if (rank() != other.rank()) return false;
  for (std::size_t i = 0; i < dims_.size(); ++i) {
    std::int64_t a = dims_[i];
    std::int64_t b = other.dims_[i];
    if (a != kUnknownDim && b != kUnknownDim && a != b) return false;
  }
  return true;
}

std::string Shape::to_string() const {
  // TF1's TensorShape.__str__: "(2,)" for rank 1, "?" for an unknown dim.
  std::string out = "(";
  for (std::size_t i = 0; i < dims_.size(); ++i) {
    if (i > 0) out += ", ";
    out += dimText(dims_[i], "?");
  }
  if (dims_.size() == 1) out += ",";
  out += ")";
  return out;
}

std::string Shape::to_list_string() const {
  // Python's str(shape.as_list()): "None" for an unknown dim.
  std::string out = "[";
  for (std::size_t i = 0; i < dims_.size(); ++i) {
    if (i > 0) out += ", ";
    out += dimText(dims_[i], "None");
  }
  out += "]";
  return out;
}

std::string shape_string(const Shape* shape) { return shape ? shape->to_string() : "<unknown>"; }

} // namespace varscope
