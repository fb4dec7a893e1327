//===- Extractor.cpp - Clang AST to facts ---------------------------------===//
//
// Runs Clang on one compile command. ASTExtractor.cpp finds every user
// function body (including lambda call operators and template
// instantiations); the Translator (Translator.h, Translator.cpp,
// TranslateStatements.cpp) turns each body into the abstract statements of
// Facts.h. These are the only files of lib/ that include Clang's AST headers.
//
//===----------------------------------------------------------------------===//
#include "Facts/Extractor.h"

#include "Facts/Translator.h"

#include "Facts/SingleFileTool.h"
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

/// The walker of a whole TU (kept under this name for code that includes
/// this file; new code uses ASTExtractor from Extractor.h).
class Visitor {
public:
  Visitor(ASTContext &Ctx, TUFacts &Out) : E(Ctx, Out) {}
  bool TraverseDecl(Decl *D) {
    E.traverse(D);
    return true;
  }

private:
  ASTExtractor E;
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

/// Keeps the compiler quiet: warnings (and the "N warnings generated."
/// summary, which counts what the client saw) are dropped; errors are kept
/// to be reported in the llvm::Error of a failed compilation.
class ErrorCollector : public DiagnosticConsumer {
public:
  void HandleDiagnostic(DiagnosticsEngine::Level Level, const Diagnostic &Info) override {
    if (Level < DiagnosticsEngine::Error)
      return;
    ++Count;
    if (Messages.size() >= 10)
      return;
    llvm::SmallString<128> Msg;
    Info.FormatDiagnostic(Msg);
    std::string Where;
    if (Info.hasSourceManager() && Info.getLocation().isValid()) {
      const SourceManager &SM = Info.getSourceManager();
      PresumedLoc P = SM.getPresumedLoc(SM.getExpansionLoc(Info.getLocation()));
      if (P.isValid())
        Where = std::string(P.getFilename()) + ":" + std::to_string(P.getLine()) + ":" + std::to_string(P.getColumn()) +
                ": ";
    }
    Messages.push_back(Where + (Level == DiagnosticsEngine::Fatal ? "fatal error: " : "error: ") + Msg.str().str());
  }
  unsigned Count = 0;
  std::vector<std::string> Messages;
};

} // namespace

llvm::Expected<ExtractResult> extractFacts(const Command &Cmd) {
  if (!llvm::sys::fs::exists(Cmd.File))
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "cannot read '" + Cmd.File + "'");
  SingleFileTool Single(Cmd.Directory, Cmd.File, Cmd.Args);
  tooling::ClangTool &Tool = Single.tool();
  ErrorCollector Diags;
  Tool.setDiagnosticConsumer(&Diags);
  ExtractResult R;
  Factory F(R);
  int RC = Tool.run(&F);
  if (RC != 0 || Diags.Count != 0) {
    std::string Msg = "compilation of '" + Cmd.File + "' failed";
    for (const std::string &M : Diags.Messages)
      Msg += "\n" + M;
    if (Diags.Count > Diags.Messages.size())
      Msg += "\n(" + std::to_string(Diags.Count - Diags.Messages.size()) + " more errors)";
    return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
  }
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
