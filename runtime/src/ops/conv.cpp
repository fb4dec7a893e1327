// ops/conv.cpp - conv2d (im2col + GEMM, the GEMMs split over the
// store's threads), max_pool and avg_pool (split by output pixels), NHWC,
// with TF's SAME/VALID window arithmetic.
#include <algorithm>
#include <limits>
#include <type_traits>

#include "ops/gemm.h"
#include "ops/gemm_pack_cache.h"
#include "ops/gemm_run.h"
#include "ops/op_util.h"
#include "ops/parallel.h"

namespace varscope {

using namespace ops_internal;

namespace {

/// Output size and leading padding of one spatial dimension (TF's
/// GetWindowedOutputSize).
struct Window {
  std::int64_t out = 0;
  std::int64_t pad_before = 0;
};

bool is_same_padding(const std::string& padding) {
  if (padding == "SAME") return true;
  if (padding == "VALID") return false;
  throw ValueError("Value for attr 'padding' of \"" + padding +
                   "\" is not in the list of allowed values: \"SAME\", \"VALID\"");
}

Window windowed(const OpInfo& op, std::int64_t in, std::int64_t k, std::int64_t stride, bool same) {
  if (same) {
    const std::int64_t out = (in + stride - 1) / stride;
    const std::int64_t needed = std::max<std::int64_t>(0, (out - 1) * stride + k - in);
    return {out, needed / 2};
  }
  if (in < k)
    shape_error(op, "Negative dimension size caused by subtracting " + std::to_string(k) + " from " +
                        std::to_string(in));
  return {(in - k + stride) / stride, 0};
}

/// tf.nn's _get_sequence for NHWC: 1, 2 or 4 values to {1, h, w, 1}.
std::vector<std::int64_t> nhwc_sequence(const std::vector<std::int64_t>& value, const char* what) {
  if (value.size() == 1) return {1, value[0], value[0], 1};
  if (value.size() == 2) return {1, value[0], value[1], 1};
  if (value.size() == 4) return value;
  throw ValueError(std::string(what) + " should be of length 1, 2 or 4 but was " + std::to_string(value.size()));
}

void check_spatial(const OpInfo& op, const std::vector<std::int64_t>& v, const char* what) {
  for (std::int64_t s : v)
    if (s < 1) shape_error(op, std::string(what) + " must be positive, got " + dims_string(v));
  if (v[0] != 1 || v[3] != 1)
    shape_error(op, std::string("Current implementation does not yet support ") + what +
                        " in the batch and depth dimensions.");
}

template <class T>
void conv2d_kernel(detail::ThreadPool* pool, const Tensor& input, const Tensor& filter, Tensor& out, const Window& wh,
                   const Window& ww, std::int64_t sh, std::int64_t sw) {
  using Matrix = RowMajorMatrix<T>;
  const std::int64_t n = input.dim(0), h = input.dim(1), w = input.dim(2), c = input.dim(3);
  const std::int64_t kh = filter.dim(0), kw = filter.dim(1), co = filter.dim(3);
  const std::int64_t k = kh * kw * c;
  const std::int64_t pixels = n * wh.out * ww.out;
  if (pixels == 0 || co == 0) return;
  const T* f = filter.data<T>();
  const T* in = input.data<T>();
  T* o = out.data<T>();
  // out[rows, co] = patches[rows, k] * filter[k, co] (gemm.h), over the
  // store's threads when large (gemm_run.h), the filter kept packed between
  // blocks and calls like a matmul weight (gemm_pack_cache.h).
  const GemmPackedFn<T> kernel = packed_gemm_kernel<T>();
  const GemmPackRequest request(filter, kernel, co, k, co, false);
  const auto product = [&](const T* patches, std::int64_t rows, T* dst) {
    const GemmArgs<T> g{patches, k, f, co, dst, co, rows, k, co, false, false};
    run_gemm_packed<T>(pool, kernel, g, request.packed_b());
  };
  if (kh == 1 && kw == 1 && sh == 1 && sw == 1) {
    // A 1x1 convolution is one GEMM over the pixels.
    product(in, pixels, o);
    return;
  }
  // im2col in blocks of pixels, each block one GEMM.
  const std::int64_t block = std::clamp<std::int64_t>((std::int64_t{1} << 20) / std::max<std::int64_t>(k, 1), 1,
                                                      pixels);
  Matrix patches(block, k);
  for (std::int64_t p0 = 0; p0 < pixels; p0 += block) {
    const std::int64_t rows = std::min(block, pixels - p0);
    for (std::int64_t r = 0; r < rows; ++r) {
      const std::int64_t p = p0 + r;
      const std::int64_t b = p / (wh.out * ww.out);
      const std::int64_t oh = (p / ww.out) % wh.out;
      const std::int64_t ow = p % ww.out;
      T* dst = patches.data() + r * k;
      for (std::int64_t i = 0; i < kh; ++i) {
        const std::int64_t ih = oh * sh - wh.pad_before + i;
        for (std::int64_t j = 0; j < kw; ++j, dst += c) {
          const std::int64_t iw = ow * sw - ww.pad_before + j;
          if (ih < 0 || ih >= h || iw < 0 || iw >= w) {
            std::fill(dst, dst + c, T(0));
            continue;
          }
          std::copy_n(in + ((b * h + ih) * w + iw) * c, c, dst);
        }
      }
    }
    product(patches.data(), rows, o + p0 * co);
  }
}

/// Cost units per input element a pooling window reads (Eigen's vectorised
/// max or add over the channels, plus the loop over the window): 0.2 ns on
/// one core for 2x2 and 3x3 windows over [2, 32, 32, 64] floats.
inline constexpr std::int64_t kPoolCost = 2;

template <class T, bool Max>
void pool_kernel(detail::ThreadPool* pool, const Tensor& input, Tensor& out, std::int64_t kh, std::int64_t kw,
                 const Window& wh, const Window& ww, std::int64_t sh, std::int64_t sw) {
  using Array = FlatArray<T>;
  const std::int64_t n = input.dim(0), h = input.dim(1), w = input.dim(2), c = input.dim(3);
  const T* in = input.data<T>();
  T* out_data = out.data<T>();
  // Split between output pixels: each pixel's channels are computed by the
  // same code on the same memory however the pixels are split (the vectorised
  // and scalar max differ for NaN and signed zeros, so that matters).
  const std::int64_t pixels = n * wh.out * ww.out;
  parallel_rows(pool, pixels, c * kh * kw * kPoolCost + c, [&](std::int64_t begin, std::int64_t end) {
    T* o = out_data + begin * c;
    for (std::int64_t p = begin; p < end; ++p, o += c) {
      const std::int64_t b = p / (wh.out * ww.out);
      const std::int64_t oh = (p / ww.out) % wh.out;
      const std::int64_t ow = p % ww.out;
      const std::int64_t h0 = oh * sh - wh.pad_before;
      const std::int64_t w0 = ow * sw - ww.pad_before;
      const std::int64_t h_begin = std::max<std::int64_t>(h0, 0), h_end = std::min(h0 + kh, h);
      const std::int64_t w_begin = std::max<std::int64_t>(w0, 0), w_end = std::min(w0 + kw, w);
      Eigen::Map<Array> y(o, c);
      y.setConstant(Max ? std::numeric_limits<T>::lowest() : T(0));
      for (std::int64_t ih = h_begin; ih < h_end; ++ih)
        for (std::int64_t iw = w_begin; iw < w_end; ++iw) {
          Eigen::Map<const Array> x(in + ((b * h + ih) * w + iw) * c, c);
          if constexpr (Max) y = y.max(x);
          else y += x;
        }
      // TF's AvgPool divides by the number of elements inside the input.
      if constexpr (!Max) y /= static_cast<T>((h_end - h_begin) * (w_end - w_begin));
    }
  });
}

template <bool Max> Tensor pool_op(Scope& scope, const Tensor& value, const PoolOptions& options, std::string_view type) {
  return run_op(scope, options.name, type, type, [&](OpInfo& op) {
    op.input_shapes = {value.shape()};
    check_dtype(FloatTypes{}, op, "input", value.dtype());
    const std::vector<std::int64_t> ksize = nhwc_sequence(options.ksize, "ksize");
    const std::vector<std::int64_t> strides = nhwc_sequence(options.strides, "strides");
    const bool same = is_same_padding(options.padding);
    check_rank(op, value, 4);
    check_spatial(op, ksize, "pooling");
    check_spatial(op, strides, "strides");
    const Window wh = windowed(op, value.dim(1), ksize[1], strides[1], same);
    const Window ww = windowed(op, value.dim(2), ksize[2], strides[2], same);
    return dispatch(FloatTypes{}, op, "input", value.dtype(), [&]<class T>(std::type_identity<T>) {
      Tensor out = make_output(value.dtype(), {value.dim(0), wh.out, ww.out, value.dim(3)});
      pool_kernel<T, Max>(intra_op_pool(scope), value, out, ksize[1], ksize[2], wh, ww, strides[1], strides[2]);
      return out;
    });
  });
}

} // namespace

Tensor conv2d(Scope& scope, const Tensor& input, const Tensor& filter, Conv2DOptions options) {
  return run_op(scope, options.name, "Conv2D", "Conv2D", [&](OpInfo& op) {
    op.input_shapes = {input.shape(), filter.shape()};
    check_same_dtype(op, "input", input, "filter", filter);
    check_dtype(FloatTypes{}, op, "input", input.dtype());
    const std::vector<std::int64_t> strides = nhwc_sequence(options.strides, "strides");
    const bool same = is_same_padding(options.padding);
    check_rank(op, input, 4);
    check_rank(op, filter, 4);
    check_spatial(op, strides, "strides");
    if (input.dim(3) != filter.dim(2)) dims_must_be_equal(op, input.dim(3), filter.dim(2));
    const Window wh = windowed(op, input.dim(1), filter.dim(0), strides[1], same);
    const Window ww = windowed(op, input.dim(2), filter.dim(1), strides[2], same);
    return dispatch(FloatTypes{}, op, "input", input.dtype(), [&]<class T>(std::type_identity<T>) {
      Tensor out = make_output(input.dtype(), {input.dim(0), wh.out, ww.out, filter.dim(3)});
      conv2d_kernel<T>(intra_op_pool(scope), input, filter, out, wh, ww, strides[1], strides[2]);
      return out;
    });
  });
}

Tensor max_pool(Scope& scope, const Tensor& value, PoolOptions options) {
  return pool_op<true>(scope, value, options, "MaxPool");
}

Tensor avg_pool(Scope& scope, const Tensor& value, PoolOptions options) {
  return pool_op<false>(scope, value, options, "AvgPool");
}

} // namespace varscope
