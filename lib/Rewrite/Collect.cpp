//===- Collect.cpp - The map step of `varscope migrate` ---------------------===//
//
// One RecursiveASTVisitor walks the TU (template instantiations included, so
// calls that depend on template arguments resolve; their edits land on the
// spelled pattern and are merged in the plan step). Inside a function it
// tracks the *current scope expression* lexically: the function's scope
// parameter, replaced by each guard for the rest of its block, by a fresh
// root scope inside a thread body, and by a new store after
// reset_default_graph() in main. An entry point other than main keeps its
// signature and starts from v1::current_scope() (bridge()), which its
// callers' v1 code shapes as before; calls of it from migrated code are
// reported, since they would not pass the caller's scope. Lambdas that run
// in the same thread are part of the function that writes them (captured by
// reference).
//
//===----------------------------------------------------------------------===//
#include "Rewrite/Collect.h"

#include "Facts/SingleFileTool.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <functional>
#include <set>

#ifndef VARSCOPE_CLANG_RESOURCE_DIR
#define VARSCOPE_CLANG_RESOURCE_DIR ""
#endif

using namespace clang;

namespace varscope::rewrite {

// "\x01" "D" is not "\x01D" (a hex escape would swallow the D).
std::string usePlaceholder(const std::string &USR) { return "\x01" "P:" + USR + "\x02"; }
std::string declPlaceholder(const std::string &USR) { return "\x01" "D:" + USR + "\x02"; }
std::string storePlaceholder(const std::string &USR) { return "\x01" "S:" + USR + "\x02"; }

std::string canonicalPath(const std::string &Path, const std::string &Base) {
  llvm::SmallString<256> P(Path);
  if (!llvm::sys::path::is_absolute(P)) {
    llvm::SmallString<256> B(Base);
    if (B.empty())
      llvm::sys::fs::current_path(B);
    llvm::sys::path::append(B, P);
    P = B;
  }
  llvm::sys::path::remove_dots(P, true);
  llvm::SmallString<256> Real;
  if (!llvm::sys::fs::real_path(P, Real))
    return std::string(Real);
  return std::string(P);
}

namespace {

bool inNamespace(const DeclContext *DC, llvm::StringRef Inner, llvm::StringRef Outer) {
  const auto *NS = dyn_cast_or_null<NamespaceDecl>(DC);
  if (!NS || NS->getName() != Inner)
    return false;
  const auto *Parent = dyn_cast_or_null<NamespaceDecl>(NS->getDeclContext());
  return Parent && Parent->getName() == Outer && Parent->getDeclContext()->isTranslationUnit();
}

/// Declared directly in namespace varscope::v1 (not v1::detail).
bool isV1Decl(const Decl *D) { return D && inNamespace(D->getDeclContext(), "v1", "varscope"); }

bool isV1Namespace(const NamespaceDecl *NS) {
  return NS && NS->getName() == "v1" && isa<NamespaceDecl>(NS->getDeclContext()) &&
         cast<NamespaceDecl>(NS->getDeclContext())->getName() == "varscope";
}

/// `v1::variable_scope` (1) or `v1::name_scope` (2), else 0.
int guardKind(QualType T) {
  T = T.getNonReferenceType();
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD || !isV1Decl(RD))
    return 0;
  if (RD->getName() == "variable_scope")
    return 1;
  if (RD->getName() == "name_scope")
    return 2;
  return 0;
}

bool isStdThreadType(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD)
    return false;
  std::string N = RD->getQualifiedNameAsString();
  return N == "std::thread" || N == "std::jthread";
}

const LambdaExpr *asLambda(const Expr *E) {
  while (E) {
    E = E->IgnoreImplicit();
    if (const auto *L = dyn_cast<LambdaExpr>(E))
      return L;
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = M->getSubExpr();
      continue;
    }
    if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E)) {
      E = B->getSubExpr();
      continue;
    }
    if (const auto *C = dyn_cast<CXXConstructExpr>(E); C && C->getNumArgs() == 1) {
      E = C->getArg(0);
      continue;
    }
    return nullptr;
  }
  return nullptr;
}

/// `std::string` (std::basic_string<char>), references and cv removed.
bool isStdString(QualType T) {
  const auto *Spec =
      dyn_cast_or_null<ClassTemplateSpecializationDecl>(T.getNonReferenceType()->getAsCXXRecordDecl());
  if (!Spec || !Spec->isInStdNamespace() || Spec->getName() != "basic_string")
    return false;
  const TemplateArgumentList &Args = Spec->getTemplateArgs();
  return Args.size() > 0 && Args[0].getKind() == TemplateArgument::Type && Args[0].getAsType()->isCharType();
}

/// A value that may point into another object: a reference, a pointer, a
/// std::string_view or std::span.
bool mayBorrow(QualType T) {
  if (T->isReferenceType() || T->isPointerType() || T->isMemberPointerType())
    return true;
  const auto *RD = T->getAsCXXRecordDecl();
  return RD && RD->isInStdNamespace() && (RD->getName() == "basic_string_view" || RD->getName() == "span");
}

/// What is statically known about the effective name of a v1::name_scope
/// guard (TF: name_or_null, else default_name, else ""): its value() is ""
/// for an empty name and "<name scope>/" otherwise.
enum class NameKnown { Unknown, Empty, NonEmpty };

/// A string literal or a null pointer constant, through the implicit
/// conversions to the guard's parameter types; `+` with a non-empty literal
/// operand is non-empty.
NameKnown knownName(const Expr *E, ASTContext &Ctx, bool &IsNull) {
  IsNull = false;
  if (const auto *D = dyn_cast<CXXDefaultArgExpr>(E))
    E = D->getExpr();
  if (!E->isValueDependent() && E->isNullPointerConstant(Ctx, Expr::NPC_NeverValueDependent)) {
    IsNull = true;
    return NameKnown::Empty;
  }
  // Through the conversions to `const char*` / `std::string_view`.
  E = E->IgnoreUnlessSpelledInSource();
  if (const auto *SL = dyn_cast<StringLiteral>(E))
    // Read as a C string (both overloads stop at a NUL).
    return SL->getLength() == 0 || SL->getCodeUnit(0) == 0 ? NameKnown::Empty : NameKnown::NonEmpty;
  if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(E); OCE && OCE->getOperator() == OO_Plus)
    for (const Expr *A : OCE->arguments()) {
      bool Null = false;
      if (knownName(A, Ctx, Null) == NameKnown::NonEmpty)
        return NameKnown::NonEmpty;
    }
  return NameKnown::Unknown;
}

/// The ops of v1_ops.h: forwarded as varscope::OP(scope, args...).
bool isV1Op(const FunctionDecl *FD, const SourceManager &SM) {
  llvm::StringRef File = SM.getFilename(SM.getSpellingLoc(FD->getLocation()));
  return File.ends_with("v1_ops.h");
}

struct LambdaNeeds {
  bool Direct = false;
  std::set<std::string> Callees;
};

struct FunctionCtx {
  std::string Owner; ///< USR ("" outside functions)
  bool Entry = false;
  bool Main = false; ///< main owns a Store; other entry points bridge from v1
  bool EntryFused = false;
  const Stmt *Body = nullptr;
  std::string ThreadStore; ///< init-capture name for thread lambdas
  std::vector<std::string> Cur; ///< current scope expression per block
};

class Visitor : public RecursiveASTVisitor<Visitor> {
  using Base = RecursiveASTVisitor<Visitor>;

public:
  Visitor(ASTContext &Ctx, const CollectConfig &Config, TUResult &R)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Config(Config), R(R) {}

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return false; }

  // -- Functions ----------------------------------------------------------

