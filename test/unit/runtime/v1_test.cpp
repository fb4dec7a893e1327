// The implicit face: guards, thread-local state, reset_default_graph,
// threads, and that v1 and explicit code create the same variables.
#include <thread>

#include "test_util.h"

namespace varscope {
namespace {

using testing::expect_error;
using testing::V1Test;

class V1ApiTest : public V1Test {};

TEST_F(V1ApiTest, GuardsNestAndRestore) {
  {
    v1::variable_scope a("a");
    EXPECT_EQ(v1::get_variable_scope().name(), "a");
    {
      v1::variable_scope b("b");
      EXPECT_EQ(v1::get_variable_scope().name(), "a/b");
      EXPECT_EQ(v1::get_name_scope(), "a/b");
    }
    EXPECT_EQ(v1::get_variable_scope().name(), "a");
  }
  EXPECT_EQ(v1::get_variable_scope().name(), "");
  EXPECT_EQ(v1::get_name_scope(), "");
}

TEST_F(V1ApiTest, GuardAccessors) {
  v1::name_scope n("n");
  v1::variable_scope s("s");
  EXPECT_EQ(s->name(), "s");
  EXPECT_EQ(s->original_name_scope(), "n/s/");
  s->reuse_variables();
  EXPECT_EQ(v1::get_variable_scope().reuse(), ReuseMode::True);
}

TEST_F(V1ApiTest, DefaultNameForm) {
  const char* name = nullptr;
  { v1::variable_scope d(name, "dense"); EXPECT_EQ(d->name(), "dense"); }
  { v1::variable_scope d(name, "dense"); EXPECT_EQ(d->name(), "dense_1"); }
  v1::variable_scope given("logits", "dense");
  EXPECT_EQ(given->name(), "logits");
}

TEST_F(V1ApiTest, ExplicitExitAndImproperNesting) {
  auto* outer = new v1::variable_scope("outer");
  auto* inner = new v1::variable_scope("inner");
  expect_error<RuntimeError>([&] { outer->exit(); }, "Improper nesting of variable_scope.");
  inner->exit();
  outer->exit();
  EXPECT_EQ(v1::get_variable_scope().name(), "");
  delete inner;
  delete outer;
}

TEST_F(V1ApiTest, OutOfOrderDestructionIsReportedByNextOperation) {
  auto* outer = new v1::variable_scope("outer");
  auto* inner = new v1::variable_scope("inner");
  delete outer;
  delete inner;
  expect_error<RuntimeError>([] { v1::get_variable("v", {1}); }, "Improper nesting of variable_scope.");
  EXPECT_EQ(v1::get_variable_scope().name(), "");
  EXPECT_EQ(v1::get_variable("v", {1}).name(), "v:0");
}

TEST_F(V1ApiTest, ResetDefaultGraphInsideScopeRaises) {
  v1::variable_scope s("s");
  expect_error<RuntimeError>([] { v1::reset_default_graph(); },
                             "Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared "
                             "graph, exit the nesting and create a new graph.");
}

TEST_F(V1ApiTest, ResetDefaultGraphStartsFresh) {
  v1::get_variable("v", {1});
  EXPECT_EQ(v1::global_variables().size(), 1u);
  v1::reset_default_graph();
  EXPECT_TRUE(v1::global_variables().empty());
  EXPECT_EQ(v1::get_variable("v", {1}).name(), "v:0");
}

// v1::current_scope(): the bridge a migrated public entry point starts
// from. Explicit code through it names, counts and stores exactly as v1
// code at the same place would.
TEST_F(V1ApiTest, CurrentScopeIsTheInnermostGuard) {
  EXPECT_EQ(&v1::current_scope().store(), &v1::get_default_graph());
  EXPECT_EQ(v1::current_scope().get_variable_scope().name(), "");
  v1::variable_scope a("a");
  v1::name_scope n("n");
  Scope& scope = v1::current_scope();
  EXPECT_EQ(scope.get_variable_scope().name(), "a");
  EXPECT_EQ(scope.get_name_scope(), "a/n");
  EXPECT_EQ(scope.get_variable("w", {2}).name(), "a/w:0");
  ASSERT_EQ(v1::global_variables().size(), 1u);
  EXPECT_EQ(v1::global_variables()[0].name(), "a/w:0");
  expect_error<ValueError>([] { v1::get_variable("w", {2}); },
                           "Variable a/w already exists, disallowed. Did you mean to set reuse=True or "
                           "reuse=tf.AUTO_REUSE in VarScope?");
}

TEST_F(V1ApiTest, CurrentScopeSharesDefaultNamesAndNameScopesWithV1) {
  {
    v1::variable_scope d(nullptr, "dense");
    EXPECT_EQ(d->name(), "dense");
  }
  Scope explicit_dense = v1::current_scope().variable_scope(nullptr, "dense");
  EXPECT_EQ(explicit_dense.get_variable_scope().name(), "dense_1");
  EXPECT_EQ(explicit_dense.get_name_scope(), "dense_1");
  explicit_dense.exit();
  v1::variable_scope again(nullptr, "dense");
  EXPECT_EQ(again->name(), "dense_2");
  EXPECT_EQ(v1::get_name_scope(), "dense_2");
}

TEST_F(V1ApiTest, CurrentScopeFollowsResetDefaultGraph) {
  Store* before = &v1::current_scope().store();
  v1::current_scope().get_variable("v", {1});
  v1::reset_default_graph();
  Store* after = &v1::current_scope().store();
  EXPECT_NE(before, after);
  EXPECT_EQ(after, &v1::get_default_graph());
  EXPECT_TRUE(v1::global_variables().empty());
  EXPECT_EQ(v1::current_scope().get_variable("v", {1}).name(), "v:0");
}

TEST_F(V1ApiTest, CurrentScopeAppliesTheThreadsCreators) {
  std::vector<std::string> seen;
  v1::variable_creator_scope creators([&seen](const NextCreator& next, CreatorArgs args) {
    seen.push_back(args.name);
    return next(std::move(args));
  });
  v1::variable_scope s("s");
  v1::current_scope().get_variable("v", {1});
  EXPECT_EQ(seen, (std::vector<std::string>{"s/v"}));
}

TEST_F(V1ApiTest, CurrentScopeOfANewThreadIsTheRoot) {
  v1::variable_scope main_scope("main");
  std::string name;
  std::thread t([&] { name = v1::current_scope().get_variable("v", {1}).name(); });
  t.join();
  EXPECT_EQ(name, "v:0");
  EXPECT_EQ(v1::current_scope().get_variable_scope().name(), "main");
}

TEST_F(V1ApiTest, NewThreadStartsAtRoot) {
  v1::variable_scope main_scope("main");
  std::string name;
  std::thread t([&] { name = v1::get_variable("v", {1}).name(); });
  t.join();
  EXPECT_EQ(name, "v:0");
}

TEST_F(V1ApiTest, ThreadsHaveOwnDefaultNameCounters) {
  std::string a, b;
  std::thread t1([&] {
    v1::variable_scope d(nullptr, "tower");
    a = d->name();
  });
  t1.join();
  std::thread t2([&] {
    v1::variable_scope d(nullptr, "tower");
    b = d->name();
  });
  t2.join();
  EXPECT_EQ(a, "tower");
  EXPECT_EQ(b, "tower");
}

TEST_F(V1ApiTest, ThreadsShareTheStore) {
  std::thread t([] {
    v1::variable_scope foo("foo");
    v1::get_variable("v", {1});
  });
  t.join();
  v1::variable_scope foo("foo");
  expect_error<ValueError>([] { v1::get_variable("v", {1}); },
                           "Variable foo/v already exists, disallowed. Did you mean to set reuse=True or "
                           "reuse=tf.AUTO_REUSE in VarScope?");
}

TEST_F(V1ApiTest, RegularizationLossesAndCollections) {
  v1::get_local_variable("step", {}, {.dtype = int64});
  v1::variable_scope s("s", {.regularizer = v1::l2_regularizer(1.0)});
  v1::get_variable("w", {2}, {.initializer = v1::ones_initializer()});
  ASSERT_EQ(v1::get_regularization_losses().size(), 1u);
  EXPECT_EQ(v1::get_regularization_losses()[0].item<float>(), 1.0f);
  EXPECT_EQ(v1::local_variables().size(), 1u);
  EXPECT_EQ(v1::trainable_variables().size(), 1u);
  EXPECT_EQ(v1::get_collection(v1::GraphKeys::REGULARIZATION_LOSSES).size(), 1u);
}

// The GAN sketch of shared/spec/explicit-api.md, both faces, same store.
Tensor dense_v1(const char* name) {
  v1::variable_scope scope(name, "dense");
  v1::get_variable("kernel", {4, 2});
  v1::get_variable("bias", {2}, {.initializer = v1::zeros_initializer()});
  return Tensor();
}
void discriminator_v1(bool reuse) {
  v1::variable_scope scope("discriminator", {.reuse = reuse});
  dense_v1(nullptr);
  dense_v1("logits");
}
void dense_explicit(Scope& parent, const char* name) {
  Scope scope = parent.variable_scope(name, "dense");
  scope.get_variable("kernel", {4, 2});
  scope.get_variable("bias", {2}, {.initializer = zeros_initializer()});
}
void discriminator_explicit(Scope& parent, bool reuse) {
  Scope scope = parent.variable_scope("discriminator", {.reuse = reuse});
  dense_explicit(scope, nullptr);
  dense_explicit(scope, "logits");
}

TEST_F(V1ApiTest, BothFacesCreateIdenticalVariables) {
  v1::reset_default_graph({.seed = 7});
  discriminator_v1(false);
  discriminator_v1(true);
  Store store({.seed = 7});
  Scope root = store.root_scope();
  discriminator_explicit(root, false);
  discriminator_explicit(root, true);
  std::vector<Variable> a = v1::get_default_graph().variables();
  std::vector<Variable> b = store.variables();
  ASSERT_EQ(a.size(), b.size());
  ASSERT_EQ(a.size(), 4u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].name(), b[i].name());
    EXPECT_TRUE(a[i].value().equals(b[i].value()));
  }
  EXPECT_EQ(a[0].name(), "discriminator/dense/kernel:0");
  EXPECT_EQ(a[2].name(), "discriminator/logits/kernel:0");
}

TEST_F(V1ApiTest, ManyThreadsCreateAndReuseConcurrently) {
  constexpr int kThreads = 8;
  constexpr int kVars = 200;
  {
    v1::variable_scope shared("shared");
    for (int i = 0; i < kVars; ++i) v1::get_variable("v" + std::to_string(i), {4});
  }
  std::vector<std::thread> threads;
  std::vector<int> reused(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &reused] {
      {
        v1::variable_scope own("t" + std::to_string(t));
        for (int i = 0; i < kVars; ++i) v1::get_variable("w" + std::to_string(i), {2});
      }
      v1::variable_scope shared("shared", {.reuse = true});
      for (int i = 0; i < kVars; ++i)
        if (v1::get_variable("v" + std::to_string(i), {4}).name() == "shared/v" + std::to_string(i) + ":0")
          ++reused[t];
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(v1::global_variables().size(), static_cast<std::size_t>(kVars + kThreads * kVars));
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(reused[t], kVars);
}

} // namespace
} // namespace varscope
