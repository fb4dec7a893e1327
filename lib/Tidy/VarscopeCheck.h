//===- VarscopeCheck.h - The varscope checks as clang-tidy checks -*- C++ -*-===//
//
// One ClangTidyCheck class registered under every rule id of lib/Rules
// (varscope-reuse-already-exists, ...), so clang-tidy's and clangd's check
// globs, NOLINT handling and fix machinery apply to each id. The analysis is
// whole-TU, so it runs once: the first enabled id (in lib/Rules' order) runs
// it at the end of the translation unit and reports every enabled id's
// findings under its own name.
//
// Options (CheckOptions, global keys):
//   VarscopeIndexFile  the merged facts index (`varscope index -o FILE`);
//                      absolute, or relative to an ancestor directory of the
//                      main file. Default: $VARSCOPE_INDEX_FILE, else none.
//   VarscopeMaxUnroll  iterations of a loop with constant bounds; default:
//                      the project config's max_unroll, else 256.
//
// The project config (.varscope.yaml, lib/Driver/Config.h) found from the
// main file's directory also gives entry_points (used with the index).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "clang-tidy/ClangTidyCheck.h"

#include <optional>
#include <string>

namespace varscope::tidy {

class VarscopeCheck : public clang::tidy::ClangTidyCheck {
public:
  VarscopeCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);

  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;

private:
  /// Is this the first enabled varscope id? It does the work for all.
  bool runsAnalysis() const;

  clang::tidy::ClangTidyContext *Tidy;
  std::string Name;
  std::string IndexFile;
  std::optional<unsigned> MaxUnroll;
  clang::ASTContext *AST = nullptr;
};

} // namespace varscope::tidy
