//===- main.cpp - varscope-clangd: clangd with the varscope checks --------===//
//
// Debian's clangd libraries (clangdMain and clangDaemon) with the varscope
// clang-tidy module linked in: stock clangd cannot load clang-tidy plugins.
// Everything else is clangd's own command line and behaviour.
//
//===----------------------------------------------------------------------===//

namespace clang::clangd {
int clangdMain(int Argc, char *Argv[]); // clang-tools-extra/clangd/tool/ClangdMain.h
} // namespace clang::clangd

// Defined next to the module's registration (lib/Tidy/VarscopeTidyModule.cpp):
// referencing it keeps that object file, and so the registration, linked.
extern volatile int VarscopeTidyModuleAnchorSource;
static int VarscopeTidyModuleAnchorDestination [[maybe_unused]] = VarscopeTidyModuleAnchorSource;

int main(int Argc, char *Argv[]) { return clang::clangd::clangdMain(Argc, Argv); }
