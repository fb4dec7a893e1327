//===- ASTExtractor.cpp - Facts of an ASTContext built by someone else ----===//
//
// Finds every user function body under a declaration (including lambda call
// operators and template instantiations) and translates it (Translator.h).
// Used by extractFacts(Command) (Extractor.cpp) and by clang-tidy / clangd
// (lib/Tidy), which hand over their own ASTContext.
//
//===----------------------------------------------------------------------===//
#include "Facts/Extractor.h"

#include "Facts/Translator.h"

#include "clang/AST/RecursiveASTVisitor.h"

#include <set>

namespace varscope::facts {

struct ASTExtractor::Impl : RecursiveASTVisitor<ASTExtractor::Impl> {
  Impl(ASTContext &Ctx, TUFacts &Out) : Ctx(Ctx), Out(Out) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaBody() const { return true; }

  /// Declarations in system headers hold no user function: skip them whole
  /// (the standard library is most of a TU's AST).
  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D)) {
      const SourceManager &SM = Ctx.getSourceManager();
      SourceLocation L = D->getLocation();
      if (L.isValid() && SM.isInSystemHeader(SM.getExpansionLoc(L)))
        return true;
    }
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    add(FD);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *LE) {
    add(LE->getCallOperator());
    return true;
  }

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

ASTExtractor::ASTExtractor(clang::ASTContext &Ctx, TUFacts &Out) : I(std::make_unique<Impl>(Ctx, Out)) {}
ASTExtractor::~ASTExtractor() = default;

void ASTExtractor::traverse(clang::Decl *D) { I->TraverseDecl(D); }

} // namespace varscope::facts
