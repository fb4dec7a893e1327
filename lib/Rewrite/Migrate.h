//===- Migrate.h - `varscope migrate` ---------------------------*- C++ -*-===//
#pragma once

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace varscope::rewrite {

struct MigrateOptions {
  /// -p: a directory holding compile_commands.json (or the file itself).
  std::string BuildPath;
  /// Files to migrate; empty = every file of the database.
  std::vector<std::string> Files;
  /// Compiler flags given after `--` (a fixed database).
  std::optional<std::vector<std::string>> FixedArgs;
  /// --root: nothing outside it is edited; default: the database directory
  /// (the current directory with flags after `--`).
  std::string Root;
  /// --public-api: qualified names of entry points besides main and extern "C".
  std::vector<std::string> PublicAPI;
  bool DryRun = false;  ///< print a unified diff
  bool Apply = false;   ///< write the files
  std::string ExportFixes; ///< clang-apply-replacements YAML
  bool Format = true;   ///< reformat touched lines with .clang-format
  unsigned Jobs = 1;
};

/// Runs the migration. Exit code 0 when everything that needed it was
/// migrated (or there was nothing to do), 1 when code was left for manual
/// migration or a TU did not compile (reported on Out); errors (no database,
/// conflicting edits, a changed/read-only file, a path outside the root)
/// come back as llvm::Error and nothing is written.
llvm::Expected<int> runMigrate(const MigrateOptions &Opts, llvm::raw_ostream &Out, llvm::raw_ostream &Err);

} // namespace varscope::rewrite
