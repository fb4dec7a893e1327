// ops/gemm_tiles.h - large GEMMs as fixed tiles of C, each one call of the
// GEMM kernel (gemm.h), spread over the store's intra-op threads.
//
// Determinism: Eigen's GEMM picks its cache blocking (and with it which
// micro-kernel path, with which accumulation order, computes an element)
// from the operands' sizes, so a sub-block of C can differ in the last bits
// from the same elements computed in one call. With the AVX2 and AVX-512
// kernels it does (measured, e.g. 64 x 784 x 1024 in 256-column panels);
// with SSE2 no difference was found in the 12 shapes x 7 tilings tried. So
// the tiling is a function of (m, k, n) alone: a GEMM above kTiledGemmMinMacs is always computed tile by tile, on
// one thread or many, and every tile is always one kernel call on the same
// operands. Results are therefore bit-identical for any thread count. Below
// the threshold (every example model's GEMM) a GEMM is one call, as before.
//
// No copies: a tile is the kernel on strided views of A, B and C (lda, ldb,
// ldc). This header does not include Eigen.
#pragma once

#include <algorithm>
#include <cstdint>

#include "ops/gemm.h"
#include "thread_pool.h"

namespace varscope::ops_internal {

/// GEMMs with fewer multiply-adds (m * k * n) are one kernel call on the
/// calling thread: about 10 to 40 microseconds of work, where handing half
/// to a worker stops paying for its wake-up.
inline constexpr std::int64_t kTiledGemmMinMacs = std::int64_t{1} << 20;
/// The panel sizes. C is cut into about four panels of 256 to kGemmTileCols
/// columns over all its rows when it has at least 512 columns (each panel packs only its
/// own columns of B; A, the smaller operand in the models, is packed once
/// per panel), else into panels of kGemmTileRows rows over all columns
/// (B, then narrow, is packed once per panel), else not at all. Tiles of
/// 256 x 256 in both directions packed both operands four times over at
/// 1024^3 and cost 10% on one thread (0.90x of raw Eigen); 256-column
/// panels 4%, 512-column ones 2%. But two panels (the MLP's 1024 columns in
/// 512-column panels) left the second thread idle whenever it woke late:
/// the caller took both. About four panels keep both threads busy (MLP and
/// encoder FFN: 4 x 256, LSTM: 4 x 512; the encoder's 256-column
/// projections split by rows). docs/performance-ops.md has the figures.
inline constexpr std::int64_t kGemmTileRows = 256;
inline constexpr std::int64_t kGemmTileCols = 512;
inline constexpr std::int64_t kGemmMinPanelCols = 256;

/// How C[m, n] is cut: row_tiles x col_tiles tiles of rows x cols (the last
/// row and column of tiles may be smaller; gemm_tiles only ever cuts one
/// way). One tile when not tiled.
struct GemmTiles {
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t row_tiles = 1;
  std::int64_t col_tiles = 1;
  std::int64_t count() const { return row_tiles * col_tiles; }
};

/// The tiling of an [m, k] x [k, n] product: a function of its sizes only.
inline GemmTiles gemm_tiles(std::int64_t m, std::int64_t k, std::int64_t n) {
  if (m * k * n < kTiledGemmMinMacs || m == 0 || n == 0) return {m, n, 1, 1};
  if (n >= 2 * kGemmMinPanelCols) {
    // About four panels (two threads stay busy even when one starts late),
    // 64-column multiples between kGemmMinPanelCols and kGemmTileCols.
    const std::int64_t cols = std::clamp((n / 4 + 63) / 64 * 64, kGemmMinPanelCols, kGemmTileCols);
    return {m, cols, 1, (n + cols - 1) / cols};
  }
  if (m >= 2 * kGemmTileRows) return {kGemmTileRows, n, (m + kGemmTileRows - 1) / kGemmTileRows, 1};
  return {m, n, 1, 1};
}

/// One GEMM's operands, as GemmFn takes them (gemm.h).
template <class T> struct GemmArgs {
  const T* a;
  std::int64_t lda;
  const T* b;
  std::int64_t ldb;
  T* c;
  std::int64_t ldc;
  std::int64_t m, k, n;
  bool ta, tb;
};

/// Tile `index` (row-major over the tiles) of `g` through `kernel`.
template <class T> void gemm_tile(GemmFn<T> kernel, const GemmArgs<T>& g, const GemmTiles& tiles, std::int64_t index) {
  const std::int64_t i0 = index / tiles.col_tiles * tiles.rows;
  const std::int64_t j0 = index % tiles.col_tiles * tiles.cols;
  const std::int64_t rows = std::min(tiles.rows, g.m - i0);
  const std::int64_t cols = std::min(tiles.cols, g.n - j0);
  const T* a = g.ta ? g.a + i0 : g.a + i0 * g.lda; // a is [k, m] when transposed
  const T* b = g.tb ? g.b + j0 * g.ldb : g.b + j0; // b is [n, k] when transposed
  kernel(a, g.lda, b, g.ldb, g.c + i0 * g.ldc + j0, g.ldc, rows, g.k, cols, g.ta, g.tb);
}

/// `count` GEMMs of the same sizes (a batch; count = 1 for matmul), operands
/// from `args(i)`, tiled by gemm_tiles and run on `pool` (null: the calling
/// thread) when the batch is big enough. Each (GEMM, tile) is one kernel
/// call whatever the thread count.
template <class T, class Args>
void tiled_gemms(detail::ThreadPool* pool, GemmFn<T> kernel, std::int64_t count, std::int64_t m, std::int64_t k,
                 std::int64_t n, Args&& args) {
  const GemmTiles tiles = gemm_tiles(m, k, n);
  const std::int64_t tasks = count * tiles.count();
  const auto task = [&](std::int64_t t) { gemm_tile<T>(kernel, args(t / tiles.count()), tiles, t % tiles.count()); };
  if (pool != nullptr && tasks > 1 && count * m * k * n >= kTiledGemmMinMacs) {
    pool->parallel_for(tasks, task);
    return;
  }
  for (std::int64_t t = 0; t < tasks; ++t) task(t);
}

} // namespace varscope::ops_internal