#define VARSCOPE_TRAVERSE_FN(CLASS)                                                                                   \
  bool Traverse##CLASS(CLASS *D) {                                                                                    \
    return traverseFunction(D, [&] { return Base::Traverse##CLASS(D); });                                          \
  }
  VARSCOPE_TRAVERSE_FN(FunctionDecl)
  VARSCOPE_TRAVERSE_FN(CXXMethodDecl)
  VARSCOPE_TRAVERSE_FN(CXXConstructorDecl)
  VARSCOPE_TRAVERSE_FN(CXXDestructorDecl)
  VARSCOPE_TRAVERSE_FN(CXXConversionDecl)
#undef VARSCOPE_TRAVERSE_FN

  bool traverseFunction(FunctionDecl *FD, const std::function<bool()> &Inner) {
    if (FD->isImplicit())
      return true;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && MD->getParent()->isLambda())
      return Inner();
    const FunctionDecl *Pattern = pattern(FD);
    if (!isProject(Pattern->getLocation())) {
      // Outside the project: still walk nothing, but note overridden bases.
      return true;
    }
    std::string USR = usr(Pattern);
    FunctionInfo &FI = info(Pattern);
    if (const auto *MD = dyn_cast<CXXMethodDecl>(Pattern))
      for (const CXXMethodDecl *O : MD->overridden_methods()) {
        const FunctionDecl *OP = pattern(O);
        FI.Overrides.insert(usr(OP));
        FunctionInfo &OI = info(OP);
        if (!isProject(OP->getLocation()))
          OI.External = true;
      }
    // An explicit specialisation must keep the primary template's
    // parameter list (`template <> void f<int>(varscope::Scope&, int)`
    // matches only a primary that takes the scope too): both change together,
    // like an override and its base.
    if (FD->getTemplateSpecializationKind() == TSK_ExplicitSpecialization)
      if (const FunctionTemplateDecl *Primary = FD->getPrimaryTemplate()) {
        const FunctionDecl *PP = Primary->getTemplatedDecl();
        FI.Overrides.insert(usr(PP));
        FunctionInfo &PI = info(PP);
        if (!isProject(PP->getLocation()))
          PI.External = true;
      }
    bool IsInstantiation = Pattern != FD;
    if (!IsInstantiation && !FI.Entry)
      addParamEdit(FD, USR);

    if (!FD->doesThisDeclarationHaveABody()) {
      // Edits in a declaration's signature belong to the function: they stay
      // out when it is left for manual migration.
      DeclOwners.push_back(USR);
      bool OK = Inner();
      DeclOwners.pop_back();
      return OK;
    }

    FI.Defined = true;
    // Where notes and reports name it: the definition, not the first
    // declaration seen (a header).
    SourceLocation DefLoc = SM.getExpansionLoc(FD->getLocation());
    FI.File = fileOf(DefLoc);
    FI.Line = SM.getExpansionLineNumber(DefLoc);
    FunctionCtx C;
    C.Owner = USR;
    C.Entry = FI.Entry;
    C.Main = FD->isMain();
    C.Body = FD->getBody();
    chooseNames(FD, FI, C);
    C.Cur.push_back(usePlaceholder(USR));
    Ctxs.push_back(std::move(C));
    bool OK = Inner();
    FunctionCtx Done = std::move(Ctxs.back());
    Ctxs.pop_back();
    if (Done.Entry && !Done.EntryFused)
      addEntryCreation(FD, USR);
    return OK;
  }

  // -- Blocks, guards, reset_default_graph --------------------------------

  bool TraverseCompoundStmt(CompoundStmt *S) {
    if (Ctxs.empty())
      return Base::TraverseCompoundStmt(S);
    FunctionCtx &C = Ctxs.back();
    C.Cur.push_back(C.Cur.back());
    unsigned Index = 0;
    for (Stmt *Child : S->body()) {
      if (!handleStoreStatement(Child, S, Index))
        TraverseStmt(Child);
      ++Index;
    }
    Ctxs.back().Cur.pop_back();
    return true;
  }

  bool TraverseVarDecl(VarDecl *VD) {
    if (!Ctxs.empty() && VD->isLocalVarDecl() && VD->getInit())
      if (const auto *LE = dyn_cast<LambdaExpr>(VD->getInit()->IgnoreImplicit())) {
        NamedLambdas.insert(LE);
        NamedLambdaVars[VD] = LE->getCallOperator();
      }
    int Kind = Ctxs.empty() ? 0 : guardKind(VD->getType());
    if (!Kind)
      return Base::TraverseVarDecl(VD);
    std::string Outer = cur();
    TypeLoc TL = VD->getTypeSourceInfo()->getTypeLoc();
    Claimed.insert(TL.getBeginLoc().getRawEncoding());
    if (isProject(TL.getBeginLoc()))
      addRef(TL.getBeginLoc());
    bool OK = Base::TraverseVarDecl(VD);
    handleGuard(VD, Kind, Outer);
    return OK;
  }

  // -- Lambdas --------------------------------------------------------------

  bool TraverseLambdaExpr(LambdaExpr *LE) {
    if (Ctxs.empty())
      return Base::TraverseLambdaExpr(LE);
    for (Expr *Init : LE->capture_inits())
      if (Init)
        TraverseStmt(Init);
    if (NamedLambdas.count(LE))
      return traverseNamedLambda(LE);
    bool Thread = ThreadLambdas.count(LE) != 0;
    FunctionCtx &C = Ctxs.back();
    std::string Outer = cur();
    C.Cur.push_back(Thread ? declPlaceholder(C.Owner) : Outer);
    Needs.emplace_back();
    LambdaBodies.insert(LE->getBody());
    TraverseStmt(LE->getBody());
    LambdaNeeds N = std::move(Needs.back());
    Needs.pop_back();
    Ctxs.back().Cur.pop_back();
    for (LambdaNeeds &O : Needs) {
      O.Direct |= N.Direct;
      O.Callees.insert(N.Callees.begin(), N.Callees.end());
    }
    if (!N.Direct && N.Callees.empty())
      return true;
    std::vector<std::string> Cond;
    if (!N.Direct)
      Cond.assign(N.Callees.begin(), N.Callees.end());
    const FunctionCtx &FC = Ctxs.back();
    bool HasCaptures = LE->getCaptureDefault() != LCD_None || LE->explicit_capture_begin() != LE->explicit_capture_end();
    SourceLocation RBracket = LE->getIntroducerRange().getEnd();
    std::string Sep = HasCaptures ? ", " : "";
    if (Thread) {
      addEdit(RBracket, RBracket, Sep + "&" + FC.ThreadStore + " = " + Outer + ".store()", FC.Owner, Cond,
              "thread lambda capture");
      const auto *Body = cast<CompoundStmt>(LE->getBody());
      SourceLocation After = Body->getLBracLoc().getLocWithOffset(1);
      addEdit(After, After,
              "\n" + indentFor(Body) + "varscope::Scope " + declPlaceholder(FC.Owner) + " = " + FC.ThreadStore +
                  ".root_scope();",
              FC.Owner, Cond, "thread root scope");
      return true;
    }
    if (LE->getCaptureDefault() == LCD_ByRef)
      return true;
    addEdit(RBracket, RBracket, Sep + "&" + Outer, FC.Owner, Cond, "lambda capture");
    return true;
  }

  // -- Default arguments ------------------------------------------------------
  //
  // A default argument is evaluated by every caller, but it cannot name the
  // caller's scope (nor a parameter of its own function), so a scope-needing
  // call inside one has no explicit form: it is reported, and the function
  // whose parameter it is joins the callee's component so that both stay on
  // the implicit API together.

  bool TraverseParmVarDecl(ParmVarDecl *P) {
    const auto *FD = dyn_cast_or_null<FunctionDecl>(P->getDeclContext());
    if (!FD || !P->hasDefaultArg() || P->hasUnparsedDefaultArg() || P->hasUninstantiatedDefaultArg())
      return Base::TraverseParmVarDecl(P);
    DefaultArgOf.push_back(pattern(FD));
    bool OK = Base::TraverseParmVarDecl(P);
    DefaultArgOf.pop_back();
    return OK;
  }

  void handleDefaultArgCall(CallExpr *CE) {
    const FunctionDecl *FD = CE->getDirectCallee();
    const FunctionDecl *Of = DefaultArgOf.back();
    if (!FD || !isProject(Of->getLocation()))
      return;
    const auto *DRE = dyn_cast<DeclRefExpr>(CE->getCallee()->IgnoreImplicit());
    if (DRE)
      CalleeRefs.insert(DRE);
    const auto *OfMD = dyn_cast<CXXMethodDecl>(Of);
    std::string OfName = OfMD && OfMD->getParent()->isLambda() ? "a lambda" : "'" + Of->getQualifiedNameAsString() + "'";
    if (isV1Decl(FD)) {
      if (DRE) {
        Handled.insert(DRE);
        addRef(DRE->getBeginLoc()); // the v1 header stays
      }
      FunctionInfo &FI = info(Of);
      FI.Direct = true;
      report(CE->getBeginLoc(),
             "'v1::" + FD->getName().str() + "' in a default argument of " + OfName +
                 " is evaluated by its callers, and a default argument cannot name their scope",
             FI.USR);
      return;
    }
    const FunctionDecl *Pattern = pattern(FD);
    if (!isProject(Pattern->getLocation()) || FD->isImplicit())
      return;
    FunctionInfo &Callee = info(Pattern);
    info(Of).Callees.insert(Callee.USR);
    report(CE->getBeginLoc(),
           "'" + Pattern->getQualifiedNameAsString() + "' needs a scope but is called in a default argument of " +
               OfName + ", which cannot name its callers' scope",
           Callee.USR);
  }

  // -- Expressions ------------------------------------------------------------

  bool VisitCallExpr(CallExpr *CE) {
    if (!DefaultArgOf.empty()) {
      handleDefaultArgCall(CE);
      return true;
    }
    if (Ctxs.empty())
      return true;
    noteThreadLambdas(CE);
    FunctionDecl *FD = CE->getDirectCallee();
    if (!FD)
      return true;
    if (isV1Decl(FD)) {
      handleV1Call(CE, FD);
      return true;
    }
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && MD->getParent()->isLambda()) {
      // A call of a lambda held in a local: it takes the scope as an argument.
      const auto *OCE = dyn_cast<CXXOperatorCallExpr>(CE);
      const auto *Var = OCE ? dyn_cast<DeclRefExpr>(OCE->getArg(0)->IgnoreImplicit()) : nullptr;
      if (!Var || !NamedLambdaVars.count(Var->getDecl()))
        return true;
      CalleeRefs.insert(Var);
      if (const auto *OpRef = dyn_cast<DeclRefExpr>(CE->getCallee()->IgnoreImplicit()))
        CalleeRefs.insert(OpRef);
      std::string Callee = usr(MD);
      lambdaInfo(MD, Var->getDecl()->getName().str());
      noteCall(Callee);
      SourceLocation LParen = Lexer::findNextToken(Var->getEndLoc(), SM, Ctx.getLangOpts())
                                  .value_or(Token())
                                  .getLocation();
      insertScopeArg(CE, LParen, Callee, Var->getDecl()->getName().str());
      return true;
    }
    const FunctionDecl *Pattern = pattern(FD);
    if (!isProject(Pattern->getLocation()) || FD->isImplicit())
      return true;
    std::string Callee = usr(Pattern);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(CE->getCallee()->IgnoreImplicit()))
      CalleeRefs.insert(DRE);
    if (bridged(Pattern)) {
      // It keeps its signature and starts from v1's current scope: from v1
      // code that is the caller's scope, as before; from migrated code it
      // would not be (the caller's scope is explicit now, or its own Store
      // in main). So the call is no reason to migrate the caller, and a
      // caller migrated for other reasons is left to a person.
      report(CE->getBeginLoc(), entryUseMessage(Pattern), owner());
      return true;
    }
    noteCall(Callee);
    const Expr *CalleeE = CE->getCallee()->IgnoreImplicit();
    if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(CE)) {
      if (OCE->getOperator() != OO_Call) {
        report(CE->getBeginLoc(), "'" + Pattern->getQualifiedNameAsString() +
                                      "' is an operator and cannot take a scope parameter", Callee);
        return true;
      }
      CalleeE = OCE->getArg(0)->IgnoreImplicit(); // `object(args)`
    }
    SourceLocation LParen = Lexer::findNextToken(CalleeE->getEndLoc(), SM, Ctx.getLangOpts())
                                .value_or(Token())
                                .getLocation();
    insertScopeArg(CE, LParen, Callee, Pattern->getQualifiedNameAsString());
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr *CE) {
    if (Ctxs.empty())
      return true;
    if (isStdThreadType(CE->getType()) && CE->getNumArgs() > 0) {
      if (const LambdaExpr *L = asLambda(CE->getArg(0)))
        ThreadLambdas.insert(L);
      else
        threadOnFunction(CE->getArg(0));
    }
    const CXXConstructorDecl *Ctor = CE->getConstructor();
    if (!Ctor || Ctor->isImplicit())
      return true;
    const FunctionDecl *Pattern = pattern(Ctor);
    if (!isProject(Pattern->getLocation()))
      return true;
    std::string Callee = usr(Pattern);
    info(Pattern);
    noteCall(Callee);
    SourceRange Parens = CE->getParenOrBraceRange();
    if (Parens.isInvalid()) {
      report(CE->getBeginLoc(), "'" + Pattern->getQualifiedNameAsString() +
                                    "' is constructed without an argument list, so a scope cannot be passed", Callee);
      return true;
    }
    insertScopeArg(CE, Parens.getBegin(), Callee, Pattern->getQualifiedNameAsString());
    return true;
  }

  bool VisitMemberExpr(MemberExpr *ME) {
    if (Ctxs.empty())
      return true;
    const Expr *Base = ME->getBase()->IgnoreImplicit();
    std::string Member = ME->getMemberNameInfo().getAsString();
    if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(Base); OCE && OCE->getOperator() == OO_Arrow) {
      const auto *DRE = dyn_cast<DeclRefExpr>(OCE->getArg(0)->IgnoreImplicit());
      if (!DRE || !Guards.count(DRE->getDecl()))
        return true;
      Handled.insert(DRE);
      noteDirect();
      bool Own = Member == "reuse_variables" || Member == "name" || Member == "original_name_scope" ||
                 Member == "reuse";
      SourceLocation Op = ME->getOperatorLoc();
      addEdit(Op, Op.getLocWithOffset(2), Own ? "." : ".get_variable_scope().", owner(), {}, "guard->" + Member);
      return true;
    }
    const auto *DRE = dyn_cast<DeclRefExpr>(Base);
    if (!DRE || !Guards.count(DRE->getDecl()))
      return true;
    Handled.insert(DRE);
    noteDirect();
    if (Guards[DRE->getDecl()] == 2 && Member == "name") {
      migrateNameScopeName(ME, DRE);
      return true;
    }
    if (Member == "get") {
      SourceLocation M = ME->getMemberLoc();
      addEdit(M, Lexer::getLocForEndOfToken(M, 0, SM, Ctx.getLangOpts()), "get_variable_scope", owner(), {},
              "guard.get()");
    }
    return true;
  }

  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *OCE) {
    if (Ctxs.empty() || OCE->getOperator() != OO_Star || OCE->getNumArgs() != 1)
      return true;
    const auto *DRE = dyn_cast<DeclRefExpr>(OCE->getArg(0)->IgnoreImplicit());
    if (!DRE || !Guards.count(DRE->getDecl()))
      return true;
    Handled.insert(DRE);
    noteDirect();
    addEdit(OCE->getBeginLoc(), endOf(OCE->getEndLoc()),
            DRE->getDecl()->getName().str() + ".get_variable_scope()", owner(), {}, "*guard");
    return true;
  }

  bool VisitDeclRefExpr(DeclRefExpr *DRE) {
    // Whether a reference is a call's callee is known once its parent was
    // visited, which the traversal order does not promise: decide in finish().
    Pending.push_back({DRE, owner()});
    // Portable names (v1::Tensor, v1::zeros_initializer, v1::AUTO_REUSE).
    if (DRE->getQualifierLoc())
      rewriteQualifier(DRE->getQualifierLoc(), isa<UsingShadowDecl>(DRE->getFoundDecl()),
                       /*RefsOnly=*/Claimed.count(DRE->getBeginLoc().getRawEncoding()) != 0);
    else if ((isV1Decl(DRE->getFoundDecl()) || isV1Decl(DRE->getDecl())) && isProject(DRE->getLocation()))
      addRef(DRE->getLocation());
    return true;
  }

  bool VisitUnresolvedLookupExpr(UnresolvedLookupExpr *E) {
    for (const NamedDecl *D : E->decls())
      if (isV1Decl(D->getUnderlyingDecl()) && isProject(E->getBeginLoc())) {
        addRef(E->getBeginLoc());
        break;
      }
    return true;
  }

  bool VisitElaboratedTypeLoc(ElaboratedTypeLoc TL) {
    if (Claimed.count(TL.getBeginLoc().getRawEncoding()) || !TL.getQualifierLoc())
      return true;
    bool Portable = isa<UsingType>(TL.getNamedTypeLoc().getTypePtr()) ||
                    isa<TypedefType>(TL.getNamedTypeLoc().getTypePtr());
    rewriteQualifier(TL.getQualifierLoc(), Portable);
    return true;
  }

  bool VisitNamespaceAliasDecl(NamespaceAliasDecl *D) {
    if (!isV1Namespace(dyn_cast<NamespaceDecl>(D->getNamespace())) || !isProject(D->getLocation()))
      return true;
    SourceLocation B = D->getBeginLoc(), E = D->getEndLoc();
    if (B.isMacroID() || E.isMacroID())
      return true;
    // The whole line when the declaration is alone on it.
    auto [FID, Off] = SM.getDecomposedLoc(B);
    llvm::StringRef Buf = SM.getBufferData(FID);
    unsigned LineStart = Off;
    while (LineStart > 0 && Buf[LineStart - 1] != '\n')
      --LineStart;
    unsigned End = SM.getFileOffset(E);
    while (End < Buf.size() && Buf[End] != ';')
      ++End;
    ++End;
    unsigned LineEnd = End;
    while (LineEnd < Buf.size() && (Buf[LineEnd] == ' ' || Buf[LineEnd] == '\t' || Buf[LineEnd] == '\r'))
      ++LineEnd;
    if (llvm::StringRef(Buf.data() + LineStart, Off - LineStart).trim().empty() && LineEnd < Buf.size() &&
        Buf[LineEnd] == '\n') {
      ++LineEnd;
      // Between two blank lines: take one of them too.
      bool BlankBefore = LineStart >= 2 && Buf[LineStart - 1] == '\n' && Buf[LineStart - 2] == '\n';
      if (BlankBefore && LineEnd < Buf.size() && Buf[LineEnd] == '\n')
        ++LineEnd;
      R.Aliases.push_back({fileOf(B), LineStart, LineEnd - LineStart, ""});
      return true;
    }
    R.Aliases.push_back({fileOf(B), Off, End - Off, ""});
    return true;
  }

  bool VisitUsingDirectiveDecl(UsingDirectiveDecl *D) {
    if (isV1Namespace(D->getNominatedNamespace()) && isProject(D->getLocation()))
      addRef(D->getLocation());
    return true;
  }
  bool VisitUsingDecl(UsingDecl *D) {
    for (const UsingShadowDecl *S : D->shadows())
      if (isV1Decl(S->getTargetDecl()) || isV1Decl(S)) {
        if (isProject(D->getLocation()))
          addRef(D->getLocation());
        break;
      }
    return true;
  }

  /// The checks that need the whole TU traversed.
  void finish() {
    for (const auto &[DRE, Own] : Pending) {
      const ValueDecl *D = DRE->getDecl();
      if (auto It = NamedLambdaVars.find(D); It != NamedLambdaVars.end() && !CalleeRefs.count(DRE)) {
        FunctionInfo &FI = lambdaInfo(It->second, D->getName().str());
        FI.AddressTaken = true;
        FI.AddressTakenWhere = where(DRE->getLocation());
      }
      if (Guards.count(D) && !Handled.count(DRE)) {
        report(DRE->getLocation(), "the guard '" + D->getName().str() + "' is used as an object here", Own);
        continue;
      }
      const auto *FD = dyn_cast<FunctionDecl>(D);
      if (!FD)
        continue;
      if (isV1Decl(FD)) {
        if (!Handled.count(DRE) && isProject(DRE->getLocation())) {
          addRef(DRE->getBeginLoc());
          report(DRE->getLocation(), "'v1::" + FD->getName().str() + "' is used as a value, not called", Own);
        }
        continue;
      }
      if (CalleeRefs.count(DRE) || !isProject(DRE->getLocation()) || FD->isImplicit())
        continue;
      if (const auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && MD->getParent()->isLambda())
        continue;
      const FunctionDecl *Pattern = pattern(FD);
      if (!isProject(Pattern->getLocation()))
        continue;
      if (bridged(Pattern)) {
        // Its signature stays, so a pointer to it stays valid; but code
        // that is migrated would call it outside the caller's scope.
        if (!Own.empty())
          report(DRE->getLocation(), entryUseMessage(Pattern), Own);
        continue;
      }
      FunctionInfo &FI = info(Pattern);
      FI.AddressTaken = true;
      FI.AddressTakenWhere = where(DRE->getLocation());
    }
  }

