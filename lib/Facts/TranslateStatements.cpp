//===- TranslateStatements.cpp - Statements of a function body to facts ---===//
//
// Guards, get_variable, calls (with their object), loops, branches and
// returns; the second half of the Translator (Translator.h).
//
//===----------------------------------------------------------------------===//
#include "Facts/Translator.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/Lexer.h"

namespace varscope::facts {

// -- statements -------------------------------------------------------------
/// A v1::variable_scope construction.
Stmt Translator::guard(const CXXConstructExpr *CE, SourceLocation At, std::string Id, bool Temporary) {
  Stmt S;
  S.K = Stmt::VarScope;
  S.L = loc(At);
  S.Id = std::move(Id);
  S.Temporary = Temporary;
  const CXXConstructorDecl *Ctor = CE->getConstructor();
  unsigned N = CE->getNumArgs();
  if (N == 0)
    return S;
  QualType P0 = Ctor->getParamDecl(0)->getType();
  if (isVariableScopeType(P0)) {
    S.FromCaptured = true;
    S.Target = scopeSource(CE->getArg(0));
  } else if (Ctor->getNumParams() == 3) {
    // variable_scope(name_or_null, default_name): which form applies is
    // decided when the name is known (it may be a parameter).
    S.DefaultNameForm = true;
    S.Name = value(CE->getArg(0));
    S.DefaultName = value(CE->getArg(1));
    if (S.Name.K == Value::Str) // variable_scope("x", "default") means "x"
      S.DefaultNameForm = false;
  } else {
    S.Name = value(CE->getArg(0));
  }
  if (N >= 2)
    readVarScopeOptions(CE->getArg(N - 1), S);
  return S;
}

/// "field:<name>" for a data member of `this` (implicit or explicit), else "".
std::string Translator::fieldOf(const Expr *E) {
  const auto *ME = dyn_cast<MemberExpr>(E->IgnoreParenImpCasts());
  if (!ME || !isa<FieldDecl>(ME->getMemberDecl()))
    return "";
  if (!isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return "";
  return "field:" + ME->getMemberDecl()->getNameAsString();
}

/// Where a VariableScope value comes from: "" = the current scope, an id
/// of a guard or captured VariableScope local, "?" = unknown.
std::string Translator::scopeSource(const Expr *E) {
  E = strip(E);
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E); CE && CE->getNumArgs() == 1)
    E = strip(CE->getArg(0));
  if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(E)) {
    if ((OCE->getOperator() == OO_Star || OCE->getOperator() == OO_Arrow) && OCE->getNumArgs() >= 1)
      return scopeSource(OCE->getArg(0));
  }
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(E)) {
    if (MCE->getMethodDecl() && MCE->getMethodDecl()->getName() == "get")
      return scopeSource(MCE->getImplicitObjectArgument());
  }
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    if (const FunctionDecl *FD = Call->getDirectCallee())
      if (qualifiedName(FD) == "varscope::v1::get_variable_scope")
        return "";
    return "?";
  }
  if (std::string F = fieldOf(E); !F.empty())
    return F;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *PVD = dyn_cast<ParmVarDecl>(DRE->getDecl())) {
      if (Fn)
        for (unsigned I = 0; I < Fn->getNumParams(); ++I)
          if (Fn->getParamDecl(I) == PVD)
            return "param:" + std::to_string(I);
      return idOf(PVD); // an enclosing function's, captured by a lambda
    }
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      if (VD->hasLocalStorage())
        return idOf(VD);
  }
  return "?";
}

Stmt Translator::nameScope(const CXXConstructExpr *CE, SourceLocation At, std::string Id, bool Temporary) {
  Stmt S;
  S.K = Stmt::NameScope;
  S.L = loc(At);
  S.Id = std::move(Id);
  S.Temporary = Temporary;
  if (CE->getNumArgs() >= 1)
    S.Name = value(CE->getArg(0));
  if (CE->getNumArgs() >= 2 && !isa<CXXDefaultArgExpr>(CE->getArg(1)) && S.Name.K == Value::Null)
    S.Name = value(CE->getArg(1));
  return S;
}

