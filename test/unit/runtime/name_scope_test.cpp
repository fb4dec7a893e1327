// tf-semantics.md §2: name scopes, validation and unique_name.
#include "test_util.h"

namespace varscope {
namespace {

using testing::expect_error;

class NameScopeTest : public ::testing::Test {
protected:
  Store store;
  Scope root = store.root_scope();
};

TEST_F(NameScopeTest, UniqueNameIsCaseInsensitiveAndKeepsCapitalisation) {
  EXPECT_EQ(root.unique_name("foo"), "foo");
  EXPECT_EQ(root.unique_name("Foo"), "Foo_1");
}

TEST_F(NameScopeTest, UniqueNameRegistersSuffixedNames) {
  EXPECT_EQ(root.unique_name("foo_2"), "foo_2");
  EXPECT_EQ(root.unique_name("foo"), "foo");
  EXPECT_EQ(root.unique_name("foo"), "foo_1");
  EXPECT_EQ(root.unique_name("foo"), "foo_3");
}

TEST_F(NameScopeTest, UniqueNameOfExistingSuffixGetsSecondSuffix) {
  EXPECT_EQ(root.unique_name("foo_1"), "foo_1");
  EXPECT_EQ(root.unique_name("foo_1"), "foo_1_1");
}

TEST_F(NameScopeTest, UniqueNameWithoutMarkingChangesNothing) {
  EXPECT_EQ(root.unique_name("foo", false), "foo");
  EXPECT_EQ(root.unique_name("foo"), "foo");
  EXPECT_EQ(root.unique_name("foo", false), "foo_1");
  EXPECT_EQ(root.unique_name("foo", false), "foo_1");
}

TEST_F(NameScopeTest, NameScopesAreUniquifiedCaseInsensitively) {
  Scope a = root.name_scope("bar");
  EXPECT_EQ(a.get_name_scope(), "bar");
  Scope b = root.name_scope("Bar");
  EXPECT_EQ(b.get_name_scope(), "Bar_1");
}

TEST_F(NameScopeTest, NameScopesAndOpsShareOneNamespace) {
  Scope ns = root.name_scope("foo");
  EXPECT_EQ(root.unique_name("foo"), "foo_1");
}

TEST_F(NameScopeTest, OpsUnderNameScopeGetSuffixes) {
  Scope foo = root.name_scope("foo");
  EXPECT_EQ(foo.unique_name("add"), "foo/add");
  EXPECT_EQ(foo.unique_name("add"), "foo/add_1");
}

TEST_F(NameScopeTest, TrailingSlashReentersAbsolutelyWithoutUniquifying) {
  Scope foo = root.name_scope("foo");
  Scope again = root.name_scope("foo/");
  EXPECT_EQ(again.get_name_scope(), "foo");
  EXPECT_EQ(again.unique_name("c"), "foo/c");
  Scope third = root.name_scope("foo");
  EXPECT_EQ(third.get_name_scope(), "foo_1");
}

TEST_F(NameScopeTest, DoubleTrailingSlashKeepsOneSlash) {
  Scope s = root.name_scope("foo5//");
  EXPECT_EQ(s.get_name_scope(), "foo5/");
  Scope inner = s.name_scope("foo6");
  EXPECT_EQ(inner.get_name_scope(), "foo5//foo6");
}

TEST_F(NameScopeTest, EmptyNameGoesToRoot) {
  Scope a = root.name_scope("a");
  Scope r = a.name_scope("");
  EXPECT_EQ(r.get_name_scope(), "");
  Scope r2 = a.name_scope(nullptr, nullptr);
  EXPECT_EQ(r2.get_name_scope(), "");
}

TEST_F(NameScopeTest, SlashInsideScopeGoesToRoot) {
  Scope a = root.name_scope("a");
  Scope r = a.name_scope("/");
  EXPECT_EQ(r.get_name_scope(), "");
}

TEST_F(NameScopeTest, RelativeNameWithSlashesIsUniquifiedAsAWhole) {
  Scope foo = root.name_scope("foo");
  Scope s = foo.name_scope("a//b/c");
  EXPECT_EQ(s.get_name_scope(), "foo/a//b/c");
}

TEST_F(NameScopeTest, RootRejectsLeadingUnderscoreDashAndSlash) {
  expect_error<ValueError>([&] { (void)root.name_scope("_x"); }, "'_x' is not a valid scope name");
  expect_error<ValueError>([&] { (void)root.name_scope("-x"); }, "'-x' is not a valid scope name");
  expect_error<ValueError>([&] { (void)root.name_scope("/"); }, "'/' is not a valid scope name");
}

TEST_F(NameScopeTest, NestedAcceptsLeadingUnderscore) {
  Scope a = root.name_scope("a");
  Scope b = a.name_scope("_x");
  EXPECT_EQ(b.get_name_scope(), "a/_x");
}

TEST_F(NameScopeTest, ColonIsNeverValid) {
  Scope a = root.name_scope("a");
  expect_error<ValueError>([&] { (void)a.name_scope("x:y"); }, "'x:y' is not a valid scope name");
}

TEST_F(NameScopeTest, DefaultNameUsedOnlyWithoutName) {
  Scope a = root.name_scope(nullptr, "dflt");
  EXPECT_EQ(a.get_name_scope(), "dflt");
  Scope b = root.name_scope("given", "dflt");
  EXPECT_EQ(b.get_name_scope(), "given");
  Scope c = root.name_scope("", "dflt");
  EXPECT_EQ(c.get_name_scope(), ""); // "" stays "" = root
}

TEST_F(NameScopeTest, V1NameScopeValue) {
  v1::reset_default_graph();
  v1::name_scope a("foo");
  EXPECT_EQ(a.name(), "foo/");
  EXPECT_EQ(v1::get_name_scope(), "foo");
  {
    v1::name_scope b("bar");
    EXPECT_EQ(b.name(), "foo/bar/");
    EXPECT_EQ(v1::get_name_scope(), "foo/bar");
  }
  v1::name_scope c("foo/");
  EXPECT_EQ(c.name(), "foo/");
  v1::name_scope d("");
  EXPECT_EQ(d.name(), "");
  EXPECT_EQ(v1::get_name_scope(), "");
}

TEST_F(NameScopeTest, NameScopeDoesNotAffectVariableNames) {
  Scope ns = root.name_scope("N");
  Variable v = ns.get_variable("v", {1});
  EXPECT_EQ(v.name(), "v:0");
}

} // namespace
} // namespace varscope

