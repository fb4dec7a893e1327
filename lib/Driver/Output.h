//===- Output.h - Text and JSON renderings ----------------------*- C++ -*-===//
#pragma once

#include "Analysis/Model.h"
#include "Rules/Finding.h"

#include "llvm/Support/raw_ostream.h"

#include <vector>

namespace varscope::driver {

/// clang-style: `file:line:col: warning: message [id]`, the source line and
/// a caret, then the notes the same way.
void printFindingsText(const std::vector<rules::Finding> &Findings, llvm::raw_ostream &OS);
void printFindingsJSON(const std::vector<rules::Finding> &Findings, llvm::raw_ostream &OS);

/// The variables of a resolved program, deduplicated by (name, site).
std::vector<const analysis::Variable *> uniqueVariables(const analysis::Result &R);
void printNamesText(const analysis::Result &R, llvm::raw_ostream &OS);
void printNamesJSON(const analysis::Result &R, llvm::raw_ostream &OS);

} // namespace varscope::driver
