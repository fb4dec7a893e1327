// ops/op_util.cpp - naming, tracing, TF-format errors and shape helpers.
#include "ops/op_util.h"

#include <algorithm>
#include <cstring>
#include <mutex>

#include "internal.h"
#include "ops/parallel.h"

namespace varscope::ops_internal {

std::string op_node_name(Scope& scope, std::string_view requested, std::string_view default_name) {
  const std::string_view name = requested.empty() ? default_name : requested;
  // TF: a name ending in "/" is an absolute, already unique name.
  if (name.ends_with('/')) {
    std::string out;
    out.reserve(name.size() + 1);
    out.append(name.substr(0, name.size() - 1));
    return out;
  }
  // Scope::unique_name, with room for the ":0" run_op appends.
  Store::Impl& impl = detail::Access::impl(scope.store());
  std::lock_guard<std::recursive_mutex> lock(impl.mu);
  return impl.unique_name(scope.get_name_scope(), name, /*mark_as_used=*/true, /*extra_capacity=*/2);
}

void record(Scope& scope, const OpInfo& op, const Shape& output_shape, std::chrono::nanoseconds duration) {
  scope.store().record_op(OpRecord{.name = op.name,
                                   .type = op.type,
                                   .input_shapes = op.input_shapes.to_vector(),
                                   .output_shape = output_shape,
                                   .duration_ns = duration.count()});
}

std::string dims_string(const std::vector<std::int64_t>& dims) {
  std::string out = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i > 0) out += ',';
    out += dims[i] < 0 ? std::string("?") : std::to_string(dims[i]);
  }
  return out + "]";
}

std::string dims_string(const Shape& shape) { return dims_string(shape.dims()); }

std::string values_string(const std::vector<std::int64_t>& values) {
  std::string out = "<";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ' ';
    out += std::to_string(values[i]);
  }
  return out + ">";
}

void shape_error(const OpInfo& op, const std::string& what) {
  std::string message = what + " for '" + op.name + "' (op: '" + op.type + "') with input shapes: ";
  for (std::size_t i = 0; i < op.input_shapes.size(); ++i) {
    if (i > 0) message += ", ";
    message += dims_string(op.input_shapes[i]);
  }
  if (!op.computed.empty()) message += " and with computed input tensors: " + op.computed;
  throw ValueError(message + ".");
}

void dims_must_be_equal(const OpInfo& op, std::int64_t a, std::int64_t b) {
  shape_error(op, "Dimensions must be equal, but are " + std::to_string(a) + " and " + std::to_string(b));
}

void dtype_not_allowed(const OpInfo& op, std::string_view param, DType dtype, std::string_view allowed) {
  throw TypeError("Value passed to parameter '" + std::string(param) + "' has DataType " +
                  std::string(dtype_name(dtype)) + " not in list of allowed values: " + std::string(allowed) +
                  " for '" + op.name + "' (op: '" + op.type + "')");
}

void dtype_mismatch(const OpInfo& op, std::string_view param_a, const Tensor& a, std::string_view param_b,
                    const Tensor& b) {
  throw TypeError("Input '" + std::string(param_b) + "' of '" + op.type + "' Op has type " +
                  std::string(dtype_name(b.dtype())) + " that does not match type " +
                  std::string(dtype_name(a.dtype())) + " of argument '" + std::string(param_a) + "'.");
}

void rank_error(const OpInfo& op, const Tensor& t, int rank, bool at_least) {
  shape_error(op, std::string(at_least ? "Shape must be at least rank " : "Shape must be rank ") + std::to_string(rank) +
                      " but is rank " + std::to_string(t.rank()));
}

std::int64_t product(const std::vector<std::int64_t>& dims, std::size_t begin, std::size_t end) {
  std::int64_t p = 1;
  for (std::size_t i = begin; i < end && i < dims.size(); ++i) p *= dims[i];
  return p;
}

std::vector<std::int64_t> strides_of(const std::vector<std::int64_t>& dims) {
  std::vector<std::int64_t> strides(dims.size(), 1);
  for (std::size_t i = dims.size(); i-- > 1;) strides[i - 1] = strides[i] * dims[i];
  return strides;
}

