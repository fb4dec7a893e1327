// test/examples/mlp_value_test.cpp - checks the example programs' checked-in
// outputs (expected/*.txt, which the examples/<name> tests compare with the
// programs' stdout) against independent computations: the same tiny models
// rebuilt with the explicit API (varscope::Store / Scope, no v1 state) and
// evaluated with plain loops, and the variable names TF's scoping rules
// give each model.
#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <varscope/varscope.h>

namespace {

using varscope::Scope;
using varscope::Store;
using varscope::Tensor;
using varscope::Variable;
using Matrix = std::vector<std::vector<double>>;

// -- Reading the expected outputs ------------------------------------------------

std::vector<std::string> expected_lines(const std::string& example) {
  std::ifstream in(std::string(VARSCOPE_EXAMPLES_EXPECTED_DIR) + "/" + example + ".txt");
  EXPECT_TRUE(in.good()) << "cannot read expected/" << example << ".txt";
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// The values printed under the heading line `heading` (e.g. "logits (4, 3):").
Matrix printed_tensor(const std::string& example, const std::string& heading, int rows) {
  const std::vector<std::string> lines = expected_lines(example);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] != heading) continue;
    Matrix m;
    for (int r = 0; r < rows && i + 1 + r < lines.size(); ++r) {
      std::istringstream row(lines[i + 1 + r]);
      m.emplace_back();
      for (double v; row >> v;) m.back().push_back(v);
    }
    return m;
  }
  ADD_FAILURE() << "no line '" << heading << "' in expected/" << example << ".txt";
  return {};
}

/// The variable names of the model summary (first column, up to the totals).
std::vector<std::string> summary_names(const std::string& example) {
  const std::vector<std::string> lines = expected_lines(example);
  std::vector<std::string> names;
  bool in_table = false;
  for (const std::string& line : lines) {
    if (line.rfind("name ", 0) == 0) {
      in_table = true;
      continue;
    }
    if (!in_table) continue;
    if (line.rfind("variables: ", 0) == 0) break;
    names.push_back(line.substr(0, line.find(' ')));
  }
  return names;
}

// -- Plain-loop math ----------------------------------------------------------------

Matrix to_matrix(const Tensor& t) {
  const std::vector<double> v = t.to_doubles();
  const std::int64_t cols = t.rank() == 1 ? t.dim(0) : t.dim(1);
  const std::int64_t rows = t.rank() == 1 ? 1 : t.dim(0);
  Matrix m(rows, std::vector<double>(cols));
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t c = 0; c < cols; ++c) m[r][c] = v[r * cols + c];
  return m;
}

/// x @ w + b
Matrix affine(const Matrix& x, const Matrix& w, const std::vector<double>& b) {
  Matrix y(x.size(), std::vector<double>(w[0].size()));
  for (std::size_t i = 0; i < x.size(); ++i)
    for (std::size_t j = 0; j < w[0].size(); ++j) {
      double sum = b[j];
      for (std::size_t k = 0; k < w.size(); ++k) sum += x[i][k] * w[k][j];
      y[i][j] = sum;
    }
  return y;
}

Matrix apply(Matrix m, double (*f)(double)) {
  for (auto& row : m)
    for (double& v : row) v = f(v);
  return m;
}
double relu(double v) { return v > 0 ? v : 0; }
double tanh_(double v) { return std::tanh(v); }

/// One dense layer as the examples' `dense` helper builds it, in `scope`:
/// kernel (default initializer, glorot_uniform) and zero bias.
struct DenseWeights {
  Matrix kernel;
  std::vector<double> bias;
};
DenseWeights dense_weights(Scope& parent, const char* name, std::int64_t in, std::int64_t units) {
  Scope scope = parent.variable_scope(name, "dense");
  Variable kernel = scope.get_variable("kernel", {in, units});
  Variable bias = scope.get_variable("bias", {units}, {.initializer = varscope::zeros_initializer()});
  return {to_matrix(kernel.value()), bias.value().to_doubles()};
}
Matrix dense(const Matrix& x, const DenseWeights& w) { return affine(x, w.kernel, w.bias); }