/// The fix naming an unnamed guard: `v1::variable_scope("x")` becomes
/// `v1::variable_scope vs_x("x")`.
std::optional<Replacement> Translator::nameGuardFix(const Expr *E, const Value &Name) {
  SourceLocation LParen;
  if (const auto *FCE = dyn_cast<CXXFunctionalCastExpr>(E))
    LParen = FCE->getLParenLoc();
  else if (const auto *TOE = dyn_cast<CXXTemporaryObjectExpr>(E))
    LParen = TOE->getParenOrBraceRange().getBegin();
  if (LParen.isInvalid() || LParen.isMacroID())
    return std::nullopt;
  std::string Ident = "scope";
  if (Name.K == Value::Str && !Name.S.empty()) {
    std::string Clean;
    for (char C : Name.S)
      Clean += (isalnum(static_cast<unsigned char>(C)) ? C : '_');
    Ident = "vs_" + Clean;
  }
  return Replacement{fileName(LParen), SM.getFileOffset(LParen), 0, " " + Ident};
}

void Translator::getVariable(const CallExpr *Call, const FunctionDecl *FD, std::vector<Stmt> &Out) {
  Stmt S;
  S.K = Stmt::GetVar;
  S.L = loc(Call->getBeginLoc(), Call->getEndLoc());
  S.Local = FD->getName() == "get_local_variable";
  unsigned N = Call->getNumArgs();
  if (N >= 1)
    S.Name = value(Call->getArg(0));
  if (FD->getNumParams() == 3 && N >= 2)
    readShape(Call->getArg(1), S);
  if (N >= 2) {
    bool IsDefault = false;
    const Expr *OptArg = Call->getArg(N - 1);
    if (const InitListExpr *ILE = optionsList(OptArg, IsDefault)) {
      forEachField(ILE, [&](llvm::StringRef Field, const Expr *Init) {
        if (Field == "shape")
          readShape(Init, S);
        else if (Field == "dtype")
          S.DType = dtypeOf(Init);
        else if (Field == "initializer")
          S.Initializer = text(Init);
        else if (Field == "partitioner")
          S.Partitioner = partitionerOf(Init);
      });
    }
  }
  Out.push_back(std::move(S));
}

bool Translator::isUserFunction(const FunctionDecl *FD) {
  if (!FD)
    return false;
  if (SM.isInSystemHeader(FD->getLocation()))
    return false;
  std::string Q = qualifiedName(FD);
  if (Q.rfind("varscope::", 0) == 0 && !SM.isInMainFile(FD->getLocation()))
    return false;
  if (Q.rfind("std::", 0) == 0)
    return false;
  return true;
}

std::string Translator::usr(const Decl *D) {
  llvm::SmallString<128> Buf;
  if (index::generateUSRForDecl(D, Buf))
    return {};
  return std::string(Buf);
}

