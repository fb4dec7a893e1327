//===- ASTFacts.cpp - Run lib/Facts' extractor on a parsed ASTContext -----===//
//
// lib/Facts exposes only extractFacts(Command), which parses the file again.
// Its AST walker (Visitor / Translator) lives in Extractor.cpp's anonymous
// namespace, so this file includes Extractor.cpp textually to reuse it on
// the ASTContext clang-tidy or clangd already built; nothing is copied.
// When lib/Facts gains `TUFacts extractFacts(clang::ASTContext &)`, replace
// the include and the Visitor use below by that call.
//
//===----------------------------------------------------------------------===//
#include "Tidy/ASTFacts.h"

// Keep Extractor.cpp's public entry point out of this object file's symbol
// table, so linking varscope_facts as well never gives a duplicate symbol.
#define extractFacts varscopeTidyUnusedExtractFacts
#include "Facts/Extractor.cpp"
#undef extractFacts

#include "clang/AST/DeclTemplate.h"

#include <vector>

namespace varscope::tidy {
namespace {

using namespace clang;

/// Functions referenced (called, constructed, passed) from the traversed
/// code whose definitions lie outside the traversal scope.
class CalleeCollector : public RecursiveASTVisitor<CalleeCollector> {
public:
  explicit CalleeCollector(ASTContext &Ctx) : SM(Ctx.getSourceManager()) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaBody() const { return true; }

  bool VisitDeclRefExpr(DeclRefExpr *E) {
    note(dyn_cast<FunctionDecl>(E->getDecl()));
    return true;
  }
  bool VisitMemberExpr(MemberExpr *E) {
    note(dyn_cast<FunctionDecl>(E->getMemberDecl()));
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    note(E->getConstructor());
    return true;
  }

  std::vector<FunctionDecl *> Found;

private:
  void note(const FunctionDecl *FD) {
    if (!FD)
      return;
    const FunctionDecl *Def = FD->getDefinition();
    if (!Def || !Def->doesThisDeclarationHaveABody())
      return;
    SourceLocation L = SM.getExpansionLoc(Def->getLocation());
    if (L.isInvalid() || SM.isInSystemHeader(L))
      return;
    Found.push_back(const_cast<FunctionDecl *>(Def));
  }

  const SourceManager &SM;
};

bool hasLimitedTraversalScope(ASTContext &Ctx) {
  std::vector<Decl *> Scope = Ctx.getTraversalScope();
  return Scope.size() != 1 || !isa<TranslationUnitDecl>(Scope.front());
}

} // namespace

std::optional<facts::TUFacts> extractFactsFromAST(ASTContext &Ctx) {
  if (Ctx.getDiagnostics().hasErrorOccurred())
    return std::nullopt;
  facts::TUFacts Out;
  const SourceManager &SM = Ctx.getSourceManager();
  if (OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID())) {
    llvm::SmallString<256> P(Main->getName());
    llvm::sys::fs::make_absolute(P);
    llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
    Out.MainFile = std::string(P);
  }
  facts::Visitor V(Ctx, Out);
  // Honours the traversal scope: the whole TU for clang-tidy, the main
  // file's top-level declarations for clangd.
  V.TraverseDecl(Ctx.getTranslationUnitDecl());
  if (!hasLimitedTraversalScope(Ctx))
    return Out;

  // clangd: follow calls out of the main file, transitively.
  std::set<const FunctionDecl *> Done;
  CalleeCollector Callees(Ctx);
  Callees.TraverseDecl(Ctx.getTranslationUnitDecl());
  while (!Callees.Found.empty()) {
    std::vector<FunctionDecl *> Batch;
    Batch.swap(Callees.Found);
    for (FunctionDecl *FD : Batch) {
      if (!Done.insert(FD).second)
        continue;
      V.TraverseDecl(FD);
      Callees.TraverseDecl(FD);
    }
  }
  return Out;
}

} // namespace varscope::tidy
