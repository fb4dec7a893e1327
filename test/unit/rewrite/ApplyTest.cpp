//===- ApplyTest.cpp - computeChanges / applyAtomically -------------------===//
//
// The bad-input and formatting contracts of `varscope migrate --apply` that a
// whole-command test cannot reach: a file that changed between parsing and
// writing (hash mismatch), a path outside the root, formatting of touched
// lines only with the project's .clang-format, CRLF kept, file modes kept.
//
//===----------------------------------------------------------------------===//
#include "Rewrite/Apply.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace varscope::rewrite {
namespace {

class ApplyTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> Dir;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("varscope-apply", Dir));
    llvm::SmallString<128> Real;
    ASSERT_FALSE(llvm::sys::fs::real_path(Dir, Real));
    Root = std::string(Real);
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Root); }

  std::string write(const std::string &Name, const std::string &Text) {
    std::string Path = Root + "/" + Name;
    std::ofstream(Path, std::ios::binary) << Text;
    return Path;
  }
  static std::string read(const std::string &Path) {
    std::ifstream In(Path, std::ios::binary);
    std::stringstream SS;
    SS << In.rdbuf();
    return SS.str();
  }
  static std::string hash(const std::string &Text) { return llvm::utohexstr(llvm::xxh3_64bits(Text)); }
  /// A plan that inserts `Text` at `Offset` of `Path`, parsed from `Parsed`.
  static MigrationPlan plan(const std::string &Path, const std::string &Parsed, unsigned Offset, unsigned Length,
                            const std::string &Text) {
    MigrationPlan P;
    Edit E;
    E.File = Path;
    E.Offset = Offset;
    E.Length = Length;
    E.Text = Text;
    E.Source = "test";
    P.Files[Path].push_back(E);
    P.Hashes[Path] = hash(Parsed);
    return P;
  }
  static std::string message(llvm::Error E) { return llvm::toString(std::move(E)); }

  std::string Root;
};

TEST_F(ApplyTest, FileChangedSinceParsedIsAnErrorAndNothingIsWritten) {
  const std::string Parsed = "void f() {}\n";
  std::string Path = write("a.cpp", "void f() { /* edited meanwhile */ }\n");
  auto Changes = computeChanges(plan(Path, Parsed, 7, 0, "int x"), Root, /*CheckWritable=*/true, /*Format=*/false);
  ASSERT_FALSE(Changes);
  EXPECT_EQ(message(Changes.takeError()), "'" + Path + "' changed since it was parsed; run varscope migrate again");
  EXPECT_EQ(read(Path), "void f() { /* edited meanwhile */ }\n");
}

TEST_F(ApplyTest, PathOutsideRootIsRefused) {
  llvm::SmallString<128> Other;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("varscope-outside", Other));
  std::string Path = std::string(Other) + "/b.cpp";
  std::ofstream(Path) << "void g();\n";
  auto Changes = computeChanges(plan(Path, "void g();\n", 7, 0, "int"), Root, true, false);
  ASSERT_FALSE(Changes);
  EXPECT_EQ(message(Changes.takeError()),
            "refusing to edit '" + Path + "': it is outside the project root '" + Root + "'");
  EXPECT_EQ(read(Path), "void g();\n");
  llvm::sys::fs::remove_directories(Other);
}

TEST_F(ApplyTest, ReadOnlyFileIsAnError) {
  const std::string Text = "void h();\n";
  std::string Path = write("ro.cpp", Text);
  ASSERT_EQ(::chmod(Path.c_str(), 0444), 0);
  auto Changes = computeChanges(plan(Path, Text, 7, 0, "int"), Root, true, false);
  ASSERT_FALSE(Changes);
  EXPECT_EQ(message(Changes.takeError()), "'" + Path + "' is not writable");
  // A dry run (no write check) still computes the change.
  auto Dry = computeChanges(plan(Path, Text, 7, 0, "int"), Root, false, false);
  ASSERT_TRUE(bool(Dry)) << message(Dry.takeError());
  ASSERT_EQ(Dry->size(), 1u);
  EXPECT_EQ((*Dry)[0].After, "void h(int);\n");
}

