//===- Translator.cpp - One function body to facts ------------------------===//
//
// Values (string/integer constants, parameters, locals, members,
// concatenation, conditions), the options structs of variable_scope and
// get_variable, and the statements of a body. See Translator.h.
//
//===----------------------------------------------------------------------===//
#include "Facts/Translator.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace varscope::facts {

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

bool isCallableWrapperType(QualType T) {
  return isRecord(T, "std::function") || isRecord(T, "std::move_only_function") || isRecord(T, "varscope::Function");
}

bool isCallableType(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return (RD && RD->isLambda()) || isCallableWrapperType(T);
}

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

Loc Translator::loc(SourceLocation B, SourceLocation E) const {
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

std::string Translator::fileName(SourceLocation L) const {
  FileID FID = SM.getFileID(L);
  if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID)) {
    llvm::SmallString<256> P(FE->getName());
    llvm::sys::fs::make_absolute(P);
    llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
    return std::string(P);
  }
  return std::string(SM.getFilename(L));
}

std::string Translator::text(const Expr *E) const {
  CharSourceRange R = CharSourceRange::getTokenRange(SM.getExpansionRange(E->getSourceRange()).getAsRange());
  return std::string(Lexer::getSourceText(R, SM, Ctx.getLangOpts()));
}

std::string Translator::idOf(const Decl *D) {
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
Value Translator::value(const Expr *E) {
  Value V = valueImpl(E);
  if (!V.L.valid() && E)
    V.L = loc(E->getBeginLoc(), E->getEndLoc());
  return V;
}

Value Translator::valueImpl(const Expr *E) {
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
  if (isa<CXXThisExpr>(E)) {
    Value V;
    V.K = Value::Var;
    V.Text = "@this";
    return V;
  }
  if (std::string F = fieldOf(E); !F.empty()) {
    Value V;
    V.K = Value::Var;
    V.Text = F;
    return V;
  }
  if (const auto *SIL = dyn_cast<CXXStdInitializerListExpr>(E)) {
    Value V;
    V.K = Value::List;
    if (const auto *ILE = findFirst<InitListExpr>(SIL))
      for (const Expr *X : ILE->inits())
        V.Args.push_back(value(X));
    return V;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_LNot) {
    Value V;
    V.K = Value::Arith;
    V.Text = "!";
    V.Args.push_back(value(UO->getSubExpr()));
    return V;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E); BO && (BO->isComparisonOp() || BO->isLogicalOp())) {
    Value V;
    V.K = Value::Arith;
    V.Text = BO->getOpcodeStr().str();
    V.Args.push_back(value(BO->getLHS()));
    V.Args.push_back(value(BO->getRHS()));
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
  if (const auto *LE = dyn_cast<LambdaExpr>(E))
    return closure(LE);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return declValue(DRE->getDecl(), DRE);
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
    if (M && (isa<CXXConversionDecl>(M) || M->getName() == "c_str" || M->getName() == "data" || M->getName() == "str"))
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

Value Translator::declValue(const ValueDecl *D, const Expr *Ref) {
  auto Unknown = [&] { return Value::unknown(Ref ? text(Ref) : D->getNameAsString()); };
  auto Local = [&](const Decl *X) {
    Value V;
    V.K = Value::Var;
    V.Text = idOf(X);
    return V;
  };
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
    // A parameter of another function: in a lambda, one of the enclosing
    // function's, which the closure captured under this id.
    return Local(PVD);
  }
  if (const auto *VD = dyn_cast<VarDecl>(D)) {
    QualType T = VD->getType();
    bool IsConst = T.isConstQualified() || VD->isConstexpr();
    // Constants are folded; a const closure is not: its captures belong to
    // the function that created it.
    if (IsConst && VD->getInit() && !VD->getInit()->isValueDependent() && VD->getInit() != Ref &&
        !isCallableType(T))
      return value(VD->getInit());
    if (VD->hasLocalStorage())
      return Local(VD);
    return Unknown();
  }
  if (const auto *ECD = dyn_cast<EnumConstantDecl>(D))
    return Value::integer(ECD->getInitVal().getSExtValue());
  return Unknown();
}

Value Translator::closure(const LambdaExpr *LE) {
  Value V;
  V.K = Value::Closure;
  V.Text = usr(LE->getCallOperator());
  for (const LambdaCapture &C : LE->captures()) {
    Value Cap;
    Cap.K = Value::Capture;
    if (C.capturesThis()) {
      Cap.Text = "@this";
      Cap.I = C.getCaptureKind() == LCK_This; // `*this` is a copy
      Value This;
      This.K = Value::Var;
      This.Text = "@this";
      Cap.Args.push_back(std::move(This));
    } else if (C.capturesVariable()) {
      const ValueDecl *D = C.getCapturedVar();
      Cap.Text = idOf(D);
      Cap.I = C.getCaptureKind() == LCK_ByRef;
      const auto *VD = dyn_cast<VarDecl>(D);
      Cap.Args.push_back(VD && VD->isInitCapture() ? value(VD->getInit()) : declValue(D, nullptr));
    } else {
      continue;
    }
    V.Args.push_back(std::move(Cap));
  }
  return V;
}

// -- options structs --------------------------------------------------------
/// The semantic InitListExpr of an options argument, or null (defaults or
/// not a braced list).
const InitListExpr *Translator::optionsList(const Expr *Arg, bool &IsDefault) {
  IsDefault = isa<CXXDefaultArgExpr>(Arg->IgnoreImplicit());
  if (IsDefault)
    return nullptr;
  const Expr *E = strip(Arg);
  if (const auto *ILE = dyn_cast<InitListExpr>(E))
    return ILE->isSemanticForm() ? ILE : ILE->getSemanticForm();
  return nullptr;
}

bool Translator::specified(const Expr *Init) {
  if (!Init || isa<CXXDefaultInitExpr>(Init) || isa<ImplicitValueInitExpr>(Init))
    return false;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(Init->IgnoreImplicit()))
    return CE->getNumArgs() != 0 || isa<CXXTemporaryObjectExpr>(CE);
  return true;
}

