// tf-semantics.md §5, §9-§12: get_variable, collections, regularizers,
// initializers and dtypes as seen through the store.
#include <cmath>

#include "test_util.h"

namespace varscope {
namespace {

using testing::expect_error;

class GetVariableTest : public ::testing::Test {
protected:
  Store store;
  Scope root = store.root_scope();
};

std::vector<std::string> names(const std::vector<Variable>& vars) {
  std::vector<std::string> out;
  for (const Variable& v : vars) out.push_back(v.name());
  return out;
}

TEST_F(GetVariableTest, NameIsScopeNamePlusName) {
  Scope foo = root.variable_scope("foo");
  Variable v = foo.get_variable("v", {2, 3});
  EXPECT_EQ(v.name(), "foo/v:0");
  EXPECT_EQ(v.store_name(), "foo/v");
  EXPECT_EQ(v.shape(), (Shape{2, 3}));
  EXPECT_EQ(v.dtype(), float32);
  EXPECT_EQ(v.dtype_string(), "float32_ref");
  EXPECT_TRUE(v.trainable());
}

TEST_F(GetVariableTest, ShapeMismatchOnReuse) {
  root.get_variable("v", {2, 3});
  root.reuse_variables();
  expect_error<ValueError>([&] { root.get_variable("v", {3, 2}); },
                           "Trying to share variable v, but specified shape (3, 2) and found shape (2, 3).");
}

TEST_F(GetVariableTest, ScalarAndVectorShapeTexts) {
  root.get_variable("s", {});
  root.get_variable("t", {2});
  root.reuse_variables();
  expect_error<ValueError>([&] { root.get_variable("s", {2}); },
                           "Trying to share variable s, but specified shape (2,) and found shape ().");
  expect_error<ValueError>([&] { root.get_variable("t", {}); },
                           "Trying to share variable t, but specified shape () and found shape (2,).");
}

TEST_F(GetVariableTest, UnknownShapeOnReuseIsCompatible) {
  Variable v = root.get_variable("v", {2, 3});
  root.reuse_variables();
  EXPECT_EQ(root.get_variable("v"), v);
  EXPECT_EQ(root.get_variable("v", {.shape = Shape{-1, 3}}), v);
}

TEST_F(GetVariableTest, DtypeMismatchOnReuse) {
  root.get_variable("v", {1});
  root.reuse_variables();
  expect_error<ValueError>([&] { root.get_variable("v", {1}, {.dtype = int32}); },
                           "Trying to share variable v, but specified dtype int32 and found dtype float32_ref.");
}

TEST_F(GetVariableTest, ResourceVariablePrintsBaseDtype) {
  root.get_variable("v", {1}, {.use_resource = true});
  root.reuse_variables();
  expect_error<ValueError>([&] { root.get_variable("v", {1}, {.dtype = int32}); },
                           "Trying to share variable v, but specified dtype int32 and found dtype float32.");
}

TEST_F(GetVariableTest, ConstantInitializerWithShapeRaisesEvenOnReuse) {
  expect_error<ValueError>(
      [&] { root.get_variable("v", {1}, {.initializer = Tensor::scalar<float>(1.0f)}); },
      "If initializer is a constant, do not specify shape.");
}

TEST_F(GetVariableTest, ConstantInitializerDtypeWins) {
  Variable v = root.get_variable("v", {.initializer = Tensor::scalar<std::int32_t>(7)});
  EXPECT_EQ(v.dtype(), int32);
  EXPECT_EQ(v.value().item<std::int32_t>(), 7);
}

TEST_F(GetVariableTest, InitializerDtypeAndExplicitDtypeMismatch) {
  expect_error<ValueError>(
      [&] { root.get_variable("v", {.dtype = float32, .initializer = Tensor::scalar<std::int32_t>(7)}); },
      "Initializer type '<dtype: 'int32'>' and explicit dtype '<dtype: 'float32'>' don't match.");
}

TEST_F(GetVariableTest, NoShapeNoInitializerIsInvalid) {
  expect_error<ValueError>([&] { root.get_variable("v"); },
                           "The initializer passed is not valid. It should be a callable with no arguments and the "
                           "shape should not be provided or an instance of `tf.keras.initializers.*' and `shape` "
                           "should be fully defined.");
}

TEST_F(GetVariableTest, ShapeGivenTwiceIsTypeError) {
  expect_error<TypeError>([&] { root.get_variable("v", {1}, {.shape = Shape{2}}); },
                          "get_variable() got multiple values for argument 'shape'");
}

TEST_F(GetVariableTest, DefaultInitializerFloatIsGlorotIntIsZeros) {
  Variable f = root.get_variable("f", {3, 4});
  Variable i = root.get_variable("i", {3}, {.dtype = int64});
  Variable b = root.get_variable("b", {2}, {.dtype = bool_});
  EXPECT_EQ(f.initializer_description(), "glorot_uniform_initializer()");
  EXPECT_EQ(i.initializer_description(), "zeros_initializer()");
  for (double x : i.value().to_doubles()) EXPECT_EQ(x, 0.0);
  for (double x : b.value().to_doubles()) EXPECT_EQ(x, 0.0);
  double limit = std::sqrt(3.0 / 3.5);
  for (double x : f.value().to_doubles()) {
    EXPECT_GE(x, -limit);
    EXPECT_LT(x, limit);
  }
}

TEST_F(GetVariableTest, ScopeInitializerAppliesWhenArgumentMissing) {
  Scope s = root.variable_scope("s", {.initializer = constant_initializer(0.25)});
  EXPECT_EQ(s.get_variable("a", {2}).value().to_doubles(), (std::vector<double>{0.25, 0.25}));
  EXPECT_EQ(s.get_variable("b", {1}, {.initializer = ones_initializer()}).value().to_doubles(),
            (std::vector<double>{1.0}));
}

TEST_F(GetVariableTest, ScopeDtypeIsUsed) {
  Scope s = root.variable_scope("s", {.dtype = float16});
  EXPECT_EQ(s.get_variable("v", {1}).dtype(), float16);
}

TEST_F(GetVariableTest, VariablesAreKeyedByGraphSeedAndName) {
  Store a({.seed = 1}), b({.seed = 1}), c({.seed = 2});
  Tensor va = a.root_scope().get_variable("w", {4, 4}).value();
  Tensor vb = b.root_scope().get_variable("w", {4, 4}).value();
  Tensor vc = c.root_scope().get_variable("w", {4, 4}).value();
  EXPECT_TRUE(va.equals(vb));
  EXPECT_FALSE(va.equals(vc));
}

TEST_F(GetVariableTest, DefaultCollections) {
  Variable v = root.get_variable("v", {1});
  Variable n = root.get_variable("n", {1}, {.trainable = false});
  EXPECT_EQ(names(store.global_variables()), (std::vector<std::string>{"v:0", "n:0"}));
  EXPECT_EQ(names(store.trainable_variables()), (std::vector<std::string>{"v:0"}));
}

TEST_F(GetVariableTest, LocalCollectionWithDefaultTrainable) {
  root.get_variable("v", {1}, {.collections = std::vector<std::string>{GraphKeys::LOCAL_VARIABLES}});
  EXPECT_EQ(names(store.local_variables()), (std::vector<std::string>{"v:0"}));
  EXPECT_EQ(names(store.trainable_variables()), (std::vector<std::string>{"v:0"}));
  EXPECT_TRUE(store.global_variables().empty());
}

TEST_F(GetVariableTest, ConcatenatedCollection) {
  root.get_variable("v", {1}, {.collections = std::vector<std::string>{GraphKeys::CONCATENATED_VARIABLES}});
  EXPECT_EQ(names(store.get_collection_variables(GraphKeys::CONCATENATED_VARIABLES)),
            (std::vector<std::string>{"v:0"}));
  EXPECT_EQ(store.trainable_variables().size(), 1u);
  EXPECT_TRUE(store.global_variables().empty());
}

TEST_F(GetVariableTest, OnReadSynchronizationIsNotTrainable) {
  Variable v = root.get_variable("v", {1}, {.synchronization = VariableSynchronization::OnRead});
  EXPECT_FALSE(v.trainable());
  Variable w = root.get_variable("w", {1}, {.trainable = true, .synchronization = VariableSynchronization::OnRead});
  EXPECT_TRUE(w.trainable());
}

TEST_F(GetVariableTest, LocalVariable) {
  Variable v = root.get_local_variable("v", {1}, {.collections = std::vector<std::string>{"foo"}});
  EXPECT_FALSE(v.trainable());
  EXPECT_EQ(names(store.get_collection_variables("foo")), (std::vector<std::string>{"v:0"}));
  EXPECT_EQ(names(store.local_variables()), (std::vector<std::string>{"v:0"}));
  EXPECT_TRUE(store.trainable_variables().empty());
  EXPECT_TRUE(store.global_variables().empty());
}

TEST_F(GetVariableTest, ScopeRelativeCollectionsUseTrailingSlash) {
  { Scope foo = root.variable_scope("foo"); foo.get_variable("v", {1}); }
  { Scope foo_ = root.variable_scope("foo_"); foo_.get_variable("v", {1}); }
  Scope foo = root.variable_scope("foo", {.reuse = true});
  EXPECT_EQ(names(foo.get_variable_scope().global_variables()), (std::vector<std::string>{"foo/v:0"}));
  EXPECT_EQ(names(root.get_variable_scope().global_variables()), (std::vector<std::string>{"foo/v:0", "foo_/v:0"}));
  EXPECT_EQ(names(store.global_variables("foo")), (std::vector<std::string>{"foo/v:0", "foo_/v:0"}));
}

TEST_F(GetVariableTest, CollectionScopeIsARegularExpression) {
  { Scope a = root.variable_scope("tower_1"); a.get_variable("v", {1}); }
  { Scope b = root.variable_scope("tower_2"); b.get_variable("v", {1}); }
  { Scope c = root.variable_scope("other"); c.get_variable("v", {1}); }
  EXPECT_EQ(names(store.global_variables("tower_[0-9]/")), (std::vector<std::string>{"tower_1/v:0", "tower_2/v:0"}));
}

TEST_F(GetVariableTest, RegularizerRunsOncePerCreatedVariable) {
  Scope s = root.variable_scope("s", {.regularizer = l2_regularizer(0.5)});
  Variable v = s.get_variable("v", {2}, {.initializer = constant_initializer(2.0)});
  s.reuse_variables();
  s.get_variable("v", {2});
  std::vector<Tensor> losses = store.regularization_losses();
  ASSERT_EQ(losses.size(), 1u);
  EXPECT_EQ(losses[0].name(), "s/v/Regularizer/l2_regularizer:0");
  EXPECT_FLOAT_EQ(losses[0].item<float>(), 0.5f * (4.0f + 4.0f) / 2.0f);
}

TEST_F(GetVariableTest, NoRegularizerDisablesInheritedOne) {
  Scope s = root.variable_scope("s", {.regularizer = l1_regularizer(1.0)});
  s.get_variable("a", {1});
  s.get_variable("b", {1}, {.regularizer = no_regularizer()});
  EXPECT_EQ(store.regularization_losses().size(), 1u);
}

TEST_F(GetVariableTest, RegularizerLossNamesAreUniquifiedPerVariable) {
  Scope s = root.variable_scope("s", {.regularizer = [](const Tensor& w) -> std::optional<Tensor> {
    return Tensor::scalar<float>(static_cast<float>(w.num_elements()));
  }});
  s.get_variable("a", {3});
  std::vector<Tensor> losses = store.regularization_losses();
  ASSERT_EQ(losses.size(), 1u);
  EXPECT_EQ(losses[0].name(), "s/a/Regularizer/Regularizer_loss:0");
  EXPECT_EQ(losses[0].item<float>(), 3.0f);
}

TEST_F(GetVariableTest, VariableOpNameIsUniquifiedAgainstExistingOps) {
  Scope foo_ns = root.name_scope("foo");
  EXPECT_EQ(foo_ns.unique_name("v"), "foo/v");
  Scope foo = root.variable_scope("foo");
  Variable v = foo.get_variable("v", {1});
  EXPECT_EQ(v.store_name(), "foo/v");
  EXPECT_EQ(v.name(), "foo/v_1:0");
}

TEST_F(GetVariableTest, InvalidVariableNameAtRoot) {
  // The variable op is created by name_scope(full_name) at the root (§2.1).
  Variable ok = root.variable_scope("foo").get_variable("_v", {1});
  EXPECT_EQ(ok.name(), "foo/_v:0");
  expect_error<ValueError>([&] { root.get_variable("_v", {1}); }, "'_v' is not a valid scope name");
}

TEST_F(GetVariableTest, AssignChecksShapeAndDtype) {
  Variable v = root.get_variable("v", {2}, {.initializer = zeros_initializer()});
  v.assign(Tensor::from_vector<float>({1, 2}));
  EXPECT_EQ(v.value().to_doubles(), (std::vector<double>{1, 2}));
  expect_error<ValueError>([&] { v.assign(Tensor::from_vector<float>({1, 2, 3})); },
                           "Cannot assign a tensor of shape (3,) to variable v of shape (2,)");
}

TEST_F(GetVariableTest, ValueIsASnapshot) {
  Variable v = root.get_variable("v", {1}, {.initializer = zeros_initializer()});
  Tensor before = v.value();
  v.assign(Tensor::from_vector<float>({5}));
  EXPECT_EQ(before.item<float>(), 0.0f);
  EXPECT_EQ(v.value().item<float>(), 5.0f);
}

TEST_F(GetVariableTest, HandlesCompareByIdentity) {
  Variable a = root.get_variable("a", {1});
  Variable b = root.get_variable("b", {1});
  EXPECT_EQ(a, store.find("a").value());
  EXPECT_NE(a, b);
}

TEST_F(GetVariableTest, SetRandomSeedChangesLaterValues) {
  Store s1, s2;
  s2.set_seed(99);
  EXPECT_FALSE(s1.root_scope().get_variable("w", {8}).value().equals(s2.root_scope().get_variable("w", {8}).value()));
}

} // namespace
} // namespace varscope

