// Closures (a lambda runs with what it captured where it was created, wherever
// it is called) and custom partitioners that return a constant list, on facts
// built by hand.
#include "ProgramBuilder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace vstest;
using ::testing::ElementsAre;
using varscope::analysis::Result;
using PF = varscope::facts::PartitionerFact;

namespace {

Stmt let(std::string Id, Value V) {
  Stmt S;
  S.K = Stmt::Let;
  S.Id = std::move(Id);
  S.Name = std::move(V);
  return S;
}

/// A capture of a closure: the id the body uses and the value captured.
Value captureOf(std::string Id, Value From, bool ByRef) {
  Value C;
  C.K = Value::Capture;
  C.Text = std::move(Id);
  C.I = ByRef;
  C.Args.push_back(std::move(From));
  return C;
}
Value closure(std::string USR, std::vector<Value> Captures) {
  Value V;
  V.K = Value::Closure;
  V.Text = std::move(USR);
  V.Args = std::move(Captures);
  return V;
}
/// `fn()` on a std::function value: the callee is whatever closure it holds.
Stmt invoke(Value Fn, unsigned Line) {
  Stmt S;
  S.K = Stmt::Call;
  S.This = std::move(Fn);
  S.L = at(Line);
  return S;
}
varscope::facts::Function lambda(std::string USR, std::vector<Stmt> Body) {
  varscope::facts::Function F = function("lambda", std::move(Body));
  F.USR = std::move(USR);
  F.IsLambda = true;
  return F;
}

// The lambda reads `name#1`; `run` has a local with that very id (two
// activations of one declaration look alike), but the closure wins.
TEST(ResolverClosure, ALambdaCalledElsewhereSeesItsCreatorsCaptures) {
  Result R = run({
      lambda("L", {getVar(concat({var("name#1"), str("_w")}), 3)}),
      function("run", {let("name#1", str("wrong")), invoke(param(0), 5)}, {"fn"}),
      function("main", {let("name#1", str("right")),
                        call("run", {closure("L", {captureOf("name#1", var("name#1"), false)})}, 8)}),
  });
  EXPECT_THAT(names(R), ElementsAre("right_w"));
}

TEST(ResolverClosure, ALoopVariableCapturedByValueGivesOneNamePerIteration) {
  Result R = run({
      lambda("L", {getVar(concat({str("layer_"), toString(var("i#1"))}), 3)}),
      function("run", {invoke(param(0), 5)}, {"fn"}),
      function("main",
               {forRange("i#1", 0, 3, {call("run", {closure("L", {captureOf("i#1", var("i#1"), false)})}, 8)})}),
  });
  EXPECT_THAT(names(R), ElementsAre("layer_0", "layer_1", "layer_2"));
}

// A captured scope assigned after the lambda was created: by reference the
// lambda sees the assignment (its creator is still running), by value not.
TEST(ResolverClosure, ByReferenceCapturesSeeLaterAssignmentsByValueOnesDoNot) {
  auto program = [](bool ByRef) {
    return run({
        lambda("L", {reenter("target#1", 3), getVar("v", 4)}),
        function("run", {invoke(param(0), 6)}, {"fn"}),
        function("main", {capture("target#1", "", 8),
                          let("fn#1", closure("L", {captureOf("target#1", var("target#1"), ByRef)})),
                          block({scope("t", 10, ReuseArg::Unset, "t#1"), capture("target#1", "t#1", 11)}),
                          call("run", {var("fn#1")}, 13)}),
    });
  };
  EXPECT_THAT(names(program(true)), ElementsAre("t/v"));
  EXPECT_THAT(names(program(false)), ElementsAre("v"));
}

// Without a closure value (facts of a lambda the analyser did not follow)
// the lambda runs with its caller's locals, as for a call in place.
TEST(ResolverClosure, ALambdaCalledInPlaceWithoutAClosureUsesTheCallersLocals) {
  Result R = run({
      lambda("L", {getVar(var("tag#1"), 3)}),
      function("main", {let("tag#1", str("here")), call("L", {}, 5)}),
  });
  EXPECT_THAT(names(R), ElementsAre("here"));
}

TEST(ResolverClosure, ListedPartitionersFollowTheRuntimesRules) {
  auto partitioned = [](std::vector<Value> Counts, std::vector<std::int64_t> Shape) {
    Stmt G = getVar("v", 1, std::move(Shape));
    G.Partitioner.K = PF::Listed;
    G.Partitioner.Args = std::move(Counts);
    G.Partitioner.Text = "custom";
    Result R = run({function("main", {G})});
    const auto &V = R.Variables.at(0);
    return std::make_tuple(V.Partitions, V.PartitionAxis, R.Events.at(0).UnknownPartitioner);
  };
  auto I = [](std::int64_t X) { return Value::integer(X); };
  EXPECT_EQ(partitioned({I(4), I(1)}, {10, 3}), std::make_tuple(4, 0, std::string()));
  EXPECT_EQ(partitioned({I(1), I(2)}, {4, 5}), std::make_tuple(2, 1, std::string()));
  EXPECT_EQ(partitioned({I(1), I(1)}, {4, 5}), std::make_tuple(1, 0, std::string())); // one part_0 shard
  // The runtime raises for these: no shards, and nothing claimed unknown.
  EXPECT_EQ(partitioned({I(2), I(2)}, {4, 4}), std::make_tuple(0, 0, std::string())); // two axes
  EXPECT_EQ(partitioned({I(2)}, {4, 4}), std::make_tuple(0, 0, std::string()));       // wrong rank
  EXPECT_EQ(partitioned({I(0), I(1)}, {4, 4}), std::make_tuple(0, 0, std::string())); // zero
  EXPECT_EQ(partitioned({I(5)}, {3}), std::make_tuple(0, 0, std::string()));          // empty shards
  // A count the analyser cannot evaluate: unknown, and said so.
  EXPECT_EQ(partitioned({var("n#1"), I(1)}, {4, 4}), std::make_tuple(0, 0, std::string("custom")));
}

TEST(ResolverClosure, ClosuresAndListedPartitionersRoundTripThroughJSON) {
  varscope::facts::TUFacts TU;
  TU.MainFile = "a.cpp";
  Stmt G = getVar("v", 2);
  G.Partitioner.K = PF::Listed;
  G.Partitioner.Args = {Value::integer(4), Value::integer(1)};
  G.Partitioner.Text = "[](const Shape &, DType) { return {4, 1}; }";
  TU.Functions.push_back(function(
      "main", {let("f#1", closure("L", {captureOf("i#1", var("i#1"), true), captureOf("@this", var("@this"), false)})),
               invoke(var("f#1"), 1), G}));
  std::optional<varscope::facts::TUFacts> Back = varscope::facts::fromJSON(varscope::facts::toJSON(TU));
  ASSERT_TRUE(Back);
  EXPECT_EQ(Back->Functions, TU.Functions);
}

} // namespace
