//===- TUAnalysis.h - Findings of one TU, for the editor checks -*- C++ -*-===//
//
// The analysis behind the clang-tidy checks, without Clang: the facts of one
// translation unit (plus, when available, the project's merged index) go
// through lib/Analysis and lib/Rules exactly as in `varscope check`.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Facts/Facts.h"
#include "Rules/Finding.h"
#include "Tidy/IndexFile.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace varscope::tidy {

struct TUAnalysisOptions {
  /// Is this check id enabled? (clang-tidy's --checks / .clangd config.)
  std::function<bool(const std::string &)> Enabled;
  /// The project's merged facts; null = resolve within the TU.
  std::shared_ptr<const Index> ProjectIndex;
  /// Entry points (the project config's entry_points); used with the index
  /// only: one file alone rarely holds them.
  std::vector<std::string> Entries;
  unsigned MaxUnroll = 256;
};

/// The note added, without an index, to a finding whose result depends on
/// the callers of Function (an entry point other than main).
std::string singleFileNote(const std::string &Function);

/// Runs the enabled rules on the TU (merged with the index when given) and
/// returns their findings, de-duplicated and sorted like `varscope check`.
/// Suppression comments are left to clang-tidy, which reads the editor's
/// buffer rather than the file on disk. Without an index, findings whose
/// outcome depends on callers in other files get singleFileNote().
std::vector<rules::Finding> analyseTU(const facts::TUFacts &TU, const TUAnalysisOptions &Opts);

} // namespace varscope::tidy
