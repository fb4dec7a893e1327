// The resolver on program structure the examples need: known branch
// conditions and early returns, range-for over lists, objects whose members
// hold a captured scope, and the three partitioners of runtime/src/partitioners.cpp.
#include "ProgramBuilder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace vstest;
using ::testing::ElementsAre;
using varscope::analysis::Result;

namespace {

Value integer(std::int64_t I) { return Value::integer(I); }
Value op(std::string Op, std::vector<Value> Args) {
  Value V;
  V.K = Value::Arith;
  V.Text = std::move(Op);
  V.Args = std::move(Args);
  return V;
}
Value list(std::vector<Value> Elems) {
  Value V;
  V.K = Value::List;
  V.Args = std::move(Elems);
  return V;
}
Stmt ifCond(Value Cond, std::vector<Stmt> Then, std::vector<Stmt> Else = {}) {
  Stmt S = ifElse(std::move(Then), std::move(Else));
  S.Name = std::move(Cond);
  return S;
}
Stmt ret() {
  Stmt S;
  S.K = Stmt::Return;
  return S;
}
Stmt namedGuard(Value Name, std::string Id, unsigned Line) {
  Stmt S = scopeNamed(std::move(Name), Line);
  S.Id = std::move(Id);
  return S;
}
Stmt withThis(Stmt S, Value This) {
  S.This = std::move(This);
  return S;
}
varscope::facts::PartitionerFact partitioner(varscope::facts::PartitionerFact::Kind K, std::vector<Value> Args) {
  varscope::facts::PartitionerFact P;
  P.K = K;
  P.Args = std::move(Args);
  return P;
}

TEST(ResolverProgram, KnownConditionTakesOneArmAndReturnStopsTheFunction) {
  // linear(x, bias): if (!bias) return; get_variable("bias")
  Result R =
      run({function("linear", {getVar("kernel", 1), ifCond(op("!", {param(0)}), {ret()}), getVar("bias", 2)}, {"bias"}),
           function("main", {block({scope("with", 3), call("linear", {integer(1)}, 4)}),
                             block({scope("without", 5), call("linear", {integer(0)}, 6)})})});
  EXPECT_THAT(names(R), ElementsAre("with/kernel", "with/bias", "without/kernel"));
}

TEST(ResolverProgram, UnknownConditionRunsBothArmsAndAReturnInOneArmDoesNotStopTheRest) {
  Result R =
      run({function("main", {ifCond(param(0), {getVar("a", 1), ret()}, {getVar("b", 2)}), getVar("c", 3)}, {"flag"})});
  EXPECT_THAT(names(R), ElementsAre("a", "b", "c"));
}

TEST(ResolverProgram, ComparisonsAndLogicalOperatorsAreEvaluated) {
  Result R = run({function("main",
                           {ifCond(op("&&", {op("<", {integer(1), integer(2)}), op("==", {str("x"), str("x")})}),
                                   {getVar("yes", 1)}, {getVar("no", 2)}),
                            ifCond(op("||", {param(0), integer(1)}), {getVar("either", 3)}, {getVar("neither", 4)})},
                           {"unknown"})});
  EXPECT_THAT(names(R), ElementsAre("yes", "either"));
}

TEST(ResolverProgram, RangeForOverAListParameterRunsOncePerElement) {
  // mlp_block(units = {n, n}): for (int n : units) dense(n) -> dense, dense_1
  Stmt Loop;
  Loop.K = Stmt::Loop;
  Loop.Id = "n#1";
  Loop.Name = param(0);
  Loop.Body = {block({defaultScope("dense", 2), getVar("kernel", 3)})};
  Result R = run({function("mlp", {scope("mlp", 1), Loop}, {"units"}),
                  function("main", {call("mlp", {list({Value::unknown("units_"), Value::unknown("units_")})}, 4)})});
  EXPECT_THAT(names(R), ElementsAre("mlp/dense/kernel", "mlp/dense_1/kernel"));
}

TEST(ResolverProgram, AMemberHoldsTheScopeTheConstructorCaptured) {
  // Encoder(name) { variable_scope s(name); scope_ = *s; get_variable("w"); }
  // Encoder::operator() { variable_scope s(scope_, AUTO_REUSE); get_variable("w"); get_variable("v"); }
  Stmt Reenter = reenter("field:scope_", 5);
  Reenter.Reuse = ReuseArg::Auto;
  Result R =
      run({function("Encoder::Encoder", {namedGuard(param(0), "s", 1), capture("field:scope_", "s", 2), getVar("w", 3)},
                    {"name"}),
           function("Encoder::operator()", {Reenter, getVar("w", 6), getVar("v", 7)}),
           function("main", {scope("model", 8), withThis(call("Encoder::Encoder", {str("enc")}, 9), var("encoder#1")),
                             withThis(call("Encoder::operator()", {}, 10), var("encoder#1")),
                             withThis(call("Encoder::operator()", {}, 11), var("encoder#1"))})});
  EXPECT_THAT(names(R), ElementsAre("model/enc/w", "model/enc/v"));
  ASSERT_EQ(R.Variables[0].ReuseSites.size(), 1u);
}

TEST(ResolverProgram, TwoObjectsKeepTheirOwnMembers) {
  Result R = run(
      {function("T::T", {namedGuard(param(0), "s", 1), capture("field:scope_", "s", 2)}, {"name"}),
       function("T::build", {reenter("field:scope_", 3), getVar("w", 4)}),
       function("main",
                {withThis(call("T::T", {str("a")}, 5), var("a#1")), withThis(call("T::T", {str("b")}, 6), var("b#1")),
                 withThis(call("T::build", {}, 7), var("b#1")), withThis(call("T::build", {}, 8), var("a#1"))})});
  EXPECT_THAT(names(R), ElementsAre("b/w", "a/w"));
}

TEST(ResolverProgram, PartitionersGiveTheRuntimesShardCounts) {
  using PF = varscope::facts::PartitionerFact;
  auto shards = [](PF P, std::vector<std::int64_t> Shape, std::string DType = "") {
    Stmt G = getVar("v", 1, std::move(Shape));
    G.Partitioner = std::move(P);
    G.DType = std::move(DType);
    Result R = run({function("main", {G})});
    return R.Variables.at(0).Partitions;
  };
  // fixed_size_partitioner(4) on 1000 rows; on 3 rows min(4, 3).
  PF Fixed;
  Fixed.K = PF::Fixed;
  Fixed.Shards = integer(4);
  Fixed.Axis = integer(0);
  EXPECT_EQ(shards(Fixed, {1000, 1}), 4);
  EXPECT_EQ(shards(Fixed, {3, 2}), 3);
  // min_max_variable_partitioner(3, 0, 16 << 10): 600x16 float32 = 38400 B
  // -> ceil(38400 / 16384) = 3; 16x8 -> 512 B -> 1 (one part_0 shard).
  PF MinMax = partitioner(PF::MinMax, {integer(3), integer(0), integer(16 << 10), integer(16)});
  EXPECT_EQ(shards(MinMax, {600, 16}), 3);
  EXPECT_EQ(shards(MinMax, {16, 8}), 1);
  EXPECT_EQ(shards(MinMax, {600, 16}, "float64"), 3); // capped by max_partitions
  PF MinMax2 = partitioner(PF::MinMax, {integer(100), integer(0), integer(16 << 10), integer(16)});
  EXPECT_EQ(shards(MinMax2, {600, 16}, "float64"), 5); // 76800 / 16384 -> 5
  // variable_axis_size_partitioner(max_shard_bytes = 1000): 100x10 float32,
  // 40 B per row -> 25 rows per shard -> 4 shards; max_shards = 3 caps it.
  PF Axis = partitioner(PF::AxisSize, {integer(1000), integer(0), integer(16), Value()});
  Axis.Args[3].K = Value::Null;
  EXPECT_EQ(shards(Axis, {100, 10}), 4);
  PF Capped = partitioner(PF::AxisSize, {integer(1000), integer(0), integer(16), integer(3)});
  EXPECT_EQ(shards(Capped, {100, 10}), 3);
  // A scalar is never partitioned; an unknown dimension is not evaluated.
  EXPECT_EQ(shards(MinMax, {}), 0);
  EXPECT_EQ(shards(MinMax, {-1, 16}), 0);
}

TEST(ResolverProgram, FactsWithTheNewFieldsRoundTripThroughJSON) {
  varscope::facts::TUFacts TU;
  TU.MainFile = "a.cpp";
  Stmt C = withThis(call("f", {list({integer(1), str("x")})}, 1), var("o#1"));
  Stmt G = getVar("v", 2);
  G.Partitioner = partitioner(varscope::facts::PartitionerFact::AxisSize, {integer(10), integer(0)});
  TU.Functions.push_back(function("main", {C, ifCond(op("!", {param(0)}), {ret()}), G}, {"p"}));
  std::optional<varscope::facts::TUFacts> Back = varscope::facts::fromJSON(varscope::facts::toJSON(TU));
  ASSERT_TRUE(Back);
  EXPECT_EQ(Back->Functions, TU.Functions);
  std::optional<std::vector<varscope::facts::TUFacts>> Index =
      varscope::facts::indexFromJSON(varscope::facts::indexToJSON({TU}));
  ASSERT_TRUE(Index);
  ASSERT_EQ(Index->size(), 1u);
  EXPECT_EQ(Index->front().Functions, TU.Functions);
}

} // namespace
