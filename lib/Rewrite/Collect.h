//===- Collect.h - Parse one TU and collect migration facts -----*- C++ -*-===//
#pragma once

#include "Rewrite/Model.h"

#include <string>
#include <vector>

namespace varscope::rewrite {

struct CollectConfig {
  /// The project root (absolute): only files below it are edited.
  std::string Root;
  /// Qualified names of functions that are entry points besides main and
  /// extern "C" functions (the public API): they create the store.
  std::vector<std::string> PublicAPI;
};

/// One compile command.
struct TUCommand {
  std::string Directory;
  std::string File;
  std::vector<std::string> Args; ///< argv, including the compiler
};

/// Parses the TU and collects its functions, candidate edits and reports.
/// A TU that does not compile comes back with Failed set (not an error: it
/// blocks only its own functions).
TUResult collectTU(const TUCommand &Cmd, const CollectConfig &Config);

/// The canonical form of a path: absolute, dots removed, symlinks resolved
/// when the file exists.
std::string canonicalPath(const std::string &Path, const std::string &Base = "");

} // namespace varscope::rewrite
