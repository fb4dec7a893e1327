// The kernels against naive loops on larger inputs: im2col blocks, GEMM
// blocking, broadcast plans and transposes are exercised past the toy sizes.
#include <cmath>

#include "ops_test_util.h"
#include "varscope/eigen.h"

namespace varscope {
namespace {

using namespace ops_testing;

class ReferenceTest : public OpsTest {};

/// Deterministic values in [-1, 1).
Tensor pseudo_random(Shape shape, std::uint32_t seed) {
  Tensor t(DType::Float32, std::move(shape));
  std::uint32_t state = seed * 2654435761u + 1;
  for (float& v : t.values<float>()) {
    state = state * 1664525u + 1013904223u;
    v = static_cast<float>(state >> 8) / static_cast<float>(1 << 23) - 1.0f;
  }
  return t;
}

void expect_all_near(const Tensor& actual, const std::vector<double>& expected, double tolerance) {
  ASSERT_EQ(actual.num_elements(), static_cast<std::int64_t>(expected.size()));
  const std::vector<double> got = actual.to_doubles();
  int failures = 0;
  for (std::size_t i = 0; i < got.size() && failures < 5; ++i)
    if (std::fabs(got[i] - expected[i]) > tolerance) {
      ADD_FAILURE() << "element " << i << ": " << got[i] << " vs " << expected[i];
      ++failures;
    }
}

TEST_F(ReferenceTest, Conv2DSameStride2AcrossIm2colBlocks) {
  // K = 3 * 3 * 128 = 1152, so the 2 * 16 * 16 output pixels span several
  // im2col blocks.
  const std::int64_t n = 2, h = 31, w = 32, c = 128, kh = 3, kw = 3, co = 3, s = 2;
  Tensor in = pseudo_random({n, h, w, c}, 1);
  Tensor filter = pseudo_random({kh, kw, c, co}, 2);
  Tensor out = conv2d(root, in, filter, {.strides = {s}, .padding = "SAME"});
  const std::int64_t oh = (h + s - 1) / s, ow = (w + s - 1) / s;
  ASSERT_EQ(out.shape(), (Shape{n, oh, ow, co}));
  const std::int64_t pad_h = std::max<std::int64_t>(0, (oh - 1) * s + kh - h) / 2;
  const std::int64_t pad_w = std::max<std::int64_t>(0, (ow - 1) * s + kw - w) / 2;
  const float* x = in.data<float>();
  const float* f = filter.data<float>();
  std::vector<double> expected;
  for (std::int64_t b = 0; b < n; ++b)
    for (std::int64_t i = 0; i < oh; ++i)
      for (std::int64_t j = 0; j < ow; ++j)
        for (std::int64_t o = 0; o < co; ++o) {
          double sum = 0;
          for (std::int64_t di = 0; di < kh; ++di)
            for (std::int64_t dj = 0; dj < kw; ++dj) {
              const std::int64_t ih = i * s - pad_h + di, iw = j * s - pad_w + dj;
              if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
              for (std::int64_t k = 0; k < c; ++k)
                sum += double(x[((b * h + ih) * w + iw) * c + k]) * f[((di * kw + dj) * c + k) * co + o];
            }
          expected.push_back(sum);
        }
  expect_all_near(out, expected, 1e-3);
}

TEST_F(ReferenceTest, MatMulWithTransposesMatchesLoops) {
  const std::int64_t m = 67, k = 45, n = 33;
  for (int mode = 0; mode < 4; ++mode) {
    const bool ta = mode & 1, tb = mode & 2;
    Tensor a = pseudo_random(ta ? Shape{k, m} : Shape{m, k}, 3);
    Tensor b = pseudo_random(tb ? Shape{n, k} : Shape{k, n}, 4);
    Tensor c = matmul(root, a, b, {.transpose_a = ta, .transpose_b = tb});
    const float* ap = a.data<float>();
    const float* bp = b.data<float>();
    std::vector<double> expected;
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t j = 0; j < n; ++j) {
        double sum = 0;
        for (std::int64_t p = 0; p < k; ++p)
          sum += double(ta ? ap[p * m + i] : ap[i * k + p]) * (tb ? bp[j * k + p] : bp[p * n + j]);
        expected.push_back(sum);
      }
    expect_all_near(c, expected, 1e-4);
  }
}

TEST_F(ReferenceTest, BroadcastingMatchesIndexArithmetic) {
  // x [3,1,4,1,5] against y [2,1,1,5]: out [3,2,4,1,5].
  Tensor x = pseudo_random({3, 1, 4, 1, 5}, 5);
  Tensor y = pseudo_random({2, 1, 1, 5}, 6);
  Tensor sum = add(root, x, y);
  Tensor big = maximum(root, x, y);
  ASSERT_EQ(sum.shape(), (Shape{3, 2, 4, 1, 5}));
  const float* xp = x.data<float>();
  const float* yp = y.data<float>();
  std::vector<double> expected_sum;
  std::vector<double> expected_max;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 2; ++b)
      for (int c = 0; c < 4; ++c)
        for (int e = 0; e < 5; ++e) {
          const float xv = xp[(a * 4 + c) * 5 + e];
          const float yv = yp[b * 5 + e];
          expected_sum.push_back(xv + yv);
          expected_max.push_back(std::max(xv, yv));
        }
  expect_all_near(sum, expected_sum, 0);
  expect_all_near(big, expected_max, 0);
}