private:
  // -- Helpers --------------------------------------------------------------

  const FunctionDecl *pattern(const FunctionDecl *FD) const {
    if (const FunctionDecl *P = FD->getTemplateInstantiationPattern())
      FD = P;
    return FD;
  }

  std::string usr(const Decl *D) const {
    llvm::SmallString<128> Buf;
    if (index::generateUSRForDecl(D, Buf))
      return "";
    // Every program of a database has its own main.
    if (const auto *FD = dyn_cast<FunctionDecl>(D); FD && FD->isMain())
      return std::string(Buf) + "@" + R.MainFile;
    return std::string(Buf);
  }

  FunctionInfo &info(const FunctionDecl *FD) {
    std::string U = usr(FD);
    FunctionInfo &FI = R.Functions[U];
    if (FI.USR.empty()) {
      FI.USR = U;
      FI.Name = FD->getQualifiedNameAsString();
      SourceLocation L = SM.getExpansionLoc(FD->getLocation());
      FI.File = fileOf(L);
      FI.Line = SM.getExpansionLineNumber(L);
      FI.External = !isProject(FD->getLocation());
      FI.Entry = FD->isMain() || (FD->isExternC() && !isa<CXXMethodDecl>(FD));
      for (const std::string &N : Config.PublicAPI)
        if (N == FI.Name)
          FI.Entry = true;
    }
    return FI;
  }

  std::string fileOf(SourceLocation L) const {
    L = SM.getExpansionLoc(L);
    OptionalFileEntryRef F = SM.getFileEntryRefForID(SM.getFileID(L));
    if (!F)
      return "";
    auto It = PathCache.find(F->getName().str());
    if (It != PathCache.end())
      return It->second;
    std::string P = canonicalPath(F->getName().str());
    PathCache[F->getName().str()] = P;
    return P;
  }

  bool isProject(SourceLocation L) const {
    if (L.isInvalid())
      return false;
    SourceLocation E = SM.getExpansionLoc(L);
    if (SM.isInSystemHeader(E))
      return false;
    std::string F = fileOf(E);
    if (F.empty())
      return false;
    llvm::StringRef P(F);
    if (!P.starts_with(Config.Root + "/"))
      return false;
    // The runtime's own headers are the API, never migrated.
    return !P.contains("/include/varscope/");
  }

  std::string where(SourceLocation L) const {
    L = SM.getExpansionLoc(L);
    return fileOf(L) + ":" + std::to_string(SM.getExpansionLineNumber(L)) + ":" +
           std::to_string(SM.getExpansionColumnNumber(L));
  }

  std::string owner() const {
    if (!Ctxs.empty())
      return Ctxs.back().Owner;
    return DeclOwners.empty() ? "" : DeclOwners.back();
  }
  std::string cur() const { return Ctxs.back().Cur.back(); }

  SourceLocation endOf(SourceLocation TokenLoc) const {
    return Lexer::getLocForEndOfToken(TokenLoc, 0, SM, Ctx.getLangOpts());
  }

  void noteDirect() {
    if (Ctxs.empty())
      return;
    R.Functions[Ctxs.back().Owner].Direct = true;
    for (LambdaNeeds &N : Needs)
      N.Direct = true;
  }
  void noteCall(const std::string &Callee) {
    if (Ctxs.empty())
      return;
    R.Functions[Ctxs.back().Owner].Callees.insert(Callee);
    for (LambdaNeeds &N : Needs)
      N.Callees.insert(Callee);
  }

  void addRef(SourceLocation L) {
    if (L.isMacroID())
      L = SM.getSpellingLoc(L);
    R.Refs.push_back({fileOf(L), SM.getFileOffset(L)});
  }

  void report(SourceLocation L, std::string Message, std::string Owner) {
    SourceLocation E = SM.getExpansionLoc(L);
    R.Reports.push_back({fileOf(E), SM.getExpansionLineNumber(E), SM.getExpansionColumnNumber(E), std::move(Message),
                         std::move(Owner)});
  }

  /// Adds an edit replacing [B, E) (character locations); refuses (and
  /// reports) an edit that would touch a macro.
  bool addEdit(SourceLocation B, SourceLocation E, std::string Text, const std::string &Owner,
               std::vector<std::string> Cond, const std::string &What, bool UnlessBlocked = false) {
    if (B.isMacroID() || E.isMacroID()) {
      std::string Macro;
      SourceLocation M = B.isMacroID() ? B : E;
      Macro = Lexer::getImmediateMacroName(M, SM, Ctx.getLangOpts()).str();
      report(M, "cannot edit code expanded from the macro '" + Macro + "' (" + What + ")", Owner);
      return false;
    }
    if (!isProject(B))
      return false;
    Edit Ed;
    Ed.File = fileOf(B);
    Ed.Offset = SM.getFileOffset(B);
    Ed.Length = SM.getFileOffset(E) - Ed.Offset;
    Ed.Text = std::move(Text);
    Ed.Owner = UnlessBlocked ? "" : Owner;
    Ed.CondAny = std::move(Cond);
    Ed.Source = where(B) + ": " + What;
    if (UnlessBlocked && !Owner.empty())
      Ed.CondAny = {"!" + Owner}; // plan: applies unless Owner is blocked
    R.Edits.push_back(std::move(Ed));
    return true;
  }

  std::string indentFor(const CompoundStmt *Body) const {
    SourceLocation Brace = Body->getLBracLoc();
    if (!Body->body_empty()) {
      SourceLocation First = SM.getExpansionLoc(Body->body_front()->getBeginLoc());
      if (SM.getExpansionLineNumber(First) != SM.getExpansionLineNumber(Brace))
        return std::string(SM.getExpansionColumnNumber(First) - 1, ' ');
    }
    // The indentation of the line holding the brace, plus two.
    auto [FID, Off] = SM.getDecomposedExpansionLoc(Brace);
    llvm::StringRef Buf = SM.getBufferData(FID);
    unsigned Start = Off;
    while (Start > 0 && Buf[Start - 1] != '\n')
      --Start;
    unsigned N = 0;
    while (Start + N < Buf.size() && Buf[Start + N] == ' ')
      ++N;
    return std::string(N + 2, ' ');
  }

  void chooseNames(const FunctionDecl *FD, FunctionInfo &FI, FunctionCtx &C) {
    std::set<std::string> Names;
    struct NameCollector : RecursiveASTVisitor<NameCollector> {
      std::set<std::string> &Names;
      explicit NameCollector(std::set<std::string> &N) : Names(N) {}
      bool VisitNamedDecl(NamedDecl *D) {
        if (D->getIdentifier())
          Names.insert(D->getName().str());
        return true;
      }
      bool VisitDeclRefExpr(DeclRefExpr *E) {
        Names.insert(E->getNameInfo().getAsString());
        return true;
      }
      bool VisitMemberExpr(MemberExpr *E) {
        Names.insert(E->getMemberNameInfo().getAsString());
        return true;
      }
      bool VisitLambdaExpr(LambdaExpr *E) {
        for (const LambdaCapture &Cap : E->captures())
          if (Cap.capturesVariable())
            Names.insert(Cap.getCapturedVar()->getName().str());
        return true;
      }
    } NC(Names);
    NC.TraverseDecl(const_cast<FunctionDecl *>(FD));
    for (const ParmVarDecl *P : FD->parameters())
      if (P->getIdentifier())
        Names.insert(P->getName().str());
    auto Pick = [&](const std::vector<std::string> &Options, const std::string &Avoid) {
      for (const std::string &O : Options)
        if (!Names.count(O) && O != Avoid)
          return O;
      for (int I = 2;; ++I) {
        std::string O = Options.back() + std::to_string(I);
        if (!Names.count(O) && O != Avoid)
          return O;
      }
    };
    FI.ParamName = Pick({"scope", "vs_scope"}, "");
    FI.StoreName = Pick({"store", "vs_store"}, FI.ParamName);
    C.ThreadStore = Pick({"vs_store"}, FI.StoreName);
  }

  FunctionInfo &lambdaInfo(const CXXMethodDecl *Op, const std::string &Name) {
    FunctionInfo &FI = info(Op);
    FI.Name = "lambda '" + Name + "'";
    FI.Entry = false;
    return FI;
  }

  /// `auto f = [&](int i) {...};` called later as `f(i)`: the lambda is a
  /// function of its own with a scope parameter (it runs wherever it is
  /// called, as in TF), not a capture of the scope where it was written.
  bool traverseNamedLambda(LambdaExpr *LE) {
    CXXMethodDecl *Op = LE->getCallOperator();
    std::string USR = usr(Op);
    std::string Name = "lambda";
    for (const auto &[Var, O] : NamedLambdaVars)
      if (O == Op)
        Name = Var->getName().str();
    FunctionInfo &FI = lambdaInfo(Op, Name);
    FI.Defined = true;
    // The outer function holds the lambda; its edits need the lambda migrated.
    std::string Param = "varscope::Scope& " + declPlaceholder(USR);
    if (LE->hasExplicitParameters()) {
      SourceLocation LParen = Op->getFunctionTypeLoc().getLParenLoc();
      SourceLocation After = LParen.getLocWithOffset(1);
      addEdit(After, After, Param + (Op->getNumParams() ? ", " : ""), USR, {}, "parameter of lambda " + Name);
    } else {
      SourceLocation After = endOf(LE->getIntroducerRange().getEnd());
      addEdit(After, After, "(" + Param + ")", USR, {}, "parameter of lambda " + Name);
    }
    FunctionCtx C;
    C.Owner = USR;
    C.Body = LE->getBody();
    chooseNames(Op, FI, C);
    C.Cur.push_back(usePlaceholder(USR));
    Ctxs.push_back(std::move(C));
    std::vector<LambdaNeeds> SavedNeeds = std::move(Needs);
    Needs.clear();
    LambdaBodies.insert(LE->getBody());
    TraverseStmt(LE->getBody());
    Needs = std::move(SavedNeeds);
    Ctxs.pop_back();
    return true;
  }

  void addParamEdit(FunctionDecl *FD, const std::string &USR) {
    if (!isProject(FD->getLocation()))
      return;
    if (isa<CXXDestructorDecl>(FD) || isa<CXXConversionDecl>(FD) ||
        (FD->isOverloadedOperator() && FD->getOverloadedOperator() != OO_Call)) {
      report(FD->getLocation(), "'" + FD->getQualifiedNameAsString() + "' cannot take a scope parameter", USR);
      return;
    }
    FunctionTypeLoc FTL = FD->getFunctionTypeLoc();
    if (!FTL) {
      report(FD->getLocation(), "the declaration of '" + FD->getQualifiedNameAsString() +
                                    "' is not spelled as a function declarator", USR);
      return;
    }
    SourceLocation LParen = FTL.getLParenLoc();
    if (LParen.isInvalid()) {
      report(FD->getLocation(), "cannot find the parameter list of '" + FD->getQualifiedNameAsString() + "'", USR);
      return;
    }
    std::string Param = "varscope::Scope& " + declPlaceholder(USR);
    SourceLocation After = LParen.getLocWithOffset(1);
    if (FD->getNumParams() == 0) {
      // `(void)` becomes `(varscope::Scope& scope)`.
      SourceLocation RParen = FTL.getRParenLoc();
      if (!LParen.isMacroID() && !RParen.isMacroID()) {
        llvm::StringRef Inside = Lexer::getSourceText(CharSourceRange::getCharRange(After, RParen), SM,
                                                      Ctx.getLangOpts());
        if (Inside.trim() == "void") {
          addEdit(After, RParen, Param, USR, {}, "parameter of " + FD->getQualifiedNameAsString());
          return;
        }
      }
      addEdit(After, After, Param, USR, {}, "parameter of " + FD->getQualifiedNameAsString());
      return;
    }
    addEdit(After, After, Param + ", ", USR, {}, "parameter of " + FD->getQualifiedNameAsString());
  }

  void addEntryCreation(FunctionDecl *FD, const std::string &USR) {
    const auto *Body = dyn_cast_or_null<CompoundStmt>(FD->getBody());
    if (!Body)
      return;
    SourceLocation After = Body->getLBracLoc().getLocWithOffset(1);
    std::string Indent = indentFor(Body);
    // `int main() { run(); }`: the statements that shared the brace's line
    // move to their own line after the new ones.
    SourceLocation End = After;
    std::string Tail;
    if (!Body->body_empty() && !Body->getLBracLoc().isMacroID()) {
      SourceLocation First = Body->body_front()->getBeginLoc();
      if (!First.isMacroID() && SM.getFileID(First) == SM.getFileID(After) &&
          SM.getSpellingLineNumber(First) == SM.getSpellingLineNumber(After)) {
        End = First;
        Tail = "\n" + Indent;
      }
    }
    // main owns the store. Another entry point keeps its signature for
    // callers outside the project, which still use v1: it continues in
    // their current scope and default graph, as it did under v1.
    std::string Text = FD->isMain() ? ownStore(USR, "", Indent) : bridge(USR);
    if (!addEdit(After, End, "\n" + Indent + Text + Tail, USR, {}, "root scope of " + FD->getQualifiedNameAsString()))
      return;
    R.Edits.back().EntryCreation = true;
  }

  /// main's store (constructed with `Options`, e.g. "(opts)") and root scope.
  static std::string ownStore(const std::string &USR, const std::string &Options, const std::string &Indent) {
    return "varscope::Store " + storePlaceholder(USR) + Options + ";\n" + Indent + "varscope::Scope " +
           declPlaceholder(USR) + " = " + storePlaceholder(USR) + ".root_scope();";
  }

  /// An entry point other than main: it keeps its signature and starts from
  /// bridge().
  bool bridged(const FunctionDecl *Pattern) { return info(Pattern).Entry && !Pattern->isMain(); }

  /// The first statement of a migrated entry point other than main.
  static std::string bridge(const std::string &USR) {
    return "varscope::Scope& " + declPlaceholder(USR) + " = " + BridgeCall + ";";
  }

  static std::string entryUseMessage(const FunctionDecl *Entry) {
    return "'" + Entry->getQualifiedNameAsString() +
           "' is an entry point that keeps its signature and continues in v1's current scope; called from "
           "migrated code it would not see the caller's scope";
  }

  /// `varscope::Scope& x = varscope::v1::current_scope();`
  bool isBridge(const Stmt *S) const {
    const auto *DS = dyn_cast_or_null<DeclStmt>(S);
    const auto *VD = DS && DS->isSingleDecl() ? dyn_cast<VarDecl>(DS->getSingleDecl()) : nullptr;
    const Expr *Init = VD ? VD->getInit() : nullptr;
    const auto *CE = Init ? dyn_cast<CallExpr>(Init->IgnoreImplicit()) : nullptr;
    const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
    return FD && isV1Decl(FD) && FD->getName() == "current_scope";
  }

  void insertScopeArg(const Expr *Call, SourceLocation LParen, const std::string &Callee, const std::string &Name) {
    unsigned Explicit = 0;
    llvm::ArrayRef<const Expr *> Args;
    if (const auto *CE = dyn_cast<CallExpr>(Call)) {
      Args = llvm::ArrayRef(CE->getArgs(), CE->getNumArgs());
      if (isa<CXXOperatorCallExpr>(CE) && !Args.empty())
        Args = Args.drop_front(); // the object whose operator() is called
    }
    else if (const auto *CC = dyn_cast<CXXConstructExpr>(Call))
      Args = llvm::ArrayRef(CC->getArgs(), CC->getNumArgs());
    for (const Expr *A : Args)
      if (!isa<CXXDefaultArgExpr>(A))
        ++Explicit;
    if (LParen.isInvalid()) {
      report(Call->getBeginLoc(), "cannot find the argument list of the call of '" + Name + "'", Callee);
      return;
    }
    SourceLocation After = LParen.getLocWithOffset(1);
    if (!addEdit(After, After, cur() + (Explicit ? ", " : ""), owner(), {Callee}, "call of " + Name))
      // A call we cannot edit keeps its callee from being migrated.
      R.Reports.back().Owner = Callee;
  }

  void noteThreadLambdas(CallExpr *CE) {
    const FunctionDecl *FD = CE->getDirectCallee();
    if (!FD)
      return;
    std::string Q = FD->getQualifiedNameAsString();
    bool Spawns = Q == "std::async";
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
      llvm::StringRef N = MD->getName();
      if (N == "emplace_back" || N == "push_back" || N == "emplace")
        if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(MD->getParent()))
          if (Spec->getTemplateArgs().size() > 0 && Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type &&
              isStdThreadType(Spec->getTemplateArgs()[0].getAsType()))
            Spawns = true;
    }
    if (!Spawns)
      return;
    for (const Expr *A : CE->arguments())
      if (const LambdaExpr *L = asLambda(A))
        ThreadLambdas.insert(L);
    // The callable: the first argument, after std::async's launch policy.
    unsigned First = 0;
    if (CE->getNumArgs() > 1 && isRecordOrEnumNamed(CE->getArg(0)->getType(), "std::launch"))
      First = 1;
    if (CE->getNumArgs() > First && !asLambda(CE->getArg(First)))
      threadOnFunction(CE->getArg(First));
  }

  static bool isRecordOrEnumNamed(QualType T, llvm::StringRef Name) {
    if (const TagDecl *TD = T.getNonReferenceType()->getAsTagDecl())
      return TD->getQualifiedNameAsString() == Name;
    return false;
  }

  /// A thread started on a named project function that needs a scope (TF: it
  /// starts at the root scope of the same graph): the function argument
  /// becomes `varscope::on_root_scope(<current>.store(), fn)`, which calls
  /// `fn(root, args...)` in the new thread. A function template
  /// specialisation (`build<float>`, `&build<T>` in a template) is the same
  /// case: on_root_scope deduces its function type from the template-id, and
  /// the template gains its parameter once, in the spelled pattern (the
  /// callee is the pattern's USR, as for a direct call).
  void threadOnFunction(const Expr *Arg) {
    const Expr *E = Arg->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
      E = UO->getSubExpr()->IgnoreParenImpCasts();
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    if (!DRE)
      return;
    const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl());
    if (!FD || isa<CXXMethodDecl>(FD) || isV1Decl(FD))
      return;
    const FunctionDecl *Pattern = pattern(FD);
    if (!isProject(Pattern->getLocation()) || FD->isImplicit())
      return;
    std::string Callee = usr(Pattern);
    CalleeRefs.insert(DRE);
    if (bridged(Pattern)) {
      report(Arg->getBeginLoc(), entryUseMessage(Pattern), owner());
      return;
    }
    noteCall(Callee);
    SourceLocation B = Arg->getBeginLoc(), End = endOf(Arg->getEndLoc());
    addEdit(B, B, "varscope::on_root_scope(" + cur() + ".store(), ", owner(), {Callee}, "thread entry");
    addEdit(End, End, ")", owner(), {Callee}, "thread entry end");
  }

  /// The effective name of `v1::name_scope ns(name_or_null[, default_name])`.
  NameKnown guardName(const CXXConstructExpr *CE) {
    if (CE->getNumArgs() == 0)
      return NameKnown::Unknown;
    bool Null = false;
    NameKnown First = knownName(CE->getArg(0), Ctx, Null);
    if (!Null)
      return First;
    if (CE->getNumArgs() < 2)
      return NameKnown::Empty;
    return knownName(CE->getArg(1), Ctx, Null);
  }

  /// Whether the value of `E`, which may borrow from the string `ns.name()`
  /// returned, is used up within its full-expression: copied into a
  /// std::string, read, passed to a call whose result cannot point into it,
  /// compared, printed, or discarded. A value that may keep a reference,
  /// pointer or view past the expression (a variable, a returned reference,
  /// an assignment, a new object of another class) is not. `Top`: `E` is the
  /// string itself, which a `const std::string&` variable may bind (the
  /// migrated prvalue then has its lifetime extended).
  bool usedUpInExpression(const Expr *E, bool Top) {
    auto Borrows = [](const Expr *X) { return X->isGLValue() || mayBorrow(X->getType()); };
    for (unsigned Depth = 0; Depth < 32; ++Depth) {
      // An element of a braced list has two parents, the list (from its
      // syntactic form) and the conversion in the semantic form (a copy into
      // a std::string member): follow the conversion.
      DynTypedNodeList Parents = Ctx.getParents(*E);
      std::optional<DynTypedNode> Parent;
      for (const DynTypedNode &Node : Parents) {
        if (Parents.size() > 1 && Node.get<InitListExpr>())
          continue;
        if (Parent)
          return false;
        Parent = Node;
      }
      if (!Parent)
        return false;
      const DynTypedNode &P = *Parent;
      if (const auto *VD = P.get<VarDecl>()) {
        // `auto& r = ns.name()` would deduce `std::string&`, which a prvalue
        // cannot bind.
        QualType Written = VD->getTypeSourceInfo()->getType();
        return Top && VD->getType()->isReferenceType() && VD->getType().getNonReferenceType().isConstQualified() &&
               isStdString(VD->getType()) && !Written->getContainedAutoType();
      }
      const auto *PE = P.get<Expr>();
      if (!PE)
        // A discarded expression statement (a return of it would keep it).
        return P.get<Stmt>() && !P.get<ReturnStmt>();
      if (const auto *Cast = dyn_cast<CastExpr>(PE)) {
        if (Cast->getCastKind() == CK_LValueToRValue)
          return true; // a scalar read out of it
        E = PE;
        continue;
      }
      if (isa<ParenExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr, ExprWithCleanups>(PE)) {
        E = PE;
        continue;
      }
      if (const auto *BO = dyn_cast<BinaryOperator>(PE); BO && BO->isAssignmentOp())
        return false; // `p = ns.name().c_str()`
      if (const auto *UO = dyn_cast<UnaryOperator>(PE); UO && UO->getOpcode() == UO_AddrOf)
        return false; // `&ns.name()`: a prvalue has no address
      if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(PE)) {
        OverloadedOperatorKind K = OCE->getOperator();
        if (OCE->getNumArgs() == 2 && OCE->getArg(1) == E &&
            (K == OO_Equal || K == OO_PlusEqual || K == OO_LessLess))
          return true; // copied into, appended to or written to the left operand
      }
      if (const auto *CC = dyn_cast<CXXConstructExpr>(PE); CC && isStdString(CC->getType()))
        return true; // copied
      if (isa<CXXConstructExpr, InitListExpr, CXXParenListInitExpr>(PE)) {
        // Another class (std::string_view, a struct) may keep a reference.
        E = PE;
        Top = false;
        continue;
      }
      if (isa<MemberExpr>(PE)) {
        // `x.size()`, `x.c_str()`, the conversion to std::string_view.
        DynTypedNodeList Calls = Ctx.getParents(*PE);
        PE = Calls.size() == 1 ? Calls[0].get<CXXMemberCallExpr>() : nullptr;
        if (!PE)
          return false;
      } else if (!isa<CallExpr, BinaryOperator, UnaryOperator, ConditionalOperator, ArraySubscriptExpr>(PE)) {
        return false;
      }
      if (!Borrows(PE))
        return true;
      E = PE;
      Top = false;
    }
    return false;
  }

  /// `ns.name()` of a v1::name_scope guard: "" for an empty name (the root)
  /// and "<name scope>/" otherwise (runtime/src/v1.cpp name_scope_value; a
  /// name ending in '/' re-enters that scope, whose stack is the name
  /// without the slash). The explicit handle keeps the stack without the
  /// slash (get_name_scope()), so which form is exact depends on whether the
  /// name is empty: only a name known at the guard is migrated. The
  /// non-empty form is a new std::string, not a reference into the guard,
  /// so it is used only where the value is used up within the expression.
  void migrateNameScopeName(const MemberExpr *ME, const DeclRefExpr *Guard) {
    DynTypedNodeList Parents = Ctx.getParents(*ME);
    const auto *Call = Parents.size() == 1 ? Parents[0].get<CXXMemberCallExpr>() : nullptr;
    std::string Name = Guard->getDecl()->getName().str();
    auto Known = NameScopeNames.find(Guard->getDecl());
    if (!Call) {
      report(ME->getMemberLoc(), "name_scope::name of '" + Name + "' is used without being called", owner());
      return;
    }
    if (Known == NameScopeNames.end() || Known->second == NameKnown::Unknown) {
      report(ME->getMemberLoc(),
             "name_scope::name() of '" + Name +
                 "' is \"\" for an empty name and \"<scope>/\" otherwise; the guard's name is not a literal, so "
                 "the explicit form cannot be chosen",
             owner());
      return;
    }
    SourceLocation B = Call->getBeginLoc(), E = endOf(Call->getRParenLoc());
    if (Known->second == NameKnown::Empty) {
      // The root name scope: the handle's stack is "" too, and it lives as
      // long as the guard did, so even a reference stays valid.
      addEdit(B, E, Name + ".get_name_scope()", owner(), {}, "name_scope::name()");
      return;
    }
    if (!usedUpInExpression(Call, /*Top=*/true)) {
      report(ME->getMemberLoc(),
             "name_scope::name() of '" + Name +
                 "' becomes a new string (get_name_scope() + \"/\"), but here a reference or pointer to it may "
                 "outlive the expression",
             owner());
      return;
    }
    // Parentheses around the sum for a member call on it and as an operand,
    // except the left operand of `+` (left-associative) and the right of
    // `=` and `+=`. An implicit conversion (to std::string_view) is no
    // member call in the source.
    const Expr *Operand = Call;
    DynTypedNodeList Up = Ctx.getParents(*Call);
    while (Up.size() == 1 && Up[0].get<ImplicitCastExpr>()) {
      Operand = Up[0].get<ImplicitCastExpr>();
      Up = Ctx.getParents(*Operand);
    }
    bool Parens = false;
    if (Up.size() == 1) {
      if (const auto *Member = Up[0].get<MemberExpr>())
        Parens = !isa<CXXConversionDecl>(Member->getMemberDecl());
      if (const auto *OCE = Up[0].get<CXXOperatorCallExpr>()) {
        OverloadedOperatorKind K = OCE->getOperator();
        bool Left = OCE->getArg(0) == Operand;
        Parens = !(K == OO_Plus && Left) && !((K == OO_Equal || K == OO_PlusEqual) && !Left);
      }
    }
    std::string Text = Name + ".get_name_scope() + \"/\"";
    addEdit(B, E, Parens ? "(" + Text + ")" : Text, owner(), {}, "name_scope::name()");
  }

  /// v1::get_variable(...) and friends.
  void handleV1Call(CallExpr *CE, FunctionDecl *FD) {
    const auto *DRE = dyn_cast<DeclRefExpr>(CE->getCallee()->IgnoreImplicit());
    if (!DRE)
      return;
    Handled.insert(DRE);
    Claimed.insert(DRE->getBeginLoc().getRawEncoding());
    if (!isProject(CE->getBeginLoc()))
      return;
    addRef(DRE->getBeginLoc());
    if (FD->getName() == "current_scope") {
      // The first statement of a migrated entry point other than main (see
      // bridge()): nothing to do. Elsewhere the scope should be passed.
      if (Ctxs.back().Entry && !Ctxs.back().Main)
        return;
      noteDirect();
      report(CE->getBeginLoc(), "v1::current_scope() outside an entry point: pass the scope as a parameter instead",
             owner());
      return;
    }
    noteDirect();
    llvm::StringRef N = FD->getName();
    SourceLocation B = DRE->getBeginLoc(), E = endOf(DRE->getEndLoc());
    const std::string Own = owner();
    if (N == "get_variable" || N == "get_local_variable" || N == "get_variable_scope" || N == "get_name_scope") {
      addEdit(B, E, cur() + "." + N.str(), Own, {}, "v1::" + N.str());
      return;
    }
    if (N == "global_variables" || N == "trainable_variables" || N == "local_variables" || N == "get_collection" ||
        N == "add_to_collection") {
      addEdit(B, E, cur() + ".store()." + N.str(), Own, {}, "v1::" + N.str());
      return;
    }
    if (N == "get_regularization_losses") {
      addEdit(B, E, cur() + ".store().regularization_losses", Own, {}, "v1::" + N.str());
      return;
    }
    if (N == "set_random_seed") {
      addEdit(B, E, cur() + ".store().set_seed", Own, {}, "v1::" + N.str());
      return;
    }
    if (N == "get_default_graph") {
      addEdit(B, endOf(CE->getRParenLoc()), cur() + ".store()", Own, {}, "v1::get_default_graph");
      return;
    }
    if (N == "reset_default_graph") {
      report(CE->getBeginLoc(),
             "reset_default_graph() is migrated only as a statement of an entry point (main, extern \"C\", "
             "--public-api)",
             Own);
      return;
    }
    if (isV1Op(FD, SM)) {
      if (!addEdit(B, E, "varscope::" + N.str(), Own, {}, "v1::" + N.str()))
        return;
      unsigned Explicit = 0;
      for (const Expr *A : CE->arguments())
        if (!isa<CXXDefaultArgExpr>(A))
          ++Explicit;
      SourceLocation LParen = Lexer::findNextToken(DRE->getEndLoc(), SM, Ctx.getLangOpts())
                                  .value_or(Token())
                                  .getLocation();
      SourceLocation After = LParen.getLocWithOffset(1);
      addEdit(After, After, cur() + (Explicit ? ", " : ""), Own, {}, "v1::" + N.str());
      return;
    }
    report(CE->getBeginLoc(), "'v1::" + N.str() + "' has no explicit counterpart known to varscope migrate", Own);
  }

  /// reset_default_graph / set_random_seed as statements of an entry point.
  bool handleStoreStatement(Stmt *S, CompoundStmt *Block, unsigned Index) {
    const auto *E = dyn_cast<Expr>(S);
    if (!E)
      return false;
    const auto *CE = dyn_cast<CallExpr>(E->IgnoreImplicit());
    if (!CE || !CE->getDirectCallee() || !isV1Decl(CE->getDirectCallee()))
      return false;
    llvm::StringRef N = CE->getDirectCallee()->getName();
    FunctionCtx &C = Ctxs.back();
    bool IsEntryBody = C.Entry && Block == C.Body;
    bool Reset = N == "reset_default_graph";
    bool Seed = N == "set_random_seed" && IsEntryBody && Index == 0;
    if (!Reset && !Seed)
      return false;
    if (!C.Entry || (IsEntryBody && Index != 0) || (!IsEntryBody && !LambdaBodies.count(Block)))
      return false; // reported by handleV1Call (reset) or rewritten in place (seed)
    if (Seed && !C.Main)
      return false; // the default graph's seed: rewritten in place
    if (const auto *DRE = dyn_cast<DeclRefExpr>(CE->getCallee()->IgnoreImplicit())) {
      Handled.insert(DRE);
      Claimed.insert(DRE->getBeginLoc().getRawEncoding());
    }
    noteDirect();
    std::string Options;
    if (CE->getNumArgs() > 0 && !isa<CXXDefaultArgExpr>(CE->getArg(0))) {
      llvm::StringRef Text = Lexer::getSourceText(CharSourceRange::getTokenRange(CE->getArg(0)->getSourceRange()),
                                                  SM, Ctx.getLangOpts());
      Options = Seed ? "({.seed = " + Text.str() + "})" : "(" + Text.str() + ")";
    }
    std::optional<Token> Semi = Lexer::findNextToken(CE->getEndLoc(), SM, Ctx.getLangOpts());
    if (!Semi || !Semi->is(tok::semi))
      return false;
    const std::string &U = C.Owner;
    bool Added;
    if (C.Main) {
      Added = addEdit(CE->getBeginLoc(), Semi->getEndLoc(), ownStore(U, Options, indentFor(Block)), U, {},
                      "v1::" + N.str());
    } else if (isBridge(Index + 1 < Block->size() ? Block->body_begin()[Index + 1] : nullptr)) {
      Added = true; // migrated already
    } else {
      // The default graph is shared with the callers: the reset stays, and
      // the scope is taken after it.
      SourceLocation After = Semi->getEndLoc();
      Added = addEdit(After, After, "\n" + indentFor(Block) + bridge(U), U, {}, "v1::" + N.str());
      // Dropped when nothing after the reset uses the scope.
      if (Added && IsEntryBody)
        R.Edits.back().EntryCreation = true;
    }
    if (!Added)
      return true;
    if (IsEntryBody) {
      C.EntryFused = true;
      C.Cur.back() = usePlaceholder(U);
    } else {
      C.Cur.back() = declPlaceholder(U);
    }
    return true;
  }

  void handleGuard(VarDecl *VD, int Kind, const std::string &Outer) {
    noteDirect();
    const char *Method = Kind == 1 ? "variable_scope" : "name_scope";
    const Expr *Init = VD->getInit();
    if (Init)
      Init = Init->IgnoreImplicit();
    const auto *CE = dyn_cast_or_null<CXXConstructExpr>(Init);
    if (!VD->isLocalVarDecl() || VD->isStaticLocal() || !CE || CE->getParenOrBraceRange().isInvalid() ||
        isa<CXXTemporaryObjectExpr>(CE)) {
      report(VD->getLocation(), std::string("the v1::") + Method + " guard '" + VD->getName().str() +
                                    "' is not a plain local declared with an argument list",
             owner());
      return;
    }
    Guards[VD] = Kind;
    if (Kind == 2)
      NameScopeNames[VD] = guardName(CE);
    TypeLoc TL = VD->getTypeSourceInfo()->getTypeLoc();
    addEdit(TL.getBeginLoc(), endOf(TL.getEndLoc()), "varscope::Scope", owner(), {},
            std::string("v1::") + Method + " guard");
    SourceRange Parens = CE->getParenOrBraceRange();
    std::string Call = " = " + Outer + "." + Method;
    SourceLocation NameEnd = endOf(VD->getLocation());
    std::string What = std::string("v1::") + Method + " guard '" + VD->getName().str() + "'";
    if (SM.getCharacterData(Parens.getBegin())[0] == '(') {
      addEdit(NameEnd, NameEnd, Call, owner(), {}, What);
    } else {
      addEdit(NameEnd, NameEnd, Call, owner(), {}, What);
      addEdit(Parens.getBegin(), Parens.getBegin().getLocWithOffset(1), "(", owner(), {}, "guard braces");
      addEdit(Parens.getEnd(), Parens.getEnd().getLocWithOffset(1), ")", owner(), {}, "guard braces");
    }
    Ctxs.back().Cur.back() = VD->getName().str();
  }

  /// `v1::X` / `varscope::v1::X` naming something v1 re-exports from
  /// varscope: the qualifier becomes `varscope::`. Records every v1
  /// qualifier as a reference (for the include swap).
  void rewriteQualifier(NestedNameSpecifierLoc Q, bool FinalPortable, bool RefsOnly = false) {
    llvm::SmallVector<NestedNameSpecifierLoc, 4> Parts;
    for (NestedNameSpecifierLoc P = Q; P; P = P.getPrefix())
      Parts.push_back(P);
    std::reverse(Parts.begin(), Parts.end());
    for (size_t I = 0; I < Parts.size(); ++I) {
      NestedNameSpecifier *NNS = Parts[I].getNestedNameSpecifier();
      const NamespaceDecl *NS = nullptr;
      if (NNS->getKind() == NestedNameSpecifier::Namespace)
        NS = NNS->getAsNamespace();
      else if (NNS->getKind() == NestedNameSpecifier::NamespaceAlias)
        NS = NNS->getAsNamespaceAlias()->getNamespace();
      if (!isV1Namespace(NS))
        continue;
      SourceLocation B = Q.getBeginLoc();
      if (!isProject(B))
        return;
      addRef(Parts[I].getLocalBeginLoc());
      if (RefsOnly)
        return;
      bool Portable = FinalPortable;
      if (I + 1 < Parts.size()) {
        NestedNameSpecifier *Next = Parts[I + 1].getNestedNameSpecifier();
        Portable = Next->getKind() == NestedNameSpecifier::NamespaceAlias ||
                   (Next->getKind() == NestedNameSpecifier::TypeSpec &&
                    (isa<UsingType>(Next->getAsType()) || isa<TypedefType>(Next->getAsType())));
      }
      if (!Portable)
        return;
      addEdit(B, endOf(Parts[I].getLocalEndLoc()), "varscope::", owner(), {}, "v1:: qualifier", /*UnlessBlocked=*/true);
      return;
    }
  }

  ASTContext &Ctx;
  SourceManager &SM;
  const CollectConfig &Config;
  TUResult &R;
  std::vector<FunctionCtx> Ctxs;
  std::vector<LambdaNeeds> Needs;
  std::set<const LambdaExpr *> ThreadLambdas;
  std::set<const Stmt *> LambdaBodies;
  std::vector<std::pair<const DeclRefExpr *, std::string>> Pending;
  std::set<const LambdaExpr *> NamedLambdas;
  /// The functions whose default argument is being traversed (innermost last).
  std::vector<const FunctionDecl *> DefaultArgOf;
  /// The functions whose body-less declaration is being traversed.
  std::vector<std::string> DeclOwners;
  std::map<const ValueDecl *, const CXXMethodDecl *> NamedLambdaVars;
  std::map<const ValueDecl *, int> Guards;
  /// Per v1::name_scope guard: whether its effective name is known to be
  /// empty or non-empty.
  std::map<const ValueDecl *, NameKnown> NameScopeNames;
  std::set<const DeclRefExpr *> Handled;
  std::set<const DeclRefExpr *> CalleeRefs;
  std::set<unsigned> Claimed;
  mutable std::map<std::string, std::string> PathCache;
};

