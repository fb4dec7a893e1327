// ops/op_util.h - private helpers of the op kernels: naming and tracing
// (run_op), TF-format errors, dtype dispatch and shape arithmetic.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <new>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "varscope/dtype.h"
#include "varscope/eigen.h"
#include "varscope/errors.h"
#include "varscope/ops.h"
#include "varscope/scope.h"
#include "varscope/shape.h"
#include "varscope/store.h"
#include "varscope/tensor.h"

#include "buffer_state.h"

namespace varscope::detail {
class ThreadPool;
} // namespace varscope::detail

namespace varscope::ops_internal {

/// The shapes of an op's inputs, for its error messages and its trace
/// record. An input tensor outlives the op, so its shape is referenced, not
/// copied; shapes made up for attributes (`Shape{}`, `Shape{n}`) are owned.
/// Up to kInline shapes need no heap allocation: every op fills one, so an op
/// on small tensors would otherwise spend a third of its fixed cost copying
/// shapes it almost never reads.
///
/// Not copyable: it may point into itself. Not thread-safe.
class InputShapes {
public:
  /// One shape of an initializer list: an lvalue is referenced, an rvalue
  /// (a temporary of the same full-expression as the assignment) moved
  /// into the InputShapes.
  class Arg {
  public:
    Arg(const Shape& shape) : ref_(&shape) {}
    Arg(Shape&& shape) : rvalue_(&shape) {}

  private:
    friend class InputShapes;
    const Shape* ref_ = nullptr;
    Shape* rvalue_ = nullptr;
  };

  InputShapes() {}
  InputShapes(const InputShapes&) = delete;
  InputShapes& operator=(const InputShapes&) = delete;
  ~InputShapes() { destroy_owned(); }

  InputShapes& operator=(std::initializer_list<Arg> shapes) {
    clear();
    for (const Arg& arg : shapes) {
      if (arg.ref_ != nullptr)
        push_back(*arg.ref_);
      else
        push_back(std::move(*arg.rvalue_));
    }
    return *this;
  }
  /// References `shape`, which must outlive this object.
  void push_back(const Shape& shape) {
    if (size_ < kInline) {
      refs_[size_++] = &shape;
      return;
    }
    spill_.push_back(shape);
    ++size_;
  }
  void push_back(Shape&& shape) {
    if (size_ < kInline) {
      Shape* owned = new (&owned_[size_].shape) Shape(std::move(shape));
      owned_mask_ |= 1u << size_;
      refs_[size_] = owned;
      ++size_;
      return;
    }
    spill_.push_back(std::move(shape));
    ++size_;
  }
  void clear() {
    destroy_owned();
    size_ = 0;
    spill_.clear();
  }
  std::size_t size() const { return size_; }
  const Shape& operator[](std::size_t i) const { return i < kInline ? *refs_[i] : spill_[i - kInline]; }
  std::vector<Shape> to_vector() const {
    std::vector<Shape> out;
    out.reserve(size_);
    for (std::size_t i = 0; i < size_; ++i) out.push_back((*this)[i]);
    return out;
  }

private:
  static constexpr std::size_t kInline = 4;
  /// Storage for an owned shape, constructed only when used (most ops own
  /// none), so an InputShapes costs nothing to make and destroy.
  union OwnedSlot {
    OwnedSlot() {}
    ~OwnedSlot() {}
    Shape shape;
  };
  void destroy_owned() {
    for (std::size_t i = 0; owned_mask_ != 0; ++i, owned_mask_ >>= 1)
      if (owned_mask_ & 1u) owned_[i].shape.~Shape();
  }