void expect_near_matrix(const Matrix& printed, const Matrix& computed, const char* what) {
  ASSERT_EQ(printed.size(), computed.size()) << what;
  for (std::size_t r = 0; r < computed.size(); ++r) {
    ASSERT_EQ(printed[r].size(), computed[r].size()) << what << " row " << r;
    for (std::size_t c = 0; c < computed[r].size(); ++c)
      EXPECT_NEAR(printed[r][c], computed[r][c], 5e-6) << what << "[" << r << "][" << c << "]";
  }
}

// -- MLP (examples/mlp) --------------------------------------------------------------

TEST(MlpExample, VariableNamesFollowDefaultNameUniquification) {
  // dense(x) twice without a name: "dense", then "dense_1"; the named layer
  // keeps "logits". Kernel before bias, in creation order.
  EXPECT_EQ(summary_names("mlp"), (std::vector<std::string>{"dense/kernel", "dense/bias", "dense_1/kernel",
                                                            "dense_1/bias", "logits/kernel", "logits/bias"}));
}

TEST(MlpExample, LogitsMatchHandComputationFromExplicitApiWeights) {
  Store store({.seed = 42});
  Scope root = store.root_scope();
  const DenseWeights d0 = dense_weights(root, nullptr, 5, 8);
  const DenseWeights d1 = dense_weights(root, nullptr, 8, 8);
  const DenseWeights out = dense_weights(root, "logits", 8, 3);
  ASSERT_TRUE(store.find("dense_1/kernel").has_value());

  Matrix x(4, std::vector<double>(5));
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 5; ++j) x[i][j] = static_cast<float>((i * 7 + j * 3) % 11) / 10.0f - 0.5f;
  const Matrix logits = dense(apply(dense(apply(dense(x, d0), relu), d1), relu), out);

  // The one value the example's README points at: logits[0][0], by hand.
  double h1[8], h2[8];
  for (int j = 0; j < 8; ++j) {
    double s = d0.bias[j];
    for (int k = 0; k < 5; ++k) s += x[0][k] * d0.kernel[k][j];
    h1[j] = s > 0 ? s : 0;
  }
  for (int j = 0; j < 8; ++j) {
    double s = d1.bias[j];
    for (int k = 0; k < 8; ++k) s += h1[k] * d1.kernel[k][j];
    h2[j] = s > 0 ? s : 0;
  }
  double logit00 = out.bias[0];
  for (int k = 0; k < 8; ++k) logit00 += h2[k] * out.kernel[k][0];

  const Matrix printed = printed_tensor("mlp", "logits (4, 3):", 4);
  ASSERT_EQ(printed.size(), 4u);
  EXPECT_NEAR(printed[0][0], logit00, 5e-6);
  expect_near_matrix(printed, logits, "mlp logits");
}

// -- GAN (examples/gan) ---------------------------------------------------------------

TEST(GanExample, DiscriminatorHasOneSetOfWeights) {
  EXPECT_EQ(summary_names("gan"),
            (std::vector<std::string>{"generator/dense/kernel", "generator/dense/bias", "generator/output/kernel",
                                      "generator/output/bias", "discriminator/dense/kernel", "discriminator/dense/bias",
                                      "discriminator/logits/kernel", "discriminator/logits/bias"}));
}

Matrix ramp(int rows, int cols, float scale, float offset) {
  Matrix m(rows, std::vector<double>(cols));
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) m[i][j] = scale * static_cast<float>((i * cols + j) % 7) + offset;
  return m;
}