/// Records the interesting calls of an expression in evaluation order.
void Translator::scan(const Expr *E, std::vector<Stmt> &Out) {
  if (!E)
    return;
  if (isa<LambdaExpr>(E))
    return;
  if (const auto *FCE = dyn_cast<CXXFunctionalCastExpr>(E)) {
    const Expr *Sub = FCE->getSubExpr()->IgnoreImplicit();
    if (const auto *BTE = dyn_cast<CXXBindTemporaryExpr>(Sub))
      Sub = BTE->getSubExpr()->IgnoreImplicit();
    if (const auto *CE = dyn_cast<CXXConstructExpr>(Sub))
      CastOwners[CE] = FCE;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    if (isGuardType(CE->getType()) && !CE->getConstructor()->isCopyOrMoveConstructor()) {
      for (const Expr *A : CE->arguments())
        scan(A, Out);
      Stmt S = guard(CE, CE->getBeginLoc(), "", /*Temporary=*/true);
      S.Fix = nameGuardFix(tempOwner(CE), S.Name);
      Out.push_back(std::move(S));
      return;
    }
    if (isNameScopeType(CE->getType()) && !CE->getConstructor()->isCopyOrMoveConstructor()) {
      Stmt S = nameScope(CE, CE->getBeginLoc(), "", /*Temporary=*/true);
      S.Fix = nameGuardFix(tempOwner(CE), S.Name);
      Out.push_back(std::move(S));
      return;
    }
    for (const Expr *A : CE->arguments())
      scan(A, Out);
    if (isRecord(CE->getType(), "std::thread") && CE->getNumArgs() >= 1) {
      if (const auto *LE = dyn_cast<LambdaExpr>(strip(CE->getArg(0)))) {
        Stmt S;
        S.K = Stmt::Thread;
        S.L = loc(CE->getBeginLoc());
        S.Callee = usr(LE->getCallOperator());
        S.CalleeName = "lambda";
        Out.push_back(std::move(S));
      }
      return;
    }
    const CXXConstructorDecl *Ctor = CE->getConstructor();
    if (Ctor && Ctor->isUserProvided() && isUserFunction(Ctor)) {
      Stmt C = callStmt(Ctor, CE->getBeginLoc(), CE->getEndLoc(), llvm::ArrayRef(CE->getArgs(), CE->getNumArgs()));
      if (CE == ConstructTarget) {
        C.This.K = Value::Var;
        C.This.Text = ConstructTargetId;
      } else {
        C.This = Value::unknown("temporary " + Ctor->getParent()->getNameAsString(), C.L);
      }
      Out.push_back(std::move(C));
    }
    return;
  }
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *FD = Call->getDirectCallee();
    std::string Q = qualifiedName(FD);
    if (Q == "varscope::v1::get_variable" || Q == "varscope::v1::get_local_variable") {
      getVariable(Call, FD, Out);
      return;
    }
    // `captured = *scope;` / `captured = v1::get_variable_scope();`
    if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(Call); OCE && OCE->getOperator() == OO_Equal &&
                                                               OCE->getNumArgs() == 2 &&
                                                               isVariableScopeType(OCE->getArg(0)->getType())) {
      const Expr *LHS = OCE->getArg(0)->IgnoreParenImpCasts();
      std::string Id = fieldOf(LHS);
      if (const auto *DRE = dyn_cast<DeclRefExpr>(LHS))
        Id = idOf(DRE->getDecl());
      if (!Id.empty()) {
        Stmt S;
        S.K = Stmt::Capture;
        S.L = loc(OCE->getBeginLoc());
        S.Id = Id;
        S.Target = scopeSource(OCE->getArg(1));
        Out.push_back(std::move(S));
        return;
      }
    }
    // `fn()` on a std::function: which closure runs is only known when the
    // resolver evaluates `fn`.
    if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(Call); OCE && OCE->getOperator() == OO_Call &&
                                                               OCE->getNumArgs() >= 1 &&
                                                               isCallableWrapperType(OCE->getArg(0)->getType())) {
      for (const Expr *A : OCE->arguments())
        scan(A, Out);
      Stmt C;
      C.K = Stmt::Call;
      C.L = loc(OCE->getBeginLoc(), OCE->getEndLoc());
      C.CalleeName = "lambda";
      for (const Expr *A : llvm::ArrayRef(OCE->getArgs(), OCE->getNumArgs()).drop_front())
        C.Args.push_back(value(A));
      C.This = value(OCE->getArg(0));
      Out.push_back(std::move(C));
      return;
    }
    if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call)) {
      const CXXMethodDecl *M = MCE->getMethodDecl();
      if (M && M->getName() == "reuse_variables" &&
          isRecord(M->getThisType()->getPointeeType(), "varscope::VariableScope")) {
        Stmt S;
        S.K = Stmt::ReuseVars;
        S.L = loc(Call->getBeginLoc(), Call->getEndLoc());
        S.Target = scopeSource(MCE->getImplicitObjectArgument());
        Out.push_back(std::move(S));
        return;
      }
    }
    for (const clang::Stmt *C : E->children())
      if (const auto *CE2 = dyn_cast_or_null<Expr>(C))
        scan(CE2, Out);
    if (!FD || !isUserFunction(FD))
      return;
    const FunctionDecl *Def = FD;
    llvm::ArrayRef<const Expr *> Args(Call->getArgs(), Call->getNumArgs());
    const Expr *Object = nullptr;
    if (isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(FD) && !Args.empty()) {
      Object = Args.front();
      Args = Args.drop_front();
    }
    if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call))
      Object = MCE->getImplicitObjectArgument();
    Stmt C = callStmt(Def, Call->getBeginLoc(), Call->getEndLoc(), Args);
    if (Object && isa<CXXMethodDecl>(FD) && !cast<CXXMethodDecl>(FD)->isStatic())
      C.This = value(Object);
    Out.push_back(std::move(C));
    return;
  }
  for (const clang::Stmt *C : E->children())
    if (const auto *CE = dyn_cast_or_null<Expr>(C))
      scan(CE, Out);
}