Shape broadcast_shapes(const OpInfo& op, const Shape& x, const Shape& y) {
  const int rank = std::max(x.rank(), y.rank());
  std::vector<std::int64_t> out(static_cast<std::size_t>(rank));
  // Left to right over the output, as TF's shape function reports the first
  // mismatch.
  for (int i = 0; i < rank; ++i) {
    const int xi = i - (rank - x.rank());
    const int yi = i - (rank - y.rank());
    const std::int64_t dx = xi < 0 ? 1 : x[xi];
    const std::int64_t dy = yi < 0 ? 1 : y[yi];
    if (dx == dy || dy == 1) {
      out[static_cast<std::size_t>(i)] = dx;
      continue;
    }
    if (dx == 1) {
      out[static_cast<std::size_t>(i)] = dy;
      continue;
    }
    dims_must_be_equal(op, dx, dy);
  }
  return Shape(std::move(out));
}

BroadcastPlan plan_broadcast(const Shape& out, const Shape& x, const Shape& y) {
  // Per kept output dim: its size and whether x / y are broadcast along it.
  std::vector<std::int64_t> dims;
  std::vector<bool> x_b;
  std::vector<bool> y_b;
  const int rank = out.rank();
  for (int i = 0; i < rank; ++i) {
    const std::int64_t d = out[i];
    if (d == 1) continue;
    const int xi = i - (rank - x.rank());
    const int yi = i - (rank - y.rank());
    const bool xb = xi < 0 || x[xi] == 1;
    const bool yb = yi < 0 || y[yi] == 1;
    if (!dims.empty() && x_b.back() == xb && y_b.back() == yb) {
      dims.back() *= d;
      continue;
    }
    dims.push_back(d);
    x_b.push_back(xb);
    y_b.push_back(yb);
  }
  if (dims.empty()) {
    dims.push_back(1);
    x_b.push_back(false);
    y_b.push_back(false);
  }
  BroadcastPlan plan;
  plan.dims = dims;
  auto strides_for = [&](const std::vector<bool>& broadcast) {
    std::vector<std::int64_t> own(dims.size());
    for (std::size_t i = 0; i < dims.size(); ++i) own[i] = broadcast[i] ? 1 : dims[i];
    std::vector<std::int64_t> strides = strides_of(own);
    for (std::size_t i = 0; i < dims.size(); ++i)
      if (broadcast[i]) strides[i] = 0;
    return strides;
  };
  plan.x_strides = strides_for(x_b);
  plan.y_strides = strides_for(y_b);
  return plan;
}

void copy_elements(const Tensor& src, std::int64_t src_offset, Tensor& dst, std::int64_t dst_offset,
                   std::int64_t count) {
  if (count <= 0) return;
  dispatch_by_size(src.dtype(), [&]<class T>(std::type_identity<T>) {
    std::copy_n(raw_ptr<T>(src) + src_offset, count, raw_ptr<T>(dst) + dst_offset);
    return 0;
  });
}