namespace varscope {
namespace {

// Variable ops are named by unique_name at the root (tf-semantics.md §5.6);
// the store records plain lower-case variable names implicitly, and this must
// be indistinguishable from TF's explicit bookkeeping.
TEST(VariableOpNamesTest, OpAfterVariableIsUniquified) {
  Store store;
  Scope root = store.root_scope();
  root.get_variable("w", {1});
  EXPECT_EQ(root.unique_name("w"), "w_1");
  EXPECT_EQ(root.unique_name("W"), "W_2");
  EXPECT_EQ(root.unique_name("w_1"), "w_1_1");
}

TEST(VariableOpNamesTest, CaseInsensitiveAgainstVariables) {
  Store store;
  Scope root = store.root_scope();
  root.get_variable("x", {1});
  EXPECT_EQ(root.unique_name("X"), "X_1");
  EXPECT_EQ(root.unique_name("x", false), "x_2");
}

TEST(VariableOpNamesTest, UpperCaseVariableNamesAreRegistered) {
  Store store;
  Scope root = store.root_scope();
  Variable v = root.get_variable("Kernel", {1});
  EXPECT_EQ(v.name(), "Kernel:0");
  EXPECT_EQ(root.unique_name("kernel"), "kernel_1");
}

TEST(VariableOpNamesTest, VariableAfterOpAndAfterVariableOp) {
  Store store;
  Scope root = store.root_scope();
  EXPECT_EQ(root.unique_name("a"), "a");
  Variable a = root.get_variable("a", {1});
  EXPECT_EQ(a.name(), "a_1:0");
  Variable b = root.get_variable("a_1", {1});
  EXPECT_EQ(b.name(), "a_1_1:0");
  Variable c = root.get_variable("a_2", {1});
  EXPECT_EQ(c.name(), "a_2:0");
  EXPECT_EQ(root.unique_name("a"), "a_3");
}

TEST(VariableOpNamesTest, NameScopeAfterVariableIsUniquified) {
  Store store;
  Scope root = store.root_scope();
  root.get_variable("blk", {1});
  Scope ns = root.name_scope("blk");
  EXPECT_EQ(ns.get_name_scope(), "blk_1");
}

} // namespace
} // namespace varscope
