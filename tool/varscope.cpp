//===- varscope.cpp - The varscope command-line tool ----------------------===//
//
//   varscope check [-p build] [files...] [--format=text|json] [--checks=...]
//   varscope names [-p build] [files...] [--format=text|json]
//   varscope --list-checks
//
// Compiler flags may follow `--` instead of a compilation database.
// Exit codes: 0 clean, 1 findings, 2 usage/compilation/tooling failure.
//
//===----------------------------------------------------------------------===//
#include "Driver/Commands.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace llvm;

namespace {

cl::OptionCategory Category("varscope options");
cl::SubCommand CheckCmd("check", "Report variable-scope errors TF would raise, and lint findings");
cl::SubCommand NamesCmd("names", "List every variable with its full name, shape, dtype and creation site");

cl::opt<bool> ListChecks("list-checks", cl::desc("List every check with its summary"), cl::cat(Category));

cl::opt<std::string> BuildPath("p", cl::desc("Build directory with compile_commands.json"),
                               cl::value_desc("build-dir"), cl::sub(CheckCmd), cl::sub(NamesCmd), cl::cat(Category));
cl::list<std::string> Files(cl::Positional, cl::desc("[files...]"), cl::sub(CheckCmd), cl::sub(NamesCmd),
                            cl::cat(Category));
cl::opt<std::string> FormatOpt("format", cl::desc("Output format: text (default) or json"), cl::init("text"),
                               cl::sub(CheckCmd), cl::sub(NamesCmd), cl::cat(Category));
cl::opt<std::string> Checks("checks", cl::desc("Comma-separated globs of checks to run, '-' to disable"),
                            cl::init(""), cl::sub(CheckCmd), cl::cat(Category));
cl::opt<unsigned> Jobs("j", cl::desc("Translation units parsed in parallel"), cl::init(1), cl::sub(CheckCmd),
                       cl::sub(NamesCmd), cl::cat(Category));
cl::list<std::string> Entries("entry", cl::desc("Entry point function (repeatable); default: main and uncalled "
                                                "functions"),
                              cl::sub(CheckCmd), cl::sub(NamesCmd), cl::cat(Category));
cl::opt<std::string> CacheDir("cache-dir", cl::desc("Facts cache directory ('none' to disable); default: "
                                                    "<build-dir>/.varscope-cache"),
                              cl::init(""), cl::sub(CheckCmd), cl::sub(NamesCmd), cl::cat(Category));
cl::opt<unsigned> MaxUnroll("max-unroll", cl::desc("Iterations of a loop with constant bounds"), cl::init(256),
                            cl::sub(CheckCmd), cl::sub(NamesCmd), cl::cat(Category));
cl::opt<bool> Verbose("v", cl::desc("Report parsed and cached translation units on stderr"), cl::sub(CheckCmd),
                      cl::sub(NamesCmd), cl::cat(Category));

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
  cl::HideUnrelatedOptions(Category);
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
  bool IsCheck = static_cast<bool>(CheckCmd);
  bool IsNames = static_cast<bool>(NamesCmd);
  if (!IsCheck && !IsNames)
    return fail("expected a subcommand: 'check', 'names' or --list-checks (see --help)");

  varscope::driver::Options Opts;
  if (FormatOpt == "json")
    Opts.Fmt = varscope::driver::Format::JSON;
  else if (FormatOpt != "text")
    return fail("unknown --format '" + FormatOpt + "' (expected text or json)");
  Opts.Collect.BuildPath = BuildPath;
  Opts.Collect.Files.assign(Files.begin(), Files.end());
  Opts.Collect.FixedArgs = Fixed;
  Opts.Collect.CacheDir = CacheDir;
  Opts.Collect.Jobs = Jobs == 0 ? 1 : Jobs;
  Opts.Collect.Verbose = Verbose;
  Opts.Checks = Checks;
  Opts.Entries.assign(Entries.begin(), Entries.end());
  Opts.MaxUnroll = MaxUnroll;
  if (Fixed && Opts.Collect.Files.empty())
    return fail("flags after -- need the files to analyse");

  Expected<int> RC = IsCheck ? varscope::driver::runCheck(Opts, outs(), errs())
                             : varscope::driver::runNames(Opts, outs(), errs());
  if (!RC)
    return fail(toString(RC.takeError()));
  return *RC;
}
