// tf-semantics.md §8: variable creators (TF's variable_creator_scope), in
// the explicit API (Scope::variable_creator_scope) and in v1
// (v1::variable_creator_scope).
#include <memory>
#include <thread>

#include "test_util.h"

namespace varscope {
namespace {

using testing::expect_error;

std::vector<std::string> store_names(const std::vector<Variable>& vars) {
  std::vector<std::string> out;
  for (const Variable& v : vars) out.push_back(v.store_name());
  return out;
}

std::vector<double> values(const Variable& v) {
  Tensor t = v.value();
  std::vector<double> out;
  for (std::int64_t i = 0; i < t.num_elements(); ++i) out.push_back(t.element_as_double(i));
  return out;
}

/// A creator that records the name it was given and passes everything on.
VariableCreator logging_creator(std::string tag, std::vector<std::string>* log) {
  return [tag, log](const NextCreator& next, CreatorArgs args) {
    log->push_back(tag + ":" + args.name);
    return next(std::move(args));
  };
}

class VariableCreatorTest : public ::testing::Test {
protected:
  Store store;
  Scope root = store.root_scope();
};

TEST_F(VariableCreatorTest, CreatorSeesTheResolvedArguments) {
  std::vector<CreatorArgs> seen;
  Scope c = root.variable_creator_scope([&seen](const NextCreator& next, CreatorArgs args) {
    seen.push_back(args);
    return next(std::move(args));
  });
  Scope outer = c.variable_scope("outer", {.initializer = constant_initializer(2.0), .caching_device = "/cpu:0"});
  Scope inner = outer.variable_scope("inner");
  Variable v = inner.get_variable("v", {2, 3}, {.collections = std::vector<std::string>{"mine"}});
  ASSERT_EQ(seen.size(), 1u);
  const CreatorArgs& a = seen[0];
  EXPECT_EQ(a.name, "outer/inner/v");
  EXPECT_EQ(a.initial_value.description(), "constant_initializer(2)");
  ASSERT_TRUE(a.shape.has_value());
  EXPECT_EQ(*a.shape, (Shape{2, 3}));
  EXPECT_EQ(a.dtype, DType::Float32);
  EXPECT_TRUE(a.trainable);
  EXPECT_EQ(a.collections, (std::vector<std::string>{"mine"}));
  EXPECT_EQ(a.caching_device, "/cpu:0");
  EXPECT_FALSE(a.use_resource);
  EXPECT_TRUE(a.validate_shape);
  EXPECT_EQ(a.partition_info, nullptr);
  EXPECT_EQ(v.name(), "outer/inner/v:0");
  EXPECT_EQ(values(v), (std::vector<double>{2, 2, 2, 2, 2, 2}));
}

TEST_F(VariableCreatorTest, DefaultInitializerIsResolvedBeforeTheCreator) {
  std::string description;
  Scope c = root.variable_creator_scope([&description](const NextCreator& next, CreatorArgs args) {
    description = args.initial_value.description();
    return next(std::move(args));
  });
  c.get_variable("w", {2, 2});
  c.get_variable("n", {2}, {.dtype = DType::Int32});
  EXPECT_EQ(description, "zeros_initializer()");
}

TEST_F(VariableCreatorTest, InnermostCreatorRunsFirst) {
  std::vector<std::string> log;
  Scope outer = root.variable_creator_scope(logging_creator("outer", &log));
  Scope middle = outer.variable_scope("m");
  Scope inner = middle.variable_creator_scope(logging_creator("inner", &log));
  inner.get_variable("v", {1});
  EXPECT_EQ(log, (std::vector<std::string>{"inner:m/v", "outer:m/v"}));
  // The handle below the inner creator sees only the outer one.
  middle.get_variable("w", {1});
  EXPECT_EQ(log, (std::vector<std::string>{"inner:m/v", "outer:m/v", "outer:m/w"}));
  // A handle not derived from a creator scope sees none.
  root.get_variable("x", {1});
  EXPECT_EQ(log.size(), 3u);
}

TEST_F(VariableCreatorTest, InnerCreatorChangesReachTheOuterOne) {
  std::vector<std::string> log;
  Scope outer = root.variable_creator_scope(logging_creator("outer", &log));
  Scope inner = outer.variable_creator_scope([](const NextCreator& next, CreatorArgs args) {
    args.trainable = false;
    args.name += "_inner";
    return next(std::move(args));
  });
  Variable v = inner.get_variable("v", {1});
  EXPECT_EQ(log, (std::vector<std::string>{"outer:v_inner"}));
  EXPECT_FALSE(v.trainable());
}

TEST_F(VariableCreatorTest, NotInvokedOnReuse) {
  int calls = 0;
  Scope c = root.variable_creator_scope([&calls](const NextCreator& next, CreatorArgs args) {
    ++calls;
    return next(std::move(args));
  });
  Scope s = c.variable_scope("s", {.reuse = AUTO_REUSE});
  Variable a = s.get_variable("v", {2});
  Variable b = s.get_variable("v", {2});
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(a, b);
  Scope again = c.variable_scope("s", {.reuse = true});
  EXPECT_EQ(again.get_variable("v", {2}), a);
  EXPECT_EQ(calls, 1);
  // Failed reuse checks raise before any creator runs.
  expect_error<ValueError>([&] { again.get_variable("missing", {2}); },
                           "Variable s/missing does not exist, or was not created with tf.get_variable(). Did you "
                           "mean to set reuse=tf.AUTO_REUSE in VarScope?");
  EXPECT_EQ(calls, 1);
}

TEST_F(VariableCreatorTest, CreatorCanMakeAVariableNotTrainable) {
  Scope c = root.variable_creator_scope([](const NextCreator& next, CreatorArgs args) {
    args.trainable = false;
    return next(std::move(args));
  });
  Variable v = c.get_variable("v", {1});
  EXPECT_FALSE(v.trainable());
  EXPECT_EQ(store_names(store.global_variables()), (std::vector<std::string>{"v"}));
  EXPECT_TRUE(store.trainable_variables().empty());
}

TEST_F(VariableCreatorTest, CreatorCanReplaceTheInitializer) {
  Scope c = root.variable_creator_scope([](const NextCreator& next, CreatorArgs args) {
    args.initial_value = constant_initializer(7.0);
    return next(std::move(args));
  });
  Variable v = c.get_variable("v", {3}, {.initializer = zeros_initializer()});
  EXPECT_EQ(values(v), (std::vector<double>{7, 7, 7}));
  EXPECT_EQ(v.initializer_description(), "constant_initializer(7)");
  // A constant value gives the variable its shape and dtype.
  Scope d = root.variable_creator_scope([](const NextCreator& next, CreatorArgs args) {
    args.initial_value = Tensor::from_vector<std::int32_t>({4, 5});
    args.shape = std::nullopt;
    return next(std::move(args));
  });
  Variable w = d.get_variable("w", {3});
  EXPECT_EQ(w.dtype(), DType::Int32);
  EXPECT_EQ(w.shape(), (Shape{2}));
  EXPECT_EQ(values(w), (std::vector<double>{4, 5}));
}

TEST_F(VariableCreatorTest, RenamingChangesTheOpNameNotTheStoreKey) {
  Scope c = root.variable_creator_scope([](const NextCreator& next, CreatorArgs args) {
    args.name = "renamed";
    return next(std::move(args));
  });
  Scope s = c.variable_scope("s");
  Variable v = s.get_variable("v", {1});
  EXPECT_EQ(v.name(), "renamed:0");
  EXPECT_EQ(v.store_name(), "s/v");
  ASSERT_TRUE(store.find("s/v").has_value());
  EXPECT_EQ(*store.find("s/v"), v);
  Scope again = root.variable_scope("s", {.reuse = true});
  EXPECT_EQ(again.get_variable("v", {1}), v);
  // The op name is taken in the graph's namespace.
  EXPECT_EQ(root.unique_name("renamed"), "renamed_1");
}

TEST_F(VariableCreatorTest, RunsAfterCustomGetters) {
  std::vector<std::string> log;
  Scope c = root.variable_creator_scope(logging_creator("creator", &log));
  CustomGetter getter = [&log](const Getter& next, GetterArgs args) {
    log.push_back("getter:" + args.name);
    args.name += "_g";
    return next(std::move(args));
  };
  Scope s = c.variable_scope("s", {.custom_getter = getter});
  Variable v = s.get_variable("v", {1});
  EXPECT_EQ(log, (std::vector<std::string>{"getter:s/v", "creator:s/v_g"}));
  EXPECT_EQ(v.store_name(), "s/v_g");
  // Reuse through the getter: the getter runs, the creator does not.
  Scope again = c.variable_scope("s", {.custom_getter = getter, .reuse = true});
  EXPECT_EQ(again.get_variable("v", {1}), v);
  EXPECT_EQ(log, (std::vector<std::string>{"getter:s/v", "creator:s/v_g", "getter:s/v"}));
}

TEST_F(VariableCreatorTest, EachShardOfAPartitionedVariableIsCreatedThroughTheCreators) {
  struct Seen {
    std::string name;
    Shape shape;
    std::vector<std::int64_t> offset;
  };
  std::vector<Seen> seen;
  Scope c = root.variable_creator_scope([&seen](const NextCreator& next, CreatorArgs args) {
    seen.push_back({args.name, args.shape.value_or(Shape{}),
                    args.partition_info ? args.partition_info->var_offset() : std::vector<std::int64_t>{}});
    return next(std::move(args));
  });
  Scope p = c.variable_scope("p", {.partitioner = fixed_size_partitioner(3)});
  Variable v = p.get_variable("emb", {6, 2});
  ASSERT_TRUE(v.is_partitioned());
  EXPECT_EQ(v.name(), "p/emb");
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].name, "p/emb/part_0");
  EXPECT_EQ(seen[2].name, "p/emb/part_2");
  EXPECT_EQ(seen[1].shape, (Shape{2, 2}));
  EXPECT_EQ(seen[0].offset, (std::vector<std::int64_t>{0, 0}));
  EXPECT_EQ(seen[1].offset, (std::vector<std::int64_t>{2, 0}));
  EXPECT_EQ(seen[2].offset, (std::vector<std::int64_t>{4, 0}));
  EXPECT_EQ(v.as_partitioned().shards()[1].save_slice_info()->spec(), "6 2 2,2:0,2");
  // Reusing the partitioned variable creates nothing.
  Scope again = c.variable_scope("p", {.partitioner = fixed_size_partitioner(3), .reuse = true});
  EXPECT_EQ(again.get_variable("emb", {6, 2}).as_partitioned().shards()[0], v.as_partitioned().shards()[0]);
  EXPECT_EQ(seen.size(), 3u);
}

