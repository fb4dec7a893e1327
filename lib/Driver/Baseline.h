//===- Baseline.h - Accepted findings ---------------------------*- C++ -*-===//
//
// A baseline lists findings a project has accepted, so CI fails only on new
// ones. Entries are matched by fingerprint (check id, subject = full
// variable name, file relative to the source root): moving code within a
// file keeps a finding accepted, a new variable or another file does not.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Rules/Finding.h"

#include "llvm/Support/Error.h"

#include <set>
#include <string>
#include <vector>

namespace varscope::driver {

/// Writes every finding (sorted, one entry per fingerprint) to Path.
llvm::Error writeBaseline(const std::vector<rules::Finding> &Findings, const std::string &Root,
                          const std::string &Path);

/// The fingerprints listed in a baseline file.
llvm::Expected<std::set<std::string>> readBaseline(const std::string &Path);

/// Removes the findings whose fingerprint is in Accepted; returns how many.
unsigned applyBaseline(std::vector<rules::Finding> &Findings, const std::set<std::string> &Accepted,
                       const std::string &Root);

} // namespace varscope::driver
