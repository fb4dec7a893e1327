// The resolver's TF rules (shared/spec/tf-semantics.md §3, §5, §6).
#include "ProgramBuilder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

using namespace vstest;
using varscope::analysis::Outcome;
using varscope::analysis::Program;
using varscope::analysis::Result;
using ::testing::ElementsAre;

namespace {

TEST(Resolver, DefaultNamesAreUniquifiedAndRestoredOnCapturedReentry) {
  // with variable_scope("foo") as vs:
  //   with variable_scope(None, default_name="bar"): get_variable("a")   # foo/bar/a
  //   with variable_scope(None, default_name="bar"): get_variable("b")   # foo/bar_1/b
  // with variable_scope(vs):
  //   with variable_scope(None, default_name="bar"): get_variable("c")   # foo/bar/c
  Result R = run({function("main", {
                     block({scope("foo", 1, ReuseArg::Unset, "vs"), capture("cap", "vs", 2),
                            block({defaultScope("bar", 3), getVar("a", 4)}),
                            block({defaultScope("bar", 5), getVar("b", 6)})}),
                     block({reenter("cap", 7), defaultScope("bar", 8), getVar("c", 9)}),
                 })});
  EXPECT_THAT(names(R), ElementsAre("foo/bar/a", "foo/bar_1/b", "foo/bar/c"));
}

TEST(Resolver, DefaultNameCountersResetWhenParentExits) {
  Result R = run({function("main", {
                     block({scope("foo", 1), block({defaultScope("bar", 2), getVar("a", 3)})}),
                     block({scope("foo", 4), block({defaultScope("bar", 5), getVar("b", 6)})}),
                 })});
  EXPECT_THAT(names(R), ElementsAre("foo/bar/a", "foo/bar/b"));
}

TEST(Resolver, StringScopeCountsTowardsDefaultName) {
  // variable_scope("layer") then variable_scope(None, default_name="layer") -> layer_1.
  Result R = run({function("main", {block({scope("layer", 1), getVar("a", 2)}),
                                    block({defaultScope("layer", 3), getVar("b", 4)})})});
  EXPECT_THAT(names(R), ElementsAre("layer/a", "layer_1/b"));
}

TEST(Resolver, ReopenedStringScopeSharesVariablesAndRaisesAlreadyExists) {
  Result R = run({function("main", {block({scope("tower", 1), getVar("v", 2)}),
                                    block({scope("tower", 3), getVar("v", 4)})})});
  EXPECT_THAT(outcomes(R), ElementsAre(Outcome::Created, Outcome::AlreadyExists));
  EXPECT_EQ(R.Events[1].Existing, 0);
}

TEST(Resolver, ReuseFalseMeansInheritAndCannotSwitchReuseOff) {
  Result R = run({function("main", {scope("outer", 1, ReuseArg::True), scope("inner", 2, ReuseArg::False),
                                    getVar("v", 3)})});
  EXPECT_THAT(outcomes(R), ElementsAre(Outcome::DoesNotExist));
  EXPECT_EQ(R.Events[0].Name, "outer/inner/v");
  EXPECT_EQ(R.Events[0].ReuseOrigin.Line, 1u);
}

TEST(Resolver, AutoReuseCreatesThenReuses) {
  Result R = run({function("main", {scope("s", 1, ReuseArg::Auto), getVar("v", 2), getVar("v", 3)})});
  EXPECT_THAT(outcomes(R), ElementsAre(Outcome::Created, Outcome::Reused));
  ASSERT_EQ(R.Variables.size(), 1u);
  EXPECT_EQ(R.Variables[0].ReuseSites.size(), 1u);
}

TEST(Resolver, ReuseVariablesAffectsLaterCallsInThatScope) {
  Result R = run({function("main", {scope("s", 1, ReuseArg::Unset, "g"), getVar("v", 2), reuseVariables("g", 3),
                                    getVar("v", 4), getVar("w", 5)})});
  EXPECT_THAT(outcomes(R), ElementsAre(Outcome::Created, Outcome::Reused, Outcome::DoesNotExist));
}

TEST(Resolver, CapturedScopeKeepsItsReuseOnReentry) {
  Result R = run({function("main", {
                     block({scope("model", 1, ReuseArg::Unset, "g"), getVar("w", 2), reuseVariables("g", 3),
                            capture("cap", "g", 4)}),
                     block({reenter("cap", 5), getVar("w", 6)}),
                 })});
  EXPECT_THAT(outcomes(R), ElementsAre(Outcome::Created, Outcome::Reused));
}

TEST(Resolver, NameScopesDoNotPrefixVariables) {
  Result R = run({function("main", {scope("model", 1), nameScope("block", 2), getVar("w", 3)})});
  EXPECT_THAT(names(R), ElementsAre("model/w"));
  EXPECT_EQ(R.Events[0].IgnoredNameScope, "block");
}

TEST(Resolver, HelperUnderTwoScopesCreatesTwoSetsOfNames) {
  Result R = run({function("helper", {getVar("kernel", 10)}),
                  function("main", {block({scope("enc", 1), call("helper", {}, 2)}),
                                    block({scope("dec", 3), call("helper", {}, 4)})})});
  EXPECT_THAT(names(R), ElementsAre("enc/kernel", "dec/kernel"));
  ASSERT_EQ(R.Events.size(), 2u);
  ASSERT_EQ(R.Events[1].Path.size(), 1u);
  EXPECT_EQ(R.Events[1].Path[0].Scope, "dec");
}

TEST(Resolver, LoopsUnrollWithToString) {
  Result R = run({function("main", {forRange("i", 0, 3, {block({scopeNamed(concat({str("layer_"), toString(var("i"))}), 1),
                                                               getVar("w", 2)})})})});
  EXPECT_THAT(names(R), ElementsAre("layer_0/w", "layer_1/w", "layer_2/w"));
}

TEST(Resolver, NameOrDefaultFormUsesAKnownName) {
  // dense(name = nullptr): variable_scope(name, "dense") is a default-name
  // scope only when the argument is null.
  Stmt Guard = defaultScope("dense", 1);
  Guard.Name = param(0);
  Value Null;
  Null.K = Value::Null;
  Result R = run({function("dense", {Guard, getVar("w", 2)}, {"name"}),
                  function("main", {call("dense", {Null}, 3), call("dense", {Null}, 4),
                                    call("dense", {str("logits")}, 5)})});
  EXPECT_THAT(names(R), ElementsAre("dense/w", "dense_1/w", "logits/w"));
}

TEST(Resolver, ParametersFlowIntoNames) {
  Result R = run({function("dense", {scopeNamed(param(0), 1), getVar("w", 2)}, {"name"}),
                  function("main", {call("dense", {str("a")}, 3), call("dense", {str("b")}, 4)})});
  EXPECT_THAT(names(R), ElementsAre("a/w", "b/w"));
}

TEST(Resolver, BranchesAreMayPaths) {
  Result R = run({function("main", {scope("s", 1), ifElse({getVar("v", 2)}, {getVar("v", 3)}), getVar("v", 4)})});
  // The arms never both run; after the if, either arm's variable exists.
  EXPECT_THAT(outcomes(R), ElementsAre(Outcome::Created, Outcome::Created, Outcome::AlreadyExists));
}

TEST(Resolver, UnknownNamesAreUnresolvedNotConflicts) {
  Result R = run({function("lib", {getVar(param(0), 1), getVar(param(0), 2)}, {"name"})});
  EXPECT_THAT(outcomes(R), ElementsAre(Outcome::Unresolved, Outcome::Unresolved));
  EXPECT_FALSE(R.Events[0].Resolved);
}

TEST(Resolver, ShapeMismatchOnReuse) {
  Result R = run({function("main", {scope("s", 1, ReuseArg::Auto), getVar("w", 2, {2, 3}), getVar("w", 3, {3, 4}),
                                    getVar("w", 4, {-1, 3})})});
  EXPECT_THAT(outcomes(R), ElementsAre(Outcome::Created, Outcome::ShapeMismatch, Outcome::Reused));
}

TEST(Resolver, EntriesAreMainAndUncalledFunctions) {
  Program P;
  P.add(function("helper", {}));
  P.add(function("main", {call("helper", {}, 1)}));
  P.add(function("orphan", {}));
  auto Entries = P.entries({});
  ASSERT_EQ(Entries.size(), 2u);
  EXPECT_EQ(Entries[0]->Name, "main");
  EXPECT_EQ(Entries[1]->Name, "orphan");
}

TEST(Resolver, DeepCallTreeIsNotEnumeratedExponentially) {
  // f0 calls f1 twice, f1 calls f2 twice, ... f39 creates a variable with
  // AUTO_REUSE: 2^40 call paths, one variable.
  std::vector<varscope::facts::Function> Fns;
  const int Depth = 40;
  for (int I = 0; I < Depth; ++I) {
    std::string Next = "f" + std::to_string(I + 1);
    Fns.push_back(function("f" + std::to_string(I), {call(Next, {}, 1), call(Next, {}, 2)}));
  }
  Fns.push_back(function("f" + std::to_string(Depth), {getVar("v", 3)}));
  Fns.push_back(function("main", {scope("s", 4, ReuseArg::Auto), call("f0", {}, 5)}));
  auto Start = std::chrono::steady_clock::now();
  Result R = run(std::move(Fns));
  auto Elapsed = std::chrono::steady_clock::now() - Start;
  EXPECT_FALSE(R.BudgetExceeded);
  EXPECT_THAT(names(R), ElementsAre("s/v"));
  EXPECT_LT(R.Events.size(), 200u);
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(Elapsed).count(), 5);
}

} // namespace