TEST(GanExample, RealAndFakeLogitsUseTheSameDiscriminatorWeights) {
  Store store({.seed = 42});
  Scope root = store.root_scope();
  DenseWeights g_hidden, g_out, d_hidden, d_out;
  {
    Scope g = root.variable_scope("generator");
    g_hidden = dense_weights(g, nullptr, 4, 16);
    g_out = dense_weights(g, "output", 16, 6);
  }
  {
    Scope d = root.variable_scope("discriminator");
    d_hidden = dense_weights(d, nullptr, 6, 16);
    d_out = dense_weights(d, "logits", 16, 1);
  }
  auto discriminator = [&](const Matrix& x) { return dense(apply(dense(x, d_hidden), relu), d_out); };

  const Matrix real = ramp(3, 6, 0.25f, -0.75f);
  const Matrix z = ramp(3, 4, 0.3f, -0.9f);
  const Matrix fake = apply(dense(apply(dense(z, g_hidden), relu), g_out), tanh_);

  // D(real)[0] by hand.
  double d_real0 = d_out.bias[0];
  for (int j = 0; j < 16; ++j) {
    double s = d_hidden.bias[j];
    for (int k = 0; k < 6; ++k) s += real[0][k] * d_hidden.kernel[k][j];
    d_real0 += (s > 0 ? s : 0) * d_out.kernel[j][0];
  }
  const Matrix printed_real = printed_tensor("gan", "D(real) logits (3, 1):", 3);
  ASSERT_EQ(printed_real.size(), 3u);
  EXPECT_NEAR(printed_real[0][0], d_real0, 5e-6);
  expect_near_matrix(printed_real, discriminator(real), "D(real)");
  expect_near_matrix(printed_tensor("gan", "generated samples (3, 6):", 3), fake, "generator");
  expect_near_matrix(printed_tensor("gan", "D(fake) logits (3, 1):", 3), discriminator(fake), "D(fake)");
}

// -- Sharing patterns visible in the names ----------------------------------------

TEST(LstmExample, OneSetOfCellWeightsSharedAcrossTimeAndTiedSoftmax) {
  // Five unrolled steps and six generation steps, one lstm_cell; the softmax
  // reuses the embedding, so only its bias is a separate variable.
  EXPECT_EQ(summary_names("lstm_lm"), (std::vector<std::string>{"lm/embedding", "lm/rnn/lstm_cell/kernel",
                                                                "lm/rnn/lstm_cell/bias", "lm/softmax_b"}));
}

TEST(SiameseExample, BothTowersShareTheCapturedScope) {
  EXPECT_EQ(summary_names("siamese"), (std::vector<std::string>{"siamese/fc1/weights", "siamese/fc1/biases",
                                                                "siamese/fc2/weights", "siamese/fc2/biases"}));
  // The first pair has equal inputs, so equal embeddings.
  const Matrix left = printed_tensor("siamese", "left embeddings (3, 4):", 3);
  const Matrix right = printed_tensor("siamese", "right embeddings (3, 4):", 3);
  ASSERT_FALSE(left.empty());
  ASSERT_FALSE(right.empty());
  EXPECT_EQ(left[0], right[0]);
}

TEST(MultiTowerExample, TowersAddNoVariablesAfterTheFirst) {
  EXPECT_EQ(summary_names("multi_tower"),
            (std::vector<std::string>{"tower/dense/kernel", "tower/dense/bias", "tower/logits/kernel",
                                      "tower/logits/bias", "replicas/tower/dense/kernel", "replicas/tower/dense/bias",
                                      "replicas/tower/logits/kernel", "replicas/tower/logits/bias"}));
}

TEST(WideEmbeddingExample, PartitionersSplitTablesIntoTfShardNames) {
  // fixed_size_partitioner(4) on 1000 rows: 4 x 250. min_max(3, 16 KiB) on
  // 600 x 16 float32 (38400 bytes): ceil(38400 / 16384) = 3 shards of 200;
  // the small variables inherit the partitioner and get one shard each.
  EXPECT_EQ(summary_names("wide_embedding"),
            (std::vector<std::string>{"wide/weights/part_0", "wide/weights/part_1", "wide/weights/part_2",
                                      "wide/weights/part_3", "deep/embedding/part_0", "deep/embedding/part_1",
                                      "deep/embedding/part_2", "deep/hidden/kernel/part_0", "deep/hidden/bias/part_0",
                                      "deep/logits/kernel/part_0", "global_bias"}));
}

} // namespace