TEST_F(ApplyTest, ClangFormatReformatsOnlyTouchedLines) {
  write(".clang-format", "BasedOnStyle: LLVM\nIndentWidth: 4\n");
  // Line 1 is badly formatted and not touched: it must stay as it is.
  const std::string Text = "int   untouched ( int a ) ;\n"
                           "void f(int units) {\n"
                           "    int y = units;\n"
                           "}\n";
  std::string Path = write("fmt.cpp", Text);
  unsigned Offset = static_cast<unsigned>(Text.find("int units"));
  auto Changes = computeChanges(plan(Path, Text, Offset, 0, "varscope::Scope   &scope ,  "), Root, true,
                                /*Format=*/true);
  ASSERT_TRUE(bool(Changes)) << message(Changes.takeError());
  ASSERT_EQ(Changes->size(), 1u);
  EXPECT_EQ((*Changes)[0].After, "int   untouched ( int a ) ;\n"
                                 "void f(varscope::Scope &scope, int units) {\n"
                                 "    int y = units;\n"
                                 "}\n");
  // Without formatting the edit text is kept verbatim.
  auto Raw = computeChanges(plan(Path, Text, Offset, 0, "varscope::Scope   &scope ,  "), Root, true, false);
  ASSERT_TRUE(bool(Raw));
  EXPECT_EQ((*Raw)[0].After, "int   untouched ( int a ) ;\n"
                             "void f(varscope::Scope   &scope ,  int units) {\n"
                             "    int y = units;\n"
                             "}\n");
}

TEST_F(ApplyTest, NoClangFormatFileMeansNoFormatting) {
  const std::string Text = "void f(int units) {}\n";
  std::string Path = write("nofmt.cpp", Text);
  auto Changes = computeChanges(plan(Path, Text, 7, 0, "varscope::Scope&   scope, "), Root, true, true);
  ASSERT_TRUE(bool(Changes)) << message(Changes.takeError());
  EXPECT_EQ((*Changes)[0].After, "void f(varscope::Scope&   scope, int units) {}\n");
}

TEST_F(ApplyTest, CrlfLineEndingsAreKept) {
  const std::string Text = "void f() {\r\n  g();\r\n}\r\n";
  std::string Path = write("crlf.cpp", Text);
  auto Changes = computeChanges(plan(Path, Text, 10, 0, "\n  varscope::Store store;"), Root, true, false);
  ASSERT_TRUE(bool(Changes)) << message(Changes.takeError());
  EXPECT_EQ((*Changes)[0].After, "void f() {\r\n  varscope::Store store;\r\n  g();\r\n}\r\n");
}

TEST_F(ApplyTest, ApplyAtomicallyWritesEveryFileAndKeepsModes) {
  std::string A = write("a.cpp", "a\n"), B = write("b.sh", "b\n");
  ASSERT_EQ(::chmod(B.c_str(), 0755), 0);
  ASSERT_FALSE(bool(applyAtomically({{A, "a\n", "A\n"}, {B, "b\n", "B\n"}})));
  EXPECT_EQ(read(A), "A\n");
  EXPECT_EQ(read(B), "B\n");
  struct stat St;
  ASSERT_EQ(::stat(B.c_str(), &St), 0);
  EXPECT_EQ(St.st_mode & 0777, 0755u);
  // No temporary files are left next to the originals.
  std::error_code EC;
  unsigned Entries = 0;
  for (llvm::sys::fs::directory_iterator It(Root, EC), End; It != End && !EC; It.increment(EC))
    ++Entries;
  EXPECT_EQ(Entries, 2u);
}

} // namespace
} // namespace varscope::rewrite