/// Project file -> the files it includes; an include of the whole API
/// (`varscope/varscope.h`, or `varscope/v1.h`, which includes it and which
/// the migration swaps for it) is the node VarscopeNode. Other varscope
/// headers (`varscope/tensor.h`) do not declare Scope: a file reaching only
/// those still gets the include.
using IncludeGraph = std::map<std::string, std::set<std::string>>;
constexpr const char *VarscopeNode = "<varscope>";

/// In a file with no #include: the line after `#pragma once` or after an
/// include guard's `#ifndef X` / `#define X`, else the top of the file.
IncludePoint afterGuard(llvm::StringRef Buf) {
  const std::string Include = "#include <varscope/varscope.h>\n";
  auto At = [&](size_t Pos) {
    bool BlankFollows = Pos >= Buf.size() || Buf[Pos] == '\n' || Buf.substr(Pos).starts_with("\r\n");
    return IncludePoint{static_cast<unsigned>(Pos), false, "\n" + Include + (BlankFollows ? "" : "\n")};
  };
  size_t Pos = 0;
  llvm::StringRef PendingGuard;
  while (Pos < Buf.size()) {
    size_t EOL = Buf.find('\n', Pos);
    size_t Next = EOL == llvm::StringRef::npos ? Buf.size() : EOL + 1;
    llvm::StringRef Line = Buf.slice(Pos, Next).trim();
    Pos = Next;
    if (Line.empty() || Line.starts_with("//"))
      continue;
    if (!Line.consume_front("#"))
      break;
    Line = Line.ltrim();
    if (Line.starts_with("pragma") && Line.drop_front(6).trim() == "once")
      return At(Pos);
    if (Line.consume_front("ifndef")) {
      PendingGuard = Line.trim();
      continue;
    }
    if (Line.consume_front("define") && !PendingGuard.empty() && Line.trim().split(' ').first == PendingGuard)
      return At(Pos);
    break;
  }
  return IncludePoint{0, false, Include + "\n"};
}