const DeclRefExpr *Translator::findDeclRef(const clang::Stmt *S, llvm::function_ref<bool(const DeclRefExpr *)> P) {
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

std::string Translator::dtypeOf(const Expr *Init) {
  const DeclRefExpr *DRE = findDeclRef(Init, [](const DeclRefExpr *D) {
    return dtypeName(D->getDecl()->getName()) != nullptr && qualifiedName(D->getDecl()).rfind("varscope::", 0) == 0;
  });
  if (DRE)
    return dtypeName(DRE->getDecl()->getName());
  return "unknown";
}

/// value() of a std::optional argument: Null for std::nullopt / {}.
Value Translator::optionalValue(const Expr *A) {
  const Expr *E = strip(A);
  if (isRecord(E->getType(), "std::nullopt_t"))
    return nullValue();
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E); CE && isRecord(CE->getType(), "std::optional")) {
    if (CE->getNumArgs() == 0)
      return nullValue();
    if (isRecord(strip(CE->getArg(0))->getType(), "std::nullopt_t"))
      return nullValue();
    return value(CE->getArg(0));
  }
  return value(A);
}

Value Translator::nullValue() {
  Value V;
  V.K = Value::Null;
  return V;
}

PartitionerFact Translator::partitionerOf(const Expr *Init) {
  if (std::optional<PartitionerFact> Listed = listedPartitioner(Init))
    return *Listed;
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
    } else if (FD &&
               (FD->getName() == "min_max_variable_partitioner" || FD->getName() == "variable_axis_size_partitioner")) {
      P.K = FD->getName() == "min_max_variable_partitioner" ? PartitionerFact::MinMax : PartitionerFact::AxisSize;
      for (const Expr *A : Call->arguments())
        P.Args.push_back(optionalValue(A));
      P.Text = text(Call);
    }
  }
  return P;
}

/// The one value a function body returns when it is `{ return X; }`, else
/// null: anything longer may compute its result from the shape.
static const Expr *onlyReturnValue(const clang::Stmt *Body) {
  const auto *CS = dyn_cast_or_null<CompoundStmt>(Body);
  if (!CS || CS->size() != 1)
    return nullptr;
  const auto *RS = dyn_cast<ReturnStmt>(CS->body_front());
  return RS ? RS->getRetValue() : nullptr;
}

