//===- IndexFile.h - The merged facts index, loaded once --------*- C++ -*-===//
//
// `varscope index -o FILE` writes the facts of every TU of the project. The
// editor checks read it so that a function is analysed under the scopes its
// callers in other files open. Loading is cached per path and modification
// time; the cache is thread-safe (clangd builds ASTs on several threads).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Facts/Facts.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace varscope::tidy {

/// Every function of the project, as merged by `varscope index`.
struct Index {
  std::string Path;
  std::vector<facts::Function> Functions;
};

/// Parses what `varscope index -o FILE` writes (facts::indexFromJSON), or a
/// single facts document.
llvm::Expected<Index> parseIndex(const std::string &Path, const std::string &Text);

/// Loads (or returns the cached) index at Path. Thread-safe.
llvm::Expected<std::shared_ptr<const Index>> loadIndex(const std::string &Path);

/// Where the index of MainFile is: Configured if absolute; if relative, the
/// first `<ancestor of MainFile's directory>/<Configured>` that exists; ""
/// when Configured is empty or nothing exists.
std::string findIndexFile(const std::string &Configured, const std::string &MainFile);

} // namespace varscope::tidy
