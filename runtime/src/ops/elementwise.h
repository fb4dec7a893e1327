// ops/elementwise.h - the float32 elementwise kernels (activations, binary
// arithmetic, softmax and layer_norm rows), compiled once per instruction set
// and picked at run time, like the GEMM's (gemm.h).
//
// The runtime is built for baseline x86-64 (SSE2): Eigen evaluates exp,
// tanh, erf and the arithmetic 4 floats at a time. elementwise_{avx2,avx512}
// .cpp compile the same Eigen expressions (elementwise_kernel.inc) with the
// GEMM's AVX2+FMA / AVX-512 flags (runtime/CMakeLists.txt), 8 or 16 floats at
// a time, and elementwise_kernels() returns the table of the instruction set
// the GEMM uses (gemm_kernels().isa), so VARSCOPE_ISA caps both alike and
// VARSCOPE_ISA=sse2 gives the portable bits everywhere.
//
// Results: the SSE2 table is the runtime's former code, bit for bit. The
// wider tables evaluate the polynomials of exp, tanh, erf with fused
// multiply-adds and sum rows in another order, so they differ from SSE2 in
// the last bits (test/unit/ops/elementwise_isa_test.cpp bounds it); the
// binary ops are single IEEE operations and agree exactly. Each table is
// deterministic, and parallel.h's splits at 64-byte aligned destinations
// keep every element on the path (scalar head, packet, scalar tail) it
// takes unsplit, for 16-, 32- and 64-byte packets alike.
//
// double keeps the SSE2 kernels on every CPU (elementwise_fns<double>());
// the integer types keep math.cpp's Eigen code.
//
// This header does not include Eigen and defines no inline code: it is
// included by the files compiled with wider instruction sets.
#pragma once

#include <cstdint>

#include "ops/gemm.h"

namespace varscope::ops_internal {

enum class UnaryOp { Relu, Relu6, Elu, Gelu, GeluTanh, Sigmoid, Tanh, Exp, Log, Sqrt, Square };
inline constexpr int kUnaryOpCount = 11;

enum class BinaryOp { Add, Sub, Mul, Div, Maximum };
inline constexpr int kBinaryOpCount = 5;

/// Which operands of a binary kernel are arrays of n elements and which a
/// single value repeated (x[0] / y[0]).
enum class Operands { ArrayArray, ArrayScalar, ScalarArray, ScalarScalar };
inline constexpr int kOperandsCount = 4;

template <class T> struct ElementwiseFns {
  /// dst[i] = f(src[i]) for i in [0, n); src may equal dst (in place).
  void (*unary[kUnaryOpCount])(const T* src, T* dst, std::int64_t n);
  /// out[i] = x[i] (op) y[i], x or y read as a scalar per Operands; out may
  /// equal x or y.
  void (*binary[kBinaryOpCount][kOperandsCount])(const T* x, const T* y, T* out, std::int64_t n);
  /// Softmax / log-softmax of each of `rows` contiguous rows of n elements.
  void (*softmax_rows)(const T* in, T* out, std::int64_t rows, std::int64_t n);
  void (*log_softmax_rows)(const T* in, T* out, std::int64_t rows, std::int64_t n);
  /// Layer normalisation of each row, then * gamma and + beta when not null;
  /// in may equal out (each row is read whole before it is written).
  void (*layer_norm_rows)(const T* in, T* out, std::int64_t rows, std::int64_t n, const T* gamma, const T* beta,
                          T epsilon);
};

struct ElementwiseKernels {
  Isa isa;
  ElementwiseFns<float> f32;
};

/// The kernels for `isa`, or null when this build has none for it or the
/// CPU (and OS) cannot run them (gemm_kernels_for decides).
const ElementwiseKernels* elementwise_kernels_for(Isa isa);

/// The active kernels: those of gemm_kernels().isa (the widest the CPU
/// supports, capped by VARSCOPE_ISA). Thread-safe.
const ElementwiseKernels& elementwise_kernels();

/// The kernels the ops use for T: elementwise_kernels().f32 for float, the
/// SSE2 build's double kernels on every CPU for double.
template <class T> const ElementwiseFns<T>& elementwise_fns();
template <> const ElementwiseFns<float>& elementwise_fns<float>();
template <> const ElementwiseFns<double>& elementwise_fns<double>();

} // namespace varscope::ops_internal
