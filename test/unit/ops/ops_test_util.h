// test/unit/ops/ops_test_util.h - fixtures and helpers of the op tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "varscope/ops.h"
#include "varscope/varscope.h"

namespace varscope::ops_testing {

/// A fresh store and its root scope per test.
class OpsTest : public ::testing::Test {
protected:
  Store store;
  Scope root = store.root_scope();
};

inline Tensor f32(const std::vector<float>& values, Shape shape) { return Tensor::from_vector(values, std::move(shape)); }
inline Tensor f64(const std::vector<double>& values, Shape shape) { return Tensor::from_vector(values, std::move(shape)); }
inline Tensor i32(const std::vector<std::int32_t>& values, Shape shape) {
  return Tensor::from_vector(values, std::move(shape));
}
inline Tensor i64(const std::vector<std::int64_t>& values, Shape shape) {
  return Tensor::from_vector(values, std::move(shape));
}

/// The elements of `t` as a vector of T (TypeError when T is not its type).
template <class T> std::vector<T> values_of(const Tensor& t) {
  std::span<const T> s = t.values<T>();
  return {s.begin(), s.end()};
}

/// Element-wise EXPECT_NEAR.
template <class T> void expect_near(const Tensor& t, const std::vector<T>& expected, double tolerance = 1e-6) {
  const std::vector<T> actual = values_of<T>(t);
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i)
    EXPECT_NEAR(static_cast<double>(actual[i]), static_cast<double>(expected[i]), tolerance) << "element " << i;
}

/// Runs `f`, expecting exception type E with exactly `message`.
template <class E, class F> void expect_error(F&& f, const std::string& message) {
  try {
    f();
  } catch (const E& e) {
    EXPECT_EQ(std::string(e.what()), message);
    return;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type, message: " << e.what();
    return;
  }
  ADD_FAILURE() << "no exception; expected: " << message;
}

} // namespace varscope::ops_testing
