// test/unit/runtime/test_util.h - helpers shared by the runtime tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "varscope/v1.h"

namespace varscope::testing {

/// Gives every v1 test a fresh default graph (TF tests run each case in a
/// new graph).
class V1Test : public ::testing::Test {
protected:
  void SetUp() override { v1::reset_default_graph(); }
};

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

} // namespace varscope::testing
