//===- Migrate.cpp - `varscope migrate` -----------------------------------===//
#include "Rewrite/Migrate.h"

#include "Rewrite/Apply.h"
#include "Rewrite/Collect.h"
#include "Rewrite/Plan.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <atomic>
#include <thread>

namespace varscope::rewrite {
namespace {

llvm::Error error(const std::string &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s", Msg.c_str());
}

struct Database {
  std::unique_ptr<clang::tooling::CompilationDatabase> DB;
  std::string Dir;
};

llvm::Expected<Database> loadDatabase(const MigrateOptions &Opts) {
  Database D;
  std::string Err;
  if (Opts.FixedArgs) {
    llvm::SmallString<256> Cwd;
    llvm::sys::fs::current_path(Cwd);
    D.DB = std::make_unique<clang::tooling::FixedCompilationDatabase>(Cwd, *Opts.FixedArgs);
    D.Dir = std::string(Cwd);
    return D;
  }
  std::string Path = Opts.BuildPath;
  if (Path.empty()) {
    if (Opts.Files.empty())
      return error("no input files and no compilation database; pass -p <build-dir> or files");
    std::string First = canonicalPath(Opts.Files.front());
    for (llvm::StringRef Dir = llvm::sys::path::parent_path(First); !Dir.empty();
         Dir = llvm::sys::path::parent_path(Dir)) {
      llvm::SmallString<256> Candidate(Dir);
      llvm::sys::path::append(Candidate, "compile_commands.json");
      if (llvm::sys::fs::exists(Candidate)) {
        Path = std::string(Candidate);
        break;
      }
    }
    if (Path.empty())
      return error("no compilation database found for '" + Opts.Files.front() + "'; pass -p <build-dir>");
  }
  if (llvm::sys::fs::is_regular_file(Path)) {
    D.DB = clang::tooling::JSONCompilationDatabase::loadFromFile(Path, Err,
                                                                 clang::tooling::JSONCommandLineSyntax::AutoDetect);
    D.Dir = canonicalPath(llvm::sys::path::parent_path(Path).str());
  } else {
    D.DB = clang::tooling::CompilationDatabase::loadFromDirectory(Path, Err);
    D.Dir = canonicalPath(Path);
  }
  if (!D.DB)
    return error("no compilation database found in '" + Path + "': " + Err);
  return D;
}

} // namespace

llvm::Expected<int> runMigrate(const MigrateOptions &Opts, llvm::raw_ostream &Out, llvm::raw_ostream &Err) {
  if (Opts.DryRun + Opts.Apply > 1)
    return error("--dry-run and --apply are exclusive");
  llvm::Expected<Database> DB = loadDatabase(Opts);
  if (!DB)
    return DB.takeError();
  CollectConfig Config;
  Config.Root = canonicalPath(Opts.Root.empty() ? DB->Dir : Opts.Root);
  Config.PublicAPI = Opts.PublicAPI;
  if (!llvm::sys::fs::is_directory(Config.Root))
    return error("the project root '" + Config.Root + "' is not a directory");

  std::vector<std::string> Files = Opts.Files;
  if (Files.empty())
    Files = DB->DB->getAllFiles();
  if (Files.empty())
    return error("the compilation database lists no files");
  std::vector<TUCommand> Commands;
  for (const std::string &F : Files) {
    std::string Abs = canonicalPath(F);
    if (!llvm::sys::fs::exists(Abs))
      return error("cannot read '" + F + "': no such file");
    std::vector<clang::tooling::CompileCommand> Cs = DB->DB->getCompileCommands(Abs);
    if (Cs.empty())
      return error("'" + F + "' is not in the compilation database");
    Commands.push_back({Cs.front().Directory, Abs, Cs.front().CommandLine});
  }

  // Map: one parse per TU, in parallel.
  std::vector<TUResult> TUs(Commands.size());
  std::atomic<size_t> Next{0};
  auto Worker = [&] {
    for (size_t I = Next++; I < Commands.size(); I = Next++)
      TUs[I] = collectTU(Commands[I], Config);
  };
  unsigned Jobs = std::max(1u, std::min<unsigned>(Opts.Jobs, Commands.size()));
  std::vector<std::thread> Threads;
  for (unsigned J = 1; J < Jobs; ++J)
    Threads.emplace_back(Worker);
  Worker();
  for (std::thread &T : Threads)
    T.join();

  // Reduce.
  llvm::Expected<MigrationPlan> Plan = planMigration(TUs);
  if (!Plan)
    return Plan.takeError();

  auto Rel = [&](const std::string &F) {
    llvm::StringRef R(F);
    R.consume_front(Config.Root + "/");
    return R.str();
  };
  for (const std::string &F : Plan->FailedTUs)
    Err << "varscope: error: " << Rel(F)
        << " does not compile; its functions were not migrated (fix it and run varscope migrate again)\n";
  for (const std::string &S : Plan->Bridged)
    Err << "varscope: note: " << Rel(S) << " keeps its signature and continues in its caller's v1 scope "
        << "(varscope::v1::current_scope()), so its file keeps <varscope/v1.h> (docs/migration.md)\n";
  for (const Report &R : Plan->Reports)
    Out << Rel(R.File) << ":" << R.Line << ":" << R.Col << ": warning: " << R.Message
        << "; left for manual migration [varscope-manual-migration]\n";

  llvm::Expected<std::vector<FileChange>> Changes =
      computeChanges(*Plan, Config.Root, Opts.Apply, Opts.Format && (Opts.Apply || Opts.DryRun));
  if (!Changes)
    return Changes.takeError();
  if (!Opts.ExportFixes.empty())
    if (llvm::Error E = exportFixes(*Plan, Opts.ExportFixes))
      return std::move(E);
  if (Opts.DryRun)
    for (const FileChange &C : *Changes)
      printUnifiedDiff(C, Config.Root, Out);
  if (Opts.Apply) {
    if (llvm::Error E = applyAtomically(*Changes))
      return std::move(E);
    Err << "varscope: migrated " << Plan->Migrated.size() << " functions; " << Changes->size() << " files written\n";
  } else if (!Opts.DryRun && Opts.ExportFixes.empty()) {
    Out << "varscope: " << Plan->Migrated.size() << " functions to migrate in " << Changes->size()
        << " files (--dry-run shows the diff, --apply writes it)\n";
  }
  return Plan->Reports.empty() && Plan->FailedTUs.empty() ? 0 : 1;
}

} // namespace varscope::rewrite
