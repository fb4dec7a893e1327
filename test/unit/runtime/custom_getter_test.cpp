// tf-semantics.md §7: custom getters, chaining order, root name scope.
#include "test_util.h"

namespace varscope {
namespace {

Tensor elementwise(const Tensor& a, const Tensor& b, bool multiply) {
  Tensor out(a.dtype(), a.shape());
  const float* x = a.data<float>();
  const float* y = b.data<float>();
  float* z = out.data<float>();
  for (std::int64_t i = 0; i < a.num_elements(); ++i) z[i] = multiply ? x[i] * y[i] : x[i] + y[i];
  return out;
}

CustomGetter make_getter(const char* suffix, bool multiply, std::vector<std::string>* ops = nullptr) {
  return [suffix, multiply, ops](const Getter& getter, GetterArgs args) -> Variable {
    std::string name = args.name;
    GetterArgs a0 = args, a1 = args;
    a0.name = name + "/" + suffix + "_0";
    a1.name = name + "/" + suffix + "_1";
    Variable g0 = getter(a0);
    Variable g1 = getter(a1);
    if (ops) {
      Scope ns = args.scope->name_scope(std::string(suffix) + "_getter");
      ops->push_back(ns.unique_name("add"));
    }
    return Variable::from_tensor(elementwise(g0.value(), g1.value(), multiply));
  };
}

TEST(CustomGetterTest, NewestGetterRunsFirst) {
  Store store;
  Scope root = store.root_scope();
  Scope prod = root.variable_scope("prod_scope", {.custom_getter = make_getter("prod", true)});
  Scope sum = prod.variable_scope("sum_scope", {.custom_getter = make_getter("sum", false)});
  Scope inner = sum.variable_scope("inner_sum_scope", {.custom_getter = make_getter("sum", false)});
  Variable v = inner.get_variable("v", {1, 2, 3});
  ASSERT_TRUE(v.is_tensor());
  std::vector<std::string> got;
  for (const Variable& var : store.variables()) got.push_back(var.store_name());
  std::vector<std::string> want;
  for (const char* a : {"0", "1"})
    for (const char* b : {"0", "1"})
      for (const char* c : {"0", "1"})
        want.push_back(std::string("prod_scope/sum_scope/inner_sum_scope/v/sum_") + a + "/sum_" + b + "/prod_" + c);
  EXPECT_EQ(got, want);
  std::vector<Tensor> vals;
  for (const Variable& var : store.variables()) vals.push_back(var.value());
  Tensor expected = elementwise(elementwise(elementwise(vals[0], vals[1], true), elementwise(vals[2], vals[3], true), false),
                                elementwise(elementwise(vals[4], vals[5], true), elementwise(vals[6], vals[7], true), false),
                                false);
  EXPECT_TRUE(v.value().equals(expected));
}

TEST(CustomGetterTest, ExplicitGetterReplacesScopeGetter) {
  Store store;
  Scope root = store.root_scope();
  Scope s = root.variable_scope("s", {.custom_getter = make_getter("sum", false)});
  s.get_variable("v", {1}, {.custom_getter = make_getter("prod", true)});
  std::vector<std::string> got;
  for (const Variable& var : store.variables()) got.push_back(var.store_name());
  EXPECT_EQ(got, (std::vector<std::string>{"s/v/prod_0", "s/v/prod_1"}));
}

TEST(CustomGetterTest, SetCustomGetterReplaces) {
  Store store;
  Scope root = store.root_scope();
  Scope s = root.variable_scope("s", {.custom_getter = make_getter("sum", false)});
  s.get_variable_scope().set_custom_getter(make_getter("prod", true));
  s.get_variable("v", {1});
  EXPECT_EQ(store.variables().front().store_name(), "s/v/prod_0");
}

TEST(CustomGetterTest, GetterIsInheritedAndSeesResolvedReuse) {
  Store store;
  Scope root = store.root_scope();
  std::vector<ReuseMode> seen;
  CustomGetter spy = [&seen](const Getter& getter, GetterArgs args) {
    seen.push_back(args.reuse);
    return getter(std::move(args));
  };
  Scope s = root.variable_scope("s", {.custom_getter = spy});
  Scope child = s.variable_scope("child");
  child.get_variable("v", {1});
  Scope again = s.variable_scope("child", {.reuse = true});
  again.get_variable("v", {1});
  EXPECT_EQ(seen, (std::vector<ReuseMode>{ReuseMode::False, ReuseMode::True}));
}

TEST(CustomGetterTest, GetterOpsAreNamedAtRootNameScope) {
  Store store;
  Scope root = store.root_scope();
  std::vector<std::string> ops;
  Scope ns = root.name_scope("outer");
  Scope s = ns.variable_scope("s", {.custom_getter = make_getter("sum", false, &ops)});
  s.get_variable("a", {1});
  s.get_variable("b", {1});
  s.get_variable("c", {1});
  EXPECT_EQ(ops, (std::vector<std::string>{"sum_getter/add", "sum_getter_1/add", "sum_getter_2/add"}));
}

TEST(CustomGetterTest, CapturedScopeGetterChainsOnReentry) {
  Store store;
  Scope root = store.root_scope();
  VariableScope captured;
  {
    Scope s = root.variable_scope("s", {.custom_getter = make_getter("prod", true)});
    captured = s.get_variable_scope();
  }
  Scope again = root.variable_scope(captured, {.custom_getter = make_getter("sum", false)});
  again.get_variable("v", {1});
  EXPECT_EQ(store.variables().front().store_name(), "s/v/sum_0/prod_0");
}

} // namespace
} // namespace varscope
