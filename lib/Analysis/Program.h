//===- Program.h - Facts of all TUs merged by USR ---------------*- C++ -*-===//
#pragma once

#include "Facts/Facts.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace varscope::analysis {

/// A function (by USR) whose facts differ between two translation units:
/// a header read under different macros or flags.
struct Inconsistency {
  std::string USR;
  std::string Name;
  facts::Loc L;        ///< the function, as the kept version has it
  std::string KeptTU;  ///< main file whose version the analysis uses
  std::string OtherTU; ///< the first TU that disagreed
};

/// The whole program: every function once (the first definition of a USR
/// wins; inline functions in headers appear in many TUs). Versions that
/// disagree are kept out and recorded (inconsistencies()), not merged.
class Program {
public:
  void add(const facts::TUFacts &TU);
  void add(facts::Function F, const std::string &TU = "");
  const std::vector<Inconsistency> &inconsistencies() const { return Inconsistent; }

  const facts::Function *find(const std::string &USR) const;
  const std::map<std::string, facts::Function> &functions() const { return Functions; }

  /// `main` and every non-lambda function that nobody calls, ordered by
  /// location; or the functions named in Requested (qualified or not).
  std::vector<const facts::Function *> entries(const std::vector<std::string> &Requested) const;

private:
  std::map<std::string, facts::Function> Functions;
  std::map<std::string, std::string> Origin; ///< USR -> TU main file
  std::vector<Inconsistency> Inconsistent;
  std::set<std::string> ReportedUSRs;
};

} // namespace varscope::analysis