TEST_F(ReferenceTest, TransposeAndReduceOf4D) {
  Tensor x = pseudo_random({3, 4, 5, 6}, 7);
  Tensor t = transpose(root, x, {2, 0, 3, 1});
  ASSERT_EQ(t.shape(), (Shape{5, 3, 6, 4}));
  const float* xp = x.data<float>();
  std::vector<double> expected;
  for (int c = 0; c < 5; ++c)
    for (int a = 0; a < 3; ++a)
      for (int d = 0; d < 6; ++d)
        for (int b = 0; b < 4; ++b) expected.push_back(xp[((a * 4 + b) * 5 + c) * 6 + d]);
  expect_all_near(t, expected, 0);

  Tensor r = reduce_sum(root, x, {.axis = {1, 3}});
  ASSERT_EQ(r.shape(), (Shape{3, 5}));
  std::vector<double> sums;
  for (int a = 0; a < 3; ++a)
    for (int c = 0; c < 5; ++c) {
      double s = 0;
      for (int b = 0; b < 4; ++b)
        for (int d = 0; d < 6; ++d) s += xp[((a * 4 + b) * 5 + c) * 6 + d];
      sums.push_back(s);
    }
  expect_all_near(r, sums, 1e-5);
}

TEST_F(ReferenceTest, SoftmaxAlongMiddleAxisSumsToOne) {
  Tensor x = pseudo_random({2, 7, 3}, 8);
  Tensor s = softmax(root, x, {.axis = 1});
  Tensor totals = reduce_sum(root, s, {.axis = 1});
  expect_all_near(totals, std::vector<double>(6, 1.0), 1e-6);
  const float* xp = x.data<float>();
  double denominator = 0;
  for (int j = 0; j < 7; ++j) denominator += std::exp(double(xp[j * 3 + 2]));
  EXPECT_NEAR(s.data<float>()[4 * 3 + 2], std::exp(double(xp[4 * 3 + 2])) / denominator, 1e-6);
}

TEST_F(ReferenceTest, StringTensorsMoveThroughArrayOps) {
  Tensor words = Tensor::from_vector<std::string>({"a", "bb", "ccc", "dddd"}, {2, 2});
  Tensor picked = gather(root, words, i32({1, 1, 0}, {3}));
  EXPECT_EQ(values_of<std::string>(picked), (std::vector<std::string>{"ccc", "dddd", "ccc", "dddd", "a", "bb"}));
  Tensor joined = concat(root, {words, words}, 1);
  EXPECT_EQ(values_of<std::string>(joined),
            (std::vector<std::string>{"a", "bb", "a", "bb", "ccc", "dddd", "ccc", "dddd"}));
  EXPECT_EQ(values_of<std::string>(transpose(root, words)), (std::vector<std::string>{"a", "ccc", "bb", "dddd"}));
}

TEST(EigenViewsTest, MapsShareTheBuffer) {
  Tensor t = f32({1, 2, 3, 4, 5, 6}, {2, 3});
  MatrixMap<float> m = as_matrix<float>(t);
  EXPECT_EQ(m.rows(), 2);
  EXPECT_EQ(m.cols(), 3);
  EXPECT_EQ(m(1, 0), 4);
  m(0, 1) = 20;
  EXPECT_EQ(t.data<float>()[1], 20);
  EXPECT_EQ(as_array<const float>(t).sum(), 39);
  Tensor cube = f32({0, 1, 2, 3, 4, 5, 6, 7}, {2, 2, 2});
  EXPECT_EQ((as_tensor_map<const float, 3>(cube)(1, 0, 1)), 5);
  EXPECT_EQ(as_matrix<const float>(cube).rows(), 4);
  expect_error<ValueError>([&] { (void)as_tensor_map<float, 2>(cube); },
                           "as_tensor_map: tensor of rank 3 viewed as rank 2");
}

} // namespace
} // namespace varscope
