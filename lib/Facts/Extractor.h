//===- Extractor.h - Parse one TU and extract its facts ---------*- C++ -*-===//
#pragma once

#include "Facts/Facts.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

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

} // namespace varscope::facts