class IncludeRecorder : public PPCallbacks {
public:
  IncludeRecorder(SourceManager &SM, const CollectConfig &Config, TUResult &R, IncludeGraph &Graph)
      : SM(SM), Config(Config), R(R), Graph(Graph) {}
  void InclusionDirective(SourceLocation HashLoc, const Token &, llvm::StringRef FileName, bool,
                          CharSourceRange FilenameRange, OptionalFileEntryRef Included, llvm::StringRef,
                          llvm::StringRef, const Module *, bool, SrcMgr::CharacteristicKind Kind) override {
    if (HashLoc.isMacroID())
      return;
    OptionalFileEntryRef F = SM.getFileEntryRefForID(SM.getFileID(HashLoc));
    if (!F)
      return;
    std::string Path = canonicalPath(F->getName().str());
    if (!llvm::StringRef(Path).starts_with(Config.Root + "/") ||
        llvm::StringRef(Path).contains("/include/varscope/"))
      return;
    if (Included)
      Graph[Path].insert(FileName == "varscope/varscope.h" || FileName == "varscope/v1.h"
                             ? std::string(VarscopeNode)
                             : canonicalPath(Included->getName().str()));
    // The line after the last #include: where a new include would go.
    IncludePoint &P = R.IncludePoints[Path];
    llvm::StringRef Buf = SM.getBufferData(SM.getFileID(HashLoc));
    size_t EOL = Buf.find('\n', SM.getFileOffset(FilenameRange.getEnd()));
    P.Offset = EOL == llvm::StringRef::npos ? Buf.size() : EOL + 1;
    P.Text = "#include <varscope/varscope.h>\n";
    if (FileName != "varscope/v1.h")
      return;
    unsigned B = SM.getFileOffset(FilenameRange.getBegin());
    unsigned E = SM.getFileOffset(FilenameRange.getEnd());
    bool Angled = SM.getCharacterData(FilenameRange.getBegin())[0] == '<';
    R.Includes.push_back({Path, B, E - B, Angled ? "<varscope/varscope.h>" : "\"varscope/varscope.h\""});
  }

private:
  SourceManager &SM;
  const CollectConfig &Config;
  TUResult &R;
  IncludeGraph &Graph;
};

