//===- SingleFileTool.cpp - A ClangTool over one compile command ----------===//
#include "Facts/SingleFileTool.h"

namespace varscope::facts {

using namespace clang;

SingleFileTool::SingleFileTool(std::string Directory, std::string File, std::vector<std::string> Args)
    : DB(tooling::CompileCommand(Directory, File, std::move(Args), "")), Tool(DB, {File}) {
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
}

} // namespace varscope::facts
