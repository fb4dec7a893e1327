// varscope/tensor.h - a dense, reference-counted n-dimensional array.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "varscope/detail/ref.h"
#include "varscope/dtype.h"
#include "varscope/errors.h"
#include "varscope/shape.h"

namespace varscope {

namespace detail {
struct TensorBuffer; // aligned storage; defined in runtime/src/tensor.cpp
struct TensorName;   // an op output's name, shared by copies
struct TensorAccess; // the runtime's access to the buffer (runtime/src/buffer_state.h)
} // namespace detail

/// A dense row-major array with a dtype, a fully defined shape and a
/// reference-counted buffer (64-byte aligned from 64 bytes of data on,
/// 16-byte aligned below that, so a million tiny variables stay small). Copying a Tensor shares the
/// buffer (like tf.Tensor / torch::Tensor); clone() copies the data.
///
/// float16 and bfloat16 are stored as their 16-bit patterns (std::uint16_t);
/// convert with to_float32()/cast(). String tensors hold std::string elements.
///
/// A Tensor may carry a graph name ("foo/add:0") when an op produced it.
///
/// Thread-safety: distinct Tensors may be used from different threads; a
/// buffer shared by copies must not be written while another thread reads it.
///
/// Writable pointers: elements change only through the pointers that the
/// non-const raw_data(), data<T>() and values<T>() return. Until one of
/// them is called on a buffer, the runtime may keep data derived from its
/// elements (matmul keeps its weight operand packed for the GEMM kernel);
/// the first call drops that data for good, so writes through such a
/// pointer, whenever they happen, are always seen by later ops. Read
/// through a const Tensor (or the const overloads) to keep that speed.
class Tensor {
public:
  /// An undefined tensor (defined() is false).
  Tensor() = default;
  /// A zero-initialised tensor ("" for strings, false for bool).
  Tensor(DType dtype, Shape shape);
  /// A tensor whose element bytes are left uninitialised (like
  /// torch::empty; string elements are still constructed empty), for code
  /// that writes every element before reading any, such as the op kernels.
  static Tensor uninitialized(DType dtype, Shape shape);

  /// A scalar of the element type's dtype.
  template <class T> static Tensor scalar(T value) {
    Tensor t(dtype_of_v<T>, Shape{});
    t.data<T>()[0] = std::move(value);
    return t;
  }
  /// A float32 scalar from a double (TF's Python float default).
  static Tensor scalar_f32(double value) { return scalar<float>(static_cast<float>(value)); }
  /// A tensor from row-major values; throws ValueError when the element count
  /// does not match the shape.
  template <class T> static Tensor from_vector(const std::vector<T>& values, Shape shape) {
    Tensor t(dtype_of_v<T>, std::move(shape));
    if (static_cast<std::int64_t>(values.size()) != t.num_elements())
      throw ValueError("Tensor::from_vector: " + std::to_string(values.size()) +
                       " values do not fill shape " + t.shape().to_string());
    T* out = t.data<T>();
    for (std::size_t i = 0; i < values.size(); ++i) out[i] = values[i];
    return t;
  }
  /// A rank-1 tensor from values.
  template <class T> static Tensor from_vector(const std::vector<T>& values) {
    return from_vector(values, Shape{static_cast<std::int64_t>(values.size())});
  }
  /// A float16/bfloat16/float32/float64 tensor from float values (rounded
  /// to nearest even for the 16-bit types).
  static Tensor from_floats(DType dtype, const std::vector<float>& values, Shape shape);

  bool defined() const { return buffer_ != nullptr; }
  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  int rank() const { return shape_.rank(); }
  std::int64_t dim(int i) const { return shape_.dim(i < 0 ? i + rank() : i); }
  std::int64_t num_elements() const { return num_elements_; }
  /// Bytes of element data (strings: num_elements * sizeof(std::string)).
  std::size_t nbytes() const;

  void* raw_data();
  const void* raw_data() const;
  /// True when no other Tensor (a copy, a reshape, a variable's value)
  /// shares this one's elements, so writing them is invisible to everyone
  /// else. Ops given an expiring input (an rvalue) use it to write their
  /// result into the input's memory (docs/ops.md, "In place").
  bool sole_owner() const noexcept;

  /// Typed element pointer; throws TypeError when T does not match dtype()
  /// (std::uint16_t is accepted for float16/bfloat16).
  template <class T> T* data() {
    check_type(dtype_of_v<T>);
    return static_cast<T*>(raw_data());
  }
  template <class T> const T* data() const {
    check_type(dtype_of_v<T>);
    return static_cast<const T*>(raw_data());
  }
  template <class T> std::span<T> values() { return {data<T>(), static_cast<std::size_t>(num_elements_)}; }
  template <class T> std::span<const T> values() const {
    return {data<T>(), static_cast<std::size_t>(num_elements_)};
  }
  /// The single element of a scalar (or one-element) tensor.
  template <class T> T item() const {
    if (num_elements_ != 1)
      throw ValueError("Tensor::item: tensor has " + std::to_string(num_elements_) + " elements");
    return data<T>()[0];
  }

  /// Element i converted to double (bool: 0/1; float16/bfloat16 decoded).
  /// Throws TypeError for strings.
  double element_as_double(std::int64_t i) const;
  /// All elements converted to double.
  std::vector<double> to_doubles() const;

  /// A deep copy with its own buffer.
  Tensor clone() const;
  /// A converted copy (numeric dtypes and bool only).
  Tensor cast(DType dtype) const;
  /// The same buffer viewed with another shape of equal element count.
  Tensor reshaped(Shape shape) const;
  /// True when the buffers are the same object.
  bool shares_buffer_with(const Tensor& other) const { return buffer_ == other.buffer_; }

  /// Exact equality of dtype, shape and element bytes (NaNs compare by bits).
  bool equals(const Tensor& other) const;

  /// Graph name of the tensor ("foo/add:0"), empty when it has none.
  const std::string& name() const;
  void set_name(std::string name);

  /// Python-like summary "Tensor(shape=(2, 3), dtype=float32, values=[...])"
  /// with at most `max_values` values.
  std::string debug_string(int max_values = 6) const;

private:
  friend struct detail::TensorAccess;
  void check_type(DType requested) const {
    if (requested != dtype_) type_mismatch(requested);
  }
  [[noreturn]] void type_mismatch(DType requested) const;

  detail::Ref<detail::TensorBuffer> buffer_;
  Shape shape_;
  std::int64_t num_elements_ = 0;
  DType dtype_ = DType::Float32;
  /// The name is the buffer's (an op output named while it had one owner,
  /// set_name), shared by every copy made since; name_ is then null.
  bool name_in_buffer_ = false;
  detail::Ref<detail::TensorName> name_; // null when unnamed or in the buffer
};

template <> inline std::uint16_t* Tensor::data<std::uint16_t>() {
  if (dtype_ != DType::Float16 && dtype_ != DType::BFloat16) check_type(DType::UInt16);
  return static_cast<std::uint16_t*>(raw_data());
}
template <> inline const std::uint16_t* Tensor::data<std::uint16_t>() const {
  if (dtype_ != DType::Float16 && dtype_ != DType::BFloat16) check_type(DType::UInt16);
  return static_cast<const std::uint16_t*>(raw_data());
}

/// float <-> 16-bit float conversions (round to nearest even).
std::uint16_t float_to_half_bits(float value);
float half_bits_to_float(std::uint16_t bits);
std::uint16_t float_to_bfloat16_bits(float value);
float bfloat16_bits_to_float(std::uint16_t bits);

} // namespace varscope
