//===- ASTFacts.cpp - Run lib/Facts' extractor on a parsed ASTContext -----===//
//
// clang-tidy and clangd hand over an ASTContext they already built; lib/Facts'
// ASTExtractor walks it with the same translator `varscope check` uses, so
// the checks see exactly the facts the command line would extract.
//
//===----------------------------------------------------------------------===//
#include "Tidy/ASTFacts.h"

#include "Facts/Extractor.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <set>
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
  facts::ASTExtractor V(Ctx, Out);
  // Honours the traversal scope: the whole TU for clang-tidy, the main
  // file's top-level declarations for clangd.
  V.traverse(Ctx.getTranslationUnitDecl());
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
      V.traverse(FD);
      Callees.TraverseDecl(FD);
    }
  }
  return Out;
}

} // namespace varscope::tidy
