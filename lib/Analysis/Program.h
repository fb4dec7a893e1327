//===- Program.h - Facts of all TUs merged by USR ---------------*- C++ -*-===//
#pragma once

#include "Facts/Facts.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace varscope::analysis {

/// The whole program: every function once (the first definition of a USR
/// wins; inline functions in headers appear in many TUs).
class Program {
public:
  void add(const facts::TUFacts &TU);
  void add(facts::Function F);

  const facts::Function *find(const std::string &USR) const;
  const std::map<std::string, facts::Function> &functions() const { return Functions; }

  /// `main` and every non-lambda function that nobody calls, ordered by
  /// location; or the functions named in Requested (qualified or not).
  std::vector<const facts::Function *> entries(const std::vector<std::string> &Requested) const;

private:
  std::map<std::string, facts::Function> Functions;
};

} // namespace varscope::analysis
