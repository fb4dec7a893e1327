//===- SingleFileTool.h - A ClangTool over one compile command --*- C++ -*-===//
//
// Every varscope pass that parses a translation unit (fact extraction for
// check/names/index, collection for migrate) runs Clang on exactly one
// compile command with the same adjustments: compiler warnings off (only
// varscope's own diagnostics are printed; -w -Wno-error) and Clang's
// resource directory when the command names none, so a database written for
// GCC still finds Clang's builtin headers. Error messages are not printed:
// install a DiagnosticConsumer on tool() to see them.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Tooling.h"

#include <string>
#include <vector>

namespace varscope::facts {

class SingleFileTool {
public:
  SingleFileTool(std::string Directory, std::string File, std::vector<std::string> Args);
  SingleFileTool(const SingleFileTool &) = delete;
  SingleFileTool &operator=(const SingleFileTool &) = delete;

  clang::tooling::ClangTool &tool() { return Tool; }

private:
  class OneCommand : public clang::tooling::CompilationDatabase {
  public:
    explicit OneCommand(clang::tooling::CompileCommand C) : C(std::move(C)) {}
    std::vector<clang::tooling::CompileCommand> getCompileCommands(llvm::StringRef) const override { return {C}; }

  private:
    clang::tooling::CompileCommand C;
  };

  OneCommand DB;
  clang::tooling::ClangTool Tool;
};

} // namespace varscope::facts