TEST_F(VariableCreatorTest, ShardValuesDoNotDependOnTheCreators) {
  Scope plain = root.variable_scope("a", {.partitioner = fixed_size_partitioner(2)});
  Variable a = plain.get_variable("w", {4, 3});
  Store other;
  Scope other_root = other.root_scope();
  Scope other_c = other_root.variable_creator_scope(
      [](const NextCreator& next, CreatorArgs args) { return next(std::move(args)); });
  Scope with = other_c.variable_scope("a", {.partitioner = fixed_size_partitioner(2)});
  Variable b = with.get_variable("w", {4, 3});
  EXPECT_TRUE(a.value().equals(b.value()));
}

TEST_F(VariableCreatorTest, CreatorMustReturnWhatNextCreatorMade) {
  Variable existing = root.get_variable("existing", {1});
  Scope none = root.variable_creator_scope([](const NextCreator&, CreatorArgs) { return Variable(); });
  expect_error<ValueError>([&] { none.get_variable("v", {1}); },
                           "The variable creator for v must return the variable its next_creator created");
  Scope other = root.variable_creator_scope([existing](const NextCreator& next, CreatorArgs args) {
    next(std::move(args));
    return existing;
  });
  expect_error<ValueError>([&] { other.get_variable("w", {1}); },
                           "The variable creator for w must return the variable its next_creator created");
  // Nothing was stored or listed; "w"'s op name stays taken, as in TF.
  EXPECT_FALSE(store.find("v").has_value());
  EXPECT_FALSE(store.find("w").has_value());
  EXPECT_EQ(store_names(store.variables()), (std::vector<std::string>{"existing"}));
  EXPECT_EQ(store_names(store.global_variables()), (std::vector<std::string>{"existing"}));
  EXPECT_EQ(store.num_variables(), 1u);
  Variable w = root.get_variable("w", {1});
  EXPECT_EQ(w.name(), "w_1:0");
  EXPECT_EQ(w.store_name(), "w");
}

