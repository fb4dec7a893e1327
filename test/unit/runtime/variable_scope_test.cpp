// tf-semantics.md §3: entering and exiting variable scopes, counters, reuse.
#include <cmath>
#include <thread>

#include "test_util.h"

namespace varscope {
namespace {

using testing::expect_error;

class VariableScopeTest : public ::testing::Test {
protected:
  Store store;
  Scope root = store.root_scope();
};

TEST_F(VariableScopeTest, MissingNameAndDefaultNameIsTypeError) {
  expect_error<TypeError>([&] { (void)root.variable_scope(static_cast<const char*>(nullptr)); },
                          "If default_name is None then name_or_scope is required");
  expect_error<TypeError>([&] { (void)root.variable_scope(nullptr, nullptr); },
                          "If default_name is None then name_or_scope is required");
}

TEST_F(VariableScopeTest, ReuseTrueWithDefaultNameRaises) {
  expect_error<ValueError>([&] { (void)root.variable_scope(nullptr, "d", {.reuse = true}); },
                           "reuse=True cannot be used without a name_or_scope");
}

TEST_F(VariableScopeTest, AutoReuseWithDefaultNameRaises) {
  expect_error<ValueError>([&] { (void)root.variable_scope(nullptr, "d", {.reuse = AUTO_REUSE}); },
                           "reuse=True cannot be used without a name_or_scope");
}

TEST_F(VariableScopeTest, ReuseFalseMeansInherit) {
  Scope a = root.variable_scope("a", {.reuse = true});
  Scope b = a.variable_scope("b", {.reuse = false});
  EXPECT_EQ(b.reuse(), ReuseMode::True);
}

TEST_F(VariableScopeTest, ChildMaySwitchTrueToAutoReuse) {
  Scope a = root.variable_scope("a", {.reuse = true});
  Scope b = a.variable_scope("b", {.reuse = AUTO_REUSE});
  EXPECT_EQ(b.reuse(), ReuseMode::AutoReuse);
  Variable v = b.get_variable("v", {1});
  EXPECT_EQ(v.name(), "a/b/v:0");
}

TEST_F(VariableScopeTest, StringScopesAreNotUniquifiedButNameScopesAre) {
  {
    Scope t = root.variable_scope("tower");
    EXPECT_EQ(t.name(), "tower");
    EXPECT_EQ(t.get_name_scope(), "tower");
  }
  Scope t2 = root.variable_scope("tower", {.reuse = true});
  EXPECT_EQ(t2.name(), "tower");
  EXPECT_EQ(t2.get_name_scope(), "tower_1");
}

TEST_F(VariableScopeTest, Tower4InnerNameScope) {
  Scope t = root.variable_scope("tower4");
  Scope s = t.name_scope("scope");
  EXPECT_EQ(s.get_name_scope(), "tower4/scope");
}

TEST_F(VariableScopeTest, CapturedReentryInsideOtherScope) {
  VariableScope t;
  {
    Scope t4 = root.variable_scope("tower4");
    t = t4.get_variable_scope();
  }
  Scope t6 = root.variable_scope("tower6");
  Scope again = t6.variable_scope(t, {.reuse = true});
  EXPECT_EQ(again.name(), "tower4");
  EXPECT_EQ(again.get_name_scope(), "tower6/tower4");
}

TEST_F(VariableScopeTest, UnderNameScopeVariablesIgnoreItButNameScopesNest) {
  Scope n = root.name_scope("N");
  VariableScope t;
  {
    Scope tower = n.variable_scope("tower");
    t = tower.get_variable_scope();
    EXPECT_EQ(tower.get_variable("w", {1}).name(), "tower/w:0");
    EXPECT_EQ(tower.get_name_scope(), "N/tower");
  }
  {
    Scope again = n.variable_scope(t);
    EXPECT_EQ(again.get_name_scope(), "N/tower_1");
  }
  Scope third = n.variable_scope("tower", {.reuse = true});
  EXPECT_EQ(third.name(), "tower");
  EXPECT_EQ(third.get_name_scope(), "N/tower_2");
}

TEST_F(VariableScopeTest, ReenteringRootScopePushesNoNameScope) {
  VariableScope root_object = root.get_variable_scope();
  Scope n = root.name_scope("N");
  Scope s = n.variable_scope(root_object);
  Scope s2 = s.name_scope("scope2");
  EXPECT_EQ(s2.get_name_scope(), "N/scope2");
}

TEST_F(VariableScopeTest, OuterReenteredAtRootGetsNewNameScopes) {
  VariableScope outer;
  {
    Scope o = root.variable_scope("outer");
    outer = o.get_variable_scope();
  }
  {
    Scope a = root.variable_scope(outer);
    EXPECT_EQ(a.get_name_scope(), "outer_1");
    EXPECT_EQ(a.get_variable("v", {1}).name(), "outer/v:0");
  }
  Scope b = root.variable_scope(outer);
  EXPECT_EQ(b.get_name_scope(), "outer_2");
}

TEST_F(VariableScopeTest, NestedReentryInsideOuter) {
  Scope o = root.variable_scope("outer");
  VariableScope outer = o.get_variable_scope();
  {
    Scope a = o.variable_scope(outer);
    EXPECT_EQ(a.get_name_scope(), "outer/outer");
  }
  Scope b = o.variable_scope(outer);
  EXPECT_EQ(b.get_name_scope(), "outer/outer_1");
}

TEST_F(VariableScopeTest, OriginalNameScopeIsTheOpenedNameScope) {
  Scope s1 = root.name_scope("scope1");
  VariableScope t;
  {
    Scope tower = s1.variable_scope("tower");
    EXPECT_EQ(tower.original_name_scope(), "scope1/tower/");
    t = tower.get_variable_scope();
  }
  Scope elsewhere = root.variable_scope(t);
  EXPECT_EQ(elsewhere.original_name_scope(), "scope1/tower/");
  Scope ns = elsewhere.name_scope(elsewhere.original_name_scope());
  EXPECT_EQ(ns.unique_name("bar"), "scope1/tower/bar");
  EXPECT_EQ(ns.unique_name("bar"), "scope1/tower/bar_1");
}

TEST_F(VariableScopeTest, EveryEntryIncrementsCounters) {
  { Scope layer = root.variable_scope("layer"); }
  Scope d = root.variable_scope(nullptr, "layer");
  EXPECT_EQ(d.name(), "layer_1");
}

TEST_F(VariableScopeTest, CounterKeysAreExact) {
  { Scope a = root.variable_scope(nullptr, "defaultScope1"); }
  Scope b = root.variable_scope(nullptr, "defaultScope");
  EXPECT_EQ(b.name(), "defaultScope");
}

TEST_F(VariableScopeTest, DefaultNameSiblingsAreNumbered) {
  Scope foo = root.variable_scope("foo");
  { Scope a = foo.variable_scope(nullptr, "bar"); EXPECT_EQ(a.name(), "foo/bar"); }
  { Scope b = foo.variable_scope(nullptr, "bar"); EXPECT_EQ(b.name(), "foo/bar_1"); }
  { Scope c = foo.variable_scope(nullptr, "bar"); EXPECT_EQ(c.name(), "foo/bar_2"); }
}

TEST_F(VariableScopeTest, ExitingParentDiscardsDescendantCounters) {
  {
    Scope foo = root.variable_scope("foo");
    { Scope a = foo.variable_scope(nullptr, "bar"); }
    { Scope b = foo.variable_scope(nullptr, "bar"); }
  }
  Scope foo = root.variable_scope("foo");
  Scope c = foo.variable_scope(nullptr, "bar");
  EXPECT_EQ(c.name(), "foo/bar");
}

TEST_F(VariableScopeTest, LiveReentrySeesSharedCounter) {
  // shared/spec/explicit-api.md, trap 1.
  Scope foo = root.variable_scope("foo");
  VariableScope captured = foo.get_variable_scope();
  {
    Scope bar = foo.variable_scope(nullptr, "bar");
    EXPECT_EQ(bar.get_variable("a", {1}).name(), "foo/bar/a:0");
  }
  Scope again = foo.variable_scope(captured);
  Scope bar = again.variable_scope(nullptr, "bar");
  EXPECT_EQ(bar.get_variable("b", {1}).name(), "foo/bar_1/b:0");
}

TEST_F(VariableScopeTest, ReentryExitRestoresCounterSnapshot) {
  Scope parent = root.variable_scope("parent");
  { Scope l = parent.variable_scope(nullptr, "layer"); }
  { Scope l = parent.variable_scope(nullptr, "layer"); }
  VariableScope p = parent.get_variable_scope();
  {
    Scope jump = root.variable_scope(p);
    Scope inner = jump.variable_scope(nullptr, "layer");
    EXPECT_EQ(inner.name(), "parent/layer_2");
  }
  Scope next = parent.variable_scope(nullptr, "layer");
  EXPECT_EQ(next.name(), "parent/layer_2"); // numbering continues after the jump
}

TEST_F(VariableScopeTest, NameScopeAndDefaultNameUniquifiersDisagree) {
  Scope d_ns = root.name_scope("d");
  Scope d = root.variable_scope(nullptr, "d");
  EXPECT_EQ(d.name(), "d");
  EXPECT_EQ(d.get_name_scope(), "d_1");
}

TEST_F(VariableScopeTest, ImproperNestingRaisesAndLeavesStateUntouched) {
  Scope outer = root.variable_scope("outer");
  Scope inner = outer.variable_scope("inner");
  expect_error<RuntimeError>([&] { outer.exit(); }, "Improper nesting of variable_scope.");
  EXPECT_TRUE(outer.is_open());
  inner.exit();
  outer.exit();
  EXPECT_FALSE(outer.is_open());
}

TEST_F(VariableScopeTest, DestroyingOutOfOrderExitsAndNextOperationRaises) {
  Scope* outer = new Scope(root.variable_scope("outer"));
  { Scope d = outer->variable_scope(nullptr, "d"); }
  Scope* inner = new Scope(outer->variable_scope("inner"));
  delete outer;
  delete inner;
  expect_error<RuntimeError>([&] { (void)root.variable_scope("outer"); }, "Improper nesting of variable_scope.");
  Scope again = root.variable_scope("outer");
  Scope d = again.variable_scope(nullptr, "d");
  EXPECT_EQ(d.name(), "outer/d"); // the forced exit reset outer's counters
}

TEST_F(VariableScopeTest, ExceptionUnwindingNeverTerminates) {
  try {
    Scope outer = root.variable_scope("outer");
    Scope inner = outer.variable_scope("inner");
    throw ValueError("boom");
  } catch (const ValueError& e) {
    EXPECT_STREQ(e.what(), "boom");
  }
  Scope next = root.variable_scope(nullptr, "outer");
  EXPECT_EQ(next.name(), "outer_1");
}

TEST_F(VariableScopeTest, EmptyStringScopeAtRootBehavesLikeRoot) {
  Scope e = root.variable_scope("");
  EXPECT_EQ(e.name(), "");
  EXPECT_EQ(e.get_variable("v", {1}).name(), "v:0");
}

TEST_F(VariableScopeTest, EmptyStringScopeInsideOuterAddsEmptyComponent) {
  Scope outer = root.variable_scope("outer");
  Scope e = outer.variable_scope("");
  EXPECT_EQ(e.name(), "outer/");
  EXPECT_EQ(e.original_name_scope(), "");
  EXPECT_EQ(e.get_name_scope(), "outer");
  EXPECT_EQ(e.get_variable("v", {1}).store_name(), "outer//v");
}

TEST_F(VariableScopeTest, TrailingSlashScope) {
  VariableScope captured;
  {
    Scope foo = root.variable_scope("foo/");
    EXPECT_EQ(foo.name(), "foo/");
    EXPECT_EQ(foo.get_name_scope(), "foo");
    EXPECT_EQ(foo.get_variable("v", {1}).store_name(), "foo//v");
    captured = foo.get_variable_scope();
  }
  Scope n = root.name_scope("n");
  Scope again = n.variable_scope(captured);
  EXPECT_EQ(again.get_name_scope(), "n");
}

TEST_F(VariableScopeTest, AuxiliaryNameScopeFalseKeepsCurrentNameScope) {
  Scope n = root.name_scope("n");
  Scope s = n.variable_scope("vs", {.auxiliary_name_scope = false});
  EXPECT_EQ(s.name(), "vs");
  EXPECT_EQ(s.get_name_scope(), "n");
  EXPECT_EQ(s.original_name_scope(), "n/");
  EXPECT_EQ(n.unique_name("vs"), "n/vs"); // nothing was marked used
}

TEST_F(VariableScopeTest, AuxiliaryNameScopeFalseAtRoot) {
  Scope s = root.variable_scope("vs", {.auxiliary_name_scope = false});
  EXPECT_EQ(s.get_name_scope(), "");
  EXPECT_EQ(s.original_name_scope(), "");
}

TEST_F(VariableScopeTest, DefaultsAreInherited) {
  Scope a = root.variable_scope("a", {.initializer = constant_initializer(0.5),
                                      .regularizer = l2_regularizer(1.0),
                                      .caching_device = "cpu:0",
                                      .partitioner = fixed_size_partitioner(2),
                                      .dtype = float64,
                                      .use_resource = true,
                                      .constraint = [](const Tensor& t) { return t; }});
  Scope b = a.variable_scope("b");
  VariableScope vs = b.get_variable_scope();
  EXPECT_EQ(vs.initializer().description(), "constant_initializer(0.5)");
  EXPECT_TRUE(static_cast<bool>(vs.regularizer()));
  EXPECT_EQ(vs.caching_device(), std::optional<std::string>("cpu:0"));
  EXPECT_TRUE(static_cast<bool>(vs.partitioner()));
  EXPECT_EQ(vs.dtype(), float64);
  EXPECT_EQ(vs.use_resource(), std::optional<bool>(true));
  EXPECT_FALSE(static_cast<bool>(vs.constraint())); // constraint is not inherited
  EXPECT_TRUE(static_cast<bool>(a.get_variable_scope().constraint()));
}

TEST_F(VariableScopeTest, CapturedReentryDropsConstraintAndIgnoresParentReuse) {
  VariableScope c;
  {
    Scope s = root.variable_scope("c", {.constraint = [](const Tensor& t) { return t; }});
    c = s.get_variable_scope();
  }
  Scope reusing = root.variable_scope("r", {.reuse = true});
  Scope again = reusing.variable_scope(c);
  EXPECT_EQ(again.reuse(), ReuseMode::False);
  EXPECT_FALSE(static_cast<bool>(again.get_variable_scope().constraint()));
}

TEST_F(VariableScopeTest, CapturedReusingScopeStaysReusing) {
  VariableScope c;
  {
    Scope s = root.variable_scope("c", {.reuse = true});
    c = s.get_variable_scope();
  }
  Scope again = root.variable_scope(c, {.reuse = false});
  EXPECT_EQ(again.reuse(), ReuseMode::True);
}

TEST_F(VariableScopeTest, ReuseVariablesMutatesObjectSeenByLaterChildren) {
  Scope a = root.variable_scope("a");
  Scope before = a.variable_scope("before");
  a.reuse_variables();
  Scope after = a.variable_scope("after");
  EXPECT_EQ(before.reuse(), ReuseMode::False);
  EXPECT_EQ(after.reuse(), ReuseMode::True);
}

TEST_F(VariableScopeTest, ReuseVariablesOnRootMakesContextReuse) {
  root.get_variable("v", {1});
  root.reuse_variables();
  EXPECT_EQ(root.get_variable("v", {1}).name(), "v:0");
  Scope child = root.variable_scope("c");
  EXPECT_EQ(child.reuse(), ReuseMode::True);
}

TEST_F(VariableScopeTest, NewContextHasFreshCountersButSharedStore) {
  // shared/spec/explicit-api.md, trap 2: a new context (thread) re-entering
  // a captured scope gets its own counters and its own name stack.
  Scope foo = root.variable_scope("foo");
  { Scope bar = foo.variable_scope(nullptr, "bar"); }
  VariableScope captured = foo.get_variable_scope();
  std::string name, name_scope;
  std::thread t([&] {
    Scope thread_root = store.root_scope();
    Scope again = thread_root.variable_scope(captured);
    Scope bar = again.variable_scope(nullptr, "bar");
    name = bar.name();
    name_scope = bar.get_name_scope();
  });
  t.join();
  EXPECT_EQ(name, "foo/bar");
  EXPECT_EQ(name_scope, "foo_1/bar"); // names_in_use is graph-wide
}

TEST_F(VariableScopeTest, TwoContextsSameScopeSecondCreationFails) {
  root.variable_scope("foo").get_variable("v", {1});
  Scope other = store.root_scope();
  Scope foo = other.variable_scope("foo");
  expect_error<ValueError>([&] { foo.get_variable("v", {1}); },
                           "Variable foo/v already exists, disallowed. Did you mean to set reuse=True or "
                           "reuse=tf.AUTO_REUSE in VarScope?");
}

TEST_F(VariableScopeTest, CapturedScopeFromAnotherStoreIsRejected) {
  Store other;
  VariableScope foreign = other.root_scope().get_variable_scope();
  EXPECT_THROW((void)root.variable_scope(foreign), ValueError);
}

} // namespace
} // namespace varscope

