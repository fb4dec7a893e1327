// examples/common/example_main.h - the command line and printing shared by
// every example program: `--dump DIR`, fixed-precision tensor printing, and
// the model summary. Creates no variables and opens no scopes.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <varscope/dump.h>
#include <varscope/v1.h>

namespace examples {

/// What every example accepts on its command line.
struct Args {
  /// `--dump DIR`: write the default graph's store dump there at the end.
  std::optional<std::string> dump_dir;
};

/// Parses `[--dump DIR]`; prints usage and exits with 2 on anything else.
inline Args parse_args(int argc, char** argv) {
  Args args;
  const std::vector<std::string_view> argv_list(argv + 1, argv + argc);
  for (std::size_t i = 0; i < argv_list.size(); ++i) {
    if (argv_list[i] == "--dump" && i + 1 < argv_list.size()) {
      args.dump_dir = std::string(argv_list[++i]);
      continue;
    }
    if (argv_list[i] == "-h" || argv_list[i] == "--help") {
      std::cout << "usage: " << argv[0] << " [--dump DIR]\n";
      std::exit(0);
    }
    std::cerr << "usage: " << argv[0] << " [--dump DIR]\n";
    std::exit(2);
  }
  return args;
}

/// Prints `label (shape):` and the values row by row (the last axis is one
/// row) with six decimals; integer tensors print as integers.
inline void print_tensor(std::string_view label, const varscope::Tensor& t) {
  std::cout << label << " " << t.shape().to_string() << ":\n";
  const std::vector<double> values = t.to_doubles();
  const bool integral = t.dtype() == varscope::DType::Int32 || t.dtype() == varscope::DType::Int64;
  const std::int64_t row = t.rank() == 0 ? 1 : t.dim(-1);
  char cell[64];
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (integral)
      std::snprintf(cell, sizeof cell, "%lld", static_cast<long long>(values[i]));
    else
      std::snprintf(cell, sizeof cell, "%.6f", values[i]);
    const bool first = static_cast<std::int64_t>(i) % row == 0;
    std::cout << (first ? "  " : " ") << cell;
    if (static_cast<std::int64_t>(i + 1) % row == 0) std::cout << "\n";
  }
}

/// Prints a scalar with six decimals.
inline void print_scalar(std::string_view label, double value) {
  char cell[64];
  std::snprintf(cell, sizeof cell, "%.6f", value);
  std::cout << label << ": " << cell << "\n";
}

/// Prints the default graph's model summary under a heading.
inline void print_summary(std::string_view title) {
  std::cout << "== " << title << ": model summary ==\n" << varscope::v1::get_default_graph().summary();
}

/// Writes the store dump when `--dump DIR` was given (a note on stderr, so
/// stdout stays the same with or without it). Returns the exit code.
inline int finish(const Args& args) {
  if (!args.dump_dir) return 0;
  varscope::dump_store(varscope::v1::get_default_graph(), *args.dump_dir);
  std::cerr << "store dump written to " << *args.dump_dir << "\n";
  return 0;
}

/// Runs an example's body, turning an escaped exception into exit code 1
/// with the message on stderr (a crash would hide TF's error text).
template <class Body> int run(Body body) {
  try {
    return body();
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}

} // namespace examples
