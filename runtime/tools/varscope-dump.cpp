// varscope-dump - compares and summarizes store dumps (varscope/dump.h).
//
//   varscope-dump diff DIR_A DIR_B   exit 0 identical, 1 different, 2 error
//   varscope-dump show DIR           a summary table
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "varscope/dump.h"

namespace {

constexpr std::string_view kUsage =
    "usage: varscope-dump diff DIR_A DIR_B   compare two store dumps (exit 0 identical, 1 different)\n"
    "       varscope-dump show DIR           summarize a store dump\n"
    "A store dump is a directory written by varscope::dump_store (store.json, values.safetensors).\n";

int usage_error(const std::string& message) {
  std::cerr << "varscope-dump: error: " << message << "\n" << kUsage;
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 1 && (args[0] == "-h" || args[0] == "--help")) {
    std::cout << kUsage;
    return 0;
  }
  if (args.empty()) return usage_error("missing subcommand");
  try {
    if (args[0] == "diff") {
      if (args.size() != 3) return usage_error("diff takes two dump directories");
      const varscope::DumpDiff diff = varscope::compare_dumps(args[1], args[2]);
      std::cout << "A: " << args[1] << "\nB: " << args[2] << "\n" << diff.report();
      return diff.identical() ? 0 : 1;
    }
    if (args[0] == "show") {
      if (args.size() != 2) return usage_error("show takes one dump directory");
      std::cout << varscope::summarize_dump(args[1]);
      return 0;
    }
    return usage_error("unknown subcommand '" + args[0] + "'");
  } catch (const std::exception& e) {
    std::cerr << "varscope-dump: error: " << e.what() << "\n";
    return 2;
  }
}
