//===- Translator.h - One function body to facts (private) ------*- C++ -*-===//
//
// Private to lib/Facts: the Translator turns one Clang function body into the
// abstract statements of Facts.h (values and options in Translator.cpp's first
// half, statements in its second). Extractor.cpp finds the functions and runs
// Clang; these two are the only files of lib/ that include Clang's AST headers.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Facts/Facts.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"

#include <optional>
#include <string>
#include <vector>

namespace varscope::facts {

using namespace clang;

/// Helpers shared by the two halves of the Translator (Translator.cpp).
std::string qualifiedName(const NamedDecl *D);
/// T (references and sugar removed) is the class Name ("std::basic_string").
bool isRecord(QualType T, llvm::StringRef Name);
bool isGuardType(QualType T);
bool isNameScopeType(QualType T);
bool isVariableScopeType(QualType T);
/// std::function, varscope::Function and the like: a type-erased callable
/// whose call operator runs whatever closure it holds.
bool isCallableWrapperType(QualType T);
/// A lambda's closure type, or a callable wrapper.
bool isCallableType(QualType T);
/// Strips the wrappers Clang puts around values.
const Expr *strip(const Expr *E);
/// "float32" for varscope::float32 / DType::Float32 and the other spellings.
const char *dtypeName(llvm::StringRef N);

/// Translates the body of one function. Not thread-safe; one per function.
class Translator {
public:
  Translator(ASTContext &Ctx, const FunctionDecl *Fn) : Ctx(Ctx), SM(Ctx.getSourceManager()), Fn(Fn) {}
  Loc loc(SourceLocation B, SourceLocation E = {}) const;
  std::string fileName(SourceLocation L) const;
  std::string text(const Expr *E) const;
  std::string idOf(const Decl *D);

  // -- values ---------------------------------------------------------------
  Value value(const Expr *E);
  Value valueImpl(const Expr *E);
  /// A reference to D as this function sees it; Ref is the expression that
  /// names it (null for an implicit lambda capture).
  Value declValue(const ValueDecl *D, const Expr *Ref);
  /// The closure a lambda expression creates: its call operator and, per
  /// capture, the id the body uses and the value captured here.
  Value closure(const LambdaExpr *LE);

  // -- options structs --------------------------------------------------------
  /// The semantic InitListExpr of an options argument, or null (defaults or
  /// not a braced list).
  const InitListExpr *optionsList(const Expr *Arg, bool &IsDefault);
  static bool specified(const Expr *Init);

  /// Calls F(FieldName, Init) for each field written in the list.
  template <class F> void forEachField(const InitListExpr *ILE, F &&Fn) {
    const RecordDecl *RD = ILE->getType()->getAsRecordDecl();
    if (!RD)
      return;
    unsigned I = 0;
    for (const FieldDecl *FD : RD->fields()) {
      if (I >= ILE->getNumInits())
        break;
      const Expr *Init = ILE->getInit(I++);
      if (specified(Init))
        Fn(FD->getName(), Init);
    }
  }
  static const DeclRefExpr *findDeclRef(const clang::Stmt *S, llvm::function_ref<bool(const DeclRefExpr *)> P);
  template <class T> static const T *findFirst(const clang::Stmt *S) {
    if (!S)
      return nullptr;
    if (const auto *X = dyn_cast<T>(S))
      return X;
    for (const clang::Stmt *C : S->children())
      if (const T *R = findFirst<T>(C))
        return R;
    return nullptr;
  }
  std::string dtypeOf(const Expr *Init);

  /// value() of a std::optional argument: Null for std::nullopt / {}.
  Value optionalValue(const Expr *A);
  static Value nullValue();
  PartitionerFact partitionerOf(const Expr *Init);
  /// A custom partitioner (lambda, function, or a local holding a lambda)
  /// whose body is one `return {n0, n1, ...};`: Listed with the counts, else
  /// std::nullopt.
  std::optional<PartitionerFact> listedPartitioner(const Expr *Init);
  void readShape(const Expr *Init, Stmt &S);
  void readVarScopeOptions(const Expr *Arg, Stmt &S);

  /// The edit that deletes `.Field = value` (and its comma) from a braced
  /// options list, or the whole `, {...}` argument when it is the only one.
  std::optional<Replacement> removalOfDesignator(const InitListExpr *Semantic, llvm::StringRef Field, const Expr *Arg);

  // -- statements -------------------------------------------------------------
  /// A v1::variable_scope construction.
  Stmt guard(const CXXConstructExpr *CE, SourceLocation At, std::string Id, bool Temporary);

  /// "field:<name>" for a data member of `this` (implicit or explicit), else "".
  static std::string fieldOf(const Expr *E);

  /// Where a VariableScope value comes from: "" = the current scope, an id
  /// of a guard or captured VariableScope local, "?" = unknown.
  std::string scopeSource(const Expr *E);
  Stmt nameScope(const CXXConstructExpr *CE, SourceLocation At, std::string Id, bool Temporary);

  /// The fix naming an unnamed guard: `v1::variable_scope("x")` becomes
  /// `v1::variable_scope vs_x("x")`.
  std::optional<Replacement> nameGuardFix(const Expr *E, const Value &Name);
  std::optional<Replacement> autoReuseFix(const CXXConstructExpr *CE, const Stmt &S, const std::string &Qualifier);
  void getVariable(const CallExpr *Call, const FunctionDecl *FD, std::vector<Stmt> &Out);
  bool isUserFunction(const FunctionDecl *FD);
  static std::string usr(const Decl *D);

  /// Records the interesting calls of an expression in evaluation order.
  void scan(const Expr *E, std::vector<Stmt> &Out);
  const Expr *tempOwner(const CXXConstructExpr *CE);
  Stmt callStmt(const FunctionDecl *FD, SourceLocation B, SourceLocation E, llvm::ArrayRef<const Expr *> Args);
  void translate(const clang::Stmt *St, std::vector<Stmt> &Out);

  /// Translates a loop/branch body so that it always is one Block.
  void translateInto(const clang::Stmt *St, std::vector<Stmt> &Out);
  void loopBody(const clang::Stmt *Body, std::vector<Stmt> &Out);
  void varDecl(const VarDecl *VD, std::vector<Stmt> &Out);

  /// True if the body assigns to VD after its declaration (outside a for
  /// increment, which the loop handles).
  bool isMutated(const VarDecl *VD);
  static bool refersTo(const Expr *E, const VarDecl *VD);
  static bool mutates(const clang::Stmt *S, const VarDecl *VD);
  void forStmt(const ForStmt *FS, std::vector<Stmt> &Out);
  Function function();

private:
  ASTContext &Ctx;
  SourceManager &SM;
  const FunctionDecl *Fn;
  /// Enclosing breakable statements, innermost last: 'L' a loop, 'S' a switch.
  std::string Breakable;
  llvm::DenseMap<const Decl *, std::string> Ids;

  /// The construction of the local being declared (its object is `this`).
  const CXXConstructExpr *ConstructTarget = nullptr;
  /// The functional cast around a temporary guard (for its fix).
  llvm::DenseMap<const CXXConstructExpr *, const Expr *> CastOwners;
  std::string ConstructTargetId;
};

} // namespace varscope::facts