TEST_F(VariableCreatorTest, CallingNextCreatorTwiceRaises) {
  Scope c = root.variable_creator_scope([](const NextCreator& next, CreatorArgs args) {
    next(args);
    return next(args);
  });
  Scope s = c.variable_scope("s");
  expect_error<ValueError>([&] { s.get_variable("v", {1}); },
                           "The variable creator for s/v called next_creator more than once; a creator must create "
                           "exactly one variable");
  EXPECT_TRUE(store.variables().empty());
  EXPECT_TRUE(store.global_variables().empty());
}

TEST_F(VariableCreatorTest, ThrowingCreatorLeavesNoVariable) {
  Scope c = root.variable_creator_scope([](const NextCreator& next, CreatorArgs args) -> Variable {
    Variable v = next(std::move(args));
    EXPECT_EQ(v.name(), "v:0"); // a creator may inspect what it got
    throw RuntimeError("creator refused " + v.name());
  });
  expect_error<RuntimeError>([&] { c.get_variable("v", {1}); }, "creator refused v:0");
  EXPECT_TRUE(store.variables().empty());
  EXPECT_FALSE(store.find("v").has_value());
  Variable again = root.get_variable("v", {1});
  EXPECT_EQ(again.store_name(), "v");
  EXPECT_EQ(store.num_variables(), 1u);
}

