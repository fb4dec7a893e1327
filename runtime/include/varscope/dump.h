// varscope/dump.h - the store dump of the differential harness: a TF1-style
// program and its migrated form must produce identical dumps
// (docs/checkpoints.md, "Store dumps").
//
//   varscope::dump_store(store, "out/v1");
//   varscope::DumpDiff diff = varscope::compare_dumps("out/v1", "out/explicit");
//   if (!diff.identical()) std::cerr << diff.report();
//
// From the shell: `varscope-dump diff out/v1 out/explicit`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace varscope {

class Store;

/// The differences between two dumps, one self-contained line each, in a
/// fixed order: variables (creation order of A), partitioned variables,
/// collections, regularization losses. A value type; not synchronized.
struct DumpDiff {
  std::vector<std::string> differences;

  bool identical() const { return differences.empty(); }
  /// "The dumps are identical.\n", or a header line and one indented line
  /// per difference.
  std::string report() const;
};

/// Writes `dir`/store.json and `dir`/values.safetensors (creating `dir` if
/// needed; each file atomically). store.json is pretty-printed,
/// deterministic JSON describing every variable in creation order (store
/// name, name, shape, dtype, trainable, collections, initializer, partition
/// info, SHA-256 of the values), every partitioned variable, every
/// collection and every regularization loss; values.safetensors holds every
/// variable's value under its store name. Stores that created the same
/// variables with the same values give byte-identical files.
/// Throws IOError naming the file that cannot be written.
void dump_store(const Store& store, const std::string& dir);

/// Compares two dumps. Throws IOError when a dump cannot be read or is
/// inconsistent (a value whose SHA-256 differs from store.json's).
DumpDiff compare_dumps(const std::string& dir_a, const std::string& dir_b);

/// A readable summary of a dump: one row per variable (store name, shape,
/// dtype, trainable, parameters, SHA-256 prefix), then the partitioned
/// variables, collections and regularization losses. Throws IOError.
std::string summarize_dump(const std::string& dir);

/// Lower-case hex SHA-256 of `data` (FIPS 180-4).
std::string sha256_hex(std::string_view data);

} // namespace varscope
