//===- varscope.cpp - The varscope command-line tool ----------------------===//
//
//   varscope check [-p build] [files...] [--format=text|json|sarif] [--checks=...]
//   varscope names [-p build] [files...] [--format=text|json]
//   varscope index [-p build] [files...] [--shard=I/N] -o index.json
//   varscope index --merge a.json b.json ... -o merged.json
//   varscope --list-checks
//
// Compiler flags may follow `--` instead of a compilation database.
// Options not given here come from the project's .varscope.yaml.
// Exit codes: 0 clean, 1 findings, 2 usage/compilation/tooling failure.
//
//===----------------------------------------------------------------------===//
#include "Driver/Commands.h"
#include "Driver/Config.h"
#include "Rewrite/MigrateCommand.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace llvm;

namespace {

cl::OptionCategory Category("varscope options");
cl::SubCommand CheckCmd("check", "Report variable-scope errors TF would raise, and lint findings");
cl::SubCommand NamesCmd("names", "List every variable with its full name, shape, dtype and creation site");
cl::SubCommand IndexCmd("index", "Write the facts of every translation unit (the map step) to one index file");

cl::opt<bool> ListChecks("list-checks", cl::desc("List every check with its summary"), cl::cat(Category));

cl::opt<std::string> BuildPath("p", cl::desc("Build directory with compile_commands.json"), cl::value_desc("build-dir"),
                               cl::sub(CheckCmd), cl::sub(NamesCmd), cl::sub(IndexCmd), cl::cat(Category));
cl::list<std::string> Files(cl::Positional, cl::desc("[files...]"), cl::sub(CheckCmd), cl::sub(NamesCmd),
                            cl::sub(IndexCmd), cl::cat(Category));
cl::opt<std::string> FormatOpt("format", cl::desc("Output format: text (default), json, or sarif (check only)"),
                               cl::init("text"), cl::sub(CheckCmd), cl::sub(NamesCmd), cl::cat(Category));
cl::opt<std::string> Checks("checks", cl::desc("Comma-separated globs of checks to run, '-' to disable"), cl::init(""),
                            cl::sub(CheckCmd), cl::cat(Category));
cl::opt<unsigned> Jobs("j", cl::desc("Translation units parsed in parallel (-j N or -jN)"), cl::Prefix, cl::init(1), cl::sub(CheckCmd),
                       cl::sub(NamesCmd), cl::sub(IndexCmd), cl::cat(Category));
cl::list<std::string> Entries("entry",
                              cl::desc("Entry point function (repeatable); default: main and uncalled "
                                       "functions"),
                              cl::sub(CheckCmd), cl::sub(NamesCmd), cl::cat(Category));
cl::opt<std::string> CacheDir("cache-dir",
                              cl::desc("Facts cache directory ('none' to disable); default: "
                                       "<build-dir>/.varscope-cache"),
                              cl::init(""), cl::sub(CheckCmd), cl::sub(NamesCmd), cl::sub(IndexCmd), cl::cat(Category));
cl::opt<unsigned> MaxUnroll("max-unroll", cl::desc("Iterations of a loop with constant bounds (default 256)"),
                            cl::init(256), cl::sub(CheckCmd), cl::sub(NamesCmd), cl::cat(Category));
cl::opt<bool> Verbose("v", cl::desc("Report parsed and cached translation units on stderr"), cl::sub(CheckCmd),
                      cl::sub(NamesCmd), cl::sub(IndexCmd), cl::cat(Category));
cl::opt<std::string> Progress("progress",
                              cl::desc("A [done/total] line per translation unit on stderr: auto (on a "
                                       "terminal), always, never"),
                              cl::init("auto"), cl::sub(CheckCmd), cl::sub(NamesCmd), cl::sub(IndexCmd),
                              cl::cat(Category));
cl::opt<std::string> IndexFile("index", cl::desc("Read the facts from this index instead of parsing"),
                               cl::value_desc("file"), cl::sub(CheckCmd), cl::sub(NamesCmd), cl::cat(Category));
cl::opt<std::string> ExportFixes("export-fixes", cl::desc("Write the fixes as YAML for clang-apply-replacements"),
                                 cl::value_desc("file"), cl::sub(CheckCmd), cl::cat(Category));
cl::opt<std::string> Baseline("baseline", cl::desc("Do not report the findings accepted in this baseline file"),
                              cl::value_desc("file"), cl::sub(CheckCmd), cl::cat(Category));
cl::opt<std::string> WriteBaseline("write-baseline", cl::desc("Write every current finding to this baseline file"),
                                   cl::value_desc("file"), cl::sub(CheckCmd), cl::cat(Category));
cl::opt<std::string> ConfigFile("config",
                                cl::desc("Project configuration file ('none' to ignore); default: the first "
                                         ".varscope.yaml/.yml/.json in the current directory or a parent"),
                                cl::value_desc("file"), cl::sub(CheckCmd), cl::sub(NamesCmd), cl::cat(Category));
cl::opt<std::string> SourceRoot("source-root",
                                cl::desc("Directory SARIF URIs and baseline paths are relative to; default: the "
                                         "config file's directory, else the current directory"),
                                cl::value_desc("dir"), cl::sub(CheckCmd), cl::cat(Category));
cl::opt<std::string> Shard("shard", cl::desc("Only the translation units of shard I of N (by main file hash)"),
                           cl::value_desc("I/N"), cl::sub(IndexCmd), cl::cat(Category));
cl::opt<bool> Merge("merge", cl::desc("Merge the index files given as positional arguments"), cl::sub(IndexCmd),
                    cl::cat(Category));
cl::opt<std::string> OutputFile("o", cl::desc("Output file (default: standard output)"), cl::value_desc("file"),
                                cl::sub(IndexCmd), cl::cat(Category));

int fail(const Twine &Msg) {
  errs() << "varscope: error: " << Msg << "\n";
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  // Flags after `--` form a fixed compilation database.
  int Argc = argc;
  std::optional<std::vector<std::string>> Fixed;
  for (int I = 1; I < argc; ++I)
    if (std::strcmp(argv[I], "--") == 0) {
      Fixed.emplace(argv + I + 1, argv + argc);
      Argc = I;
      break;
    }
  cl::HideUnrelatedOptions({&Category, &varscope::rewrite::migrateCategory()});
  std::string ParseErrors;
  raw_string_ostream ErrOS(ParseErrors);
  if (!cl::ParseCommandLineOptions(Argc, argv, "varscope: static resolution of TF1 variable scopes\n", &ErrOS)) {
    ErrOS.flush();
    StringRef Msg = StringRef(ParseErrors).trim();
    std::string Prefix = std::string(argv[0]) + ": ";
    Msg.consume_front(Prefix);
    return fail(Msg);
  }
  if (ListChecks) {
    varscope::driver::listChecks(outs());
    return 0;
  }
  if (varscope::rewrite::migrateSelected())
    return varscope::rewrite::runMigrateCommand(Fixed, outs(), errs());
  bool IsCheck = static_cast<bool>(CheckCmd);
  bool IsNames = static_cast<bool>(NamesCmd);
  bool IsIndex = static_cast<bool>(IndexCmd);
  if (!IsCheck && !IsNames && !IsIndex)
    return fail("expected a subcommand: 'check', 'names', 'index', 'migrate' or --list-checks (see --help)");

  varscope::facts::CollectOptions Collect;
  Collect.BuildPath = BuildPath;
  Collect.Files.assign(Files.begin(), Files.end());
  Collect.FixedArgs = Fixed;
  Collect.CacheDir = CacheDir;
  Collect.Jobs = Jobs == 0 ? 1 : Jobs;
  Collect.Verbose = Verbose;
  using ProgressKind = varscope::facts::CollectOptions::ProgressKind;
  bool Terminal = errs().is_displayed();
  if (Progress == "always")
    Collect.Progress = Terminal ? ProgressKind::Terminal : ProgressKind::Lines;
  else if (Progress == "auto")
    Collect.Progress = Terminal ? ProgressKind::Terminal : ProgressKind::None;
  else if (Progress != "never")
    return fail("unknown --progress '" + Progress + "' (expected auto, always or never)");
  if (Fixed && Collect.Files.empty())
    return fail("flags after -- need the files to analyse");

  if (IsIndex) {
    varscope::driver::IndexOptions Opts;
    Opts.Collect = std::move(Collect);
    Opts.Output = OutputFile;
    if (!Shard.empty()) {
      StringRef I, N;
      std::tie(I, N) = StringRef(Shard).split('/');
      unsigned Index = 0, Count = 0;
      if (I.getAsInteger(10, Index) || N.getAsInteger(10, Count) || Count == 0 || Index >= Count)
        return fail("invalid --shard '" + Shard + "' (expected I/N with 0 <= I < N)");
      Opts.Collect.ShardIndex = Index;
      Opts.Collect.ShardCount = Count;
    }
    if (Merge) {
      if (!Shard.empty() || Fixed || !BuildPath.empty())
        return fail("--merge takes index files only (no -p, --shard or --)");
      if (Files.empty())
        return fail("--merge needs the index files to merge");
      Opts.Merge.assign(Files.begin(), Files.end());
      Opts.Collect.Files.clear();
    }
    Expected<int> RC = varscope::driver::runIndex(Opts, outs(), errs());
    if (!RC)
      return fail(toString(RC.takeError()));
    return *RC;
  }

  varscope::driver::Options Opts;
  Opts.Collect = std::move(Collect);
  if (FormatOpt == "json")
    Opts.Fmt = varscope::driver::Format::JSON;
  else if (FormatOpt == "sarif" && IsCheck)
    Opts.Fmt = varscope::driver::Format::SARIF;
  else if (FormatOpt != "text")
    return fail("unknown --format '" + FormatOpt + "' (expected text or json" + (IsCheck ? " or sarif" : "") + ")");
  Opts.Checks = Checks;
  Opts.Entries.assign(Entries.begin(), Entries.end());
  Opts.MaxUnroll = MaxUnroll;
  Opts.IndexFile = IndexFile;
  Opts.ExportFixes = ExportFixes;
  Opts.Baseline = Baseline;
  Opts.WriteBaseline = WriteBaseline;
  Opts.SourceRoot = SourceRoot;
  if (!Opts.IndexFile.empty() && Fixed)
    return fail("--index and flags after -- cannot be combined");

  // The project's config file fills in what the command line leaves out.
  Expected<std::optional<varscope::driver::Config>> Config = varscope::driver::loadConfig(
      varscope::driver::configPath(ConfigFile, ConfigFile.getNumOccurrences() != 0), ".");
  if (!Config)
    return fail(toString(Config.takeError()));
  if (*Config) {
    const varscope::driver::Config &C = **Config;
    if (Checks.getNumOccurrences() == 0 && C.Checks)
      Opts.Checks = *C.Checks;
    if (Entries.getNumOccurrences() == 0)
      Opts.Entries = C.Entries;
    if (MaxUnroll.getNumOccurrences() == 0 && C.MaxUnroll)
      Opts.MaxUnroll = *C.MaxUnroll;
    if (Baseline.getNumOccurrences() == 0 && WriteBaseline.getNumOccurrences() == 0 && C.Baseline)
      Opts.Baseline = *C.Baseline;
    if (SourceRoot.getNumOccurrences() == 0)
      Opts.SourceRoot = C.Dir;
    if (Verbose)
      errs() << "varscope: using config " << C.Path << "\n";
  }

  Expected<int> RC =
      IsCheck ? varscope::driver::runCheck(Opts, outs(), errs()) : varscope::driver::runNames(Opts, outs(), errs());
  if (!RC)
    return fail(toString(RC.takeError()));
  return *RC;
}
