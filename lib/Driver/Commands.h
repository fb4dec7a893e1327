//===- Commands.h - The subcommands of the varscope tool --------*- C++ -*-===//
#pragma once

#include "Facts/Collector.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace varscope::driver {

enum class Format { Text, JSON };

struct Options {
  facts::CollectOptions Collect;
  Format Fmt = Format::Text;
  std::string Checks;               ///< --checks globs
  std::vector<std::string> Entries; ///< --entry
  unsigned MaxUnroll = 256;
};

/// `varscope check`: exit code 0 (clean) or 1 (findings); errors (no
/// database, unreadable file, compilation failure) come back as llvm::Error.
llvm::Expected<int> runCheck(const Options &Opts, llvm::raw_ostream &Out, llvm::raw_ostream &Err);
/// `varscope names`: every resolved variable; exit code 0.
llvm::Expected<int> runNames(const Options &Opts, llvm::raw_ostream &Out, llvm::raw_ostream &Err);
/// `varscope --list-checks`.
void listChecks(llvm::raw_ostream &Out);

} // namespace varscope::driver
