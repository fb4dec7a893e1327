//===- Apply.h - Edits to files: diff, YAML, atomic write -------*- C++ -*-===//
#pragma once

#include "Rewrite/Plan.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace varscope::rewrite {

/// One file's content before and after the migration.
struct FileChange {
  std::string File;
  std::string Before;
  std::string After;
};

/// Applies each file's edits in memory: checks the file is below Root,
/// unchanged since it was parsed (hash) and, with CheckWritable, writable;
/// keeps CRLF line endings; with Format, reformats the touched lines with the
/// project's .clang-format (when there is one). Any problem is an error and
/// nothing is returned.
llvm::Expected<std::vector<FileChange>> computeChanges(const MigrationPlan &Plan, const std::string &Root,
                                                       bool CheckWritable, bool Format);

/// A unified diff (`--- a/<path>` / `+++ b/<path>`, paths relative to Root).
void printUnifiedDiff(const FileChange &C, const std::string &Root, llvm::raw_ostream &OS);

/// clang-apply-replacements YAML of the plan's edits.
llvm::Error exportFixes(const MigrationPlan &Plan, const std::string &Path);

/// Writes every file or none: each new content goes to a temporary file next
/// to the original (with its mode), then all are renamed over the originals;
/// a failure restores what was already replaced.
llvm::Error applyAtomically(const std::vector<FileChange> &Changes);

} // namespace varscope::rewrite