class Consumer : public ASTConsumer {
public:
  Consumer(const CollectConfig &Config, TUResult &R, IncludeGraph &Graph) : Config(Config), R(R), Graph(Graph) {}
  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (Ctx.getDiagnostics().hasErrorOccurred()) {
      R.Failed = true;
      return;
    }
    Visitor V(Ctx, Config, R);
    V.TraverseDecl(Ctx.getTranslationUnitDecl());
    V.finish();
    SourceManager &SM = Ctx.getSourceManager();
    for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It) {
      std::string Path = canonicalPath(It->first.getName().str());
      if (!llvm::StringRef(Path).starts_with(Config.Root + "/") ||
          llvm::StringRef(Path).contains("/include/varscope/"))
        continue;
      auto Buf = llvm::MemoryBuffer::getFile(Path);
      if (!Buf)
        continue;
      R.Files[Path] = llvm::utohexstr(llvm::xxh3_64bits((*Buf)->getBuffer()));
      if (!R.IncludePoints.count(Path))
        R.IncludePoints[Path] = afterGuard((*Buf)->getBuffer());
    }
    // A file that reaches a varscope header through its own includes needs
    // no new one.
    for (auto &[Path, P] : R.IncludePoints) {
      std::set<std::string> Seen;
      std::vector<std::string> Work = {Path};
      while (!Work.empty() && !P.HasVarscope) {
        std::string F = std::move(Work.back());
        Work.pop_back();
        if (!Seen.insert(F).second)
          continue;
        auto It = Graph.find(F);
        if (It == Graph.end())
          continue;
        for (const std::string &To : It->second) {
          P.HasVarscope |= To == VarscopeNode;
          Work.push_back(To);
        }
      }
    }
  }

