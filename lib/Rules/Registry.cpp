//===- Registry.cpp - The list of rules, selection and suppression --------===//
#include "Rules/Rules.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>

namespace varscope::rules {

const std::vector<RuleInfo> &allRules() {
  static const std::vector<RuleInfo> Rules = {
      {"varscope-reuse-already-exists", "get_variable creates a name that already exists while reuse is off",
       checkReuseAlreadyExists, "error",
       "get_variable is called with reuse off (the default) for a full name that already exists in the store. "
       "TF raises ValueError: Variable <name> already exists, disallowed. Open the scope with reuse=True or "
       "AUTO_REUSE, call reuse_variables(), or give the second variable another name."},
      {"varscope-reuse-does-not-exist", "get_variable reuses a name that was never created", checkReuseDoesNotExist,
       "error",
       "get_variable is called with reuse=True for a full name that no earlier call created. TF raises "
       "ValueError: Variable <name> does not exist, or was not created with tf.get_variable(). Create it first, "
       "use AUTO_REUSE, or check the scope names on the path."},
      {"varscope-shape-mismatch", "a variable is reused with a shape incompatible with its creation",
       checkShapeMismatch, "error",
       "An existing variable is reused with a shape that is not compatible with the shape it was created with. "
       "TF raises ValueError: Trying to share variable <name>, but specified shape ... and found shape ...."},
      {"varscope-dtype-mismatch", "a variable is reused with another dtype than its creation", checkDTypeMismatch,
       "error",
       "An existing variable is reused with an explicit dtype different from the one it was created with. TF "
       "raises ValueError: Trying to share variable <name>, but specified dtype ... and found dtype ...."},
      {"varscope-partition-mismatch", "a partitioned variable is reused with another partitioning",
       checkPartitionMismatch, "error",
       "A partitioned variable is reused with a partitioner that splits it into another number of shards. TF "
       "raises ValueError: Trying to reuse partitioned variable <name>, but specified partitions ...."},
      {"varscope-unnamed-guard", "an unnamed scope guard ends at the end of its own statement", checkUnnamedGuard,
       "warning",
       "v1::variable_scope(\"x\"); builds a temporary guard that is destroyed at the end of its own statement, so "
       "the scope applies to nothing that follows (the C++ counterpart of forgetting `with`). The fix names the "
       "guard."},
      {"varscope-redundant-reuse-false", "reuse = false has no effect (it means inherit)", checkRedundantReuseFalse,
       "warning",
       "variable_scope replaces reuse=False by None: it inherits the enclosing scope's reuse flag and can never "
       "switch reuse off. Writing it suggests an intent the code does not have. The fix removes it."},
      {"varscope-name-scope-ignored", "a name_scope does not prefix the variables created in it", checkNameScopeIgnored,
       "warning",
       "get_variable ignores name scopes: a variable created under v1::name_scope(\"n\") is named after the "
       "variable scope only. Use a variable_scope when the name should carry the prefix."},
      {"varscope-unresolved-name", "a variable name that cannot be resolved statically", checkUnresolvedName, "note",
       "The full name of a variable depends on a value the analyser cannot follow (a function result, a "
       "container element, a member that is not set in a visible way). Reuse checks skip this variable. Also "
       "reported: a partitioned variable whose partitioner's shard count cannot be computed statically (a custom "
       "partitioner that reads the shape); its shard names are not listed."},
      {"varscope-thread-root-scope", "a new thread creates variables at the root scope, not the spawner's",
       checkThreadRootScope, "warning",
       "TF keeps the current variable scope per thread and a new thread starts at the root scope, so variables "
       "created in a std::thread are not prefixed by the scope that was open where the thread was started. "
       "Capture the scope and re-enter it inside the thread."},
      {"varscope-default-name-reentry",
       "a default-named scope is uniquified inside a reusing scope, so its variables are not shared",
       checkDefaultNameReentry, "warning",
       "variable_scope(nullptr, \"dense\") picks a fresh name (dense, dense_1, ...) each time it is entered, even "
       "when the enclosing scope reuses variables: the second entry creates dense_1/... (AUTO_REUSE) or fails "
       "with 'does not exist' (reuse=True) instead of sharing dense/.... Give the scope an explicit name, or "
       "re-enter the captured scope, to share the variables."},
      {"varscope-inconsistent-definition",
       "a function reads differently in two translation units (macros or flags differ)",
       checkInconsistentDefinition, "warning",
       "An inline function or template from a header is seen by several translation units, and what it does "
       "with scopes and variables differs between them (an #ifdef, a macro or a flag that differs per TU). "
       "The variables the program creates then depend on which TU's copy runs. The analysis uses the first "
       "version and reports the disagreement instead of merging silently."},
  };
  return Rules;
}

const RuleInfo *findRule(const std::string &Id) {
  for (const RuleInfo &R : allRules())
    if (Id == R.Id)
      return &R;
  return nullptr;
}

bool globMatch(const std::string &Glob, const std::string &Text) {
  // Iterative wildcard match with backtracking on the last '*'.
  size_t G = 0, T = 0, Star = std::string::npos, Mark = 0;
  while (T < Text.size()) {
    if (G < Glob.size() && Glob[G] == '*') {
      Star = G++;
      Mark = T;
    } else if (G < Glob.size() && Glob[G] == Text[T]) {
      ++G;
      ++T;
    } else if (Star != std::string::npos) {
      G = Star + 1;
      T = ++Mark;
    } else {
      return false;
    }
  }
  while (G < Glob.size() && Glob[G] == '*')
    ++G;
  return G == Glob.size();
}

static std::string trim(const std::string &S) {
  size_t B = S.find_first_not_of(" \t");
  if (B == std::string::npos)
    return "";
  size_t E = S.find_last_not_of(" \t");
  return S.substr(B, E - B + 1);
}

bool checkEnabled(const std::string &Checks, const std::string &Id) {
  bool Enabled = true;
  if (trim(Checks).empty())
    return true;
  Enabled = false;
  size_t Pos = 0;
  while (Pos <= Checks.size()) {
    size_t Comma = Checks.find(',', Pos);
    std::string Glob = trim(Checks.substr(Pos, Comma == std::string::npos ? std::string::npos : Comma - Pos));
    Pos = Comma == std::string::npos ? Checks.size() + 1 : Comma + 1;
    if (Glob.empty())
      continue;
    bool Negative = Glob[0] == '-';
    if (Negative)
      Glob = trim(Glob.substr(1));
    if (globMatch(Glob, Id))
      Enabled = !Negative;
  }
  return Enabled;
}

namespace {

/// Lines of source files, read once.
class LineCache {
public:
  const std::string *line(const std::string &File, unsigned Line) {
    auto It = Files.find(File);
    if (It == Files.end()) {
      std::vector<std::string> Lines;
      std::ifstream In(File);
      for (std::string L; std::getline(In, L);)
        Lines.push_back(L);
      It = Files.emplace(File, std::move(Lines)).first;
    }
    if (Line == 0 || Line > It->second.size())
      return nullptr;
    return &It->second[Line - 1];
  }

private:
  std::map<std::string, std::vector<std::string>> Files;
};

/// Does the comment on this line carry Marker (NOLINT / NOLINTNEXTLINE) that
/// covers Id?
bool covers(const std::string &Line, const std::string &Marker, const std::string &Id) {
  size_t P = 0;
  while ((P = Line.find(Marker, P)) != std::string::npos) {
    size_t After = P + Marker.size();
    P = After;
    // NOLINT must not match the NOLINTNEXTLINE marker and vice versa.
    if (Marker == "NOLINT" && Line.compare(After, 8, "NEXTLINE") == 0)
      continue;
    if (After >= Line.size() || Line[After] != '(')
      return true;
    size_t Close = Line.find(')', After);
    std::string List = Line.substr(After + 1, Close == std::string::npos ? std::string::npos : Close - After - 1);
    size_t Pos = 0;
    while (Pos <= List.size()) {
      size_t Comma = List.find(',', Pos);
      std::string Glob = trim(List.substr(Pos, Comma == std::string::npos ? std::string::npos : Comma - Pos));
      Pos = Comma == std::string::npos ? List.size() + 1 : Comma + 1;
      if (!Glob.empty() && globMatch(Glob, Id))
        return true;
    }
  }
  return false;
}

LineCache &lineCache() {
  thread_local LineCache C;
  return C;
}

} // namespace

bool isSuppressed(const Finding &F) {
  LineCache &C = lineCache();
  if (const std::string *L = C.line(F.L.File, F.L.Line); L && covers(*L, "NOLINT", F.Id))
    return true;
  if (const std::string *L = C.line(F.L.File, F.L.Line - 1); L && covers(*L, "NOLINTNEXTLINE", F.Id))
    return true;
  return false;
}

std::vector<Finding> runRules(const Context &Ctx, const std::string &Checks) {
  std::vector<Finding> All;
  for (const RuleInfo &R : allRules()) {
    if (!checkEnabled(Checks, R.Id))
      continue;
    std::vector<Finding> Out;
    R.Run(Ctx, Out);
    for (Finding &F : Out) {
      F.Id = R.Id;
      All.push_back(std::move(F));
    }
  }
  std::vector<Finding> Kept;
  for (Finding &F : All) {
    if (isSuppressed(F))
      continue;
    bool Dup = std::any_of(Kept.begin(), Kept.end(),
                           [&](const Finding &K) { return K.Id == F.Id && K.L == F.L && K.Message == F.Message; });
    if (!Dup)
      Kept.push_back(std::move(F));
  }
  std::sort(Kept.begin(), Kept.end(), [](const Finding &A, const Finding &B) {
    return std::tie(A.L.File, A.L.Line, A.L.Col, A.Id, A.Message) <
           std::tie(B.L.File, B.L.Line, B.L.Col, B.Id, B.Message);
  });
  return Kept;
}

std::string scopeDescription(const std::string &ScopeName) {
  return ScopeName.empty() ? "at the root variable scope" : "in variable scope '" + ScopeName + "'";
}

void addCallPathNotes(const analysis::CallPath &Path, std::vector<Note> &Notes) {
  for (auto It = Path.rbegin(); It != Path.rend(); ++It)
    Notes.push_back({It->Site, "'" + It->Callee + "' called here " + scopeDescription(It->Scope)});
}

} // namespace varscope::rules
