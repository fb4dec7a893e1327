//===- Plan.h - The reduce step of `varscope migrate` -----------*- C++ -*-===//
//
// Merges every TU's facts: the whole-program call graph by USR (override sets
// unified), which functions need a scope, which must stay untouched (and, so
// that behaviour never changes, everything connected to them through calls
// of scope-needing functions), and one set of edits per canonical file.
// No Clang here.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Rewrite/Model.h"

#include "llvm/Support/Error.h"

#include <map>
#include <string>
#include <vector>

namespace varscope::rewrite {

struct MigrationPlan {
  /// Final edits per file, sorted by offset, placeholders resolved.
  std::map<std::string, std::vector<Edit>> Files;
  /// Content hash of every file as it was parsed.
  std::map<std::string, std::string> Hashes;
  /// varscope-manual-migration findings, sorted by file and position.
  std::vector<Report> Reports;
  /// Translation units that did not compile.
  std::vector<std::string> FailedTUs;
  /// Qualified names of migrated functions, sorted.
  std::vector<std::string> Migrated;
  /// Entry points other than main, which keep their signature and start
  /// from v1::current_scope() (their files keep <varscope/v1.h>):
  /// "file:line: 'name'".
  std::vector<std::string> Bridged;
};

/// Fails on overlapping different edits (naming both sources).
llvm::Expected<MigrationPlan> planMigration(const std::vector<TUResult> &TUs);

} // namespace varscope::rewrite
