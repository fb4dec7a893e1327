//===- Rules.h - The diagnostics and how they are selected ------*- C++ -*-===//
#pragma once

#include "Analysis/Model.h"
#include "Analysis/Program.h"
#include "Rules/Finding.h"

#include <string>
#include <vector>

namespace varscope::rules {

/// What every rule reads: the merged facts and the resolved program.
struct Context {
  const analysis::Program &Prog;
  const analysis::Result &Res;
};

using RuleFn = void (*)(const Context &, std::vector<Finding> &);

struct RuleInfo {
  const char *Id;
  const char *Summary;
  RuleFn Run;
  /// SARIF level: "error" for what TF raises at run time, "warning" for
  /// lint findings, "note" for the limits of the analysis.
  const char *Level = "warning";
  /// What it means, in a few sentences (the long form with examples is
  /// docs/diagnostics/<id>.md).
  const char *Description = "";
};

/// The rule with this id, or null.
const RuleInfo *findRule(const std::string &Id);

/// Every rule, in priority order.
const std::vector<RuleInfo> &allRules();

/// clang-tidy style globs: "*,-varscope-name-scope-ignored"; the last
/// matching glob wins; an empty string enables everything.
bool checkEnabled(const std::string &Checks, const std::string &Id);
bool globMatch(const std::string &Glob, const std::string &Text);

/// True if a `// NOLINT(...)` on the finding's line or a
/// `// NOLINTNEXTLINE(...)` on the line above names the finding's id
/// (globs allowed; no list = every check).
bool isSuppressed(const Finding &F);

/// Runs the enabled rules, drops suppressed and duplicate findings, and
/// sorts the rest by file, line, column and id.
std::vector<Finding> runRules(const Context &Ctx, const std::string &Checks);

// Helpers shared by the rules.
/// "'dense' called here (variable scope 'layer_1')" notes, innermost first.
void addCallPathNotes(const analysis::CallPath &Path, std::vector<Note> &Notes);
std::string scopeDescription(const std::string &ScopeName);

// The rules (one file each).
void checkReuseAlreadyExists(const Context &, std::vector<Finding> &);
void checkReuseDoesNotExist(const Context &, std::vector<Finding> &);
void checkShapeMismatch(const Context &, std::vector<Finding> &);
void checkDTypeMismatch(const Context &, std::vector<Finding> &);
void checkPartitionMismatch(const Context &, std::vector<Finding> &);
void checkUnnamedGuard(const Context &, std::vector<Finding> &);
void checkRedundantReuseFalse(const Context &, std::vector<Finding> &);
void checkNameScopeIgnored(const Context &, std::vector<Finding> &);
void checkUnresolvedName(const Context &, std::vector<Finding> &);
void checkThreadRootScope(const Context &, std::vector<Finding> &);
void checkDefaultNameReentry(const Context &, std::vector<Finding> &);
void checkInconsistentDefinition(const Context &, std::vector<Finding> &);

} // namespace varscope::rules
