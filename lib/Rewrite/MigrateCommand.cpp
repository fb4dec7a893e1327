//===- MigrateCommand.cpp - The `migrate` subcommand's options ------------===//
#include "Rewrite/MigrateCommand.h"

#include "Rewrite/Migrate.h"

#include "Driver/Config.h"

using namespace llvm;

namespace varscope::rewrite {
namespace {

cl::OptionCategory &category() {
  static cl::OptionCategory C("varscope migrate options");
  return C;
}

cl::SubCommand MigrateCmd("migrate", "Rewrite code on the implicit v1 API to explicit scope passing");
cl::opt<std::string> BuildPath("p", cl::desc("Build directory with compile_commands.json"),
                               cl::value_desc("build-dir"), cl::sub(MigrateCmd), cl::cat(category()));
cl::list<std::string> Files(cl::Positional, cl::desc("[files...]"), cl::sub(MigrateCmd), cl::cat(category()));
cl::opt<bool> DryRun("dry-run", cl::desc("Print the edits as a unified diff"), cl::sub(MigrateCmd),
                     cl::cat(category()));
cl::opt<bool> Apply("apply", cl::desc("Write the edits in place (all files or none)"), cl::sub(MigrateCmd),
                    cl::cat(category()));
cl::opt<std::string> ExportFixes("export-fixes", cl::desc("Write the edits as clang-apply-replacements YAML"),
                                 cl::value_desc("file"), cl::sub(MigrateCmd), cl::cat(category()));
cl::opt<std::string> Root("root", cl::desc("Project root: nothing outside it is edited (default: the directory "
                                           "holding compile_commands.json)"),
                          cl::sub(MigrateCmd), cl::cat(category()));
cl::list<std::string> PublicAPI("public-api", cl::desc("Qualified name of a function that keeps its signature for "
                                                       "v1 callers outside the project and starts from "
                                                       "v1::current_scope() (repeatable; extern \"C\" "
                                                       "functions always do)"),
                                cl::sub(MigrateCmd), cl::cat(category()));
cl::opt<std::string> ConfigFile("config",
                                cl::desc("Project configuration file ('none' to ignore); default: the first "
                                         ".varscope.yaml/.yml/.json in the current directory or a parent. "
                                         "Its public_api list adds to --public-api"),
                                cl::value_desc("file"), cl::sub(MigrateCmd), cl::cat(category()));
cl::opt<bool> NoFormat("no-format", cl::desc("Do not reformat touched lines with .clang-format"),
                       cl::sub(MigrateCmd), cl::cat(category()));
cl::opt<unsigned> Jobs("j", cl::desc("Translation units parsed in parallel (-j N or -jN)"), cl::Prefix, cl::init(1), cl::sub(MigrateCmd),
                       cl::cat(category()));

} // namespace

cl::OptionCategory &migrateCategory() { return category(); }

bool migrateSelected() { return static_cast<bool>(MigrateCmd); }

int runMigrateCommand(const std::optional<std::vector<std::string>> &FixedArgs, raw_ostream &Out, raw_ostream &Err) {
  MigrateOptions Opts;
  Opts.BuildPath = BuildPath;
  Opts.Files.assign(Files.begin(), Files.end());
  Opts.FixedArgs = FixedArgs;
  Opts.Root = Root;
  Opts.PublicAPI.assign(PublicAPI.begin(), PublicAPI.end());
  Expected<std::optional<driver::Config>> Config =
      driver::loadConfig(driver::configPath(ConfigFile, ConfigFile.getNumOccurrences() != 0), ".");
  if (!Config) {
    Err << "varscope: error: " << toString(Config.takeError()) << "\n";
    return 2;
  }
  if (*Config)
    Opts.PublicAPI.insert(Opts.PublicAPI.end(), (*Config)->PublicAPI.begin(), (*Config)->PublicAPI.end());
  Opts.DryRun = DryRun;
  Opts.Apply = Apply;
  Opts.ExportFixes = ExportFixes;
  Opts.Format = !NoFormat;
  Opts.Jobs = Jobs == 0 ? 1 : Jobs;
  if (FixedArgs && Opts.Files.empty()) {
    Err << "varscope: error: flags after -- need the files to migrate\n";
    return 2;
  }
  Expected<int> RC = runMigrate(Opts, Out, Err);
  if (!RC) {
    Err << "varscope: error: " << toString(RC.takeError()) << "\n";
    return 2;
  }
  return *RC;
}

} // namespace varscope::rewrite
