//===- Extractor.h - Parse one TU and extract its facts ---------*- C++ -*-===//
#pragma once

#include "Facts/Facts.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class Decl;
} // namespace clang

namespace varscope::facts {

/// One compile command (what compile_commands.json says for a file).
struct Command {
  std::string Directory;
  std::string File;
  std::vector<std::string> Args; ///< argv, including the compiler
};

struct ExtractResult {
  TUFacts Facts;
  /// Every file the TU read (main file and headers), absolute.
  std::vector<std::string> Deps;
};

/// Parses the TU with Clang and extracts its facts. Fails with a message
/// when the file does not compile.
llvm::Expected<ExtractResult> extractFacts(const Command &Cmd);

/// The extractor on an ASTContext someone else built (clang-tidy, clangd):
/// traverse() walks a declaration (the translation unit, or one function)
/// and appends every user function found under it to Out, each once per
/// ASTExtractor. Honours the context's traversal scope for the TU decl.
/// Not thread-safe; the context must outlive it.
class ASTExtractor {
public:
  ASTExtractor(clang::ASTContext &Ctx, TUFacts &Out);
  ~ASTExtractor();
  ASTExtractor(const ASTExtractor &) = delete;
  ASTExtractor &operator=(const ASTExtractor &) = delete;
  void traverse(clang::Decl *D);

private:
  struct Impl;
  std::unique_ptr<Impl> I;
};

} // namespace varscope::facts