namespace varscope {
namespace {

class ScopeSettersTest : public ::testing::Test {
protected:
  Store store;
  Scope root = store.root_scope();
};

TEST_F(ScopeSettersTest, EmptyCachingDeviceOverridesParent) {
  // tf-semantics.md §14: "" is a real value, not None.
  Scope a = root.variable_scope("a", {.caching_device = "/cpu:0"});
  EXPECT_EQ(a.get_variable("v", {1}).caching_device(), "/cpu:0");
  Scope b = a.variable_scope("b", {.caching_device = ""});
  EXPECT_EQ(b.get_variable_scope().caching_device(), std::optional<std::string>(""));
  EXPECT_EQ(b.get_variable("v", {1}).caching_device(), "");
}

TEST_F(ScopeSettersTest, UseResourceResolution) {
  // §15: argument, then scope (inherited), then the store's default.
  EXPECT_FALSE(root.get_variable("plain", {1}).use_resource());
  Scope r = root.variable_scope("r", {.use_resource = true});
  Scope child = r.variable_scope("child");
  EXPECT_TRUE(child.get_variable("v", {1}).use_resource());
  EXPECT_FALSE(child.get_variable("w", {1}, {.use_resource = false}).use_resource());
  Store tf2({.use_resource = true});
  EXPECT_TRUE(tf2.root_scope().get_variable("v", {1}).use_resource());
}

TEST_F(ScopeSettersTest, SettersAffectLaterVariablesOfThatScopeOnly) {
  Scope s = root.variable_scope("s");
  VariableScope vs = s.get_variable_scope();
  Scope before = s.variable_scope("before");
  vs.set_initializer(constant_initializer(3.0));
  vs.set_dtype(float64);
  vs.set_regularizer(l1_regularizer(1.0));
  vs.set_partitioner(fixed_size_partitioner(2));
  Variable v = s.get_variable("v", {4});
  EXPECT_TRUE(v.is_partitioned());
  EXPECT_EQ(v.dtype(), float64);
  EXPECT_EQ(v.value().to_doubles(), (std::vector<double>{3, 3, 3, 3}));
  EXPECT_EQ(store.regularization_losses().size(), 2u); // one per shard
  // A scope entered before the setters copied the old fields.
  Variable w = before.get_variable("w", {2}, {.initializer = zeros_initializer()});
  EXPECT_FALSE(w.is_partitioned());
  EXPECT_EQ(w.dtype(), float32);
  // A scope entered after them inherits them.
  Scope after = s.variable_scope("after");
  EXPECT_EQ(after.get_variable("x", {4}).dtype(), float64);
}

TEST_F(ScopeSettersTest, CaptureSeesLaterMutationsOfTheSameObject) {
  Scope s = root.variable_scope("s");
  VariableScope captured = s.get_variable_scope();
  s.reuse_variables();
  EXPECT_EQ(captured.reuse(), ReuseMode::True); // one object, as in Python
}

} // namespace
} // namespace varscope
