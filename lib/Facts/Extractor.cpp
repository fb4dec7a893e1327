//===- Extractor.cpp - Clang AST to facts ---------------------------------===//
//
// The only file of lib/Facts that includes Clang's AST headers. A
// RecursiveASTVisitor finds every user function body (including lambda call
// operators and template instantiations); a Translator turns each body into
// the abstract statements of Facts.h.
//
//===----------------------------------------------------------------------===//
#include "Facts/Extractor.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/Lexer.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <memory>
#include <set>

#ifndef VARSCOPE_CLANG_RESOURCE_DIR
#define VARSCOPE_CLANG_RESOURCE_DIR ""
#endif

using namespace clang;

namespace varscope::facts {
namespace {

std::string qualifiedName(const NamedDecl *D) { return D ? D->getQualifiedNameAsString() : std::string(); }

bool isRecord(QualType T, llvm::StringRef Name) {
  T = T.getNonReferenceType().getCanonicalType();
  if (const auto *RD = T->getAsCXXRecordDecl())
    return RD->getQualifiedNameAsString() == Name;
  return false;
}

bool isGuardType(QualType T) { return isRecord(T, "varscope::v1::variable_scope"); }
bool isNameScopeType(QualType T) { return isRecord(T, "varscope::v1::name_scope"); }
bool isVariableScopeType(QualType T) { return isRecord(T, "varscope::VariableScope"); }

/// Strips the wrappers Clang puts around values.
const Expr *strip(const Expr *E) {
  while (E) {
    const Expr *Next = E->IgnoreParenImpCasts();
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(Next))
      Next = EWC->getSubExpr();
    else if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(Next))
      Next = MTE->getSubExpr();
    else if (const auto *BTE = dyn_cast<CXXBindTemporaryExpr>(Next))
      Next = BTE->getSubExpr();
    else if (const auto *FCE = dyn_cast<CXXFunctionalCastExpr>(Next))
      Next = FCE->getSubExpr();
    else if (const auto *DAE = dyn_cast<CXXDefaultArgExpr>(Next))
      Next = DAE->getExpr();
    if (Next == E)
      return E;
    E = Next;
  }
  return E;
}

const char *dtypeName(llvm::StringRef N) {
  static const char *Names[][2] = {
      {"float16", "float16"}, {"bfloat16", "bfloat16"}, {"float32", "float32"}, {"float64", "float64"},
      {"int8", "int8"},       {"int16", "int16"},       {"int32", "int32"},     {"int64", "int64"},
      {"uint8", "uint8"},     {"uint16", "uint16"},     {"bool_", "bool"},      {"string", "string"},
      {"Float16", "float16"}, {"BFloat16", "bfloat16"}, {"Float32", "float32"}, {"Float64", "float64"},
      {"Int8", "int8"},       {"Int16", "int16"},       {"Int32", "int32"},     {"Int64", "int64"},
      {"UInt8", "uint8"},     {"UInt16", "uint16"},     {"Bool", "bool"},       {"String", "string"},
      {"float_", "float32"},  {"double_", "float64"},   {"half", "float16"},    {"boolean", "bool"}};
  for (auto &P : Names)
    if (N == P[0])
      return P[1];
  return nullptr;
}

class Translator {
public:
  Translator(ASTContext &Ctx, const FunctionDecl *Fn) : Ctx(Ctx), SM(Ctx.getSourceManager()), Fn(Fn) {}

  Loc loc(SourceLocation B, SourceLocation E = {}) const {
    Loc L;
    if (B.isInvalid())
      return L;
    SourceLocation EB = SM.getExpansionLoc(B);
    PresumedLoc P = SM.getPresumedLoc(EB);
    if (P.isInvalid())
      return L;
    L.File = fileName(EB);
    L.Line = P.getLine();
    L.Col = P.getColumn();
    if (E.isValid()) {
      SourceLocation EE = SM.getExpansionLoc(E);
      EE = Lexer::getLocForEndOfToken(EE, 0, SM, Ctx.getLangOpts());
      PresumedLoc PE = SM.getPresumedLoc(EE);
      if (PE.isValid() && SM.getFileID(EE) == SM.getFileID(EB)) {
        L.EndLine = PE.getLine();
        L.EndCol = PE.getColumn();
      }
    }
    return L;
  }

