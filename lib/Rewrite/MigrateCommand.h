//===- MigrateCommand.h - The `migrate` subcommand's options ----*- C++ -*-===//
//
// tool/varscope.cpp stays option parsing only: the subcommand and its options
// are registered here (static cl objects) and main hands over with
//   if (varscope::rewrite::migrateSelected())
//     return varscope::rewrite::runMigrateCommand(Fixed, outs(), errs());
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace varscope::rewrite {

/// The category of the migrate options (for cl::HideUnrelatedOptions).
llvm::cl::OptionCategory &migrateCategory();
/// True when the command line selected `varscope migrate`.
bool migrateSelected();
/// Runs `varscope migrate` with the parsed options and the flags given after
/// `--` (if any); prints `varscope: error: ...` and returns 2 on errors.
int runMigrateCommand(const std::optional<std::vector<std::string>> &FixedArgs, llvm::raw_ostream &Out,
                      llvm::raw_ostream &Err);

} // namespace varscope::rewrite
