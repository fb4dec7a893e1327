// Facts JSON round trip, check selection and NOLINT handling.
#include "Analysis/Model.h"
#include "ProgramBuilder.h"
#include "Rules/Rules.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

using namespace vstest;

namespace {

TEST(Facts, JSONRoundTripKeepsEveryField) {
  varscope::facts::TUFacts TU;
  TU.MainFile = "/src/a.cpp";
  varscope::facts::Function F = function("main", {scope("s", 1, ReuseArg::Auto), getVar("w", 2, {2, 3}),
                                                  forRange("i", 0, 3, {call("g", {toString(var("i"))}, 4)})});
  F.Body.Body[0].ReuseFix = varscope::facts::Replacement{"/src/a.cpp", 10, 5, ""};
  F.Body.Body[1].DType = "int32";
  TU.Functions.push_back(F);
  std::optional<varscope::facts::TUFacts> Back = varscope::facts::fromJSON(varscope::facts::toJSON(TU));
  ASSERT_TRUE(Back.has_value());
  EXPECT_EQ(Back->MainFile, TU.MainFile);
  ASSERT_EQ(Back->Functions.size(), 1u);
  EXPECT_EQ(Back->Functions[0], TU.Functions[0]);
}

TEST(Facts, MalformedJSONIsRejected) {
  EXPECT_FALSE(varscope::facts::fromJSON("{not json").has_value());
  EXPECT_FALSE(varscope::facts::fromJSON("{\"format\": \"other\"}").has_value());
}

TEST(Rules, ChecksGlobsLastMatchWins) {
  using varscope::rules::checkEnabled;
  EXPECT_TRUE(checkEnabled("", "varscope-unnamed-guard"));
  EXPECT_FALSE(checkEnabled("-*", "varscope-unnamed-guard"));
  EXPECT_TRUE(checkEnabled("-*,varscope-unnamed-*", "varscope-unnamed-guard"));
  EXPECT_FALSE(checkEnabled("*,-varscope-unnamed-guard", "varscope-unnamed-guard"));
  EXPECT_TRUE(checkEnabled("*,-varscope-unnamed-guard", "varscope-shape-mismatch"));
}

TEST(Rules, NolintSuppressesNamedChecksOnly) {
  std::string Path = ::testing::TempDir() + "nolint.cpp";
  {
    std::ofstream Out(Path);
    Out << "a(); // NOLINT(varscope-shape-*)\n"
        << "// NOLINTNEXTLINE\n"
        << "b();\n"
        << "c(); // NOLINT(other-check)\n";
  }
  auto finding = [&](unsigned Line, std::string Id) {
    varscope::rules::Finding F;
    F.Id = std::move(Id);
    F.L = {Path, Line, 1};
    return F;
  };
  EXPECT_TRUE(varscope::rules::isSuppressed(finding(1, "varscope-shape-mismatch")));
  EXPECT_FALSE(varscope::rules::isSuppressed(finding(1, "varscope-unnamed-guard")));
  EXPECT_TRUE(varscope::rules::isSuppressed(finding(3, "varscope-unnamed-guard")));
  EXPECT_FALSE(varscope::rules::isSuppressed(finding(4, "varscope-unnamed-guard")));
  std::remove(Path.c_str());
}

TEST(Rules, AlreadyExistsMessageQuotesTF) {
  varscope::analysis::Program P;
  P.add(function("main", {scope("foo", 1), getVar("v", 2), getVar("v", 3)}));
  varscope::analysis::Result R = varscope::analysis::resolve(P);
  varscope::rules::Context Ctx{P, R};
  std::vector<varscope::rules::Finding> Fs = varscope::rules::runRules(Ctx, "varscope-reuse-already-exists");
  ASSERT_EQ(Fs.size(), 1u);
  EXPECT_EQ(Fs[0].Message, "variable 'foo/v' already exists; TF raises: Variable foo/v already exists, disallowed. "
                           "Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?");
  ASSERT_EQ(Fs[0].Notes.size(), 1u);
  EXPECT_EQ(Fs[0].Notes[0].L.Line, 2u);
}

TEST(Analysis, ShapeStringsFollowTF1) {
  using varscope::analysis::shapeString;
  EXPECT_EQ(shapeString(std::nullopt), "<unknown>");
  EXPECT_EQ(shapeString(varscope::analysis::Dims{}), "()");
  EXPECT_EQ(shapeString(varscope::analysis::Dims{2}), "(2,)");
  EXPECT_EQ(shapeString(varscope::analysis::Dims{-1, 4}), "(?, 4)");
}

} // namespace
