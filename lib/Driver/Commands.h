//===- Commands.h - The subcommands of the varscope tool --------*- C++ -*-===//
#pragma once

#include "Facts/Collector.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace varscope::driver {

enum class Format { Text, JSON, SARIF };

struct Options {
  facts::CollectOptions Collect;
  Format Fmt = Format::Text;
  std::string Checks;               ///< --checks globs
  std::vector<std::string> Entries; ///< --entry
  unsigned MaxUnroll = 256;
  /// --index: take the facts from this file (`varscope index -o`) instead of
  /// parsing; Collect.Files, when set, selects TUs of the index.
  std::string IndexFile;
  /// --export-fixes: write the fixes as clang-apply-replacements YAML.
  std::string ExportFixes;
  /// --baseline: findings listed there are accepted and not reported.
  std::string Baseline;
  /// --write-baseline: write every current finding there (exit code 0).
  std::string WriteBaseline;
  /// SARIF artifact URIs and baseline paths are relative to this directory
  /// ("" = the current directory).
  std::string SourceRoot;
};

/// `varscope check`: exit code 0 (clean) or 1 (findings); errors (no
/// database, unreadable file, compilation failure) come back as llvm::Error.
llvm::Expected<int> runCheck(const Options &Opts, llvm::raw_ostream &Out, llvm::raw_ostream &Err);
/// `varscope names`: every resolved variable; exit code 0.
llvm::Expected<int> runNames(const Options &Opts, llvm::raw_ostream &Out, llvm::raw_ostream &Err);
/// `varscope --list-checks`.
void listChecks(llvm::raw_ostream &Out);

struct IndexOptions {
  /// The map step's inputs (database, files, shard, jobs, cache).
  facts::CollectOptions Collect;
  /// --merge: merge these index files instead of parsing anything.
  std::vector<std::string> Merge;
  /// -o: where the index goes ("" or "-" = standard output).
  std::string Output;
};

/// `varscope index`: the map step only (or --merge of shard indexes); writes
/// the facts of every TU, sorted by main file, as one canonical JSON file.
llvm::Expected<int> runIndex(const IndexOptions &Opts, llvm::raw_ostream &Out, llvm::raw_ostream &Err);

} // namespace varscope::driver