  std::string fileName(SourceLocation L) const {
    FileID FID = SM.getFileID(L);
    if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID)) {
      llvm::SmallString<256> P(FE->getName());
      llvm::sys::fs::make_absolute(P);
      llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
      return std::string(P);
    }
    return std::string(SM.getFilename(L));
  }

  std::string text(const Expr *E) const {
    CharSourceRange R = CharSourceRange::getTokenRange(SM.getExpansionRange(E->getSourceRange()).getAsRange());
    return std::string(Lexer::getSourceText(R, SM, Ctx.getLangOpts()));
  }

  std::string idOf(const Decl *D) {
    auto It = Ids.find(D);
    if (It != Ids.end())
      return It->second;
    std::string Name;
    if (const auto *ND = dyn_cast<NamedDecl>(D))
      Name = ND->getNameAsString();
    // Stable within the TU, so a lambda and its enclosing function agree
    // on the ids of captured locals.
    std::string Id = Name + "#" + std::to_string(D->getLocation().getRawEncoding());
    Ids[D] = Id;
    return Id;
  }

  // -- values ---------------------------------------------------------------

  Value value(const Expr *E) {
    Value V = valueImpl(E);
    if (!V.L.valid() && E)
      V.L = loc(E->getBeginLoc(), E->getEndLoc());
    return V;
  }

  Value valueImpl(const Expr *E) {
    E = strip(E);
    if (!E)
      return Value::unknown("<none>");
    if (isVariableScopeType(E->getType())) {
      // A VariableScope argument: which scope object it is.
      std::string Src = scopeSource(E);
      if (Src == "?")
        return Value::unknown(text(E));
      Value V;
      V.K = Value::Var;
      V.Text = Src.empty() ? "@current" : Src;
      return V;
    }
    if (const auto *SL = dyn_cast<StringLiteral>(E)) {
      if (SL->getCharByteWidth() == 1)
        return Value::str(SL->getString().str());
      return Value::unknown(text(E));
    }
    if (const auto *IL = dyn_cast<IntegerLiteral>(E))
      return Value::integer(IL->getValue().getSExtValue());
    if (const auto *BL = dyn_cast<CXXBoolLiteralExpr>(E))
      return Value::integer(BL->getValue());
    if (isa<CXXNullPtrLiteralExpr>(E) || isa<GNUNullExpr>(E)) {
      Value V;
      V.K = Value::Null;
      return V;
    }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
      QualType T = CE->getType();
      if (CE->getNumArgs() == 0 && (isRecord(T, "std::basic_string") || isRecord(T, "std::basic_string_view")))
        return Value::str("");
      if (CE->getNumArgs() >= 1 && !isa<CXXDefaultArgExpr>(CE->getArg(0)) &&
          (CE->getNumArgs() == 1 || isa<CXXDefaultArgExpr>(CE->getArg(1))))
        return value(CE->getArg(0));
      return Value::unknown(text(E));
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const ValueDecl *D = DRE->getDecl();
      if (const auto *PVD = dyn_cast<ParmVarDecl>(D)) {
        if (Fn)
          for (unsigned I = 0; I < Fn->getNumParams(); ++I)
            if (Fn->getParamDecl(I) == PVD) {
              Value V;
              V.K = Value::Param;
              V.I = I;
              V.Text = PVD->getNameAsString();
              return V;
            }
        return Value::unknown(text(E));
      }
      if (const auto *VD = dyn_cast<VarDecl>(D)) {
        QualType T = VD->getType();
        bool IsConst = T.isConstQualified() || VD->isConstexpr();
        if ((!VD->hasLocalStorage() || IsConst) && IsConst && VD->getInit() && !VD->getInit()->isValueDependent() &&
            VD->getInit() != E)
          return value(VD->getInit());
        if (VD->hasLocalStorage()) {
          Value V;
          V.K = Value::Var;
          V.Text = idOf(VD);
          return V;
        }
        return Value::unknown(text(E));
      }
      if (const auto *ECD = dyn_cast<EnumConstantDecl>(D))
        return Value::integer(ECD->getInitVal().getSExtValue());
      return Value::unknown(text(E));
    }
    if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(E)) {
      if (OCE->getOperator() == OO_Plus && OCE->getNumArgs() == 2) {
        Value V;
        V.K = Value::Concat;
        for (const Expr *A : {OCE->getArg(0), OCE->getArg(1)}) {
          Value X = value(A);
          if (X.K == Value::Concat)
            for (Value &Y : X.Args)
              V.Args.push_back(std::move(Y));
          else
            V.Args.push_back(std::move(X));
        }
        return V;
      }
      return Value::unknown(text(E));
    }
    if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *M = MCE->getMethodDecl();
      if (M && (isa<CXXConversionDecl>(M) || M->getName() == "c_str" || M->getName() == "data" ||
                M->getName() == "str"))
        return value(MCE->getImplicitObjectArgument());
      return Value::unknown(text(E));
    }
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      const FunctionDecl *FD = Call->getDirectCallee();
      if (FD && Call->getNumArgs() == 1 && qualifiedName(FD).find("to_string") != std::string::npos &&
          qualifiedName(FD).rfind("std::", 0) == 0) {
        Value V;
        V.K = Value::ToString;
        V.Args.push_back(value(Call->getArg(0)));
        return V;
      }
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      if (BO->getType()->isIntegerType() && (BO->isAdditiveOp() || BO->isMultiplicativeOp())) {
        Value V;
        V.K = Value::Arith;
        V.Text = BO->getOpcodeStr().str();
        V.Args.push_back(value(BO->getLHS()));
        V.Args.push_back(value(BO->getRHS()));
        return V;
      }
    }
    if (E->getType()->isIntegralOrEnumerationType() && !E->isValueDependent()) {
      Expr::EvalResult R;
      if (E->EvaluateAsInt(R, Ctx))
        return Value::integer(R.Val.getInt().getSExtValue());
    }
    return Value::unknown(text(E));
  }

  // -- options structs --------------------------------------------------------

  /// The semantic InitListExpr of an options argument, or null (defaults or
  /// not a braced list).
  const InitListExpr *optionsList(const Expr *Arg, bool &IsDefault) {
    IsDefault = isa<CXXDefaultArgExpr>(Arg->IgnoreImplicit());
    if (IsDefault)
      return nullptr;
    const Expr *E = strip(Arg);
    if (const auto *ILE = dyn_cast<InitListExpr>(E))
      return ILE->isSemanticForm() ? ILE : ILE->getSemanticForm();
    return nullptr;
  }

  static bool specified(const Expr *Init) {
    if (!Init || isa<CXXDefaultInitExpr>(Init) || isa<ImplicitValueInitExpr>(Init))
      return false;
    if (const auto *CE = dyn_cast<CXXConstructExpr>(Init->IgnoreImplicit()))
      return CE->getNumArgs() != 0 || isa<CXXTemporaryObjectExpr>(CE);
    return true;
  }

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

  static const DeclRefExpr *findDeclRef(const clang::Stmt *S, llvm::function_ref<bool(const DeclRefExpr *)> P) {
    if (!S)
      return nullptr;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (P(DRE))
        return DRE;
    for (const clang::Stmt *C : S->children())
      if (const DeclRefExpr *R = findDeclRef(C, P))
        return R;
    return nullptr;
  }

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

  std::string dtypeOf(const Expr *Init) {
    const DeclRefExpr *DRE = findDeclRef(Init, [](const DeclRefExpr *D) {
      return dtypeName(D->getDecl()->getName()) != nullptr &&
             qualifiedName(D->getDecl()).rfind("varscope::", 0) == 0;
    });
    if (DRE)
      return dtypeName(DRE->getDecl()->getName());
    return "unknown";
  }

  PartitionerFact partitionerOf(const Expr *Init) {
    PartitionerFact P;
    P.K = PartitionerFact::Unknown;
    P.Text = text(Init);
    if (const auto *Call = findFirst<CallExpr>(Init)) {
      const FunctionDecl *FD = Call->getDirectCallee();
      if (FD && FD->getName() == "fixed_size_partitioner" && Call->getNumArgs() >= 1) {
        P.K = PartitionerFact::Fixed;
        P.Shards = value(Call->getArg(0));
        P.Axis = Call->getNumArgs() >= 2 ? value(Call->getArg(1)) : Value::integer(0);
        P.Text = text(Call);
      }
    }
    return P;
  }

  void readShape(const Expr *Init, Stmt &S) {
    const Expr *E = strip(Init);
    if (const auto *SIL = findFirst<CXXStdInitializerListExpr>(E)) {
      S.Shape = Stmt::ShapeDims;
      if (const auto *ILE = findFirst<InitListExpr>(SIL))
        for (const Expr *D : ILE->inits())
          S.Dims.push_back(value(D));
      return;
    }
    if (const auto *ILE = dyn_cast<InitListExpr>(E); ILE && ILE->getNumInits() == 0) {
      S.Shape = Stmt::ShapeDims;
      return;
    }
    // Shape{} / Shape() / std::optional<Shape>(Shape{}): a scalar.
    if (const auto *CE = findFirst<CXXConstructExpr>(E)) {
      const CXXConstructExpr *Inner = CE;
      while (Inner && Inner->getNumArgs() == 1)
        Inner = dyn_cast<CXXConstructExpr>(strip(Inner->getArg(0)));
      if (Inner && Inner->getNumArgs() == 0 && isRecord(Inner->getType(), "varscope::Shape")) {
        S.Shape = Stmt::ShapeDims;
        return;
      }
    }
    S.Shape = Stmt::ShapeUnknown;
  }

  void readVarScopeOptions(const Expr *Arg, Stmt &S) {
    bool IsDefault = false;
    const InitListExpr *ILE = optionsList(Arg, IsDefault);
    if (IsDefault)
      return;
    if (!ILE) {
      S.Reuse = ReuseArg::Unknown;
      S.Aux = ReuseArg::Unknown;
      return;
    }
    forEachField(ILE, [&](llvm::StringRef Field, const Expr *Init) {
      if (Field == "reuse") {
        S.ReuseLoc = loc(Init->getBeginLoc(), Init->getEndLoc());
        if (findDeclRef(Init, [](const DeclRefExpr *D) { return D->getDecl()->getName() == "AUTO_REUSE"; })) {
          S.Reuse = ReuseArg::Auto;
          return;
        }
        const Expr *B = strip(Init);
        if (const auto *CE = dyn_cast<CXXConstructExpr>(B); CE && CE->getNumArgs() == 1)
          B = strip(CE->getArg(0));
        bool Val = false;
        if (!B->isValueDependent() && B->getType()->isBooleanType() && B->EvaluateAsBooleanCondition(Val, Ctx))
          S.Reuse = Val ? ReuseArg::True : ReuseArg::False;
        else if (B->getType()->isNullPtrType() || isRecord(B->getType(), "std::nullopt_t"))
          S.Reuse = ReuseArg::Unset;
        else
          S.Reuse = ReuseArg::Unknown;
        if (S.Reuse == ReuseArg::False)
          S.ReuseFix = removalOfDesignator(ILE, "reuse", Arg);
        return;
      }
      if (Field == "auxiliary_name_scope") {
        bool Val = false;
        const Expr *B = strip(Init);
        if (!B->isValueDependent() && B->EvaluateAsBooleanCondition(Val, Ctx))
          S.Aux = Val ? ReuseArg::True : ReuseArg::False;
        else
          S.Aux = ReuseArg::Unknown;
        return;
      }
      if (Field == "partitioner") {
        S.Partitioner = partitionerOf(Init);
        return;
      }
      if (Field == "dtype") {
        S.DType = dtypeOf(Init);
        return;
      }
      if (Field == "initializer")
        S.Initializer = text(Init);
    });
  }

  /// The edit that deletes `.Field = value` (and its comma) from a braced
  /// options list, or the whole `, {...}` argument when it is the only one.
  std::optional<Replacement> removalOfDesignator(const InitListExpr *Semantic, llvm::StringRef Field,
                                                 const Expr *Arg) {
    const InitListExpr *Syn = Semantic->isSyntacticForm() ? Semantic : Semantic->getSyntacticForm();
    if (!Syn)
      return std::nullopt;
    int Index = -1;
    for (unsigned I = 0; I < Syn->getNumInits(); ++I)
      if (const auto *DIE = dyn_cast<DesignatedInitExpr>(Syn->getInit(I)))
        if (DIE->size() == 1 && DIE->getDesignator(0)->isFieldDesignator() &&
            DIE->getDesignator(0)->getFieldName() && DIE->getDesignator(0)->getFieldName()->getName() == Field)
          Index = static_cast<int>(I);
    if (Index < 0)
      return std::nullopt;
    const LangOptions &LO = Ctx.getLangOpts();
    auto Offset = [&](SourceLocation L) { return SM.getFileOffset(L); };
    const Expr *Mine = Syn->getInit(Index);
    if (Mine->getBeginLoc().isMacroID() || Syn->getBeginLoc().isMacroID())
      return std::nullopt;
    SourceLocation Begin, End;
    if (Syn->getNumInits() == 1) {
      // Remove the whole argument, from the end of the previous token.
      SourceLocation ArgBegin = Syn->getLBraceLoc();
      // Walk back over whitespace to the comma before the list.
      const char *Buf = SM.getCharacterData(ArgBegin);
      const char *P = Buf;
      const char *Start = SM.getBufferData(SM.getFileID(ArgBegin)).data();
      while (P > Start && isspace(static_cast<unsigned char>(P[-1])))
        --P;
      if (P > Start && P[-1] == ',')
        --P;
      while (P > Start && isspace(static_cast<unsigned char>(P[-1])))
        --P;
      Begin = ArgBegin.getLocWithOffset(P - Buf);
      End = Lexer::getLocForEndOfToken(Syn->getRBraceLoc(), 0, SM, LO);
      (void)Arg;
    } else if (Index > 0) {
      Begin = Lexer::getLocForEndOfToken(Syn->getInit(Index - 1)->getEndLoc(), 0, SM, LO);
      End = Lexer::getLocForEndOfToken(Mine->getEndLoc(), 0, SM, LO);
    } else {
      Begin = Mine->getBeginLoc();
      End = Syn->getInit(1)->getBeginLoc();
    }
    if (Begin.isInvalid() || End.isInvalid())
      return std::nullopt;
    Replacement R;
    R.File = fileName(Begin);
    R.Offset = Offset(Begin);
    R.Length = Offset(End) - Offset(Begin);
    return R;
  }

  // -- statements -------------------------------------------------------------

  /// A v1::variable_scope construction.
  Stmt guard(const CXXConstructExpr *CE, SourceLocation At, std::string Id, bool Temporary) {
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

  /// Where a VariableScope value comes from: "" = the current scope, an id
  /// of a guard or captured VariableScope local, "?" = unknown.
  std::string scopeSource(const Expr *E) {
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
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (const auto *PVD = dyn_cast<ParmVarDecl>(DRE->getDecl()); PVD && Fn)
        for (unsigned I = 0; I < Fn->getNumParams(); ++I)
          if (Fn->getParamDecl(I) == PVD)
            return "param:" + std::to_string(I);
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        if (VD->hasLocalStorage())
          return idOf(VD);
    }
    return "?";
  }

  Stmt nameScope(const CXXConstructExpr *CE, SourceLocation At, std::string Id, bool Temporary) {
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
  std::optional<Replacement> nameGuardFix(const Expr *E, const Value &Name) {
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

  void getVariable(const CallExpr *Call, const FunctionDecl *FD, std::vector<Stmt> &Out) {
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

  bool isUserFunction(const FunctionDecl *FD) {
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

  static std::string usr(const Decl *D) {
    llvm::SmallString<128> Buf;
    if (index::generateUSRForDecl(D, Buf))
      return {};
    return std::string(Buf);
  }

  /// Records the interesting calls of an expression in evaluation order.
  void scan(const Expr *E, std::vector<Stmt> &Out) {
    if (!E)
      return;
    if (isa<LambdaExpr>(E))
      return;
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
      if (Ctor && Ctor->isUserProvided() && isUserFunction(Ctor))
        Out.push_back(callStmt(Ctor, CE->getBeginLoc(), CE->getEndLoc(),
                               llvm::ArrayRef(CE->getArgs(), CE->getNumArgs())));
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
      if (const auto *OCE = dyn_cast<CXXOperatorCallExpr>(Call);
          OCE && OCE->getOperator() == OO_Equal && OCE->getNumArgs() == 2 &&
          isVariableScopeType(OCE->getArg(0)->getType())) {
        if (const auto *DRE = dyn_cast<DeclRefExpr>(OCE->getArg(0)->IgnoreParenImpCasts())) {
          Stmt S;
          S.K = Stmt::Capture;
          S.L = loc(OCE->getBeginLoc());
          S.Id = idOf(DRE->getDecl());
          S.Target = scopeSource(OCE->getArg(1));
          Out.push_back(std::move(S));
          return;
        }
      }
      if (const auto *MCE = dyn_cast<CXXMemberCallExpr>(Call)) {
        const CXXMethodDecl *M = MCE->getMethodDecl();
        if (M && M->getName() == "reuse_variables" && isRecord(M->getThisType()->getPointeeType(), "varscope::VariableScope")) {
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
      if (isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(FD) && !Args.empty())
        Args = Args.drop_front();
      Out.push_back(callStmt(Def, Call->getBeginLoc(), Call->getEndLoc(), Args));
      return;
    }
    for (const clang::Stmt *C : E->children())
      if (const auto *CE = dyn_cast_or_null<Expr>(C))
        scan(CE, Out);
  }

  const Expr *tempOwner(const CXXConstructExpr *CE) {
    if (isa<CXXTemporaryObjectExpr>(CE))
      return CE;
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

  Stmt callStmt(const FunctionDecl *FD, SourceLocation B, SourceLocation E, llvm::ArrayRef<const Expr *> Args) {
    Stmt S;
    S.K = Stmt::Call;
    S.L = loc(B, E);
    const FunctionDecl *Canon = FD;
    if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern(); Pattern && !FD->isTemplateInstantiation())
      Canon = Pattern;
    S.Callee = usr(Canon);
    S.CalleeName = FD->getParent() && isa<CXXRecordDecl>(FD->getParent()) &&
                           cast<CXXRecordDecl>(FD->getParent())->isLambda()
                       ? std::string("lambda")
                       : qualifiedName(FD);
    for (const Expr *A : Args)
      S.Args.push_back(value(A));
    return S;
  }

  void translate(const clang::Stmt *St, std::vector<Stmt> &Out) {
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
      }
      translateInto(RFS->getBody(), L.Body);
      Out.push_back(std::move(L));
      return;
    }
    if (const auto *WS = dyn_cast<WhileStmt>(St)) {
      scan(WS->getCond(), Out);
      Stmt L;
      L.K = Stmt::Loop;
      L.L = loc(WS->getBeginLoc());
      translateInto(WS->getBody(), L.Body);
      Out.push_back(std::move(L));
      return;
    }
    if (const auto *DoS = dyn_cast<DoStmt>(St)) {
      Stmt L;
      L.K = Stmt::Loop;
      L.L = loc(DoS->getBeginLoc());
      translateInto(DoS->getBody(), L.Body);
      Out.push_back(std::move(L));
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
      translateInto(IS->getThen(), I.Body);
      translateInto(IS->getElse(), I.Else);
      Out.push_back(std::move(I));
      return;
    }
    if (const auto *SS = dyn_cast<SwitchStmt>(St)) {
      scan(SS->getCond(), Out);
      translate(SS->getBody(), Out);
      return;
    }
    if (const auto *RS = dyn_cast<ReturnStmt>(St)) {
      scan(RS->getRetValue(), Out);
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
  void translateInto(const clang::Stmt *St, std::vector<Stmt> &Out) {
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

  void varDecl(const VarDecl *VD, std::vector<Stmt> &Out) {
    QualType T = VD->getType();
    const Expr *Init = VD->getInit();
    if (isGuardType(T) && Init) {
      if (const auto *CE = dyn_cast<CXXConstructExpr>(strip(Init))) {
        for (const Expr *A : CE->arguments())
          scan(A, Out);
        Out.push_back(guard(CE, VD->getLocation(), idOf(VD), false));
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
    scan(Init, Out);
    QualType NT = T.getNonReferenceType();
    if (NT->isIntegralOrEnumerationType() || NT->isPointerType() || isRecord(NT, "std::basic_string") ||
        isRecord(NT, "std::basic_string_view")) {
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
  bool isMutated(const VarDecl *VD) {
    if (!Fn || !Fn->getBody())
      return true;
    return mutates(Fn->getBody(), VD);
  }

  static bool refersTo(const Expr *E, const VarDecl *VD) {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
      return DRE->getDecl() == VD;
    return false;
  }

  static bool mutates(const clang::Stmt *S, const VarDecl *VD) {
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
      if (MCE->getMethodDecl() && !MCE->getMethodDecl()->isConst() &&
          refersTo(MCE->getImplicitObjectArgument(), VD))
        return true;
    for (const clang::Stmt *C : S->children())
      if (mutates(C, VD))
        return true;
    return false;
  }

  void forStmt(const ForStmt *FS, std::vector<Stmt> &Out) {
    Stmt L;
    L.L = loc(FS->getBeginLoc());
    L.K = Stmt::Loop;
    const VarDecl *Var = nullptr;
    // init: `int i = A`
    if (const auto *DS = dyn_cast_or_null<DeclStmt>(FS->getInit()); DS && DS->isSingleDecl())
      if (const auto *VD = dyn_cast<VarDecl>(DS->getSingleDecl()); VD && VD->getInit() &&
                                                                 VD->getType()->isIntegerType()) {
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
    translateInto(FS->getBody(), L.Body);
    Out.push_back(std::move(L));
  }

  Function function() {
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
      for (const CXXCtorInitializer *CI : Ctor->inits())
        if (CI->isWritten())
          scan(CI->getInit(), Init.Body);
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

private:
  ASTContext &Ctx;
  SourceManager &SM;
  const FunctionDecl *Fn;
  llvm::DenseMap<const Decl *, std::string> Ids;
};

class Visitor : public RecursiveASTVisitor<Visitor> {
public:
  Visitor(ASTContext &Ctx, TUFacts &Out) : Ctx(Ctx), Out(Out) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaBody() const { return true; }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    add(FD);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *LE) {
    add(LE->getCallOperator());
    return true;
  }

private:
  void add(const FunctionDecl *FD) {
    if (!FD->doesThisDeclarationHaveABody() || FD->isDependentContext() || FD->isInvalidDecl())
      return;
    const SourceManager &SM = Ctx.getSourceManager();
    SourceLocation L = SM.getExpansionLoc(FD->getLocation());
    if (L.isInvalid() || SM.isInSystemHeader(L))
      return;
    std::string Q = FD->getQualifiedNameAsString();
    if (Q.rfind("varscope::", 0) == 0 && !SM.isInMainFile(L))
      return;
    if (!Seen.insert(FD).second)
      return;
    Translator T(Ctx, FD);
    Function F = T.function();
    if (F.USR.empty())
      return;
    Out.Functions.push_back(std::move(F));
  }

  ASTContext &Ctx;
  TUFacts &Out;
  std::set<const FunctionDecl *> Seen;
};

class Consumer : public ASTConsumer {
public:
  explicit Consumer(ExtractResult &R) : R(R) {}
  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (Ctx.getDiagnostics().hasErrorOccurred())
      return;
    Visitor V(Ctx, R.Facts);
    V.TraverseDecl(Ctx.getTranslationUnitDecl());
    const SourceManager &SM = Ctx.getSourceManager();
    for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It) {
      llvm::SmallString<256> P(It->first.getName());
      llvm::sys::fs::make_absolute(P);
      llvm::sys::path::remove_dots(P, true);
      if (llvm::sys::fs::is_regular_file(P))
        R.Deps.push_back(std::string(P));
    }
    std::sort(R.Deps.begin(), R.Deps.end());
    R.Deps.erase(std::unique(R.Deps.begin(), R.Deps.end()), R.Deps.end());
  }

private:
  ExtractResult &R;
};

class Action : public ASTFrontendAction {
public:
  explicit Action(ExtractResult &R) : R(R) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &, llvm::StringRef) override {
    return std::make_unique<Consumer>(R);
  }

private:
  ExtractResult &R;
};

class Factory : public tooling::FrontendActionFactory {
public:
  explicit Factory(ExtractResult &R) : R(R) {}
  std::unique_ptr<FrontendAction> create() override { return std::make_unique<Action>(R); }

private:
  ExtractResult &R;
};

class OneCommand : public tooling::CompilationDatabase {
public:
  explicit OneCommand(tooling::CompileCommand C) : C(std::move(C)) {}
  std::vector<tooling::CompileCommand> getCompileCommands(llvm::StringRef) const override { return {C}; }

private:
  tooling::CompileCommand C;
};

} // namespace

llvm::Expected<ExtractResult> extractFacts(const Command &Cmd) {
  if (!llvm::sys::fs::exists(Cmd.File))
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "cannot read '" + Cmd.File + "'");
  tooling::CompileCommand C(Cmd.Directory, Cmd.File, Cmd.Args, "");
  OneCommand DB(C);
  tooling::ClangTool Tool(DB, {Cmd.File});
  Tool.appendArgumentsAdjuster([](const tooling::CommandLineArguments &Args, llvm::StringRef) {
    tooling::CommandLineArguments Out = Args;
    bool HasResourceDir = false;
    for (const std::string &A : Args)
      if (llvm::StringRef(A).starts_with("-resource-dir"))
        HasResourceDir = true;
    std::vector<std::string> Extra = {"-w", "-Wno-error"};
    if (!HasResourceDir && llvm::StringRef(VARSCOPE_CLANG_RESOURCE_DIR) != "")
      Extra.push_back(std::string("-resource-dir=") + VARSCOPE_CLANG_RESOURCE_DIR);
    Out.insert(Out.begin() + (Out.empty() ? 0 : 1), Extra.begin(), Extra.end());
    return Out;
  });
  Tool.setPrintErrorMessage(false);
  ExtractResult R;
  Factory F(R);
  int RC = Tool.run(&F);
  if (RC != 0)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "compilation of '" + Cmd.File + "' failed");
  llvm::SmallString<256> Main(Cmd.File);
  if (!llvm::sys::path::is_absolute(Main)) {
    Main = Cmd.Directory;
    llvm::sys::path::append(Main, Cmd.File);
  }
  llvm::sys::path::remove_dots(Main, true);
  R.Facts.MainFile = std::string(Main);
  return R;
}

} // namespace varscope::facts
