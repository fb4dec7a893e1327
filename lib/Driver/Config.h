//===- Config.h - The project configuration file ----------------*- C++ -*-===//
//
// `.varscope.yaml` (or `.varscope.yml`, `.varscope.json`; JSON is read as
// YAML) in the current directory or a parent:
//
//   checks: '*,-varscope-unresolved-name'
//   entry_points: [main, build_model]
//   max_unroll: 64
//   baseline: .varscope-baseline.json
//   public_api: [mylib::build_model]   # `varscope migrate`: signatures kept
//   index: build/varscope-index.json   # editor checks: the merged facts
//
// Command-line options win over the file; relative paths in it are relative
// to its directory, which is also the default source root.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace varscope::driver {

struct Config {
  std::string Path; ///< the file that was read
  std::string Dir;  ///< its directory (absolute)
  std::optional<std::string> Checks;
  std::vector<std::string> Entries;
  std::optional<unsigned> MaxUnroll;
  std::optional<std::string> Baseline; ///< absolute
  /// Functions whose signature `varscope migrate` must not change: they
  /// create the store themselves, like main.
  std::vector<std::string> PublicAPI;
  /// The facts index (`varscope index -o FILE`) the editor checks read for
  /// cross-file context; absolute.
  std::optional<std::string> Index;
};

/// The config file a command should read: the --config value when it was
/// given, else $VARSCOPE_CONFIG, else "" (search from the directory).
std::string configPath(const std::string &Option, bool Given);

/// Reads Explicit when it is set, else the first `.varscope.{yaml,yml,json}`
/// found in StartDir or one of its parents; std::nullopt when there is none.
/// Errors: unreadable file, syntax error, unknown key.
llvm::Expected<std::optional<Config>> loadConfig(const std::string &Explicit, const std::string &StartDir);

} // namespace varscope::driver
