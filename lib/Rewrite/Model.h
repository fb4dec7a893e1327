//===- Model.h - What the migration collects and plans (no Clang) -*- C++ -*-===//
//
// `varscope migrate` works in two steps, like the analyser:
//   map:    each translation unit is parsed once (Collect.h) into a TUResult:
//           its functions (by USR) with their call edges and whether they use
//           the implicit v1 API, and candidate edits guarded by conditions
//           ("applies if function F is migrated");
//   reduce: Plan.h merges every TU, computes which functions need a scope
//           (the whole-program call graph), which must stay untouched
//           (manual migration), and plans one set of edits per file.
//
// Edit text may hold placeholders for names chosen per function in the plan
// step (a declaration in one TU needs the parameter name picked from the
// definition's body in another):
//   "\x01P:<usr>\x02"  the function's scope: its parameter, or the root
//                      scope of an entry point (a *use* of that name)
//   "\x01D:<usr>\x02"  the same name in a shadowing declaration (not a use)
//   "\x01S:<usr>\x02"  the entry point's store variable
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace varscope::rewrite {

std::string usePlaceholder(const std::string &USR);
std::string declPlaceholder(const std::string &USR);
std::string storePlaceholder(const std::string &USR);
/// How a migrated entry point other than main obtains its scope: the
/// calling thread's current v1 scope (varscope/v1.h).
inline constexpr const char *BridgeCall = "varscope::v1::current_scope()";

/// One candidate text edit.
struct Edit {
  std::string File; ///< canonical absolute path
  unsigned Offset = 0;
  unsigned Length = 0;
  std::string Text;
  /// The function (USR) this edit migrates; it applies only when that
  /// function is migrated. "" = file level (applies unless the file holds
  /// code left for manual migration).
  std::string Owner;
  /// When non-empty, the edit also needs one of these functions migrated
  /// (a call site, a lambda capture).
  std::vector<std::string> CondAny;
  /// The root-scope creation of an entry point: dropped when nothing uses
  /// the entry's scope name.
  bool EntryCreation = false;
  /// "file:line: what", for conflict messages.
  std::string Source;
};

/// Code that cannot be migrated safely (varscope-manual-migration).
struct Report {
  std::string File;
  unsigned Line = 0;
  unsigned Col = 0;
  std::string Message;
  /// The function it keeps from being migrated ("" none).
  std::string Owner;
};

/// A function as one TU sees it.
struct FunctionInfo {
  std::string USR;
  std::string Name; ///< qualified, for messages
  std::string File;
  unsigned Line = 0;
  bool Defined = false;  ///< this TU holds the definition (pattern)
  bool Direct = false;   ///< uses the v1 API itself
  bool Entry = false;    ///< main / extern "C" / --public-api
  bool External = false; ///< declared outside the project root
  bool AddressTaken = false;
  std::string AddressTakenWhere;
  std::string ParamName; ///< chosen from the definition body
  std::string StoreName;
  std::set<std::string> Callees;
  std::set<std::string> Overrides;
};

/// A reference to something in varscope::v1 (for the include swap).
struct V1Ref {
  std::string File;
  unsigned Offset = 0;
};

/// `#include <varscope/v1.h>` (the header-name range) or
/// `namespace v1 = varscope::v1;` (the whole line).
struct Site {
  std::string File;
  unsigned Offset = 0;
  unsigned Length = 0;
  std::string Replacement; ///< `<varscope/varscope.h>` (same delimiters) or ""
};

/// Where `#include <varscope/varscope.h>` goes in a file that gains a
/// `varscope::` name but includes no varscope header (a header that only
/// declares functions which now take a scope).
struct IncludePoint {
  unsigned Offset = 0;      ///< start of the line the include goes before
  bool HasVarscope = false; ///< already includes a varscope/ header
  std::string Text;         ///< the include line, with blank lines as needed
};

struct TUResult {
  std::string MainFile;
  bool Failed = false;
  std::string Error;
  std::map<std::string, FunctionInfo> Functions;
  std::vector<Edit> Edits;
  std::vector<Report> Reports;
  std::vector<V1Ref> Refs;
  std::vector<Site> Includes;
  std::vector<Site> Aliases;
  /// Project files this TU read, with the hash of their content.
  std::map<std::string, std::string> Files;
  /// Per project file read by this TU.
  std::map<std::string, IncludePoint> IncludePoints;
};

} // namespace varscope::rewrite