const Expr *Translator::tempOwner(const CXXConstructExpr *CE) {
  if (isa<CXXTemporaryObjectExpr>(CE))
    return CE;
  // scan() remembers the functional casts it walks through; the parent map
  // (built for the whole TU on first use) is the fallback.
  if (auto It = CastOwners.find(CE); It != CastOwners.end())
    return It->second;
  for (const auto &P : Ctx.getParents(*CE)) {
    if (const auto *BTE = P.get<CXXBindTemporaryExpr>()) {
      for (const auto &PP : Ctx.getParents(*BTE))
        if (const auto *FCE = PP.get<CXXFunctionalCastExpr>())
          return FCE;
    }
    if (const auto *FCE = P.get<CXXFunctionalCastExpr>())
      return FCE;
  }
  return CE;
}

Stmt Translator::callStmt(const FunctionDecl *FD, SourceLocation B, SourceLocation E,
                          llvm::ArrayRef<const Expr *> Args) {
  Stmt S;
  S.K = Stmt::Call;
  S.L = loc(B, E);
  const FunctionDecl *Canon = FD;
  if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern(); Pattern && !FD->isTemplateInstantiation())
    Canon = Pattern;
  S.Callee = usr(Canon);
  S.CalleeName =
      FD->getParent() && isa<CXXRecordDecl>(FD->getParent()) && cast<CXXRecordDecl>(FD->getParent())->isLambda()
          ? std::string("lambda")
          : qualifiedName(FD);
  for (const Expr *A : Args)
    S.Args.push_back(value(A));
  return S;
}

