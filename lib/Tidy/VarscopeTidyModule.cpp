//===- VarscopeTidyModule.cpp - The varscope clang-tidy module ------------===//
//
// Registers one check per lib/Rules id. Loaded by Debian's clang-tidy-19 as a
// plugin (`--load=libVarscopeTidyModule.so`) and linked into varscope-clangd.
//
//===----------------------------------------------------------------------===//
#include "Rules/Rules.h"
#include "Tidy/VarscopeCheck.h"

#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"

#include <memory>

namespace varscope::tidy {
namespace {

class VarscopeTidyModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(clang::tidy::ClangTidyCheckFactories &Factories) override {
    for (const rules::RuleInfo &R : rules::allRules())
      Factories.registerCheckFactory(R.Id, [](llvm::StringRef Name, clang::tidy::ClangTidyContext *Context) {
        return std::make_unique<VarscopeCheck>(Name, Context);
      });
  }
};

clang::tidy::ClangTidyModuleRegistry::Add<VarscopeTidyModule>
    Registration("varscope-module", "Variable-scope checks for code written against varscope::v1.");

} // namespace
} // namespace varscope::tidy

/// Referenced from a static executable's main so that the linker keeps this
/// object, and with it the registration above.
volatile int VarscopeTidyModuleAnchorSource = 0;
