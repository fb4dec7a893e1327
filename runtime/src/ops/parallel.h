// ops/parallel.h - how elementwise and row-wise kernels split their work
// over the store's intra-op threads (thread_pool.h) without changing a bit.
//
// Determinism: every split point here is a function of the tensor (its
// size, its row length, its buffer's address), never of the thread count,
// and is placed where the unsplit kernel would give the same bits:
//   - rows (softmax, layer_norm, bias_add, the reductions' rows and slices,
//     the pools' pixels): each row is computed by the same code on the same
//     memory whether the rows are split or not; copies (transpose, concat,
//     gather, slice, split), one_hot's rows and argmax are exact under any
//     split, and so is dropout, whose mask at element i is a hash of i
//     alone (nn.cpp);
//   - flat elementwise runs: Eigen's vectorised loop peels scalar elements
//     until the destination is aligned and after the last whole packet, and
//     scalar exp/tanh/erf differ from the packet versions in the last bit.
//     Splitting where the destination is 64-byte aligned keeps every element
//     on the path (scalar head, packet or scalar tail) it takes unsplit, for
//     the 16-, 32- and 64-byte packets of the SSE2, AVX2 and AVX-512 kernels
//     alike (elementwise.h): 64 is a multiple of each packet's alignment.
//     A column-wise reduction's large slice is split the same way
//     (reduce.cpp).
// So the one-thread path just runs the whole range, exactly as before.
#pragma once

#include <algorithm>
#include <cstdint>

#include "thread_pool.h"
#include "varscope/scope.h"
#include "varscope/store.h"

namespace varscope::ops_internal {

/// Work is counted in cost units of about 0.1 ns on one core (an add of
/// two floats in cache; tanh is about 10 units, softmax about 30 per
/// element: measured on the SSE2 kernels, Xeon at 2.6 GHz).
///
/// Below this many units (about 13 microseconds) an op stays on the calling
/// thread: waking a sleeping worker costs a few microseconds, and the split
/// must leave each thread enough to amortise it.
inline constexpr std::int64_t kParallelMinCost = std::int64_t{1} << 17;
/// Units per block of a row-wise split (about 3 microseconds), so that a
/// thread that is descheduled holds up little work: the others take the
/// blocks it has not claimed.
inline constexpr std::int64_t kRowBlockCost = std::int64_t{1} << 15;
/// Elements per block of a flat elementwise split (before alignment): a
/// multiple of 64 bytes' worth of any element type.
inline constexpr std::int64_t kElementBlock = std::int64_t{1} << 14;

/// Cost units per element moved by a copy op (transpose, gather, concat,
/// slice, split), measured roughly on one core with a throwaway timing of
/// [256, 256] and [16, 64, 64] floats: a contiguous run is a vectorised
/// copy, 0.1 to 0.2 ns per element; a strided run loads from a new cache
/// line most of the time, 0.4 ns. A gathered row also pays a call and its
/// index arithmetic, guessed at kRowCopyOverhead. (slice and split of
/// [4096, 1024] floats in runs of 512 or more: 0.15 to 0.3 ns per element,
/// EPYC at 2.45 GHz.)
inline constexpr std::int64_t kCopyCost = 2;
inline constexpr std::int64_t kStridedCopyCost = 4;
inline constexpr std::int64_t kRowCopyOverhead = 16;

/// The store's intra-op pool, or null when it runs ops on one thread.
inline detail::ThreadPool* intra_op_pool(Scope& scope) { return detail::intra_op_pool(scope.store()); }

/// Calls f(begin, end) over [0, rows) in blocks of rows, in parallel when
/// the pool exists and rows * cost_per_row reaches kParallelMinCost.
template <class F>
void parallel_rows(detail::ThreadPool* pool, std::int64_t rows, std::int64_t cost_per_row, F&& f) {
  const std::int64_t cost = std::max<std::int64_t>(cost_per_row, 1);
  if (pool == nullptr || rows < 2 || rows * cost < kParallelMinCost) {
    if (rows > 0) f(std::int64_t{0}, rows);
    return;
  }
  // Blocks of about kRowBlockCost units; a row never straddles blocks.
  const std::int64_t block = std::max<std::int64_t>(kRowBlockCost / cost, 1);
  const std::int64_t blocks = (rows + block - 1) / block;
  pool->parallel_for(blocks, [&](std::int64_t i) { f(i * block, std::min(rows, (i + 1) * block)); });
}

/// Calls f(begin, end) over the n elements of an elementwise op writing to
/// `dst`, split (when parallel) only where dst + begin is 64-byte aligned;
/// `cost` is the cost units per element.
template <class T, class F>
void parallel_elements(detail::ThreadPool* pool, const T* dst, std::int64_t n, std::int64_t cost, F&& f) {
  constexpr std::int64_t kAlign = 64;
  const auto address = reinterpret_cast<std::uintptr_t>(dst);
  if (pool == nullptr || n < 2 * kElementBlock || n * std::max<std::int64_t>(cost, 1) < kParallelMinCost ||
      address % sizeof(T) != 0 || kAlign % sizeof(T) != 0) {
    if (n > 0) f(std::int64_t{0}, n);
    return;
  }
  // The first aligned element; then every kElementBlock (a multiple of
  // 64 bytes' worth of elements) is aligned too.
  const std::int64_t head = static_cast<std::int64_t>((kAlign - address % kAlign) % kAlign / sizeof(T));
  const std::int64_t blocks = (n - head + kElementBlock - 1) / kElementBlock;
  pool->parallel_for(blocks, [&](std::int64_t i) {
    const std::int64_t begin = i == 0 ? 0 : head + i * kElementBlock;
    const std::int64_t end = std::min(n, head + (i + 1) * kElementBlock);
    f(begin, end);
  });
}

} // namespace varscope::ops_internal