void Translator::translate(const clang::Stmt *St, std::vector<Stmt> &Out) {
  if (!St)
    return;
  if (const auto *CS = dyn_cast<CompoundStmt>(St)) {
    Stmt B;
    B.K = Stmt::Block;
    B.L = loc(CS->getBeginLoc());
    for (const clang::Stmt *C : CS->body())
      translate(C, B.Body);
    Out.push_back(std::move(B));
    return;
  }
  if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        varDecl(VD, Out);
    return;
  }
  if (const auto *FS = dyn_cast<ForStmt>(St)) {
    forStmt(FS, Out);
    return;
  }
  if (const auto *RFS = dyn_cast<CXXForRangeStmt>(St)) {
    Stmt L;
    L.L = loc(RFS->getBeginLoc());
    L.Id = idOf(RFS->getLoopVariable());
    const Expr *Range = strip(RFS->getRangeInit());
    const InitListExpr *ILE = nullptr;
    if (const auto *SIL = dyn_cast<CXXStdInitializerListExpr>(Range))
      ILE = findFirst<InitListExpr>(SIL);
    else
      ILE = dyn_cast<InitListExpr>(Range);
    if (ILE) {
      L.K = Stmt::ForEach;
      for (const Expr *X : ILE->inits())
        L.Args.push_back(value(X));
    } else {
      scan(RFS->getRangeInit(), Out);
      L.K = Stmt::Loop;
      L.Name = value(RFS->getRangeInit());
    }
    loopBody(RFS->getBody(), L.Body);
    Out.push_back(std::move(L));
    return;
  }
  if (const auto *WS = dyn_cast<WhileStmt>(St)) {
    scan(WS->getCond(), Out);
    Stmt L;
    L.K = Stmt::Loop;
    L.L = loc(WS->getBeginLoc());
    loopBody(WS->getBody(), L.Body);
    Out.push_back(std::move(L));
    return;
  }
  if (const auto *DoS = dyn_cast<DoStmt>(St)) {
    Stmt L;
    L.K = Stmt::Loop;
    L.L = loc(DoS->getBeginLoc());
    loopBody(DoS->getBody(), L.Body);
    Out.push_back(std::move(L));
    return;
  }
  if (isa<BreakStmt>(St) || isa<ContinueStmt>(St)) {
    // A break inside a switch leaves the switch, whose cases run in
    // sequence anyway: nothing to model. A continue always targets a loop.
    bool IsBreak = isa<BreakStmt>(St);
    if (IsBreak ? (!Breakable.empty() && Breakable.back() == 'L') : Breakable.find('L') != std::string::npos) {
      Stmt B;
      B.K = IsBreak ? Stmt::Break : Stmt::Continue;
      B.L = loc(St->getBeginLoc());
      Out.push_back(std::move(B));
    }
    return;
  }
  if (const auto *IS = dyn_cast<IfStmt>(St)) {
    if (IS->getInit())
      translate(IS->getInit(), Out);
    if (IS->getConditionVariableDeclStmt())
      translate(IS->getConditionVariableDeclStmt(), Out);
    else
      scan(IS->getCond(), Out);
    if (IS->isConstexpr()) {
      if (std::optional<const clang::Stmt *> Taken = IS->getNondiscardedCase(Ctx)) {
        translate(*Taken, Out);
        return;
      }
    }
    Stmt I;
    I.K = Stmt::If;
    I.L = loc(IS->getBeginLoc());
    if (!IS->getConditionVariableDeclStmt() && IS->getCond())
      I.Name = value(IS->getCond());
    translateInto(IS->getThen(), I.Body);
    translateInto(IS->getElse(), I.Else);
    Out.push_back(std::move(I));
    return;
  }
  if (const auto *SS = dyn_cast<SwitchStmt>(St)) {
    scan(SS->getCond(), Out);
    Breakable.push_back('S');
    translate(SS->getBody(), Out);
    Breakable.pop_back();
    return;
  }
  if (const auto *RS = dyn_cast<ReturnStmt>(St)) {
    scan(RS->getRetValue(), Out);
    Stmt R;
    R.K = Stmt::Return;
    R.L = loc(RS->getBeginLoc());
    Out.push_back(std::move(R));
    return;
  }
  if (const auto *TS = dyn_cast<CXXTryStmt>(St)) {
    translate(TS->getTryBlock(), Out);
    return;
  }
  if (const auto *CS = dyn_cast<CaseStmt>(St)) {
    translate(CS->getSubStmt(), Out);
    return;
  }
  if (const auto *DS = dyn_cast<DefaultStmt>(St)) {
    translate(DS->getSubStmt(), Out);
    return;
  }
  if (const auto *LS = dyn_cast<LabelStmt>(St)) {
    translate(LS->getSubStmt(), Out);
    return;
  }
  if (const auto *AS = dyn_cast<AttributedStmt>(St)) {
    translate(AS->getSubStmt(), Out);
    return;
  }
  if (const auto *E = dyn_cast<Expr>(St))
    scan(E, Out);
}

/// Translates a loop/branch body so that it always is one Block.
void Translator::translateInto(const clang::Stmt *St, std::vector<Stmt> &Out) {
  if (!St)
    return;
  if (isa<CompoundStmt>(St)) {
    translate(St, Out);
    return;
  }
  Stmt B;
  B.K = Stmt::Block;
  B.L = loc(St->getBeginLoc());
  translate(St, B.Body);
  Out.push_back(std::move(B));
}