  std::size_t size_ = 0;
  unsigned owned_mask_ = 0; // bit i: owned_[i] holds a shape
  std::array<const Shape*, kInline> refs_;
  OwnedSlot owned_[kInline];
  std::vector<Shape> spill_; // shapes past kInline, copied
};

/// The node being executed: its unique name, its TF op type and the shapes
/// of all its inputs, attribute tensors included (TF's shape functions print
/// them: "with input shapes: [2,3], [1]"). `computed` lists constant inputs
/// the way TF appends them ("input[1] = <2>").
struct OpInfo {
  std::string name;
  std::string type;
  InputShapes input_shapes;
  std::string computed;
};

// -- Naming and tracing

/// The op's node name: `requested` (or `default_name` when empty) through
/// scope.unique_name; a name ending in "/" is taken as-is minus the slash.
std::string op_node_name(Scope& scope, std::string_view requested, std::string_view default_name);
void record(Scope& scope, const OpInfo& op, const Shape& output_shape, std::chrono::nanoseconds duration);

/// Runs `kernel(OpInfo&)` as the op `type`: names the node, names the
/// outputs "<name>:<i>" and records the op when the store traces. The kernel
/// returns a Tensor or a std::vector<Tensor>.
template <class Kernel>
auto run_op(Scope& scope, std::string_view requested, std::string_view default_name, std::string_view type,
            Kernel&& kernel) {
  OpInfo op{op_node_name(scope, requested, default_name), std::string(type), {}, {}};
  const bool tracing = scope.store().tracing();
  const auto start = tracing ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
  auto result = kernel(op);
  const auto duration = tracing ? std::chrono::steady_clock::now() - start : std::chrono::nanoseconds{0};
  // The kernel has written its outputs: from here on only the caller can
  // hold pointers into them (buffer_state.h).
  if constexpr (std::is_same_v<decltype(result), Tensor>) {
    detail::seal_op_owned(result);
    if (tracing) record(scope, op, result.shape(), std::chrono::duration_cast<std::chrono::nanoseconds>(duration));
    result.set_name(std::move(op.name) + ":0"); // appends in place
  } else {
    static_assert(std::is_same_v<decltype(result), std::vector<Tensor>>, "a kernel returns Tensor(s)");
    for (const Tensor& t : result) detail::seal_op_owned(t);
    for (std::size_t i = 0; i < result.size(); ++i) result[i].set_name(op.name + ":" + std::to_string(i));
    if (tracing)
      record(scope, op, result.empty() ? Shape{} : result.front().shape(),
             std::chrono::duration_cast<std::chrono::nanoseconds>(duration));
  }
  return result;
}

// -- Errors in TF's words

/// TF's dimension list: "[2,3]", "[]".
std::string dims_string(const Shape& shape);
std::string dims_string(const std::vector<std::int64_t>& dims);
/// Values as TF prints computed input tensors: "<2>", "<0 1>".
std::string values_string(const std::vector<std::int64_t>& values);
/// ValueError("<what> for '<name>' (op: '<type>') with input shapes: ...[
/// and with computed input tensors: ...].")
[[noreturn]] void shape_error(const OpInfo& op, const std::string& what);
/// "Dimensions must be equal, but are 3 and 4" as a shape error.
[[noreturn]] void dims_must_be_equal(const OpInfo& op, std::int64_t a, std::int64_t b);
/// TypeError("Value passed to parameter 'x' has DataType int8 not in list of
/// allowed values: float32, float64 for '<name>' (op: '<type>')").
[[noreturn]] void dtype_not_allowed(const OpInfo& op, std::string_view param, DType dtype, std::string_view allowed);
/// TypeError("Input 'y' of 'Add' Op has type float64 that does not match
/// type float32 of argument 'x'.") unless both dtypes agree.
/// (The checks are inline and call out of line only to raise.)
[[noreturn]] void dtype_mismatch(const OpInfo& op, std::string_view param_a, const Tensor& a, std::string_view param_b,
                                 const Tensor& b);
inline void check_same_dtype(const OpInfo& op, std::string_view param_a, const Tensor& a, std::string_view param_b,
                             const Tensor& b) {
  if (a.dtype() != b.dtype()) dtype_mismatch(op, param_a, a, param_b, b);
}
/// ValueError unless `t` has rank `rank` ("Shape must be rank 2 but is rank 3").
[[noreturn]] void rank_error(const OpInfo& op, const Tensor& t, int rank, bool at_least);
inline void check_rank(const OpInfo& op, const Tensor& t, int rank) {
  if (t.rank() != rank) rank_error(op, t, rank, /*at_least=*/false);
}
inline void check_rank_at_least(const OpInfo& op, const Tensor& t, int rank) {
  if (t.rank() < rank) rank_error(op, t, rank, /*at_least=*/true);
}

// -- Dtype dispatch

template <class... Ts> struct TypeList {};
using FloatTypes = TypeList<float, double>;
using NumericTypes = TypeList<float, double, std::int32_t, std::int64_t>;
using IndexTypes = TypeList<std::int32_t, std::int64_t>;

template <class... Ts> std::string type_names() {
  std::string out;
  ((out += (out.empty() ? "" : ", "), out += dtype_name(dtype_of_v<Ts>)), ...);
  return out;
}

/// Calls f(std::type_identity<T>{}) for the T of `dtype` among Ts; a dtype
/// outside Ts is a TypeError naming `param` and the op.
template <class... Ts, class F>
auto dispatch(TypeList<Ts...>, const OpInfo& op, std::string_view param, DType dtype, F&& f) {
  using First = std::tuple_element_t<0, std::tuple<Ts...>>;
  using R = decltype(f(std::type_identity<First>{}));
  R result{};
  const bool found = ((dtype == dtype_of_v<Ts> ? (result = f(std::type_identity<Ts>{}), true) : false) || ...);
  if (!found) dtype_not_allowed(op, param, dtype, type_names<Ts...>());
  return result;
}

/// A TypeError as dispatch() raises it, checked before the shape checks (TF
/// validates dtypes when it builds the op, before shape inference).
template <class... Ts> void check_dtype(TypeList<Ts...>, const OpInfo& op, std::string_view param, DType dtype) {
  if (!((dtype == dtype_of_v<Ts>) || ...)) dtype_not_allowed(op, param, dtype, type_names<Ts...>());
}

/// For data movement: calls f(std::type_identity<T>{}) with an unsigned type
/// of the element size (std::string for strings).
template <class F> auto dispatch_by_size(DType dtype, F&& f) {
  if (dtype == DType::String) return f(std::type_identity<std::string>{});
  switch (dtype_size(dtype)) {
  case 1: return f(std::type_identity<std::uint8_t>{});
  case 2: return f(std::type_identity<std::uint16_t>{});
  case 4: return f(std::type_identity<std::uint32_t>{});
  default: return f(std::type_identity<std::uint64_t>{});
  }
}

/// Copies `count` elements of src's dtype from src[src_offset] to
/// dst[dst_offset] (any dtype, strings included).
void copy_elements(const Tensor& src, std::int64_t src_offset, Tensor& dst, std::int64_t dst_offset,
                   std::int64_t count);

template <class T> const T* raw_ptr(const Tensor& t) { return static_cast<const T*>(t.raw_data()); }
template <class T> T* raw_ptr(Tensor& t) { return static_cast<T*>(t.raw_data()); }

// -- Shapes

/// Product of dims[begin, end).
std::int64_t product(const std::vector<std::int64_t>& dims, std::size_t begin, std::size_t end);
/// Row-major strides of `dims`.
std::vector<std::int64_t> strides_of(const std::vector<std::int64_t>& dims);
/// NumPy broadcasting of x and y (TF's BroadcastBinaryOpOutputShapeFn);
/// a mismatch is dims_must_be_equal.
Shape broadcast_shapes(const OpInfo& op, const Shape& x, const Shape& y);

/// Indexes into two broadcast operands while walking an output shape:
/// dimensions of size 1 dropped and runs with the same broadcast pattern
/// merged, so the innermost run has stride 0 or 1 in each operand.
struct BroadcastPlan {
  std::vector<std::int64_t> dims;      // collapsed output dims (at least one)
  std::vector<std::int64_t> x_strides; // 0 where x is broadcast
  std::vector<std::int64_t> y_strides;
};
BroadcastPlan plan_broadcast(const Shape& out, const Shape& x, const Shape& y);

/// for_each_run over the runs with outer index in [begin, end) (a slice of
/// the work for one thread, ops/parallel.h).
template <class F> void for_each_run_in(const BroadcastPlan& plan, std::int64_t begin, std::int64_t end, F&& f) {
  const std::size_t rank = plan.dims.size();
  const std::int64_t inner = plan.dims.back();
  std::vector<std::int64_t> index(rank, 0);
  std::int64_t xo = 0;
  std::int64_t yo = 0;
  for (std::size_t d = rank - 1, rest = static_cast<std::size_t>(begin); d-- > 0;) {
    index[d] = static_cast<std::int64_t>(rest) % plan.dims[d];
    rest /= static_cast<std::size_t>(plan.dims[d]);
    xo += index[d] * plan.x_strides[d];
    yo += index[d] * plan.y_strides[d];
  }
  for (std::int64_t o = begin; o < end; ++o) {
    f(xo, yo, o * inner, inner);
    for (std::size_t d = rank - 1; d-- > 0;) {
      ++index[d];
      xo += plan.x_strides[d];
      yo += plan.y_strides[d];
      if (index[d] < plan.dims[d]) break;
      xo -= plan.x_strides[d] * plan.dims[d];
      yo -= plan.y_strides[d] * plan.dims[d];
      index[d] = 0;
    }
  }
}

/// Calls f(x_offset, y_offset, out_offset, inner) for every innermost run of
/// `plan` (inner = plan.dims.back()).
template <class F> void for_each_run(const BroadcastPlan& plan, F&& f) {
  const std::size_t rank = plan.dims.size();
  const std::int64_t inner = plan.dims.back();
  std::int64_t outer = 1;
  for (std::size_t i = 0; i + 1 < rank; ++i) outer *= plan.dims[i];
  if (inner == 0 || outer == 0) return;
  for_each_run_in(plan, 0, outer, f);
}

/// An op's output: a Tensor of `dtype` and `shape` whose elements are left
/// uninitialised (strings excepted), because every kernel writes its whole
/// output. Zero-filling it first cost a full extra pass over the memory.
inline Tensor make_output(DType dtype, std::vector<std::int64_t> dims) {
  Tensor out = Tensor::uninitialized(dtype, Shape(std::move(dims)));
  detail::mark_op_owned(out); // the kernel writes it; run_op seals it (buffer_state.h)
  return out;
}

/// The output of an elementwise op given `expiring`, an input the caller
/// passed as an rvalue (null when it did not): that input's own memory when
/// it has the output's dtype and shape, is big enough for a fresh buffer to
/// cost (kInPlaceMinBytes), and no other Tensor shares it (sole_owner);
/// otherwise make_output. Nobody can observe the difference: the caller
/// gave the input up (see consumed). The kernel must then compute each
/// output element from the input element at the same index (or, for
/// layer_norm, from its own row, read before it is written).
inline constexpr std::int64_t kInPlaceMinBytes = std::int64_t{64} << 10;
inline Tensor output_reusing(const Tensor* expiring, DType dtype, const Shape& shape) {
  if (expiring != nullptr && expiring->dtype() == dtype && dtype != DType::String && expiring->shape() == shape &&
      expiring->num_elements() * static_cast<std::int64_t>(dtype_size(dtype)) >= kInPlaceMinBytes &&
      expiring->sole_owner())
    return *expiring; // shares the buffer with the input, reset by consumed()
  return make_output(dtype, shape.dims());
}

/// `result` of an op whose rvalue `input` it may have written into: leaves
/// `input` empty, as after a move, since its elements may now be the
/// result's. Called as `return consumed(x, op(..., &x));`, so the op has
/// run (and `x` is intact if it threw) before `x` is reset.
inline Tensor consumed(Tensor& input, Tensor result) {
  input = Tensor();
  return result;
}

/// Fills `out` (dense, row-major `dims`) from the strided view of x that
/// starts at element `offset` and steps strides[d] along dims[d] (a slice, a
/// permutation); any dtype, strings included. Copies runs of the last dim, in
/// blocks of whole runs over `pool` when the runs cost enough (cost_per_run
/// in parallel.h's units); a copy is exact, so any split gives the same
/// bits.
void copy_strided(const Tensor& x, std::int64_t offset, const std::vector<std::int64_t>& dims,
                  const std::vector<std::int64_t>& strides, Tensor& out, std::int64_t cost_per_run,
                  detail::ThreadPool* pool);

/// x with its dimensions permuted (perm already validated); any dtype. With
/// a pool (intra_op_pool), a large copy is split by output runs.
Tensor transpose_kernel(const Tensor& x, const std::vector<int>& perm, detail::ThreadPool* pool = nullptr);

/// Normalises a possibly negative axis; returns -1 when out of [-rank, rank).
inline int normalize_axis(int axis, int rank) {
  if (axis < -rank || axis >= rank) return -1;
  return axis < 0 ? axis + rank : axis;
}

} // namespace varscope::ops_internal
