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
  /// --shard I/N: only the TUs whose main file hashes to I (0 <= I < N);
  /// see shardOf().
  unsigned ShardIndex = 0;
  unsigned ShardCount = 1;
  /// A `[12/200] path` line per finished TU on Log: rewritten in place
  /// (a terminal) or one line each.
  enum class ProgressKind { None, Terminal, Lines } Progress = ProgressKind::None;
};

/// The shard (0..Count-1) of a main file: a hash of its path relative to the
/// database directory Root (absolute when it is outside), so every host
/// agrees whatever its checkout directory.
unsigned shardOf(const std::string &MainFile, const std::string &Root, unsigned Count);

struct CollectResult {
  std::vector<TUFacts> TUs;
  unsigned Parsed = 0;
  unsigned Cached = 0;
};

/// Finds the compile commands, then parses each TU (or reads its cached
/// facts). Errors: no database, unreadable file, compilation failure.
llvm::Expected<CollectResult> collectFacts(const CollectOptions &Opts, llvm::raw_ostream &Log);

} // namespace varscope::facts
