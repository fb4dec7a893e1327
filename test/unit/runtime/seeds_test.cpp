// Every code example of shared/seeds/ (TF's variable_scope docs, the
// name-scope Q&A and the reuse blog post where it agrees with TF), in v1.
#include <thread>

#include "test_util.h"

namespace varscope {
namespace {

using testing::expect_error;
using testing::V1Test;

class SeedsTest : public V1Test {};

TEST_F(SeedsTest, NestedScopesPrefixVariableName) {
  v1::variable_scope foo("foo");
  v1::variable_scope bar("bar");
  Variable v = v1::get_variable("v", {1});
  EXPECT_EQ(v.name(), "foo/bar/v:0");
}

TEST_F(SeedsTest, ReenterPremadeScopeWithOriginalNameScope) {
  VariableScope vs;
  {
    v1::variable_scope foo("foo");
    vs = *foo;
  }
  v1::variable_scope vs1(vs, {.auxiliary_name_scope = false});
  v1::name_scope ns(vs1->original_name_scope());
  Variable v = v1::get_variable("v", {1});
  EXPECT_EQ(v.name(), "foo/v:0");
  EXPECT_EQ(v1::detail::current_scope().unique_name("c"), "foo/c");
}

TEST_F(SeedsTest, DefaultNameCountersRestartAfterReentry) {
  VariableScope vs;
  {
    v1::variable_scope foo("foo");
    vs = *foo;
    {
      v1::variable_scope bar(nullptr, "bar");
      EXPECT_EQ(v1::get_variable("a", {1}).name(), "foo/bar/a:0");
    }
    {
      v1::variable_scope bar(nullptr, "bar");
      EXPECT_EQ(v1::get_variable("b", {1}).name(), "foo/bar_1/b:0");
    }
  }
  v1::variable_scope again(vs);
  v1::variable_scope bar(nullptr, "bar");
  EXPECT_EQ(v1::get_variable("c", {1}).name(), "foo/bar/c:0"); // bar, not bar_2
}

Variable foo_auto_reuse() {
  v1::variable_scope scope("foo", {.reuse = v1::AUTO_REUSE});
  return v1::get_variable("v", {1});
}

TEST_F(SeedsTest, AutoReuseSharesVariable) {
  Variable a = foo_auto_reuse();
  Variable b = foo_auto_reuse();
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.name(), "foo/v:0");
  EXPECT_EQ(v1::global_variables().size(), 1u);
}

TEST_F(SeedsTest, ReuseTrueSharesVariable) {
  Variable v, v1_;
  {
    v1::variable_scope foo("foo");
    v = v1::get_variable("v", {1});
  }
  {
    v1::variable_scope foo("foo", {.reuse = true});
    v1_ = v1::get_variable("v", {1});
  }
  EXPECT_EQ(v, v1_);
}

TEST_F(SeedsTest, CapturedScopeReuseVariables) {
  v1::variable_scope scope("foo");
  Variable v = v1::get_variable("v", {1});
  scope->reuse_variables();
  Variable v1_ = v1::get_variable("v", {1});
  EXPECT_EQ(v, v1_);
}

TEST_F(SeedsTest, SecondCreationInNonReusingScopeRaises) {
  v1::variable_scope foo("foo");
  v1::get_variable("v", {1});
  expect_error<ValueError>([] { v1::get_variable("v", {1}); },
                           "Variable foo/v already exists, disallowed. Did you mean to set reuse=True or "
                           "reuse=tf.AUTO_REUSE in VarScope?");
}

TEST_F(SeedsTest, ReuseTrueMissingVariableRaises) {
  v1::variable_scope foo("foo", {.reuse = true});
  expect_error<ValueError>([] { v1::get_variable("v", {1}); },
                           "Variable foo/v does not exist, or was not created with tf.get_variable(). Did you mean "
                           "to set reuse=tf.AUTO_REUSE in VarScope?");
}

TEST_F(SeedsTest, ReuseIsInheritedBySubScopes) {
  {
    v1::variable_scope a("a");
    v1::variable_scope b("b");
    v1::get_variable("v", {1});
  }
  v1::variable_scope a("a", {.reuse = true});
  v1::variable_scope b("b");
  EXPECT_EQ(b->reuse(), ReuseMode::True);
  EXPECT_EQ(v1::get_variable("v", {1}).name(), "a/b/v:0");
}

TEST_F(SeedsTest, ThreadReentersCapturedMainScope) {
  v1::variable_scope main_scope("main");
  VariableScope captured = v1::get_variable_scope();
  std::string inside, outside;
  std::thread t([&] {
    {
      v1::variable_scope scope(captured);
      inside = v1::get_variable("foo", {1}).name();
    }
    outside = v1::get_variable("bar", {1}).name();
  });
  t.join();
  EXPECT_EQ(inside, "main/foo:0");
  EXPECT_EQ(outside, "bar:0");
}

// Seed 002 (name scope vs variable scope).
TEST_F(SeedsTest, GetVariableIgnoresNameScope) {
  v1::name_scope ns("my_scope");
  Variable v1_ = v1::get_variable("var1", {1}, {.dtype = float32});
  EXPECT_EQ(v1_.name(), "var1:0");
  EXPECT_EQ(v1::detail::current_scope().unique_name("Add"), "my_scope/Add");
}

TEST_F(SeedsTest, VariableScopePrefixesVariablesAndOps) {
  v1::variable_scope vs("my_scope");
  EXPECT_EQ(v1::get_variable("var1", {1}).name(), "my_scope/var1:0");
  EXPECT_EQ(v1::detail::current_scope().unique_name("Add"), "my_scope/Add");
}

TEST_F(SeedsTest, SharingAcrossDifferentNameScopes) {
  Variable v, v1_;
  {
    v1::name_scope foo("foo");
    v1::variable_scope vs("var_scope");
    v = v1::get_variable("var", {1});
  }
  {
    v1::name_scope bar("bar");
    v1::variable_scope vs("var_scope", {.reuse = true});
    v1_ = v1::get_variable("var", {1});
  }
  EXPECT_EQ(v, v1_);
  EXPECT_EQ(v.name(), "var_scope/var:0");
}

TEST_F(SeedsTest, NameScopeOutsideVariableScopeNamesOpsOnly) {
  v1::name_scope ns("ns");
  v1::variable_scope vs("vs");
  EXPECT_EQ(v1::get_variable("v1", {1, 0}).name(), "vs/v1:0");
  EXPECT_EQ(v1::detail::current_scope().unique_name("add"), "ns/vs/add");
}

TEST_F(SeedsTest, ScopingExampleVariableVersusNameScope) {
  {
    v1::variable_scope s1("scope_vars");
    EXPECT_EQ(v1::get_variable("b", {.initializer = Tensor::scalar<std::int32_t>(2)}).name(), "scope_vars/b:0");
    EXPECT_EQ(v1::detail::current_scope().unique_name("c"), "scope_vars/c");
    v1::variable_scope s2("res");
    EXPECT_EQ(v1::detail::current_scope().unique_name("res"), "scope_vars/res/res");
  }
  v1::name_scope s1("scope_name");
  EXPECT_EQ(v1::get_variable("b", {.initializer = Tensor::scalar<std::int32_t>(2)}).name(), "b:0");
  EXPECT_EQ(v1::detail::current_scope().unique_name("c"), "scope_name/c");
  v1::name_scope s2("res");
  EXPECT_EQ(v1::detail::current_scope().unique_name("res"), "scope_name/res/res");
}

// Seed 004, example 1 (the parts that agree with TF).
TEST_F(SeedsTest, ReenterCapturedScopeWithReuseTrue) {
  VariableScope captured;
  Variable v1_;
  {
    v1::variable_scope scope("my_scope");
    captured = *scope;
    v1_ = v1::get_variable("my_var", {1}, {.initializer = constant_initializer(1.0)});
  }
  v1::variable_scope again(captured, {.reuse = true});
  Variable v2 = v1::get_variable("my_var");
  EXPECT_EQ(v2.name(), "my_scope/my_var:0");
  EXPECT_EQ(v1_, v2);
  EXPECT_EQ(v2.value().item<float>(), 1.0f);
}

// Seed 004, example 2, corrected: get_variable has no `reuse` argument (the
// option struct has no such field), so in scope2 the call is a plain
// get_variable of a new name without shape or initializer.
TEST_F(SeedsTest, UnrelatedScopeCannotReachOtherScopesVariable) {
  {
    v1::variable_scope scope1("scope1");
    v1::get_variable("my_var", {1}, {.initializer = constant_initializer(1.0)});
  }
  v1::variable_scope scope2("scope2");
  expect_error<ValueError>([] { v1::get_variable("my_var"); },
                           "The initializer passed is not valid. It should be a callable with no arguments and the "
                           "shape should not be provided or an instance of `tf.keras.initializers.*' and `shape` "
                           "should be fully defined.");
  v1::get_variable_scope().reuse_variables();
  expect_error<ValueError>([] { v1::get_variable("my_var"); },
                           "Variable scope2/my_var does not exist, or was not created with tf.get_variable(). Did you "
                           "mean to set reuse=tf.AUTO_REUSE in VarScope?");
}

// Seed 004, example 3, corrected: reuse cannot be a run-time tensor; only
// bool, AUTO_REUSE and nullopt are reuse values, everything else fails to
// compile (TF: "The reuse parameter must be True or False or None.").
template <class T> constexpr bool accepts_reuse = requires(T t) { ReuseArg(t); };
static_assert(accepts_reuse<bool>);
static_assert(accepts_reuse<AutoReuseType>);
static_assert(!accepts_reuse<Tensor>);
static_assert(!accepts_reuse<int>);
static_assert(!accepts_reuse<const char*>);
template <class O> constexpr bool has_reuse_field = requires(O o) { o.reuse; };
static_assert(!has_reuse_field<GetVariableOptions>);
static_assert(has_reuse_field<VariableScopeOptions>);

} // namespace
} // namespace varscope