TEST_F(VariableCreatorTest, RegularizerRunsOnceOnTheCreatedVariable) {
  int calls = 0;
  Scope c = root.variable_creator_scope([&calls](const NextCreator& next, CreatorArgs args) {
    ++calls;
    return next(std::move(args));
  });
  Scope s = c.variable_scope("s", {.regularizer = l2_regularizer(0.5)});
  s.get_variable("v", {2}, {.initializer = ones_initializer()});
  EXPECT_EQ(calls, 1);
  std::vector<Tensor> losses = store.regularization_losses();
  ASSERT_EQ(losses.size(), 1u);
  EXPECT_EQ(losses[0].name(), "s/v/Regularizer/l2_regularizer:0");
  EXPECT_DOUBLE_EQ(losses[0].element_as_double(0), 0.5);
}

TEST_F(VariableCreatorTest, EmptyCreatorIsATypeError) {
  expect_error<TypeError>([&] { (void)root.variable_creator_scope(VariableCreator()); },
                          "variable_creator_scope: the creator is empty");
}

// -- v1 ---------------------------------------------------------------------------

class V1VariableCreatorTest : public testing::V1Test {};

TEST_F(V1VariableCreatorTest, AppliesInEveryVariableScopeOfTheThread) {
  std::vector<std::string> log;
  v1::variable_scope a("a");
  {
    v1::variable_creator_scope creators(logging_creator("c", &log));
    v1::get_variable("v", {1});
    v1::variable_scope b("b");
    v1::get_variable("w", {1});
    // A captured scope re-entered inside the creator scope is affected too.
    v1::variable_scope again(*a);
    v1::get_variable("x", {1});
  }
  v1::get_variable("y", {1});
  EXPECT_EQ(log, (std::vector<std::string>{"c:a/v", "c:a/b/w", "c:a/x"}));
}