void Translator::varDecl(const VarDecl *VD, std::vector<Stmt> &Out) {
  QualType T = VD->getType();
  const Expr *Init = VD->getInit();
  if (isGuardType(T) && Init) {
    if (const auto *CE = dyn_cast<CXXConstructExpr>(strip(Init))) {
      for (const Expr *A : CE->arguments())
        scan(A, Out);
      Stmt S = guard(CE, VD->getLocation(), idOf(VD), false);
      // AUTO_REUSE spelled with the guard type's own qualifier (`v1::`),
      // else fully qualified.
      std::string Qualifier = "varscope::v1::";
      if (TypeSourceInfo *TSI = VD->getTypeSourceInfo())
        if (auto ETL = TSI->getTypeLoc().getAs<ElaboratedTypeLoc>(); ETL && ETL.getQualifierLoc()) {
          std::string Q = Lexer::getSourceText(CharSourceRange::getTokenRange(ETL.getQualifierLoc().getSourceRange()),
                                               SM, Ctx.getLangOpts())
                              .str();
          if (llvm::StringRef(Q).ends_with("::") && Q.find_first_of(" \t\n<") == std::string::npos)
            Qualifier = Q;
        }
      S.AutoReuseFix = autoReuseFix(CE, S, Qualifier);
      Out.push_back(std::move(S));
    }
    return;
  }
  if (isNameScopeType(T) && Init) {
    if (const auto *CE = dyn_cast<CXXConstructExpr>(strip(Init)))
      Out.push_back(nameScope(CE, VD->getLocation(), idOf(VD), false));
    return;
  }
  if (isVariableScopeType(T) && !T->isReferenceType() && Init) {
    Stmt S;
    S.K = Stmt::Capture;
    S.L = loc(VD->getLocation());
    S.Id = idOf(VD);
    S.Target = scopeSource(Init);
    Out.push_back(std::move(S));
    return;
  }
  if (isVariableScopeType(T) && T->isReferenceType() && Init) {
    // A reference to a guard's scope: alias it.
    Stmt S;
    S.K = Stmt::Capture;
    S.L = loc(VD->getLocation());
    S.Id = idOf(VD);
    S.Target = scopeSource(Init);
    Out.push_back(std::move(S));
    return;
  }
  if (!Init)
    return;
  const CXXConstructExpr *SavedTarget = ConstructTarget;
  std::string SavedId = ConstructTargetId;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(strip(Init)); CE && !T->isReferenceType()) {
    ConstructTarget = CE;
    ConstructTargetId = idOf(VD);
  }
  scan(Init, Out);
  ConstructTarget = SavedTarget;
  ConstructTargetId = SavedId;
  QualType NT = T.getNonReferenceType();
  bool IsList = !NT->isDependentType() &&
                (isRecord(NT, "std::initializer_list") || isRecord(NT, "std::vector") || isRecord(NT, "std::array")) &&
                value(Init).K == Value::List;
  // A lambda or std::function local holds a closure that a later call
  // (here or in a callee it is passed to) runs.
  if (NT->isIntegralOrEnumerationType() || NT->isPointerType() || isRecord(NT, "std::basic_string") ||
      isRecord(NT, "std::basic_string_view") || IsList || isCallableType(NT)) {
    Stmt S;
    S.K = Stmt::Let;
    S.L = loc(VD->getLocation());
    S.Id = idOf(VD);
    S.Name = value(Init);
    if (!NT.isConstQualified() && isMutated(VD))
      S.Name = Value::unknown(VD->getNameAsString() + " (modified after initialisation)", loc(VD->getLocation()));
    Out.push_back(std::move(S));
  }
}

/// True if the body assigns to VD after its declaration (outside a for
/// increment, which the loop handles).
bool Translator::isMutated(const VarDecl *VD) {
  if (!Fn || !Fn->getBody())
    return true;
  return mutates(Fn->getBody(), VD);
}

bool Translator::refersTo(const Expr *E, const VarDecl *VD) {
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
    return DRE->getDecl() == VD;
  return false;
}

bool Translator::mutates(const clang::Stmt *S, const VarDecl *VD) {
  if (!S)
    return false;
  if (const auto *BO = dyn_cast<BinaryOperator>(S))
    if (BO->isAssignmentOp() && refersTo(BO->getLHS(), VD))
      return true;
  if (const auto *UO = dyn_cast<UnaryOperator>(S))
    if (UO->isIncrementDecrementOp() && refersTo(UO->getSubExpr(), VD))
      return true;
  if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(S))
    if (OCE->isAssignmentOp() && OCE->getNumArgs() >= 1 && refersTo(OCE->getArg(0), VD))
      return true;
  if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(S))
    if (MCE->getMethodDecl() && !MCE->getMethodDecl()->isConst() && refersTo(MCE->getImplicitObjectArgument(), VD))
      return true;
  for (const clang::Stmt *C : S->children())
    if (mutates(C, VD))
      return true;
  return false;
}