private:
  const CollectConfig &Config;
  TUResult &R;
  IncludeGraph &Graph;
};

class Action : public ASTFrontendAction {
public:
  Action(const CollectConfig &Config, TUResult &R) : Config(Config), R(R) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI, llvm::StringRef) override {
    CI.getPreprocessor().addPPCallbacks(std::make_unique<IncludeRecorder>(CI.getSourceManager(), Config, R, Graph));
    return std::make_unique<Consumer>(Config, R, Graph);
  }

private:
  const CollectConfig &Config;
  TUResult &R;
  IncludeGraph Graph;
};

class Factory : public tooling::FrontendActionFactory {
public:
  Factory(const CollectConfig &Config, TUResult &R) : Config(Config), R(R) {}
  std::unique_ptr<FrontendAction> create() override { return std::make_unique<Action>(Config, R); }

private:
  const CollectConfig &Config;
  TUResult &R;
};

} // namespace

TUResult collectTU(const TUCommand &Cmd, const CollectConfig &Config) {
  TUResult R;
  R.MainFile = canonicalPath(Cmd.File, Cmd.Directory);
  facts::SingleFileTool Single(Cmd.Directory, Cmd.File, Cmd.Args);
  tooling::ClangTool &Tool = Single.tool();
  IgnoringDiagConsumer Quiet;
  Tool.setDiagnosticConsumer(&Quiet);
  Factory F(Config, R);
  if (Tool.run(&F) != 0 || R.Failed) {
    TUResult Failed;
    Failed.MainFile = R.MainFile;
    Failed.Failed = true;
    Failed.Error = "'" + R.MainFile + "' does not compile";
    return Failed;
  }
  return R;
}

} // namespace varscope::rewrite