TEST_F(V1VariableCreatorTest, NestedCreatorsInnermostFirst) {
  std::vector<std::string> log;
  v1::variable_creator_scope outer(logging_creator("outer", &log));
  v1::variable_creator_scope inner(logging_creator("inner", &log));
  v1::get_variable("v", {1});
  EXPECT_EQ(log, (std::vector<std::string>{"inner:v", "outer:v"}));
}

TEST_F(V1VariableCreatorTest, ExitOutOfOrderRaisesAndKeepsTheGuardOpen) {
  std::vector<std::string> log;
  auto outer = std::make_unique<v1::variable_creator_scope>(logging_creator("outer", &log));
  auto inner = std::make_unique<v1::variable_creator_scope>(logging_creator("inner", &log));
  expect_error<RuntimeError>([&] { outer->exit(); }, "Exiting variable_creator_scope without proper nesting.");
  v1::get_variable("v", {1});
  inner->exit();
  outer->exit();
  v1::get_variable("w", {1});
  EXPECT_EQ(log, (std::vector<std::string>{"inner:v", "outer:v"}));
}

TEST_F(V1VariableCreatorTest, DestroyedOutOfOrderRaisesAtTheNextScopeOperation) {
  std::vector<std::string> log;
  auto outer = std::make_unique<v1::variable_creator_scope>(logging_creator("outer", &log));
  auto inner = std::make_unique<v1::variable_creator_scope>(logging_creator("inner", &log));
  outer.reset();
  expect_error<RuntimeError>([&] { v1::get_variable("v", {1}); },
                             "Exiting variable_creator_scope without proper nesting.");
  v1::get_variable("w", {1}); // raised once; the outer creator is gone
  inner.reset();
  v1::get_variable("x", {1});
  EXPECT_EQ(log, (std::vector<std::string>{"inner:w"}));
}

TEST_F(V1VariableCreatorTest, CreatorsBelongToTheGraphTheyWereEnteredIn) {
  std::vector<std::string> log;
  v1::variable_creator_scope old_graph(logging_creator("old", &log));
  v1::reset_default_graph();
  v1::get_variable("v", {1});
  v1::variable_creator_scope new_graph(logging_creator("new", &log));
  v1::get_variable("w", {1});
  EXPECT_EQ(log, (std::vector<std::string>{"new:w"}));
}

TEST_F(V1VariableCreatorTest, OtherThreadsAreNotAffected) {
  std::vector<std::string> log;
  v1::variable_creator_scope creators(logging_creator("main", &log));
  std::thread worker([] { v1::get_variable("from_worker", {1}); });
  worker.join();
  v1::get_variable("from_main", {1});
  EXPECT_EQ(log, (std::vector<std::string>{"main:from_main"}));
}

TEST_F(V1VariableCreatorTest, BothFacesCreateTheSameVariables) {
  auto creator = [](const NextCreator& next, CreatorArgs args) {
    if (args.name.ends_with("bias")) args.trainable = false;
    args.initial_value = constant_initializer(0.25);
    return next(std::move(args));
  };
  {
    v1::variable_creator_scope creators(creator);
    v1::variable_scope dense("dense");
    v1::get_variable("kernel", {2, 2});
    v1::get_variable("bias", {2});
  }
  Store store;
  Scope root = store.root_scope();
  Scope c = root.variable_creator_scope(creator);
  Scope dense = c.variable_scope("dense");
  dense.get_variable("kernel", {2, 2});
  dense.get_variable("bias", {2});
  std::vector<Variable> want = v1::global_variables();
  std::vector<Variable> got = store.global_variables();
  ASSERT_EQ(store_names(got), store_names(want));
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].trainable(), want[i].trainable()) << got[i].store_name();
    EXPECT_TRUE(got[i].value().equals(want[i].value())) << got[i].store_name();
  }
  EXPECT_EQ(store_names(store.trainable_variables()), (std::vector<std::string>{"dense/kernel"}));
}

} // namespace
} // namespace varscope