std::optional<PartitionerFact> Translator::listedPartitioner(const Expr *Init) {
  const Expr *E = strip(Init);
  // Through Partitioner(fn[, description]), PartitionerFn(fn),
  // std::function(fn) and closure copies to the callable itself.
  for (unsigned Depth = 0; Depth < 8; ++Depth) {
    const auto *CE = dyn_cast<CXXConstructExpr>(E);
    if (!CE || CE->getNumArgs() == 0 || isa<CXXDefaultArgExpr>(CE->getArg(0)))
      break;
    E = strip(CE->getArg(0));
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
    E = strip(UO->getSubExpr());
  const clang::Stmt *Body = nullptr;
  if (const auto *LE = dyn_cast<LambdaExpr>(E)) {
    Body = LE->getBody();
  } else if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl())) {
      const FunctionDecl *Def = nullptr;
      if (FD->hasBody(Def))
        Body = Def->getBody();
    } else if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
               VD && VD->hasLocalStorage() && VD->getInit() && isCallableType(VD->getType()) &&
               !VD->getType()->isReferenceType() && !isMutated(VD)) {
      // A local holding the partitioner: what it was initialised with.
      return listedPartitioner(VD->getInit());
    }
  }
  const Expr *Ret = strip(onlyReturnValue(Body));
  if (!Ret)
    return std::nullopt;
  // `return {4, 1};` and `return std::vector<std::int64_t>{4, 1};` both
  // construct the vector from an initializer list; `std::vector(4, 1)`
  // (count, value) does not and stays unknown.
  const auto *CE = dyn_cast<CXXConstructExpr>(Ret);
  if (!CE || !isRecord(CE->getType(), "std::vector") || CE->getNumArgs() == 0)
    return std::nullopt;
  const auto *SIL = dyn_cast<CXXStdInitializerListExpr>(strip(CE->getArg(0)));
  if (!SIL)
    return std::nullopt;
  const auto *ILE = findFirst<InitListExpr>(SIL);
  if (!ILE)
    return std::nullopt;
  PartitionerFact P;
  P.K = PartitionerFact::Listed;
  P.Text = text(Init);
  for (const Expr *X : ILE->inits())
    P.Args.push_back(value(X));
  return P;
}