namespace varscope {
namespace {

class DefaultNameProbeTest : public ::testing::Test {
protected:
  Store store;
  Scope root = store.root_scope();
};

TEST_F(DefaultNameProbeTest, ManySiblingsKeepNumbering) {
  Scope model = root.variable_scope("model");
  for (int i = 0; i < 50; ++i) {
    Scope d = model.variable_scope(nullptr, "dense");
    EXPECT_EQ(d.name(), i == 0 ? "model/dense" : "model/dense_" + std::to_string(i));
  }
}

TEST_F(DefaultNameProbeTest, GapLeftByExitIsReused) {
  // "dense_1" is an explicitly named scope below "blk": leaving "blk"
  // erases it, so the next default name may be "dense_1" again.
  Scope model = root.variable_scope("model");
  { Scope d = model.variable_scope(nullptr, "dense"); }
  {
    Scope blk = model.variable_scope("dense_1");
  }
  { Scope d = model.variable_scope(nullptr, "dense"); EXPECT_EQ(d.name(), "model/dense_2"); }
  { Scope d = model.variable_scope(nullptr, "dense"); EXPECT_EQ(d.name(), "model/dense_3"); }
}

TEST_F(DefaultNameProbeTest, HintsAreDroppedWhenCountersReset) {
  VariableScope captured;
  {
    Scope model = root.variable_scope("model");
    captured = model.get_variable_scope();
    for (int i = 0; i < 3; ++i) { Scope d = model.variable_scope(nullptr, "dense"); }
  }
  Scope again = root.variable_scope(captured);
  { Scope d = again.variable_scope(nullptr, "dense"); EXPECT_EQ(d.name(), "model/dense"); }
  { Scope d = again.variable_scope(nullptr, "dense"); EXPECT_EQ(d.name(), "model/dense_1"); }
}

} // namespace
} // namespace varscope