void Translator::forStmt(const ForStmt *FS, std::vector<Stmt> &Out) {
  Stmt L;
  L.L = loc(FS->getBeginLoc());
  L.K = Stmt::Loop;
  const VarDecl *Var = nullptr;
  // init: `int i = A`
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(FS->getInit()); DS && DS->isSingleDecl())
    if (const auto *VD = dyn_cast<VarDecl>(DS->getSingleDecl());
        VD && VD->getInit() && VD->getType()->isIntegerType()) {
      Var = VD;
      L.From = value(VD->getInit());
    }
  // cond: `i < B`
  const auto *Cond = dyn_cast_or_null<BinaryOperator>(FS->getCond() ? FS->getCond()->IgnoreParenImpCasts() : nullptr);
  bool CondOk = Var && Cond && Cond->isComparisonOp() && Cond->getOpcode() != BO_EQ && refersTo(Cond->getLHS(), Var);
  if (CondOk) {
    L.Cmp = Cond->getOpcodeStr().str();
    L.To = value(Cond->getRHS());
  }
  // inc: ++i, i++, --i, i--, i += C, i -= C
  bool IncOk = false;
  if (const Expr *Inc = FS->getInc()) {
    Inc = Inc->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(Inc); UO && Var && refersTo(UO->getSubExpr(), Var)) {
      IncOk = UO->isIncrementDecrementOp();
      L.Step = UO->isIncrementOp() ? 1 : -1;
    } else if (const auto *CAO = dyn_cast<CompoundAssignOperator>(Inc); CAO && Var && refersTo(CAO->getLHS(), Var)) {
      Expr::EvalResult R;
      if ((CAO->getOpcode() == BO_AddAssign || CAO->getOpcode() == BO_SubAssign) &&
          CAO->getRHS()->EvaluateAsInt(R, Ctx)) {
        IncOk = true;
        L.Step = R.Val.getInt().getSExtValue() * (CAO->getOpcode() == BO_AddAssign ? 1 : -1);
      }
    }
  }
  if (Var && CondOk && IncOk && L.Step != 0 && !mutates(FS->getBody(), Var)) {
    L.K = Stmt::For;
    L.Id = idOf(Var);
  } else {
    if (FS->getInit())
      translate(FS->getInit(), Out);
    if (Var)
      L.Id = idOf(Var);
  }
  loopBody(FS->getBody(), L.Body);
  Out.push_back(std::move(L));
}

void Translator::loopBody(const clang::Stmt *Body, std::vector<Stmt> &Out) {
  Breakable.push_back('L');
  translateInto(Body, Out);
  Breakable.pop_back();
}

Function Translator::function() {
  Function F;
  F.USR = usr(Fn);
  const auto *MD = dyn_cast<CXXMethodDecl>(Fn);
  F.IsLambda = MD && MD->getParent()->isLambda();
  F.Name = F.IsLambda ? "lambda" : qualifiedName(Fn);
  F.L = loc(Fn->getLocation());
  for (const ParmVarDecl *P : Fn->parameters())
    F.Params.push_back(P->getNameAsString());
  std::vector<Stmt> Out;
  translate(Fn->getBody(), Out);
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Fn)) {
    // Member initialisers run before the body.
    Stmt Init;
    Init.K = Stmt::Block;
    for (const CXXCtorInitializer *CI : Ctor->inits()) {
      if (!CI->isWritten())
        continue;
      scan(CI->getInit(), Init.Body);
      const FieldDecl *FD = CI->getMember();
      if (!FD)
        continue;
      QualType FT = FD->getType();
      Stmt S;
      S.L = loc(CI->getSourceLocation());
      S.Id = "field:" + FD->getNameAsString();
      if (isVariableScopeType(FT)) {
        S.K = Stmt::Capture;
        S.Target = scopeSource(CI->getInit());
      } else if (FT->isIntegralOrEnumerationType() || FT->isPointerType() || isRecord(FT, "std::basic_string") ||
                 isRecord(FT, "std::basic_string_view")) {
        S.K = Stmt::Let;
        S.Name = value(CI->getInit());
      } else {
        continue;
      }
      Init.Body.push_back(std::move(S));
    }
    if (!Init.Body.empty() && !Out.empty())
      Out[0].Body.insert(Out[0].Body.begin(), Init.Body.begin(), Init.Body.end());
  }
  if (Out.size() == 1 && Out[0].K == Stmt::Block)
    F.Body = std::move(Out[0]);
  else {
    F.Body.K = Stmt::Block;
    F.Body.Body = std::move(Out);
  }
  return F;
}

} // namespace varscope::facts
