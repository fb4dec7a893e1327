//===- Collector.h - Facts for a set of files (DB, cache, jobs) -*- C++ -*-===//
#pragma once

#include "Facts/Facts.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace varscope::facts {

struct CollectOptions {
  /// -p: a directory holding compile_commands.json (or the file itself).
  std::string BuildPath;
  /// Files to analyse; empty = every file of the database.
  std::vector<std::string> Files;
  /// Compiler flags given after `--` (a fixed database); used when set.
  std::optional<std::vector<std::string>> FixedArgs;
  /// Where parsed facts are cached; "" = the database directory's
  /// .varscope-cache, "none" = no cache.
  std::string CacheDir;
  unsigned Jobs = 1;
  bool Verbose = false;
};

struct CollectResult {
  std::vector<TUFacts> TUs;
  unsigned Parsed = 0;
  unsigned Cached = 0;
};

/// Finds the compile commands, then parses each TU (or reads its cached
/// facts). Errors: no database, unreadable file, compilation failure.
llvm::Expected<CollectResult> collectFacts(const CollectOptions &Opts, llvm::raw_ostream &Log);

} // namespace varscope::facts
