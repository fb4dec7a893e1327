// varscope/eigen.h - Eigen views of a Tensor's buffer (opt-in).
//
//   #include <varscope/eigen.h>
//   varscope::MatrixMap<const float> w = varscope::as_matrix<const float>(t);
//   Eigen::MatrixXf y = w * w.transpose();
//
// The only public header that includes Eigen: include it from the
// translation units that want Eigen views, not from widely included headers.
// A view aliases the tensor's buffer: it is valid while a Tensor sharing the
// buffer is alive, and writing through it writes every copy of the Tensor.
#pragma once

#include <cstdint>
#include <type_traits>

#include <Eigen/Core>
#include <unsupported/Eigen/CXX11/Tensor>

#include "varscope/errors.h"
#include "varscope/tensor.h"

namespace varscope {

/// A row-major dynamic matrix of T (the layout of a rank-2 Tensor).
template <class T>
using RowMajorMatrix = Eigen::Matrix<std::remove_const_t<T>, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
/// A dynamic 1-D array of T.
template <class T> using FlatArray = Eigen::Array<std::remove_const_t<T>, Eigen::Dynamic, 1>;

/// Map types; T may be const-qualified for read-only views.
template <class T>
using MatrixMap = Eigen::Map<std::conditional_t<std::is_const_v<T>, const RowMajorMatrix<T>, RowMajorMatrix<T>>>;
template <class T>
using ArrayMap = Eigen::Map<std::conditional_t<std::is_const_v<T>, const FlatArray<T>, FlatArray<T>>>;
template <class T, int Rank>
using TensorMap = Eigen::TensorMap<Eigen::Tensor<T, Rank, Eigen::RowMajor, Eigen::DenseIndex>>;

namespace detail {
template <class T, class TensorRef> T* eigen_data(TensorRef& t) {
  return t.template data<std::remove_const_t<T>>();
}
} // namespace detail

/// All elements as a flat array.
template <class T> ArrayMap<const T> as_array(const Tensor& t) {
  return ArrayMap<const T>(t.data<std::remove_const_t<T>>(), t.num_elements());
}
template <class T> ArrayMap<T> as_array(Tensor& t) { return ArrayMap<T>(detail::eigen_data<T>(t), t.num_elements()); }

/// A [rows, cols] matrix view: a rank-2 tensor as it is; any other rank
/// collapsed like TF's flat_inner_dims (cols = last dimension, rows = the
/// product of the others; a scalar is 1x1).
template <class T> MatrixMap<const T> as_matrix(const Tensor& t) {
  const std::int64_t cols = t.rank() == 0 ? 1 : t.dim(-1);
  const std::int64_t rows = cols == 0 ? 0 : t.num_elements() / cols;
  return MatrixMap<const T>(t.data<std::remove_const_t<T>>(), rows, cols);
}
template <class T> MatrixMap<T> as_matrix(Tensor& t) {
  const std::int64_t cols = t.rank() == 0 ? 1 : t.dim(-1);
  const std::int64_t rows = cols == 0 ? 0 : t.num_elements() / cols;
  return MatrixMap<T>(detail::eigen_data<T>(t), rows, cols);
}

/// A rank-`Rank` TensorMap; ValueError when the tensor's rank differs.
template <class T, int Rank> TensorMap<const T, Rank> as_tensor_map(const Tensor& t) {
  if (t.rank() != Rank)
    throw ValueError("as_tensor_map: tensor of rank " + std::to_string(t.rank()) + " viewed as rank " +
                     std::to_string(Rank));
  Eigen::array<Eigen::DenseIndex, Rank> dims;
  for (int i = 0; i < Rank; ++i) dims[static_cast<std::size_t>(i)] = t.dim(i);
  return TensorMap<const T, Rank>(t.data<std::remove_const_t<T>>(), dims);
}
template <class T, int Rank> TensorMap<T, Rank> as_tensor_map(Tensor& t) {
  if (t.rank() != Rank)
    throw ValueError("as_tensor_map: tensor of rank " + std::to_string(t.rank()) + " viewed as rank " +
                     std::to_string(Rank));
  Eigen::array<Eigen::DenseIndex, Rank> dims;
  for (int i = 0; i < Rank; ++i) dims[static_cast<std::size_t>(i)] = t.dim(i);
  return TensorMap<T, Rank>(detail::eigen_data<T>(t), dims);
}

} // namespace varscope