void Translator::readShape(const Expr *Init, Stmt &S) {
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

void Translator::readVarScopeOptions(const Expr *Arg, Stmt &S) {
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

/// The position of `.Field = ...` in a syntactic braced list, or -1.
static int designatorIndex(const InitListExpr *Syn, llvm::StringRef Field) {
  int Index = -1;
  for (unsigned I = 0; I < Syn->getNumInits(); ++I)
    if (const auto *DIE = dyn_cast<DesignatedInitExpr>(Syn->getInit(I)))
      if (DIE->size() == 1 && DIE->getDesignator(0)->isFieldDesignator() && DIE->getDesignator(0)->getFieldName() &&
          DIE->getDesignator(0)->getFieldName()->getName() == Field)
        Index = static_cast<int>(I);
  return Index;
}

/// The edit that makes a named guard reuse with AUTO_REUSE: `.reuse = false`
/// becomes `.reuse = v1::AUTO_REUSE`, a designated options list gains the
/// field in declaration order, a guard without options gains
/// `, {.reuse = v1::AUTO_REUSE}`. None when reuse is already set, the options
/// are not a designated list, or anything is spelled in a macro.
std::optional<Replacement> Translator::autoReuseFix(const CXXConstructExpr *CE, const Stmt &S,
                                                    const std::string &Qualifier) {
  if (S.Reuse != ReuseArg::Unset && S.Reuse != ReuseArg::False)
    return std::nullopt;
  if (CE->getBeginLoc().isMacroID() || CE->getEndLoc().isMacroID() || CE->getNumArgs() == 0)
    return std::nullopt;
  const LangOptions &LO = Ctx.getLangOpts();
  const std::string Auto = Qualifier + "AUTO_REUSE";
  auto Make = [&](SourceLocation B, SourceLocation E, std::string Text) -> std::optional<Replacement> {
    if (B.isInvalid() || E.isInvalid() || B.isMacroID() || E.isMacroID())
      return std::nullopt;
    Replacement R;
    R.File = fileName(B);
    R.Offset = SM.getFileOffset(B);
    R.Length = SM.getFileOffset(E) - R.Offset;
    R.Text = std::move(Text);
    return R;
  };
  const Expr *Last = CE->getArg(CE->getNumArgs() - 1);
  const CXXConstructorDecl *Ctor = CE->getConstructor();
  bool HasOptions = Ctor->getNumParams() >= 2 &&
                    Ctor->getParamDecl(Ctor->getNumParams() - 1)->getType().getAsString().find("Options") !=
                        std::string::npos;
  if (!HasOptions)
    return std::nullopt;
  if (isa<CXXDefaultArgExpr>(Last->IgnoreImplicit())) {
    // No options written: append them after the last written argument.
    const Expr *Written = nullptr;
    for (const Expr *A : CE->arguments())
      if (!isa<CXXDefaultArgExpr>(A->IgnoreImplicit()))
        Written = A;
    if (!Written)
      return std::nullopt;
    SourceLocation End = Lexer::getLocForEndOfToken(Written->getEndLoc(), 0, SM, LO);
    return Make(End, End, ", {.reuse = " + Auto + "}");
  }
  bool IsDefault = false;
  const InitListExpr *ILE = optionsList(Last, IsDefault);
  if (!ILE)
    return std::nullopt;
  const InitListExpr *Syn = ILE->isSyntacticForm() ? ILE : ILE->getSyntacticForm();
  if (!Syn || Syn->getLBraceLoc().isMacroID())
    return std::nullopt;
  if (S.Reuse == ReuseArg::False) {
    int Index = designatorIndex(Syn, "reuse");
    if (Index < 0)
      return std::nullopt;
    const Expr *V = cast<DesignatedInitExpr>(Syn->getInit(Index))->getInit();
    return Make(V->getBeginLoc(), Lexer::getLocForEndOfToken(V->getEndLoc(), 0, SM, LO), Auto);
  }
  const RecordDecl *RD = ILE->getType()->getAsRecordDecl();
  if (!RD)
    return std::nullopt;
  unsigned ReuseIndex = ~0u;
  for (const FieldDecl *F : RD->fields())
    if (F->getName() == "reuse")
      ReuseIndex = F->getFieldIndex();
  if (ReuseIndex == ~0u)
    return std::nullopt;
  if (Syn->getNumInits() == 0) {
    SourceLocation After = Syn->getLBraceLoc().getLocWithOffset(1);
    return Make(After, After, ".reuse = " + Auto);
  }
  for (const Expr *I : Syn->inits()) {
    const auto *DIE = dyn_cast<DesignatedInitExpr>(I);
    if (!DIE || DIE->size() != 1 || !DIE->getDesignator(0)->isFieldDesignator())
      return std::nullopt; // positional members: leave it to the author
    const FieldDecl *F = DIE->getDesignator(0)->getFieldDecl();
    if (!F)
      return std::nullopt;
    if (F->getFieldIndex() > ReuseIndex)
      return Make(DIE->getBeginLoc(), DIE->getBeginLoc(), ".reuse = " + Auto + ", ");
  }
  SourceLocation End = Lexer::getLocForEndOfToken(Syn->getInit(Syn->getNumInits() - 1)->getEndLoc(), 0, SM, LO);
  return Make(End, End, ", .reuse = " + Auto);
}

/// The edit that deletes `.Field = value` (and its comma) from a braced
/// options list, or the whole `, {...}` argument when it is the only one.
std::optional<Replacement> Translator::removalOfDesignator(const InitListExpr *Semantic, llvm::StringRef Field,
                                                           const Expr *Arg) {
  const InitListExpr *Syn = Semantic->isSyntacticForm() ? Semantic : Semantic->getSyntacticForm();
  if (!Syn)
    return std::nullopt;
  int Index = designatorIndex(Syn, Field);
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

} // namespace varscope::facts
