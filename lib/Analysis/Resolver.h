//===- Resolver.h - Abstract interpretation with TF's scope rules -*- C++ -*-===//
#pragma once

#include "Analysis/Model.h"
#include "Analysis/Program.h"

#include <string>
#include <vector>

namespace varscope::analysis {

struct ResolverOptions {
  std::vector<std::string> Entries; ///< --entry; empty = main + uncalled functions
  unsigned MaxUnroll = 256;         ///< iterations of a loop with known bounds
  unsigned MaxDepth = 64;           ///< call depth
  unsigned Budget = 20000000;       ///< statements interpreted, in total
};

/// Interprets the program from its entry points (each with a fresh store and
/// thread state) and returns the resolved variables and events.
Result resolve(const Program &P, const ResolverOptions &Opts = {});

} // namespace varscope::analysis