namespace {

/// copy_strided for one element size; dims non-empty, none zero.
template <class T>
void copy_runs(const T* src, T* dst, const std::vector<std::int64_t>& dims, const std::vector<std::int64_t>& strides,
               std::int64_t cost_per_run, detail::ThreadPool* pool) {
  const std::size_t rank = dims.size();
  const std::int64_t inner = dims.back();
  const std::int64_t inner_stride = strides.back();
  const std::int64_t runs = product(dims, 0, rank) / inner;
  parallel_rows(pool, runs, cost_per_run, [&](std::int64_t begin, std::int64_t end) {
    // The input offset of run `begin`, from its index in the outer dims.
    std::vector<std::int64_t> index(rank, 0);
    std::int64_t offset = 0;
    std::int64_t rest = begin;
    for (std::size_t d = rank - 1; d-- > 0;) {
      index[d] = rest % dims[d];
      rest /= dims[d];
      offset += index[d] * strides[d];
    }
    for (std::int64_t o = begin * inner; o < end * inner; o += inner) {
      if (inner_stride == 1) {
        // A contiguous run: a loop the compiler vectorises (a memmove call per
        // run costs more than the copy for runs of a few hundred bytes).
        const T* from = src + offset;
        T* to = dst + o;
        for (std::int64_t j = 0; j < inner; ++j) to[j] = from[j];
      } else {
        for (std::int64_t j = 0; j < inner; ++j) dst[o + j] = src[offset + j * inner_stride];
      }
      for (std::size_t d = rank - 1; d-- > 0;) {
        ++index[d];
        offset += strides[d];
        if (index[d] < dims[d]) break;
        offset -= strides[d] * dims[d];
        index[d] = 0;
      }
    }
  });
}

template <class T>
void permute(const Tensor& x, Tensor& out, const std::vector<int>& perm, detail::ThreadPool* pool) {
  if (out.num_elements() == 0) return;
  const std::vector<std::int64_t>& out_dims = out.shape().dims();
  const std::vector<std::int64_t> in_strides = strides_of(x.shape().dims());
  // The output dims with their input strides, size-1 dims dropped and
  // neighbours that are also neighbours in the input merged, so the
  // innermost run is as long as it can be ([8,128,4,64] by {0,2,1,3}: runs
  // of 64; an identity permutation: one run).
  std::vector<std::int64_t> dims;
  std::vector<std::int64_t> strides;
  for (std::size_t i = 0; i < out_dims.size(); ++i) {
    const std::int64_t d = out_dims[i];
    const std::int64_t stride = in_strides[static_cast<std::size_t>(perm[i])];
    if (d == 1) continue;
    if (!dims.empty() && strides.back() == stride * d) {
      dims.back() *= d;
      strides.back() = stride;
      continue;
    }
    dims.push_back(d);
    strides.push_back(stride);
  }
  if (dims.empty()) {
    dims.push_back(1);
    strides.push_back(1);
  }
  const std::int64_t cost = dims.back() * (strides.back() == 1 ? kCopyCost : kStridedCopyCost);
  copy_runs<T>(raw_ptr<T>(x), raw_ptr<T>(out), dims, strides, cost, pool);
}

} // namespace

void copy_strided(const Tensor& x, std::int64_t offset, const std::vector<std::int64_t>& dims,
                  const std::vector<std::int64_t>& strides, Tensor& out, std::int64_t cost_per_run,
                  detail::ThreadPool* pool) {
  if (out.num_elements() == 0) return;
  dispatch_by_size(x.dtype(), [&]<class T>(std::type_identity<T>) {
    copy_runs<T>(raw_ptr<T>(x) + offset, raw_ptr<T>(out), dims, strides, cost_per_run, pool);
    return 0;
  });
}

Tensor transpose_kernel(const Tensor& x, const std::vector<int>& perm, detail::ThreadPool* pool) {
  std::vector<std::int64_t> dims(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) dims[i] = x.dim(perm[i]);
  Tensor out = make_output(x.dtype(), std::move(dims));
  if (x.rank() == 0) {
    dispatch_by_size(x.dtype(), [&]<class T>(std::type_identity<T>) {
      raw_ptr<T>(out)[0] = raw_ptr<T>(x)[0];
      return 0;
    });
    return out;
  }
  // A 2-D float transpose is Eigen's blocked copy, split by output rows
  // (the writable map is made here: raw_data() is not for the workers).
  if (x.rank() == 2 && perm[0] == 1 && x.dtype() == DType::Float32) {
    MatrixMap<float> to = as_matrix<float>(out);
    const MatrixMap<const float> from = as_matrix<const float>(x);
    const std::int64_t rows = out.dim(0);
    // Eigen's 2-D transpose: 1.3 ns per element on [256, 256], timed as the
    // copy costs in parallel.h were.
    constexpr std::int64_t kEigenTransposeCost = 13;
    parallel_rows(pool, rows, out.dim(1) * kEigenTransposeCost, [&](std::int64_t begin, std::int64_t end) {
      if (begin == 0 && end == rows) {
        to.noalias() = from.transpose();
        return;
      }
      to.middleRows(begin, end - begin).noalias() = from.transpose().middleRows(begin, end - begin);
    });
    return out;
  }
  dispatch_by_size(x.dtype(), [&]<class T>(std::type_identity<T>) {
    permute<T>(x, out, perm, pool);
    return 0;
  });
  return out;
}

} // namespace varscope::ops_internal
