// bench/ops/raw_math.h - the elementwise and row-wise steps of the
// hand-written Eigen models (models_eigen.h), compiled for the same
// instruction set as the runtime's active kernels.
//
// The runtime runs its elementwise kernels (runtime/src/ops/elementwise.h)
// and its GEMM for the CPU's widest instruction set; the reference models
// used to run their elementwise steps as the benchmark's baseline (SSE2)
// code, so `ops_overhead_bench` compared instruction sets as well as the
// scope machinery. raw_math_{sse2,avx2,avx512}.cpp compile the same Eigen
// expressions (raw_math.inc) with the runtime's per-ISA flags and a private
// Eigen namespace each, as raw_gemm.h does for the GEMM; raw_math() returns
// the build for ops_internal::elementwise_kernels().isa (VARSCOPE_ISA=sse2
// caps both sides). Plain function pointers on raw buffers, so nothing
// built with wide instructions is shared with the rest of the program.
//
// The same per-ISA builds also hold madd_chains, the multiply-add loop with
// which gemm_bench measures the machine's peak for that instruction set.
#pragma once

#include <cstdint>

#include "ops/gemm.h"

namespace varscope::bench {

struct RawMath {
  ops_internal::Isa isa;
  /// Each of `rows` rows of x [rows, n] += bias [n]; then max(x, 0) when
  /// `relu`.
  void (*add_bias)(float* x, const float* bias, std::int64_t rows, std::int64_t n, bool relu);
  /// x += y + bias for x and y [rows, n] and bias [n] (a residual and the
  /// bias of the product y).
  void (*add_residual_bias)(float* x, const float* y, const float* bias, std::int64_t rows, std::int64_t n);
  /// The BasicLSTMCell update from gates [batch, 4 * hidden] (i, j, f, o,
  /// bias already added): c = c * sigmoid(f + forget_bias) + sigmoid(i) *
  /// tanh(j); h = tanh(c) * sigmoid(o).
  void (*lstm_update)(const float* gates, float* c, float* h, std::int64_t batch, std::int64_t hidden,
                      float forget_bias);
  /// Each row of s [rows, n] scaled, then its softmax, in place.
  void (*scaled_softmax_rows)(float* s, std::int64_t rows, std::int64_t n, float scale);
  /// Each row of x [rows, n] normalised, * gamma, + beta, in place.
  void (*layer_norm_rows)(float* x, const float* gamma, const float* beta, std::int64_t rows, std::int64_t n,
                          float epsilon);
  /// x = the exact GELU of x (Eigen's vectorised erf), n elements.
  void (*gelu)(float* x, std::int64_t n);
  /// The machine's multiply-add peak for this instruction set: `iterations`
  /// steps of independent chains of packet multiply-adds (one FMA each where
  /// the instruction set has it, else a multiply and an add), enough chains
  /// to cover the latency of two units. Returns their sum, so that nothing
  /// is optimised away. Each iteration is madd_flops_per_iteration flops.
  float (*madd_chains)(std::int64_t iterations);
  int madd_flops_per_iteration;
};

/// The reference's steps for the runtime's active elementwise instruction
/// set.
const RawMath& raw_math();

} // namespace varscope::bench
